//! A member who hangs up must never hurt anyone else. Every kind of write is sent through
//! the real router and abandoned at a random moment (its future dropped, as axum drops a
//! request whose client went away); afterwards the database must be whole, every pooled
//! connection out of any transaction, and fresh writes of every kind must succeed at once.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "common/mod.rs"]
mod common;

use std::time::Duration;

use axum::http::StatusCode;
use common::{PASSWORD, TestApp, create_goal, form_request, found, join, scalar};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sqlx::Connection;

/// A community with an owner (`ada`), members (`bob`, `cyd`), a thread with a post by each
/// of ada and bob, a goal, an approved initiative with an opportunity, and contributions.
struct World {
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
    let answer = app.call(endpoint, form, Some(cookie)).await;
    assert!(
        answer.status.is_success(),
        "{endpoint}: {} {}",
        answer.status,
        answer.body
    );
}

async fn world() -> World {
    let app = TestApp::new().await;
    let ada = app.sign_up("ada").await;
    let bob = app.sign_up("bob").await;
    let cyd = app.sign_up("cyd").await;
    let dan = app.sign_up("dan").await;
    let slug = found(&app, &ada, "River Keepers", "public", "open").await;
    join(&app, &slug, &bob).await;
    join(&app, &slug, &cyd).await;
    join(&app, &slug, &dan).await;
    call_ok(
        &app,
        "/api/discussions/start",
        &[
            ("slug", &slug),
            ("title", "Saturday clean-up"),
            ("body", "Who is in?"),
        ],
        &ada,
    )
    .await;
    let thread = scalar(&app, "SELECT MAX(id) FROM threads").await;
    let thread_text = thread.to_string();
    call_ok(
        &app,
        "/api/discussions/reply",
        &[
            ("slug", &slug),
            ("thread_id", &thread_text),
            ("body", "Me!"),
        ],
        &bob,
    )
    .await;
    let ada_post = scalar(&app, "SELECT MIN(id) FROM posts").await;
    let created = create_goal(
        &app,
        &slug,
        &ada,
        "Volunteer hours",
        "hours",
        "500",
        "",
        "1",
    )
    .await;
    assert!(created.is_success(), "create goal: {created}");
    let goal = scalar(&app, "SELECT MAX(id) FROM goals").await;
    call_ok(
        &app,
        "/api/impact/propose_initiative",
        &[
            ("slug", &slug),
            ("title", "Planting days"),
            ("description", ""),
        ],
        &bob,
    )
    .await;
    let initiative = scalar(&app, "SELECT MAX(id) FROM initiatives").await;
    let initiative_text = initiative.to_string();
    call_ok(
        &app,
        "/api/impact/decide_initiative",
        &[
            ("slug", &slug),
            ("initiative_id", &initiative_text),
            ("decision", "approve"),
        ],
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
    World {
        app,
        slug,
        ada,
        bob,
        cyd,
        thread,
        ada_post,
        goal,
        initiative,
        opportunity,
    }
}

/// One write: endpoint, form and the session it is sent with.
type Write = (&'static str, Vec<(String, String)>, Option<String>);

fn form(pairs: &[(&str, String)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), v.clone()))
        .collect()
}

