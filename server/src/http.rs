//! HTTP plumbing around the app: health check, cross-site refusal, and the
//! translation of server-function errors into statuses and form redirects.

use app::error::AppError;
use app::state::AppState;
use axum::Json;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use server_fn::error::SERVER_FN_ERROR_HEADER;
use tower_sessions::Session;

/// How long the health check waits for a write to start and commit.
const WRITE_PROBE: std::time::Duration = std::time::Duration::from_secs(3);

/// `GET /healthz`: 200 when the database answers a read and a write can take SQLite's
/// write lock and commit within 3 s; else 503. The body says which part failed and how
/// many pooled connections have been found inside a transaction and closed, and how
/// much memory SQLite holds.
pub async fn healthz(State(state): State<AppState>) -> Response {
    let reads_ok = app::db::health::ping(&state.pool).await.is_ok();
    let writes_ok = state.writes.is_writable_within(WRITE_PROBE).await;
    let healthy = reads_ok && writes_ok;
    let body = serde_json::json!({
        "status": if healthy { "ok" } else { "degraded" },
        "database": if reads_ok { "ok" } else { "unreachable" },
        "writes": if writes_ok { "ok" } else { "stalled" },
        "connections_closed_in_transaction":
            app::db::health::connections_closed_in_transaction(),
        "sqlite_memory_bytes": app::db::health::sqlite_memory_used(),
        "version": env!("CARGO_PKG_VERSION"),
    });
    let status = if healthy { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    (status, Json(body)).into_response()
}

/// Runs every request that may write (anything but GET, HEAD and OPTIONS) to the end in
/// a task of its own, so a client that hangs up drops only its wait for the answer: the
/// server function, the session store's writes at sign-in and sign-out, and the queued
/// write all finish as if it had stayed. Reads stop with their client, as usual.
pub async fn finish_writes_after_hang_up(request: Request, next: Next) -> Response {
    if matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(request).await;
    }
    let path = request.uri().path().to_owned();
    match tokio::spawn(next.run(request)).await {
        Ok(response) => response,
        Err(error) => {
            tracing::error!(%error, path, "a request's task failed");
            (StatusCode::INTERNAL_SERVER_ERROR, Json(AppError::internal("the request failed")))
                .into_response()
        }
    }
}

/// Where cross-site checks get the origins they accept besides the request's own host.
#[derive(Clone, Debug, Default)]
pub struct TrustedOrigin(pub Option<String>);

/// Refuses state-changing requests that a browser says come from another site,
/// before any server function runs (Leptos does no CSRF checking of its own).
pub async fn refuse_cross_site(
    State(trusted): State<TrustedOrigin>,
    request: Request,
    next: Next,
) -> Response {
    if is_cross_site_write(request.method(), request.headers(), trusted.0.as_deref()) {
        tracing::warn!(path = %request.uri().path(), "refused a cross-site write");
        return (StatusCode::FORBIDDEN, Json(AppError::Forbidden)).into_response();
    }
    next.run(request).await
}

/// True for a write (not GET/HEAD/OPTIONS) whose `Sec-Fetch-Site` or `Origin` names another site.
/// Requests with neither header (curl, scripts) carry no browser cookies by accident and pass.
pub fn is_cross_site_write(
    method: &Method,
    headers: &HeaderMap,
    trusted_origin: Option<&str>,
) -> bool {
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return false;
    }
    if let Some(site) = headers.get("sec-fetch-site") {
        return !matches!(site.as_bytes(), b"same-origin" | b"none");
    }
    let Some(origin) = headers.get(header::ORIGIN).and_then(|o| o.to_str().ok()) else {
        return false;
    };
    if trusted_origin == Some(origin) {
        return false;
    }
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or_default();
    let same_host = origin.strip_prefix("http://").or_else(|| origin.strip_prefix("https://"));
    host.is_empty() || same_host != Some(host)
}

/// The session key holding the day a signed-in session's expiry was last pushed back.
const REFRESHED_ON: &str = "kindred.refreshed_on";

/// Keeps a signed-in member's session alive while they use Kindred, without a write on
/// every page view: a session's inactivity expiry only moves when the session is saved,
/// so this saves it (and re-sends the cookie) on the first request of each day, and
/// leaves every other read of that day write-free.
pub async fn refresh_session_daily(request: Request, next: Next) -> Response {
    let session = request.extensions().get::<Session>().cloned();
    let response = next.run(request).await;
    if let Some(session) = session
        && !session.is_empty().await
    {
        let today = chrono::Utc::now().date_naive();
        let refreshed = session.get::<chrono::NaiveDate>(REFRESHED_ON).await.ok().flatten();
        if refresh_due(refreshed, today)
            && let Err(error) = session.insert(REFRESHED_ON, today).await
        {
            tracing::warn!(%error, "could not mark the session refreshed");
        }
    }
    response
}

/// True when a session last refreshed on `refreshed` should be refreshed `today`.
pub fn refresh_due(refreshed: Option<chrono::NaiveDate>, today: chrono::NaiveDate) -> bool {
    refreshed != Some(today)
}

