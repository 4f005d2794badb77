//! Events: gatherings a community hosts, once or on a repeating schedule, with RSVPs,
//! a capacity and a first-come waitlist. The rules here are pure; turning wall-clock
//! times into instants (time zones) happens on the server (`services::events`).

use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Serialize};

pub use crate::domain::event_form::{EventForm, ValidEvent};
use crate::error::AppError;

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

/// How an event credits each attendee's hours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum HoursFrom {
    /// The scheduled length (or the event's credited hours), at check-in.
    Schedule,
    /// The time between check-in and check-out, bounded by the schedule, at check-out.
    Presence,
}

impl HoursFrom {
    /// Stored and form value.
    pub fn as_str(self) -> &'static str {
        match self {
            HoursFrom::Schedule => "schedule",
            HoursFrom::Presence => "presence",
        }
    }

    /// Parses the stored or form value.
    pub fn parse(text: &str) -> Option<HoursFrom> {
        match text {
            "schedule" => Some(HoursFrom::Schedule),
            "presence" => Some(HoursFrom::Presence),
            _ => None,
        }
    }
}

/// A forgotten check-out closes itself this many minutes after the end, flagged for review.
pub const CHECKOUT_GRACE_MINUTES: i64 = 120;

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

/// A later date of the same series, as its occurrence page lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NextDate {
    /// The occurrence's id.
    pub id: i64,
    /// When it starts, in the event's zone.
    pub when: String,
    /// The viewer's answer to it (members only), so an answer for the whole series shows.
    pub mine: Option<RsvpStatus>,
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
    #[cfg_attr(feature = "ssr", sqlx(try_from = "crate::db::Stamp"))]
    pub starts_at: chrono::DateTime<chrono::Utc>,
    /// End, as an instant.
    #[cfg_attr(feature = "ssr", sqlx(try_from = "crate::db::Stamp"))]
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
    /// The series' next occurrences, with the viewer's answer to each.
    pub next_in_series: Vec<NextDate>,
    /// Whether check-in is open now (from an hour before the start to the end).
    pub checkin_open: bool,
    /// Whether the viewer is checked in.
    pub checked_in: bool,
    /// Whether the viewer is checked in at an event that counts time present and may
    /// check out now.
    pub can_check_out: bool,
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
}
