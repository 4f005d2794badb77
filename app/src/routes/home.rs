//! `/`: what Kindred is, and the communities on it.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::communities::list_communities;
use crate::app::use_session;
use crate::components::feedback::{ErrorPage, Loading};
use crate::domain::community::CommunitySummary;

/// The home page.
#[component]
pub fn HomePage() -> impl IntoView {
    let session = use_session();
    let communities = Resource::new(|| (), |_| list_communities());
    view! {
        <Title text="" />
        <section class="hero">
            <h1>"Communities with a purpose"</h1>
            <p class="lede">
                "Kindred is where mission-driven groups — a river clean-up collective, a mentoring "
                "network, a neighbourhood food bank — state why they exist, organise the work, and see "
                "their impact add up."
            </p>
            <Transition fallback=|| ()>
                {move || {
                    session
                        .current()
                        .is_none()
                        .then(|| {
                            view! {
                                <p class="cta">
                                    <a class="button" href="/signup">"Create your account"</a>
                                    <a href="/signin">"I already have one"</a>
                                </p>
                            }
                        })
                }}
            </Transition>
        </section>
        <section aria-labelledby="directory-heading">
            <h2 id="directory-heading">"Communities"</h2>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match communities.await {
                        Ok(list) if list.is_empty() => {
                            view! { <p class="empty">"No communities yet."</p> }.into_any()
                        }
                        Ok(list) => view! { <CommunityList list /> }.into_any(),
                        Err(error) => view! { <ErrorPage error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn CommunityList(list: Vec<CommunitySummary>) -> impl IntoView {
    view! {
        <ul class="community-list">
            {list
                .into_iter()
                .map(|c| {
                    let members = if c.member_count == 1 {
                        "1 member".to_owned()
                    } else {
                        format!("{} members", c.member_count)
                    };
                    view! {
                        <li class="card community-card">
                            <h3>{c.name}</h3>
                            <p class="mission">{c.mission}</p>
                            <p class="meta">{members}</p>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}
