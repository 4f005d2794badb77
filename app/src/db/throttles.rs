//! The shared state of sign-in and posting limits (`throttle_states`), for fleets of
//! instances on one PostgreSQL database. Only the writer touches it, so reading a key's
//! state and storing the next one happen under the fleet's write lock.

use crate::db::{Db, Sql, on_engine};

/// When `key`'s next attempt is due (nanoseconds since the Unix epoch), if it has a state.
pub async fn arrival(db: impl Db<'_>, key: &str) -> Sql<Option<i64>> {
    on_engine!(db, |db| {
        sqlx::query_scalar("SELECT arrival_ns FROM throttle_states WHERE throttle_key = $1")
            .bind(key)
            .fetch_optional(db)
            .await
    })
}

/// Stores `key`'s next arrival time.
pub async fn set_arrival(db: impl Db<'_>, key: &str, arrival_ns: i64) -> Sql<()> {
    on_engine!(db, |db| {
        sqlx::query(
            "INSERT INTO throttle_states (throttle_key, arrival_ns) VALUES ($1, $2)
             ON CONFLICT (throttle_key) DO UPDATE SET arrival_ns = excluded.arrival_ns",
        )
        .bind(key)
        .bind(arrival_ns)
        .execute(db)
        .await?;
        Ok(())
    })
}

/// Forgets keys whose budgets have fully refilled by `now_ns`; returns how many.
pub async fn forget_refilled(db: impl Db<'_>, now_ns: i64) -> Sql<u64> {
    on_engine!(db, |db| {
        let done = sqlx::query("DELETE FROM throttle_states WHERE arrival_ns <= $1")
            .bind(now_ns)
            .execute(db)
            .await?;
        Ok(done.rows_affected())
    })
}
