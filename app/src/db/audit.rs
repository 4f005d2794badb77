//! The append-only audit log (triggers refuse UPDATE and DELETE).

use chrono::{DateTime, Utc};
use sqlx::{FromRow, SqliteExecutor};

use crate::domain::community::{ActivityItem, AuditEntry};
use crate::domain::ids::{CommunityId, UserId};

/// What leaders and the system do, as stored in `audit_log.action`.
pub mod action {
    /// A community was founded.
    pub const COMMUNITY_CREATED: &str = "community_created";
    /// Its purpose or settings were edited.
    pub const COMMUNITY_EDITED: &str = "community_edited";
    /// Someone joined (open policy or invite).
    pub const MEMBER_JOINED: &str = "member_joined";
    /// Someone left.
    pub const MEMBER_LEFT: &str = "member_left";
    /// Someone asked to join.
    pub const JOIN_REQUESTED: &str = "join_requested";
    /// A request was approved.
    pub const JOIN_APPROVED: &str = "join_approved";
    /// A request was declined.
    pub const JOIN_DECLINED: &str = "join_declined";
    /// A role was granted or changed.
    pub const ROLE_CHANGED: &str = "role_changed";
    /// A role's term ended and it lapsed to member.
    pub const ROLE_LAPSED: &str = "role_lapsed";
    /// An invite link was created.
    pub const INVITE_CREATED: &str = "invite_created";
    /// A member was banned.
    pub const MEMBER_BANNED: &str = "member_banned";
}

/// Appends one entry.
pub async fn record(
    db: impl SqliteExecutor<'_>,
    community: CommunityId,
    actor: Option<UserId>,
    action: &str,
    subject: Option<UserId>,
    detail: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO audit_log (community_id, actor_id, action, subject_id, detail) VALUES (?, ?, ?, ?, ?)")
        .bind(community)
        .bind(actor)
        .bind(action)
        .bind(subject)
        .bind(detail)
        .execute(db)
        .await?;
    Ok(())
}

#[derive(FromRow)]
struct EntryRow {
    id: i64,
    actor: Option<String>,
    action: String,
    subject: Option<String>,
    detail: String,
    created_at: DateTime<Utc>,
}

const ENTRY_SELECT: &str =
    "SELECT a.id, ua.handle AS actor, a.action, us.handle AS subject, a.detail, a.created_at
   FROM audit_log a
   LEFT JOIN users ua ON ua.id = a.actor_id
   LEFT JOIN users us ON us.id = a.subject_id";

/// Entries newest first, keyset-paginated by id.
pub async fn page(
    db: impl SqliteExecutor<'_>,
    community: CommunityId,
    before_id: Option<i64>,
    limit: i64,
) -> Result<Vec<AuditEntry>, sqlx::Error> {
    let rows: Vec<EntryRow> = sqlx::query_as(&format!(
        "{ENTRY_SELECT} WHERE a.community_id = ?1 AND (?2 IS NULL OR a.id < ?2) ORDER BY a.id DESC LIMIT ?3"
    ))
    .bind(community)
    .bind(before_id)
    .bind(limit)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| AuditEntry {
            id: r.id,
            actor: r.actor,
            action: r.action,
            subject: r.subject,
            detail: r.detail,
            at: r.created_at,
        })
        .collect())
}

/// Recent public happenings (founding, edits, joins) in words, newest first.
pub async fn recent_activity(
    db: impl SqliteExecutor<'_>,
    community: CommunityId,
    limit: i64,
) -> Result<Vec<ActivityItem>, sqlx::Error> {
    let rows: Vec<EntryRow> = sqlx::query_as(&format!(
        "{ENTRY_SELECT} WHERE a.community_id = ?1 AND a.action IN ('community_created', 'community_edited',
            'member_joined', 'join_approved', 'role_changed') ORDER BY a.id DESC LIMIT ?2"
    ))
    .bind(community)
    .bind(limit)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let who = |h: &Option<String>| {
                h.clone()
                    .map(|h| format!("@{h}"))
                    .unwrap_or_else(|| "Someone".into())
            };
            let text = match r.action.as_str() {
                action::COMMUNITY_CREATED => format!("{} founded the community", who(&r.actor)),
                action::COMMUNITY_EDITED => {
                    format!("{} updated the mission and values", who(&r.actor))
                }
                action::MEMBER_JOINED => format!("{} joined", who(&r.actor)),
                action::JOIN_APPROVED => format!("{} joined", who(&r.subject)),
                _ => format!("{} became {}", who(&r.subject), r.detail),
            };
            ActivityItem {
                text,
                at: r.created_at,
            }
        })
        .collect())
}
