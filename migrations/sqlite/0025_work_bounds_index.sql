-- Badge awarding bounds a member's verified work with one aggregate per verification
-- (`db::badges::work_bounds`: grouped by goal and day, summing hours and quantity). With
-- those columns in the member index the aggregate reads the index alone, in group order,
-- instead of looking up every contribution's row.
DROP INDEX contributions_by_member;
CREATE INDEX contributions_by_member
    ON contributions(author_id, community_id, status, goal_id, done_on, hours, quantity);
