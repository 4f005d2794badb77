//! `GET` and `POST /mail/unsubscribe/{token}`: leaving one mail list without signing in.
//!
//! The `POST` is RFC 8058's one-click unsubscribe (mail clients send
//! `List-Unsubscribe=One-Click`); the `GET` only shows a page with a button that posts,
//! so a link scanner that opens the URL changes nothing.

use app::error::AppError;
use app::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

/// A small stand-alone page (these answers are not part of the app).
fn page(status: StatusCode, title: &str, body: &str) -> Response {
    let html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title} · Kindred</title></head><body><main><h1>{title}</h1>{body}\
         <p><a href=\"/settings/notifications\">Notification settings</a></p></main></body></html>"
    );
    (status, Html(html)).into_response()
}

fn not_found() -> Response {
    page(
        StatusCode::NOT_FOUND,
        "This link doesn't work",
        "<p>It may be mistyped. You can change what Kindred e-mails you in your settings.</p>",
    )
}

fn failed(error: &AppError) -> Response {
    tracing::error!(%error, "unsubscribe failed");
    page(StatusCode::INTERNAL_SERVER_ERROR, "Something went wrong", "<p>Please try again.</p>")
}

/// `GET`: says which list the link leaves and offers the button.
pub async fn unsubscribe_page(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Response {
    match app::services::notices::unsubscribe_list(&state.pool, &token).await {
        Ok(Some(list)) => page(
            StatusCode::OK,
            "Stop these e-mails?",
            &format!(
                "<p>You will no longer get e-mail for: <strong>{}</strong>.</p>\
                 <form method=\"post\"><button type=\"submit\">Unsubscribe</button></form>",
                list
            ),
        ),
        Ok(None) => not_found(),
        Err(error) => failed(&error),
    }
}

/// `POST`: leaves the list (idempotent; unknown tokens are 404). List names are fixed
/// labels, never member text, so they are written as they are.
pub async fn unsubscribe(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    match app::services::notices::unsubscribe(&state.writes, &token).await {
        Ok(list) => page(
            StatusCode::OK,
            "You're unsubscribed",
            &format!(
                "<p>No more e-mail for: <strong>{}</strong>. Notices still appear in the app.</p>",
                list
            ),
        ),
        Err(AppError::NotFound) => not_found(),
        Err(error) => failed(&error),
    }
}
