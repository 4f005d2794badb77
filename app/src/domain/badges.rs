//! Badges: what they measure, their levels, and the pure rule that says which levels a
//! member's verified work has reached.
//!
//! A rule reads only verified work. Its metric at a moment counts the work verified by
//! then whose date falls inside the rule's window (ending that day). A level is earned
//! once the metric reaches it at any moment; earned levels are never taken back by a
//! later change of the rule (awards remember the rule version they were made under).

use std::collections::BTreeSet;

use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::domain::challenges::labelled_enum;
use crate::domain::ids::UserId;

pub use crate::domain::badge_bounds::WorkBounds;
pub use crate::domain::badge_form::{BadgeForm, ValidBadge, criteria, default_badges};

/// At most this many levels per badge.
pub const LEVELS_MAX: usize = 5;

/// The longest a badge's name may be.
pub const BADGE_NAME_MAX_CHARS: usize = 60;

labelled_enum!(
    /// What a badge rule counts.
    BadgeMetric {
        /// Sum of verified hours.
        VerifiedHours = "verified_hours": "Verified hours",
        /// Sum of verified quantity towards one goal.
        VerifiedQuantity = "verified_quantity": "Verified quantity towards a goal",
        /// Number of verified contributions.
        VerifiedContributions = "verified_contributions": "Verified contributions",
        /// Events checked in at (not RSVPs).
        EventsAttended = "events_attended": "Events attended (checked in)",
        /// Approved initiatives the member owns.
        InitiativesLed = "initiatives_led": "Initiatives led",
        /// Distinct people who gave the member kudos.
        KudosGivers = "kudos_givers": "Kudos from different people",
        /// The longest run of consecutive weeks with a verified contribution.
        WeeksInARow = "weeks_in_a_row": "Weeks in a row with a verified contribution",
    }
);

impl BadgeMetric {
    /// Whether the metric is read from verified ledger entries (the others count
    /// initiatives or kudos).
    pub fn reads_ledger(self) -> bool {
        !matches!(self, BadgeMetric::InitiativesLed | BadgeMetric::KudosGivers)
    }

    /// The unit a level is written in, e.g. "hours".
    pub fn unit(self) -> &'static str {
        match self {
            BadgeMetric::VerifiedHours => "hours",
            BadgeMetric::VerifiedQuantity => "",
            BadgeMetric::VerifiedContributions => "contributions",
            BadgeMetric::EventsAttended => "events",
            BadgeMetric::InitiativesLed => "initiatives",
            BadgeMetric::KudosGivers => "people",
            BadgeMetric::WeeksInARow => "weeks",
        }
    }
}

labelled_enum!(
    /// The built-in icon set.
    BadgeIcon {
        /// A star.
        Star = "star": "Star",
        /// A heart.
        Heart = "heart": "Heart",
        /// A leaf.
        Leaf = "leaf": "Leaf",
        /// A clock.
        Clock = "clock": "Clock",
        /// A flame.
        Flame = "flame": "Flame",
        /// A flag.
        Flag = "flag": "Flag",
    }
);

impl BadgeIcon {
    /// The icon's SVG path data (24×24 view box).
    pub fn path(self) -> &'static str {
        match self {
            BadgeIcon::Star => "M12 2l3 6.5 7 .9-5.2 4.8 1.4 7L12 17.8 5.8 21.2l1.4-7L2 9.4l7-.9z",
            BadgeIcon::Heart => {
                "M12 21s-7.5-4.6-9.5-9.2C1.2 8.6 3.2 5 6.6 5c2.1 0 3.6 1.2 5.4 3.2C13.8 6.2 15.3 5 17.4 5c3.4 0 5.4 3.6 4.1 6.8C19.5 16.4 12 21 12 21z"
            }
            BadgeIcon::Leaf => {
                "M20 4C9 4 4 9.5 4 16c0 1.4.3 2.7.8 4C7 13 11 9.5 16 8c-4 2.5-7 6.5-8.3 12.3C16.6 20 20 14 20 4z"
            }
            BadgeIcon::Clock => {
                "M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm1 5v5.4l3.8 2.3-1 1.7L11 13.6V7z"
            }
            BadgeIcon::Flame => {
                "M13 2s1 3.5-1.5 6.5S8 13 8 15.5A4.5 4.5 0 0 0 12.5 20 5.5 5.5 0 0 0 18 14.5C18 9 13 2 13 2zM12 22a7 7 0 0 1-7-7c0-3 1.5-5 3-6.5 0 2 1 3 1 3"
            }
            BadgeIcon::Flag => "M5 2h2v20H5zM8 3h11l-2.5 4L19 11H8z",
        }
    }
}

