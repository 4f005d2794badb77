//! The challenge form: what a leader types, checked field by field.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::challenges::{ChallengeMode, Measure, TEAMS_MAX, TeamScore, WINDOW_DAYS_MAX};
use crate::domain::fields::{date, number, optional_id, optional_number, text, whole};
use crate::error::{AppError, FieldErrors};

/// The form for a new challenge, as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ChallengeForm {
    /// Title.
    pub title: String,
    /// Markdown description (optional).
    pub description: String,
    /// A [`Measure`] value.
    pub measure: String,
    /// An initiative id whose contributions count, or empty for any.
    pub initiative_id: String,
    /// A goal id whose contributions count, or empty for any (required for `quantity`).
    pub goal_id: String,
    /// The target, in the measure's unit.
    pub target: String,
    /// First day, `YYYY-MM-DD`, in the community's zone.
    pub starts_on: String,
    /// Last day, `YYYY-MM-DD`.
    pub ends_on: String,
    /// Days after the last day in which late verifications still count (0–30).
    pub grace_days: String,
    /// Most that counts per member per day, or empty for no cap.
    pub daily_cap: String,
    /// A [`ChallengeMode`] value.
    pub mode: String,
    /// A [`TeamScore`] value (teams mode).
    #[serde(default)]
    pub team_score: String,
    /// Team names, one per line (teams mode).
    #[serde(default)]
    pub teams: String,
}

/// A checked [`ChallengeForm`].
#[derive(Debug, Clone, PartialEq)]
pub struct ValidChallenge {
    /// Title.
    pub title: String,
    /// Markdown description.
    pub description: String,
    /// What is summed.
    pub measure: Measure,
    /// Only contributions to this initiative count.
    pub initiative_id: Option<i64>,
    /// Only contributions towards this goal count.
    pub goal_id: Option<i64>,
    /// Target.
    pub target: f64,
    /// First day.
    pub starts_on: NaiveDate,
    /// Last day.
    pub ends_on: NaiveDate,
    /// Grace days for late verification.
    pub grace_days: i64,
    /// Daily cap per member.
    pub daily_cap: Option<f64>,
    /// Mode.
    pub mode: ChallengeMode,
    /// Team scoring.
    pub team_score: TeamScore,
    /// Team names (teams mode; empty otherwise).
    pub teams: Vec<String>,
}

impl ChallengeForm {
    /// Checks every field at once; `today` is the community's date now (a window may not
    /// have ended already).
    pub fn validate(self, today: NaiveDate) -> Result<ValidChallenge, AppError> {
        let mut errors = FieldErrors::new();
        let title = text(&mut errors, "title", &self.title, 3, 120);
        let description = self.description.trim().to_owned();
        if description.chars().count() > 20_000 {
            errors.add("description", "Use at most 20,000 characters.");
        }
        let measure = Measure::parse(self.measure.trim()).unwrap_or_else(|| {
            errors.add("measure", "Choose what counts.");
            Measure::Hours
        });
        let initiative_id = optional_id(&mut errors, "initiative_id", &self.initiative_id);
        let goal_id = optional_id(&mut errors, "goal_id", &self.goal_id);
        if measure == Measure::Quantity && goal_id.is_none() {
            errors.add("goal_id", "Counting a goal's unit needs a goal.");
        }
        let target = number(&mut errors, "target", &self.target, 1e9);
        let starts_on = date(&mut errors, "starts_on", &self.starts_on);
        let ends_on = date(&mut errors, "ends_on", &self.ends_on);
        if let (Some(starts), Some(ends)) = (starts_on, ends_on) {
            if ends < starts {
                errors.add("ends_on", "The last day must be on or after the first.");
            } else if (ends - starts).num_days() >= WINDOW_DAYS_MAX {
                errors.add("ends_on", "A challenge may run for at most a year.");
            } else if ends < today {
                errors.add("ends_on", "That window has already ended.");
            }
        }
        let grace_days = whole(&mut errors, "grace_days", &self.grace_days, 0, 30).unwrap_or(0);
        let daily_cap = optional_number(&mut errors, "daily_cap", &self.daily_cap, 1e6);
        let mode = ChallengeMode::parse(self.mode.trim()).unwrap_or_else(|| {
            errors.add("mode", "Choose how people take part.");
            ChallengeMode::Collective
        });
        let team_score = TeamScore::parse(self.team_score.trim()).unwrap_or(TeamScore::Sum);
        let mut teams: Vec<String> = Vec::new();
        if mode == ChallengeMode::Teams {
            for name in self.teams.lines().map(str::trim).filter(|n| !n.is_empty()) {
                if name.chars().count() > 60 {
                    errors.add("teams", "Keep each team name to 60 characters.");
                } else if teams.iter().any(|t| t.eq_ignore_ascii_case(name)) {
                    errors.add("teams", format!("“{name}” is listed twice."));
                } else {
                    teams.push(name.to_owned());
                }
            }
            if !(2..=TEAMS_MAX).contains(&teams.len()) {
                errors.add("teams", format!("Name 2 to {TEAMS_MAX} teams, one per line."));
            }
        }
        errors.into_result()?;
        Ok(ValidChallenge {
            title,
            description,
            measure,
            initiative_id,
            goal_id,
            target: target.unwrap_or(1.0),
            starts_on: starts_on.unwrap_or(today),
            ends_on: ends_on.unwrap_or(today),
            grace_days,
            daily_cap,
            mode,
            team_score,
            teams,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> ChallengeForm {
        ChallengeForm {
            title: "500 parcels in December".into(),
            measure: "hours".into(),
            target: "500".into(),
            starts_on: "2027-12-01".into(),
            ends_on: "2027-12-31".into(),
            mode: "teams".into(),
            teams: "Otters\nHerons\n".into(),
            ..ChallengeForm::default()
        }
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2027, 11, 20).unwrap_or_default()
    }

    fn fields(error: AppError) -> Vec<String> {
        match error {
            AppError::Validation(errors) => errors.0.into_iter().map(|e| e.field).collect(),
            other => vec![other.to_string()],
        }
    }

    #[test]
    fn a_good_form_passes_with_its_teams() {
        let valid = form().validate(today()).expect("valid");
        assert_eq!(valid.teams, ["Otters", "Herons"]);
        assert_eq!(valid.mode, ChallengeMode::Teams);
    }

    #[test]
    fn bad_windows_teams_and_units_are_named() {
        let backwards = ChallengeForm { ends_on: "2027-11-30".into(), ..form() };
        assert_eq!(fields(backwards.validate(today()).unwrap_err()), ["ends_on"]);
        let over = ChallengeForm {
            starts_on: "2027-01-01".into(),
            ends_on: "2027-11-01".into(),
            ..form()
        };
        assert_eq!(fields(over.validate(today()).unwrap_err()), ["ends_on"]);
        let one_team = ChallengeForm { teams: "Otters\notters".into(), ..form() };
        assert_eq!(fields(one_team.validate(today()).unwrap_err()), ["teams", "teams"]);
        let no_goal = ChallengeForm { measure: "quantity".into(), ..form() };
        assert_eq!(fields(no_goal.validate(today()).unwrap_err()), ["goal_id"]);
        let bad_target = ChallengeForm { target: "-3".into(), ..form() };
        assert_eq!(fields(bad_target.validate(today()).unwrap_err()), ["target"]);
    }
}
