//! Mentoring: offering to mentor, asking for a mentor, asking one of the suggested
//! mentors, accepting (capacity and "one active mentorship per pair" checked inside the
//! accepting transaction), completing, and sessions logged as contributions that the
//! other person verifies. The page is assembled in [`page`].

mod page;

pub use page::page;

use crate::db::Conn;
use chrono::Utc;

use crate::db::impact as impact_store;
use crate::db::mentoring as store;
use crate::db::writer::{WriteQueue, write_tx};
use crate::domain::community::Community;
use crate::domain::ids::UserId;
use crate::domain::impact::ContributionStatus;
use crate::domain::impact_form::ContributionFacts;
use crate::domain::mentoring::{MENTEE_LIMIT, OfferForm, RequestForm, SessionForm, Stage};
use crate::domain::notification::NoticeKind;
use crate::error::AppError;
use crate::services::contributions;
use crate::services::notices::{self, Notice};

/// The mentoring page's address.
pub fn mentoring_link(slug: &str) -> String {
    format!("/c/{slug}/mentoring")
}

/// Saves `user`'s offer to mentor (capacity 0 pauses it).
pub async fn save_offer(
    writes: &WriteQueue,
    community: &Community,
    user: UserId,
    form: OfferForm,
) -> Result<(), AppError> {
    let offer = form.validate()?;
    let community = community.id;
    write_tx!(writes, |conn| {
        store::save_offer(&mut *conn, community, user, &offer, Utc::now()).await?;
        Ok(())
    })
}

/// Records `mentee`'s request for a mentor; returns its id.
pub async fn ask_for_mentor(
    writes: &WriteQueue,
    community: &Community,
    mentee: UserId,
    form: RequestForm,
) -> Result<i64, AppError> {
    let request = form.validate()?;
    let community = community.id;
    write_tx!(writes, |conn| {
        Ok(store::insert_request(&mut *conn, community, mentee, &request, Utc::now()).await?)
    })
}

/// The mentee asks `mentor` (by handle) to take their open request, and the mentor hears.
pub async fn choose_mentor(
    writes: &WriteQueue,
    community: &Community,
    mentee: UserId,
    request: i64,
    mentor_handle: &str,
) -> Result<(), AppError> {
    let community = community.clone();
    let handle = mentor_handle.trim().trim_start_matches('@').to_owned();
    write_tx!(writes, |conn| {
        let row = store::mentorship(&mut *conn, community.id, request)
            .await?
            .filter(|r| r.mentee_id == mentee)
            .ok_or(AppError::NotFound)?;
        if row.status != Stage::Open.as_str() {
            return Err(AppError::conflict("request", "This request already has a mentor."));
        }
        let (mentor, _) =
            crate::db::memberships::member_by_handle(&mut *conn, community.id, &handle)
                .await?
                .ok_or_else(|| {
                    AppError::invalid("mentor", "Choose one of the suggested mentors.")
                })?;
        if mentor == mentee {
            return Err(AppError::invalid("mentor", "You cannot mentor yourself."));
        }
        match store::capacity(&mut *conn, community.id, mentor).await? {
            Some(capacity) if capacity > 0 => {}
            _ => return Err(AppError::invalid("mentor", "They are not offering to mentor now.")),
        }
        if store::pair_active(&mut *conn, community.id, mentor, mentee).await? {
            return Err(AppError::conflict("mentor", "They already mentor you."));
        }
        if !store::ask(&mut *conn, request, mentor).await? {
            return Err(AppError::conflict("request", "This request already has a mentor."));
        }
        let body =
            format!("@{} asks you to mentor them in {}: {}", row.mentee, community.name, row.topic);
        let link = mentoring_link(&community.slug);
        let notice = Notice::new(mentor, NoticeKind::Mentoring, community.id, &body, &link);
        notices::notify(&mut *conn, notice).await?;
        Ok(())
    })
}

