//! Events: creating a series (its occurrences resolved from wall-clock time in its zone),
//! RSVPs with a capacity that is never exceeded, a first-come waitlist whose head is
//! offered a freed seat for a limited time, and cancelling an occurrence.
//!
//! Every RSVP, offer and cancellation is one queued write transaction that reads the
//! seats taken and changes them together, so concurrent answers can never overfill an
//! occurrence.

use crate::db::Pool;
use chrono::{DateTime, Duration, LocalResult, NaiveDateTime, Offset, TimeZone, Utc};
use chrono_tz::Tz;

use crate::auth::policy;
use crate::db::audit::AuditAction;
use crate::db::events::{self as store, OccurrenceRecord, RsvpChange};
use crate::db::writer::{WriteQueue, write_tx};
use crate::db::{self, impact};
use crate::domain::community::{Community, Standing};
use crate::domain::events::{
    CHECKIN_OPENS_MINUTES, CHECKOUT_GRACE_MINUTES, CheckinSheet, EventForm, EventPage, EventsPage,
    HoursFrom, MyRsvp, NextDate, OFFER_HOURS, OccurrenceSummary, Recurrence, RsvpChoice,
    RsvpStatus, ValidEvent,
};
use crate::domain::ids::UserId;
use crate::domain::impact::ContributionFacts;
use crate::error::AppError;
use crate::services::{contributions, markdown};
use crate::state::AppState;

mod checkin;
mod edit;
mod reminders;
mod rsvps;

use crate::domain::notification::NoticeKind;
use crate::services::notices::{self, Notice};
pub use checkin::{
    CheckIn, attendance_quantity, check_in, check_out, close_forgotten_checkouts, presence_hours,
};
use checkin::{checkin_code, checkin_open, qr_svg};
pub use edit::{edit, edit_form};
pub use reminders::send_due_reminders;
use rsvps::offer_free_seats;
pub use rsvps::{Dates, RsvpOutcome, pass_on_all_expired_offers, rsvp};

/// The instant a wall-clock time in `zone` names. A time that happens twice (clocks going
/// back) is its first; one that never happens (clocks going forward) moves forward by the
/// gap, as a person would ("10:30 on the night the clocks skip 10:00-11:00" is 11:30).
pub fn instant(local: NaiveDateTime, zone: Tz) -> DateTime<Utc> {
    match zone.from_local_datetime(&local) {
        LocalResult::Single(at) | LocalResult::Ambiguous(at, _) => at.with_timezone(&Utc),
        LocalResult::None => {
            // In a gap: read the time with the offset in force just before it.
            let before = zone.from_local_datetime(&(local - Duration::hours(3))).earliest();
            let offset = before.map_or(0, |b| b.offset().fix().local_minus_utc());
            Utc.from_utc_datetime(&(local - Duration::seconds(i64::from(offset))))
        }
    }
}

/// `at` as a reader in `zone` reads it, e.g. `Sat 13 Mar 2027, 10:00 GMT`.
pub fn local_label(at: DateTime<Utc>, zone_name: &str) -> String {
    let tz = zone(zone_name).unwrap_or(Tz::UTC);
    at.with_timezone(&tz).format("%a %-d %b %Y, %H:%M %Z").to_string()
}

/// Fills in each occurrence's `when` in its own zone: `Sat 13 Mar 2027, 10:00–12:00 GMT`
/// (the end's date is named too when it falls on another day).
pub fn label(occurrences: &mut [OccurrenceSummary]) {
    for o in occurrences {
        let tz = zone(&o.time_zone).unwrap_or(Tz::UTC);
        let (starts, ends) = (o.starts_at.with_timezone(&tz), o.ends_at.with_timezone(&tz));
        let end = if starts.date_naive() == ends.date_naive() {
            ends.format("%H:%M %Z").to_string()
        } else {
            ends.format("%a %-d %b, %H:%M %Z").to_string()
        };
        o.when = format!("{}–{end}", starts.format("%a %-d %b %Y, %H:%M"));
    }
}

/// `zone` parsed, if it is an IANA time-zone name.
pub fn zone(name: &str) -> Option<Tz> {
    name.parse::<Tz>().ok()
}

