//! `POST /api/users/profile`, `POST /api/users/update_profile`

use leptos::prelude::*;

use crate::domain::account::Profile;
use crate::error::AppError;

/// A person's public profile by handle.
#[server(endpoint = "users/profile")]
pub async fn get_profile(handle: String) -> Result<Profile, AppError> {
    use crate::auth::session;
    let state = session::app_state()?;
    let viewer = session::current_user().await?;
    let handle = handle.trim().to_lowercase();
    crate::db::users::profile(&state.pool, &handle, viewer.map(|v| v.id))
        .await?
        .ok_or(AppError::NotFound)
}

/// Updates the signed-in person's display name and bio. Only these two fields can change here.
#[server(endpoint = "users/update_profile")]
pub async fn update_profile(display_name: String, bio: String) -> Result<(), AppError> {
    use crate::auth::{policy, session};
    use crate::domain::account::ProfileForm;

    let state = session::app_state()?;
    let actor = session::current_user().await?;
    let owner = actor.as_ref().map(|a| a.id).ok_or(AppError::Unauthorized)?;
    policy::check_edit_profile(actor.as_ref(), owner)?;
    let form = ProfileForm { display_name, bio }.normalised()?;
    crate::db::users::update_profile(&state.pool, owner, &form.display_name, &form.bio).await?;
    if let Some(actor) = actor {
        leptos_axum::redirect(&format!("/u/{}", actor.handle));
    }
    Ok(())
}
