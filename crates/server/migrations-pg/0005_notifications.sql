-- PostgreSQL twin of migrations/0005_notifications.sql (see 0001 for the type
-- rules). Notifications: what each person was told (in-app, and the key that
-- makes an event tell a person once), their email settings, their calendar feed.

-- One event told to one user. `event_key` names the event (the benefit, its
-- record version, the day of a digest …); the unique pair is what keeps an
-- event from being told twice, whichever server or job run writes it. The
-- email, if any, is queued in the same transaction as this row.
CREATE TABLE notifications (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    partner_id TEXT NULL REFERENCES partners(id) ON DELETE CASCADE,
    event_key  TEXT NOT NULL,
    kind       TEXT NOT NULL,
    lang       TEXT NOT NULL,
    title      TEXT NOT NULL,
    body       TEXT NOT NULL,
    link       TEXT NOT NULL,
    emailed    BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    read_at    TEXT NULL,
    UNIQUE (event_key, user_id)
);
CREATE INDEX notifications_user ON notifications(user_id, id);
CREATE INDEX notifications_unread ON notifications(user_id) WHERE read_at IS NULL;

-- Email on or off per event group; no row means on.
CREATE TABLE notification_preferences (
    user_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    event_group TEXT NOT NULL CHECK (event_group IN ('benefit_updates', 'tier_news', 'digests')),
    email       BIGINT NOT NULL,
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (user_id, event_group)
);

-- A user's private calendar feed: only the SHA-256 of the secret in its address.
CREATE TABLE calendar_feeds (
    user_id    TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);
