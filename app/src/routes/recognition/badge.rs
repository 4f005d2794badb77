//! `/c/{slug}/badges/{id}`: what a badge takes and who holds it; leaders change it,
//! award it by hand (with a reason) and revoke awards (with a reason).

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

use super::credentials::OwnAwards;
use crate::api::recognition::badges::{AwardBadge, RevokeAward, UpdateBadge, get_badge};
use crate::api::recognition::credentials::ShareAward;
use crate::components::form::{
    Choice, ErrorSummary, Field, Hidden, Select, Submit, TextArea, first_error,
};
use crate::components::page::{OnReload, Section, community_data, community_page};
use crate::components::recognition::{AwardList, BadgeIconSvg};
use crate::domain::badges::{BadgeForm, BadgeIcon, BadgeMetric, BadgePage as Page, format_levels};
use crate::error::AppError;
use crate::params::use_id;

/// One badge's page.
#[component]
pub fn BadgePage() -> impl IntoView {
    let id = use_id();
    let update = ServerAction::<UpdateBadge>::new();
    let award = ServerAction::<AwardBadge>::new();
    let revoke = ServerAction::<RevokeAward>::new();
    let share = ServerAction::<ShareAward>::new();
    let error = first_error!(update, award, revoke, share);
    let data = community_data(
        move || {
            let versions = [update.version(), award.version(), revoke.version()];
            (id.get(), versions.map(|v| v.get()), share.version().get())
        },
        |slug, (id, ..)| get_badge(slug, id),
    );
    community_page(None, OnReload::KeepContent, data, move |page, community| {
        let slug = community.slug;
        let b = page.badge.clone();
        let manage = page.can_manage.then(|| {
            view! { <Manage page=page.clone() slug=slug.clone() update award revoke error /> }
        });
        view! {
            <Title text=b.name.clone() />
            <article class="badge-page">
                <h1>
                    <BadgeIconSvg icon=b.icon />
                    " "
                    {b.name.clone()}
                </h1>
                <p class="lede">{b.description.clone()}</p>
                <p>
                    <strong>"What it takes: "</strong>
                    {b.criteria.clone()}
                </p>
                <p class="meta">{format!("Rule version {}", b.rule_version)}</p>
                <ErrorSummary error />
                {(!page.mine.is_empty())
                    .then(|| view! { <OwnAwards awards=page.mine.clone() share /> }.into_any())}
                <Section heading="Who holds it" id="holders-heading">
                    <AwardList
                        awards=page.awards.clone()
                        show_holder=true
                        badges_path=format!("/c/{slug}/badges")
                    />
                </Section>
                {manage}
            </article>
        }
    })
}

#[component]
fn Manage(
    page: Page,
    slug: String,
    update: ServerAction<UpdateBadge>,
    award: ServerAction<AwardBadge>,
    revoke: ServerAction<RevokeAward>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let b = page.badge.clone();
    let id = b.id.to_string();
    let form = BadgeForm {
        name: b.name.clone(),
        description: b.description.clone(),
        icon: b.icon.as_str().into(),
        metric: b.rule.as_ref().map_or("manual", |r| r.metric.as_str()).into(),
        goal_id: b.rule.as_ref().and_then(|r| r.goal_id).map(|g| g.to_string()).unwrap_or_default(),
        levels: b.rule.as_ref().map(|r| format_levels(&r.levels)).unwrap_or_default(),
        window_days: b
            .rule
            .as_ref()
            .and_then(|r| r.window_days)
            .map(|d| d.to_string())
            .unwrap_or_default(),
        min_verifiers: b.rule.as_ref().map(|r| r.min_verifiers.to_string()).unwrap_or_default(),
    };
    let (award_slug, award_id) = (slug.clone(), id.clone());
    let by_hand = b.rule.is_none().then(move || {
        let (slug, id) = (award_slug, award_id);
        view! {
            <Section heading="Award it" id="award-heading" class="card">
                <ActionForm action=award>
                    <Hidden name="slug" value=slug.clone() />
                    <Hidden name="id" value=id.clone() />
                    <Field label="Member's handle" name="handle" error />
                    <TextArea label="Why they receive it" name="reason" error rows=2 />
                    <Submit label="Award badge" />
                </ActionForm>
            </Section>
        }
    });
    let live: Vec<(i64, String)> = page
        .awards
        .iter()
        .filter(|a| a.revoked_at.is_none())
        .map(|a| (a.id, format!("{} (level {})", a.display_name, a.level)))
        .collect();
    let revoke_slug = slug.clone();
    let revoke_form = (!live.is_empty()).then(move || {
        let slug = revoke_slug;
        view! {
            <Section heading="Revoke an award" id="revoke-heading" class="card">
                <ActionForm action=revoke>
                    <Hidden name="slug" value=slug.clone() />
                    <div class="field">
                        <label for="award">"Award"</label>
                        <select id="award" name="award">
                            {live
                                .into_iter()
                                .map(|(id, text)| {
                                    view! { <option value=id.to_string()>{text}</option> }
                                })
                                .collect_view()}
                        </select>
                    </div>
                    <TextArea
                        label="Why it is revoked (shown with it)"
                        name="revoke_reason"
                        input_name="reason"
                        error
                        rows=2
                    />
                    <Submit label="Revoke" class="button secondary" />
                </ActionForm>
            </Section>
        }
    });
    view! {
        {by_hand}
        {revoke_form}
        <Section heading="Change this badge" id="edit-badge-heading" class="card">
            <p class="meta">
                "Changing the rule makes a new version; awards already made are kept."
            </p>
            <ActionForm action=update>
                <Hidden name="slug" value=slug.clone() />
                <Hidden name="id" value=id />
                <BadgeFields form goals=page.goals.clone() error />
                <Submit label="Save badge" />
            </ActionForm>
        </Section>
    }
}

/// The fields of the badge form (create and change).
#[component]
pub fn BadgeFields(
    form: BadgeForm,
    goals: Vec<(i64, String)>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let metrics: Vec<(&'static str, &'static str)> =
        std::iter::once(("manual", "Awarded by hand")).chain(BadgeMetric::options()).collect();
    view! {
        <Field
            label="Name"
            name="name"
            input_name="form[name]"
            error
            value=form.name
            maxlength=60usize
        />
        <TextArea
            label="What it celebrates"
            name="description"
            input_name="form[description]"
            error
            rows=2
            value=form.description
        />
        <Select
            label="Icon"
            name="icon"
            input_name="form[icon]"
            error
            options=BadgeIcon::options()
            selected=if form.icon.is_empty() { "star".to_owned() } else { form.icon }
        />
        <Select
            label="Earned by"
            name="metric"
            input_name="form[metric]"
            error
            options=metrics
            selected=if form.metric.is_empty() { "verified_hours".to_owned() } else { form.metric }
        />
        <Choice label="Goal (for quantity towards a goal)" name="goal_id" error options=goals />
        <Field
            label="Levels"
            name="levels"
            input_name="form[levels]"
            error
            required=false
            value=form.levels
            hint="Lowest first, e.g. 10, 50, 100. Not needed for badges given by hand."
        />
        <Field
            label="Only the last N days"
            name="window_days"
            input_name="form[window_days]"
            kind="number"
            error
            required=false
            value=form.window_days
            hint="Empty counts all time."
        />
        <Field
            label="Verified by at least this many other people"
            name="min_verifiers"
            input_name="form[min_verifiers]"
            kind="number"
            error
            required=false
            value=form.min_verifiers
        />
    }
}
