//! Event series, their occurrences, check-ins and reminders; RSVPs, seats and the
//! waitlist are in [`rsvps`], calendar files' queries and private feeds in [`calendar`],
//! edits in [`edits`].

use crate::db::statement::{
    all_rows, all_values, args, one_value, optional_row, optional_value, run,
};
use crate::db::{Stamp, on_engine};
mod attendance;
mod calendar;
pub mod edits;
mod rsvps;
pub use attendance::*;
pub use calendar::*;
pub use rsvps::*;

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::FromRow;

use crate::db::{Db, Sql, timestamp};
use crate::domain::events::{Attendee, OccurrenceSummary, RosterEntry, ValidEvent};
use crate::domain::ids::{CommunityId, UserId};

/// Stores a series (its occurrences are added with [`insert_occurrence`]). Returns its id.
pub async fn insert_series(
    db: impl Db<'_>,
    community: CommunityId,
    event: &ValidEvent,
    description_html: &str,
    created_by: UserId,
) -> Sql<i64> {
    on_engine!(db, |db| {
        let sql = "INSERT INTO event_series (community_id, title, description_source, description_html, place, online_url,
                                   time_zone, start_time, length_minutes, recurrence, first_date, until_date,
                                   capacity, guests_max, rsvp_cutoff_minutes, initiative_id, goal_id,
                                   credited_hours, visibility, reminders, created_by, hours_from)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22)";
        run(
            &mut *db,
            sql,
            args![
                community,
                &event.title,
                &event.description,
                description_html,
                &event.place,
                &event.online_url,
                &event.time_zone,
                event.start.time().format("%H:%M").to_string(),
                event.length.num_minutes(),
                event.recurrence.as_str(),
                event.start.date().to_string(),
                event.until.map(|d| d.to_string()),
                event.capacity,
                event.guests_max,
                event.rsvp_cutoff_minutes,
                event.initiative_id,
                event.goal_id,
                event.credited_hours,
                event.visibility.as_str(),
                event.reminders,
                created_by,
                event.hours_from.as_str()
            ],
        )
        .await?;
        let sql = "SELECT MAX(id) FROM event_series WHERE community_id = $1";
        one_value(&mut *db, sql, args![community]).await
    })
}

/// Stores one occurrence of a series: its wall-clock date and its instants.
pub async fn insert_occurrence(
    db: impl Db<'_>,
    series: i64,
    community: CommunityId,
    local_date: NaiveDate,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    checkin_code: &str,
) -> Sql<()> {
    let sql = "INSERT INTO event_occurrences (series_id, community_id, local_date, starts_at, ends_at, checkin_code)
         VALUES ($1, $2, $3, $4, $5, $6)";
    run(
        db,
        sql,
        args![
            series,
            community,
            local_date.to_string(),
            timestamp(starts_at),
            timestamp(ends_at),
            checkin_code
        ],
    )
    .await?;
    Ok(())
}

/// The columns of an [`OccurrenceSummary`] for viewer `$1` (NULL when signed out).
const SUMMARY_SELECT: &str = "SELECT o.id, COALESCE(o.title_override, s.title) AS title,
        COALESCE(o.place_override, s.place) AS place,
        COALESCE(o.online_url_override, s.online_url) <> '' AS online,
        o.starts_at, o.ends_at, s.time_zone, COALESCE(o.capacity_override, s.capacity) AS capacity,
        (SELECT CAST(COALESCE(SUM(1 + r.guests), 0) AS BIGINT) FROM event_rsvps r
          WHERE r.occurrence_id = o.id AND r.status IN ('going', 'offered')) AS seats_taken,
        o.cancelled_at IS NOT NULL AS cancelled, i.title AS initiative,
        c.slug AS community_slug, c.name AS community_name,
        (SELECT r.status FROM event_rsvps r WHERE r.occurrence_id = o.id AND r.user_id = $1) AS my_status
   FROM event_occurrences o
   JOIN event_series s ON s.id = o.series_id
   JOIN communities c ON c.id = o.community_id
   LEFT JOIN initiatives i ON i.id = s.initiative_id";

