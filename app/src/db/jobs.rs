//! Whose turn it is to run the background jobs. On SQLite there is one instance, so
//! always this one's. On PostgreSQL several instances may share the database, and each
//! round of a job runs on one of them: the one that takes the job's advisory lock
//! (`pg_try_advisory_lock`, which never waits). An instance that finds it taken skips the
//! round; the holder's next round, or another instance's, does the work.

use crate::db::statement::{args, one_value};
use sqlx::Postgres;
use sqlx::pool::PoolConnection;

use crate::db::{Pool, Sql};

/// A background job that must run on one instance at a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Job {
    /// The minute's upkeep: term lapses, reminders, offers, check-outs, digests, challenges.
    Upkeep,
    /// Sending what the mail outbox holds.
    Mail,
}

impl Job {
    /// The job's advisory lock number ("KNDJ" and "KNDM"; the writer's is "KNDR").
    fn lock(self) -> i64 {
        match self {
            Job::Upkeep => 0x4B4E_444A,
            Job::Mail => 0x4B4E_444D,
        }
    }
}

/// This instance's turn at a job, held until [`Turn::end`]. On PostgreSQL it holds the
/// pooled connection that owns the lock; if the turn is dropped without `end` (a
/// cancelled round), that connection is closed instead of going back to the pool, and
/// PostgreSQL releases the lock with the session.
#[derive(Debug)]
pub struct Turn {
    held: Option<(PoolConnection<Postgres>, i64)>,
}

/// This instance's turn at `job`, or `None` when another instance has it now.
pub async fn take_turn(pool: &Pool, job: Job) -> Sql<Option<Turn>> {
    let Pool::Postgres(pool) = pool else {
        return Ok(Some(Turn { held: None }));
    };
    let mut connection = pool.acquire().await?;
    let sql = "SELECT pg_try_advisory_lock($1)";
    let taken: bool = one_value(&mut *connection, sql, args![job.lock()]).await?;
    Ok(taken.then(|| Turn { held: Some((connection, job.lock())) }))
}

impl Turn {
    /// Gives the turn back (unlocks, and returns the connection to the pool).
    pub async fn end(mut self) {
        if let Some((mut connection, lock)) = self.held.take() {
            let sql = "SELECT pg_advisory_unlock($1)";
            let unlocked = one_value(&mut *connection, sql, args![lock]).await;
            if !matches!(unlocked, Ok(true)) {
                // Whatever happened, the lock must not stay with a pooled connection.
                drop(connection.detach());
            }
        }
    }
}

impl Drop for Turn {
    fn drop(&mut self) {
        if let Some((connection, _)) = self.held.take() {
            drop(connection.detach());
        }
    }
}
