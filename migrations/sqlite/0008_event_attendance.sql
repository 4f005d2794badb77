-- Check-in: each occurrence has a short code (shown to its hosts as text and a QR code);
-- a member checked in (by the code or by a host) has attended, and their attendance is a
-- verified contribution on the ledger.

ALTER TABLE event_occurrences ADD COLUMN checkin_code TEXT NOT NULL DEFAULT '';
UPDATE event_occurrences SET checkin_code = upper(substr(hex(randomblob(4)), 1, 6)) WHERE checkin_code = '';

CREATE TABLE event_attendance (
    occurrence_id   INTEGER NOT NULL REFERENCES event_occurrences(id) ON DELETE CASCADE,
    user_id         INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    checked_in_at   TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    method          TEXT    NOT NULL CHECK (method IN ('code', 'host')),
    checked_in_by   INTEGER NOT NULL REFERENCES users(id),
    contribution_id INTEGER NOT NULL REFERENCES contributions(id),
    PRIMARY KEY (occurrence_id, user_id)
) STRICT;

CREATE INDEX event_attendance_by_user ON event_attendance(user_id);
