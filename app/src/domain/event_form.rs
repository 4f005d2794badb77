//! The event form: what a host types, checked field by field.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use crate::domain::events::{
    EventVisibility, GUESTS_MAX, HoursFrom, Recurrence, SERIES_DAYS_MAX, occurrence_dates,
};
use crate::domain::fields::{
    date, optional_id, optional_number, place_and_link, text, time, whole,
};
use crate::error::{AppError, FieldErrors};

/// The form for a new event, as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EventForm {
    /// Title.
    pub title: String,
    /// Markdown description (optional).
    pub description: String,
    /// First date, `YYYY-MM-DD`, in the event's time zone.
    pub date: String,
    /// Start time, `HH:MM`, wall clock.
    pub starts: String,
    /// End time, `HH:MM`, wall clock; an end at or before the start is on the next day
    /// only when `ends_next_day` says so.
    pub ends: String,
    /// `yes` when the event ends after midnight.
    #[serde(default)]
    pub ends_next_day: String,
    /// An IANA time zone such as `Europe/London`.
    pub time_zone: String,
    /// Where (optional when there is a link).
    pub place: String,
    /// An http(s) link for joining online (optional when there is a place).
    pub online_url: String,
    /// Seats, or empty for no limit.
    pub capacity: String,
    /// How many guests a member may bring (0 to 10).
    pub guests_max: String,
    /// RSVPs close this many hours before the start (empty: at the start).
    pub rsvp_cutoff_hours: String,
    /// An initiative id, or empty.
    pub initiative_id: String,
    /// A goal id, or empty.
    pub goal_id: String,
    /// Hours credited per attendee, or empty for the scheduled length.
    pub credited_hours: String,
    /// `members` or `public`.
    pub visibility: String,
    /// A [`Recurrence`] value.
    pub recurrence: String,
    /// Last date of a repeating series, `YYYY-MM-DD`.
    pub until: String,
    /// `yes` to remind people 24 hours and 1 hour before (the form's box starts ticked).
    #[serde(default)]
    pub reminders: String,
    /// `schedule` (credit the scheduled length) or `presence` (check-in to check-out);
    /// empty means `schedule`.
    #[serde(default)]
    pub hours_from: String,
}

/// A checked [`EventForm`] (the time zone is checked by the server, which knows them).
#[derive(Debug, Clone, PartialEq)]
pub struct ValidEvent {
    /// Title.
    pub title: String,
    /// Markdown description.
    pub description: String,
    /// First start, wall clock.
    pub start: NaiveDateTime,
    /// Length of each occurrence.
    pub length: Duration,
    /// IANA zone name.
    pub time_zone: String,
    /// Place.
    pub place: String,
    /// Online link.
    pub online_url: String,
    /// Seats; `None` for no limit.
    pub capacity: Option<i64>,
    /// Guests per member.
    pub guests_max: i64,
    /// RSVPs close this many minutes before the start.
    pub rsvp_cutoff_minutes: i64,
    /// Initiative served.
    pub initiative_id: Option<i64>,
    /// Goal served.
    pub goal_id: Option<i64>,
    /// Hours credited per attendee; `None` for the scheduled length.
    pub credited_hours: Option<f64>,
    /// Who sees it.
    pub visibility: EventVisibility,
    /// How it repeats.
    pub recurrence: Recurrence,
    /// Last date of a repeating series.
    pub until: Option<NaiveDate>,
    /// Whether people going are reminded 24 hours and 1 hour before.
    pub reminders: bool,
    /// How attendance hours are counted.
    pub hours_from: HoursFrom,
}

impl ValidEvent {
    /// The wall-clock dates of its occurrences.
    pub fn dates(&self) -> Vec<NaiveDate> {
        occurrence_dates(self.start.date(), self.recurrence, self.until)
    }
}

