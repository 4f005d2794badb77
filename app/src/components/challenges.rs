//! Pieces of the challenge pages: a challenge as a card with its progress, used on the
//! challenges page, the community home and the impact page.

use leptos::prelude::*;

use crate::components::charts::{ProgressBar, figure};
use crate::components::page::list_or_empty;
use crate::domain::challenges::{ChallengeMode, ChallengeSummary, Phase};

/// Where a challenge stands in words: "12 days left", "Starts 1 Dec 2027".
pub fn phase_words(c: &ChallengeSummary) -> String {
    match c.phase {
        Phase::Upcoming => format!("Starts {}", c.starts_on.format("%-d %b %Y")),
        Phase::Running if c.days_left == 1 => "Last day".to_owned(),
        Phase::Running => format!("{} days left", c.days_left),
        Phase::Grace => "Ended; late verifications still count".to_owned(),
        Phase::Ended => format!("Ended {}", c.ends_on.format("%-d %b %Y")),
    }
}

/// The headline figure: "312 of 500 parcels", or per member for individual challenges.
pub fn progress_words(c: &ChallengeSummary) -> String {
    match c.mode {
        ChallengeMode::Individual => format!(
            "Each aims at {} {} · {} {} together",
            figure(c.target),
            c.unit,
            figure(c.total),
            c.unit
        ),
        _ => format!("{} of {} {}", figure(c.total), figure(c.target), c.unit),
    }
}

/// Challenges as cards with progress bars.
#[component]
pub fn ChallengeList(
    /// The community's slug, for links.
    slug: String,
    /// The challenges.
    challenges: Vec<ChallengeSummary>,
    /// What to say when there are none.
    empty: &'static str,
) -> impl IntoView {
    list_or_empty(challenges, empty, "plain-list challenge-list", |c| {
        let bar = c.percent().map(|p| {
            view! { <ProgressBar progress=p / 100.0 label=format!("Progress of {}", c.title) /> }
        });
        view! {
            <li class="card challenge">
                <a href=format!("/c/{slug}/challenges/{}", c.id)>{c.title.clone()}</a>
                <p class="meta">{progress_words(&c)} " · " {phase_words(&c)}</p>
                {bar}
            </li>
        }
    })
}
