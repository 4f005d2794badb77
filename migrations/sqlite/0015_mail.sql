-- Notification preferences and e-mail: what each member wants to hear about and how,
-- single-use account tokens (verify an address, reset a password), and the outbox that
-- e-mail is sent from.

-- When the member proved the address is theirs (NULL: not yet; only account mail goes there).
ALTER TABLE users ADD COLUMN email_verified_at TEXT;
-- The member's IANA time zone, for the digest hour and dates in e-mail.
ALTER TABLE users ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'UTC';
-- How often the digest comes, and at which local hour.
ALTER TABLE users ADD COLUMN digest TEXT NOT NULL DEFAULT 'weekly'
    CHECK (digest IN ('off', 'daily', 'weekly'));
ALTER TABLE users ADD COLUMN digest_hour INTEGER NOT NULL DEFAULT 8
    CHECK (digest_hour BETWEEN 0 AND 23);

-- What a notice is about, so preferences can route it (older notices: 'community').
ALTER TABLE notifications ADD COLUMN kind TEXT NOT NULL DEFAULT 'community';

-- A muted community sends the member nothing but mentions.
ALTER TABLE memberships ADD COLUMN muted INTEGER NOT NULL DEFAULT 0 CHECK (muted IN (0, 1));

-- A member's choice for one kind of notice; kinds without a row use the default.
CREATE TABLE notification_prefs (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind    TEXT    NOT NULL,
    channel TEXT    NOT NULL CHECK (channel IN ('app', 'email', 'both', 'off')),
    PRIMARY KEY (user_id, kind)
) STRICT, WITHOUT ROWID;

-- Single-use tokens sent by e-mail. Only a SHA-256 of the token is stored.
CREATE TABLE account_tokens (
    token_hash TEXT    PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    purpose    TEXT    NOT NULL CHECK (purpose IN ('verify_email', 'reset_password')),
    -- The address the token was sent to: verifying proves this one, not a later one.
    email      TEXT    NOT NULL,
    expires_at TEXT    NOT NULL,
    used_at    TEXT,
    created_at TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;

CREATE INDEX account_tokens_by_user ON account_tokens(user_id, purpose);

-- Every e-mail Kindred sends, written in the same transaction as what caused it. One row
-- per (member, kind, period): the same message is never queued twice. A worker sends due
-- rows and marks them; a failure is retried later with a growing delay. The Message-ID
-- is fixed here, so a retry after a crash between sending and marking is a duplicate the
-- receiving side recognises.
CREATE TABLE mail_outbox (
    id              INTEGER PRIMARY KEY,
    user_id         INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind            TEXT    NOT NULL,
    period          TEXT    NOT NULL,
    to_address      TEXT    NOT NULL,
    subject         TEXT    NOT NULL,
    -- The message's lines (plain text; links are local paths made absolute when sent).
    body            TEXT    NOT NULL,
    link            TEXT    NOT NULL DEFAULT '',
    link_label      TEXT    NOT NULL DEFAULT '',
    message_id      TEXT    NOT NULL UNIQUE,
    -- The list a member can leave in one click (a notice kind or 'digest'); NULL for account mail.
    list            TEXT,
    -- Mentions and replies wait a while and are skipped when read in the app meanwhile.
    notification_id INTEGER REFERENCES notifications(id) ON DELETE SET NULL,
    send_after      TEXT    NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    status          TEXT    NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'sent', 'skipped', 'failed')),
    last_error      TEXT    NOT NULL DEFAULT '',
    sent_at         TEXT,
    created_at      TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    UNIQUE (user_id, kind, period)
) STRICT;

CREATE INDEX mail_outbox_due ON mail_outbox(send_after) WHERE status = 'pending';

-- One-click unsubscribe tokens (RFC 8058): each names one member and one list.
CREATE TABLE mail_unsubscribe_tokens (
    token_hash TEXT    PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    list       TEXT    NOT NULL,
    created_at TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;
