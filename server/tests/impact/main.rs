//! Goals, initiatives, the contribution ledger and impact figures through the HTTP API.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::too_many_arguments)]

#[path = "../common/mod.rs"]
mod common;

use axum::http::StatusCode;
use common::{TestApp, found, join};
use common::{create_goal as goal, log_contribution as log};

mod home;
mod initiatives;
mod progress;
mod reporting;

async fn goals(app: &TestApp, slug: &str) -> serde_json::Value {
    app.call("/api/impact/goals", &[("slug", slug)], None).await.json()
}

fn goal_id(goals: &serde_json::Value, title: &str) -> i64 {
    goals.as_array().unwrap().iter().find(|g| g["title"] == title).unwrap()["id"].as_i64().unwrap()
}

async fn last_contribution(app: &TestApp) -> String {
    let id: i64 = crate::common::scalar(app, "SELECT MAX(id) FROM contributions").await;
    id.to_string()
}

async fn decide(app: &TestApp, slug: &str, cookie: &str, id: &str, decision: &str) -> StatusCode {
    app.post(
        "/api/impact/decide_contribution",
        cookie,
        &[("slug", slug), ("contribution_id", id), ("decision", decision), ("reason", "Not ours")],
    )
    .await
    .status
}

/// A community "Restore the river" <- trees (60) + hours (40), with a steward (ada) and two members.
async fn river(app: &TestApp) -> (String, String, String, String, i64, i64, i64) {
    let [ada, bob, cyd] = app.sign_up_all(["ada", "bob", "cyd"]).await;
    let slug = found(app, &ada, "River Restorers", "public", "open").await;
    join(app, &slug, &bob).await;
    join(app, &slug, &cyd).await;
    assert!(goal(app, &slug, &ada, "Restore the river", "points", "1", "", "1").await.is_success());
    let root = goal_id(&goals(app, &slug).await, "Restore the river");
    assert!(
        goal(app, &slug, &ada, "10,000 trees planted", "trees", "10000", &root.to_string(), "60")
            .await
            .is_success()
    );
    assert!(
        goal(app, &slug, &ada, "500 volunteer hours", "hours", "500", &root.to_string(), "40")
            .await
            .is_success()
    );
    let all = goals(app, &slug).await;
    (
        slug,
        ada,
        bob,
        cyd,
        root,
        goal_id(&all, "10,000 trees planted"),
        goal_id(&all, "500 volunteer hours"),
    )
}
