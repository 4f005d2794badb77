//! `POST /api/communities/requests`, `POST /api/communities/decide_request`

use leptos::prelude::*;

use crate::domain::community::JoinRequestEntry;
use crate::error::AppError;

/// Waiting join requests, oldest first (leaders only).
#[server(endpoint = "communities/requests")]
pub async fn list_join_requests(slug: String) -> Result<Vec<JoinRequestEntry>, AppError> {
    use crate::auth::policy::CommunityAction;
    let access = super::access_community(&slug, CommunityAction::ReviewRequests).await?;
    Ok(crate::db::join_requests::pending(&access.state.pool, access.community.id).await?)
}

/// Approves (`decision=approve`) or declines (`decision=decline`) a request, with an optional message.
#[server(endpoint = "communities/decide_request")]
pub async fn decide_join_request(
    slug: String,
    request_id: i64,
    decision: String,
    message: Option<String>,
) -> Result<(), AppError> {
    use crate::auth::policy::CommunityAction;

    let (access, steward) = super::act_in_community(&slug, CommunityAction::ReviewRequests).await?;
    let approve = crate::api::yes_or_decline("decision", &decision, "approve")?;
    crate::services::membership::decide_request(
        &access.state.writes,
        &access.community,
        steward,
        request_id,
        approve,
        message.as_deref().unwrap_or_default(),
    )
    .await?;
    leptos_axum::redirect(&format!("/c/{}/requests", access.community.slug));
    Ok(())
}