/// The asked mentor accepts or declines. Accepting checks, in the same transaction, the
/// mentor's capacity, the mentee's limit and that the pair has no active mentorship.
pub async fn answer(
    writes: &WriteQueue,
    community: &Community,
    mentor: UserId,
    request: i64,
    accept: bool,
) -> Result<(), AppError> {
    let community = community.clone();
    write_tx!(writes, |conn| {
        let row = store::mentorship(&mut *conn, community.id, request)
            .await?
            .filter(|r| r.mentor_id == Some(mentor) || r.mentee_id == mentor)
            .ok_or(AppError::NotFound)?;
        if row.mentor_id != Some(mentor) || row.status != Stage::Asked.as_str() {
            return Err(AppError::conflict(
                "request",
                "This request is not waiting for your answer.",
            ));
        }
        let link = mentoring_link(&community.slug);
        let body = if accept {
            let capacity = store::capacity(&mut *conn, community.id, mentor).await?.unwrap_or(0);
            if store::active_count(&mut *conn, community.id, mentor, true).await? >= capacity {
                return Err(AppError::conflict(
                    "capacity",
                    format!(
                        "You are at capacity ({capacity}). Raise it in your offer or complete a mentorship first."
                    ),
                ));
            }
            if store::active_count(&mut *conn, community.id, row.mentee_id, false).await?
                >= MENTEE_LIMIT
            {
                return Err(AppError::conflict(
                    "request",
                    format!("@{} already has {MENTEE_LIMIT} active mentorships.", row.mentee),
                ));
            }
            if store::pair_active(&mut *conn, community.id, mentor, row.mentee_id).await? {
                return Err(AppError::conflict("request", "You already mentor them."));
            }
            if !store::accept(&mut *conn, request, Utc::now()).await? {
                return Err(AppError::conflict(
                    "request",
                    "This request is not waiting for your answer.",
                ));
            }
            format!(
                "@{} accepted to mentor you in {}.",
                row.mentor.unwrap_or_default(),
                community.name
            )
        } else {
            store::decline(&mut *conn, request, mentor).await?;
            format!(
                "@{} cannot mentor you in {} now; ask another suggested mentor.",
                row.mentor.unwrap_or_default(),
                community.name
            )
        };
        let notice = Notice::new(row.mentee_id, NoticeKind::Mentoring, community.id, &body, &link);
        notices::notify(&mut *conn, notice).await?;
        Ok(())
    })
}

/// Either person completes an active mentorship; the mentee withdraws a request that
/// has not started.
pub async fn finish(
    writes: &WriteQueue,
    community: &Community,
    user: UserId,
    id: i64,
) -> Result<(), AppError> {
    let community = community.clone();
    write_tx!(writes, |conn| {
        let row = store::mentorship(&mut *conn, community.id, id)
            .await?
            .filter(|r| r.mentor_id == Some(user) || r.mentee_id == user)
            .ok_or(AppError::NotFound)?;
        let ended = match Stage::parse(&row.status) {
            Some(Stage::Active) => {
                store::end(&mut *conn, id, &["active"], Stage::Completed.as_str(), Utc::now())
                    .await?
            }
            Some(Stage::Open | Stage::Asked) if row.mentee_id == user => {
                store::end(
                    &mut *conn,
                    id,
                    &["open", "asked"],
                    Stage::Withdrawn.as_str(),
                    Utc::now(),
                )
                .await?
            }
            _ => false,
        };
        if !ended {
            return Err(AppError::conflict("request", "This can no longer be ended."));
        }
        Ok(())
    })
}

