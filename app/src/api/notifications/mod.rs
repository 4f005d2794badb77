//! `POST /api/notifications/list`, `…/mark_read`, `…/unread`, `…/settings`, `…/save_settings`

use leptos::prelude::*;

use crate::domain::notification::Notification;
use crate::error::AppError;

/// The signed-in person's 50 newest notices.
#[server(endpoint = "notifications/list")]
pub async fn list_notifications() -> Result<Vec<Notification>, AppError> {
    use crate::auth::session;
    let state = session::app_state()?;
    let user = session::require_user().await?;
    Ok(crate::db::notifications::recent(&state.pool, user.id, 50).await?)
}

/// How many notices are unread (0 when signed out).
#[server(endpoint = "notifications/unread")]
pub async fn unread_notifications() -> Result<i64, AppError> {
    use crate::auth::session;
    let state = session::app_state()?;
    match session::current_user().await? {
        Some(user) => Ok(crate::db::notifications::unread_count(&state.pool, user.id).await?),
        None => Ok(0),
    }
}

/// Marks every notice read.
#[server(endpoint = "notifications/mark_read")]
pub async fn mark_notifications_read() -> Result<(), AppError> {
    use crate::auth::session;
    let state = session::app_state()?;
    let user = session::require_user().await?;
    crate::services::accounts::mark_notifications_read(&state.writes, user.id).await?;
    leptos_axum::redirect("/notifications");
    Ok(())
}

/// What `/settings/notifications` shows: a channel per kind, digest, time zone, the
/// address and whether it is verified, and a mute switch per community.
#[server(endpoint = "notifications/settings")]
pub async fn get_notification_settings()
-> Result<crate::domain::notification::NotificationSettings, AppError> {
    use crate::auth::session;
    let state = session::app_state()?;
    let user = session::require_user().await?;
    crate::services::notices::settings(&state.pool, user.id).await
}

/// Saves the notification settings form.
#[server(endpoint = "notifications/save_settings")]
pub async fn save_notification_settings(
    form: crate::domain::notification::NotificationForm,
) -> Result<(), AppError> {
    use crate::auth::session;
    let state = session::app_state()?;
    let user = session::require_user().await?;
    let valid = form.validate()?;
    crate::services::notices::save_settings(&state.writes, user.id, valid).await?;
    leptos_axum::redirect("/settings/notifications?saved=1");
    Ok(())
}
