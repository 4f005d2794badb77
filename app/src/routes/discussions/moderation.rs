//! `/c/{slug}/moderation`: the flag queue, worked by moderators.

use leptos::form::ActionForm;
use leptos::prelude::*;

use crate::api::discussions::{DismissFlags, HidePost, get_moderation_queue};
use crate::components::form::{ErrorSummary, Hidden, Submit, form_error};
use crate::components::page::{Heading, OnReload, community_data, community_page, list_or_empty};
use crate::domain::discussion::FlaggedPost;

/// Posts members flagged, with their reasons; dismiss or hide each.
#[component]
pub fn ModerationPage() -> impl IntoView {
    let dismiss = ServerAction::<DismissFlags>::new();
    let hide = ServerAction::<HidePost>::new();
    let dismiss_error = form_error(dismiss.value());
    let hide_error = form_error(hide.value());
    let error = Signal::derive(move || hide_error.get().or_else(|| dismiss_error.get()));
    let data = community_data(
        move || (dismiss.version().get(), hide.version().get()),
        |slug, _| get_moderation_queue(slug),
    );
    community_page(
        Heading::WithLede(
            "Moderation",
            "Posts members flagged as going against our values. Dismiss the flags to keep a post up, or hide it saying why — its author is told.",
        ),
        OnReload::KeepContent,
        data,
        move |queue, community| {
            let slug = community.slug;
            view! {
                <ErrorSummary error />
                {list_or_empty(
                    queue.posts,
                    "Nothing flagged. All clear.",
                    "plain-list flag-queue",
                    |post| {
                        view! {
                            <FlaggedItem
                                post
                                slug=slug.clone()
                                values=queue.values.clone()
                                dismiss
                                hide
                            />
                        }
                    },
                )}
            }
            .into_any()
        },
    )
}

#[component]
fn FlaggedItem(
    post: FlaggedPost,
    slug: String,
    values: Vec<String>,
    dismiss: ServerAction<DismissFlags>,
    hide: ServerAction<HidePost>,
) -> impl IntoView {
    let value_id = format!("queue-value-{}", post.post_id);
    let note_id = format!("queue-note-{}", post.post_id);
    let heading = format!("@{} in “{}”", post.author, post.thread_title);
    let hide_slug = slug.clone();
    view! {
        <li class="card">
            <h2>
                <a href=post.link.clone()>{heading}</a>
            </h2>
            {post
                .hidden
                .then(|| {
                    view! {
                        <p>
                            <span class="badge">"Hidden"</span>
                        </p>
                    }
                })}
            <div class="post-body" inner_html=post.html.clone()></div>
            <h3>"Flags"</h3>
            <ul>
                {post
                    .flags
                    .iter()
                    .map(|(who, why)| view! { <li>{format!("@{who}: {why}")}</li> })
                    .collect_view()}
            </ul>
            <div class="decisions">
                <ActionForm action=dismiss>
                    <Hidden name="slug" value=slug.clone() />
                    <Hidden name="post_id" value=post.post_id.to_string() />
                    <p class="hint">"The post stays up."</p>
                    <Submit label="Dismiss flags" class="button secondary" />
                </ActionForm>
                {(!post.hidden)
                    .then(|| {
                        view! {
                            <ActionForm action=hide>
                                <Hidden name="slug" value=hide_slug.clone() />
                                <Hidden name="next" value=format!("/c/{hide_slug}/moderation") />
                                <Hidden name="post_id" value=post.post_id.to_string() />
                                <div class="field">
                                    <label for=value_id.clone()>"Value it goes against"</label>
                                    <select id=value_id.clone() name="value">
                                        <option value="">"None — explain in the note"</option>
                                        {values
                                            .iter()
                                            .enumerate()
                                            .map(|(i, v)| {
                                                view! { <option value=i.to_string()>{v.clone()}</option> }
                                            })
                                            .collect_view()}
                                    </select>
                                </div>
                                <div class="field">
                                    <label for=note_id.clone()>"Note to the author"</label>
                                    <textarea
                                        id=note_id.clone()
                                        name="note"
                                        rows=2
                                        maxlength=500usize
                                    ></textarea>
                                </div>
                                <Submit label="Hide post" class="button danger" />
                            </ActionForm>
                        }
                    })}
            </div>
        </li>
    }
}
