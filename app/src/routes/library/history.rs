//! `/c/{slug}/library/{id}/history`: every version of an edited guide.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::library::get_guide_history;
use crate::components::page::{BackLink, PageHeading, community_data, loaded};
use crate::domain::library::GuideVersion;
use crate::params::use_id;

/// A guide's edit history, newest first.
#[component]
pub fn GuideHistoryPage() -> impl IntoView {
    let id = use_id();
    let data = community_data(move || id.get(), get_guide_history);
    view! {
        <Title text="Guide history" />
        {loaded(
            data,
            move |history| {
                view! {
                    <BackLink
                        href=history.link.clone()
                        label=format!("Back to “{}”", history.current.title)
                    />
                    <PageHeading
                        title="Guide history"
                        lede=format!(
                            "A guide kept by @{}. Every earlier version is kept, newest first.",
                            history.owner,
                        )
                    />
                    <Version
                        heading=format!(
                            "Current version · changed {}",
                            history.current.at.format("%-d %b %Y, %H:%M"),
                        )
                        version=history.current.clone()
                    />
                    {history
                        .earlier
                        .into_iter()
                        .map(|v| {
                            let by = v
                                .replaced_by
                                .as_ref()
                                .map(|h| format!(" by @{h}"))
                                .unwrap_or_default();
                            let heading = format!(
                                "Replaced {}{by}",
                                v.at.format("%-d %b %Y, %H:%M"),
                            );
                            view! { <Version heading version=v /> }
                        })
                        .collect_view()}
                }
                    .into_any()
            },
        )}
    }
}

/// One version: its heading, title, summary and text.
#[component]
fn Version(heading: String, version: GuideVersion) -> impl IntoView {
    view! {
        <section class="card">
            <h2>{heading}</h2>
            <h3>{version.title}</h3>
            <p class="lede">{version.summary}</p>
            <div class="prose" inner_html=version.html></div>
        </section>
    }
}
