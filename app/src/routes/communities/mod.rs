//! Community pages.

mod audit;
pub mod directory;
mod edit;
mod form;
mod home;
mod invites;
mod leadership;
mod members;
mod requests;

pub use audit::AuditPage;
pub use directory::DirectoryPage;
pub use edit::{EditCommunityPage, NewCommunityPage};
pub use home::CommunityHomePage;
pub use invites::{AcceptInvitePage, InvitesPage};
pub use leadership::LeadershipPage;
pub use members::MembersPage;
pub use requests::RequestsPage;

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// The `:slug` of the current URL.
pub fn use_slug() -> Memo<String> {
    let params = use_params_map();
    Memo::new(move |_| params.read().get("slug").unwrap_or_default())
}
