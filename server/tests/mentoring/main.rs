//! Mentoring through HTTP on a real SQLite file: explainable matching from skills proven
//! by verified work, the request → ask → accept → sessions → complete flow, capacity and
//! "one active mentorship per pair" held under concurrent accepts, field errors that
//! store nothing, leaders' health figures, and 404s for outsiders of private communities.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../common/mod.rs"]
mod common;

use crate::common::texts;
use axum::http::StatusCode;
use common::{Answer, TestApp, found, four_members, log_contribution, scalar};
use serde_json::Value;

/// A public, open "Tree Keepers" founded by ada (a steward) with bob, cyd and dan.
async fn keepers(app: &TestApp) -> ([String; 4], String) {
    let (cookies, slug) = four_members(app, "Tree Keepers").await;
    (cookies, slug)
}

async fn offer(app: &TestApp, slug: &str, cookie: &str, skills: &str, capacity: &str) -> Answer {
    app.post(
        "/api/mentoring/offer",
        cookie,
        &[
            ("slug", slug),
            ("form[skills]", skills),
            ("form[languages]", "English"),
            ("form[capacity]", capacity),
            ("form[availability]", "Tuesday evenings"),
        ],
    )
    .await
}

async fn ask(app: &TestApp, slug: &str, cookie: &str, skills: &str) -> Answer {
    app.post(
        "/api/mentoring/ask",
        cookie,
        &[
            ("slug", slug),
            ("form[topic]", "Looking after young trees"),
            ("form[skills]", skills),
            ("form[languages]", "english"),
            ("form[goal]", "Run a planting day on my own"),
            ("form[cadence]", "fortnightly"),
        ],
    )
    .await
}

async fn page(app: &TestApp, slug: &str, cookie: Option<&str>) -> Value {
    let answer = app.call("/api/mentoring/page", &[("slug", slug)], cookie).await;
    answer.assert_ok();
    answer.json()
}

async fn choose(app: &TestApp, slug: &str, cookie: &str, request: i64, mentor: &str) -> Answer {
    let request = request.to_string();
    app.post(
        "/api/mentoring/choose",
        cookie,
        &[("slug", slug), ("request", &request), ("mentor", mentor)],
    )
    .await
}

async fn answer(app: &TestApp, slug: &str, cookie: &str, request: i64, how: &str) -> Answer {
    let request = request.to_string();
    app.post(
        "/api/mentoring/answer",
        cookie,
        &[("slug", slug), ("request", &request), ("answer", how)],
    )
    .await
}

async fn log_session(
    app: &TestApp,
    slug: &str,
    cookie: &str,
    id: i64,
    day: &str,
    hours: &str,
) -> Answer {
    let id = id.to_string();
    app.post(
        "/api/mentoring/log_session",
        cookie,
        &[
            ("slug", slug),
            ("mentorship", &id),
            ("form[done_on]", day),
            ("form[hours]", hours),
            ("form[note]", "Pruning and staking"),
        ],
    )
    .await
}

async fn verify(
    app: &TestApp,
    slug: &str,
    cookie: &str,
    contribution: i64,
    decision: &str,
) -> Answer {
    let contribution = contribution.to_string();
    app.post(
        "/api/mentoring/verify_session",
        cookie,
        &[("slug", slug), ("contribution", &contribution), ("decision", decision)],
    )
    .await
}

/// The newest request's id.
async fn last_request(app: &TestApp) -> i64 {
    scalar(app, "SELECT MAX(id) FROM mentorships").await
}

