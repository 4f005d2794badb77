-- Editing events. "This occurrence" keeps its changes on the occurrence (each column NULL
-- means "as the series says"); original_starts_at remembers the start a moved or changed
-- date had in the series, which calendars name it by (RECURRENCE-ID). "This and following"
-- ends the series the day before and starts a new one; "all" changes the series.

ALTER TABLE event_occurrences ADD COLUMN title_override TEXT;
ALTER TABLE event_occurrences ADD COLUMN description_source_override TEXT;
ALTER TABLE event_occurrences ADD COLUMN description_html_override TEXT;
ALTER TABLE event_occurrences ADD COLUMN place_override TEXT;
ALTER TABLE event_occurrences ADD COLUMN online_url_override TEXT;
ALTER TABLE event_occurrences ADD COLUMN capacity_override INTEGER CHECK (capacity_override BETWEEN 1 AND 100000);
ALTER TABLE event_occurrences ADD COLUMN original_starts_at TEXT;
