//! The viewer's mentorships: goal, cadence, verified hours, sessions (the other person
//! verifies each), the form to log one, and completing.

use leptos::form::ActionForm;
use leptos::prelude::*;

use super::Actions;
use crate::components::charts::figure;
use crate::components::form::{ActionButton, Hidden, Submit};
use crate::components::page::{Section, list_if_any};
use crate::domain::mentoring::{MentorshipView, SessionView, Stage};

/// Every mentorship of the viewer, active first.
#[component]
pub fn Mentorships(
    slug: String,
    mentorships: Vec<MentorshipView>,
    actions: Actions,
) -> impl IntoView {
    list_if_any(mentorships, "plain-list", |m| view! { <Mentorship slug=slug.clone() m actions /> })
        .map(|list| {
            view! {
                <Section heading="Your mentorships" id="mentorships-heading">
                    {list}
                </Section>
            }
        })
}

#[component]
fn Mentorship(slug: String, m: MentorshipView, actions: Actions) -> impl IntoView {
    let title = if m.viewer_mentors {
        format!("You mentor @{}", m.mentee)
    } else {
        format!("@{} mentors you", m.mentor)
    };
    let active = m.stage == Stage::Active;
    let meta = format!(
        "{} · {} · {} verified hours{}",
        m.topic,
        m.cadence.label(),
        figure(m.verified_hours),
        if active { "" } else { " · completed" },
    );
    let id = m.id;
    view! {
        <li class="card">
            <h3>{title}</h3>
            <p class="meta">{meta}</p>
            {(!m.goal.is_empty()).then(|| view! { <p>{format!("Goal: {}", m.goal)}</p> })}
            {list_if_any(
                    m.sessions.iter(),
                    "sessions",
                    |s| {
                        view! { <Session slug=slug.clone() s=s.clone() actions /> }
                    },
                )
                .map(|list| {
                    view! {
                        <h4>"Sessions"</h4>
                        {list}
                    }
                })}
            {active
                .then(|| {
                    view! {
                        <LogSession slug=slug.clone() id actions />
                        <FinishButton
                            slug=slug.clone()
                            id
                            label="Mark this mentorship completed"
                            actions
                        />
                    }
                })}
        </li>
    }
    .into_any()
}

fn status_label(status: &str) -> &'static str {
    match status {
        "verified" => "Verified",
        "declined" => "Declined",
        "withdrawn" => "Withdrawn",
        _ => "Waiting for verification",
    }
}

#[component]
fn Session(slug: String, s: SessionView, actions: Actions) -> impl IntoView {
    let line = format!(
        "{} · {} h · logged by @{} · {}",
        s.done_on,
        figure(s.hours),
        s.by,
        status_label(&s.status)
    );
    view! {
        <li>
            <p>{line}</p>
            {(!s.note.is_empty()).then(|| view! { <p class="meta">{s.note.clone()}</p> })}
            {s
                .can_verify
                .then(|| {
                    view! {
                        <div class="actions">
                            <VerifyButton
                                slug=slug.clone()
                                contribution=s.contribution_id
                                decision="verify"
                                label=format!("Verify session of {}", s.done_on)
                                actions
                            />
                            <VerifyButton
                                slug=slug.clone()
                                contribution=s.contribution_id
                                decision="decline"
                                label="Decline".to_owned()
                                actions
                            />
                        </div>
                    }
                })}
        </li>
    }
    .into_any()
}

/// The form to log a session; its fields' ids carry the mentorship's id so several
/// mentorships can sit on one page.
#[component]
fn LogSession(slug: String, id: i64, actions: Actions) -> impl IntoView {
    let date_id = format!("session-date-{id}");
    let hours_id = format!("session-hours-{id}");
    let note_id = format!("session-note-{id}");
    view! {
        <details class="log-session">
            <summary>"Log a session"</summary>
            <ActionForm action=actions.log>
                <Hidden name="slug" value=slug />
                <Hidden name="mentorship" value=id.to_string() />
                <div class="field">
                    <label for=date_id.clone()>"Date"</label>
                    <input id=date_id type="date" name="form[done_on]" required=true />
                </div>
                <div class="field">
                    <label for=hours_id.clone()>"Hours"</label>
                    <input
                        id=hours_id
                        type="number"
                        name="form[hours]"
                        min="0.25"
                        max="12"
                        step="0.25"
                        required=true
                    />
                </div>
                <div class="field">
                    <label for=note_id.clone()>"What you covered"</label>
                    <textarea id=note_id name="form[note]" rows="2"></textarea>
                </div>
                <Submit label="Log session" />
            </ActionForm>
        </details>
    }
    .into_any()
}

/// Completes a mentorship, or withdraws a request.
#[component]
pub fn FinishButton(slug: String, id: i64, label: &'static str, actions: Actions) -> impl IntoView {
    view! {
        <ActionButton
            action=actions.finish
            fields=vec![("slug", slug), ("id", id.to_string())]
            label=label
            class="link-button"
            form_class="inline-form"
        />
    }
    .into_any()
}

/// Verifies or declines one session.
#[component]
fn VerifyButton(
    slug: String,
    contribution: i64,
    decision: &'static str,
    label: String,
    actions: Actions,
) -> impl IntoView {
    let class = if decision == "verify" { "button" } else { "link-button" };
    view! {
        <ActionButton
            action=actions.verify
            fields=vec![
                ("slug", slug),
                ("contribution", contribution.to_string()),
                ("decision", decision.into()),
            ]
            label=label
            class=class
            form_class="inline-form"
        />
    }
    .into_any()
}
