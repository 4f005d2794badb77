//! Contributions: logging, verifying, declining and withdrawing them. Each write is one
//! queued transaction holding the ledger entry and the state it changes.

use crate::auth::policy;
use crate::db::writer::WriteQueue;
use crate::db::{self, impact as store};
use crate::domain::community::{Community, Standing};
use crate::domain::ids::UserId;
use crate::domain::impact::{ContributionStatus, ValidContribution};
use crate::error::AppError;
use crate::services::ledger::{self, NewEntry};

/// Logs a contribution as `author`: a `reported` ledger entry, and with
/// self-attestation on, a `verified` one right after.
pub async fn log_contribution(
    writes: &WriteQueue,
    community: &Community,
    author: UserId,
    contribution: &ValidContribution,
) -> Result<i64, AppError> {
    let community = community.clone();
    let contribution = contribution.clone();
    writes
        .run(move |conn| {
            Box::pin(async move {
                check_links(conn, &community, &contribution).await?;
                let id = ledger::append(
                    conn,
                    community.id,
                    NewEntry {
                        kind: "reported",
                        contribution_id: None,
                        actor_id: author.0,
                        description: contribution.description.clone(),
                        done_on: contribution.done_on.to_string(),
                        quantity: contribution.quantity,
                        hours: contribution.hours,
                        goal_id: contribution.goal_id,
                        initiative_id: contribution.initiative_id,
                        evidence_url: contribution.evidence_url.clone(),
                        note: contribution.note.clone(),
                    },
                )
                .await?;
                store::insert_contribution(
                    &mut *conn,
                    id,
                    community.id,
                    author,
                    contribution.goal_id,
                    contribution.initiative_id,
                    contribution.quantity,
                    contribution.hours,
                    contribution.done_on,
                )
                .await?;
                if community.self_attestation {
                    record_decision(
                        conn,
                        &community,
                        author,
                        id,
                        ContributionStatus::Verified,
                        "self-attested",
                    )
                    .await?;
                }
                Ok(id)
            })
        })
        .await
}

/// Refuses a contribution towards a goal of another community or an initiative
/// that is not approved.
async fn check_links(
    conn: &mut sqlx::SqliteConnection,
    community: &Community,
    contribution: &ValidContribution,
) -> Result<(), AppError> {
    if let Some(goal) = contribution.goal_id
        && store::goal_unit(&mut *conn, community.id, goal)
            .await?
            .is_none()
    {
        return Err(AppError::invalid(
            "goal_id",
            "Choose a goal of this community.",
        ));
    }
    if let Some(initiative) = contribution.initiative_id {
        match store::initiative(&mut *conn, community.id, initiative).await? {
            Some(found) if found.status == "approved" => {}
            _ => {
                return Err(AppError::invalid(
                    "initiative_id",
                    "Choose an approved initiative.",
                ));
            }
        }
    }
    Ok(())
}

async fn record_decision(
    tx: &mut sqlx::SqliteConnection,
    community: &Community,
    actor: UserId,
    contribution: i64,
    status: ContributionStatus,
    reason: &str,
) -> Result<(), AppError> {
    if !store::set_status(&mut *tx, contribution, status).await? {
        return Err(AppError::conflict(
            "status",
            "This contribution was already decided or withdrawn.",
        ));
    }
    ledger::append(
        tx,
        community.id,
        NewEntry {
            kind: status.as_str(),
            contribution_id: Some(contribution),
            actor_id: actor.0,
            note: reason.to_owned(),
            ..NewEntry::default()
        },
    )
    .await?;
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
    writes
        .run(move |conn| {
            Box::pin(async move {
                let (author, owner, _) =
                    store::contribution_facts(&mut *conn, community.id, contribution)
                        .await?
                        .ok_or(AppError::NotFound)?;
                policy::check_verify(
                    standing,
                    verifier,
                    author,
                    owner,
                    community.self_attestation,
                )?;
                let status = if verify {
                    ContributionStatus::Verified
                } else {
                    ContributionStatus::Declined
                };
                record_decision(conn, &community, verifier, contribution, status, &reason).await?;
                let notice = if verify {
                    format!(
                        "Your contribution to {} was verified. Thank you!",
                        community.name
                    )
                } else {
                    format!(
                        "Your contribution to {} was declined: {reason}",
                        community.name
                    )
                };
                db::notifications::notify(
                    &mut *conn,
                    author,
                    &notice,
                    &format!("/c/{}/impact", community.slug),
                )
                .await?;
                Ok(())
            })
        })
        .await
}

/// Withdraws the author's own contribution before it is decided.
pub async fn withdraw_contribution(
    writes: &WriteQueue,
    community: &Community,
    author: UserId,
    contribution: i64,
) -> Result<(), AppError> {
    let community = community.clone();
    writes
        .run(move |conn| {
            Box::pin(async move {
                let (owner_of_it, _, _) =
                    store::contribution_facts(&mut *conn, community.id, contribution)
                        .await?
                        .ok_or(AppError::NotFound)?;
                if owner_of_it != author {
                    return Err(AppError::Forbidden);
                }
                record_decision(
                    conn,
                    &community,
                    author,
                    contribution,
                    ContributionStatus::Withdrawn,
                    "",
                )
                .await?;
                Ok(())
            })
        })
        .await
}
