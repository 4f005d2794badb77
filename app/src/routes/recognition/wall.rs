//! `/c/{slug}/recognition`: the kudos wall (newest first, filter by value), the form to
//! give kudos, and the boards — initiatives and goals always, people only when they opted in.

use leptos::form::ActionForm;
use leptos::prelude::*;

use crate::api::recognition::{
    GiveKudos, HideKudos, RetractKudos, SetKudosBudget, SetLeaderboard, get_recognition,
};
use crate::components::form::{
    ActionButton, Choice, ErrorSummary, Field, FormKey, Hidden, Submit, TextArea, first_error,
    form_error,
};
use crate::components::page::{Heading, OnReload, Section, community_data, community_page};
use crate::components::recognition::{Board, KudosCard, ValueChoice};
use crate::domain::recognition::{KUDOS_MESSAGE_MAX_CHARS, RecognitionPage as Page};
use crate::params::{urlencode, use_query_number, use_query_param};

/// The recognition page.
#[component]
pub fn RecognitionPage() -> impl IntoView {
    let value = use_query_param("value");
    let before = use_query_number("before");
    let give = ServerAction::<GiveKudos>::new();
    let retract = ServerAction::<RetractKudos>::new();
    let hide = ServerAction::<HideKudos>::new();
    let budget = ServerAction::<SetKudosBudget>::new();
    let board = ServerAction::<SetLeaderboard>::new();
    let error = form_error(give.value());
    let other_error = first_error!(retract, hide, budget, board);
    let versions = move || {
        (
            give.version().get(),
            retract.version().get(),
            hide.version().get(),
            budget.version().get(),
            board.version().get(),
        )
    };
    let data = community_data(
        move || (value.get(), before.get(), versions()),
        |slug, (value, before, _)| get_recognition(slug, value, before),
    );
    community_page(
        Heading::WithLede(
            "Recognition",
            "Thanks that name one of our values, and the work that moved our goals.",
        ),
        OnReload::KeepContent,
        data,
        move |page, community| {
            let slug = community.slug;
            view! {
                <ErrorSummary error=other_error />
                {page
                    .can_give
                    .then(|| view! { <GiveForm page=page.clone() slug=slug.clone() give error /> })}
                <Wall page=page.clone() slug=slug.clone() retract hide />
                <Boards page=page.clone() slug=slug.clone() board />
                {page
                    .can_set_budget
                    .then(|| {
                        view! {
                            <Section heading="Kudos budget" id="budget-heading" class="card">
                                <ActionForm action=budget>
                                    <Hidden name="slug" value=slug.clone() />
                                    <Field
                                        label="Kudos each member may give in 7 days"
                                        name="budget"
                                        kind="number"
                                        error=other_error
                                        value=page.budget.to_string()
                                        hint="0 turns kudos off."
                                    />
                                    <Submit label="Save budget" class="button secondary" />
                                </ActionForm>
                            </Section>
                        }
                    })}
            }
        },
    )
}

#[component]
fn GiveForm(
    page: Page,
    slug: String,
    give: ServerAction<GiveKudos>,
    error: Signal<Option<crate::error::AppError>>,
) -> impl IntoView {
    let to = use_query_param("to");
    let contribution = use_query_param("contribution");
    let left = if page.budget == 0 {
        "Kudos are turned off in this community.".to_owned()
    } else {
        format!("You can give {} more this week (of {}).", page.budget_left, page.budget)
    };
    view! {
        <section class="card" id="give" aria-labelledby="give-heading">
            <h2 id="give-heading">"Say thanks"</h2>
            <p class="meta">{left}</p>
            <ActionForm action=give>
                <ErrorSummary error />
                <Hidden name="slug" value=slug />
                <FormKey version=give.version() />
                <Field
                    label="Thank (their handles)"
                    name="to"
                    input_name="form[to]"
                    error
                    required=false
                    value=to.get_untracked().unwrap_or_default()
                    hint="e.g. @bob, @cyd — or choose an initiative's team below."
                />
                <Choice
                    label="Or thank an initiative's team"
                    name="initiative_id"
                    error
                    options=page.initiatives.clone()
                    none="No team"
                />
                <ValueChoice
                    label="The value they showed"
                    name="value"
                    input_name="form[value]"
                    values=page.values.clone()
                    error
                />
                <TextArea
                    label="Your thanks"
                    name="message"
                    input_name="form[message]"
                    error
                    rows=3
                    maxlength=KUDOS_MESSAGE_MAX_CHARS
                />
                <Field
                    label="For their contribution (number, optional)"
                    name="contribution_id"
                    input_name="form[contribution_id]"
                    error
                    required=false
                    value=contribution.get_untracked().unwrap_or_default()
                    hint="“Say thanks” on a contribution fills this in."
                />
                <Submit label="Give kudos" pending=give.pending() />
            </ActionForm>
        </section>
    }
}