/// A typed badge rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BadgeRule {
    /// What is counted.
    pub metric: BadgeMetric,
    /// For [`BadgeMetric::VerifiedQuantity`]: the goal.
    pub goal_id: Option<i64>,
    /// Ascending thresholds; level `n` is reached at `levels[n - 1]`.
    pub levels: Vec<f64>,
    /// Count only the last this many days (None: all time).
    pub window_days: Option<i64>,
    /// The counted work must have been verified by at least this many people other
    /// than the member.
    pub min_verifiers: i64,
}

/// One verified contribution, as rules see it.
#[derive(Debug, Clone, PartialEq)]
pub struct VerifiedWork {
    /// The contribution's id (its ledger entry).
    pub id: i64,
    /// The day the work was done.
    pub done_on: NaiveDate,
    /// The day it was verified (UTC).
    pub verified_on: NaiveDate,
    /// Hours given, if any.
    pub hours: f64,
    /// Quantity towards its goal, if any.
    pub quantity: f64,
    /// Its goal.
    pub goal_id: Option<i64>,
    /// Who verified it.
    pub verifier: UserId,
    /// Whether it records attendance at an event.
    pub attended_event: bool,
}

/// A level a member has reached, with the work that took them there.
#[derive(Debug, Clone, PartialEq)]
pub struct Reached {
    /// 1-based level.
    pub level: i64,
    /// Its threshold.
    pub threshold: f64,
    /// The contributions counted when it was reached (for ledger metrics).
    pub evidence: Vec<i64>,
}

impl BadgeRule {
    /// Levels reached by a metric of `value` (for metrics outside the ledger).
    pub fn levels_at(&self, value: f64) -> Vec<Reached> {
        self.levels
            .iter()
            .enumerate()
            .take_while(|(_, threshold)| value >= **threshold)
            .map(|(i, threshold)| Reached {
                level: i as i64 + 1,
                threshold: *threshold,
                evidence: Vec::new(),
            })
            .collect()
    }

    /// The work this rule counts at the end of day `on`: verified by then, done inside
    /// the window ending that day, matching the metric.
    fn counted<'a>(
        &self,
        work: &'a [VerifiedWork],
        on: NaiveDate,
    ) -> impl Iterator<Item = &'a VerifiedWork> {
        let from = self.window_days.map(|days| on - Duration::days(days - 1));
        let rule = self.clone();
        work.iter().filter(move |w| {
            w.verified_on <= on
                && from.is_none_or(|from| w.done_on >= from)
                && match rule.metric {
                    BadgeMetric::VerifiedQuantity => {
                        rule.goal_id.is_some() && w.goal_id == rule.goal_id
                    }
                    BadgeMetric::EventsAttended => w.attended_event,
                    BadgeMetric::VerifiedHours => w.hours > 0.0,
                    _ => true,
                }
        })
    }

    /// The metric's value at the end of day `on`, and the work counted; zero when fewer
    /// than `min_verifiers` people other than `member` verified that work.
    pub fn ledger_value(
        &self,
        member: UserId,
        work: &[VerifiedWork],
        on: NaiveDate,
    ) -> (f64, Vec<i64>) {
        let counted: Vec<&VerifiedWork> = self.counted(work, on).collect();
        let verifiers: BTreeSet<UserId> =
            counted.iter().map(|w| w.verifier).filter(|v| *v != member).collect();
        if (verifiers.len() as i64) < self.min_verifiers {
            return (0.0, Vec::new());
        }
        let value = match self.metric {
            BadgeMetric::VerifiedHours => counted.iter().map(|w| w.hours).sum(),
            BadgeMetric::VerifiedQuantity => counted.iter().map(|w| w.quantity).sum(),
            BadgeMetric::VerifiedContributions | BadgeMetric::EventsAttended => {
                counted.len() as f64
            }
            BadgeMetric::WeeksInARow => longest_weekly_run(counted.iter().map(|w| w.done_on)),
            BadgeMetric::InitiativesLed | BadgeMetric::KudosGivers => 0.0,
        };
        (value, counted.iter().map(|w| w.id).collect())
    }

    /// Levels reached at the end of day `on` (what awarding at a verification checks).
    pub fn reached_on(&self, member: UserId, work: &[VerifiedWork], on: NaiveDate) -> Vec<Reached> {
        let (value, evidence) = self.ledger_value(member, work, on);
        let mut reached = self.levels_at(value);
        for level in &mut reached {
            level.evidence.clone_from(&evidence);
        }
        reached
    }

    /// Every level the ledger has ever supported: the highest reached at the end of any
    /// day on which some of the work was verified. This is the from-scratch answer that
    /// awarding at each verification must agree with.
    pub fn ever_reached(&self, member: UserId, work: &[VerifiedWork]) -> Vec<Reached> {
        let days: BTreeSet<NaiveDate> = work.iter().map(|w| w.verified_on).collect();
        let mut best: Vec<Reached> = Vec::new();
        for day in days {
            for reached in self.reached_on(member, work, day) {
                if !best.iter().any(|b| b.level == reached.level) {
                    best.push(reached);
                }
            }
        }
        best.sort_by_key(|r| r.level);
        best
    }
}

