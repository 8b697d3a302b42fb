package io.phonon.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;

import io.phonon.lock.LockOptions;
import io.phonon.lock.LockService;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.sql.init.DatabaseInitializationMode;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * Configuration of Phonon, under {@code phonon}. Checked when bound: a bad value fails
 * the start-up with a message naming the property.
 */
@ConfigurationProperties("phonon")
public class PhononProperties implements Validator {

	/**
	 * Selects the engine that coordinates: 'memory' for the threads of one process,
	 * 'file' for the processes of one host, 'redis' or 'jdbc' for a cluster (through the
	 * application's Spring Data Redis connection or DataSource).
	 */
	private Backend backend = Backend.MEMORY;

	/**
	 * Prefixes every key, row and file that Phonon keeps in the engine, so applications
	 * sharing an engine stay apart. Defaults to spring.application.name, or 'phonon'
	 * without one.
	 */
	private @Nullable String namespace;

	private final Lock lock = new Lock();

	private final File file = new File();

	private final Jdbc jdbc = new Jdbc();

	private final Redis redis = new Redis();

	private final Process process = new Process();

	private final Shutdown shutdown = new Shutdown();

	private final Dogpile dogpile = new Dogpile();

	private final Metrics metrics = new Metrics();

	public Backend getBackend() {
		return this.backend;
	}

	public void setBackend(Backend backend) {
		this.backend = backend;
	}

	public @Nullable String getNamespace() {
		return this.namespace;
	}

	public void setNamespace(@Nullable String namespace) {
		this.namespace = namespace;
	}

	public Lock getLock() {
		return this.lock;
	}

	public File getFile() {
		return this.file;
	}

	public Jdbc getJdbc() {
		return this.jdbc;
	}

	public Redis getRedis() {
		return this.redis;
	}

	public Process getProcess() {
		return this.process;
	}

	public Shutdown getShutdown() {
		return this.shutdown;
	}

	public Dogpile getDogpile() {
		return this.dogpile;
	}

	public Metrics getMetrics() {
		return this.metrics;
	}

	@Override
	public boolean supports(Class<?> type) {
		return PhononProperties.class.isAssignableFrom(type);
	}

	@Override
	public void validate(Object target, Errors errors) {
		PhononProperties properties = (PhononProperties) target;
		// The lock options' own rules, so that a property and an annotation are held to
		// the same.
		try {
			LockOptions.defaults().withLease(properties.getLock().getLease());
		}
		catch (IllegalArgumentException ex) {
			errors.rejectValue("lock.lease", "lease", String.valueOf(ex.getMessage()));
		}
		try {
			LockOptions.defaults().withWait(properties.getLock().getWait());
		}
		catch (IllegalArgumentException ex) {
			errors.rejectValue("lock.wait", "wait", String.valueOf(ex.getMessage()));
		}
		Duration heartbeat = properties.getProcess().getHeartbeatInterval();
		Duration session = properties.getProcess().getSessionTimeout();
		if (heartbeat.isNegative() || heartbeat.isZero() || heartbeat.compareTo(session) >= 0) {
			errors.rejectValue("process.heartbeatInterval", "shorterThanSession",
					"must be positive and shorter than" + " phonon.process.session-timeout (" + session
							+ "), or sessions expire between heartbeats; was " + heartbeat);
		}
		Duration expireAfter = properties.getDogpile().getExpireAfter();
		if (expireAfter.isNegative() || expireAfter.isZero()) {
			errors.rejectValue("dogpile.expireAfter", "positive",
					"must be positive (how long a dogpile value is fresh), was " + expireAfter);
		}
		Duration grace = properties.getShutdown().getGracePeriod();
		if (grace.isNegative()) {
			errors.rejectValue("shutdown.gracePeriod", "notNegative", "must be zero (stop at once) or positive (how"
					+ " long running locked sections keep their leases once the application stops), was " + grace);
		}
		if (properties.getLock().getLocalHandOffs() < 0) {
			errors.rejectValue("lock.localHandOffs", "notNegative",
					"must be zero (release every lock to the engine) or how many times in a row a lock goes straight"
							+ " to a waiting thread of this instance, was " + properties.getLock().getLocalHandOffs());
		}
		if (properties.getLock().getReactiveThreads() < 1) {
			errors.rejectValue("lock.reactiveThreads", "positive",
					"must be at least 1 (how many reactive sections take a lock at once, each on a thread), was "
							+ properties.getLock().getReactiveThreads());
		}
		if (properties.getRedis().getReplicaAcks() < 0) {
			errors.rejectValue("redis.replicaAcks", "notNegative",
					"must be zero (Redis's own asynchronous"
							+ " replication) or the number of replicas that must confirm a lock's writes, was "
							+ properties.getRedis().getReplicaAcks());
		}
		else if (properties.getRedis().getReplicaAcks() > 0) {
			Duration ackTimeout = properties.getRedis().getReplicaAckTimeout();
			if (ackTimeout.isNegative() || ackTimeout.isZero()) {
				errors.rejectValue("redis.replicaAckTimeout", "positive",
						"must be positive when phonon.redis.replica-acks is set (Redis's WAIT 0 waits for ever), was "
								+ ackTimeout);
			}
		}
		if (properties.getJdbc().getMaintenancePoolSize() < 0) {
			errors.rejectValue("jdbc.maintenancePoolSize", "notNegative",
					"must be zero (renew leases and sessions"
							+ " through the application's DataSource) or positive, was "
							+ properties.getJdbc().getMaintenancePoolSize());
		}
		if (!properties.getJdbc().getTablePrefix().matches("[A-Za-z0-9_]*")) {
			errors.rejectValue("jdbc.tablePrefix", "identifier", "may hold only letters, digits and underscores, was '"
					+ properties.getJdbc().getTablePrefix() + "'");
		}
		if (properties.getNamespace() != null && properties.getNamespace().isBlank()) {
			errors.rejectValue("namespace", "notBlank", "must not be blank; leave it unset for the default");
		}
	}

