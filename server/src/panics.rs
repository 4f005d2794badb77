//! A request whose handler panics still gets an answer, and leaves nothing behind for
//! the next request on the same worker thread.
//!
//! Leptos renders a page inside `Owner::with`, which sets the thread's current reactive
//! owner and puts the previous one back only when the render returns: a panic in the
//! middle leaves the failed page's owner current on that tokio worker. Every page later
//! rendered there that creates an owner without naming its parent then hangs it under the
//! dead page (docs/RELIABILITY.md, "A page render can panic"). So besides answering 500,
//! the panic handler clears the thread's current owner, and the tasks Leptos spawns to load
//! a page's data do the same when one of them panics.

use std::any::Any;
use std::panic::AssertUnwindSafe;

use any_spawner::{CustomExecutor, Executor, PinnedFuture, PinnedLocalFuture};
use app::error::AppError;
use axum::Json;
use axum::extract::Request;
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures::FutureExt;
use leptos::reactive::owner::Owner;

/// Middleware: a request whose handler panics is answered 500 — a plain page for a page
/// load, the usual JSON `Internal` error for a server function — instead of having its
/// connection closed without a word, and the thread it panicked on is left with no current
/// reactive owner.
pub async fn answer_panics(request: Request, next: Next) -> Response {
    let page = matches!(*request.method(), Method::GET | Method::HEAD);
    // A clone shares the URI's bytes: no copy on the path every request takes.
    let uri = request.uri().clone();
    match AssertUnwindSafe(next.run(request)).catch_unwind().await {
        Ok(response) => response,
        Err(panic) => {
            forget_current_owner();
            let cause =
                format!("{}: the handler panicked: {}", uri.path(), panic_message(panic.as_ref()));
            let error = AppError::internal(cause);
            if page {
                panic_page()
            } else {
                (StatusCode::INTERNAL_SERVER_ERROR, Json(error)).into_response()
            }
        }
    }
}

/// Makes Leptos spawn its tasks (a page's data loads) on tokio as usual, but a task that
/// panics is logged and leaves its worker thread with no current reactive owner. Called
/// before the routes are built: Leptos's own `init_tokio` then finds an executor set.
pub fn init_executor() {
    if Executor::init_custom_executor(TokioForgettingPanics).is_err() {
        tracing::debug!("Leptos's executor was already set");
    }
}

/// Tokio, with a panicking task's thread cleaned up after it.
struct TokioForgettingPanics;

impl CustomExecutor for TokioForgettingPanics {
    fn spawn(&self, task: PinnedFuture<()>) {
        tokio::spawn(async move {
            if let Err(panic) = AssertUnwindSafe(task).catch_unwind().await {
                tracing::error!(
                    message = panic_message(panic.as_ref()),
                    "a page's data task panicked"
                );
                forget_current_owner();
            }
        });
    }

    fn spawn_local(&self, task: PinnedLocalFuture<()>) {
        tokio::task::spawn_local(task);
    }

    fn poll_local(&self) {}
}

/// The text a panic was raised with, if it was text.
fn panic_message(panic: &(dyn Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|text| (*text).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_default()
}

/// The 500 page a member sees when a page could not be made.
fn panic_page() -> Response {
    crate::install::plain_page(
        StatusCode::INTERNAL_SERVER_ERROR,
        "no-store",
        "Something went wrong",
        PANIC_MAIN,
    )
}

/// Leaves this thread with no current reactive owner: a fresh owner is made current and
/// then removed, which is the only way reactive_graph offers to clear the slot.
fn forget_current_owner() {
    let placeholder = Owner::new();
    placeholder.set();
    placeholder.unset();
}

/// What a member reads when the server failed on its side: what happened and a way on.
const PANIC_MAIN: &str = r#"<h1>Something went wrong on our side</h1>
<p>The page could not be made this time. Nothing you sent was lost: try again in a moment.</p>
<p><a href="/">Go to your home page</a></p>"#;

#[cfg(test)]
mod tests {
    use super::*;
    use axum::Router;
    use axum::body::Body;
    use axum::routing::get;
    use tower::ServiceExt;

    #[tokio::test]
    async fn a_panicking_render_is_answered_and_its_owner_forgotten() {
        // A page's owner kept alive elsewhere, as a render's spawned data tasks keep theirs.
        let page = Owner::new();
        let render = page.clone();
        let handler = move || {
            let render = render.clone();
            async move { render.with(|| -> &'static str { panic!("a memo's value was gone") }) }
        };
        let router = Router::new()
            .route("/page", get(handler.clone()).post(handler))
            .layer(axum::middleware::from_fn(answer_panics));

        let request = axum::http::Request::get("/page").body(Body::empty()).expect("request");
        let response = router.clone().oneshot(request).await.expect("an answer");
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let body = axum::body::to_bytes(response.into_body(), 64 * 1024).await.expect("body");
        let body = String::from_utf8_lossy(&body);
        assert!(body.contains("Something went wrong on our side"), "{body}");
        // The test runs on one thread: the panic happened on this one.
        assert!(Owner::current().is_none(), "the failed page's owner is still current");

        // A server function call gets the documented JSON error instead.
        let request = axum::http::Request::post("/page").body(Body::empty()).expect("request");
        let response = router.oneshot(request).await.expect("an answer");
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let body = axum::body::to_bytes(response.into_body(), 64 * 1024).await.expect("body");
        let error: serde_json::Value = serde_json::from_slice(&body).expect("a JSON error");
        assert_eq!(error["kind"], "Internal", "{error}");
        assert!(Owner::current().is_none(), "the failed call's owner is still current");
        drop(page);
    }

    #[tokio::test]
    async fn a_panicking_data_task_leaves_its_thread_without_an_owner() {
        init_executor();
        let page = Owner::new();
        let task = page.clone();
        let (done, finished) = tokio::sync::oneshot::channel::<()>();
        Executor::spawn(Box::pin(async move {
            // Dropped as the panic unwinds: tells the test the task is over.
            let _done = done;
            task.with(|| panic!("a memo's value was gone"));
        }));
        assert!(finished.await.is_err(), "the task ended without sending");
        // The test's runtime has one thread, so the task ran on this one.
        tokio::task::yield_now().await;
        assert!(Owner::current().is_none(), "the panicked task's owner is still current");
        drop(page);
    }
}
