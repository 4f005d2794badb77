//! `POST /api/impact/contribute_options`, `/api/impact/log_contribution`, `/api/impact/queue`,
//! `/api/impact/decide_contribution`, `/api/impact/withdraw_contribution`, `/api/users/contributions`

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::impact::{ContributionEntry, ContributionForm};
use crate::error::AppError;

/// What the log-a-contribution form offers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContributeOptions {
    /// Goals: (id, title, unit).
    pub goals: Vec<(i64, String, String)>,
    /// Approved initiatives: (id, title).
    pub initiatives: Vec<(i64, String)>,
    /// Contributions count at once (self-attestation).
    pub self_attestation: bool,
    /// Today's date on the server (the form's default; the browser's clock is not trusted).
    pub today: chrono::NaiveDate,
}

/// The goals and approved initiatives a member can log work against.
#[server(endpoint = "impact/contribute_options")]
pub async fn get_contribute_options(slug: String) -> Result<ContributeOptions, AppError> {
    use crate::api::communities::access_community;
    use crate::auth::policy::CommunityAction;
    let access = access_community(&slug, CommunityAction::Contribute).await?;
    let pool = &access.state.pool;
    let goals = crate::db::impact::goals(pool, access.community.id)
        .await?
        .into_iter()
        .map(|g| (g.id, g.facts.title, g.facts.unit))
        .collect();
    let initiatives = crate::db::impact::initiatives(pool, access.community.id)
        .await?
        .into_iter()
        .filter(|i| i.status == "approved")
        .map(|i| (i.id, i.title))
        .collect();
    Ok(ContributeOptions {
        goals,
        initiatives,
        self_attestation: access.community.self_attestation,
        today: chrono::Utc::now().date_naive(),
    })
}

/// Logs a contribution (reported; verified at once with self-attestation). Redirects to the member's record.
/// The same `form_key` sent again logs nothing more.
#[server(endpoint = "impact/log_contribution")]
pub async fn log_contribution(
    slug: String,
    form: ContributionForm,
    form_key: Option<String>,
) -> Result<(), AppError> {
    use crate::api::communities::access_community;
    use crate::auth::policy::CommunityAction;
    use crate::domain::resubmission::FormKey;
    let access = access_community(&slug, CommunityAction::Contribute).await?;
    let user = access.user()?.clone();
    let contribution = form.validate(chrono::Utc::now().date_naive())?;
    let key = FormKey::parse(form_key.as_deref(), "contribution")?;
    crate::services::contributions::log_contribution(
        &access.state.writes,
        &access.community,
        user.id,
        &contribution,
        key,
    )
    .await?;
    leptos_axum::redirect(&format!("/u/{}/contributions", user.handle));
    Ok(())
}

/// The verification queue and its size, for the caller (leaders: all; initiative owners: theirs).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VerificationQueue {
    /// Reported contributions, oldest first.
    pub waiting: Vec<ContributionEntry>,
}

/// Reported contributions the caller may verify.
#[server(endpoint = "impact/queue")]
pub async fn get_verification_queue(slug: String) -> Result<VerificationQueue, AppError> {
    use crate::api::communities::act_in_community;
    use crate::auth::policy::CommunityAction;
    let (access, user) = act_in_community(&slug, CommunityAction::Contribute).await?;
    let waiting = crate::db::impact::queue(
        &access.state.pool,
        access.community.id,
        user,
        access.standing.is_leader(),
    )
    .await?;
    Ok(VerificationQueue { waiting })
}

/// Verifies (`decision=verify`) or declines (`decision=decline`, with a `reason`) a contribution.
#[server(endpoint = "impact/decide_contribution")]
pub async fn decide_contribution(
    slug: String,
    contribution_id: i64,
    decision: String,
    reason: Option<String>,
) -> Result<(), AppError> {
    use crate::api::communities::access_community;
    use crate::auth::policy::CommunityAction;

    let access = access_community(&slug, CommunityAction::Contribute).await?;
    let verify = crate::api::yes_or_decline("decision", &decision, "verify")?;
    crate::services::contributions::decide_contribution(
        &access.state.writes,
        &access.community,
        access.standing,
        access.user()?.id,
        contribution_id,
        verify,
        reason.as_deref().unwrap_or_default(),
    )
    .await?;
    leptos_axum::redirect(&format!("/c/{}/verify", access.community.slug));
    Ok(())
}

/// Withdraws the caller's own contribution before it is decided.
#[server(endpoint = "impact/withdraw_contribution")]
pub async fn withdraw_contribution(slug: String, contribution_id: i64) -> Result<(), AppError> {
    use crate::api::communities::access_community;
    use crate::auth::policy::CommunityAction;
    let access = access_community(&slug, CommunityAction::Contribute).await?;
    let user = access.user()?.clone();
    crate::services::contributions::withdraw_contribution(
        &access.state.writes,
        &access.community,
        user.id,
        contribution_id,
    )
    .await?;
    leptos_axum::redirect(&format!("/u/{}/contributions", user.handle));
    Ok(())
}

/// A person's contribution record: verified ones for everyone; their own
/// pending and declined ones too when they look at themselves.
#[server(endpoint = "users/contributions")]
pub async fn user_contributions(handle: String) -> Result<Vec<ContributionEntry>, AppError> {
    use crate::auth::session;
    let state = session::app_state()?;
    let viewer = session::current_user().await?;
    let author = crate::db::users::id_by_handle(&state.pool, handle.trim().to_lowercase().as_str())
        .await?
        .ok_or(AppError::NotFound)?;
    let own = viewer.as_ref().is_some_and(|v| v.id == author);
    let entries =
        crate::db::impact::by_author(&state.pool, author, viewer.map(|v| v.id), own).await?;
    crate::services::recognition::with_thanks(&state.pool, entries).await
}
