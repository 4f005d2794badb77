//! Accounts through the HTTP API, against real SQLite files.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::too_many_arguments)]

mod common;

use crate::common::texts;
use axum::http::{StatusCode, header};
use common::{PASSWORD, TestApp, sessions_table};

#[tokio::test]
async fn sign_up_signs_you_in_with_a_safe_cookie() {
    let app = TestApp::new().await;
    let answer = app
        .call(
            "/api/auth/sign_up",
            &[
                ("handle", "Ada"),
                ("display_name", "Ada L"),
                ("email", "Ada@Example.org"),
                ("password", PASSWORD),
            ],
            None,
        )
        .await;
    answer.assert_status(StatusCode::OK);
    let raw_cookie = answer
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|v| v.starts_with("kindred_session="))
        .expect("a session cookie");
    assert!(raw_cookie.contains("HttpOnly"), "{raw_cookie}");
    assert!(raw_cookie.contains("SameSite=Lax"), "{raw_cookie}");
    assert!(!raw_cookie.contains("Secure"), "plain http in tests: {raw_cookie}");

    let cookie = answer.session_cookie().unwrap();
    let me = app.me(Some(&cookie)).await;
    assert_eq!(me["handle"], "ada", "handles are stored lower-case");
    assert_eq!(me["display_name"], "Ada L");

    let stored: String =
        crate::common::scalar_text(&app, "SELECT password_hash FROM users WHERE handle = 'ada'")
            .await;
    assert!(stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{stored}");
    assert!(!stored.contains(PASSWORD));
}

#[tokio::test]
async fn secure_cookies_when_the_public_url_is_https() {
    let app =
        TestApp::with(|c| c.public_url = Some("https://kindred.example".parse().unwrap())).await;
    let answer = app
        .call(
            "/api/auth/sign_up",
            &[
                ("handle", "sec"),
                ("display_name", "S"),
                ("email", "s@example.org"),
                ("password", PASSWORD),
            ],
            None,
        )
        .await;
    let raw = answer.headers.get(header::SET_COOKIE).unwrap().to_str().unwrap();
    assert!(raw.contains("Secure"), "{raw}");
}

#[tokio::test]
async fn a_taken_handle_or_email_is_a_field_conflict() {
    let app = TestApp::new().await;
    app.sign_up("grace").await;
    let answer = app
        .call(
            "/api/auth/sign_up",
            &[
                ("handle", "GRACE"),
                ("display_name", "G"),
                ("email", "grace@example.org"),
                ("password", PASSWORD),
            ],
            None,
        )
        .await;
    answer.assert_status(StatusCode::CONFLICT);
    let body = answer.json();
    assert_eq!(body["kind"], "Conflict");
    let fields = texts(&body["detail"], "field");
    assert_eq!(fields, ["handle", "email"]);
    let count: i64 = crate::common::scalar(&app, "SELECT COUNT(*) FROM users").await;
    assert_eq!(count, 1, "nothing half-written");
}

#[tokio::test]
async fn bad_sign_up_input_is_refused_field_by_field_and_stores_nothing() {
    let app = TestApp::new().await;
    let too_long = "p".repeat(129);
    for (password, expected) in [
        ("short", "Use at least 12 characters."),
        (too_long.as_str(), "Use at most 128 characters."),
    ] {
        let answer = app
            .call(
                "/api/auth/sign_up",
                &[
                    ("handle", "lin"),
                    ("display_name", "Lin"),
                    ("email", "lin@example.org"),
                    ("password", password),
                ],
                None,
            )
            .await;
        answer.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
        let body = answer.json();
        assert_eq!(body["detail"][0]["field"], "password");
        assert_eq!(body["detail"][0]["message"], expected);
    }
    let missing = app.call("/api/auth/sign_up", &[("handle", "lin")], None).await;
    missing.assert_status(StatusCode::BAD_REQUEST);
    let count: i64 = crate::common::scalar(&app, "SELECT COUNT(*) FROM users").await;
    assert_eq!(count, 0);
}

