//! Checking in at an occurrence: by its code (typed, or scanned as a QR code) or by a
//! host; attendance becomes verified work on the ledger.

use super::*;
use crate::db::Conn;

/// A fresh six-character check-in code from letters and digits people do not confuse.
pub(super) fn checkin_code() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    uuid::Uuid::new_v4().as_bytes()[..6]
        .iter()
        .map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()]))
        .collect()
}

/// Who checks a member in.
#[derive(Debug, Clone)]
pub enum CheckIn {
    /// The member, with the code shown at the event (typed or scanned).
    Code(String),
    /// A host, ticking them on the roster or adding a walk-in (hosts were checked first).
    Host(UserId),
}

/// Whether check-in is open for `occurrence` at `now`: from [`CHECKIN_OPENS_MINUTES`]
/// before its start to its end.
pub(super) fn checkin_open(occurrence: &OccurrenceRecord, now: DateTime<Utc>) -> bool {
    let summary = &occurrence.summary;
    !summary.cancelled
        && now >= summary.starts_at - Duration::minutes(CHECKIN_OPENS_MINUTES)
        && now <= summary.ends_at
}

/// Checks `member` in at occurrence `id` and credits their attendance: a verified
/// contribution of the event's hours (its credited hours, or its scheduled length) towards
/// its initiative and goal. Refused outside the check-in window, with a wrong code, for
/// someone who is not a member, or twice.
pub async fn check_in(
    writes: &WriteQueue,
    community: &Community,
    member: UserId,
    id: i64,
    by: CheckIn,
) -> Result<(), AppError> {
    let community = community.clone();
    let field = if matches!(by, CheckIn::Code(_)) { "code" } else { "handle" };
    write_tx!(writes, |tx| {
        let now = Utc::now();
        let occurrence =
            store::occurrence(&mut *tx, community.id, id, None).await?.ok_or(AppError::NotFound)?;
        if !checkin_open(&occurrence, now) {
            let why = "Check-in opens an hour before the start and closes at the end.";
            return Err(AppError::invalid(field, why));
        }
        let (method, verifier, note) = match &by {
            CheckIn::Code(code) => {
                if !code.trim().eq_ignore_ascii_case(&occurrence.checkin_code) {
                    return Err(AppError::invalid("code", "That is not this event's code."));
                }
                ("code", member, "checked in with the event's code")
            }
            CheckIn::Host(host) => ("host", *host, "checked in by a host"),
        };
        let standing = db::memberships::standing(&mut *tx, community.id, Some(member)).await?;
        if !matches!(standing, Standing::Member(_)) {
            return Err(AppError::invalid(field, "Only members of the community check in."));
        }
        if store::is_checked_in(&mut *tx, id, member).await? {
            return Err(AppError::conflict(field, "Already checked in."));
        }
        if occurrence.hours_from == HoursFrom::Presence.as_str() {
            // Time present is credited at check-out.
            store::insert_attendance(&mut *tx, id, member, method, verifier, None).await?;
            return Ok(());
        }
        let summary = &occurrence.summary;
        let scheduled = (summary.ends_at - summary.starts_at).num_minutes() as f64 / 60.0;
        let hours = occurrence.credited_hours.unwrap_or((scheduled * 100.0).round() / 100.0);
        let facts = attendance_facts(&mut *tx, &community, &occurrence, hours).await?;
        let contribution =
            contributions::record_verified(&mut *tx, &community, member, &facts, verifier, note)
                .await?;
        store::insert_attendance(&mut *tx, id, member, method, verifier, Some(contribution))
            .await?;
        Ok(())
    })
}

/// The contribution one person's attendance of `hours` at `occurrence` makes.
async fn attendance_facts(
    tx: &mut Conn<'_>,
    community: &Community,
    occurrence: &OccurrenceRecord,
    hours: f64,
) -> Result<ContributionFacts, AppError> {
    let summary = &occurrence.summary;
    let quantity = match occurrence.goal_id {
        Some(goal) => impact::goal_unit(&mut *tx, community.id, goal)
            .await?
            .map(|unit| attendance_quantity(&unit, hours)),
        None => None,
    };
    Ok(ContributionFacts {
        description: format!("Attended {}", summary.title),
        done_on: occurrence.local_date.parse().unwrap_or_else(|_| summary.starts_at.date_naive()),
        quantity,
        hours: Some(hours),
        goal_id: occurrence.goal_id,
        initiative_id: occurrence.initiative_id,
        evidence_url: String::new(),
        note: String::new(),
    })
}

