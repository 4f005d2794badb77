//! `/c/{slug}/library`: collections, every resource (or one tag's), and the forms that
//! add a guide, a link or a file, and (leaders) a collection.

use leptos::form::ActionForm;
use leptos::prelude::*;

use super::ResourceCard;
use crate::api::library::{AddResource, ArrangeCollection, CreateCollection, get_library};
use crate::components::form::{
    ActionButton, ErrorSummary, Field, Hidden, InitiativeAndGoal, Submit, TextArea, first_error,
    form_error,
};
use crate::components::page::{
    Heading, OnReload, Section, community_data, community_page, list_or_empty,
};
use crate::domain::library::{ACCEPTED_MIME, Collection, LibraryPage as Page};
use crate::params::use_query_param;

/// The library page.
#[component]
pub fn LibraryPage() -> impl IntoView {
    let add = ServerAction::<AddResource>::new();
    let create = ServerAction::<CreateCollection>::new();
    let arrange = ServerAction::<ArrangeCollection>::new();
    let error = first_error!(add, create, arrange);
    let tag = use_query_param("tag");
    let before = use_query_param("before");
    let upload_error = use_query_param("upload_error");
    let data = community_data(
        move || {
            let versions = [add.version(), create.version(), arrange.version()].map(|v| v.get());
            (tag.get(), before.get(), versions)
        },
        |slug, (tag, before, _)| get_library(slug, tag, before),
    );
    community_page(
        Heading::WithLede(
            "Library",
            "Guides, links and files the community keeps current. Mark what helped you; flag what is out of date.",
        ),
        OnReload::KeepContent,
        data,
        move |page, community| {
            let slug = community.slug;
            view! {
                <ErrorSummary error />
                <Tags slug=slug.clone() page=page.clone() />
                {page
                    .collections
                    .iter()
                    .map(|c| {
                        view! {
                            <CollectionSection
                                slug=slug.clone()
                                collection=c.clone()
                                organise=page.can_organise
                                arrange
                            />
                        }
                    })
                    .collect_view()}
                <section aria-labelledby="all-heading">
                    <h2 id="all-heading">
                        {match &page.tag {
                            Some(tag) => format!("Tagged “{tag}”"),
                            None => "All resources".to_owned(),
                        }}
                    </h2>
                    {list_or_empty(
                        page.resources.iter(),
                        "Nothing here yet.",
                        "plain-list resources",
                        |r| {
                            view! { <ResourceCard slug=slug.clone() resource=r.clone() /> }
                        },
                    )}
                    {page
                        .older
                        .as_ref()
                        .map(|cursor| {
                            let mut href = format!(
                                "/c/{slug}/library?before={}",
                                crate::params::urlencode(cursor),
                            );
                            if let Some(tag) = &page.tag {
                                href.push_str(&format!("&tag={}", crate::params::urlencode(tag)));
                            }
                            view! {
                                <p>
                                    <a href=href>"Older resources"</a>
                                </p>
                            }
                        })}
                </section>
                {page
                    .can_add
                    .then(|| {
                        view! { <AddForms slug=slug.clone() page=page.clone() add upload_error /> }
                    })}
                {page
                    .can_organise
                    .then(|| {
                        view! {
                            <Section heading="New collection" id="collection-heading" class="card">
                                <ActionForm action=create>
                                    <Hidden name="slug" value=slug.clone() />
                                    <Field
                                        label="Collection name"
                                        name="name"
                                        error
                                        hint="e.g. Start here, Safety"
                                    />
                                    <Submit label="Add collection" />
                                </ActionForm>
                            </Section>
                        }
                    })}
            }
        },
    )
}

/// The tag filter.
#[component]
fn Tags(slug: String, page: Page) -> impl IntoView {
    if page.tags.is_empty() {
        return ().into_any();
    }
    view! {
        <nav class="tags" aria-label="Tags">
            <a href=format!("/c/{slug}/library") aria-current=page.tag.is_none().then_some("page")>
                "All"
            </a>
            " "
            {page
                .tags
                .iter()
                .map(|(tag, count)| {
                    let current = page.tag.as_deref() == Some(tag.as_str());
                    view! {
                        <a
                            class="tag"
                            href=format!("/c/{slug}/library?tag={}", crate::params::urlencode(tag))
                            aria-current=current.then_some("page")
                        >
                            {format!("{tag} ({count})")}
                        </a>
                        " "
                    }
                })
                .collect_view()}
        </nav>
    }
    .into_any()
}

