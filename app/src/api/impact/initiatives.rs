//! `POST /api/impact/initiatives`, `/api/impact/initiative`, `/api/impact/propose_initiative`,
//! `/api/impact/decide_initiative`, `/api/impact/add_opportunity`, `/api/impact/join_opportunity`,
//! `/api/impact/leave_opportunity`

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::impact::{InitiativeDetail, InitiativeSummary};
use crate::error::AppError;

/// The initiatives page: the list, and what the proposal form needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InitiativesPage {
    /// Initiatives, newest first.
    pub initiatives: Vec<InitiativeSummary>,
    /// Goals an initiative may serve: (id, title).
    pub goals: Vec<(i64, String)>,
    /// The viewer may propose.
    pub is_member: bool,
}

/// A community's initiatives.
#[server(endpoint = "impact/initiatives")]
pub async fn list_initiatives(slug: String) -> Result<InitiativesPage, AppError> {
    use crate::api::communities::access_community;
    use crate::auth::policy::CommunityAction;
    let access = access_community(&slug, CommunityAction::View).await?;
    let pool = &access.state.pool;
    let goals = crate::db::impact::goals(pool, access.community.id)
        .await?
        .into_iter()
        .map(|g| (g.id, g.facts.title))
        .collect();
    Ok(InitiativesPage {
        initiatives: crate::db::impact::initiatives(pool, access.community.id).await?,
        goals,
        is_member: access.standing.role().is_some(),
    })
}

/// One initiative with its opportunities and who is on them.
#[server(endpoint = "impact/initiative")]
pub async fn get_initiative(
    slug: String,
    initiative_id: i64,
) -> Result<InitiativeDetail, AppError> {
    use crate::api::communities::access_community;
    use crate::auth::policy::{self, CommunityAction};
    use crate::db::impact as store;
    let access = access_community(&slug, CommunityAction::View).await?;
    let pool = &access.state.pool;
    let viewer = access.user.as_ref().map(|u| u.id);
    let found = store::initiative(pool, access.community.id, initiative_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let id = found.id;
    let can_manage = viewer.is_some_and(|v| {
        policy::check_manage_initiative(access.standing, v, found.owner_id).is_ok()
    });
    Ok(InitiativeDetail {
        id,
        title: found.title,
        description: found.description,
        status: found.status,
        owner: found.owner,
        goals: store::initiative_goals(pool, id).await?,
        skills: crate::db::mentoring::initiative_skills(pool, id).await?,
        opportunities: store::opportunities(pool, id, viewer).await?,
        can_manage,
        can_decide: access.standing.is_leader(),
        is_member: access.standing.role().is_some(),
        verified_hours: store::initiative_hours(pool, id).await?,
        resources: crate::services::library::attached(pool, access.community.id, Some(id), None)
            .await?,
    })
}

/// Proposes an initiative; the proposer owns it once leaders approve it. Redirects to it.
#[server(endpoint = "impact/propose_initiative")]
pub async fn propose_initiative(
    slug: String,
    title: String,
    description: String,
    goal_ids: Option<Vec<i64>>,
    skills: Option<String>,
) -> Result<(), AppError> {
    use crate::api::communities::act_in_community;
    use crate::auth::policy::CommunityAction;
    use crate::services::initiatives::{self, NewInitiative};
    let (access, owner) = act_in_community(&slug, CommunityAction::Contribute).await?;
    let proposal = NewInitiative::parse(
        &title,
        &description,
        goal_ids.unwrap_or_default(),
        skills.as_deref().unwrap_or_default(),
    )?;
    let id =
        initiatives::propose(&access.state.writes, access.community.id, owner, proposal).await?;
    leptos_axum::redirect(&format!("/c/{}/initiatives/{id}", access.community.slug));
    Ok(())
}

/// Approves or declines a proposed initiative (leaders).
#[server(endpoint = "impact/decide_initiative")]
pub async fn decide_initiative(
    slug: String,
    initiative_id: i64,
    decision: String,
) -> Result<(), AppError> {
    use crate::api::communities::act_in_community;
    use crate::auth::policy::CommunityAction;

    let (access, leader) = act_in_community(&slug, CommunityAction::ManageGoals).await?;
    let approve = crate::api::yes_or_decline("decision", &decision, "approve")?;
    let link = crate::services::initiatives::decide(
        &access.state.writes,
        access.community.id,
        &access.community.slug,
        leader,
        initiative_id,
        approve,
    )
    .await?;
    leptos_axum::redirect(&link);
    Ok(())
}

/// Adds an opportunity to an approved initiative (its owner or a leader).
#[server(endpoint = "impact/add_opportunity")]
pub async fn add_opportunity(
    slug: String,
    initiative_id: i64,
    title: String,
    description: Option<String>,
    capacity: String,
) -> Result<(), AppError> {
    use crate::api::communities::act_in_community;
    use crate::auth::policy::{self, CommunityAction};
    use crate::services::initiatives::{self, NewOpportunity};
    let (access, viewer) = act_in_community(&slug, CommunityAction::Contribute).await?;
    let found =
        crate::db::impact::initiative(&access.state.pool, access.community.id, initiative_id)
            .await?
            .ok_or(AppError::NotFound)?;
    policy::check_manage_initiative(access.standing, viewer, found.owner_id)?;
    let opportunity =
        NewOpportunity::parse(&title, description.as_deref().unwrap_or_default(), &capacity)?;
    initiatives::add_opportunity(
        &access.state.writes,
        access.community.id,
        initiative_id,
        opportunity,
    )
    .await?;
    leptos_axum::redirect(&format!("/c/{}/initiatives/{initiative_id}", access.community.slug));
    Ok(())
}

#[cfg(feature = "ssr")]
async fn opportunity_access(
    slug: &str,
    opportunity_id: i64,
) -> Result<(crate::api::communities::Access, i64), AppError> {
    use crate::api::communities::access_community;
    use crate::auth::policy::CommunityAction;
    let access = access_community(slug, CommunityAction::Contribute).await?;
    let initiative = crate::db::impact::opportunity_initiative(
        &access.state.pool,
        access.community.id,
        opportunity_id,
    )
    .await?
    .ok_or(AppError::NotFound)?;
    Ok((access, initiative))
}

/// Signs the caller up for an opportunity; refused when it is full (never over capacity).
#[server(endpoint = "impact/join_opportunity")]
pub async fn join_opportunity(slug: String, opportunity_id: i64) -> Result<(), AppError> {
    let (access, initiative) = opportunity_access(&slug, opportunity_id).await?;
    let user = access.user()?.id;
    crate::services::initiatives::join_opportunity(&access.state.writes, opportunity_id, user)
        .await?;
    leptos_axum::redirect(&format!("/c/{}/initiatives/{initiative}", access.community.slug));
    Ok(())
}

/// Takes the caller off an opportunity.
#[server(endpoint = "impact/leave_opportunity")]
pub async fn leave_opportunity(slug: String, opportunity_id: i64) -> Result<(), AppError> {
    let (access, initiative) = opportunity_access(&slug, opportunity_id).await?;
    let user = access.user()?.id;
    crate::services::initiatives::leave_opportunity(&access.state.writes, opportunity_id, user)
        .await?;
    leptos_axum::redirect(&format!("/c/{}/initiatives/{initiative}", access.community.slug));
    Ok(())
}
