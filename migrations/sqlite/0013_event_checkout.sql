-- Check-out. A series credits either its scheduled length ('schedule') or the time each
-- person was there ('presence': check-in to check-out, bounded by the schedule). A
-- presence-timed attendance has no contribution until it is closed: by the member
-- checking out, or, when they forget, automatically at the end plus a grace period, as a
-- pending contribution flagged for a leader to review.

ALTER TABLE event_series ADD COLUMN hours_from TEXT NOT NULL DEFAULT 'schedule'
    CHECK (hours_from IN ('schedule', 'presence'));

CREATE TABLE event_attendance_new (
    occurrence_id   INTEGER NOT NULL REFERENCES event_occurrences(id) ON DELETE CASCADE,
    user_id         INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    checked_in_at   TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    method          TEXT    NOT NULL CHECK (method IN ('code', 'host')),
    checked_in_by   INTEGER NOT NULL REFERENCES users(id),
    contribution_id INTEGER REFERENCES contributions(id),
    checked_out_at  TEXT,
    auto_closed     INTEGER NOT NULL DEFAULT 0 CHECK (auto_closed IN (0, 1)),
    PRIMARY KEY (occurrence_id, user_id)
) STRICT;

INSERT INTO event_attendance_new (occurrence_id, user_id, checked_in_at, method, checked_in_by, contribution_id)
SELECT occurrence_id, user_id, checked_in_at, method, checked_in_by, contribution_id FROM event_attendance;

DROP TABLE event_attendance;
ALTER TABLE event_attendance_new RENAME TO event_attendance;

CREATE INDEX event_attendance_by_user ON event_attendance(user_id);
CREATE INDEX event_attendance_open ON event_attendance(occurrence_id) WHERE contribution_id IS NULL;
