//! `/c/{slug}/requests`: the queue of people asking to join.

use leptos::form::ActionForm;
use leptos::prelude::*;

use crate::api::communities::{DecideJoinRequest, list_join_requests};
use crate::components::form::{ErrorSummary, Hidden, form_error};
use crate::components::page::{OnReload, community_data, community_page, list_or_empty};

/// The join-request queue (leaders only).
#[component]
pub fn RequestsPage() -> impl IntoView {
    let decide = ServerAction::<DecideJoinRequest>::new();
    let error = form_error(decide.value());
    let requests =
        community_data(move || decide.version().get(), |slug, _| list_join_requests(slug));
    community_page(
        Some("Join requests"),
        OnReload::Loading,
        requests,
        move |requests, community| {
            let slug = community.slug;
            view! {
                <h1>"Join requests"</h1>
                <ErrorSummary error />
                {list_or_empty(
                    requests,
                    "No one is waiting.",
                    "plain-list",
                    |r| {
                        view! {
                            <li class="card">
                                <h2>
                                    <a href=format!("/u/{}", r.handle)>{r.display_name.clone()}</a>
                                    " "
                                    <span class="handle">{format!("@{}", r.handle)}</span>
                                </h2>
                                <p class="meta">
                                    "Asked " {r.created_at.format("%-d %b %Y").to_string()}
                                </p>
                                {(!r.answers.is_empty())
                                    .then(|| {
                                        view! {
                                            <blockquote class="prose">{r.answers.clone()}</blockquote>
                                        }
                                    })}
                                <div class="decisions">
                                    {[true, false]
                                        .map(|approve| {
                                            view! {
                                                <DecisionForm
                                                    decide
                                                    slug=slug.clone()
                                                    request=r.id
                                                    handle=r.handle.clone()
                                                    approve
                                                />
                                            }
                                        })}
                                </div>
                            </li>
                        }
                    },
                )}
            }
        },
    )
}

#[component]
fn DecisionForm(
    decide: ServerAction<DecideJoinRequest>,
    slug: String,
    request: i64,
    handle: String,
    approve: bool,
) -> impl IntoView {
    let (decision, label, button) = if approve {
        (
            "approve",
            format!("Welcome message to @{handle} (optional)"),
            format!("Approve @{handle}"),
        )
    } else {
        (
            "decline",
            format!("Reason for declining @{handle} (optional)"),
            format!("Decline @{handle}"),
        )
    };
    let id = format!("{decision}-message-{request}");
    view! {
        <ActionForm action=decide>
            <Hidden name="slug" value=slug />
            <Hidden name="request_id" value=request.to_string() />
            <Hidden name="decision" value=decision />
            <label for=id.clone()>{label}</label>
            <input id=id name="message" maxlength=2000 />
            <button type="submit" class=if approve { "button" } else { "button secondary" }>
                {button}
            </button>
        </ActionForm>
    }
}
