//! Threads, posts, edit history, reactions and categories.
//!
//! Moderation (flags, hiding) lives in `db::moderation`; search in `db::search`.

use crate::db::statement::{
    Statement, all_rows, all_values, args, batch, one_value, optional_row, optional_value, run,
};
use chrono::{DateTime, Utc};
use sqlx::FromRow;

use super::Cursor;
use crate::db::{Db, Sql, Stamp, on_engine};
use crate::domain::discussion::{
    Category, ReactionCount, ReactionKind, ReplyTarget, Revision, ThreadSummary,
};
use crate::domain::ids::{CommunityId, UserId};

/// The newest possible cursor: keyset queries start below it instead of branching on "no cursor".
fn start_or(after: Option<&Cursor>) -> (String, i64) {
    match after {
        Some(c) => (c.at.clone(), c.id),
        None => ("9999".to_owned(), i64::MAX),
    }
}

/// A community's categories, by name.
pub async fn categories(db: impl Db<'_>, community: CommunityId) -> Sql<Vec<Category>> {
    on_engine!(db, |db| {
        let sql = "SELECT id, name FROM categories WHERE community_id = $1 ORDER BY name";
        let rows: Vec<(i64, String)> = all_rows(db, sql, args![community]).await?;
        Ok(rows.into_iter().map(|(id, name)| Category { id, name }).collect())
    })
}

/// Adds a category; fails with a unique violation when the name is taken.
pub async fn insert_category(db: impl Db<'_>, community: CommunityId, name: &str) -> Sql<i64> {
    let sql = "INSERT INTO categories (community_id, name) VALUES ($1, $2) RETURNING id";
    one_value(db, sql, args![community, name]).await
}

/// Removes a category (its threads stay, uncategorised). Returns its name if it existed.
pub async fn delete_category(
    db: impl Db<'_>,
    community: CommunityId,
    id: i64,
) -> Sql<Option<String>> {
    let sql = "DELETE FROM categories WHERE community_id = $1 AND id = $2 RETURNING name";
    optional_value(db, sql, args![community, id]).await
}

/// Whether `id` is one of the community's categories.
pub async fn category_exists(db: impl Db<'_>, community: CommunityId, id: i64) -> Sql<bool> {
    let sql = "SELECT EXISTS(SELECT 1 FROM categories WHERE community_id = $1 AND id = $2)";
    one_value(db, sql, args![community, id]).await
}

/// Starts a thread (its opening post is added with [`insert_post`]).
pub async fn insert_thread(
    db: impl Db<'_>,
    community: CommunityId,
    category: Option<i64>,
    author: UserId,
    title: &str,
) -> Sql<i64> {
    let sql = "INSERT INTO threads (community_id, category_id, author_id, title) VALUES ($1, $2, $3, $4) RETURNING id";
    one_value(db, sql, args![community, category, author, title]).await
}

/// A new post, ready to store.
pub struct NewPost<'a> {
    /// The thread it goes in.
    pub thread: i64,
    /// The thread's community.
    pub community: CommunityId,
    /// Who wrote it.
    pub author: UserId,
    /// The post it answers, if any.
    pub reply_to: Option<i64>,
    /// Markdown source.
    pub source: &'a str,
    /// Sanitised HTML.
    pub html: &'a str,
}

/// Appends a post to its thread and moves the thread's activity forward. Must run
/// in a write transaction (numbering reads the thread's last number). Returns (id, number).
pub async fn insert_post(tx: impl Db<'_>, post: NewPost<'_>) -> Sql<(i64, i64)> {
    insert_post_with(tx, post, &[]).await
}

