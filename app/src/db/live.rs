//! The live-event log (`live_events`): what open pages may want to show at once. Writes
//! add rows in their own transactions; each instance reads the rows after the last one it
//! has seen and pushes them to its browsers (`services::live`).

use crate::db::statement::{Statement, all_rows, args, one_value, run};
use chrono::{DateTime, Utc};

use crate::db::{Db, Sql, timestamp};
use crate::domain::ids::{CommunityId, UserId};

/// What happened, as the log records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LiveKind {
    /// A new post in a thread.
    Post { community: CommunityId, thread: i64 },
    /// A new in-app notification for someone.
    Notice { to: UserId },
}

/// One row of the log.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct LiveRow {
    /// Its place in the log (ids only grow).
    pub id: i64,
    /// `post` or `notice`.
    pub kind: String,
    /// The community a post was made in.
    pub community_id: Option<i64>,
    /// The thread a post was made in.
    pub thread_id: Option<i64>,
    /// Who a notice is for.
    pub user_id: Option<i64>,
}

/// Adds `event` to the log, in the caller's transaction.
pub async fn record(db: impl Db<'_>, event: LiveKind) -> Sql<()> {
    let insert = event_insert(event);
    run(db, insert.sql, &insert.args).await?;
    Ok(())
}

/// The statement [`record`] runs, for a write's batch.
pub fn event_insert(event: LiveKind) -> Statement<'static> {
    let (kind, community, thread, user) = match event {
        LiveKind::Post { community, thread } => ("post", Some(community.0), Some(thread), None),
        LiveKind::Notice { to } => ("notice", None, None, Some(to.0)),
    };
    let sql = "INSERT INTO live_events (kind, community_id, thread_id, user_id, created_at)
             VALUES ($1, $2, $3, $4, $5)";
    Statement::new(sql, args![kind, community, thread, user, crate::db::now()])
}

/// Up to `limit` rows after `after`, oldest first.
pub async fn after(db: impl Db<'_>, after: i64, limit: i64) -> Sql<Vec<LiveRow>> {
    let sql = "SELECT id, kind, community_id, thread_id, user_id FROM live_events
              WHERE id > $1 ORDER BY id LIMIT $2";
    all_rows(db, sql, args![after, limit]).await
}

/// The newest row's id (0 for an empty log).
pub async fn newest(db: impl Db<'_>) -> Sql<i64> {
    let sql = "SELECT COALESCE(MAX(id), 0) FROM live_events";
    one_value(db, sql, args![]).await
}

/// Forgets rows written before `before`; returns how many.
pub async fn forget_before(db: impl Db<'_>, before: DateTime<Utc>) -> Sql<u64> {
    let sql = "DELETE FROM live_events WHERE created_at < $1";
    let done = run(db, sql, args![timestamp(before)]).await?;
    Ok(done)
}

/// The channel the trigger on `live_events` notifies (PostgreSQL).
pub const DOORBELL_CHANNEL: &str = "kindred_live";

/// The name a listener's connection shows in `pg_stat_activity`.
pub const LISTENER_NAME: &str = "kindred-live";

/// A PostgreSQL connection of its own, listening on [`DOORBELL_CHANNEL`]; `None` on
/// SQLite, whose one instance hears its own writer instead.
pub async fn listen(pool: &crate::db::Pool) -> Sql<Option<sqlx::postgres::PgListener>> {
    let crate::db::Pool::Postgres(requests) = pool else {
        return Ok(None);
    };
    let options = (*requests.connect_options()).clone().application_name(LISTENER_NAME);
    // Its own one-connection pool: the listener reconnects through it after a lost
    // connection, and never takes a connection requests need.
    let own = sqlx::postgres::PgPoolOptions::new()
        .max_connections(1)
        .connect_lazy_with(options.options([("default_transaction_read_only", "off")]));
    let mut listener = sqlx::postgres::PgListener::connect_with(&own).await?;
    listener.listen(DOORBELL_CHANNEL).await?;
    Ok(Some(listener))
}
