//! Challenges: time-boxed drives ("500 parcels in December") measured only on verified
//! contributions whose date falls in the window. The scoring rules here are pure; the
//! server reads the ledger's daily totals and freezes the result at the end.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::ids::UserId;

/// The longest window a challenge may have, in days.
pub const WINDOW_DAYS_MAX: i64 = 366;
/// Most teams in one challenge.
pub const TEAMS_MAX: usize = 20;

pub use crate::domain::challenge_form::{ChallengeForm, ValidChallenge};

macro_rules! labelled_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $text:literal : $label:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
        pub enum $name { $($(#[$vdoc])* $variant),+ }

        impl $name {
            /// Every value, in the order forms list them.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// Stored and form value.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// What a form shows for it.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            /// Parses the stored or form value.
            pub fn parse(text: &str) -> Option<$name> {
                match text { $($text => Some($name::$variant),)+ _ => None }
            }

            /// `(value, label)` pairs for a drop-down.
            pub fn options() -> Vec<(&'static str, &'static str)> {
                Self::ALL.iter().map(|v| (v.as_str(), v.label())).collect()
            }
        }

        impl TryFrom<String> for $name {
            type Error = String;

            fn try_from(text: String) -> Result<Self, String> {
                $name::parse(&text).ok_or_else(|| format!("unknown {} {text}", stringify!($name)))
            }
        }
    };
}
pub(crate) use labelled_enum;

labelled_enum!(
    /// Who the target belongs to.
    ChallengeMode {
        /// One shared target for the whole community.
        Collective = "collective": "Together: one shared target",
        /// Members join teams; teams are ranked on a board.
        Teams = "teams": "Teams: members join a team",
        /// Each member aims at the target on their own.
        Individual = "individual": "Individual: everyone aims at the target",
    }
);

labelled_enum!(
    /// How a team's score is formed from its members'.
    TeamScore {
        /// The team's total.
        Sum = "sum": "Total of the team",
        /// The team's total divided by its members (fair to small teams).
        Average = "average": "Average per member",
    }
);

labelled_enum!(
    /// What is summed from each verified contribution.
    Measure {
        /// Its hours.
        Hours = "hours": "Verified hours",
        /// Its quantity in the chosen goal's unit.
        Quantity = "quantity": "The goal's unit (e.g. parcels)",
        /// One per contribution.
        Contributions = "contributions": "Verified contributions",
    }
);

/// One member's verified contributions on one day that count for a challenge.
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
#[derive(Debug, Clone, PartialEq)]
pub struct DailyTotal {
    /// Whose.
    pub user_id: UserId,
    /// The day the work was done.
    #[cfg_attr(feature = "ssr", sqlx(try_from = "crate::db::Day"))]
    pub done_on: NaiveDate,
    /// Verified hours that day.
    pub hours: f64,
    /// Verified quantity that day.
    pub quantity: f64,
    /// Verified contributions that day.
    pub contributions: i64,
}

/// Each member's score: the measure summed day by day, each day capped at `daily_cap`.
pub fn member_scores(
    days: &[DailyTotal],
    measure: Measure,
    daily_cap: Option<f64>,
) -> BTreeMap<UserId, f64> {
    let mut scores = BTreeMap::new();
    for day in days {
        let value = match measure {
            Measure::Hours => day.hours,
            Measure::Quantity => day.quantity,
            #[allow(clippy::cast_precision_loss)]
            Measure::Contributions => day.contributions as f64,
        };
        let value = daily_cap.map_or(value, |cap| value.min(cap));
        *scores.entry(day.user_id).or_insert(0.0) += value;
    }
    scores
}

/// A team on the board.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TeamResult {
    /// The team's id.
    pub id: i64,
    /// Its name.
    pub name: String,
    /// Its members.
    pub members: i64,
    /// Its score: the members' total, or their average.
    pub score: f64,
}

/// Someone on the individual board (who opted in).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BoardEntry {
    /// Handle.
    pub handle: String,
    /// Display name.
    pub display_name: String,
    /// Score.
    pub score: f64,
}

/// Someone taking part, as the scoring needs them.
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
#[derive(Debug, Clone, PartialEq)]
pub struct Participant {
    /// Who.
    pub user_id: UserId,
    /// Handle.
    pub handle: String,
    /// Display name.
    pub display_name: String,
    /// Their team (teams mode).
    pub team_id: Option<i64>,
    /// Whether they appear on the individual board.
    pub on_board: bool,
}

