-- PostgreSQL twin of migrations/0002_program_data.sql (see 0001 for the type
-- rules). The program owns the data: the marketplace feed, service tokens,
-- the grant ledger, effective-dated catalogs and the jobs' claims.

-- An offer may be published but not live yet. PostgreSQL drops a NOT NULL in
-- place; SQLite's migration rebuilds the table to do the same.
ALTER TABLE offers ALTER COLUMN live_on DROP NOT NULL;
ALTER TABLE offers ADD COLUMN ingestion_id BIGINT NULL;

-- One ingested feed file: what, how, by whom, and what it changed.
CREATE TABLE ingestions (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind       TEXT NOT NULL,
    source     TEXT NOT NULL CHECK (source IN ('cli', 'api', 'console', 'seed')),
    actor      TEXT NULL,               -- the operator's email or the service token's name
    file_name  TEXT NULL,
    rows       BIGINT NOT NULL,
    inserted   BIGINT NOT NULL,
    updated    BIGINT NOT NULL,
    unchanged  BIGINT NOT NULL,
    at         TEXT NOT NULL
);

-- Each feed row remembers the ingestion that last wrote it.
ALTER TABLE sales ADD COLUMN ingestion_id BIGINT NULL;
ALTER TABLE sales ADD COLUMN fraud_note TEXT NULL;
ALTER TABLE bizapps_values ADD COLUMN ingestion_id BIGINT NULL;
ALTER TABLE teams_mau ADD COLUMN ingestion_id BIGINT NULL;
ALTER TABLE partners ADD COLUMN ingestion_id BIGINT NULL;
-- A sale's external id is the marketplace's: found without its partner.
CREATE INDEX sales_external ON sales(external_id);

-- Credentials of the marketplace's jobs: they may only ingest feed files.
CREATE TABLE service_tokens (
    id           TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,   -- SHA-256 of the token, never the token
    created_at   TEXT NOT NULL,
    created_by   TEXT NULL,
    last_used_at TEXT NULL,
    revoked_at   TEXT NULL
);

-- The grant ledger: one benefit granted to one partner for one benefit year.
CREATE TABLE grants (
    partner_id      TEXT NOT NULL REFERENCES partners(id) ON DELETE CASCADE,
    benefit_id      TEXT NOT NULL,
    year_start      TEXT NOT NULL,
    granted_on      TEXT NOT NULL,
    catalog_version TEXT NOT NULL,
    cause_json      TEXT NOT NULL,
    recorded_at     TEXT NOT NULL,
    PRIMARY KEY (partner_id, benefit_id, year_start)
);

-- Catalog versions apply from a date; the first one always applied.
ALTER TABLE catalogs ADD COLUMN effective_from TEXT NOT NULL DEFAULT '0001-01-01';

-- When the job noticed a benefit's contact date had passed.
ALTER TABLE benefit_records ADD COLUMN overdue_marked_on TEXT NULL;

-- One row per run of the program's jobs: the server that inserts it runs them.
CREATE TABLE job_runs (
    slot        TEXT PRIMARY KEY,        -- the hour the run is for, 'YYYY-MM-DDTHH'
    claimed_by  TEXT NOT NULL,
    claimed_at  TEXT NOT NULL,
    finished_at TEXT NULL,
    summary     TEXT NULL
);
