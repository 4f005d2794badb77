//! RSVPs: each person's answer to an occurrence, the seats taken, the waitlist's order
//! and the offers made from it.

use crate::db::statement::{all_rows, all_values, args, one_row, one_value, optional_row, run};
use chrono::{DateTime, Utc};
use sqlx::FromRow;

use crate::db::{Db, Sql, timestamp};
use crate::domain::events::RsvpStatus;
use crate::domain::ids::UserId;

/// One person's answer to an occurrence, as stored.
#[derive(Debug, Clone, FromRow)]
pub struct RsvpRecord {
    /// Their answer.
    #[sqlx(try_from = "String")]
    pub status: RsvpStatus,
    /// Guests.
    pub guests: i64,
    /// Their number in the waitlist's arrival order.
    pub queue_position: Option<i64>,
    /// When an offered seat stops being held.
    #[sqlx(try_from = "crate::db::MaybeStamp")]
    pub offer_expires_at: Option<DateTime<Utc>>,
}

/// `user`'s answer to `occurrence`, if any.
pub async fn rsvp(db: impl Db<'_>, occurrence: i64, user: UserId) -> Sql<Option<RsvpRecord>> {
    let sql = "SELECT status, guests, queue_position, offer_expires_at FROM event_rsvps
          WHERE occurrence_id = $1 AND user_id = $2";
    optional_row(db, sql, args![occurrence, user]).await
}

/// Seats taken at an occurrence: everyone going or offered a seat, with their guests.
pub async fn seats_taken(db: impl Db<'_>, occurrence: i64) -> Sql<i64> {
    let sql = "SELECT CAST(COALESCE(SUM(1 + guests), 0) AS BIGINT) FROM event_rsvps
          WHERE occurrence_id = $1 AND status IN ('going', 'offered')";
    one_value(db, sql, args![occurrence]).await
}

/// How many people wait for a seat, and how many of them are at or before `position`.
pub async fn waiting(db: impl Db<'_>, occurrence: i64, position: i64) -> Sql<(i64, i64)> {
    let sql = "SELECT COUNT(*), CAST(COALESCE(SUM(CASE WHEN queue_position <= $1 THEN 1 ELSE 0 END), 0) AS BIGINT)
           FROM event_rsvps WHERE occurrence_id = $2 AND status = 'waitlisted'";
    one_row(db, sql, args![position, occurrence]).await
}

/// The next number in an occurrence's waitlist order.
pub async fn next_queue_position(db: impl Db<'_>, occurrence: i64) -> Sql<i64> {
    let sql =
        "SELECT COALESCE(MAX(queue_position), 0) + 1 FROM event_rsvps WHERE occurrence_id = $1";
    one_value(db, sql, args![occurrence]).await
}

/// What an RSVP row becomes.
#[derive(Debug, Clone, Copy)]
pub struct RsvpChange {
    /// The new answer.
    pub status: RsvpStatus,
    /// Guests.
    pub guests: i64,
    /// Waitlist order (kept while waiting or offered).
    pub queue_position: Option<i64>,
    /// When an offer expires.
    pub offer_expires_at: Option<DateTime<Utc>>,
}

/// Sets `user`'s answer to `occurrence`.
pub async fn set_rsvp(
    db: impl Db<'_>,
    occurrence: i64,
    user: UserId,
    change: RsvpChange,
) -> Sql<()> {
    let sql = "INSERT INTO event_rsvps (occurrence_id, user_id, status, guests, queue_position, offer_expires_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (occurrence_id, user_id) DO UPDATE
            SET status = $3, guests = $4, queue_position = $5, offer_expires_at = $6, updated_at = $7";
    run(
        db,
        sql,
        args![
            occurrence,
            user,
            change.status.as_str(),
            change.guests,
            change.queue_position,
            change.offer_expires_at.map(timestamp),
            timestamp(Utc::now())
        ],
    )
    .await?;
    Ok(())
}

/// The first person waiting for a seat at `occurrence`: (user, guests, queue position).
pub async fn first_waiting(db: impl Db<'_>, occurrence: i64) -> Sql<Option<(UserId, i64, i64)>> {
    let sql = "SELECT user_id, guests, queue_position FROM event_rsvps
          WHERE occurrence_id = $1 AND status = 'waitlisted'
          ORDER BY queue_position LIMIT 1";
    optional_row(db, sql, args![occurrence]).await
}

/// Offers that expired by `now`: (occurrence, user).
pub async fn expired_offers(db: impl Db<'_>, now: DateTime<Utc>) -> Sql<Vec<(i64, UserId)>> {
    let sql = "SELECT occurrence_id, user_id FROM event_rsvps
          WHERE status = 'offered' AND offer_expires_at <= $1 ORDER BY occurrence_id LIMIT 500";
    all_rows(db, sql, args![timestamp(now)]).await
}

/// Everyone holding or offered a seat at `occurrence`, to tell them about a change.
pub async fn seat_holders(db: impl Db<'_>, occurrence: i64) -> Sql<Vec<UserId>> {
    let sql = "SELECT user_id FROM event_rsvps WHERE occurrence_id = $1 AND status IN ('going', 'offered', 'waitlisted')";
    all_values(db, sql, args![occurrence]).await
}