/// Logs a session of an active mentorship as `author`'s contribution (hours) to the
/// community's mentoring initiative, for the other person to verify.
pub async fn log_session(
    writes: &WriteQueue,
    community: &Community,
    author: UserId,
    id: i64,
    form: SessionForm,
) -> Result<i64, AppError> {
    let session = form.validate(Utc::now().date_naive())?;
    let community = community.clone();
    write_tx!(writes, |conn| {
        let row = store::mentorship(&mut *conn, community.id, id)
            .await?
            .filter(|r| r.mentor_id == Some(author) || r.mentee_id == author)
            .ok_or(AppError::NotFound)?;
        if row.status != Stage::Active.as_str() {
            return Err(AppError::conflict(
                "mentorship",
                "Sessions are logged while a mentorship is active.",
            ));
        }
        let initiative = mentoring_initiative(&mut *conn, &community).await?;
        let facts = ContributionFacts {
            description: format!("Mentoring session: {}", row.topic),
            done_on: session.done_on,
            quantity: None,
            hours: Some(session.hours),
            goal_id: None,
            initiative_id: Some(initiative),
            evidence_url: String::new(),
            note: session.note.clone(),
        };
        let contribution =
            contributions::record_reported(&mut *conn, &community, author, &facts).await?;
        store::insert_session(&mut *conn, contribution, id, &session.note).await?;
        let (other, who) = if row.mentee_id == author {
            (row.mentor_id.ok_or(AppError::NotFound)?, row.mentee)
        } else {
            (row.mentee_id, row.mentor.unwrap_or_default())
        };
        let body = format!(
            "@{who} logged a {} h mentoring session with you in {}: please verify it.",
            session.hours, community.name
        );
        let link = mentoring_link(&community.slug);
        notices::notify(
            conn,
            Notice::new(other, NoticeKind::Mentoring, community.id, &body, &link),
        )
        .await?;
        Ok(contribution)
    })
}

/// The other person of the pair verifies (or declines) a logged session; verified, it
/// counts like any verified contribution (goals, badges).
pub async fn verify_session(
    writes: &WriteQueue,
    community: &Community,
    verifier: UserId,
    contribution: i64,
    verify: bool,
) -> Result<(), AppError> {
    let community = community.clone();
    write_tx!(writes, |conn| {
        let (mentor, mentee, author) =
            store::session_parties(&mut *conn, community.id, contribution)
                .await?
                .ok_or(AppError::NotFound)?;
        let party = mentor == Some(verifier) || mentee == verifier;
        if !party {
            return Err(AppError::NotFound);
        }
        if author == verifier {
            return Err(AppError::invalid("session", "The other person verifies your session."));
        }
        let (status, note, word) = if verify {
            (
                ContributionStatus::Verified,
                "verified by the other person of the mentorship",
                "verified",
            )
        } else {
            (
                ContributionStatus::Declined,
                "declined by the other person of the mentorship",
                "declined",
            )
        };
        let decision =
            contributions::Decision { contribution, author, actor: verifier, status, reason: note };
        contributions::record_decision(&mut *conn, &community, decision).await?;
        let body = format!("Your mentoring session in {} was {word}.", community.name);
        let link = mentoring_link(&community.slug);
        notices::notify(
            conn,
            Notice::new(author, NoticeKind::Verification, community.id, &body, &link),
        )
        .await?;
        Ok(())
    })
}

/// The community's mentoring initiative, made (approved, owned by a leader) on first use.
async fn mentoring_initiative(conn: &mut Conn<'_>, community: &Community) -> Result<i64, AppError> {
    if let Some(id) = store::mentoring_initiative(&mut *conn, community.id).await? {
        return Ok(id);
    }
    let owner = *crate::db::memberships::leader_ids(&mut *conn, community.id)
        .await?
        .first()
        .ok_or_else(|| AppError::conflict("mentorship", "The community needs a steward first."))?;
    let description =
        "Mentoring sessions, logged by mentors and mentees and verified by the other person.";
    let id = impact_store::insert_initiative(
        &mut *conn,
        community.id,
        owner,
        "Mentoring",
        description,
        &[],
    )
    .await?;
    store::approve_initiative(&mut *conn, id).await?;
    store::set_mentoring_initiative(&mut *conn, community.id, id).await?;
    Ok(id)
}
