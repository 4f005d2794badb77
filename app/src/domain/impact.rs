//! Impact: goals that form a weighted tree, initiatives, opportunities, and the
//! contributions that move the goals. Progress is computed here, purely.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

pub use super::impact_form::{
    ContributionFacts, ContributionForm, GoalFacts, GoalForm, HOURS_MAX, QUANTITY_MAX,
};

/// A goal as pages show it, with its progress.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Goal {
    /// Its id.
    pub id: i64,
    /// What a steward set: title, what is counted, target, deadline, parent and weight
    /// (flattened: the goal's JSON keeps one flat object).
    #[serde(flatten)]
    pub facts: GoalFacts,
    /// Verified quantity logged directly against it.
    pub current: f64,
    /// Progress from 0 to 1 (leaves: current / target, capped at 1; parents: the weighted roll-up).
    pub progress: f64,
    /// Whether other goals roll up into it.
    pub has_children: bool,
}

/// The numbers a roll-up needs about one goal.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GoalNode {
    /// Its id.
    pub id: i64,
    /// Its parent.
    pub parent_id: Option<i64>,
    /// Its weight among siblings (> 0).
    pub weight: f64,
    /// Its target (> 0).
    pub target: f64,
    /// Verified quantity logged against it.
    pub current: f64,
}

/// Progress (0..=1) of every goal: a leaf is `min(current / target, 1)`; a goal
/// with children is the weighted mean of its children's progress, weights
/// normalised among siblings. A goal caught in a cycle (never created, but
/// defended against) counts as 0.
pub fn roll_up(nodes: &[GoalNode]) -> HashMap<i64, f64> {
    let mut children: HashMap<i64, Vec<&GoalNode>> = HashMap::new();
    for node in nodes {
        if let Some(parent) = node.parent_id {
            children.entry(parent).or_default().push(node);
        }
    }
    fn progress_of(
        node: &GoalNode,
        children: &HashMap<i64, Vec<&GoalNode>>,
        memo: &mut HashMap<i64, f64>,
        visiting: &mut Vec<i64>,
    ) -> f64 {
        if let Some(done) = memo.get(&node.id) {
            return *done;
        }
        if visiting.contains(&node.id) {
            return 0.0;
        }
        visiting.push(node.id);
        let value = match children.get(&node.id) {
            Some(kids) if !kids.is_empty() => {
                let total_weight: f64 = kids.iter().map(|k| k.weight).sum();
                let sum: f64 =
                    kids.iter().map(|k| k.weight * progress_of(k, children, memo, visiting)).sum();
                if total_weight > 0.0 { sum / total_weight } else { 0.0 }
            }
            _ => (node.current / node.target).clamp(0.0, 1.0),
        };
        visiting.pop();
        memo.insert(node.id, value);
        value
    }
    let mut memo = HashMap::new();
    for node in nodes {
        let mut visiting = Vec::new();
        progress_of(node, &children, &mut memo, &mut visiting);
    }
    memo
}

/// Whether making `parent` the parent of `goal` would put `goal` among its own ancestors.
pub fn would_cycle(parents: &HashMap<i64, Option<i64>>, goal: i64, parent: i64) -> bool {
    let mut cursor = Some(parent);
    let mut steps = 0;
    while let Some(id) = cursor {
        if id == goal {
            return true;
        }
        steps += 1;
        if steps > parents.len() + 1 {
            return true;
        }
        cursor = parents.get(&id).copied().flatten();
    }
    false
}

/// Where a contribution stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ContributionStatus {
    /// Logged; waiting to be verified.
    Reported,
    /// Verified: counts towards goals.
    Verified,
    /// Declined by a verifier, with a reason.
    Declined,
    /// Withdrawn by its author before verification.
    Withdrawn,
}

impl TryFrom<String> for ContributionStatus {
    type Error = String;

    /// The stored form, as rows are read.
    fn try_from(text: String) -> Result<Self, String> {
        ContributionStatus::parse(&text)
            .ok_or_else(|| format!("unknown contribution status {text}"))
    }
}

impl ContributionStatus {
    /// Stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            ContributionStatus::Reported => "reported",
            ContributionStatus::Verified => "verified",
            ContributionStatus::Declined => "declined",
            ContributionStatus::Withdrawn => "withdrawn",
        }
    }

    /// Parses the stored form.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "reported" => Some(ContributionStatus::Reported),
            "verified" => Some(ContributionStatus::Verified),
            "declined" => Some(ContributionStatus::Declined),
            "withdrawn" => Some(ContributionStatus::Withdrawn),
            _ => None,
        }
    }
}

