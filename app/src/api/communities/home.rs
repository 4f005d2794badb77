//! `POST /api/communities/home`

use leptos::prelude::*;

use crate::domain::community::CommunityHome;
use crate::error::AppError;

/// Everything a community's home page shows, for whoever is asking.
#[server(endpoint = "communities/home")]
pub async fn get_community_home(slug: String) -> Result<CommunityHome, AppError> {
    use crate::auth::policy::CommunityAction;
    use crate::db;
    let access = super::access_community(&slug, CommunityAction::View).await?;
    let pool = &access.state.pool;
    let id = access.community.id;
    let waiting = super::waiting_for(&access).await?;
    Ok(CommunityHome {
        leaders: db::memberships::leaders(pool, id).await?,
        member_count: db::memberships::count(pool, id).await?,
        activity: db::audit::recent_activity(pool, id, 8).await?,
        waiting,
        challenges: crate::services::challenges::running(pool, &access.community).await?,
        standing: access.standing,
        community: access.community,
    })
}
