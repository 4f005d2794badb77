//! `POST /api/home/next`

use leptos::prelude::*;

use crate::domain::home::NextForMe;
use crate::error::AppError;

/// What's next for the signed-in member across their communities (401 when signed out).
#[server(endpoint = "home/next")]
pub async fn whats_next() -> Result<NextForMe, AppError> {
    use crate::auth::session;
    let state = session::app_state()?;
    let user = session::require_user().await?;
    crate::services::home::next_for(&state.pool, user.id, user.display_name).await
}
