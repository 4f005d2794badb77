//! Impact pages: goals, initiatives, contributing, verifying, the impact report.

mod contribute;
mod goals;
mod initiatives;
mod report;
mod verify;

pub use contribute::{ContributePage, UserContributionsPage};
pub use goals::{GoalPage, GoalsPage};
pub use initiatives::{InitiativePage, InitiativesPage};
pub use report::ImpactPage;
pub use verify::VerifyPage;
