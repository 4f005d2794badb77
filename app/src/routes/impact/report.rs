//! `/c/{slug}/impact`: is the community's work moving its mission?

use leptos::prelude::*;

use crate::components::challenges::ChallengeList;
use leptos_meta::Title;

use crate::api::impact::get_impact_report;
use crate::components::charts::{WeeklyBars, figure};
use crate::components::impact::GoalLine;
use crate::components::page::{OnReload, community_data, community_page, list_or_empty};

/// The impact page (public for public communities).
#[component]
pub fn ImpactPage() -> impl IntoView {
    let data = community_data(|| (), |slug, _| get_impact_report(slug));
    community_page(None, OnReload::Loading, data, move |r, community| {
        let slug = community.slug;
        let leader = community.is_leader;
        let share = r
            .top_decile_share
            .map(|s| format!("{}%", (s * 100.0).round()))
            .unwrap_or_else(|| "—".into());
        view! {
            <Title text=format!("Impact of {}", community.name) />
            <h1>{format!("Impact of {}", community.name)}</h1>
            <p class="lede">{r.mission.clone()}</p>
            <section class="stats" aria-label="Totals">
                <div class="stat card">
                    <p class="stat-figure">{r.verified_contributions}</p>
                    <p>"verified contributions"</p>
                </div>
                <div class="stat card">
                    <p class="stat-figure">{figure(r.verified_hours)}</p>
                    <p>"verified hours"</p>
                </div>
                <div class="stat card">
                    <p class="stat-figure">{r.active_contributors_30d}</p>
                    <p>"contributors in the last 30 days"</p>
                </div>
            </section>
            <section class="card" aria-labelledby="goals-heading">
                <h2 id="goals-heading">"Goals"</h2>
                {list_or_empty(
                    r.goals.iter(),
                    "No goals yet.",
                    "goal-tree",
                    |g| {
                        view! {
                            <GoalLine
                                slug=slug.clone()
                                goal=g.clone()
                                depth=usize::from(g.facts.parent_id.is_some())
                            />
                        }
                    },
                )}
            </section>
            <section class="card" aria-labelledby="weekly-heading">
                <h2 id="weekly-heading">"Contributions per week"</h2>
                <WeeklyBars
                    title="Verified contributions per week, last 12 weeks".into()
                    weeks=r.weekly.clone()
                />
            </section>
            <section class="card" aria-labelledby="top-heading">
                <h2 id="top-heading">"Top initiatives"</h2>
                {if r.top_initiatives.is_empty() {
                    view! { <p class="empty">"No verified work on initiatives yet."</p> }.into_any()
                } else {
                    view! {
                        <ol>
                            {r
                                .top_initiatives
                                .iter()
                                .map(|i| {
                                    view! {
                                        <li>
                                            <a href=format!(
                                                "/c/{slug}/initiatives/{}",
                                                i.id,
                                            )>{i.title.clone()}</a>
                                            {format!(
                                                " — {} hours, {} contributions",
                                                figure(i.hours),
                                                i.contributions,
                                            )}
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ol>
                    }
                        .into_any()
                }}
            </section>
            <section class="card" aria-labelledby="events-heading">
                <h2 id="events-heading">"Events"</h2>
                <p>
                    {format!(
                        "Events held: {} · check-ins: {} · hours from events: {}",
                        r.events.held,
                        r.events.checked_in,
                        figure(r.events.hours),
                    )}
                </p>
                <p>
                    {match r.events.attendance_rate() {
                        Some(rate) => {
                            format!(
                                "{}% of the people who said they would come checked in.",
                                (rate * 100.0).round(),
                            )
                        }
                        None => "No one has answered an event that has ended yet.".to_owned(),
                    }}
                </p>
            </section>
            {(!r.challenges.is_empty())
                .then(|| {
                    view! {
                        <section aria-labelledby="challenges-heading">
                            <h2 id="challenges-heading">"Challenges running now"</h2>
                            <ChallengeList
                                slug=slug.clone()
                                challenges=r.challenges.clone()
                                empty=""
                            />
                        </section>
                    }
                })}
            <section class="card" aria-labelledby="health-heading">
                <h2 id="health-heading">"Participation health"</h2>
                <p>
                    {format!(
                        "The most active 10% of contributors did {share} of the verified work.",
                    )}
                </p>
                <p>
                    {format!(
                        "Of {} members who joined at least 90 days ago, {} have contributed since.",
                        r.joined_90_days_ago,
                        r.joined_90_days_ago_contributed,
                    )}
                </p>
            </section>
            {leader
                .then(|| {
                    view! {
                        <p>
                            "Export: "
                            <a href=format!(
                                "/c/{slug}/export/contributions.csv",
                            )>"contributions (CSV)"</a> " · "
                            <a href=format!(
                                "/c/{slug}/export/contributions.json",
                            )>"contributions (JSON)"</a> " · "
                            <a href=format!("/c/{slug}/export/goals.csv")>"goal progress (CSV)"</a>
                            " · "
                            <a href=format!(
                                "/c/{slug}/export/goals.json",
                            )>"goal progress (JSON)"</a>
                        </p>
                    }
                })}
        }
        .into_any()
    })
}
