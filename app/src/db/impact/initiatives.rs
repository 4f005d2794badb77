//! Initiatives and their opportunities.

use crate::db::statement::{all_rows, args, one_value, optional_row, optional_value, run};
use sqlx::FromRow;

use crate::db::{Db, Sql, on_engine};
use crate::domain::ids::{CommunityId, UserId};
use crate::domain::impact::{InitiativeSummary, Opportunity};

/// Proposes an initiative owned by its proposer, serving `goals` (ids of this community's goals).
pub async fn insert_initiative(
    db: impl Db<'_>,
    community: CommunityId,
    owner: UserId,
    title: &str,
    description: &str,
    goals: &[i64],
) -> Sql<i64> {
    on_engine!(db, |db| {
        let sql = "INSERT INTO initiatives (community_id, title, description, owner_id) VALUES ($1, $2, $3, $4) RETURNING id";
        let id: i64 = one_value(&mut *db, sql, args![community, title, description, owner]).await?;
        for goal in goals {
            let sql = "INSERT INTO initiative_goals (initiative_id, goal_id)
             SELECT $1, id FROM goals WHERE id = $2 AND community_id = $3
             ON CONFLICT DO NOTHING";
            run(&mut *db, sql, args![id, goal, community]).await?;
        }
        Ok(id)
    })
}

/// An initiative as stored, with its owner's handle.
#[derive(Debug, Clone, FromRow)]
pub struct InitiativeRow {
    /// Id.
    pub id: i64,
    /// Title.
    pub title: String,
    /// What it is about.
    pub description: String,
    /// `proposed`, `approved` or `declined`.
    pub status: String,
    /// Who owns it (its proposer).
    pub owner_id: UserId,
    /// The owner's handle.
    pub owner: String,
}

/// An initiative of this community.
pub async fn initiative(
    db: impl Db<'_>,
    community: CommunityId,
    id: i64,
) -> Sql<Option<InitiativeRow>> {
    let sql = "SELECT i.id, i.title, i.description, i.status, i.owner_id, u.handle AS owner
           FROM initiatives i JOIN users u ON u.id = i.owner_id WHERE i.id = $1 AND i.community_id = $2";
    optional_row(db, sql, args![id, community]).await
}

/// The goals an initiative serves: (id, title).
pub async fn initiative_goals(db: impl Db<'_>, initiative: i64) -> Sql<Vec<(i64, String)>> {
    let sql = "SELECT g.id, g.title FROM initiative_goals ig JOIN goals g ON g.id = ig.goal_id
          WHERE ig.initiative_id = $1 ORDER BY g.id";
    all_rows(db, sql, args![initiative]).await
}

/// Approves or declines a proposed initiative; false if it was not proposed.
pub async fn decide_initiative(
    db: impl Db<'_>,
    community: CommunityId,
    id: i64,
    approve: bool,
    by: UserId,
) -> Sql<bool> {
    let sql = "UPDATE initiatives SET status = $1, decided_by = $2 WHERE id = $3 AND community_id = $4 AND status = 'proposed'";
    let result =
        run(db, sql, args![if approve { "approved" } else { "declined" }, by, id, community])
            .await?;
    Ok(result == 1)
}

/// A community's initiatives, newest first, with open places.
pub async fn initiatives(db: impl Db<'_>, community: CommunityId) -> Sql<Vec<InitiativeSummary>> {
    let sql = "SELECT i.id, i.title, i.status, u.handle,
                CAST(COALESCE((SELECT SUM(o.capacity - (SELECT COUNT(*) FROM opportunity_signups s WHERE s.opportunity_id = o.id))
                            FROM opportunities o WHERE o.initiative_id = i.id), 0) AS BIGINT)
           FROM initiatives i JOIN users u ON u.id = i.owner_id
          WHERE i.community_id = $1 ORDER BY i.id DESC LIMIT 200";
    let rows: Vec<(i64, String, String, String, i64)> = all_rows(db, sql, args![community]).await?;
    Ok(rows
        .into_iter()
        .map(|(id, title, status, owner, open_places)| InitiativeSummary {
            id,
            title,
            status,
            owner,
            open_places,
        })
        .collect())
}

/// Adds an opportunity to an initiative.
pub async fn insert_opportunity(
    db: impl Db<'_>,
    initiative: i64,
    title: &str,
    description: &str,
    capacity: i64,
) -> Sql<i64> {
    let sql = "INSERT INTO opportunities (initiative_id, title, description, capacity) VALUES ($1, $2, $3, $4) RETURNING id";
    one_value(db, sql, args![initiative, title, description, capacity]).await
}

/// An initiative's opportunities with who is on each.
pub async fn opportunities(
    db: impl Db<'_>,
    initiative: i64,
    viewer: Option<UserId>,
) -> Sql<Vec<Opportunity>> {
    let sql = "SELECT o.id, o.title, o.description, o.capacity,
                (SELECT string_agg(u.handle, ' ') FROM opportunity_signups s JOIN users u ON u.id = s.user_id
                  WHERE s.opportunity_id = o.id),
                EXISTS(SELECT 1 FROM opportunity_signups s WHERE s.opportunity_id = o.id AND s.user_id = $2)
           FROM opportunities o WHERE o.initiative_id = $1 ORDER BY o.id";
    let rows: Vec<(i64, String, String, i64, Option<String>, bool)> =
        all_rows(db, sql, args![initiative, viewer]).await?;
    Ok(rows
        .into_iter()
        .map(|(id, title, description, capacity, people, joined)| Opportunity {
            id,
            title,
            description,
            capacity,
            people: people.map(|p| p.split(' ').map(str::to_owned).collect()).unwrap_or_default(),
            joined,
        })
        .collect())
}

/// The initiative (of this community) an opportunity belongs to.
pub async fn opportunity_initiative(
    db: impl Db<'_>,
    community: CommunityId,
    opportunity: i64,
) -> Sql<Option<i64>> {
    let sql =
        "SELECT o.initiative_id FROM opportunities o JOIN initiatives i ON i.id = o.initiative_id
          WHERE o.id = $1 AND i.community_id = $2";
    optional_value(db, sql, args![opportunity, community]).await
}

/// Signs `user` up if a place is left; false when full (or already on it).
pub async fn sign_up(db: impl Db<'_>, opportunity: i64, user: UserId) -> Sql<bool> {
    let sql = "INSERT INTO opportunity_signups (opportunity_id, user_id)
         SELECT o.id, $2 FROM opportunities o
          WHERE o.id = $1 AND (SELECT COUNT(*) FROM opportunity_signups s WHERE s.opportunity_id = o.id) < o.capacity
         ON CONFLICT DO NOTHING";
    let result = run(db, sql, args![opportunity, user]).await?;
    Ok(result == 1)
}

/// Takes `user` off an opportunity.
pub async fn withdraw_signup(db: impl Db<'_>, opportunity: i64, user: UserId) -> Sql<()> {
    let sql = "DELETE FROM opportunity_signups WHERE opportunity_id = $1 AND user_id = $2";
    run(db, sql, args![opportunity, user]).await?;
    Ok(())
}
