//! The page scaffold: what every page repeats, written once.
//!
//! A page makes its resources and hands them to [`loaded`], which shows a loading line,
//! then the page's content, or the error page with its HTTP status. A community page
//! sits in a [`CommunityFrame`], which loads the community's header once (a small
//! server function, in parallel with the page's own data) and draws the navigation.

use leptos::prelude::*;
use leptos_meta::Title;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::api::communities::get_community_header;
use crate::components::community::CommunityNav;
use crate::components::feedback::{ErrorPage, Loading};
use crate::error::AppError;
use crate::params::use_slug;

/// Shows `resource` once it has loaded: `render` with its value, or the error page.
/// Await-based (inside `Suspend`), never `.get()`, so several on one page are safe
/// under concurrent server rendering (leptos-rs/leptos#4578).
pub fn loaded<T, V>(
    resource: Resource<Result<T, AppError>>,
    render: impl Fn(T) -> V + Clone + Send + Sync + 'static,
) -> impl IntoView
where
    T: Clone + Send + Sync + Serialize + DeserializeOwned + 'static,
    V: IntoView + 'static,
{
    view! { <Suspense fallback=Loading>{settled(resource, render)}</Suspense> }
}

/// Like [`loaded`], but while the resource reloads (after a form on the page was sent)
/// the current content stays on screen instead of the loading line.
pub fn reloaded<T, V>(
    resource: Resource<Result<T, AppError>>,
    render: impl Fn(T) -> V + Clone + Send + Sync + 'static,
) -> impl IntoView
where
    T: Clone + Send + Sync + Serialize + DeserializeOwned + 'static,
    V: IntoView + 'static,
{
    view! { <Transition fallback=Loading>{settled(resource, render)}</Transition> }
}

/// What a Suspense or Transition shows for `resource`: `render`'s view, or the error page.
fn settled<T, V>(
    resource: Resource<Result<T, AppError>>,
    render: impl Fn(T) -> V + Clone + Send + Sync + 'static,
) -> impl Fn() -> Suspend<AnyView> + Send + Sync + 'static
where
    T: Clone + Send + Sync + Serialize + DeserializeOwned + 'static,
    V: IntoView + 'static,
{
    move || {
        let render = render.clone();
        Suspend::new(async move {
            match resource.await {
                Ok(value) => render(value).into_any(),
                Err(error) => view! { <ErrorPage error /> }.into_any(),
            }
        })
    }
}

/// A page of the community named by the URL's `:slug`: its title, the community's
/// navigation (leaders' links for leaders), then the page's own content. When the
/// community cannot be seen the navigation is left out and the content's own error
/// (the same 404) says so.
#[component]
pub fn CommunityFrame(
    /// The page's `<title>`; pages whose title depends on their data set it themselves.
    #[prop(optional, into)]
    title: Option<String>,
    /// The page's own content.
    children: Children,
) -> impl IntoView {
    let slug = use_slug();
    let header = Resource::new(move || slug.get(), get_community_header);
    view! {
        {title.map(|text| view! { <Title text /> })}
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                header
                    .await
                    .ok()
                    .map(|h| {
                        view! {
                            <CommunityNav
                                slug=h.slug
                                leader=h.is_leader
                                pending=h.pending_requests
                            />
                        }
                    })
            })}
        </Suspense>
        {children()}
    }
}
