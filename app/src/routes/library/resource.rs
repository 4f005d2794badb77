//! `/c/{slug}/library/{id}`: a guide, link or file with its licence and attribution;
//! members mark it helpful or flag it outdated; its owner and leaders edit it; leaders
//! put it in collections.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::library::{ArrangeCollection, EditResource, MarkResource, get_resource};
use crate::components::form::{
    ActionButton, ErrorSummary, Field, Hidden, Submit, TextArea, first_error, form_error,
};
use crate::components::page::{
    Description, OnReload, PageHeading, Section, community_data, community_page,
};
use crate::domain::library::{ResourceKind, ResourcePage as Page, file_size};
use crate::params::use_id;

/// One resource's page.
#[component]
pub fn ResourcePage() -> impl IntoView {
    let id = use_id();
    let mark = ServerAction::<MarkResource>::new();
    let edit = ServerAction::<EditResource>::new();
    let arrange = ServerAction::<ArrangeCollection>::new();
    let error = first_error!(mark, edit, arrange);
    let data = community_data(
        move || (id.get(), [mark.version(), edit.version(), arrange.version()].map(|v| v.get())),
        |slug, (id, _)| get_resource(slug, id),
    );
    community_page(None, OnReload::KeepContent, data, move |page, community| {
        let slug = community.slug;
        let r = page.resource.clone();
        let id = r.id.to_string();
        let content = match r.kind {
            ResourceKind::Guide => {
                view! { <Description html=page.body_html.clone() heading="The guide" /> }.into_any()
            }
            ResourceKind::Link => {
                let url = page.url.clone().unwrap_or_default();
                view! {
                    <p>
                        <a href=url.clone() rel="nofollow noopener ugc" target="_blank">
                            {format!("Open {url}")}
                        </a>
                    </p>
                }
                .into_any()
            }
            ResourceKind::File => {
                let facts = page
                    .file
                    .clone()
                    .map(|f| format!("{} · {}", f.file_name, file_size(f.size_bytes)))
                    .unwrap_or_default();
                view! {
                    <p>
                        <a href=format!("/c/{slug}/library/{id}/file") rel="external" download="">
                            "Download the file"
                        </a>
                        <span class="meta">{format!(" ({facts})")}</span>
                    </p>
                }
                .into_any()
            }
        };
        let credits = [
            (!page.attribution.is_empty()).then(|| format!("Made by {}", page.attribution)),
            (!page.licence.is_empty()).then(|| format!("Licence: {}", page.licence)),
            page.initiative.as_ref().map(|(_, t)| format!("Initiative: {t}")),
            page.goal.as_ref().map(|(_, t)| format!("Goal: {t}")),
            r.review_by.map(|d| format!("Review by {}", d.format("%-d %b %Y"))),
        ];
        let credits: Vec<String> = credits.into_iter().flatten().collect();
        view! {
            <Title text=r.title.clone() />
            <article class="resource-page">
                <p class="meta">
                    <a href=format!("/c/{slug}/library")>"Library"</a>
                    {format!(" · {} kept by @{}", r.kind.label(), r.owner)}
                </p>
                <PageHeading title=r.title.clone() lede=r.summary.clone() />
                {r
                    .overdue
                    .then(|| {
                        view! {
                            <p class="status">"Due for review: its review date has passed."</p>
                        }
                    })}
                {(r.outdated > 0)
                    .then(|| {
                        view! {
                            <p class="status">
                                {format!(
                                    "Flagged outdated by {} member(s) since its last change.",
                                    r.outdated,
                                )}
                            </p>
                        }
                    })}
                <ErrorSummary error />
                {content}
                <p class="meta">{credits.join(" · ")}</p>
                {(page.revisions > 0)
                    .then(|| {
                        view! {
                            <p class="meta">
                                <a href=format!(
                                    "/c/{slug}/library/{id}/history",
                                )>
                                    {match page.revisions {
                                        1 => "1 earlier version".to_owned(),
                                        n => format!("{n} earlier versions"),
                                    }}
                                </a>
                            </p>
                        }
                    })}
                <p class="meta">{format!("Helpful to {} member(s).", r.helpful)}</p>
                {page
                    .can_react
                    .then(|| {
                        view! { <Marks slug=slug.clone() id=id.clone() page=page.clone() mark /> }
                    })}
                {page
                    .can_edit
                    .then(|| view! { <EditForm slug=slug.clone() page=page.clone() edit /> })}
                {(!page.collections.is_empty())
                    .then(|| view! { <Collections slug=slug.clone() page=page.clone() arrange /> })}
            </article>
        }
    })
}

