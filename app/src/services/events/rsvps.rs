//! RSVPs: one date or the rest of a series, seats and the first-come waitlist, and the
//! offers a freed seat makes to the first person waiting.

use super::*;
use crate::db::Conn;

/// What an RSVP came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RsvpOutcome {
    /// The member's answer now (going, or waitlisted when it was full).
    pub status: RsvpStatus,
    /// Their place in line when waitlisted (1 is next).
    pub position: Option<i64>,
}

/// Which dates an RSVP answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dates {
    /// Only the date answered.
    This,
    /// That date and every later date of its series that still takes answers
    /// (cancelled and closed dates are left alone).
    ThisAndLater,
}

/// Records `user`'s answer to occurrence `id`, and with [`Dates::ThisAndLater`] the same
/// answer for the rest of its series, in one transaction: all of them or none. Going takes
/// a seat when one is free and no one waits, and a place at the end of the line otherwise
/// (a full date's waitlist); giving up a seat offers it to the first person waiting.
/// Answers the outcome for `id`.
pub async fn rsvp(
    writes: &WriteQueue,
    community: &Community,
    user: UserId,
    id: i64,
    dates: Dates,
    choice: RsvpChoice,
) -> Result<RsvpOutcome, AppError> {
    let community = community.clone();
    write_tx!(writes, |tx| {
        let now = Utc::now();
        let first = answer(&mut *tx, &community, user, id, choice, now).await?;
        if dates == Dates::This {
            return Ok(first);
        }
        let occurrence = store::occurrence(&mut *tx, community.id, id, Some(user))
            .await?
            .ok_or(AppError::NotFound)?;
        let later =
            store::later_in_series(&mut *tx, occurrence.series_id, occurrence.summary.starts_at)
                .await?;
        for next in later {
            let Some(found) = store::occurrence(&mut *tx, community.id, next, Some(user)).await?
            else {
                continue;
            };
            if now < closes_at(&found) && !found.summary.cancelled {
                answer(&mut *tx, &community, user, next, choice, now).await?;
            }
        }
        Ok(first)
    })
}

/// One answer inside a write transaction (see [`rsvp`]).
async fn answer(
    tx: &mut Conn<'_>,
    community: &Community,
    user: UserId,
    id: i64,
    choice: RsvpChoice,
    now: DateTime<Utc>,
) -> Result<RsvpOutcome, AppError> {
    let occurrence = store::occurrence(&mut *tx, community.id, id, Some(user))
        .await?
        .ok_or(AppError::NotFound)?;
    policy::check_rsvp_open(now, closes_at(&occurrence), occurrence.summary.cancelled)?;
    pass_on_expired_offers(&mut *tx, community, &occurrence, now).await?;
    let current = store::rsvp(&mut *tx, id, user).await?;
    let change = match choice {
        RsvpChoice::Going(guests) => going(&mut *tx, &occurrence, current.as_ref(), guests).await?,
        RsvpChoice::Interested => RsvpChange::plain(RsvpStatus::Interested),
        RsvpChoice::NotGoing => RsvpChange::plain(RsvpStatus::NotGoing),
    };
    store::set_rsvp(&mut *tx, id, user, change).await?;
    offer_free_seats(&mut *tx, community, &occurrence, now).await?;
    let position = match (change.status, change.queue_position) {
        (RsvpStatus::Waitlisted, Some(mine)) => Some(store::waiting(&mut *tx, id, mine).await?.1),
        _ => None,
    };
    Ok(RsvpOutcome { status: change.status, position })
}

/// A "going" answer: a seat when one is free (and, for a newcomer, nobody waits), the
/// current seat with a new number of guests, or a place in line.
async fn going(
    tx: &mut Conn<'_>,
    occurrence: &OccurrenceRecord,
    current: Option<&store::RsvpRecord>,
    guests: i64,
) -> Result<RsvpChange, AppError> {
    if guests > occurrence.guests_max {
        let most = occurrence.guests_max;
        return Err(AppError::invalid("guests", format!("Bring at most {most} guests.")));
    }
    let taken = store::seats_taken(&mut *tx, occurrence.summary.id).await?;
    let capacity = occurrence.summary.capacity.unwrap_or(i64::MAX);
    let seated = current.filter(|r| r.status.holds_seat());
    if let Some(seat) = seated {
        if taken - seat.guests + guests > capacity {
            return Err(AppError::conflict(
                "guests",
                "There are not enough seats for that many guests.",
            ));
        }
        return Ok(RsvpChange {
            status: RsvpStatus::Going,
            guests,
            queue_position: None,
            offer_expires_at: None,
        });
    }
    let (waiting, _) = store::waiting(&mut *tx, occurrence.summary.id, 0).await?;
    if let Some(line) = current.filter(|r| r.status == RsvpStatus::Waitlisted) {
        return Ok(RsvpChange { guests, ..RsvpChange::waiting(line.queue_position.unwrap_or(0)) });
    }
    if waiting == 0 && taken + 1 + guests <= capacity {
        return Ok(RsvpChange {
            status: RsvpStatus::Going,
            guests,
            queue_position: None,
            offer_expires_at: None,
        });
    }
    let position = store::next_queue_position(&mut *tx, occurrence.summary.id).await?;
    Ok(RsvpChange { guests, ..RsvpChange::waiting(position) })
}