impl EventForm {
    /// Checks every field at once. `zone_known` answers whether a time-zone name exists;
    /// `today` is the first date an event may start on.
    pub fn validate(
        self,
        today: NaiveDate,
        zone_known: impl Fn(&str) -> bool,
    ) -> Result<ValidEvent, AppError> {
        let mut errors = FieldErrors::new();
        let title = text(&mut errors, "title", &self.title, 3, 120);
        let description = self.description.trim().to_owned();
        if description.chars().count() > 20_000 {
            errors.add("description", "Use at most 20,000 characters.");
        }
        let first = date(&mut errors, "date", &self.date);
        if first.is_some_and(|d| d < today) {
            errors.add("date", "That date has passed.");
        }
        let starts = time(&mut errors, "starts", &self.starts);
        let ends = time(&mut errors, "ends", &self.ends);
        let next_day = self.ends_next_day.trim() == "yes";
        let (start, length) = match (first, starts, ends) {
            (Some(first), Some(starts), Some(ends)) => {
                let start = first.and_time(starts);
                let end =
                    if next_day { first.succ_opt().unwrap_or(first) } else { first }.and_time(ends);
                if end <= start {
                    errors.add("ends", "The event must end after it starts.");
                }
                (Some(start), end - start)
            }
            _ => (None, Duration::zero()),
        };
        let time_zone = self.time_zone.trim().to_owned();
        if !zone_known(&time_zone) {
            errors.add("time_zone", "Choose a time zone such as Europe/London.");
        }
        let (place, online_url) = place_and_link(&mut errors, &self.place, &self.online_url);
        let capacity = whole(&mut errors, "capacity", &self.capacity, 1, 100_000);
        let guests_max = whole(&mut errors, "guests_max", &self.guests_max, 0, GUESTS_MAX);
        let cutoff_hours = whole(&mut errors, "rsvp_cutoff_hours", &self.rsvp_cutoff_hours, 0, 720);
        let initiative_id = optional_id(&mut errors, "initiative_id", &self.initiative_id);
        let goal_id = optional_id(&mut errors, "goal_id", &self.goal_id);
        let credited_hours =
            optional_number(&mut errors, "credited_hours", &self.credited_hours, 24.0 * 7.0);
        let visibility = EventVisibility::parse(self.visibility.trim()).unwrap_or_else(|| {
            errors.add("visibility", "Choose who can see the event.");
            EventVisibility::Members
        });
        let recurrence = Recurrence::parse(self.recurrence.trim()).unwrap_or_else(|| {
            errors.add("recurrence", "Choose how the event repeats.");
            Recurrence::Once
        });
        let until = match (recurrence, self.until.trim()) {
            (Recurrence::Once, _) => None,
            (_, "") => {
                errors.add("until", "A repeating event needs a last date.");
                None
            }
            (_, value) => date(&mut errors, "until", value),
        };
        if let (Some(first), Some(until)) = (first, until) {
            if until < first {
                errors.add("until", "The last date must be on or after the first.");
            } else if (until - first).num_days() > SERIES_DAYS_MAX {
                errors.add("until", "A series may run for at most a year; add another later.");
            }
        }
        let hours_from = match self.hours_from.trim() {
            "" => HoursFrom::Schedule,
            value => HoursFrom::parse(value).unwrap_or_else(|| {
                errors.add("hours_from", "Choose how hours are counted.");
                HoursFrom::Schedule
            }),
        };
        errors.into_result()?;
        Ok(ValidEvent {
            title,
            description,
            start: start.unwrap_or_default(),
            length,
            time_zone,
            place,
            online_url,
            capacity,
            guests_max: guests_max.unwrap_or(0),
            rsvp_cutoff_minutes: cutoff_hours.unwrap_or(0) * 60,
            initiative_id,
            goal_id,
            credited_hours,
            visibility,
            recurrence,
            until,
            reminders: self.reminders.trim() == "yes",
            hours_from,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn form() -> EventForm {
        EventForm {
            title: "River clean-up".into(),
            date: "2027-03-06".into(),
            starts: "10:00".into(),
            ends: "12:30".into(),
            time_zone: "Europe/London".into(),
            place: "Mill Lane bridge".into(),
            visibility: "members".into(),
            recurrence: "weekly".into(),
            until: "2027-06-26".into(),
            ..EventForm::default()
        }
    }

    fn errors_of(result: Result<ValidEvent, AppError>) -> Vec<String> {
        match result {
            Err(AppError::Validation(errors)) => errors.0.into_iter().map(|e| e.field).collect(),
            other => panic!("expected field errors, got {other:?}"),
        }
    }

    #[test]
    fn a_good_form_gives_its_schedule() {
        let event = form().validate(day("2027-03-01"), |z| z == "Europe/London").unwrap();
        assert_eq!(event.length, Duration::minutes(150));
        assert_eq!(event.dates().len(), 17);
        assert_eq!(event.capacity, None);
    }

    #[test]
    fn bad_input_names_each_field() {
        let bad = EventForm {
            ends: "09:00".into(),
            time_zone: "Mars/Olympus".into(),
            capacity: "-3".into(),
            until: String::new(),
            place: String::new(),
            ..form()
        };
        let mut fields = errors_of(bad.validate(day("2027-03-01"), |z| z == "Europe/London"));
        fields.sort();
        assert_eq!(fields, ["capacity", "ends", "place", "time_zone", "until"]);
        let too_long = EventForm { until: "2028-06-01".into(), ..form() };
        assert_eq!(errors_of(too_long.validate(day("2027-03-01"), |_| true)), ["until"]);
        let past = form().validate(day("2027-04-01"), |_| true);
        assert_eq!(errors_of(past), ["date"]);
        let overnight = EventForm { ends: "01:00".into(), ends_next_day: "yes".into(), ..form() };
        assert_eq!(
            overnight.validate(day("2027-03-01"), |_| true).unwrap().length,
            Duration::hours(15)
        );
    }
}
