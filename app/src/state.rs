//! Server state shared by every request, reached through Leptos context.

use crate::db::Pool;
use std::sync::Arc;

use axum::extract::FromRef;
use leptos::config::LeptosOptions;

use crate::auth::throttle::{AuthThrottle, PostThrottle};

/// Everything a server function or page needs from the server.
#[derive(Clone)]
pub struct AppState {
    /// Leptos' site settings (address, output paths).
    pub leptos_options: LeptosOptions,
    /// The SQLite pool, for reads and for the rare writes that bypass the queue.
    pub pool: Pool,
    /// The group-commit writer that members' writes go through.
    pub writes: crate::db::writer::WriteQueue,
    /// Limits on sign-in and sign-up attempts.
    pub auth_throttle: Arc<AuthThrottle>,
    /// Limits on how often people post in discussions.
    pub post_throttle: Arc<PostThrottle>,
    /// Impact reports, reused until the community's contributions or goals change.
    pub impact_reports: Arc<crate::services::report_cache::ReportCache>,
    /// Sends what the mail outbox holds (SMTP, or files when none is configured).
    pub mailer: Arc<crate::mail::Mailer>,
    /// Signs and checks Open Badges credentials with the instance's key.
    pub issuer: Arc<crate::services::credentials::Issuer>,
    /// This instance's fan-out of live updates to open pages (`GET /live`).
    pub live: crate::services::live::LiveHub,
    /// Where library uploads are stored.
    pub files_dir: std::path::PathBuf,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
