//! Contributions: logging, verifying, declining and withdrawing them. Each write is one
//! queued transaction holding the ledger entry and the state it changes.

use crate::auth::policy;
use crate::db::Conn;
use crate::db::impact as store;
use crate::db::writer::WriteQueue;
use crate::db::writer::write_tx;
use crate::domain::community::{Community, Standing};
use crate::domain::ids::UserId;
use crate::domain::impact::{ContributionFacts, ContributionStatus};
use crate::domain::notification::NoticeKind;
use crate::domain::resubmission::FormKey;
use crate::error::AppError;
use crate::services::ledger::{self, Entry, Tip};
use crate::services::notices::{self, Notice};
use crate::services::resubmission;

/// Logs a contribution as `author`: a `reported` ledger entry, and with
/// self-attestation on, a `verified` one right after.
pub async fn log_contribution(
    writes: &WriteQueue,
    community: &Community,
    author: UserId,
    contribution: &ContributionFacts,
    key: Option<FormKey>,
) -> Result<i64, AppError> {
    let community = community.clone();
    let contribution = contribution.clone();
    write_tx!(writes, |conn| {
        if let Some(id) = resubmission::earlier(&mut *conn, author, key.as_ref()).await? {
            return Ok(id);
        }
        // The links' check and the ledger's tip in one read: every statement here is a
        // round trip that the writes queued behind this one wait for.
        let (goal, initiative) = (contribution.goal_id, contribution.initiative_id);
        let context = store::log_context(&mut *conn, community.id, goal, initiative).await?;
        links_hold(&contribution, context.goal_found, context.initiative_status.as_deref())?;
        let mut tip = Tip::read(community.id, context.last_hash, context.next_id);
        let reported = Entry::Reported { actor: author, facts: &contribution };
        if !community.self_attestation {
            let id = tip.append(&mut *conn, reported).await?;
            let status = ContributionStatus::Reported;
            store::insert_contribution(&mut *conn, id, community.id, author, &contribution, status)
                .await?;
            resubmission::remember(&mut *conn, author, key.as_ref(), id).await?;
            return Ok(id);
        }
        // The author's word is enough: the report and its verification go into the ledger
        // together, and the contribution is stored verified at once.
        let status = ContributionStatus::Verified;
        let id = tip.next_id();
        let decided =
            Entry::Decided { contribution: id, status, actor: author, note: "self-attested" };
        // The two entries, the contribution and the read that badge awarding starts from
        // go to the database together: one round trip on SQLite (`statement::batch`).
        let (report, verification) = tip.seal_pair(reported, decided);
        let writes = [
            crate::db::ledger::pair_insert(&report, &verification),
            store::contribution_insert(id, community.id, author, &contribution, status),
        ];
        let inputs =
            crate::db::badges::award_inputs_after(&mut *conn, &writes, community.id, author)
                .await?;
        crate::services::badges::on_verified_with(&mut *conn, community.id, author, inputs).await?;
        resubmission::remember(&mut *conn, author, key.as_ref(), id).await?;
        Ok(id)
    })
}

/// Records a contribution `verifier` has already seen happen (an event's attendance),
/// inside the caller's write transaction: a `reported` entry and its `verified` entry,
/// with `note` saying how it was verified. Returns its id.
pub(crate) async fn record_verified(
    conn: &mut Conn<'_>,
    community: &Community,
    author: UserId,
    facts: &ContributionFacts,
    verifier: UserId,
    note: &str,
) -> Result<i64, AppError> {
    let id = record_reported(&mut *conn, community, author, facts).await?;
    let decision = Decision {
        contribution: id,
        author,
        actor: verifier,
        status: ContributionStatus::Verified,
        reason: note,
    };
    record_decision(&mut *conn, community, decision).await?;
    Ok(id)
}

/// Records a contribution waiting for a verifier (e.g. attendance whose check-out was
/// forgotten), inside the caller's write transaction. Returns its id.
pub(crate) async fn record_reported(
    conn: &mut Conn<'_>,
    community: &Community,
    author: UserId,
    facts: &ContributionFacts,
) -> Result<i64, AppError> {
    check_links(&mut *conn, community, facts).await?;
    let reported = Entry::Reported { actor: author, facts };
    let id = ledger::append(&mut *conn, community.id, reported).await?;
    let status = ContributionStatus::Reported;
    store::insert_contribution(&mut *conn, id, community.id, author, facts, status).await?;
    Ok(id)
}

