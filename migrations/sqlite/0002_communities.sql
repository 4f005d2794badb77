-- Communities: a mission, a vision and ordered values; who belongs, with what role;
-- how people join; and an append-only audit log of what leaders did.

CREATE TABLE communities (
    id               INTEGER PRIMARY KEY,
    slug             TEXT    NOT NULL UNIQUE,
    name             TEXT    NOT NULL,
    mission          TEXT    NOT NULL,
    vision           TEXT    NOT NULL DEFAULT '',
    visibility       TEXT    NOT NULL DEFAULT 'public' CHECK (visibility IN ('public', 'private')),
    join_policy      TEXT    NOT NULL DEFAULT 'open' CHECK (join_policy IN ('open', 'approval', 'invite')),
    join_questions   TEXT    NOT NULL DEFAULT '',
    created_by       INTEGER NOT NULL REFERENCES users(id),
    created_at       TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    last_activity_at TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;

CREATE INDEX communities_by_activity ON communities(visibility, last_activity_at DESC, id DESC);

CREATE TABLE community_values (
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    name         TEXT    NOT NULL,
    description  TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (community_id, position)
) STRICT, WITHOUT ROWID;

-- status: active members, or banned ones (kept so they cannot simply rejoin).
-- role_term_ends_at: when a leadership role lapses back to member (NULL = no term).
CREATE TABLE memberships (
    community_id      INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    user_id           INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role              TEXT    NOT NULL DEFAULT 'member' CHECK (role IN ('owner', 'steward', 'moderator', 'member')),
    status            TEXT    NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'banned')),
    role_term_ends_at TEXT,
    affirmed_values_at TEXT,
    joined_at         TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (community_id, user_id)
) STRICT, WITHOUT ROWID;

CREATE INDEX memberships_by_user ON memberships(user_id);
CREATE INDEX memberships_by_role ON memberships(community_id, status, role, joined_at);
CREATE INDEX memberships_by_term ON memberships(role_term_ends_at) WHERE role_term_ends_at IS NOT NULL;

CREATE TABLE join_requests (
    id               INTEGER PRIMARY KEY,
    community_id     INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    user_id          INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    answers          TEXT    NOT NULL DEFAULT '',
    status           TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'declined')),
    decided_by       INTEGER REFERENCES users(id),
    decision_message TEXT    NOT NULL DEFAULT '',
    created_at       TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    decided_at       TEXT
) STRICT;

-- At most one open request per person and community.
CREATE UNIQUE INDEX join_requests_one_pending ON join_requests(community_id, user_id) WHERE status = 'pending';
CREATE INDEX join_requests_queue ON join_requests(community_id, status, created_at);

-- Invite links: only a SHA-256 of the token is stored.
CREATE TABLE invites (
    id           INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    token_hash   TEXT    NOT NULL UNIQUE,
    created_by   INTEGER NOT NULL REFERENCES users(id),
    max_uses     INTEGER,
    uses         INTEGER NOT NULL DEFAULT 0,
    expires_at   TEXT    NOT NULL,
    revoked_at   TEXT,
    created_at   TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;

CREATE INDEX invites_by_community ON invites(community_id, created_at DESC);

-- Append-only: who did what to whom, and when.
CREATE TABLE audit_log (
    id           INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities(id),
    actor_id     INTEGER REFERENCES users(id),
    action       TEXT    NOT NULL,
    subject_id   INTEGER REFERENCES users(id),
    detail       TEXT    NOT NULL DEFAULT '',
    created_at   TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;

CREATE INDEX audit_log_by_community ON audit_log(community_id, id DESC);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

-- In-app notices (role terms lapsing, requests decided, ...).
CREATE TABLE notifications (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    body       TEXT    NOT NULL,
    link       TEXT    NOT NULL DEFAULT '',
    created_at TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    read_at    TEXT
) STRICT;

CREATE INDEX notifications_by_user ON notifications(user_id, id DESC);
