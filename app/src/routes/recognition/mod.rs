//! Recognition pages: the kudos wall with its boards, a community's badges, one badge;
//! Open Badges credentials: checking one, an award's share page.

mod badge;
mod badges;
mod credentials;
mod wall;

pub use badge::BadgePage;
pub use badges::BadgesPage;
pub use credentials::{SharedAwardPage, VerifyCredentialPage};
pub use wall::RecognitionPage;
