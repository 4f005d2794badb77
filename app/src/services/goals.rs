//! Goals: the tree with each goal's progress, adding and changing goals (a parent that
//! would make a cycle is refused inside the write).

use crate::db::audit::AuditAction;
use crate::db::writer::write_tx;
use crate::db::{Conn, Pool};
use std::collections::HashMap;

use crate::db::writer::WriteQueue;
use crate::db::{self, impact as store};
use crate::domain::community::Community;
use crate::domain::ids::UserId;
use crate::domain::impact::{Goal, GoalDetail, GoalFacts, roll_up, would_cycle};
use crate::error::AppError;

/// Every goal of a community with its progress, parents before their children.
pub async fn goals_with_progress(
    pool: &Pool,
    community: &Community,
) -> Result<Vec<Goal>, AppError> {
    let rows = store::goals(pool, community.id).await?;
    let nodes: Vec<_> = rows.iter().map(store::GoalRow::node).collect();
    let progress = roll_up(&nodes);
    let parents: std::collections::HashSet<i64> =
        rows.iter().filter_map(|r| r.facts.parent_id).collect();
    let mut goals: Vec<Goal> = rows
        .into_iter()
        .map(|r| Goal {
            progress: progress.get(&r.id).copied().unwrap_or(0.0),
            has_children: parents.contains(&r.id),
            id: r.id,
            facts: r.facts,
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
        let parent = goal.facts.parent_id.filter(|p| ids.contains(p));
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
    conn: &mut Conn<'_>,
    community: &Community,
    goal: Option<i64>,
    parent: Option<i64>,
) -> Result<(), AppError> {
    let Some(parent) = parent else {
        return Ok(());
    };
    let rows = store::goals(&mut *conn, community.id).await?;
    let parents: HashMap<i64, Option<i64>> =
        rows.iter().map(|r| (r.id, r.facts.parent_id)).collect();
    if !parents.contains_key(&parent) {
        return Err(AppError::invalid("parent_id", "Choose a goal of this community."));
    }
    if let Some(goal) = goal
        && would_cycle(&parents, goal, parent)
    {
        return Err(AppError::invalid(
            "parent_id",
            "A goal cannot sit under itself or its own sub-goals.",
        ));
    }
    Ok(())
}

/// Adds a goal (leaders only; the caller has checked).
pub async fn create_goal(
    writes: &WriteQueue,
    community: &Community,
    by: UserId,
    goal: &GoalFacts,
) -> Result<i64, AppError> {
    let community = community.clone();
    let goal = goal.clone();
    write_tx!(writes, |tx| {
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
}

/// Changes a goal, refusing a parent that would make a cycle.
pub async fn update_goal(
    writes: &WriteQueue,
    community: &Community,
    by: UserId,
    id: i64,
    goal: &GoalFacts,
) -> Result<(), AppError> {
    let community = community.clone();
    let goal = goal.clone();
    write_tx!(writes, |tx| {
        store::goal_unit(&mut *tx, community.id, id).await?.ok_or(AppError::NotFound)?;
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
}

/// A goal with its history and children.
pub async fn goal_detail(
    pool: &Pool,
    community: &Community,
    id: i64,
) -> Result<GoalDetail, AppError> {
    let goals = goals_with_progress(pool, community).await?;
    let goal = goals.iter().find(|g| g.id == id).cloned().ok_or(AppError::NotFound)?;
    let children = goals.into_iter().filter(|g| g.facts.parent_id == Some(id)).collect();
    let history = store::goal_history(pool, id).await?;
    let resources = crate::services::library::attached(pool, community.id, None, Some(id)).await?;
    Ok(GoalDetail { goal, history, children, resources })
}
