//! Moderation: hiding posts and the flags members raise.

use crate::db::statement::{all_rows, args, one_value, run};
use sqlx::FromRow;

use crate::db::{Db, Sql};
use crate::domain::ids::{CommunityId, UserId};

/// Hides a post with a reason.
pub async fn hide_post(db: impl Db<'_>, post: i64, moderator: UserId, reason: &str) -> Sql<()> {
    let sql = "UPDATE posts SET hidden_at = $4, hidden_by = $1, hidden_reason = $2 WHERE id = $3";
    run(db, sql, args![moderator, reason, post, crate::db::now()]).await?;
    Ok(())
}

/// Shows a hidden post again.
pub async fn unhide_post(db: impl Db<'_>, post: i64) -> Sql<()> {
    let sql =
        "UPDATE posts SET hidden_at = NULL, hidden_by = NULL, hidden_reason = '' WHERE id = $1";
    run(db, sql, args![post]).await?;
    Ok(())
}

/// Records a member's flag; fails with a unique violation if they already have one open on it.
pub async fn insert_flag(
    db: impl Db<'_>,
    community: CommunityId,
    post: i64,
    flagger: UserId,
    reason: &str,
) -> Sql<()> {
    let sql =
        "INSERT INTO flags (community_id, post_id, flagger_id, reason) VALUES ($1, $2, $3, $4)";
    run(db, sql, args![community, post, flagger, reason]).await?;
    Ok(())
}

/// Closes every open flag on a post as `upheld` or `dismissed`. Returns how many.
pub async fn resolve_flags(
    db: impl Db<'_>,
    post: i64,
    moderator: UserId,
    upheld: bool,
) -> Sql<u64> {
    let sql = "UPDATE flags SET status = $1, resolved_by = $2, resolved_at = $4
          WHERE post_id = $3 AND status = 'open'";
    let result = run(
        db,
        sql,
        args![if upheld { "upheld" } else { "dismissed" }, moderator, post, crate::db::now()],
    )
    .await?;
    Ok(result)
}

/// One open flag with its post, as the queue lists it.
#[derive(Debug, Clone, FromRow)]
pub struct OpenFlag {
    /// The post's id.
    pub post_id: i64,
    /// The post's thread.
    pub thread_id: i64,
    /// The post's number.
    pub number: i64,
    /// The thread's title.
    pub thread_title: String,
    /// The post's author.
    pub author: String,
    /// The post's HTML.
    pub body_html: String,
    /// Whether it is already hidden.
    pub hidden: bool,
    /// Who flagged it.
    pub flagger: String,
    /// Why.
    pub reason: String,
}

/// Open flags of a community, oldest first, at most `limit` (one query, joined).
pub async fn open_flags(db: impl Db<'_>, community: CommunityId, limit: i64) -> Sql<Vec<OpenFlag>> {
    let sql = "SELECT p.id AS post_id, p.thread_id, p.number, t.title AS thread_title, ua.handle AS author,
                p.body_html, p.hidden_at IS NOT NULL AS hidden, uf.handle AS flagger, f.reason
           FROM flags f
           JOIN posts p ON p.id = f.post_id
           JOIN threads t ON t.id = p.thread_id
           JOIN users ua ON ua.id = p.author_id
           JOIN users uf ON uf.id = f.flagger_id
          WHERE f.community_id = $1 AND f.status = 'open'
          ORDER BY f.id
          LIMIT $2";
    all_rows(db, sql, args![community, limit]).await
}

/// How many posts have open flags (for the moderators' navigation).
pub async fn open_flag_count(db: impl Db<'_>, community: CommunityId) -> Sql<i64> {
    let sql =
        "SELECT COUNT(DISTINCT post_id) FROM flags WHERE community_id = $1 AND status = 'open'";
    one_value(db, sql, args![community]).await
}