/// Refuses a contribution towards a goal of another community or an initiative
/// that is not approved.
async fn check_links(
    conn: &mut Conn<'_>,
    community: &Community,
    contribution: &ContributionFacts,
) -> Result<(), AppError> {
    let (goal, initiative) = (contribution.goal_id, contribution.initiative_id);
    if goal.is_none() && initiative.is_none() {
        return Ok(());
    }
    let (goal_found, initiative_status) =
        store::link_targets(&mut *conn, community.id, goal, initiative).await?;
    links_hold(contribution, goal_found, initiative_status.as_deref())
}

/// Refuses a contribution whose goal was not found in the community (`goal_found`) or
/// whose initiative's status there is not approved.
fn links_hold(
    contribution: &ContributionFacts,
    goal_found: bool,
    initiative_status: Option<&str>,
) -> Result<(), AppError> {
    if contribution.goal_id.is_some() && !goal_found {
        return Err(AppError::invalid("goal_id", "Choose a goal of this community."));
    }
    if contribution.initiative_id.is_some() && initiative_status != Some("approved") {
        return Err(AppError::invalid("initiative_id", "Choose an approved initiative."));
    }
    Ok(())
}

/// A decision on a reported contribution: who decides what, and whose work it is.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Decision<'a> {
    /// The reported contribution.
    pub contribution: i64,
    /// Its author (whose badges a verification may move).
    pub author: UserId,
    /// Who decides.
    pub actor: UserId,
    /// Verified, declined or withdrawn.
    pub status: ContributionStatus,
    /// Why (may be empty).
    pub reason: &'a str,
}

/// Moves a reported contribution to the decision's status, with its ledger entry, and
/// awards badges on verification, inside the caller's write transaction.
pub(crate) async fn record_decision(
    tx: &mut Conn<'_>,
    community: &Community,
    decision: Decision<'_>,
) -> Result<(), AppError> {
    let Decision { contribution, author, actor, status, reason } = decision;
    if !store::set_status(&mut *tx, contribution, status).await? {
        return Err(AppError::conflict(
            "status",
            "This contribution was already decided or withdrawn.",
        ));
    }
    let decided = Entry::Decided { contribution, status, actor, note: reason };
    ledger::append(&mut *tx, community.id, decided).await?;
    if status == ContributionStatus::Verified {
        crate::services::badges::on_verified(&mut *tx, community.id, author).await?;
    }
    Ok(())
}

/// Verifies or declines a reported contribution, after the policy check on who may.
pub async fn decide_contribution(
    writes: &WriteQueue,
    community: &Community,
    standing: Standing,
    verifier: UserId,
    contribution: i64,
    verify: bool,
    reason: &str,
) -> Result<(), AppError> {
    let reason = reason.trim();
    if !verify && reason.is_empty() {
        return Err(AppError::invalid("reason", "Say why it is declined."));
    }
    if reason.chars().count() > 500 {
        return Err(AppError::invalid("reason", "Keep it under 500 characters."));
    }
    let community = community.clone();
    let reason = reason.to_owned();
    write_tx!(writes, |conn| {
        let store::Parties { author, initiative_owner } =
            store::parties(&mut *conn, community.id, contribution)
                .await?
                .ok_or(AppError::NotFound)?;
        let self_attestation = community.self_attestation;
        policy::check_verify(standing, verifier, author, initiative_owner, self_attestation)?;
        if crate::db::mentoring::session_parties(&mut *conn, community.id, contribution)
            .await?
            .is_some()
        {
            return Err(AppError::invalid(
                "contribution_id",
                "The other person of the mentorship verifies this session on the mentoring page.",
            ));
        }
        let status =
            if verify { ContributionStatus::Verified } else { ContributionStatus::Declined };
        let decision = Decision { contribution, author, actor: verifier, status, reason: &reason };
        record_decision(&mut *conn, &community, decision).await?;
        let notice = if verify {
            format!("Your contribution to {} was verified. Thank you!", community.name)
        } else {
            format!("Your contribution to {} was declined: {reason}", community.name)
        };
        let link = format!("/c/{}/impact", community.slug);
        let kind = NoticeKind::Verification;
        notices::notify(&mut *conn, Notice::new(author, kind, community.id, &notice, &link))
            .await?;
        Ok(())
    })
}

/// Withdraws the author's own contribution before it is decided.
pub async fn withdraw_contribution(
    writes: &WriteQueue,
    community: &Community,
    author: UserId,
    contribution: i64,
) -> Result<(), AppError> {
    let community = community.clone();
    write_tx!(writes, |conn| {
        let parties = store::parties(&mut *conn, community.id, contribution)
            .await?
            .ok_or(AppError::NotFound)?;
        if parties.author != author {
            return Err(AppError::Forbidden);
        }
        let status = ContributionStatus::Withdrawn;
        let decision = Decision { contribution, author, actor: author, status, reason: "" };
        record_decision(&mut *conn, &community, decision).await?;
        Ok(())
    })
}
