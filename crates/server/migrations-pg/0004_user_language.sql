-- PostgreSQL twin of migrations/0004_user_language.sql.
-- The user's language for the workspace and their email (issue 11). NULL until
-- they choose one: the browser's language applies and is saved at sign-in.
ALTER TABLE users ADD COLUMN language TEXT NULL CHECK (language IN ('en', 'pl'));
