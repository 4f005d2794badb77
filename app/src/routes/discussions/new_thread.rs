//! `/c/{slug}/discussions/new`: start a thread, with a preview.

use leptos::form::ActionForm;
use leptos::prelude::*;

use crate::api::discussions::{StartThread, list_threads};
use crate::components::community::CommunityNav;
use crate::components::discussion::{Composer, server_preview};
use crate::components::form::{ErrorSummary, Field, Hidden, form_error};
use crate::components::page::{CommunityFrame, loaded};
use crate::domain::discussion::TITLE_MAX_CHARS;
use crate::error::AppError;
use crate::params::use_query_param;
use crate::params::use_slug;

/// The form that starts a thread.
#[component]
pub fn NewThreadPage() -> impl IntoView {
    let slug = use_slug();
    let title = use_query_param("title");
    let draft = use_query_param("body");
    let chosen = use_query_param("category_id");
    let start = ServerAction::<StartThread>::new();
    let error = form_error(start.value());
    let data = Resource::new(
        move || (slug.get(), draft.get()),
        |(slug, draft)| async move {
            let page = list_threads(slug.clone(), None, None).await?;
            Ok::<_, AppError>((page, server_preview(slug, draft).await))
        },
    );
    view! {
        <CommunityFrame title="Start a discussion">
            {loaded(
                data,
                move |(page, preview)| {
                    {
                        let slug = slug.get_untracked();
                        if !page.can_post {
                            return view! {
                                <h1>"Start a discussion"</h1>
                                <p>
                                    "Only members start discussions. "
                                    <a href=format!(
                                        "/c/{slug}",
                                    )>{format!("Join {}", page.community_name)}</a> " first."
                                </p>
                            }
                                .into_any();
                        }
                        let chosen = chosen.get_untracked().unwrap_or_default();
                        view! {
                            <CommunityNav slug=slug.clone() leader=page.leader />
                            <h1>"Start a discussion"</h1>
                            <section class="card">
                                <ActionForm action=start>
                                    <ErrorSummary error />
                                    <Hidden name="slug" value=slug.clone() />
                                    <Field
                                        label="Title"
                                        name="title"
                                        error
                                        maxlength=TITLE_MAX_CHARS
                                        value=title.get_untracked().unwrap_or_default()
                                    />
                                    {(!page.categories.is_empty())
                                        .then(|| {
                                            view! {
                                                <div class="field">
                                                    <label for="category_id">"Category"</label>
                                                    <select id="category_id" name="category_id">
                                                        <option value="">"No category"</option>
                                                        {page
                                                            .categories
                                                            .iter()
                                                            .map(|c| {
                                                                let value = c.id.to_string();
                                                                let selected = value == chosen;
                                                                view! {
                                                                    <option value=value selected=selected>
                                                                        {c.name.clone()}
                                                                    </option>
                                                                }
                                                            })
                                                            .collect_view()}
                                                    </select>
                                                </div>
                                            }
                                        })}
                                    <Composer
                                        slug=slug.clone()
                                        label="What would you like to discuss?"
                                        id="body"
                                        initial=draft.get_untracked().unwrap_or_default()
                                        error
                                        preview_url=format!("/c/{slug}/discussions/new")
                                        server_preview=preview
                                    />
                                    <button type="submit" class="button">
                                        "Post discussion"
                                    </button>
                                </ActionForm>
                            </section>
                        }
                            .into_any()
                    }
                },
            )}
        </CommunityFrame>
    }
}
