//! Search: a page of the posts a viewer may read and, on the first page, the library
//! resources that match, looked up at the same time on two connections.

use crate::db::Pool;
use crate::db::library as resources;
use crate::db::search::{self as store, SearchCursor};
use crate::domain::community::Community;
use crate::domain::discussion::{RESULTS_PER_PAGE, SearchHit, SearchPage, fts_query, post_link};
use crate::domain::ids::UserId;
use crate::error::AppError;

/// Resources shown above the posts on a first page.
const RESOURCES_SHOWN: i64 = 5;

/// Searches for `query` (any text; at most 200 characters are used) as `viewer`,
/// site-wide or in `community` (whose page the caller may view; `leader` is whether the
/// viewer leads it, for its navigation), continuing after `after` when given.
pub async fn search(
    pool: &Pool,
    query: String,
    viewer: Option<UserId>,
    community: Option<(&Community, bool)>,
    after: Option<&str>,
) -> Result<SearchPage, AppError> {
    let query: String = query.chars().take(200).collect();
    let cursor = after.and_then(SearchCursor::decode);
    let in_community = community.map(|(c, _)| c.id);
    let (found, resources) = match fts_query(&query) {
        Some(fts) => {
            let posts = async {
                let mut conn = pool.acquire().await?;
                store::search(&mut conn, &fts, viewer, in_community, cursor, RESULTS_PER_PAGE + 1)
                    .await
                    .map_err(AppError::from)
            };
            let resources = async {
                if cursor.is_some() {
                    return Ok(Vec::new());
                }
                // Whole words first; the prefix form only when they find nothing.
                let find =
                    |words| resources::search(pool, words, viewer, in_community, RESOURCES_SHOWN);
                let mut hits = find(&fts.whole_words).await?;
                if hits.is_empty() {
                    hits = find(&fts.with_prefix).await?;
                }
                Ok::<_, AppError>(hits)
            };
            tokio::try_join!(posts, resources)?
        }
        None => (store::Found::default(), Vec::new()),
    };
    let prefix = found.prefix;
    let (hits, next) = crate::db::split_page(found.hits, RESULTS_PER_PAGE, |h| {
        SearchCursor { rank: h.rank, id: h.post_id, prefix }.encode()
    });
    Ok(SearchPage {
        query,
        hits: hits
            .into_iter()
            .map(|h| SearchHit {
                link: post_link(&h.slug, h.thread_id, h.number),
                thread_title: h.thread_title,
                community: h.community,
                author: h.author,
                snippet: plain_snippet(&h.snippet),
                created_at: h.created_at,
            })
            .collect(),
        next,
        community: community.map(|(c, leader)| (c.slug.clone(), c.name.clone(), leader)),
        resources: resources
            .into_iter()
            .map(|h| {
                let link = crate::services::library::resource_link(&h.slug, h.id);
                (link, h.title, h.summary, h.community)
            })
            .collect(),
    })
}

/// A snippet as readable text: the post's Markdown source without its markup — strong and
/// code markers (`**`, `__`, `~~`, backticks), heading, quote and list markers at the start
/// of a line — and with its lines run together. The match marks are kept.
fn plain_snippet(snippet: &str) -> String {
    let lines = snippet.lines().map(|line| {
        let line = line.trim_start().trim_start_matches(['#', '>']).trim_start();
        line.strip_prefix("- ").or_else(|| line.strip_prefix("* ")).unwrap_or(line)
    });
    let joined = lines.filter(|line| !line.is_empty()).collect::<Vec<_>>().join(" ");
    ["**", "__", "~~", "`"].iter().fold(joined, |text, marker| text.replace(marker, ""))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::discussion::{MARK_END, MARK_START};

    #[test]
    fn snippets_lose_their_markdown_but_keep_their_marks() {
        let marked = format!(
            "Welcome to **{MARK_START}River{MARK_END} Keepers**!\n\n# Plans\n> quoted `code`\n- a ~~list~~"
        );
        assert_eq!(
            plain_snippet(&marked),
            format!("Welcome to {MARK_START}River{MARK_END} Keepers! Plans quoted code a list")
        );
        assert_eq!(plain_snippet("5 * 3 = 15, snake_case"), "5 * 3 = 15, snake_case");
    }
}
