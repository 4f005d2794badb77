//! Full-text search over posts: SQLite FTS5, or PostgreSQL's text search.

use crate::db::{Db, Engine, Sql, engine_of, on_engine};
use chrono::{DateTime, Utc};
use sqlx::FromRow;

use crate::domain::discussion::{FtsQuery, MARK_END, MARK_START};
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
    #[sqlx(try_from = "crate::db::Stamp")]
    pub created_at: DateTime<Utc>,
    /// Its relevance (lower is better), for the next page's cursor.
    pub rank: f64,
}

/// Where a results page continues: after this rank and post id, in the same form of
/// the query as the page before.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SearchCursor {
    /// The last shown result's rank.
    pub rank: f64,
    /// The last shown result's post id.
    pub id: i64,
    /// Whether the pages come from the prefix form of the query.
    pub prefix: bool,
}

impl SearchCursor {
    /// The URL form: `rank~id`, or `rank~id~p` for the prefix form.
    pub fn encode(&self) -> String {
        let form = if self.prefix { "~p" } else { "" };
        format!("{}~{}{form}", self.rank, self.id)
    }

    /// Parses the URL form; anything malformed is `None` (first page).
    pub fn decode(text: &str) -> Option<SearchCursor> {
        let (text, prefix) = match text.strip_suffix("~p") {
            Some(rest) => (rest, true),
            None => (text, false),
        };
        let (rank, id) = text.rsplit_once('~')?;
        Some(SearchCursor {
            rank: rank.parse().ok().filter(|r: &f64| r.is_finite())?,
            id: id.parse().ok()?,
            prefix,
        })
    }
}

/// A page of results and the form of the query that found them.
#[derive(Debug, Clone, Default)]
pub struct Found {
    /// Best match first.
    pub hits: Vec<Hit>,
    /// True when they come from the prefix form (the last word as a word start).
    pub prefix: bool,
}

/// Posts matching `query` that `viewer` may read — in public communities or ones they
/// belong to, not deleted, not hidden — optionally in one community; best match first
/// among the newest 400 matches, keyset-paginated.
///
/// The first page tries whole words first and turns to the prefix form only when that
/// finds less than a page: a prefix term makes the index merge the posting lists of every
/// word it starts, which for a common word costs more than the rest of the search.
///
/// SQLite searches its FTS5 table; PostgreSQL the posts' `search_document` (a weighted
/// `tsvector` kept by trigger, GIN-indexed). The ranking query and the cursor are the
/// same on both: rank ascending, lower is better.
pub async fn search(
    db: impl Db<'_>,
    query: &FtsQuery,
    viewer: Option<UserId>,
    community: Option<CommunityId>,
    after: Option<SearchCursor>,
    limit: i64,
) -> Sql<Found> {
    on_engine!(db, |db| {
        let mut prefix = after.is_some_and(|c| c.prefix);
        let form = |prefix: bool| {
            if prefix { query.with_prefix.as_str() } else { query.whole_words.as_str() }
        };
        let mut hits = ranked(&mut *db, form(prefix), viewer, community, after, limit).await?;
        if after.is_none() && !prefix && (hits.len() as i64) < limit {
            prefix = true;
            hits = ranked(&mut *db, form(prefix), viewer, community, None, limit).await?;
        }
        if engine_of(&*db) == Engine::Sqlite {
            add_snippets(&mut *db, form(prefix), &mut hits).await?;
        }
        Ok(Found { hits, prefix })
    })
}

/// SQLite: rank the newest 400 matches (FTS5 walks its index newest first and stops
/// there, so a query matching half the site costs what a rare one does), each with its
/// post's community and whether the post is shown (not deleted, not hidden).
const SQLITE_MATCHES: &str = "SELECT s.post_id, s.rank, p.community_id,
           p.deleted_at IS NULL AND p.hidden_at IS NULL AS shown
      FROM (SELECT rowid AS post_id, kindred_rank(post_search, 5.0, 1.0) AS rank
              FROM post_search WHERE post_search MATCH $1
             ORDER BY rowid DESC LIMIT 400) s
      JOIN posts p ON p.id = s.post_id";