/// A challenge's standings at one moment: what the page shows and what is frozen at the end.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Standings {
    /// What counts towards the target: everyone's total (collective, individual) or the
    /// team members' total (teams).
    pub total: f64,
    /// Teams, best first (teams mode).
    pub teams: Vec<TeamResult>,
    /// Members who opted in to the board, best first (individual mode).
    pub board: Vec<BoardEntry>,
    /// Members who reached the target on their own (individual mode).
    pub reached: i64,
    /// Every member's score, by user id (for "my part").
    pub scores: Vec<(UserId, f64)>,
}

/// Forms the standings from member scores. In teams mode only team members count.
pub fn standings(
    mode: ChallengeMode,
    team_score: TeamScore,
    target: f64,
    scores: &BTreeMap<UserId, f64>,
    teams: &[(i64, String)],
    participants: &[Participant],
) -> Standings {
    let score_of = |user: UserId| scores.get(&user).copied().unwrap_or(0.0);
    let mut result = Standings {
        scores: scores.iter().map(|(user, score)| (*user, round(*score))).collect(),
        ..Standings::default()
    };
    match mode {
        ChallengeMode::Collective | ChallengeMode::Individual => {
            result.total = scores.values().sum();
        }
        ChallengeMode::Teams => {
            for (id, name) in teams {
                let members: Vec<_> =
                    participants.iter().filter(|p| p.team_id == Some(*id)).collect();
                let sum: f64 = members.iter().map(|p| score_of(p.user_id)).sum();
                #[allow(clippy::cast_precision_loss)]
                let score = match team_score {
                    TeamScore::Sum => sum,
                    TeamScore::Average if members.is_empty() => 0.0,
                    TeamScore::Average => sum / members.len() as f64,
                };
                result.total += sum;
                result.teams.push(TeamResult {
                    id: *id,
                    name: name.clone(),
                    members: i64::try_from(members.len()).unwrap_or(i64::MAX),
                    score: round(score),
                });
            }
            result.teams.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.id.cmp(&b.id)));
        }
    }
    if mode == ChallengeMode::Individual {
        result.reached =
            i64::try_from(scores.values().filter(|s| **s >= target).count()).unwrap_or(0);
        result.board = participants
            .iter()
            .filter(|p| p.on_board)
            .map(|p| BoardEntry {
                handle: p.handle.clone(),
                display_name: p.display_name.clone(),
                score: round(score_of(p.user_id)),
            })
            .collect();
        result.board.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.handle.cmp(&b.handle)));
    }
    result.total = round(result.total);
    result
}

/// Rounds to two decimals, so sums of hours read cleanly and hash the same everywhere
/// (an empty sum's `-0.0` becomes `0`).
fn round(value: f64) -> f64 {
    (value * 100.0).round() / 100.0 + 0.0
}

/// Where a challenge is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Phase {
    /// Before its first day.
    Upcoming,
    /// Between its first and last day.
    Running,
    /// After the last day, while late verifications still count.
    Grace,
    /// Over: the result is (or is about to be) frozen.
    Ended,
}

/// A challenge in a list, on the home and impact pages.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChallengeSummary {
    /// Its id.
    pub id: i64,
    /// Title.
    pub title: String,
    /// Mode.
    pub mode: ChallengeMode,
    /// Unit of the target ("hours", "parcels", "contributions").
    pub unit: String,
    /// Target.
    pub target: f64,
    /// Progress so far (for individual mode: everyone's combined total).
    pub total: f64,
    /// First day.
    pub starts_on: NaiveDate,
    /// Last day.
    pub ends_on: NaiveDate,
    /// Where it is in its life.
    pub phase: Phase,
    /// Days left including today (running), else 0.
    pub days_left: i64,
}

impl ChallengeSummary {
    /// Progress towards the target, 0–100 (capped), for bars. Individual challenges
    /// measure each member on their own, so they have no shared percentage.
    pub fn percent(&self) -> Option<f64> {
        (self.mode != ChallengeMode::Individual)
            .then(|| (self.total / self.target * 100.0).clamp(0.0, 100.0))
    }
}

/// The viewer's part in a challenge.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MyPart {
    /// Whether they joined (took part, or joined a team).
    pub joined: bool,
    /// Their team's name (teams mode).
    pub team: Option<String>,
    /// Whether they show on the individual board.
    pub on_board: bool,
    /// Their score.
    pub score: f64,
}

