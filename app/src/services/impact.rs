//! Goals, initiatives, opportunities and contributions: every write in one
//! transaction, the ledger entry and the state it changes together.

use std::collections::HashMap;

use chrono::{Duration, Utc};
use sqlx::SqlitePool;

use crate::auth::policy;
use crate::db::{self, impact as store};
use crate::domain::community::{Community, Standing};
use crate::domain::ids::UserId;
use crate::domain::impact::{
    ContributionStatus, Goal, GoalDetail, ImpactReport, ValidContribution, ValidGoal, roll_up,
    top_decile_share, would_cycle,
};
use crate::error::{AppError, FieldErrors};
use crate::services::ledger::{self, NewEntry};

/// Every goal of a community with its progress, parents before their children.
pub async fn goals_with_progress(
    pool: &SqlitePool,
    community: &Community,
) -> Result<Vec<Goal>, AppError> {
    let rows = store::goals(pool, community.id).await?;
    let nodes: Vec<_> = rows.iter().map(store::GoalRow::node).collect();
    let progress = roll_up(&nodes);
    let parents: std::collections::HashSet<i64> = rows.iter().filter_map(|r| r.parent_id).collect();
    let mut goals: Vec<Goal> = rows
        .into_iter()
        .map(|r| Goal {
            progress: progress.get(&r.id).copied().unwrap_or(0.0),
            has_children: parents.contains(&r.id),
            deadline: r
                .deadline
                .as_deref()
                .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()),
            id: r.id,
            title: r.title,
            metric: r.metric,
            unit: r.unit,
            target: r.target,
            parent_id: r.parent_id,
            weight: r.weight,
            current: r.current,
        })
        .collect();
    order_as_tree(&mut goals);
    Ok(goals)
}

/// Orders goals depth-first: each parent followed by its children.
fn order_as_tree(goals: &mut Vec<Goal>) {
    let mut by_parent: HashMap<Option<i64>, Vec<Goal>> = HashMap::new();
    let ids: std::collections::HashSet<i64> = goals.iter().map(|g| g.id).collect();
    for goal in goals.drain(..) {
        let parent = goal.parent_id.filter(|p| ids.contains(p));
        by_parent.entry(parent).or_default().push(goal);
    }
    fn walk(
        parent: Option<i64>,
        by_parent: &mut HashMap<Option<i64>, Vec<Goal>>,
        out: &mut Vec<Goal>,
    ) {
        if let Some(children) = by_parent.remove(&parent) {
            for child in children {
                let id = child.id;
                out.push(child);
                walk(Some(id), by_parent, out);
            }
        }
    }
    walk(None, &mut by_parent, goals);
    // Anything left over (a corrupt loop) still shows, at the end.
    for (_, rest) in by_parent {
        goals.extend(rest);
    }
}

async fn check_parent(
    pool: &SqlitePool,
    community: &Community,
    goal: Option<i64>,
    parent: Option<i64>,
) -> Result<(), AppError> {
    let Some(parent) = parent else { return Ok(()) };
    let rows = store::goals(pool, community.id).await?;
    let parents: HashMap<i64, Option<i64>> = rows.iter().map(|r| (r.id, r.parent_id)).collect();
    if !parents.contains_key(&parent) {
        return Err(AppError::Validation(FieldErrors::single(
            "parent_id",
            "Choose a goal of this community.",
        )));
    }
    if let Some(goal) = goal
        && would_cycle(&parents, goal, parent)
    {
        return Err(AppError::Validation(FieldErrors::single(
            "parent_id",
            "A goal cannot sit under itself or its own sub-goals.",
        )));
    }
    Ok(())
}