/// bob proposes "Tree nursery" (needs tree care), ada approves it, bob logs work on it
/// and ada verifies it: tree care is then proven for bob.
async fn prove_tree_care(app: &TestApp, slug: &str, ada: &str, bob: &str) {
    let fields = [
        ("title", "Tree nursery"),
        ("description", "Grow saplings from seed."),
        ("skills", "Tree care, seed saving"),
    ];
    let initiative = crate::common::approved_initiative(app, slug, bob, ada, &fields).await;
    log_contribution(app, slug, bob, "", &initiative, "", "3").await.assert_ok();
    let contribution = scalar(app, "SELECT MAX(id) FROM contributions").await.to_string();
    app.post(
        "/api/impact/decide_contribution",
        ada,
        &[
            ("slug", slug),
            ("contribution_id", &contribution),
            ("decision", "verify"),
            ("reason", ""),
        ],
    )
    .await
    .assert_ok();
}

#[tokio::test]
async fn suggestions_prefer_skills_proven_by_verified_work_and_say_why() {
    let app = TestApp::new().await;
    let ([ada, bob, cyd, dan], slug) = keepers(&app).await;
    prove_tree_care(&app, &slug, &ada, &bob).await;
    // The initiative page shows the skills it proves.
    let initiative = scalar(&app, "SELECT MAX(id) FROM initiatives").await.to_string();
    let detail = app
        .call("/api/impact/initiative", &[("slug", &slug), ("initiative_id", &initiative)], None)
        .await
        .json();
    assert_eq!(detail["skills"], serde_json::json!(["seed saving", "tree care"]));

    // cyd declares tree care and has more room; bob has proven it.
    offer(&app, &slug, &cyd, "Tree care, Composting", "3").await.assert_ok();
    offer(&app, &slug, &bob, "tree care", "2").await.assert_ok();
    ask(&app, &slug, &dan, "tree care").await.assert_ok();

    let seen = page(&app, &slug, Some(&dan)).await;
    let suggestions = seen["requests"][0]["suggestions"].as_array().unwrap();
    let handles: Vec<&str> = suggestions.iter().map(|s| s["handle"].as_str().unwrap()).collect();
    assert_eq!(handles, ["bob", "cyd"]);
    let why: Vec<&str> =
        suggestions[0]["reasons"].as_array().unwrap().iter().map(|r| r.as_str().unwrap()).collect();
    assert_eq!(why[0], "Proven in tree care: 1 verified contribution to initiatives that need it");
    assert!(why.contains(&"Speaks english"));
    assert!(why.contains(&"2 of 2 places free"));
    assert_eq!(suggestions[1]["reasons"][0], "Offers tree care (self-declared)");

    // Nobody is suggested to themselves: bob asking for tree care sees only cyd.
    ask(&app, &slug, &bob, "tree care").await.assert_ok();
    let seen = page(&app, &slug, Some(&bob)).await;
    assert_eq!(seen["requests"][0]["suggestions"][0]["handle"], "cyd");
    assert_eq!(seen["requests"][0]["suggestions"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn a_request_becomes_a_mentorship_whose_verified_sessions_count_as_contributions() {
    let app = TestApp::new().await;
    let ([ada, bob, cyd, dan], slug) = keepers(&app).await;
    offer(&app, &slug, &bob, "tree care", "2").await.assert_ok();
    offer(&app, &slug, &cyd, "tree care", "2").await.assert_ok();
    ask(&app, &slug, &dan, "tree care").await.assert_ok();
    let request = last_request(&app).await;

    // Asking cyd, who declines: the request is open again and cyd is not suggested again.
    choose(&app, &slug, &dan, request, "cyd").await.assert_ok();
    assert_eq!(page(&app, &slug, Some(&cyd)).await["asked_of_me"][0]["mentee"], "dan");
    answer(&app, &slug, &bob, request, "accept").await.assert_status(StatusCode::NOT_FOUND);
    answer(&app, &slug, &cyd, request, "decline").await.assert_ok();
    let seen = page(&app, &slug, Some(&dan)).await;
    assert_eq!(seen["requests"][0]["stage"], "Open");
    let handles = texts(&seen["requests"][0]["suggestions"], "handle");
    assert_eq!(handles, ["bob"]);

    // Asking bob, who accepts: an active mentorship for both, bob hears of the request.
    choose(&app, &slug, &dan, request, "@bob").await.assert_ok();
    let notices = scalar(&app, "SELECT COUNT(*) FROM notifications WHERE user_id = 2 AND body LIKE '@dan asks you to mentor%'").await;
    assert_eq!(notices, 1);
    answer(&app, &slug, &bob, request, "accept").await.assert_ok();
    let bobs = page(&app, &slug, Some(&bob)).await;
    assert_eq!(bobs["mentorships"][0]["stage"], "Active");
    assert_eq!(bobs["mentorships"][0]["viewer_mentors"], true);
    assert_eq!(page(&app, &slug, Some(&dan)).await["mentorships"][0]["mentor"], "bob");

    // bob logs a session; only dan may verify it (not bob, not a leader through here, not cyd).
    log_session(&app, &slug, &bob, request, "2099-01-01", "1.5")
        .await
        .assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    log_session(&app, &slug, &cyd, request, "2026-11-20", "1.5")
        .await
        .assert_status(StatusCode::NOT_FOUND);
    log_session(&app, &slug, &bob, request, "2026-11-20", "1.5").await.assert_ok();
    let session = scalar(&app, "SELECT MAX(contribution_id) FROM mentoring_sessions").await;
    let dans = page(&app, &slug, Some(&dan)).await;
    assert_eq!(dans["mentorships"][0]["sessions"][0]["can_verify"], true);
    assert_eq!(
        page(&app, &slug, Some(&bob)).await["mentorships"][0]["sessions"][0]["can_verify"],
        false
    );
    verify(&app, &slug, &bob, session, "verify")
        .await
        .assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    verify(&app, &slug, &cyd, session, "verify").await.assert_status(StatusCode::NOT_FOUND);
    verify(&app, &slug, &ada, session, "verify").await.assert_status(StatusCode::NOT_FOUND);
    // Nor through the leaders' verification queue, which does not list it.
    let queue = app.call("/api/impact/queue", &[("slug", &slug)], Some(&ada)).await;
    queue.assert_ok();
    assert!(queue.json()["waiting"].as_array().unwrap().iter().all(|c| c["id"] != session));
    app.post(
        "/api/impact/decide_contribution",
        &ada,
        &[
            ("slug", &slug),
            ("contribution_id", &session.to_string()),
            ("decision", "verify"),
            ("reason", ""),
        ],
    )
    .await
    .assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    verify(&app, &slug, &dan, session, "verify").await.assert_ok();
    verify(&app, &slug, &dan, session, "verify").await.assert_status(StatusCode::CONFLICT);

    // It is bob's verified contribution of 1.5 hours to the community's Mentoring initiative.
    let (status, hours, initiative): (String, f64, String) = crate::common::on_db!(app, |db| sqlx::query_as(
        "SELECT c.status, c.hours, i.title FROM contributions c JOIN initiatives i ON i.id = c.initiative_id
          WHERE c.id = $1",
    )
    .bind(session)
    .fetch_one(db)
    .await)
    .unwrap();
    assert_eq!((status.as_str(), hours, initiative.as_str()), ("verified", 1.5, "Mentoring"));
    assert_eq!(page(&app, &slug, Some(&bob)).await["mentorships"][0]["verified_hours"], 1.5);
    // The Mentoring initiative counts it like any verified work.
    let mentoring =
        scalar(&app, "SELECT initiative_id FROM mentoring_initiatives").await.to_string();
    let detail = app
        .call("/api/impact/initiative", &[("slug", &slug), ("initiative_id", &mentoring)], None)
        .await
        .json();
    assert_eq!(detail["verified_hours"], 1.5);
    assert_eq!(detail["status"], "approved");

    // Either may complete; then no more sessions.
    app.post("/api/mentoring/finish", &dan, &[("slug", &slug), ("id", &request.to_string())])
        .await
        .assert_ok();
    assert_eq!(page(&app, &slug, Some(&bob)).await["mentorships"][0]["stage"], "Completed");
    log_session(&app, &slug, &bob, request, "2026-11-21", "1")
        .await
        .assert_status(StatusCode::CONFLICT);
}

#[tokio::test]
async fn two_requests_accepted_at_once_never_exceed_capacity() {
    let app = TestApp::new().await;
    let ([_ada, bob, cyd, dan], slug) = keepers(&app).await;
    offer(&app, &slug, &bob, "tree care", "1").await.assert_ok();
    ask(&app, &slug, &cyd, "tree care").await.assert_ok();
    let first = last_request(&app).await;
    ask(&app, &slug, &dan, "tree care").await.assert_ok();
    let second = last_request(&app).await;
    choose(&app, &slug, &cyd, first, "bob").await.assert_ok();
    choose(&app, &slug, &dan, second, "bob").await.assert_ok();

    let (a, b) = tokio::join!(
        answer(&app, &slug, &bob, first, "accept"),
        answer(&app, &slug, &bob, second, "accept"),
    );
    let mut statuses = [a.status, b.status];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::OK, StatusCode::CONFLICT]);
    let refused = if a.status == StatusCode::CONFLICT { a } else { b };
    assert!(refused.body.contains("You are at capacity (1)"), "{}", refused.body);
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM mentorships WHERE mentor_id = 2 AND status = 'active'")
            .await,
        1
    );
    // A full mentor is no longer suggested, and health shows them at capacity.
    let seen = page(&app, &slug, Some(&bob)).await;
    assert_eq!(seen["mentors"][0]["free"], 0);
}

