//! `/c/{slug}/p/{id}/history`: every version of an edited post.

use crate::params::use_id;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::discussions::get_post_history;
use crate::components::page::loaded;
use crate::params::use_slug;

/// A post's edit history, newest first.
#[component]
pub fn PostHistoryPage() -> impl IntoView {
    let slug = use_slug();
    let id = use_id();
    let data =
        Resource::new(move || (slug.get(), id.get()), |(slug, id)| get_post_history(slug, id));
    view! {
        <Title text="Edit history" />
        {loaded(
            data,
            move |history| {
                view! {
                    <p class="breadcrumb">
                        <a href=history
                            .link
                            .clone()>{format!("Back to “{}”", history.thread_title)}</a>
                    </p>
                    <h1>"Edit history"</h1>
                    <p class="lede">
                        {format!(
                            "A post by @{}. Earlier versions are kept so conversations stay honest.",
                            history.author,
                        )}
                    </p>
                    <section class="card">
                        <h2>"Current version"</h2>
                        <div class="post-body" inner_html=history.current.clone()></div>
                    </section>
                    {history
                        .revisions
                        .into_iter()
                        .rev()
                        .map(|r| {
                            view! {
                                <section class="card">
                                    <h2>
                                        {format!(
                                            "Written {} · replaced {}",
                                            r.written_at.format("%-d %b %Y, %H:%M"),
                                            r.replaced_at.format("%-d %b %Y, %H:%M"),
                                        )}
                                    </h2>
                                    <div class="post-body" inner_html=r.html></div>
                                </section>
                            }
                        })
                        .collect_view()}
                }
                    .into_any()
            },
        )}
    }
}
