//! `POST /api/search`

use leptos::prelude::*;

use crate::domain::discussion::SearchPage;
use crate::error::AppError;

/// Full-text search over the posts the caller may read: site-wide, or in the
/// community `slug`. Any input works as plain words; `after` continues from a
/// previous page's `next`.
#[server(endpoint = "search")]
pub async fn search_posts(
    q: Option<String>,
    slug: Option<String>,
    after: Option<String>,
) -> Result<SearchPage, AppError> {
    use crate::api::communities::access_community;
    use crate::auth::policy::CommunityAction;
    use crate::auth::session;
    use crate::db::search::{self, SearchCursor};
    use crate::domain::discussion::{RESULTS_PER_PAGE, SearchHit, fts_query, post_link};
    let query: String = q.unwrap_or_default().chars().take(200).collect();
    let (state, viewer, community) = match slug.as_deref().filter(|s| !s.is_empty()) {
        Some(slug) => {
            let access = access_community(slug, CommunityAction::View).await?;
            let community = (
                access.community.slug.clone(),
                access.community.name.clone(),
                access.standing.is_leader(),
                access.community.id,
            );
            (access.state, access.user.map(|u| u.id), Some(community))
        }
        None => (session::app_state()?, session::current_user().await?.map(|u| u.id), None),
    };
    let cursor = after.as_deref().and_then(SearchCursor::decode);
    let resources = match fts_query(&query) {
        Some(fts) if cursor.is_none() => {
            let in_community = community.as_ref().map(|c| c.3);
            let pool = &state.pool;
            let mut hits =
                crate::db::library::search(pool, &fts.whole_words, viewer, in_community, 5).await?;
            if hits.is_empty() {
                hits = crate::db::library::search(pool, &fts.with_prefix, viewer, in_community, 5)
                    .await?;
            }
            hits.into_iter()
                .map(|h| {
                    let link = crate::services::library::resource_link(&h.slug, h.id);
                    (link, h.title, h.summary, h.community)
                })
                .collect()
        }
        _ => Vec::new(),
    };
    let found = match fts_query(&query) {
        Some(fts) => {
            let mut conn = state.pool.acquire().await?;
            search::search(
                &mut conn,
                &fts,
                viewer,
                community.as_ref().map(|c| c.3),
                cursor,
                RESULTS_PER_PAGE + 1,
            )
            .await?
        }
        None => search::Found::default(),
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
                snippet: h.snippet,
                created_at: h.created_at,
            })
            .collect(),
        next,
        community: community.map(|(slug, name, leader, _)| (slug, name, leader)),
        resources,
    })
}
