//! Assembles `/c/{slug}/mentoring` for one viewer: mentors, their own offer, requests
//! with ranked suggestions, requests waiting for their answer, their mentorships with
//! sessions, and (leaders) mentoring health.

use crate::db::Pool;
use chrono::{DateTime, Utc};

use crate::auth::policy::{self, CommunityAction};
use crate::db::mentoring::{self as store, MentorshipRow, OfferRow, SessionRow};
use crate::domain::community::{Community, Standing};
use crate::domain::ids::UserId;
use crate::domain::mentoring::{
    Cadence, Candidate, MentorCard, MentoringHealth, MentoringPage, MentorshipView, OwnOffer,
    RequestView, SessionView, Stage, Wanted, average_wait_days, suggest,
};
use crate::error::AppError;

/// `(id, kind, tag)` rows, as the tag queries return them.
type Tags = [(i64, String, String)];

fn tags_of(tags: &Tags, id: i64, kind: &str) -> Vec<String> {
    tags.iter().filter(|(i, k, _)| *i == id && k == kind).map(|(_, _, t)| t.clone()).collect()
}

/// The mentoring page as `viewer` (standing `standing`) sees it.
pub async fn page(
    pool: &Pool,
    community: &Community,
    standing: Standing,
    viewer: Option<UserId>,
) -> Result<MentoringPage, AppError> {
    let can_take_part =
        policy::can_in_community(standing, community.visibility, CommunityAction::Mentor);
    let offers = store::offers(pool, community.id).await?;
    let offer_tags = store::offer_tags(pool, community.id).await?;
    let proven = store::proven_skills(pool, community.id).await?;
    let candidates: Vec<Candidate> = offers
        .iter()
        .map(|o| Candidate {
            user_id: o.user_id,
            handle: o.handle.clone(),
            skills: tags_of(&offer_tags, o.id, "skill"),
            proven: proven
                .iter()
                .filter(|(u, _, _)| *u == o.user_id)
                .map(|(_, s, n)| (s.clone(), *n))
                .collect(),
            languages: tags_of(&offer_tags, o.id, "language"),
            capacity: o.capacity,
            active: o.active,
        })
        .collect();
    let mut mentors: Vec<MentorCard> = candidates
        .iter()
        .zip(&offers)
        .filter(|(c, _)| c.capacity > 0)
        .map(|(c, o)| MentorCard {
            handle: c.handle.clone(),
            skills: c.skills.clone(),
            proven: c.proven.iter().map(|(s, _)| s.clone()).collect(),
            languages: c.languages.clone(),
            availability: o.availability.clone(),
            free: (c.capacity - c.active).max(0),
            capacity: c.capacity,
        })
        .collect();
    mentors.sort_by(|a, b| b.free.cmp(&a.free).then_with(|| a.handle.cmp(&b.handle)));
    let health =
        if standing.is_leader() { Some(health(pool, community, &offers).await?) } else { None };
    let mut page = MentoringPage {
        can_take_part,
        offer: None,
        mentors,
        requests: Vec::new(),
        asked_of_me: Vec::new(),
        mentorships: Vec::new(),
        health,
    };
    let Some(viewer) = viewer.filter(|_| can_take_part) else {
        return Ok(page);
    };
    page.offer = offers.iter().find(|o| o.user_id == viewer).map(|o| OwnOffer {
        skills: tags_of(&offer_tags, o.id, "skill").join(", "),
        languages: tags_of(&offer_tags, o.id, "language").join(", "),
        capacity: o.capacity,
        availability: o.availability.clone(),
    });
    let rows = store::involving(pool, community.id, viewer).await?;
    let request_tags = store::request_tags(pool, community.id, viewer).await?;
    let excluded = store::excluded_mentors(pool, community.id, viewer).await?;
    let sessions = store::sessions(pool, community.id, viewer).await?;
    for row in rows {
        let stage = Stage::parse(&row.status).unwrap_or(Stage::Open);
        match stage {
            Stage::Open | Stage::Asked if row.mentee_id == viewer => {
                let not_again: Vec<UserId> = excluded
                    .iter()
                    .filter(|(request, _)| *request == 0 || *request == row.id)
                    .map(|(_, mentor)| *mentor)
                    .collect();
                let mut view = request_view(&row, stage, &request_tags);
                if stage == Stage::Open {
                    let wanted = Wanted {
                        mentee: viewer,
                        skills: view.skills.clone(),
                        languages: view.languages.clone(),
                    };
                    view.suggestions = suggest(&wanted, &candidates, &not_again);
                }
                page.requests.push(view);
            }
            Stage::Asked => page.asked_of_me.push(request_view(&row, stage, &request_tags)),
            Stage::Active | Stage::Completed => {
                page.mentorships.push(mentorship_view(row, stage, viewer, &sessions));
            }
            Stage::Open | Stage::Withdrawn => {}
        }
    }
    page.mentorships.sort_by_key(|m| m.stage != Stage::Active);
    Ok(page)
}

fn request_view(row: &MentorshipRow, stage: Stage, tags: &Tags) -> RequestView {
    RequestView {
        id: row.id,
        mentee: row.mentee.clone(),
        mentor: row.mentor.clone(),
        topic: row.topic.clone(),
        skills: tags_of(tags, row.id, "skill"),
        languages: tags_of(tags, row.id, "language"),
        goal: row.goal.clone(),
        cadence: Cadence::parse(&row.cadence).unwrap_or(Cadence::Fortnightly),
        stage,
        suggestions: Vec::new(),
    }
}

fn mentorship_view(
    row: MentorshipRow,
    stage: Stage,
    viewer: UserId,
    sessions: &[SessionRow],
) -> MentorshipView {
    let sessions: Vec<SessionView> = sessions
        .iter()
        .filter(|s| s.mentorship_id == row.id)
        .map(|s| SessionView {
            contribution_id: s.contribution_id,
            by: s.author.clone(),
            done_on: s.done_on.parse().unwrap_or_default(),
            hours: s.hours.unwrap_or(0.0),
            note: s.note.clone(),
            status: s.status.clone(),
            can_verify: s.status == "reported" && s.author_id != viewer,
        })
        .collect();
    let verified_hours =
        sessions.iter().filter(|s| s.status == "verified").map(|s| s.hours).sum::<f64>();
    MentorshipView {
        id: row.id,
        mentor: row.mentor.unwrap_or_default(),
        mentee: row.mentee,
        viewer_mentors: row.mentor_id == Some(viewer),
        topic: row.topic,
        goal: row.goal,
        cadence: Cadence::parse(&row.cadence).unwrap_or(Cadence::Fortnightly),
        stage,
        sessions,
        verified_hours,
    }
}

async fn health(
    pool: &Pool,
    community: &Community,
    offers: &[OfferRow],
) -> Result<MentoringHealth, AppError> {
    let open: Vec<&OfferRow> = offers.iter().filter(|o| o.capacity > 0).collect();
    let waits: Vec<f64> = store::waits(pool, community.id)
        .await?
        .iter()
        .filter_map(|(asked, accepted)| {
            let asked = asked.parse::<DateTime<Utc>>().ok()?;
            let accepted = accepted.parse::<DateTime<Utc>>().ok()?;
            Some((accepted - asked).num_seconds().max(0) as f64 / 86_400.0)
        })
        .collect();
    Ok(MentoringHealth {
        waiting: store::waiting_count(pool, community.id).await?,
        mentors: open.len() as i64,
        at_capacity: open.iter().filter(|o| o.active >= o.capacity).count() as i64,
        active: offers.iter().map(|o| o.active).sum(),
        average_wait_days: average_wait_days(&waits),
    })
}