/// Hours between `checked_in` and `checked_out`, bounded by the occurrence's schedule,
/// to the hundredth.
pub fn presence_hours(
    occurrence: &OccurrenceRecord,
    checked_in: DateTime<Utc>,
    checked_out: DateTime<Utc>,
) -> f64 {
    let from = checked_in.max(occurrence.summary.starts_at);
    let to = checked_out.min(occurrence.summary.ends_at);
    let minutes = (to - from).num_minutes().max(0) as f64;
    (minutes / 60.0 * 100.0).round() / 100.0
}

/// Checks `member` out of occurrence `id` (an event that counts time present): their
/// time there, bounded by the schedule, becomes a verified contribution. Refused before
/// the start, after the end plus [`CHECKOUT_GRACE_MINUTES`], or without an open check-in.
pub async fn check_out(
    writes: &WriteQueue,
    community: &Community,
    member: UserId,
    id: i64,
) -> Result<(), AppError> {
    let community = community.clone();
    write_tx!(writes, |tx| {
        let now = Utc::now();
        let occurrence =
            store::occurrence(&mut *tx, community.id, id, None).await?.ok_or(AppError::NotFound)?;
        let Some(open) = store::open_attendance(&mut *tx, id, member).await? else {
            return Err(AppError::invalid("check_out", "You are not checked in here."));
        };
        if now < occurrence.summary.starts_at {
            return Err(AppError::invalid("check_out", "Check out once the event has started."));
        }
        if now > occurrence.summary.ends_at + Duration::minutes(CHECKOUT_GRACE_MINUTES) {
            return Err(AppError::invalid(
                "check_out",
                "Check-out has closed; a leader reviews it.",
            ));
        }
        let hours = presence_hours(&occurrence, open.checked_in_at, now);
        let facts = attendance_facts(&mut *tx, &community, &occurrence, hours).await?;
        let note = "checked out: time present";
        let verifier = open.checked_in_by;
        let contribution =
            contributions::record_verified(&mut *tx, &community, member, &facts, verifier, note)
                .await?;
        store::close(&mut *tx, id, member, now, contribution, false).await?;
        Ok(())
    })
}

/// Closes every check-out forgotten past the end plus [`CHECKOUT_GRACE_MINUTES`]: the
/// time from check-in to the end becomes a contribution waiting for a leader's review
/// (never verified by itself). Returns how many were closed.
pub async fn close_forgotten_checkouts(writes: &WriteQueue) -> Result<usize, AppError> {
    write_tx!(writes, |tx| {
        let cutoff = Utc::now() - Duration::minutes(CHECKOUT_GRACE_MINUTES);
        let mut closed = 0;
        for open in store::forgotten(&mut *tx, cutoff).await? {
            let Some(slug) = store::community_of(&mut *tx, open.occurrence_id).await? else {
                continue;
            };
            let Some(community) = db::communities::by_slug(&mut *tx, &slug).await? else {
                continue;
            };
            let Some(occurrence) =
                store::occurrence(&mut *tx, community.id, open.occurrence_id, None).await?
            else {
                continue;
            };
            let ended = occurrence.summary.ends_at;
            let hours = presence_hours(&occurrence, open.checked_in_at, ended);
            let mut facts = attendance_facts(&mut *tx, &community, &occurrence, hours).await?;
            facts.note = "Check-out was forgotten: closed at the end of the event. Please review."
                .to_owned();
            let contribution =
                contributions::record_reported(&mut *tx, &community, open.user_id, &facts).await?;
            store::close(&mut *tx, open.occurrence_id, open.user_id, ended, contribution, true)
                .await?;
            closed += 1;
        }
        Ok(closed)
    })
}

/// What one person's attendance adds to an event's goal: its hours when the goal counts
/// hours, otherwise one (a person who came).
pub fn attendance_quantity(goal_unit: &str, hours: f64) -> f64 {
    let unit = goal_unit.trim().to_lowercase();
    if ["hours", "hour", "hrs", "hr", "h"].contains(&unit.as_str()) { hours } else { 1.0 }
}

/// The QR code (SVG) of `link`, for a phone's camera.
pub(super) fn qr_svg(link: &str) -> String {
    use qrcode::render::svg;
    match qrcode::QrCode::new(link.as_bytes()) {
        Ok(code) => {
            code.render::<svg::Color<'_>>().min_dimensions(200, 200).quiet_zone(true).build()
        }
        Err(_) => String::new(),
    }
}
