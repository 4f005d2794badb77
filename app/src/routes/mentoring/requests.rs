//! Requests: those waiting for the viewer's answer as a mentor, and the viewer's own
//! with ranked, explained suggestions and a button to ask each.

use leptos::prelude::*;

use super::Actions;
use crate::components::form::ActionButton;
use crate::components::page::{Section, list_if_any};
use crate::domain::mentoring::{RequestView, Stage, Suggestion};

/// What a request asks for, in one line.
fn asks_for(r: &RequestView) -> String {
    let mut parts = vec![format!("Skills: {}", r.skills.join(", "))];
    if !r.languages.is_empty() {
        parts.push(format!("in {}", r.languages.join(" or ")));
    }
    parts.push(r.cadence.label().to_owned());
    parts.join(" · ")
}

/// Requests waiting for the viewer's answer: accept or decline each.
#[component]
pub fn AskedOfMe(slug: String, requests: Vec<RequestView>, actions: Actions) -> impl IntoView {
    list_if_any(requests, "plain-list", |r| {
        view! {
            <li class="card">
                <h3>{format!("@{} wants to learn: {}", r.mentee, r.topic)}</h3>
                <p class="meta">{asks_for(&r)}</p>
                {(!r.goal.is_empty()).then(|| view! { <p>{format!("Goal: {}", r.goal)}</p> })}
                <div class="actions">
                    {["accept", "decline"]
                        .map(|answer| {
                            view! {
                                <AnswerButton
                                    slug=slug.clone()
                                    request=r.id
                                    answer
                                    mentee=r.mentee.clone()
                                    actions
                                />
                            }
                        })}
                </div>
            </li>
        }
    })
    .map(|list| {
        view! {
            <Section heading="Asked of you" id="asked-heading">
                {list}
            </Section>
        }
    })
}

/// The viewer's requests not yet accepted, with suggestions for open ones.
#[component]
pub fn OwnRequests(slug: String, requests: Vec<RequestView>, actions: Actions) -> impl IntoView {
    list_if_any(requests, "plain-list", |r| {
        let status = match (&r.stage, &r.mentor) {
            (Stage::Asked, Some(mentor)) => {
                format!("Waiting for @{mentor} to answer")
            }
            _ => "Choose a mentor to ask".to_owned(),
        };
        view! {
            <li class="card">
                <h3>{r.topic.clone()}</h3>
                <p class="meta">{asks_for(&r)}</p>
                <p class="status">{status}</p>
                {(r.stage == Stage::Open)
                    .then(|| {
                        view! {
                            <Suggestions
                                slug=slug.clone()
                                request=r.id
                                suggestions=r.suggestions.clone()
                                actions
                            />
                        }
                    })}
                <super::mentorships::FinishButton
                    slug=slug.clone()
                    id=r.id
                    label="Withdraw this request"
                    actions
                />
            </li>
        }
    })
    .map(|list| {
        view! {
            <Section heading="Your requests" id="requests-heading">
                {list}
            </Section>
        }
    })
}

/// Ranked mentors for one request, each with the reasons it was suggested.
#[component]
fn Suggestions(
    slug: String,
    request: i64,
    suggestions: Vec<Suggestion>,
    actions: Actions,
) -> impl IntoView {
    if suggestions.is_empty() {
        return view! {
            <p class="empty">
                "No mentor with these skills has room right now. Leaders can see your request is waiting."
            </p>
        }
        .into_any();
    }
    view! {
        <h4>"Suggested mentors"</h4>
        <ol class="suggestions">
            {suggestions
                .into_iter()
                .map(|s| {
                    view! {
                        <li>
                            <strong>{format!("@{}", s.handle)}</strong>
                            <ul class="reasons">
                                {s
                                    .reasons
                                    .iter()
                                    .map(|r| view! { <li>{r.clone()}</li> })
                                    .collect_view()}
                            </ul>
                            <ChooseButton
                                slug=slug.clone()
                                request
                                mentor=s.handle.clone()
                                actions
                            />
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    }
    .into_any()
}

/// Accepts or declines one request.
#[component]
fn AnswerButton(
    slug: String,
    request: i64,
    answer: &'static str,
    mentee: String,
    actions: Actions,
) -> impl IntoView {
    let (verb, class) =
        if answer == "accept" { ("Accept", "button") } else { ("Decline", "button secondary") };
    let label = format!("{verb} @{mentee}");
    view! {
        <ActionButton
            action=actions.answer
            fields=vec![("slug", slug), ("request", request.to_string()), ("answer", answer.into())]
            label=label
            class=class
            form_class="inline-form"
        />
    }
    .into_any()
}

/// Asks one suggested mentor.
#[component]
fn ChooseButton(slug: String, request: i64, mentor: String, actions: Actions) -> impl IntoView {
    view! {
        <ActionButton
            action=actions.choose
            fields=vec![
                ("slug", slug),
                ("request", request.to_string()),
                ("mentor", mentor.clone()),
            ]
            label=format!("Ask @{mentor}")
            form_class="inline-form"
        />
    }
    .into_any()
}
