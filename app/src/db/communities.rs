//! Communities and memberships.

use sqlx::SqliteExecutor;

use crate::domain::community::CommunitySummary;
use crate::domain::ids::{CommunityId, UserId};

#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: CommunityId,
    slug: String,
    name: String,
    mission: String,
    member_count: i64,
}

/// The newest communities with their member counts, in one query.
pub async fn directory(
    db: impl SqliteExecutor<'_>,
    limit: i64,
) -> Result<Vec<CommunitySummary>, sqlx::Error> {
    let rows: Vec<SummaryRow> = sqlx::query_as(
        "SELECT c.id, c.slug, c.name, c.mission,
                (SELECT COUNT(*) FROM memberships m WHERE m.community_id = c.id) AS member_count
           FROM communities c
          ORDER BY c.id DESC
          LIMIT ?",
    )
    .bind(limit)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| CommunitySummary {
            id: r.id,
            slug: r.slug,
            name: r.name,
            mission: r.mission,
            member_count: r.member_count,
        })
        .collect())
}

/// Creates a community and returns its id.
pub async fn insert(
    db: impl SqliteExecutor<'_>,
    slug: &str,
    name: &str,
    mission: &str,
    created_by: UserId,
) -> Result<CommunityId, sqlx::Error> {
    sqlx::query_scalar("INSERT INTO communities (slug, name, mission, created_by) VALUES (?, ?, ?, ?) RETURNING id")
        .bind(slug)
        .bind(name)
        .bind(mission)
        .bind(created_by)
        .fetch_one(db)
        .await
}

/// Adds a member to a community.
pub async fn add_member(
    db: impl SqliteExecutor<'_>,
    community: CommunityId,
    user: UserId,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO memberships (community_id, user_id) VALUES (?, ?)")
        .bind(community)
        .bind(user)
        .execute(db)
        .await?;
    Ok(())
}