/// A contribution as lists show it.
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContributionEntry {
    /// Its id.
    pub id: i64,
    /// The community's slug.
    pub community_slug: String,
    /// The community's name.
    pub community_name: String,
    /// Who did it.
    pub author: String,
    /// What was done.
    pub description: String,
    /// When.
    #[cfg_attr(feature = "ssr", sqlx(try_from = "crate::db::Day"))]
    pub done_on: NaiveDate,
    /// Quantity, in `unit`.
    pub quantity: Option<f64>,
    /// The goal's unit.
    pub unit: Option<String>,
    /// Hours.
    pub hours: Option<f64>,
    /// The goal's title.
    pub goal: Option<String>,
    /// The initiative's title.
    pub initiative: Option<String>,
    /// Evidence link.
    pub evidence_url: String,
    /// Note.
    pub note: String,
    /// Current status.
    #[cfg_attr(feature = "ssr", sqlx(try_from = "String"))]
    pub status: ContributionStatus,
    /// How many different people thanked its author citing it.
    #[cfg_attr(feature = "ssr", sqlx(default))]
    #[serde(default)]
    pub thanked_by: i64,
}

/// An initiative as lists show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InitiativeSummary {
    /// Its id.
    pub id: i64,
    /// Title.
    pub title: String,
    /// `proposed`, `approved` or `declined`.
    pub status: String,
    /// Its owner's handle.
    pub owner: String,
    /// Open places across its opportunities.
    pub open_places: i64,
}

/// An opportunity to help.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Opportunity {
    /// Its id.
    pub id: i64,
    /// Title.
    pub title: String,
    /// What it involves.
    pub description: String,
    /// How many people it needs.
    pub capacity: i64,
    /// Who is on it (handles).
    pub people: Vec<String>,
    /// Whether the viewer is on it.
    pub joined: bool,
}

/// An initiative's page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InitiativeDetail {
    /// Its id.
    pub id: i64,
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// Status.
    pub status: String,
    /// Owner's handle.
    pub owner: String,
    /// The goals it serves.
    pub goals: Vec<(i64, String)>,
    /// Skills its work needs; verified contributions to it prove them (for mentoring).
    #[serde(default)]
    pub skills: Vec<String>,
    /// Its opportunities.
    pub opportunities: Vec<Opportunity>,
    /// The viewer may add opportunities and verify its contributions.
    pub can_manage: bool,
    /// The viewer may approve or decline it.
    pub can_decide: bool,
    /// The viewer is an active member (may sign up and log contributions).
    pub is_member: bool,
    /// Verified hours logged against it.
    pub verified_hours: f64,
    /// Library resources tied to it: (id, title).
    #[serde(default)]
    pub resources: Vec<(i64, String)>,
}

/// One point of a progress chart: a date and the cumulative verified quantity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProgressPoint {
    /// The day.
    pub date: NaiveDate,
    /// Cumulative verified quantity by the end of that day.
    pub total: f64,
}

/// A goal's page: the goal and its progress over time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GoalDetail {
    /// The goal.
    pub goal: Goal,
    /// Cumulative verified quantity by date.
    pub history: Vec<ProgressPoint>,
    /// Its child goals.
    pub children: Vec<Goal>,
    /// Library resources tied to it: (id, title).
    #[serde(default)]
    pub resources: Vec<(i64, String)>,
}

/// The impact page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImpactReport {
    /// The community's mission, which the figures are measured against.
    pub mission: String,
    /// Goals with progress, parents before children.
    pub goals: Vec<Goal>,
    /// Verified contributions.
    pub verified_contributions: i64,
    /// Verified hours.
    pub verified_hours: f64,
    /// People with a verified contribution done in the last 30 days.
    pub active_contributors_30d: i64,
    /// Verified contributions per week, oldest first: (week start, count).
    pub weekly: Vec<(NaiveDate, i64)>,
    /// Initiatives by verified hours: (id, title, hours, contributions).
    pub top_initiatives: Vec<InitiativeImpact>,
    /// Share (0..=1) of verified contributions made by the top 10% of contributors.
    pub top_decile_share: Option<f64>,
    /// Members who joined at least 90 days ago.
    pub joined_90_days_ago: i64,
    /// Of those, how many have a verified contribution since joining.
    pub joined_90_days_ago_contributed: i64,
    /// What the community's events did.
    pub events: EventImpact,
    /// Challenges running now (or counting late verifications), with their progress.
    pub challenges: Vec<crate::domain::challenges::ChallengeSummary>,
    /// When this was computed.
    pub as_of: DateTime<Utc>,
}

