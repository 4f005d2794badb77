//! Calendar files, read back with an independent iCalendar parser (Python's `icalendar`).

use crate::common::texts;
use std::io::Write;
use std::process::{Command, Stdio};

use super::*;

/// What `parse_ics.py` reads from `ics`.
fn parsed(ics: &str) -> serde_json::Value {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/events/parse_ics.py");
    // Debian's Python, where `make setup` installs python3-icalendar.
    let mut child = Command::new("/usr/bin/python3")
        .arg(script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 runs (make setup installs python3-icalendar)");
    child.stdin.take().unwrap().write_all(ics.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "parser failed: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[tokio::test]
async fn a_series_is_one_uid_with_its_dates_and_a_cancelled_date_stays_marked() {
    let app = TestApp::new().await;
    let ([ada, bob, eve], slug) = club(&app, ["ada", "bob", "eve"]).await;
    let _ = eve;
    let first = create_ok(&app, &slug, &ada, &[]).await;
    let second: i64 = scalar(
        &app,
        &format!("SELECT id FROM event_occurrences WHERE id > {first} ORDER BY starts_at LIMIT 1"),
    )
    .await;
    let cancel = [("slug", slug.clone()), ("occurrence_id", second.to_string())];
    let fields: Vec<(&str, &str)> = cancel.iter().map(|(n, v)| (*n, v.as_str())).collect();
    app.post("/api/events/cancel", &ada, &fields).await.assert_ok();

    let answer = app.get(&format!("/c/{slug}/e/{first}/event.ics"), Some(&bob)).await;
    answer.assert_ok();
    assert!(answer.headers[header::CONTENT_TYPE].to_str().unwrap().starts_with("text/calendar"));
    let events = parsed(&answer.body);
    let events = events.as_array().unwrap();
    assert_eq!(events.len(), 2, "the series and its one cancelled date");
    let (master, cancelled) = (&events[0], &events[1]);
    assert_eq!(master["uid"], cancelled["uid"]);
    assert_eq!(master["summary"], "River clean-up");
    assert_eq!(master["rdates"].as_array().unwrap().len(), 7);
    assert_eq!(master["status"], "CONFIRMED");
    assert_eq!(cancelled["status"], "CANCELLED");
    assert_eq!(cancelled["recurrence_id"], master["rdates"][0], "the second date");
    assert_eq!(
        (master["sequence"].as_i64(), cancelled["sequence"].as_i64()),
        (Some(1), Some(1)),
        "the change is counted"
    );
    assert!(
        events.iter().all(|e| e["start_is_utc"] == true),
        "UTC times, no TZID without a VTIMEZONE"
    );
    // Every date is 10:00 in London, whatever its offset.
    let mut starts = vec![master["start"].as_str().unwrap().to_owned()];
    starts.extend(
        master["rdates"].as_array().unwrap().iter().map(|d| d.as_str().unwrap().to_owned()),
    );
    for start in starts {
        let at: chrono::DateTime<chrono::Utc> = start.parse().unwrap();
        assert_eq!(
            at.with_timezone(&chrono_tz::Europe::London).format("%H:%M").to_string(),
            "10:00"
        );
    }
    // Outside the community the members-only event does not exist.
    app.get(&format!("/c/{slug}/e/{first}/event.ics"), None)
        .await
        .assert_status(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_public_communitys_calendar_has_only_public_events_and_a_private_one_has_none() {
    let app = TestApp::new().await;
    let ([ada], slug) = club(&app, ["ada"]).await;
    create_ok(&app, &slug, &ada, &[("recurrence", "once"), ("title", "Members' meeting")]).await;
    create_ok(
        &app,
        &slug,
        &ada,
        &[("recurrence", "once"), ("visibility", "public"), ("title", "Open day")],
    )
    .await;
    let answer = app.get(&format!("/c/{slug}/calendar/events.ics"), None).await;
    answer.assert_ok();
    let events = parsed(&answer.body);
    let titles = texts(&events, "summary");
    assert_eq!(titles, ["Open day"]);

    let quiet = found(&app, &ada, "Quiet Circle", "private", "invite").await;
    app.get(&format!("/c/{quiet}/calendar/events.ics"), Some(&ada))
        .await
        .assert_status(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_private_feed_lists_what_i_am_going_to_until_i_replace_or_revoke_it() {
    let app = TestApp::new().await;
    let ([ada, bob], slug) = club(&app, ["ada", "bob"]).await;
    let going =
        create_ok(&app, &slug, &ada, &[("recurrence", "once"), ("title", "Planting day")]).await;
    create_ok(&app, &slug, &ada, &[("recurrence", "once"), ("title", "Not for Bob")]).await;
    rsvp(&app, &slug, going, &bob, "going").await.assert_ok();

    app.post("/api/events/calendar_feed", &bob, &[]).await.assert_ok();
    let link = app.post("/api/events/new_calendar_feed", &bob, &[]).await.json();
    let path = link
        .as_str()
        .unwrap()
        .split_once("/calendar/")
        .map(|(_, t)| format!("/calendar/{t}"))
        .unwrap();
    assert!(path.len() > "/calendar/.ics".len() + 60, "an unguessable token: {path}");
    let feed = app.get(&path, None).await;
    feed.assert_ok();
    let titles = texts(&parsed(&feed.body), "summary");
    assert_eq!(titles, ["Planting day"]);

    // A new link replaces the old one; turning it off ends it.
    let newer = app.post("/api/events/new_calendar_feed", &bob, &[]).await.json();
    app.get(&path, None).await.assert_status(StatusCode::NOT_FOUND);
    let newer = newer
        .as_str()
        .unwrap()
        .split_once("/calendar/")
        .map(|(_, t)| format!("/calendar/{t}"))
        .unwrap();
    app.get(&newer, None).await.assert_ok();
    app.post("/api/events/revoke_calendar_feed", &bob, &[]).await.assert_ok();
    app.get(&newer, None).await.assert_status(StatusCode::NOT_FOUND);
    app.call("/api/events/new_calendar_feed", &[], None)
        .await
        .assert_status(StatusCode::UNAUTHORIZED);
}
