package io.phonon.benchmarks;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;

import com.zaxxer.hikari.HikariDataSource;
import io.phonon.backend.jdbc.JdbcBackend;
import io.phonon.lock.Lease;
import io.phonon.lock.LockBackend;
import io.phonon.lock.LockOptions;
import io.phonon.lock.LockService;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.provider.jdbctemplate.JdbcTemplateLockProvider;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import org.springframework.integration.jdbc.lock.DefaultLockRepository;
import org.springframework.integration.jdbc.lock.JdbcLockRegistry;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/**
 * One uncontended acquire and release of a database lock on PostgreSQL, on one thread,
 * each library on its own table and its own pool of the same size: Phonon, Spring
 * Integration {@code JdbcLockRegistry} and ShedLock's {@code JdbcTemplateLockProvider}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class JdbcLockCycleBenchmark {

	private HikariDataSource phononPool;

	private HikariDataSource integrationPool;

	private HikariDataSource shedlockPool;

	private LockBackend phononBackend;

	private LockService phonon;

	private final LockOptions options = LockOptions.defaults().withLease(Duration.ofSeconds(30));

	private Lock springIntegration;

	private DefaultLockRepository repository;

	private JdbcTemplateLockProvider shedlock;

	@Setup(Level.Trial)
	public void start() throws Exception {
		this.phononPool = pool();
		this.integrationPool = pool();
		this.shedlockPool = pool();
		try (Connection connection = this.integrationPool.getConnection();
				Statement statement = connection.createStatement()) {
			statement.execute("""
					CREATE TABLE IF NOT EXISTS INT_LOCK (LOCK_KEY CHAR(36) NOT NULL, REGION VARCHAR(100) NOT NULL,
					CLIENT_ID CHAR(36), CREATED_DATE TIMESTAMP NOT NULL, EXPIRED_AFTER TIMESTAMP NOT NULL,
					constraint INT_LOCK_PK primary key (LOCK_KEY, REGION))""");
			statement.execute("""
					CREATE TABLE IF NOT EXISTS shedlock (name VARCHAR(64) NOT NULL, lock_until TIMESTAMP NOT NULL,
					locked_at TIMESTAMP NOT NULL, locked_by VARCHAR(255) NOT NULL, PRIMARY KEY (name))""");
		}
		this.phononBackend = JdbcBackend.locks(this.phononPool, "bench", "bench_", true);
		this.phonon = LockService.builder(this.phononBackend).build();

		this.repository = new DefaultLockRepository(this.integrationPool);
		this.repository.setTransactionManager(new DataSourceTransactionManager(this.integrationPool));
		this.repository.setTimeToLive(30_000);
		this.repository.afterPropertiesSet();
		this.repository.afterSingletonsInstantiated();
		this.springIntegration = new JdbcLockRegistry(this.repository).obtain("bench");

		this.shedlock = new JdbcTemplateLockProvider(this.shedlockPool);
	}

	@TearDown(Level.Trial)
	public void stop() throws Exception {
		((AutoCloseable) this.phonon).close();
		this.phononBackend.close();
		this.repository.close();
		this.phononPool.close();
		this.integrationPool.close();
		this.shedlockPool.close();
	}

	@Benchmark
	public long phonon() {
		try (Lease lease = this.phonon.acquire("bench", this.options)) {
			return lease.token();
		}
	}

	@Benchmark
	public boolean springIntegration() {
		boolean locked = this.springIntegration.tryLock();
		this.springIntegration.unlock();
		return locked;
	}

	@Benchmark
	public boolean shedlock() {
		var lock = this.shedlock
			.lock(new LockConfiguration(Instant.now(), "bench", Duration.ofSeconds(30), Duration.ZERO))
			.orElseThrow();
		lock.unlock();
		return true;
	}

	private static HikariDataSource pool() {
		HikariDataSource pool = new HikariDataSource();
		pool.setJdbcUrl(BenchmarkServers.postgres());
		pool.setMaximumPoolSize(4);
		return pool;
	}

}
