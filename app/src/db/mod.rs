//! All SQL lives here: a module per aggregate, functions that take an executor.
//!
//! Keeping every query in this layer is what lets a later PostgreSQL backend
//! replace SQLite without touching the server functions.

pub mod audit;
pub mod badges;
pub mod challenges;
pub mod checkpoint;
pub mod communities;
pub mod credentials;
pub mod digest;
pub mod discussions;
mod engine;
pub mod events;
mod fts_rank;
pub mod health;
pub mod home;
pub mod impact;
pub mod invites;
pub mod jobs;
pub mod join_requests;
pub mod ledger;
pub mod library;
pub mod live;
pub mod mail;
pub mod memberships;
pub mod mentoring;
pub mod moderation;
pub mod notifications;
pub mod page_cache;
pub mod recognition;
pub mod search;
pub mod statement;
pub mod submissions;
pub mod throttles;
pub mod transfer;
pub mod users;
pub mod writer;
mod writer_cpu;

use std::str::FromStr;
use std::time::Duration;

use chrono::{DateTime, Utc};

pub(crate) use engine::on_engine;
pub use engine::{
    Conn, Day, Db, Engine, EngineOf, Exec, MaybeDay, MaybeStamp, Pool, Pooled, Stamp, engine_of,
};
use sqlx::SqlitePool;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

/// What a query returns: its rows or the database's error.
pub type Sql<T> = Result<T, sqlx::Error>;

/// The SQLite migrations in `migrations/sqlite/`, embedded in the binary.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/sqlite");

/// The PostgreSQL migrations in `migrations/postgres/`, embedded in the binary: the same
/// schema as [`MIGRATOR`]'s, which `server/tests/schema_parity.rs` checks. sqlx takes an
/// advisory lock while it migrates, so instances starting together apply each one once.
pub static POSTGRES_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/postgres");

/// The most memory, in KiB, each connection's page cache may hold (SQLite's default is
/// 2,048). With 17 connections the default lets SQLite's caches keep growing for most of
/// an hour as each connection meets each page; a smaller cache per connection fills within
/// minutes and then stays put. The operating system's file cache still holds the whole
/// database, so a page missing here costs a copy, not a disk read (docs/RELIABILITY.md,
/// "Memory under a long soak", has the figures). 128 KiB, not the 512 it was: every page
/// of every connection's cache lives in [`page_cache`]'s region, which is resident from
/// start-up, and at 512 KiB that region alone put an idle server over its 30 MB budget
/// (34.8 MB idle, against 27.8 at 128 KiB), while the read pages measured the same
/// (docs/PERFORMANCE.md, "Idle memory and the page-cache region").
pub const PAGE_CACHE_KIB: u32 = 128;

/// The memory, in KiB, all of SQLite in this process tries to stay under
/// (`PRAGMA soft_heap_limit`, one limit for the whole process) for what it takes from
/// `malloc`: prepared statements, schema, and any cached page that did not fit in the
/// page-cache region ([`page_cache`], which has its own fixed size). Past it SQLite hands
/// back cached pages before it takes more. A query's own working memory is not capped: a
/// large sort spills to a temporary file instead (`temp_store` is left at SQLite's
/// default, a file that is only written once the sort outgrows its cache). Measured
/// under the 30-minute soak in docs/RELIABILITY.md, "Memory under a long soak".
pub const SOFT_HEAP_LIMIT_KIB: u64 = 8 * 1024;

/// How many prepared statements each connection keeps (sqlx's default is 100). A page
/// runs about a dozen queries, and a statement costs SQLite a few KiB.
pub const STATEMENT_CACHE: usize = 64;

/// Kindred's SQLite settings for the database at `url`: WAL, foreign keys on,
/// `synchronous=FULL` (every acknowledged write is durable), a busy timeout so
/// writers queue instead of failing, and bounded memory ([`PAGE_CACHE_KIB`],
/// [`STATEMENT_CACHE`], [`SOFT_HEAP_LIMIT_KIB`]).
pub fn connect_options(url: &str) -> Sql<SqliteConnectOptions> {
    Ok(SqliteConnectOptions::from_str(url)?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(5))
        .statement_cache_capacity(STATEMENT_CACHE)
        .pragma("cache_size", format!("-{PAGE_CACHE_KIB}"))
        .pragma("soft_heap_limit", (SOFT_HEAP_LIMIT_KIB * 1024).to_string()))
}

