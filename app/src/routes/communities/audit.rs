//! `/c/{slug}/audit`: who did what to whom, and when.

use leptos::prelude::*;

use crate::api::communities::audit_log;
use crate::components::page::{OnReload, community_data, community_page};
use crate::components::table::DataTable;
use crate::params::use_query_number;

/// The audit log (leaders only).
#[component]
pub fn AuditPage() -> impl IntoView {
    let before = use_query_number("before");
    let page = community_data(move || before.get(), audit_log);
    community_page(Some("Audit log"), OnReload::Loading, page, move |page, community| {
        let slug = community.slug;
        {
            let next = page.next.map(|n| {
                view! {
                    <p class="pager">
                        <a href=format!("/c/{slug}/audit?before={n}")>"Older entries"</a>
                    </p>
                }
            });
            view! {
                <h1>"Audit log"</h1>
                <DataTable
                    columns=vec!["When", "Who", "Did", "To", "Details"]
                    caption="Every leadership action, newest first"
                >
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
                </DataTable>
                {next}
            }
            .into_any()
        }
    })
}
