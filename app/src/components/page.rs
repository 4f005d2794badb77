//! The page scaffold: what every page repeats, written once.
//!
//! A page makes its resources and hands them to [`loaded`], which shows a loading line,
//! then the page's content, or the error page with its HTTP status.
//!
//! A community page is [`community_page`]: it makes its data with [`community_data`]
//! and hands it over with a title and a render function. The scaffold loads the
//! community's header (name, slug, the viewer's standing: a small server function, in
//! parallel with the page's data), draws the navigation and gives `render` the header.
//! [`CommunityFrame`] is the same frame for pages whose content is not one resource.

use leptos::prelude::*;
use leptos_meta::Title;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::api::communities::get_community_header;
use crate::components::community::CommunityNav;
use crate::components::feedback::{ErrorPage, Loading};
use crate::domain::community::CommunityHeader;
use crate::error::AppError;
use crate::params::use_slug;

/// What a page's resource may hold: data that crosses from server to browser.
pub trait PageData: Clone + Send + Sync + Serialize + DeserializeOwned + 'static {}

impl<T: Clone + Send + Sync + Serialize + DeserializeOwned + 'static> PageData for T {}

/// Shows `resource` once it has loaded: `render` with its value, or the error page.
/// Await-based (inside `Suspend`), never `.get()`, so several on one page are safe
/// under concurrent server rendering (leptos-rs/leptos#4578).
pub fn loaded<T, V>(
    resource: Resource<Result<T, AppError>>,
    render: impl Fn(T) -> V + Clone + Send + Sync + 'static,
) -> impl IntoView
where
    T: PageData,
    V: IntoView + 'static,
{
    view! { <Suspense fallback=Loading>{settled(resource, render)}</Suspense> }
}

/// What a `Suspense` or `Transition` shows for `resource`: `render`'s view, or the error
/// page. A page that keeps its content on screen while it reloads (after one of its forms
/// was sent) puts this in a `Transition` instead of using [`loaded`].
pub fn settled<T, V>(
    resource: Resource<Result<T, AppError>>,
    render: impl Fn(T) -> V + Clone + Send + Sync + 'static,
) -> impl Fn() -> Suspend<AnyView> + Send + Sync + 'static
where
    T: PageData,
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
        <Navigation header />
        {children()}
    }
}

/// The data of a page of the community named by `:slug`: `fetch(slug, key)`, fetched
/// again whenever the slug or `key` changes (pass an action's version to reload the page
/// after its form was sent, or query parameters; `|| ()` for neither).
pub fn community_data<K, T, Fut>(
    key: impl Fn() -> K + Send + Sync + 'static,
    fetch: impl Fn(String, K) -> Fut + Send + Sync + 'static,
) -> Resource<Result<T, AppError>>
where
    K: PartialEq + Clone + Send + Sync + 'static,
    T: PageData,
    Fut: Future<Output = Result<T, AppError>> + Send + 'static,
{
    let slug = use_slug();
    Resource::new(move || (slug.get(), key()), move |(slug, key)| fetch(slug, key))
}

/// How a community page behaves while its data reloads after one of its forms was sent.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum OnReload {
    /// Show the loading line (the page's first load always does).
    Loading,
    /// Keep the current content on screen until the new data is there.
    KeepContent,
}

/// What a community page says of itself before its content.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Heading {
    /// Nothing: the page titles itself from its data.
    None,
    /// The `<title>` only; the content draws its own `<h1>`.
    Title(&'static str),
    /// The `<title>`, and an `<h1>` of the same words with the line under it that says
    /// what the page is for.
    WithLede(&'static str, &'static str),
}

impl From<Option<&'static str>> for Heading {
    fn from(title: Option<&'static str>) -> Self {
        title.map_or(Heading::None, Heading::Title)
    }
}

impl Heading {
    /// The page's `<title>`, if it sets one.
    fn title(self) -> Option<&'static str> {
        match self {
            Heading::None => None,
            Heading::Title(title) | Heading::WithLede(title, _) => Some(title),
        }
    }

    /// The `<h1>` and its lede, for [`Heading::WithLede`].
    fn intro(self) -> Option<impl IntoView> {
        match self {
            Heading::WithLede(title, lede) => Some(view! { <PageHeading title lede /> }),
            _ => None,
        }
    }
}

