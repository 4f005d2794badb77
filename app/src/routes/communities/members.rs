//! `/c/{slug}/members`: everyone with role, join date, skills and interests; leaders manage roles here.

use leptos::form::ActionForm;
use leptos::prelude::*;

use crate::api::communities::{BanMember, SetMemberRole, list_members};
use crate::components::community::MemberName;
use crate::components::form::{ErrorSummary, Hidden, Submit, form_error};
use crate::components::page::{OnReload, community_data, community_page, list_or_empty};
use crate::domain::community::{MemberEntry, Role};
use crate::params::use_query_param;

/// The member list.
#[component]
pub fn MembersPage() -> impl IntoView {
    let role = use_query_param("role");
    let after = use_query_param("after");
    let set_role = ServerAction::<SetMemberRole>::new();
    let ban = ServerAction::<BanMember>::new();
    let page = community_data(
        move || (role.get(), after.get(), set_role.version().get(), ban.version().get()),
        |slug, (role, after, _, _)| list_members(slug, role, after),
    );
    let role_error = form_error(set_role.value());
    let ban_error = form_error(ban.value());
    community_page(Some("Members"), OnReload::Loading, page, move |page, community| {
        let slug = community.slug;
        {
            let can_manage = page.can_manage;
            let is_owner = page.viewer_is_owner;
            let next = page.next.clone().map(|cursor| {
                let mut href = format!("/c/{slug}/members?after={cursor}");
                if let Some(role) = role.get_untracked() {
                    href.push_str(&format!("&role={role}"));
                }
                view! {
                    <p class="pager">
                        <a href=href>"More members"</a>
                    </p>
                }
            });
            view! {
                <h1>"Members"</h1>
                <RoleFilter slug=slug.clone() selected=role.get_untracked().unwrap_or_default() />
                <ErrorSummary error=role_error />
                <ErrorSummary error=ban_error />
                {list_or_empty(
                    page.members,
                    "No members with that role.",
                    "member-list",
                    |member| {
                        view! {
                            <MemberRow member slug=slug.clone() can_manage is_owner set_role ban />
                        }
                    },
                )}
                {next}
            }
            .into_any()
        }
    })
}

#[component]
fn RoleFilter(slug: String, selected: String) -> impl IntoView {
    let options =
        std::iter::once(("", "Everyone")).chain(Role::ALL.iter().map(|r| (r.as_str(), r.label())));
    view! {
        <form method="get" action=format!("/c/{slug}/members") class="filter">
            <label for="role-filter">"Show"</label>
            <select id="role-filter" name="role">
                {options
                    .map(|(value, label)| {
                        view! {
                            <option value=value selected=selected == value>
                                {label}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            <Submit label="Filter" class="button small" />
        </form>
    }
}

#[component]
fn MemberRow(
    member: MemberEntry,
    slug: String,
    can_manage: bool,
    is_owner: bool,
    set_role: ServerAction<SetMemberRole>,
    ban: ServerAction<BanMember>,
) -> impl IntoView {
    let handle = member.handle.clone();
    let term = member.term_ends_at.map(|t| format!(" until {}", t.format("%-d %b %Y")));
    let tags: Vec<String> = member.skills.iter().chain(member.interests.iter()).cloned().collect();
    let joined = member.joined_at.format("%-d %b %Y").to_string();
    let role = member.role;
    let manageable = can_manage && (is_owner || role != Role::Owner);
    let grantable: Vec<Role> =
        Role::ALL.into_iter().filter(|r| is_owner || *r != Role::Owner).collect();
    let field_id = format!("role-{handle}");
    let ban_slug = slug.clone();
    let ban_handle = handle.clone();
    let term_id = format!("term-{handle}");
    view! {
        <li class="card member">
            <div>
                <MemberName member=member.clone() />
                {term}
                <p class="meta">"Joined " {joined}</p>
                {(!tags.is_empty())
                    .then(|| {
                        view! {
                            <p class="tags">
                                {tags
                                    .iter()
                                    .map(|t| view! { <span class="tag">{t.clone()}</span> })
                                    .collect_view()}
                            </p>
                        }
                    })}
            </div>
            {manageable
                .then(|| {
                    view! {
                        <ActionForm action=set_role attr:class="role-form">
                            <Hidden name="slug" value=slug.clone() />
                            <Hidden name="handle" value=handle.clone() />
                            <label for=field_id.clone()>{format!("Role for @{handle}")}</label>
                            <select id=field_id.clone() name="role">
                                {grantable
                                    .iter()
                                    .map(|r| {
                                        view! {
                                            <option value=r.as_str() selected=*r == role>
                                                {r.label()}
                                            </option>
                                        }
                                    })
                                    .collect_view()}
                            </select>
                            <label for=term_id
                                .clone()>{format!("Term ends for @{handle} (optional)")}</label>
                            <input id=term_id.clone() type="date" name="term_ends" />
                            <button type="submit" class="button small">
                                {format!("Save role for @{handle}")}
                            </button>
                        </ActionForm>
                        {(role != Role::Owner)
                            .then(|| {
                                let slug = ban_slug.clone();
                                let handle = ban_handle.clone();
                                view! {
                                    <details class="ban">
                                        <summary>{format!("Ban @{handle}")}</summary>
                                        <ActionForm action=ban>
                                            <Hidden name="slug" value=slug.clone() />
                                            <Hidden name="handle" value=handle.clone() />
                                            <label for=format!(
                                                "reason-{handle}",
                                            )>"Reason (recorded in the audit log)"</label>
                                            <input
                                                id=format!("reason-{handle}")
                                                name="reason"
                                                maxlength=500
                                            />
                                            <button type="submit" class="button small danger">
                                                {format!("Confirm ban of @{handle}")}
                                            </button>
                                        </ActionForm>
                                    </details>
                                }
                            })}
                    }
                })}
        </li>
    }
}
