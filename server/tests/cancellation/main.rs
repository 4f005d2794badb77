//! A member who hangs up must never hurt anyone else. Every kind of write is sent through
//! the real router and abandoned at a random moment (its future dropped, as axum drops a
//! request whose client went away); afterwards the database must be whole, every pooled
//! connection out of any transaction, and fresh writes of every kind must succeed at once.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../common/mod.rs"]
mod common;
mod kinds;

use std::time::Duration;

use axum::http::StatusCode;
use common::{TestApp, create_goal, form_request, found, join, scalar};
use kinds::{Write, writes};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sqlx::Connection;

/// A community with an owner (`ada`), members (`bob`, `cyd`), a thread with a post by each
/// of ada and bob, a goal, an approved initiative with an opportunity, and contributions.
pub struct World {
    app: TestApp,
    slug: String,
    ada: String,
    bob: String,
    cyd: String,
    thread: i64,
    ada_post: i64,
    goal: i64,
    initiative: i64,
    opportunity: i64,
}

async fn call_ok(app: &TestApp, endpoint: &str, form: &[(&str, &str)], cookie: &str) {
    let answer = app.post(endpoint, cookie, form).await;
    assert!(answer.status.is_success(), "{endpoint}: {} {}", answer.status, answer.body);
}

async fn world() -> World {
    let app = TestApp::new().await;
    let [ada, bob, cyd, dan] = app.sign_up_all(["ada", "bob", "cyd", "dan"]).await;
    let slug = found(&app, &ada, "River Keepers", "public", "open").await;
    join(&app, &slug, &bob).await;
    join(&app, &slug, &cyd).await;
    join(&app, &slug, &dan).await;
    call_ok(
        &app,
        "/api/discussions/start",
        &[("slug", &slug), ("title", "Saturday clean-up"), ("body", "Who is in?")],
        &ada,
    )
    .await;
    let thread = scalar(&app, "SELECT MAX(id) FROM threads").await;
    let thread_text = thread.to_string();
    call_ok(
        &app,
        "/api/discussions/reply",
        &[("slug", &slug), ("thread_id", &thread_text), ("body", "Me!")],
        &bob,
    )
    .await;
    let ada_post = scalar(&app, "SELECT MIN(id) FROM posts").await;
    let created = create_goal(&app, &slug, &ada, "Volunteer hours", "hours", "500", "", "1").await;
    assert!(created.is_success(), "create goal: {created}");
    let goal = scalar(&app, "SELECT MAX(id) FROM goals").await;
    call_ok(
        &app,
        "/api/impact/propose_initiative",
        &[("slug", &slug), ("title", "Planting days"), ("description", "")],
        &bob,
    )
    .await;
    let initiative = scalar(&app, "SELECT MAX(id) FROM initiatives").await;
    let initiative_text = initiative.to_string();
    call_ok(
        &app,
        "/api/impact/decide_initiative",
        &[("slug", &slug), ("initiative_id", &initiative_text), ("decision", "approve")],
        &ada,
    )
    .await;
    call_ok(
        &app,
        "/api/impact/add_opportunity",
        &[
            ("slug", &slug),
            ("initiative_id", &initiative_text),
            ("title", "Planting crew"),
            ("capacity", "5"),
        ],
        &bob,
    )
    .await;
    let opportunity = scalar(&app, "SELECT MAX(id) FROM opportunities").await;
    World { app, slug, ada, bob, cyd, thread, ada_post, goal, initiative, opportunity }
}

fn request(write: &Write) -> axum::http::Request<axum::body::Body> {
    let (endpoint, form, cookie) = write;
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    form_request(endpoint, &pairs, cookie.as_deref(), &[])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn abandoned_writes_of_every_kind_leave_the_database_whole_and_writable() {
    let world = world().await;
    let app = &world.app;
    let mut rng = ChaCha8Rng::seed_from_u64(13);
    let mut abandoned = 0;
    for round in 0..24 {
        let kinds = writes(&world, round, round.is_multiple_of(6)).await;
        // All kinds at once, each abandoned after its own random deadline (0–6 ms): some
        // before they reach the database, some while their write is queued or running,
        // some after it committed.
        let sends = kinds.iter().map(|write| {
            let deadline = Duration::from_micros(rng.random_range(0..6_000));
            let request = request(write);
            async move { tokio::time::timeout(deadline, app.send(request)).await.is_err() }
        });
        abandoned +=
            futures::future::join_all(sends).await.into_iter().filter(|&gave_up| gave_up).count();
    }
    assert!(abandoned > 100, "only {abandoned} requests were abandoned");

    // Fresh writes of every kind succeed at once (queued behind whatever the abandoned
    // requests still finish, never behind a lock nobody will release).
    for write in writes(&world, 1_000, true).await {
        let answer = tokio::time::timeout(Duration::from_secs(20), app.send(request(&write)))
            .await
            .unwrap_or_else(|_| panic!("{} did not answer in time", write.0));
        assert!(!answer.status.is_server_error(), "{}: {} {}", write.0, answer.status, answer.body);
    }
    let reply = app
        .post(
            "/api/discussions/reply",
            &world.bob,
            &[
                ("slug", &world.slug),
                ("thread_id", &world.thread.to_string()),
                ("body", "The last word"),
            ],
        )
        .await;
    reply.assert_ok();

    // No pooled connection is inside a transaction, and none ever had to be closed for
    // being in one: the writes were safe by construction, not rescued by the pool hooks.
    let mut held = Vec::new();
    for _ in 0..8 {
        let connection = app.state.pool.as_sqlite().unwrap().acquire().await.unwrap();
        assert!(!connection.is_in_transaction());
        held.push(connection);
    }
    drop(held);
    assert_eq!(app::db::health::connections_closed_in_transaction(), 0);

    // Anyone else can take the write lock at once.
    let mut outsider = sqlx::SqliteConnection::connect(&world.app.url).await.unwrap();
    sqlx::raw_sql("PRAGMA busy_timeout = 2000; BEGIN IMMEDIATE; ROLLBACK")
        .execute(&mut outsider)
        .await
        .unwrap();

    // The file is whole, its references hold, and every ledger chain verifies.
    let integrity: String =
        sqlx::query_scalar("PRAGMA integrity_check").fetch_one(app.sqlite()).await.unwrap();
    assert_eq!(integrity, "ok");
    let broken_references =
        sqlx::query("PRAGMA foreign_key_check").fetch_all(app.sqlite()).await.unwrap();
    assert!(broken_references.is_empty());
    app::services::ledger::verify_database(&app.db).await.unwrap_or_else(|(community, tamper)| {
        panic!("ledger of community {community} broken: {tamper:?}")
    });
    // Nothing half-written: every contribution has its `reported` ledger entry, and every
    // thread's post count matches its posts.
    let orphans = scalar(
        app,
        "SELECT COUNT(*) FROM contributions c WHERE NOT EXISTS
           (SELECT 1 FROM ledger_entries e WHERE e.id = c.id AND e.kind = 'reported')",
    )
    .await;
    assert_eq!(orphans, 0, "contributions without their ledger entry");
    let miscounted = scalar(
        app,
        "SELECT COUNT(*) FROM threads t WHERE t.post_count <> (SELECT COUNT(*) FROM posts p WHERE p.thread_id = t.id)",
    )
    .await;
    assert_eq!(miscounted, 0, "threads whose post count disagrees with their posts");

    let health = app.get("/healthz", None).await;
    health.assert_status(StatusCode::OK);
    assert_eq!(health.json()["writes"], "ok");
}
