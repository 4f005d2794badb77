//! Checking in: the window, the code, hosts' roster and walk-ins, and attendance on the ledger.

use super::*;

/// Moves an occurrence so that it started ten minutes ago and ends in an hour and fifty.
async fn start_now(app: &TestApp, id: i64) {
    let now = chrono::Utc::now();
    let at = |minutes: i64| app::db::timestamp(now + chrono::Duration::minutes(minutes));
    crate::common::execute!(
        app,
        "UPDATE event_occurrences SET starts_at = $1, ends_at = $2 WHERE id = $3",
        at(-10),
        at(110),
        id
    );
}

async fn code_of(app: &TestApp, id: i64) -> String {
    crate::common::fetch!(
        app,
        fetch_one,
        "SELECT checkin_code FROM event_occurrences WHERE id = $1",
        id
    )
}

async fn check_in(app: &TestApp, slug: &str, id: i64, cookie: &str, code: &str) -> common::Answer {
    let id = id.to_string();
    app.post(
        "/api/events/check_in",
        cookie,
        &[("slug", slug), ("occurrence_id", &id), ("code", code)],
    )
    .await
}

async fn verified_hours(app: &TestApp, handle: &str) -> f64 {
    crate::common::fetch!(
        app,
        fetch_one,
        "SELECT COALESCE(SUM(c.hours), 0.0) FROM contributions c JOIN users u ON u.id = c.author_id
          WHERE u.handle = $1 AND c.status = 'verified'",
        handle
    )
}

#[tokio::test]
async fn a_member_checks_in_with_the_code_and_their_hours_are_verified_work() {
    let app = TestApp::new().await;
    let ([ada, bob], slug) = club(&app, ["ada", "bob"]).await;
    assert!(
        common::create_goal(&app, &slug, &ada, "500 volunteer hours", "hours", "500", "", "1")
            .await
            .is_success()
    );
    let goal: i64 = scalar(&app, "SELECT id FROM goals").await;
    let id =
        create_ok(&app, &slug, &ada, &[("recurrence", "once"), ("goal_id", &goal.to_string())])
            .await;
    let code = code_of(&app, id).await;
    assert_eq!(code.len(), 6);

    // Three days ahead, check-in is not open yet.
    let early = check_in(&app, &slug, id, &bob, &code).await;
    early.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(early.json()["detail"][0]["field"], "code");

    start_now(&app, id).await;
    let shown = page(&app, &slug, id, Some(&bob)).await.json();
    assert_eq!(
        (shown["checkin_open"].as_bool(), shown["checked_in"].as_bool()),
        (Some(true), Some(false))
    );
    assert!(shown["sheet"].is_null(), "members do not see the hosts' sheet");
    let wrong = check_in(&app, &slug, id, &bob, "ZZZZZZ").await;
    wrong.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    check_in(&app, &slug, id, &bob, &code.to_lowercase()).await.assert_ok();
    check_in(&app, &slug, id, &bob, &code).await.assert_status(StatusCode::CONFLICT);

    assert_eq!(verified_hours(&app, "bob").await, 2.0, "the scheduled 10:00-12:00");
    let progress: f64 = crate::common::fetch!(
        app,
        fetch_one,
        "SELECT SUM(quantity) FROM contributions WHERE status = 'verified'"
    );
    assert_eq!(progress, 2.0, "an hours goal counts the hours");
    assert!(page(&app, &slug, id, Some(&bob)).await.json()["checked_in"].as_bool().unwrap());
    assert!(app::services::ledger::verify_database(&app.db).await.is_ok());
}

