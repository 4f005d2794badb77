//! Threads, replies, reactions, mentions, moderation and search through the HTTP API.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../common/mod.rs"]
mod common;

use axum::http::header;
use common::{Answer, TestApp, audit_actions, found, join};
use serde_json::Value;

mod access;
mod live;
mod moderation;
mod posts;
mod search;

/// A community (`ada` owns it; values "Care" and "Courage") with member `bob`.
struct Setup {
    app: TestApp,
    slug: String,
    ada: String,
    bob: String,
}

async fn setup(visibility: &str) -> Setup {
    setup_with(visibility, |_| {}).await
}

async fn setup_with(visibility: &str, adjust: impl FnOnce(&mut server::config::Config)) -> Setup {
    let app = TestApp::with(adjust).await;
    let [ada, bob] = app.sign_up_all(["ada", "bob"]).await;
    let slug = found(&app, &ada, "River Keepers", visibility, "open").await;
    if visibility == "public" {
        join(&app, &slug, &bob).await;
    } else {
        add_member(&app, &slug, "bob").await;
    }
    Setup { app, slug, ada, bob }
}

/// Adds `handle` as a member directly (private communities join by invite).
async fn add_member(app: &TestApp, slug: &str, handle: &str) {
    common::put_membership(app, slug, handle, "member", "active").await;
}

/// Gives the active member `handle` another role.
async fn set_role(app: &TestApp, slug: &str, handle: &str, role: &str) {
    common::put_membership(app, slug, handle, role, "active").await;
}

/// Starts a thread; returns the answer and the new thread's id (0 when refused).
async fn start(app: &TestApp, slug: &str, cookie: &str, title: &str, body: &str) -> (Answer, i64) {
    let answer = app
        .post("/api/discussions/start", cookie, &[("slug", slug), ("title", title), ("body", body)])
        .await;
    let id = answer
        .headers
        .get(header::LOCATION)
        .and_then(|l| l.to_str().ok())
        .and_then(|l| l.rsplit('/').next())
        .and_then(|id| id.parse().ok())
        .unwrap_or(0);
    (answer, id)
}

/// Starts a thread that must succeed.
async fn thread(app: &TestApp, slug: &str, cookie: &str, title: &str, body: &str) -> i64 {
    let (answer, id) = start(app, slug, cookie, title, body).await;
    assert!(answer.status.is_success(), "start: {} {}", answer.status, answer.body);
    assert!(id > 0);
    id
}

async fn reply(app: &TestApp, slug: &str, cookie: &str, thread: i64, body: &str) -> Answer {
    app.post(
        "/api/discussions/reply",
        cookie,
        &[("slug", slug), ("thread_id", &thread.to_string()), ("body", body)],
    )
    .await
}

async fn page(app: &TestApp, slug: &str, cookie: Option<&str>, thread: i64, after: i64) -> Answer {
    app.call(
        "/api/discussions/thread",
        &[("slug", slug), ("thread_id", &thread.to_string()), ("after", &after.to_string())],
        cookie,
    )
    .await
}

/// The posts of a thread's first page as JSON.
async fn posts(app: &TestApp, slug: &str, cookie: Option<&str>, thread: i64) -> Vec<Value> {
    let answer = page(app, slug, cookie, thread, 0).await;
    answer.assert_ok();
    answer.json()["posts"].as_array().unwrap().clone()
}

async fn notifications(app: &TestApp, cookie: &str) -> Vec<String> {
    common::notices(app, cookie).await
}
