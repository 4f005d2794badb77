//! `GET` downloads: a member's contribution record, and a community's
//! contributions and goal progress for its leaders, as CSV or JSON.

use app::api::communities::access_as;
use app::auth::policy::CommunityAction;
use app::auth::session::AuthSession;
use app::error::AppError;
use app::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// An error as the JSON body and status every endpoint answers with.
pub(crate) fn error_response(error: AppError) -> Response {
    let status =
        StatusCode::from_u16(error.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, Json(error)).into_response()
}

fn csv_response(body: String, filename: &str) -> Response {
    file_response(body, "text/csv; charset=utf-8", &format!("attachment; filename=\"{filename}\""))
}

/// A file download: `body` as `content_type`, with a `Content-Disposition`.
pub(crate) fn file_response(
    body: String,
    content_type: &'static str,
    disposition: &str,
) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(disposition) = HeaderValue::from_str(disposition) {
        headers.insert(header::CONTENT_DISPOSITION, disposition);
    }
    response
}

/// The requested format from a `name.csv` / `name.json` path segment.
fn format_of(file: &str, stem: &str) -> Option<&'static str> {
    match file.strip_prefix(stem) {
        Some(".csv") => Some("csv"),
        Some(".json") => Some("json"),
        _ => None,
    }
}

/// `GET /u/{handle}/{contributions.csv|contributions.json}`: verified contributions
/// (all of them for the person themself) in communities the viewer may see.
pub async fn user_contributions(
    State(state): State<AppState>,
    auth: AuthSession,
    Path((handle, file)): Path<(String, String)>,
) -> Response {
    let Some(format) = format_of(&file, "contributions") else {
        return error_response(AppError::NotFound);
    };
    let viewer = auth.user.map(|u| u.user.id);
    let handle = handle.trim().to_lowercase();
    let result = async {
        let author =
            app::db::users::id_by_handle(&state.pool, &handle).await?.ok_or(AppError::NotFound)?;
        let own = viewer == Some(author);
        Ok::<_, AppError>(app::db::impact::by_author(&state.pool, author, viewer, own).await?)
    }
    .await;
    match (result, format) {
        (Err(error), _) => error_response(error),
        (Ok(entries), "json") => Json(entries).into_response(),
        (Ok(entries), _) => match app::services::exports::contributions_csv(&entries) {
            Ok(body) => csv_response(body, &format!("{handle}-contributions.csv")),
            Err(error) => error_response(error),
        },
    }
}

/// `GET /c/{slug}/export/{contributions|goals}.{csv|json}` for the community's leaders.
pub async fn community_export(
    State(state): State<AppState>,
    auth: AuthSession,
    Path((slug, file)): Path<(String, String)>,
) -> Response {
    let user = auth.user.map(|u| u.user);
    let access = match access_as(state, user, &slug, CommunityAction::Export).await {
        Ok(access) => access,
        Err(error) => return error_response(error),
    };
    let pool = &access.state.pool;
    let slug = access.community.slug.clone();
    if let Some(format) = format_of(&file, "contributions") {
        return match app::db::impact::of_community(pool, access.community.id).await {
            Err(error) => error_response(error.into()),
            Ok(entries) if format == "json" => Json(entries).into_response(),
            Ok(entries) => match app::services::exports::contributions_csv(&entries) {
                Ok(body) => csv_response(body, &format!("{slug}-contributions.csv")),
                Err(error) => error_response(error),
            },
        };
    }
    if let Some(format) = format_of(&file, "goals") {
        return match app::services::goals::goals_with_progress(pool, &access.community).await {
            Err(error) => error_response(error),
            Ok(goals) if format == "json" => Json(goals).into_response(),
            Ok(goals) => match app::services::exports::goals_csv(&goals) {
                Ok(body) => csv_response(body, &format!("{slug}-goals.csv")),
                Err(error) => error_response(error),
            },
        };
    }
    error_response(AppError::NotFound)
}
