//! `/`: what Kindred is, and the communities on it.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::communities::list_communities;
use crate::components::community::CommunityList;
use crate::components::feedback::{ErrorPage, Loading};
use crate::context::use_session;

/// The home page.
#[component]
pub fn HomePage() -> impl IntoView {
    let session = use_session();
    let communities = Resource::new(|| (), |_| list_communities(None, None));
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
                {move || Suspend::new(async move {
                    session
                        .signed_in()
                        .await
                        .is_none()
                        .then(|| {
                            view! {
                                <p class="cta">
                                    <a class="button" href="/signup">
                                        "Create your account"
                                    </a>
                                    <a href="/signin">"I already have one"</a>
                                </p>
                            }
                        })
                })}
            </Transition>
        </section>
        <section aria-labelledby="directory-heading">
            <h2 id="directory-heading">"Communities"</h2>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match communities.await {
                        Ok(page) if page.communities.is_empty() => {
                            view! { <p class="empty">"No communities yet."</p> }.into_any()
                        }
                        Ok(mut page) => {
                            page.communities.truncate(6);
                            view! {
                                <CommunityList communities=page.communities />
                                <p class="cta">
                                    <a href="/communities">"Browse all communities"</a>
                                    <a href="/communities/new">"Start a community"</a>
                                </p>
                            }
                                .into_any()
                        }
                        Err(error) => view! { <ErrorPage error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
