//! Pieces shared by community pages.

use leptos::prelude::*;

use crate::domain::community::{CommunitySummary, CommunityValue, MemberEntry, Role};
use crate::params::use_pathname;

/// A community card for directories.
#[component]
pub fn CommunityList(communities: Vec<CommunitySummary>) -> impl IntoView {
    view! {
        <ul class="community-list">
            {communities
                .into_iter()
                .map(|c| {
                    let members = plural(c.member_count, "member");
                    view! {
                        <li class="card community-card">
                            <h3>
                                <a href=format!("/c/{}", c.slug)>{c.name}</a>
                            </h3>
                            <p class="mission">{c.mission}</p>
                            <p class="meta">
                                {members} " · active "
                                {c.last_activity_at.format("%-d %b %Y").to_string()}
                            </p>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}

/// "1 member", "3 members".
pub fn plural(count: i64, noun: &str) -> String {
    if count == 1 { format!("1 {noun}") } else { format!("{count} {noun}s") }
}

/// A community's sections for members, in tab order: label and the path after `/c/{slug}`.
const SECTIONS: &[(&str, &str)] = &[
    ("About", ""),
    ("Discussions", "/discussions"),
    ("Events", "/events"),
    ("Challenges", "/challenges"),
    ("Goals", "/goals"),
    ("Initiatives", "/initiatives"),
    ("Impact", "/impact"),
    ("Recognition", "/recognition"),
    ("Badges", "/badges"),
    ("Library", "/library"),
    ("Mentoring", "/mentoring"),
    ("Members", "/members"),
];

/// Where leaders' tools live: every one of them sits under the "Manage" tab.
pub const MANAGE: &str = "/manage";

/// Which tab a page of the community belongs to, from its path after `/c/{slug}`: the
/// section's own path (`""` for About, [`MANAGE`] for leaders' tools), or `None`.
pub fn section_of(rest: &str) -> Option<&'static str> {
    let first = rest.trim_start_matches('/').split('/').next().unwrap_or_default();
    let section = match first {
        "" => "",
        "discussions" | "d" | "p" | "search" => "/discussions",
        "events" | "e" => "/events",
        "impact" | "contribute" => "/impact",
        "manage" | "requests" | "verify" | "moderation" | "invites" | "leadership" | "audit"
        | "edit" => MANAGE,
        other => {
            return SECTIONS
                .iter()
                .map(|(_, path)| *path)
                .find(|path| path.get(1..) == Some(other));
        }
    };
    Some(section)
}

/// The community's tabs: its sections in one row that scrolls sideways on a phone, the
/// current one marked, and for leaders one "Manage" tab with the count of what waits
/// for them (join requests, contributions to verify, flagged posts).
#[component]
pub fn CommunityNav(
    slug: String,
    leader: bool,
    #[prop(optional)] waiting: crate::domain::community::Waiting,
) -> impl IntoView {
    let pathname = use_pathname();
    let prefix = format!("/c/{slug}");
    // Derived, not a memo: on the server no memo is shared by a page's threads (see
    // `params::from_url`).
    let current = Signal::derive(move || {
        pathname.with(|path| path.strip_prefix(prefix.as_str()).and_then(section_of))
    });
    let tab_slug = slug.clone();
    let tab = move |label: &'static str, path: &'static str| {
        view! {
            <li>
                <a
                    href=format!("/c/{tab_slug}{path}")
                    aria-current=move || (current.get() == Some(path)).then_some("page")
                >
                    {label}
                </a>
            </li>
        }
    };
    let waiting = waiting.total();
    view! {
        <nav class="community-nav" aria-label="Community">
            <ul>
                {SECTIONS.iter().map(|(label, path)| tab(label, path)).collect_view()}
                {leader
                    .then(|| {
                        view! {
                            <li>
                                <a
                                    href=format!("/c/{slug}{MANAGE}")
                                    aria-current=move || {
                                        (current.get() == Some(MANAGE)).then_some("page")
                                    }
                                >
                                    "Manage "
                                    {(waiting > 0)
                                        .then(|| {
                                            view! {
                                                <span class="count">
                                                    {waiting} <span class="visually-hidden">" waiting"</span>
                                                </span>
                                            }
                                        })}
                                </a>
                            </li>
                        }
                    })}
            </ul>
        </nav>
    }
}

/// A member's name linking to their profile, with their role badge.
#[component]
pub fn MemberName(member: MemberEntry) -> impl IntoView {
    view! {
        <a href=format!("/u/{}", member.handle)>{member.display_name.clone()}</a>
        " "
        <span class="handle">{format!("@{}", member.handle)}</span>
        " "
        <RoleBadge role=member.role />
    }
}

/// A small label naming a role.
#[component]
pub fn RoleBadge(role: Role) -> impl IntoView {
    view! { <span class=format!("badge role-{}", role.as_str())>{role.label()}</span> }
}

/// A community's values in order: each name in bold, with what it means here.
#[component]
pub fn ValuesList(values: Vec<CommunityValue>) -> impl IntoView {
    view! {
        <ol class="values">
            {values
                .into_iter()
                .map(|v| {
                    view! {
                        <li>
                            <strong>{v.name}</strong>
                            {(!v.description.is_empty()).then(|| format!(" — {}", v.description))}
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_page_belongs_to_its_tab() {
        assert_eq!(section_of(""), Some(""));
        assert_eq!(section_of("/"), Some(""));
        assert_eq!(section_of("/d/12"), Some("/discussions"));
        assert_eq!(section_of("/discussions/new"), Some("/discussions"));
        assert_eq!(section_of("/e/3/edit"), Some("/events"));
        assert_eq!(section_of("/goals/7"), Some("/goals"));
        assert_eq!(section_of("/library/4/history"), Some("/library"));
        assert_eq!(section_of("/contribute"), Some("/impact"));
        for leaders in ["/manage", "/requests", "/verify", "/moderation", "/audit", "/edit"] {
            assert_eq!(section_of(leaders), Some(MANAGE), "{leaders}");
        }
        assert_eq!(section_of("/export"), None);
    }
}
