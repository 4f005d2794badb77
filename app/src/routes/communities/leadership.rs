//! `/c/{slug}/leadership`: is leadership shared and renewed?

use leptos::prelude::*;

use crate::api::communities::get_leadership_health;
use crate::components::community::MemberName;
use crate::components::page::{CommunityFrame, loaded};
use crate::params::use_slug;

/// Leadership health (leaders only).
#[component]
pub fn LeadershipPage() -> impl IntoView {
    let slug = use_slug();
    let health = Resource::new(move || slug.get(), get_leadership_health);
    view! {
        <CommunityFrame title="Leadership">
            {loaded(
                health,
                move |h| {
                    let slug = slug.get_untracked();
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
                                        view! {
                                            <li>"Leadership is shared and no terms end soon."</li>
                                        }
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
                                            .map(|t| {
                                                format!(" — term ends {}", t.format("%-d %b %Y"))
                                            });
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
                },
            )}
        </CommunityFrame>
    }
}
