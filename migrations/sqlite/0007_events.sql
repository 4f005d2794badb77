-- Events: a series (one gathering, or a repeating schedule) materialised into
-- occurrences, with RSVPs, a capacity and a first-come waitlist.
-- Future times are kept as wall-clock time + IANA zone on the series; each occurrence
-- stores its instants (UTC), resolved per date so daylight-saving changes never move
-- the local time.

ALTER TABLE communities ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'UTC';

CREATE TABLE event_series (
    id                  INTEGER PRIMARY KEY,
    community_id        INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    title               TEXT    NOT NULL,
    description_source  TEXT    NOT NULL DEFAULT '',
    description_html    TEXT    NOT NULL DEFAULT '',
    place               TEXT    NOT NULL DEFAULT '',
    online_url          TEXT    NOT NULL DEFAULT '',
    time_zone           TEXT    NOT NULL,
    start_time          TEXT    NOT NULL,
    length_minutes      INTEGER NOT NULL CHECK (length_minutes BETWEEN 1 AND 10080),
    recurrence          TEXT    NOT NULL CHECK (recurrence IN ('once', 'daily', 'weekly', 'biweekly', 'monthly')),
    first_date          TEXT    NOT NULL,
    until_date          TEXT,
    capacity            INTEGER CHECK (capacity IS NULL OR capacity BETWEEN 1 AND 100000),
    guests_max          INTEGER NOT NULL DEFAULT 0 CHECK (guests_max BETWEEN 0 AND 10),
    rsvp_cutoff_minutes INTEGER NOT NULL DEFAULT 0 CHECK (rsvp_cutoff_minutes BETWEEN 0 AND 43200),
    initiative_id       INTEGER REFERENCES initiatives(id),
    goal_id             INTEGER REFERENCES goals(id),
    credited_hours      REAL    CHECK (credited_hours IS NULL OR credited_hours > 0),
    visibility          TEXT    NOT NULL DEFAULT 'members' CHECK (visibility IN ('members', 'public')),
    sequence            INTEGER NOT NULL DEFAULT 0,
    created_by          INTEGER NOT NULL REFERENCES users(id),
    created_at          TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;

CREATE INDEX event_series_by_community ON event_series(community_id);

CREATE TABLE event_occurrences (
    id           INTEGER PRIMARY KEY,
    series_id    INTEGER NOT NULL REFERENCES event_series(id) ON DELETE CASCADE,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    local_date   TEXT    NOT NULL,
    starts_at    TEXT    NOT NULL,
    ends_at      TEXT    NOT NULL CHECK (ends_at > starts_at),
    cancelled_at TEXT,
    UNIQUE (series_id, local_date)
) STRICT;

CREATE INDEX event_occurrences_by_time ON event_occurrences(community_id, starts_at);

CREATE TABLE event_rsvps (
    occurrence_id    INTEGER NOT NULL REFERENCES event_occurrences(id) ON DELETE CASCADE,
    user_id          INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    status           TEXT    NOT NULL CHECK (status IN ('going', 'waitlisted', 'offered', 'interested', 'not_going')),
    guests           INTEGER NOT NULL DEFAULT 0 CHECK (guests BETWEEN 0 AND 10),
    -- Arrival order in the waitlist: a number from one sequence per occurrence.
    queue_position   INTEGER,
    offer_expires_at TEXT,
    updated_at       TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (occurrence_id, user_id)
) STRICT;

CREATE INDEX event_rsvps_by_status ON event_rsvps(occurrence_id, status, queue_position);
CREATE INDEX event_rsvps_by_user ON event_rsvps(user_id, status);
