//! Goals, initiatives, opportunities, contributions' current state, and impact figures.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{FromRow, SqliteConnection, SqliteExecutor};

use crate::domain::ids::{CommunityId, UserId};
use crate::domain::impact::{
    ContributionEntry, ContributionStatus, GoalNode, InitiativeSummary, Opportunity, ProgressPoint,
    ValidGoal,
};

/// A goal row with its verified quantity.
#[derive(Debug, Clone, FromRow)]
pub struct GoalRow {
    /// Id.
    pub id: i64,
    /// Title.
    pub title: String,
    /// Metric.
    pub metric: String,
    /// Unit.
    pub unit: String,
    /// Target.
    pub target: f64,
    /// Deadline (`YYYY-MM-DD`).
    pub deadline: Option<String>,
    /// Parent.
    pub parent_id: Option<i64>,
    /// Weight.
    pub weight: f64,
    /// Verified quantity logged against it.
    pub current: f64,
}

impl GoalRow {
    /// The numbers a roll-up needs.
    pub fn node(&self) -> GoalNode {
        GoalNode {
            id: self.id,
            parent_id: self.parent_id,
            weight: self.weight,
            target: self.target,
            current: self.current,
        }
    }
}

/// A community's goals with verified totals, in one query.
pub async fn goals(
    db: impl SqliteExecutor<'_>,
    community: CommunityId,
) -> Result<Vec<GoalRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT g.id, g.title, g.metric, g.unit, g.target, g.deadline, g.parent_id, g.weight,
                COALESCE((SELECT SUM(c.quantity) FROM contributions c
                           WHERE c.goal_id = g.id AND c.status = 'verified'), 0.0) AS current
           FROM goals g WHERE g.community_id = ? ORDER BY g.id",
    )
    .bind(community)
    .fetch_all(db)
    .await
}

/// The community's impact-report version (bumped by triggers on every write that changes it).
pub async fn impact_version(
    db: impl SqliteExecutor<'_>,
    community: CommunityId,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT impact_version FROM communities WHERE id = ?")
        .bind(community)
        .fetch_one(db)
        .await
}

/// Adds a goal.
pub async fn insert_goal(
    db: impl SqliteExecutor<'_>,
    community: CommunityId,
    goal: &ValidGoal,
    by: UserId,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO goals (community_id, title, metric, unit, target, deadline, parent_id, weight, created_by)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(community)
    .bind(&goal.title)
    .bind(&goal.metric)
    .bind(&goal.unit)
    .bind(goal.target)
    .bind(goal.deadline.map(|d| d.to_string()))
    .bind(goal.parent_id)
    .bind(goal.weight)
    .bind(by)
    .fetch_one(db)
    .await
}

/// Changes a goal (its unit stays: logged quantities are in it).
pub async fn update_goal(
    db: impl SqliteExecutor<'_>,
    id: i64,
    goal: &ValidGoal,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE goals SET title = ?, metric = ?, target = ?, deadline = ?, parent_id = ?, weight = ? WHERE id = ?")
        .bind(&goal.title)
        .bind(&goal.metric)
        .bind(goal.target)
        .bind(goal.deadline.map(|d| d.to_string()))
        .bind(goal.parent_id)
        .bind(goal.weight)
        .bind(id)
        .execute(db)
        .await?;
    Ok(())
}

/// Cumulative verified quantity of a goal by the day the work was done.
pub async fn goal_history(
    db: impl SqliteExecutor<'_>,
    goal: i64,
) -> Result<Vec<ProgressPoint>, sqlx::Error> {
    let rows: Vec<(String, f64)> = sqlx::query_as(
        "SELECT done_on, SUM(quantity) FROM contributions
          WHERE goal_id = ? AND status = 'verified' AND quantity IS NOT NULL
          GROUP BY done_on ORDER BY done_on",
    )
    .bind(goal)
    .fetch_all(db)
    .await?;
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

/// Proposes an initiative owned by its proposer, serving `goals` (ids of this community's goals).
pub async fn insert_initiative(
    db: &mut SqliteConnection,
    community: CommunityId,
    owner: UserId,
    title: &str,
    description: &str,
    goals: &[i64],
) -> Result<i64, sqlx::Error> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO initiatives (community_id, title, description, owner_id) VALUES (?, ?, ?, ?) RETURNING id",
    )
    .bind(community)
    .bind(title)
    .bind(description)
    .bind(owner)
    .fetch_one(&mut *db)
    .await?;
    for goal in goals {
        sqlx::query(
            "INSERT OR IGNORE INTO initiative_goals (initiative_id, goal_id)
             SELECT ?, id FROM goals WHERE id = ? AND community_id = ?",
        )
        .bind(id)
        .bind(goal)
        .bind(community)
        .execute(&mut *db)
        .await?;
    }
    Ok(id)
}

