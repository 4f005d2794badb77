-- Every contribution wrote two ledger entries, and each entry's `hash` went into a UNIQUE
-- index whose keys are random: two random pages of that index written to the log and
-- copied back into the database at every contribution, about half of what a contribution
-- wrote to disk (docs/PERFORMANCE.md, "Writes, 6 December, evening"). Nothing looks an
-- entry up by its hash, and the constraint guards nothing the chain does not: an entry's
-- hash covers its predecessor's, and the one writer appends one entry after another. So
-- the ledger is rebuilt without it.
--
-- `contributions_by_author (author_id, status, done_on)` goes too: `contributions_by_member`
-- starts with `author_id` and holds `status`, so it serves the same reads (a member's
-- record, what waits for verification), and each contribution writes one index page less.
--
-- SQLite cannot drop a constraint, so the ledger is copied aside, dropped and made again.
-- Foreign keys stay on (sqlx runs this file in a transaction, where they cannot be turned
-- off) but are checked at the commit (`defer_foreign_keys`): dropping the table counts
-- every row that refers to an entry as broken, and putting each entry back counts its
-- references as mended, so the commit succeeds only if every reference holds again.
-- Dropping a table does not fire its triggers, so the append-only guard does not stop it.
PRAGMA defer_foreign_keys = ON;
CREATE TABLE ledger_entries_kept AS SELECT * FROM ledger_entries;
DROP TABLE ledger_entries;
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
    hash            TEXT    NOT NULL
) STRICT;
-- The indexes first: putting an entry back looks up the entries that refer to it
-- (`contribution_id`), which without its index is a pass over the whole table each time.
CREATE INDEX ledger_by_community ON ledger_entries(community_id, id);
CREATE INDEX ledger_by_contribution ON ledger_entries(contribution_id);
INSERT INTO ledger_entries
       (id, community_id, kind, contribution_id, actor_id, description, done_on, quantity,
        hours, goal_id, initiative_id, evidence_url, note, created_at, prev_hash, hash)
SELECT id, community_id, kind, contribution_id, actor_id, description, done_on, quantity,
       hours, goal_id, initiative_id, evidence_url, note, created_at, prev_hash, hash
  FROM ledger_entries_kept
 ORDER BY id;
DROP TABLE ledger_entries_kept;
CREATE TRIGGER ledger_no_update BEFORE UPDATE ON ledger_entries
BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
CREATE TRIGGER ledger_no_delete BEFORE DELETE ON ledger_entries
BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
CREATE TRIGGER impact_version_ledger AFTER INSERT ON ledger_entries
BEGIN UPDATE communities SET impact_version = impact_version + 1 WHERE id = new.community_id; END;
DROP INDEX contributions_by_author;
