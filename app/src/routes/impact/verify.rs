//! `/c/{slug}/verify`: the queue of reported contributions.

use leptos::form::ActionForm;
use leptos::prelude::*;

use crate::api::impact::{DecideContribution, get_verification_queue};
use crate::components::form::{ActionButton, ErrorSummary, Hidden, Submit, form_error};
use crate::components::impact::amount;
use crate::components::page::{OnReload, community_data, community_page, list_or_empty};

/// The verification queue (leaders see everything; initiative owners see their initiatives').
#[component]
pub fn VerifyPage() -> impl IntoView {
    let decide = ServerAction::<DecideContribution>::new();
    let error = form_error(decide.value());
    let queue =
        community_data(move || decide.version().get(), |slug, _| get_verification_queue(slug));
    community_page(Some("Verify contributions"), OnReload::Loading, queue, move |q, community| {
        let slug = community.slug;
        view! {
            <h1>{format!("Verify contributions ({})", q.waiting.len())}</h1>
            <ErrorSummary error />
            {list_or_empty(
                q.waiting,
                "Nothing is waiting for you.",
                "plain-list",
                |c| {
                    let reason_id = format!("reason-{}", c.id);
                    let (s1, s2) = (slug.clone(), slug.clone());
                    view! {
                        <li class="card">
                            <h2>{c.description.clone()}</h2>
                            <p class="meta">
                                {format!(
                                    "@{} · {} · {}",
                                    c.author,
                                    c.done_on.format("%-d %b %Y"),
                                    amount(&c),
                                )} {c.goal.clone().map(|g| format!(" · {g}"))}
                                {c.initiative.clone().map(|i| format!(" · {i}"))}
                            </p>
                            {(!c.evidence_url.is_empty())
                                .then(|| {
                                    view! {
                                        <p>
                                            <a
                                                href=c.evidence_url.clone()
                                                rel="nofollow noopener ugc"
                                                target="_blank"
                                            >
                                                "Evidence"
                                            </a>
                                        </p>
                                    }
                                })}
                            {(!c.note.is_empty())
                                .then(|| {
                                    view! { <blockquote>{c.note.clone()}</blockquote> }
                                })}
                            <div class="decisions">
                                <ActionButton
                                    action=decide
                                    fields=vec![
                                        ("slug", s1),
                                        ("contribution_id", c.id.to_string()),
                                        ("decision", "verify".into()),
                                    ]
                                    label=format!("Verify: {}", c.description)
                                />
                                <ActionForm action=decide>
                                    <Hidden name="slug" value=s2 />
                                    <Hidden name="contribution_id" value=c.id.to_string() />
                                    <Hidden name="decision" value="decline" />
                                    <label for=reason_id.clone()>"Reason for declining"</label>
                                    <input id=reason_id name="reason" maxlength=500 />
                                    <Submit label="Decline" class="button secondary" />
                                </ActionForm>
                            </div>
                        </li>
                    }
                },
            )}
        }
        .into_any()
    })
}
