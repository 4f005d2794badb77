//! Invite links. Only a SHA-256 of each token is stored.

use crate::db::statement::{all_rows, args, one_value, optional_value};
use chrono::{DateTime, Utc};
use sqlx::FromRow;

use super::timestamp;
use crate::db::{Db, Sql};
use crate::domain::community::InviteEntry;
use crate::domain::ids::{CommunityId, UserId};

/// Records an invite.
pub async fn create(
    db: impl Db<'_>,
    community: CommunityId,
    token_hash: &str,
    created_by: UserId,
    max_uses: Option<i64>,
    expires_at: DateTime<Utc>,
) -> Sql<i64> {
    let sql = "INSERT INTO invites (community_id, token_hash, created_by, max_uses, expires_at)
         VALUES ($1, $2, $3, $4, $5) RETURNING id";
    one_value(db, sql, args![community, token_hash, created_by, max_uses, timestamp(expires_at)])
        .await
}

/// The community slug a usable invite admits to (unexpired, unrevoked, uses left).
pub async fn usable_slug(db: impl Db<'_>, token_hash: &str) -> Sql<Option<String>> {
    let sql = "SELECT c.slug FROM invites i JOIN communities c ON c.id = i.community_id
          WHERE i.token_hash = $1 AND i.revoked_at IS NULL
            AND i.expires_at > $2
            AND (i.max_uses IS NULL OR i.uses < i.max_uses)";
    optional_value(db, sql, args![token_hash, crate::db::now()]).await
}

/// Uses an invite once, if it is still usable; returns its community.
pub async fn redeem(db: impl Db<'_>, token_hash: &str) -> Sql<Option<CommunityId>> {
    let sql = "UPDATE invites SET uses = uses + 1
          WHERE token_hash = $1 AND revoked_at IS NULL
            AND expires_at > $2
            AND (max_uses IS NULL OR uses < max_uses)
         RETURNING community_id";
    optional_value(db, sql, args![token_hash, crate::db::now()]).await
}

#[derive(FromRow)]
struct InviteRow {
    id: i64,
    uses: i64,
    max_uses: Option<i64>,
    #[sqlx(try_from = "crate::db::Stamp")]
    expires_at: DateTime<Utc>,
    revoked: bool,
    created_by: String,
}

/// A community's invites, newest first.
pub async fn list(db: impl Db<'_>, community: CommunityId) -> Sql<Vec<InviteEntry>> {
    let sql = "SELECT i.id, i.uses, i.max_uses, i.expires_at, i.revoked_at IS NOT NULL AS revoked, u.handle AS created_by
           FROM invites i JOIN users u ON u.id = i.created_by
          WHERE i.community_id = $1 ORDER BY i.id DESC LIMIT 100";
    let rows: Vec<InviteRow> = all_rows(db, sql, args![community]).await?;
    let now = Utc::now();
    Ok(rows
        .into_iter()
        .map(|r| InviteEntry {
            id: r.id,
            uses: r.uses,
            max_uses: r.max_uses,
            usable: !r.revoked && r.expires_at > now && r.max_uses.is_none_or(|m| r.uses < m),
            expires_at: r.expires_at,
            created_by: r.created_by,
        })
        .collect())
}
