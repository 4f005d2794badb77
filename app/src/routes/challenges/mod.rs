//! Challenge pages: a community's challenges (with the leaders' form for a new one) and
//! one challenge's progress and boards.

mod list;
mod page;

pub use list::ChallengesPage;
pub use page::ChallengePage;
