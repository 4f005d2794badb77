//! Upper bounds on what badge rules can count of a member's verified work, so that
//! awarding at a verification reads the whole work only when a level could be reached
//! (`services::badges::evaluate`).

use chrono::NaiveDate;

use crate::domain::badges::{BadgeMetric, BadgeRule, VerifiedWork, longest_weekly_run};

/// Upper bounds on what any ledger rule can count of one member's verified work: no
/// window, day or minimum of verifiers makes a rule's value larger than its bound.
/// Awarding at a verification reads the member's whole work only when a bound reaches a
/// level not yet held, so a member who holds every level they can reach costs one small
/// aggregate, however long their history.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WorkBounds {
    /// Verified contributions (also bounds events attended).
    pub contributions: f64,
    /// Their hours above zero, summed.
    pub hours: f64,
    /// For each goal, its quantities above zero, summed.
    pub quantity_by_goal: Vec<(i64, f64)>,
    /// The longest run of consecutive weeks among the days any of the work was done.
    pub weeks_in_a_row: f64,
}

impl WorkBounds {
    /// The bounds of `work`, from its groups of (goal, day done): count, hours above zero
    /// and quantity above zero of each group (what the database's aggregate returns).
    pub fn from_groups(groups: &[(Option<i64>, NaiveDate, f64, f64, f64)]) -> WorkBounds {
        let mut bounds = WorkBounds::default();
        for (goal, _, count, hours, quantity) in groups {
            bounds.contributions += count;
            bounds.hours += hours;
            if let Some(goal) = goal {
                match bounds.quantity_by_goal.iter_mut().find(|(id, _)| id == goal) {
                    Some((_, sum)) => *sum += quantity,
                    None => bounds.quantity_by_goal.push((*goal, *quantity)),
                }
            }
        }
        bounds.weeks_in_a_row = longest_weekly_run(groups.iter().map(|(_, day, ..)| *day));
        bounds
    }

    /// The bounds of `work` itself (what [`WorkBounds::from_groups`] gives for its groups).
    pub fn of(work: &[VerifiedWork]) -> WorkBounds {
        let groups: Vec<_> = work
            .iter()
            .map(|w| (w.goal_id, w.done_on, 1.0, w.hours.max(0.0), w.quantity.max(0.0)))
            .collect();
        WorkBounds::from_groups(&groups)
    }
}

impl BadgeRule {
    /// The most this rule could count of work with `bounds` (unbounded for metrics
    /// outside the ledger).
    pub fn ledger_bound(&self, bounds: &WorkBounds) -> f64 {
        match self.metric {
            BadgeMetric::VerifiedHours => bounds.hours,
            BadgeMetric::VerifiedQuantity => self
                .goal_id
                .and_then(|goal| bounds.quantity_by_goal.iter().find(|(id, _)| *id == goal))
                .map_or(0.0, |(_, sum)| *sum),
            BadgeMetric::VerifiedContributions | BadgeMetric::EventsAttended => {
                bounds.contributions
            }
            BadgeMetric::WeeksInARow => bounds.weeks_in_a_row,
            BadgeMetric::InitiativesLed | BadgeMetric::KudosGivers => f64::INFINITY,
        }
    }

    /// Whether a value up to `bound` could reach a level missing from `held`. Sums
    /// added up in another order can differ in the last bit, so the bound gets a hair of
    /// slack: a false "could" only costs a read, a false "could not" would lose an award.
    pub fn could_reach_unheld(&self, held: &[i64], bound: f64) -> bool {
        let bound = bound + bound.abs() * 1e-9 + 1e-9;
        self.levels
            .iter()
            .enumerate()
            .any(|(index, threshold)| !held.contains(&(index as i64 + 1)) && bound >= *threshold)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::badges::tests::{day, hours_rule, work};
    use crate::domain::ids::UserId;
    use chrono::Duration;

    proptest::proptest! {
        /// No rule, window, day or minimum of verifiers counts more than the bounds of
        /// the work, so skipping the full read when no bound reaches an unheld level
        /// never loses an award.
        #[test]
        fn no_rule_counts_more_than_the_bounds_of_the_work(
            entries in proptest::collection::vec(
                (0i64..60, 0i64..10, -2.0f64..9.0, -3.0f64..9.0, proptest::option::of(1i64..3), 1i64..4),
                0..25,
            ),
            metric in 0usize..5,
            window in proptest::option::of(1i64..40),
            min_verifiers in 0i64..3,
            goal in 1i64..3,
            on in 0i64..80,
        ) {
            let start = day("2026-01-01");
            let work: Vec<VerifiedWork> = entries
                .iter()
                .enumerate()
                .map(|(id, (done, wait, hours, quantity, goal_id, verifier))| VerifiedWork {
                    id: id as i64,
                    done_on: start + Duration::days(*done),
                    verified_on: start + Duration::days(done + wait),
                    hours: *hours,
                    quantity: *quantity,
                    goal_id: *goal_id,
                    verifier: UserId(*verifier),
                    attended_event: id % 2 == 0,
                })
                .collect();
            let metric = [
                BadgeMetric::VerifiedHours,
                BadgeMetric::VerifiedQuantity,
                BadgeMetric::VerifiedContributions,
                BadgeMetric::EventsAttended,
                BadgeMetric::WeeksInARow,
            ][metric];
            let rule = BadgeRule {
                metric,
                goal_id: Some(goal),
                levels: vec![1.0],
                window_days: window,
                min_verifiers,
            };
            let (value, _) = rule.ledger_value(UserId(1), &work, start + Duration::days(on));
            let bound = rule.ledger_bound(&WorkBounds::of(&work));
            proptest::prop_assert!(value <= bound, "{metric:?}: {value} > {bound}");
            if value > 0.0 {
                // A level exactly at the value is reached, so the bound must say "could".
                let exact = BadgeRule { levels: vec![value], ..rule };
                proptest::prop_assert!(exact.could_reach_unheld(&[], bound));
            }
        }
    }

    #[test]
    fn a_bound_below_every_unheld_level_says_no() {
        let rule = hours_rule(&[10.0, 50.0, 100.0], None, 0);
        assert!(!rule.could_reach_unheld(&[1], 49.0));
        assert!(rule.could_reach_unheld(&[1], 50.0));
        assert!(!rule.could_reach_unheld(&[1, 2, 3], 500.0));
        assert!(rule.could_reach_unheld(&[2, 3], 10.0));
        let ledger = [
            work(1, "2026-01-05", "2026-01-05", 4.0, 2),
            work(2, "2026-01-12", "2026-01-12", -1.0, 2),
            work(3, "2026-01-26", "2026-01-26", 3.0, 2),
        ];
        let bounds = WorkBounds::of(&ledger);
        assert_eq!((bounds.contributions, bounds.hours, bounds.weeks_in_a_row), (3.0, 7.0, 2.0));
    }
}