/// Creates an event series and its occurrences, after the host check (leaders; members
/// for an initiative they own). Returns the first occurrence's id.
pub async fn create(
    pool: &Pool,
    writes: &WriteQueue,
    community: &Community,
    standing: Standing,
    host: UserId,
    form: EventForm,
) -> Result<i64, AppError> {
    let now = Utc::now();
    let zone_of_form = zone(form.time_zone.trim()).unwrap_or(Tz::UTC);
    let today = now.with_timezone(&zone_of_form).date_naive();
    let event = form.validate(today, |name| zone(name).is_some())?;
    let owns_initiative = check_links(pool, community, &event, host).await?;
    policy::check_host_event(standing, owns_initiative)?;
    let tz = zone(&event.time_zone).unwrap_or(Tz::UTC);
    let schedule: Vec<_> = event
        .dates()
        .into_iter()
        .map(|date| {
            let starts = instant(date.and_time(event.start.time()), tz);
            (date, starts, instant(date.and_time(event.start.time()) + event.length, tz))
        })
        .collect();
    if schedule.first().is_none_or(|(_, starts, _)| *starts <= now) {
        return Err(AppError::invalid("starts", "That time has passed."));
    }
    let html = markdown::render(&event.description, &|_| false);
    let community = community.clone();
    write_tx!(writes, |tx| {
        let series = store::insert_series(&mut *tx, community.id, &event, &html, host).await?;
        for (date, starts, ends) in &schedule {
            let code = checkin_code();
            store::insert_occurrence(&mut *tx, series, community.id, *date, *starts, *ends, &code)
                .await?;
        }
        let detail =
            format!("{} ({}, {} times)", event.title, event.recurrence.label(), schedule.len());
        db::audit::record(
            &mut *tx,
            community.id,
            Some(host),
            AuditAction::EventCreated,
            None,
            &detail,
        )
        .await?;
        Ok(store::first_occurrence(&mut *tx, series).await?)
    })
}

/// Checks the initiative and goal an event names belong to the community (an initiative
/// must be approved). Returns whether `host` owns the initiative.
async fn check_links(
    pool: &Pool,
    community: &Community,
    event: &ValidEvent,
    host: UserId,
) -> Result<bool, AppError> {
    if let Some(goal) = event.goal_id
        && impact::goal_unit(pool, community.id, goal).await?.is_none()
    {
        return Err(AppError::invalid("goal_id", "Choose a goal of this community."));
    }
    let Some(initiative) = event.initiative_id else { return Ok(false) };
    match impact::initiative(pool, community.id, initiative).await? {
        Some(found) if found.status == "approved" => Ok(found.owner_id == host),
        _ => Err(AppError::invalid("initiative_id", "Choose an approved initiative.")),
    }
}

/// When an occurrence stops taking answers.
fn closes_at(occurrence: &OccurrenceRecord) -> DateTime<Utc> {
    occurrence.summary.starts_at - Duration::minutes(occurrence.rsvp_cutoff_minutes)
}

/// Cancels occurrence `id` (it stays, marked cancelled); everyone with a seat, an offer
/// or a place in line is told.
pub async fn cancel_occurrence(
    state: &AppState,
    community: &Community,
    standing: Standing,
    host: UserId,
    id: i64,
) -> Result<(), AppError> {
    let occurrence = store::occurrence(&state.pool, community.id, id, Some(host))
        .await?
        .ok_or(AppError::NotFound)?;
    let owns = owns_initiative(&state.pool, community, &occurrence, host).await?;
    policy::check_host_event(standing, owns)?;
    let community = community.clone();
    write_tx!(state.writes, |tx| {
        if !store::cancel_occurrence(&mut *tx, id).await? {
            return Err(AppError::conflict("occurrence", "This occurrence was already cancelled."));
        }
        let when = occurrence.summary.starts_at.format("%-d %b %Y");
        let body = format!("{} on {when} was cancelled.", occurrence.summary.title);
        for person in store::seat_holders(&mut *tx, id).await? {
            let link = event_link(&community, id);
            let notice = Notice::new(person, NoticeKind::Event, community.id, &body, &link);
            notices::notify(&mut *tx, notice).await?;
        }
        let detail = format!("{} on {when}", occurrence.summary.title);
        db::audit::record(
            &mut *tx,
            community.id,
            Some(host),
            AuditAction::EventCancelled,
            None,
            &detail,
        )
        .await?;
        Ok(())
    })
}

