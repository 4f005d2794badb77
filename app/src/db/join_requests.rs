//! Requests to join approval communities.

use crate::db::statement::{all_rows, args, one_value, optional_value};
use crate::db::{Db, Sql};
use crate::domain::community::JoinRequestEntry;
use crate::domain::ids::{CommunityId, UserId};

/// Records a pending request (the unique index allows one pending per person).
pub async fn create(
    db: impl Db<'_>,
    community: CommunityId,
    user: UserId,
    answers: &str,
) -> Sql<i64> {
    let sql = "INSERT INTO join_requests (community_id, user_id, answers) VALUES ($1, $2, $3) RETURNING id";
    one_value(db, sql, args![community, user, answers]).await
}

/// Pending requests, oldest first.
pub async fn pending(db: impl Db<'_>, community: CommunityId) -> Sql<Vec<JoinRequestEntry>> {
    let sql = "SELECT r.id, u.handle, u.display_name, r.answers, r.created_at
           FROM join_requests r JOIN users u ON u.id = r.user_id
          WHERE r.community_id = $1 AND r.status = 'pending'
          ORDER BY r.created_at, r.id
          LIMIT 200";
    all_rows(db, sql, args![community]).await
}

/// How many requests wait.
pub async fn pending_count(db: impl Db<'_>, community: CommunityId) -> Sql<i64> {
    let sql = "SELECT COUNT(*) FROM join_requests WHERE community_id = $1 AND status = 'pending'";
    one_value(db, sql, args![community]).await
}

/// Marks a pending request of this community decided; returns who asked (None if
/// there is no such pending request here).
pub async fn decide(
    db: impl Db<'_>,
    community: CommunityId,
    request: i64,
    approve: bool,
    decided_by: UserId,
    message: &str,
) -> Sql<Option<UserId>> {
    let sql = "UPDATE join_requests
            SET status = $1, decided_by = $2, decision_message = $3, decided_at = $6
          WHERE id = $4 AND community_id = $5 AND status = 'pending'
         RETURNING user_id";
    optional_value(
        db,
        sql,
        args![
            if approve { "approved" } else { "declined" },
            decided_by,
            message,
            request,
            community,
            crate::db::now()
        ],
    )
    .await
}
