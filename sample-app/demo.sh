#!/usr/bin/env bash
# Two instances of the sample app coordinating through one Redis, and checks of what Phonon
# promises across them: the @Scheduled @Locked report runs once per tick, the @Dogpile report
# is computed once, the last one out writes a record once; then both instances' lock meters.
#
#   sample-app/demo.sh            (from anywhere; needs a JDK 17+ and Maven)
#
# Uses the Redis at 127.0.0.1:${DEMO_REDIS_PORT:-6379} if one answers there, else starts one on
# that port (redis-server if installed, else the binary Maven fetches with embedded-redis).
# Stops whatever it started. DEMO_PORT_ONE and DEMO_PORT_TWO choose the HTTP ports (8081, 8082).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
work="$root/sample-app/target/demo"
redis_port="${DEMO_REDIS_PORT:-6379}"
port_one="${DEMO_PORT_ONE:-8081}"
port_two="${DEMO_PORT_TWO:-8082}"
namespace="demo-$(date +%s)"
pids=()

cleanup() {
	for pid in "${pids[@]}"; do
		kill "$pid" 2>/dev/null || true
	done
	for pid in "${pids[@]}"; do
		wait "$pid" 2>/dev/null || true
	done
}
trap cleanup EXIT

http_up() { # <port>: whether the instance's health endpoint answers 200
	(exec 3<>"/dev/tcp/127.0.0.1/$1" && printf 'GET /actuator/health HTTP/1.0\r\nHost: localhost\r\n\r\n' >&3 \
		&& timeout 5 head -c 12 <&3 | grep -q ' 200') 2>/dev/null
}

redis_answers() {
	(exec 3<>"/dev/tcp/127.0.0.1/$redis_port" && printf 'PING\r\n' >&3 && timeout 2 head -c 5 <&3 | grep -q PONG) 2>/dev/null
}

wait_until() { # <what> <pid> <seconds> <command...>: fails if the process ends first
	local what="$1" pid="$2" seconds="$3"
	shift 3
	for _ in $(seq "$((seconds * 2))"); do
		if "$@"; then
			return 0
		fi
		if ! kill -0 "$pid" 2>/dev/null; then
			echo "$what stopped before it answered; see $work/*.log" >&2
			exit 1
		fi
		sleep 0.5
	done
	echo "Gave up waiting for $what after ${seconds}s; see $work/*.log" >&2
	exit 1
}

mkdir -p "$work"
echo "Building the sample app..."
mvn -q -ntp -f "$root/pom.xml" -pl sample-app -am package -DskipTests
jar="$(ls "$root"/sample-app/target/phonon-sample-app-*.jar | grep -v original | head -1)"

if redis_answers; then
	echo "Using the Redis that answers on port $redis_port."
else
	if command -v redis-server >/dev/null; then
		server=redis-server
	else
		echo "No redis-server installed: taking the one embedded-redis ships, from Maven Central."
		mvn -q -ntp dependency:copy -Dartifact=com.github.codemonstur:embedded-redis:1.4.4 -DoutputDirectory="$work"
		(cd "$work" && jar xf embedded-redis-1.4.4.jar redis-server-6.2.6-v5-linux-amd64)
		server="$work/redis-server-6.2.6-v5-linux-amd64"
		chmod +x "$server"
	fi
	echo "No Redis answers on port $redis_port: starting one ($server) for the demo."
	"$server" --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no >"$work/redis.log" 2>&1 &
	pids+=("$!")
	wait_until "Redis" "$!" 20 redis_answers
fi

for port in "$port_one" "$port_two"; do
	echo "Starting an instance on port $port (profile redis, namespace $namespace)..."
	java -jar "$jar" --server.port="$port" --spring.profiles.active=redis --spring.data.redis.host=127.0.0.1 \
		--spring.data.redis.port="$redis_port" --phonon.namespace="$namespace" \
		--sample.report.cron="*/2 * * * * *" --sample.report.hold=1500ms --sample.sales-report.work=2s --sample.checks.work=1s \
		>"$work/instance-$port.log" 2>&1 &
	pids+=("$!")
done
wait_until "the instance on port $port_one" "${pids[-2]}" 120 http_up "$port_one"
wait_until "the instance on port $port_two" "${pids[-1]}" 120 http_up "$port_two"
echo "Both instances are up."
echo

java "$root/sample-app/demo/TwoInstanceDemo.java" "http://127.0.0.1:$port_one" "http://127.0.0.1:$port_two"
