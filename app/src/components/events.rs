//! Pieces of the event pages: an occurrence in a list, and the RSVP forms.

use leptos::form::ActionForm;
use leptos::prelude::*;

use crate::api::events::RsvpEvent;
use crate::components::community::plural;
use crate::components::form::Hidden;
use crate::components::page::list_or_empty;
use crate::domain::events::{OccurrenceSummary, RsvpStatus};

/// What a member's own answer says, in words.
pub fn status_words(status: RsvpStatus) -> &'static str {
    match status {
        RsvpStatus::Going => "You're going",
        RsvpStatus::Waitlisted => "You're on the waitlist",
        RsvpStatus::Offered => "A seat is held for you",
        RsvpStatus::Interested => "You're interested",
        RsvpStatus::NotGoing => "You're not going",
    }
}

/// Seats in words: "12 of 20 seats taken", or "5 going" without a limit.
pub fn seats_words(o: &OccurrenceSummary) -> String {
    match o.capacity {
        Some(capacity) if o.seats_taken >= capacity => {
            format!("Full: {}", plural(capacity, "seat"))
        }
        Some(capacity) => format!("{} of {capacity} seats taken", o.seats_taken),
        None => format!("{} going", o.seats_taken),
    }
}

/// Occurrences as cards; `show_community` names each one's community (for `/events`).
#[component]
pub fn OccurrenceList(
    occurrences: Vec<OccurrenceSummary>,
    /// What to say when there are none.
    empty: &'static str,
    /// Name each occurrence's community.
    #[prop(optional)]
    show_community: bool,
) -> impl IntoView {
    list_or_empty(occurrences, empty, "plain-list event-list", |o| {
        let href = format!("/c/{}/e/{}", o.community_slug, o.id);
        let place = match (o.place.is_empty(), o.online) {
            (false, true) => format!("{} and online", o.place),
            (true, true) => "Online".to_owned(),
            _ => o.place.clone(),
        };
        let mine = o.my_status.0.filter(|s| *s != RsvpStatus::NotGoing).map(status_words);
        view! {
            <li class="card event-card">
                <h3>
                    <a href=href>{o.title.clone()}</a>
                    {o
                        .cancelled
                        .then(|| {
                            view! {
                                " "
                                <span class="badge warning">"Cancelled"</span>
                            }
                        })}
                </h3>
                <p class="when">{o.when.clone()}</p>
                <p class="meta">
                    {place} " · " {seats_words(&o)}
                    {o.initiative.clone().map(|i| format!(" · {i}"))}
                    {show_community.then(|| format!(" · {}", o.community_name))}
                </p>
                {mine.map(|m| view! { <p class="badge">{m}</p> })}
            </li>
        }
    })
}

/// One RSVP button as its own small form, so it works without JavaScript.
#[component]
pub fn RsvpButton(
    rsvp: ServerAction<RsvpEvent>,
    slug: String,
    occurrence: i64,
    /// `going`, `interested` or `not_going`.
    response: &'static str,
    /// The button's words.
    label: String,
    /// Guests a member may bring (a "going" form asks how many when above 0).
    #[prop(optional)]
    guests_max: i64,
    /// The guests already chosen.
    #[prop(optional)]
    guests: i64,
    /// A secondary-looking button.
    #[prop(optional)]
    secondary: bool,
    /// Answer every later date of the series too.
    #[prop(optional)]
    whole_series: bool,
) -> impl IntoView {
    let guests_id = format!("guests-{occurrence}{}", if whole_series { "-all" } else { "" });
    view! {
        <ActionForm action=rsvp attr:class="rsvp-form">
            <Hidden name="slug" value=slug />
            <Hidden name="occurrence_id" value=occurrence.to_string() />
            <Hidden name="response" value=response />
            {whole_series.then(|| view! { <Hidden name="whole_series" value="yes" /> })}
            {(response == "going" && guests_max > 0)
                .then(|| {
                    view! {
                        <label for=guests_id.clone()>"Guests"</label>
                        <input
                            id=guests_id
                            name="guests"
                            type="number"
                            min="0"
                            max=guests_max.to_string()
                            value=guests.to_string()
                            inputmode="numeric"
                        />
                    }
                })}
            <button type="submit" class=if secondary { "button secondary" } else { "button" }>
                {label}
            </button>
        </ActionForm>
    }
}

/// "1 person", "3 people".
pub fn people(count: usize) -> String {
    if count == 1 { "1 person".to_owned() } else { format!("{count} people") }
}
