//! `/c/{slug}/contribute` (log work) and `/u/{handle}/contributions` (a person's record).

use crate::params::use_text_param;
use leptos::form::ActionForm;
use leptos::prelude::*;

use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::impact::{
    LogContribution, WithdrawContribution, get_contribute_options, user_contributions,
};
use crate::components::charts::figure;
use crate::components::community::CommunityNav;
use crate::components::feedback::{ErrorPage, Loading};
use crate::components::form::{
    ActionButton, Choice, ErrorSummary, Field, FormKey, Hidden, Submit, TextArea, form_error,
};
use crate::components::impact::amount;
use crate::components::page::list_or_empty;
use crate::context::use_session;
use crate::domain::impact::ContributionStatus;
use crate::params::use_slug;

/// The log-a-contribution form. `?initiative=ID` preselects an initiative.
#[component]
pub fn ContributePage() -> impl IntoView {
    let slug = use_slug();
    let query = use_query_map();
    let preselect = query.read_untracked().get("initiative").unwrap_or_default();
    let log = ServerAction::<LogContribution>::new();
    let error = form_error(log.value());
    let options = Resource::new(move || slug.get(), get_contribute_options);
    view! {
        <Title text="Log a contribution" />
        <Suspense fallback=Loading>
            {move || {
                let preselect = preselect.clone();
                Suspend::new(async move {
                    match options.await {
                        Ok(o) => {
                            let slug = slug.get_untracked();
                            view! {
                                <CommunityNav slug=slug.clone() leader=false />
                                <section class="card">
                                    <h1>"Log a contribution"</h1>
                                    <p class="lede">
                                        {if o.self_attestation {
                                            "It counts towards the goals as soon as you save it."
                                        } else {
                                            "A steward or the initiative's owner verifies it; then it counts towards the goals."
                                        }}
                                    </p>
                                    <ActionForm action=log>
                                        <ErrorSummary error />
                                        <Hidden name="slug" value=slug.clone() />
                                        <FormKey version=log.version() />
                                        <Field
                                            label="What did you do?"
                                            name="description"
                                            input_name="form[description]"
                                            error
                                            maxlength=500usize
                                        />
                                        <Field
                                            label="When"
                                            name="done_on"
                                            input_name="form[done_on]"
                                            kind="date"
                                            error
                                            value=o.today.to_string()
                                        />
                                        <Choice
                                            label="Goal it moves"
                                            name="goal_id"
                                            error
                                            none="— none —"
                                            options=o
                                                .goals
                                                .iter()
                                                .map(|(id, title, unit)| (*id, format!("{title} ({unit})")))
                                                .collect()
                                        />
                                        <Field
                                            label="Quantity, in the goal's unit"
                                            name="quantity"
                                            input_name="form[quantity]"
                                            step="any"
                                            kind="number"
                                            required=false
                                            error
                                        />
                                        <Field
                                            label="Hours"
                                            name="hours"
                                            input_name="form[hours]"
                                            step="any"
                                            kind="number"
                                            required=false
                                            error
                                        />
                                        <Choice
                                            label="Initiative"
                                            name="initiative_id"
                                            error
                                            none="— none —"
                                            options=o.initiatives.clone()
                                            selected=preselect.parse().ok()
                                        />
                                        <Field
                                            label="Evidence link (optional)"
                                            name="evidence_url"
                                            input_name="form[evidence_url]"
                                            kind="url"
                                            required=false
                                            error
                                        />
                                        <TextArea
                                            label="Note for the verifier (optional)"
                                            name="note"
                                            input_name="form[note]"
                                            error
                                            rows=3
                                        />
                                        <Submit label="Log contribution" />
                                    </ActionForm>
                                </section>
                            }
                                .into_any()
                        }
                        Err(error) => view! { <ErrorPage error /> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

fn status_text(status: ContributionStatus) -> &'static str {
    match status {
        ContributionStatus::Reported => "Reported — waiting for verification",
        ContributionStatus::Verified => "Verified",
        ContributionStatus::Declined => "Declined",
        ContributionStatus::Withdrawn => "Withdrawn",
    }
}

/// A person's contribution record, with exports.
#[component]
pub fn UserContributionsPage() -> impl IntoView {
    let handle = use_text_param("handle");
    let withdraw = ServerAction::<WithdrawContribution>::new();
    let list = Resource::new(
        move || (handle.get(), withdraw.version().get()),
        |(h, _)| user_contributions(h),
    );
    let session = use_session();
    view! {
        <Title text="Contributions" />
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                let handle = handle.get_untracked();
                let own = session.signed_in().await.is_some_and(|u| u.handle == handle);
                match list.await {
                    Ok(items) => {
                        let verified_hours: f64 = items
                            .iter()
                            .filter(|c| c.status == ContributionStatus::Verified)
                            .filter_map(|c| c.hours)
                            .sum();
                        view! {
                            <h1>{format!("@{handle}'s contributions")}</h1>
                            <p class="meta">
                                {format!("{} verified hours.", figure(verified_hours))} " Export: "
                                <a href=format!("/u/{handle}/contributions.csv")>"CSV"</a> " · "
                                <a href=format!("/u/{handle}/contributions.json")>"JSON"</a>
                            </p>
                            {list_or_empty(
                                items,
                                "No contributions yet.",
                                "plain-list",
                                |c| {
                                    let can_withdraw = own
                                        && c.status == ContributionStatus::Reported;
                                    let thanks = (!own && c.status != ContributionStatus::Declined
                                        && c.status != ContributionStatus::Withdrawn)
                                        .then(|| {
                                            format!(
                                                "/c/{}/recognition?to={}&contribution={}#give",
                                                c.community_slug,
                                                handle,
                                                c.id,
                                            )
                                        });
                                    let thanked = match c.thanked_by {
                                        0 => None,
                                        1 => Some("Thanked by 1 person".to_owned()),
                                        n => Some(format!("Thanked by {n} people")),
                                    };
                                    view! {
                                        <li
                                            class="card contribution"
                                            id=format!("contribution-{}", c.id)
                                        >
                                            <p>
                                                <strong>{c.description.clone()}</strong>
                                            </p>
                                            <p class="meta">
                                                {format!(
                                                    "{} · {} · ",
                                                    c.done_on.format("%-d %b %Y"),
                                                    amount(&c),
                                                )}
                                                <a href=format!(
                                                    "/c/{}",
                                                    c.community_slug,
                                                )>{c.community_name.clone()}</a>
                                                {c.goal.clone().map(|g| format!(" · {g}"))}
                                                {c.initiative.clone().map(|i| format!(" · {i}"))}
                                            </p>
                                            <p class=format!(
                                                "status status-{}",
                                                c.status.as_str(),
                                            )>{status_text(c.status)}</p>
                                            {thanked.map(|t| view! { <p class="meta">{t}</p> })}
                                            {thanks
                                                .map(|link| {
                                                    view! { <a href=link>"Say thanks"</a> }
                                                })}
                                            {can_withdraw
                                                .then(|| {
                                                    view! {
                                                        <ActionButton
                                                            action=withdraw
                                                            fields=vec![
                                                                ("slug", c.community_slug.clone()),
                                                                ("contribution_id", c.id.to_string()),
                                                            ]
                                                            label="Withdraw"
                                                            class="link-button"
                                                        />
                                                    }
                                                })}
                                        </li>
                                    }
                                },
                            )}
                        }
                            .into_any()
                    }
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
