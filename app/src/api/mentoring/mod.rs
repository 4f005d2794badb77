//! `POST /api/mentoring/page`, `/api/mentoring/offer`, `/api/mentoring/ask`,
//! `/api/mentoring/choose`, `/api/mentoring/answer`, `/api/mentoring/finish`,
//! `/api/mentoring/log_session`, `/api/mentoring/verify_session`. Each checks the
//! policy (`CommunityAction::Mentor`: active members) before the service touches data.

use leptos::prelude::*;

use crate::domain::mentoring::{MentoringPage, OfferForm, RequestForm, SessionForm};
use crate::error::AppError;

/// The mentoring page for the caller.
#[server(endpoint = "mentoring/page")]
pub async fn get_mentoring(slug: String) -> Result<MentoringPage, AppError> {
    use crate::api::communities::access_community;
    use crate::auth::policy::CommunityAction;
    let access = access_community(&slug, CommunityAction::View).await?;
    let viewer = access.user.as_ref().map(|u| u.id);
    let (pool, community) = (&access.state.pool, &access.community);
    crate::services::mentoring::page(pool, community, access.standing, viewer).await
}

/// Offers to mentor, or changes the offer (capacity 0 pauses it).
#[server(endpoint = "mentoring/offer")]
pub async fn offer_mentoring(slug: String, form: OfferForm) -> Result<(), AppError> {
    use crate::api::communities::act_in_community;
    use crate::auth::policy::CommunityAction;
    use crate::services::mentoring;
    let (access, user) = act_in_community(&slug, CommunityAction::Mentor).await?;
    mentoring::save_offer(&access.state.writes, &access.community, user, form).await?;
    crate::api::redirect_plain_form(&mentoring::mentoring_link(&access.community.slug));
    Ok(())
}

/// Asks for a mentor: what the caller wants to learn.
#[server(endpoint = "mentoring/ask")]
pub async fn ask_for_mentor(slug: String, form: RequestForm) -> Result<(), AppError> {
    use crate::api::communities::act_in_community;
    use crate::auth::policy::CommunityAction;
    use crate::services::mentoring;
    let (access, mentee) = act_in_community(&slug, CommunityAction::Mentor).await?;
    mentoring::ask_for_mentor(&access.state.writes, &access.community, mentee, form).await?;
    crate::api::redirect_plain_form(&mentoring::mentoring_link(&access.community.slug));
    Ok(())
}

/// Asks `mentor` (a handle, usually a suggestion) to take the caller's open `request`.
#[server(endpoint = "mentoring/choose")]
pub async fn choose_mentor(slug: String, request: i64, mentor: String) -> Result<(), AppError> {
    use crate::api::communities::act_in_community;
    use crate::auth::policy::CommunityAction;
    use crate::services::mentoring;
    let (access, mentee) = act_in_community(&slug, CommunityAction::Mentor).await?;
    let (writes, community) = (&access.state.writes, &access.community);
    mentoring::choose_mentor(writes, community, mentee, request, &mentor).await?;
    crate::api::redirect_plain_form(&mentoring::mentoring_link(&community.slug));
    Ok(())
}

/// The asked mentor answers a request: `answer` is `accept` or `decline`.
#[server(endpoint = "mentoring/answer")]
pub async fn answer_request(slug: String, request: i64, answer: String) -> Result<(), AppError> {
    use crate::api::communities::act_in_community;
    use crate::auth::policy::CommunityAction;
    use crate::services::mentoring;
    let (access, mentor) = act_in_community(&slug, CommunityAction::Mentor).await?;
    let accept = crate::api::yes_or_decline("answer", &answer, "accept")?;
    let (writes, community) = (&access.state.writes, &access.community);
    mentoring::answer(writes, community, mentor, request, accept).await?;
    crate::api::redirect_plain_form(&mentoring::mentoring_link(&community.slug));
    Ok(())
}

/// Completes an active mentorship (either person) or withdraws a request (its mentee).
#[server(endpoint = "mentoring/finish")]
pub async fn finish_mentorship(slug: String, id: i64) -> Result<(), AppError> {
    use crate::api::communities::act_in_community;
    use crate::auth::policy::CommunityAction;
    use crate::services::mentoring;
    let (access, user) = act_in_community(&slug, CommunityAction::Mentor).await?;
    mentoring::finish(&access.state.writes, &access.community, user, id).await?;
    crate::api::redirect_plain_form(&mentoring::mentoring_link(&access.community.slug));
    Ok(())
}

/// Logs a session of an active mentorship, for the other person to verify.
#[server(endpoint = "mentoring/log_session")]
pub async fn log_session(slug: String, mentorship: i64, form: SessionForm) -> Result<(), AppError> {
    use crate::api::communities::act_in_community;
    use crate::auth::policy::CommunityAction;
    use crate::services::mentoring;
    let (access, author) = act_in_community(&slug, CommunityAction::Mentor).await?;
    let (writes, community) = (&access.state.writes, &access.community);
    mentoring::log_session(writes, community, author, mentorship, form).await?;
    crate::api::redirect_plain_form(&mentoring::mentoring_link(&community.slug));
    Ok(())
}

/// The other person verifies or declines a logged session: `decision` is `verify` or
/// `decline`.
#[server(endpoint = "mentoring/verify_session")]
pub async fn verify_session(
    slug: String,
    contribution: i64,
    decision: String,
) -> Result<(), AppError> {
    use crate::api::communities::act_in_community;
    use crate::auth::policy::CommunityAction;
    use crate::services::mentoring;
    let (access, verifier) = act_in_community(&slug, CommunityAction::Mentor).await?;
    let verify = crate::api::yes_or_decline("decision", &decision, "verify")?;
    let (writes, community) = (&access.state.writes, &access.community);
    mentoring::verify_session(writes, community, verifier, contribution, verify).await?;
    crate::api::redirect_plain_form(&mentoring::mentoring_link(&community.slug));
    Ok(())
}
