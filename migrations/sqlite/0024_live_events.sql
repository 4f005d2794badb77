-- Live updates: every write that an open page may want to show at once (a new post in a
-- thread, a new notification for someone) adds a row here in its own transaction. Each
-- instance reads the rows after the last one it has seen when its doorbell rings (on
-- SQLite: the writer's commit; on PostgreSQL: NOTIFY from a trigger) and pushes them to
-- the browsers it serves. Rows are kept for a few minutes only; AUTOINCREMENT so an id is
-- never reused once the table has been emptied (a reused id would look already seen).
CREATE TABLE live_events (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    kind         TEXT    NOT NULL CHECK (kind IN ('post', 'notice')),
    community_id INTEGER,
    thread_id    INTEGER,
    user_id      INTEGER,
    created_at   TEXT    NOT NULL
) STRICT;

CREATE INDEX live_events_by_age ON live_events(created_at);
