//! Mentoring: offers to mentor, requests for a mentor, explainable matching, the
//! mentorship's life (open → asked → active → completed) and the pages' shapes.
//!
//! Matching is a pure function ([`suggest`]) so its ranking can be tested and explained:
//! a skill *proven* by verified contributions to initiatives that need it counts three
//! times a self-declared one, a shared language counts, and mentors near capacity sink.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::ids::UserId;

pub use crate::domain::mentoring_form::{
    OfferForm, RequestForm, SessionForm, ValidOffer, ValidRequest, ValidSession,
};

/// Most skills or languages on an offer or a request.
pub const MAX_TAGS: usize = 10;
/// Most people one mentor takes on at once.
pub const MAX_CAPACITY: i64 = 10;
/// Most active mentorships one member has as a mentee at once.
pub const MENTEE_LIMIT: i64 = 3;
/// Most suggestions shown for a request.
pub const MAX_SUGGESTIONS: usize = 5;
/// Most hours one logged session may count.
pub const SESSION_MAX_HOURS: f64 = 12.0;

/// How often a pair checks in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Cadence {
    /// Every week.
    Weekly,
    /// Every other week.
    Fortnightly,
    /// Every month.
    Monthly,
}

impl Cadence {
    /// Every cadence, for the form.
    pub const ALL: [Cadence; 3] = [Cadence::Weekly, Cadence::Fortnightly, Cadence::Monthly];

    /// As stored and posted.
    pub fn as_str(self) -> &'static str {
        match self {
            Cadence::Weekly => "weekly",
            Cadence::Fortnightly => "fortnightly",
            Cadence::Monthly => "monthly",
        }
    }

    /// As shown.
    pub fn label(self) -> &'static str {
        match self {
            Cadence::Weekly => "Every week",
            Cadence::Fortnightly => "Every two weeks",
            Cadence::Monthly => "Every month",
        }
    }

    /// Reads a stored or posted cadence.
    pub fn parse(text: &str) -> Option<Cadence> {
        Cadence::ALL.into_iter().find(|c| c.as_str() == text)
    }
}

/// Where a request or mentorship stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Stage {
    /// Waiting for the mentee to ask a mentor.
    Open,
    /// Waiting for the asked mentor's answer.
    Asked,
    /// Accepted and under way.
    Active,
    /// Finished by either person.
    Completed,
    /// Taken back by the mentee before it started.
    Withdrawn,
}

impl Stage {
    /// As stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Open => "open",
            Stage::Asked => "asked",
            Stage::Active => "active",
            Stage::Completed => "completed",
            Stage::Withdrawn => "withdrawn",
        }
    }

    /// Reads a stored stage.
    pub fn parse(text: &str) -> Option<Stage> {
        [Stage::Open, Stage::Asked, Stage::Active, Stage::Completed, Stage::Withdrawn]
            .into_iter()
            .find(|s| s.as_str() == text)
    }
}

/// A mentor as matching sees them.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// Who.
    pub user_id: UserId,
    /// Their handle.
    pub handle: String,
    /// Skills they declared on their offer.
    pub skills: Vec<String>,
    /// Skills their verified work proves, with how many verified contributions.
    pub proven: Vec<(String, i64)>,
    /// Languages.
    pub languages: Vec<String>,
    /// People at once.
    pub capacity: i64,
    /// Active mentorships now.
    pub active: i64,
}

/// What a request looks for.
#[derive(Debug, Clone, PartialEq)]
pub struct Wanted {
    /// Who asks (never suggested to themselves).
    pub mentee: UserId,
    /// Skills.
    pub skills: Vec<String>,
    /// Languages (empty: any).
    pub languages: Vec<String>,
}

/// A suggested mentor and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Suggestion {
    /// Who.
    pub mentor_id: UserId,
    /// Their handle.
    pub handle: String,
    /// Why, one short sentence per reason, strongest first.
    pub reasons: Vec<String>,
    /// How well they match (higher is better).
    pub score: f64,
}

/// Ranks the mentors for `wanted`: each wanted skill they have proven counts 3, each
/// one they only declared counts 1; a shared language adds 1 and none subtracts 2;
/// load subtracts up to 1.5 (full). Mentors with no wanted skill, at capacity, the
/// mentee themselves and those in `excluded` (declined, or already paired) are left out.
pub fn suggest(wanted: &Wanted, candidates: &[Candidate], excluded: &[UserId]) -> Vec<Suggestion> {
    let mut ranked: Vec<(Suggestion, i64)> = candidates
        .iter()
        .filter(|c| c.user_id != wanted.mentee && !excluded.contains(&c.user_id))
        .filter(|c| c.active < c.capacity)
        .filter_map(|c| score(wanted, c).map(|s| (s, c.capacity - c.active)))
        .collect();
    ranked.sort_by(|(a, free_a), (b, free_b)| {
        b.score.total_cmp(&a.score).then(free_b.cmp(free_a)).then_with(|| a.handle.cmp(&b.handle))
    });
    ranked.into_iter().take(MAX_SUGGESTIONS).map(|(s, _)| s).collect()
}

