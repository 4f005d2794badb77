//! The digest: daily or weekly (Mondays), at the member's chosen local hour, a summary
//! of what happened for them — goals moved, kudos and badges received, ways to help
//! that match their skills, and what waits for them (leaders: contributions to verify
//! and join requests; everyone: events they are going to). Nothing to say, no e-mail.
//!
//! Each digest is one outbox row keyed `(member, "digest", period)`, so a run that is
//! repeated or overlaps another never queues it twice; an empty one is recorded as
//! skipped, so it is not recomputed for the rest of that hour.

use chrono::{DateTime, Datelike, Duration, Timelike, Utc, Weekday};
use chrono_tz::Tz;

use crate::db::writer::write_tx;
use crate::db::{self, digest::Subscriber, mail::NewMail};
use crate::domain::notification::DigestFrequency;
use crate::error::AppError;
use crate::state::AppState;

/// The digest period `now` falls in for a member, when it is their digest hour (and,
/// weekly, a Monday) in their zone: `d2026-12-02` or `w2026-W49`. `None` otherwise.
pub fn period(
    now: DateTime<Utc>,
    zone: &str,
    frequency: DigestFrequency,
    hour: u32,
) -> Option<String> {
    let zone: Tz = zone.parse().unwrap_or(Tz::UTC);
    let local = now.with_timezone(&zone);
    if local.hour() != hour {
        return None;
    }
    match frequency {
        DigestFrequency::Off => None,
        DigestFrequency::Daily => Some(format!("d{}", local.format("%Y-%m-%d"))),
        DigestFrequency::Weekly if local.weekday() == Weekday::Mon => {
            let week = local.iso_week();
            Some(format!("w{}-W{:02}", week.year(), week.week()))
        }
        DigestFrequency::Weekly => None,
    }
}

/// What one digest says, section by section (empty sections are left out).
#[derive(Debug, Default, Clone, PartialEq)]
pub struct DigestContent {
    /// Lines about goals that moved.
    pub goals: Vec<String>,
    /// Lines about kudos received.
    pub kudos: Vec<String>,
    /// Lines about badges earned.
    pub badges: Vec<String>,
    /// Lines about matching ways to help.
    pub opportunities: Vec<String>,
    /// Lines about what waits for the member.
    pub waiting: Vec<String>,
}

impl DigestContent {
    /// The e-mail body, or `None` when there is nothing to say.
    pub fn body(&self) -> Option<String> {
        let sections = [
            ("Goals that moved", &self.goals),
            ("Thanks you received", &self.kudos),
            ("Badges you earned", &self.badges),
            ("Ways to help that match your skills", &self.opportunities),
            ("Waiting for you", &self.waiting),
        ];
        let parts: Vec<String> = sections
            .iter()
            .filter(|(_, lines)| !lines.is_empty())
            .map(|(heading, lines)| {
                let items: Vec<String> = lines.iter().map(|l| format!("- {l}")).collect();
                format!("{heading}\n{}", items.join("\n"))
            })
            .collect();
        (!parts.is_empty()).then(|| parts.join("\n\n"))
    }
}

/// Gathers one member's digest for the `days` before `now`.
async fn gather(
    state: &AppState,
    member: &Subscriber,
    now: DateTime<Utc>,
    days: i64,
) -> Result<DigestContent, AppError> {
    let pool = &state.pool;
    let since = now - Duration::days(days);
    let goals = db::digest::goals_moved(pool, member.id, since).await?;
    let kudos = db::digest::kudos_received(pool, member.id, since).await?;
    let badges = db::digest::badges_earned(pool, member.id, since).await?;
    let opportunities = db::digest::matching_opportunities(pool, member.id).await?;
    let leading = db::digest::waiting_for_leader(pool, member.id).await?;
    let events = db::digest::events_going(pool, member.id, now, now + Duration::days(7)).await?;
    let zone: Tz = member.time_zone.parse().unwrap_or(Tz::UTC);
    let mut waiting: Vec<String> = leading
        .into_iter()
        .map(|(community, _, to_verify, requests)| {
            format!("{community}: {to_verify} contributions to verify, {requests} join requests")
        })
        .collect();
    waiting.extend(events.into_iter().map(|(title, starts, _, _)| {
        format!("{title}, {}", starts.with_timezone(&zone).format("%a %-d %b %H:%M"))
    }));
    let reviews = db::library::due_for_review(pool, member.id, now.date_naive()).await?;
    waiting.extend(reviews.into_iter().map(|(title, community)| {
        format!("“{title}” in the {community} library is due for review")
    }));
    Ok(DigestContent {
        goals: goals
            .into_iter()
            .map(|(goal, community, amount, unit, people)| {
                format!("{goal} ({community}): +{amount} {unit} from {people} people")
            })
            .collect(),
        kudos: kudos
            .into_iter()
            .map(|(giver, value, community)| {
                format!("{giver} thanked you for {value} in {community}")
            })
            .collect(),
        badges: badges
            .into_iter()
            .map(|(badge, community)| format!("{badge} in {community}"))
            .collect(),
        opportunities: opportunities
            .into_iter()
            .map(|(title, community, _, _)| format!("{title} ({community})"))
            .collect(),
        waiting,
    })
}

