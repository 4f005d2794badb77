//! Group commit: one connection that runs queued writes and commits them in batches.
//!
//! SQLite lets one transaction write at a time, and with `synchronous=FULL` every commit
//! waits for an fsync. When each request commits on its own, writers queue on the write
//! lock and each pays a whole fsync. The [`WriteQueue`] instead hands every write to one
//! task that owns one connection. The task takes whatever writes are waiting (up to
//! [`MAX_BATCH`]), runs each inside its own `SAVEPOINT` — so a write that fails rolls back
//! alone, exactly as if it had its own transaction — and commits the batch once. Every
//! caller hears back only after that commit returned, so an acknowledged write is durable.
//!
//! While one batch is being fsynced the next one gathers, so under load the cost of an
//! fsync is shared by many writes, and with one writer there is never a
//! "database is locked" between them.
//!
//! It is also what makes writes **cancel-safe**: the writer is its own task, so a client
//! that hangs up while its request waits drops only the wait, never a transaction half
//! way through `BEGIN`, a statement or `COMMIT`. Every write a request makes goes
//! through here; the request pool is read-only (`db::connect_reader`) and clippy refuses
//! `begin` on pools and connections outside this file (`clippy.toml`).
//!
//! On PostgreSQL the queue works the same way, and each batch first takes one
//! transaction-scoped advisory lock ([`FLEET_WRITE_LOCK`]): instances sharing the
//! database take turns, a batch at a time, so every rule that holds because SQLite has
//! one writer (capacity, budgets, one-at-a-time checks, the ledger's chain order) holds
//! across the fleet too, with no retries. Reads, which are most of the work, run on
//! every instance at once.

use crate::db::Sql;
use std::collections::VecDeque;
use std::panic::AssertUnwindSafe;
use std::time::Duration;

use futures::FutureExt;
use futures::future::BoxFuture;
use sqlx::postgres::PgConnectOptions;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection, PgConnection, SqliteConnection};
use tokio::sync::{mpsc, oneshot, watch};

use crate::db::Conn;
use crate::db::checkpoint::{Cadence, LogRestart};
use crate::error::AppError;

/// The PostgreSQL advisory lock every write batch holds until it commits, so that one
/// batch writes at a time across every instance (`pg_advisory_xact_lock`). The number
/// is arbitrary; it only has to be the same on every instance ("KNDR").
pub const FLEET_WRITE_LOCK: i64 = 0x4B4E_4452;

/// The most writes committed in one transaction.
pub const MAX_BATCH: usize = 128;

/// The writer connection's page cache, in KiB (SQLite's default size; the request pool's
/// connections keep [`crate::db::PAGE_CACHE_KIB`]). Every write touches the same few
/// hundred pages — the tables' and indexes' right edges, the ledger's tip, the member's
/// contributions — and with the pool's 128 KiB each statement read most of them back
/// from the operating system again.
pub const WRITER_PAGE_CACHE_KIB: u32 = 2048;

/// How many writes may wait for the writer before callers wait to enqueue.
const QUEUE_DEPTH: usize = 1024;

/// What a queued write hands back to the writer: whether to keep its changes, and
/// how to tell its caller once the batch's commit is known.
struct Outcome {
    keep: bool,
    /// The write failed because storage is full.
    storage_full: bool,
    deliver: Deliver,
}

/// Answers a write's caller, given how its batch's commit went.
type Deliver = Box<dyn FnOnce(Result<(), &sqlx::Error>) + Send>;

type Job = Box<dyn for<'c> FnOnce(&'c mut Conn<'c>) -> BoxFuture<'c, Outcome> + Send>;

/// Runs a block as one queued write transaction ([`WriteQueue::run`]) and awaits it:
/// `write_tx!(writes, |tx| { … })` is `writes.run(move |tx| Box::pin(async move { … })).await`.
/// The block owns what it uses (clone borrowed data first) and returns
/// `Result<T, AppError>`; an error rolls its changes back.
macro_rules! write_tx {
    ($writes:expr, |$tx:ident| $body:block) => {
        $writes.run(move |$tx| ::std::boxed::Box::pin(async move $body)).await
    };
}
pub(crate) use write_tx;

