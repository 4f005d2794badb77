//! What calendar files (`.ics`) read: a series' or a community's occurrences, a member's
//! private feed and its token.

use crate::db::statement::{all_rows, args, one_value, optional_row, optional_value, run};
use chrono::{DateTime, Utc};
use sqlx::FromRow;

use crate::db::{Db, Sql};
use crate::domain::ids::{CommunityId, UserId};

/// One occurrence with what a calendar file says about its series.
#[derive(Debug, Clone, FromRow)]
pub struct CalendarRow {
    /// The series (one calendar UID).
    pub series_id: i64,
    /// Bumped on every change to the series.
    pub sequence: i64,
    /// Title.
    pub title: String,
    /// Markdown description.
    pub description_source: String,
    /// Place.
    pub place: String,
    /// The occurrence.
    pub id: i64,
    /// Its start.
    #[sqlx(try_from = "crate::db::Stamp")]
    pub starts_at: DateTime<Utc>,
    /// Its end.
    #[sqlx(try_from = "crate::db::Stamp")]
    pub ends_at: DateTime<Utc>,
    /// The start the series gave it, when this date alone was changed (its calendar
    /// override's RECURRENCE-ID).
    #[sqlx(try_from = "crate::db::MaybeStamp")]
    pub original_starts_at: Option<DateTime<Utc>>,
    /// Whether it was cancelled.
    pub cancelled: bool,
    /// Its community's slug, for links.
    pub community_slug: String,
}

/// The columns of a [`CalendarRow`].
const CALENDAR_SELECT: &str =
    "SELECT s.id AS series_id, s.sequence, COALESCE(o.title_override, s.title) AS title,
        COALESCE(o.description_source_override, s.description_source) AS description_source,
        COALESCE(o.place_override, s.place) AS place, o.id, o.starts_at, o.ends_at,
        o.original_starts_at, o.cancelled_at IS NOT NULL AS cancelled, c.slug AS community_slug
   FROM event_occurrences o JOIN event_series s ON s.id = o.series_id
   JOIN communities c ON c.id = o.community_id";

/// The occurrences of `community`'s series for a calendar file: one series, or every
/// event (members' too when `members`), series by series in time order.
pub async fn calendar_rows(
    db: impl Db<'_>,
    community: CommunityId,
    series: Option<i64>,
    members: bool,
) -> Sql<Vec<CalendarRow>> {
    let sql = format!(
        "{CALENDAR_SELECT}
          WHERE o.community_id = $1 AND ($2 IS NULL OR s.id = $2) AND ($3 OR s.visibility = 'public')
          ORDER BY s.id, o.starts_at LIMIT 5000"
    );
    all_rows(db, &sql, args![community, series, members]).await
}

/// The series occurrence `id` of `community` belongs to.
pub async fn series_of(
    db: impl Db<'_>,
    community: CommunityId,
    id: i64,
) -> Sql<Option<(i64, String)>> {
    let sql = "SELECT s.id, s.visibility FROM event_occurrences o JOIN event_series s ON s.id = o.series_id
          WHERE o.id = $1 AND o.community_id = $2";
    optional_row(db, sql, args![id, community]).await
}

/// The occurrences `user` is going to, offered a seat at or waiting for, in the
/// communities they belong to, with their series, for their private calendar feed.
pub async fn feed_rows(db: impl Db<'_>, user: UserId) -> Sql<Vec<CalendarRow>> {
    let sql = format!(
        "{CALENDAR_SELECT}
           JOIN event_rsvps r ON r.occurrence_id = o.id AND r.user_id = $1
          WHERE r.status IN ('going', 'offered', 'waitlisted')
            AND EXISTS(SELECT 1 FROM memberships m
                        WHERE m.community_id = o.community_id AND m.user_id = $1 AND m.status = 'active')
          ORDER BY s.id, o.starts_at LIMIT 5000"
    );
    all_rows(db, &sql, args![user]).await
}

/// Sets `user`'s calendar-feed token (its hash), replacing any earlier one.
pub async fn set_feed_token(db: impl Db<'_>, user: UserId, token_hash: &str) -> Sql<()> {
    let sql = "INSERT INTO calendar_feeds (user_id, token_hash) VALUES ($1, $2)
         ON CONFLICT (user_id) DO UPDATE SET token_hash = $2, created_at = $3";
    run(db, sql, args![user, token_hash, crate::db::now()]).await?;
    Ok(())
}

/// Removes `user`'s calendar feed (its link stops working). False if there was none.
pub async fn delete_feed_token(db: impl Db<'_>, user: UserId) -> Sql<bool> {
    let sql = "DELETE FROM calendar_feeds WHERE user_id = $1";
    let result = run(db, sql, args![user]).await?;
    Ok(result == 1)
}

/// Whose feed a token (by its hash) opens.
pub async fn feed_owner(db: impl Db<'_>, token_hash: &str) -> Sql<Option<UserId>> {
    let sql = "SELECT user_id FROM calendar_feeds WHERE token_hash = $1";
    optional_value(db, sql, args![token_hash]).await
}

/// Whether `user` has a calendar feed.
pub async fn has_feed(db: impl Db<'_>, user: UserId) -> Sql<bool> {
    let sql = "SELECT EXISTS(SELECT 1 FROM calendar_feeds WHERE user_id = $1)";
    one_value(db, sql, args![user]).await
}