/// An initiative's row: (id, title, description, status, owner id, owner handle).
pub type InitiativeRow = (i64, String, String, String, UserId, String);

/// An initiative of this community.
pub async fn initiative(
    db: impl SqliteExecutor<'_>,
    community: CommunityId,
    id: i64,
) -> Result<Option<InitiativeRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT i.id, i.title, i.description, i.status, i.owner_id, u.handle
           FROM initiatives i JOIN users u ON u.id = i.owner_id WHERE i.id = ? AND i.community_id = ?",
    )
    .bind(id)
    .bind(community)
    .fetch_optional(db)
    .await
}

/// The goals an initiative serves: (id, title).
pub async fn initiative_goals(
    db: impl SqliteExecutor<'_>,
    initiative: i64,
) -> Result<Vec<(i64, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT g.id, g.title FROM initiative_goals ig JOIN goals g ON g.id = ig.goal_id
          WHERE ig.initiative_id = ? ORDER BY g.id",
    )
    .bind(initiative)
    .fetch_all(db)
    .await
}

/// Approves or declines a proposed initiative; false if it was not proposed.
pub async fn decide_initiative(
    db: impl SqliteExecutor<'_>,
    community: CommunityId,
    id: i64,
    approve: bool,
    by: UserId,
) -> Result<bool, sqlx::Error> {
    let result = sqlx::query(
        "UPDATE initiatives SET status = ?, decided_by = ? WHERE id = ? AND community_id = ? AND status = 'proposed'",
    )
    .bind(if approve { "approved" } else { "declined" })
    .bind(by)
    .bind(id)
    .bind(community)
    .execute(db)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// A community's initiatives, newest first, with open places.
pub async fn initiatives(
    db: impl SqliteExecutor<'_>,
    community: CommunityId,
) -> Result<Vec<InitiativeSummary>, sqlx::Error> {
    let rows: Vec<(i64, String, String, String, i64)> = sqlx::query_as(
        "SELECT i.id, i.title, i.status, u.handle,
                COALESCE((SELECT SUM(o.capacity - (SELECT COUNT(*) FROM opportunity_signups s WHERE s.opportunity_id = o.id))
                            FROM opportunities o WHERE o.initiative_id = i.id), 0)
           FROM initiatives i JOIN users u ON u.id = i.owner_id
          WHERE i.community_id = ? ORDER BY i.id DESC LIMIT 200",
    )
    .bind(community)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(id, title, status, owner, open_places)| InitiativeSummary {
                id,
                title,
                status,
                owner,
                open_places,
            },
        )
        .collect())
}

/// Adds an opportunity to an initiative.
pub async fn insert_opportunity(
    db: impl SqliteExecutor<'_>,
    initiative: i64,
    title: &str,
    description: &str,
    capacity: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO opportunities (initiative_id, title, description, capacity) VALUES (?, ?, ?, ?) RETURNING id",
    )
    .bind(initiative)
    .bind(title)
    .bind(description)
    .bind(capacity)
    .fetch_one(db)
    .await
}