/// What a community's events did: gatherings held, check-ins, how many who said they would
/// come did, and the verified hours of attendance.
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct EventImpact {
    /// Occurrences that have ended and were not cancelled.
    pub held: i64,
    /// Check-ins so far (at any occurrence).
    pub checked_in: i64,
    /// People who had answered "going" to them.
    pub said_going: i64,
    /// Of those, how many checked in.
    pub came_as_said: i64,
    /// Verified hours of attendance.
    pub hours: f64,
}

impl EventImpact {
    /// The share of people who said they were going who checked in, when anyone said so.
    pub fn attendance_rate(&self) -> Option<f64> {
        (self.said_going > 0).then(|| self.came_as_said as f64 / self.said_going as f64)
    }
}

/// An initiative's verified work, for the impact page.
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InitiativeImpact {
    /// The initiative's id.
    pub id: i64,
    /// Its title.
    pub title: String,
    /// Verified hours given to it.
    pub hours: f64,
    /// Verified contributions to it.
    pub contributions: i64,
}

/// The share of all contributions made by the top 10% of contributors (at least one person).
pub fn top_decile_share(mut counts: Vec<i64>) -> Option<f64> {
    let total: i64 = counts.iter().sum();
    if total == 0 {
        return None;
    }
    counts.sort_unstable_by(|a, b| b.cmp(a));
    let top = counts.len().div_ceil(10).max(1);
    let top_sum: i64 = counts.iter().take(top).sum();
    Some(top_sum as f64 / total as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(id: i64, parent: Option<i64>, weight: f64, target: f64, current: f64) -> GoalNode {
        GoalNode { id, parent_id: parent, weight, target, current }
    }

    #[test]
    fn the_river_example_rolls_up_by_weight() {
        // "Restore the river" <- "10,000 trees" (60%) + "500 hours" (40%).
        let nodes = [
            node(1, None, 1.0, 1.0, 0.0),
            node(2, Some(1), 60.0, 10_000.0, 5_000.0),
            node(3, Some(1), 40.0, 500.0, 500.0),
        ];
        let p = roll_up(&nodes);
        assert!((p[&2] - 0.5).abs() < 1e-9);
        assert!((p[&3] - 1.0).abs() < 1e-9);
        assert!((p[&1] - (0.6 * 0.5 + 0.4 * 1.0)).abs() < 1e-9);
    }

    #[test]
    fn weights_are_normalised_and_overshoot_is_capped() {
        let nodes = [
            node(1, None, 1.0, 1.0, 0.0),
            node(2, Some(1), 3.0, 10.0, 30.0),
            node(3, Some(1), 1.0, 10.0, 0.0),
        ];
        let p = roll_up(&nodes);
        assert!((p[&2] - 1.0).abs() < 1e-9, "a leaf counts at most 100%");
        assert!((p[&1] - 0.75).abs() < 1e-9);
    }

    #[test]
    fn cycles_are_detected() {
        let parents: HashMap<i64, Option<i64>> =
            [(1, None), (2, Some(1)), (3, Some(2))].into_iter().collect();
        assert!(would_cycle(&parents, 1, 3), "1 under its own grandchild");
        assert!(would_cycle(&parents, 2, 2), "itself");
        assert!(!would_cycle(&parents, 3, 1));
        let looped: HashMap<i64, Option<i64>> = [(1, Some(2)), (2, Some(1))].into_iter().collect();
        assert!(
            roll_up(&[node(1, Some(2), 1.0, 1.0, 1.0), node(2, Some(1), 1.0, 1.0, 1.0)])
                .values()
                .all(|v| v.is_finite())
        );
        assert!(
            would_cycle(&looped, 5, 1),
            "a corrupt loop is refused rather than followed forever"
        );
    }

    #[test]
    fn top_decile() {
        assert_eq!(top_decile_share(vec![]), None);
        assert_eq!(top_decile_share(vec![5]), Some(1.0));
        let share = top_decile_share(vec![10, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]).unwrap();
        // 11 people: the top 2 (ceil of 1.1) did 11 of 20.
        assert!((share - 11.0 / 20.0).abs() < 1e-9);
    }
}