/// [`insert_post`] and then `also` (statements of the same write that do not need the
/// post's number), as one [`batch`]: on SQLite one round trip for the writer.
pub async fn insert_post_with(
    tx: impl Db<'_>,
    post: NewPost<'_>,
    also: &[Statement<'_>],
) -> Sql<(i64, i64)> {
    // Numbered and inserted in one statement: the next number is read from the
    // `(thread_id, number)` index inside the same write.
    let insert = "INSERT INTO posts (thread_id, community_id, number, author_id, reply_to_id, body_source, body_html)
         SELECT $1, $2, COALESCE(MAX(number), 0) + 1, $3, $4, $5, $6 FROM posts WHERE thread_id = $1
         RETURNING id, number";
    let thread =
        "UPDATE threads SET post_count = (SELECT MAX(number) FROM posts WHERE thread_id = $1),
                last_post_at = $2
          WHERE id = $1";
    let mut statements = vec![
        Statement::new(
            insert,
            args![post.thread, post.community, post.author, post.reply_to, post.source, post.html],
        ),
        Statement::new(thread, args![post.thread, crate::db::now()]),
    ];
    statements.extend_from_slice(also);
    batch(tx, &statements).await?.into_iter().next().ok_or(sqlx::Error::RowNotFound)
}

const THREAD_SELECT: &str =
    "SELECT t.id, t.title, u.handle AS author, c.name AS category, t.pinned, t.locked,
        CASE WHEN t.post_count > 1 THEN t.post_count - 1 ELSE 0 END AS replies, t.last_post_at
   FROM threads t
   JOIN users u ON u.id = t.author_id
   LEFT JOIN categories c ON c.id = t.category_id";

/// One thread of a community, if it exists there.
pub async fn thread(
    db: impl Db<'_>,
    community: CommunityId,
    id: i64,
) -> Sql<Option<ThreadSummary>> {
    let sql = format!("{THREAD_SELECT} WHERE t.community_id = $1 AND t.id = $2");
    optional_row(db, &sql, args![community, id]).await
}

/// Threads of a community (optionally one category) that are pinned or not,
/// newest activity first, after `after`.
pub async fn threads(
    db: impl Db<'_>,
    community: CommunityId,
    category: Option<i64>,
    pinned: bool,
    after: Option<&Cursor>,
    limit: i64,
) -> Sql<Vec<ThreadSummary>> {
    on_engine!(db, |db| {
        let (at, id) = start_or(after);
        let filter = if category.is_some() { "t.category_id = $1" } else { "t.community_id = $1" };
        let sql = format!(
            "{THREAD_SELECT}
          WHERE {filter} AND t.pinned = $2 AND (t.last_post_at, t.id) < ($3, $4)
          ORDER BY t.last_post_at DESC, t.id DESC
          LIMIT $5"
        );
        all_rows(db, &sql, args![category.unwrap_or(community.0), pinned, at, id, limit]).await
    })
}

/// The cursor that continues after `thread`.
pub fn thread_cursor(thread: &ThreadSummary) -> Cursor {
    Cursor { at: super::timestamp(thread.last_post_at), id: thread.id }
}

/// A post as stored, with what pages and permission checks need.
#[derive(Debug, Clone, FromRow)]
pub struct PostRecord {
    /// Its id.
    pub id: i64,
    /// Its thread.
    pub thread_id: i64,
    /// Its number in the thread.
    pub number: i64,
    /// Who wrote it.
    pub author_id: UserId,
    /// Their handle.
    pub author: String,
    /// Their display name.
    pub author_name: String,
    /// Markdown source.
    pub body_source: String,
    /// Sanitised HTML.
    pub body_html: String,
    /// When it was written.
    #[sqlx(try_from = "crate::db::Stamp")]
    pub created_at: DateTime<Utc>,
    /// When it was last edited.
    #[sqlx(try_from = "crate::db::MaybeStamp")]
    pub edited_at: Option<DateTime<Utc>>,
    /// When it was deleted.
    #[sqlx(try_from = "crate::db::MaybeStamp")]
    pub deleted_at: Option<DateTime<Utc>>,
    /// When moderators hid it.
    #[sqlx(try_from = "crate::db::MaybeStamp")]
    pub hidden_at: Option<DateTime<Utc>>,
    /// Why.
    pub hidden_reason: String,
    /// The post it answers.
    pub reply_to_id: Option<i64>,
    /// That post's number.
    pub reply_to_number: Option<i64>,
    /// That post's author.
    pub reply_to_author: Option<String>,
}

impl PostRecord {
    /// The post it answers, if any.
    pub fn reply_target(&self) -> Option<ReplyTarget> {
        Some(ReplyTarget {
            id: self.reply_to_id?,
            number: self.reply_to_number?,
            author: self.reply_to_author.clone()?,
        })
    }
}

const POST_SELECT: &str = "SELECT p.id, p.thread_id, p.number, p.author_id, u.handle AS author,
        u.display_name AS author_name, p.body_source, p.body_html, p.created_at, p.edited_at,
        p.deleted_at, p.hidden_at, p.hidden_reason, p.reply_to_id,
        r.number AS reply_to_number, ru.handle AS reply_to_author
   FROM posts p
   JOIN users u ON u.id = p.author_id
   LEFT JOIN posts r ON r.id = p.reply_to_id
   LEFT JOIN users ru ON ru.id = r.author_id";

/// Up to `limit` posts of a thread numbered after `after`, in order: one indexed range read.
pub async fn posts_after(
    db: impl Db<'_>,
    thread: i64,
    after: i64,
    limit: i64,
) -> Sql<Vec<PostRecord>> {
    let sql = format!(
        "{POST_SELECT} WHERE p.thread_id = $1 AND p.number > $2 ORDER BY p.number LIMIT $3"
    );
    all_rows(db, &sql, args![thread, after, limit]).await
}

/// One post of a community, if it exists there.
pub async fn post(db: impl Db<'_>, community: CommunityId, id: i64) -> Sql<Option<PostRecord>> {
    let sql = format!("{POST_SELECT} WHERE p.community_id = $1 AND p.id = $2");
    optional_row(db, &sql, args![community, id]).await
}

/// Reaction counts for a thread's posts numbered `first..=last`, with whether `viewer` gave each:
/// one grouped query for the whole page. Returns (post id, count).
pub async fn reactions(
    db: impl Db<'_>,
    thread: i64,
    first: i64,
    last: i64,
    viewer: Option<UserId>,
) -> Sql<Vec<(i64, ReactionCount)>> {
    let sql = "SELECT r.post_id, r.kind, COUNT(*), COUNT(CASE WHEN r.user_id = $4 THEN 1 END) > 0
           FROM posts p JOIN reactions r ON r.post_id = p.id
          WHERE p.thread_id = $1 AND p.number BETWEEN $2 AND $3
          GROUP BY r.post_id, r.kind";
    let rows: Vec<(i64, String, i64, bool)> =
        all_rows(db, sql, args![thread, first, last, viewer.map(|v| v.0).unwrap_or(0)]).await?;
    Ok(rows
        .into_iter()
        .filter_map(|(post, kind, count, mine)| {
            Some((post, ReactionCount { kind: ReactionKind::parse(&kind)?, count, mine }))
        })
        .collect())
}

/// Which of a thread's posts numbered `first..=last` `viewer` has an open flag on.
pub async fn flagged_by(
    db: impl Db<'_>,
    thread: i64,
    first: i64,
    last: i64,
    viewer: UserId,
) -> Sql<Vec<i64>> {
    let sql = "SELECT f.post_id FROM posts p JOIN flags f ON f.post_id = p.id
          WHERE p.thread_id = $1 AND p.number BETWEEN $2 AND $3 AND f.flagger_id = $4 AND f.status = 'open'";
    all_values(db, sql, args![thread, first, last, viewer]).await
}

/// Gives the reaction, or takes it back if already given. Returns true when it was added.
pub async fn toggle_reaction(
    tx: impl Db<'_>,
    post: i64,
    user: UserId,
    kind: ReactionKind,
) -> Sql<bool> {
    on_engine!(tx, |tx| {
        let sql = "DELETE FROM reactions WHERE post_id = $1 AND user_id = $2 AND kind = $3";
        let removed = run(&mut *tx, sql, args![post, user, kind.as_str()]).await?;
        if removed > 0 {
            return Ok(false);
        }
        let sql = "INSERT INTO reactions (post_id, user_id, kind) VALUES ($1, $2, $3)";
        run(&mut *tx, sql, args![post, user, kind.as_str()]).await?;
        Ok(true)
    })
}

/// Replaces a post's body, keeping the old version in its history.
pub async fn edit_post(tx: impl Db<'_>, post: &PostRecord, source: &str, html: &str) -> Sql<()> {
    on_engine!(tx, |tx| {
        let sql = "INSERT INTO post_revisions (post_id, body_source, body_html, written_at) VALUES ($1, $2, $3, $4)";
        run(
            &mut *tx,
            sql,
            args![
                post.id,
                &post.body_source,
                &post.body_html,
                super::timestamp(post.edited_at.unwrap_or(post.created_at))
            ],
        )
        .await?;
        let sql = "UPDATE posts SET body_source = $1, body_html = $2, edited_at = $4 WHERE id = $3";
        run(&mut *tx, sql, args![source, html, post.id, crate::db::now()]).await?;
        Ok(())
    })
}

/// Marks a post deleted; the thread keeps its place as a placeholder.
pub async fn delete_post(db: impl Db<'_>, post: i64) -> Sql<()> {
    let sql = "UPDATE posts SET deleted_at = $2 WHERE id = $1 AND deleted_at IS NULL";
    run(db, sql, args![post, crate::db::now()]).await?;
    Ok(())
}

/// A post's earlier versions, oldest first.
pub async fn revisions(db: impl Db<'_>, post: i64) -> Sql<Vec<Revision>> {
    let sql = "SELECT body_html, written_at, replaced_at FROM post_revisions WHERE post_id = $1 ORDER BY id";
    let rows: Vec<(String, Stamp, Stamp)> = all_rows(db, sql, args![post]).await?;
    Ok(rows
        .into_iter()
        .map(|(html, written_at, replaced_at)| Revision {
            html,
            written_at: written_at.0,
            replaced_at: replaced_at.0,
        })
        .collect())
}

/// Pins or unpins a thread.
pub async fn set_pinned(db: impl Db<'_>, thread: i64, pinned: bool) -> Sql<()> {
    let sql = "UPDATE threads SET pinned = $1 WHERE id = $2";
    run(db, sql, args![pinned, thread]).await?;
    Ok(())
}

/// Locks or unlocks a thread.
pub async fn set_locked(db: impl Db<'_>, thread: i64, locked: bool) -> Sql<()> {
    let sql = "UPDATE threads SET locked = $1 WHERE id = $2";
    run(db, sql, args![locked, thread]).await?;
    Ok(())
}

/// How many of an author's newest posts the duplicate check compares. The posting limit
/// (one post per 5 seconds, `auth::throttle::PostThrottle`) lets nobody write more than 60
/// in the 5-minute window, so this covers the whole window; with the limits off (test
/// suites and the benchmark post as fast as they can) it keeps the check from reading
/// every post of a long burst.
const DUPLICATE_SCAN: i64 = 64;

/// Whether `author` wrote exactly `source` since `since` (duplicate refusal), among
/// their newest [`DUPLICATE_SCAN`] posts.
pub async fn wrote_same_since(
    db: impl Db<'_>,
    author: UserId,
    source: &str,
    since: &str,
) -> Sql<bool> {
    let sql = "SELECT EXISTS(SELECT 1 FROM (SELECT body_source FROM posts
                                  WHERE author_id = $1 AND created_at >= $2
                                  ORDER BY created_at DESC LIMIT $4) AS recent
                        WHERE body_source = $3)";
    one_value(db, sql, args![author, since, source, DUPLICATE_SCAN]).await
}

