//! Live updates: new posts and notifications pushed to the browsers that show them.
//!
//! Writes add rows to the live-event log (`db::live`) in their own transactions. Each
//! instance runs one [`LiveHub`]: when its doorbell rings it reads the rows after the last
//! one it has seen and hands them to every open stream on this instance (`GET /live`).
//! The doorbell is the writer's commit counter on SQLite (one instance), and PostgreSQL's
//! `NOTIFY` on a fleet, rung by a trigger when a transaction that logged an event commits.
//! Notifications are only a hint: the log is the truth, so a doorbell missed while a
//! listener reconnects costs nothing — the next read, on reconnecting or on the periodic
//! resynchronisation, finds every row after the last one seen.

use std::time::Duration;

use sqlx::postgres::PgListener;
use tokio::sync::{broadcast, watch};

use crate::db::live::LiveRow;
use crate::db::{self, Pool};
use crate::domain::ids::{CommunityId, UserId};

/// How often the hub reads the log even when no doorbell rang.
pub const RESYNC_EVERY: Duration = Duration::from_secs(15);

/// How many events the hub reads at a time.
const READ_BATCH: i64 = 500;

/// How many events a slow stream may fall behind before it skips ahead (its page then
/// refetches, which shows everything anyway).
const STREAM_BACKLOG: usize = 256;

/// Something an open page may want to show at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LiveEvent {
    /// A new post in `thread`.
    Post { community: CommunityId, thread: i64 },
    /// A new notification for `to`.
    Notice { to: UserId },
}

impl LiveEvent {
    fn from_row(row: &LiveRow) -> Option<LiveEvent> {
        match (row.kind.as_str(), row.community_id, row.thread_id, row.user_id) {
            ("post", Some(community), Some(thread), _) => {
                Some(LiveEvent::Post { community: CommunityId(community), thread })
            }
            ("notice", _, _, Some(to)) => Some(LiveEvent::Notice { to: UserId(to) }),
            _ => None,
        }
    }
}

/// This instance's fan-out of live events to its open streams. Cheap to clone.
#[derive(Clone)]
pub struct LiveHub {
    sender: broadcast::Sender<LiveEvent>,
    /// Becomes `true` when the instance is shutting down: open streams end.
    closing: std::sync::Arc<watch::Sender<bool>>,
}

impl Default for LiveHub {
    fn default() -> Self {
        Self {
            sender: broadcast::channel(STREAM_BACKLOG).0,
            closing: std::sync::Arc::new(watch::channel(false).0),
        }
    }
}

/// What tells the hub that new events may have been logged.
pub enum Doorbell {
    /// The lone instance's writer committed a batch (SQLite).
    Commits(watch::Receiver<u64>),
    /// PostgreSQL's `NOTIFY` from the log's trigger, heard on a connection of its own.
    Notify(PgListener),
}

/// Why the hub woke.
#[derive(Debug, PartialEq, Eq)]
enum Wake {
    Rung,
    /// The listener's connection was lost and made again: doorbells may have been missed.
    Reconnected,
    /// Nothing more will ring (the writer stopped); rely on resynchronising.
    Silent,
}

impl Doorbell {
    /// The doorbell for `pool`'s engine.
    pub async fn for_pool(pool: &Pool, writes: &db::writer::WriteQueue) -> db::Sql<Doorbell> {
        Ok(match db::live::listen(pool).await? {
            Some(listener) => Doorbell::Notify(listener),
            None => Doorbell::Commits(writes.commits()),
        })
    }

    async fn ring(&mut self) -> Wake {
        match self {
            Doorbell::Commits(commits) => match commits.changed().await {
                Ok(()) => Wake::Rung,
                Err(_) => Wake::Silent,
            },
            Doorbell::Notify(listener) => match listener.try_recv().await {
                Ok(Some(_)) => Wake::Rung,
                Ok(None) => Wake::Reconnected,
                Err(error) => {
                    tracing::warn!(%error, "the live-update listener lost PostgreSQL; retrying");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                    Wake::Reconnected
                }
            },
        }
    }
}

impl LiveHub {
    /// A stream of this instance's live events from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<LiveEvent> {
        self.sender.subscribe()
    }

    /// Ends every open stream (at shutdown: browsers reconnect, through the proxy, to
    /// an instance that is staying, instead of holding this one open until it is killed).
    pub fn close(&self) {
        self.closing.send_replace(true);
    }

    /// Resolves once [`LiveHub::close`] was called.
    pub fn closed(&self) -> impl std::future::Future<Output = ()> + Send + 'static {
        let mut closing = self.closing.subscribe();
        async move {
            // An error means the hub is gone, which ends the streams too.
            let _ = closing.wait_for(|closing| *closing).await;
        }
    }

    /// Reads the log and fans its new rows out, whenever `doorbell` rings and every
    /// [`RESYNC_EVERY`]; runs until the runtime stops (it writes nothing).
    pub async fn run(self, pool: Pool, mut doorbell: Doorbell) {
        let mut last = match db::live::newest(&pool).await {
            Ok(newest) => newest,
            Err(error) => {
                tracing::error!(%error, "could not read the live-event log");
                0
            }
        };
        let mut resync = tokio::time::interval(RESYNC_EVERY);
        let mut silent = false;
        loop {
            tokio::select! {
                wake = doorbell.ring(), if !silent => {
                    if wake == Wake::Reconnected {
                        tracing::info!("the live-update listener reconnected; catching up");
                    }
                    silent = wake == Wake::Silent;
                }
                _ = resync.tick() => {}
            }
            last = self.fan_out(&pool, last).await;
        }
    }

    /// Hands every logged event after `last` to the open streams; returns the newest id
    /// read. With no stream open nothing is read (a stream opened later starts from then).
    async fn fan_out(&self, pool: &Pool, mut last: i64) -> i64 {
        if self.sender.receiver_count() == 0 {
            return db::live::newest(pool).await.unwrap_or(last);
        }
        loop {
            let rows = match db::live::after(pool, last, READ_BATCH).await {
                Ok(rows) => rows,
                Err(error) => {
                    tracing::warn!(%error, "could not read the live-event log; retrying later");
                    return last;
                }
            };
            for row in &rows {
                if let Some(event) = LiveEvent::from_row(row) {
                    // No open stream is not an error.
                    let _ = self.sender.send(event);
                }
                last = row.id;
            }
            if (rows.len() as i64) < READ_BATCH {
                return last;
            }
        }
    }
}

/// How long the log keeps an event: long enough for every hub to have read it.
pub const KEEP_EVENTS_FOR: Duration = Duration::from_secs(300);

/// Forgets events older than [`KEEP_EVENTS_FOR`] (run by the upkeep); returns how many.
pub async fn forget_old(writes: &db::writer::WriteQueue) -> Result<u64, crate::error::AppError> {
    let before = chrono::Utc::now()
        - chrono::Duration::from_std(KEEP_EVENTS_FOR).unwrap_or(chrono::Duration::minutes(5));
    writes
        .run(move |conn| {
            Box::pin(async move { Ok(db::live::forget_before(&mut *conn, before).await?) })
        })
        .await
}
