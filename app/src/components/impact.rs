//! Pieces of the impact pages: a goal's progress line, a contribution's amount.

use leptos::prelude::*;

use crate::components::charts::{ProgressBar, figure};
use crate::domain::impact::{ContributionEntry, Goal};

/// One goal's line: title link, figures, bar.
#[component]
pub fn GoalLine(slug: String, goal: Goal, depth: usize) -> impl IntoView {
    let figures = if goal.has_children {
        "Rolled up from its sub-goals".to_owned()
    } else {
        format!("{} of {} {}", figure(goal.current), figure(goal.facts.target), goal.facts.unit)
    };
    let deadline = goal.facts.deadline.map(|d| format!(" · by {}", d.format("%-d %b %Y")));
    view! {
        <li class=format!("goal depth-{}", depth.min(4))>
            <a href=format!("/c/{slug}/goals/{}", goal.id)>{goal.facts.title.clone()}</a>
            <p class="meta">{figures}{deadline}</p>
            <ProgressBar progress=goal.progress label=format!("Progress of {}", goal.facts.title) />
        </li>
    }
}

/// What an entry amounted to: "40 trees · 3 hours".
pub fn amount(c: &ContributionEntry) -> String {
    let mut parts = Vec::new();
    if let Some(q) = c.quantity {
        parts.push(format!("{} {}", figure(q), c.unit.clone().unwrap_or_default()));
    }
    if let Some(h) = c.hours {
        parts.push(format!("{} hours", figure(h)));
    }
    parts.join(" · ")
}
