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
    use crate::services::search;
    let query = q.unwrap_or_default();
    match slug.as_deref().filter(|s| !s.is_empty()) {
        Some(slug) => {
            let access = access_community(slug, CommunityAction::View).await?;
            let viewer = access.user.as_ref().map(|u| u.id);
            let leader = access.standing.is_leader();
            let scope = Some((&access.community, leader));
            search::search(&access.state.pool, query, viewer, scope, after.as_deref()).await
        }
        None => {
            let (state, viewer) = (session::app_state()?, session::current_user().await?);
            search::search(&state.pool, query, viewer.map(|u| u.id), None, after.as_deref()).await
        }
    }
}
