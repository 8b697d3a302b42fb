package io.phonon.sample;

import java.util.Map;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Profile;
import org.springframework.data.redis.core.HashOperations;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/** The findings in a Redis hash per record, seen by every instance. */
@Component
@Profile("redis")
class RedisCheckFindings implements CheckFindings {

	private final StringRedisTemplate redis;

	private final HashOperations<String, String, String> hashes;

	private final String prefix;

	RedisCheckFindings(StringRedisTemplate redis, @Value("${phonon.namespace}") String namespace) {
		this.redis = redis;
		this.hashes = redis.opsForHash();
		this.prefix = "sample:" + namespace + ":findings:";
	}

	@Override
	public void put(String id, String check, String finding) {
		this.hashes.put(this.prefix + id, check, finding);
	}

	@Override
	public Map<String, String> get(String id) {
		return this.hashes.entries(this.prefix + id);
	}

	@Override
	public void remove(String id) {
		this.redis.delete(this.prefix + id);
	}

}
