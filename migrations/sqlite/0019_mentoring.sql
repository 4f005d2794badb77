-- Mentoring (issue #17): offers to mentor, requests that become mentorships, the sessions
-- logged as contributions, and the skills an initiative's verified work proves.

-- Skills an initiative's work needs: a member's verified contributions to it prove them.
CREATE TABLE initiative_skills (
    initiative_id INTEGER NOT NULL REFERENCES initiatives(id) ON DELETE CASCADE,
    skill         TEXT    NOT NULL,
    PRIMARY KEY (initiative_id, skill)
) STRICT, WITHOUT ROWID;

CREATE INDEX initiative_skills_by_skill ON initiative_skills(skill, initiative_id);

-- A member's offer to mentor in one community; capacity 0 pauses it.
CREATE TABLE mentor_offers (
    id           INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    capacity     INTEGER NOT NULL CHECK (capacity BETWEEN 0 AND 10),
    availability TEXT    NOT NULL DEFAULT '',
    updated_at   TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    UNIQUE (community_id, user_id)
) STRICT;

-- An offer's skills and languages.
CREATE TABLE mentor_offer_tags (
    offer_id INTEGER NOT NULL REFERENCES mentor_offers(id) ON DELETE CASCADE,
    kind     TEXT    NOT NULL CHECK (kind IN ('skill', 'language')),
    tag      TEXT    NOT NULL,
    PRIMARY KEY (offer_id, kind, tag)
) STRICT, WITHOUT ROWID;

-- A request for a mentor; once a mentor accepts it is the mentorship.
-- open: no mentor asked · asked: waiting for `mentor_id` · active · completed · withdrawn.
CREATE TABLE mentorships (
    id           INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    mentee_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    mentor_id    INTEGER REFERENCES users(id) ON DELETE SET NULL,
    topic        TEXT    NOT NULL,
    goal         TEXT    NOT NULL DEFAULT '',
    cadence      TEXT    NOT NULL CHECK (cadence IN ('weekly', 'fortnightly', 'monthly')),
    status       TEXT    NOT NULL DEFAULT 'open'
                         CHECK (status IN ('open', 'asked', 'active', 'completed', 'withdrawn')),
    created_at   TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    accepted_at  TEXT,
    ended_at     TEXT
) STRICT;

CREATE INDEX mentorships_by_community ON mentorships(community_id, status, id);
CREATE INDEX mentorships_by_mentor ON mentorships(mentor_id, status);
CREATE INDEX mentorships_by_mentee ON mentorships(mentee_id, status);
-- One active mentorship per pair, whatever happens to the checks above it.
CREATE UNIQUE INDEX mentorships_one_active_per_pair
    ON mentorships(community_id, mentor_id, mentee_id) WHERE status = 'active';

-- The skills and languages a request asks for.
CREATE TABLE mentorship_tags (
    mentorship_id INTEGER NOT NULL REFERENCES mentorships(id) ON DELETE CASCADE,
    kind          TEXT    NOT NULL CHECK (kind IN ('skill', 'language')),
    tag           TEXT    NOT NULL,
    PRIMARY KEY (mentorship_id, kind, tag)
) STRICT, WITHOUT ROWID;

-- Mentors who declined a request: it is not suggested to them again.
CREATE TABLE mentorship_declines (
    mentorship_id INTEGER NOT NULL REFERENCES mentorships(id) ON DELETE CASCADE,
    mentor_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    PRIMARY KEY (mentorship_id, mentor_id)
) STRICT, WITHOUT ROWID;

-- The initiative each community's mentoring sessions count towards (made on first use).
CREATE TABLE mentoring_initiatives (
    community_id  INTEGER PRIMARY KEY REFERENCES communities(id) ON DELETE CASCADE,
    initiative_id INTEGER NOT NULL REFERENCES initiatives(id) ON DELETE CASCADE
) STRICT;

-- A mentoring session: a contribution (hours) the other person of the pair verifies.
CREATE TABLE mentoring_sessions (
    contribution_id INTEGER PRIMARY KEY REFERENCES contributions(id) ON DELETE CASCADE,
    mentorship_id   INTEGER NOT NULL REFERENCES mentorships(id) ON DELETE CASCADE,
    note            TEXT    NOT NULL DEFAULT ''
) STRICT;

CREATE INDEX mentoring_sessions_by_mentorship ON mentoring_sessions(mentorship_id);
