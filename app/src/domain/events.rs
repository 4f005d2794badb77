//! Events: gatherings a community hosts, once or on a repeating schedule, with RSVPs,
//! a capacity and a first-come waitlist. The rules here are pure; turning wall-clock
//! times into instants (time zones) happens on the server (`services::events`).

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime};
use serde::{Deserialize, Serialize};

use crate::domain::fields::{optional_id, optional_number, text};
use crate::error::{AppError, FieldErrors};

/// Most occurrences one series materialises (a daily event for a year, and a few more).
pub const OCCURRENCES_MAX: usize = 400;
/// How far ahead a repeating series may run: its end date is at most this many days
/// after its first occurrence.
pub const SERIES_DAYS_MAX: i64 = 366;
/// Most guests a member may bring to one occurrence.
pub const GUESTS_MAX: i64 = 10;
/// Most hours an offered seat is held for the first person waiting.
pub const OFFER_HOURS: i64 = 12;
/// Check-in opens this many minutes before an occurrence starts (and closes at its end).
pub const CHECKIN_OPENS_MINUTES: i64 = 60;

/// How a series repeats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Recurrence {
    /// One occurrence.
    Once,
    /// Every day.
    Daily,
    /// Every week on the first occurrence's weekday.
    Weekly,
    /// Every second week.
    EveryTwoWeeks,
    /// Every month on the same weekday of the same week (e.g. the second Saturday);
    /// months without that day (a fifth Tuesday) are skipped.
    MonthlyNthWeekday,
}

impl Recurrence {
    /// Every preset, in the order the form lists them.
    pub const ALL: [Recurrence; 5] = [
        Recurrence::Once,
        Recurrence::Daily,
        Recurrence::Weekly,
        Recurrence::EveryTwoWeeks,
        Recurrence::MonthlyNthWeekday,
    ];

    /// Stored and form value.
    pub fn as_str(self) -> &'static str {
        match self {
            Recurrence::Once => "once",
            Recurrence::Daily => "daily",
            Recurrence::Weekly => "weekly",
            Recurrence::EveryTwoWeeks => "biweekly",
            Recurrence::MonthlyNthWeekday => "monthly",
        }
    }

    /// Parses the stored or form value.
    pub fn parse(text: &str) -> Option<Recurrence> {
        Recurrence::ALL.into_iter().find(|r| r.as_str() == text)
    }

    /// What the form shows.
    pub fn label(self) -> &'static str {
        match self {
            Recurrence::Once => "Does not repeat",
            Recurrence::Daily => "Every day",
            Recurrence::Weekly => "Every week",
            Recurrence::EveryTwoWeeks => "Every two weeks",
            Recurrence::MonthlyNthWeekday => "Every month, same weekday",
        }
    }
}

impl TryFrom<String> for Recurrence {
    type Error = String;

    fn try_from(text: String) -> Result<Self, String> {
        Recurrence::parse(&text).ok_or_else(|| format!("unknown recurrence {text}"))
    }
}

/// The dates a series falls on, from `first` to `until` (inclusive), at most
/// [`OCCURRENCES_MAX`]. Dates are wall-clock dates in the series' time zone: the time of
/// day is added, and resolved to an instant, per date, so daylight-saving changes never
/// move an occurrence's local time.
pub fn occurrence_dates(
    first: NaiveDate,
    recurrence: Recurrence,
    until: Option<NaiveDate>,
) -> Vec<NaiveDate> {
    let until = until.unwrap_or(first);
    let step = match recurrence {
        Recurrence::Once => return vec![first],
        Recurrence::Daily => 1,
        Recurrence::Weekly => 7,
        Recurrence::EveryTwoWeeks => 14,
        Recurrence::MonthlyNthWeekday => return monthly_dates(first, until),
    };
    std::iter::successors(Some(first), |d| d.checked_add_signed(Duration::days(step)))
        .take_while(|d| *d <= until)
        .take(OCCURRENCES_MAX)
        .collect()
}