/// A handle to the writer task; cheap to clone. Writes sent through it are applied in
/// order of arrival.
#[derive(Clone)]
pub struct WriteQueue {
    jobs: mpsc::Sender<Job>,
    /// How many batches the writer has committed; changes after every commit.
    commits: watch::Receiver<u64>,
}

impl WriteQueue {
    /// Opens the writer's own SQLite connection with `options` (the same settings as the
    /// pool: WAL, `synchronous=FULL`, foreign keys; a larger page cache,
    /// [`WRITER_PAGE_CACHE_KIB`]; temporary storage in memory; no automatic checkpoints)
    /// and starts the writer task, and the task that checkpoints the write-ahead log
    /// instead ([`crate::db::checkpoint`]).
    ///
    /// Each write's savepoint keeps the first copy of every page the write changes in a
    /// sub-journal, to roll back to. A reply or a contribution changes a table's, its
    /// indexes' and a trigger's pages, past the 64 KiB SQLite keeps in memory by default,
    /// and the rest went to a temporary file, one `pwrite` a page, 3,700 a second during
    /// the reply benchmark. In memory they are copies; the sub-journal is emptied when the
    /// write's savepoint is released, and the writer's statements sort little.
    pub async fn start(options: SqliteConnectOptions) -> Sql<WriteQueue> {
        Self::start_with_cadence(options, Cadence::default()).await
    }

    /// [`WriteQueue::start`] with checkpoints at `cadence` (tests use a brisker one).
    pub(crate) async fn start_with_cadence(
        options: SqliteConnectOptions,
        cadence: Cadence,
    ) -> Sql<WriteQueue> {
        let writer = options
            .clone()
            .pragma("cache_size", format!("-{WRITER_PAGE_CACHE_KIB}"))
            .pragma("temp_store", "MEMORY")
            .pragma("wal_autocheckpoint", "0");
        let restart = LogRestart::default();
        let queue = Self::start_on::<sqlx::Sqlite>(writer, restart.clone()).await?;
        crate::db::checkpoint::start(options, queue.commits(), restart, cadence).await?;
        Ok(queue)
    }

    /// Opens the writer's own PostgreSQL connection and starts the writer task; batches
    /// take turns with other instances' through [`FLEET_WRITE_LOCK`].
    pub async fn start_postgres(options: PgConnectOptions) -> Sql<WriteQueue> {
        // PostgreSQL checkpoints on its own: nothing ever asks this writer to.
        Self::start_on::<sqlx::Postgres>(options, LogRestart::default()).await
    }

    /// Starts the writer for the database at `url` on its engine.
    pub async fn start_for_url(url: &str) -> Sql<WriteQueue> {
        match crate::db::Engine::of_url(url) {
            crate::db::Engine::Sqlite => Self::start(crate::db::connect_options(url)?).await,
            crate::db::Engine::Postgres => Self::start_postgres(url.parse()?).await,
        }
    }

    async fn start_on<E: WriterEngine>(
        options: <E::Connection as Connection>::Options,
        restart: LogRestart,
    ) -> Sql<WriteQueue> {
        let (jobs, queue) = mpsc::channel(QUEUE_DEPTH);
        let (committed, commits) = watch::channel(0_u64);
        let (opened, open) = oneshot::channel::<Sql<()>>();
        // The writer gets a thread of its own: each statement is a round trip to the
        // connection's worker thread (or socket), and on the shared runtime every one of
        // those wake-ups would wait behind the request tasks queued on the same cores.
        // Its connection is opened there, so its I/O belongs to the writer's runtime.
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
        std::thread::Builder::new().name("kindred-writer".into()).spawn(move || {
            // Before the connection opens, so its thread inherits the one CPU.
            let cpu = crate::db::writer_cpu::keep_on_one_cpu();
            tracing::debug!(?cpu, "the writer keeps to one CPU");
            runtime.block_on(async move {
                match options.connect().await {
                    Ok(connection) => {
                        // After the connection's thread started, so it stays a normal one.
                        let batch = crate::db::writer_cpu::let_the_connection_finish();
                        tracing::debug!(batch, "the writer yields to its connection's thread");
                        let _ = opened.send(Ok(()));
                        run_writer::<E>(connection, options, queue, committed, restart).await;
                    }
                    Err(error) => {
                        let _ = opened.send(Err(error));
                    }
                }
            })
        })?;
        open.await.map_err(|_| sqlx::Error::WorkerCrashed)??;
        Ok(WriteQueue { jobs, commits })
    }

