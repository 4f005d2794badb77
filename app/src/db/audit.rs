//! The append-only audit log (triggers refuse UPDATE and DELETE).

use crate::db::statement::{all_rows, args, run};
use crate::db::{Db, Sql};
use crate::domain::community::{ActivityItem, AuditEntry};
use crate::domain::ids::{CommunityId, UserId};

/// What leaders, members and the system did, as stored in `audit_log.action`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditAction {
    /// A community was founded.
    CommunityCreated,
    /// Its purpose or settings were edited.
    CommunityEdited,
    /// Someone joined (open policy or invite).
    MemberJoined,
    /// Someone left.
    MemberLeft,
    /// Someone asked to join.
    JoinRequested,
    /// A join request was approved.
    JoinApproved,
    /// A join request was declined.
    JoinDeclined,
    /// A role was granted or changed.
    RoleChanged,
    /// A role's term ended and it lapsed to member.
    RoleLapsed,
    /// An invite link was created.
    InviteCreated,
    /// A member was banned.
    MemberBanned,
    /// A moderator deleted someone's post.
    PostDeleted,
    /// A member flagged a post.
    PostFlagged,
    /// A moderator hid a post.
    PostHidden,
    /// A moderator showed a hidden post again.
    PostUnhidden,
    /// A moderator dismissed the flags on a post.
    FlagsDismissed,
    /// A discussion category was added.
    CategoryAdded,
    /// A discussion category was removed.
    CategoryRemoved,
    /// A goal was set.
    GoalCreated,
    /// A goal was changed.
    GoalEdited,
    /// A member proposed an initiative.
    InitiativeProposed,
    /// Leaders approved an initiative.
    InitiativeApproved,
    /// Leaders declined an initiative.
    InitiativeDeclined,
    /// A thread was pinned.
    ThreadPinned,
    /// A thread was unpinned.
    ThreadUnpinned,
    /// A thread was locked.
    ThreadLocked,
    /// A thread was unlocked.
    ThreadUnlocked,
    /// An event (a series of occurrences) was created.
    EventCreated,
    /// An occurrence of an event was cancelled.
    EventCancelled,
    /// An event, or some of its dates, was changed.
    EventEdited,
    /// A challenge was created.
    ChallengeCreated,
    /// A moderator hid a kudos.
    KudosHidden,
    /// A badge was created.
    BadgeCreated,
    /// A badge (or its rule) was changed.
    BadgeEdited,
    /// A leader awarded a badge by hand.
    BadgeAwarded,
    /// A badge award was revoked.
    BadgeRevoked,
}

impl AuditAction {
    /// Every action, for tests and exhaustive listings.
    pub const ALL: [AuditAction; 36] = [
        AuditAction::CommunityCreated,
        AuditAction::CommunityEdited,
        AuditAction::MemberJoined,
        AuditAction::MemberLeft,
        AuditAction::JoinRequested,
        AuditAction::JoinApproved,
        AuditAction::JoinDeclined,
        AuditAction::RoleChanged,
        AuditAction::RoleLapsed,
        AuditAction::InviteCreated,
        AuditAction::MemberBanned,
        AuditAction::PostDeleted,
        AuditAction::PostFlagged,
        AuditAction::PostHidden,
        AuditAction::PostUnhidden,
        AuditAction::FlagsDismissed,
        AuditAction::CategoryAdded,
        AuditAction::CategoryRemoved,
        AuditAction::GoalCreated,
        AuditAction::GoalEdited,
        AuditAction::InitiativeProposed,
        AuditAction::InitiativeApproved,
        AuditAction::InitiativeDeclined,
        AuditAction::ThreadPinned,
        AuditAction::ThreadUnpinned,
        AuditAction::ThreadLocked,
        AuditAction::ThreadUnlocked,
        AuditAction::EventCreated,
        AuditAction::EventCancelled,
        AuditAction::EventEdited,
        AuditAction::ChallengeCreated,
        AuditAction::KudosHidden,
        AuditAction::BadgeCreated,
        AuditAction::BadgeEdited,
        AuditAction::BadgeAwarded,
        AuditAction::BadgeRevoked,
    ];

    /// The action stored as `name`, if it is one.
    pub fn parse(name: &str) -> Option<AuditAction> {
        AuditAction::ALL.into_iter().find(|a| a.as_str() == name)
    }