/// The longest run of consecutive ISO weeks among `days`.
pub fn longest_weekly_run(days: impl Iterator<Item = NaiveDate>) -> f64 {
    let weeks: BTreeSet<NaiveDate> =
        days.map(|d| d - Duration::days(i64::from(d.weekday().num_days_from_monday()))).collect();
    let (mut best, mut run, mut last): (i64, i64, Option<NaiveDate>) = (0, 0, None);
    for week in weeks {
        run = match last {
            Some(previous) if week - previous == Duration::days(7) => run + 1,
            _ => 1,
        };
        best = best.max(run);
        last = Some(week);
    }
    best as f64
}

/// Parses "10, 50, 100" into ascending positive levels.
pub fn parse_levels(text: &str) -> Result<Vec<f64>, String> {
    let mut levels = Vec::new();
    for part in text.split([',', '/', ' ']).map(str::trim).filter(|p| !p.is_empty()) {
        let level: f64 = part.parse().map_err(|_| format!("“{part}” is not a number."))?;
        if !level.is_finite() || level <= 0.0 {
            return Err("Each level must be a number above zero.".into());
        }
        if levels.last().is_some_and(|last| level <= *last) {
            return Err("List the levels from lowest to highest, e.g. 10, 50, 100.".into());
        }
        levels.push(level);
    }
    if levels.is_empty() {
        return Err("Give at least one level, e.g. 10, 50, 100.".into());
    }
    if levels.len() > LEVELS_MAX {
        return Err(format!("At most {LEVELS_MAX} levels."));
    }
    Ok(levels)
}

/// Writes levels back as the form shows them: "10, 50, 100".
pub fn format_levels(levels: &[f64]) -> String {
    levels.iter().map(|l| format_number(*l)).collect::<Vec<_>>().join(", ")
}

/// A number without a trailing ".0".
pub fn format_number(value: f64) -> String {
    if value.fract() == 0.0 { format!("{value:.0}") } else { format!("{value}") }
}

/// A badge as lists show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BadgeSummary {
    /// Its id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// What it celebrates.
    pub description: String,
    /// Icon.
    pub icon: BadgeIcon,
    /// What it takes, in words.
    pub criteria: String,
    /// The rule (None: awarded by hand).
    pub rule: Option<BadgeRule>,
    /// The rule's version.
    pub rule_version: i64,
    /// How many people hold it (any level, not revoked).
    pub holders: i64,
}

/// One award as pages show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AwardEntry {
    /// Its id.
    pub id: i64,
    /// The badge.
    pub badge_id: i64,
    /// The badge's name.
    pub badge_name: String,
    /// The badge's icon.
    pub icon: BadgeIcon,
    /// The holder's handle.
    pub handle: String,
    /// The holder's name.
    pub display_name: String,
    /// Level (1-based).
    pub level: i64,
    /// The threshold it was reached at (rule badges).
    pub threshold: Option<f64>,
    /// The rule version it was made under.
    pub rule_version: i64,
    /// Why it was given by hand, if it was.
    pub reason: String,
    /// When.
    pub awarded_at: chrono::DateTime<chrono::Utc>,
    /// When it was revoked, if it was.
    pub revoked_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Why it was revoked.
    pub revoke_reason: String,
}

impl AwardEntry {
    /// "Verified hours · 50 hours", or the badge's name for single-level badges.
    pub fn title(&self, unit: &str) -> String {
        match self.threshold {
            Some(t) if self.level > 1 || t > 1.0 => {
                format!("{} · {} {unit}", self.badge_name, format_number(t)).trim_end().to_owned()
            }
            _ => self.badge_name.clone(),
        }
    }
}

