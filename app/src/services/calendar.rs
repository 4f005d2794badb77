//! Events as iCalendar (RFC 5545) files for people's own calendar apps.
//!
//! Each series is one `UID`. Its first occurrence is the master `VEVENT` and the other
//! dates are `RDATE`s — as UTC instants, because a series keeps its wall-clock time across
//! daylight-saving changes, which no UTC rule can say. A cancelled date is an override
//! `VEVENT` with its `RECURRENCE-ID` and `STATUS:CANCELLED`, never a deletion; `SEQUENCE`
//! is the series' edit count. Times are UTC, so no `VTIMEZONE` is needed.

use chrono::{DateTime, Utc};
use icalendar::{Calendar, Component, Event, EventLike, EventStatus};

use crate::db::events::{self as store, CalendarRow};
use crate::db::writer::{WriteQueue, write_tx};
use crate::domain::ids::UserId;
use crate::error::AppError;

/// The stored form of a feed token.
pub fn token_hash(token: &str) -> String {
    super::tokens::sha256_hex(token)
}

/// Makes `user` a new private calendar feed, revoking any earlier link. Returns the token
/// (shown once; only its hash is kept).
pub async fn new_feed(writes: &WriteQueue, user: UserId) -> Result<String, AppError> {
    let token = super::tokens::new_token();
    let hash = token_hash(&token);
    write_tx!(writes, |tx| {
        store::set_feed_token(&mut *tx, user, &hash).await?;
        Ok(())
    })?;
    Ok(token)
}

/// Revokes `user`'s private calendar feed.
pub async fn revoke_feed(writes: &WriteQueue, user: UserId) -> Result<(), AppError> {
    write_tx!(writes, |tx| {
        store::delete_feed_token(&mut *tx, user).await?;
        Ok(())
    })
}

/// An instant in iCalendar's UTC form, `20270313T100000Z`.
fn utc(at: DateTime<Utc>) -> String {
    at.format("%Y%m%dT%H%M%SZ").to_string()
}

/// A calendar of `rows` (occurrences grouped by series, in time order). `origin` makes
/// the UIDs and the links: `series-{id}@{host}`, `{origin}/c/{slug}/e/{id}`.
pub fn ics(name: &str, rows: &[CalendarRow], origin: &str) -> String {
    let host = origin.rsplit("//").next().unwrap_or("kindred");
    let mut calendar = Calendar::new();
    calendar.name(name);
    for series in rows.chunk_by(|a, b| a.series_id == b.series_id) {
        let Some(first) = series.first() else { continue };
        let uid = format!("series-{}@{host}", first.series_id);
        let sequence = u32::try_from(first.sequence).unwrap_or(0);
        let link = format!("{origin}/c/{}/e/{}", first.community_slug, first.id);
        let mut master = base(&uid, first, sequence);
        master.url(&link);
        if !first.description_source.is_empty() {
            master.description(&first.description_source);
        }
        let others: Vec<String> = series[1..].iter().map(|o| utc(series_start(o))).collect();
        if !others.is_empty() {
            master.add_property("RDATE", others.join(","));
        }
        master.status(EventStatus::Confirmed);
        calendar.push(master.done());
        // Dates changed on their own, or cancelled, are overrides named by the start the
        // series gave them.
        for changed in series.iter().filter(|o| o.cancelled || o.original_starts_at.is_some()) {
            let mut exception = base(&uid, changed, sequence);
            exception.add_property("RECURRENCE-ID", utc(series_start(changed)));
            exception.status(if changed.cancelled {
                EventStatus::Cancelled
            } else {
                EventStatus::Confirmed
            });
            calendar.push(exception.done());
        }
    }
    calendar.done().to_string()
}

/// The start the series gave an occurrence (before any change to it alone).
fn series_start(occurrence: &CalendarRow) -> DateTime<Utc> {
    occurrence.original_starts_at.unwrap_or(occurrence.starts_at)
}

/// The properties every `VEVENT` of a series shares.
fn base(uid: &str, occurrence: &CalendarRow, sequence: u32) -> Event {
    let mut event = Event::new();
    event
        .uid(uid)
        .summary(&occurrence.title)
        .starts(occurrence.starts_at)
        .ends(occurrence.ends_at)
        .sequence(sequence)
        .timestamp(Utc::now());
    if !occurrence.place.is_empty() {
        event.location(&occurrence.place);
    }
    event.done()
}
