//! `/c/{slug}/challenges`: running, upcoming and ended challenges; leaders start a new one.

use leptos::form::ActionForm;
use leptos::prelude::*;

use crate::api::challenges::{CreateChallenge, list_challenges};
use crate::components::challenges::ChallengeList;
use crate::components::form::{
    Choice, ErrorSummary, Field, Hidden, Select, Submit, TextArea, TitleAndDescription, form_error,
};
use crate::components::page::{OnReload, PageHeading, Section, community_data, community_page};
use crate::domain::challenges::{ChallengeMode, Measure, TeamScore};

/// A community's challenges.
#[component]
pub fn ChallengesPage() -> impl IntoView {
    let create = ServerAction::<CreateChallenge>::new();
    let error = form_error(create.value());
    let data = community_data(|| (), |slug, _| list_challenges(slug));
    community_page(Some("Challenges"), OnReload::Loading, data, move |page, community| {
        let slug = community.slug;
        let form_slug = slug.clone();
        let form = page.can_create.then(move || {
            let slug = form_slug;
            let today = page.today.format("%Y-%m-%d").to_string();
            view! {
                <Section heading="New challenge" id="new-challenge-heading" class="card">
                    <ActionForm action=create>
                        <ErrorSummary error />
                        <Hidden name="slug" value=slug.clone() />
                        <TitleAndDescription
                            error
                            hint="Markdown: why it matters, how to take part."
                        />
                        <Select
                            label="What counts"
                            name="measure"
                            input_name="form[measure]"
                            error
                            options=Measure::options()
                            selected="hours"
                        />
                        <Choice
                            label="Only for this initiative"
                            name="initiative_id"
                            error
                            options=page.initiatives.clone()
                            none="Any initiative"
                        />
                        <Choice
                            label="Only towards this goal"
                            name="goal_id"
                            error
                            options=page.goals.clone()
                            none="Any goal"
                        />
                        <Field
                            label="Target"
                            name="target"
                            input_name="form[target]"
                            step="any"
                            kind="number"
                            error
                        />
                        <div class="field-row">
                            <Field
                                label="First day"
                                name="starts_on"
                                input_name="form[starts_on]"
                                kind="date"
                                error
                                value=today
                            />
                            <Field
                                label="Last day"
                                name="ends_on"
                                input_name="form[ends_on]"
                                kind="date"
                                error
                            />
                        </div>
                        <Field
                            label="Grace days for late verification"
                            name="grace_days"
                            input_name="form[grace_days]"
                            kind="number"
                            error
                            required=false
                            value="3"
                        />
                        <Field
                            label="Most that counts per member per day"
                            name="daily_cap"
                            input_name="form[daily_cap]"
                            kind="number"
                            error
                            required=false
                            hint="Leave empty for no cap."
                        />
                        <Select
                            label="How people take part"
                            name="mode"
                            input_name="form[mode]"
                            error
                            options=ChallengeMode::options()
                            selected="collective"
                        />
                        <TextArea
                            label="Teams (one per line)"
                            name="teams"
                            input_name="form[teams]"
                            error
                            rows=3
                            hint="For a teams challenge: 2 to 20 names."
                        />
                        <Select
                            label="A team's score"
                            name="team_score"
                            input_name="form[team_score]"
                            error
                            options=TeamScore::options()
                            selected="sum"
                        />
                        <Submit label="Start challenge" />
                    </ActionForm>
                </Section>
            }
        });
        let ended_slug = slug.clone();
        view! {
            <PageHeading
                title="Challenges"
                lede="Time-boxed drives, measured only on verified contributions done inside the window."
            />
            <Section heading="Now and next" id="current-heading">
                <ChallengeList
                    slug=slug.clone()
                    challenges=page.current
                    empty="No challenge is running."
                />
            </Section>
            {form}
            <Section heading="Ended" id="ended-heading">
                <ChallengeList slug=ended_slug challenges=page.ended empty="None yet." />
            </Section>
        }
    })
}
