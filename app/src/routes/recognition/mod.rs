//! Recognition pages: the kudos wall with its boards, a community's badges, one badge.

mod badge;
mod badges;
mod wall;

pub use badge::BadgePage;
pub use badges::BadgesPage;
pub use wall::RecognitionPage;
