//! Communities: founding, the directory, home pages, membership and leadership.

mod access;
mod directory;
mod found;
mod header;
mod home;
mod invites;
mod join;
mod leadership;
mod members;
mod requests;

#[cfg(feature = "ssr")]
pub use access::{Access, access_as, access_community, act_in_community};
pub use directory::*;
pub use found::*;
pub use header::*;
pub use home::*;
pub use invites::*;
pub use join::*;
pub use leadership::*;
pub use members::*;
pub use requests::*;

/// What waits for the viewer: join requests and flagged posts for leaders, and the
/// contributions they may verify.
#[cfg(feature = "ssr")]
async fn waiting_for(
    access: &Access,
) -> Result<crate::domain::community::Waiting, crate::error::AppError> {
    use crate::db;
    let pool = &access.state.pool;
    let id = access.community.id;
    let leader = access.standing.is_leader();
    let (join_requests, flagged_posts) = if leader {
        (
            db::join_requests::pending_count(pool, id).await?,
            db::moderation::open_flag_count(pool, id).await?,
        )
    } else {
        (0, 0)
    };
    let to_verify = match (&access.user, access.standing.role()) {
        (Some(user), Some(_)) => db::impact::queue_count(pool, id, user.id, leader).await?,
        _ => 0,
    };
    Ok(crate::domain::community::Waiting { join_requests, to_verify, flagged_posts })
}