/// Adds a goal (leaders only; the caller has checked).
pub async fn create_goal(
    pool: &SqlitePool,
    community: &Community,
    by: UserId,
    goal: &ValidGoal,
) -> Result<i64, AppError> {
    check_parent(pool, community, None, goal.parent_id).await?;
    let mut tx = db::begin_write(pool).await?;
    let id = store::insert_goal(&mut *tx, community.id, goal, by).await?;
    db::audit::record(
        &mut *tx,
        community.id,
        Some(by),
        "goal_created",
        None,
        &goal.title,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Changes a goal, refusing a parent that would make a cycle.
pub async fn update_goal(
    pool: &SqlitePool,
    community: &Community,
    by: UserId,
    id: i64,
    goal: &ValidGoal,
) -> Result<(), AppError> {
    let mut tx = db::begin_write(pool).await?;
    store::goal_unit(&mut *tx, community.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    drop(tx);
    check_parent(pool, community, Some(id), goal.parent_id).await?;
    let mut tx = db::begin_write(pool).await?;
    store::update_goal(&mut *tx, id, goal).await?;
    db::audit::record(
        &mut *tx,
        community.id,
        Some(by),
        "goal_edited",
        None,
        &goal.title,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A goal with its history and children.
pub async fn goal_detail(
    pool: &SqlitePool,
    community: &Community,
    id: i64,
) -> Result<GoalDetail, AppError> {
    let goals = goals_with_progress(pool, community).await?;
    let goal = goals
        .iter()
        .find(|g| g.id == id)
        .cloned()
        .ok_or(AppError::NotFound)?;
    let children = goals
        .into_iter()
        .filter(|g| g.parent_id == Some(id))
        .collect();
    let history = store::goal_history(pool, id).await?;
    Ok(GoalDetail {
        goal,
        history,
        children,
    })
}

/// Logs a contribution as `author`: a `reported` ledger entry, and with
/// self-attestation on, a `verified` one right after.
pub async fn log_contribution(
    pool: &SqlitePool,
    community: &Community,
    author: UserId,
    contribution: &ValidContribution,
) -> Result<i64, AppError> {
    let mut tx = db::begin_write(pool).await?;
    if let Some(goal) = contribution.goal_id
        && store::goal_unit(&mut *tx, community.id, goal)
            .await?
            .is_none()
    {
        return Err(AppError::Validation(FieldErrors::single(
            "goal_id",
            "Choose a goal of this community.",
        )));
    }
    if let Some(initiative) = contribution.initiative_id {
        match store::initiative(&mut *tx, community.id, initiative).await? {
            Some((_, _, _, status, _, _)) if status == "approved" => {}
            _ => {
                return Err(AppError::Validation(FieldErrors::single(
                    "initiative_id",
                    "Choose an approved initiative.",
                )));
            }
        }
    }
    let id = ledger::append(
        &mut tx,
        community.id,
        NewEntry {
            kind: "reported",
            contribution_id: None,
            actor_id: author.0,
            description: contribution.description.clone(),
            done_on: contribution.done_on.to_string(),
            quantity: contribution.quantity,
            hours: contribution.hours,
            goal_id: contribution.goal_id,
            initiative_id: contribution.initiative_id,
            evidence_url: contribution.evidence_url.clone(),
            note: contribution.note.clone(),
        },
    )
    .await?;
    store::insert_contribution(
        &mut *tx,
        id,
        community.id,
        author,
        contribution.goal_id,
        contribution.initiative_id,
        contribution.quantity,
        contribution.hours,
        contribution.done_on,
    )
    .await?;
    if community.self_attestation {
        record_decision(
            &mut tx,
            community,
            author,
            id,
            ContributionStatus::Verified,
            "self-attested",
        )
        .await?;
    }
    tx.commit().await?;
    Ok(id)
}

async fn record_decision(
    tx: &mut sqlx::SqliteConnection,
    community: &Community,
    actor: UserId,
    contribution: i64,
    status: ContributionStatus,
    reason: &str,
) -> Result<(), AppError> {
    if !store::set_status(&mut *tx, contribution, status).await? {
        return Err(AppError::Conflict(FieldErrors::single(
            "status",
            "This contribution was already decided or withdrawn.",
        )));
    }
    ledger::append(
        tx,
        community.id,
        NewEntry {
            kind: status.as_str(),
            contribution_id: Some(contribution),
            actor_id: actor.0,
            note: reason.to_owned(),
            ..NewEntry::default()
        },
    )
    .await?;
    Ok(())
}

/// Verifies or declines a reported contribution, after the policy check on who may.
pub async fn decide_contribution(
    pool: &SqlitePool,
    community: &Community,
    standing: Standing,
    verifier: UserId,
    contribution: i64,
    verify: bool,
    reason: &str,
) -> Result<(), AppError> {
    let reason = reason.trim();
    if !verify && reason.is_empty() {
        return Err(AppError::Validation(FieldErrors::single(
            "reason",
            "Say why it is declined.",
        )));
    }
    if reason.chars().count() > 500 {
        return Err(AppError::Validation(FieldErrors::single(
            "reason",
            "Keep it under 500 characters.",
        )));
    }
    let mut tx = db::begin_write(pool).await?;
    let (author, owner, _) = store::contribution_facts(&mut *tx, community.id, contribution)
        .await?
        .ok_or(AppError::NotFound)?;
    policy::check_verify(
        standing,
        verifier,
        author,
        owner,
        community.self_attestation,
    )?;
    let status = if verify {
        ContributionStatus::Verified
    } else {
        ContributionStatus::Declined
    };
    record_decision(&mut tx, community, verifier, contribution, status, reason).await?;
    let notice = if verify {
        format!(
            "Your contribution to {} was verified. Thank you!",
            community.name
        )
    } else {
        format!(
            "Your contribution to {} was declined: {reason}",
            community.name
        )
    };
    db::notifications::notify(
        &mut *tx,
        author,
        &notice,
        &format!("/c/{}/impact", community.slug),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Withdraws the author's own contribution before it is decided.
pub async fn withdraw_contribution(
    pool: &SqlitePool,
    community: &Community,
    author: UserId,
    contribution: i64,
) -> Result<(), AppError> {
    let mut tx = db::begin_write(pool).await?;
    let (owner_of_it, _, _) = store::contribution_facts(&mut *tx, community.id, contribution)
        .await?
        .ok_or(AppError::NotFound)?;
    if owner_of_it != author {
        return Err(AppError::Forbidden);
    }
    record_decision(
        &mut tx,
        community,
        author,
        contribution,
        ContributionStatus::Withdrawn,
        "",
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The impact page's figures.
pub async fn impact_report(
    pool: &SqlitePool,
    community: &Community,
) -> Result<ImpactReport, AppError> {
    let now = Utc::now();
    let today = now.date_naive();
    let (verified_contributions, verified_hours, active) =
        store::totals(pool, community.id, today - Duration::days(30)).await?;
    let weeks_from = today - Duration::days(7 * 12);
    let weekly = store::weekly(pool, community.id, weeks_from)
        .await?
        .into_iter()
        .filter_map(|(week, n)| {
            chrono::NaiveDate::parse_from_str(&week, "%Y-%m-%d")
                .ok()
                .map(|d| (d, n))
        })
        .collect();
    let (joined, contributed) =
        store::retention(pool, community.id, now - Duration::days(90)).await?;
    Ok(ImpactReport {
        goals: goals_with_progress(pool, community).await?,
        verified_contributions,
        verified_hours,
        active_contributors_30d: active,
        weekly,
        top_initiatives: store::top_initiatives(pool, community.id).await?,
        top_decile_share: top_decile_share(
            store::counts_per_contributor(pool, community.id).await?,
        ),
        joined_90_days_ago: joined,
        joined_90_days_ago_contributed: contributed,
        as_of: now,
    })
}
