//! Two Kindred instances on one PostgreSQL database, as two backends behind a load
//! balancer: sessions are shared, and the rules SQLite's single writer keeps (unique
//! handles, the ledger's one chain per community, the kudos budget) still hold when the
//! writes arrive through both at once, because every write batch holds the fleet's lock;
//! and sign-in and posting limits are counted for the fleet, not per instance.

mod common;

use axum::http::StatusCode;
use common::{PASSWORD, TestApp, create_goal, found, join, log_contribution, scalar, start_thread};

#[tokio::test]
async fn a_member_signed_in_on_one_instance_is_signed_in_on_the_other() {
    let a = TestApp::on_postgres().await;
    let b = a.another_instance().await;
    let cookie = a.sign_up("noor").await;
    assert_eq!(b.me(Some(&cookie)).await["handle"], "noor");
    let out = b.call("/api/auth/sign_out", &[], Some(&cookie)).await;
    assert!(out.status.is_success() || out.status.is_redirection(), "{}", out.body);
    assert!(a.me(Some(&cookie)).await["handle"].is_null(), "signed out on both");
}

#[tokio::test]
async fn one_handle_taken_through_two_instances_at_once_makes_one_account() {
    let a = TestApp::on_postgres().await;
    let b = a.another_instance().await;
    let form = |email: &'static str| {
        [("handle", "sam"), ("display_name", "Sam"), ("email", email), ("password", PASSWORD)]
    };
    let (one, two) = (form("sam1@example.org"), form("sam2@example.org"));
    let (first, second) = tokio::join!(
        a.call("/api/auth/sign_up", &one, None),
        b.call("/api/auth/sign_up", &two, None),
    );
    let statuses = [first.status, second.status];
    assert_eq!(statuses.iter().filter(|s| s.is_success()).count(), 1, "{statuses:?}");
    assert!(statuses.contains(&StatusCode::CONFLICT), "{statuses:?}");
    assert_eq!(scalar(&a, "SELECT COUNT(*) FROM users WHERE handle = 'sam'").await, 1);
}

#[tokio::test]
async fn sign_in_attempts_through_either_instance_share_one_limit() {
    let four_a_minute = |c: &mut server::config::Config| c.auth_per_minute = 4;
    let a = TestApp::on_postgres_with(four_a_minute).await;
    let b = a.another_instance_with(four_a_minute).await;
    async fn attempt(app: &TestApp) -> common::Answer {
        app.call("/api/auth/sign_in", &[("login", "x"), ("password", "whatever pass")], None).await
    }
    // Two attempts on each: within one instance's budget of four, and within the fleet's.
    for app in [&a, &b, &a, &b] {
        attempt(app).await.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    }
    // Each instance has seen only two, but the address has spent its four.
    for app in [&a, &b] {
        let refused = attempt(app).await;
        refused.assert_status(StatusCode::TOO_MANY_REQUESTS);
        let retry: u64 =
            refused.headers[axum::http::header::RETRY_AFTER].to_str().unwrap().parse().unwrap();
        assert!((1..=15).contains(&retry), "one attempt refills every 15 s: {retry}");
    }
}

