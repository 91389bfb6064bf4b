-- The Benefits workspace store. Dates are TEXT 'YYYY-MM-DD', months 'YYYY-MM',
-- timestamps TEXT RFC 3339 (UTC) unless named *_unix. Money is integer cents.

CREATE TABLE partners (
    id                    TEXT PRIMARY KEY,
    name                  TEXT NOT NULL,
    account_email         TEXT NOT NULL,
    first_benefit_date    TEXT NULL,
    engagement_manager_id TEXT NULL,
    -- Bumped by every write that can change the partner's evaluation or benefits.
    data_version          INTEGER NOT NULL DEFAULT 0,
    created_at            TEXT NOT NULL
);

CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    partner_id    TEXT NULL REFERENCES partners(id) ON DELETE CASCADE,
    email         TEXT NOT NULL COLLATE NOCASE UNIQUE,
    name          TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'member', 'operator')),
    password_hash TEXT NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    TEXT NOT NULL,
    CHECK ((role = 'operator') = (partner_id IS NULL))
);
CREATE INDEX users_partner ON users(partner_id);

CREATE TABLE sessions (
    id_hash      TEXT PRIMARY KEY,          -- SHA-256 of the cookie value, never the value
    user_id      TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf_token   TEXT NOT NULL,
    created_unix INTEGER NOT NULL,
    seen_unix    INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE contacts (
    partner_id TEXT PRIMARY KEY REFERENCES partners(id) ON DELETE CASCADE,
    user_id    TEXT NOT NULL REFERENCES users(id),
    email      TEXT NOT NULL,
    phone      TEXT NOT NULL,
    language   TEXT NOT NULL,
    version    INTEGER NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE offers (
    partner_id  TEXT NOT NULL REFERENCES partners(id) ON DELETE CASCADE,
    id          TEXT NOT NULL,
    name        TEXT NOT NULL,
    type        TEXT NOT NULL CHECK (type IN ('list', 'trial', 'consulting', 'transact')),
    live_on     TEXT NOT NULL,
    delisted_on TEXT NULL,
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (partner_id, id)
);

CREATE TABLE sales (
    id           INTEGER PRIMARY KEY,
    partner_id   TEXT NOT NULL REFERENCES partners(id) ON DELETE CASCADE,
    external_id  TEXT NOT NULL,
    date         TEXT NOT NULL,
    amount_cents INTEGER NOT NULL,
    status       TEXT NOT NULL,             -- as imported
    offer_id     TEXT NOT NULL,
    fraud        INTEGER NOT NULL DEFAULT 0, -- operator's flag; unflagging restores `status`
    version      INTEGER NOT NULL DEFAULT 1,
    UNIQUE (partner_id, external_id),
    FOREIGN KEY (partner_id, offer_id) REFERENCES offers(partner_id, id)
);
CREATE INDEX sales_partner_date ON sales(partner_id, date);

CREATE TABLE bizapps_values (
    id           INTEGER PRIMARY KEY,
    partner_id   TEXT NOT NULL REFERENCES partners(id) ON DELETE CASCADE,
    row_key      TEXT NOT NULL,             -- external_id, or 'month:YYYY-MM'
    external_id  TEXT NULL,
    month        TEXT NOT NULL,
    amount_cents INTEGER NOT NULL,
    UNIQUE (partner_id, row_key)
);

CREATE TABLE teams_mau (
    id          INTEGER PRIMARY KEY,
    partner_id  TEXT NOT NULL REFERENCES partners(id) ON DELETE CASCADE,
    row_key     TEXT NOT NULL,              -- external_id, or 'app:<app>|month:YYYY-MM'
    external_id TEXT NULL,
    app         TEXT NULL,
    month       TEXT NOT NULL,
    mau         INTEGER NOT NULL,
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
    version         INTEGER NOT NULL,
    updated_at      TEXT NOT NULL,
    PRIMARY KEY (partner_id, benefit_id, year_start)
);
CREATE INDEX benefit_records_status ON benefit_records(status);

CREATE TABLE catalogs (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    version      TEXT NOT NULL UNIQUE,
    json         TEXT NOT NULL,
    published_at TEXT NOT NULL,
    published_by TEXT NULL
);

CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
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
    status     INTEGER NOT NULL,
    etag       INTEGER NULL,
    body       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (user_id, route, key)
);
