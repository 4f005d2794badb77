//! Community pages.

mod audit;
pub mod directory;
mod edit;
mod form;
mod home;
mod invites;
mod leadership;
mod manage;
mod members;
mod requests;

pub use audit::AuditPage;
pub use directory::DirectoryPage;
pub use edit::{EditCommunityPage, NewCommunityPage};
pub use home::CommunityHomePage;
pub use invites::{AcceptInvitePage, InvitesPage};
pub use leadership::LeadershipPage;
pub use manage::ManagePage;
pub use members::MembersPage;
pub use requests::RequestsPage;
