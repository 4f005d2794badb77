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
    let viewer = viewer.map(|v| v.id);
    let mut profile =
        crate::db::users::profile(&state.pool, &handle, viewer).await?.ok_or(AppError::NotFound)?;
    profile.skills = crate::db::users::tags(&state.pool, profile.id, "skill").await?;
    profile.interests = crate::db::users::tags(&state.pool, profile.id, "interest").await?;
    profile.communities = crate::db::memberships::communities_of(&state.pool, profile.id, viewer)
        .await?
        .into_iter()
        .map(|(slug, name, role)| crate::domain::account::ProfileCommunity { slug, name, role })
        .collect();
    Ok(profile)
}

/// Updates the signed-in person's display name, bio, skills and interests. Nothing else can change here.
#[server(endpoint = "users/update_profile")]
pub async fn update_profile(
    display_name: String,
    bio: String,
    skills: Option<String>,
    interests: Option<String>,
) -> Result<(), AppError> {
    use crate::auth::{policy, session};
    use crate::domain::account::ProfileForm;
    use crate::domain::community::parse_tags;

    let state = session::app_state()?;
    let actor = session::current_user().await?;
    let owner = actor.as_ref().map(|a| a.id).ok_or(AppError::Unauthorized)?;
    policy::check_edit_profile(actor.as_ref(), owner)?;
    let form = ProfileForm {
        display_name,
        bio,
        skills: skills.unwrap_or_default(),
        interests: interests.unwrap_or_default(),
    }
    .normalised()?;
    let skills = parse_tags(&form.skills, "skills")?;
    let interests = parse_tags(&form.interests, "interests")?;
    crate::services::accounts::update_profile(&state.writes, owner, form, skills, interests)
        .await?;
    if let Some(actor) = actor {
        leptos_axum::redirect(&format!("/u/{}", actor.handle));
    }
    Ok(())
}
