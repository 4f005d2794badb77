//! `POST /api/auth/sign_in`, `POST /api/auth/sign_out`, `POST /api/auth/me`

use leptos::prelude::*;

use crate::domain::account::CurrentUser;
use crate::error::AppError;

/// The message for any failed sign-in: the same for an unknown account and a wrong password.
pub const SIGN_IN_FAILED: &str = "That handle or email and password don't match an account.";

/// Signs in with a handle or email and a password, then redirects to `next` (a local path) or home.
#[server(endpoint = "auth/sign_in")]
pub async fn sign_in(
    login: String,
    password: String,
    next: Option<String>,
) -> Result<(), AppError> {
    use crate::auth::{password as passwords, session};
    use crate::db;
    use crate::domain::account::PASSWORD_MAX_CHARS;

    let state = session::app_state()?;
    let mut auth = session::auth_session().await?;
    state.auth_throttle.check_ip(session::client_ip().await?).await?;
    state.auth_throttle.check_account(login.trim()).await?;

    let failed = || AppError::invalid("password", SIGN_IN_FAILED);
    if login.trim().is_empty()
        || password.is_empty()
        || password.chars().count() > PASSWORD_MAX_CHARS
    {
        return Err(failed());
    }
    let creds = session::Credentials { login, password: password.clone() };
    let Some(found) = auth.backend.check_credentials(creds).await? else {
        return Err(failed());
    };
    let mut user = found.user;
    if found.needs_rehash {
        let fresh = passwords::hash(password).await?;
        crate::services::accounts::replace_password_hash(&state.writes, user.user.id, fresh)
            .await?;
        user = db::users::by_id(&state.pool, user.user.id).await?.ok_or_else(failed)?.into();
    }
    session::sign_in_fresh(&mut auth, &user).await?;
    leptos_axum::redirect(crate::api::safe_next(next.as_deref()).unwrap_or("/"));
    Ok(())
}

/// Ends the session on the server (the stored session is deleted, not just the cookie).
/// With `everywhere` set, ends every session of the account on every device first.
#[server(endpoint = "auth/sign_out")]
pub async fn sign_out(everywhere: Option<String>) -> Result<(), AppError> {
    use crate::auth::session;
    let mut auth = session::auth_session().await?;
    let everywhere = everywhere.is_some_and(|v| !v.is_empty() && v != "false");
    if everywhere {
        let user = auth.user.as_ref().ok_or(AppError::Unauthorized)?.user.id;
        let state = session::app_state()?;
        crate::services::accounts::sign_out_everywhere(&state.writes, user).await?;
    }
    auth.logout().await.map_err(AppError::internal)?;
    leptos_axum::redirect(if everywhere { "/signin?everywhere=1" } else { "/" });
    Ok(())
}

/// The signed-in person, or `null` when signed out.
#[server(endpoint = "auth/me")]
pub async fn get_current_user() -> Result<Option<CurrentUser>, AppError> {
    crate::auth::session::current_user().await
}