/// Around every `/api/` call: gives server-function errors their HTTP status
/// (and `Retry-After`), or sends a plain form post (JavaScript off) back to its
/// page with the error in the query, where the form shows it, and keeps what the
/// post's fields held for that page to show again (`kept_forms`).
pub async fn finish_server_fn_errors(request: Request, next: Next) -> Response {
    if !request.uri().path().starts_with("/api/") {
        return next.run(request).await;
    }
    let accepts_html = request
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"));
    let referer = request.headers().get(header::REFERER).cloned();
    let (request, plain_post) = if accepts_html {
        match crate::kept_forms::PlainPost::read(request).await {
            Ok(read) => read,
            Err(refused) => return refused,
        }
    } else {
        (request, None)
    };
    let response = next.run(request).await;
    if !response.headers().contains_key(SERVER_FN_ERROR_HEADER) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, 256 * 1024).await.unwrap_or_default();
    let error: AppError = serde_json::from_slice(&bytes)
        .unwrap_or_else(|_| AppError::internal("a server function error could not be decoded"));
    if accepts_html {
        let page = form_page(referer.as_ref());
        if let Some(post) = plain_post {
            post.keep_for(page.as_ref().map_or("/", url::Url::path), &error).await;
        }
        return back_to_form(page.as_ref(), &error);
    }
    parts.status =
        StatusCode::from_u16(error.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    parts.headers.remove(header::LOCATION);
    if let AppError::RateLimited { retry_after_secs } = error {
        parts.headers.insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
    }
    parts.headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    Response::from_parts(parts, Body::from(bytes))
}

/// The page a plain form was posted from, as its `Referer` names it.
fn form_page(referer: Option<&HeaderValue>) -> Option<url::Url> {
    referer.and_then(|r| r.to_str().ok()).and_then(|r| url::Url::parse(r).ok())
}

/// A `303 See Other` to the form's page (path and query only; `/` when unknown) with the
/// error in `?error=`.
fn back_to_form(page: Option<&url::Url>, error: &AppError) -> Response {
    let mut target = match page {
        Some(url) => url.path().to_owned(),
        None => "/".to_owned(),
    };
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    if let Some(url) = page {
        for (key, value) in url.query_pairs().filter(|(k, _)| k != "error") {
            query.append_pair(&key, &value);
        }
    }
    query.append_pair("error", &serde_json::to_string(error).unwrap_or_default());
    target.push('?');
    target.push_str(&query.finish());
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(location) = HeaderValue::from_str(&target) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    if let AppError::RateLimited { retry_after_secs } = error {
        response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(*retry_after_secs));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (k, v) in pairs {
            map.insert(*k, HeaderValue::from_static(v));
        }
        map
    }

    #[test]
    fn sessions_refresh_once_a_day() {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
        let yesterday = today.pred_opt().unwrap();
        assert!(refresh_due(None, today), "a new sign-in is marked");
        assert!(refresh_due(Some(yesterday), today), "a new day refreshes");
        assert!(!refresh_due(Some(today), today), "the rest of the day reads without writing");
    }

    #[test]
    fn reads_are_never_refused() {
        let h = headers(&[("sec-fetch-site", "cross-site")]);
        assert!(!is_cross_site_write(&Method::GET, &h, None));
    }

    #[test]
    fn cross_site_writes_are_refused() {
        let post = Method::POST;
        assert!(is_cross_site_write(&post, &headers(&[("sec-fetch-site", "cross-site")]), None));
        assert!(is_cross_site_write(&post, &headers(&[("sec-fetch-site", "same-site")]), None));
        assert!(is_cross_site_write(
            &post,
            &headers(&[("origin", "https://evil.example"), ("host", "kindred.example")]),
            None
        ));
        assert!(is_cross_site_write(
            &post,
            &headers(&[("origin", "null"), ("host", "kindred.example")]),
            None
        ));
    }

    #[test]
    fn same_origin_and_headerless_writes_pass() {
        let post = Method::POST;
        assert!(!is_cross_site_write(&post, &headers(&[("sec-fetch-site", "same-origin")]), None));
        assert!(!is_cross_site_write(
            &post,
            &headers(&[("origin", "http://127.0.0.1:3000"), ("host", "127.0.0.1:3000")]),
            None
        ));
        assert!(!is_cross_site_write(
            &post,
            &headers(&[("origin", "https://kindred.example"), ("host", "internal:3000")]),
            Some("https://kindred.example")
        ));
        assert!(!is_cross_site_write(&post, &HeaderMap::new(), None));
    }

    #[test]
    fn form_errors_return_to_the_page_keeping_its_query() {
        let referer =
            HeaderValue::from_static("http://127.0.0.1:3000/signin?next=%2Fu%2Fada&error=old");
        let response = back_to_form(form_page(Some(&referer)).as_ref(), &AppError::Unauthorized);
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let location = response.headers()[header::LOCATION].to_str().unwrap().to_owned();
        assert!(location.starts_with("/signin?next=%2Fu%2Fada&error="), "{location}");
        assert!(!location.contains("error=old"), "{location}");
    }
}