#[tokio::test]
async fn one_active_mentorship_per_pair() {
    let app = TestApp::new().await;
    let ([_ada, bob, _cyd, dan], slug) = keepers(&app).await;
    offer(&app, &slug, &bob, "tree care, pruning", "3").await.assert_ok();
    ask(&app, &slug, &dan, "tree care").await.assert_ok();
    let first = last_request(&app).await;
    choose(&app, &slug, &dan, first, "bob").await.assert_ok();
    answer(&app, &slug, &bob, first, "accept").await.assert_ok();

    ask(&app, &slug, &dan, "pruning").await.assert_ok();
    let second = last_request(&app).await;
    // bob is not suggested again while he mentors dan, and asking him anyway is refused.
    let seen = page(&app, &slug, Some(&dan)).await;
    let open = seen["requests"].as_array().unwrap().iter().find(|r| r["id"] == second).unwrap();
    assert!(open["suggestions"].as_array().unwrap().is_empty());
    choose(&app, &slug, &dan, second, "bob").await.assert_status(StatusCode::CONFLICT);
    // Even if the request was put to him before (straight in the database), accepting is refused.
    crate::common::execute!(
        app,
        "UPDATE mentorships SET status = 'asked', mentor_id = 2 WHERE id = $1",
        second
    );
    let refused = answer(&app, &slug, &bob, second, "accept").await;
    refused.assert_status(StatusCode::CONFLICT);
    assert!(refused.body.contains("You already mentor them"));
}

