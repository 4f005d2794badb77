//! The badge form: what a leader fills in, its checks, a rule in words, and the badges a
//! new community starts with.

use serde::{Deserialize, Serialize};

use crate::domain::badges::{
    BADGE_NAME_MAX_CHARS, BadgeIcon, BadgeMetric, BadgeRule, format_levels, parse_levels,
};

/// What a leader fills in to create or change a badge.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct BadgeForm {
    /// Name.
    pub name: String,
    /// What it celebrates.
    #[serde(default)]
    pub description: String,
    /// Icon.
    pub icon: String,
    /// "manual" or a metric.
    pub metric: String,
    /// Goal (quantity rules).
    #[serde(default)]
    pub goal_id: String,
    /// Levels, e.g. "10, 50, 100".
    #[serde(default)]
    pub levels: String,
    /// Window in days (empty: all time).
    #[serde(default)]
    pub window_days: String,
    /// Minimum distinct verifiers (empty: none).
    #[serde(default)]
    pub min_verifiers: String,
}

/// A checked badge form.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidBadge {
    /// Name.
    pub name: String,
    /// Description.
    pub description: String,
    /// Icon.
    pub icon: BadgeIcon,
    /// The rule, or None for a badge awarded by hand.
    pub rule: Option<BadgeRule>,
}

impl ValidBadge {
    /// What it takes, in words: "Reach 10, 50, 100 verified hours in the last 90 days".
    pub fn criteria(&self) -> String {
        criteria(self.rule.as_ref())
    }
}

/// What a rule asks, in words.
pub fn criteria(rule: Option<&BadgeRule>) -> String {
    let Some(rule) = rule else {
        return "Awarded by the community's leaders.".into();
    };
    let (one, many) = match rule.metric {
        BadgeMetric::VerifiedHours => ("verified hour", "verified hours"),
        BadgeMetric::VerifiedQuantity => {
            ("verified unit towards the goal", "verified units towards the goal")
        }
        BadgeMetric::VerifiedContributions => ("verified contribution", "verified contributions"),
        BadgeMetric::EventsAttended => {
            ("event attended (checked in)", "events attended (checked in)")
        }
        BadgeMetric::InitiativesLed => ("approved initiative led", "approved initiatives led"),
        BadgeMetric::KudosGivers => ("kudos", "kudos from different people"),
        BadgeMetric::WeeksInARow => {
            ("week with a verified contribution", "weeks in a row with a verified contribution")
        }
    };
    let mut text = if rule.levels == [1.0] {
        format!("Reach your first {one}")
    } else {
        format!("Reach {} {many}", format_levels(&rule.levels).replace(", ", " / "))
    };
    if let Some(days) = rule.window_days {
        text.push_str(&format!(" within the last {days} days"));
    }
    if rule.min_verifiers > 0 {
        text.push_str(&format!(
            ", verified by at least {} other {}",
            rule.min_verifiers,
            if rule.min_verifiers == 1 { "person" } else { "people" }
        ));
    }
    text.push('.');
    text
}

impl BadgeForm {
    /// Checks every field; errors name the form's fields.
    pub fn validate(&self) -> Result<ValidBadge, crate::error::AppError> {
        use crate::error::FieldErrors;
        let mut errors = FieldErrors::new();
        let name = self.name.trim().to_owned();
        if name.is_empty() {
            errors.add("name", "Give the badge a name.");
        } else if name.chars().count() > BADGE_NAME_MAX_CHARS {
            errors.add("name", format!("Keep it under {BADGE_NAME_MAX_CHARS} characters."));
        }
        let description = self.description.trim().to_owned();
        if description.chars().count() > 500 {
            errors.add("description", "Keep it under 500 characters.");
        }
        let icon = BadgeIcon::parse(self.icon.trim());
        if icon.is_none() {
            errors.add("icon", "Choose an icon.");
        }
        let rule = match self.metric.trim() {
            "manual" => None,
            "" => {
                errors.add("metric", "Choose what earns the badge, or “Awarded by hand”.");
                None
            }
            text => match BadgeMetric::parse(text) {
                None => {
                    errors.add("metric", "Choose what earns the badge.");
                    None
                }
                Some(metric) => self.rule(metric, &mut errors),
            },
        };
        errors.into_result()?;
        Ok(ValidBadge { name, description, icon: icon.unwrap_or(BadgeIcon::Star), rule })
    }

