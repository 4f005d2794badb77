//! What a member typed into a form survives the server refusing it with JavaScript off.
//!
//! A hydrated form keeps its fields when its action answers with an error. A plain form
//! post is sent back to its page with a redirect instead (`http::finish_server_fn_errors`),
//! and without this the page would come back with the error and empty boxes: a long post
//! gone because its title was one character short. So the fields of a refused plain post
//! (never a password, a token or the form key: see [`KeptForm`]) are kept in the poster's
//! session, and the page they return to — and only that page, and only while its address
//! carries the error — is drawn with them ([`restore`]). Pages drawn for a session are
//! never kept for others (`anonymous_pages`), so a kept form is only ever shown to the
//! person who typed it; a later refusal replaces it, and signing out drops it.

use app::context::KeptForm;
use app::error::AppError;
use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tower_sessions::Session;

/// The session key holding the last refused plain post's fields.
const KEPT_FORM: &str = "kindred.kept_form";

/// A plain form post's body, read ahead so its fields can be kept if the server refuses it.
pub struct PlainPost {
    body: Bytes,
    session: Option<Session>,
}

impl PlainPost {
    /// Reads the body of a URL-encoded form post (other requests pass untouched, with
    /// `None`), handing on a request that carries the same bytes. A body over
    /// [`crate::MAX_BODY_BYTES`] is refused here, as the inner limit would.
    pub async fn read(request: Request) -> Result<(Request, Option<Self>), Response> {
        let form = request.method() == Method::POST
            && request
                .headers()
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
        if !form {
            return Ok((request, None));
        }
        let session = request.extensions().get::<Session>().cloned();
        let (parts, body) = request.into_parts();
        let Ok(body) = axum::body::to_bytes(body, crate::MAX_BODY_BYTES).await else {
            return Err(StatusCode::PAYLOAD_TOO_LARGE.into_response());
        };
        let request = Request::from_parts(parts, Body::from(body.clone()));
        Ok((request, Some(Self { body, session })))
    }

    /// Keeps the post's fields for `page` (a path), after the server refused it with
    /// `error`. A visitor without a session gets one only for a refusal of what they typed
    /// (a validation error, such as a mistyped sign-up), never for a signed-out post to a
    /// members' form, so anonymous refusals cannot fill the session table. A session that
    /// cannot be written only costs the fields; the error still reaches the page.
    pub async fn keep_for(self, page: &str, error: &AppError) {
        let Some(session) = self.session else { return };
        if session.id().is_none() && !matches!(error, AppError::Validation(_)) {
            return;
        }
        let fields = url::form_urlencoded::parse(&self.body).into_owned();
        let Some(kept) = KeptForm::keeping(page, fields) else { return };
        if let Err(error) = session.insert(KEPT_FORM, kept).await {
            tracing::warn!(%error, "could not keep a refused form's fields");
        }
    }
}

/// Gives a page drawn after a refused plain post (a `GET` of the form's page with
/// `error` in its address) the fields that post carried, for the form components to
/// start from. Every other request passes without reading the session.
pub async fn restore(mut request: Request, next: Next) -> Response {
    let after_refusal = request.method() == Method::GET
        && request.uri().query().is_some_and(|query| {
            url::form_urlencoded::parse(query.as_bytes()).any(|(key, _)| key == "error")
        });
    if after_refusal
        && let Some(session) = request.extensions().get::<Session>().cloned()
        && let Ok(Some(kept)) = session.get::<KeptForm>(KEPT_FORM).await
        && kept.page == request.uri().path()
    {
        request.extensions_mut().insert(kept);
    }
    next.run(request).await
}
