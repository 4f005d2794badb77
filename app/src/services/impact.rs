//! Goals, initiatives, opportunities and contributions: every write in one
//! transaction, the ledger entry and the state it changes together.

use crate::db::audit::AuditAction;
use std::collections::HashMap;

use chrono::{Duration, Utc};
use sqlx::SqlitePool;

use crate::auth::policy;
use crate::db::writer::WriteQueue;
use crate::db::{self, impact as store};
use crate::domain::community::{Community, Standing};
use crate::domain::ids::UserId;
use crate::domain::impact::{
    ContributionStatus, Goal, GoalDetail, ImpactReport, ValidContribution, ValidGoal, roll_up,
    top_decile_share, would_cycle,
};
use crate::error::AppError;
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
    conn: &mut sqlx::SqliteConnection,
    community: &Community,
    goal: Option<i64>,
    parent: Option<i64>,
) -> Result<(), AppError> {
    let Some(parent) = parent else {
        return Ok(());
    };
    let rows = store::goals(&mut *conn, community.id).await?;
    let parents: HashMap<i64, Option<i64>> = rows.iter().map(|r| (r.id, r.parent_id)).collect();
    if !parents.contains_key(&parent) {
        return Err(AppError::invalid("parent_id",
            "Choose a goal of this community."));
    }
    if let Some(goal) = goal
        && would_cycle(&parents, goal, parent)
    {
        return Err(AppError::invalid("parent_id",
            "A goal cannot sit under itself or its own sub-goals."));
    }
    Ok(())
}

/// Adds a goal (leaders only; the caller has checked).
pub async fn create_goal(
    writes: &WriteQueue,
    community: &Community,
    by: UserId,
    goal: &ValidGoal,
) -> Result<i64, AppError> {
    let community = community.clone();
    let goal = goal.clone();
    writes
        .run(move |tx| {
            Box::pin(async move {
                check_parent(&mut *tx, &community, None, goal.parent_id).await?;
                let id = store::insert_goal(&mut *tx, community.id, &goal, by).await?;
                db::audit::record(
                    &mut *tx,
                    community.id,
                    Some(by),
                    AuditAction::GoalCreated,
                    None,
                    &goal.title,
                )
                .await?;
                Ok(id)
            })
        })
        .await
}

/// Changes a goal, refusing a parent that would make a cycle.
pub async fn update_goal(
    writes: &WriteQueue,
    community: &Community,
    by: UserId,
    id: i64,
    goal: &ValidGoal,
) -> Result<(), AppError> {
    let community = community.clone();
    let goal = goal.clone();
    writes
        .run(move |tx| {
            Box::pin(async move {
                store::goal_unit(&mut *tx, community.id, id)
                    .await?
                    .ok_or(AppError::NotFound)?;
                check_parent(&mut *tx, &community, Some(id), goal.parent_id).await?;
                store::update_goal(&mut *tx, id, &goal).await?;
                db::audit::record(
                    &mut *tx,
                    community.id,
                    Some(by),
                    AuditAction::GoalEdited,
                    None,
                    &goal.title,
                )
                .await?;
                Ok(())
            })
        })
        .await
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
    writes: &WriteQueue,
    community: &Community,
    author: UserId,
    contribution: &ValidContribution,
) -> Result<i64, AppError> {
    let community = community.clone();
    let contribution = contribution.clone();
    writes
        .run(move |conn| {
            Box::pin(async move {
                check_links(conn, &community, &contribution).await?;
                let id = ledger::append(
                    conn,
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
                    &mut *conn,
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
                        conn,
                        &community,
                        author,
                        id,
                        ContributionStatus::Verified,
                        "self-attested",
                    )
                    .await?;
                }
                Ok(id)
            })
        })
        .await
}