/// An account a post mentions.
#[derive(Debug, Clone, FromRow)]
pub struct Mentioned {
    /// The account.
    pub id: UserId,
    /// Its handle.
    pub handle: String,
    /// Whether it is an active member of the community (only members are notified).
    pub is_member: bool,
}

/// Of `handles`, the accounts that exist, and whether each belongs to `community`.
pub async fn mentionable(
    db: impl Db<'_>,
    community: CommunityId,
    handles: &[String],
) -> Sql<Vec<Mentioned>> {
    on_engine!(db, |db| {
        if handles.is_empty() {
            return Ok(Vec::new());
        }
        // $1 is the community; the handles are $2, $3, …
        let placeholders =
            (2..handles.len() + 2).map(|n| format!("${n}")).collect::<Vec<_>>().join(", ");
        let sql = format!(
        "SELECT u.id, u.handle,
                EXISTS(SELECT 1 FROM memberships m
                        WHERE m.community_id = $1 AND m.user_id = u.id AND m.status = 'active') AS is_member
           FROM users u WHERE u.handle IN ({placeholders})"
    );
        let mut query = sqlx::query_as(&sql).bind(community);
        for handle in handles {
            query = query.bind(handle);
        }
        query.fetch_all(&mut *db).await
    })
}

/// When `user` joined `community`, if they belong.
pub async fn joined_at(
    db: impl Db<'_>,
    community: CommunityId,
    user: UserId,
) -> Sql<Option<DateTime<Utc>>> {
    let sql = "SELECT joined_at FROM memberships WHERE community_id = $1 AND user_id = $2 AND status = 'active'";
    let joined: Option<Stamp> = optional_value(db, sql, args![community, user]).await?;
    Ok(joined.map(|at| at.0))
}