/// Which occurrences a list wants.
#[derive(Debug, Clone, Copy)]
pub struct Listing {
    /// The viewer (for their own answers), if signed in.
    pub viewer: Option<UserId>,
    /// Whether members-only events are included (the viewer is a member).
    pub members: bool,
    /// Only this initiative's events.
    pub initiative: Option<i64>,
    /// Occurrences ending after this instant, soonest first; or, when `upcoming` is false,
    /// those ending before it, latest first.
    pub now: DateTime<Utc>,
    /// See `now`.
    pub upcoming: bool,
    /// How many.
    pub limit: i64,
}

/// A community's occurrences as `listing` asks.
pub async fn occurrences(
    db: impl Db<'_>,
    community: CommunityId,
    listing: Listing,
) -> Sql<Vec<OccurrenceSummary>> {
    on_engine!(db, |db| {
        let (when, order) = if listing.upcoming {
            ("o.ends_at > $4", "o.starts_at, o.id")
        } else {
            ("o.ends_at <= $4", "o.starts_at DESC, o.id DESC")
        };
        let sql = format!(
            "{SUMMARY_SELECT}
          WHERE o.community_id = $2 AND ($3 OR s.visibility = 'public')
            AND ($5 IS NULL OR s.initiative_id = $5) AND {when}
          ORDER BY {order} LIMIT $6"
        );
        all_rows(
            db,
            &sql,
            args![
                listing.viewer,
                community,
                listing.members,
                timestamp(listing.now),
                listing.initiative,
                listing.limit
            ],
        )
        .await
    })
}

/// The occurrences `user` holds or waits for a seat at, from now on, across the
/// communities they belong to.
pub async fn mine(
    db: impl Db<'_>,
    user: UserId,
    now: DateTime<Utc>,
) -> Sql<Vec<OccurrenceSummary>> {
    let sql = format!(
        "{SUMMARY_SELECT}
          JOIN event_rsvps mine ON mine.occurrence_id = o.id AND mine.user_id = $1
         WHERE mine.status IN ('going', 'offered', 'waitlisted') AND o.ends_at > $2
           AND EXISTS(SELECT 1 FROM memberships m
                       WHERE m.community_id = o.community_id AND m.user_id = $1 AND m.status = 'active')
         ORDER BY o.starts_at, o.id LIMIT 100"
    );
    all_rows(db, &sql, args![user, timestamp(now)]).await
}

/// One occurrence with the settings of its series, as the page and the RSVP rules need.
#[derive(Debug, Clone, FromRow)]
pub struct OccurrenceRecord {
    /// The occurrence.
    #[sqlx(flatten)]
    pub summary: OccurrenceSummary,
    /// Its series.
    pub series_id: i64,
    /// The series' Markdown rendered and sanitised.
    pub description_html: String,
    /// The online link.
    pub online_url: String,
    /// How the series repeats.
    pub recurrence: String,
    /// Guests per member.
    pub guests_max: i64,
    /// RSVPs close this many minutes before the start.
    pub rsvp_cutoff_minutes: i64,
    /// Who may see it: `members` or `public`.
    pub visibility: String,
    /// The initiative it serves (its owner hosts it too).
    pub initiative_id: Option<i64>,
    /// The goal attendance counts towards.
    pub goal_id: Option<i64>,
    /// Hours credited per attendee; `None` for the scheduled length.
    pub credited_hours: Option<f64>,
    /// The occurrence's date in its zone, `YYYY-MM-DD`.
    pub local_date: String,
    /// The code members check in with.
    pub checkin_code: String,
    /// `schedule` or `presence` (see [`crate::domain::events::HoursFrom`]).
    pub hours_from: String,
}

/// Occurrence `id` of `community`, as `viewer` would see it, if it exists there.
pub async fn occurrence(
    db: impl Db<'_>,
    community: CommunityId,
    id: i64,
    viewer: Option<UserId>,
) -> Sql<Option<OccurrenceRecord>> {
    on_engine!(db, |db| {
        let select = SUMMARY_SELECT.replacen(
        "SELECT o.id,",
        "SELECT o.series_id, COALESCE(o.description_html_override, s.description_html) AS description_html,
                COALESCE(o.online_url_override, s.online_url) AS online_url, s.recurrence, s.guests_max,
                s.rsvp_cutoff_minutes, s.visibility, s.initiative_id, s.goal_id, s.credited_hours,
                o.local_date, o.checkin_code, s.hours_from, o.id,",
        1,
    );
        let sql = format!("{select} WHERE o.id = $2 AND o.community_id = $3");
        optional_row(db, &sql, args![viewer, id, community]).await
    })
}

