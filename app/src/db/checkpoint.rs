//! Checkpoints off the write path: SQLite's write-ahead log is copied back into the
//! database file by a task of its own, and the writer only starts the log afresh.
//!
//! By default the connection whose commit takes the log past 1,000 pages copies it back
//! (`wal_autocheckpoint`) inside that commit. In Kindred that is always the writer
//! ([`crate::db::writer`]), so several times a second under load one batch's commit also
//! wrote a thousand pages into the database file and waited for its `fsync` — 12 to 68 ms
//! while every queued write waited behind it (docs/PERFORMANCE.md, "Writes, 6 December,
//! checkpoints"). The writer's connection turns that off, and [`start`] runs a `PASSIVE`
//! checkpoint on a connection of its own shortly after commits: it copies what no reader
//! still needs while the writer goes on appending to the log.
//!
//! A log that is wholly copied back is started again from its beginning by the next write
//! transaction — but only if that transaction began after the copy was complete, which
//! under steady writes never happens by chance: the next batch is always already running.
//! So when the log passes [`Cadence::restart_at_frames`] the checkpointer asks the writer
//! ([`LogRestart`]) to checkpoint once itself between two batches. By then the background
//! checkpoints have copied nearly everything, so the writer copies only the last few
//! batches' pages, and its next batch starts the log afresh: the file stays bounded.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, SqliteConnection};
use tokio::sync::watch;

use crate::db::Sql;

/// When the checkpointer copies the log back, and when it asks the writer to start it
/// afresh.
#[derive(Debug, Clone, Copy)]
pub struct Cadence {
    /// How long after a commit the checkpointer waits before copying the log back, so
    /// that one checkpoint (one `fsync` of the database file) serves every commit between.
    pub after: Duration,
    /// The log's length in pages past which the writer is asked to start it afresh.
    pub restart_at_frames: i64,
}

impl Default for Cadence {
    /// A quarter of a second, and 8,192 pages (32 MiB of 4 KiB pages): at the benchmark's
    /// two thousand contributions a second the writer checkpoints about once a second,
    /// copying what a quarter of a second committed.
    fn default() -> Cadence {
        Cadence { after: Duration::from_millis(250), restart_at_frames: 8192 }
    }
}

/// The checkpointer's request that the writer checkpoint once before its next batch; cheap
/// to clone.
#[derive(Debug, Clone, Default)]
pub struct LogRestart(Arc<AtomicBool>);

impl LogRestart {
    /// Asks for a checkpoint before the writer's next batch.
    pub fn ask(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    /// Whether a checkpoint was asked for since the last call (and clears the request).
    pub fn take(&self) -> bool {
        self.0.swap(false, Ordering::Relaxed)
    }
}

/// What one checkpoint did, as SQLite reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::FromRow)]
pub struct Checkpointed {
    /// 1 when a connection held a lock the checkpoint needed (it copied what it could).
    pub busy: i64,
    /// Pages in the log.
    pub log: i64,
    /// Pages of the log now in the database file.
    pub checkpointed: i64,
}

/// Opens a connection of its own with `options` and, until `commits` closes (the writer
/// stopped), checkpoints the log `cadence.after` after each commit, asking the writer
/// through `restart` when the log has grown too long. The writer's connection must have
/// `wal_autocheckpoint` off (`WriteQueue::start` does all this).
pub async fn start(
    options: SqliteConnectOptions,
    mut commits: watch::Receiver<u64>,
    restart: LogRestart,
    cadence: Cadence,
) -> Sql<()> {
    let mut connection = options.connect().await?;
    tokio::spawn(async move {
        while commits.changed().await.is_ok() {
            tokio::time::sleep(cadence.after).await;
            // Commits made while it waited are covered by this checkpoint.
            commits.borrow_and_update();
            match copy_back(&mut connection, cadence.restart_at_frames).await {
                Ok(done) if done.log >= cadence.restart_at_frames => restart.ask(),
                Ok(_) => {}
                Err(error) => tracing::warn!(%error, "could not checkpoint the write-ahead log"),
            }
        }
    });
    Ok(())
}

/// At most this many checkpoints in a row before the writer is asked for its own: each
/// copies what the commits during the one before it added, so the last leaves it little.
const PASSES: usize = 4;

/// A pass that copied fewer pages than this leaves the writer little to copy.
const SMALL_PASS_FRAMES: i64 = 128;

/// Checkpoints once, and returns SQLite's report. When the log has reached
/// `restart_at_frames` (the writer will be asked to start it afresh), checkpoints again
/// until a pass finds little new to copy (or [`PASSES`] ran), and returns the last report.
async fn copy_back(connection: &mut SqliteConnection, restart_at_frames: i64) -> Sql<Checkpointed> {
    let started = std::time::Instant::now();
    let mut done = checkpoint(&mut *connection).await?;
    let passes = if done.log >= restart_at_frames { PASSES } else { 1 };
    for _ in 1..passes {
        let before = done.log;
        done = checkpoint(&mut *connection).await?;
        // The log restarted meanwhile (it is shorter), or little came in during the pass.
        if done.log < before || done.log - before < SMALL_PASS_FRAMES {
            break;
        }
    }
    tracing::debug!(?done, us = started.elapsed().as_micros(), "checkpointed the write-ahead log");
    Ok(done)
}

/// Copies into the database file every page of the log that no reader still needs,
/// without waiting for any lock (`PRAGMA wal_checkpoint(PASSIVE)`).
pub async fn checkpoint(connection: &mut SqliteConnection) -> Sql<Checkpointed> {
    sqlx::query_as("PRAGMA wal_checkpoint(PASSIVE)").fetch_one(connection).await
}
