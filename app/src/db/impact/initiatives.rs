//! Initiatives and their opportunities.

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
        let id: i64 = sqlx::query_scalar(
        "INSERT INTO initiatives (community_id, title, description, owner_id) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(community)
    .bind(title)
    .bind(description)
    .bind(owner)
    .fetch_one(&mut *db)
    .await?;
        for goal in goals {
            sqlx::query(
                "INSERT INTO initiative_goals (initiative_id, goal_id)
             SELECT $1, id FROM goals WHERE id = $2 AND community_id = $3
             ON CONFLICT DO NOTHING",
            )
            .bind(id)
            .bind(goal)
            .bind(community)
            .execute(&mut *db)
            .await?;
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
    on_engine!(db, |db| {
        sqlx::query_as(
        "SELECT i.id, i.title, i.description, i.status, i.owner_id, u.handle AS owner
           FROM initiatives i JOIN users u ON u.id = i.owner_id WHERE i.id = $1 AND i.community_id = $2",
    )
    .bind(id)
    .bind(community)
    .fetch_optional(db)
    .await
    })
}

/// The goals an initiative serves: (id, title).
pub async fn initiative_goals(db: impl Db<'_>, initiative: i64) -> Sql<Vec<(i64, String)>> {
    on_engine!(db, |db| {
        sqlx::query_as(
            "SELECT g.id, g.title FROM initiative_goals ig JOIN goals g ON g.id = ig.goal_id
          WHERE ig.initiative_id = $1 ORDER BY g.id",
        )
        .bind(initiative)
        .fetch_all(db)
        .await
    })
}

/// Approves or declines a proposed initiative; false if it was not proposed.
pub async fn decide_initiative(
    db: impl Db<'_>,
    community: CommunityId,
    id: i64,
    approve: bool,
    by: UserId,
) -> Sql<bool> {
    on_engine!(db, |db| {
        let result = sqlx::query(
        "UPDATE initiatives SET status = $1, decided_by = $2 WHERE id = $3 AND community_id = $4 AND status = 'proposed'",
    )
    .bind(if approve { "approved" } else { "declined" })
    .bind(by)
    .bind(id)
    .bind(community)
    .execute(db)
    .await?;
        Ok(result.rows_affected() == 1)
    })
}

/// A community's initiatives, newest first, with open places.
pub async fn initiatives(db: impl Db<'_>, community: CommunityId) -> Sql<Vec<InitiativeSummary>> {
    on_engine!(db, |db| {
        let rows: Vec<(i64, String, String, String, i64)> = sqlx::query_as(
        "SELECT i.id, i.title, i.status, u.handle,
                CAST(COALESCE((SELECT SUM(o.capacity - (SELECT COUNT(*) FROM opportunity_signups s WHERE s.opportunity_id = o.id))
                            FROM opportunities o WHERE o.initiative_id = i.id), 0) AS BIGINT)
           FROM initiatives i JOIN users u ON u.id = i.owner_id
          WHERE i.community_id = $1 ORDER BY i.id DESC LIMIT 200",
    )
    .bind(community)
    .fetch_all(db)
    .await?;
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
    })
}

/// Adds an opportunity to an initiative.
pub async fn insert_opportunity(
    db: impl Db<'_>,
    initiative: i64,
    title: &str,
    description: &str,
    capacity: i64,
) -> Sql<i64> {
    on_engine!(db, |db| {
        sqlx::query_scalar(
        "INSERT INTO opportunities (initiative_id, title, description, capacity) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(initiative)
    .bind(title)
    .bind(description)
    .bind(capacity)
    .fetch_one(db)
    .await
    })
}

/// An initiative's opportunities with who is on each.
pub async fn opportunities(
    db: impl Db<'_>,
    initiative: i64,
    viewer: Option<UserId>,
) -> Sql<Vec<Opportunity>> {
    on_engine!(db, |db| {
        let rows: Vec<(i64, String, String, i64, Option<String>, bool)> = sqlx::query_as(
        "SELECT o.id, o.title, o.description, o.capacity,
                (SELECT string_agg(u.handle, ' ') FROM opportunity_signups s JOIN users u ON u.id = s.user_id
                  WHERE s.opportunity_id = o.id),
                EXISTS(SELECT 1 FROM opportunity_signups s WHERE s.opportunity_id = o.id AND s.user_id = $2)
           FROM opportunities o WHERE o.initiative_id = $1 ORDER BY o.id",
    )
    .bind(initiative)
    .bind(viewer)
    .fetch_all(db)
    .await?;
        Ok(rows
            .into_iter()
            .map(|(id, title, description, capacity, people, joined)| Opportunity {
                id,
                title,
                description,
                capacity,
                people: people
                    .map(|p| p.split(' ').map(str::to_owned).collect())
                    .unwrap_or_default(),
                joined,
            })
            .collect())
    })
}

/// The initiative (of this community) an opportunity belongs to.
pub async fn opportunity_initiative(
    db: impl Db<'_>,
    community: CommunityId,
    opportunity: i64,
) -> Sql<Option<i64>> {
    on_engine!(db, |db| {
        sqlx::query_scalar(
        "SELECT o.initiative_id FROM opportunities o JOIN initiatives i ON i.id = o.initiative_id
          WHERE o.id = $1 AND i.community_id = $2",
    )
    .bind(opportunity)
    .bind(community)
    .fetch_optional(db)
    .await
    })
}

/// Signs `user` up if a place is left; false when full (or already on it).
pub async fn sign_up(db: impl Db<'_>, opportunity: i64, user: UserId) -> Sql<bool> {
    on_engine!(db, |db| {
        let result = sqlx::query(
        "INSERT INTO opportunity_signups (opportunity_id, user_id)
         SELECT o.id, $2 FROM opportunities o
          WHERE o.id = $1 AND (SELECT COUNT(*) FROM opportunity_signups s WHERE s.opportunity_id = o.id) < o.capacity
         ON CONFLICT DO NOTHING",
    )
    .bind(opportunity)
    .bind(user)
    .execute(db)
    .await?;
        Ok(result.rows_affected() == 1)
    })
}

/// Takes `user` off an opportunity.
pub async fn withdraw_signup(db: impl Db<'_>, opportunity: i64, user: UserId) -> Sql<()> {
    on_engine!(db, |db| {
        sqlx::query("DELETE FROM opportunity_signups WHERE opportunity_id = $1 AND user_id = $2")
            .bind(opportunity)
            .bind(user)
            .execute(db)
            .await?;
        Ok(())
    })
}
