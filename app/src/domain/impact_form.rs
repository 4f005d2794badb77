//! The goal and contribution forms: what a steward or member types, checked field by field.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::fields::{number, optional_date, optional_id, optional_number, text};
use crate::error::{AppError, FieldErrors};

/// The form for a new goal.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct GoalForm {
    /// Title.
    pub title: String,
    /// What is counted.
    pub metric: String,
    /// Unit.
    pub unit: String,
    /// Target (a positive number).
    pub target: String,
    /// `YYYY-MM-DD` or empty.
    pub deadline: String,
    /// Parent goal id or empty.
    pub parent_id: String,
    /// Weight among siblings (default 1).
    pub weight: String,
}

/// What a steward sets about a goal: a checked [`GoalForm`], and the part of a [`Goal`]
/// (`crate::domain::impact::Goal`) that is not progress.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct GoalFacts {
    /// What it is, e.g. "10,000 trees planted".
    pub title: String,
    /// What is counted, e.g. "trees planted".
    pub metric: String,
    /// The unit quantities are in, e.g. "trees".
    pub unit: String,
    /// How much is wanted.
    pub target: f64,
    /// When by, if anything.
    #[cfg_attr(feature = "ssr", sqlx(try_from = "crate::db::MaybeDay"))]
    pub deadline: Option<NaiveDate>,
    /// The goal this one serves, if any.
    pub parent_id: Option<i64>,
    /// Its weight among its siblings (normalised when rolled up).
    pub weight: f64,
}

impl GoalForm {
    /// Checks every field at once.
    pub fn validate(self) -> Result<GoalFacts, AppError> {
        let mut errors = FieldErrors::new();
        let title = text(&mut errors, "title", &self.title, 3, 120);
        let metric = text(&mut errors, "metric", &self.metric, 1, 60);
        let unit = text(&mut errors, "unit", &self.unit, 1, 30);
        let target = number(&mut errors, "target", &self.target, 1e9);
        let deadline = optional_date(&mut errors, "deadline", &self.deadline);
        let parent_id = optional_id(&mut errors, "parent_id", &self.parent_id);
        let weight = if self.weight.trim().is_empty() {
            Some(1.0)
        } else {
            number(&mut errors, "weight", &self.weight, 1000.0)
        };
        errors.into_result()?;
        Ok(GoalFacts {
            title,
            metric,
            unit,
            target: target.unwrap_or(1.0),
            deadline,
            parent_id,
            weight: weight.unwrap_or(1.0),
        })
    }
}

/// The form for logging a contribution.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ContributionForm {
    /// What was done.
    pub description: String,
    /// `YYYY-MM-DD`.
    pub done_on: String,
    /// Quantity in the goal's unit (needs a goal).
    pub quantity: String,
    /// Hours given.
    pub hours: String,
    /// Goal id or empty.
    pub goal_id: String,
    /// Initiative id or empty.
    pub initiative_id: String,
    /// An http(s) link to evidence, or empty.
    pub evidence_url: String,
    /// A note for the verifier.
    pub note: String,
}

/// A checked [`ContributionForm`].
#[derive(Debug, Clone, PartialEq)]
pub struct ContributionFacts {
    /// What was done.
    pub description: String,
    /// When.
    pub done_on: NaiveDate,
    /// Quantity in the goal's unit.
    pub quantity: Option<f64>,
    /// Hours.
    pub hours: Option<f64>,
    /// Goal served.
    pub goal_id: Option<i64>,
    /// Initiative served.
    pub initiative_id: Option<i64>,
    /// Evidence link.
    pub evidence_url: String,
    /// Note.
    pub note: String,
}

/// Most of a goal's unit one contribution may report.
pub const QUANTITY_MAX: f64 = 1_000_000.0;
/// Most hours one contribution may report.
pub const HOURS_MAX: f64 = 1_000.0;