/// Refuses a contribution towards a goal of another community or an initiative
/// that is not approved.
async fn check_links(
    conn: &mut sqlx::SqliteConnection,
    community: &Community,
    contribution: &ValidContribution,
) -> Result<(), AppError> {
    if let Some(goal) = contribution.goal_id
        && store::goal_unit(&mut *conn, community.id, goal)
            .await?
            .is_none()
    {
        return Err(AppError::invalid("goal_id",
            "Choose a goal of this community."));
    }
    if let Some(initiative) = contribution.initiative_id {
        match store::initiative(&mut *conn, community.id, initiative).await? {
            Some((_, _, _, status, _, _)) if status == "approved" => {}
            _ => {
                return Err(AppError::invalid("initiative_id",
                    "Choose an approved initiative."));
            }
        }
    }
    Ok(())
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
        return Err(AppError::conflict("status",
            "This contribution was already decided or withdrawn."));
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
    writes: &WriteQueue,
    community: &Community,
    standing: Standing,
    verifier: UserId,
    contribution: i64,
    verify: bool,
    reason: &str,
) -> Result<(), AppError> {
    let reason = reason.trim();
    if !verify && reason.is_empty() {
        return Err(AppError::invalid("reason",
            "Say why it is declined."));
    }
    if reason.chars().count() > 500 {
        return Err(AppError::invalid("reason",
            "Keep it under 500 characters."));
    }
    let community = community.clone();
    let reason = reason.to_owned();
    writes
        .run(move |conn| {
            Box::pin(async move {
                let (author, owner, _) =
                    store::contribution_facts(&mut *conn, community.id, contribution)
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
                record_decision(conn, &community, verifier, contribution, status, &reason).await?;
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
                    &mut *conn,
                    author,
                    &notice,
                    &format!("/c/{}/impact", community.slug),
                )
                .await?;
                Ok(())
            })
        })
        .await
}

