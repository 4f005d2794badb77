//! `/search` and `/c/{slug}/search`: full-text search over what the reader may see.

use leptos::prelude::*;

use crate::components::form::Submit;
use leptos_meta::Title;

use crate::api::discussions::search_posts;
use crate::components::community::CommunityNav;
use crate::components::discussion::Snippet;
use crate::components::page::{Section, loaded};
use crate::params::urlencode;
use crate::params::{use_optional_text_param, use_query_param};

/// Search results, site-wide or in one community.
#[component]
pub fn SearchPage() -> impl IntoView {
    let slug = use_optional_text_param("slug");
    let q = use_query_param("q");
    let after = use_query_param("after");
    let results = Resource::new(
        move || (q.get(), slug.get(), after.get()),
        |(q, slug, after)| search_posts(q, slug, after),
    );
    let action = move || match slug.get() {
        Some(slug) => format!("/c/{slug}/search"),
        None => "/search".to_owned(),
    };
    view! {
        <Title text="Search" />
        {loaded(
            results,
            move |page| {
                {
                    let nav = page
                        .community
                        .clone()
                        .map(|(slug, _, leader)| view! { <CommunityNav slug leader /> });
                    let heading = match &page.community {
                        Some((_, name, _)) => format!("Search {name}"),
                        None => "Search Kindred".to_owned(),
                    };
                    let next = page
                        .next
                        .clone()
                        .map(|cursor| {
                            let href = format!(
                                "{}?q={}&after={}",
                                action(),
                                urlencode(&page.query),
                                urlencode(&cursor),
                            );
                            view! {
                                <p class="pager">
                                    <a href=href>"More results"</a>
                                </p>
                            }
                        });
                    let searched = !page.query.trim().is_empty();
                    let nothing_found = page.hits.is_empty() && page.resources.is_empty();
                    let library = (!page.resources.is_empty())
                        .then(|| {
                            view! {
                                <Section heading="In the library" id="library-results">
                                    <ul class="plain-list results">
                                        {page
                                            .resources
                                            .iter()
                                            .map(|(link, title, summary, community)| {
                                                view! {
                                                    <li class="card result">
                                                        <h3>
                                                            <a href=link.clone()>{title.clone()}</a>
                                                        </h3>
                                                        <p>{summary.clone()}</p>
                                                        <p class="meta">{format!("Library of {community}")}</p>
                                                    </li>
                                                }
                                            })
                                            .collect_view()}
                                    </ul>
                                </Section>
                            }
                                .into_any()
                        });
                    view! {
                        {nav}
                        <h1>{heading}</h1>
                        <form method="get" action=action() class="search" role="search">
                            <label for="q">"Search discussions"</label>
                            <div class="search-row">
                                <input
                                    id="q"
                                    name="q"
                                    type="search"
                                    value=page.query.clone()
                                    maxlength=200
                                />
                                <Submit label="Search" />
                            </div>
                        </form>
                        {library}
                        {if !searched {
                            view! {
                                <p class="hint">
                                    "Search titles, posts and library resources in the communities you can read."
                                </p>
                            }
                                .into_any()
                        } else if nothing_found {
                            view! {
                                <p class="empty">
                                    {format!("Nothing matches “{}”.", page.query)}
                                </p>
                            }
                                .into_any()
                        } else {
                            view! {
                                <ol class="plain-list results">
                                    {page
                                        .hits
                                        .into_iter()
                                        .map(|hit| {
                                            view! {
                                                <li class="card result">
                                                    <h2>
                                                        <a href=hit.link.clone()>{hit.thread_title.clone()}</a>
                                                    </h2>
                                                    <p class="snippet">
                                                        <Snippet text=hit.snippet.clone() />
                                                    </p>
                                                    <p class="meta">
                                                        {format!(
                                                            "@{} in {} · {}",
                                                            hit.author,
                                                            hit.community,
                                                            hit.created_at.format("%-d %b %Y"),
                                                        )}
                                                    </p>
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ol>
                            }
                                .into_any()
                        }}
                        {next}
                    }
                        .into_any()
                }
            },
        )}
    }
}