	/** The engines Phonon can run on. */
	public enum Backend {

		/** The threads of one process. */
		MEMORY,

		/** The processes of one host, through a directory (lockbydir). */
		FILE,

		/** A cluster, through Redis 6.2+ and the application's RedisConnectionFactory. */
		REDIS,

		/**
		 * A cluster, through the application's DataSource: PostgreSQL, MariaDB 10.5+ or
		 * H2.
		 */
		JDBC

	}

	/** How Phonon stops with the application. */
	public static class Shutdown {

		/**
		 * Sets how long locked sections that still run when the application stops keep
		 * their leases renewed (and claimed last releases keep running) before Phonon
		 * revokes the leases, releases the references and ends its session. Phonon stops
		 * after the web server and the application's executors, before the connection
		 * factory or DataSource it uses.
		 */
		private Duration gracePeriod = Duration.ofSeconds(30);

		public Duration getGracePeriod() {
			return this.gracePeriod;
		}

		public void setGracePeriod(Duration gracePeriod) {
			this.gracePeriod = gracePeriod;
		}

	}

	/** Defaults of dogpile caches. */
	public static class Dogpile {

		/**
		 * Sets how long a dogpile value is fresh, where @Dogpile or DogpileOptions give
		 * no expireAfter; after it, one caller regenerates it while the others get the
		 * stale value.
		 */
		private Duration expireAfter = Duration.ofMinutes(10);

		public Duration getExpireAfter() {
			return this.expireAfter;
		}

		public void setExpireAfter(Duration expireAfter) {
			this.expireAfter = expireAfter;
		}

	}

	/** Defaults of locks. */
	public static class Lock {

		/**
		 * Sets how long a lock is held before it expires by itself unless renewed
		 * (lockbydir's TIMEOUT), where @Locked or LockOptions give none.
		 */
		private Duration lease = Duration.ofSeconds(30);

		/**
		 * Sets how long a caller waits for a lock that another owner holds (lockbydir's
		 * PATIENCE), where @Locked or LockOptions give none. Zero tries once.
		 */
		private Duration wait = Duration.ZERO;

		/**
		 * Sets how many times in a row a released lock goes straight to a thread of this
		 * instance that waits for it (one engine step taking a new fencing token, no
		 * release notice), on engines that hand locks over (redis without replica-acks).
		 * Then it is released, and this instance's waiters compete with other instances'
		 * as equals. Zero releases every lock.
		 */
		private int localHandOffs = LockService.Builder.DEFAULT_LOCAL_HAND_OFFS;

		/**
		 * Sets at most how many reactive sections (@Locked on a Mono, Flux or suspend
		 * function, or ReactiveLockService) wait for a lock at once, each on a thread of
		 * Phonon's own while it waits (or, on an engine that blocks, asks for the lock);
		 * the others queue, up to 100,000 per thread, and further ones are refused. A
		 * free lock on Redis needs no such thread. Never a Reactor event-loop thread.
		 */
		private int reactiveThreads = 10 * Runtime.getRuntime().availableProcessors();

		public Duration getLease() {
			return this.lease;
		}

		public void setLease(Duration lease) {
			this.lease = lease;
		}

		public Duration getWait() {
			return this.wait;
		}

		public void setWait(Duration wait) {
			this.wait = wait;
		}

		public int getLocalHandOffs() {
			return this.localHandOffs;
		}

		public void setLocalHandOffs(int localHandOffs) {
			this.localHandOffs = localHandOffs;
		}

