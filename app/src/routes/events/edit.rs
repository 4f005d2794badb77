//! `/c/{slug}/e/{id}/edit`: a host changes this date, this and later dates, or all of them.

use leptos::form::ActionForm;
use leptos::prelude::*;

use super::form::{EventBasics, Seats};
use crate::api::events::{EditEvent, event_edit_form};
use crate::components::form::{ErrorSummary, Hidden, Select, Submit, form_error};
use crate::components::page::{OnReload, community_data, community_page};
use crate::domain::event_edit::EditScope;
use crate::params::use_id;

/// The form for changing an event.
#[component]
pub fn EditEventPage() -> impl IntoView {
    let id = use_id();
    let save = ServerAction::<EditEvent>::new();
    let error = form_error(save.value());
    let data = community_data(move || id.get(), event_edit_form);
    community_page(
        Some("Edit event"),
        OnReload::Loading,
        data,
        move |(occurrence, form), community| {
            let slug = community.slug;
            let scopes: Vec<(&'static str, &'static str)> =
                EditScope::ALL.iter().map(|s| (s.as_str(), s.label())).collect();
            let content = view! {
                <h1>{format!("Edit {}", occurrence.title)}</h1>
                <p class="when">{occurrence.when.clone()}</p>
                <section class="card">
                    <ActionForm action=save>
                        <ErrorSummary error />
                        <Hidden name="slug" value=slug.clone() />
                        <Hidden name="occurrence_id" value=occurrence.id.to_string() />
                        <Select
                            label="Change"
                            name="scope"
                            input_name="form[scope]"
                            error
                            options=scopes
                            selected="this"
                        />
                        <EventBasics error form=form.clone() />
                        <Seats
                            error
                            value=form.capacity
                            hint="Never below the seats already taken; freed seats go to the people waiting."
                        />
                        <Submit label="Save changes" />
                    </ActionForm>
                </section>
            };
            content.into_any()
        },
    )
}