#[component]
fn Wall(
    page: Page,
    slug: String,
    retract: ServerAction<RetractKudos>,
    hide: ServerAction<HideKudos>,
) -> impl IntoView {
    let filter_link = |value: Option<&str>| match value {
        Some(v) => format!("/c/{slug}/recognition?value={}", urlencode(v)),
        None => format!("/c/{slug}/recognition"),
    };
    let filters = std::iter::once((None, "All".to_owned()))
        .chain(page.values.iter().map(|v| (Some(v.clone()), v.clone())))
        .map(|(value, text)| {
            let current = value == page.filter;
            view! {
                <a
                    href=filter_link(value.as_deref())
                    class="tag"
                    aria-current=current.then_some("page")
                >
                    {text}
                </a>
            }
        })
        .collect_view();
    let older = page.older_than.map(|id| {
        let mut link = filter_link(page.filter.as_deref());
        link.push(if link.contains('?') { '&' } else { '?' });
        link.push_str(&format!("before={id}"));
        view! { <a href=link>"Older kudos"</a> }
    });
    let (values, can_moderate) = (page.values.clone(), page.can_moderate);
    let cards = page
        .kudos
        .into_iter()
        .map(|kudos| {
            let (id, can_retract) = (kudos.id.to_string(), kudos.can_retract);
            let slug = slug.clone();
            let values = values.clone();
            let card_slug = slug.clone();
            let controls = move || {
                let (hide_slug, hide_id) = (slug.clone(), id.clone());
                view! {
                    {can_retract
                        .then(move || {
                            view! {
                                <ActionButton
                                    action=retract
                                    fields=vec![("slug", slug.clone()), ("id", id.clone())]
                                    label="Take back"
                                    class="link-button"
                                />
                            }
                        })}
                    {can_moderate
                        .then(move || {
                            let (slug, id) = (hide_slug, hide_id);
                            view! {
                                <details>
                                    <summary>"Hide"</summary>
                                    <ActionForm action=hide>
                                        <Hidden name="slug" value=slug.clone() />
                                        <Hidden name="id" value=id.clone() />
                                        <label for=format!(
                                            "hide-value-{id}",
                                        )>"Against our value"</label>
                                        <select
                                            id=format!("hide-value-{id}")
                                            name="value"
                                            required=true
                                        >
                                            {values
                                                .iter()
                                                .map(|v| {
                                                    view! { <option value=v.clone()>{v.clone()}</option> }
                                                })
                                                .collect_view()}
                                        </select>
                                        <label for=format!("hide-note-{id}")>"Note"</label>
                                        <input
                                            id=format!("hide-note-{id}")
                                            name="note"
                                            type="text"
                                            maxlength="300"
                                        />
                                        <Submit label="Hide kudos" class="button secondary" />
                                    </ActionForm>
                                </details>
                            }
                        })}
                }
            };
            view! {
                <KudosCard kudos slug=card_slug>
                    {controls()}
                </KudosCard>
            }
        })
        .collect_view();
    let empty = cards.is_empty();
    view! {
        <Section heading="Kudos" id="wall-heading">
            <nav class="filters" aria-label="Filter by value">
                {filters}
            </nav>
            {if empty {
                view! { <p class="empty">"No kudos yet. Be the first to say thanks."</p> }
                    .into_any()
            } else {
                view! { <ul class="plain-list">{cards}</ul> }.into_any()
            }}
            {older}
        </Section>
    }
}

#[component]
fn Boards(page: Page, slug: String, board: ServerAction<SetLeaderboard>) -> impl IntoView {
    let toggle = page.on_board.map(|on| {
        let (value, text) = if on {
            ("no", "Take me off the leaderboard")
        } else {
            ("yes", "Show me on the leaderboard")
        };
        view! {
            <ActionButton
                action=board
                fields=vec![("slug", slug.clone()), ("on", value.into())]
                label=text
                class="button secondary"
            />
        }
    });
    view! {
        <Section heading="Who moved our goals (last 30 days)" id="boards-heading">
            <div class="boards">
                <Board
                    title="Initiatives"
                    amount="Verified hours"
                    rows=page.initiative_board
                    empty="No verified work on initiatives yet."
                />
                <Board
                    title="Goals"
                    amount="Verified amount"
                    rows=page.goal_board
                    empty="No verified work towards goals yet."
                />
                <Board
                    title="People who opted in"
                    amount="Verified hours"
                    rows=page.people_board
                    empty="Nobody has chosen to appear here yet."
                />
            </div>
            <p class="meta">
                "Only members who choose to are listed by name; it is off unless you turn it on."
            </p>
            {toggle}
        </Section>
    }
}
