//! The forms to offer to mentor (prefilled with the viewer's offer) and to ask for one.

use leptos::form::ActionForm;
use leptos::prelude::*;

use crate::api::mentoring::{AskForMentor, OfferMentoring};
use crate::components::form::{ErrorSummary, Field, Hidden, Submit, TextArea, form_error};
use crate::components::page::Section;
use crate::domain::mentoring::{Cadence, OwnOffer};

/// "Offer to mentor", or "Your offer" once made.
#[component]
pub fn OfferSection(
    slug: String,
    offer: Option<OwnOffer>,
    action: ServerAction<OfferMentoring>,
) -> impl IntoView {
    let error = form_error(action.value());
    let heading = if offer.is_some() { "Your offer to mentor" } else { "Offer to mentor" };
    let button = if offer.is_some() { "Save offer" } else { "Offer to mentor" };
    let offer = offer.unwrap_or(OwnOffer { capacity: 2, ..OwnOffer::default() });
    view! {
        <Section heading=heading id="offer-heading" class="card">
            <ActionForm action>
                <ErrorSummary error />
                <Hidden name="slug" value=slug />
                <Field
                    label="Skills you can mentor in"
                    name="skills"
                    input_name="form[skills]"
                    error
                    value=offer.skills
                    hint="Comma-separated, e.g. tree care, first aid"
                />
                <Field
                    label="Languages you mentor in"
                    name="languages"
                    input_name="form[languages]"
                    error
                    required=false
                    value=offer.languages
                    hint="Comma-separated, e.g. english, welsh"
                />
                <Field
                    label="People at once"
                    name="capacity"
                    input_name="form[capacity]"
                    kind="number"
                    error
                    value=offer.capacity.to_string()
                    hint="From 0 (paused) to 10"
                />
                <TextArea
                    label="Availability"
                    name="availability"
                    input_name="form[availability]"
                    error
                    rows=2
                    value=offer.availability
                    hint="When and how you can meet, e.g. Tuesday evenings, by video"
                />
                <button type="submit" class="button">
                    {button}
                </button>
            </ActionForm>
        </Section>
    }
    .into_any()
}

/// "Ask for a mentor": what to learn, the goal and how often to check in.
#[component]
pub fn AskSection(slug: String, ask: ServerAction<AskForMentor>) -> impl IntoView {
    let error = form_error(ask.value());
    view! {
        <Section heading="Ask for a mentor" id="ask-heading" class="card">
            <ActionForm action=ask>
                <ErrorSummary error />
                <Hidden name="slug" value=slug />
                <Field
                    label="What do you want to learn?"
                    name="topic"
                    input_name="form[topic]"
                    error
                    maxlength=200
                />
                <Field
                    label="Skills to learn"
                    name="wanted_skills"
                    input_name="form[skills]"
                    error
                    hint="Comma-separated: suggestions match these"
                />
                <Field
                    label="Languages you can learn in"
                    name="wanted_languages"
                    input_name="form[languages]"
                    error
                    required=false
                    hint="Comma-separated; leave empty for any"
                />
                <TextArea
                    label="Your goal"
                    name="goal"
                    input_name="form[goal]"
                    error
                    rows=2
                    hint="What you want to be able to do at the end"
                />
                <div class="field">
                    <label for="cadence">"Check in"</label>
                    <select id="cadence" name="form[cadence]">
                        {Cadence::ALL
                            .into_iter()
                            .map(|c| {
                                view! {
                                    <option value=c.as_str() selected=c == Cadence::Fortnightly>
                                        {c.label()}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </div>
                <Submit label="Ask for a mentor" />
            </ActionForm>
        </Section>
    }
    .into_any()
}
