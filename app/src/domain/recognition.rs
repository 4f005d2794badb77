//! Kudos: thanks that cite one of the community's values, and the recognition wall and
//! boards they appear on.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::community::CommunityValue;
use crate::error::{AppError, FieldErrors};

/// The longest a kudos message may be.
pub const KUDOS_MESSAGE_MAX_CHARS: usize = 500;

/// At most this many people thanked in one kudos.
pub const KUDOS_RECEIVERS_MAX: usize = 10;

/// How long a giver may take a kudos back.
pub fn retract_window() -> Duration {
    Duration::minutes(10)
}

/// The budget is counted over this many days.
pub const BUDGET_DAYS: i64 = 7;

/// What a member fills in to give kudos.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct KudosForm {
    /// Handles of the people thanked, separated by commas or spaces (`@` optional).
    #[serde(default)]
    pub to: String,
    /// Or: an initiative whose team is thanked.
    #[serde(default)]
    pub initiative_id: String,
    /// The value it cites (its name).
    #[serde(default)]
    pub value: String,
    /// The thanks.
    #[serde(default)]
    pub message: String,
    /// A contribution of one of the people thanked, optionally.
    #[serde(default)]
    pub contribution_id: String,
}

/// Who is thanked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Receivers {
    /// These handles.
    People(Vec<String>),
    /// This initiative's team (its lead and everyone with verified work on it).
    Team(i64),
}

/// A checked kudos form (who exists, budgets and contributions are checked by the service).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidKudos {
    /// Who is thanked.
    pub receivers: Receivers,
    /// The cited value's name, as the community spells it.
    pub value: String,
    /// The message.
    pub message: String,
    /// The cited contribution.
    pub contribution_id: Option<i64>,
}

impl KudosForm {
    /// Checks the form against the community's values.
    pub fn validate(&self, values: &[CommunityValue]) -> Result<ValidKudos, AppError> {
        let mut errors = FieldErrors::new();
        let handles: Vec<String> = self
            .to
            .split([',', ' ', '\n'])
            .map(|h| h.trim().trim_start_matches('@').to_lowercase())
            .filter(|h| !h.is_empty())
            .fold(Vec::new(), |mut all, h| {
                if !all.contains(&h) {
                    all.push(h);
                }
                all
            });
        let initiative = self.initiative_id.trim().parse::<i64>().ok();
        let receivers = match (handles.is_empty(), initiative) {
            (true, None) => {
                errors.add("to", "Say whom you are thanking.");
                None
            }
            (false, Some(_)) => {
                errors.add("to", "Thank people or an initiative's team, not both.");
                None
            }
            (true, Some(id)) => Some(Receivers::Team(id)),
            (false, None) if handles.len() > KUDOS_RECEIVERS_MAX => {
                errors.add("to", format!("Thank at most {KUDOS_RECEIVERS_MAX} people at once."));
                None
            }
            (false, None) => Some(Receivers::People(handles)),
        };
        let value = values.iter().find(|v| v.name.eq_ignore_ascii_case(self.value.trim()));
        if value.is_none() {
            errors.add("value", "Choose one of the community's values.");
        }
        let message = self.message.trim().to_owned();
        if message.is_empty() {
            errors.add("message", "Say what you are thankful for.");
        } else if message.chars().count() > KUDOS_MESSAGE_MAX_CHARS {
            errors.add("message", format!("Keep it under {KUDOS_MESSAGE_MAX_CHARS} characters."));
        }
        let contribution_id = match self.contribution_id.trim() {
            "" => None,
            text => match text.trim_start_matches('#').parse::<i64>() {
                Ok(id) => Some(id),
                Err(_) => {
                    errors.add("contribution_id", "Choose one of their contributions.");
                    None
                }
            },
        };
        errors.into_result()?;
        match (receivers, value) {
            (Some(receivers), Some(value)) => {
                Ok(ValidKudos { receivers, value: value.name.clone(), message, contribution_id })
            }
            _ => Err(AppError::invalid("to", "Say whom you are thanking.")),
        }
    }
}

/// Someone named on a kudos.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonRef {
    /// Handle.
    pub handle: String,
    /// Display name.
    pub display_name: String,
}

