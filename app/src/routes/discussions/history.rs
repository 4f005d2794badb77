//! `/c/{slug}/p/{id}/history`: every version of an edited post.

use crate::params::use_id;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::discussions::get_post_history;
use crate::components::page::{BackLink, PageHeading, community_data, loaded};

/// A post's edit history, newest first.
#[component]
pub fn PostHistoryPage() -> impl IntoView {
    let id = use_id();
    let data = community_data(move || id.get(), get_post_history);
    view! {
        <Title text="Edit history" />
        {loaded(
            data,
            move |history| {
                view! {
                    <BackLink
                        href=history.link.clone()
                        label=format!("Back to “{}”", history.thread_title)
                    />
                    <PageHeading
                        title="Edit history"
                        lede=format!(
                            "A post by @{}. Earlier versions are kept so conversations stay honest.",
                            history.author,
                        )
                    />
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
