//! `POST /api/recognition/page`, `/api/recognition/give`, `/api/recognition/retract`,
//! `/api/recognition/hide`, `/api/recognition/budget`, `/api/recognition/board`,
//! `/api/users/recognition`; badges in [`badges`].

use leptos::prelude::*;

use crate::domain::recognition::{KudosForm, ProfileRecognition, RecognitionPage};
use crate::error::AppError;

pub mod badges;
pub mod credentials;

/// The recognition page: the kudos wall (optionally for one value; `before` pages back),
/// the viewer's kudos budget and the boards.
#[server(endpoint = "recognition/page")]
pub async fn get_recognition(
    slug: String,
    value: Option<String>,
    before: Option<i64>,
) -> Result<RecognitionPage, AppError> {
    use crate::api::communities::access_community;
    use crate::auth::policy::CommunityAction;
    let access = access_community(&slug, CommunityAction::View).await?;
    let viewer = access.user.as_ref().map(|u| u.id);
    let value = value.filter(|v| !v.trim().is_empty());
    let (pool, community) = (&access.state.pool, &access.community);
    crate::services::recognition::page(pool, community, access.standing, viewer, value, before)
        .await
}

/// Gives kudos: to members (or an initiative's team), citing a value and optionally one
/// of their contributions. The same `form_key` sent again gives nothing more.
#[server(endpoint = "recognition/give")]
pub async fn give_kudos(
    slug: String,
    form: KudosForm,
    form_key: Option<String>,
) -> Result<(), AppError> {
    use crate::api::communities::act_in_community;
    use crate::auth::policy::CommunityAction;
    use crate::domain::resubmission::FormKey;
    use crate::services::recognition;
    let (access, giver) = act_in_community(&slug, CommunityAction::Contribute).await?;
    let key = FormKey::parse(form_key.as_deref(), "kudos")?;
    recognition::give(&access.state.writes, &access.community, giver, form, key).await?;
    crate::api::redirect_plain_form(&recognition::wall_link(&access.community.slug));
    Ok(())
}

/// Takes back a kudos the caller gave minutes ago.
#[server(endpoint = "recognition/retract")]
pub async fn retract_kudos(slug: String, id: i64) -> Result<(), AppError> {
    use crate::api::communities::act_in_community;
    use crate::auth::policy::CommunityAction;
    use crate::services::recognition;
    let (access, giver) = act_in_community(&slug, CommunityAction::Contribute).await?;
    recognition::retract(&access.state.writes, &access.community, giver, id).await?;
    crate::api::redirect_plain_form(&recognition::wall_link(&access.community.slug));
    Ok(())
}

/// Hides a kudos (moderators), naming the value it goes against.
#[server(endpoint = "recognition/hide")]
pub async fn hide_kudos(
    slug: String,
    id: i64,
    value: String,
    note: Option<String>,
) -> Result<(), AppError> {
    use crate::api::communities::act_in_community;
    use crate::auth::policy::CommunityAction;
    use crate::services::recognition;
    let (access, moderator) = act_in_community(&slug, CommunityAction::Moderate).await?;
    let (writes, community) = (&access.state.writes, &access.community);
    let note = note.unwrap_or_default();
    recognition::hide(writes, community, moderator, id, &value, &note).await?;
    crate::api::redirect_plain_form(&recognition::wall_link(&community.slug));
    Ok(())
}

/// Sets how many kudos each member may give in 7 days (leaders).
#[server(endpoint = "recognition/budget")]
pub async fn set_kudos_budget(slug: String, budget: String) -> Result<(), AppError> {
    use crate::api::communities::act_in_community;
    use crate::auth::policy::CommunityAction;
    use crate::services::recognition;
    let (access, leader) = act_in_community(&slug, CommunityAction::Edit).await?;
    recognition::set_budget(&access.state.writes, &access.community, leader, &budget).await?;
    crate::api::redirect_plain_form(&recognition::wall_link(&access.community.slug));
    Ok(())
}

/// Shows (`on` = `yes`) or hides the caller on the community's individual leaderboard.
#[server(endpoint = "recognition/board")]
pub async fn set_leaderboard(slug: String, on: String) -> Result<(), AppError> {
    use crate::api::communities::act_in_community;
    use crate::auth::policy::CommunityAction;
    use crate::services::recognition;
    let (access, member) = act_in_community(&slug, CommunityAction::Contribute).await?;
    let shown = on.trim() == "yes";
    recognition::set_on_board(&access.state.writes, &access.community, member, shown).await?;
    crate::api::redirect_plain_form(&recognition::wall_link(&access.community.slug));
    Ok(())
}

/// A person's recognition per community the caller may see: thanked by how many people,
/// recent kudos and badges.
#[server(endpoint = "users/recognition")]
pub async fn get_profile_recognition(handle: String) -> Result<Vec<ProfileRecognition>, AppError> {
    use crate::auth::session;
    let state = session::app_state()?;
    let viewer = session::current_user().await?.map(|v| v.id);
    let handle = handle.trim().to_lowercase();
    let user =
        crate::db::users::id_by_handle(&state.pool, &handle).await?.ok_or(AppError::NotFound)?;
    crate::services::recognition::on_profile(&state.pool, user, viewer).await
}
