//! The resource library: `/c/{slug}/library` (collections, every resource, filters by
//! tag, adding a guide, a link or a file) `/c/{slug}/library/{id}` (one resource) and `/c/{slug}/library/{id}/history` (a guide's
//! earlier versions).

mod history;
mod list;
mod resource;

pub use history::GuideHistoryPage;
pub use list::LibraryPage;
pub use resource::ResourcePage;

/// The library resources tied to an initiative or a goal, for their pages.
#[component]
pub fn LinkedResources(slug: String, resources: Vec<(i64, String)>) -> impl IntoView {
    if resources.is_empty() {
        return ().into_any();
    }
    view! {
        <h2>"Resources"</h2>
        <ul>
            {resources
                .into_iter()
                .map(|(id, title)| {
                    view! {
                        <li>
                            <a href=format!("/c/{slug}/library/{id}")>{title}</a>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}

use leptos::prelude::*;

use crate::domain::library::ResourceSummary;

/// One resource in a list: its title, kind, summary, tags and standing, then any
/// controls (a leader's move buttons), inside the same list item.
#[component]
fn ResourceCard(
    slug: String,
    resource: ResourceSummary,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let r = resource;
    let mut meta = vec![r.kind.label().to_owned(), format!("kept by @{}", r.owner)];
    if r.helpful > 0 {
        meta.push(format!("helpful to {}", r.helpful));
    }
    let review = r.overdue.then(|| view! { <p class="status">"Due for review"</p> });
    view! {
        <li class="card resource">
            <h3>
                <a href=format!("/c/{slug}/library/{}", r.id)>{r.title.clone()}</a>
            </h3>
            <p>{r.summary.clone()}</p>
            <p class="meta">{meta.join(" · ")}</p>
            {(!r.tags.is_empty())
                .then(|| {
                    view! {
                        <p class="tags">
                            {r
                                .tags
                                .iter()
                                .map(|t| {
                                    view! {
                                        <a
                                            class="tag"
                                            href=format!(
                                                "/c/{slug}/library?tag={}",
                                                crate::params::urlencode(t),
                                            )
                                        >
                                            {t.clone()}
                                        </a>
                                        " "
                                    }
                                })
                                .collect_view()}
                        </p>
                    }
                })}
            {review}
            {children.map(|controls| controls())}
        </li>
    }
    .into_any()
}
