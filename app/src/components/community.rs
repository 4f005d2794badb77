//! Pieces shared by community pages.

use leptos::prelude::*;

use crate::domain::community::{CommunitySummary, CommunityValue, MemberEntry, Role};

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

/// Links between a community's pages; leaders see the leaders' pages too.
#[component]
pub fn CommunityNav(slug: String, leader: bool, #[prop(optional)] pending: i64) -> impl IntoView {
    let link = move |path: &str| format!("/c/{slug}{path}");
    view! {
        <nav class="community-nav" aria-label="Community">
            <a href=link("")>"About"</a>
            <a href=link("/discussions")>"Discussions"</a>
            <a href=link("/events")>"Events"</a>
            <a href=link("/challenges")>"Challenges"</a>
            <a href=link("/members")>"Members"</a>
            <a href=link("/goals")>"Goals"</a>
            <a href=link("/initiatives")>"Initiatives"</a>
            <a href=link("/impact")>"Impact"</a>
            <a href=link("/recognition")>"Recognition"</a>
            <a href=link("/badges")>"Badges"</a>
            <a href=link("/library")>"Library"</a>
            <a href=link("/mentoring")>"Mentoring"</a>
            {leader
                .then(|| {
                    let requests = if pending > 0 {
                        format!("Join requests ({pending})")
                    } else {
                        "Join requests".to_owned()
                    };
                    view! {
                        <a href=link("/requests")>{requests}</a>
                        <a href=link("/verify")>"Verify"</a>
                        <a href=link("/moderation")>"Moderation"</a>
                        <a href=link("/invites")>"Invites"</a>
                        <a href=link("/leadership")>"Leadership"</a>
                        <a href=link("/audit")>"Audit log"</a>
                        <a href=link("/edit")>"Edit"</a>
                    }
                })}
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
