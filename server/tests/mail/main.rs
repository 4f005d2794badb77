//! E-mail through a real SMTP server on loopback: address verification at sign-up,
//! password reset (single use, one hour, same answer for every unusable link, signs
//! other sessions out), changing a password, notices mailed as each member chose (only
//! to verified addresses, mentions held back and skipped once read, muted communities),
//! one-click unsubscribe per list, and an outbox that retries with the same Message-ID.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../common/mod.rs"]
mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::smtp::{SmtpSink, header as mail_header, link_with, token_of};
use common::{PASSWORD, TestApp, found, join, scalar};
use serde_json::Value;

/// An app whose mail goes to `sink`.
async fn app_with(sink: &SmtpSink) -> TestApp {
    let url = sink.url.clone();
    TestApp::with(move |config| config.smtp_url = Some(url)).await
}

/// Sends everything due and returns what the sink holds.
async fn deliver(app: &TestApp, sink: &SmtpSink) -> Vec<Value> {
    app::services::mail::deliver_due(&app.state).await.unwrap();
    sink.messages()
}

/// Marks `handle`'s address verified, as its link would.
async fn verified(app: &TestApp, handle: &str) {
    crate::common::execute!(
        app,
        "UPDATE users SET email_verified_at = '2026-01-01T00:00:00.000Z' WHERE handle = $1",
        handle
    );
}

/// ada's public "River Keepers" with grace as a member and ada's address verified, on an
/// app whose mail goes to `sink`; returns the app, both cookies and the slug.
async fn river_for_mail(sink: &SmtpSink) -> (TestApp, String, String, String) {
    let app = app_with(sink).await;
    let [ada, grace] = app.sign_up_all(["ada", "grace"]).await;
    let slug = found(&app, &ada, "River Keepers", "public", "open").await;
    join(&app, &slug, &grace).await;
    verified(&app, "ada").await;
    (app, ada, grace, slug)
}

/// The local path of a message's one-click unsubscribe URL.
fn unsubscribe_path(message: &Value) -> String {
    let url = mail_header(message, "List-Unsubscribe").trim_matches(['<', '>']).to_owned();
    let path = url.strip_prefix("http://127.0.0.1:3000").unwrap().to_owned();
    assert!(path.starts_with("/mail/unsubscribe/"), "{path}");
    path
}

/// Saves `cookie`'s settings with one kind's channel (the rest at their defaults) and
/// the communities in `muted` muted; answers the status.
async fn choose(
    app: &TestApp,
    cookie: &str,
    kind: &str,
    channel: &str,
    muted: &[&str],
) -> StatusCode {
    let key = format!("form[channels][{kind}]");
    let mut form = vec![
        (key.as_str(), channel),
        ("form[digest]", "weekly"),
        ("form[digest_hour]", "8"),
        ("form[time_zone]", "Europe/London"),
    ];
    let muted: Vec<String> = muted.iter().map(|slug| format!("form[muted][{slug}]")).collect();
    form.extend(muted.iter().map(|k| (k.as_str(), "yes")));
    app.post("/api/notifications/save_settings", cookie, &form).await.status
}

/// Has `giver` thank ada in `slug` for Care with `message`.
async fn thank_ada(app: &TestApp, giver: &str, slug: &str, message: &str) {
    app.post(
        "/api/recognition/give",
        giver,
        &[("slug", slug), ("form[to]", "ada"), ("form[value]", "Care"), ("form[message]", message)],
    )
    .await
    .assert_ok();
}

/// Has `author` start a thread in `slug` that mentions @ada.
async fn mention_ada(app: &TestApp, author: &str, slug: &str, title: &str) {
    app.post(
        "/api/discussions/start",
        author,
        &[("slug", slug), ("title", title), ("body", &format!("{title}: over to you, @ada!"))],
    )
    .await
    .assert_ok();
}

/// Makes every pending message due now.
async fn all_due(app: &TestApp) {
    crate::common::execute!(
        app,
        "UPDATE mail_outbox SET send_after = '2020-01-01T00:00:00.000Z' WHERE status = 'pending'"
    );
}