/// The same weekday of the same week of each month as `first`, up to `until`.
fn monthly_dates(first: NaiveDate, until: NaiveDate) -> Vec<NaiveDate> {
    let nth = (first.day0() / 7) as u8 + 1;
    let weekday = first.weekday();
    let mut dates = Vec::new();
    let (mut year, mut month) = (first.year(), first.month());
    while dates.len() < OCCURRENCES_MAX {
        let Some(date) = NaiveDate::from_weekday_of_month_opt(year, month, weekday, nth) else {
            (year, month) = next_month(year, month);
            if NaiveDate::from_ymd_opt(year, month, 1).is_none_or(|d| d > until) {
                break;
            }
            continue;
        };
        if date > until {
            break;
        }
        dates.push(date);
        (year, month) = next_month(year, month);
    }
    dates
}

fn next_month(year: i32, month: u32) -> (i32, u32) {
    if month == 12 { (year + 1, 1) } else { (year, month + 1) }
}

/// Who may see an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum EventVisibility {
    /// The community's members only.
    Members,
    /// Anyone who can see the community (only meaningful in a public community).
    Public,
}

impl EventVisibility {
    /// Stored and form value.
    pub fn as_str(self) -> &'static str {
        match self {
            EventVisibility::Members => "members",
            EventVisibility::Public => "public",
        }
    }

    /// Parses the stored or form value.
    pub fn parse(text: &str) -> Option<EventVisibility> {
        match text {
            "members" => Some(EventVisibility::Members),
            "public" => Some(EventVisibility::Public),
            _ => None,
        }
    }
}

impl TryFrom<String> for EventVisibility {
    type Error = String;

    fn try_from(text: String) -> Result<Self, String> {
        EventVisibility::parse(&text).ok_or_else(|| format!("unknown event visibility {text}"))
    }
}

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
}

impl ValidEvent {
    /// The wall-clock dates of its occurrences.
    pub fn dates(&self) -> Vec<NaiveDate> {
        occurrence_dates(self.start.date(), self.recurrence, self.until)
    }
}

fn date(errors: &mut FieldErrors, field: &str, value: &str) -> Option<NaiveDate> {
    let parsed = NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d").ok();
    if parsed.is_none() {
        errors.add(field, "Use a date like 2027-03-13.");
    }
    parsed
}

fn time(errors: &mut FieldErrors, field: &str, value: &str) -> Option<NaiveTime> {
    let value = value.trim();
    let parsed = NaiveTime::parse_from_str(value, "%H:%M")
        .or_else(|_| NaiveTime::parse_from_str(value, "%H:%M:%S"))
        .ok();
    if parsed.is_none() {
        errors.add(field, "Use a time like 10:00 or 18:30.");
    }
    parsed
}

fn whole(errors: &mut FieldErrors, field: &str, value: &str, min: i64, max: i64) -> Option<i64> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    match value.parse::<i64>() {
        Ok(n) if (min..=max).contains(&n) => Some(n),
        _ => {
            errors.add(field, format!("Enter a whole number from {min} to {max}."));
            None
        }
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
        let place = self.place.trim().to_owned();
        let online_url = self.online_url.trim().to_owned();
        if place.chars().count() > 200 {
            errors.add("place", "Use at most 200 characters.");
        }
        let is_link = online_url.starts_with("https://") || online_url.starts_with("http://");
        if !online_url.is_empty() && !is_link {
            errors.add("online_url", "Use a link starting with https://.");
        }
        if place.is_empty() && online_url.is_empty() {
            errors.add("place", "Say where it happens, or give a link to join online.");
        }
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
        })
    }
}

/// Someone's answer to an occurrence, as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RsvpStatus {
    /// Has a seat.
    Going,
    /// Wants a seat; waits in line.
    Waitlisted,
    /// Was offered a freed seat, held for them until the offer expires.
    Offered,
    /// Might come (holds no seat).
    Interested,
    /// Will not come.
    NotGoing,
}

impl RsvpStatus {
    /// Stored value.
    pub fn as_str(self) -> &'static str {
        match self {
            RsvpStatus::Going => "going",
            RsvpStatus::Waitlisted => "waitlisted",
            RsvpStatus::Offered => "offered",
            RsvpStatus::Interested => "interested",
            RsvpStatus::NotGoing => "not_going",
        }
    }

    /// Parses the stored value.
    pub fn parse(text: &str) -> Option<RsvpStatus> {
        [
            RsvpStatus::Going,
            RsvpStatus::Waitlisted,
            RsvpStatus::Offered,
            RsvpStatus::Interested,
            RsvpStatus::NotGoing,
        ]
        .into_iter()
        .find(|s| s.as_str() == text)
    }

    /// Whether this answer holds a seat (an offer holds one for its time).
    pub fn holds_seat(self) -> bool {
        matches!(self, RsvpStatus::Going | RsvpStatus::Offered)
    }
}