/// PostgreSQL: the same over the posts themselves (the plan walks the newest posts, or the
/// GIN index for a rare word), reading the community and state in the same pass;
/// `ts_rank` (higher is better) is negated so the order and the cursor match SQLite's.
const POSTGRES_MATCHES: &str = "SELECT p.id AS post_id,
           -CAST(ts_rank(p.search_document, to_tsquery('kindred_search', $1)) AS DOUBLE PRECISION) AS rank,
           p.community_id, p.deleted_at IS NULL AND p.hidden_at IS NULL AS shown
      FROM posts p
     WHERE p.search_document @@ to_tsquery('kindred_search', $1)
     ORDER BY p.id DESC LIMIT 400";

/// PostgreSQL's snippet, made in the ranking query for the page's rows alone (`$7` and
/// `$8` are the match marks).
const POSTGRES_SNIPPET: &str =
    "ts_headline('kindred_search', p.body_source, to_tsquery('kindred_search', $1),
                'MaxFragments=1, MaxWords=16, MinWords=6, FragmentDelimiter=…, '
                || 'StartSel=' || $7 || ', StopSel=' || $8)";

/// One page of the ranked matches the viewer may read (the same on both engines). The
/// page is chosen first, from what the matches carry (the post's community and whether it
/// is shown) and the community's visibility; its thread, author and community names, and
/// the `snippet` expression over the post `p`, are read for that page's rows alone.
fn ranked_sql(matches: &str, snippet: &str) -> String {
    format!(
        "WITH matches AS ({matches}),
         page AS (
             SELECT m.post_id, m.rank
               FROM matches m
               JOIN communities c ON c.id = m.community_id
              WHERE m.shown
                AND ($2 IS NULL OR m.community_id = $2)
                AND (c.visibility = 'public'
                     OR EXISTS(SELECT 1 FROM memberships ms
                                WHERE ms.community_id = c.id AND ms.user_id = $3 AND ms.status = 'active'))
                AND (m.rank > $4 OR (m.rank = $4 AND m.post_id > $5))
              ORDER BY m.rank, m.post_id
              LIMIT $6)
         SELECT p.id AS post_id, p.thread_id, p.number, t.title AS thread_title, c.slug,
                c.name AS community, u.handle AS author, {snippet} AS snippet, p.created_at, pg.rank
           FROM page pg
           JOIN posts p ON p.id = pg.post_id
           JOIN threads t ON t.id = p.thread_id
           JOIN communities c ON c.id = p.community_id
           JOIN users u ON u.id = p.author_id
          ORDER BY pg.rank, p.id"
    )
}

/// The query in the engine's own syntax: FTS5's as built by
/// [`crate::domain::discussion::fts_query`], or a `to_tsquery` text made from the same
/// words (each a quoted lexeme — only letters and digits reach here — joined by `&`,
/// the last with `:*` in the prefix form), so user text never reaches `to_tsquery` raw.
pub fn engine_query(engine: Engine, fts: &str) -> String {
    match engine {
        Engine::Sqlite => fts.to_owned(),
        Engine::Postgres => tsquery_text(fts),
    }
}

/// `"river" "clean"*` → `'river' & 'clean':*`.
fn tsquery_text(fts: &str) -> String {
    let prefix = fts.ends_with('*');
    let words: Vec<&str> = fts
        .split('"')
        .map(str::trim)
        .filter(|w| !w.is_empty() && *w != "*")
        .filter(|w| w.chars().all(char::is_alphanumeric))
        .collect();
    let last = words.len().saturating_sub(1);
    words
        .iter()
        .enumerate()
        .map(|(i, w)| if prefix && i == last { format!("'{w}':*") } else { format!("'{w}'") })
        .collect::<Vec<_>>()
        .join(" & ")
}