/// Opens (creating if needed) the SQLite database at `url` as a writable pool, for the
/// places that write without a request to cancel them: migrations, the session store
/// and the command-line tools. Request code reads through [`connect_reader`] and writes
/// through [`writer::WriteQueue`].
pub async fn connect(url: &str) -> Sql<SqlitePool> {
    let options = connect_options(url)?;
    create_parent_dir(&options)?;
    pool_options(8).connect_with(options).await
}

/// Opens the pool that request code reads through. Its connections are `query_only`:
/// a write that does not go through the [`writer::WriteQueue`] fails at once instead of
/// opening a transaction that a cancelled request could leave behind.
pub async fn connect_reader(url: &str) -> Sql<SqlitePool> {
    let options = connect_options(url)?.pragma("query_only", "ON");
    create_parent_dir(&options)?;
    pool_options(8).connect_with(options).await
}

fn create_parent_dir(options: &SqliteConnectOptions) -> Sql<()> {
    match options.get_filename().parent().filter(|p| !p.as_os_str().is_empty()) {
        Some(dir) => std::fs::create_dir_all(dir).map_err(sqlx::Error::Io),
        None => Ok(()),
    }
}

/// Pool settings shared by every SQLite pool: at most `max` connections, the full-text
/// rank function on each new connection ([`fts_rank`]), and a check on the way back into
/// the pool that closes any connection still inside a transaction (see [`health`]).
///
/// Each check is a round trip to the connection's own thread, and a pooled query pays for
/// every one of them, so only the one that can find something runs. The check on release
/// sees everything a request left behind: the connection's thread runs commands in order,
/// so it answers after any `BEGIN` sent before it, even one whose future was dropped. An
/// idle connection in the pool runs nothing, so checking it again on the way out finds
/// nothing new; and sqlx's ping before each acquire (`test_before_acquire`) looks for a far
/// end that hung up, which a file does not have. Dropping those two took a pooled query
/// from five round trips to three (docs/PERFORMANCE.md, "Round trips per pooled query").
fn pool_options(max: u32) -> SqlitePoolOptions {
    SqlitePoolOptions::new()
        .max_connections(max)
        .test_before_acquire(false)
        .after_connect(|connection, _| Box::pin(fts_rank::install(connection)))
        .after_release(|connection, _| Box::pin(health::keep_if_settled(connection, "release")))
}

/// Runs the embedded migrations that have not run yet.
pub async fn migrate(pool: &SqlitePool) -> Result<(), sqlx::migrate::MigrateError> {
    MIGRATOR.run(pool).await
}

/// How many connections a PostgreSQL pool of one instance holds.
pub const POSTGRES_POOL_SIZE: u32 = 16;

/// Opens a writable pool for the database at `url` on its engine (SQLite's
/// [`connect`], or a PostgreSQL pool), for migrations, the session store and tools.
pub async fn open(url: &str) -> Sql<Pool> {
    Ok(match Engine::of_url(url) {
        Engine::Sqlite => Pool::Sqlite(connect(url).await?),
        Engine::Postgres => Pool::Postgres(postgres_pool(url.parse()?).await?),
    })
}

/// Opens the pool request code reads through, on the engine `url` names. On SQLite its
/// connections are `query_only` ([`connect_reader`]); on PostgreSQL every transaction
/// is read-only by default (`default_transaction_read_only`), so on both engines a write
/// that does not go through the [`writer::WriteQueue`] fails at once.
pub async fn open_reader(url: &str) -> Sql<Pool> {
    Ok(match Engine::of_url(url) {
        Engine::Sqlite => Pool::Sqlite(connect_reader(url).await?),
        Engine::Postgres => {
            let options: sqlx::postgres::PgConnectOptions = url.parse()?;
            Pool::Postgres(
                postgres_pool(options.options([("default_transaction_read_only", "on")])).await?,
            )
        }
    })
}

async fn postgres_pool(options: sqlx::postgres::PgConnectOptions) -> Sql<sqlx::PgPool> {
    sqlx::postgres::PgPoolOptions::new()
        .max_connections(POSTGRES_POOL_SIZE)
        .connect_with(options.statement_cache_capacity(STATEMENT_CACHE))
        .await
}

/// Runs the embedded migrations of `pool`'s engine that have not run yet.
pub async fn migrate_pool(pool: &Pool) -> Result<(), sqlx::migrate::MigrateError> {
    match pool {
        Pool::Sqlite(pool) => MIGRATOR.run(pool).await,
        Pool::Postgres(pool) => POSTGRES_MIGRATOR.run(pool).await,
    }
}

