-- Impact: goals (a weighted tree), member-owned initiatives with opportunities,
-- and an append-only, hash-chained contribution ledger.

ALTER TABLE communities ADD COLUMN self_attestation INTEGER NOT NULL DEFAULT 0 CHECK (self_attestation IN (0, 1));

CREATE TABLE goals (
    id           INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    title        TEXT    NOT NULL,
    metric       TEXT    NOT NULL,
    unit         TEXT    NOT NULL,
    target       REAL    NOT NULL CHECK (target > 0),
    deadline     TEXT,
    parent_id    INTEGER REFERENCES goals(id),
    weight       REAL    NOT NULL DEFAULT 1 CHECK (weight > 0),
    created_by   INTEGER NOT NULL REFERENCES users(id),
    created_at   TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;

CREATE INDEX goals_by_community ON goals(community_id, parent_id);

CREATE TABLE initiatives (
    id           INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    title        TEXT    NOT NULL,
    description  TEXT    NOT NULL DEFAULT '',
    status       TEXT    NOT NULL DEFAULT 'proposed' CHECK (status IN ('proposed', 'approved', 'declined')),
    owner_id     INTEGER NOT NULL REFERENCES users(id),
    decided_by   INTEGER REFERENCES users(id),
    created_at   TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;

CREATE INDEX initiatives_by_community ON initiatives(community_id, status, id DESC);

CREATE TABLE initiative_goals (
    initiative_id INTEGER NOT NULL REFERENCES initiatives(id) ON DELETE CASCADE,
    goal_id       INTEGER NOT NULL REFERENCES goals(id) ON DELETE CASCADE,
    PRIMARY KEY (initiative_id, goal_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE opportunities (
    id            INTEGER PRIMARY KEY,
    initiative_id INTEGER NOT NULL REFERENCES initiatives(id) ON DELETE CASCADE,
    title         TEXT    NOT NULL,
    description   TEXT    NOT NULL DEFAULT '',
    capacity      INTEGER NOT NULL CHECK (capacity BETWEEN 1 AND 10000),
    created_at    TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;

CREATE INDEX opportunities_by_initiative ON opportunities(initiative_id);

CREATE TABLE opportunity_signups (
    opportunity_id INTEGER NOT NULL REFERENCES opportunities(id) ON DELETE CASCADE,
    user_id        INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at     TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (opportunity_id, user_id)
) STRICT, WITHOUT ROWID;

-- The ledger. A 'reported' entry is a contribution (its id is the contribution's id);
-- 'verified', 'declined' and 'withdrawn' entries point at it through contribution_id.
-- hash = SHA-256 over the previous entry's hash (of the same community) and this entry's fields.
CREATE TABLE ledger_entries (
    id              INTEGER PRIMARY KEY,
    community_id    INTEGER NOT NULL REFERENCES communities(id),
    kind            TEXT    NOT NULL CHECK (kind IN ('reported', 'verified', 'declined', 'withdrawn')),
    contribution_id INTEGER REFERENCES ledger_entries(id),
    actor_id        INTEGER NOT NULL REFERENCES users(id),
    description     TEXT    NOT NULL DEFAULT '',
    done_on         TEXT    NOT NULL DEFAULT '',
    quantity        REAL,
    hours           REAL,
    goal_id         INTEGER REFERENCES goals(id),
    initiative_id   INTEGER REFERENCES initiatives(id),
    evidence_url    TEXT    NOT NULL DEFAULT '',
    note            TEXT    NOT NULL DEFAULT '',
    created_at      TEXT    NOT NULL,
    prev_hash       TEXT    NOT NULL,
    hash            TEXT    NOT NULL UNIQUE
) STRICT;

CREATE INDEX ledger_by_community ON ledger_entries(community_id, id);
CREATE INDEX ledger_by_contribution ON ledger_entries(contribution_id);

CREATE TRIGGER ledger_no_update BEFORE UPDATE ON ledger_entries
BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
CREATE TRIGGER ledger_no_delete BEFORE DELETE ON ledger_entries
BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;

-- Each contribution's current state, kept in the same transaction as the ledger
-- entry that changes it, for fast queues, lists and totals.
CREATE TABLE contributions (
    id            INTEGER PRIMARY KEY REFERENCES ledger_entries(id),
    community_id  INTEGER NOT NULL REFERENCES communities(id),
    author_id     INTEGER NOT NULL REFERENCES users(id),
    goal_id       INTEGER REFERENCES goals(id),
    initiative_id INTEGER REFERENCES initiatives(id),
    quantity      REAL,
    hours         REAL,
    done_on       TEXT    NOT NULL,
    status        TEXT    NOT NULL CHECK (status IN ('reported', 'verified', 'declined', 'withdrawn')),
    verified_at   TEXT
) STRICT;

CREATE INDEX contributions_queue ON contributions(community_id, status, id);
CREATE INDEX contributions_by_goal ON contributions(goal_id, status);
CREATE INDEX contributions_by_author ON contributions(author_id, status, done_on);
CREATE INDEX contributions_by_initiative ON contributions(initiative_id, status);
