//! Checking in at an occurrence: by its code (typed, or scanned as a QR code) or by a
//! host; attendance becomes verified work on the ledger.

use super::*;

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
        let summary = &occurrence.summary;
        let scheduled = (summary.ends_at - summary.starts_at).num_minutes() as f64 / 60.0;
        let hours = occurrence.credited_hours.unwrap_or((scheduled * 100.0).round() / 100.0);
        let quantity = match occurrence.goal_id {
            Some(goal) => impact::goal_unit(&mut *tx, community.id, goal)
                .await?
                .map(|unit| attendance_quantity(&unit, hours)),
            None => None,
        };
        let facts = ContributionFacts {
            description: format!("Attended {}", summary.title),
            done_on: occurrence
                .local_date
                .parse()
                .unwrap_or_else(|_| summary.starts_at.date_naive()),
            quantity,
            hours: Some(hours),
            goal_id: occurrence.goal_id,
            initiative_id: occurrence.initiative_id,
            evidence_url: String::new(),
            note: String::new(),
        };
        let contribution =
            contributions::record_verified(tx, &community, member, &facts, verifier, note).await?;
        store::insert_attendance(&mut *tx, id, member, method, verifier, contribution).await?;
        Ok(())
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