    /// Changes after every committed batch: the doorbell that tells a lone instance's
    /// live-update hub to look for new events (`services::live`).
    pub fn commits(&self) -> watch::Receiver<u64> {
        self.commits.clone()
    }

    /// Runs `work` in the next batch and returns its result once the batch is durably
    /// committed. If `work` returns an error its changes are rolled back and the error
    /// is returned; the other writes in the batch are unaffected.
    ///
    /// `work` runs on the writer's connection, after the writes queued before it: do the
    /// checks that decide the write inside it, and keep slow work (rendering, hashing)
    /// outside, because the next writes wait for it.
    pub async fn run<T, F>(&self, work: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: for<'c> FnOnce(&'c mut Conn<'c>) -> BoxFuture<'c, Result<T, AppError>> + Send + 'static,
    {
        let (reply, answer) = oneshot::channel::<Result<T, AppError>>();
        let job: Job = Box::new(move |connection| {
            Box::pin(async move {
                let result = work(connection).await;
                Outcome {
                    keep: result.is_ok(),
                    storage_full: matches!(result, Err(AppError::StorageFull)),
                    deliver: Box::new(move |committed: Result<(), &sqlx::Error>| {
                        let answer = match (result, committed) {
                            (Ok(_), Err(error)) => Err(AppError::from_database(error)),
                            (result, _) => result,
                        };
                        // The caller may have gone away (a dropped request); nothing to tell.
                        let _ = reply.send(answer);
                    }),
                }
            })
        });
        self.jobs.send(job).await.map_err(|_| AppError::internal("the writer task has stopped"))?;
        answer.await.map_err(|_| AppError::internal("a queued write was dropped unfinished"))?
    }

    /// True when a write can take SQLite's write lock and commit within `within`: the
    /// health check's proof that the writer task is alive and nothing holds the lock.
    /// Giving up early is safe: the probe writes nothing, and its queued no-op still runs.
    pub async fn is_writable_within(&self, within: Duration) -> bool {
        let probe = self.run(|_| Box::pin(async { Ok(()) }));
        matches!(tokio::time::timeout(within, probe).await, Ok(Ok(())))
    }
}

/// The writer task: waits for a write, gathers every write already waiting, commits
/// them as one batch, repeats until every [`WriteQueue`] handle is dropped. Between two
/// batches it checkpoints when the checkpointer asks it to (`restart`), so that its next
/// batch starts the write-ahead log afresh ([`crate::db::checkpoint`]).
///
/// When SQLite rolls a batch back on its own (a full disk, an I/O error) the connection's
/// transaction bookkeeping can no longer be trusted, so the writer opens a fresh
/// connection with the same options and carries on with the writes not yet run.
async fn run_writer<E: WriterEngine>(
    mut connection: E::Connection,
    options: <E::Connection as Connection>::Options,
    mut queue: mpsc::Receiver<Job>,
    committed: watch::Sender<u64>,
    restart: LogRestart,
) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    let mut pending: VecDeque<Job> = VecDeque::with_capacity(MAX_BATCH);
    loop {
        if pending.is_empty() {
            if queue.recv_many(&mut batch, MAX_BATCH).await == 0 {
                return;
            }
            pending.extend(batch.drain(..));
        }
        if restart.take()
            && let Err(error) = E::checkpoint(&mut connection).await
        {
            tracing::warn!(%error, "the writer could not checkpoint");
        }
        let health = commit_batch::<E>(&mut connection, &mut pending, &committed).await;
        if health == WriterHealth::Suspect {
            connection = reconnect::<E>(&options).await;
        }
    }
}

