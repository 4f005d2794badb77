//! Editing an event: which dates a change applies to, and the form, checked field by field.

use chrono::{Duration, NaiveTime};
use serde::{Deserialize, Serialize};

use crate::domain::fields::{place_and_link, text, time, whole};
use crate::error::{AppError, FieldErrors};

/// Which dates of a series an edit changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum EditScope {
    /// Only this date (kept on the occurrence; calendars show it as an override).
    This,
    /// This date and every later one: the series ends the day before and a new one starts.
    Following,
    /// Every upcoming date of the series.
    All,
}

impl EditScope {
    /// Every scope, in the order the form lists them.
    pub const ALL: [EditScope; 3] = [EditScope::This, EditScope::Following, EditScope::All];

    /// Form value.
    pub fn as_str(self) -> &'static str {
        match self {
            EditScope::This => "this",
            EditScope::Following => "following",
            EditScope::All => "all",
        }
    }

    /// What the form says.
    pub fn label(self) -> &'static str {
        match self {
            EditScope::This => "Only this date",
            EditScope::Following => "This date and every later one",
            EditScope::All => "Every upcoming date",
        }
    }

    /// Parses the form value.
    pub fn parse(text: &str) -> Option<EditScope> {
        EditScope::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

/// The edit form, as typed (pre-filled with the occurrence's current values).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EditEventForm {
    /// An [`EditScope`] value.
    pub scope: String,
    /// Title.
    pub title: String,
    /// Markdown description.
    pub description: String,
    /// Start time, `HH:MM`, wall clock in the event's zone.
    pub starts: String,
    /// End time, `HH:MM`.
    pub ends: String,
    /// `yes` when it ends after midnight.
    #[serde(default)]
    pub ends_next_day: String,
    /// Where.
    pub place: String,
    /// An http(s) link for joining online.
    pub online_url: String,
    /// Seats, or empty for no limit.
    pub capacity: String,
}

/// A checked [`EditEventForm`].
#[derive(Debug, Clone, PartialEq)]
pub struct EventEdit {
    /// Which dates it changes.
    pub scope: EditScope,
    /// Title.
    pub title: String,
    /// Markdown description.
    pub description: String,
    /// Start time.
    pub start: NaiveTime,
    /// Length.
    pub length: Duration,
    /// Place.
    pub place: String,
    /// Online link.
    pub online_url: String,
    /// Seats; `None` for no limit.
    pub capacity: Option<i64>,
}

impl EditEventForm {
    /// Checks every field at once.
    pub fn validate(self) -> Result<EventEdit, AppError> {
        let mut errors = FieldErrors::new();
        let scope = EditScope::parse(self.scope.trim()).unwrap_or_else(|| {
            errors.add("scope", "Choose which dates to change.");
            EditScope::This
        });
        let title = text(&mut errors, "title", &self.title, 3, 120);
        let description = self.description.trim().to_owned();
        if description.chars().count() > 20_000 {
            errors.add("description", "Use at most 20,000 characters.");
        }
        let start = time(&mut errors, "starts", &self.starts);
        let end = time(&mut errors, "ends", &self.ends);
        let length = match (start, end) {
            (Some(start), Some(end)) => {
                let mut length = end - start;
                if self.ends_next_day.trim() == "yes" {
                    length += Duration::days(1);
                }
                if length <= Duration::zero() {
                    errors.add("ends", "The event must end after it starts.");
                }
                length
            }
            _ => Duration::zero(),
        };
        let (place, online_url) = place_and_link(&mut errors, &self.place, &self.online_url);
        let capacity = whole(&mut errors, "capacity", &self.capacity, 1, 100_000);
        errors.into_result()?;
        Ok(EventEdit {
            scope,
            title,
            description,
            start: start.unwrap_or_default(),
            length,
            place,
            online_url,
            capacity,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> EditEventForm {
        EditEventForm {
            scope: "following".into(),
            title: "River clean-up".into(),
            starts: "09:30".into(),
            ends: "12:00".into(),
            place: "Mill Lane bridge".into(),
            capacity: "15".into(),
            ..EditEventForm::default()
        }
    }

    #[test]
    fn a_good_edit_passes() {
        let edit = form().validate().expect("valid");
        assert_eq!(edit.scope, EditScope::Following);
        assert_eq!(edit.length, Duration::minutes(150));
        assert_eq!(edit.capacity, Some(15));
    }

    #[test]
    fn each_bad_field_is_named() {
        let cases = [
            (EditEventForm { scope: "some".into(), ..form() }, "scope"),
            (EditEventForm { ends: "09:00".into(), ..form() }, "ends"),
            (EditEventForm { capacity: "-2".into(), ..form() }, "capacity"),
            (EditEventForm { place: String::new(), ..form() }, "place"),
            (EditEventForm { title: "x".into(), ..form() }, "title"),
        ];
        for (form, field) in cases {
            match form.validate() {
                Err(AppError::Validation(errors)) => {
                    assert!(errors.get(field).is_some(), "{field}: {errors:?}")
                }
                other => panic!("{field}: {other:?}"),
            }
        }
    }
}