#[tokio::test]
async fn hosts_tick_the_roster_and_add_walk_ins_but_only_members() {
    let app = TestApp::new().await;
    let [ada, bob, cyd, eve] = app.sign_up_all(["ada", "bob", "cyd", "eve"]).await;
    let slug = found(&app, &ada, "River Keepers", "public", "open").await;
    join(&app, &slug, &bob).await;
    join(&app, &slug, &cyd).await;
    let id = create_ok(&app, &slug, &ada, &[("recurrence", "once"), ("credited_hours", "3")]).await;
    rsvp(&app, &slug, id, &bob, "going").await.assert_ok();
    start_now(&app, id).await;

    let sheet = page(&app, &slug, id, Some(&ada)).await.json()["sheet"].clone();
    assert_eq!(sheet["code"], code_of(&app, id).await);
    assert!(sheet["qr_svg"].as_str().unwrap().contains("<svg"));
    assert!(
        sheet["link"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/c/{slug}/e/{id}?code={}", sheet["code"].as_str().unwrap()))
    );
    assert_eq!(sheet["roster"][0]["handle"], "bob");

    let sid = id.to_string();
    let tick = |handle: &'static str| {
        [("slug", slug.clone()), ("occurrence_id", sid.clone()), ("handle", handle.to_owned())]
    };
    let send = |cookie: String, form: [(&'static str, String); 3]| {
        let app = &app;
        async move {
            let fields: Vec<(&str, &str)> = form.iter().map(|(n, v)| (*n, v.as_str())).collect();
            app.post("/api/events/check_in_member", &cookie, &fields).await
        }
    };
    send(cyd.clone(), tick("bob")).await.assert_status(StatusCode::FORBIDDEN);
    send(ada.clone(), tick("bob")).await.assert_ok();
    send(ada.clone(), tick("@cyd")).await.assert_ok();
    let outsider = send(ada.clone(), tick("eve")).await;
    outsider.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(outsider.json()["detail"][0]["field"], "handle");
    assert_eq!(verified_hours(&app, "bob").await, 3.0, "the credited hours");
    assert_eq!(verified_hours(&app, "cyd").await, 3.0, "a walk-in counts too");
    assert_eq!(verified_hours(&app, "eve").await, 0.0);
    let _ = eve;
    let roster = page(&app, &slug, id, Some(&ada)).await.json()["sheet"]["roster"].clone();
    assert!(roster.as_array().unwrap().iter().all(|p| p["checked_in"] == true));
}

#[tokio::test]
async fn the_impact_page_counts_events_held_attendance_and_hours() {
    let app = TestApp::new().await;
    let ([ada, bob, cyd, dee], slug) = club(&app, ["ada", "bob", "cyd", "dee"]).await;
    let id = create_ok(&app, &slug, &ada, &[("recurrence", "once")]).await;
    rsvp(&app, &slug, id, &bob, "going").await.assert_ok();
    rsvp(&app, &slug, id, &cyd, "going").await.assert_ok();
    start_now(&app, id).await;
    let code = code_of(&app, id).await;
    check_in(&app, &slug, id, &bob, &code).await.assert_ok();
    check_in(&app, &slug, id, &dee, &code).await.assert_ok();
    // The occurrence ends: it counts as held.
    crate::common::execute!(
        app,
        "UPDATE event_occurrences SET starts_at = '2000-01-01T10:00:00.000Z', ends_at = '2000-01-01T12:00:00.000Z'"
    );
    let report = app.call("/api/impact/report", &[("slug", &slug)], None).await.json();
    let events = &report["events"];
    assert_eq!(events["held"], 1);
    assert_eq!(events["checked_in"], 2, "a walk-up member counts as attending");
    assert_eq!(
        (events["said_going"].as_i64(), events["came_as_said"].as_i64()),
        (Some(2), Some(1))
    );
    assert_eq!(events["hours"], 4.0);
}

#[tokio::test]
async fn time_present_is_credited_at_check_out_and_a_forgotten_one_waits_for_review() {
    let app = TestApp::new().await;
    let ([ada, bob, cyd], slug) = club(&app, ["ada", "bob", "cyd"]).await;
    let goal_made =
        common::create_goal(&app, &slug, &ada, "500 volunteer hours", "hours", "500", "", "1");
    assert!(goal_made.await.is_success());
    let goal = scalar(&app, "SELECT id FROM goals").await.to_string();
    let changes = [("recurrence", "once"), ("goal_id", goal.as_str()), ("hours_from", "presence")];
    let id = create_ok(&app, &slug, &ada, &changes).await;
    start_now(&app, id).await;
    let code = code_of(&app, id).await;
    let check_out = |cookie: &str| {
        let form = [("slug", slug.clone()), ("occurrence_id", id.to_string())];
        let cookie = cookie.to_owned();
        let app = &app;
        async move {
            let fields: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.post("/api/events/check_out", &cookie, &fields).await
        }
    };

    // Checking in credits nothing yet; checking out credits the time there, from the start.
    check_out(&bob).await.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    check_in(&app, &slug, id, &bob, &code).await.assert_ok();
    assert_eq!(verified_hours(&app, "bob").await, 0.0);
    assert_eq!(page(&app, &slug, id, Some(&bob)).await.json()["can_check_out"], true);
    let forty_ago = app::db::timestamp(chrono::Utc::now() - chrono::Duration::minutes(40));
    crate::common::execute!(
        app,
        "UPDATE event_attendance SET checked_in_at = $1 WHERE occurrence_id = $2",
        &forty_ago,
        id
    );
    check_out(&bob).await.assert_ok();
    let hours = verified_hours(&app, "bob").await;
    assert!((0.15..=0.2).contains(&hours), "ten minutes since the start, not forty: {hours}");
    check_out(&bob).await.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(page(&app, &slug, id, Some(&bob)).await.json()["can_check_out"], false);

    // Cyd forgets to check out: after the end and the grace period it closes itself as
    // work waiting for a leader, never verified by itself, and only once.
    check_in(&app, &slug, id, &cyd, &code).await.assert_ok();
    let now = chrono::Utc::now();
    let at = |minutes: i64| app::db::timestamp(now + chrono::Duration::minutes(minutes));
    crate::common::execute!(
        app,
        "UPDATE event_occurrences SET starts_at = $1, ends_at = $2 WHERE id = $3",
        at(-300),
        at(-180),
        id
    );
    crate::common::execute!(
        app,
        "UPDATE event_attendance SET checked_in_at = $1 WHERE user_id = (SELECT id FROM users WHERE handle = 'cyd')",
        at(-240)
    );
    let close = || app::services::events::close_forgotten_checkouts(&app.state.writes);
    assert_eq!(close().await.unwrap(), 1);
    assert_eq!(close().await.unwrap(), 0);
    let (status, hours, auto): (String, f64, bool) =
        crate::common::on_db!(app, |db| sqlx::query_as(
            "SELECT c.status, c.hours, a.auto_closed FROM event_attendance a
           JOIN contributions c ON c.id = a.contribution_id
           JOIN users u ON u.id = a.user_id WHERE u.handle = 'cyd'",
        )
        .fetch_one(db)
        .await)
        .unwrap();
    assert_eq!((status.as_str(), hours, auto), ("reported", 1.0, true), "check-in to the end");
    assert_eq!(verified_hours(&app, "cyd").await, 0.0);
    let queue = app.call("/api/impact/queue", &[("slug", &slug)], Some(&ada)).await.json();
    assert!(queue.to_string().contains("Check-out was forgotten"), "{queue}");
    check_out(&cyd).await.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
}
