//! Pages kept for visitors who are not signed in (`server::anonymous_pages`): served
//! again until the next write, never to members, never for private communities, each
//! time with a fresh Content-Security-Policy nonce.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::http::{StatusCode, header};
use common::{Answer, TestApp, found, join, reply_to, start_thread};
use server::anonymous_pages::{CACHE_HEADER, policy_nonce};

/// What the cache said of an answer: `Some("hit")`, `Some("miss")` or `None` (not its to serve).
fn cache_of(answer: &Answer) -> Option<&str> {
    answer.headers.get(CACHE_HEADER).and_then(|v| v.to_str().ok())
}

/// The nonce the answer's policy allows scripts with.
fn nonce_of(answer: &Answer) -> String {
    policy_nonce(answer.headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap()).unwrap()
}

/// A public community (`ada` owns it, `bob` is a member) with one thread: the thread's
/// path, the community's slug and bob's cookie.
async fn thread_page(app: &TestApp) -> (String, String, String) {
    let [ada, bob] = app.sign_up_all(["ada", "bob"]).await;
    let slug = found(app, &ada, "River Keepers", "public", "open").await;
    join(app, &slug, &bob).await;
    (start_thread(app, &slug, &ada, "Kingfisher nest").await, slug, bob)
}

#[tokio::test]
async fn an_anonymous_page_is_served_again_until_the_next_write() {
    let app = TestApp::new().await;
    let (path, slug, bob) = thread_page(&app).await;

    let first = app.get(&path, None).await;
    first.assert_ok();
    assert_eq!(cache_of(&first), Some("miss"));
    assert!(first.body.contains("Kingfisher nest"));

    let second = app.get(&path, None).await;
    second.assert_ok();
    assert_eq!(cache_of(&second), Some("hit"));
    assert!(second.body.contains("Kingfisher nest"));
    // A fresh nonce each time, the same in the policy and on every script of the page.
    let (one, two) = (nonce_of(&first), nonce_of(&second));
    assert_ne!(one, two);
    assert!(!second.body.contains(&one), "the first answer's nonce is gone");
    assert!(second.body.contains(&format!("nonce=\"{two}\"")));
    assert_eq!(first.body.replace(&one, &two), second.body, "otherwise the same page");

    // A member's reply is a write: the next anonymous reader sees it at once.
    reply_to(&app, &slug, &bob, &path, "A second egg this morning.").await;
    let after = app.get(&path, None).await;
    assert_eq!(cache_of(&after), Some("miss"));
    assert!(after.body.contains("A second egg this morning."));
    assert_eq!(cache_of(&app.get(&path, None).await), Some("hit"));
}

#[tokio::test]
async fn members_and_visitors_with_cookies_always_get_pages_rendered_for_them() {
    let app = TestApp::new().await;
    let (path, _, bob) = thread_page(&app).await;
    assert_eq!(cache_of(&app.get(&path, None).await), Some("miss"));
    assert_eq!(cache_of(&app.get(&path, None).await), Some("hit"));

    // Bob is signed in: his page is his own (it offers him the reply form).
    let member = app.get(&path, Some(&bob)).await;
    member.assert_ok();
    assert_eq!(cache_of(&member), None);
    let anonymous = app.get(&path, None).await;
    assert_ne!(
        member.body.replace(&nonce_of(&member), ""),
        anonymous.body.replace(&nonce_of(&anonymous), "")
    );

    // Any cookie at all, even one that names no session, skips the cache.
    let stranger = app.get(&path, Some("kindred_session=not-a-session")).await;
    assert_eq!(cache_of(&stranger), None);
}

#[tokio::test]
async fn private_communities_answers_that_are_not_pages_and_a_zero_age_are_never_kept() {
    let app = TestApp::new().await;
    let [ada] = app.sign_up_all(["ada"]).await;
    let slug = found(&app, &ada, "Quiet Circle", "private", "invite").await;
    for _ in 0..2 {
        let outsider = app.get(&format!("/c/{slug}"), None).await;
        assert_eq!(outsider.status, StatusCode::NOT_FOUND);
        assert_eq!(cache_of(&outsider), None);
        assert!(!outsider.body.contains("Quiet Circle"));
    }
    for _ in 0..2 {
        assert_eq!(cache_of(&app.get("/healthz", None).await), None);
    }

    let off = TestApp::with(|config| config.anonymous_cache_seconds = 0).await;
    for _ in 0..2 {
        let answer = off.get("/communities", None).await;
        answer.assert_ok();
        assert_eq!(cache_of(&answer), None);
    }
}

#[tokio::test]
async fn a_kept_page_is_rendered_again_once_it_is_older_than_the_limit() {
    let app = TestApp::with(|config| config.anonymous_cache_seconds = 1).await;
    assert_eq!(cache_of(&app.get("/communities", None).await), Some("miss"));
    assert_eq!(cache_of(&app.get("/communities", None).await), Some("hit"));
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    assert_eq!(cache_of(&app.get("/communities", None).await), Some("miss"));
}

#[tokio::test]
async fn readers_arriving_together_share_one_rendering() {
    let app = TestApp::new().await;
    let (path, _, _) = thread_page(&app).await;
    let answers = futures::future::join_all((0..12).map(|_| app.get(&path, None))).await;
    let said: Vec<_> = answers.iter().map(cache_of).collect();
    assert_eq!(said.iter().filter(|s| **s == Some("miss")).count(), 1, "{said:?}");
    assert_eq!(said.iter().filter(|s| **s == Some("hit")).count(), 11, "{said:?}");
    assert!(answers.iter().all(|a| a.body.contains("Kingfisher nest")));

    // An answer that cannot be kept is rendered for each of them, none waiting on another.
    let missing =
        futures::future::join_all((0..6).map(|_| app.get("/c/no-such-place", None))).await;
    assert!(missing.iter().all(|a| a.status == StatusCode::NOT_FOUND && cache_of(a).is_none()));
}