/// Every kind of write a member or a leader makes, made unique by `n` where it matters.
/// Password checks (sign-up, sign-in) are slow on purpose, so `with_passwords` says
/// whether to include them.
async fn writes(world: &World, n: usize, with_passwords: bool) -> Vec<Write> {
    let app = &world.app;
    let slug = world.slug.clone();
    let ada = Some(world.ada.clone());
    let bob = Some(world.bob.clone());
    let cyd = Some(world.cyd.clone());
    let thread = world.thread.to_string();
    let goal = world.goal.to_string();
    let initiative = world.initiative.to_string();
    let opportunity = world.opportunity.to_string();
    let reported: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM contributions WHERE status = 'reported' ORDER BY id DESC LIMIT 1",
    )
    .fetch_optional(&app.pool)
    .await
    .unwrap();
    let reported = reported.unwrap_or(0).to_string();
    let bob_post: i64 = sqlx::query_scalar(
        "SELECT MAX(p.id) FROM posts p JOIN users u ON u.id = p.author_id WHERE u.handle = 'bob'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let newest = |sql: &'static str| async move {
        sqlx::query_scalar::<_, Option<i64>>(sql)
            .fetch_one(&app.pool)
            .await
            .unwrap()
            .unwrap_or(0)
            .to_string()
    };
    let category = newest("SELECT MAX(id) FROM categories").await;
    let proposed = newest("SELECT MAX(id) FROM initiatives WHERE status = 'proposed'").await;
    let cyd_in: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.handle = 'cyd'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let mut kinds: Vec<Write> = vec![
        (
            "/api/communities/create",
            form(&[
                ("form[name]", format!("Hang-up Circle {n}")),
                ("form[slug]", String::new()),
                (
                    "form[mission]",
                    "We test what happens when people hang up.".into(),
                ),
                ("form[vision]", "Nothing half-written, ever.".into()),
                ("form[values]", "Care\nCourage".into()),
                ("form[visibility]", "public".into()),
                ("form[join_policy]", "open".into()),
                ("form[join_questions]", String::new()),
            ]),
            ada.clone(),
        ),
        (
            "/api/discussions/start",
            form(&[
                ("slug", slug.clone()),
                ("title", format!("Thread number {n}")),
                ("body", format!("Opening post {n}")),
            ]),
            ada.clone(),
        ),
        (
            "/api/discussions/reply",
            form(&[
                ("slug", slug.clone()),
                ("thread_id", thread.clone()),
                ("body", format!("A reply, number {n}")),
            ]),
            bob.clone(),
        ),
        (
            "/api/discussions/react",
            form(&[
                ("slug", slug.clone()),
                ("post_id", world.ada_post.to_string()),
                ("kind", "heart".into()),
            ]),
            bob.clone(),
        ),
        (
            "/api/discussions/edit",
            form(&[
                ("slug", slug.clone()),
                ("post_id", world.ada_post.to_string()),
                ("body", format!("Who is in? (edit {n})")),
            ]),
            ada.clone(),
        ),
        (
            "/api/discussions/flag",
            form(&[
                ("slug", slug.clone()),
                ("post_id", bob_post.to_string()),
                ("value", "0".into()),
                ("note", String::new()),
            ]),
            cyd.clone(),
        ),
        (
            "/api/discussions/moderate_thread",
            form(&[
                ("slug", slug.clone()),
                ("thread_id", thread.clone()),
                (
                    "action",
                    if n.is_multiple_of(2) { "pin" } else { "unpin" }.into(),
                ),
            ]),
            ada.clone(),
        ),
        (
            "/api/impact/log_contribution",
            form(&[
                ("slug", slug.clone()),
                ("form[description]", format!("Planted saplings, round {n}")),
                ("form[done_on]", "2026-11-20".into()),
                ("form[quantity]", "2".into()),
                ("form[hours]", "2".into()),
                ("form[goal_id]", goal.clone()),
                ("form[initiative_id]", initiative.clone()),
                ("form[evidence_url]", String::new()),
                ("form[note]", String::new()),
            ]),
            bob.clone(),
        ),
        (
            "/api/impact/decide_contribution",
            form(&[
                ("slug", slug.clone()),
                ("contribution_id", reported.clone()),
                ("decision", "verify".into()),
                ("reason", String::new()),
            ]),
            ada.clone(),
        ),
        (
            "/api/impact/create_goal",
            form(&[
                ("slug", slug.clone()),
                ("form[title]", format!("Goal number {n}")),
                ("form[metric]", "bags".into()),
                ("form[unit]", "bags".into()),
                ("form[target]", "10".into()),
                ("form[deadline]", String::new()),
                ("form[parent_id]", goal.clone()),
                ("form[weight]", "1".into()),
            ]),
            ada.clone(),
        ),
        (
            "/api/impact/propose_initiative",
            form(&[
                ("slug", slug.clone()),
                ("title", format!("Initiative number {n}")),
                ("description", String::new()),
            ]),
            bob.clone(),
        ),
        (
            if n.is_multiple_of(2) {
                "/api/impact/join_opportunity"
            } else {
                "/api/impact/leave_opportunity"
            },
            form(&[
                ("slug", slug.clone()),
                ("opportunity_id", opportunity.clone()),
            ]),
            cyd.clone(),
        ),
        (
            "/api/users/update_profile",
            form(&[
                ("display_name", format!("Bob the {n}th")),
                ("bio", "Still here.".into()),
                ("skills", "rowing, first aid".into()),
                ("interests", "birds".into()),
            ]),
            bob.clone(),
        ),
        (
            "/api/communities/set_role",
            form(&[
                ("slug", slug.clone()),
                ("handle", "cyd".into()),
                (
                    "role",
                    if n.is_multiple_of(2) {
                        "moderator"
                    } else {
                        "member"
                    }
                    .into(),
                ),
                ("term_ends", String::new()),
            ]),
            ada.clone(),
        ),
        ("/api/notifications/mark_read", Vec::new(), ada.clone()),
        if cyd_in > 0 && n.is_multiple_of(3) {
            (
                "/api/communities/leave",
                form(&[("slug", slug.clone())]),
                cyd.clone(),
            )
        } else {
            (
                "/api/communities/join",
                form(&[("slug", slug.clone()), ("affirm", "yes".into())]),
                cyd.clone(),
            )
        },
        (
            "/api/communities/update",
            form(&[
                ("slug", slug.clone()),
                ("form[name]", "River Keepers".into()),
                ("form[slug]", slug.clone()),
                (
                    "form[mission]",
                    format!("We look after the river (revision {n})."),
                ),
                ("form[vision]", "Swimmable water.".into()),
                (
                    "form[values]",
                    "Care: we look after each other\nCourage".into(),
                ),
                ("form[visibility]", "public".into()),
                ("form[join_policy]", "open".into()),
                ("form[join_questions]", String::new()),
            ]),
            ada.clone(),
        ),
        (
            "/api/communities/ban",
            form(&[
                ("slug", slug.clone()),
                ("handle", "dan".into()),
                ("reason", "Testing bans under hang-ups".into()),
            ]),
            ada.clone(),
        ),
        (
            "/api/communities/create_invite",
            form(&[
                ("slug", slug.clone()),
                ("max_uses", "5".into()),
                ("days", "7".into()),
            ]),
            ada.clone(),
        ),
        (
            "/api/discussions/add_category",
            form(&[("slug", slug.clone()), ("name", format!("Topic {n}"))]),
            ada.clone(),
        ),
        (
            "/api/discussions/remove_category",
            form(&[("slug", slug.clone()), ("category_id", category.clone())]),
            ada.clone(),
        ),
        (
            if n.is_multiple_of(2) {
                "/api/discussions/hide"
            } else {
                "/api/discussions/unhide"
            },
            form(&[
                ("slug", slug.clone()),
                ("post_id", bob_post.to_string()),
                ("value", "0".into()),
                ("note", String::new()),
            ]),
            ada.clone(),
        ),
        (
            "/api/discussions/dismiss",
            form(&[("slug", slug.clone()), ("post_id", bob_post.to_string())]),
            ada.clone(),
        ),
        (
            "/api/discussions/delete",
            form(&[("slug", slug.clone()), ("post_id", bob_post.to_string())]),
            bob.clone(),
        ),
        (
            "/api/impact/withdraw_contribution",
            form(&[
                ("slug", slug.clone()),
                ("contribution_id", reported.clone()),
            ]),
            bob.clone(),
        ),
        (
            "/api/impact/decide_initiative",
            form(&[
                ("slug", slug.clone()),
                ("initiative_id", proposed.clone()),
                ("decision", "approve".into()),
            ]),
            ada.clone(),
        ),
        (
            "/api/impact/add_opportunity",
            form(&[
                ("slug", slug.clone()),
                ("initiative_id", initiative.clone()),
                ("title", format!("Crew number {n}")),
                ("capacity", "3".into()),
            ]),
            bob.clone(),
        ),
    ];
    if with_passwords {
        kinds.push((
            "/api/auth/sign_up",
            form(&[
                ("handle", format!("late{n}")),
                ("display_name", "Late Comer".into()),
                ("email", format!("late{n}@example.org")),
                ("password", PASSWORD.into()),
            ]),
            None,
        ));
        kinds.push((
            "/api/auth/sign_in",
            form(&[("login", "ada".into()), ("password", PASSWORD.into())]),
            None,
        ));
    }
    kinds
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
            async move {
                tokio::time::timeout(deadline, app.send(request))
                    .await
                    .is_err()
            }
        });
        abandoned += futures::future::join_all(sends)
            .await
            .into_iter()
            .filter(|&gave_up| gave_up)
            .count();
    }
    assert!(abandoned > 100, "only {abandoned} requests were abandoned");

    // Fresh writes of every kind succeed at once (queued behind whatever the abandoned
    // requests still finish, never behind a lock nobody will release).
    for write in writes(&world, 1_000, true).await {
        let answer = tokio::time::timeout(Duration::from_secs(20), app.send(request(&write)))
            .await
            .unwrap_or_else(|_| panic!("{} did not answer in time", write.0));
        assert!(
            !answer.status.is_server_error(),
            "{}: {} {}",
            write.0,
            answer.status,
            answer.body
        );
    }
    let reply = app
        .call(
            "/api/discussions/reply",
            &[
                ("slug", &world.slug),
                ("thread_id", &world.thread.to_string()),
                ("body", "The last word"),
            ],
            Some(&world.bob),
        )
        .await;
    assert!(reply.status.is_success(), "{}", reply.body);

    // No pooled connection is inside a transaction, and none ever had to be closed for
    // being in one: the writes were safe by construction, not rescued by the pool hooks.
    let mut held = Vec::new();
    for _ in 0..8 {
        let connection = app.state.pool.acquire().await.unwrap();
        assert!(!connection.is_in_transaction());
        held.push(connection);
    }
    drop(held);
    assert_eq!(app::db::health::connections_closed_in_transaction(), 0);

    // Anyone else can take the write lock at once.
    let mut outsider = sqlx::SqliteConnection::connect(&world.app.url)
        .await
        .unwrap();
    sqlx::raw_sql("PRAGMA busy_timeout = 2000; BEGIN IMMEDIATE; ROLLBACK")
        .execute(&mut outsider)
        .await
        .unwrap();

    // The file is whole, its references hold, and every ledger chain verifies.
    let integrity: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(integrity, "ok");
    let broken_references = sqlx::query("PRAGMA foreign_key_check")
        .fetch_all(&app.pool)
        .await
        .unwrap();
    assert!(broken_references.is_empty());
    app::services::ledger::verify_database(&app.pool)
        .await
        .unwrap_or_else(|(community, tamper)| {
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
    assert_eq!(
        miscounted, 0,
        "threads whose post count disagrees with their posts"
    );

    let health = app.get("/healthz", None).await;
    assert_eq!(health.status, StatusCode::OK, "{}", health.body);
    assert_eq!(health.json()["writes"], "ok");
}
