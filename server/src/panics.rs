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
//!
//! A data task that panics would otherwise leave its page waiting for data that never
//! comes: the request's `Suspend` awaits a value nobody will set. Each request therefore
//! carries a [`Notify`] in a task-local; the executor hands it on to every task spawned
//! while the request is rendered, and a panicking task rings it, so the request is
//! answered 500 at once instead of hanging until the member gives up.

use std::any::Any;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;

use any_spawner::{CustomExecutor, Executor, PinnedFuture, PinnedLocalFuture};
use app::error::AppError;
use axum::Json;
use axum::extract::Request;
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures::FutureExt;
use tokio::sync::Notify;

use crate::task_owner::{OwnedByTask, forget_current_owner};

tokio::task_local! {
    /// Rung when a task spawned for the current request panics.
    static REQUEST_FAILED: Arc<Notify>;
}

/// Middleware: a request whose handler panics is answered 500 — a plain page for a page
/// load, the usual JSON `Internal` error for a server function — instead of having its
/// connection closed without a word, and the thread it panicked on is left with no current
/// reactive owner.
pub async fn answer_panics(request: Request, next: Next) -> Response {
    let page = matches!(*request.method(), Method::GET | Method::HEAD);
    // A clone shares the URI's bytes: no copy on the path every request takes.
    let uri = request.uri().clone();
    let failed = Arc::new(Notify::new());
    let handler = REQUEST_FAILED.scope(failed.clone(), OwnedByTask::new(next.run(request)));
    let handler = AssertUnwindSafe(handler);
    let cause = tokio::select! {
        answer = handler.catch_unwind() => match answer {
            Ok(response) => return response,
            Err(panic) => {
                forget_current_owner();
                format!("{}: the handler panicked: {}", uri.path(), panic_message(panic.as_ref()))
            }
        },
        // Dropping the handler's future here ends the render that waited for the task.
        () = failed.notified() => format!("{}: a task loading its data panicked", uri.path()),
    };
    let error = AppError::internal(cause);
    if page {
        panic_page()
    } else {
        (StatusCode::INTERNAL_SERVER_ERROR, Json(error)).into_response()
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

/// Tokio, with a panicking task's thread cleaned up after it and its request told.
struct TokioForgettingPanics;

impl CustomExecutor for TokioForgettingPanics {
    fn spawn(&self, task: PinnedFuture<()>) {
        // Spawned while a request is handled: the task (and any task it spawns) belongs to it.
        let request = REQUEST_FAILED.try_with(Arc::clone).ok();
        tokio::spawn(async move {
            let task = AssertUnwindSafe(OwnedByTask::new(task)).catch_unwind();
            let outcome = match &request {
                Some(failed) => REQUEST_FAILED.scope(failed.clone(), task).await,
                None => task.await,
            };
            if let Err(panic) = outcome {
                tracing::error!(
                    message = panic_message(panic.as_ref()),
                    "a page's data task panicked"
                );
                forget_current_owner();
                if let Some(failed) = request {
                    // `notify_one` keeps the signal even if the request is not waiting yet.
                    failed.notify_one();
                }
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
    use leptos::reactive::computed::ArcAsyncDerived;
    use leptos::reactive::owner::Owner;
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
    async fn a_page_whose_data_task_panics_is_answered_not_left_waiting() {
        init_executor();
        // A page that loads its data as a Leptos resource does, then waits for it.
        let handler = || async {
            let page = Owner::new();
            let data = page.with(|| {
                ArcAsyncDerived::new(|| async {
                    tokio::task::yield_now().await;
                    panic!("the data could not be read");
                    #[allow(unreachable_code)]
                    "never"
                })
            });
            let text: &'static str = data.await;
            text
        };
        let router = Router::new()
            .route("/page", get(handler))
            .layer(axum::middleware::from_fn(answer_panics));

        let request = axum::http::Request::get("/page").body(Body::empty()).expect("request");
        let answer =
            tokio::time::timeout(std::time::Duration::from_secs(10), router.oneshot(request));
        let response = answer.await.expect("the page waited for data that never came");
        let response = response.expect("an answer");
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let body = axum::body::to_bytes(response.into_body(), 64 * 1024).await.expect("body");
        assert!(String::from_utf8_lossy(&body).contains("Something went wrong on our side"));
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
