//! `POST /api/discussions/flag`, `/api/discussions/hide`, `/api/discussions/unhide`,
//! `/api/discussions/dismiss`, `/api/discussions/moderate_thread`, `/api/discussions/moderation`

use leptos::prelude::*;

use crate::domain::discussion::ModerationQueue;
use crate::error::AppError;

/// Flags someone else's post for moderators, citing one of the community's values
/// (`value`: its position) and/or a note.
#[server(endpoint = "discussions/flag")]
pub async fn flag_post(
    slug: String,
    post_id: i64,
    value: Option<String>,
    note: String,
) -> Result<(), AppError> {
    use crate::api::communities::act_in_community;
    use crate::auth::policy::CommunityAction;
    use crate::services::moderation;
    let (access, user) = act_in_community(&slug, CommunityAction::Discuss).await?;
    let value = super::value_position(value)?;
    let reason = moderation::reason_text(&access.community, value, &note, "reason")?;
    let link = moderation::flag(
        &access.state.writes,
        &access.community,
        access.standing,
        user,
        post_id,
        &reason,
    )
    .await?;
    crate::api::redirect_plain_form(&link);
    Ok(())
}

/// Hides a post, citing one of the community's values and/or a note (moderators).
/// A plain form goes on to `next` (a local path) if given, else to the post.
#[server(endpoint = "discussions/hide")]
pub async fn hide_post(
    slug: String,
    post_id: i64,
    value: Option<String>,
    note: String,
    next: Option<String>,
) -> Result<(), AppError> {
    use crate::api::communities::act_in_community;
    use crate::auth::policy::CommunityAction;
    use crate::services::moderation;
    let (access, user) = act_in_community(&slug, CommunityAction::Moderate).await?;
    let value = super::value_position(value)?;
    let reason = moderation::reason_text(&access.community, value, &note, "reason")?;
    let link =
        moderation::hide(&access.state.writes, &access.community, user, post_id, &reason).await?;
    crate::api::redirect_plain_form(crate::api::safe_next(next.as_deref()).unwrap_or(&link));
    Ok(())
}

/// Shows a hidden post again (moderators).
#[server(endpoint = "discussions/unhide")]
pub async fn unhide_post(slug: String, post_id: i64) -> Result<(), AppError> {
    use crate::api::communities::act_in_community;
    use crate::auth::policy::CommunityAction;
    let (access, user) = act_in_community(&slug, CommunityAction::Moderate).await?;
    let link =
        crate::services::moderation::unhide(&access.state.writes, &access.community, user, post_id)
            .await?;
    crate::api::redirect_plain_form(&link);
    Ok(())
}

/// Dismisses the open flags on a post; it stays up (moderators).
#[server(endpoint = "discussions/dismiss")]
pub async fn dismiss_flags(slug: String, post_id: i64) -> Result<(), AppError> {
    use crate::api::communities::act_in_community;
    use crate::auth::policy::CommunityAction;
    let (access, user) = act_in_community(&slug, CommunityAction::Moderate).await?;
    crate::services::moderation::dismiss_flags(
        &access.state.writes,
        &access.community,
        user,
        post_id,
    )
    .await?;
    crate::api::redirect_plain_form(&format!("/c/{}/moderation", access.community.slug));
    Ok(())
}

/// Pins, unpins, locks or unlocks a thread (`action`: pin, unpin, lock, unlock; moderators).
#[server(endpoint = "discussions/moderate_thread")]
pub async fn moderate_thread(slug: String, thread_id: i64, action: String) -> Result<(), AppError> {
    use crate::api::communities::act_in_community;
    use crate::auth::policy::CommunityAction;

    use crate::services::moderation::{self, ThreadAction};
    let (access, user) = act_in_community(&slug, CommunityAction::Moderate).await?;
    let action = ThreadAction::parse(&action)
        .ok_or_else(|| AppError::invalid("action", "Pin, unpin, lock or unlock."))?;
    moderation::moderate_thread(&access.state.writes, &access.community, user, thread_id, action)
        .await?;
    crate::api::redirect_plain_form(&format!("/c/{}/d/{thread_id}", access.community.slug));
    Ok(())
}

/// The flag queue: posts members flagged, with their reasons (moderators).
#[server(endpoint = "discussions/moderation")]
pub async fn get_moderation_queue(slug: String) -> Result<ModerationQueue, AppError> {
    use crate::api::communities::access_community;
    use crate::auth::policy::CommunityAction;
    let access = access_community(&slug, CommunityAction::Moderate).await?;
    Ok(ModerationQueue {
        community_name: access.community.name.clone(),
        leader: access.standing.is_leader(),
        posts: crate::services::moderation::queue(&access.state.pool, &access.community).await?,
        values: access.community.values.iter().map(|v| v.name.clone()).collect(),
    })
}
