//! `/c/{slug}/challenges/{id}`: progress towards the target, days left, the team board or
//! the opted-in individual board, and the viewer's part.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::challenges::{JoinChallenge, SetChallengeBoard, get_challenge};
use crate::components::challenges::{phase_words, progress_words};
use crate::components::charts::{ProgressBar, figure};
use crate::components::form::{ActionButton, ErrorSummary, Hidden, first_error};
use crate::components::page::{Description, OnReload, Section, community_data, community_page};
use crate::components::table::DataTable;
use crate::domain::challenges::{ChallengeMode, ChallengePage as Page, MyPart, TeamScore};
use crate::params::use_id;

/// One challenge's page.
#[component]
pub fn ChallengePage() -> impl IntoView {
    let id = use_id();
    let join = ServerAction::<JoinChallenge>::new();
    let board = ServerAction::<SetChallengeBoard>::new();
    let error = first_error!(join, board);
    let data = community_data(
        move || (id.get(), join.version().get(), board.version().get()),
        |slug, (id, _, _)| get_challenge(slug, id),
    );
    community_page(None, OnReload::KeepContent, data, move |page, community| {
        let slug = community.slug;
        let c = page.summary.clone();
        let bar = c.percent().map(|p| {
            view! { <ProgressBar progress=p / 100.0 label=format!("Progress of {}", c.title) /> }
        });
        let rules = rules_words(&page);
        let frozen = page.frozen.clone().map(|f| {
            view! {
                <p class="notice">
                    "Final result, frozen " {f.at.chars().take(10).collect::<String>()} ". Seal: "
                    <code>{f.hash.chars().take(16).collect::<String>()}</code>
                </p>
            }
        });
        view! {
            <Title text=c.title.clone() />
            <article class="challenge">
                <h1>{c.title.clone()}</h1>
                <p class="lede">{progress_words(&c)} " · " {phase_words(&c)}</p>
                {bar}
                {frozen}
                <Description html=page.description_html.clone() heading="About this challenge" />
                <p class="meta">{rules}</p>
                <ErrorSummary error />
                <MyPartCard page=page.clone() slug=slug.clone() join board />
                <Boards page=page.clone() />
            </article>
        }
    })
}

/// What counts, the grace days, the daily cap and the team scoring, in one sentence.
fn rules_words(page: &Page) -> String {
    let mut words = format!("{}.", page.counts);
    if page.grace_days > 0 {
        words.push_str(&format!(
            " Verifications up to {} days after the last day still count.",
            page.grace_days
        ));
    }
    if let Some(cap) = page.daily_cap {
        words.push_str(&format!(" At most {} per member per day.", figure(cap)));
    }
    if page.summary.mode == ChallengeMode::Teams && page.team_score == TeamScore::Average {
        words.push_str(" Teams are ranked by their average per member.");
    }
    words
}

/// The viewer's part: their score and team, and the forms to join or show on the board.
#[component]
fn MyPartCard(
    page: Page,
    slug: String,
    join: ServerAction<JoinChallenge>,
    board: ServerAction<SetChallengeBoard>,
) -> impl IntoView {
    let id = page.summary.id.to_string();
    let unit = page.summary.unit.clone();
    let Some(mine) = page.mine.clone() else {
        return view! { <p class="meta">"Members take part and see their own progress."</p> }
            .into_any();
    };
    let (join_slug, join_id) = (slug.clone(), id.clone());
    let join_form = page.can_join.then(move || {
        let (slug, id) = (join_slug, join_id);
        let teams = (page.summary.mode == ChallengeMode::Teams).then(|| {
            view! {
                <div class="field">
                    <label for="team">"Your team"</label>
                    <select id="team" name="team">
                        {page
                            .team_choices
                            .iter()
                            .map(|(team, name)| {
                                view! { <option value=team.to_string()>{name.clone()}</option> }
                            })
                            .collect_view()}
                    </select>
                </div>
            }
        });
        let label = if teams.is_some() { "Join this team" } else { "Take part" };
        view! {
            <ActionForm action=join>
                <Hidden name="slug" value=slug.clone() />
                <Hidden name="id" value=id.clone() />
                {teams}
                <button type="submit" class="button">
                    {label}
                </button>
            </ActionForm>
        }
    });
    let board_form =
        (mine.joined && page.summary.mode == ChallengeMode::Individual && page.frozen.is_none())
            .then(|| board_toggle(&mine, &slug, &id, board).into_any());
    let status = part_words(&mine, &unit);
    let card = view! {
        <Section heading="Your part" id="my-part-heading" class="card">
            <p>{status}</p>
            {join_form}
            {board_form}
        </Section>
    };
    card.into_any()
}

fn part_words(mine: &MyPart, unit: &str) -> String {
    let score = format!("{} {unit} so far", figure(mine.score));
    match (&mine.team, mine.joined) {
        (Some(team), _) => format!("You're on team {team} · {score}."),
        (None, true) => format!("You're taking part · {score}."),
        (None, false) => format!("You haven't joined · {score}."),
    }
}

fn board_toggle(
    mine: &MyPart,
    slug: &str,
    id: &str,
    board: ServerAction<SetChallengeBoard>,
) -> impl IntoView {
    let (value, label) = if mine.on_board {
        ("no", "Take me off the board")
    } else {
        ("yes", "Show me on the board")
    };
    let (slug, id) = (slug.to_owned(), id.to_owned());
    view! {
        <ActionButton
            action=board
            fields=vec![("slug", slug), ("id", id), ("on", value.into())]
            label=label
            class="button secondary"
        />
    }
}

/// The team board (teams mode) or the opted-in individual board (individual mode).
#[component]
fn Boards(page: Page) -> impl IntoView {
    let unit = page.summary.unit.clone();
    let standings = page.standings;
    match page.summary.mode {
        ChallengeMode::Teams => {
            let rows = standings
                .teams
                .into_iter()
                .enumerate()
                .map(|(rank, team)| {
                    view! {
                        <tr>
                            <td>{rank + 1}</td>
                            <th scope="row">{team.name}</th>
                            <td>{team.members}</td>
                            <td>{format!("{} {unit}", figure(team.score))}</td>
                        </tr>
                    }
                })
                .collect_view();
            view! {
                <Section heading="Team board" id="board-heading">
                    <DataTable columns=vec!["Rank", "Team", "Members", "Score"] class="table board">
                        {rows}
                    </DataTable>
                </Section>
            }
            .into_any()
        }
        ChallengeMode::Individual => {
            let reached = format!("{} reached the target.", standings.reached);
            let rows = standings
                .board
                .into_iter()
                .enumerate()
                .map(|(rank, entry)| {
                    view! {
                        <tr>
                            <td>{rank + 1}</td>
                            <th scope="row">
                                <a href=format!("/u/{}", entry.handle)>{entry.display_name}</a>
                            </th>
                            <td>{format!("{} {unit}", figure(entry.score))}</td>
                        </tr>
                    }
                })
                .collect_view();
            view! {
                <Section heading="Board" id="board-heading">
                    <p>{reached} " Only members who chose to be shown appear here."</p>
                    <DataTable columns=vec!["Rank", "Member", "Score"] class="table board">
                        {rows}
                    </DataTable>
                </Section>
            }
            .into_any()
        }
        ChallengeMode::Collective => ().into_any(),
    }
}