fn score(wanted: &Wanted, c: &Candidate) -> Option<Suggestion> {
    let mut score = 0.0;
    let mut proven_reasons = Vec::new();
    let mut declared = Vec::new();
    for skill in &wanted.skills {
        if let Some((_, n)) = c.proven.iter().find(|(s, _)| s == skill) {
            score += 3.0;
            let plural = if *n == 1 { "" } else { "s" };
            proven_reasons.push(format!(
                "Proven in {skill}: {n} verified contribution{plural} to initiatives that need it"
            ));
        } else if c.skills.contains(skill) {
            score += 1.0;
            declared.push(skill.as_str());
        }
    }
    if score == 0.0 {
        return None;
    }
    let mut reasons = proven_reasons;
    if !declared.is_empty() {
        reasons.push(format!("Offers {} (self-declared)", declared.join(", ")));
    }
    if !wanted.languages.is_empty() {
        let shared: Vec<&str> = wanted
            .languages
            .iter()
            .filter(|l| c.languages.contains(l))
            .map(String::as_str)
            .collect();
        if shared.is_empty() {
            score -= 2.0;
            reasons.push("No language in common listed".to_owned());
        } else {
            score += 1.0;
            reasons.push(format!("Speaks {}", shared.join(", ")));
        }
    }
    let load = c.active as f64 / c.capacity.max(1) as f64;
    score -= 1.5 * load;
    let free = c.capacity - c.active;
    let places = if free == 1 { "place" } else { "places" };
    reasons.push(format!("{free} of {} {places} free", c.capacity));
    Some(Suggestion { mentor_id: c.user_id, handle: c.handle.clone(), reasons, score })
}

/// Average days from asking to acceptance, over `waits` (days each), if any.
pub fn average_wait_days(waits: &[f64]) -> Option<f64> {
    if waits.is_empty() { None } else { Some(waits.iter().sum::<f64>() / waits.len() as f64) }
}

/// A mentor listed on the page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MentorCard {
    /// Their handle.
    pub handle: String,
    /// Declared skills.
    pub skills: Vec<String>,
    /// Skills their verified work proves.
    pub proven: Vec<String>,
    /// Languages.
    pub languages: Vec<String>,
    /// Availability note.
    pub availability: String,
    /// Free places.
    pub free: i64,
    /// People at once.
    pub capacity: i64,
}

/// The viewer's own offer, to prefill the form.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct OwnOffer {
    /// Skills, comma-separated.
    pub skills: String,
    /// Languages, comma-separated.
    pub languages: String,
    /// Capacity.
    pub capacity: i64,
    /// Availability.
    pub availability: String,
}

/// A request as its mentee or its asked mentor sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RequestView {
    /// Id.
    pub id: i64,
    /// The mentee's handle.
    pub mentee: String,
    /// The asked mentor's handle, once asked.
    pub mentor: Option<String>,
    /// What they want to learn.
    pub topic: String,
    /// Skills.
    pub skills: Vec<String>,
    /// Languages.
    pub languages: Vec<String>,
    /// Goal.
    pub goal: String,
    /// Cadence.
    pub cadence: Cadence,
    /// Stage (open or asked).
    pub stage: Stage,
    /// Ranked mentors with reasons (the mentee's open requests only).
    pub suggestions: Vec<Suggestion>,
}

/// A logged session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionView {
    /// The contribution's id.
    pub contribution_id: i64,
    /// Who logged it.
    pub by: String,
    /// When.
    pub done_on: NaiveDate,
    /// Hours.
    pub hours: f64,
    /// What it covered.
    pub note: String,
    /// reported, verified, declined or withdrawn.
    pub status: String,
    /// Whether the viewer (the other person) may verify it now.
    pub can_verify: bool,
}

/// An active or finished mentorship the viewer is part of.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MentorshipView {
    /// Id.
    pub id: i64,
    /// The mentor's handle.
    pub mentor: String,
    /// The mentee's handle.
    pub mentee: String,
    /// Whether the viewer is the mentor.
    pub viewer_mentors: bool,
    /// What it is about.
    pub topic: String,
    /// Goal.
    pub goal: String,
    /// Cadence.
    pub cadence: Cadence,
    /// Active or completed.
    pub stage: Stage,
    /// Sessions, newest first.
    pub sessions: Vec<SessionView>,
    /// Verified hours so far.
    pub verified_hours: f64,
}

/// What leaders see of mentoring.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MentoringHealth {
    /// Requests not yet accepted (open or asked).
    pub waiting: i64,
    /// Mentors with an open offer.
    pub mentors: i64,
    /// Mentors with no free place.
    pub at_capacity: i64,
    /// Active mentorships.
    pub active: i64,
    /// Average days from request to acceptance.
    pub average_wait_days: Option<f64>,
}