/// Refuses anyone but occurrence `id`'s hosts (leaders; the owner of its initiative).
pub async fn check_host(
    pool: &Pool,
    community: &Community,
    standing: Standing,
    user: UserId,
    id: i64,
) -> Result<(), AppError> {
    let occurrence =
        store::occurrence(pool, community.id, id, Some(user)).await?.ok_or(AppError::NotFound)?;
    policy::check_host_event(standing, owns_initiative(pool, community, &occurrence, user).await?)
}

async fn owns_initiative(
    pool: &Pool,
    community: &Community,
    occurrence: &OccurrenceRecord,
    user: UserId,
) -> Result<bool, AppError> {
    let Some(initiative) = occurrence.initiative_id else { return Ok(false) };
    Ok(impact::initiative(pool, community.id, initiative)
        .await?
        .is_some_and(|i| i.owner_id == user))
}

/// An occurrence's page for `viewer`: members see who comes and the online link;
/// others (public events of a public community) see counts only.
pub async fn page(
    pool: &Pool,
    community: &Community,
    standing: Standing,
    viewer: Option<UserId>,
    id: i64,
    origin: &str,
) -> Result<EventPage, AppError> {
    let mut occurrence =
        store::occurrence(pool, community.id, id, viewer).await?.ok_or(AppError::NotFound)?;
    label(std::slice::from_mut(&mut occurrence.summary));
    let zone_name = occurrence.summary.time_zone.clone();
    let visibility = crate::domain::events::EventVisibility::parse(&occurrence.visibility)
        .unwrap_or(crate::domain::events::EventVisibility::Members);
    policy::check_see_event(standing, visibility)?;
    let member = matches!(standing, Standing::Member(_));
    let now = Utc::now();
    let closes = closes_at(&occurrence);
    let mine = match viewer {
        Some(user) => match store::rsvp(pool, id, user).await? {
            Some(r) => {
                let position = match (r.status, r.queue_position) {
                    (RsvpStatus::Waitlisted, Some(p)) => Some(store::waiting(pool, id, p).await?.1),
                    _ => None,
                };
                let offer_until = r.offer_expires_at.map(|at| local_label(at, &zone_name));
                Some(MyRsvp { status: r.status, guests: r.guests, position, offer_until })
            }
            None => None,
        },
        None => None,
    };
    let attendees = if member { store::attendees(pool, id).await? } else { Vec::new() };
    let (waiting, _) = store::waiting(pool, id, 0).await?;
    let can_manage = match viewer {
        Some(user) => policy::can_host_event(
            standing,
            owns_initiative(pool, community, &occurrence, user).await?,
        ),
        None => false,
    };
    let checkin_open = checkin_open(&occurrence, now);
    let checked_in = match viewer {
        Some(user) => store::is_checked_in(pool, id, user).await?,
        None => false,
    };
    let checkout_closes = occurrence.summary.ends_at + Duration::minutes(CHECKOUT_GRACE_MINUTES);
    let can_check_out = match viewer {
        Some(user) if checked_in && now <= checkout_closes => {
            store::open_attendance(pool, id, user).await?.is_some()
        }
        _ => false,
    };
    let sheet = if can_manage && checkin_open {
        let link =
            format!("{origin}{}?code={}", event_link(community, id), occurrence.checkin_code);
        Some(CheckinSheet {
            code: occurrence.checkin_code.clone(),
            qr_svg: qr_svg(&link),
            link,
            roster: store::roster(pool, id).await?,
        })
    } else {
        None
    };
    Ok(EventPage {
        checkin_open: checkin_open && member,
        checked_in,
        can_check_out,
        sheet,
        can_rsvp: member && !occurrence.summary.cancelled && now < closes,
        can_manage: can_manage && !occurrence.summary.cancelled && occurrence.summary.ends_at > now,
        next_in_series: store::next_in_series(
            pool,
            occurrence.series_id,
            occurrence.summary.starts_at,
            viewer.filter(|_| member),
        )
        .await?
        .into_iter()
        .map(|(id, at, status)| NextDate {
            id,
            when: local_label(at, &zone_name),
            mine: status.as_deref().and_then(RsvpStatus::parse),
        })
        .collect(),
        description_html: occurrence.description_html,
        online_url: if member { occurrence.online_url } else { String::new() },
        recurrence: Recurrence::parse(&occurrence.recurrence).unwrap_or(Recurrence::Once),
        guests_max: occurrence.guests_max,
        rsvp_closes: local_label(closes, &zone_name),
        occurrence: occurrence.summary,
        attendees,
        waiting,
        mine,
    })
}