/// An initiative's opportunities with who is on each.
pub async fn opportunities(
    db: impl SqliteExecutor<'_>,
    initiative: i64,
    viewer: Option<UserId>,
) -> Result<Vec<Opportunity>, sqlx::Error> {
    let rows: Vec<(i64, String, String, i64, Option<String>, i64)> = sqlx::query_as(
        "SELECT o.id, o.title, o.description, o.capacity,
                (SELECT group_concat(u.handle, ' ') FROM opportunity_signups s JOIN users u ON u.id = s.user_id
                  WHERE s.opportunity_id = o.id),
                EXISTS(SELECT 1 FROM opportunity_signups s WHERE s.opportunity_id = o.id AND s.user_id = ?2)
           FROM opportunities o WHERE o.initiative_id = ?1 ORDER BY o.id",
    )
    .bind(initiative)
    .bind(viewer)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(id, title, description, capacity, people, joined)| Opportunity {
                id,
                title,
                description,
                capacity,
                people: people
                    .map(|p| p.split(' ').map(str::to_owned).collect())
                    .unwrap_or_default(),
                joined: joined != 0,
            },
        )
        .collect())
}

/// The initiative (of this community) an opportunity belongs to.
pub async fn opportunity_initiative(
    db: impl SqliteExecutor<'_>,
    community: CommunityId,
    opportunity: i64,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT o.initiative_id FROM opportunities o JOIN initiatives i ON i.id = o.initiative_id
          WHERE o.id = ? AND i.community_id = ?",
    )
    .bind(opportunity)
    .bind(community)
    .fetch_optional(db)
    .await
}

/// Signs `user` up if a place is left; false when full (or already on it).
pub async fn sign_up(
    db: impl SqliteExecutor<'_>,
    opportunity: i64,
    user: UserId,
) -> Result<bool, sqlx::Error> {
    let result = sqlx::query(
        "INSERT OR IGNORE INTO opportunity_signups (opportunity_id, user_id)
         SELECT o.id, ?2 FROM opportunities o
          WHERE o.id = ?1 AND (SELECT COUNT(*) FROM opportunity_signups s WHERE s.opportunity_id = o.id) < o.capacity",
    )
    .bind(opportunity)
    .bind(user)
    .execute(db)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// Takes `user` off an opportunity.
pub async fn withdraw_signup(
    db: impl SqliteExecutor<'_>,
    opportunity: i64,
    user: UserId,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM opportunity_signups WHERE opportunity_id = ? AND user_id = ?")
        .bind(opportunity)
        .bind(user)
        .execute(db)
        .await?;
    Ok(())
}

/// A goal of this community: (id, unit).
pub async fn goal_unit(
    db: impl SqliteExecutor<'_>,
    community: CommunityId,
    goal: i64,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT unit FROM goals WHERE id = ? AND community_id = ?")
        .bind(goal)
        .bind(community)
        .fetch_optional(db)
        .await
}

/// Records a contribution's current state row (in the ledger's transaction).
#[allow(clippy::too_many_arguments)]
pub async fn insert_contribution(
    db: impl SqliteExecutor<'_>,
    id: i64,
    community: CommunityId,
    author: UserId,
    goal: Option<i64>,
    initiative: Option<i64>,
    quantity: Option<f64>,
    hours: Option<f64>,
    done_on: NaiveDate,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO contributions (id, community_id, author_id, goal_id, initiative_id, quantity, hours, done_on, status)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'reported')",
    )
    .bind(id)
    .bind(community)
    .bind(author)
    .bind(goal)
    .bind(initiative)
    .bind(quantity)
    .bind(hours)
    .bind(done_on.to_string())
    .execute(db)
    .await?;
    Ok(())
}

/// A contribution's facts for permission checks: (author, initiative owner, status).
pub async fn contribution_facts(
    db: impl SqliteExecutor<'_>,
    community: CommunityId,
    id: i64,
) -> Result<Option<(UserId, Option<UserId>, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT c.author_id, i.owner_id, c.status FROM contributions c
           LEFT JOIN initiatives i ON i.id = c.initiative_id
          WHERE c.id = ? AND c.community_id = ?",
    )
    .bind(id)
    .bind(community)
    .fetch_optional(db)
    .await
}

