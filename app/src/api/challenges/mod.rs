//! `POST /api/challenges/list`, `/api/challenges/get`, `/api/challenges/create`,
//! `/api/challenges/join`, `/api/challenges/board`

use leptos::prelude::*;

use crate::domain::challenges::{ChallengeForm, ChallengePage, ChallengesPage};
use crate::error::AppError;

/// A community's challenges: running and upcoming, then ended ones.
#[server(endpoint = "challenges/list")]
pub async fn list_challenges(slug: String) -> Result<ChallengesPage, AppError> {
    use crate::api::communities::access_community;
    use crate::auth::policy::CommunityAction;
    let access = access_community(&slug, CommunityAction::View).await?;
    crate::services::challenges::list(&access.state.pool, &access.community, access.standing).await
}

/// One challenge: progress, days left, the team or individual board and the viewer's part.
#[server(endpoint = "challenges/get")]
pub async fn get_challenge(slug: String, id: i64) -> Result<ChallengePage, AppError> {
    use crate::api::communities::access_community;
    use crate::auth::policy::CommunityAction;
    let access = access_community(&slug, CommunityAction::View).await?;
    let viewer = access.user.as_ref().map(|u| u.id);
    let (pool, community) = (&access.state.pool, &access.community);
    crate::services::challenges::page(pool, community, access.standing, viewer, id).await
}

/// Creates a challenge (leaders) and opens its page.
#[server(endpoint = "challenges/create")]
pub async fn create_challenge(slug: String, form: ChallengeForm) -> Result<(), AppError> {
    use crate::api::communities::act_in_community;
    use crate::auth::policy::CommunityAction;
    use crate::services::challenges;
    let (access, creator) = act_in_community(&slug, CommunityAction::RunChallenges).await?;
    let (state, community) = (&access.state, &access.community);
    let id = challenges::create(&state.pool, &state.writes, community, creator, form).await?;
    leptos_axum::redirect(&challenges::challenge_link(&community.slug, id));
    Ok(())
}

/// Takes part in a challenge, on `team` in a teams challenge (inside its window only).
#[server(endpoint = "challenges/join")]
pub async fn join_challenge(slug: String, id: i64, team: Option<i64>) -> Result<(), AppError> {
    use crate::api::communities::act_in_community;
    use crate::auth::policy::CommunityAction;
    use crate::services::challenges;
    let (access, user) = act_in_community(&slug, CommunityAction::Attend).await?;
    let community = &access.community;
    challenges::join(&access.state.writes, community, user, id, team).await?;
    crate::api::redirect_plain_form(&challenges::challenge_link(&community.slug, id));
    Ok(())
}

/// Shows (`on` = `yes`) or hides the caller on an individual challenge's board.
#[server(endpoint = "challenges/board")]
pub async fn set_challenge_board(slug: String, id: i64, on: String) -> Result<(), AppError> {
    use crate::api::communities::act_in_community;
    use crate::auth::policy::CommunityAction;
    use crate::services::challenges;
    let (access, user) = act_in_community(&slug, CommunityAction::Attend).await?;
    let community = &access.community;
    let shown = on.trim() == "yes";
    challenges::set_on_board(&access.state.writes, community, user, id, shown).await?;
    crate::api::redirect_plain_form(&challenges::challenge_link(&community.slug, id));
    Ok(())
}
