//! Goals: the tree, verified totals per goal, and their history.

use crate::db::statement::{all_rows, args, one_value, optional_value, run};
use chrono::NaiveDate;
use sqlx::FromRow;

use crate::db::{Db, Sql};
use crate::domain::ids::{CommunityId, UserId};
use crate::domain::impact::{GoalFacts, GoalNode, ProgressPoint};

/// A goal row with its verified quantity.
#[derive(Debug, Clone, FromRow)]
pub struct GoalRow {
    /// Id.
    pub id: i64,
    /// What a steward set.
    #[sqlx(flatten)]
    pub facts: GoalFacts,
    /// Verified quantity logged against it.
    pub current: f64,
}

impl GoalRow {
    /// The numbers a roll-up needs.
    pub fn node(&self) -> GoalNode {
        GoalNode {
            id: self.id,
            parent_id: self.facts.parent_id,
            weight: self.facts.weight,
            target: self.facts.target,
            current: self.current,
        }
    }
}

/// A community's goals with verified totals, in one query.
pub async fn goals(db: impl Db<'_>, community: CommunityId) -> Sql<Vec<GoalRow>> {
    let sql = "SELECT g.id, g.title, g.metric, g.unit, g.target, g.deadline, g.parent_id, g.weight,
                COALESCE((SELECT SUM(c.quantity) FROM contributions c
                           WHERE c.goal_id = g.id AND c.status = 'verified'), 0.0) AS current
           FROM goals g WHERE g.community_id = $1 ORDER BY g.id";
    all_rows(db, sql, args![community]).await
}

/// The community's impact-report version (bumped by triggers on every write that changes it).
pub async fn impact_version(db: impl Db<'_>, community: CommunityId) -> Sql<i64> {
    let sql = "SELECT impact_version FROM communities WHERE id = $1";
    one_value(db, sql, args![community]).await
}

/// Adds a goal.
pub async fn insert_goal(
    db: impl Db<'_>,
    community: CommunityId,
    goal: &GoalFacts,
    by: UserId,
) -> Sql<i64> {
    let sql = "INSERT INTO goals (community_id, title, metric, unit, target, deadline, parent_id, weight, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id";
    one_value(
        db,
        sql,
        args![
            community,
            &goal.title,
            &goal.metric,
            &goal.unit,
            goal.target,
            goal.deadline.map(|d| d.to_string()),
            goal.parent_id,
            goal.weight,
            by
        ],
    )
    .await
}

/// Changes a goal (its unit stays: logged quantities are in it).
pub async fn update_goal(db: impl Db<'_>, id: i64, goal: &GoalFacts) -> Sql<()> {
    let sql = "UPDATE goals SET title = $1, metric = $2, target = $3, deadline = $4, parent_id = $5, weight = $6 WHERE id = $7";
    run(
        db,
        sql,
        args![
            &goal.title,
            &goal.metric,
            goal.target,
            goal.deadline.map(|d| d.to_string()),
            goal.parent_id,
            goal.weight,
            id
        ],
    )
    .await?;
    Ok(())
}

/// Cumulative verified quantity of a goal by the day the work was done.
pub async fn goal_history(db: impl Db<'_>, goal: i64) -> Sql<Vec<ProgressPoint>> {
    let sql = "SELECT done_on, SUM(quantity) FROM contributions
          WHERE goal_id = $1 AND status = 'verified' AND quantity IS NOT NULL
          GROUP BY done_on ORDER BY done_on";
    let rows: Vec<(String, f64)> = all_rows(db, sql, args![goal]).await?;
    let mut total = 0.0;
    Ok(rows
        .into_iter()
        .filter_map(|(day, sum)| {
            total += sum;
            NaiveDate::parse_from_str(&day, "%Y-%m-%d")
                .ok()
                .map(|date| ProgressPoint { date, total })
        })
        .collect())
}

/// A community's goals to choose from, without their progress: (id, title, unit).
pub async fn goal_choices(
    db: impl Db<'_>,
    community: CommunityId,
) -> Sql<Vec<(i64, String, String)>> {
    let sql = "SELECT id, title, unit FROM goals WHERE community_id = $1 ORDER BY id";
    all_rows(db, sql, args![community]).await
}

/// A goal of this community: (id, unit).
pub async fn goal_unit(db: impl Db<'_>, community: CommunityId, goal: i64) -> Sql<Option<String>> {
    let sql = "SELECT unit FROM goals WHERE id = $1 AND community_id = $2";
    optional_value(db, sql, args![goal, community]).await
}
