//! `POST /api/communities/header`

use leptos::prelude::*;

use crate::domain::community::CommunityHeader;
use crate::error::AppError;

/// The header of every community page: name, the viewer's standing, and what waits for
/// them. Answers 404 to outsiders of a private community, like every community function.
#[server(endpoint = "communities/header")]
pub async fn get_community_header(slug: String) -> Result<CommunityHeader, AppError> {
    use crate::auth::policy::CommunityAction;
    let access = super::access_community(&slug, CommunityAction::View).await?;
    let waiting = super::waiting_for(&access).await?;
    Ok(CommunityHeader {
        slug: access.community.slug,
        name: access.community.name,
        is_member: access.standing.role().is_some(),
        is_leader: access.standing.is_leader(),
        waiting,
    })
}
