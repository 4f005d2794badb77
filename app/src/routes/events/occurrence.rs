//! `/c/{slug}/e/{id}`: one occurrence — when and where, who comes, your answer.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::events::{CancelEvent, RsvpEvent, get_event};
use crate::components::events::{RsvpButton, people, seats_words, status_words};
use crate::components::form::{ErrorSummary, Hidden, form_error};
use crate::components::page::{OnReload, community_data, community_page};
use crate::domain::events::{Attendee, EventPage, RsvpStatus};
use crate::params::use_id;

/// An occurrence's page.
#[component]
pub fn OccurrencePage() -> impl IntoView {
    let id = use_id();
    let rsvp = ServerAction::<RsvpEvent>::new();
    let cancel = ServerAction::<CancelEvent>::new();
    let rsvp_error = form_error(rsvp.value());
    let cancel_error = form_error(cancel.value());
    let error = Signal::derive(move || rsvp_error.get().or_else(|| cancel_error.get()));
    let data = community_data(
        move || (id.get(), rsvp.version().get(), cancel.version().get()),
        |slug, (id, _, _)| get_event(slug, id),
    );
    community_page(None, OnReload::KeepContent, data, move |page, community| {
        let slug = community.slug;
        let o = page.occurrence.clone();
        view! {
            <Title text=o.title.clone() />
            <article class="event">
                <h1>{o.title.clone()}</h1>
                {o
                    .cancelled
                    .then(|| {
                        view! {
                            <p class="warning" role="status">
                                "This occurrence was cancelled."
                            </p>
                        }
                    })}
                <p class="when">{o.when.clone()}</p>
                <p class="meta">
                    {(!o.place.is_empty()).then(|| o.place.clone())}
                    {(!page.online_url.is_empty())
                        .then(|| {
                            view! {
                                " · "
                                <a href=page.online_url.clone() rel="noopener">
                                    "Join online"
                                </a>
                            }
                        })} " · " {page.recurrence.label()}
                    {o.initiative.clone().map(|i| format!(" · for {i}"))}
                </p>
                <p class="seats">
                    {seats_words(&o)}
                    {(page.waiting > 0)
                        .then(|| format!(" · {} waiting", people(page.waiting as usize)))}
                </p>
                <ErrorSummary error />
                <YourAnswer page=page.clone() slug=slug.clone() rsvp />
                <div class="prose" inner_html=page.description_html.clone()></div>
                <Attendees attendees=page.attendees.clone() />
                {(!page.next_in_series.is_empty())
                    .then(|| {
                        view! {
                            <section aria-labelledby="next-heading">
                                <h2 id="next-heading">"Next in this series"</h2>
                                <ul>
                                    {page
                                        .next_in_series
                                        .iter()
                                        .map(|(next, when)| {
                                            view! {
                                                <li>
                                                    <a href=format!("/c/{slug}/e/{next}")>{when.clone()}</a>
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ul>
                            </section>
                        }
                    })}
                {page
                    .can_manage
                    .then(|| {
                        view! {
                            <details class="danger-zone">
                                <summary>"Cancel this occurrence"</summary>
                                <p>
                                    "Everyone going or waiting is told. The occurrence stays listed, marked cancelled."
                                </p>
                                <ActionForm action=cancel>
                                    <Hidden name="slug" value=slug.clone() />
                                    <Hidden name="occurrence_id" value=o.id.to_string() />
                                    <button type="submit" class="button danger">
                                        "Cancel this occurrence"
                                    </button>
                                </ActionForm>
                            </details>
                        }
                    })}
            </article>
        }
    })
}

/// The viewer's answer and the buttons to change it.
#[component]
fn YourAnswer(page: EventPage, slug: String, rsvp: ServerAction<RsvpEvent>) -> impl IntoView {
    let id = page.occurrence.id;
    let mine = page.mine.clone();
    let status = mine.as_ref().map(|m| m.status);
    let summary = mine.as_ref().map(|m| match (m.status, m.position, &m.offer_until) {
        (RsvpStatus::Waitlisted, Some(position), _) => {
            format!("You're on the waitlist: number {position} in line.")
        }
        (RsvpStatus::Offered, _, Some(until)) => {
            format!("A seat opened up and is held for you until {until}. Take it below.")
        }
        (RsvpStatus::Going, _, _) if m.guests > 0 => {
            format!("You're going, with {} guests.", m.guests)
        }
        (status, _, _) => format!("{}.", status_words(status)),
    });
    if !page.can_rsvp {
        let closed = if page.occurrence.cancelled { "" } else { "RSVPs are closed." };
        return view! {
            <section class="card rsvp" aria-labelledby="rsvp-heading">
                <h2 id="rsvp-heading">"Your answer"</h2>
                <p>{summary.unwrap_or_else(|| closed.to_owned())}</p>
            </section>
        }
        .into_any();
    }
    let going_label = match status {
        Some(RsvpStatus::Offered) => "Take the seat",
        Some(RsvpStatus::Going) => "Update guests",
        _ if page.occurrence.capacity.is_some_and(|c| page.occurrence.seats_taken >= c) => {
            "Join the waitlist"
        }
        _ => "Going",
    };
    let guests = mine.as_ref().map_or(0, |m| m.guests);
    view! {
        <section class="card rsvp" aria-labelledby="rsvp-heading">
            <h2 id="rsvp-heading">"Your answer"</h2>
            {summary
                .map(|s| {
                    view! {
                        <p class="status" role="status">
                            {s}
                        </p>
                    }
                })}
            <p class="meta">{format!("RSVPs close {}.", page.rsvp_closes)}</p>
            <div class="rsvp-buttons">
                <RsvpButton
                    rsvp
                    slug=slug.clone()
                    occurrence=id
                    response="going"
                    label=going_label.to_owned()
                    guests_max=page.guests_max
                    guests
                />
                {(status != Some(RsvpStatus::Interested))
                    .then(|| {
                        view! {
                            <RsvpButton
                                rsvp
                                slug=slug.clone()
                                occurrence=id
                                response="interested"
                                label="Interested".to_owned()
                                secondary=true
                            />
                        }
                    })}
                {(status.is_some() && status != Some(RsvpStatus::NotGoing))
                    .then(|| {
                        view! {
                            <RsvpButton
                                rsvp
                                slug=slug.clone()
                                occurrence=id
                                response="not_going"
                                label="Not going".to_owned()
                                secondary=true
                            />
                        }
                    })}
            </div>
        </section>
    }
    .into_any()
}

/// Who comes (members only see names): going, offered a seat, then the waitlist.
#[component]
fn Attendees(attendees: Vec<Attendee>) -> impl IntoView {
    if attendees.is_empty() {
        return ().into_any();
    }
    let (going, waiting): (Vec<_>, Vec<_>) =
        attendees.into_iter().partition(|a| a.status == RsvpStatus::Going);
    let list = |people: Vec<Attendee>| {
        people
            .into_iter()
            .map(|a| {
                let guests = (a.guests > 0).then(|| format!(" +{}", a.guests));
                let offered = (a.status == RsvpStatus::Offered).then_some(" (offered a seat)");
                view! {
                    <li>
                        <a href=format!("/u/{}", a.handle)>{a.display_name}</a>
                        {guests}
                        {offered}
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <section aria-labelledby="going-heading">
            <h2 id="going-heading">{format!("Going ({})", going.len())}</h2>
            <ul class="attendees">{list(going)}</ul>
        </section>
        {(!waiting.is_empty())
            .then(|| {
                view! {
                    <section aria-labelledby="waitlist-heading">
                        <h2 id="waitlist-heading">"Waitlist"</h2>
                        <ol class="attendees">{list(waiting)}</ol>
                    </section>
                }
            })}
    }
    .into_any()
}
