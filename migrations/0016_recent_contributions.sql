-- Boards read a community's verified contributions of the last 30 days: this index lets
-- them read just those rows instead of every verified contribution of each initiative or goal.
CREATE INDEX contributions_recent ON contributions(community_id, status, done_on);
