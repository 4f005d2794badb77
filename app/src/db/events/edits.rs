//! Changing a series or one of its dates: overrides kept on an occurrence, a series
//! changed or split in two, dates moved between series.

use crate::db::statement::{Arg, all_rows, args, one_value, optional_value, run};
use chrono::{DateTime, Utc};

use crate::db::{Db, Sql, timestamp};
use crate::domain::event_edit::EventEdit;

/// The description as typed for occurrence `id` (its own, or its series').
pub async fn description_source(db: impl Db<'_>, id: i64) -> Sql<Option<String>> {
    let sql = "SELECT COALESCE(o.description_source_override, s.description_source)
           FROM event_occurrences o JOIN event_series s ON s.id = o.series_id WHERE o.id = $1";
    optional_value(db, sql, args![id]).await
}

/// Dates of `series` starting at or after `from`, in order: (id, local date).
pub async fn dates_from(
    db: impl Db<'_>,
    series: i64,
    from: DateTime<Utc>,
) -> Sql<Vec<(i64, String)>> {
    let sql = "SELECT id, local_date FROM event_occurrences
          WHERE series_id = $1 AND starts_at >= $2 AND cancelled_at IS NULL ORDER BY starts_at";
    all_rows(db, sql, args![series, timestamp(from)]).await
}

/// Whether `series` has a date before `before` (so "this and following" must split it).
pub async fn has_earlier(db: impl Db<'_>, series: i64, before: DateTime<Utc>) -> Sql<bool> {
    let sql =
        "SELECT EXISTS (SELECT 1 FROM event_occurrences WHERE series_id = $1 AND starts_at < $2)";
    one_value(db, sql, args![series, timestamp(before)]).await
}

/// What an edit says of an event, in the order both its writes bind it first: title,
/// Markdown, HTML, place, online link.
fn what_changed<'a>(edit: &'a EventEdit, description_html: &'a str) -> [Arg<'a>; 5] {
    [
        Arg::from(&edit.title),
        Arg::from(&edit.description),
        Arg::from(description_html),
        Arg::from(&edit.place),
        Arg::from(&edit.online_url),
    ]
}

/// Keeps `edit` on occurrence `id` alone, at its new instants; the start the series gave
/// it is remembered the first time it changes.
pub async fn override_occurrence(
    db: impl Db<'_>,
    id: i64,
    edit: &EventEdit,
    description_html: &str,
    (starts_at, ends_at): (DateTime<Utc>, DateTime<Utc>),
) -> Sql<()> {
    let sql = "UPDATE event_occurrences
            SET title_override = $1, description_source_override = $2,
                description_html_override = $3, place_override = $4, online_url_override = $5,
                capacity_override = $6, original_starts_at = COALESCE(original_starts_at, starts_at),
                starts_at = $7, ends_at = $8
          WHERE id = $9";
    let when = args![edit.capacity, timestamp(starts_at), timestamp(ends_at), id];
    run(db, sql, &[&what_changed(edit, description_html)[..], when].concat()).await?;
    Ok(())
}

/// Writes `edit` to the series and counts the change in its `sequence`.
pub async fn update_series(
    db: impl Db<'_>,
    series: i64,
    edit: &EventEdit,
    description_html: &str,
) -> Sql<()> {
    let sql = "UPDATE event_series
            SET title = $1, description_source = $2, description_html = $3, place = $4,
                online_url = $5, start_time = $6, length_minutes = $7, capacity = $8,
                sequence = sequence + 1
          WHERE id = $9";
    let start_time = edit.start.format("%H:%M").to_string();
    let when = args![start_time, edit.length.num_minutes(), edit.capacity, series];
    run(db, sql, &[&what_changed(edit, description_html)[..], when].concat()).await?;
    Ok(())
}

/// A copy of `series` starting on `first_date` (the new half of a split). Returns its id.
pub async fn copy_series(db: impl Db<'_>, series: i64, first_date: &str) -> Sql<i64> {
    let sql = "INSERT INTO event_series (community_id, title, description_source, description_html, place,
                                   online_url, time_zone, start_time, length_minutes, recurrence,
                                   first_date, until_date, capacity, guests_max, rsvp_cutoff_minutes,
                                   initiative_id, goal_id, credited_hours, visibility, reminders,
                                   created_by)
         SELECT community_id, title, description_source, description_html, place, online_url,
                time_zone, start_time, length_minutes, recurrence, $1, until_date, capacity,
                guests_max, rsvp_cutoff_minutes, initiative_id, goal_id, credited_hours, visibility,
                reminders, created_by
           FROM event_series WHERE id = $2
         RETURNING id";
    one_value(db, sql, args![first_date, series]).await
}

/// Ends `series` on `until_date` (the old half of a split), counting the change.
pub async fn end_series(db: impl Db<'_>, series: i64, until_date: &str) -> Sql<()> {
    let sql = "UPDATE event_series SET until_date = $1, sequence = sequence + 1 WHERE id = $2";
    run(db, sql, args![until_date, series]).await?;
    Ok(())
}

/// Puts occurrence `id` in `series` at new instants, as the series says (no overrides).
/// Its answers, check-ins and reminders stay with it.
pub async fn reschedule(
    db: impl Db<'_>,
    id: i64,
    series: i64,
    (starts_at, ends_at): (DateTime<Utc>, DateTime<Utc>),
) -> Sql<()> {
    let sql = "UPDATE event_occurrences
            SET series_id = $1, starts_at = $2, ends_at = $3, title_override = NULL,
                description_source_override = NULL, description_html_override = NULL,
                place_override = NULL, online_url_override = NULL, capacity_override = NULL,
                original_starts_at = NULL
          WHERE id = $4";
    run(db, sql, args![series, timestamp(starts_at), timestamp(ends_at), id]).await?;
    Ok(())
}

/// Counts a change to `series` in its `sequence` (calendar apps replace what they had).
pub async fn bump_sequence(db: impl Db<'_>, series: i64) -> Sql<()> {
    let sql = "UPDATE event_series SET sequence = sequence + 1 WHERE id = $1";
    run(db, sql, args![series]).await?;
    Ok(())
}
