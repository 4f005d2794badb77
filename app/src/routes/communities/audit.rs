//! `/c/{slug}/audit`: who did what to whom, and when.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::communities::audit_log;
use crate::components::page::{CommunityFrame, loaded};
use crate::params::use_slug;

/// The audit log (leaders only).
#[component]
pub fn AuditPage() -> impl IntoView {
    let slug = use_slug();
    let query = use_query_map();
    let before = move || {
        query
            .read()
            .get("before")
            .and_then(|b| b.parse::<i64>().ok())
    };
    let page = Resource::new(
        move || (slug.get(), before()),
        |(slug, before)| audit_log(slug, before),
    );
    view! {
        <CommunityFrame title="Audit log">
            {loaded(
                page,
                move |page| {
                    let slug = slug.get_untracked();
                    {
                        let next = page
                            .next
                            .map(|n| {
                                view! {
                                    <p class="pager">
                                        <a href=format!(
                                            "/c/{slug}/audit?before={n}",
                                        )>"Older entries"</a>
                                    </p>
                                }
                            });
                        view! {
                            <h1>"Audit log"</h1>
                            <table class="table">
                                <caption>"Every leadership action, newest first"</caption>
                                <thead>
                                    <tr>
                                        <th scope="col">"When"</th>
                                        <th scope="col">"Who"</th>
                                        <th scope="col">"Did"</th>
                                        <th scope="col">"To"</th>
                                        <th scope="col">"Details"</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {page
                                        .entries
                                        .into_iter()
                                        .map(|e| {
                                            view! {
                                                <tr>
                                                    <td>
                                                        <time datetime=e
                                                            .at
                                                            .to_rfc3339()>
                                                            {e.at.format("%-d %b %Y %H:%M").to_string()}
                                                        </time>
                                                    </td>
                                                    <td>
                                                        {e
                                                            .actor
                                                            .map(|a| format!("@{a}"))
                                                            .unwrap_or_else(|| "Kindred".into())}
                                                    </td>
                                                    <td>{e.action.replace('_', " ")}</td>
                                                    <td>
                                                        {e.subject.map(|s| format!("@{s}")).unwrap_or_default()}
                                                    </td>
                                                    <td>{e.detail}</td>
                                                </tr>
                                            }
                                        })
                                        .collect_view()}
                                </tbody>
                            </table>
                            {next}
                        }
                            .into_any()
                    }
                },
            )}
        </CommunityFrame>
    }
}
