//! `POST /api/communities/members`, `POST /api/communities/set_role`, `POST /api/communities/ban`

use leptos::prelude::*;

use crate::domain::community::MemberPage;
use crate::error::AppError;

/// Members per page.
pub const MEMBER_PAGE_SIZE: i64 = 30;

/// Active members in join order; `role` filters (`owner`, `steward`, `moderator`, `member`).
#[server(endpoint = "communities/members")]
pub async fn list_members(
    slug: String,
    role: Option<String>,
    after: Option<String>,
) -> Result<MemberPage, AppError> {
    use crate::auth::policy::CommunityAction;
    use crate::db::{self, Cursor};
    use crate::domain::community::Role;
    let access = super::access_community(&slug, CommunityAction::ViewMembers).await?;
    let role = role
        .as_deref()
        .filter(|r| !r.is_empty())
        .map(|r| Role::parse(r).ok_or_else(|| AppError::invalid("role", "Unknown role.")));
    let role = role.transpose()?;
    let cursor = after.as_deref().and_then(Cursor::decode);
    let members = db::memberships::page(
        &access.state.pool,
        access.community.id,
        role,
        cursor.as_ref(),
        MEMBER_PAGE_SIZE + 1,
    )
    .await?;
    let (members, next) =
        db::split_page(members, MEMBER_PAGE_SIZE, |m| db::memberships::cursor_after(m).encode());
    Ok(MemberPage {
        members,
        next,
        can_manage: access.standing.is_leader(),
        viewer_is_owner: access.standing.role() == Some(Role::Owner),
    })
}

/// Gives a member a role, optionally until `term_ends` (a `YYYY-MM-DD` date; stewards and moderators only).
#[server(endpoint = "communities/set_role")]
pub async fn set_member_role(
    slug: String,
    handle: String,
    role: String,
    term_ends: Option<String>,
) -> Result<(), AppError> {
    use crate::auth::policy::CommunityAction;
    use crate::domain::community::Role;

    let (access, actor) = super::act_in_community(&slug, CommunityAction::ManageRoles).await?;
    let actor_role = access.standing.role().ok_or(AppError::Forbidden)?;
    let role =
        Role::parse(role.trim()).ok_or_else(|| AppError::invalid("role", "Unknown role."))?;
    let term_ends_at = match term_ends.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        None => None,
        Some(date) => Some(
            chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(23, 59, 59))
                .map(|d| d.and_utc())
                .ok_or_else(|| AppError::invalid("term_ends", "Use a date like 2027-06-30."))?,
        ),
    };
    let handle = handle.trim().trim_start_matches('@').to_lowercase();
    crate::services::roles::change_role(
        &access.state.writes,
        &access.community,
        actor,
        actor_role,
        &handle,
        role,
        term_ends_at,
    )
    .await?;
    leptos_axum::redirect(&format!("/c/{}/members", access.community.slug));
    Ok(())
}

/// Bans a member below the caller's role; they lose their membership and cannot rejoin.
#[server(endpoint = "communities/ban")]
pub async fn ban_member(
    slug: String,
    handle: String,
    reason: Option<String>,
) -> Result<(), AppError> {
    use crate::auth::policy::CommunityAction;
    let (access, actor) = super::act_in_community(&slug, CommunityAction::Ban).await?;
    let actor_role = access.standing.role().ok_or(AppError::Forbidden)?;
    let handle = handle.trim().trim_start_matches('@').to_lowercase();
    crate::services::roles::ban(
        &access.state.writes,
        &access.community,
        actor,
        actor_role,
        &handle,
        reason.as_deref().unwrap_or_default(),
    )
    .await?;
    leptos_axum::redirect(&format!("/c/{}/members", access.community.slug));
    Ok(())
}
