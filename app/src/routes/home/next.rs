//! A member's home: what's next for them, most pressing first.

use leptos::prelude::*;

use crate::components::community::{RoleBadge, plural};
use crate::components::events::OccurrenceList;
use crate::components::page::list_if_any;
use crate::domain::community::Waiting;
use crate::domain::home::{MyCommunity, NextForMe};

/// What's next: unread notices, coming events, sign-ups, contributions waiting for
/// verification, kudos, and each community with what waits there.
#[component]
pub fn NextForMeView(next: NextForMe) -> impl IntoView {
    let all_clear = next.all_clear();
    let unread_count = next.unread_count;
    view! {
        <section class="hero compact">
            <h1>"What's next"</h1>
            <p class="lede">
                {format!("Welcome back, {}.", next.display_name)} " "
                {if all_clear { "You're all caught up." } else { "Here is what waits for you." }}
            </p>
        </section>
        {list_if_any(
                next.unread,
                "plain-list",
                |n| {
                    let body = n.body.clone();
                    view! {
                        <li class="card notice">
                            {if n.link.is_empty() {
                                view! { <span>{body}</span> }.into_any()
                            } else {
                                view! { <a href=n.link.clone()>{body}</a> }.into_any()
                            }}
                            <span class="meta">
                                " · " {n.at.format("%-d %b, %H:%M UTC").to_string()}
                            </span>
                        </li>
                    }
                },
            )
            .map(|list| {
                view! {
                    <NextSection id="next-unread" title="Unread">
                        {list}
                        <p>
                            <a href="/notifications">
                                {format!("All notifications ({unread_count} unread)")}
                            </a>
                        </p>
                    </NextSection>
                }
            })}
        {(!next.events.is_empty())
            .then(|| {
                view! {
                    <NextSection id="next-events" title="Your events">
                        <OccurrenceList occurrences=next.events empty="" show_community=true />
                        <p>
                            <a href="/events">"All my events"</a>
                        </p>
                    </NextSection>
                }
            })}
        {list_if_any(
                next.signups,
                "plain-list",
                |s| {
                    view! {
                        <li class="card">
                            <strong>{s.opportunity}</strong>
                            " — "
                            <a href=format!(
                                "/c/{}/initiatives/{}",
                                s.community_slug,
                                s.initiative_id,
                            )>{s.initiative}</a>
                            <span class="meta">" · " {s.community_name}</span>
                        </li>
                    }
                },
            )
            .map(|list| {
                view! {
                    <NextSection id="next-signups" title="You signed up for">
                        {list}
                    </NextSection>
                }
            })}
        {list_if_any(
                next.awaiting,
                "plain-list",
                |c| {
                    view! {
                        <li class="card">
                            {c.description}
                            <span class="meta">
                                " · " {c.community_name} " · "
                                {c.done_on.format("%-d %b %Y").to_string()}
                            </span>
                        </li>
                    }
                },
            )
            .map(|list| {
                view! {
                    <NextSection id="next-awaiting" title="Waiting for verification">
                        {list}
                    </NextSection>
                }
            })}
        {list_if_any(
                next.kudos,
                "plain-list kudos",
                |k| {
                    view! {
                        <li class="card">
                            <strong>{k.giver}</strong>
                            {format!(" thanked you for {}", k.value_name)}
                            <blockquote>{k.message}</blockquote>
                            <a href=format!(
                                "/c/{}/recognition",
                                k.community_slug,
                            )>{k.community_name}</a>
                        </li>
                    }
                },
            )
            .map(|list| {
                view! {
                    <NextSection id="next-kudos" title="Kudos for you">
                        {list}
                    </NextSection>
                }
            })}
        <NextSection id="next-communities" title="Your communities">
            {if next.communities.is_empty() {
                view! {
                    <p class="empty">
                        "You haven't joined a community yet. Find one below, or start your own."
                    </p>
                }
                    .into_any()
            } else {
                view! {
                    <ul class="community-list">
                        {next
                            .communities
                            .into_iter()
                            .map(|c| view! { <MyCommunityCard community=c /> })
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            }}
        </NextSection>
    }
}

/// One part of the page: a region named by its heading.
#[component]
fn NextSection(id: &'static str, title: &'static str, children: Children) -> impl IntoView {
    view! {
        <section class="next" aria-labelledby=id>
            <h2 id=id>{title}</h2>
            {children()}
        </section>
    }
}

/// One of the member's communities with links to what waits there.
#[component]
fn MyCommunityCard(community: MyCommunity) -> impl IntoView {
    let MyCommunity { slug, name, role, waiting } = community;
    let tasks = waiting_links(&slug, waiting);
    view! {
        <li class="card community-card">
            <h3>
                <a href=format!("/c/{slug}")>{name}</a>
            </h3>
            <p class="meta">
                <RoleBadge role />
            </p>
            {if tasks.is_empty() {
                view! { <p class="meta">"Nothing waiting."</p> }.into_any()
            } else {
                view! {
                    <ul class="waiting">
                        {tasks
                            .into_iter()
                            .map(|(href, text)| {
                                view! {
                                    <li>
                                        <a href=href>{text}</a>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            }}
        </li>
    }
}

/// Links to what waits in a community: (address, words), only for counts above zero.
fn waiting_links(slug: &str, waiting: Waiting) -> Vec<(String, String)> {
    let mut links = Vec::new();
    if waiting.join_requests > 0 {
        links.push((format!("/c/{slug}/requests"), plural(waiting.join_requests, "join request")));
    }
    if waiting.to_verify > 0 {
        links.push((
            format!("/c/{slug}/verify"),
            format!("{} to verify", plural(waiting.to_verify, "contribution")),
        ));
    }
    if waiting.flagged_posts > 0 {
        links
            .push((format!("/c/{slug}/moderation"), plural(waiting.flagged_posts, "flagged post")));
    }
    links
}
