//! Full-text search over posts with SQLite FTS5.

use chrono::{DateTime, Utc};
use sqlx::{FromRow, SqliteConnection};

use crate::domain::discussion::{MARK_END, MARK_START};
use crate::domain::ids::{CommunityId, UserId};

/// A matching post.
#[derive(Debug, Clone, FromRow)]
pub struct Hit {
    /// The post's id.
    pub post_id: i64,
    /// Its thread.
    pub thread_id: i64,
    /// Its number.
    pub number: i64,
    /// The thread's title.
    pub thread_title: String,
    /// The community's slug.
    pub slug: String,
    /// The community's name.
    pub community: String,
    /// The author's handle.
    pub author: String,
    /// Matching text with marked matches.
    pub snippet: String,
    /// When it was written.
    pub created_at: DateTime<Utc>,
    /// Its relevance (lower is better), for the next page's cursor.
    pub rank: f64,
}

/// Where a results page continues: after this rank and post id.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SearchCursor {
    /// The last shown result's rank.
    pub rank: f64,
    /// The last shown result's post id.
    pub id: i64,
}

/// Posts matching `fts` (a query made safe by `domain::discussion::fts_query`) that
/// `viewer` may read — in public communities or ones they belong to, not deleted,
/// not hidden — optionally in one community; best match first among the newest 400
/// matches, keyset-paginated.
pub async fn search(
    db: &mut SqliteConnection,
    fts: &str,
    viewer: Option<UserId>,
    community: Option<CommunityId>,
    after: Option<SearchCursor>,
    limit: i64,
) -> Result<Vec<Hit>, sqlx::Error> {
    let (after_rank, after_id) = match after {
        Some(c) => (c.rank, c.id),
        None => (f64::MIN, i64::MIN),
    };
    // Rank the newest 400 matches (FTS5 walks its index newest first and stops there, so
    // a query matching half the site costs what a rare one does), keep one page, and only
    // then make snippets for that page: snippet() never runs on rows nobody will see.
    let mut hits: Vec<Hit> = sqlx::query_as(
        "WITH matches AS (
            SELECT rowid AS post_id, bm25(post_search, 5.0, 1.0) AS rank
              FROM post_search WHERE post_search MATCH ?1
             ORDER BY rowid DESC LIMIT 400
         )
         SELECT p.id AS post_id, p.thread_id, p.number, t.title AS thread_title, c.slug,
                c.name AS community, u.handle AS author, '' AS snippet, p.created_at, m.rank
           FROM matches m
           JOIN posts p ON p.id = m.post_id
           JOIN threads t ON t.id = p.thread_id
           JOIN communities c ON c.id = p.community_id
           JOIN users u ON u.id = p.author_id
          WHERE p.deleted_at IS NULL AND p.hidden_at IS NULL
            AND (?2 IS NULL OR p.community_id = ?2)
            AND (c.visibility = 'public'
                 OR EXISTS(SELECT 1 FROM memberships ms
                            WHERE ms.community_id = c.id AND ms.user_id = ?3 AND ms.status = 'active'))
            AND (m.rank > ?4 OR (m.rank = ?4 AND p.id > ?5))
          ORDER BY m.rank, p.id
          LIMIT ?6",
    )
    .bind(fts)
    .bind(community)
    .bind(viewer.map(|v| v.0).unwrap_or(0))
    .bind(after_rank)
    .bind(after_id)
    .bind(limit)
    .fetch_all(&mut *db)
    .await?;
    if hits.is_empty() {
        return Ok(hits);
    }
    let placeholders = vec!["?"; hits.len()].join(", ");
    let sql = format!(
        "SELECT rowid, snippet(post_search, 1, ?, ?, '…', 16) FROM post_search
          WHERE post_search MATCH ? AND rowid IN ({placeholders})"
    );
    let mut query = sqlx::query_as::<_, (i64, String)>(&sql)
        .bind(MARK_START.to_string())
        .bind(MARK_END.to_string())
        .bind(fts);
    for hit in &hits {
        query = query.bind(hit.post_id);
    }
    let snippets: std::collections::HashMap<i64, String> =
        query.fetch_all(&mut *db).await?.into_iter().collect();
    for hit in &mut hits {
        if let Some(snippet) = snippets.get(&hit.post_id) {
            hit.snippet.clone_from(snippet);
        }
    }
    Ok(hits)
}