/// Whether the writer's connection can be trusted after a batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum WriterHealth {
    Sound,
    Suspect,
}

/// Opens a fresh writer connection, retrying until it opens.
async fn reconnect<E: WriterEngine>(
    options: &<E::Connection as Connection>::Options,
) -> E::Connection {
    let mut wait = Duration::from_millis(50);
    loop {
        // The new connection's thread inherits this thread's policy: a normal one, as at start.
        let yielding = crate::db::writer_cpu::schedule_normally();
        let connected = options.connect().await;
        if yielding {
            crate::db::writer_cpu::let_the_connection_finish();
        }
        match connected {
            Ok(connection) => {
                tracing::warn!("the writer reopened its database connection");
                return connection;
            }
            Err(error) => {
                tracing::error!(%error, "the writer could not reopen its database connection");
                tokio::time::sleep(wait).await;
                wait = (wait * 2).min(Duration::from_secs(2));
            }
        }
    }
}

/// Runs the writes at the front of `pending` as one transaction and commits it. Writes
/// taken from `pending` are answered; if SQLite rolls the transaction back on its own
/// mid-batch, the writes already run are answered with that error and the rest stay in
/// `pending` for the next batch. A commit is counted before its writers are answered
/// (the anonymous page cache keys pages by the count).
// The one place request writes open transactions; this task cannot be cancelled by a client.
#[allow(clippy::disallowed_methods)]
async fn commit_batch<E: WriterEngine>(
    connection: &mut E::Connection,
    pending: &mut VecDeque<Job>,
    committed_batches: &watch::Sender<u64>,
) -> WriterHealth {
    let mut transaction = match E::begin_batch(connection).await {
        Ok(transaction) => transaction,
        Err(error) => {
            tracing::error!(%error, writes = pending.len(), "could not start a write batch");
            // Dropping the jobs drops their reply channels: each caller gets an error,
            // and nothing of theirs was written.
            pending.clear();
            return WriterHealth::Suspect;
        }
    };
    let started = std::time::Instant::now();
    let mut delivered = Vec::new();
    let mut savepoint = Savepoint::None;
    while let Some(job) = pending.pop_front() {
        let Some(ran) = run_one::<E>(&mut transaction, job, &mut savepoint).await else {
            continue;
        };
        if !ran.failed {
            delivered.push(ran.deliver);
            continue;
        }
        // A failed write rolls back its savepoint; but on some errors (a full disk, an
        // I/O error) SQLite rolls back the whole transaction itself, and the writes
        // before it in this batch are gone too.
        let lost = match E::transaction_lost(&mut transaction).await {
            Ok(outside_any_transaction) => outside_any_transaction,
            Err(error) => {
                tracing::error!(%error, "could not read the writer's transaction state");
                true
            }
        };
        if !lost {
            delivered.push(ran.deliver);
            continue;
        }
        tracing::warn!(writes = delivered.len() + 1, "SQLite rolled back a write batch");
        let kind = if ran.storage_full {
            std::io::ErrorKind::StorageFull
        } else {
            std::io::ErrorKind::Other
        };
        let rolled_back =
            sqlx::Error::Io(std::io::Error::new(kind, "the write batch was rolled back"));
        (ran.deliver)(Err(&rolled_back));
        for deliver in delivered.drain(..) {
            deliver(Err(&rolled_back));
        }
        // Nothing of this transaction is left; the rest of `pending` waits for the next.
        drop(transaction);
        return WriterHealth::Suspect;
    }
    let ran = started.elapsed();
    let committed = transaction.commit().await;
    tracing::debug!(
        writes = delivered.len(),
        run_us = ran.as_micros(),
        commit_us = (started.elapsed() - ran).as_micros(),
        "write batch committed"
    );
    match &committed {
        Ok(()) => committed_batches.send_modify(|count| *count = count.wrapping_add(1)),
        Err(error) => {
            tracing::error!(%error, writes = delivered.len(), "a write batch failed to commit");
        }
    }
    for deliver in delivered {
        deliver(committed.as_ref().map(|_| ()));
    }
    if committed.is_ok() { WriterHealth::Sound } else { WriterHealth::Suspect }
}

