//! `/c/{slug}/initiatives` and `/c/{slug}/initiatives/{id}`

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::impact::{
    AddOpportunity, DecideInitiative, JoinOpportunity, LeaveOpportunity, ProposeInitiative,
    get_initiative, list_initiatives,
};
use crate::components::charts::figure;
use crate::components::form::{
    ActionButton, ErrorSummary, Field, Hidden, Submit, TextArea, form_error,
};
use crate::components::page::{
    Heading, OnReload, Section, community_data, community_page, list_or_empty,
};
use crate::domain::impact::Opportunity;
use crate::params::use_id;
use crate::routes::library::LinkedResources;

fn status_label(status: &str) -> &'static str {
    match status {
        "approved" => "Approved",
        "declined" => "Declined",
        _ => "Proposed — waiting for a steward",
    }
}

/// The initiatives list, and the form to propose one.
#[component]
pub fn InitiativesPage() -> impl IntoView {
    let propose = ServerAction::<ProposeInitiative>::new();
    let error = form_error(propose.value());
    let data = community_data(move || propose.version().get(), |slug, _| list_initiatives(slug));
    community_page(
        Heading::WithLede(
            "Initiatives",
            "Member-owned projects that move the community's goals. Propose one and lead it.",
        ),
        OnReload::Loading,
        data,
        move |page, community| {
            let slug = community.slug;
            view! {
                {list_or_empty(
                    page.initiatives,
                    "No initiatives yet.",
                    "plain-list",
                    |i| {
                        view! {
                            <li class="card">
                                <h2>
                                    <a href=format!(
                                        "/c/{slug}/initiatives/{}",
                                        i.id,
                                    )>{i.title.clone()}</a>
                                </h2>
                                <p class="meta">
                                    {format!("Led by @{} · {}", i.owner, status_label(&i.status))}
                                    {(i.open_places > 0)
                                        .then(|| format!(" · {} open places", i.open_places))}
                                </p>
                            </li>
                        }
                    },
                )}
                {page
                    .is_member
                    .then(|| {
                        view! {
                            <section class="card">
                                <h2>"Propose an initiative"</h2>
                                <ActionForm action=propose>
                                    <ErrorSummary error />
                                    <Hidden name="slug" value=slug.clone() />
                                    <Field label="Title" name="title" error maxlength=120usize />
                                    <TextArea
                                        label="Description"
                                        name="description"
                                        error
                                        hint="What will you do, and how can others help?"
                                    />
                                    <Field
                                        label="Skills it needs"
                                        name="skills"
                                        error
                                        required=false
                                        hint="Comma-separated, e.g. tree care, first aid. Verified work on it proves these skills for mentoring."
                                    />
                                    {(!page.goals.is_empty())
                                        .then(|| {
                                            view! {
                                                <fieldset class="field">
                                                    <legend>"Goals it serves"</legend>
                                                    {page
                                                        .goals
                                                        .iter()
                                                        .map(|(id, title)| {
                                                            let input_id = format!("goal-{id}");
                                                            view! {
                                                                <div class="checkbox">
                                                                    <input
                                                                        type="checkbox"
                                                                        id=input_id.clone()
                                                                        name="goal_ids[]"
                                                                        value=id.to_string()
                                                                    />
                                                                    <label for=input_id>{title.clone()}</label>
                                                                </div>
                                                            }
                                                        })
                                                        .collect_view()}
                                                </fieldset>
                                            }
                                        })}
                                    <Submit label="Propose initiative" />
                                </ActionForm>
                            </section>
                        }
                    })}
            }
                            .into_any()
        },
    )
}

