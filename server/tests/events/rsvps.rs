//! RSVPs: seats, the waitlist and its offers, cancelling, and the capacity race.

use crate::common::{notices, texts};
use std::sync::Arc;

use app::domain::events::RsvpChoice;
use app::domain::ids::UserId;
use app::services::events::Dates;

use super::*;

async fn status_of(app: &TestApp, id: i64, handle: &str) -> String {
    crate::common::fetch!(
        app,
        fetch_one,
        "SELECT r.status FROM event_rsvps r JOIN users u ON u.id = r.user_id
          WHERE r.occurrence_id = $1 AND u.handle = $2",
        id,
        handle
    )
}

#[tokio::test]
async fn a_freed_seat_is_offered_to_the_first_in_line_who_takes_it() {
    let app = TestApp::new().await;
    let ([ada, bob, cyd, dee], slug) = club(&app, ["ada", "bob", "cyd", "dee"]).await;
    let id = create_ok(&app, &slug, &ada, &[("capacity", "1"), ("recurrence", "once")]).await;

    rsvp(&app, &slug, id, &bob, "going").await.assert_ok();
    rsvp(&app, &slug, id, &cyd, "going").await.assert_ok();
    rsvp(&app, &slug, id, &dee, "going").await.assert_ok();
    assert_eq!(status_of(&app, id, "bob").await, "going");
    assert_eq!(status_of(&app, id, "cyd").await, "waitlisted");
    let mine = page(&app, &slug, id, Some(&dee)).await.json()["mine"].clone();
    assert_eq!((mine["status"].as_str(), mine["position"].as_i64()), (Some("Waitlisted"), Some(2)));

    // Bob gives up his seat: it is held for Cyd, who hears about it; Dee still waits.
    rsvp(&app, &slug, id, &bob, "not_going").await.assert_ok();
    assert_eq!(status_of(&app, id, "cyd").await, "offered");
    assert!(
        notices(&app, &cyd).await.iter().any(|n| n.contains("A seat opened at River clean-up"))
    );
    let mine = page(&app, &slug, id, Some(&dee)).await.json()["mine"].clone();
    assert_eq!(mine["position"], 1);
    // Someone new joins the line behind Dee, not ahead.
    rsvp(&app, &slug, id, &bob, "going").await.assert_ok();
    assert_eq!(status_of(&app, id, "bob").await, "waitlisted");

    rsvp(&app, &slug, id, &cyd, "going").await.assert_ok();
    assert_eq!(status_of(&app, id, "cyd").await, "going");
    let shown = page(&app, &slug, id, Some(&ada)).await.json();
    assert_eq!(shown["occurrence"]["seats_taken"], 1);
    assert_eq!(shown["waiting"], 2);
    let names = texts(&shown["attendees"], "handle");
    assert_eq!(names, ["cyd", "dee", "bob"], "going first, then the line in order");
}

#[tokio::test]
async fn an_unclaimed_offer_passes_on_to_the_next_in_line() {
    let app = TestApp::new().await;
    let ([ada, bob, cyd, dee], slug) = club(&app, ["ada", "bob", "cyd", "dee"]).await;
    let id = create_ok(&app, &slug, &ada, &[("capacity", "1"), ("recurrence", "once")]).await;
    for member in [&bob, &cyd, &dee] {
        rsvp(&app, &slug, id, member, "going").await.assert_ok();
    }
    rsvp(&app, &slug, id, &bob, "not_going").await.assert_ok();
    assert_eq!(status_of(&app, id, "cyd").await, "offered");

    crate::common::execute!(
        app,
        "UPDATE event_rsvps SET offer_expires_at = '2000-01-01T00:00:00.000Z' WHERE status = 'offered'"
    );
    let expired = app::services::events::pass_on_all_expired_offers(&app.state).await.unwrap();
    assert_eq!(expired, 1);
    assert_eq!(status_of(&app, id, "cyd").await, "not_going");
    assert_eq!(status_of(&app, id, "dee").await, "offered");
    assert!(notices(&app, &cyd).await.iter().any(|n| n.contains("passed on")));
}

