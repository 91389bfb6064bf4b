-- PostgreSQL twin of migrations/0010_login_failures.sql: failed sign-ins per
-- limiter key (hashed), shared by every app server.
CREATE TABLE login_keys (
    key_hash TEXT PRIMARY KEY
);
CREATE TABLE login_failures (
    id       BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key_hash TEXT NOT NULL,
    at_ms    BIGINT NOT NULL,
    attempt  TEXT NOT NULL
);
CREATE INDEX login_failures_key ON login_failures (key_hash, at_ms);
CREATE INDEX login_failures_attempt ON login_failures (attempt);
CREATE INDEX login_failures_at ON login_failures (at_ms);