/// One write that ran: how to answer its caller, and whether it failed (rolled back).
struct Ran {
    deliver: Deliver,
    failed: bool,
    storage_full: bool,
}

/// Opens the savepoint each write runs in (the batch's first write).
const OPEN_SAVEPOINT: &str = "SAVEPOINT kindred_write";
/// Keeps the previous write and opens the next one's savepoint, in one round trip.
const NEXT_SAVEPOINT: &str = "RELEASE kindred_write; SAVEPOINT kindred_write";
/// Undoes a failed write (its savepoint stays open until the next write's is opened).
const ROLL_BACK_SAVEPOINT: &str = "ROLLBACK TO kindred_write";

/// Whether the batch has a write's savepoint open (kept until the next write's opens, or
/// the batch commits).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Savepoint {
    None,
    Open,
}

/// Runs one write inside a savepoint, keeping or rolling back its changes. Returns how
/// to answer its caller, or `None` if it panicked or its savepoint could not be opened or
/// rolled back (its caller then has its error already).
///
/// Each statement is a round trip to the connection's thread that every queued write
/// waits behind, so a kept write's savepoint is not released on its own: the next write
/// releases it and opens its own in one round trip (`RELEASE …; SAVEPOINT …`), and the
/// batch's `COMMIT` releases the last. Releasing before opening keeps one savepoint open at
/// a time, so SQLite's sub-journal stays small.
async fn run_one<E: WriterEngine>(
    connection: &mut E::Connection,
    job: Job,
    savepoint: &mut Savepoint,
) -> Option<Ran> {
    let open = match savepoint {
        Savepoint::None => OPEN_SAVEPOINT,
        Savepoint::Open => NEXT_SAVEPOINT,
    };
    if let Err(error) = E::run_raw(connection, open).await {
        tracing::error!(%error, "could not open a savepoint for a write");
        // Whichever half failed, the next write opens a savepoint of its own afresh.
        *savepoint = Savepoint::None;
        return None;
    }
    *savepoint = Savepoint::Open;
    let mut lent = E::lend(connection);
    let outcome = AssertUnwindSafe(job(&mut lent)).catch_unwind().await;
    let Ok(outcome) = outcome else {
        tracing::error!("a queued write panicked; its changes are rolled back");
        if let Err(error) = E::run_raw(connection, ROLL_BACK_SAVEPOINT).await {
            tracing::error!(%error, "could not roll back a panicked write");
        }
        return None;
    };
    let ran =
        Ran { failed: !outcome.keep, storage_full: outcome.storage_full, deliver: outcome.deliver };
    if outcome.keep {
        return Some(ran);
    }
    // Rolling back a savepoint SQLite already rolled back (with its transaction) fails;
    // the batch loop finds out from SQLite's autocommit flag.
    if let Err(error) = E::run_raw(connection, ROLL_BACK_SAVEPOINT).await {
        tracing::debug!(%error, "a failed write's savepoint could not be rolled back");
    }
    Some(ran)
}

/// What the writer needs from an engine beyond sqlx's common API.
trait WriterEngine: sqlx::Database {
    /// Lends the writer's connection (inside the batch's savepoint) to a write.
    fn lend(connection: &mut Self::Connection) -> Conn<'_>;

    /// Opens a batch's transaction, ready to write.
    fn begin_batch(
        connection: &mut Self::Connection,
    ) -> BoxFuture<'_, Sql<sqlx::Transaction<'_, Self>>>;