impl ContributionForm {
    /// Checks every field: a quantity needs a goal (it is in the goal's unit), at
    /// least one of quantity or hours, a date not in the future, an http(s) link.
    pub fn validate(self, today: NaiveDate) -> Result<ContributionFacts, AppError> {
        let mut errors = FieldErrors::new();
        let description = text(&mut errors, "description", &self.description, 3, 500);
        let done_on = match NaiveDate::parse_from_str(self.done_on.trim(), "%Y-%m-%d") {
            Ok(date) if date > today => {
                errors.add("done_on", "That date is in the future.");
                None
            }
            Ok(date) => Some(date),
            Err(_) => {
                errors.add("done_on", "Use a date like 2026-11-26.");
                None
            }
        };
        let quantity = optional_number(&mut errors, "quantity", &self.quantity, QUANTITY_MAX);
        let hours = optional_number(&mut errors, "hours", &self.hours, HOURS_MAX);
        let goal_id = optional_id(&mut errors, "goal_id", &self.goal_id);
        let initiative_id = optional_id(&mut errors, "initiative_id", &self.initiative_id);
        if self.quantity.trim().is_empty() && self.hours.trim().is_empty() {
            errors.add("hours", "Give hours, a quantity, or both.");
        }
        if !self.quantity.trim().is_empty() && goal_id.is_none() && self.goal_id.trim().is_empty() {
            errors.add("goal_id", "Choose the goal whose unit the quantity is in.");
        }
        if goal_id.is_none()
            && initiative_id.is_none()
            && self.goal_id.trim().is_empty()
            && self.initiative_id.trim().is_empty()
        {
            errors.add("goal_id", "Choose the goal or initiative this serves.");
        }
        let evidence_url = self.evidence_url.trim().to_owned();
        let lower = evidence_url.to_lowercase();
        if !evidence_url.is_empty()
            && (!(lower.starts_with("https://") || lower.starts_with("http://"))
                || evidence_url.chars().count() > 500)
        {
            errors.add("evidence_url", "Use an http:// or https:// link under 500 characters.");
        }
        let note = text(&mut errors, "note", &self.note, 0, 1000);
        errors.into_result()?;
        let done_on = done_on.ok_or_else(|| AppError::invalid("done_on", "Give a date."))?;
        Ok(ContributionFacts {
            description,
            done_on,
            quantity,
            hours,
            goal_id,
            initiative_id,
            evidence_url,
            note,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contribution_rules() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
        let good = ContributionForm {
            description: "Planted saplings".into(),
            done_on: "2026-11-20".into(),
            quantity: "40".into(),
            hours: "3.5".into(),
            goal_id: "2".into(),
            ..Default::default()
        };
        let valid = good.clone().validate(today).unwrap();
        assert_eq!(valid.quantity, Some(40.0));
        assert_eq!(valid.hours, Some(3.5));

        let field = |form: ContributionForm, field: &str| match form.validate(today) {
            Err(AppError::Validation(e)) => e.get(field).is_some(),
            _ => false,
        };
        assert!(field(ContributionForm { quantity: "-3".into(), ..good.clone() }, "quantity"));
        assert!(field(ContributionForm { quantity: "NaN".into(), ..good.clone() }, "quantity"));
        assert!(field(ContributionForm { quantity: "2000000".into(), ..good.clone() }, "quantity"));
        assert!(field(ContributionForm { hours: "1001".into(), ..good.clone() }, "hours"));
        assert!(field(
            ContributionForm { done_on: "2026-12-01".into(), ..good.clone() },
            "done_on"
        ));
        assert!(field(
            ContributionForm { goal_id: String::new(), initiative_id: "4".into(), ..good.clone() },
            "goal_id"
        ));
        assert!(field(
            ContributionForm { quantity: String::new(), hours: String::new(), ..good.clone() },
            "hours"
        ));
        assert!(field(
            ContributionForm { evidence_url: "javascript:alert(1)".into(), ..good.clone() },
            "evidence_url"
        ));
        assert!(
            ContributionForm {
                quantity: String::new(),
                goal_id: String::new(),
                initiative_id: "4".into(),
                ..good
            }
            .validate(today)
            .is_ok(),
            "hours for an initiative need no goal"
        );
    }

    #[test]
    fn goal_rules() {
        let form = GoalForm {
            title: "Trees".into(),
            metric: "trees planted".into(),
            unit: "trees".into(),
            target: "10,000".into(),
            ..Default::default()
        };
        let goal = form.clone().validate().unwrap();
        assert_eq!(goal.target, 10_000.0);
        assert_eq!(goal.weight, 1.0);
        assert!(GoalForm { target: "0".into(), ..form.clone() }.validate().is_err());
        assert!(GoalForm { weight: "-1".into(), ..form.clone() }.validate().is_err());
        assert!(GoalForm { parent_id: "x".into(), ..form }.validate().is_err());
    }
}
