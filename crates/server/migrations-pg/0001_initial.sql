-- PostgreSQL twin of migrations/0001_initial.sql (issue 13): the same tables,
-- columns and keys, so every statement the server sends means the same on
-- both stores. What differs, and why:
--   * every integer is BIGINT: the server reads integers as i64, which
--     sqlx-postgres decodes from INT8 only;
--   * SQLite's AUTOINCREMENT and INTEGER PRIMARY KEY (rowid) ids are
--     identity columns, GENERATED ALWAYS so that an insert naming an id fails
--     at once rather than colliding with the sequence later;
--   * a case-insensitive email is a unique index on lower(email) (see 0001's
--     users_email_lower), in place of SQLite's COLLATE NOCASE;
--   * booleans stay BIGINT 0/1 and dates stay TEXT, as on SQLite.
-- Text sorts by bytes because scripts/pg.sh (and the deployment, see
-- docs/SCALE.md) creates the database with LC_COLLATE 'C'.
-- Dates are TEXT 'YYYY-MM-DD', months 'YYYY-MM', timestamps TEXT RFC 3339
-- (UTC) unless named *_unix. Money is integer cents.

CREATE TABLE partners (
    id                    TEXT PRIMARY KEY,
    name                  TEXT NOT NULL,
    account_email         TEXT NOT NULL,
    first_benefit_date    TEXT NULL,
    engagement_manager_id TEXT NULL,
    -- Bumped by every write that can change the partner's evaluation or benefits.
    data_version          BIGINT NOT NULL DEFAULT 0,
    created_at            TEXT NOT NULL
);

CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    partner_id    TEXT NULL REFERENCES partners(id) ON DELETE CASCADE,
    email         TEXT NOT NULL,
    name          TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'member', 'operator')),
    password_hash TEXT NOT NULL,
    version       BIGINT NOT NULL DEFAULT 1,
    created_at    TEXT NOT NULL,
    CHECK ((role = 'operator') = (partner_id IS NULL))
);
-- SQLite's `email TEXT COLLATE NOCASE UNIQUE` folds ASCII letters only; so
-- does lower() in a database whose LC_CTYPE is 'C'.
CREATE UNIQUE INDEX users_email_lower ON users (lower(email));
CREATE INDEX users_partner ON users(partner_id);

CREATE TABLE sessions (
    id_hash      TEXT PRIMARY KEY,          -- SHA-256 of the cookie value, never the value
    user_id      TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf_token   TEXT NOT NULL,
    created_unix BIGINT NOT NULL,
    seen_unix    BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE contacts (
    partner_id TEXT PRIMARY KEY REFERENCES partners(id) ON DELETE CASCADE,
    user_id    TEXT NOT NULL REFERENCES users(id),
    email      TEXT NOT NULL,
    phone      TEXT NOT NULL,
    language   TEXT NOT NULL,
    version    BIGINT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE offers (
    partner_id  TEXT NOT NULL REFERENCES partners(id) ON DELETE CASCADE,
    id          TEXT NOT NULL,
    name        TEXT NOT NULL,
    type        TEXT NOT NULL CHECK (type IN ('list', 'trial', 'consulting', 'transact')),
    live_on     TEXT NOT NULL,
    delisted_on TEXT NULL,
    version     BIGINT NOT NULL DEFAULT 1,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (partner_id, id)
);

CREATE TABLE sales (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    partner_id   TEXT NOT NULL REFERENCES partners(id) ON DELETE CASCADE,
    external_id  TEXT NOT NULL,
    date         TEXT NOT NULL,
    amount_cents BIGINT NOT NULL,
    status       TEXT NOT NULL,             -- as imported
    offer_id     TEXT NOT NULL,
    fraud        BIGINT NOT NULL DEFAULT 0, -- operator's flag; unflagging restores `status`
    version      BIGINT NOT NULL DEFAULT 1,
    UNIQUE (partner_id, external_id),
    FOREIGN KEY (partner_id, offer_id) REFERENCES offers(partner_id, id)
);
CREATE INDEX sales_partner_date ON sales(partner_id, date);

CREATE TABLE bizapps_values (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    partner_id   TEXT NOT NULL REFERENCES partners(id) ON DELETE CASCADE,
    row_key      TEXT NOT NULL,             -- external_id, or 'month:YYYY-MM'
    external_id  TEXT NULL,
    month        TEXT NOT NULL,
    amount_cents BIGINT NOT NULL,
    UNIQUE (partner_id, row_key)
);

CREATE TABLE teams_mau (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    partner_id  TEXT NOT NULL REFERENCES partners(id) ON DELETE CASCADE,
    row_key     TEXT NOT NULL,              -- external_id, or 'app:<app>|month:YYYY-MM'
    external_id TEXT NULL,
    app         TEXT NULL,
    month       TEXT NOT NULL,
    mau         BIGINT NOT NULL,
    UNIQUE (partner_id, row_key)
);

-- One benefit for one partner in one benefit year: the domain BenefitState as JSON.
CREATE TABLE benefit_records (
    partner_id      TEXT NOT NULL REFERENCES partners(id) ON DELETE CASCADE,
    benefit_id      TEXT NOT NULL,
    year_start      TEXT NOT NULL,
    status          TEXT NOT NULL,
    contact_by      TEXT NULL,
    state_json      TEXT NOT NULL,
    catalog_version TEXT NOT NULL,
    version         BIGINT NOT NULL,
    updated_at      TEXT NOT NULL,
    PRIMARY KEY (partner_id, benefit_id, year_start)
);
CREATE INDEX benefit_records_status ON benefit_records(status);

CREATE TABLE catalogs (
    seq          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    version      TEXT NOT NULL UNIQUE,
    json         TEXT NOT NULL,
    published_at TEXT NOT NULL,
    published_by TEXT NULL
);

CREATE TABLE audit_log (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          TEXT NOT NULL,
    actor_id    TEXT NULL,
    actor_email TEXT NULL,
    partner_id  TEXT NULL,
    action      TEXT NOT NULL,
    target      TEXT NOT NULL,
    before_json TEXT NULL,
    after_json  TEXT NULL
);
CREATE INDEX audit_partner ON audit_log(partner_id, id);

CREATE TABLE idempotency_keys (
    user_id    TEXT NOT NULL,
    route      TEXT NOT NULL,
    key        TEXT NOT NULL,
    status     BIGINT NOT NULL,
    etag       BIGINT NULL,
    body       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (user_id, route, key)
);