    /// After a failed write: whether the engine dropped the whole batch's transaction.
    fn transaction_lost(connection: &mut Self::Connection) -> BoxFuture<'_, Sql<bool>>;

    /// Copies what it can of the write-ahead log into the database file, without waiting
    /// for any lock (a no-op where the engine checkpoints on its own).
    fn checkpoint(connection: &mut Self::Connection) -> BoxFuture<'_, Sql<()>>;

    /// Runs `sql` (one or more statements without parameters) in one round trip.
    fn run_raw<'c>(
        connection: &'c mut Self::Connection,
        sql: &'static str,
    ) -> BoxFuture<'c, Sql<()>>;
}

impl WriterEngine for sqlx::Sqlite {
    fn lend(connection: &mut SqliteConnection) -> Conn<'_> {
        Conn::Sqlite(connection)
    }

    /// `BEGIN IMMEDIATE`: take SQLite's write lock now, not at the first write.
    #[allow(clippy::disallowed_methods)]
    fn begin_batch(
        connection: &mut SqliteConnection,
    ) -> BoxFuture<'_, Sql<sqlx::Transaction<'_, Self>>> {
        Box::pin(connection.begin_with("BEGIN IMMEDIATE"))
    }

    /// SQLite's autocommit flag: on some errors (a full disk, an I/O error) it rolls the
    /// whole transaction back by itself.
    fn transaction_lost(connection: &mut SqliteConnection) -> BoxFuture<'_, Sql<bool>> {
        Box::pin(crate::db::health::autocommit(connection))
    }

    fn checkpoint(connection: &mut SqliteConnection) -> BoxFuture<'_, Sql<()>> {
        Box::pin(async move {
            let started = std::time::Instant::now();
            let done = crate::db::checkpoint::checkpoint(connection).await?;
            let us = started.elapsed().as_micros();
            tracing::debug!(?done, us, "the writer checkpointed to start the log afresh");
            Ok(())
        })
    }

    fn run_raw<'c>(
        connection: &'c mut SqliteConnection,
        sql: &'static str,
    ) -> BoxFuture<'c, Sql<()>> {
        Box::pin(async move { sqlx::Executor::execute(connection, sql).await.map(drop) })
    }
}

impl WriterEngine for sqlx::Postgres {
    fn lend(connection: &mut PgConnection) -> Conn<'_> {
        Conn::Postgres(connection)
    }

    /// `BEGIN`, then wait for the fleet's write lock (released at commit or rollback).
    #[allow(clippy::disallowed_methods)]
    fn begin_batch(
        connection: &mut PgConnection,
    ) -> BoxFuture<'_, Sql<sqlx::Transaction<'_, Self>>> {
        Box::pin(async move {
            let mut transaction = connection.begin().await?;
            sqlx::query("SELECT pg_advisory_xact_lock($1)")
                .bind(FLEET_WRITE_LOCK)
                .execute(&mut *transaction)
                .await?;
            Ok(transaction)
        })
    }

    /// PostgreSQL never drops a transaction on its own while the connection lives; a
    /// failed write was rolled back to its savepoint. If the transaction cannot answer
    /// a trivial query, it is gone (connection lost, or aborted).
    fn transaction_lost(connection: &mut PgConnection) -> BoxFuture<'_, Sql<bool>> {
        Box::pin(async move { Ok(sqlx::query("SELECT 1").execute(connection).await.is_err()) })
    }

    fn checkpoint(_connection: &mut PgConnection) -> BoxFuture<'_, Sql<()>> {
        Box::pin(async { Ok(()) })
    }

    fn run_raw<'c>(connection: &'c mut PgConnection, sql: &'static str) -> BoxFuture<'c, Sql<()>> {
        Box::pin(async move { sqlx::Executor::execute(connection, sql).await.map(drop) })
    }
}

#[cfg(test)]
pub(crate) mod tests;
