-- Badge evaluation asks, for each of a member's verified contributions, whether it came
-- from an event's attendance. Without this index every such question scanned the whole
-- attendance table: harmless on a new community, a full scan per contribution per
-- verification once it has held a few hundred events.
CREATE INDEX event_attendance_by_contribution ON event_attendance(contribution_id)
    WHERE contribution_id IS NOT NULL;
