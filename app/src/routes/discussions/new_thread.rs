//! `/c/{slug}/discussions/new`: start a thread, with a preview.

use leptos::form::ActionForm;
use leptos::prelude::*;

use crate::api::discussions::{StartThread, list_threads};
use crate::components::discussion::{Composer, server_preview};
use crate::components::form::{Choice, ErrorSummary, Field, FormKey, Hidden, Submit, form_error};
use crate::components::page::{OnReload, community_data, community_page};
use crate::domain::discussion::TITLE_MAX_CHARS;
use crate::params::use_query_param;

/// The form that starts a thread.
#[component]
pub fn NewThreadPage() -> impl IntoView {
    let title = use_query_param("title");
    let draft = use_query_param("body");
    let chosen = use_query_param("category_id");
    let start = ServerAction::<StartThread>::new();
    let error = form_error(start.value());
    let data = community_data(
        move || draft.get(),
        |slug, draft| async move {
            let page = list_threads(slug.clone(), None, None).await?;
            Ok((page, server_preview(slug, draft).await))
        },
    );
    community_page(
        Some("Start a discussion"),
        OnReload::Loading,
        data,
        move |(page, preview), community| {
            let slug = community.slug;
            if !page.can_post {
                return view! {
                    <h1>"Start a discussion"</h1>
                    <p>
                        "Only members start discussions. "
                        <a href=format!("/c/{slug}")>{format!("Join {}", page.community_name)}</a>
                        " first."
                    </p>
                }
                .into_any();
            }
            let chosen = chosen.get_untracked().unwrap_or_default();
            view! {
                <h1>"Start a discussion"</h1>
                <section class="card">
                    <ActionForm action=start>
                        <ErrorSummary error />
                        <Hidden name="slug" value=slug.clone() />
                        <FormKey version=start.version() />
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
                                    <Choice
                                        label="Category"
                                        name="category_id"
                                        input_name="category_id"
                                        error
                                        none="No category"
                                        options=page
                                            .categories
                                            .iter()
                                            .map(|c| (c.id, c.name.clone()))
                                            .collect()
                                        selected=chosen.parse().ok()
                                    />
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
                        <Submit label="Post discussion" />
                    </ActionForm>
                </section>
            }
            .into_any()
        },
    )
}
