//! Events through the HTTP API on a real SQLite file: creating series, who sees them,
//! RSVPs, the waitlist and its offers, cancelling, and capacity under concurrency.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../common/mod.rs"]
mod common;

use axum::http::{StatusCode, header};
use common::{TestApp, found, join, scalar};

mod calendar;
mod checkin;
mod edits;
mod reminders;
mod rsvps;

/// A public, open "River Keepers" founded by the first of `handles`, whom the others
/// join. Returns everyone's session cookie, in order, and the slug.
async fn club<const N: usize>(app: &TestApp, handles: [&str; N]) -> ([String; N], String) {
    let cookies = app.sign_up_all(handles).await;
    let slug = found(app, &cookies[0], "River Keepers", "public", "open").await;
    for member in &cookies[1..] {
        join(app, &slug, member).await;
    }
    (cookies, slug)
}

/// A date `days` from today, as the form takes it.
fn in_days(days: i64) -> String {
    (chrono::Utc::now().date_naive() + chrono::Duration::days(days)).to_string()
}

/// The fields of a weekly Saturday-morning clean-up, with `changes` applied.
fn event_form(changes: &[(&'static str, &str)]) -> Vec<(&'static str, String)> {
    let mut form: Vec<(&'static str, String)> = vec![
        ("form[title]", "River clean-up".into()),
        ("form[description]", "Bring **gloves**.".into()),
        ("form[date]", in_days(3)),
        ("form[starts]", "10:00".into()),
        ("form[ends]", "12:00".into()),
        ("form[ends_next_day]", String::new()),
        ("form[time_zone]", "Europe/London".into()),
        ("form[place]", "Mill Lane bridge".into()),
        ("form[online_url]", String::new()),
        ("form[capacity]", String::new()),
        ("form[guests_max]", "1".into()),
        ("form[rsvp_cutoff_hours]", String::new()),
        ("form[initiative_id]", String::new()),
        ("form[goal_id]", String::new()),
        ("form[credited_hours]", String::new()),
        ("form[visibility]", "members".into()),
        ("form[recurrence]", "weekly".into()),
        ("form[until]", in_days(3 + 7 * 7)),
        ("form[reminders]", "yes".into()),
        ("form[hours_from]", String::new()),
    ];
    for (name, value) in changes {
        let field = format!("form[{name}]");
        let slot = form.iter_mut().find(|(n, _)| *n == field).expect("a form field");
        slot.1 = (*value).to_owned();
    }
    form
}

/// Creates an event as `cookie`; answers the response.
async fn create(
    app: &TestApp,
    slug: &str,
    cookie: &str,
    changes: &[(&'static str, &str)],
) -> common::Answer {
    let form = event_form(changes);
    let mut fields: Vec<(&str, &str)> = vec![("slug", slug)];
    fields.extend(form.iter().map(|(n, v)| (*n, v.as_str())));
    app.post("/api/events/create", cookie, &fields).await
}

/// Creates an event and returns its first occurrence's id.
async fn create_ok(
    app: &TestApp,
    slug: &str,
    cookie: &str,
    changes: &[(&'static str, &str)],
) -> i64 {
    let answer = create(app, slug, cookie, changes).await;
    answer.assert_ok();
    let location = answer.headers[header::LOCATION].to_str().unwrap().to_owned();
    location.rsplit('/').next().unwrap().parse().unwrap()
}

async fn list(app: &TestApp, slug: &str, cookie: Option<&str>) -> common::Answer {
    app.call("/api/events/list", &[("slug", slug)], cookie).await
}

async fn page(app: &TestApp, slug: &str, id: i64, cookie: Option<&str>) -> common::Answer {
    app.call("/api/events/get", &[("slug", slug), ("occurrence_id", &id.to_string())], cookie).await
}

async fn rsvp(app: &TestApp, slug: &str, id: i64, cookie: &str, response: &str) -> common::Answer {
    let id = id.to_string();
    let form =
        [("slug", slug), ("occurrence_id", id.as_str()), ("response", response), ("guests", "0")];
    app.post("/api/events/rsvp", cookie, &form).await
}

#[tokio::test]
async fn a_leader_creates_a_weekly_series_that_members_see_at_its_local_time() {
    let app = TestApp::new().await;
    let [ada, bob, eve] = app.sign_up_all(["ada", "bob", "eve"]).await;
    let slug = found(&app, &ada, "River Keepers", "public", "open").await;
    join(&app, &slug, &bob).await;

    let first = create_ok(&app, &slug, &ada, &[]).await;
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM event_occurrences").await, 8);
    assert_eq!(common::audit_actions(&app, &slug).await.last().unwrap(), "event_created");

    let listed = list(&app, &slug, Some(&bob)).await.json();
    let upcoming = listed["upcoming"].as_array().unwrap();
    assert_eq!(upcoming.len(), 8);
    assert_eq!(upcoming[0]["id"], first);
    assert_eq!(listed["can_host"], false, "members do not host without an initiative");
    // Each occurrence starts at 10:00 in London, whatever the offset that week.
    for occurrence in upcoming {
        let starts: chrono::DateTime<chrono::Utc> =
            occurrence["starts_at"].as_str().unwrap().parse().unwrap();
        let local = starts.with_timezone(&chrono_tz::Europe::London);
        assert_eq!(local.format("%H:%M").to_string(), "10:00");
    }

    let shown = page(&app, &slug, first, Some(&bob)).await.json();
    assert!(shown["description_html"].as_str().unwrap().contains("<strong>gloves</strong>"));
    assert_eq!(shown["can_rsvp"], true);
    assert_eq!(shown["next_in_series"].as_array().unwrap().len(), 6);

    // A members-only event does not exist for someone outside, even in a public community.
    page(&app, &slug, first, Some(&eve)).await.assert_status(StatusCode::NOT_FOUND);
    page(&app, &slug, first, None).await.assert_status(StatusCode::NOT_FOUND);
    assert_eq!(list(&app, &slug, None).await.json()["upcoming"].as_array().unwrap().len(), 0);
    // A public one shows, without names or the online link.
    let open = create_ok(
        &app,
        &slug,
        &ada,
        &[
            ("visibility", "public"),
            ("recurrence", "once"),
            ("online_url", "https://meet.example/x"),
        ],
    )
    .await;
    let outside = page(&app, &slug, open, None).await.json();
    assert_eq!(outside["online_url"], "");
    assert_eq!(outside["can_rsvp"], false);
    rsvp(&app, &slug, open, &eve, "going").await.assert_status(StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_private_communitys_events_answer_not_found_outside_it() {
    let app = TestApp::new().await;
    let [ada, eve] = app.sign_up_all(["ada", "eve"]).await;
    let slug = found(&app, &ada, "Quiet Circle", "private", "invite").await;
    let id =
        create_ok(&app, &slug, &ada, &[("visibility", "public"), ("recurrence", "once")]).await;
    for cookie in [Some(eve.as_str()), None] {
        list(&app, &slug, cookie).await.assert_status(StatusCode::NOT_FOUND);
        page(&app, &slug, id, cookie).await.assert_status(StatusCode::NOT_FOUND);
    }
    rsvp(&app, &slug, id, &eve, "going").await.assert_status(StatusCode::NOT_FOUND);
    create(&app, &slug, &eve, &[]).await.assert_status(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn bad_input_names_the_field_and_writes_nothing() {
    let app = TestApp::new().await;
    let ([ada, bob], slug) = club(&app, ["ada", "bob"]).await;
    let cases: [(&[(&'static str, &str)], &str); 7] = [
        (&[("ends", "09:00")], "ends"),
        (&[("time_zone", "Mars/Olympus")], "time_zone"),
        (&[("capacity", "-2")], "capacity"),
        (&[("until", "")], "until"),
        (&[("until", &in_days(500))], "until"),
        (&[("date", &in_days(-1))], "date"),
        (&[("place", "")], "place"),
    ];
    for (changes, field) in cases {
        let answer = create(&app, &slug, &ada, changes).await;
        answer.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(answer.json()["detail"][0]["field"], field, "{changes:?}");
    }
    // Members host only for an initiative they own.
    create(&app, &slug, &bob, &[]).await.assert_status(StatusCode::FORBIDDEN);
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM event_series").await, 0);
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM event_occurrences").await, 0);
}

#[tokio::test]
async fn a_communitys_time_zone_is_checked_and_is_the_default_for_its_events() {
    let app = TestApp::new().await;
    let [ada] = app.sign_up_all(["ada"]).await;
    let found_in = |zone: &'static str| {
        let ada = ada.clone();
        let app = &app;
        async move {
            app.post(
                "/api/communities/create",
                &ada,
                &[
                    ("form[name]", "Harbour Friends"),
                    ("form[slug]", ""),
                    ("form[mission]", "Keep the harbour clean."),
                    ("form[vision]", ""),
                    ("form[values]", "Care"),
                    ("form[visibility]", "public"),
                    ("form[join_policy]", "open"),
                    ("form[join_questions]", ""),
                    ("form[time_zone]", zone),
                ],
            )
            .await
        }
    };
    let answer = found_in("Mars/Olympus_Mons").await;
    answer.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(answer.json()["detail"][0]["field"], "time_zone");
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM communities").await, 0);
    found_in("Australia/Sydney").await.assert_ok();
    let listed = list(&app, "harbour-friends", Some(&ada)).await.json();
    assert_eq!(listed["time_zone"], "Australia/Sydney");
}
