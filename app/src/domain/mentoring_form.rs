//! The mentoring forms as posted (offer, request, session) and their checked forms.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::fields;
use crate::domain::mentoring::{Cadence, MAX_CAPACITY, MAX_TAGS, SESSION_MAX_HOURS};
use crate::error::{AppError, FieldErrors};

/// The offer form as posted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfferForm {
    /// Comma-separated skills.
    pub skills: String,
    /// Comma-separated languages.
    pub languages: String,
    /// How many people at once (0 pauses the offer).
    pub capacity: String,
    /// When and how they can meet.
    pub availability: String,
}

/// A checked offer.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidOffer {
    /// Lower-case skills.
    pub skills: Vec<String>,
    /// Lower-case languages.
    pub languages: Vec<String>,
    /// 0–[`MAX_CAPACITY`].
    pub capacity: i64,
    /// Availability note.
    pub availability: String,
}

impl OfferForm {
    /// Checks every field and reports every problem at once.
    pub fn validate(&self) -> Result<ValidOffer, AppError> {
        let mut errors = FieldErrors::new();
        let skills = fields::tags(&mut errors, "skills", &self.skills, MAX_TAGS);
        if skills.is_empty() && errors.get("skills").is_none() {
            errors.add("skills", "Name at least one skill you can help with.");
        }
        let languages = fields::tags(&mut errors, "languages", &self.languages, MAX_TAGS);
        let capacity = if self.capacity.trim().is_empty() {
            errors.add("capacity", format!("Enter a whole number from 0 to {MAX_CAPACITY}."));
            None
        } else {
            fields::whole(&mut errors, "capacity", &self.capacity, 0, MAX_CAPACITY)
        };
        let availability = fields::text(&mut errors, "availability", &self.availability, 0, 300);
        errors.into_result()?;
        Ok(ValidOffer { skills, languages, capacity: capacity.unwrap_or(0), availability })
    }
}

/// The request form as posted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestForm {
    /// What they want to learn, in a sentence.
    pub topic: String,
    /// Comma-separated skills they want to learn.
    pub skills: String,
    /// Comma-separated languages they can be mentored in.
    pub languages: String,
    /// What they want to be able to do at the end.
    pub goal: String,
    /// How often to check in.
    pub cadence: String,
}

/// A checked request.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidRequest {
    /// What they want to learn.
    pub topic: String,
    /// Lower-case skills.
    pub skills: Vec<String>,
    /// Lower-case languages.
    pub languages: Vec<String>,
    /// The goal.
    pub goal: String,
    /// How often to check in.
    pub cadence: Cadence,
}

impl RequestForm {
    /// Checks every field and reports every problem at once.
    pub fn validate(&self) -> Result<ValidRequest, AppError> {
        let mut errors = FieldErrors::new();
        let topic = fields::text(&mut errors, "topic", &self.topic, 3, 200);
        let skills = fields::tags(&mut errors, "wanted_skills", &self.skills, MAX_TAGS);
        if skills.is_empty() && errors.get("wanted_skills").is_none() {
            errors.add("wanted_skills", "Name at least one skill you want to learn.");
        }
        let languages = fields::tags(&mut errors, "wanted_languages", &self.languages, MAX_TAGS);
        let goal = fields::text(&mut errors, "goal", &self.goal, 0, 500);
        let cadence = Cadence::parse(self.cadence.trim());
        if cadence.is_none() {
            errors.add("cadence", "Choose how often to check in.");
        }
        errors.into_result()?;
        Ok(ValidRequest {
            topic,
            skills,
            languages,
            goal,
            cadence: cadence.unwrap_or(Cadence::Fortnightly),
        })
    }
}

/// The session form as posted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionForm {
    /// `YYYY-MM-DD`.
    pub done_on: String,
    /// Hours spent.
    pub hours: String,
    /// What it covered.
    pub note: String,
}

/// A checked session.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidSession {
    /// When.
    pub done_on: NaiveDate,
    /// Hours.
    pub hours: f64,
    /// What it covered.
    pub note: String,
}

impl SessionForm {
    /// Checks every field against `today` (no sessions in the future).
    pub fn validate(&self, today: NaiveDate) -> Result<ValidSession, AppError> {
        let mut errors = FieldErrors::new();
        let done_on = fields::date(&mut errors, "done_on", &self.done_on);
        if let Some(day) = done_on
            && day > today
        {
            errors.add("done_on", "Log a session once it has happened.");
        }
        let hours = fields::number(&mut errors, "hours", &self.hours, SESSION_MAX_HOURS);
        let note = fields::text(&mut errors, "note", &self.note, 0, 500);
        errors.into_result()?;
        Ok(ValidSession { done_on: done_on.unwrap_or(today), hours: hours.unwrap_or(0.0), note })
    }
}
