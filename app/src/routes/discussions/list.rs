//! `/c/{slug}/discussions`: threads, pinned first, newest activity next; categories.

use leptos::form::ActionForm;
use leptos::prelude::*;

use crate::api::discussions::{AddCategory, RemoveCategory, list_threads};
use crate::components::discussion::ThreadRow;
use crate::components::form::{ErrorSummary, Field, Hidden, Submit, form_error};
use crate::components::page::{OnReload, community_data, community_page, list_if_any};
use crate::domain::discussion::Category;
use crate::params::{use_query_number, use_query_param};

/// The community's discussions.
#[component]
pub fn DiscussionsPage() -> impl IntoView {
    let category = use_query_number("category");
    let after = use_query_param("after");
    let add = ServerAction::<AddCategory>::new();
    let remove = ServerAction::<RemoveCategory>::new();
    let add_error = form_error(add.value());
    let data = community_data(
        move || (category.get(), after.get(), add.version().get(), remove.version().get()),
        |slug, (category, after, _, _)| list_threads(slug, category, after),
    );
    community_page(Some("Discussions"), OnReload::KeepContent, data, move |page, community| {
        let slug = community.slug;
        let filter = page.category;
        let next = page.next.clone().map(|cursor| {
            let mut href = format!("/c/{slug}/discussions?after={cursor}");
            if let Some(c) = filter {
                href.push_str(&format!("&category={c}"));
            }
            view! {
                <p class="pager">
                    <a href=href>"Older discussions"</a>
                </p>
            }
        });
        let empty = page.pinned.is_empty() && page.threads.is_empty();
        view! {
            <div class="page-heading">
                <h1>"Discussions"</h1>
                {page
                    .can_post
                    .then(|| {
                        view! {
                            <a class="button" href=format!("/c/{slug}/discussions/new")>
                                "Start a discussion"
                            </a>
                        }
                    })}
            </div>
            <p class="lede">
                {format!(
                    "Share knowledge, plan and support each other in {}.",
                    page.community_name,
                )}
            </p>
            {page
                .can_moderate
                .then(|| {
                    view! {
                        <p>
                            <a href=format!("/c/{slug}/moderation")>"Moderation queue"</a>
                        </p>
                    }
                })}
            <form method="get" action=format!("/c/{slug}/search") class="search" role="search">
                <label for="q">"Search discussions"</label>
                <div class="search-row">
                    <input id="q" name="q" type="search" maxlength=200 />
                    <Submit label="Search" />
                </div>
            </form>
            <CategoryFilter slug=slug.clone() categories=page.categories.clone() selected=filter />
            {list_if_any(
                    page.pinned.iter().cloned(),
                    "thread-list pinned",
                    |t| view! { <ThreadRow thread=t slug=slug.clone() /> },
                )
                .map(|list| {
                    view! {
                        <h2 class="visually-hidden">"Pinned"</h2>
                        {list}
                    }
                })}
            {if empty {
                view! { <p class="empty">"No discussions yet. Start the first one."</p> }.into_any()
            } else {
                view! {
                    <h2 class="visually-hidden">"Latest"</h2>
                    <ul class="thread-list">
                        {page
                            .threads
                            .iter()
                            .cloned()
                            .map(|t| view! { <ThreadRow thread=t slug=slug.clone() /> })
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            }}
            {next}
            {page
                .leader
                .then(|| {
                    view! {
                        <CategoryAdmin
                            slug=slug.clone()
                            categories=page.categories.clone()
                            add
                            remove
                            add_error
                        />
                    }
                })}
        }
        .into_any()
    })
}

/// Stewards add and remove categories.
#[component]
fn CategoryAdmin(
    slug: String,
    categories: Vec<Category>,
    add: ServerAction<AddCategory>,
    remove: ServerAction<RemoveCategory>,
    add_error: Signal<Option<crate::error::AppError>>,
) -> impl IntoView {
    let rows = categories
        .into_iter()
        .map(|c| {
            let slug = slug.clone();
            view! {
                <li>
                    {c.name.clone()} <ActionForm action=remove attr:class="inline">
                        <Hidden name="slug" value=slug />
                        <Hidden name="category_id" value=c.id.to_string() />
                        <button
                            type="submit"
                            class="link-button"
                            aria-label=format!("Remove category {}", c.name)
                        >
                            "Remove"
                        </button>
                    </ActionForm>
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="card">
            <h2>"Categories"</h2>
            <p class="hint">"Optional: group discussions so members find their way."</p>
            <ul class="plain-list category-admin">{rows}</ul>
            <ActionForm action=add>
                <ErrorSummary error=add_error />
                <Hidden name="slug" value=slug />
                <Field label="New category" name="name" error=add_error maxlength=40usize />
                <Submit label="Add category" />
            </ActionForm>
        </section>
    }
}

/// Links that filter the list by category.
#[component]
fn CategoryFilter(slug: String, categories: Vec<Category>, selected: Option<i64>) -> impl IntoView {
    (!categories.is_empty()).then(|| {
        let current = |on: bool| on.then_some("page");
        view! {
            <nav class="filter" aria-label="Categories">
                <a href=format!("/c/{slug}/discussions") aria-current=current(selected.is_none())>
                    "All"
                </a>
                {categories
                    .into_iter()
                    .map(|c| {
                        view! {
                            <a
                                href=format!("/c/{slug}/discussions?category={}", c.id)
                                aria-current=current(selected == Some(c.id))
                            >
                                {c.name}
                            </a>
                        }
                    })
                    .collect_view()}
            </nav>
        }
    })
}
