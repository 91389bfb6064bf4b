-- Emails are compared as lower(email) = lower($n), the one spelling that
-- ignores ASCII case on SQLite and PostgreSQL alike (the column's COLLATE
-- NOCASE is SQLite's only). These indexes serve that comparison; the unique
-- constraint stays on the NOCASE column. PostgreSQL's migrations create the
-- same indexes in their 0001 and 0003 (unique on users), so they have no 0008.
CREATE INDEX users_email_lower ON users (lower(email));
CREATE INDEX invitations_email_lower ON invitations (lower(email));
