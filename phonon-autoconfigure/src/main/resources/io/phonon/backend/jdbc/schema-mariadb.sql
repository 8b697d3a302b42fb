-- Phonon's lock table for MariaDB 10.5+. Rows stay after release: they keep each lock id's last
-- fencing token, so do not delete rows of locks whose tokens fence something.
CREATE TABLE IF NOT EXISTS phonon_locks (
    lock_key   CHAR(64)     NOT NULL PRIMARY KEY,                    -- SHA-256 of namespace and id
    lock_id    MEDIUMTEXT   NOT NULL,                                -- the id itself, up to 64 KiB
    owner      VARCHAR(64),                                          -- NULL when released
    token      BIGINT       NOT NULL,                                -- the last fencing token
    expires_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)    -- in the database's time
);
