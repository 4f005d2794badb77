//! Defence in depth for the pools: a connection never goes back into use while it is
//! still inside a transaction.
//!
//! Kindred's rule is that no write transaction lives in a future a client can cancel
//! (see [`super::writer`]). This module catches what would slip past the rule anyway — a
//! third-party crate's transaction cut short, or a driver bug such as sqlx's
//! cancelled-`BEGIN` race — before it can hold SQLite's write lock for good: a pooled
//! connection that is handed back, or about to be handed out, inside a transaction is
//! closed (which rolls the transaction back and releases its locks), logged and counted.

use crate::db::Sql;
use crate::db::statement::{args, run};
use std::sync::atomic::{AtomicU64, Ordering};

use sqlx::{Connection, SqliteConnection};

/// Pooled connections found inside a transaction and closed, since the process started.
static CLOSED_IN_TRANSACTION: AtomicU64 = AtomicU64::new(0);

/// How many pooled connections were found inside a transaction and closed so far.
pub fn connections_closed_in_transaction() -> u64 {
    CLOSED_IN_TRANSACTION.load(Ordering::Relaxed)
}

/// The memory SQLite holds right now across every connection (page caches, prepared
/// statements, schema), in bytes: its own count of what it took from `malloc`, plus the
/// pages it holds in its page-cache region ([`super::page_cache`]). The health check
/// reports it so a soak can tell SQLite's share of resident memory from Kindred's.
pub fn sqlite_memory_used() -> i64 {
    // SAFETY: `sqlite3_memory_used` takes no arguments and only reads SQLite's global
    // memory statistics, which it guards with its own mutex.
    let from_malloc = unsafe { libsqlite3_sys::sqlite3_memory_used() };
    from_malloc + super::page_cache::bytes_in_use()
}

/// Answers when the database answers a trivial read (the health check's first half).
pub async fn ping(db: impl crate::db::Db<'_>) -> Sql<()> {
    run(db, "SELECT 1", args![]).await?;
    Ok(())
}

/// The pool hook: `Ok(true)` keeps `connection`; `Ok(false)` makes the pool close it,
/// which SQLite answers by rolling back whatever it had open. `moment` names the
/// hook in the log ("release").
pub async fn keep_if_settled(connection: &mut SqliteConnection, moment: &'static str) -> Sql<bool> {
    let settled = !connection.is_in_transaction() && autocommit(connection).await?;
    if !settled {
        let total = CLOSED_IN_TRANSACTION.fetch_add(1, Ordering::Relaxed) + 1;
        tracing::warn!(
            moment,
            total,
            "a pooled connection was inside a transaction; closing it (its work is rolled back)"
        );
    }
    Ok(settled)
}

/// SQLite's own word on whether `connection` is outside any transaction. sqlx's
/// transaction depth only counts the transactions sqlx began; a `BEGIN` sent as plain SQL
/// is visible here alone.
pub(crate) async fn autocommit(connection: &mut SqliteConnection) -> Sql<bool> {
    let mut handle = connection.lock_handle().await?;
    let raw = handle.as_raw_handle();
    // SAFETY: `raw` is the live handle of a connection we hold locked for the duration
    // of the call; `sqlite3_get_autocommit` only reads its state.
    let autocommit = unsafe { libsqlite3_sys::sqlite3_get_autocommit(raw.as_ptr()) };
    Ok(autocommit != 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db;
    use std::time::Duration;

    #[tokio::test]
    async fn a_connection_returned_inside_a_transaction_is_closed_and_its_lock_released() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/health.db", dir.path().display());
        let pool = db::connect(&url).await.unwrap();
        sqlx::query("CREATE TABLE notes (body TEXT)").execute(&pool).await.unwrap();
        let before = connections_closed_in_transaction();

        // A transaction begun as plain SQL, invisible to sqlx's own bookkeeping: exactly
        // what a cancelled `BEGIN IMMEDIATE` leaves behind.
        let mut connection = pool.acquire().await.unwrap();
        sqlx::raw_sql("BEGIN IMMEDIATE; INSERT INTO notes VALUES ('never committed')")
            .execute(&mut *connection)
            .await
            .unwrap();
        drop(connection);

        // Another writer gets the lock at once (no busy wait), and the abandoned row is gone.
        let mut other = sqlx::sqlite::SqliteConnectOptions::new()
            .filename(dir.path().join("health.db"))
            .busy_timeout(Duration::from_secs(2));
        other = other.journal_mode(sqlx::sqlite::SqliteJournalMode::Wal);
        let mut writer = SqliteConnection::connect_with(&other).await.unwrap();
        // The pool closes the connection in a task after release; give it a moment.
        let mut written = false;
        for _ in 0..50 {
            if sqlx::query("INSERT INTO notes VALUES ('committed')")
                .execute(&mut writer)
                .await
                .is_ok()
            {
                written = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        assert!(written, "the abandoned transaction still holds the write lock");
        let bodies: Vec<String> =
            sqlx::query_scalar("SELECT body FROM notes").fetch_all(&pool).await.unwrap();
        assert_eq!(bodies, vec!["committed"]);
        assert!(connections_closed_in_transaction() > before);
    }

    #[tokio::test]
    async fn the_reader_pool_refuses_writes() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/reader.db", dir.path().display());
        let writable = db::connect(&url).await.unwrap();
        sqlx::query("CREATE TABLE notes (body TEXT)").execute(&writable).await.unwrap();
        let reader = db::connect_reader(&url).await.unwrap();
        let refused = sqlx::query("INSERT INTO notes VALUES ('sneaked in')").execute(&reader).await;
        assert!(refused.is_err(), "a write through the reader pool succeeded");
        let count: i64 =
            sqlx::query_scalar("SELECT count(*) FROM notes").fetch_one(&reader).await.unwrap();
        assert_eq!(count, 0);
    }
}
