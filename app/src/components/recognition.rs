//! Pieces of the recognition pages: a badge's icon, a kudos card, a list of awards, a
//! choice of the community's values.

use leptos::prelude::*;

use crate::components::form::FieldMessage;
use crate::components::page::list_or_empty;
use crate::components::table::DataTable;
use crate::domain::badges::{AwardEntry, BadgeIcon, format_number};
use crate::domain::recognition::{BoardRow, KudosEntry};
use crate::error::AppError;

/// A badge's icon from the built-in set; decorative (the badge's name is always beside it).
#[component]
pub fn BadgeIconSvg(icon: BadgeIcon) -> impl IntoView {
    view! {
        <svg class="badge-icon" viewBox="0 0 24 24" width="28" height="28" aria-hidden="true">
            <path d=icon.path() />
        </svg>
    }
}

/// People's names as links: "Bob and Cyd", "Ann, Bob and Cyd".
fn names(people: &[crate::domain::recognition::PersonRef]) -> impl IntoView + use<> {
    let last = people.len().saturating_sub(1);
    people
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let joiner = match (i, last) {
                (0, _) => "",
                (i, l) if i == l => " and ",
                _ => ", ",
            };
            view! {
                {joiner}
                <a href=format!("/u/{}", p.handle)>{p.display_name.clone()}</a>
            }
        })
        .collect_view()
}

/// One kudos: who thanked whom, the value it cites, the message, what it is for; with the
/// giver's "Take back" form and moderators' hide form when given.
#[component]
pub fn KudosCard(
    kudos: KudosEntry,
    /// The community's slug (for links).
    slug: String,
    /// Extra controls (take back, hide).
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    let when = kudos.created_at.format("%-d %b %Y").to_string();
    let what = kudos.contribution.clone().map(|(_, text)| {
        view! { <p class="meta">"For: " {text}</p> }
    });
    let team = kudos.initiative.clone().map(|(id, title)| {
        view! {
            " — the team of "
            <a href=format!("/c/{slug}/initiatives/{id}")>{title}</a>
        }
    });
    view! {
        <li class="card kudos">
            <p>
                <a href=format!("/u/{}", kudos.giver.handle)>{kudos.giver.display_name.clone()}</a>
                " thanked "
                {names(&kudos.receivers)}
                {team}
            </p>
            <p class="kudos-value">
                <span class="tag">{kudos.value.clone()}</span>
            </p>
            <blockquote>{kudos.message.clone()}</blockquote>
            {what}
            <p class="meta">{when}</p>
            {children.map(|c| c())}
        </li>
    }
}

/// Awards as a list: icon, title, holder (optional), date, and revoked ones marked.
#[component]
pub fn AwardList(
    awards: Vec<AwardEntry>,
    /// Show the holder's name (the badge page) or the badge's (the profile).
    show_holder: bool,
    /// Where the badge's page is: `/c/{slug}/badges`.
    badges_path: String,
) -> impl IntoView {
    list_or_empty(awards, "No badges yet.", "plain-list awards", |a| {
        let level = a
            .threshold
            .filter(|t| a.level > 1 || *t > 1.0)
            .map(|t| format!(" · level {} ({})", a.level, format_number(t)));
        let when = a.awarded_at.format("%-d %b %Y").to_string();
        let revoked = a
            .revoked_at
            .map(|at| format!("Revoked {}: {}", at.format("%-d %b %Y"), a.revoke_reason));
        let class = if revoked.is_some() { "award revoked" } else { "award" };
        let who = if show_holder {
            view! { <a href=format!("/u/{}", a.handle)>{a.display_name.clone()}</a> }.into_any()
        } else {
            view! { <a href=format!("{badges_path}/{}", a.badge_id)>{a.badge_name.clone()}</a> }
                .into_any()
        };
        view! {
            <li class=class>
                <BadgeIconSvg icon=a.icon />
                <span>
                    {who} {level} <span class="meta">" · " {when}</span>
                    {(!a.reason.is_empty())
                        .then(|| {
                            view! { <span class="meta">" · " {a.reason.clone()}</span> }
                        })} {revoked.map(|r| view! { <span class="status">{r}</span> })}
                </span>
            </li>
        }
    })
}

/// A drop-down of the community's values.
#[component]
pub fn ValueChoice(
    /// The visible label.
    label: &'static str,
    /// The id and error key.
    name: &'static str,
    /// The submitted name.
    input_name: &'static str,
    /// The values.
    values: Vec<String>,
    /// The form's error.
    error: Signal<Option<AppError>>,
    /// What the empty choice says.
    #[prop(default = "Choose a value")]
    none: &'static str,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=name>{label}</label>
            <select id=name name=input_name required=true>
                <option value="">{none}</option>
                {values
                    .into_iter()
                    .map(|v| view! { <option value=v.clone()>{v.clone()}</option> })
                    .collect_view()}
            </select>
            <FieldMessage error name />
        </div>
    }
}

/// A board: a ranked table of names and figures.
#[component]
pub fn Board(
    /// Its heading.
    title: &'static str,
    /// What the figure is.
    amount: &'static str,
    /// The rows.
    rows: Vec<BoardRow>,
    /// What to say when it is empty.
    empty: &'static str,
) -> impl IntoView {
    let table = if rows.is_empty() {
        view! { <p class="empty">{empty}</p> }.into_any()
    } else {
        view! {
            <DataTable columns=vec!["Name", amount, "People"] class="board">
                {rows
                    .into_iter()
                    .map(|r| {
                        view! {
                            <tr>
                                <td>
                                    <a href=r.link>{r.name}</a>
                                </td>
                                <td>{format_number((r.amount * 10.0).round() / 10.0)}</td>
                                <td>{r.people}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </DataTable>
        }
        .into_any()
    };
    view! {
        <section class="card">
            <h3>{title}</h3>
            {table}
        </section>
    }
}
