//! RSVPs: each person's answer to an occurrence, the seats taken, the waitlist's order
//! and the offers made from it.

use chrono::{DateTime, Utc};
use sqlx::FromRow;

use crate::db::{Db, Sql, on_engine, timestamp};
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
    on_engine!(db, |db| {
        sqlx::query_as(
            "SELECT status, guests, queue_position, offer_expires_at FROM event_rsvps
          WHERE occurrence_id = $1 AND user_id = $2",
        )
        .bind(occurrence)
        .bind(user)
        .fetch_optional(db)
        .await
    })
}

/// Seats taken at an occurrence: everyone going or offered a seat, with their guests.
pub async fn seats_taken(db: impl Db<'_>, occurrence: i64) -> Sql<i64> {
    on_engine!(db, |db| {
        sqlx::query_scalar(
            "SELECT CAST(COALESCE(SUM(1 + guests), 0) AS BIGINT) FROM event_rsvps
          WHERE occurrence_id = $1 AND status IN ('going', 'offered')",
        )
        .bind(occurrence)
        .fetch_one(db)
        .await
    })
}

/// How many people wait for a seat, and how many of them are at or before `position`.
pub async fn waiting(db: impl Db<'_>, occurrence: i64, position: i64) -> Sql<(i64, i64)> {
    on_engine!(db, |db| {
        sqlx::query_as(
        "SELECT COUNT(*), CAST(COALESCE(SUM(CASE WHEN queue_position <= $1 THEN 1 ELSE 0 END), 0) AS BIGINT)
           FROM event_rsvps WHERE occurrence_id = $2 AND status = 'waitlisted'",
    )
    .bind(position)
    .bind(occurrence)
    .fetch_one(db)
    .await
    })
}

/// The next number in an occurrence's waitlist order.
pub async fn next_queue_position(db: impl Db<'_>, occurrence: i64) -> Sql<i64> {
    on_engine!(db, |db| {
        sqlx::query_scalar(
            "SELECT COALESCE(MAX(queue_position), 0) + 1 FROM event_rsvps WHERE occurrence_id = $1",
        )
        .bind(occurrence)
        .fetch_one(db)
        .await
    })
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
    on_engine!(db, |db| {
        sqlx::query(
        "INSERT INTO event_rsvps (occurrence_id, user_id, status, guests, queue_position, offer_expires_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (occurrence_id, user_id) DO UPDATE
            SET status = $3, guests = $4, queue_position = $5, offer_expires_at = $6, updated_at = $7",
    )
    .bind(occurrence)
    .bind(user)
    .bind(change.status.as_str())
    .bind(change.guests)
    .bind(change.queue_position)
    .bind(change.offer_expires_at.map(timestamp))
    .bind(timestamp(Utc::now()))
    .execute(db)
    .await?;
        Ok(())
    })
}

/// The first person waiting for a seat at `occurrence`: (user, guests, queue position).
pub async fn first_waiting(db: impl Db<'_>, occurrence: i64) -> Sql<Option<(UserId, i64, i64)>> {
    on_engine!(db, |db| {
        sqlx::query_as(
            "SELECT user_id, guests, queue_position FROM event_rsvps
          WHERE occurrence_id = $1 AND status = 'waitlisted'
          ORDER BY queue_position LIMIT 1",
        )
        .bind(occurrence)
        .fetch_optional(db)
        .await
    })
}

/// Offers that expired by `now`: (occurrence, user).
pub async fn expired_offers(db: impl Db<'_>, now: DateTime<Utc>) -> Sql<Vec<(i64, UserId)>> {
    on_engine!(db, |db| {
        sqlx::query_as(
            "SELECT occurrence_id, user_id FROM event_rsvps
          WHERE status = 'offered' AND offer_expires_at <= $1 ORDER BY occurrence_id LIMIT 500",
        )
        .bind(timestamp(now))
        .fetch_all(db)
        .await
    })
}

/// Everyone holding or offered a seat at `occurrence`, to tell them about a change.
pub async fn seat_holders(db: impl Db<'_>, occurrence: i64) -> Sql<Vec<UserId>> {
    on_engine!(db, |db| {
        sqlx::query_scalar(
        "SELECT user_id FROM event_rsvps WHERE occurrence_id = $1 AND status IN ('going', 'offered', 'waitlisted')",
    )
    .bind(occurrence)
    .fetch_all(db)
    .await
    })
}