#[tokio::test]
async fn wrong_password_and_unknown_account_answer_alike() {
    let app = TestApp::new().await;
    app.sign_up("tomas").await;
    let wrong = app
        .call("/api/auth/sign_in", &[("login", "tomas"), ("password", "not the password")], None)
        .await;
    let unknown = app
        .call("/api/auth/sign_in", &[("login", "nobody"), ("password", "not the password")], None)
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(wrong.status, unknown.status);
    assert_eq!(wrong.body, unknown.body);
    assert!(
        wrong.session_cookie().is_none()
            || app.me(wrong.session_cookie().as_deref()).await.is_null()
    );
}

#[tokio::test]
async fn sign_in_by_handle_or_email() {
    let app = TestApp::new().await;
    app.sign_up("mira").await;
    for login in ["mira", "MIRA@example.org"] {
        let answer =
            app.call("/api/auth/sign_in", &[("login", login), ("password", PASSWORD)], None).await;
        assert_eq!(answer.status, StatusCode::OK, "{login}: {}", answer.body);
        let me = app.me(answer.session_cookie().as_deref()).await;
        assert_eq!(me["handle"], "mira");
    }
}

#[tokio::test]
async fn sign_out_ends_the_session_on_the_server() {
    let app = TestApp::new().await;
    let cookie = app.sign_up("noor").await;
    assert_eq!(app.me(Some(&cookie)).await["handle"], "noor");
    let sessions_before: i64 = crate::common::on_db!(app, |db| sqlx::query_scalar(&format!(
        "SELECT COUNT(*) FROM {}",
        sessions_table(&app)
    ))
    .fetch_one(db)
    .await)
    .unwrap();
    assert_eq!(sessions_before, 1);

    let out = app.post("/api/auth/sign_out", &cookie, &[]).await;
    out.assert_ok();

    // The old cookie, replayed, no longer names anyone: the session row is gone.
    assert!(app.me(Some(&cookie)).await.is_null());
    let sessions_after: i64 = crate::common::on_db!(app, |db| sqlx::query_scalar(&format!(
        "SELECT COUNT(*) FROM {}",
        sessions_table(&app)
    ))
    .fetch_one(db)
    .await)
    .unwrap();
    assert_eq!(sessions_after, 0);
}

/// A member who presses "Sign out" and leaves at once (the browser cancels the request
/// when the next page loads) must still be signed out: once the store has begun deleting
/// the session, the delete finishes even though the request that asked for it is dropped.
#[tokio::test]
async fn a_session_delete_finishes_when_its_request_is_dropped() {
    use futures::FutureExt;
    use tower_sessions::SessionStore;
    use tower_sessions::session::{Id, Record};

    let app = TestApp::new().await;
    let store = server::sessions::Sessions::open(&app.db).await.unwrap();
    let mut record = Record {
        id: Id::default(),
        data: Default::default(),
        expiry_date: time::OffsetDateTime::now_utc() + time::Duration::days(1),
    };
    store.create(&mut record).await.unwrap();
    assert!(store.load(&record.id).await.unwrap().is_some());

    // Polled once and dropped, as axum drops the handler of a request whose client left.
    // (On PostgreSQL a query dropped this early was never sent, and the session lived on.)
    let delete = store.delete(&record.id);
    assert!(delete.now_or_never().is_none(), "the delete had not finished when it was dropped");

    let gone = async {
        while store.load(&record.id).await.unwrap().is_some() {
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
    };
    tokio::time::timeout(std::time::Duration::from_secs(5), gone)
        .await
        .expect("the dropped sign-out's delete still ends the session");
}

#[tokio::test]
async fn an_old_hash_is_upgraded_at_sign_in() {
    use argon2::password_hash::{PasswordHasher, SaltString};
    use argon2::{Algorithm, Argon2, Params, Version};
    let app = TestApp::new().await;
    app.sign_up("old").await;
    let salt = SaltString::from_b64("c2FsdHNhbHRzYWx0c2FsdA").unwrap();
    let weak =
        Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::new(19_456, 1, 1, None).unwrap())
            .hash_password(PASSWORD.as_bytes(), &salt)
            .unwrap()
            .to_string();
    crate::common::execute!(app, "UPDATE users SET password_hash = $1 WHERE handle = 'old'", &weak);

    let answer =
        app.call("/api/auth/sign_in", &[("login", "old"), ("password", PASSWORD)], None).await;
    answer.assert_status(StatusCode::OK);
    let stored: String =
        crate::common::scalar_text(&app, "SELECT password_hash FROM users WHERE handle = 'old'")
            .await;
    assert!(stored.contains("t=2"), "rehashed with today's parameters: {stored}");
    assert_eq!(
        app.me(answer.session_cookie().as_deref()).await["handle"],
        "old",
        "and still signed in"
    );
}

