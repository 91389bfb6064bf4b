-- PostgreSQL twin of migrations/0003_accounts.sql (see 0001 for the type
-- rules). Accounts: the mail outbox, invitations, one-time links (password
-- reset, email change), session devices, idempotency fingerprints, TOTP.

-- Every message the server sends is first a row here, written in the same
-- transaction as the change that causes it; a worker sends and marks it.
-- The body is cleared once sent: it holds the one-time link.
CREATE TABLE mail_outbox (
    id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    to_addr           TEXT NOT NULL,
    template          TEXT NOT NULL,            -- which message, for logs
    lang              TEXT NOT NULL,
    subject           TEXT NOT NULL,
    text_body         TEXT NOT NULL,
    html_body         TEXT NOT NULL,
    created_unix      BIGINT NOT NULL,
    attempts          BIGINT NOT NULL DEFAULT 0,
    next_attempt_unix BIGINT NOT NULL,
    last_error        TEXT NULL,
    sent_unix         BIGINT NULL
);
CREATE INDEX mail_outbox_due ON mail_outbox(sent_unix, next_attempt_unix);

-- An invitation to join a partner (admin, member) or the program (operator).
-- Only the SHA-256 of the link's token is stored. SQLite declares `email`
-- COLLATE NOCASE (not unique); here lower(email) is indexed for the lookup.
CREATE TABLE invitations (
    id            TEXT PRIMARY KEY,
    token_hash    TEXT NOT NULL UNIQUE,
    email         TEXT NOT NULL,
    name          TEXT NULL,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'member', 'operator')),
    partner_id    TEXT NULL REFERENCES partners(id) ON DELETE CASCADE,
    invited_by    TEXT NULL,
    created_unix  BIGINT NOT NULL,
    expires_unix  BIGINT NOT NULL,
    accepted_unix BIGINT NULL,
    revoked_unix  BIGINT NULL,
    CHECK ((role = 'operator') = (partner_id IS NULL))
);
CREATE INDEX invitations_partner ON invitations(partner_id);
CREATE INDEX invitations_email_lower ON invitations (lower(email));

-- One-time links for a user: 'password_reset' (1 hour) and 'email_change'
-- (to the new address, which waits in new_email). Stored hashed.
CREATE TABLE user_tokens (
    token_hash   TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    purpose      TEXT NOT NULL CHECK (purpose IN ('password_reset', 'email_change')),
    new_email    TEXT NULL,
    created_unix BIGINT NOT NULL,
    expires_unix BIGINT NOT NULL,
    used_unix    BIGINT NULL
);
CREATE INDEX user_tokens_user ON user_tokens(user_id);

-- What a user sees in their list of sessions.
ALTER TABLE sessions ADD COLUMN device TEXT NOT NULL DEFAULT '';

-- A retry under the same key must carry the same request.
ALTER TABLE idempotency_keys ADD COLUMN fingerprint TEXT NOT NULL DEFAULT '';
ALTER TABLE idempotency_keys ADD COLUMN created_unix BIGINT NOT NULL DEFAULT 0;

-- TOTP second factor: the secret (base32) once confirmed, the one being set
-- up, the last time step accepted (a code works once), and the SHA-256 of
-- each unused recovery code.
ALTER TABLE users ADD COLUMN totp_secret TEXT NULL;
ALTER TABLE users ADD COLUMN totp_pending TEXT NULL;
ALTER TABLE users ADD COLUMN totp_last_step BIGINT NULL;
CREATE TABLE recovery_codes (
    user_id   TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    PRIMARY KEY (user_id, code_hash)
);
