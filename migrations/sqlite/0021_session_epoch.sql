-- "Sign out everywhere": raising an account's session epoch ends every session it has
-- (each session remembers the epoch it was signed in under, with the password hash).
ALTER TABLE users ADD COLUMN session_epoch INTEGER NOT NULL DEFAULT 0;
