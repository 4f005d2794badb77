//! The fields shared by the new-community and edit-community forms.

use leptos::prelude::*;

use crate::components::form::{Field, Hidden, Select, TextArea};
use crate::domain::community::{
    Community, MISSION_MAX_CHARS, NAME_MAX_CHARS, SLUG_MAX_CHARS, VISION_MAX_CHARS, format_values,
};
use crate::error::AppError;

/// Name, address, mission, vision, values and settings, prefilled from `community`.
#[component]
pub fn CommunityFields(
    error: Signal<Option<AppError>>,
    #[prop(optional)] community: Option<Community>,
) -> impl IntoView {
    let editing = community.is_some();
    let c = community.as_ref();
    let name = c.map(|c| c.name.clone()).unwrap_or_default();
    let mission = c.map(|c| c.mission.clone()).unwrap_or_default();
    let vision = c.map(|c| c.vision.clone()).unwrap_or_default();
    let values = c.map(|c| format_values(&c.values)).unwrap_or_default();
    let visibility = c.map(|c| c.visibility.as_str()).unwrap_or("public");
    let join_policy = c.map(|c| c.join_policy.as_str()).unwrap_or("open");
    let questions = c.map(|c| c.join_questions.join("\n")).unwrap_or_default();
    let self_attested = c.is_some_and(|c| c.self_attestation);
    let time_zone = c.map(|c| c.time_zone.clone()).unwrap_or_else(|| "UTC".to_owned());
    view! {
        <Field
            label="Name"
            name="name"
            input_name="form[name]"
            error
            value=name
            maxlength=NAME_MAX_CHARS
        />
        {(!editing)
            .then(|| {
                view! {
                    <Field
                        label="Address"
                        name="slug"
                        input_name="form[slug]"
                        error
                        required=false
                        hint="Lower-case letters, digits and dashes: kindred/c/your-address. Leave empty to make one from the name."
                        maxlength=SLUG_MAX_CHARS
                    />
                }
            })}
        {editing.then(|| view! { <Hidden name="form[slug]" value="" /> })}
        <TextArea
            label="Mission"
            name="mission"
            input_name="form[mission]"
            error
            value=mission
            hint="Why does this community exist? What change do you want to create?"
            maxlength=MISSION_MAX_CHARS
        />
        <TextArea
            label="Vision"
            name="vision"
            input_name="form[vision]"
            error
            value=vision
            hint="What does the world look like when you succeed? (optional)"
            maxlength=VISION_MAX_CHARS
            rows=3
        />
        <TextArea
            label="Values"
            name="values"
            input_name="form[values]"
            error
            value=values
            hint="One per line, in order, as Name: what it means here. Up to 12. People affirm these when they join."
            rows=6
        />
        <Select
            label="Who can see it"
            name="visibility"
            input_name="form[visibility]"
            error
            selected=visibility
            options=vec![
                ("public", "Public: listed, anyone can read about it"),
                ("private", "Private: only members know it exists"),
            ]
        />
        <Select
            label="How people join"
            name="join_policy"
            input_name="form[join_policy]"
            error
            selected=join_policy
            options=vec![
                ("open", "Open: anyone who affirms the values"),
                ("approval", "Approval: a steward reviews each request"),
                ("invite", "Invite only: by invite link"),
            ]
        />
        <TextArea
            label="Join questions"
            name="join_questions"
            input_name="form[join_questions]"
            error
            value=questions
            hint="For approval communities: one question per line, up to 5."
            rows=3
        />
        <div class="field checkbox">
            <input
                type="checkbox"
                id="self_attestation"
                name="form[self_attestation]"
                value="yes"
                checked=self_attested
            />
            <label for="self_attestation">
                "Members' own contributions count at once (self-attestation, no verifier)"
            </label>
        </div>
        <Field
            label="Time zone"
            name="time_zone"
            input_name="form[time_zone]"
            error
            value=time_zone
            hint="Where the community meets, e.g. Europe/London: new events start in this zone."
        />
    }
}