#[tokio::test]
async fn signing_up_sends_a_verification_link_that_verifies_once() {
    let sink = SmtpSink::start();
    let app = app_with(&sink).await;
    app.sign_up("ada").await;
    let mail = deliver(&app, &sink).await;
    assert_eq!(mail.len(), 1, "{mail:?}");
    let message = &mail[0];
    assert_eq!(message["rcpt_tos"][0], "ada@example.org");
    assert_eq!(mail_header(message, "Subject"), "Confirm your e-mail address for Kindred");
    assert!(mail_header(message, "Message-ID").ends_with("@127.0.0.1>"));
    assert_eq!(mail_header(message, "List-Unsubscribe"), "", "account mail has no list");
    assert!(message["html"].as_str().unwrap().contains("Confirm my address"));
    let token = token_of(&link_with(message, "/verify-email?token="));

    // Opening the link's page changes nothing; the page's button (a POST) verifies.
    assert_eq!(app.get(&format!("/verify-email?token={token}"), None).await.status, StatusCode::OK);
    let verified_count = "SELECT COUNT(*) FROM users WHERE email_verified_at IS NOT NULL";
    assert_eq!(scalar(&app, verified_count).await, 0);
    app.call("/api/auth/verify_email", &[("token", &token)], None).await.assert_ok();
    assert_eq!(scalar(&app, verified_count).await, 1);
    let again = app.call("/api/auth/verify_email", &[("token", &token)], None).await;
    again.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn a_reset_link_works_once_within_the_hour_and_signs_out_every_other_session() {
    let sink = SmtpSink::start();
    let app = app_with(&sink).await;
    let laptop = app.sign_up("ada").await;
    let before = deliver(&app, &sink).await.len();

    // Unknown accounts answer exactly as known ones do, and get no mail.
    let app = &app;
    let forgot = |login: &'static str| async move {
        app.call("/api/auth/forgot_password", &[("login", login)], None).await
    };
    let unknown = forgot("nobody@example.org").await;
    let known = forgot("ADA@example.org").await;
    known.assert_ok();
    assert_eq!((unknown.status, &unknown.body), (known.status, &known.body));
    let mail = deliver(app, &sink).await;
    assert_eq!(mail.len(), before + 1);
    let reset = mail.last().unwrap();
    assert_eq!(mail_header(reset, "Subject"), "Reset your Kindred password");
    let token = token_of(&link_with(reset, "/reset-password?token="));
    let usable = app.call("/api/auth/reset_token", &[("token", &token)], None).await;
    assert_eq!(usable.json(), true);

    let new_password = "a brand new long password";
    let reset_with = |token: String| async move {
        app.call("/api/auth/reset_password", &[("token", &token), ("password", new_password)], None)
            .await
    };
    let answer = reset_with(token.clone()).await;
    answer.assert_ok();
    let phone = answer.session_cookie().expect("the reset signs this browser in");
    assert_eq!(app.me(Some(&phone)).await["handle"], "ada");
    assert!(app.me(Some(&laptop)).await.is_null(), "the other session is signed out");

    // Used, unknown and expired links all give the same answer.
    let used = reset_with(token).await;
    used.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let made_up = reset_with("0123abcd".into()).await;
    assert_eq!(used.body, made_up.body);
    // A second request within the minute sends nothing more; a later one does.
    let outbox = "SELECT COUNT(*) FROM mail_outbox WHERE kind = 'reset_password'";
    forgot("ada").await.assert_ok();
    assert_eq!(scalar(app, outbox).await, 1);
    crate::common::execute!(
        app,
        "UPDATE account_tokens SET created_at = '2020-01-01T00:00:00.000Z'"
    );
    forgot("ada").await.assert_ok();
    assert_eq!(scalar(app, outbox).await, 2);
    let late = token_of(&link_with(deliver(app, &sink).await.last().unwrap(), "token="));
    crate::common::execute!(
        app,
        "UPDATE account_tokens SET expires_at = '2020-01-01T00:00:00.000Z' WHERE used_at IS NULL"
    );
    let expired = reset_with(late).await;
    assert_eq!(expired.body, made_up.body);

    // The old password no longer works; the new one does; the address is now verified.
    let sign_in = |password: &'static str| async move {
        app.call("/api/auth/sign_in", &[("login", "ada"), ("password", password)], None).await
    };
    assert!(!sign_in(PASSWORD).await.status.is_success());
    sign_in(new_password).await.assert_ok();
    let verified_count = "SELECT COUNT(*) FROM users WHERE email_verified_at IS NOT NULL";
    assert_eq!(scalar(app, verified_count).await, 1);
}

