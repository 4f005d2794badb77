//! Joining, leaving, requests and invites. Each re-reads standing inside its
//! write transaction, so two racing requests cannot both succeed.

use crate::db::Conn;
use chrono::{DateTime, Duration, Utc};

use crate::auth::policy::{self, CommunityAction};
use crate::db::writer::WriteQueue;
use crate::db::writer::write_tx;
use crate::db::{self, audit::AuditAction};
use crate::domain::community::{Community, JoinPolicy, NewInvite, Role, Standing};
use crate::domain::ids::UserId;
use crate::domain::notification::NoticeKind;
use crate::error::AppError;
use crate::services::notices::{self, Notice};

/// What joining did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JoinOutcome {
    /// They are a member now.
    Joined,
    /// A steward will review their request.
    Requested,
}

fn must_affirm(affirmed: bool) -> Result<(), AppError> {
    if affirmed {
        Ok(())
    } else {
        Err(AppError::invalid("affirm", "Please affirm the community's values to join."))
    }
}

/// Joins an open community, or asks to join an approval one.
pub async fn join(
    writes: &WriteQueue,
    community: &Community,
    user: UserId,
    affirmed: bool,
    answers: &str,
) -> Result<JoinOutcome, AppError> {
    must_affirm(affirmed)?;
    let immediate = policy::check_join_without_invite(community.join_policy)?;
    if answers.chars().count() > crate::domain::community::ANSWER_MAX_CHARS {
        return Err(AppError::invalid("answers", "Keep your answers under 2,000 characters."));
    }
    let community = community.clone();
    let answers = answers.to_owned();
    write_tx!(writes, |tx| {
        standing_to(&mut *tx, &community, user, CommunityAction::Join).await?;
        if immediate {
            admit(&mut *tx, community.id, user, "").await?;
        } else {
            if community.join_policy == JoinPolicy::Approval
                && !community.join_questions.is_empty()
                && answers.trim().is_empty()
            {
                return Err(AppError::invalid("answers", "Please answer the questions."));
            }
            db::join_requests::create(&mut *tx, community.id, user, answers.trim()).await?;
            db::audit::record(
                &mut *tx,
                community.id,
                Some(user),
                AuditAction::JoinRequested,
                Some(user),
                "",
            )
            .await?;
            let link = format!("/c/{}/requests", community.slug);
            for leader in db::memberships::leader_ids(&mut *tx, community.id).await? {
                let body = format!("Someone asked to join {}.", community.name);
                let notice = Notice::new(leader, NoticeKind::Join, community.id, &body, &link);
                notices::notify(&mut *tx, notice).await?;
            }
        }
        Ok(if immediate { JoinOutcome::Joined } else { JoinOutcome::Requested })
    })
}

/// Approves or declines a pending request; approving makes them a member.
pub async fn decide_request(
    writes: &WriteQueue,
    community: &Community,
    steward: UserId,
    request: i64,
    approve: bool,
    message: &str,
) -> Result<(), AppError> {
    let message = message.trim();
    if message.chars().count() > crate::domain::community::ANSWER_MAX_CHARS {
        return Err(AppError::invalid("message", "Keep the message under 2,000 characters."));
    }
    let community = community.clone();
    let message = message.to_owned();
    write_tx!(writes, |tx| {
        let Some(user) =
            db::join_requests::decide(&mut *tx, community.id, request, approve, steward, &message)
                .await?
        else {
            return Err(AppError::NotFound);
        };
        let (verb, audit_action) = if approve {
            ("approved", AuditAction::JoinApproved)
        } else {
            ("declined", AuditAction::JoinDeclined)
        };
        if approve {
            db::memberships::add(&mut *tx, community.id, user, Role::Member).await?;
            db::communities::touch(&mut *tx, community.id).await?;
        }
        db::audit::record(
            &mut *tx,
            community.id,
            Some(steward),
            audit_action,
            Some(user),
            &message,
        )
        .await?;
        let mut notice = format!("Your request to join {} was {verb}.", community.name);
        if !message.is_empty() {
            notice.push_str(&format!(" Message: {message}"));
        }
        let link = format!("/c/{}", community.slug);
        notices::notify(
            &mut *tx,
            Notice::new(user, NoticeKind::Join, community.id, &notice, &link),
        )
        .await?;
        Ok(())
    })
}

