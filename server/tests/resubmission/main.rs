//! Resubmission: a form posted twice — a double tap, back and resubmit, a retry after a
//! dropped connection — makes one post, one thread, one contribution, one kudos. Each
//! rendered form carries a `form_key`; the first submission records what it made in the
//! same transaction, and the same key again answers with that.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../common/mod.rs"]
mod common;

use axum::http::{StatusCode, header};
use common::{Answer, TestApp, create_goal, found, join, scalar};

/// A public, open "River Keepers" (values Care and Courage) founded by ada, with bob
/// and one goal.
async fn river(app: &TestApp) -> (String, String, String) {
    let [ada, bob] = app.sign_up_all(["ada", "bob"]).await;
    let slug = found(app, &ada, "River Keepers", "public", "open").await;
    join(app, &slug, &bob).await;
    let goal = create_goal(app, &slug, &ada, "Hours given", "hours", "1000", "", "1").await;
    assert!(goal.is_success());
    (ada, bob, slug)
}

fn location(answer: &Answer) -> String {
    answer.headers[header::LOCATION].to_str().unwrap().to_owned()
}

async fn start(app: &TestApp, slug: &str, cookie: &str, key: &str) -> Answer {
    let form =
        [("slug", slug), ("title", "Planting day"), ("body", "Who comes?"), ("form_key", key)];
    app.post("/api/discussions/start", cookie, &form).await
}

async fn reply(
    app: &TestApp,
    slug: &str,
    cookie: &str,
    thread: &str,
    body: &str,
    key: &str,
) -> Answer {
    let form = [("slug", slug), ("thread_id", thread), ("body", body), ("form_key", key)];
    app.post("/api/discussions/reply", cookie, &form).await
}

async fn contribute(app: &TestApp, slug: &str, cookie: &str, key: &str) -> Answer {
    let goal = scalar(app, "SELECT MAX(id) FROM goals").await.to_string();
    let form = [
        ("slug", slug),
        ("form[description]", "Cleared the weir"),
        ("form[done_on]", "2026-11-20"),
        ("form[quantity]", ""),
        ("form[hours]", "2"),
        ("form[goal_id]", &goal),
        ("form[initiative_id]", ""),
        ("form[evidence_url]", ""),
        ("form[note]", ""),
        ("form_key", key),
    ];
    app.post("/api/impact/log_contribution", cookie, &form).await
}

async fn kudos(app: &TestApp, slug: &str, cookie: &str, key: &str) -> Answer {
    let form = [
        ("slug", slug),
        ("form[to]", "bob"),
        ("form[value]", "Care"),
        ("form[message]", "Thank you for the clean-up!"),
        ("form[contribution_id]", ""),
        ("form_key", key),
    ];
    app.post("/api/recognition/give", cookie, &form).await
}

#[tokio::test]
async fn a_thread_or_reply_posted_twice_is_posted_once_and_both_answers_lead_to_it() {
    let app = TestApp::new().await;
    let (ada, bob, slug) = river(&app).await;
    let first = start(&app, &slug, &bob, "k1-0").await;
    first.assert_ok();
    let again = start(&app, &slug, &bob, "k1-0").await;
    again.assert_ok();
    assert_eq!(location(&first), location(&again));
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM threads").await, 1);
    let thread = scalar(&app, "SELECT id FROM threads").await.to_string();

    // A reply tapped twice: one post, and the second answer is not "you just posted this".
    let first = reply(&app, &slug, &ada, &thread, "Count me in.", "r1-0").await;
    first.assert_ok();
    let again = reply(&app, &slug, &ada, &thread, "Count me in.", "r1-0").await;
    again.assert_ok();
    assert_eq!(location(&first), location(&again));
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM posts").await, 2);

    // The next reply from the same page carries the next key and is posted.
    reply(&app, &slug, &ada, &thread, "Bringing gloves.", "r1-1").await.assert_ok();
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM posts").await, 3);
    // Keys are per person: bob's form with the same key is bob's own reply.
    reply(&app, &slug, &bob, &thread, "See you there.", "r1-0").await.assert_ok();
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM posts").await, 4);
    // Without a key (an API client) nothing is remembered.
    let plain = [("slug", slug.as_str()), ("thread_id", &thread), ("body", "No key")];
    app.post("/api/discussions/reply", &ada, &plain).await.assert_ok();
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM posts").await, 5);
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM form_submissions").await, 4);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_form_sent_many_times_at_once_makes_one_of_each() {
    let app = TestApp::new().await;
    let (ada, bob, slug) = river(&app).await;
    let contributions = (0..6).map(|_| contribute(&app, &slug, &bob, "c1-0"));
    let kudos = (0..6).map(|_| kudos(&app, &slug, &ada, "t1-0"));
    let (contributions, kudos) =
        tokio::join!(futures::future::join_all(contributions), futures::future::join_all(kudos));
    for answer in contributions.iter().chain(&kudos) {
        answer.assert_ok();
    }
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM contributions").await, 1);
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM ledger_entries").await, 1);
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM kudos").await, 1);
    // The budget counts one kudos given.
    let left = app.call("/api/recognition/page", &[("slug", &slug)], Some(&ada)).await.json();
    assert_eq!(left["budget_left"], 4, "{left}");
    // A new key is a new contribution.
    contribute(&app, &slug, &bob, "c1-1").await.assert_ok();
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM contributions").await, 2);
}

#[tokio::test]
async fn a_key_is_scoped_to_its_form_and_a_damaged_one_is_refused() {
    let app = TestApp::new().await;
    let (ada, _bob, slug) = river(&app).await;
    start(&app, &slug, &ada, "s-0").await.assert_ok();
    let thread = scalar(&app, "SELECT id FROM threads").await.to_string();
    // The thread form's key sent to the reply form makes a reply, not a redirect to the thread.
    let answer = reply(&app, &slug, &ada, &thread, "Same key, other form.", "s-0").await;
    answer.assert_ok();
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM posts").await, 2);

    for damaged in ["a b", "x'--", &"k".repeat(65)] {
        let answer = reply(&app, &slug, &ada, &thread, "Damaged key", damaged).await;
        answer.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(answer.body.contains("form_key"), "{}", answer.body);
    }
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM posts").await, 2);
}

#[tokio::test]
async fn rendered_forms_carry_a_fresh_key_each_time() {
    let app = TestApp::new().await;
    let (ada, _bob, slug) = river(&app).await;
    let page = format!("/c/{slug}/discussions/new");
    let key = |body: &str| {
        let at = body.find("name=\"form_key\"").expect("the form carries a key");
        let tag_start = body[..at].rfind('<').unwrap();
        let tag = &body[tag_start..tag_start + body[tag_start..].find('>').unwrap()];
        tag.split("value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned()
    };
    let first = app.get(&page, Some(&ada)).await;
    first.assert_ok();
    let second = app.get(&page, Some(&ada)).await;
    let (first, second) = (key(&first.body), key(&second.body));
    assert_ne!(first, second);
    assert!(first.len() >= 24, "{first}");
}
