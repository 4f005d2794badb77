//! Posting one rendered form twice makes one thing: a service asks [`earlier`] before it
//! checks and writes (outside the write transaction, so a resubmission is answered at
//! once, before rate limits and duplicate checks see it), asks again inside its write
//! transaction (the answer that counts), and calls [`remember`] in that same transaction.

use chrono::{Duration, Utc};

use crate::db::{self, Db};
use crate::domain::ids::UserId;
use crate::domain::resubmission::FormKey;
use crate::error::AppError;

/// How long a form's answer is remembered.
pub const REMEMBERED_FOR_HOURS: i64 = 24;

/// What an earlier submission of the form `key` by `user` made, if any.
pub async fn earlier(
    db: impl Db<'_>,
    user: UserId,
    key: Option<&FormKey>,
) -> Result<Option<i64>, AppError> {
    match key {
        Some(key) => Ok(db::submissions::made(db, user, key.as_str()).await?),
        None => Ok(None),
    }
}

/// Records, inside the write transaction that made it, what the form `key` made.
pub async fn remember(
    db: impl Db<'_>,
    user: UserId,
    key: Option<&FormKey>,
    made: i64,
) -> Result<(), AppError> {
    if let Some(key) = key {
        db::submissions::record(db, user, key.as_str(), made, Utc::now()).await?;
    }
    Ok(())
}

/// Forgets answers older than a day (upkeep).
pub async fn forget_old(writes: &db::writer::WriteQueue) -> Result<u64, AppError> {
    let before = Utc::now() - Duration::hours(REMEMBERED_FOR_HOURS);
    db::writer::write_tx!(writes, |tx| {
        Ok(db::submissions::forget_before(&mut *tx, before).await?)
    })
}