    /// The stored name, e.g. `"community_created"`.
    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::CommunityCreated => "community_created",
            AuditAction::CommunityEdited => "community_edited",
            AuditAction::MemberJoined => "member_joined",
            AuditAction::MemberLeft => "member_left",
            AuditAction::JoinRequested => "join_requested",
            AuditAction::JoinApproved => "join_approved",
            AuditAction::JoinDeclined => "join_declined",
            AuditAction::RoleChanged => "role_changed",
            AuditAction::RoleLapsed => "role_lapsed",
            AuditAction::InviteCreated => "invite_created",
            AuditAction::MemberBanned => "member_banned",
            AuditAction::PostDeleted => "post_deleted",
            AuditAction::PostFlagged => "post_flagged",
            AuditAction::PostHidden => "post_hidden",
            AuditAction::PostUnhidden => "post_unhidden",
            AuditAction::FlagsDismissed => "flags_dismissed",
            AuditAction::CategoryAdded => "category_added",
            AuditAction::CategoryRemoved => "category_removed",
            AuditAction::GoalCreated => "goal_created",
            AuditAction::GoalEdited => "goal_edited",
            AuditAction::InitiativeProposed => "initiative_proposed",
            AuditAction::InitiativeApproved => "initiative_approved",
            AuditAction::InitiativeDeclined => "initiative_declined",
            AuditAction::ThreadPinned => "thread_pinned",
            AuditAction::ThreadUnpinned => "thread_unpinned",
            AuditAction::ThreadLocked => "thread_locked",
            AuditAction::ThreadUnlocked => "thread_unlocked",
            AuditAction::EventCreated => "event_created",
            AuditAction::EventCancelled => "event_cancelled",
            AuditAction::EventEdited => "event_edited",
            AuditAction::ChallengeCreated => "challenge_created",
            AuditAction::KudosHidden => "kudos_hidden",
            AuditAction::BadgeCreated => "badge_created",
            AuditAction::BadgeEdited => "badge_edited",
            AuditAction::BadgeAwarded => "badge_awarded",
            AuditAction::BadgeRevoked => "badge_revoked",
        }
    }
}

/// Appends one entry.
pub async fn record(
    db: impl Db<'_>,
    community: CommunityId,
    actor: Option<UserId>,
    action: AuditAction,
    subject: Option<UserId>,
    detail: &str,
) -> Sql<()> {
    let sql = "INSERT INTO audit_log (community_id, actor_id, action, subject_id, detail) VALUES ($1, $2, $3, $4, $5)";
    run(db, sql, args![community, actor, action.as_str(), subject, detail]).await?;
    Ok(())
}

const ENTRY_SELECT: &str =
    "SELECT a.id, ua.handle AS actor, a.action, us.handle AS subject, a.detail, a.created_at AS at
   FROM audit_log a
   LEFT JOIN users ua ON ua.id = a.actor_id
   LEFT JOIN users us ON us.id = a.subject_id";

/// Entries newest first, keyset-paginated by id.
pub async fn page(
    db: impl Db<'_>,
    community: CommunityId,
    before_id: Option<i64>,
    limit: i64,
) -> Sql<Vec<AuditEntry>> {
    let sql = format!(
        "{ENTRY_SELECT} WHERE a.community_id = $1 AND ($2 IS NULL OR a.id < $2) ORDER BY a.id DESC LIMIT $3"
    );
    all_rows(db, &sql, args![community, before_id, limit]).await
}

/// Recent public happenings (founding, edits, joins) in words, newest first.
pub async fn recent_activity(
    db: impl Db<'_>,
    community: CommunityId,
    limit: i64,
) -> Sql<Vec<ActivityItem>> {
    let sql = format!(
        "{ENTRY_SELECT} WHERE a.community_id = $1 AND a.action IN ('community_created', 'community_edited',
            'member_joined', 'join_approved', 'role_changed') ORDER BY a.id DESC LIMIT $2"
    );
    let rows: Vec<AuditEntry> = all_rows(db, &sql, args![community, limit]).await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let who = |h: &Option<String>| {
                h.clone().map(|h| format!("@{h}")).unwrap_or_else(|| "Someone".into())
            };
            let text = match AuditAction::parse(&r.action) {
                Some(AuditAction::CommunityCreated) => {
                    format!("{} founded the community", who(&r.actor))
                }
                Some(AuditAction::CommunityEdited) => {
                    format!("{} updated the mission and values", who(&r.actor))
                }
                Some(AuditAction::MemberJoined) => format!("{} joined", who(&r.actor)),
                Some(AuditAction::JoinApproved) => format!("{} joined", who(&r.subject)),
                _ => format!("{} became {}", who(&r.subject), r.detail),
            };
            ActivityItem { text, at: r.at }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::AuditAction;

    #[test]
    fn every_action_has_its_own_name_and_parses_back() {
        let mut names: Vec<&str> = AuditAction::ALL.iter().map(|a| a.as_str()).collect();
        for action in AuditAction::ALL {
            assert_eq!(AuditAction::parse(action.as_str()), Some(action));
        }
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), AuditAction::ALL.len());
        assert_eq!(AuditAction::parse("no_such_action"), None);
    }
}