impl TryFrom<String> for RsvpStatus {
    type Error = String;

    fn try_from(text: String) -> Result<Self, String> {
        RsvpStatus::parse(&text).ok_or_else(|| format!("unknown RSVP status {text}"))
    }
}

/// What a member asks for with the RSVP buttons.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RsvpChoice {
    /// A seat (or a place in line when full), with this many guests.
    Going(i64),
    /// Might come.
    Interested,
    /// Will not come (gives up a seat or a place in line).
    NotGoing,
}

impl RsvpChoice {
    /// Reads the form's `response` and `guests` fields.
    pub fn parse(response: &str, guests: Option<i64>) -> Result<RsvpChoice, AppError> {
        match response {
            "going" => {
                let guests = guests.unwrap_or(0);
                if !(0..=GUESTS_MAX).contains(&guests) {
                    return Err(AppError::invalid("guests", "Bring between 0 and 10 guests."));
                }
                Ok(RsvpChoice::Going(guests))
            }
            "interested" => Ok(RsvpChoice::Interested),
            "not_going" => Ok(RsvpChoice::NotGoing),
            _ => Err(AppError::invalid("response", "Choose going, interested or not going.")),
        }
    }
}

/// One occurrence as lists show it.
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OccurrenceSummary {
    /// The occurrence's id (its page is `/c/{slug}/e/{id}`).
    pub id: i64,
    /// The series' title.
    pub title: String,
    /// Where.
    pub place: String,
    /// Whether it can be joined online.
    pub online: bool,
    /// Start, as an instant.
    pub starts_at: chrono::DateTime<chrono::Utc>,
    /// End, as an instant.
    pub ends_at: chrono::DateTime<chrono::Utc>,
    /// The series' time zone, for showing local times.
    pub time_zone: String,
    /// Seats; `None` for no limit.
    pub capacity: Option<i64>,
    /// Seats taken (people going or offered a seat, with their guests).
    pub seats_taken: i64,
    /// Whether it was cancelled.
    pub cancelled: bool,
    /// The initiative it serves, if any.
    pub initiative: Option<String>,
    /// The community's slug (for cross-community lists).
    pub community_slug: String,
    /// The community's name.
    pub community_name: String,
    /// The viewer's answer, if they gave one.
    #[cfg_attr(feature = "ssr", sqlx(try_from = "Option<String>"))]
    pub my_status: MaybeStatus,
    /// When, in the event's own zone, e.g. `Sat 13 Mar 2027, 10:00–12:00 GMT`
    /// (filled in by the server, which knows the zones).
    #[cfg_attr(feature = "ssr", sqlx(default))]
    pub when: String,
}

/// An optional [`RsvpStatus`] read from a nullable column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct MaybeStatus(pub Option<RsvpStatus>);

impl TryFrom<Option<String>> for MaybeStatus {
    type Error = String;

    fn try_from(text: Option<String>) -> Result<Self, String> {
        text.map(RsvpStatus::try_from).transpose().map(MaybeStatus)
    }
}

/// A community's events page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventsPage {
    /// Occurrences from now on, soonest first.
    pub upcoming: Vec<OccurrenceSummary>,
    /// Recent past occurrences, latest first.
    pub past: Vec<OccurrenceSummary>,
    /// Whether the viewer may create events (leaders; initiative owners for theirs).
    pub can_host: bool,
    /// The community's default time zone for new events.
    pub time_zone: String,
    /// Whether the community is public (it then has a calendar of its public events).
    pub public_calendar: bool,
    /// Approved initiatives, for the filter and the form: (id, title).
    pub initiatives: Vec<(i64, String)>,
    /// Goals, for the form: (id, title).
    pub goals: Vec<(i64, String)>,
}

/// One person's answer on an event page.
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attendee {
    /// Their handle.
    pub handle: String,
    /// Their display name.
    pub display_name: String,
    /// Guests they bring.
    pub guests: i64,
    /// Their answer.
    #[cfg_attr(feature = "ssr", sqlx(try_from = "String"))]
    pub status: RsvpStatus,
}

