//! `POST /api/auth/sign_up`

use leptos::prelude::*;

use crate::error::AppError;

/// Creates an account and signs the new member in, then redirects to their profile.
#[server(endpoint = "auth/sign_up")]
pub async fn sign_up(
    handle: String,
    display_name: String,
    email: String,
    password: String,
) -> Result<(), AppError> {
    use crate::auth::{password, policy, session};
    use crate::db;
    use crate::domain::account::SignUpForm;

    let state = session::app_state()?;
    let mut auth = session::auth_session().await?;
    policy::check_signed_out(auth.user.as_ref().map(|u| &u.user))?;
    state.auth_throttle.check_ip(session::client_ip().await?).await?;

    // Validation runs before hashing, so an over-long password is never hashed.
    let form = SignUpForm { handle, display_name, email, password }.normalised()?;
    let password_hash = password::hash(form.password.clone()).await?;

    let id = crate::services::accounts::create(&state.writes, &form, password_hash).await?;

    let row = db::users::by_id(&state.pool, id).await?.ok_or(AppError::NotFound)?;
    crate::auth::session::sign_in_fresh(&mut auth, &row.into()).await?;
    tracing::info!(user = %id, "account created");
    leptos_axum::redirect(&format!("/u/{}", form.handle));
    Ok(())
}