/// Queues every digest due at `now`; returns how many were queued (empty ones are
/// recorded as skipped and not counted).
pub async fn queue_due(state: &AppState, now: DateTime<Utc>) -> Result<usize, AppError> {
    let mut queued = 0;
    for member in db::digest::subscribers(&state.pool).await? {
        let Some(frequency) = DigestFrequency::parse(&member.digest) else { continue };
        let hour = u32::try_from(member.digest_hour).unwrap_or(8);
        let Some(period) = period(now, &member.time_zone, frequency, hour) else { continue };
        if db::mail::count_for_period(&state.pool, member.id, "digest", &period).await? > 0 {
            continue;
        }
        let days = if frequency == DigestFrequency::Daily { 1 } else { 7 };
        let body = gather(state, &member, now, days).await?.body();
        let subject =
            if days == 1 { "Your day on Kindred" } else { "Your week on Kindred" }.to_owned();
        let (user, email) = (member.id, member.email.clone());
        let sent = body.is_some();
        write_tx!(state.writes, |tx| {
            let message_id = uuid::Uuid::new_v4().simple().to_string();
            let mail = NewMail {
                user,
                kind: "digest",
                period: &period,
                to: &email,
                subject: &subject,
                body: body.as_deref().unwrap_or_default(),
                link: "/",
                link_label: "Open Kindred",
                list: Some("digest"),
                notification_id: None,
                send_after: now,
                message_id: &message_id,
            };
            if db::mail::enqueue(&mut *tx, &mail).await? && body.is_none() {
                db::mail::skip_period(&mut *tx, user, "digest", &period).await?;
            }
            Ok(())
        })?;
        queued += usize::from(sent);
    }
    Ok(queued)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn the_digest_comes_at_the_local_hour_and_weekly_on_mondays() {
        // Monday 7 December 2026, 08:30 in Berlin is 07:30 UTC.
        let monday = Utc.with_ymd_and_hms(2026, 12, 7, 7, 30, 0).unwrap();
        let berlin = "Europe/Berlin";
        assert_eq!(
            period(monday, berlin, DigestFrequency::Daily, 8).as_deref(),
            Some("d2026-12-07")
        );
        assert_eq!(
            period(monday, berlin, DigestFrequency::Weekly, 8).as_deref(),
            Some("w2026-W50")
        );
        assert_eq!(period(monday, "UTC", DigestFrequency::Daily, 8), None, "07:30 in UTC");
        assert_eq!(period(monday, berlin, DigestFrequency::Off, 8), None);
        let tuesday = monday + Duration::days(1);
        assert_eq!(period(tuesday, berlin, DigestFrequency::Weekly, 8), None);
    }

    #[test]
    fn an_empty_digest_has_no_body_and_sections_keep_their_order() {
        assert_eq!(DigestContent::default().body(), None);
        let content = DigestContent {
            kudos: vec!["Ada thanked you for Care in River".into()],
            goals: vec!["Hours (River): +5 hours from 2 people".into()],
            ..DigestContent::default()
        };
        let body = content.body().unwrap();
        assert!(body.starts_with("Goals that moved\n- Hours"));
        assert!(body.contains("\n\nThanks you received\n- Ada thanked you"));
        assert!(!body.contains("Badges"));
    }
}
