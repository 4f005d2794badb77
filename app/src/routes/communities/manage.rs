//! `/c/{slug}/manage`: the leaders' tools in one place, each with what waits in it.

use leptos::prelude::*;

use crate::api::communities::get_community_header;
use crate::components::feedback::ErrorPage;
use crate::components::page::{OnReload, community_data, community_page};
use crate::error::AppError;

/// One leaders' tool: its name, what it is for, its path after `/c/{slug}`, and how many
/// things wait in it (`None` when it has no queue).
struct Tool {
    name: &'static str,
    about: &'static str,
    path: &'static str,
    waiting: Option<i64>,
}

/// The leaders' page behind the "Manage" tab (others get 403).
#[component]
pub fn ManagePage() -> impl IntoView {
    let header = community_data(|| (), |slug, _| get_community_header(slug));
    community_page(Some("Manage"), OnReload::Loading, header, |header, _| {
        if !header.is_leader {
            return view! { <ErrorPage error=AppError::Forbidden /> }.into_any();
        }
        let waiting = header.waiting;
        let tools = [
            Tool {
                name: "Join requests",
                about: "People asking to join, with their answers.",
                path: "/requests",
                waiting: Some(waiting.join_requests),
            },
            Tool {
                name: "Verify contributions",
                about: "Logged contributions waiting for a second pair of eyes.",
                path: "/verify",
                waiting: Some(waiting.to_verify),
            },
            Tool {
                name: "Moderation",
                about: "Posts members have flagged.",
                path: "/moderation",
                waiting: Some(waiting.flagged_posts),
            },
            Tool {
                name: "Invites",
                about: "Invitation links and who used them.",
                path: "/invites",
                waiting: None,
            },
            Tool {
                name: "Leadership",
                about: "Roles, and who holds them.",
                path: "/leadership",
                waiting: None,
            },
            Tool {
                name: "Audit log",
                about: "Every leaders' action, newest first.",
                path: "/audit",
                waiting: None,
            },
            Tool {
                name: "Edit community",
                about: "Mission, vision, values, and who may join.",
                path: "/edit",
                waiting: None,
            },
        ];
        let slug = header.slug;
        view! {
            <h1>"Manage"</h1>
            <p class="lede">
                {match waiting.total() {
                    0 => "Nothing is waiting for you.".to_owned(),
                    1 => "1 thing is waiting for you.".to_owned(),
                    n => format!("{n} things are waiting for you."),
                }}
            </p>
            <ul class="tools">
                {tools
                    .into_iter()
                    .map(|tool| {
                        let name = match tool.waiting {
                            Some(n) if n > 0 => format!("{} ({n})", tool.name),
                            _ => tool.name.to_owned(),
                        };
                        view! {
                            <li class="card tool">
                                <h2>
                                    <a href=format!("/c/{slug}{}", tool.path)>{name}</a>
                                </h2>
                                <p class="hint">{tool.about}</p>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
        .into_any()
    })
}
