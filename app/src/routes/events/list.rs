//! `/c/{slug}/events` (upcoming and past, by initiative) and `/events` (mine, everywhere).

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::events::{
    NewCalendarFeed, RevokeCalendarFeed, calendar_feed, list_events, my_events,
};
use crate::components::events::OccurrenceList;
use crate::components::form::{ActionButton, Submit};
use crate::components::page::{OnReload, Section, community_data, community_page, loaded};
use crate::params::{use_query_number, use_query_param};

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
                    <Submit label="Show" class="button secondary small" />
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
            <Section heading="Upcoming" id="upcoming-heading">
                <OccurrenceList occurrences=page.upcoming empty="Nothing planned yet." />
            </Section>
            <Section heading="Past" id="past-heading">
                <OccurrenceList occurrences=page.past empty="No past events yet." />
            </Section>
            {page
                .public_calendar
                .then(|| {
                    view! {
                        <p>
                            <a href=format!(
                                "/c/{slug}/calendar/events.ics",
                            )>"Calendar of public events (.ics)"</a>
                        </p>
                    }
                })}
        }
    })
}

/// Everything the signed-in person is going to, waiting for, or was offered a seat at, and
/// their private calendar link.
#[component]
pub fn MyEventsPage() -> impl IntoView {
    let mine = Resource::new(|| (), |_| my_events());
    let create = ServerAction::<NewCalendarFeed>::new();
    let revoke = ServerAction::<RevokeCalendarFeed>::new();
    let feed = Resource::new(
        move || (create.version().get(), revoke.version().get()),
        |_| calendar_feed(),
    );
    let shown = use_query_param("feed");
    let link = move || match create.value().get() {
        Some(Ok(link)) => Some(link),
        _ => shown.get(),
    };
    view! {
        <Title text="My events" />
        <h1>"My events"</h1>
        <Section heading="In your calendar app" id="calendar-heading" class="card">
            {move || {
                link()
                    .map(|link| {
                        view! {
                            <p>"Your private link — subscribe to it, and keep it to yourself:"</p>
                            <p class="notice">{link}</p>
                        }
                    })
            }}
            {loaded(
                feed,
                move |has_feed| {
                    let create_label = if has_feed {
                        "Make a new private link (the old one stops working)"
                    } else {
                        "Make a private calendar link"
                    };
                    view! {
                        <ActionButton
                            action=create
                            fields=vec![]
                            label=create_label
                            class="button secondary"
                        />
                        {has_feed
                            .then(|| {
                                view! {
                                    <ActionButton
                                        action=revoke
                                        fields=vec![]
                                        label="Turn the private link off"
                                        class="button secondary"
                                    />
                                }
                            })}
                    }
                },
            )}
        </Section>
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
