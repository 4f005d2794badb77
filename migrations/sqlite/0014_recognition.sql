-- Recognition: kudos that cite one of the community's values, and badges earned from
-- verified work (by rule) or awarded by leaders (by hand).

-- How many kudos each member may give in any 7 days (0 turns kudos off).
ALTER TABLE communities ADD COLUMN kudos_weekly_budget INTEGER NOT NULL DEFAULT 5
    CHECK (kudos_weekly_budget BETWEEN 0 AND 100);

-- Members choose to appear on individual leaderboards (off by default).
ALTER TABLE memberships ADD COLUMN on_leaderboard INTEGER NOT NULL DEFAULT 0
    CHECK (on_leaderboard IN (0, 1));

-- A thank-you. `value_name` is the cited value as it was named when given (values can be
-- renamed; the wall filters by name). Retracted ones (by the giver, within minutes) and
-- hidden ones (by moderators, with a reason) stay stored but are not shown.
CREATE TABLE kudos (
    id              INTEGER PRIMARY KEY,
    community_id    INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    giver_id        INTEGER NOT NULL REFERENCES users(id),
    value_name      TEXT    NOT NULL,
    message         TEXT    NOT NULL,
    contribution_id INTEGER REFERENCES contributions(id),
    initiative_id   INTEGER REFERENCES initiatives(id),
    created_at      TEXT    NOT NULL,
    retracted_at    TEXT,
    hidden_at       TEXT,
    hidden_by       INTEGER REFERENCES users(id),
    hidden_reason   TEXT    NOT NULL DEFAULT ''
) STRICT;

CREATE INDEX kudos_wall ON kudos(community_id, id DESC);
CREATE INDEX kudos_by_giver ON kudos(giver_id, community_id, created_at);
CREATE INDEX kudos_by_contribution ON kudos(contribution_id) WHERE contribution_id IS NOT NULL;

CREATE TABLE kudos_receivers (
    kudos_id INTEGER NOT NULL REFERENCES kudos(id) ON DELETE CASCADE,
    user_id  INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    PRIMARY KEY (kudos_id, user_id)
) STRICT, WITHOUT ROWID;

CREATE INDEX kudos_receivers_by_user ON kudos_receivers(user_id);

-- A badge. Rule badges name a metric, levels (ascending, comma-separated), a window (NULL =
-- all time) and a minimum of distinct verifiers; `rule_version` goes up whenever the rule
-- changes, and every award remembers the version and threshold it was made under.
CREATE TABLE badges (
    id            INTEGER PRIMARY KEY,
    community_id  INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    name          TEXT    NOT NULL,
    description   TEXT    NOT NULL DEFAULT '',
    icon          TEXT    NOT NULL,
    criteria      TEXT    NOT NULL,
    kind          TEXT    NOT NULL CHECK (kind IN ('rule', 'manual')),
    metric        TEXT,
    goal_id       INTEGER REFERENCES goals(id),
    levels        TEXT    NOT NULL DEFAULT '',
    window_days   INTEGER CHECK (window_days > 0),
    min_verifiers INTEGER NOT NULL DEFAULT 0 CHECK (min_verifiers >= 0),
    rule_version  INTEGER NOT NULL DEFAULT 1,
    created_by    INTEGER REFERENCES users(id),
    created_at    TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    CHECK ((kind = 'rule') = (metric IS NOT NULL)),
    UNIQUE (community_id, name)
) STRICT;

-- An award of one level of a badge (level 1 for manual badges). Revoked awards stay, with
-- who revoked them and why.
CREATE TABLE badge_awards (
    id            INTEGER PRIMARY KEY,
    badge_id      INTEGER NOT NULL REFERENCES badges(id) ON DELETE CASCADE,
    user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    level         INTEGER NOT NULL CHECK (level >= 1),
    threshold     REAL,
    rule_version  INTEGER NOT NULL,
    awarded_by    INTEGER REFERENCES users(id),
    reason        TEXT    NOT NULL DEFAULT '',
    -- the verified contributions that took the member over the level, comma-separated
    evidence      TEXT    NOT NULL DEFAULT '',
    awarded_at    TEXT    NOT NULL,
    revoked_at    TEXT,
    revoked_by    INTEGER REFERENCES users(id),
    revoke_reason TEXT    NOT NULL DEFAULT '',
    share_token   TEXT    UNIQUE,
    UNIQUE (badge_id, user_id, level)
) STRICT;

CREATE INDEX badge_awards_by_user ON badge_awards(user_id);

-- Existing communities get the badges new ones start with (services::badges::add_defaults).
INSERT INTO badges (community_id, name, description, icon, criteria, kind, metric, levels)
SELECT id, 'First contribution', 'Your first verified contribution.', 'leaf',
       'Reach your first verified contribution.', 'rule', 'verified_contributions', '1'
  FROM communities;
INSERT INTO badges (community_id, name, description, icon, criteria, kind, metric, levels)
SELECT id, 'Hours given', 'Time given to the mission, verified.', 'clock',
       'Reach 10 / 50 / 100 verified hours.', 'rule', 'verified_hours', '10, 50, 100'
  FROM communities;
INSERT INTO badges (community_id, name, description, icon, criteria, kind, metric, levels)
SELECT id, 'Initiative lead', 'Led an approved initiative.', 'flag',
       'Reach your first approved initiative led.', 'rule', 'initiatives_led', '1'
  FROM communities;
INSERT INTO badges (community_id, name, description, icon, criteria, kind, metric, levels)
SELECT id, 'Four weeks in a row', 'A verified contribution every week for four weeks.', 'flame',
       'Reach 4 weeks in a row with a verified contribution.', 'rule', 'weeks_in_a_row', '4'
  FROM communities;
