//! Distributed leadership: granting roles with terms, bans, and lapsing terms.

use chrono::{DateTime, Utc};

use crate::auth::policy;
use crate::db::writer::WriteQueue;
use crate::db::writer::write_tx;
use crate::db::{self, audit::AuditAction};
use crate::domain::community::{Community, Role};
use crate::domain::ids::UserId;
use crate::domain::notification::NoticeKind;
use crate::error::AppError;
use crate::services::notices::{self, Notice};

/// Gives the member `handle` the role `role` (with an optional term end), as `actor`.
pub async fn change_role(
    writes: &WriteQueue,
    community: &Community,
    actor: UserId,
    actor_role: Role,
    handle: &str,
    role: Role,
    term_ends_at: Option<DateTime<Utc>>,
) -> Result<(), AppError> {
    if term_ends_at.is_some_and(|end| end <= Utc::now()) {
        return Err(AppError::invalid("term_ends", "Pick a date in the future."));
    }
    let community = community.clone();
    let handle = handle.to_owned();
    write_tx!(writes, |tx| {
        let (target, current) = db::memberships::member_by_handle(&mut *tx, community.id, &handle)
            .await?
            .ok_or(AppError::NotFound)?;
        let owners = db::memberships::owner_count(&mut *tx, community.id).await?;
        policy::check_role_change(actor_role, current, role, term_ends_at.is_some(), owners)?;
        db::memberships::set_role(&mut *tx, community.id, target, role, term_ends_at).await?;
        let detail = match term_ends_at {
            Some(end) => format!("{} until {}", role.as_str(), end.format("%Y-%m-%d")),
            None => role.as_str().to_owned(),
        };
        db::audit::record(
            &mut *tx,
            community.id,
            Some(actor),
            AuditAction::RoleChanged,
            Some(target),
            &detail,
        )
        .await?;
        if target != actor {
            let notice =
                format!("You are now {} of {}.", role.label().to_lowercase(), community.name);
            let link = format!("/c/{}", community.slug);
            let notice = Notice::new(target, NoticeKind::Role, community.id, &notice, &link);
            notices::notify(&mut *tx, notice).await?;
        }
        Ok(())
    })
}

/// Bans the member `handle`, as `actor`.
pub async fn ban(
    writes: &WriteQueue,
    community: &Community,
    actor: UserId,
    actor_role: Role,
    handle: &str,
    reason: &str,
) -> Result<(), AppError> {
    let community_id = community.id;
    let handle = handle.to_owned();
    let reason: String = reason.trim().chars().take(500).collect();
    write_tx!(writes, |tx| {
        let (target, current) = db::memberships::member_by_handle(&mut *tx, community_id, &handle)
            .await?
            .ok_or(AppError::NotFound)?;
        policy::check_ban(actor_role, current)?;
        db::memberships::ban(&mut *tx, community_id, target).await?;
        db::audit::record(
            &mut *tx,
            community_id,
            Some(actor),
            AuditAction::MemberBanned,
            Some(target),
            &reason,
        )
        .await?;
        Ok(())
    })
}

/// Turns every leadership role whose term has ended back into member, records it,
/// and tells the holder and the community's stewards. Returns how many lapsed.
pub async fn lapse_ended_terms(writes: &WriteQueue) -> Result<usize, AppError> {
    write_tx!(writes, |tx| {
        let lapsed = db::memberships::lapsed_terms(&mut *tx).await?;
        for term in &lapsed {
            db::memberships::set_role(
                &mut *tx,
                term.community_id,
                term.user_id,
                Role::Member,
                None,
            )
            .await?;
            let detail = format!("{} term ended", term.role);
            db::audit::record(
                &mut *tx,
                term.community_id,
                None,
                AuditAction::RoleLapsed,
                Some(term.user_id),
                &detail,
            )
            .await?;
            let link = format!("/c/{}/leadership", term.slug);
            let notice = format!(
                "Your term as {} of {} has ended; you are a member again.",
                term.role, term.community_name
            );
            let home = format!("/c/{}", term.slug);
            let to_holder =
                Notice::new(term.user_id, NoticeKind::Role, term.community_id, &notice, &home);
            notices::notify(&mut *tx, to_holder).await?;
            for leader in db::memberships::leader_ids(&mut *tx, term.community_id).await? {
                if leader != term.user_id {
                    let notice =
                        format!("A {} term in {} has ended.", term.role, term.community_name);
                    let to_leader =
                        Notice::new(leader, NoticeKind::Role, term.community_id, &notice, &link);
                    notices::notify(&mut *tx, to_leader).await?;
                }
            }
        }
        Ok(lapsed.len())
    })
}
