//! `POST /api/communities/invites`, `POST /api/communities/create_invite`,
//! `POST /api/invites/preview`, `POST /api/invites/accept`

use leptos::prelude::*;

use crate::domain::community::{InviteEntry, InvitePreview, NewInvite};
use crate::error::AppError;

/// A community's invite links (leaders only). Links themselves are shown once, at creation.
#[server(endpoint = "communities/invites")]
pub async fn list_invites(slug: String) -> Result<Vec<InviteEntry>, AppError> {
    use crate::auth::policy::CommunityAction;
    let access = super::access_community(&slug, CommunityAction::ManageInvites).await?;
    Ok(crate::db::invites::list(&access.state.pool, access.community.id).await?)
}

/// Creates an invite link good for `days` days (1–90) and `max_uses` uses (empty = unlimited).
#[server(endpoint = "communities/create_invite")]
pub async fn create_invite(
    slug: String,
    max_uses: Option<String>,
    days: Option<String>,
) -> Result<NewInvite, AppError> {
    use crate::auth::policy::CommunityAction;

    let (access, steward) = super::act_in_community(&slug, CommunityAction::ManageInvites).await?;
    let max_uses = match max_uses.as_deref().map(str::trim).filter(|m| !m.is_empty()) {
        None => None,
        Some(m) => Some(
            m.parse::<i64>().map_err(|_| AppError::invalid("max_uses", "Use a whole number."))?,
        ),
    };
    let days = days
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map(str::parse::<i64>)
        .transpose()
        .map_err(|_| AppError::invalid("days", "Use a whole number of days."))?
        .unwrap_or(7);
    crate::services::membership::create_invite(
        &access.state.writes,
        &access.community,
        steward,
        max_uses,
        days,
    )
    .await
}

/// What an invite link admits to (404 once it has expired, been used up, or never existed).
#[server(endpoint = "invites/preview")]
pub async fn get_invite_preview(token: String) -> Result<InvitePreview, AppError> {
    use crate::auth::session;
    use crate::db;
    let state = session::app_state()?;
    let user = session::current_user().await?;
    let hash = crate::services::membership::token_hash(token.trim());
    let slug = db::invites::usable_slug(&state.pool, &hash).await?.ok_or(AppError::NotFound)?;
    let mut conn = state.pool.acquire().await?;
    let community = db::communities::by_slug(&mut conn, &slug).await?.ok_or(AppError::NotFound)?;
    let standing = db::memberships::standing(&mut conn, community.id, user.map(|u| u.id)).await?;
    Ok(InvitePreview { community, standing })
}

/// Accepts an invite, affirming the community's values; redirects to its home.
#[server(endpoint = "invites/accept")]
pub async fn accept_invite(token: String, affirm: Option<String>) -> Result<(), AppError> {
    use crate::auth::session;
    let state = session::app_state()?;
    let user = session::require_user().await?;
    let slug = crate::services::membership::accept_invite(
        &state.writes,
        token.trim(),
        user.id,
        affirm.is_some(),
    )
    .await?;
    leptos_axum::redirect(&format!("/c/{slug}"));
    Ok(())
}
