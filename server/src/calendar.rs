//! `GET` calendar files (`text/calendar`, RFC 5545): an event's series, and a public
//! community's public events, for people's own calendar apps.

use app::api::communities::access_as;
use app::auth::policy::{self, CommunityAction};
use app::auth::session::AuthSession;
use app::domain::community::Visibility;
use app::domain::events::EventVisibility;
use app::error::AppError;
use app::state::AppState;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;

use crate::exports::{error_response, file_response};

fn calendar_response(body: String, filename: &str) -> Response {
    let disposition = format!("inline; filename=\"{filename}\"");
    file_response(body, "text/calendar; charset=utf-8", &disposition)
}

/// The scheme and host the request came to, for UIDs and links.
fn origin(headers: &HeaderMap) -> String {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let scheme = header("x-forwarded-proto").unwrap_or("http");
    format!("{scheme}://{}", header("host").unwrap_or("localhost"))
}

/// `GET /c/{slug}/e/{id}/event.ics`: the whole series occurrence `id` belongs to, for
/// anyone who may see the event (a hidden one is not found).
pub async fn event_ics(
    State(state): State<AppState>,
    auth: AuthSession,
    headers: HeaderMap,
    Path((slug, id)): Path<(String, i64)>,
) -> Response {
    let user = auth.user.map(|u| u.user);
    let result = async {
        let access = access_as(state, user, &slug, CommunityAction::View).await?;
        let pool = &access.state.pool;
        let (series, visibility) = app::db::events::series_of(pool, access.community.id, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let visibility = EventVisibility::parse(&visibility).unwrap_or(EventVisibility::Members);
        policy::check_see_event(access.standing, visibility)?;
        let rows =
            app::db::events::calendar_rows(pool, access.community.id, Some(series), true).await?;
        let name = rows.first().map(|r| r.title.clone()).unwrap_or_default();
        Ok::<_, AppError>(app::services::calendar::ics(&name, &rows, &origin(&headers)))
    }
    .await;
    match result {
        Ok(body) => calendar_response(body, "event.ics"),
        Err(error) => error_response(error),
    }
}

/// `GET /c/{slug}/events.ics`: the public events of a public community (a private
/// community has no public calendar: 404, as for one that does not exist).
pub async fn community_ics(
    State(state): State<AppState>,
    auth: AuthSession,
    headers: HeaderMap,
    Path(slug): Path<String>,
) -> Response {
    let user = auth.user.map(|u| u.user);
    let result = async {
        let access = access_as(state, user, &slug, CommunityAction::View).await?;
        if access.community.visibility != Visibility::Public {
            return Err(AppError::NotFound);
        }
        let pool = &access.state.pool;
        let rows = app::db::events::calendar_rows(pool, access.community.id, None, false).await?;
        let name = access.community.name.clone();
        Ok(app::services::calendar::ics(&name, &rows, &origin(&headers)))
    }
    .await;
    match result {
        Ok(body) => calendar_response(body, "events.ics"),
        Err(error) => error_response(error),
    }
}

/// `GET /calendar/{token}.ics`: a member's private feed of what they are going to, across
/// their communities. Anyone with the link can read it, so it is unguessable and the
/// member can replace or revoke it; an unknown token is not found.
pub async fn feed_ics(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(file): Path<String>,
) -> Response {
    let token = file.strip_suffix(".ics").unwrap_or(&file);
    let result = async {
        let hash = app::services::calendar::token_hash(token);
        let owner =
            app::db::events::feed_owner(&state.pool, &hash).await?.ok_or(AppError::NotFound)?;
        let rows = app::db::events::feed_rows(&state.pool, owner).await?;
        Ok::<_, AppError>(app::services::calendar::ics(
            "My Kindred events",
            &rows,
            &origin(&headers),
        ))
    }
    .await;
    match result {
        Ok(body) => calendar_response(body, "kindred.ics"),
        Err(error) => error_response(error),
    }
}