/// A frozen result's seal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Frozen {
    /// When it was frozen.
    pub at: String,
    /// SHA-256 (hex) of the stored result.
    pub hash: String,
}

/// Everything a challenge's page shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChallengePage {
    /// The headline figures.
    pub summary: ChallengeSummary,
    /// Sanitised description.
    pub description_html: String,
    /// What counts, in words ("verified hours for Riverbank clean-ups, …").
    pub counts: String,
    /// Grace days for late verification.
    pub grace_days: i64,
    /// Daily cap per member.
    pub daily_cap: Option<f64>,
    /// Team scoring (teams mode).
    pub team_score: TeamScore,
    /// Teams that may be joined: (id, name).
    pub team_choices: Vec<(i64, String)>,
    /// The standings (frozen ones once it ended).
    pub standings: Standings,
    /// The viewer's part (members only).
    pub mine: Option<MyPart>,
    /// Whether the viewer may join now.
    pub can_join: bool,
    /// The seal, once frozen.
    pub frozen: Option<Frozen>,
}

/// A community's challenges page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChallengesPage {
    /// Running and in grace, then upcoming.
    pub current: Vec<ChallengeSummary>,
    /// Ended, newest first.
    pub ended: Vec<ChallengeSummary>,
    /// Whether the viewer may create one.
    pub can_create: bool,
    /// Approved initiatives to choose from: (id, title).
    pub initiatives: Vec<(i64, String)>,
    /// Goals to choose from: (id, title and unit).
    pub goals: Vec<(i64, String)>,
    /// The community's date today, for the form's defaults.
    pub today: NaiveDate,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(user: i64, d: u32, hours: f64) -> DailyTotal {
        DailyTotal {
            user_id: UserId(user),
            done_on: NaiveDate::from_ymd_opt(2027, 12, d).unwrap_or_default(),
            hours,
            quantity: hours * 10.0,
            contributions: 1,
        }
    }

    fn member(user: i64, team: Option<i64>, on_board: bool) -> Participant {
        Participant {
            user_id: UserId(user),
            handle: format!("m{user}"),
            display_name: format!("M{user}"),
            team_id: team,
            on_board,
        }
    }

    #[test]
    fn the_daily_cap_applies_per_member_per_day() {
        let days = [day(1, 1, 5.0), day(1, 2, 1.0), day(2, 1, 3.0)];
        let scores = member_scores(&days, Measure::Hours, Some(2.0));
        assert_eq!(scores.get(&UserId(1)), Some(&3.0));
        assert_eq!(scores.get(&UserId(2)), Some(&2.0));
        let counted = member_scores(&days, Measure::Contributions, None);
        assert_eq!(counted.get(&UserId(1)), Some(&2.0));
    }

    #[test]
    fn teams_count_only_their_members_by_sum_or_average() {
        let scores = member_scores(
            &[day(1, 1, 4.0), day(2, 1, 2.0), day(3, 1, 9.0), day(4, 1, 1.0)],
            Measure::Hours,
            None,
        );
        let teams = [(10, "Otters".to_owned()), (20, "Herons".to_owned())];
        let people =
            [member(1, Some(10), false), member(2, Some(10), false), member(4, Some(20), false)];
        let summed =
            standings(ChallengeMode::Teams, TeamScore::Sum, 100.0, &scores, &teams, &people);
        assert_eq!(summed.total, 7.0, "member 3 is on no team");
        assert_eq!((summed.teams[0].name.as_str(), summed.teams[0].score), ("Otters", 6.0));
        let averaged =
            standings(ChallengeMode::Teams, TeamScore::Average, 100.0, &scores, &teams, &people);
        assert_eq!(averaged.teams[0].score, 3.0);
        assert_eq!(averaged.teams[1].score, 1.0);
    }

    #[test]
    fn the_individual_board_shows_only_those_who_opted_in() {
        let scores = member_scores(&[day(1, 1, 4.0), day(2, 1, 12.0)], Measure::Hours, None);
        let people = [member(1, None, true), member(2, None, false)];
        let result =
            standings(ChallengeMode::Individual, TeamScore::Sum, 10.0, &scores, &[], &people);
        assert_eq!(result.board.len(), 1);
        assert_eq!(result.board[0].handle, "m1");
        assert_eq!(result.reached, 1);
        assert_eq!(result.total, 16.0);
    }
}
