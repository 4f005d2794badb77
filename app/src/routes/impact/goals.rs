//! `/c/{slug}/goals` and `/c/{slug}/goals/{id}`

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::impact::{CreateGoal, UpdateGoal, get_goal, list_goals};
use crate::components::charts::{ProgressBar, ProgressChart, figure};
use crate::components::form::{Choice, ErrorSummary, Field, Hidden, Submit, form_error};
use crate::components::impact::GoalLine;
use crate::components::page::{
    OnReload, community_data, community_page, list_if_any, list_or_empty,
};
use crate::domain::impact::Goal;
use crate::error::AppError;
use crate::params::use_id;
use crate::routes::library::LinkedResources;

fn depth_of(goal: &Goal, goals: &[Goal]) -> usize {
    let mut depth = 0;
    let mut parent = goal.facts.parent_id;
    while let Some(id) = parent {
        depth += 1;
        parent = goals.iter().find(|g| g.id == id).and_then(|g| g.facts.parent_id);
        if depth > 8 {
            break;
        }
    }
    depth
}

/// The goal tree with progress; leaders add goals here.
#[component]
pub fn GoalsPage() -> impl IntoView {
    let create = ServerAction::<CreateGoal>::new();
    let error = form_error(create.value());
    let data = community_data(move || create.version().get(), |slug, _| list_goals(slug));
    community_page(Some("Goals"), OnReload::Loading, data, move |goals, community| {
        let slug = community.slug;
        let leader = community.is_leader;
        let parents: Vec<(i64, String)> =
            goals.iter().map(|g| (g.id, g.facts.title.clone())).collect();
        view! {
            <h1>"Goals"</h1>
            {list_or_empty(
                goals.iter(),
                "No goals yet.",
                "goal-tree",
                |g| {
                    view! {
                        <GoalLine slug=slug.clone() goal=g.clone() depth=depth_of(g, &goals) />
                    }
                },
            )}
            {leader
                .then(|| {
                    view! {
                        <section class="card">
                            <h2>"Add a goal"</h2>
                            <ActionForm action=create>
                                <ErrorSummary error />
                                <Hidden name="slug" value=slug.clone() />
                                <GoalFields error parents=parents.clone() goal=None />
                                <Submit label="Add goal" />
                            </ActionForm>
                        </section>
                    }
                })}
        }
        .into_any()
    })
}

#[component]
fn GoalFields(
    error: Signal<Option<AppError>>,
    parents: Vec<(i64, String)>,
    goal: Option<Goal>,
) -> impl IntoView {
    let editing = goal.is_some();
    let g = goal.as_ref().map(|goal| &goal.facts);
    view! {
        <Field
            label="Goal"
            name="title"
            input_name="form[title]"
            error
            value=g.map(|g| g.title.clone()).unwrap_or_default()
            hint="e.g. 10,000 trees planted"
        />
        <Field
            label="What is counted"
            name="metric"
            input_name="form[metric]"
            error
            value=g.map(|g| g.metric.clone()).unwrap_or_default()
            hint="e.g. trees planted, volunteer hours, meals served"
        />
        {if editing {
            view! {
                <Hidden name="form[unit]" value=g.map(|g| g.unit.clone()).unwrap_or_default() />
            }
                .into_any()
        } else {
            view! {
                <Field
                    label="Unit"
                    name="unit"
                    input_name="form[unit]"
                    error
                    hint="e.g. trees, hours, meals. It cannot change later."
                />
            }
                .into_any()
        }}
        <Field
            label="Target"
            name="target"
            input_name="form[target]"
            step="any"
            kind="number"
            error
            value=g.map(|g| g.target.to_string()).unwrap_or_default()
        />
        <Field
            label="Deadline (optional)"
            name="deadline"
            input_name="form[deadline]"
            kind="date"
            required=false
            error
            value=g.and_then(|g| g.deadline).map(|d| d.to_string()).unwrap_or_default()
        />
        <Choice
            label="Part of (optional)"
            name="parent_id"
            error
            none="— a top-level goal —"
            options=parents
                .into_iter()
                .filter(|(id, _)| goal.as_ref().is_none_or(|goal| goal.id != *id))
                .collect()
            selected=g.and_then(|g| g.parent_id)
        />
        <Field
            label="Weight among its siblings"
            name="weight"
            input_name="form[weight]"
            step="any"
            kind="number"
            required=false
            error
            value=g.map(|g| g.weight.to_string()).unwrap_or_else(|| "1".into())
            hint="e.g. 60 and 40; weights are normalised."
        />
    }
}

/// One goal: progress, chart, sub-goals; leaders edit it here.
#[component]
pub fn GoalPage() -> impl IntoView {
    let goal_id = use_id();
    let update = ServerAction::<UpdateGoal>::new();
    let error = form_error(update.value());
    let data = community_data(
        move || (goal_id.get(), update.version().get()),
        |slug, (id, _)| async move {
            let detail = get_goal(slug.clone(), id).await?;
            Ok((detail, list_goals(slug).await?))
        },
    );
    community_page(None, OnReload::Loading, data, move |(detail, all), community| {
        let slug = community.slug;
        let leader = community.is_leader;
        let goal = detail.goal.clone();
        let points = detail.history.iter().map(|p| (p.date, p.total)).collect::<Vec<_>>();
        let parents: Vec<(i64, String)> =
            all.iter().map(|g| (g.id, g.facts.title.clone())).collect();
        view! {
            <Title text=goal.facts.title.clone() />
            <article class="card">
                <h1>{goal.facts.title.clone()}</h1>
                <p class="meta">
                    {if goal.facts.metric == goal.facts.unit {
                        format!("Counted in {}", goal.facts.unit)
                    } else {
                        format!("Counts {}, in {}", goal.facts.metric, goal.facts.unit)
                    }}
                </p>
                <ProgressBar
                    progress=goal.progress
                    label=format!("Progress of {}", goal.facts.title)
                />
                {if goal.has_children {
                    view! {
                        <p>
                            {format!(
                                "{}% — the weighted roll-up of its sub-goals.",
                                (goal.progress * 100.0).round(),
                            )}
                        </p>
                    }
                        .into_any()
                } else {
                    view! {
                        <p class="big-figure">
                            {format!(
                                "{} of {} {}",
                                figure(goal.current),
                                figure(goal.facts.target),
                                goal.facts.unit,
                            )}
                        </p>
                    }
                        .into_any()
                }}
                {(!goal.has_children)
                    .then(|| {
                        view! {
                            <ProgressChart
                                title=format!("{} over time", goal.facts.title)
                                points
                                target=goal.facts.target
                                unit=goal.facts.unit.clone()
                            />
                        }
                    })}
                {list_if_any(
                        detail.children.iter(),
                        "goal-tree",
                        |g| {
                            view! { <GoalLine slug=slug.clone() goal=g.clone() depth=0 /> }
                        },
                    )
                    .map(|list| {
                        view! {
                            <h2>"Sub-goals"</h2>
                            {list}
                        }
                    })}
                <LinkedResources slug=slug.clone() resources=detail.resources.clone() />
            </article>
            {leader
                .then(|| {
                    view! {
                        <section class="card">
                            <h2>"Edit this goal"</h2>
                            <ActionForm action=update>
                                <ErrorSummary error />
                                <Hidden name="slug" value=slug.clone() />
                                <Hidden name="goal_id" value=goal.id.to_string() />
                                <GoalFields error parents=parents.clone() goal=Some(goal.clone()) />
                                <Submit label="Save goal" />
                            </ActionForm>
                        </section>
                    }
                })}
        }
        .into_any()
    })
}