#[tokio::test]
async fn changing_a_password_needs_the_current_one_and_keeps_only_this_session() {
    let app = TestApp::new().await;
    let phone = app.sign_up("ada").await;
    let laptop =
        app.call("/api/auth/sign_in", &[("login", "ada"), ("password", PASSWORD)], None).await;
    let laptop = laptop.session_cookie().unwrap();
    let fresh = "another long enough password";
    let change = |cookie: String, current: &'static str, password: &'static str| {
        let app = &app;
        async move {
            app.post(
                "/api/auth/change_password",
                &cookie,
                &[("current", current), ("password", password)],
            )
            .await
        }
    };

    change(phone.clone(), "not it at all", fresh)
        .await
        .assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    change(phone.clone(), PASSWORD, "short").await.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!app.me(Some(&laptop)).await.is_null(), "failed attempts change nothing");

    let done = change(phone.clone(), PASSWORD, fresh).await;
    done.assert_ok();
    let phone = done.session_cookie().unwrap_or(phone);
    assert_eq!(app.me(Some(&phone)).await["handle"], "ada");
    assert!(app.me(Some(&laptop)).await.is_null(), "the other session is signed out");
}

#[tokio::test]
async fn notices_are_mailed_as_chosen_and_one_click_unsubscribe_leaves_only_that_list() {
    let sink = SmtpSink::start();
    let app = app_with(&sink).await;
    let [ada, grace] = app.sign_up_all(["ada", "grace"]).await;
    let slug = found(&app, &ada, "River Keepers", "public", "open").await;
    join(&app, &slug, &grace).await;
    let sent_before = deliver(&app, &sink).await.len();

    // Kudos are in-app only by default; ada chooses e-mail too, but her address is not
    // verified yet, so nothing is queued.
    assert_eq!(choose(&app, &ada, "kudos", "both", &[]).await, StatusCode::OK);
    thank_ada(&app, &grace, &slug, "For the Saturday clean-up").await;
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM mail_outbox WHERE kind = 'kudos'").await, 0);

    verified(&app, "ada").await;
    thank_ada(&app, &grace, &slug, "For the Sunday clean-up").await;
    let mail = deliver(&app, &sink).await;
    assert_eq!(mail.len(), sent_before + 1);
    let kudos = mail.last().unwrap();
    assert!(mail_header(kudos, "Subject").contains("thanked you"));
    assert!(kudos["text"].as_str().unwrap().contains("For the Sunday clean-up"));
    assert!(kudos["html"].as_str().unwrap().contains("For the Sunday clean-up"));
    assert!(
        kudos["text"]
            .as_str()
            .unwrap()
            .contains("http://127.0.0.1:3000/c/river-keepers/recognition")
    );
    assert_eq!(mail_header(kudos, "List-Unsubscribe-Post"), "List-Unsubscribe=One-Click");
    let path = unsubscribe_path(kudos);

    // The GET shows a button and changes nothing; the one-click POST unsubscribes.
    assert_eq!(app.get(&path, None).await.status, StatusCode::OK);
    let kudos_channel = "SELECT channel FROM notification_prefs WHERE kind = 'kudos'";
    let channel = || async {
        crate::common::on_db!(app, |db| sqlx::query_scalar::<_, String>(kudos_channel)
            .fetch_one(db)
            .await)
    };
    assert_eq!(channel().await.unwrap(), "both");
    let one_click = Request::post(path.as_str())
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from("List-Unsubscribe=One-Click"))
        .unwrap();
    app.send(one_click).await.assert_ok();
    assert_eq!(channel().await.unwrap(), "app");
    // Other lists are untouched: mentions still come by e-mail too (their default).
    let settings = app.post("/api/notifications/settings", &ada, &[]).await.json();
    let channels = settings["channels"].as_array().unwrap();
    assert!(channels.contains(&serde_json::json!(["Mention", "Both"])), "{channels:?}");
    assert!(channels.contains(&serde_json::json!(["Kudos", "App"])), "{channels:?}");

    // In-app notices continue; no more kudos e-mail.
    thank_ada(&app, &grace, &slug, "For Monday").await;
    assert_eq!(deliver(&app, &sink).await.len(), sent_before + 1);
    let unknown = Request::post("/mail/unsubscribe/not-a-token").body(Body::empty()).unwrap();
    app.send(unknown).await.assert_status(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn mentions_wait_for_the_member_and_are_skipped_once_read() {
    let sink = SmtpSink::start();
    let (app, ada, grace, slug) = river_for_mail(&sink).await;
    let before = deliver(&app, &sink).await.len();

    mention_ada(&app, &grace, &slug, "Boat rota").await;
    // Queued for ten minutes from now: nothing goes yet.
    assert_eq!(deliver(&app, &sink).await.len(), before);
    let in_nine_minutes = app::db::timestamp(chrono::Utc::now() + chrono::Duration::minutes(9));
    let waiting = format!(
        "SELECT COUNT(*) FROM mail_outbox WHERE kind = 'mention' AND status = 'pending'
           AND send_after > '{in_nine_minutes}'"
    );
    assert_eq!(scalar(&app, &waiting).await, 1);

    // Ada reads it in the app; when the time comes, the e-mail is skipped.
    app.post("/api/notifications/mark_read", &ada, &[]).await.assert_ok();
    all_due(&app).await;
    assert_eq!(deliver(&app, &sink).await.len(), before);
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM mail_outbox WHERE status = 'skipped'").await, 1);

    // An unread one is sent.
    mention_ada(&app, &grace, &slug, "Lunch").await;
    all_due(&app).await;
    let mail = deliver(&app, &sink).await;
    assert_eq!(mail.len(), before + 1);
    assert!(mail_header(mail.last().unwrap(), "Subject").contains("mentioned you in “Lunch”"));
}

#[tokio::test]
async fn a_muted_community_sends_only_mentions() {
    let app = TestApp::new().await;
    let [ada, grace] = app.sign_up_all(["ada", "grace"]).await;
    let slug = found(&app, &ada, "River Keepers", "public", "open").await;
    join(&app, &slug, &grace).await;
    assert_eq!(choose(&app, &ada, "kudos", "app", &[&slug]).await, StatusCode::OK);
    thank_ada(&app, &grace, &slug, "Thanks!").await;
    mention_ada(&app, &grace, &slug, "Rota").await;
    let kinds: Vec<String> = crate::common::fetch!(
        app,
        fetch_all,
        "SELECT kind FROM notifications WHERE user_id = (SELECT id FROM users WHERE handle = 'ada')"
    );
    assert_eq!(kinds, vec!["mention".to_string()]);
}

#[tokio::test]
async fn a_failed_send_is_retried_later_with_the_same_message_id() {
    let sink = SmtpSink::failing_first(1);
    let app = app_with(&sink).await;
    app.sign_up("ada").await;
    let first = app::services::mail::deliver_due(&app.state).await.unwrap();
    assert_eq!((first.sent, first.failed), (0, 1));
    assert!(sink.messages().is_empty());
    let (attempts, message_id): (i64, String) = crate::common::on_db!(app, |db| sqlx::query_as(
        "SELECT attempts, message_id FROM mail_outbox WHERE status = 'pending'"
    )
    .fetch_one(db)
    .await)
    .unwrap();
    assert_eq!(attempts, 1);
    // Not due again at once (backoff) …
    assert_eq!(app::services::mail::deliver_due(&app.state).await.unwrap().sent, 0);
    // … but when the retry time comes, it goes, with the Message-ID fixed at queueing.
    all_due(&app).await;
    assert_eq!(app::services::mail::deliver_due(&app.state).await.unwrap().sent, 1);
    let mail = sink.messages();
    assert_eq!(mail.len(), 1);
    assert_eq!(mail_header(&mail[0], "Message-ID"), format!("<{message_id}@127.0.0.1>"));
    let sent = "SELECT COUNT(*) FROM mail_outbox WHERE status = 'sent' AND body = '' AND link = ''";
    assert_eq!(scalar(&app, sent).await, 1, "a sent message forgets its token");
}

#[tokio::test]
async fn without_an_smtp_server_mail_is_written_to_files() {
    let app = TestApp::new().await;
    app.sign_up("ada").await;
    assert_eq!(app::services::mail::deliver_due(&app.state).await.unwrap().sent, 1);
    let folder = app.folder().join("mail");
    let files: Vec<_> = std::fs::read_dir(folder).unwrap().filter_map(Result::ok).collect();
    assert_eq!(files.len(), 1);
    let text = std::fs::read_to_string(files[0].path()).unwrap();
    assert!(text.contains("Subject: Confirm your e-mail address for Kindred"));
}

#[tokio::test]
async fn the_outbox_holds_one_message_per_member_kind_and_period() {
    let app = TestApp::new().await;
    app.sign_up("ada").await;
    let user = app::domain::ids::UserId(scalar(&app, "SELECT id FROM users").await);
    let mail = app::db::mail::NewMail {
        user,
        kind: "digest",
        period: "2026-W49",
        to: "ada@example.org",
        subject: "Your week",
        body: "…",
        link: "/",
        link_label: "Open Kindred",
        list: Some("digest"),
        notification_id: None,
        send_after: chrono::Utc::now(),
        message_id: "m1",
    };
    assert!(app::db::mail::enqueue(&app.db, &mail).await.unwrap());
    let again = app::db::mail::NewMail { message_id: "m2", ..mail };
    assert!(!app::db::mail::enqueue(&app.db, &again).await.unwrap());
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM mail_outbox WHERE kind = 'digest'").await, 1);
}

#[tokio::test]
async fn settings_refuse_unknown_zones_and_channels_and_save_the_rest() {
    let app = TestApp::new().await;
    let ada = app.sign_up("ada").await;
    let bad_zone = app
        .post(
            "/api/notifications/save_settings",
            &ada,
            &[
                ("form[digest]", "daily"),
                ("form[digest_hour]", "7"),
                ("form[time_zone]", "Mars/Olympus"),
            ],
        )
        .await;
    bad_zone.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(choose(&app, &ada, "kudos", "pigeon", &[]).await, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM notification_prefs").await, 0);
    assert_eq!(choose(&app, &ada, "badge", "email", &[]).await, StatusCode::OK);
    let settings = app.post("/api/notifications/settings", &ada, &[]).await.json();
    assert_eq!(settings["time_zone"], "Europe/London");
    let badge = serde_json::json!(["Badge", "Email"]);
    assert!(settings["channels"].as_array().unwrap().contains(&badge));
    assert_eq!(settings["email_verified"], false);
    // Signed out: no settings.
    let anonymous = app.call("/api/notifications/settings", &[], None).await;
    anonymous.assert_status(StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_digest_sums_up_the_day_once_and_an_empty_one_is_not_sent() {
    let sink = SmtpSink::start();
    let (app, ada, grace, slug) = river_for_mail(&sink).await;
    verified(&app, "grace").await;
    let now = chrono::Utc::now();
    let hour = chrono::Timelike::hour(&now).to_string();
    for cookie in [&ada, &grace] {
        let form = [
            ("form[digest]", "daily"),
            ("form[digest_hour]", hour.as_str()),
            ("form[time_zone]", "UTC"),
        ];
        app.post("/api/notifications/save_settings", cookie, &form).await.assert_ok();
    }
    // Something happens for ada: thanks, and a contribution waiting for her to verify.
    thank_ada(&app, &grace, &slug, "For the boats").await;
    let goal =
        common::create_goal(&app, &slug, &ada, "Bags collected", "quantity", "100", "", "1").await;
    assert!(goal.is_success());
    let goal_id = scalar(&app, "SELECT MAX(id) FROM goals").await.to_string();
    common::log_contribution(&app, &slug, &grace, &goal_id, "", "3", "").await.assert_ok();
    // And a library guide whose review date has passed.
    let yesterday = (now.date_naive() - chrono::Duration::days(1)).to_string();
    let guide = [
        ("slug", slug.as_str()),
        ("form[kind]", "guide"),
        ("form[title]", "Old map"),
        ("form[body]", "The weir path."),
        ("form[review_by]", yesterday.as_str()),
    ];
    app.post("/api/library/add", &ada, &guide).await.assert_ok();
    let before = deliver(&app, &sink).await.len();

    assert_eq!(app::services::digest::queue_due(&app.state, now).await.unwrap(), 1, "ada's only");
    let mail = deliver(&app, &sink).await;
    assert_eq!(mail.len(), before + 1);
    let digest = mail.last().unwrap();
    assert_eq!(digest["rcpt_tos"][0], "ada@example.org");
    assert_eq!(mail_header(digest, "Subject"), "Your day on Kindred");
    let text = digest["text"].as_str().unwrap();
    assert!(
        text.contains("Thanks you received\n- Test Person thanked you for Care in River Keepers"),
        "{text}"
    );
    assert!(text.contains("River Keepers: 1 contributions to verify, 0 join requests"), "{text}");
    assert!(text.contains("“Old map” in the River Keepers library is due for review"), "{text}");
    assert!(mail_header(digest, "List-Unsubscribe").contains("/mail/unsubscribe/"));

    // Grace had nothing to hear about: recorded as skipped, never sent.
    let skipped = "SELECT COUNT(*) FROM mail_outbox o JOIN users u ON u.id = o.user_id
                    WHERE u.handle = 'grace' AND o.kind = 'digest' AND o.status = 'skipped'";
    assert_eq!(scalar(&app, skipped).await, 1);
    // Running again in the same hour queues nothing new.
    assert_eq!(app::services::digest::queue_due(&app.state, now).await.unwrap(), 0);
    assert_eq!(deliver(&app, &sink).await.len(), before + 1);

    // The digest's one-click unsubscribe turns the digest off, nothing else.
    let path = unsubscribe_path(digest);
    app.send(Request::post(path.as_str()).body(Body::from("List-Unsubscribe=One-Click")).unwrap())
        .await
        .assert_ok();
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM users WHERE handle = 'ada' AND digest = 'off'").await,
        1
    );
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM notification_prefs").await, 0);
}
