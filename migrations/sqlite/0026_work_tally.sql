-- A running tally of each member's verified work per community, goal and day: what badge
-- awarding bounds at every verification (`db::badges::work_bounds`). Summing the member's
-- verified contributions instead costs a read of every one of them, so each verification
-- grew slower with the member's history; the tally has one row per goal and day.
--
-- Triggers keep it, inside the transaction that changes a contribution, so it cannot
-- drift from the ledger whatever writes the contribution (a verification, an event's
-- attendance, a seed). `goal_key` is the goal's id, or 0 for work towards no goal (a
-- primary key cannot hold NULL in PostgreSQL). Hours and quantity count only above zero,
-- as the badge rules do.
CREATE TABLE member_work_days (
    user_id       INTEGER NOT NULL REFERENCES users(id),
    community_id  INTEGER NOT NULL REFERENCES communities(id),
    goal_key      INTEGER NOT NULL,
    done_on       TEXT    NOT NULL,
    contributions INTEGER NOT NULL,
    hours         REAL    NOT NULL,
    quantity      REAL    NOT NULL,
    PRIMARY KEY (user_id, community_id, goal_key, done_on)
) STRICT;

INSERT INTO member_work_days (user_id, community_id, goal_key, done_on, contributions, hours, quantity)
SELECT author_id, community_id, COALESCE(goal_id, 0), done_on, COUNT(*),
       SUM(CASE WHEN hours > 0 THEN hours ELSE 0.0 END),
       SUM(CASE WHEN quantity > 0 THEN quantity ELSE 0.0 END)
  FROM contributions
 WHERE status = 'verified'
 GROUP BY author_id, community_id, COALESCE(goal_id, 0), done_on;

CREATE TRIGGER work_tally_added AFTER INSERT ON contributions WHEN new.status = 'verified'
BEGIN
    INSERT INTO member_work_days (user_id, community_id, goal_key, done_on, contributions, hours, quantity)
    VALUES (new.author_id, new.community_id, COALESCE(new.goal_id, 0), new.done_on, 1,
            CASE WHEN new.hours > 0 THEN new.hours ELSE 0.0 END,
            CASE WHEN new.quantity > 0 THEN new.quantity ELSE 0.0 END)
    ON CONFLICT (user_id, community_id, goal_key, done_on) DO UPDATE
       SET contributions = contributions + 1,
           hours = hours + excluded.hours,
           quantity = quantity + excluded.quantity;
END;

CREATE TRIGGER work_tally_changed AFTER UPDATE ON contributions
WHEN old.status = 'verified' OR new.status = 'verified'
BEGIN
    UPDATE member_work_days
       SET contributions = contributions - 1,
           hours = hours - CASE WHEN old.hours > 0 THEN old.hours ELSE 0.0 END,
           quantity = quantity - CASE WHEN old.quantity > 0 THEN old.quantity ELSE 0.0 END
     WHERE old.status = 'verified' AND user_id = old.author_id
       AND community_id = old.community_id AND goal_key = COALESCE(old.goal_id, 0)
       AND done_on = old.done_on;
    DELETE FROM member_work_days
     WHERE old.status = 'verified' AND user_id = old.author_id
       AND community_id = old.community_id AND goal_key = COALESCE(old.goal_id, 0)
       AND done_on = old.done_on AND contributions <= 0;
    INSERT INTO member_work_days (user_id, community_id, goal_key, done_on, contributions, hours, quantity)
    SELECT new.author_id, new.community_id, COALESCE(new.goal_id, 0), new.done_on, 1,
           CASE WHEN new.hours > 0 THEN new.hours ELSE 0.0 END,
           CASE WHEN new.quantity > 0 THEN new.quantity ELSE 0.0 END
     WHERE new.status = 'verified'
    ON CONFLICT (user_id, community_id, goal_key, done_on) DO UPDATE
       SET contributions = contributions + 1,
           hours = hours + excluded.hours,
           quantity = quantity + excluded.quantity;
END;

CREATE TRIGGER work_tally_removed AFTER DELETE ON contributions WHEN old.status = 'verified'
BEGIN
    UPDATE member_work_days
       SET contributions = contributions - 1,
           hours = hours - CASE WHEN old.hours > 0 THEN old.hours ELSE 0.0 END,
           quantity = quantity - CASE WHEN old.quantity > 0 THEN old.quantity ELSE 0.0 END
     WHERE user_id = old.author_id AND community_id = old.community_id
       AND goal_key = COALESCE(old.goal_id, 0) AND done_on = old.done_on;
    DELETE FROM member_work_days
     WHERE user_id = old.author_id AND community_id = old.community_id
       AND goal_key = COALESCE(old.goal_id, 0) AND done_on = old.done_on AND contributions <= 0;
END;
