-- A running tally of each member's verified work per community, goal and day: what badge
-- awarding bounds at every verification (`db::badges::work_bounds`). Summing the member's
-- verified contributions instead costs a read of every one of them, so each verification
-- grew slower with the member's history; the tally has one row per goal and day.
--
-- Triggers keep it, inside the transaction that changes a contribution, so it cannot
-- drift from the ledger whatever writes the contribution (a verification, an event's
-- attendance, a seed). `goal_key` is the goal's id, or 0 for work towards no goal (a
-- primary key cannot hold NULL). Hours and quantity count only above zero, as the badge
-- rules do. `server migrate-data` copies the tally with these triggers off.
CREATE TABLE member_work_days (
    user_id       BIGINT           NOT NULL REFERENCES users(id),
    community_id  BIGINT           NOT NULL REFERENCES communities(id),
    goal_key      BIGINT           NOT NULL,
    done_on       TEXT             NOT NULL,
    contributions BIGINT           NOT NULL,
    hours         DOUBLE PRECISION NOT NULL,
    quantity      DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (user_id, community_id, goal_key, done_on)
);

INSERT INTO member_work_days (user_id, community_id, goal_key, done_on, contributions, hours, quantity)
SELECT author_id, community_id, COALESCE(goal_id, 0), done_on, COUNT(*),
       SUM(CASE WHEN hours > 0 THEN hours ELSE 0.0 END),
       SUM(CASE WHEN quantity > 0 THEN quantity ELSE 0.0 END)
  FROM contributions
 WHERE status = 'verified'
 GROUP BY author_id, community_id, COALESCE(goal_id, 0), done_on;

CREATE FUNCTION kindred_tally_work() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        IF OLD.status = 'verified' THEN
            UPDATE member_work_days
               SET contributions = contributions - 1,
                   hours = hours - CASE WHEN OLD.hours > 0 THEN OLD.hours ELSE 0.0 END,
                   quantity = quantity - CASE WHEN OLD.quantity > 0 THEN OLD.quantity ELSE 0.0 END
             WHERE user_id = OLD.author_id AND community_id = OLD.community_id
               AND goal_key = COALESCE(OLD.goal_id, 0) AND done_on = OLD.done_on;
            DELETE FROM member_work_days
             WHERE user_id = OLD.author_id AND community_id = OLD.community_id
               AND goal_key = COALESCE(OLD.goal_id, 0) AND done_on = OLD.done_on
               AND contributions <= 0;
        END IF;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        IF NEW.status = 'verified' THEN
            INSERT INTO member_work_days
                   (user_id, community_id, goal_key, done_on, contributions, hours, quantity)
            VALUES (NEW.author_id, NEW.community_id, COALESCE(NEW.goal_id, 0), NEW.done_on, 1,
                    CASE WHEN NEW.hours > 0 THEN NEW.hours ELSE 0.0 END,
                    CASE WHEN NEW.quantity > 0 THEN NEW.quantity ELSE 0.0 END)
            ON CONFLICT (user_id, community_id, goal_key, done_on) DO UPDATE
               SET contributions = member_work_days.contributions + 1,
                   hours = member_work_days.hours + EXCLUDED.hours,
                   quantity = member_work_days.quantity + EXCLUDED.quantity;
        END IF;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER work_tally_added AFTER INSERT ON contributions
    FOR EACH ROW WHEN (NEW.status = 'verified') EXECUTE FUNCTION kindred_tally_work();
CREATE TRIGGER work_tally_changed AFTER UPDATE ON contributions
    FOR EACH ROW WHEN (OLD.status = 'verified' OR NEW.status = 'verified')
    EXECUTE FUNCTION kindred_tally_work();
CREATE TRIGGER work_tally_removed AFTER DELETE ON contributions
    FOR EACH ROW WHEN (OLD.status = 'verified') EXECUTE FUNCTION kindred_tally_work();
