//! `/c/{slug}/mentoring`: mentors with room, the viewer's requests with explained
//! suggestions, requests waiting for their answer, their mentorships (sessions logged
//! and verified here), the forms to offer and to ask, and leaders' mentoring health.

mod forms;
mod mentorships;
mod requests;

use leptos::prelude::*;

use crate::api::mentoring::{
    AnswerRequest, AskForMentor, ChooseMentor, FinishMentorship, LogSession, OfferMentoring,
    VerifySession, get_mentoring,
};
use crate::components::charts::figure;
use crate::components::form::{ErrorSummary, first_error};
use crate::components::page::{
    Heading, OnReload, Section, community_data, community_page, list_or_empty,
};
use crate::domain::mentoring::{MentorCard, MentoringHealth};

/// Every action the page's forms post to, handed to the sections.
#[derive(Clone, Copy)]
struct Actions {
    offer: ServerAction<OfferMentoring>,
    ask: ServerAction<AskForMentor>,
    choose: ServerAction<ChooseMentor>,
    answer: ServerAction<AnswerRequest>,
    finish: ServerAction<FinishMentorship>,
    log: ServerAction<LogSession>,
    verify: ServerAction<VerifySession>,
}

impl Actions {
    fn new() -> Self {
        Actions {
            offer: ServerAction::new(),
            ask: ServerAction::new(),
            choose: ServerAction::new(),
            answer: ServerAction::new(),
            finish: ServerAction::new(),
            log: ServerAction::new(),
            verify: ServerAction::new(),
        }
    }

    /// Changes whenever any form's post completes.
    fn versions(self) -> [usize; 7] {
        [
            self.offer.version().get(),
            self.ask.version().get(),
            self.choose.version().get(),
            self.answer.version().get(),
            self.finish.version().get(),
            self.log.version().get(),
            self.verify.version().get(),
        ]
    }

    /// The first error of the forms that are not shown with their own fields.
    fn error(self) -> Signal<Option<crate::error::AppError>> {
        first_error!(self.choose, self.answer, self.finish, self.log, self.verify)
    }
}

/// The mentoring page.
#[component]
pub fn MentoringPage() -> impl IntoView {
    let actions = Actions::new();
    let error = actions.error();
    let data = community_data(move || actions.versions(), |slug, _| get_mentoring(slug));
    community_page(
        Heading::WithLede(
            "Mentoring",
            "Learn from members whose verified work proves their skills, and pass on what you know.",
        ),
        OnReload::KeepContent,
        data,
        move |page, community| {
            let slug = community.slug;
            view! {
                <ErrorSummary error />
                {page.health.clone().map(|health| view! { <Health health /> })}
                {(!page.can_take_part)
                    .then(|| {
                        view! {
                            <p class="empty">
                                "Members can offer to mentor and ask for a mentor here."
                            </p>
                        }
                    })}
                <requests::AskedOfMe slug=slug.clone() requests=page.asked_of_me.clone() actions />
                <mentorships::Mentorships
                    slug=slug.clone()
                    mentorships=page.mentorships.clone()
                    actions
                />
                <requests::OwnRequests slug=slug.clone() requests=page.requests.clone() actions />
                {page
                    .can_take_part
                    .then(|| view! { <forms::AskSection slug=slug.clone() ask=actions.ask /> })}
                <Mentors mentors=page.mentors.clone() />
                {page
                    .can_take_part
                    .then(|| {
                        view! {
                            <forms::OfferSection
                                slug=slug.clone()
                                offer=page.offer.clone()
                                action=actions.offer
                            />
                        }
                    })}
            }
        },
    )
}

/// Leaders' view: who is waiting, who is full, how long people wait.
#[component]
fn Health(health: MentoringHealth) -> impl IntoView {
    let wait = match health.average_wait_days {
        Some(days) => format!("{} days", figure((days * 10.0).round() / 10.0)),
        None => "No mentorships started yet".to_owned(),
    };
    view! {
        <Section heading="Mentoring health" id="health-heading" class="card">
            <dl class="facts">
                <dt>"Requests waiting for a mentor"</dt>
                <dd>{health.waiting}</dd>
                <dt>"Mentors at capacity"</dt>
                <dd>{format!("{} of {}", health.at_capacity, health.mentors)}</dd>
                <dt>"Active mentorships"</dt>
                <dd>{health.active}</dd>
                <dt>"Average wait for a mentor"</dt>
                <dd>{wait}</dd>
            </dl>
        </Section>
    }
    .into_any()
}

/// Mentors with an open offer, most room first.
#[component]
fn Mentors(mentors: Vec<MentorCard>) -> impl IntoView {
    view! {
        <Section heading="Mentors" id="mentors-heading">
            {list_or_empty(
                mentors,
                "No one offers to mentor yet.",
                "plain-list",
                |m| {
                    let mut lines = vec![format!("Mentors in {}", m.skills.join(", "))];
                    if !m.proven.is_empty() {
                        lines.push(format!("Proven by verified work: {}", m.proven.join(", ")));
                    }
                    if !m.languages.is_empty() {
                        lines.push(format!("Speaks {}", m.languages.join(", ")));
                    }
                    lines.push(format!("{} of {} places free", m.free, m.capacity));
                    view! {
                        <li class="card">
                            <h3>
                                <a href=format!("/u/{}", m.handle)>{format!("@{}", m.handle)}</a>
                            </h3>
                            <p class="meta">{lines.join(" · ")}</p>
                            {(!m.availability.is_empty())
                                .then(|| view! { <p>{m.availability.clone()}</p> })}
                        </li>
                    }
                },
            )}
        </Section>
    }
    .into_any()
}