/// Maps a UNIQUE-constraint violation to [`AppError::Conflict`] on `field` with `message`;
/// any other error becomes what it would anyway. Use as
/// `.await.map_err(db::conflict_if_taken("name", "There is already a category with that name."))?`.
pub fn conflict_if_taken(
    field: &'static str,
    message: &'static str,
) -> impl FnOnce(sqlx::Error) -> crate::error::AppError {
    move |error| {
        if is_unique_violation(&error) {
            crate::error::AppError::conflict(field, message)
        } else {
            crate::error::AppError::from(error)
        }
    }
}

/// True when `error` is a violation of a UNIQUE constraint (by error kind, not text).
pub fn is_unique_violation(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(db) if db.is_unique_violation())
}

/// The one text form every timestamp is stored and compared in: `2026-11-26T10:30:05.123Z`
/// (the same as SQLite's `strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`).
pub fn timestamp(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

/// Now, in [`timestamp`] form: bound into a statement wherever it records or compares with
/// the current time, so that both engines run the same text (and share one clock, the app's).
pub fn now() -> String {
    timestamp(Utc::now())
}

/// A keyset-pagination position: a timestamp and an id, sent to the browser as `at~id`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    /// The timestamp of the last row shown, in [`timestamp`] form.
    pub at: String,
    /// The id of the last row shown.
    pub id: i64,
}

/// Keyset paging: a page's query fetches `size + 1` rows; this keeps the first `size`
/// and, when there were more, returns the cursor after the last one kept (in URL form).
pub fn split_page<T>(
    mut rows: Vec<T>,
    size: i64,
    cursor_after: impl Fn(&T) -> String,
) -> (Vec<T>, Option<String>) {
    let size = usize::try_from(size).unwrap_or(0);
    if rows.len() <= size {
        return (rows, None);
    }
    rows.truncate(size);
    let next = rows.last().map(cursor_after);
    (rows, next)
}

impl Cursor {
    /// The URL form.
    pub fn encode(&self) -> String {
        format!("{}~{}", self.at, self.id)
    }

    /// Parses the URL form; anything malformed is ignored (first page).
    pub fn decode(text: &str) -> Option<Cursor> {
        let (at, id) = text.rsplit_once('~')?;
        let parsed = DateTime::parse_from_rfc3339(at).ok()?;
        Some(Cursor { at: timestamp(parsed.with_timezone(&Utc)), id: id.parse().ok()? })
    }
}

#[cfg(test)]
mod ledger_migration_tests;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_reject_junk() {
        let cursor = Cursor { at: "2026-11-26T10:30:05.123Z".into(), id: 42 };
        assert_eq!(Cursor::decode(&cursor.encode()), Some(cursor));
        assert_eq!(Cursor::decode("garbage"), None);
        assert_eq!(split_page(vec![1, 2, 3], 2, |n| n.to_string()), (vec![1, 2], Some("2".into())));
        assert_eq!(split_page(vec![1, 2], 2, |n| n.to_string()), (vec![1, 2], None));
        assert_eq!(Cursor::decode("2026-11-26T10:30:05Z~x"), None);
        assert_eq!(Cursor::decode("'; DROP TABLE users;--~1"), None);
    }

    /// SQLite is built without STAT4 (`.cargo/config.toml`): with it, a statement whose
    /// parameter is compared with an indexed column is prepared afresh each time the
    /// bound value changes, once `ANALYZE` has run.
    #[tokio::test]
    async fn sqlite_is_built_without_stat4() {
        let folder = tempfile::tempdir().expect("a temporary folder");
        let url = format!("sqlite://{}", folder.path().join("k.db").display());
        let pool = sqlx::SqlitePool::connect_with(connect_options(&url).expect("options"))
            .await
            .expect("the database opens");
        let stat4: i64 = sqlx::query_scalar("SELECT sqlite_compileoption_used('ENABLE_STAT4')")
            .fetch_one(&pool)
            .await
            .expect("compile options answer");
        assert_eq!(stat4, 0, "SQLite was built with STAT4");
        let fts5: i64 = sqlx::query_scalar("SELECT sqlite_compileoption_used('ENABLE_FTS5')")
            .fetch_one(&pool)
            .await
            .expect("compile options answer");
        assert_eq!(fts5, 1, "the other bundled options stay");
    }
}
