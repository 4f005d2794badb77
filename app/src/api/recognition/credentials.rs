//! `POST /api/badges/verify`, `/api/badges/share`, `/api/badges/shared`: Open Badges
//! credentials. The credentials themselves and the issuer's profile and keys are plain
//! `GET` addresses (server/src/badges.rs).

use leptos::prelude::*;

use crate::domain::open_badges::{CredentialCheck, SharedAward};
use crate::error::AppError;

/// Checks a pasted Open Badges credential: its signature, its issuer and that its award
/// still stands. Anyone may ask; the answer says only what the credential itself claims.
#[server(endpoint = "badges/verify")]
pub async fn verify_credential(credential: String) -> Result<CredentialCheck, AppError> {
    use crate::auth::session;
    let state = session::app_state()?;
    state.issuer.verify(&state.pool, &credential).await
}

/// The holder turns the public share link of one of their awards on or off.
#[server(endpoint = "badges/share")]
pub async fn share_award(award: i64, share: bool) -> Result<(), AppError> {
    use crate::auth::session;
    let state = session::app_state()?;
    let holder = session::require_user().await?;
    let back =
        crate::services::credentials::set_sharing(&state.writes, holder.id, award, share).await?;
    crate::api::redirect_plain_form(&back);
    Ok(())
}

/// The public page of a shared award.
#[server(endpoint = "badges/shared")]
pub async fn get_shared_award(token: String) -> Result<SharedAward, AppError> {
    use crate::auth::session;
    let state = session::app_state()?;
    state.issuer.shared_page(&state.pool, token.trim()).await
}