/// One initiative: what it is, its goals, its opportunities.
#[component]
pub fn InitiativePage() -> impl IntoView {
    let id = use_id();
    let decide = ServerAction::<DecideInitiative>::new();
    let add = ServerAction::<AddOpportunity>::new();
    let join = ServerAction::<JoinOpportunity>::new();
    let leave = ServerAction::<LeaveOpportunity>::new();
    let add_error = form_error(add.value());
    let join_error = form_error(join.value());
    let data = community_data(
        move || {
            let versions = [decide.version(), add.version(), join.version(), leave.version()];
            (id.get(), versions.map(|v| v.get()))
        },
        |slug, (id, _)| get_initiative(slug, id),
    );
    community_page(None, OnReload::Loading, data, move |i, community| {
        let slug = community.slug;
        let approved = i.status == "approved";
        view! {
            <Title text=i.title.clone() />
            <article class="card">
                <h1>{i.title.clone()}</h1>
                <p class="meta">
                    {format!(
                        "Led by @{} · {} · {} verified hours",
                        i.owner,
                        status_label(&i.status),
                        figure(i.verified_hours),
                    )}
                </p>
                <p class="prose">{i.description.clone()}</p>
                {(!i.skills.is_empty())
                    .then(|| {
                        view! {
                            <p class="meta">
                                {format!("Skills it proves: {}", i.skills.join(", "))}
                            </p>
                        }
                    })}
                <LinkedResources slug=slug.clone() resources=i.resources.clone() />
                {(!i.goals.is_empty())
                    .then(|| {
                        view! {
                            <h2>"Serves"</h2>
                            <ul>
                                {i
                                    .goals
                                    .iter()
                                    .map(|(gid, title)| {
                                        view! {
                                            <li>
                                                <a href=format!("/c/{slug}/goals/{gid}")>{title.clone()}</a>
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                        }
                    })}
                {(i.can_decide && i.status == "proposed")
                    .then(|| {
                        let (s1, s2) = (slug.clone(), slug.clone());
                        view! {
                            <div class="actions">
                                <ActionButton
                                    action=decide
                                    fields=decision(s1, i.id, "approve")
                                    label="Approve initiative"
                                />
                                <ActionButton
                                    action=decide
                                    fields=decision(s2, i.id, "decline")
                                    label="Decline initiative"
                                    class="button secondary"
                                />
                            </div>
                        }
                    })}
                {(i.is_member && approved)
                    .then(|| {
                        view! {
                            <p>
                                <a
                                    class="button"
                                    href=format!("/c/{slug}/contribute?initiative={}", i.id)
                                >
                                    "Log a contribution"
                                </a>
                            </p>
                        }
                    })}
                {(i.can_manage && approved)
                    .then(|| {
                        view! {
                            <p>
                                <a href=format!(
                                    "/c/{slug}/verify",
                                )>"Verify contributions to this initiative"</a>
                            </p>
                        }
                    })}
            </article>
            <Section heading="Ways to help" id="opps-heading" class="card">
                <ErrorSummary error=join_error />
                {list_or_empty(
                    i.opportunities.iter(),
                    "No opportunities yet.",
                    "plain-list",
                    |o| {
                        view! {
                            <OpportunityItem
                                o=o.clone()
                                slug=slug.clone()
                                member=i.is_member && approved
                                join
                                leave
                            />
                        }
                    },
                )}
                {(i.can_manage && approved)
                    .then(|| {
                        let s3 = slug.clone();
                        view! {
                            <h3>"Add an opportunity"</h3>
                            <ActionForm action=add>
                                <ErrorSummary error=add_error />
                                <Hidden name="slug" value=s3 />
                                <Hidden name="initiative_id" value=i.id.to_string() />
                                <Field
                                    label="Opportunity"
                                    name="title"
                                    error=add_error
                                    hint="e.g. Saturday planting crew, Mentor for a new volunteer"
                                />
                                <TextArea
                                    label="What it involves"
                                    name="description"
                                    error=add_error
                                    rows=3
                                />
                                <Field
                                    label="People needed"
                                    name="capacity"
                                    kind="number"
                                    error=add_error
                                    value="5"
                                />
                                <Submit label="Add opportunity" />
                            </ActionForm>
                        }
                    })}
            </Section>
        }
                            .into_any()
    })
}

#[component]
fn OpportunityItem(
    o: Opportunity,
    slug: String,
    member: bool,
    join: ServerAction<JoinOpportunity>,
    leave: ServerAction<LeaveOpportunity>,
) -> impl IntoView {
    let taken = o.people.len() as i64;
    let full = taken >= o.capacity;
    let people = if o.people.is_empty() {
        "No one yet.".to_owned()
    } else {
        o.people.iter().map(|p| format!("@{p}")).collect::<Vec<_>>().join(", ")
    };
    view! {
        <li class="card opportunity">
            <h3>{o.title.clone()}</h3>
            <p class="meta">{format!("{taken} of {} places taken", o.capacity)}</p>
            {(!o.description.is_empty())
                .then(|| view! { <p class="prose">{o.description.clone()}</p> })}
            <p>"On it: " {people}</p>
            {member
                .then(|| {
                    if o.joined {
                        view! {
                            <ActionButton
                                action=leave
                                fields=opportunity(&slug, o.id)
                                label=format!("Withdraw from {}", o.title)
                                class="button secondary"
                            />
                        }
                            .into_any()
                    } else if full {
                        view! { <p>"This opportunity is full."</p> }.into_any()
                    } else {
                        view! {
                            <ActionButton
                                action=join
                                fields=opportunity(&slug, o.id)
                                label=format!("Sign up for {}", o.title)
                            />
                        }
                            .into_any()
                    }
                })}
        </li>
    }
}

/// The hidden fields of a decision on an initiative.
fn decision(slug: String, initiative: i64, decision: &str) -> Vec<(&'static str, String)> {
    vec![("slug", slug), ("initiative_id", initiative.to_string()), ("decision", decision.into())]
}

/// The hidden fields of signing up for an opportunity, or withdrawing.
fn opportunity(slug: &str, opportunity: i64) -> Vec<(&'static str, String)> {
    vec![("slug", slug.to_owned()), ("opportunity_id", opportunity.to_string())]
}
