//! `/c/{slug}/events` (upcoming and past, by initiative) and `/events` (mine, everywhere).

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::events::{list_events, my_events};
use crate::components::events::OccurrenceList;
use crate::components::page::{OnReload, community_data, community_page, loaded};
use crate::params::use_query_number;

/// A community's events.
#[component]
pub fn EventsListPage() -> impl IntoView {
    let initiative = use_query_number("initiative");
    let data = community_data(move || initiative.get(), list_events);
    community_page(Some("Events"), OnReload::Loading, data, move |page, community| {
        let slug = community.slug;
        let chosen = initiative.get_untracked().unwrap_or(0);
        let filter = (!page.initiatives.is_empty()).then(|| {
            view! {
                <form method="get" action=format!("/c/{slug}/events") class="filter">
                    <label for="initiative">"Initiative"</label>
                    <select id="initiative" name="initiative">
                        <option value="">"All events"</option>
                        {page
                            .initiatives
                            .iter()
                            .map(|(id, title)| {
                                view! {
                                    <option value=id.to_string() selected=*id == chosen>
                                        {title.clone()}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                    <button type="submit" class="button secondary small">
                        "Show"
                    </button>
                </form>
            }
        });
        view! {
            <h1>"Events"</h1>
            {page
                .can_host
                .then(|| {
                    view! {
                        <p>
                            <a class="button" href=format!("/c/{slug}/events/new")>
                                "New event"
                            </a>
                        </p>
                    }
                })}
            {filter}
            <section aria-labelledby="upcoming-heading">
                <h2 id="upcoming-heading">"Upcoming"</h2>
                <OccurrenceList occurrences=page.upcoming empty="Nothing planned yet." />
            </section>
            <section aria-labelledby="past-heading">
                <h2 id="past-heading">"Past"</h2>
                <OccurrenceList occurrences=page.past empty="No past events yet." />
            </section>
        }
    })
}

/// Everything the signed-in person is going to, waiting for, or was offered a seat at.
#[component]
pub fn MyEventsPage() -> impl IntoView {
    let mine = Resource::new(|| (), |_| my_events());
    view! {
        <Title text="My events" />
        <h1>"My events"</h1>
        {loaded(
            mine,
            |mine| {
                view! {
                    <OccurrenceList
                        occurrences=mine
                        empty="You have no upcoming events. Find some in your communities."
                        show_community=true
                    />
                }
            },
        )}
    }
}
