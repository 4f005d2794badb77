//! `POST /api/auth/forgot_password`, `POST /api/auth/reset_token`,
//! `POST /api/auth/reset_password`, `POST /api/auth/change_password`

use leptos::prelude::*;

use crate::error::AppError;

/// Sends a reset link to the account that a handle or address belongs to. The answer is
/// the same whether or not there is such an account.
#[server(endpoint = "auth/forgot_password")]
pub async fn forgot_password(login: String) -> Result<(), AppError> {
    use crate::auth::session;
    let state = session::app_state()?;
    state.auth_throttle.check_ip(session::client_ip().await?).await?;
    state.auth_throttle.check_account(login.trim()).await?;
    if login.trim().is_empty() {
        return Err(AppError::invalid("login", "Enter your handle or e-mail address."));
    }
    crate::services::accounts::request_password_reset(&state.writes, &login).await?;
    leptos_axum::redirect("/forgot-password?sent=1");
    Ok(())
}

/// Whether a reset link's token can still be used (so the page can say so at once).
#[server(endpoint = "auth/reset_token")]
pub async fn reset_token_usable(token: String) -> Result<bool, AppError> {
    use crate::auth::session;
    let state = session::app_state()?;
    crate::services::accounts::reset_token_usable(&state.pool, &token).await
}

/// Sets a new password with a reset link's token, signs every other session of the
/// account out, and signs this browser in.
#[server(endpoint = "auth/reset_password")]
pub async fn reset_password(token: String, password: String) -> Result<(), AppError> {
    use crate::auth::{password as passwords, session};
    use crate::domain::account::check_password;
    let state = session::app_state()?;
    let mut auth = session::auth_session().await?;
    state.auth_throttle.check_ip(session::client_ip().await?).await?;
    check_password(&password, &()).map_err(|e| AppError::invalid("password", e.to_string()))?;
    if !crate::services::accounts::reset_token_usable(&state.pool, &token).await? {
        return Err(AppError::invalid("token", crate::services::accounts::RESET_LINK_INVALID));
    }
    let hash = passwords::hash(password).await?;
    let user = crate::services::accounts::reset_password(&state.writes, &token, hash).await?;
    let row = crate::db::users::by_id(&state.pool, user).await?.ok_or(AppError::NotFound)?;
    crate::auth::session::sign_in_fresh(&mut auth, &row.into()).await?;
    tracing::info!(%user, "password reset by e-mail");
    leptos_axum::redirect("/settings/password?reset=1");
    Ok(())
}

/// Changes the signed-in person's password after checking the current one; every other
/// session of the account is signed out, this one stays.
#[server(endpoint = "auth/change_password")]
pub async fn change_password(current: String, password: String) -> Result<(), AppError> {
    use crate::auth::password::{self as passwords, Verdict};
    use crate::auth::session;
    use crate::domain::account::{PASSWORD_MAX_CHARS, check_password};
    let state = session::app_state()?;
    let mut auth = session::auth_session().await?;
    let user = session::require_user().await?;
    state.auth_throttle.check_account(&user.handle).await?;
    let wrong = || AppError::invalid("current", "That isn't your current password.");
    if current.is_empty() || current.chars().count() > PASSWORD_MAX_CHARS {
        return Err(wrong());
    }
    check_password(&password, &()).map_err(|e| AppError::invalid("password", e.to_string()))?;
    let row = crate::db::users::by_id(&state.pool, user.id).await?.ok_or(AppError::NotFound)?;
    if passwords::verify(current, row.password_hash).await? == Verdict::Invalid {
        return Err(wrong());
    }
    let hash = passwords::hash(password).await?;
    crate::services::accounts::replace_password_hash(&state.writes, user.id, hash).await?;
    let row = crate::db::users::by_id(&state.pool, user.id).await?.ok_or(AppError::NotFound)?;
    crate::auth::session::sign_in_fresh(&mut auth, &row.into()).await?;
    tracing::info!(user = %user.id, "password changed");
    leptos_axum::redirect("/settings/password?changed=1");
    Ok(())
}
