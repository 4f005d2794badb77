//! `POST /api/communities/create`, `POST /api/communities/get`, `POST /api/communities/update`

use leptos::prelude::*;

use crate::domain::community::{Community, CommunityForm};
use crate::error::AppError;

/// Founds a community; the caller becomes its owner. Redirects to its home.
#[server(endpoint = "communities/create")]
pub async fn create_community(form: CommunityForm) -> Result<(), AppError> {
    use crate::auth::session;
    let state = session::app_state()?;
    let founder = session::require_user().await?;
    let community = form.validate()?;
    crate::services::communities::found(&state.writes, founder.id, &community).await?;
    leptos_axum::redirect(&format!("/c/{}", community.slug));
    Ok(())
}

/// A community's full settings, for its leaders' edit form.
#[server(endpoint = "communities/get")]
pub async fn get_community(slug: String) -> Result<Community, AppError> {
    use crate::auth::policy::CommunityAction;
    Ok(super::access_community(&slug, CommunityAction::Edit).await?.community)
}

/// Saves leaders' edits to a community's purpose and settings (its address stays).
#[server(endpoint = "communities/update")]
pub async fn update_community(slug: String, form: CommunityForm) -> Result<(), AppError> {
    use crate::auth::policy::CommunityAction;
    let (access, editor) = super::act_in_community(&slug, CommunityAction::Edit).await?;
    let mut form = form;
    form.slug = access.community.slug.clone();
    let community = form.validate()?;
    crate::services::communities::edit(
        &access.state.writes,
        editor,
        access.community.id,
        &community,
    )
    .await?;
    leptos_axum::redirect(&format!("/c/{}", access.community.slug));
    Ok(())
}