#[tokio::test]
async fn guests_cancelled_occurrences_and_hosts_are_checked() {
    let app = TestApp::new().await;
    let ([ada, bob, cyd], slug) = club(&app, ["ada", "bob", "cyd"]).await;
    let id = create_ok(&app, &slug, &ada, &[("capacity", "3"), ("recurrence", "once")]).await;
    let sid = id.to_string();
    let with_guests = |guests: &'static str| {
        [
            ("slug", slug.clone()),
            ("occurrence_id", sid.clone()),
            ("response", "going".into()),
            ("guests", guests.into()),
        ]
    };
    let too_many = with_guests("2");
    let form: Vec<(&str, &str)> = too_many.iter().map(|(n, v)| (*n, v.as_str())).collect();
    let answer = app.post("/api/events/rsvp", &bob, &form).await;
    answer.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(answer.json()["detail"][0]["field"], "guests");
    let one = with_guests("1");
    let form: Vec<(&str, &str)> = one.iter().map(|(n, v)| (*n, v.as_str())).collect();
    app.post("/api/events/rsvp", &bob, &form).await.assert_ok();
    assert_eq!(page(&app, &slug, id, Some(&bob)).await.json()["occurrence"]["seats_taken"], 2);

    let cancel = [("slug", slug.as_str()), ("occurrence_id", sid.as_str())];
    app.post("/api/events/cancel", &cyd, &cancel).await.assert_status(StatusCode::FORBIDDEN);
    app.post("/api/events/cancel", &ada, &cancel).await.assert_ok();
    assert!(notices(&app, &bob).await.iter().any(|n| n.contains("was cancelled")));
    let answer = rsvp(&app, &slug, id, &cyd, "going").await;
    answer.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(answer.json()["detail"][0]["field"], "response");
    app.post("/api/events/cancel", &ada, &cancel).await.assert_status(StatusCode::CONFLICT);
    let listed = list(&app, &slug, Some(&bob)).await.json();
    assert_eq!(listed["upcoming"][0]["cancelled"], true, "a cancelled occurrence stays listed");
}

/// 200 members answer "going" at once for 20 seats: exactly 20 get one and the other
/// 180 wait in one unbroken line.
#[tokio::test]
async fn two_hundred_concurrent_answers_never_overfill_twenty_seats() {
    let app = TestApp::new().await;
    let [ada] = app.sign_up_all(["ada"]).await;
    let slug = found(&app, &ada, "River Keepers", "public", "open").await;
    let id = create_ok(&app, &slug, &ada, &[("capacity", "20"), ("recurrence", "once")]).await;
    let members = add_members(&app, &slug, 200).await;
    let community = Arc::new(app::db::communities::by_slug(&app.db, &slug).await.unwrap().unwrap());
    let answers = members.into_iter().map(|user| {
        let (state, community) = (app.state.clone(), community.clone());
        tokio::spawn(going(state, community, user, id))
    });
    let outcomes: Vec<_> = futures_join(answers).await;
    let going = outcomes.iter().filter(|o| o.position.is_none()).count();
    assert_eq!(going, 20);
    let mut positions: Vec<i64> = outcomes.iter().filter_map(|o| o.position).collect();
    positions.sort_unstable();
    assert_eq!(positions, (1..=180).collect::<Vec<_>>(), "one line, in the order answers arrived");
    assert_eq!(
        scalar(
            &app,
            &format!(
                "SELECT COUNT(*) FROM event_rsvps WHERE occurrence_id = {id} AND status = 'going'"
            )
        )
        .await,
        20
    );
}

/// The same race through two instances on one PostgreSQL database (two backends behind a
/// load balancer): the fleet's write lock keeps the seats and the line exact.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answers_through_two_instances_never_overfill_ten_seats() {
    let a = TestApp::on_postgres().await;
    let b = a.another_instance().await;
    let [ada] = a.sign_up_all(["ada"]).await;
    let slug = found(&a, &ada, "River Keepers", "public", "open").await;
    let id = create_ok(&a, &slug, &ada, &[("capacity", "10"), ("recurrence", "once")]).await;
    let members = add_members(&a, &slug, 60).await;
    let community = Arc::new(app::db::communities::by_slug(&a.db, &slug).await.unwrap().unwrap());
    let answers = members.into_iter().enumerate().map(|(n, user)| {
        let state = if n % 2 == 0 { a.state.clone() } else { b.state.clone() };
        let community = community.clone();
        tokio::spawn(going(state, community, user, id))
    });
    let outcomes: Vec<_> = futures_join(answers).await;
    assert_eq!(outcomes.iter().filter(|o| o.position.is_none()).count(), 10);
    let mut positions: Vec<i64> = outcomes.iter().filter_map(|o| o.position).collect();
    positions.sort_unstable();
    assert_eq!(positions, (1..=50).collect::<Vec<_>>(), "one line across both instances");
}

/// `count` members of `slug` added straight to the database (the race tests' crowd).
async fn add_members(app: &TestApp, slug: &str, count: usize) -> Vec<UserId> {
    let mut members = Vec::new();
    for n in 0..count {
        let user: i64 = crate::common::fetch!(
            app,
            fetch_one,
            "INSERT INTO users (handle, display_name, email, password_hash) VALUES ($1, 'M', $2, 'x') RETURNING id",
            format!("m{n}"),
            format!("m{n}@example.org")
        );
        crate::common::put_membership(app, slug, &format!("m{n}"), "member", "active").await;
        members.push(UserId(user));
    }
    members
}

