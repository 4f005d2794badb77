//! Form submissions already answered: a form's key and what its first submission made.

use crate::db::statement::{args, optional_value, run};
use chrono::{DateTime, Utc};

use crate::db::{Db, Sql, timestamp};
use crate::domain::ids::UserId;

/// What the first submission of the form `key` by `user` made, if it was submitted before.
pub async fn made(db: impl Db<'_>, user: UserId, key: &str) -> Sql<Option<i64>> {
    let sql = "SELECT made_id FROM form_submissions WHERE user_id = $1 AND form_key = $2";
    optional_value(db, sql, args![user, key]).await
}

/// Records that the form `key` by `user` made `made`.
pub async fn record(
    db: impl Db<'_>,
    user: UserId,
    key: &str,
    made: i64,
    at: DateTime<Utc>,
) -> Sql<()> {
    let sql = "INSERT INTO form_submissions (user_id, form_key, made_id, created_at)
         VALUES ($1, $2, $3, $4)";
    run(db, sql, args![user, key, made, timestamp(at)]).await?;
    Ok(())
}

/// Forgets submissions recorded before `before`; returns how many.
pub async fn forget_before(db: impl Db<'_>, before: DateTime<Utc>) -> Sql<u64> {
    let sql = "DELETE FROM form_submissions WHERE created_at < $1";
    let done = run(db, sql, args![timestamp(before)]).await?;
    Ok(done)
}
