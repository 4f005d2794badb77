//! In-app notices.

use crate::db::{Db, Sql};
use crate::domain::ids::UserId;
use crate::domain::notification::Notification;

/// Adds a notice for `user`.
pub async fn notify(db: impl Db<'_>, user: UserId, body: &str, link: &str) -> Sql<()> {
    sqlx::query("INSERT INTO notifications (user_id, body, link) VALUES (?, ?, ?)")
        .bind(user)
        .bind(body)
        .bind(link)
        .execute(db)
        .await?;
    Ok(())
}

/// A person's newest notices.
pub async fn recent(db: impl Db<'_>, user: UserId, limit: i64) -> Sql<Vec<Notification>> {
    sqlx::query_as(
        "SELECT id, body, link, created_at AS at, read_at IS NULL AS unread
           FROM notifications WHERE user_id = ? ORDER BY id DESC LIMIT ?",
    )
    .bind(user)
    .bind(limit)
    .fetch_all(db)
    .await
}

/// How many notices are unread.
pub async fn unread_count(db: impl Db<'_>, user: UserId) -> Sql<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM notifications WHERE user_id = ? AND read_at IS NULL")
        .bind(user)
        .fetch_one(db)
        .await
}

/// Marks all of a person's notices read.
pub async fn mark_all_read(db: impl Db<'_>, user: UserId) -> Sql<()> {
    sqlx::query(
        "UPDATE notifications SET read_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE user_id = ? AND read_at IS NULL",
    )
    .bind(user)
    .execute(db)
    .await?;
    Ok(())
}