#[tokio::test]
async fn a_reply_through_the_other_instance_still_waits_its_turn() {
    let limits = |c: &mut server::config::Config| c.post_limits = true;
    let a = TestApp::on_postgres_with(limits).await;
    let b = a.another_instance_with(limits).await;
    let [ada] = a.sign_up_all(["ada"]).await;
    let slug = found(&a, &ada, "River Keepers", "public", "open").await;
    a.post("/api/discussions/start", &ada, &[("slug", &slug), ("title", "Plans"), ("body", "Hi")])
        .await
        .assert_ok();
    let thread = scalar(&a, "SELECT id FROM threads").await.to_string();
    let fast = b
        .post(
            "/api/discussions/reply",
            &ada,
            &[("slug", &slug), ("thread_id", &thread), ("body", "And one more thing")],
        )
        .await;
    fast.assert_status(StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(scalar(&a, "SELECT COUNT(*) FROM posts").await, 1, "the refused reply was not kept");
}

/// How many contributions the chain test logs through the two instances at once.
const WRITES: usize = 40;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn contributions_through_two_instances_make_one_unforked_chain() {
    let a = TestApp::on_postgres().await;
    let b = a.another_instance().await;
    let [ada, bob, cyd] = a.sign_up_all(["ada", "bob", "cyd"]).await;
    let slug = found(&a, &ada, "River Keepers", "public", "open").await;
    join(&b, &slug, &bob).await;
    join(&a, &slug, &cyd).await;
    let created = create_goal(&a, &slug, &ada, "Trees planted", "trees", "100", "", "1").await;
    assert!(created.is_success(), "{created}");
    let goal = scalar(&a, "SELECT id FROM goals").await.to_string();
    let mut writes = Vec::new();
    for round in 0..WRITES {
        let (app, cookie) = match round % 3 {
            0 => (&a, &ada),
            1 => (&b, &bob),
            _ => (&b, &cyd),
        };
        writes.push(log_contribution(app, &slug, cookie, &goal, "", "2", "1"));
    }
    for answer in futures::future::join_all(writes).await {
        answer.assert_ok();
    }
    let checked = app::services::ledger::verify_database(&a.db).await.unwrap();
    let entries: usize = checked.iter().map(|(_, n)| n).sum();
    assert_eq!(entries, WRITES, "one entry per contribution, in one chain: {checked:?}");
    assert_eq!(
        scalar(&a, "SELECT COUNT(DISTINCT prev_hash) FROM ledger_entries").await,
        WRITES as i64,
        "no two entries follow the same one"
    );
}

#[tokio::test]
async fn each_round_of_a_background_job_runs_on_one_instance() {
    use app::db::jobs::{Job, take_turn};
    let a = TestApp::on_postgres().await;
    let b = a.another_instance().await;
    let upkeep = take_turn(&a.state.pool, Job::Upkeep).await.unwrap().expect("a's turn");
    assert!(take_turn(&b.state.pool, Job::Upkeep).await.unwrap().is_none(), "not b's too");
    let mail = take_turn(&b.state.pool, Job::Mail).await.unwrap().expect("another job is free");
    upkeep.end().await;
    let next = take_turn(&b.state.pool, Job::Upkeep).await.unwrap().expect("b's turn after a's");
    // A round cut short (its turn dropped, not ended) gives the job back too.
    // (PostgreSQL ends the closed session a moment later, so this waits up to 5 s.)
    drop(next);
    let mut again = None;
    for _ in 0..50 {
        again = take_turn(&a.state.pool, Job::Upkeep).await.unwrap();
        if again.is_some() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(again.is_some(), "the job came back after its turn was dropped");
    mail.end().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reply_through_one_instance_reaches_a_thread_open_on_the_other() {
    use std::time::Duration;
    let a = TestApp::on_postgres().await;
    let b = a.another_instance().await;
    let [ada, bob] = a.sign_up_all(["ada", "bob"]).await;
    let slug = found(&a, &ada, "River Keepers", "public", "open").await;
    join(&b, &slug, &bob).await;
    a.post("/api/discussions/start", &ada, &[("slug", &slug), ("title", "Plans"), ("body", "Hi")])
        .await
        .assert_ok();
    let thread = scalar(&a, "SELECT id FROM threads").await.to_string();
    let mut on_b =
        b.open_live(&format!("community={slug}&thread={thread}"), Some(&bob)).await.unwrap();
    on_b.expect("ready", Duration::from_secs(5)).await;
    let say = |body: &'static str| {
        let (a, ada, slug, thread) = (&a, &ada, &slug, &thread);
        async move {
            a.post(
                "/api/discussions/reply",
                ada,
                &[("slug", slug), ("thread_id", thread), ("body", body)],
            )
            .await
            .assert_ok();
        }
    };
    say("First reply, through A").await;
    // Well inside the hub's 15 s resynchronisation: this is the doorbell at work.
    on_b.expect("post", Duration::from_secs(5)).await;

    // Cut every instance's listener connection, as a failover or a network blip would.
    let listeners = || async {
        scalar(&a, "SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = 'kindred-live' AND datname = current_database()")
            .await
    };
    assert_eq!(listeners().await, 2, "one listener per instance");
    common::on_db!(a, |db| sqlx::query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'kindred-live' AND datname = current_database()"
    )
    .fetch_all(db)
    .await
    .map(|rows| rows.len()))
    .unwrap();
    // Each hub reconnects (and catches up on whatever was logged meanwhile).
    let reconnected = async {
        while listeners().await < 2 {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    };
    tokio::time::timeout(Duration::from_secs(10), reconnected).await.expect("listeners reconnect");
    say("Second reply, after the cut").await;
    on_b.expect("post", Duration::from_secs(5)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_kudos_budget_holds_when_kudos_arrive_through_both_instances() {
    let a = TestApp::on_postgres().await;
    let b = a.another_instance().await;
    let [ada, bob, cyd] = a.sign_up_all(["ada", "bob", "cyd"]).await;
    let slug = found(&a, &ada, "River Keepers", "public", "open").await;
    join(&a, &slug, &bob).await;
    join(&b, &slug, &cyd).await;
    a.post("/api/recognition/budget", &ada, &[("slug", &slug), ("budget", "3")]).await.assert_ok();
    async fn give(app: &TestApp, slug: &str, giver: &str) -> common::Answer {
        let form = [
            ("slug", slug),
            ("form[to]", "bob"),
            ("form[value]", "Care"),
            ("form[message]", "Thank you for the Saturday clean-up!"),
            ("form[contribution_id]", ""),
        ];
        app.post("/api/recognition/give", giver, &form).await
    }
    let attempts: Vec<_> =
        (0..10).map(|n| give(if n % 2 == 0 { &a } else { &b }, &slug, &cyd)).collect();
    let answers = futures::future::join_all(attempts).await;
    let accepted = answers.iter().filter(|answer| answer.status.is_success()).count();
    assert_eq!(accepted, 3, "exactly the weekly budget, whichever instance took each");
    assert!(
        answers.iter().all(|answer| answer.status.is_success()
            || answer.status == StatusCode::UNPROCESSABLE_ENTITY)
    );
    assert_eq!(scalar(&a, "SELECT COUNT(*) FROM kudos").await, 3);
}

#[tokio::test]
async fn an_anonymous_reader_of_the_other_instance_sees_a_write_once_its_kept_page_expires() {
    let keep_a_second = |config: &mut server::config::Config| config.anonymous_cache_seconds = 1;
    let a = TestApp::on_postgres_with(keep_a_second).await;
    let b = a.another_instance_with(keep_a_second).await;
    let ada = a.sign_up("ada").await;
    let slug = found(&a, &ada, "River Keepers", "public", "open").await;
    let page = format!("/c/{slug}/discussions");
    let before = b.get(&page, None).await;
    before.assert_ok();
    assert!(!before.body.contains("Kingfisher nest"));
    assert_eq!(b.get(&page, None).await.headers["x-kindred-cache"], "hit");

    // Written through A: B's kept page knows nothing of it, but lives one second at most.
    start_thread(&a, &slug, &ada, "Kingfisher nest").await;
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let after = b.get(&page, None).await;
    assert_eq!(after.headers["x-kindred-cache"], "miss");
    assert!(after.body.contains("Kingfisher nest"));
    // A member reading through B sees it at once, whatever B keeps for visitors.
    assert!(b.get(&page, Some(&ada)).await.body.contains("Kingfisher nest"));
}
