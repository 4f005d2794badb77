-- Challenges: time-boxed drives ("500 parcels in December") measured on the verified
-- ledger. Progress is never stored: it is summed from verified contributions whose date
-- falls in the window. At the end plus the grace days the result is frozen as a snapshot
-- with its hash, so later ledger changes do not rewrite it.

CREATE TABLE challenges (
    id            INTEGER PRIMARY KEY,
    community_id  INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    title         TEXT    NOT NULL,
    description_html TEXT NOT NULL DEFAULT '',
    -- what is summed: verified 'hours', 'quantity' towards the goal, or 'contributions'
    measure       TEXT    NOT NULL CHECK (measure IN ('hours', 'quantity', 'contributions')),
    unit          TEXT    NOT NULL,
    initiative_id INTEGER REFERENCES initiatives(id),
    goal_id       INTEGER REFERENCES goals(id),
    target        REAL    NOT NULL CHECK (target > 0),
    starts_on     TEXT    NOT NULL,
    ends_on       TEXT    NOT NULL CHECK (ends_on >= starts_on),
    grace_days    INTEGER NOT NULL DEFAULT 0 CHECK (grace_days BETWEEN 0 AND 30),
    daily_cap     REAL    CHECK (daily_cap > 0),
    mode          TEXT    NOT NULL CHECK (mode IN ('collective', 'teams', 'individual')),
    team_score    TEXT    NOT NULL DEFAULT 'sum' CHECK (team_score IN ('sum', 'average')),
    -- the instant after which verifications no longer count (end of the last day plus
    -- the grace days, in the community's zone), and the frozen result
    closes_at     TEXT    NOT NULL,
    frozen_at     TEXT,
    result        TEXT,
    result_hash   TEXT,
    created_by    INTEGER NOT NULL REFERENCES users(id),
    created_at    TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;

CREATE INDEX challenges_by_community ON challenges(community_id, ends_on DESC);
CREATE INDEX challenges_to_freeze ON challenges(frozen_at, closes_at);

CREATE TABLE challenge_teams (
    id           INTEGER PRIMARY KEY,
    challenge_id INTEGER NOT NULL REFERENCES challenges(id) ON DELETE CASCADE,
    name         TEXT    NOT NULL,
    UNIQUE (challenge_id, name)
) STRICT;

-- Who takes part: their team (teams mode) and whether they appear on the individual
-- board (off by default).
CREATE TABLE challenge_participants (
    challenge_id INTEGER NOT NULL REFERENCES challenges(id) ON DELETE CASCADE,
    user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    team_id      INTEGER REFERENCES challenge_teams(id),
    on_board     INTEGER NOT NULL DEFAULT 0 CHECK (on_board IN (0, 1)),
    joined_at    TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (challenge_id, user_id)
) STRICT;

CREATE INDEX challenge_participants_by_team ON challenge_participants(team_id);

-- Milestone notices (half way, target reached, ended), each sent to each person once.
CREATE TABLE challenge_notices (
    challenge_id INTEGER NOT NULL REFERENCES challenges(id) ON DELETE CASCADE,
    user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    milestone    TEXT    NOT NULL CHECK (milestone IN ('half', 'full', 'ended')),
    PRIMARY KEY (challenge_id, user_id, milestone)
) STRICT;

-- A new challenge, a new team member or a frozen result changes the impact page.
CREATE TRIGGER impact_version_challenge_added AFTER INSERT ON challenges
BEGIN UPDATE communities SET impact_version = impact_version + 1 WHERE id = new.community_id; END;

CREATE TRIGGER impact_version_challenge_changed AFTER UPDATE ON challenges
BEGIN UPDATE communities SET impact_version = impact_version + 1 WHERE id = new.community_id; END;

CREATE TRIGGER impact_version_challenge_joined AFTER INSERT ON challenge_participants
BEGIN UPDATE communities SET impact_version = impact_version + 1
       WHERE id = (SELECT community_id FROM challenges WHERE id = new.challenge_id); END;