/// Everyone's answer to an occurrence that concerns a seat: going, then offered, then
/// the waitlist in order.
pub async fn attendees(db: impl Db<'_>, occurrence: i64) -> Sql<Vec<Attendee>> {
    let sql = "SELECT u.handle, u.display_name, r.guests, r.status
           FROM event_rsvps r JOIN users u ON u.id = r.user_id
          WHERE r.occurrence_id = $1 AND r.status IN ('going', 'offered', 'waitlisted')
          ORDER BY CASE r.status WHEN 'going' THEN 0 WHEN 'offered' THEN 1 ELSE 2 END,
                   r.queue_position, u.handle
          LIMIT 2000";
    all_rows(db, sql, args![occurrence]).await
}

/// Marks an occurrence cancelled (it stays, with its RSVPs) and counts the change in its
/// series' `sequence` (calendar apps replace what they had). False if it already was.
pub async fn cancel_occurrence(db: impl Db<'_>, occurrence: i64) -> Sql<bool> {
    on_engine!(db, |db| {
        let sql =
            "UPDATE event_occurrences SET cancelled_at = $1 WHERE id = $2 AND cancelled_at IS NULL";
        let result = run(&mut *db, sql, args![timestamp(Utc::now()), occurrence]).await?;
        if result == 0 {
            return Ok(false);
        }
        let sql = "UPDATE event_series SET sequence = sequence + 1
          WHERE id = (SELECT series_id FROM event_occurrences WHERE id = $1)";
        run(&mut *db, sql, args![occurrence]).await?;
        Ok(true)
    })
}

/// The series' next occurrences after `after`: (id, starts at, the viewer's answer to it
/// as stored, if they gave one).
pub async fn next_in_series(
    db: impl Db<'_>,
    series: i64,
    after: DateTime<Utc>,
    viewer: Option<UserId>,
) -> Sql<Vec<(i64, DateTime<Utc>, Option<String>)>> {
    let sql = "SELECT o.id, o.starts_at, r.status
               FROM event_occurrences o
               LEFT JOIN event_rsvps r ON r.occurrence_id = o.id AND r.user_id = $3
              WHERE o.series_id = $1 AND o.starts_at > $2 AND o.cancelled_at IS NULL
              ORDER BY o.starts_at LIMIT 6";
    let rows: Vec<(i64, Stamp, Option<String>)> =
        all_rows(db, sql, args![series, timestamp(after), viewer.map_or(0, |v| v.0)]).await?;
    Ok(rows.into_iter().map(|(id, at, status)| (id, at.0, status)).collect())
}

/// Every occurrence of a series starting after `after`, cancelled or not, in order.
pub async fn later_in_series(db: impl Db<'_>, series: i64, after: DateTime<Utc>) -> Sql<Vec<i64>> {
    let sql = "SELECT id FROM event_occurrences WHERE series_id = $1 AND starts_at > $2 ORDER BY starts_at";
    all_values(db, sql, args![series, timestamp(after)]).await
}

/// The first occurrence of a series (its page is where a new event leads).
pub async fn first_occurrence(db: impl Db<'_>, series: i64) -> Sql<i64> {
    let sql = "SELECT id FROM event_occurrences WHERE series_id = $1 ORDER BY starts_at LIMIT 1";
    one_value(db, sql, args![series]).await
}

/// The slug of the community an occurrence belongs to.
pub async fn community_of(db: impl Db<'_>, occurrence: i64) -> Sql<Option<String>> {
    let sql = "SELECT c.slug FROM event_occurrences o JOIN communities c ON c.id = o.community_id WHERE o.id = $1";
    optional_value(db, sql, args![occurrence]).await
}

/// Whether `user` is checked in at `occurrence`.
pub async fn is_checked_in(db: impl Db<'_>, occurrence: i64, user: UserId) -> Sql<bool> {
    let sql =
        "SELECT EXISTS(SELECT 1 FROM event_attendance WHERE occurrence_id = $1 AND user_id = $2)";
    one_value(db, sql, args![occurrence, user]).await
}