/// The mentoring page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MentoringPage {
    /// Whether the viewer may offer, ask and take part (members).
    pub can_take_part: bool,
    /// The viewer's offer, if they made one.
    pub offer: Option<OwnOffer>,
    /// Mentors with free places.
    pub mentors: Vec<MentorCard>,
    /// The viewer's requests still waiting for a mentor.
    pub requests: Vec<RequestView>,
    /// Requests waiting for the viewer's answer as a mentor.
    pub asked_of_me: Vec<RequestView>,
    /// The viewer's mentorships, active first.
    pub mentorships: Vec<MentorshipView>,
    /// Leaders only.
    pub health: Option<MentoringHealth>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::AppError;

    fn mentor(
        id: i64,
        skills: &[&str],
        proven: &[(&str, i64)],
        capacity: i64,
        active: i64,
    ) -> Candidate {
        Candidate {
            user_id: UserId(id),
            handle: format!("m{id}"),
            skills: skills.iter().map(|s| s.to_string()).collect(),
            proven: proven.iter().map(|(s, n)| (s.to_string(), *n)).collect(),
            languages: vec!["english".into()],
            capacity,
            active,
        }
    }

    fn wanting(skills: &[&str]) -> Wanted {
        Wanted {
            mentee: UserId(99),
            skills: skills.iter().map(|s| s.to_string()).collect(),
            languages: Vec::new(),
        }
    }

    #[test]
    fn proven_skills_rank_above_declared_ones_and_say_so() {
        let declared = mentor(1, &["composting"], &[], 3, 0);
        let proven = mentor(2, &[], &[("composting", 4)], 3, 0);
        let ranked = suggest(&wanting(&["composting"]), &[declared, proven], &[]);
        assert_eq!(ranked.iter().map(|s| s.mentor_id).collect::<Vec<_>>(), [UserId(2), UserId(1)]);
        assert!(ranked[0].reasons[0].contains("Proven in composting: 4 verified contributions"));
        assert!(ranked[1].reasons[0].contains("self-declared"));
    }

    #[test]
    fn load_spreads_to_mentors_with_room_and_full_ones_are_left_out() {
        let busy = mentor(1, &["first aid"], &[], 3, 2);
        let free = mentor(2, &["first aid"], &[], 3, 0);
        let full = mentor(3, &["first aid"], &[("first aid", 9)], 2, 2);
        let ranked = suggest(&wanting(&["first aid"]), &[busy, free, full], &[]);
        assert_eq!(ranked.iter().map(|s| s.mentor_id).collect::<Vec<_>>(), [UserId(2), UserId(1)]);
        assert!(ranked[0].reasons.contains(&"3 of 3 places free".to_owned()));
    }

    #[test]
    fn nobody_is_suggested_to_themselves_without_a_skill_or_after_declining() {
        let me = mentor(99, &["rust"], &[], 3, 0);
        let other = mentor(1, &["baking"], &[], 3, 0);
        let declined = mentor(2, &["rust"], &[], 3, 0);
        assert!(suggest(&wanting(&["rust"]), &[me, other, declined], &[UserId(2)]).is_empty());
    }

    #[test]
    fn a_shared_language_counts_and_none_costs() {
        let mut wanted = wanting(&["tree care"]);
        wanted.languages = vec!["welsh".into()];
        let mut welsh = mentor(1, &["tree care"], &[], 3, 0);
        welsh.languages = vec!["welsh".into()];
        let english = mentor(2, &["tree care"], &[("tree care", 1)], 3, 0);
        let ranked = suggest(&wanted, &[english, welsh], &[]);
        // Declared + shared language (1 + 1) beats proven without one (3 - 2).
        assert_eq!(ranked[0].mentor_id, UserId(1));
        assert!(ranked[0].reasons.contains(&"Speaks welsh".to_owned()));
        assert!(ranked[1].reasons.contains(&"No language in common listed".to_owned()));
    }

    #[test]
    fn forms_report_every_problem() {
        let offer = OfferForm { capacity: "11".into(), ..OfferForm::default() };
        let Err(AppError::Validation(errors)) = offer.validate() else { panic!("invalid offer") };
        assert!(errors.get("skills").is_some() && errors.get("capacity").is_some());
        let request =
            RequestForm { topic: "x".into(), cadence: "daily".into(), ..Default::default() };
        let Err(AppError::Validation(errors)) = request.validate() else {
            panic!("invalid request")
        };
        for field in ["topic", "wanted_skills", "cadence"] {
            assert!(errors.get(field).is_some(), "{field}");
        }
        let today = NaiveDate::from_ymd_opt(2027, 5, 1).unwrap();
        let session =
            SessionForm { done_on: "2027-05-02".into(), hours: "13".into(), note: String::new() };
        let Err(AppError::Validation(errors)) = session.validate(today) else {
            panic!("invalid session")
        };
        assert!(errors.get("done_on").is_some() && errors.get("hours").is_some());
    }

    #[test]
    fn average_wait_is_a_plain_mean() {
        assert_eq!(average_wait_days(&[]), None);
        assert_eq!(average_wait_days(&[1.0, 2.0, 6.0]), Some(3.0));
    }
}
