//! `/c/{slug}/leadership`: is leadership shared and renewed?

use leptos::prelude::*;

use crate::api::communities::get_leadership_health;
use crate::components::community::MemberName;
use crate::components::page::{OnReload, community_data, community_page};

/// Leadership health (leaders only).
#[component]
pub fn LeadershipPage() -> impl IntoView {
    let health = community_data(|| (), |slug, _| get_leadership_health(slug));
    community_page(Some("Leadership"), OnReload::Loading, health, move |h, community| {
        let slug = community.slug;
        view! {
            <h1>"Leadership health"</h1>
            <section class="card">
                <h2>"Warnings"</h2>
                <ul class="plain-list health">
                    {h
                        .single_point
                        .clone()
                        .map(|who| {
                            view! {
                                <li class="warning">
                                    {format!(
                                        "@{who} holds every leadership role. Share the load: grant a steward or moderator role.",
                                    )}
                                </li>
                            }
                        })}
                    {h
                        .vacant_roles
                        .iter()
                        .map(|r| {
                            view! {
                                <li class="warning">
                                    {format!("No one is {}.", r.label().to_lowercase())}
                                </li>
                            }
                        })
                        .collect_view()}
                    {h
                        .terms_ending
                        .iter()
                        .map(|m| {
                            view! {
                                <li class="warning">
                                    {format!(
                                        "@{}'s {} term ends {}.",
                                        m.handle,
                                        m.role.as_str(),
                                        m
                                            .term_ends_at
                                            .map(|t| t.format("%-d %b %Y").to_string())
                                            .unwrap_or_default(),
                                    )}
                                </li>
                            }
                        })
                        .collect_view()}
                    {(h.single_point.is_none() && h.vacant_roles.is_empty()
                        && h.terms_ending.is_empty())
                        .then(|| {
                            view! { <li>"Leadership is shared and no terms end soon."</li> }
                        })}
                </ul>
            </section>
            <section class="card">
                <h2>"Current leaders"</h2>
                <ul class="plain-list">
                    {h
                        .leaders
                        .into_iter()
                        .map(|m| {
                            let term = m
                                .term_ends_at
                                .map(|t| { format!(" — term ends {}", t.format("%-d %b %Y")) });
                            view! {
                                <li>
                                    <MemberName member=m />
                                    {term}
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
                <p>
                    <a href=format!(
                        "/c/{slug}/members",
                    )>"Grant or change roles on the member list"</a>
                </p>
            </section>
        }
                        .into_any()
    })
}
