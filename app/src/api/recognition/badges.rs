//! `POST /api/badges/list`, `/api/badges/get`, `/api/badges/create`, `/api/badges/update`,
//! `/api/badges/award`, `/api/badges/revoke`

use leptos::prelude::*;

use crate::domain::badges::{BadgeForm, BadgePage, BadgesPage};
use crate::error::AppError;

/// A community's badges.
#[server(endpoint = "badges/list")]
pub async fn list_badges(slug: String) -> Result<BadgesPage, AppError> {
    use crate::api::communities::access_community;
    use crate::auth::policy::CommunityAction;
    let access = access_community(&slug, CommunityAction::View).await?;
    crate::services::badges::page(&access.state.pool, &access.community, access.standing).await
}

/// One badge: what it takes and who holds it.
#[server(endpoint = "badges/get")]
pub async fn get_badge(slug: String, id: i64) -> Result<BadgePage, AppError> {
    use crate::api::communities::access_community;
    use crate::auth::policy::CommunityAction;
    let access = access_community(&slug, CommunityAction::View).await?;
    let viewer = access.user.as_ref().map(|u| u.id);
    let (state, community) = (&access.state, &access.community);
    let issuer = &state.issuer;
    crate::services::badges::badge_page(&state.pool, issuer, community, access.standing, viewer, id)
        .await
}

/// Creates a badge (leaders) and opens its page.
#[server(endpoint = "badges/create")]
pub async fn create_badge(slug: String, form: BadgeForm) -> Result<(), AppError> {
    use crate::api::communities::act_in_community;
    use crate::auth::policy::CommunityAction;
    use crate::services::badges;
    let (access, leader) = act_in_community(&slug, CommunityAction::ManageBadges).await?;
    let id = badges::create(&access.state.writes, &access.community, leader, form).await?;
    leptos_axum::redirect(&badges::badge_link(&access.community.slug, id));
    Ok(())
}

/// Changes a badge (leaders); a changed rule is a new rule version.
#[server(endpoint = "badges/update")]
pub async fn update_badge(slug: String, id: i64, form: BadgeForm) -> Result<(), AppError> {
    use crate::api::communities::act_in_community;
    use crate::auth::policy::CommunityAction;
    use crate::services::badges;
    let (access, leader) = act_in_community(&slug, CommunityAction::ManageBadges).await?;
    badges::update(&access.state.writes, &access.community, leader, id, form).await?;
    crate::api::redirect_plain_form(&badges::badge_link(&access.community.slug, id));
    Ok(())
}

/// Awards a badge given by hand to a member (leaders), with a reason.
#[server(endpoint = "badges/award")]
pub async fn award_badge(
    slug: String,
    id: i64,
    handle: String,
    reason: String,
) -> Result<(), AppError> {
    use crate::api::communities::act_in_community;
    use crate::auth::policy::CommunityAction;
    use crate::services::badges;
    let (access, leader) = act_in_community(&slug, CommunityAction::ManageBadges).await?;
    let (writes, community) = (&access.state.writes, &access.community);
    badges::award_by_hand(writes, community, leader, id, &handle, &reason).await?;
    crate::api::redirect_plain_form(&badges::badge_link(&community.slug, id));
    Ok(())
}

/// Revokes an award (leaders), with a reason; it stays listed as revoked.
#[server(endpoint = "badges/revoke")]
pub async fn revoke_award(slug: String, award: i64, reason: String) -> Result<(), AppError> {
    use crate::api::communities::act_in_community;
    use crate::auth::policy::CommunityAction;
    use crate::services::badges;
    let (access, leader) = act_in_community(&slug, CommunityAction::ManageBadges).await?;
    let (writes, community) = (&access.state.writes, &access.community);
    let badge = badges::revoke(writes, community, leader, award, &reason).await?;
    crate::api::redirect_plain_form(&badges::badge_link(&community.slug, badge));
    Ok(())
}