/// One kudos on the wall.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KudosEntry {
    /// Its id.
    pub id: i64,
    /// Who gave it.
    pub giver: PersonRef,
    /// Who received it.
    pub receivers: Vec<PersonRef>,
    /// The value it cites.
    pub value: String,
    /// The message.
    pub message: String,
    /// The cited contribution: (id, what it was).
    pub contribution: Option<(i64, String)>,
    /// The thanked initiative team: (id, title).
    pub initiative: Option<(i64, String)>,
    /// When.
    pub created_at: DateTime<Utc>,
    /// Whether the viewer may take it back (the giver, within the window).
    pub can_retract: bool,
}

/// A row of a board: a name, a link and a figure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BoardRow {
    /// What (an initiative, a goal, a person).
    pub name: String,
    /// Where it lives.
    pub link: String,
    /// Verified hours (or units) in the period.
    pub amount: f64,
    /// Distinct people whose work counts.
    pub people: i64,
}

/// The recognition page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecognitionPage {
    /// Kudos, newest first.
    pub kudos: Vec<KudosEntry>,
    /// The value the wall is filtered by, if any.
    pub filter: Option<String>,
    /// The community's values (for the filter and the form).
    pub values: Vec<String>,
    /// Whether the viewer may give kudos (a member).
    pub can_give: bool,
    /// Whether the viewer may hide kudos (moderators).
    pub can_moderate: bool,
    /// Whether the viewer may change the budget (leaders).
    pub can_set_budget: bool,
    /// Kudos each member may give in 7 days.
    pub budget: i64,
    /// How many the viewer has left.
    pub budget_left: i64,
    /// Approved initiatives, for thanking a team: (id, title).
    pub initiatives: Vec<(i64, String)>,
    /// Initiatives by verified hours in the last 30 days.
    pub initiative_board: Vec<BoardRow>,
    /// Goals by verified contributions in the last 30 days.
    pub goal_board: Vec<BoardRow>,
    /// Members who opted in, by verified hours in the last 30 days.
    pub people_board: Vec<BoardRow>,
    /// Whether the viewer is on the people board (None: not a member).
    pub on_board: Option<bool>,
    /// The oldest kudos id shown, when more are older.
    pub older_than: Option<i64>,
}

/// A member's recognition in one community, on their profile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProfileRecognition {
    /// Community slug.
    pub slug: String,
    /// Community name.
    pub community: String,
    /// Distinct people who thanked them.
    pub thanked_by: i64,
    /// Recent kudos received (newest first, a few).
    pub recent: Vec<KudosEntry>,
    /// Their badges (revoked ones marked).
    pub badges: Vec<crate::domain::badges::AwardEntry>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values() -> Vec<CommunityValue> {
        vec![CommunityValue { name: "Care".into(), description: String::new() }]
    }

    fn form(to: &str, value: &str, message: &str) -> KudosForm {
        KudosForm {
            to: to.into(),
            value: value.into(),
            message: message.into(),
            ..KudosForm::default()
        }
    }

    #[test]
    fn a_kudos_names_people_cites_a_value_and_says_thanks() {
        let kudos = form("@Bob, cyd bob", "care", " Thank you ").validate(&values()).unwrap();
        assert_eq!(kudos.receivers, Receivers::People(vec!["bob".into(), "cyd".into()]));
        assert_eq!(kudos.value, "Care");
        assert_eq!(kudos.message, "Thank you");
    }

    #[test]
    fn a_kudos_without_a_value_or_receiver_is_refused() {
        let error = form("bob", "", "Thanks").validate(&values()).unwrap_err();
        assert!(error.field_errors().unwrap().get("value").is_some());
        let error = form("bob", "Courage", "Thanks").validate(&values()).unwrap_err();
        assert!(error.field_errors().unwrap().get("value").is_some());
        let error = form("", "Care", "Thanks").validate(&values()).unwrap_err();
        assert!(error.field_errors().unwrap().get("to").is_some());
        let error = form("bob", "Care", " ").validate(&values()).unwrap_err();
        assert!(error.field_errors().unwrap().get("message").is_some());
    }
}
