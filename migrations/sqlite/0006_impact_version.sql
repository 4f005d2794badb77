-- Bumped in the same transaction as every write that changes a community's impact
-- report (ledger entries, goals, initiative decisions), so a cached report is reused
-- only while it is still exactly right.
ALTER TABLE communities ADD COLUMN impact_version INTEGER NOT NULL DEFAULT 0;

CREATE TRIGGER impact_version_ledger AFTER INSERT ON ledger_entries
BEGIN UPDATE communities SET impact_version = impact_version + 1 WHERE id = new.community_id; END;

CREATE TRIGGER impact_version_goal_added AFTER INSERT ON goals
BEGIN UPDATE communities SET impact_version = impact_version + 1 WHERE id = new.community_id; END;

CREATE TRIGGER impact_version_goal_changed AFTER UPDATE ON goals
BEGIN UPDATE communities SET impact_version = impact_version + 1 WHERE id = new.community_id; END;

CREATE TRIGGER impact_version_initiative_changed AFTER UPDATE ON initiatives
BEGIN UPDATE communities SET impact_version = impact_version + 1 WHERE id = new.community_id; END;

CREATE TRIGGER impact_version_initiative_added AFTER INSERT ON initiatives
BEGIN UPDATE communities SET impact_version = impact_version + 1 WHERE id = new.community_id; END;