/// Moves a reported contribution to `status`; false if it was no longer reported.
pub async fn set_status(
    db: impl SqliteExecutor<'_>,
    id: i64,
    status: ContributionStatus,
) -> Result<bool, sqlx::Error> {
    let result = sqlx::query(
        "UPDATE contributions SET status = ?1,
                verified_at = CASE WHEN ?1 = 'verified' THEN strftime('%Y-%m-%dT%H:%M:%fZ', 'now') END
          WHERE id = ?2 AND status = 'reported'",
    )
    .bind(status.as_str())
    .bind(id)
    .execute(db)
    .await?;
    Ok(result.rows_affected() == 1)
}

#[derive(FromRow)]
struct EntryRow {
    id: i64,
    community_slug: String,
    community_name: String,
    author: String,
    description: String,
    done_on: String,
    quantity: Option<f64>,
    unit: Option<String>,
    hours: Option<f64>,
    goal: Option<String>,
    initiative: Option<String>,
    evidence_url: String,
    note: String,
    status: String,
}

impl From<EntryRow> for ContributionEntry {
    fn from(r: EntryRow) -> Self {
        ContributionEntry {
            id: r.id,
            community_slug: r.community_slug,
            community_name: r.community_name,
            author: r.author,
            description: r.description,
            done_on: NaiveDate::parse_from_str(&r.done_on, "%Y-%m-%d").unwrap_or_default(),
            quantity: r.quantity,
            unit: r.unit,
            hours: r.hours,
            goal: r.goal,
            initiative: r.initiative,
            evidence_url: r.evidence_url,
            note: r.note,
            status: ContributionStatus::parse(&r.status).unwrap_or(ContributionStatus::Reported),
        }
    }
}

const ENTRY_SELECT: &str = "SELECT c.id, k.slug AS community_slug, k.name AS community_name, u.handle AS author,
        l.description, c.done_on, c.quantity, g.unit, c.hours, g.title AS goal, i.title AS initiative,
        l.evidence_url, l.note, c.status
   FROM contributions c
   JOIN ledger_entries l ON l.id = c.id
   JOIN communities k ON k.id = c.community_id
   JOIN users u ON u.id = c.author_id
   LEFT JOIN goals g ON g.id = c.goal_id
   LEFT JOIN initiatives i ON i.id = c.initiative_id";

/// Reported contributions waiting for `verifier`: all of them for leaders, else
/// those of initiatives `verifier` owns. Oldest first.
pub async fn queue(
    db: impl SqliteExecutor<'_>,
    community: CommunityId,
    verifier: UserId,
    leader: bool,
) -> Result<Vec<ContributionEntry>, sqlx::Error> {
    let rows: Vec<EntryRow> = sqlx::query_as(&format!(
        "{ENTRY_SELECT} WHERE c.community_id = ?1 AND c.status = 'reported' AND (?3 OR i.owner_id = ?2)
          ORDER BY c.id LIMIT 200"
    ))
    .bind(community)
    .bind(verifier)
    .bind(leader)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(Into::into).collect())
}

/// How many contributions wait for `verifier`.
pub async fn queue_count(
    db: impl SqliteExecutor<'_>,
    community: CommunityId,
    verifier: UserId,
    leader: bool,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM contributions c LEFT JOIN initiatives i ON i.id = c.initiative_id
          WHERE c.community_id = ?1 AND c.status = 'reported' AND (?3 OR i.owner_id = ?2)",
    )
    .bind(community)
    .bind(verifier)
    .bind(leader)
    .fetch_one(db)
    .await
}

/// A person's contributions, newest first: verified only unless `all`; limited to
/// communities `viewer` may see (public ones, or ones the viewer belongs to).
pub async fn by_author(
    db: impl SqliteExecutor<'_>,
    author: UserId,
    viewer: Option<UserId>,
    all: bool,
) -> Result<Vec<ContributionEntry>, sqlx::Error> {
    let rows: Vec<EntryRow> = sqlx::query_as(&format!(
        "{ENTRY_SELECT} WHERE c.author_id = ?1 AND (?3 OR c.status = 'verified')
            AND (k.visibility = 'public' OR EXISTS(SELECT 1 FROM memberships v
                  WHERE v.community_id = k.id AND v.user_id = ?2 AND v.status = 'active'))
          ORDER BY c.done_on DESC, c.id DESC LIMIT 5000"
    ))
    .bind(author)
    .bind(viewer)
    .bind(all)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(Into::into).collect())
}