#[tokio::test]
async fn bad_input_gets_field_errors_and_stores_nothing() {
    let app = TestApp::new().await;
    let ([_ada, bob, _cyd, dan], slug) = keepers(&app).await;
    let refused = offer(&app, &slug, &bob, "", "11").await;
    refused.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("skills") && refused.body.contains("capacity"));
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM mentor_offers").await, 0);

    let refused = app
        .post(
            "/api/mentoring/ask",
            &dan,
            &[
                ("slug", &slug),
                ("form[topic]", "x"),
                ("form[skills]", "<script>"),
                ("form[languages]", ""),
                ("form[goal]", ""),
                ("form[cadence]", "daily"),
            ],
        )
        .await;
    refused.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    for field in ["topic", "wanted_skills", "cadence"] {
        assert!(refused.body.contains(field), "{field}: {}", refused.body);
    }
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM mentorships").await, 0);

    // Mentoring oneself.
    offer(&app, &slug, &bob, "tree care", "2").await.assert_ok();
    ask(&app, &slug, &bob, "tree care").await.assert_ok();
    let request = last_request(&app).await;
    let refused = choose(&app, &slug, &bob, request, "bob").await;
    refused.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("You cannot mentor yourself"));
    // Someone who does not offer, and someone else's request.
    choose(&app, &slug, &bob, request, "dan").await.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    choose(&app, &slug, &dan, request, "bob").await.assert_status(StatusCode::NOT_FOUND);
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM mentorships WHERE status = 'open'").await, 1);
    // Withdrawn by its mentee, it cannot be withdrawn twice.
    let id = request.to_string();
    app.post("/api/mentoring/finish", &bob, &[("slug", &slug), ("id", &id)]).await.assert_ok();
    app.post("/api/mentoring/finish", &bob, &[("slug", &slug), ("id", &id)])
        .await
        .assert_status(StatusCode::CONFLICT);
}