/// `user` answers "going" to occurrence `id` through the service, as the page's form would.
async fn going(
    state: app::state::AppState,
    community: Arc<app::domain::community::Community>,
    user: UserId,
    id: i64,
) -> Result<app::services::events::RsvpOutcome, app::error::AppError> {
    app::services::events::rsvp(
        &state.writes,
        &community,
        user,
        id,
        Dates::This,
        RsvpChoice::Going(0),
    )
    .await
}

/// Waits for every answer, in the order they were spawned.
async fn futures_join(
    handles: impl Iterator<
        Item = tokio::task::JoinHandle<
            Result<app::services::events::RsvpOutcome, app::error::AppError>,
        >,
    >,
) -> Vec<app::services::events::RsvpOutcome> {
    let mut outcomes = Vec::new();
    for handle in handles.collect::<Vec<_>>() {
        outcomes.push(handle.await.unwrap().unwrap());
    }
    outcomes
}

#[tokio::test]
async fn a_whole_series_answer_covers_every_later_open_date_at_once() {
    let app = TestApp::new().await;
    let ([ada, bob, cyd], slug) = club(&app, ["ada", "bob", "cyd"]).await;
    let first = create_ok(&app, &slug, &ada, &[("capacity", "1")]).await;
    let dates: Vec<i64> = crate::common::fetch!(
        app,
        fetch_all,
        "SELECT id FROM event_occurrences WHERE id >= $1 ORDER BY starts_at",
        first
    );
    assert_eq!(dates.len(), 8);
    // Bob holds the only seat of the second date; the fourth is cancelled.
    rsvp(&app, &slug, dates[1], &bob, "going").await.assert_ok();
    let cancel = [("slug", slug.as_str()), ("occurrence_id", &dates[3].to_string())];
    app.post("/api/events/cancel", &ada, &cancel).await.assert_ok();

    let every = |id: i64, response: &'static str| {
        let (app, slug, cyd) = (&app, slug.clone(), cyd.clone());
        async move {
            let id = id.to_string();
            let form = [
                ("slug", slug.as_str()),
                ("occurrence_id", id.as_str()),
                ("response", response),
                ("whole_series", "yes"),
            ];
            app.post("/api/events/rsvp", &cyd, &form).await
        }
    };
    every(dates[0], "going").await.assert_ok();
    assert_eq!(status_of(&app, dates[0], "cyd").await, "going");
    assert_eq!(status_of(&app, dates[1], "cyd").await, "waitlisted", "full: in line");
    assert_eq!(status_of(&app, dates[2], "cyd").await, "going");
    let on_cancelled =
        format!("SELECT COUNT(*) FROM event_rsvps WHERE occurrence_id = {}", dates[3]);
    assert_eq!(scalar(&app, &on_cancelled).await, 0, "a cancelled date is left alone");
    assert_eq!(status_of(&app, dates[7], "cyd").await, "going");
    // The first date's page lists the later ones with the answer given for them (the
    // cancelled date is not listed), so the member sees the series answer took.
    let first_date = dates[0];
    let listed = |cookie: String| {
        let (app, slug) = (&app, slug.clone());
        async move {
            let answer = page(app, &slug, first_date, Some(&cookie)).await.json();
            answer["next_in_series"]
                .as_array()
                .unwrap()
                .iter()
                .map(|next| {
                    (next["id"].as_i64().unwrap(), next["mine"].as_str().map(str::to_owned))
                })
                .collect::<Vec<_>>()
        }
    };
    let going = Some("Going".to_owned());
    assert_eq!(
        listed(cyd.clone()).await,
        vec![
            (dates[1], Some("Waitlisted".to_owned())),
            (dates[2], going.clone()),
            (dates[4], going.clone()),
            (dates[5], going.clone()),
            (dates[6], going.clone()),
            (dates[7], going.clone()),
        ]
    );
    let bob_sees: Vec<_> = listed(bob.clone()).await.into_iter().map(|(_, mine)| mine).collect();
    assert_eq!(bob_sees[0], going, "each member sees their own answers");
    assert!(bob_sees[1..].iter().all(Option::is_none));

    // "Not going to any" from the sixth date on leaves the earlier answers as they were.
    every(dates[5], "not_going").await.assert_ok();
    assert_eq!(status_of(&app, dates[4], "cyd").await, "going");
    for later in &dates[5..] {
        assert_eq!(status_of(&app, *later, "cyd").await, "not_going");
    }
    // A series answer from a cancelled date is refused and changes nothing.
    every(dates[3], "going").await.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(status_of(&app, dates[5], "cyd").await, "not_going");
}
