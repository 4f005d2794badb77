//! `POST /api/auth/verify_email`, `POST /api/auth/resend_verification`

use leptos::prelude::*;

use crate::error::AppError;

/// Confirms an address with the token from its verification e-mail (no sign-in needed:
/// the token is the proof).
#[server(endpoint = "auth/verify_email")]
pub async fn verify_email(token: String) -> Result<(), AppError> {
    use crate::auth::session;
    let state = session::app_state()?;
    state.auth_throttle.check_ip(session::client_ip().await?).await?;
    crate::services::accounts::verify_email(&state.writes, &token).await?;
    leptos_axum::redirect("/verify-email?done=1");
    Ok(())
}

/// Sends the signed-in person a new verification link (nothing when already verified).
#[server(endpoint = "auth/resend_verification")]
pub async fn resend_verification() -> Result<(), AppError> {
    use crate::auth::session;
    let state = session::app_state()?;
    let user = session::require_user().await?;
    state.auth_throttle.check_account(&user.handle).await?;
    crate::services::accounts::resend_verification(&state.writes, user.id).await?;
    leptos_axum::redirect("/settings/notifications?sent=1");
    Ok(())
}