/// Records that `user` attended, checked in by `method` (`code` or `host`) by `by`, with
/// the contribution that credits it (none yet while a presence-timed attendance is open).
/// False if they already were.
pub async fn insert_attendance(
    db: impl Db<'_>,
    occurrence: i64,
    user: UserId,
    method: &str,
    by: UserId,
    contribution: Option<i64>,
) -> Sql<bool> {
    let sql = "INSERT INTO event_attendance (occurrence_id, user_id, method, checked_in_by, contribution_id)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (occurrence_id, user_id) DO NOTHING";
    let result = run(db, sql, args![occurrence, user, method, by, contribution]).await?;
    Ok(result == 1)
}

/// The hosts' roster: everyone who answered (but not "not going") and everyone checked in,
/// with whether they are; going first, then by name.
pub async fn roster(db: impl Db<'_>, occurrence: i64) -> Sql<Vec<RosterEntry>> {
    let sql = "SELECT u.handle, u.display_name, r.status,
                EXISTS(SELECT 1 FROM event_attendance a WHERE a.occurrence_id = $1 AND a.user_id = u.id) AS checked_in
           FROM users u LEFT JOIN event_rsvps r ON r.occurrence_id = $1 AND r.user_id = u.id
          WHERE (r.status IS NOT NULL AND r.status <> 'not_going')
             OR EXISTS(SELECT 1 FROM event_attendance a WHERE a.occurrence_id = $1 AND a.user_id = u.id)
          ORDER BY CASE r.status WHEN 'going' THEN 0 WHEN 'offered' THEN 1 ELSE 2 END, u.display_name
          LIMIT 2000";
    all_rows(db, sql, args![occurrence]).await
}

/// A reminder that is due: who, for which occurrence, which kind (`24h` or `1h`).
#[derive(Debug, Clone, FromRow)]
pub struct DueReminder {
    /// The occurrence.
    pub occurrence_id: i64,
    /// Who to remind.
    pub user_id: UserId,
    /// `24h` or `1h`.
    pub kind: String,
    /// The event's title.
    pub title: String,
    /// Its start.
    #[sqlx(try_from = "crate::db::Stamp")]
    pub starts_at: DateTime<Utc>,
    /// Its zone, for the time in words.
    pub time_zone: String,
    /// Its community's slug, for the link.
    pub community_slug: String,
    /// Its community (muting applies).
    pub community_id: CommunityId,
}

/// Reminders due at `now` and not yet sent: the 24-hour one to people going or interested
/// when the start is between 1 and 24 hours away, the 1-hour one to people going when it
/// is less than an hour away; for events with reminders on, not cancelled.
pub async fn due_reminders(db: impl Db<'_>, now: DateTime<Utc>) -> Sql<Vec<DueReminder>> {
    let sql = "SELECT o.id AS occurrence_id, r.user_id, k.kind, COALESCE(o.title_override, s.title) AS title,
                o.starts_at, s.time_zone,
                c.slug AS community_slug, c.id AS community_id
           FROM event_occurrences o
           JOIN event_series s ON s.id = o.series_id
           JOIN communities c ON c.id = o.community_id
           JOIN event_rsvps r ON r.occurrence_id = o.id
           JOIN (SELECT '24h' AS kind UNION ALL SELECT '1h') k
                ON (k.kind = '24h' AND o.starts_at > $3 AND o.starts_at <= $2
                                   AND r.status IN ('going', 'interested'))
                OR (k.kind = '1h' AND o.starts_at <= $3 AND r.status = 'going')
          WHERE o.cancelled_at IS NULL AND s.reminders = TRUE AND o.starts_at > $1
            AND NOT EXISTS(SELECT 1 FROM event_reminders e
                            WHERE e.occurrence_id = o.id AND e.user_id = r.user_id AND e.kind = k.kind)
          ORDER BY o.starts_at LIMIT 500";
    all_rows(
        db,
        sql,
        args![
            timestamp(now),
            timestamp(now + chrono::Duration::hours(24)),
            timestamp(now + chrono::Duration::hours(1))
        ],
    )
    .await
}

/// Marks a reminder sent. False if it already was (it is then not sent again).
pub async fn mark_reminded(
    db: impl Db<'_>,
    occurrence: i64,
    user: UserId,
    kind: &str,
) -> Sql<bool> {
    let sql = "INSERT INTO event_reminders (occurrence_id, user_id, kind) VALUES ($1, $2, $3)
         ON CONFLICT (occurrence_id, user_id, kind) DO NOTHING";
    let result = run(db, sql, args![occurrence, user, kind]).await?;
    Ok(result == 1)
}