/// A collection, in the leaders' order; leaders move items up and down.
#[component]
fn CollectionSection(
    slug: String,
    collection: Collection,
    organise: bool,
    arrange: ServerAction<ArrangeCollection>,
) -> impl IntoView {
    let heading = format!("collection-{}", collection.id);
    let count = collection.resources.len();
    let resources = collection.resources.clone();
    view! {
        <section aria-labelledby=heading.clone() class="collection">
            <h2 id=heading.clone()>{collection.name.clone()}</h2>
            {if resources.is_empty() {
                view! { <p class="empty">"Nothing in this collection yet."</p> }.into_any()
            } else {
                view! {
                    <ol class="plain-list resources">
                        {resources
                            .iter()
                            .enumerate()
                            .map(|(i, r)| {
                                let (slug, collection_id) = (slug.clone(), collection.id);
                                let mover = |how: &'static str, shown: bool| {
                                    shown
                                        .then(|| {
                                            view! {
                                                <MoveButton
                                                    slug=slug.clone()
                                                    collection=collection_id
                                                    resource=r.id
                                                    how
                                                    title=r.title.clone()
                                                    arrange
                                                />
                                            }
                                        })
                                };
                                let moves = organise
                                    .then(|| {
                                        view! {
                                            {mover("up", i > 0)}
                                            {mover("down", i + 1 < count)}
                                        }
                                    });
                                view! {
                                    <ResourceCard slug=slug.clone() resource=r.clone()>
                                        {moves}
                                    </ResourceCard>
                                }
                            })
                            .collect_view()}
                    </ol>
                }
                    .into_any()
            }}
        </section>
    }
    .into_any()
}

/// One "move up" or "move down" button of a collection.
#[component]
fn MoveButton(
    slug: String,
    collection: i64,
    resource: i64,
    how: &'static str,
    title: String,
    arrange: ServerAction<ArrangeCollection>,
) -> impl IntoView {
    let label = format!("Move {how}: {title}");
    view! {
        <ActionButton
            action=arrange
            fields=vec![
                ("slug", slug),
                ("collection", collection.to_string()),
                ("resource", resource.to_string()),
                ("how", how.to_owned()),
            ]
            label=label
            class="link-button"
            form_class="inline-form"
        />
    }
    .into_any()
}

/// Adding a guide or a link (a server function), and uploading a file (a multipart form
/// posted to `/c/{slug}/library/upload`, which works the same without JavaScript).
#[component]
fn AddForms(
    slug: String,
    page: Page,
    add: ServerAction<AddResource>,
    upload_error: Signal<Option<String>>,
) -> impl IntoView {
    let error = form_error(add.value());
    let upload_action = format!("/c/{slug}/library/upload");
    view! {
        <Section heading="Add a guide or a link" id="add-heading" class="card">
            <ActionForm action=add>
                <Hidden name="slug" value=slug.clone() />
                <div class="field">
                    <label for="kind">"Kind"</label>
                    <select id="kind" name="form[kind]">
                        <option value="guide">"A guide written here"</option>
                        <option value="link">"A link"</option>
                    </select>
                </div>
                <Field
                    label="Title"
                    name="title"
                    input_name="form[title]"
                    error
                    required=true
                    maxlength=200
                />
                <TextArea label="Summary" name="summary" input_name="form[summary]" error rows=2 />
                <TextArea
                    label="Guide (Markdown)"
                    name="body"
                    input_name="form[body]"
                    error
                    rows=8
                    hint="For a guide. Headings, lists and links work."
                />
                <Field
                    label="Link"
                    required=false
                    name="url"
                    input_name="form[url]"
                    kind="url"
                    error
                    hint="For a link: https://…"
                />
                <Field
                    label="Tags"
                    required=false
                    name="tags"
                    input_name="form[tags]"
                    error
                    hint="Comma-separated, e.g. safety, kit"
                />
                <InitiativeAndGoal
                    error
                    initiatives=page.initiatives.clone()
                    goals=page.goals.clone()
                />
                <Field
                    label="Review by"
                    required=false
                    name="review_by"
                    input_name="form[review_by]"
                    kind="date"
                    error
                />
                <Submit label="Add to library" />
            </ActionForm>
        </Section>
        <section class="card" id="upload" aria-labelledby="upload-heading">
            <h2 id="upload-heading">"Upload a file"</h2>
            <p class="hint">
                "PDFs, images and office documents up to 20 MB. Say who made it and under which licence it may be shared."
            </p>
            {move || {
                upload_error
                    .get()
                    .map(|message| {
                        view! {
                            <p class="error" role="alert">
                                {message}
                            </p>
                        }
                    })
            }}
            <form method="post" action=upload_action enctype="multipart/form-data" class="stack">
                <div class="field">
                    <label for="upload-title">"Title"</label>
                    <input id="upload-title" name="title" required maxlength=200 />
                </div>
                <div class="field">
                    <label for="upload-summary">"Summary"</label>
                    <textarea id="upload-summary" name="summary" rows=2></textarea>
                </div>
                <div class="field">
                    <label for="upload-licence">"Licence"</label>
                    <input id="upload-licence" name="licence" required placeholder="CC BY 4.0" />
                </div>
                <div class="field">
                    <label for="upload-attribution">"Made by"</label>
                    <input id="upload-attribution" name="attribution" required />
                </div>
                <div class="field">
                    <label for="upload-tags">"Tags"</label>
                    <input id="upload-tags" name="tags" />
                </div>
                <div class="field">
                    <label for="upload-review">"Review by"</label>
                    <input id="upload-review" name="review_by" type="date" />
                </div>
                <div class="field">
                    <label for="upload-file">"File"</label>
                    <input
                        id="upload-file"
                        name="file"
                        type="file"
                        required
                        accept=ACCEPTED_MIME.join(",")
                    />
                </div>
                <Submit label="Upload" />
            </form>
        </section>
    }
    .into_any()
}