		public int getReactiveThreads() {
			return this.reactiveThreads;
		}

		public void setReactiveThreads(int reactiveThreads) {
			this.reactiveThreads = reactiveThreads;
		}

	}

	/** The file backend. */
	public static class File {

		/**
		 * Sets the directory, on a local file system, where the file backend keeps its
		 * lock directories and reference table (one sub-directory per namespace). Created
		 * owner-only if missing; refused if another user owns it or others may write it.
		 * Defaults to 'phonon-<user>' in java.io.tmpdir, one per user.
		 */
		private Path directory = Path.of(System.getProperty("java.io.tmpdir"),
				"phonon-" + System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9._-]", "_"));

		public Path getDirectory() {
			return this.directory;
		}

		public void setDirectory(Path directory) {
			this.directory = directory;
		}

	}

	/** This application instance as a process whose session the engine keeps. */
	public static class Process {

		/**
		 * Sets how often the process extends its session, and looks for crashed processes
		 * and last releases nobody runs.
		 */
		private Duration heartbeatInterval = Duration.ofSeconds(5);

		/**
		 * Sets how long a session lives without a heartbeat: after it, a process counts
		 * as crashed and a live one reaps its references.
		 */
		private Duration sessionTimeout = Duration.ofSeconds(30);

		public Duration getHeartbeatInterval() {
			return this.heartbeatInterval;
		}

		public void setHeartbeatInterval(Duration heartbeatInterval) {
			this.heartbeatInterval = heartbeatInterval;
		}

		public Duration getSessionTimeout() {
			return this.sessionTimeout;
		}

		public void setSessionTimeout(Duration sessionTimeout) {
			this.sessionTimeout = sessionTimeout;
		}

	}

	/** The redis backend. */
	public static class Redis {

		/**
		 * Sets how many replicas must confirm a lock's acquisition, renewal and fencing
		 * token (Redis's WAIT, or WAITAOF where the server has it and keeps an
		 * append-only file) before Phonon reports it; a shortfall fails the acquisition.
		 * Set it to the number of replicas, so that a Sentinel or Cluster failover keeps
		 * every lock and token. Zero relies on Redis's asynchronous replication, which a
		 * failover can lose.
		 */
		private int replicaAcks;

		/**
		 * Sets how long an acquisition or renewal waits for the replicas of
		 * phonon.redis.replica-acks; keep it well below the lease and the client's
		 * command timeout.
		 */
		private Duration replicaAckTimeout = Duration.ofSeconds(1);

		public int getReplicaAcks() {
			return this.replicaAcks;
		}

		public void setReplicaAcks(int replicaAcks) {
			this.replicaAcks = replicaAcks;
		}

		public Duration getReplicaAckTimeout() {
			return this.replicaAckTimeout;
		}

		public void setReplicaAckTimeout(Duration replicaAckTimeout) {
			this.replicaAckTimeout = replicaAckTimeout;
		}

	}

	/** The jdbc backend. */
	public static class Jdbc {

		/**
		 * When to create Phonon's tables if they do not exist, once per start, as Spring
		 * Boot's spring.sql.init.mode: 'embedded' (only in an embedded database such as
		 * H2), 'always' (what a real database needs, unless its schema is managed
		 * elsewhere) or 'never' (create them from
		 * io/phonon/backend/jdbc/schema-<platform>.sql yourself).
		 */
		private DatabaseInitializationMode initializeSchema = DatabaseInitializationMode.EMBEDDED;

		/**
		 * Sets the prefix of Phonon's table names (letters, digits and underscores): the
		 * lock table is <prefix>locks.
		 */
		private String tablePrefix = "phonon_";

		/**
		 * Sets the size of Phonon's own connection pool over the application's database,
		 * for lease renewals, releases and session heartbeats, so that they never wait
		 * for a connection behind the application's work. Zero uses the application's
		 * DataSource for them too.
		 */
		private int maintenancePoolSize = 2;

		public int getMaintenancePoolSize() {
			return this.maintenancePoolSize;
		}

		public void setMaintenancePoolSize(int maintenancePoolSize) {
			this.maintenancePoolSize = maintenancePoolSize;
		}

		public DatabaseInitializationMode getInitializeSchema() {
			return this.initializeSchema;
		}

		public void setInitializeSchema(DatabaseInitializationMode initializeSchema) {
			this.initializeSchema = initializeSchema;
		}

		public String getTablePrefix() {
			return this.tablePrefix;
		}

		public void setTablePrefix(String tablePrefix) {
			this.tablePrefix = tablePrefix;
		}

	}

	/** Micrometer meters. */
	public static class Metrics {

		/**
		 * Whether to record Phonon's meters (phonon.*) in the application's
		 * MeterRegistry.
		 */
		private boolean enabled = true;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

}
