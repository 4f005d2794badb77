-- Reminders: in-app notices 24 hours and 1 hour before an occurrence, to people going
-- (and, for the 24-hour one, interested). A marker per person and kind makes each one
-- go out exactly once, whatever restarts happen in between.

ALTER TABLE event_series ADD COLUMN reminders INTEGER NOT NULL DEFAULT 1 CHECK (reminders IN (0, 1));

CREATE TABLE event_reminders (
    occurrence_id INTEGER NOT NULL REFERENCES event_occurrences(id) ON DELETE CASCADE,
    user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind          TEXT    NOT NULL CHECK (kind IN ('24h', '1h')),
    sent_at       TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (occurrence_id, user_id, kind)
) STRICT;