/// Leaves a community; the last owner must hand ownership over first.
pub async fn leave(
    writes: &WriteQueue,
    community: &Community,
    user: UserId,
) -> Result<(), AppError> {
    let community = community.clone();
    write_tx!(writes, |tx| {
        let standing = standing_to(&mut *tx, &community, user, CommunityAction::Leave).await?;
        let role = standing.role().ok_or(AppError::Forbidden)?;
        policy::check_leave(role, db::memberships::owner_count(&mut *tx, community.id).await?)?;
        db::memberships::remove(&mut *tx, community.id, user).await?;
        db::audit::record(
            &mut *tx,
            community.id,
            Some(user),
            AuditAction::MemberLeft,
            Some(user),
            "",
        )
        .await?;
        Ok(())
    })
}

/// The SHA-256 (hex) under which an invite token is stored.
pub fn token_hash(token: &str) -> String {
    super::tokens::sha256_hex(token)
}

/// Longest an invite may live.
pub const INVITE_MAX_DAYS: i64 = 90;

/// Creates an invite link good for `days` days and `max_uses` uses (None = unlimited).
pub async fn create_invite(
    writes: &WriteQueue,
    community: &Community,
    steward: UserId,
    max_uses: Option<i64>,
    days: i64,
) -> Result<NewInvite, AppError> {
    if !(1..=INVITE_MAX_DAYS).contains(&days) {
        return Err(AppError::invalid("days", "Choose between 1 and 90 days."));
    }
    if max_uses.is_some_and(|m| !(1..=10_000).contains(&m)) {
        return Err(AppError::invalid("max_uses", "Choose between 1 and 10,000 uses."));
    }
    let token = super::tokens::new_token();
    let expires_at: DateTime<Utc> = Utc::now() + Duration::days(days);
    let community = community.clone();
    write_tx!(writes, |tx| {
        db::invites::create(
            &mut *tx,
            community.id,
            &token_hash(&token),
            steward,
            max_uses,
            expires_at,
        )
        .await?;
        let uses = max_uses.map_or_else(|| "unlimited uses".to_owned(), |m| format!("{m} use(s)"));
        db::audit::record(
            &mut *tx,
            community.id,
            Some(steward),
            AuditAction::InviteCreated,
            None,
            &format!("{uses}, {days} days"),
        )
        .await?;
        Ok(NewInvite { path: format!("/i/{token}"), expires_at })
    })
}

/// Accepts an invite: uses it once and makes the person a member.
pub async fn accept_invite(
    writes: &WriteQueue,
    token: &str,
    user: UserId,
    affirmed: bool,
) -> Result<String, AppError> {
    must_affirm(affirmed)?;
    let hash = token_hash(token);
    write_tx!(writes, |tx| {
        let Some(slug) = db::invites::usable_slug(&mut *tx, &hash).await? else {
            return Err(AppError::NotFound);
        };
        let community =
            db::communities::by_slug(&mut *tx, &slug).await?.ok_or(AppError::NotFound)?;
        match db::memberships::standing(&mut *tx, community.id, Some(user)).await? {
            Standing::Member(_) => return Ok(slug),
            Standing::Banned => return Err(AppError::Forbidden),
            Standing::Outsider | Standing::Pending => {}
        }
        db::invites::redeem(&mut *tx, &hash).await?.ok_or(AppError::NotFound)?;
        admit(&mut *tx, community.id, user, "by invite").await?;
        Ok(slug)
    })
}

/// `user`'s standing in `community`, read inside the write transaction, once the policy
/// says they may do `action` there (so a decision made before the queue is not trusted).
async fn standing_to(
    tx: &mut Conn<'_>,
    community: &Community,
    user: UserId,
    action: CommunityAction,
) -> Result<Standing, AppError> {
    let standing = db::memberships::standing(&mut *tx, community.id, Some(user)).await?;
    policy::check_in_community(true, standing, community.visibility, action)?;
    Ok(standing)
}

/// Makes `user` a member (open join or invite), with its audit entry, and marks the
/// community active.
async fn admit(
    tx: &mut Conn<'_>,
    community: crate::domain::ids::CommunityId,
    user: UserId,
    detail: &str,
) -> Result<(), AppError> {
    db::memberships::add(&mut *tx, community, user, Role::Member).await?;
    db::audit::record(
        &mut *tx,
        community,
        Some(user),
        AuditAction::MemberJoined,
        Some(user),
        detail,
    )
    .await?;
    db::communities::touch(&mut *tx, community).await?;
    Ok(())
}
