//! `/c/{slug}/events/new`: a leader (or an initiative's owner) plans an event.

use leptos::form::ActionForm;
use leptos::prelude::*;

use super::form::{EventBasics, Seats};
use crate::api::events::{CreateEvent, list_events};
use crate::components::form::{
    ErrorSummary, Field, Hidden, InitiativeAndGoal, Select, Submit, form_error,
};
use crate::components::page::{OnReload, community_data, community_page};
use crate::domain::events::Recurrence;

/// The form for a new event.
#[component]
pub fn NewEventPage() -> impl IntoView {
    let create = ServerAction::<CreateEvent>::new();
    let error = form_error(create.value());
    let data = community_data(|| (), |slug, _| list_events(slug, None));
    community_page(Some("New event"), OnReload::Loading, data, move |page, community| {
        let slug = community.slug;
        if !page.can_host {
            return view! {
                <h1>"New event"</h1>
                <p>"Leaders plan events, and members plan them for the initiatives they lead."</p>
            }
            .into_any();
        }
        let recurrences: Vec<(&'static str, &'static str)> =
            Recurrence::ALL.iter().map(|r| (r.as_str(), r.label())).collect();
        let content = view! {
            <h1>"New event"</h1>
            <section class="card">
                <ActionForm action=create>
                    <ErrorSummary error />
                    <Hidden name="slug" value=slug.clone() />
                    <EventBasics error with_date=true />
                    <Field
                        label="Time zone"
                        name="time_zone"
                        input_name="form[time_zone]"
                        error
                        value=page.time_zone.clone()
                        hint="The zone its times are in, e.g. Europe/London or America/New_York."
                    />
                    <Select
                        label="Repeats"
                        name="recurrence"
                        input_name="form[recurrence]"
                        error
                        options=recurrences
                        selected="once"
                    />
                    <Field
                        label="Last date (repeating events)"
                        name="until"
                        input_name="form[until]"
                        kind="date"
                        error
                        required=false
                    />
                    <Seats
                        error
                        hint="Leave empty for no limit. When it is full, people join a waitlist."
                    />
                    <Field
                        label="Guests each member may bring"
                        name="guests_max"
                        input_name="form[guests_max]"
                        kind="number"
                        error
                        required=false
                        value="0"
                    />
                    <Field
                        label="RSVPs close (hours before the start)"
                        name="rsvp_cutoff_hours"
                        input_name="form[rsvp_cutoff_hours]"
                        kind="number"
                        error
                        required=false
                    />
                    <InitiativeAndGoal
                        error
                        initiatives=page.initiatives.clone()
                        goals=page.goals.clone()
                    />
                    <p class="hint">
                        "Each person checked in counts towards the goal: their hours if the goal is in hours, otherwise one person."
                    </p>
                    <Field
                        label="Hours credited per attendee"
                        name="credited_hours"
                        input_name="form[credited_hours]"
                        step="any"
                        kind="number"
                        error
                        required=false
                        hint="Leave empty to credit the scheduled length."
                    />
                    <Select
                        label="Hours credited from"
                        name="hours_from"
                        input_name="form[hours_from]"
                        error
                        options=vec![
                            ("schedule", "The schedule, at check-in"),
                            ("presence", "Time present: check-in to check-out"),
                        ]
                        selected="schedule"
                    />
                    <Select
                        label="Who can see it"
                        name="visibility"
                        input_name="form[visibility]"
                        error
                        options=vec![
                            ("members", "Members only"),
                            ("public", "Anyone who can see the community"),
                        ]
                        selected="members"
                    />
                    <div class="field checkbox">
                        <input
                            type="checkbox"
                            id="reminders"
                            name="form[reminders]"
                            value="yes"
                            checked
                        />
                        <label for="reminders">"Remind people 24 hours and 1 hour before"</label>
                    </div>
                    <Submit label="Create event" />
                </ActionForm>
            </section>
        };
        content.into_any()
    })
}
