//! Reminders 24 hours and 1 hour before, each sent exactly once.

use super::*;

/// Moves every occurrence of the database to start `minutes` from now (for two hours).
async fn starts_in(app: &TestApp, minutes: i64) {
    let start = chrono::Utc::now() + chrono::Duration::minutes(minutes);
    crate::common::execute!(
        app,
        "UPDATE event_occurrences SET starts_at = $1, ends_at = $2",
        app::db::timestamp(start),
        app::db::timestamp(start + chrono::Duration::hours(2))
    );
}

async fn reminded(app: &TestApp, handle: &str) -> Vec<String> {
    crate::common::fetch!(app, fetch_all, "SELECT n.body FROM notifications n JOIN users u ON u.id = n.user_id
          WHERE u.handle = $1 AND (n.body LIKE 'Tomorrow:%' OR n.body LIKE 'Starting within the hour:%')
          ORDER BY n.id", handle)
}

#[tokio::test]
async fn people_going_are_reminded_a_day_and_an_hour_before_exactly_once() {
    let app = TestApp::new().await;
    let ([ada, bob, cyd, dee], slug) = club(&app, ["ada", "bob", "cyd", "dee"]).await;
    let id = create_ok(&app, &slug, &ada, &[("recurrence", "once")]).await;
    rsvp(&app, &slug, id, &bob, "going").await.assert_ok();
    rsvp(&app, &slug, id, &cyd, "interested").await.assert_ok();
    rsvp(&app, &slug, id, &dee, "not_going").await.assert_ok();
    let send = || app::services::events::send_due_reminders(&app.state.writes);

    assert_eq!(send().await.unwrap(), 0, "three days ahead, nothing is due");
    starts_in(&app, 20 * 60).await;
    assert_eq!(send().await.unwrap(), 2, "going and interested, the day before");
    assert_eq!(send().await.unwrap(), 0, "never twice");
    starts_in(&app, 30).await;
    assert_eq!(send().await.unwrap(), 1, "the hour before, only those going");
    assert_eq!(send().await.unwrap(), 0);

    let bob_got = reminded(&app, "bob").await;
    assert_eq!(bob_got.len(), 2);
    assert!(bob_got[0].starts_with("Tomorrow: River clean-up at "), "{bob_got:?}");
    assert!(bob_got[1].starts_with("Starting within the hour: River clean-up"), "{bob_got:?}");
    assert_eq!(reminded(&app, "cyd").await.len(), 1);
    assert!(reminded(&app, "dee").await.is_empty());
}

#[tokio::test]
async fn no_reminders_for_an_event_without_them_or_a_cancelled_one() {
    let app = TestApp::new().await;
    let ([ada, bob], slug) = club(&app, ["ada", "bob"]).await;
    let quiet = create_ok(&app, &slug, &ada, &[("recurrence", "once"), ("reminders", "")]).await;
    let cancelled = create_ok(&app, &slug, &ada, &[("recurrence", "once")]).await;
    for id in [quiet, cancelled] {
        rsvp(&app, &slug, id, &bob, "going").await.assert_ok();
    }
    let form = [("slug", slug.clone()), ("occurrence_id", cancelled.to_string())];
    let fields: Vec<(&str, &str)> = form.iter().map(|(n, v)| (*n, v.as_str())).collect();
    app.post("/api/events/cancel", &ada, &fields).await.assert_ok();
    starts_in(&app, 30).await;
    assert_eq!(app::services::events::send_due_reminders(&app.state.writes).await.unwrap(), 0);
}