/// The badges page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BadgesPage {
    /// Every badge of the community.
    pub badges: Vec<BadgeSummary>,
    /// Whether the viewer may create, edit and award badges.
    pub can_manage: bool,
    /// Goals (for quantity rules): (id, title).
    pub goals: Vec<(i64, String)>,
}

/// One badge's page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BadgePage {
    /// The badge.
    pub badge: BadgeSummary,
    /// Its awards, newest first (revoked ones included, marked).
    pub awards: Vec<AwardEntry>,
    /// Whether the viewer may award and revoke it.
    pub can_manage: bool,
    /// The viewer's own awards of it, to export as Open Badges and share.
    pub mine: Vec<crate::domain::open_badges::OwnAward>,
    /// Goals (for the leaders' form): (id, title).
    pub goals: Vec<(i64, String)>,
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    pub(crate) fn work(
        id: i64,
        done: &str,
        verified: &str,
        hours: f64,
        verifier: i64,
    ) -> VerifiedWork {
        VerifiedWork {
            id,
            done_on: day(done),
            verified_on: day(verified),
            hours,
            quantity: 0.0,
            goal_id: None,
            verifier: UserId(verifier),
            attended_event: false,
        }
    }

    /// A verified-hours rule for tests.
    pub(crate) fn hours_rule(
        levels: &[f64],
        window_days: Option<i64>,
        min_verifiers: i64,
    ) -> BadgeRule {
        BadgeRule {
            metric: BadgeMetric::VerifiedHours,
            goal_id: None,
            levels: levels.to_vec(),
            window_days,
            min_verifiers,
        }
    }

    #[test]
    fn levels_are_reached_in_order() {
        let rule = hours_rule(&[10.0, 50.0, 100.0], None, 0);
        let ledger = [
            work(1, "2026-01-01", "2026-01-02", 30.0, 2),
            work(2, "2026-01-03", "2026-01-04", 25.0, 2),
        ];
        let reached = rule.reached_on(UserId(1), &ledger, day("2026-01-04"));
        assert_eq!(reached.iter().map(|r| r.level).collect::<Vec<_>>(), vec![1, 2]);
        assert_eq!(reached[1].evidence, vec![1, 2]);
        assert_eq!(rule.reached_on(UserId(1), &ledger, day("2026-01-02")).len(), 1);
    }

    #[test]
    fn a_window_counts_only_recent_work_but_earned_levels_stay_earned() {
        let rule = hours_rule(&[10.0], Some(7), 0);
        let ledger = [
            work(1, "2026-01-01", "2026-01-01", 6.0, 2),
            work(2, "2026-01-20", "2026-01-20", 6.0, 2),
        ];
        assert!(rule.ever_reached(UserId(1), &ledger).is_empty());
        let close = [
            work(1, "2026-01-01", "2026-01-01", 6.0, 2),
            work(2, "2026-01-05", "2026-01-05", 6.0, 2),
        ];
        assert_eq!(rule.ever_reached(UserId(1), &close).len(), 1);
    }

    #[test]
    fn self_verified_work_does_not_count_towards_distinct_verifiers() {
        let rule = hours_rule(&[1.0], None, 2);
        let ledger = [
            work(1, "2026-01-01", "2026-01-01", 5.0, 1),
            work(2, "2026-01-01", "2026-01-01", 5.0, 2),
        ];
        assert!(rule.ever_reached(UserId(1), &ledger).is_empty());
        let more =
            [ledger[0].clone(), ledger[1].clone(), work(3, "2026-01-01", "2026-01-02", 1.0, 3)];
        assert_eq!(rule.ever_reached(UserId(1), &more).len(), 1);
    }

    #[test]
    fn weeks_in_a_row_counts_consecutive_iso_weeks() {
        let days = ["2026-01-05", "2026-01-14", "2026-01-18", "2026-01-19", "2026-02-09"];
        assert_eq!(longest_weekly_run(days.iter().map(|d| day(d))), 3.0);
        assert_eq!(longest_weekly_run(std::iter::empty()), 0.0);
    }

    #[test]
    fn level_lists_must_ascend_and_be_positive() {
        assert_eq!(parse_levels("10, 50 / 100").unwrap(), vec![10.0, 50.0, 100.0]);
        assert!(parse_levels("50, 10").is_err());
        assert!(parse_levels("-1").is_err());
        assert!(parse_levels("").is_err());
        assert!(parse_levels("1,2,3,4,5,6").is_err());
    }
}
