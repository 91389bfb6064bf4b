-- PostgreSQL twin of migrations/0007_partner_summary.sql (the numbers match
-- SQLite's; there is no 0006). Per-partner figures the console lists without
-- evaluating anyone: refreshed when the partner's data version, the catalog
-- in force or the day moves on (a row whose (as_of, data_version,
-- catalog_seq) differs is stale).
CREATE TABLE partner_summary (
    partner_id          TEXT PRIMARY KEY REFERENCES partners(id) ON DELETE CASCADE,
    as_of               TEXT NOT NULL,
    data_version        BIGINT NOT NULL,
    catalog_seq         BIGINT NOT NULL,
    effective_tier      BIGINT NULL,
    transact_tier_today BIGINT NULL,
    mbs_cents           BIGINT NOT NULL,
    active_activations  BIGINT NOT NULL,
    overdue             BIGINT NOT NULL,
    refreshed_at        TEXT NOT NULL
);
CREATE INDEX partner_summary_tier ON partner_summary(effective_tier);
CREATE INDEX partner_summary_mbs ON partner_summary(mbs_cents);
CREATE INDEX partner_summary_overdue ON partner_summary(overdue);
CREATE INDEX partners_name ON partners(name);
CREATE INDEX partners_manager ON partners(engagement_manager_id);
CREATE INDEX offers_type ON offers(type, partner_id);