/// Withdraws the author's own contribution before it is decided.
pub async fn withdraw_contribution(
    writes: &WriteQueue,
    community: &Community,
    author: UserId,
    contribution: i64,
) -> Result<(), AppError> {
    let community = community.clone();
    writes
        .run(move |conn| {
            Box::pin(async move {
                let (owner_of_it, _, _) =
                    store::contribution_facts(&mut *conn, community.id, contribution)
                        .await?
                        .ok_or(AppError::NotFound)?;
                if owner_of_it != author {
                    return Err(AppError::Forbidden);
                }
                record_decision(
                    conn,
                    &community,
                    author,
                    contribution,
                    ContributionStatus::Withdrawn,
                    "",
                )
                .await?;
                Ok(())
            })
        })
        .await
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

#[cfg(test)]
mod property_tests {
    //! Progress read back from a real SQLite ledger equals a straightforward
    //! recomputation, over random goal trees and random ledgers.

    use std::collections::HashMap;

    use proptest::prelude::*;

    use super::*;
    use crate::domain::community::{CommunityForm, Role};
    use crate::domain::impact::ValidContribution;

    /// A random tree: goal i's parent is one of the goals before it (or none).
    fn tree() -> impl Strategy<Value = Vec<(Option<usize>, f64, f64)>> {
        prop::collection::vec(
            (
                any::<prop::sample::Index>(),
                any::<bool>(),
                1u32..100,
                1u32..1000,
            ),
            1..8,
        )
        .prop_map(|raw| {
            raw.into_iter()
                .enumerate()
                .map(|(i, (pick, root, weight, target))| {
                    let parent = if i == 0 || root {
                        None
                    } else {
                        Some(pick.index(i))
                    };
                    (parent, f64::from(weight), f64::from(target))
                })
                .collect()
        })
    }

    /// Random contributions: (goal index, quantity in quarters, 0 = leave reported, 1 = verify, 2 = decline).
    fn ledger() -> impl Strategy<Value = Vec<(prop::sample::Index, u32, u8)>> {
        prop::collection::vec((any::<prop::sample::Index>(), 1u32..4000, 0u8..3), 0..25)
    }

    /// The naive model: sum verified quantities per goal; a goal's progress is its
    /// children's weighted mean if it has any, else min(sum / target, 1).
    fn naive(goals: &[(Option<usize>, f64, f64)], verified: &HashMap<usize, f64>) -> Vec<f64> {
        fn progress(
            i: usize,
            goals: &[(Option<usize>, f64, f64)],
            verified: &HashMap<usize, f64>,
        ) -> f64 {
            let children: Vec<usize> = (0..goals.len())
                .filter(|&c| goals[c].0 == Some(i))
                .collect();
            if children.is_empty() {
                (verified.get(&i).copied().unwrap_or(0.0) / goals[i].2).min(1.0)
            } else {
                let total: f64 = children.iter().map(|&c| goals[c].1).sum();
                children
                    .iter()
                    .map(|&c| goals[c].1 * progress(c, goals, verified))
                    .sum::<f64>()
                    / total
            }
        }
        (0..goals.len())
            .map(|i| progress(i, goals, verified))
            .collect()
    }

    async fn run(
        goals_spec: Vec<(Option<usize>, f64, f64)>,
        entries: Vec<(prop::sample::Index, u32, u8)>,
    ) {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/p.db", dir.path().display());
        let pool = crate::db::connect(&url).await.unwrap();
        crate::db::migrate(&pool).await.unwrap();
        let writes = WriteQueue::start(crate::db::connect_options(&url).unwrap())
            .await
            .unwrap();
        let new_user = |h: &'static str| crate::db::users::NewUser {
            handle: h,
            display_name: h,
            email: h,
            password_hash: "x",
        };
        let steward = crate::db::users::insert(&pool, &new_user("steward"))
            .await
            .unwrap();
        let member = crate::db::users::insert(&pool, &new_user("member"))
            .await
            .unwrap();
        let form = CommunityForm {
            name: "Property".into(),
            slug: String::new(),
            mission: "Test.".into(),
            vision: String::new(),
            values: String::new(),
            visibility: "public".into(),
            join_policy: "open".into(),
            join_questions: String::new(),
            self_attestation: None,
        };
        let id = crate::services::communities::found(&writes, steward, &form.validate().unwrap())
            .await
            .unwrap();
        crate::db::memberships::add(&pool, id, member, Role::Member)
            .await
            .unwrap();
        let mut conn = pool.acquire().await.unwrap();
        let community = crate::db::communities::by_slug(&mut conn, "property")
            .await
            .unwrap()
            .unwrap();
        drop(conn);

        let mut ids = Vec::new();
        for (parent, weight, target) in &goals_spec {
            let goal = ValidGoal {
                title: format!("Goal {}", ids.len()),
                metric: "things".into(),
                unit: "things".into(),
                target: *target,
                deadline: None,
                parent_id: parent.map(|p| ids[p]),
                weight: *weight,
            };
            ids.push(
                create_goal(&writes, &community, steward, &goal)
                    .await
                    .unwrap(),
            );
        }
        let mut verified: HashMap<usize, f64> = HashMap::new();
        for (pick, quarters, fate) in entries {
            let goal = pick.index(ids.len());
            let quantity = f64::from(quarters) / 4.0;
            let contribution = ValidContribution {
                description: "work".into(),
                done_on: chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
                quantity: Some(quantity),
                hours: None,
                goal_id: Some(ids[goal]),
                initiative_id: None,
                evidence_url: String::new(),
                note: String::new(),
            };
            let cid = log_contribution(&writes, &community, member, &contribution)
                .await
                .unwrap();
            let standing = crate::domain::community::Standing::Member(Role::Owner);
            match fate {
                1 => {
                    decide_contribution(&writes, &community, standing, steward, cid, true, "")
                        .await
                        .unwrap();
                    *verified.entry(goal).or_default() += quantity;
                }
                2 => decide_contribution(&writes, &community, standing, steward, cid, false, "no")
                    .await
                    .unwrap(),
                _ => {}
            }
        }
        let expected = naive(&goals_spec, &verified);
        let actual = goals_with_progress(&pool, &community).await.unwrap();
        for (i, id) in ids.iter().enumerate() {
            let goal = actual.iter().find(|g| g.id == *id).unwrap();
            let sum = verified.get(&i).copied().unwrap_or(0.0);
            assert!(
                (goal.current - sum).abs() < 1e-9,
                "goal {i}: current {} vs {sum}",
                goal.current
            );
            assert!(
                (goal.progress - expected[i]).abs() < 1e-9,
                "goal {i}: {} vs {}",
                goal.progress,
                expected[i]
            );
        }
        assert!(
            crate::services::ledger::verify_database(&pool)
                .await
                .is_ok()
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 24, failure_persistence: None, ..ProptestConfig::default() })]
        #[test]
        fn progress_from_the_database_equals_a_naive_recomputation(goals in tree(), entries in ledger()) {
            tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(run(goals, entries));
        }
    }
}
