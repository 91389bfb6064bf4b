-- Failed sign-ins (and password checks, reset requests) per limiter key, in
-- the database so that every app server counts the same attempts (issue 13:
-- a client alternating between two servers gets no more guesses). Keys are
-- stored hashed (SHA-256): they hold emails and IP addresses.
-- login_keys holds one row per key to lock: PostgreSQL locks it with
-- SELECT … FOR UPDATE (a row that does not exist yet cannot be locked);
-- SQLite's BEGIN IMMEDIATE serializes the whole check instead.
CREATE TABLE login_keys (
    key_hash TEXT PRIMARY KEY
);
CREATE TABLE login_failures (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    key_hash TEXT NOT NULL,
    at_ms    INTEGER NOT NULL,
    attempt  TEXT NOT NULL
);
CREATE INDEX login_failures_key ON login_failures (key_hash, at_ms);
CREATE INDEX login_failures_attempt ON login_failures (attempt);
CREATE INDEX login_failures_at ON login_failures (at_ms);
