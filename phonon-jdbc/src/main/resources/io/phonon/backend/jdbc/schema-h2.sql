-- Phonon's lock table for H2 2.x. A row stays a minute after its lock ended, keeping the id's
-- last fencing token, then an acquisition deletes it; a new row's token comes from the
-- database's clock in microseconds, so tokens keep increasing.
CREATE TABLE IF NOT EXISTS phonon_locks (
    lock_key   CHAR(64)                 NOT NULL PRIMARY KEY, -- SHA-256 of namespace and id
    lock_id    CHARACTER LARGE OBJECT   NOT NULL,             -- the id itself, up to 64 KiB
    owner      VARCHAR(64),                                   -- NULL when released
    token      BIGINT                   NOT NULL,             -- the last fencing token
    expires_at TIMESTAMP(6)             NOT NULL              -- in the database's time
);
-- Finds the rows of ended locks for the sweep.
CREATE INDEX IF NOT EXISTS phonon_locks_expires_at ON phonon_locks (expires_at);


-- References: each namespace's steps serialize on its row here.
CREATE TABLE IF NOT EXISTS phonon_ref_namespaces (
    namespace_key CHAR(64) NOT NULL PRIMARY KEY
);

-- Process sessions, extended by heartbeats, in the database's time.
CREATE TABLE IF NOT EXISTS phonon_ref_sessions (
    namespace_key CHAR(64)     NOT NULL,
    process       VARCHAR(255) NOT NULL,
    expires_at    TIMESTAMP(6) NOT NULL,
    PRIMARY KEY (namespace_key, process)
);

-- The resources held now, and how often they were modified since they were last empty.
CREATE TABLE IF NOT EXISTS phonon_ref_resources (
    namespace_key CHAR(64) NOT NULL,
    resource_key  CHAR(64) NOT NULL,
    resource      CHARACTER LARGE OBJECT NOT NULL,
    times         BIGINT   NOT NULL,
    PRIMARY KEY (namespace_key, resource_key)
);

-- Which process holds which resource.
CREATE TABLE IF NOT EXISTS phonon_ref_holders (
    namespace_key CHAR(64)     NOT NULL,
    resource_key  CHAR(64)     NOT NULL,
    process       VARCHAR(255) NOT NULL,
    PRIMARY KEY (namespace_key, resource_key, process)
);

-- Last releases not yet completed, and the process running each (NULL: nobody yet).
CREATE TABLE IF NOT EXISTS phonon_ref_releases (
    namespace_key CHAR(64)     NOT NULL,
    id            VARCHAR(64)  NOT NULL,
    resource      CHARACTER LARGE OBJECT     NOT NULL,
    times         BIGINT       NOT NULL,
    runner        VARCHAR(255),
    PRIMARY KEY (namespace_key, id)
);

-- Dogpile values, shared by the cluster; freshness and the stale window in the database's time.
CREATE TABLE IF NOT EXISTS phonon_dogpile (
    entry_key     CHAR(64)               NOT NULL,             -- SHA-256 of namespace, cache and key
    cache_key     CHAR(64)               NOT NULL,             -- SHA-256 of namespace and cache
    entry_value   CHARACTER LARGE OBJECT NOT NULL,             -- the value as JSON
    compute_nanos BIGINT                 NOT NULL,             -- how long making it took
    fresh_until   TIMESTAMP(6)           NOT NULL,
    stale_until   TIMESTAMP(6),                                 -- NULL: served stale for ever
    PRIMARY KEY (cache_key, entry_key)
);
-- Finds the rows past their stale window, which writes delete a few at a time.
CREATE INDEX IF NOT EXISTS phonon_dogpile_stale_until ON phonon_dogpile (stale_until);


-- Shared atoms: the value and version of each, and its latest changes for watchers.
CREATE TABLE IF NOT EXISTS phonon_atoms (
    atom_key   CHAR(64)               NOT NULL PRIMARY KEY, -- SHA-256 of namespace and name
    atom       CHARACTER LARGE OBJECT NOT NULL,             -- the name
    version    BIGINT                 NOT NULL,
    atom_value CHARACTER LARGE OBJECT NOT NULL              -- the value as JSON
);
CREATE TABLE IF NOT EXISTS phonon_atom_changes (
    atom_key   CHAR(64)               NOT NULL,
    version    BIGINT                 NOT NULL,
    atom_value CHARACTER LARGE OBJECT NOT NULL,
    PRIMARY KEY (atom_key, version)
);
