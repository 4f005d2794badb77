//! The first step of every community server function: find the community and
//! check what the caller may do there.

#[cfg(feature = "ssr")]
use crate::auth::policy::{self, CommunityAction};
#[cfg(feature = "ssr")]
use crate::domain::{
    account::CurrentUser,
    community::{Community, Standing},
};
#[cfg(feature = "ssr")]
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::state::AppState;

/// A community, the caller, and where the caller stands, after a permission check.
#[cfg(feature = "ssr")]
pub struct Access {
    /// Server state (the pool).
    pub state: AppState,
    /// The caller, if signed in.
    pub user: Option<CurrentUser>,
    /// The community.
    pub community: Community,
    /// The caller's standing there.
    pub standing: Standing,
}

#[cfg(feature = "ssr")]
impl Access {
    /// The signed-in caller (the policy already required one for account-only actions).
    pub fn user(&self) -> Result<&CurrentUser, AppError> {
        self.user.as_ref().ok_or(AppError::Unauthorized)
    }
}

/// Loads the community `slug` and checks `action` for the caller. A community the
/// caller may not see answers 404, exactly like one that does not exist.
#[cfg(feature = "ssr")]
pub async fn access_community(slug: &str, action: CommunityAction) -> Result<Access, AppError> {
    use crate::auth::session;
    let state = session::app_state()?;
    let user = session::current_user().await?;
    access_as(state, user, slug, action).await
}

/// [`access_community`] for an action only a signed-in person takes: the access, and
/// the caller's id.
#[cfg(feature = "ssr")]
pub async fn act_in_community(
    slug: &str,
    action: CommunityAction,
) -> Result<(Access, crate::domain::ids::UserId), AppError> {
    let access = access_community(slug, action).await?;
    let user = access.user()?.id;
    Ok((access, user))
}

/// [`access_community`] for a caller known outside Leptos (exports, scripts).
#[cfg(feature = "ssr")]
pub async fn access_as(
    state: AppState,
    user: Option<CurrentUser>,
    slug: &str,
    action: CommunityAction,
) -> Result<Access, AppError> {
    use crate::db;
    let slug = slug.trim().to_lowercase();
    let mut conn = state.pool.acquire().await?;
    let community = db::communities::by_slug(&mut conn, &slug).await?.ok_or(AppError::NotFound)?;
    let standing =
        db::memberships::standing(&mut conn, community.id, user.as_ref().map(|u| u.id)).await?;
    drop(conn);
    policy::check_in_community(user.is_some(), standing, community.visibility, action)?;
    Ok(Access { state, user, community, standing })
}