async fn ranked(
    db: impl Db<'_>,
    fts: &str,
    viewer: Option<UserId>,
    community: Option<CommunityId>,
    after: Option<SearchCursor>,
    limit: i64,
) -> Sql<Vec<Hit>> {
    on_engine!(db, |db| {
        let (after_rank, after_id) = match after {
            Some(c) => (c.rank, c.id),
            None => (f64::MIN, i64::MIN),
        };
        let engine = engine_of(&*db);
        let sql = match engine {
            Engine::Sqlite => ranked_sql(SQLITE_MATCHES, "''"),
            Engine::Postgres => ranked_sql(POSTGRES_MATCHES, POSTGRES_SNIPPET),
        };
        let query = sqlx::query_as(&sql)
            .bind(engine_query(engine, fts))
            .bind(community)
            .bind(viewer.map(|v| v.0).unwrap_or(0))
            .bind(after_rank)
            .bind(after_id)
            .bind(limit);
        let query = match engine {
            Engine::Sqlite => query,
            Engine::Postgres => query.bind(MARK_START.to_string()).bind(MARK_END.to_string()),
        };
        query.fetch_all(&mut *db).await
    })
}

/// SQLite's snippets, for the page's hits only: one pass over the matches between the
/// page's lowest and highest post id (at most the 400 ranked), making a snippet only for
/// the page's ids (a `rowid IN (...)` filter would run the whole match once per id).
/// FTS5's `snippet()` works only in a query on its own table, so this is a second query;
/// PostgreSQL makes its snippets in the ranking query ([`POSTGRES_SNIPPET`]).
async fn add_snippets(db: impl Db<'_>, fts: &str, hits: &mut [Hit]) -> Sql<()> {
    on_engine!(db, |db| {
        let ids = hits.iter().map(|h| h.post_id);
        let (Some(low), Some(high)) = (ids.clone().min(), ids.max()) else {
            return Ok(());
        };
        let placeholders =
            (0..hits.len()).map(|i| format!("${}", i + 6)).collect::<Vec<_>>().join(", ");
        let sql = format!(
            "SELECT rowid, CASE WHEN rowid IN ({placeholders})
                                THEN snippet(post_search, 1, $1, $2, '…', 16) END
               FROM post_search
              WHERE post_search MATCH $3 AND rowid BETWEEN $4 AND $5"
        );
        let mut query = sqlx::query_as::<_, (i64, Option<String>)>(&sql)
            .bind(MARK_START.to_string())
            .bind(MARK_END.to_string())
            .bind(fts)
            .bind(low)
            .bind(high);
        for hit in hits.iter() {
            query = query.bind(hit.post_id);
        }
        let rows = query.fetch_all(&mut *db).await?;
        let snippets: std::collections::HashMap<i64, String> =
            rows.into_iter().filter_map(|(id, snippet)| Some((id, snippet?))).collect();
        for hit in hits.iter_mut() {
            if let Some(snippet) = snippets.get(&hit.post_id) {
                hit.snippet.clone_from(snippet);
            }
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_in_both_forms_and_refuse_junk() {
        for prefix in [false, true] {
            let cursor = SearchCursor { rank: -3.25, id: 42, prefix };
            assert_eq!(SearchCursor::decode(&cursor.encode()), Some(cursor));
        }
        assert_eq!(SearchCursor::decode("garbage"), None);
        assert_eq!(SearchCursor::decode("inf~3"), None);
        assert_eq!(SearchCursor::decode("1.5~x~p"), None);
    }

    #[test]
    fn postgres_queries_are_quoted_words_with_an_optional_prefix() {
        let query = crate::domain::discussion::fts_query("River's clean-up, it's").unwrap();
        assert_eq!(tsquery_text(&query.whole_words), "'River' & 's' & 'clean' & 'up' & 'it' & 's'");
        assert_eq!(
            tsquery_text(&query.with_prefix),
            "'River' & 's' & 'clean' & 'up' & 'it' & 's':*"
        );
        assert_eq!(engine_query(Engine::Sqlite, &query.whole_words), query.whole_words);
    }
}