/// "Helpful" and "Outdated" toggles.
#[component]
fn Marks(slug: String, id: String, page: Page, mark: ServerAction<MarkResource>) -> impl IntoView {
    let (helpful, helpful_label) = if page.marked_helpful {
        (false, "Helpful ✓ (take back)")
    } else {
        (true, "Mark helpful")
    };
    let (outdated, outdated_label) = if page.flagged_outdated {
        (false, "Flagged outdated (take back)")
    } else {
        (true, "Flag as outdated")
    };
    view! {
        <div class="actions">
            <MarkToggle
                slug=slug.clone()
                id=id.clone()
                name="helpful"
                on=helpful
                label=helpful_label
                mark
            />
            <MarkToggle slug id name="outdated" on=outdated label=outdated_label mark />
        </div>
    }
    .into_any()
}

/// One mark's button.
#[component]
fn MarkToggle(
    slug: String,
    id: String,
    name: &'static str,
    on: bool,
    label: &'static str,
    mark: ServerAction<MarkResource>,
) -> impl IntoView {
    view! {
        <ActionButton
            action=mark
            fields=vec![
                ("slug", slug),
                ("id", id),
                ("mark", name.to_owned()),
                ("on", on.to_string()),
            ]
            label=label
            class="button secondary"
            form_class="inline-form"
        />
    }
    .into_any()
}

/// The edit form, filled in with the current version.
#[component]
fn EditForm(slug: String, page: Page, edit: ServerAction<EditResource>) -> impl IntoView {
    let error = form_error(edit.value());
    let r = page.resource.clone();
    view! {
        <Section heading="Edit" id="edit-heading" class="card">
            <ActionForm action=edit>
                <Hidden name="slug" value=slug />
                <Hidden name="id" value=r.id.to_string() />
                <Field
                    label="Title"
                    name="title"
                    input_name="form[title]"
                    error
                    value=r.title.clone()
                />
                <TextArea
                    label="Summary"
                    name="summary"
                    input_name="form[summary]"
                    error
                    value=r.summary.clone()
                    rows=2
                />
                {(r.kind == ResourceKind::Guide)
                    .then(|| {
                        view! {
                            <TextArea
                                label="Guide (Markdown)"
                                name="body"
                                input_name="form[body]"
                                error
                                value=page.body.clone()
                                rows=10
                            />
                        }
                    })}
                {(r.kind == ResourceKind::Link)
                    .then(|| {
                        view! {
                            <Field
                                label="Link"
                                required=false
                                name="url"
                                input_name="form[url]"
                                kind="url"
                                error
                                value=page.url.clone().unwrap_or_default()
                            />
                        }
                    })}
                <Field
                    label="Tags"
                    required=false
                    name="tags"
                    input_name="form[tags]"
                    error
                    value=r.tags.join(", ")
                />
                <Field
                    label="Licence"
                    required=false
                    name="licence"
                    input_name="form[licence]"
                    error
                    value=page.licence.clone()
                />
                <Field
                    label="Made by"
                    required=false
                    name="attribution"
                    input_name="form[attribution]"
                    error
                    value=page.attribution.clone()
                />
                <Hidden
                    name="form[initiative_id]"
                    value=page.initiative.as_ref().map(|(i, _)| i.to_string()).unwrap_or_default()
                />
                <Hidden
                    name="form[goal_id]"
                    value=page.goal.as_ref().map(|(g, _)| g.to_string()).unwrap_or_default()
                />
                <Field
                    label="Review by"
                    required=false
                    name="review_by"
                    input_name="form[review_by]"
                    kind="date"
                    error
                    value=r.review_by.map(|d| d.to_string()).unwrap_or_default()
                />
                <Submit label="Save changes" />
            </ActionForm>
        </Section>
    }
    .into_any()
}

/// Leaders put the resource in a collection or take it out.
#[component]
fn Collections(
    slug: String,
    page: Page,
    arrange: ServerAction<ArrangeCollection>,
) -> impl IntoView {
    let resource = page.resource.id.to_string();
    view! {
        <Section heading="Collections" id="collections-heading" class="card">
            <ul class="plain-list">
                {page
                    .collections
                    .into_iter()
                    .map(|(id, name, holds)| {
                        let (slug, resource) = (slug.clone(), resource.clone());
                        let (how, label) = if holds {
                            ("remove", format!("Take out of {name}"))
                        } else {
                            ("add", format!("Add to {name}"))
                        };
                        view! {
                            <li>
                                <ActionButton
                                    action=arrange
                                    fields=vec![
                                        ("slug", slug.clone()),
                                        ("collection", id.to_string()),
                                        ("resource", resource.clone()),
                                        ("how", how.to_owned()),
                                    ]
                                    label=label
                                    class="button secondary"
                                />
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </Section>
    }
    .into_any()
}