#[tokio::test]
async fn leaders_see_mentoring_health_and_members_do_not() {
    let app = TestApp::new().await;
    let ([ada, bob, cyd, dan], slug) = keepers(&app).await;
    offer(&app, &slug, &bob, "tree care", "1").await.assert_ok();
    offer(&app, &slug, &cyd, "tree care", "2").await.assert_ok();
    ask(&app, &slug, &dan, "tree care").await.assert_ok();
    let request = last_request(&app).await;
    choose(&app, &slug, &dan, request, "bob").await.assert_ok();
    answer(&app, &slug, &bob, request, "accept").await.assert_ok();
    ask(&app, &slug, &dan, "tree care").await.assert_ok();

    let health = &page(&app, &slug, Some(&ada)).await["health"];
    assert_eq!(health["waiting"], 1);
    assert_eq!(health["mentors"], 2);
    assert_eq!(health["at_capacity"], 1);
    assert_eq!(health["active"], 1);
    assert!(health["average_wait_days"].as_f64().unwrap() >= 0.0);
    assert!(page(&app, &slug, Some(&bob)).await["health"].is_null());
}

#[tokio::test]
async fn private_mentoring_answers_404_to_outsiders_and_public_needs_membership() {
    let app = TestApp::new().await;
    let [ada, bob, eve] = app.sign_up_all(["ada", "bob", "eve"]).await;
    let quiet = found(&app, &ada, "Quiet Circle", "private", "invite").await;
    offer(&app, &quiet, &ada, "tree care", "2").await.assert_ok();
    for cookie in [None, Some(eve.as_str())] {
        app.call("/api/mentoring/page", &[("slug", &quiet)], cookie)
            .await
            .assert_status(StatusCode::NOT_FOUND);
    }
    offer(&app, &quiet, &eve, "tree care", "2").await.assert_status(StatusCode::NOT_FOUND);
    ask(&app, &quiet, &eve, "tree care").await.assert_status(StatusCode::NOT_FOUND);
    let page_html = app.get(&format!("/c/{quiet}/mentoring"), Some(&eve)).await;
    page_html.assert_status(StatusCode::NOT_FOUND);
    assert!(!page_html.body.contains("tree care"));

    // In a public community a non-member sees the mentors but cannot take part.
    let open = found(&app, &ada, "Open Grove", "public", "open").await;
    offer(&app, &open, &ada, "grafting", "2").await.assert_ok();
    let seen = page(&app, &open, Some(&bob)).await;
    assert_eq!(seen["can_take_part"], false);
    assert_eq!(seen["mentors"][0]["handle"], "ada");
    ask(&app, &open, &bob, "grafting").await.assert_status(StatusCode::FORBIDDEN);
    let html = app.get(&format!("/c/{open}/mentoring"), None).await;
    html.assert_ok();
    assert!(html.body.contains("Members can offer to mentor"));
}