    fn rule(
        &self,
        metric: BadgeMetric,
        errors: &mut crate::error::FieldErrors,
    ) -> Option<BadgeRule> {
        let levels = parse_levels(&self.levels).map_err(|e| errors.add("levels", e)).ok();
        let window_days = match self.window_days.trim() {
            "" => None,
            text => match text.parse::<i64>() {
                Ok(days) if (1..=3650).contains(&days) => Some(days),
                _ => {
                    errors.add("window_days", "A number of days from 1 to 3650, or empty.");
                    None
                }
            },
        };
        let min_verifiers = match self.min_verifiers.trim() {
            "" => 0,
            text => match text.parse::<i64>() {
                Ok(n) if (0..=20).contains(&n) => n,
                _ => {
                    errors.add("min_verifiers", "A number from 0 to 20.");
                    0
                }
            },
        };
        let goal_id = self.goal_id.trim().parse::<i64>().ok();
        if metric == BadgeMetric::VerifiedQuantity && goal_id.is_none() {
            errors.add("goal_id", "Choose the goal whose quantity counts.");
        }
        let goal_id = if metric == BadgeMetric::VerifiedQuantity { goal_id } else { None };
        Some(BadgeRule { metric, goal_id, levels: levels?, window_days, min_verifiers })
    }
}

/// The badges every new community starts with: (name, description, icon, rule).
pub fn default_badges() -> Vec<ValidBadge> {
    let rule = |metric, levels: &[f64]| {
        Some(BadgeRule {
            metric,
            goal_id: None,
            levels: levels.to_vec(),
            window_days: None,
            min_verifiers: 0,
        })
    };
    vec![
        ValidBadge {
            name: "First contribution".into(),
            description: "Your first verified contribution.".into(),
            icon: BadgeIcon::Leaf,
            rule: rule(BadgeMetric::VerifiedContributions, &[1.0]),
        },
        ValidBadge {
            name: "Hours given".into(),
            description: "Time given to the mission, verified.".into(),
            icon: BadgeIcon::Clock,
            rule: rule(BadgeMetric::VerifiedHours, &[10.0, 50.0, 100.0]),
        },
        ValidBadge {
            name: "Initiative lead".into(),
            description: "Led an approved initiative.".into(),
            icon: BadgeIcon::Flag,
            rule: rule(BadgeMetric::InitiativesLed, &[1.0]),
        },
        ValidBadge {
            name: "Four weeks in a row".into(),
            description: "A verified contribution every week for four weeks.".into(),
            icon: BadgeIcon::Flame,
            rule: rule(BadgeMetric::WeeksInARow, &[4.0]),
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::badges::tests::hours_rule;

    #[test]
    fn a_form_without_a_metric_or_with_a_negative_level_is_refused() {
        let form = BadgeForm {
            name: "Helper".into(),
            icon: "star".into(),
            metric: String::new(),
            ..BadgeForm::default()
        };
        let error = form.validate().unwrap_err();
        assert!(error.field_errors().unwrap().get("metric").is_some());
        let negative = BadgeForm { metric: "verified_hours".into(), levels: "-5".into(), ..form };
        let error = negative.validate().unwrap_err();
        assert!(error.field_errors().unwrap().get("levels").is_some());
    }

    #[test]
    fn criteria_say_what_it_takes() {
        let rule = hours_rule(&[10.0, 50.0], Some(90), 2);
        assert_eq!(
            criteria(Some(&rule)),
            "Reach 10 / 50 verified hours within the last 90 days, verified by at least 2 other people."
        );
    }
}