/// An occurrence's page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventPage {
    /// The occurrence.
    pub occurrence: OccurrenceSummary,
    /// The description, as sanitised HTML.
    pub description_html: String,
    /// The online link (members only; empty otherwise).
    pub online_url: String,
    /// How the series repeats.
    pub recurrence: Recurrence,
    /// Guests a member may bring.
    pub guests_max: i64,
    /// When RSVPs close, in the event's zone.
    pub rsvp_closes: String,
    /// Who is going, then who was offered a seat, then the waitlist in order; names are
    /// shown to members only (others get an empty list and the counts).
    pub attendees: Vec<Attendee>,
    /// How many people wait for a seat.
    pub waiting: i64,
    /// The viewer's answer, guests and, when waiting, their place in line (1 is next).
    pub mine: Option<MyRsvp>,
    /// Whether the viewer may RSVP (members, while RSVPs are open and it is not cancelled).
    pub can_rsvp: bool,
    /// Whether the viewer hosts it (leaders, the initiative's owner): may cancel it.
    pub can_manage: bool,
    /// The series' next occurrences: (id, when, in the event's zone).
    pub next_in_series: Vec<(i64, String)>,
    /// Whether check-in is open now (from an hour before the start to the end).
    pub checkin_open: bool,
    /// Whether the viewer is checked in.
    pub checked_in: bool,
    /// The hosts' check-in sheet (hosts only, while check-in is open).
    pub sheet: Option<CheckinSheet>,
}

/// Someone on an occurrence's check-in roster.
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosterEntry {
    /// Their handle.
    pub handle: String,
    /// Their display name.
    pub display_name: String,
    /// Their answer, if they gave one (walk-ins have none).
    #[cfg_attr(feature = "ssr", sqlx(try_from = "Option<String>"))]
    pub status: MaybeStatus,
    /// Whether they are checked in.
    pub checked_in: bool,
}

/// What an occurrence's hosts see to check people in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckinSheet {
    /// The code members type (or scan).
    pub code: String,
    /// The check-in link as a QR code (SVG, rendered by the server).
    pub qr_svg: String,
    /// The link the QR code holds.
    pub link: String,
    /// Who answered or came, with whether they are checked in.
    pub roster: Vec<RosterEntry>,
}

/// The viewer's own RSVP.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyRsvp {
    /// Their answer.
    pub status: RsvpStatus,
    /// Guests.
    pub guests: i64,
    /// Place in line when waitlisted (1 is next).
    pub position: Option<i64>,
    /// When an offered seat stops being held, in the event's zone.
    pub offer_until: Option<String>,
}

#[cfg(test)]
mod tests {
    use chrono::Weekday;

    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn weekly_and_fortnightly_series_step_by_whole_weeks_until_the_last_date() {
        let weekly =
            occurrence_dates(day("2027-03-06"), Recurrence::Weekly, Some(day("2027-04-03")));
        assert_eq!(weekly.len(), 5);
        assert!(weekly.iter().all(|d| d.weekday() == Weekday::Sat));
        let fortnightly =
            occurrence_dates(day("2027-03-06"), Recurrence::EveryTwoWeeks, Some(day("2027-04-03")));
        assert_eq!(fortnightly, [day("2027-03-06"), day("2027-03-20"), day("2027-04-03")]);
        assert_eq!(
            occurrence_dates(day("2027-03-06"), Recurrence::Once, None),
            [day("2027-03-06")]
        );
    }

    #[test]
    fn monthly_series_keep_the_weekday_of_the_week_and_skip_months_without_it() {
        // The second Saturday of each month.
        let second = occurrence_dates(
            day("2027-01-09"),
            Recurrence::MonthlyNthWeekday,
            Some(day("2027-06-30")),
        );
        assert_eq!(second.len(), 6);
        assert!(second.iter().all(|d| d.weekday() == Weekday::Sat && d.day0() / 7 == 1));
        // A fifth Friday exists only in some months.
        let fifth = occurrence_dates(
            day("2027-01-29"),
            Recurrence::MonthlyNthWeekday,
            Some(day("2027-12-31")),
        );
        assert!(fifth.len() < 12 && fifth.len() >= 4, "{fifth:?}");
        assert!(fifth.iter().all(|d| d.weekday() == Weekday::Fri && d.day() > 28));
    }

    #[test]
    fn a_daily_series_is_capped() {
        let dates = occurrence_dates(day("2027-01-01"), Recurrence::Daily, Some(day("2029-01-01")));
        assert_eq!(dates.len(), OCCURRENCES_MAX);
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
