//! `/communities/new` and `/c/{slug}/edit`

use leptos::form::ActionForm;
use leptos::prelude::*;

use crate::components::page::PageHeading;
use leptos_meta::Title;

use super::form::CommunityFields;
use crate::api::communities::{CreateCommunity, UpdateCommunity, get_community};
use crate::components::community::CommunityNav;
use crate::components::feedback::{ErrorPage, Loading};
use crate::components::form::{ErrorSummary, Hidden, Submit, form_error};
use crate::context::use_session;
use crate::error::AppError;
use crate::params::use_slug;

/// Founding a community.
#[component]
pub fn NewCommunityPage() -> impl IntoView {
    let session = use_session();
    let action = ServerAction::<CreateCommunity>::new();
    let error = form_error(action.value());
    view! {
        <Title text="Start a community" />
        <section class="card">
            <PageHeading
                title="Start a community"
                lede="Begin with purpose: say why you exist and what you stand for. You can change it all later."
            />
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match session.user.await {
                        Ok(Some(_)) => {
                            view! {
                                <ActionForm action>
                                    <ErrorSummary error />
                                    <CommunityFields error />
                                    <Submit label="Create community" pending=action.pending() />
                                </ActionForm>
                            }
                                .into_any()
                        }
                        _ => view! { <ErrorPage error=AppError::Unauthorized /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// Leaders' edit page.
#[component]
pub fn EditCommunityPage() -> impl IntoView {
    let slug = use_slug();
    let action = ServerAction::<UpdateCommunity>::new();
    let error = form_error(action.value());
    let community = Resource::new(move || slug.get(), get_community);
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match community.await {
                    Ok(community) => {
                        let slug = community.slug.clone();
                        view! {
                            <Title text=format!("Edit {}", community.name) />
                            <CommunityNav slug=slug.clone() leader=true />
                            <section class="card">
                                <h1>{format!("Edit {}", community.name)}</h1>
                                <ActionForm action>
                                    <ErrorSummary error />
                                    <Hidden name="slug" value=slug />
                                    <CommunityFields error community />
                                    <Submit label="Save changes" pending=action.pending() />
                                </ActionForm>
                            </section>
                        }
                            .into_any()
                    }
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