#[tokio::test]
async fn sign_in_attempts_are_throttled_with_retry_after() {
    let app = TestApp::with(|c| c.auth_per_minute = 2).await;
    for _ in 0..2 {
        let answer = app
            .call("/api/auth/sign_in", &[("login", "x"), ("password", "whatever pass")], None)
            .await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let limited =
        app.call("/api/auth/sign_in", &[("login", "x"), ("password", "whatever pass")], None).await;
    limited.assert_status(StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 = limited.headers[header::RETRY_AFTER].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry), "{retry}");
    assert_eq!(limited.json()["kind"], "RateLimited");
}

#[tokio::test]
async fn behind_a_proxy_each_forwarded_address_has_its_own_budget() {
    let app = TestApp::with(|c| {
        c.auth_per_minute = 2;
        c.client_ip = axum_client_ip::ClientIpSource::RightmostXForwardedFor;
    })
    .await;
    let attempt = |from: &'static str| {
        // A browser may send its own X-Forwarded-For; the proxy appends the address it saw,
        // and only that rightmost one counts.
        let forwarded = format!("10.9.9.9, {from}");
        let request = common::form_request(
            "/api/auth/sign_in",
            &[("login", "x"), ("password", "whatever pass")],
            None,
            &[("x-forwarded-for", &forwarded)],
        );
        app.send(request)
    };
    for _ in 0..2 {
        attempt("198.51.100.1").await.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    }
    attempt("198.51.100.1").await.assert_status(StatusCode::TOO_MANY_REQUESTS);
    // Every request reaches the server from the proxy's one address; another member's is
    // still welcome.
    attempt("198.51.100.2").await.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn profiles_show_bio_and_only_their_owner_edits_them() {
    let app = TestApp::new().await;
    let [ada, bob] = app.sign_up_all(["ada", "bob"]).await;

    let anonymous =
        app.call("/api/users/update_profile", &[("display_name", "X"), ("bio", "hi")], None).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);

    // Bob's session edits Bob, whatever extra fields say: the handle is not a form field.
    let edit = app
        .post(
            "/api/users/update_profile",
            &bob,
            &[("display_name", "Bob B"), ("bio", "Gardens."), ("handle", "ada"), ("id", "1")],
        )
        .await;
    edit.assert_ok();
    let ada_profile = app.post("/api/users/profile", &ada, &[("handle", "ada")]).await.json();
    assert_eq!(ada_profile["bio"], "");
    assert_eq!(ada_profile["is_self"], true);
    let bob_profile = app.post("/api/users/profile", &ada, &[("handle", "bob")]).await.json();
    assert_eq!(bob_profile["bio"], "Gardens.");
    assert_eq!(bob_profile["display_name"], "Bob B");
    assert_eq!(bob_profile["is_self"], false);
    assert!(bob_profile.get("email").is_none(), "emails are private");

    let missing = app.call("/api/users/profile", &[("handle", "ghost")], None).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}