/// A page of the community named by `:slug` whose content is `data`: its [`Heading`], the
/// community's navigation, the loading line, the error page, and `render`'s view of the
/// data and the community's header. When the community cannot be seen the page is its
/// 404, navigation and all.
pub fn community_page<T, V>(
    heading: impl Into<Heading>,
    on_reload: OnReload,
    data: Resource<Result<T, AppError>>,
    render: impl Fn(T, CommunityHeader) -> V + Clone + Send + Sync + 'static,
) -> impl IntoView
where
    T: PageData,
    V: IntoView + 'static,
{
    let heading = heading.into();
    let slug = use_slug();
    let header = Resource::new(move || slug.get(), get_community_header);
    let content = move || {
        let render = render.clone();
        Suspend::new(async move {
            match (header.await, data.await) {
                (Ok(header), Ok(value)) => view! {
                    {heading.intro()}
                    {render(value, header)}
                }
                .into_any(),
                (Err(error), _) | (_, Err(error)) => view! { <ErrorPage error /> }.into_any(),
            }
        })
    };
    view! {
        {heading.title().map(|text| view! { <Title text /> })}
        <Navigation header />
        {match on_reload {
            OnReload::Loading => {
                view! { <Suspense fallback=Loading>{content}</Suspense> }.into_any()
            }
            OnReload::KeepContent => {
                view! { <Transition fallback=Loading>{content}</Transition> }.into_any()
            }
        }}
    }
}

/// The community's navigation once its header has loaded; nothing when it cannot be seen.
#[component]
fn Navigation(header: Resource<Result<CommunityHeader, AppError>>) -> impl IntoView {
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                header
                    .await
                    .ok()
                    .map(|h| {
                        view! { <CommunityNav slug=h.slug leader=h.is_leader waiting=h.waiting /> }
                    })
            })}
        </Suspense>
    }
}

/// A titled part of a page: a `<section>` named by its `<h2>` (`aria-labelledby`), so a
/// screen reader lists it as a region with that name.
#[component]
pub fn Section(
    /// The heading's text.
    #[prop(into)]
    heading: String,
    /// The heading's id (`…-heading`), unique on the page.
    id: &'static str,
    /// The section's class (`card` for a boxed one).
    #[prop(optional)]
    class: Option<&'static str>,
    /// What the section holds, under its heading.
    children: Children,
) -> impl IntoView {
    view! {
        <section class=class aria-labelledby=id>
            <h2 id=id>{heading}</h2>
            {children()}
        </section>
    }
}

/// Writing a member gave in Markdown (a description), already sanitised, under a heading
/// only screen readers show, so the writing's own headings (from `h3`) sit in the outline
/// without a skipped level. Nothing at all when there is no writing.
#[component]
pub fn Description(
    /// The sanitised HTML.
    html: String,
    /// What the heading calls it ("About this event").
    heading: &'static str,
) -> impl IntoView {
    (!html.trim().is_empty()).then(|| {
        view! {
            <h2 class="visually-hidden">{heading}</h2>
            <div class="prose" inner_html=html></div>
        }
    })
}

/// A page's `<h1>` and the line under it that says what the page is for.
#[component]
pub fn PageHeading(
    /// The heading.
    #[prop(into)]
    title: String,
    /// The sentence under it.
    #[prop(into)]
    lede: String,
) -> impl IntoView {
    view! {
        <h1>{title}</h1>
        <p class="lede">{lede}</p>
    }
}

/// The breadcrumb line above a page's heading: one link back to where the page belongs.
#[component]
pub fn BackLink(
    /// Where the link goes.
    #[prop(into)]
    href: String,
    /// What it says.
    #[prop(into)]
    label: String,
) -> impl IntoView {
    view! {
        <p class="breadcrumb">
            <a href=href>{label}</a>
        </p>
    }
}

/// A list of `items`, each drawn by `item`, in a `<ul class=class>`; when there are none,
/// the `empty` line instead ("No goals yet."). The shape of most of Kindred's lists.
pub fn list_or_empty<T, V>(
    items: impl IntoIterator<Item = T>,
    empty: &'static str,
    class: &'static str,
    item: impl FnMut(T) -> V,
) -> AnyView
where
    V: IntoView + 'static,
{
    let rows: Vec<V> = items.into_iter().map(item).collect();
    if rows.is_empty() {
        return view! { <p class="empty">{empty}</p> }.into_any();
    }
    view! { <ul class=class>{rows}</ul> }.into_any()
}

/// A list of `items`, each drawn by `item`, in a `<ul class=class>`; `None` when there
/// are none, for a part of a page that shows only when it has something to list.
pub fn list_if_any<T, V>(
    items: impl IntoIterator<Item = T>,
    class: &'static str,
    item: impl FnMut(T) -> V,
) -> Option<AnyView>
where
    V: IntoView + 'static,
{
    let rows: Vec<V> = items.into_iter().map(item).collect();
    (!rows.is_empty()).then(|| view! { <ul class=class>{rows}</ul> }.into_any())
}
