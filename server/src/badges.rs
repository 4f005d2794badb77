//! Open Badges 3.0 at stable addresses: the issuer's profile and public keys, a holder's
//! signed credential, and the credential of an award its holder shares.

use app::auth::session::AuthSession;
use app::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};

use crate::exports::{error_response, file_response};

/// `GET /badges/issuer`: the issuer's `Profile` (the `issuer.id` of every credential).
pub async fn issuer_profile(State(state): State<AppState>) -> Response {
    Json(state.issuer.profile().document()).into_response()
}

/// `GET /badges/issuer/jwks.json`: the public keys credentials are signed with, by `kid`.
pub async fn issuer_keys(State(state): State<AppState>) -> Response {
    Json(state.issuer.key_set()).into_response()
}

/// A credential as a download: `kindred-badge-{award}.jwt`.
fn credential_file(jwt: String, award: &str) -> Response {
    let name: String = award.chars().filter(char::is_ascii_alphanumeric).take(16).collect();
    file_response(
        jwt,
        "application/vc+jwt",
        &format!("attachment; filename=\"kindred-badge-{name}.jwt\""),
    )
}

/// `GET /badges/credentials/{award}`: the holder's signed `OpenBadgeCredential`; anyone
/// else gets 404, a revoked award 409.
pub async fn holder_credential(
    State(state): State<AppState>,
    auth: AuthSession,
    Path(award): Path<String>,
) -> Response {
    let Ok(id) = award.parse::<i64>() else {
        return error_response(app::error::AppError::NotFound);
    };
    let viewer = auth.user.map(|u| u.user.id);
    match state.issuer.for_holder(&state.pool, viewer, id).await {
        Ok(jwt) => credential_file(jwt, &award),
        Err(error) => error_response(error),
    }
}

/// `GET /badges/shared/{token}/credential.jwt`: the credential of a shared award.
pub async fn shared_credential(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Response {
    match state.issuer.shared(&state.pool, &token).await {
        Ok(jwt) => credential_file(jwt, "shared"),
        Err(error) => error_response(error),
    }
}
