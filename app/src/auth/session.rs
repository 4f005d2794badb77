//! Sessions and the current user, on top of `axum-login` and `tower-sessions`.
//!
//! Sessions live server-side in SQLite; the cookie holds only a random id.
//! A session remembers the account's password hash and session epoch, so changing the
//! password ends every other session and "sign out everywhere" (a new epoch) ends them all.

use crate::db::Pool;
use axum_login::{AuthUser, AuthnBackend};
use leptos::prelude::use_context;

use crate::auth::password::{self, Verdict};
use crate::db;
use crate::domain::account::CurrentUser;
use crate::domain::ids::UserId;
use crate::error::AppError;
use crate::state::AppState;

/// An account as the session layer knows it. Holds the password hash, so it is never serialised.
#[derive(Clone)]
pub struct SessionUser {
    /// What pages and server functions see.
    pub user: CurrentUser,
    /// What a session must have been signed in under: the password hash and, once the
    /// member has signed out everywhere, the session epoch.
    auth_hash: String,
}

impl std::fmt::Debug for SessionUser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionUser").field("user", &self.user).finish_non_exhaustive()
    }
}

impl From<db::users::UserRow> for SessionUser {
    fn from(row: db::users::UserRow) -> Self {
        // Epoch 0 keeps the bare hash, so sessions from before epochs existed stay valid.
        let auth_hash = match row.session_epoch {
            0 => row.password_hash.clone(),
            epoch => format!("{}#{epoch}", row.password_hash),
        };
        SessionUser { user: row.into(), auth_hash }
    }
}

impl AuthUser for SessionUser {
    type Id = i64;

    fn id(&self) -> i64 {
        self.user.id.0
    }

    fn session_auth_hash(&self) -> &[u8] {
        self.auth_hash.as_bytes()
    }
}

/// What a person types to sign in.
#[derive(Clone)]
pub struct Credentials {
    /// Handle or email.
    pub login: String,
    /// The password, as typed.
    pub password: String,
}

/// A successful authentication: the account, and whether its hash should be renewed.
pub struct Authenticated {
    /// The account.
    pub user: SessionUser,
    /// The stored hash uses old parameters.
    pub needs_rehash: bool,
}

/// Looks accounts up in SQLite for `axum-login`.
#[derive(Clone)]
pub struct Backend {
    pool: Pool,
}

impl Backend {
    /// A backend reading from `pool`.
    pub fn new(pool: Pool) -> Self {
        Self { pool }
    }

    /// Checks credentials. An unknown login costs as much time as a wrong password.
    pub async fn check_credentials(
        &self,
        creds: Credentials,
    ) -> Result<Option<Authenticated>, AppError> {
        let login = creds.login.trim().to_lowercase();
        let Some(row) = db::users::by_login(&self.pool, &login).await? else {
            password::verify_against_decoy(creds.password).await?;
            return Ok(None);
        };
        match password::verify(creds.password, row.password_hash.clone()).await? {
            Verdict::Valid { needs_rehash } => {
                Ok(Some(Authenticated { user: row.into(), needs_rehash }))
            }
            Verdict::Invalid => Ok(None),
        }
    }
}

/// The error type `axum-login` needs from a backend.
#[derive(Debug, thiserror::Error)]
pub enum BackendError {
    /// Reading the account failed.
    #[error("account lookup failed: {0}")]
    Database(#[from] sqlx::Error),
    /// Checking the password failed (already logged with its correlation id).
    #[error("password check failed: {0}")]
    Check(#[from] AppError),
}

impl AuthnBackend for Backend {
    type User = SessionUser;
    type Credentials = Credentials;
    type Error = BackendError;

    async fn authenticate(&self, creds: Credentials) -> Result<Option<SessionUser>, BackendError> {
        Ok(self.check_credentials(creds).await?.map(|a| a.user))
    }

    async fn get_user(&self, id: &i64) -> Result<Option<SessionUser>, BackendError> {
        Ok(db::users::by_id(&self.pool, UserId(*id)).await?.map(SessionUser::from))
    }
}

/// The session of the request being served.
pub type AuthSession = axum_login::AuthSession<Backend>;

/// Signs `user` in on a session with a new id. axum-login changes the id only when the
/// session was not signed in yet; this changes it every time, so no id known before
/// signing in — planted, or left from someone else's sign-in on a shared device — ever
/// carries the new sign-in (session fixation).
pub async fn sign_in_fresh(auth: &mut AuthSession, user: &SessionUser) -> Result<(), AppError> {
    auth.session.cycle_id().await.map_err(AppError::internal)?;
    auth.login(user).await.map_err(AppError::internal)
}

/// The application state, from the request's context.
pub fn app_state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| AppError::internal("AppState missing from context"))
}

/// The auth session, from the request the server is answering.
pub async fn auth_session() -> Result<AuthSession, AppError> {
    leptos_axum::extract::<AuthSession>().await.map_err(AppError::internal)
}

/// The signed-in person, if any.
pub async fn current_user() -> Result<Option<CurrentUser>, AppError> {
    Ok(auth_session().await?.user.map(|u| u.user))
}

/// The signed-in person, or [`AppError::Unauthorized`].
pub async fn require_user() -> Result<CurrentUser, AppError> {
    current_user().await?.ok_or(AppError::Unauthorized)
}

/// The address the request came from: the TCP peer, or behind a reverse proxy the
/// address the proxy forwarded, as the server is configured (`KINDRED_CLIENT_IP`).
pub async fn client_ip() -> Result<std::net::IpAddr, AppError> {
    let axum_client_ip::ClientIp(ip) =
        leptos_axum::extract::<axum_client_ip::ClientIp>().await.map_err(|rejection| {
            AppError::internal(format!("the client's address is unknown: {rejection:?}"))
        })?;
    Ok(ip)
}