/// A community's events page for `viewer`: upcoming and recent occurrences (members see
/// every event, others the public ones), optionally one initiative's.
pub async fn list(
    pool: &Pool,
    community: &Community,
    standing: Standing,
    viewer: Option<&crate::domain::account::CurrentUser>,
    initiative: Option<i64>,
) -> Result<EventsPage, AppError> {
    let member = matches!(standing, Standing::Member(_));
    let listing = store::Listing {
        viewer: viewer.map(|v| v.id),
        members: member,
        initiative,
        now: Utc::now(),
        upcoming: true,
        limit: 60,
    };
    let mut upcoming = store::occurrences(pool, community.id, listing).await?;
    let past_listing = store::Listing { upcoming: false, limit: 20, ..listing };
    let mut past = store::occurrences(pool, community.id, past_listing).await?;
    label(&mut upcoming);
    label(&mut past);
    let approved: Vec<_> = impact::initiatives(pool, community.id)
        .await?
        .into_iter()
        .filter(|i| i.status == "approved")
        .collect();
    let owns_one = viewer.is_some_and(|v| approved.iter().any(|i| i.owner == v.handle));
    let goals = impact::goal_choices(pool, community.id)
        .await?
        .into_iter()
        .map(|(id, title, _)| (id, title))
        .collect();
    Ok(EventsPage {
        upcoming,
        past,
        can_host: policy::can_host_event(standing, owns_one),
        time_zone: community.time_zone.clone(),
        public_calendar: community.visibility == crate::domain::community::Visibility::Public,
        initiatives: approved.into_iter().map(|i| (i.id, i.title)).collect(),
        goals,
    })
}

/// The path of an occurrence's page.
pub fn event_link(community: &Community, occurrence: i64) -> String {
    format!("/c/{}/e/{occurrence}", community.slug)
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, Timelike};

    use super::*;
    use crate::domain::events::occurrence_dates;

    /// A weekly 10:00 event keeps its local time through both daylight-saving changes of
    /// a year, in zones with northern and southern summers, with no date lost or repeated.
    #[test]
    fn weekly_occurrences_keep_their_wall_clock_time_across_daylight_saving() {
        let first = NaiveDate::from_ymd_opt(2027, 1, 2).unwrap();
        let until = NaiveDate::from_ymd_opt(2027, 12, 25).unwrap();
        for name in ["Europe/London", "America/New_York", "Australia/Sydney"] {
            let tz = zone(name).unwrap();
            let dates = occurrence_dates(first, Recurrence::Weekly, Some(until));
            assert_eq!(dates.len(), 52, "{name}");
            let mut offsets = std::collections::BTreeSet::new();
            let mut previous = None;
            for date in dates {
                let starts = instant(date.and_hms_opt(10, 0, 0).unwrap(), tz);
                let local = starts.with_timezone(&tz);
                assert_eq!((local.hour(), local.minute()), (10, 0), "{name} {date}");
                assert_eq!(local.date_naive(), date, "{name}");
                if let Some(previous) = previous {
                    assert!(starts > previous, "{name}: in order, never repeated");
                }
                previous = Some(starts);
                offsets.insert(starts.with_timezone(&tz).offset().to_string());
            }
            assert_eq!(offsets.len(), 2, "{name}: the year crosses both changes");
        }
    }

    #[test]
    fn a_time_the_clocks_skip_moves_forward_by_the_gap_and_a_repeated_one_is_the_first() {
        let london = zone("Europe/London").unwrap();
        // 2027-03-28: 01:00 -> 02:00 in London.
        let skipped = NaiveDate::from_ymd_opt(2027, 3, 28).unwrap().and_hms_opt(1, 30, 0).unwrap();
        assert_eq!(instant(skipped, london).with_timezone(&london).hour(), 2);
        // 2027-10-31: 01:00-02:00 happens twice; the first is still summer time (UTC+1).
        let twice = NaiveDate::from_ymd_opt(2027, 10, 31).unwrap().and_hms_opt(1, 30, 0).unwrap();
        assert_eq!(instant(twice, london).hour(), 0);
    }
}
