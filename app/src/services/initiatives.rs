//! Initiatives and their opportunities: proposing, deciding, and signing up. Each write
//! runs through the write queue, its checks inside the same transaction.

use crate::db::audit::AuditAction;
use crate::db::writer::WriteQueue;
use crate::db::writer::write_tx;
use crate::db::{self, impact as store};
use crate::domain::ids::{CommunityId, UserId};
use crate::domain::notification::NoticeKind;
use crate::error::{AppError, FieldErrors};
use crate::services::notices::{self, Notice};

/// A proposal as the form sent it, trimmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewInitiative {
    /// 3–120 characters.
    pub title: String,
    /// At most 4,000 characters.
    pub description: String,
    /// Goals it serves, at most 20.
    pub goal_ids: Vec<i64>,
    /// Skills its work needs (verified contributions to it prove them), lower-case.
    pub skills: Vec<String>,
}

impl NewInitiative {
    /// Trims and checks a proposal; every problem is reported at once.
    pub fn parse(
        title: &str,
        description: &str,
        goal_ids: Vec<i64>,
        skills: &str,
    ) -> Result<NewInitiative, AppError> {
        let title = title.trim();
        let description = description.trim();
        let mut errors = FieldErrors::new();
        if !(3..=120).contains(&title.chars().count()) {
            errors.add("title", "Use 3–120 characters.");
        }
        if description.chars().count() > 4000 {
            errors.add("description", "Use at most 4,000 characters.");
        }
        if goal_ids.len() > 20 {
            errors.add("goal_ids", "Choose at most 20 goals.");
        }
        let skills = crate::domain::fields::tags(&mut errors, "skills", skills, 10);
        errors.into_result()?;
        Ok(NewInitiative {
            title: title.to_owned(),
            description: description.to_owned(),
            goal_ids,
            skills,
        })
    }
}

/// Records a proposal by `owner`, with its audit entry; returns its id.
pub async fn propose(
    writes: &WriteQueue,
    community: CommunityId,
    owner: UserId,
    proposal: NewInitiative,
) -> Result<i64, AppError> {
    write_tx!(writes, |tx| {
        let id = store::insert_initiative(
            &mut *tx,
            community,
            owner,
            &proposal.title,
            &proposal.description,
            &proposal.goal_ids,
        )
        .await?;
        crate::db::mentoring::set_initiative_skills(&mut *tx, id, &proposal.skills).await?;
        db::audit::record(
            &mut *tx,
            community,
            Some(owner),
            AuditAction::InitiativeProposed,
            Some(owner),
            &proposal.title,
        )
        .await?;
        Ok(id)
    })
}

/// Approves or declines a proposed initiative as `leader`, tells its owner, and returns
/// the link to it. A second decision is a conflict.
pub async fn decide(
    writes: &WriteQueue,
    community: CommunityId,
    slug: &str,
    leader: UserId,
    initiative: i64,
    approve: bool,
) -> Result<String, AppError> {
    let link = format!("/c/{slug}/initiatives/{initiative}");
    write_tx!(writes, |tx| {
        let found =
            store::initiative(&mut *tx, community, initiative).await?.ok_or(AppError::NotFound)?;
        if !store::decide_initiative(&mut *tx, community, initiative, approve, leader).await? {
            return Err(AppError::conflict("decision", "It was already decided."));
        }
        if approve {
            crate::services::badges::on_initiative_approved(&mut *tx, community, found.owner_id)
                .await?;
        }
        let (action, verb) = if approve {
            (AuditAction::InitiativeApproved, "approved — you own it now")
        } else {
            (AuditAction::InitiativeDeclined, "declined")
        };
        db::audit::record(
            &mut *tx,
            community,
            Some(leader),
            action,
            Some(found.owner_id),
            &found.title,
        )
        .await?;
        let body = format!("Your initiative \"{}\" was {verb}.", found.title);
        let kind = NoticeKind::Community;
        notices::notify(&mut *tx, Notice::new(found.owner_id, kind, community, &body, &link))
            .await?;
        Ok(link)
    })
}

/// An opportunity as the form sent it, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOpportunity {
    /// 3–120 characters.
    pub title: String,
    /// At most 2,000 characters.
    pub description: String,
    /// How many people it takes: 1 to 10,000.
    pub capacity: i64,
}

impl NewOpportunity {
    /// Trims and checks an opportunity; every problem is reported at once.
    pub fn parse(
        title: &str,
        description: &str,
        capacity: &str,
    ) -> Result<NewOpportunity, AppError> {
        let mut errors = FieldErrors::new();
        let title = title.trim();
        if !(3..=120).contains(&title.chars().count()) {
            errors.add("title", "Use 3–120 characters.");
        }
        let description = description.trim();
        if description.chars().count() > 2000 {
            errors.add("description", "Use at most 2,000 characters.");
        }
        let capacity = capacity.trim().parse::<i64>().ok().filter(|c| (1..=10_000).contains(c));
        if capacity.is_none() {
            errors.add("capacity", "How many people: 1 to 10,000.");
        }
        errors.into_result()?;
        Ok(NewOpportunity {
            title: title.to_owned(),
            description: description.to_owned(),
            capacity: capacity.unwrap_or(1),
        })
    }
}

/// Adds an opportunity to an initiative; refused unless the initiative is approved
/// (checked in the same transaction as the insert).
pub async fn add_opportunity(
    writes: &WriteQueue,
    community: CommunityId,
    initiative: i64,
    opportunity: NewOpportunity,
) -> Result<i64, AppError> {
    write_tx!(writes, |tx| {
        let found =
            store::initiative(&mut *tx, community, initiative).await?.ok_or(AppError::NotFound)?;
        if found.status != "approved" {
            return Err(AppError::conflict(
                "title",
                "Opportunities open once the initiative is approved.",
            ));
        }
        Ok(store::insert_opportunity(
            &mut *tx,
            initiative,
            &opportunity.title,
            &opportunity.description,
            opportunity.capacity,
        )
        .await?)
    })
}

/// Signs `user` up for an opportunity; refused when it is full or they are on it already
/// (the count and the insert are one statement in one transaction: never over capacity).
pub async fn join_opportunity(
    writes: &WriteQueue,
    opportunity: i64,
    user: UserId,
) -> Result<(), AppError> {
    write_tx!(writes, |tx| {
        if store::sign_up(&mut *tx, opportunity, user).await? {
            Ok(())
        } else {
            Err(AppError::conflict(
                "opportunity",
                "This opportunity is full, or you're already on it.",
            ))
        }
    })
}

/// Takes `user` off an opportunity (nothing happens if they were not on it).
pub async fn leave_opportunity(
    writes: &WriteQueue,
    opportunity: i64,
    user: UserId,
) -> Result<(), AppError> {
    write_tx!(writes, |tx| { Ok(store::withdraw_signup(&mut *tx, opportunity, user).await?) })
}