impl RsvpChange {
    /// An answer that holds no seat and no place in line.
    fn plain(status: RsvpStatus) -> RsvpChange {
        RsvpChange { status, guests: 0, queue_position: None, offer_expires_at: None }
    }

    /// A place in line.
    fn waiting(position: i64) -> RsvpChange {
        RsvpChange {
            status: RsvpStatus::Waitlisted,
            guests: 0,
            queue_position: Some(position),
            offer_expires_at: None,
        }
    }
}

/// Offers free seats to the people waiting, first come first served, each held until
/// [`OFFER_HOURS`] from now or the RSVP cut-off, whichever is sooner. The head of the
/// line is never skipped for someone smaller behind them; nothing is offered once RSVPs
/// have closed.
pub(super) async fn offer_free_seats(
    tx: &mut Conn<'_>,
    community: &Community,
    occurrence: &OccurrenceRecord,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let closes = closes_at(occurrence);
    let capacity = occurrence.summary.capacity.unwrap_or(i64::MAX);
    if now >= closes || occurrence.summary.cancelled {
        return Ok(());
    }
    loop {
        let taken = store::seats_taken(&mut *tx, occurrence.summary.id).await?;
        let Some((next, guests, position)) =
            store::first_waiting(&mut *tx, occurrence.summary.id).await?
        else {
            break;
        };
        if taken + 1 + guests > capacity {
            break;
        }
        let expires = (now + Duration::hours(OFFER_HOURS)).min(closes);
        let offer = RsvpChange {
            status: RsvpStatus::Offered,
            guests,
            queue_position: Some(position),
            offer_expires_at: Some(expires),
        };
        store::set_rsvp(&mut *tx, occurrence.summary.id, next, offer).await?;
        let body = format!(
            "A seat opened at {} and it is yours if you take it by {} UTC.",
            occurrence.summary.title,
            expires.format("%-d %b %H:%M")
        );
        let link = event_link(community, occurrence.summary.id);
        let notice = Notice::new(next, NoticeKind::Event, community.id, &body, &link);
        notices::notify(&mut *tx, notice).await?;
    }
    Ok(())
}

/// Turns offers of this occurrence that expired by `now` into "not going" (the person is
/// told), freeing their seats for the next in line.
async fn pass_on_expired_offers(
    tx: &mut Conn<'_>,
    community: &Community,
    occurrence: &OccurrenceRecord,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    for (expired, user) in store::expired_offers(&mut *tx, now).await? {
        if expired != occurrence.summary.id {
            continue;
        }
        store::set_rsvp(&mut *tx, expired, user, RsvpChange::plain(RsvpStatus::NotGoing)).await?;
        let body = format!("The seat held for you at {} passed on.", occurrence.summary.title);
        let link = event_link(community, expired);
        let notice = Notice::new(user, NoticeKind::Event, community.id, &body, &link);
        notices::notify(&mut *tx, notice).await?;
    }
    Ok(())
}

/// The background sweep: passes on every expired offer and offers the freed seats.
/// Returns how many offers expired.
pub async fn pass_on_all_expired_offers(state: &AppState) -> Result<usize, AppError> {
    let expired = store::expired_offers(&state.pool, Utc::now()).await?;
    let mut occurrences: Vec<i64> = expired.iter().map(|(o, _)| *o).collect();
    occurrences.dedup();
    for id in occurrences {
        let Some(slug) = store::community_of(&state.pool, id).await? else { continue };
        let Some(community) =
            db::communities::by_slug(&mut state.pool.acquire().await?, &slug).await?
        else {
            continue;
        };
        write_tx!(state.writes, |tx| {
            let now = Utc::now();
            let Some(occurrence) = store::occurrence(&mut *tx, community.id, id, None).await?
            else {
                return Ok(());
            };
            pass_on_expired_offers(&mut *tx, &community, &occurrence, now).await?;
            offer_free_seats(&mut *tx, &community, &occurrence, now).await
        })?;
    }
    Ok(expired.len())
}
