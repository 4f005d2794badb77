//! The shared state of sign-in and posting limits (`throttle_states`), for fleets of
//! instances on one PostgreSQL database. Only the writer touches it, so reading a key's
//! state and storing the next one happen under the fleet's write lock.

use crate::db::statement::{args, optional_value, run};
use crate::db::{Db, Sql};

/// When `key`'s next attempt is due (nanoseconds since the Unix epoch), if it has a state.
pub async fn arrival(db: impl Db<'_>, key: &str) -> Sql<Option<i64>> {
    let sql = "SELECT arrival_ns FROM throttle_states WHERE throttle_key = $1";
    optional_value(db, sql, args![key]).await
}

/// Stores `key`'s next arrival time.
pub async fn set_arrival(db: impl Db<'_>, key: &str, arrival_ns: i64) -> Sql<()> {
    let sql = "INSERT INTO throttle_states (throttle_key, arrival_ns) VALUES ($1, $2)
             ON CONFLICT (throttle_key) DO UPDATE SET arrival_ns = excluded.arrival_ns";
    run(db, sql, args![key, arrival_ns]).await?;
    Ok(())
}

/// Forgets keys whose budgets have fully refilled by `now_ns`; returns how many.
pub async fn forget_refilled(db: impl Db<'_>, now_ns: i64) -> Sql<u64> {
    let sql = "DELETE FROM throttle_states WHERE arrival_ns <= $1";
    let done = run(db, sql, args![now_ns]).await?;
    Ok(done)
}
