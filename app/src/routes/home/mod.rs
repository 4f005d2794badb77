//! `/`: for someone signed out, what Kindred is and the communities on it; for a member,
//! what's next for them (`routes::home::next`), then communities to discover.

mod next;

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::communities::list_communities;
use crate::api::home::whats_next;
use crate::components::community::CommunityList;
use crate::components::feedback::{ErrorPage, Loading};
use crate::components::page::Section;
use crate::context::use_session;
use crate::error::AppError;

/// The home page.
#[component]
pub fn HomePage() -> impl IntoView {
    let session = use_session();
    let communities = Resource::new(|| (), |_| list_communities(None, None));
    // Reloads when someone signs in or out on this page; `None` for someone signed out.
    let next = Resource::new(
        move || {
            (
                session.sign_in.version().get(),
                session.sign_up.version().get(),
                session.sign_out.version().get(),
            )
        },
        |_| async {
            match whats_next().await {
                Ok(next) => Ok(Some(next)),
                Err(AppError::Unauthorized) => Ok(None),
                Err(error) => Err(error),
            }
        },
    );
    view! {
        <Title text="" />
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match next.await {
                    Ok(Some(next)) => view! { <next::NextForMeView next /> }.into_any(),
                    Ok(None) => view! { <Welcome /> }.into_any(),
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Transition>
        <Section heading="Communities" id="directory-heading">
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
        </Section>
    }
}

/// What Kindred is, for someone signed out.
#[component]
fn Welcome() -> impl IntoView {
    view! {
        <section class="hero">
            <h1>"Communities with a purpose"</h1>
            <p class="lede">
                "Kindred is where mission-driven groups — a river clean-up collective, a mentoring "
                "network, a neighbourhood food bank — state why they exist, organise the work, and see "
                "their impact add up."
            </p>
            <p class="cta">
                <a class="button" href="/signup">
                    "Create your account"
                </a>
                <a href="/signin">"I already have one"</a>
            </p>
        </section>
    }
}
