//! `POST /api/impact/goals`, `/api/impact/goal`, `/api/impact/create_goal`, `/api/impact/update_goal`, `/api/impact/report`

use leptos::prelude::*;

use crate::domain::impact::{Goal, GoalDetail, GoalForm, ImpactReport};
use crate::error::AppError;

/// A community's goals with progress, parents before children.
#[server(endpoint = "impact/goals")]
pub async fn list_goals(slug: String) -> Result<Vec<Goal>, AppError> {
    use crate::api::communities::access_community;
    use crate::auth::policy::CommunityAction;
    let access = access_community(&slug, CommunityAction::View).await?;
    crate::services::goals::goals_with_progress(&access.state.pool, &access.community).await
}

/// One goal with its progress over time and its sub-goals.
#[server(endpoint = "impact/goal")]
pub async fn get_goal(slug: String, goal_id: i64) -> Result<GoalDetail, AppError> {
    use crate::api::communities::access_community;
    use crate::auth::policy::CommunityAction;
    let access = access_community(&slug, CommunityAction::View).await?;
    crate::services::goals::goal_detail(&access.state.pool, &access.community, goal_id).await
}

/// Adds a goal (leaders). Redirects to the goals page.
#[server(endpoint = "impact/create_goal")]
pub async fn create_goal(slug: String, form: GoalForm) -> Result<(), AppError> {
    use crate::api::communities::access_community;
    use crate::auth::policy::CommunityAction;
    let access = access_community(&slug, CommunityAction::ManageGoals).await?;
    let goal = form.validate()?;
    crate::services::goals::create_goal(
        &access.state.writes,
        &access.community,
        access.user()?.id,
        &goal,
    )
    .await?;
    leptos_axum::redirect(&format!("/c/{}/goals", access.community.slug));
    Ok(())
}

/// Changes a goal (leaders); a parent that would make a cycle is refused. The unit never changes.
#[server(endpoint = "impact/update_goal")]
pub async fn update_goal(slug: String, goal_id: i64, form: GoalForm) -> Result<(), AppError> {
    use crate::api::communities::access_community;
    use crate::auth::policy::CommunityAction;
    let access = access_community(&slug, CommunityAction::ManageGoals).await?;
    let goal = form.validate()?;
    crate::services::goals::update_goal(
        &access.state.writes,
        &access.community,
        access.user()?.id,
        goal_id,
        &goal,
    )
    .await?;
    leptos_axum::redirect(&format!("/c/{}/goals/{goal_id}", access.community.slug));
    Ok(())
}

/// The impact report: goals, totals, weekly activity, top initiatives, participation health.
#[server(endpoint = "impact/report")]
pub async fn get_impact_report(slug: String) -> Result<ImpactReport, AppError> {
    use crate::api::communities::access_community;
    use crate::auth::policy::CommunityAction;
    let access = access_community(&slug, CommunityAction::View).await?;
    access.state.impact_reports.report(&access.state.pool, &access.community).await
}