/// Every contribution of a community (for leaders' exports), oldest first.
pub async fn of_community(
    db: impl SqliteExecutor<'_>,
    community: CommunityId,
) -> Result<Vec<ContributionEntry>, sqlx::Error> {
    let rows: Vec<EntryRow> = sqlx::query_as(&format!(
        "{ENTRY_SELECT} WHERE c.community_id = ? ORDER BY c.id LIMIT 200000"
    ))
    .bind(community)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(Into::into).collect())
}

/// Totals: (verified contributions, verified hours, contributors active in the last 30 days).
pub async fn totals(
    db: impl SqliteExecutor<'_>,
    community: CommunityId,
    since: NaiveDate,
) -> Result<(i64, f64, i64), sqlx::Error> {
    sqlx::query_as(
        "SELECT COUNT(*), COALESCE(SUM(hours), 0.0),
                COUNT(DISTINCT CASE WHEN done_on >= ?2 THEN author_id END)
           FROM contributions WHERE community_id = ?1 AND status = 'verified'",
    )
    .bind(community)
    .bind(since.to_string())
    .fetch_one(db)
    .await
}

/// Verified contributions per week (weeks starting Monday) since `since`.
pub async fn weekly(
    db: impl SqliteExecutor<'_>,
    community: CommunityId,
    since: NaiveDate,
) -> Result<Vec<(String, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT date(done_on, '-' || ((strftime('%w', done_on) + 6) % 7) || ' days') AS week, COUNT(*)
           FROM contributions WHERE community_id = ? AND status = 'verified' AND done_on >= ?
          GROUP BY week ORDER BY week",
    )
    .bind(community)
    .bind(since.to_string())
    .fetch_all(db)
    .await
}

/// Initiatives by verified hours: (id, title, hours, contributions).
pub async fn top_initiatives(
    db: impl SqliteExecutor<'_>,
    community: CommunityId,
) -> Result<Vec<(i64, String, f64, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT i.id, i.title, COALESCE(SUM(c.hours), 0.0) AS hours, COUNT(*) AS n
           FROM contributions c JOIN initiatives i ON i.id = c.initiative_id
          WHERE c.community_id = ? AND c.status = 'verified'
          GROUP BY i.id ORDER BY hours DESC, n DESC LIMIT 5",
    )
    .bind(community)
    .fetch_all(db)
    .await
}

/// Verified contribution counts per contributor.
pub async fn counts_per_contributor(
    db: impl SqliteExecutor<'_>,
    community: CommunityId,
) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM contributions WHERE community_id = ? AND status = 'verified' GROUP BY author_id",
    )
    .bind(community)
    .fetch_all(db)
    .await
}

/// Of members who joined on or before `joined_by`: (how many, how many have contributed since joining).
pub async fn retention(
    db: impl SqliteExecutor<'_>,
    community: CommunityId,
    joined_by: DateTime<Utc>,
) -> Result<(i64, i64), sqlx::Error> {
    sqlx::query_as(
        "SELECT COUNT(*),
                COALESCE(SUM(EXISTS(SELECT 1 FROM contributions c
                                     WHERE c.community_id = m.community_id AND c.author_id = m.user_id
                                       AND c.status = 'verified' AND c.done_on >= substr(m.joined_at, 1, 10))), 0)
           FROM memberships m WHERE m.community_id = ? AND m.status = 'active' AND m.joined_at <= ?",
    )
    .bind(community)
    .bind(super::timestamp(joined_by))
    .fetch_one(db)
    .await
}

/// Verified hours on an initiative.
pub async fn initiative_hours(
    db: impl SqliteExecutor<'_>,
    initiative: i64,
) -> Result<f64, sqlx::Error> {
    sqlx::query_scalar("SELECT COALESCE(SUM(hours), 0.0) FROM contributions WHERE initiative_id = ? AND status = 'verified'")
        .bind(initiative)
        .fetch_one(db)
        .await
}
