//! Editing events: only this date, this and later dates (the series splits in two), or
//! every upcoming date; capacity never drops below the seats taken.

use super::*;

/// The dates of the series that starts with `first`, in order.
async fn dates(app: &TestApp, first: i64) -> Vec<i64> {
    crate::common::fetch!(
        app,
        fetch_all,
        "SELECT id FROM event_occurrences WHERE id >= $1 ORDER BY starts_at",
        first
    )
}

/// Edits occurrence `id` as `cookie` with `scope` and field `changes` over its current form.
async fn edit(
    app: &TestApp,
    slug: &str,
    cookie: &str,
    id: i64,
    scope: &str,
    changes: &[(&str, &str)],
) -> common::Answer {
    let id = id.to_string();
    let current = app
        .call("/api/events/edit_form", &[("slug", slug), ("occurrence_id", &id)], Some(cookie))
        .await;
    current.assert_ok();
    let form = current.json()[1].clone();
    let mut fields: Vec<(String, String)> = vec![
        ("slug".into(), slug.into()),
        ("occurrence_id".into(), id.clone()),
        ("form[scope]".into(), scope.into()),
    ];
    for key in [
        "title",
        "description",
        "starts",
        "ends",
        "ends_next_day",
        "place",
        "online_url",
        "capacity",
    ] {
        let value = changes
            .iter()
            .find(|(k, _)| *k == key)
            .map_or_else(|| form[key].as_str().unwrap_or("").to_owned(), |(_, v)| (*v).to_owned());
        fields.push((format!("form[{key}]"), value));
    }
    let borrowed: Vec<(&str, &str)> =
        fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    app.post("/api/events/edit", cookie, &borrowed).await
}

/// (title, local start in London, series id) of occurrence `id`.
async fn shape(app: &TestApp, slug: &str, cookie: &str, id: i64) -> (String, String, i64) {
    let shown = page(app, slug, id, Some(cookie)).await.json();
    let starts: chrono::DateTime<chrono::Utc> =
        shown["occurrence"]["starts_at"].as_str().unwrap().parse().unwrap();
    let local = starts.with_timezone(&chrono_tz::Europe::London).format("%H:%M").to_string();
    let series =
        scalar(app, &format!("SELECT series_id FROM event_occurrences WHERE id = {id}")).await;
    (shown["occurrence"]["title"].as_str().unwrap().to_owned(), local, series)
}

#[tokio::test]
async fn one_date_changes_alone_and_calendars_show_it_as_an_override() {
    let app = TestApp::new().await;
    let ([ada, bob], slug) = club(&app, ["ada", "bob"]).await;
    let first = create_ok(&app, &slug, &ada, &[]).await;
    let all = dates(&app, first).await;
    rsvp(&app, &slug, all[2], &bob, "going").await.assert_ok();
    let original: String = crate::common::fetch!(
        app,
        fetch_one,
        "SELECT starts_at FROM event_occurrences WHERE id = $1",
        all[2]
    );

    // Members do not edit; hosts do.
    edit(&app, &slug, &ada, all[2], "this", &[]).await.assert_ok();
    let third = all[2].to_string();
    let target = [("slug", slug.as_str()), ("occurrence_id", third.as_str())];
    let form_for_bob = app.call("/api/events/edit_form", &target, Some(&bob)).await;
    form_for_bob.assert_status(StatusCode::FORBIDDEN);
    let mut as_bob = target.to_vec();
    as_bob.extend([
        ("form[scope]", "this"),
        ("form[title]", "Mine now"),
        ("form[starts]", "10:00"),
    ]);
    as_bob.extend([("form[ends]", "11:00"), ("form[place]", "Here"), ("form[description]", "")]);
    as_bob.extend([("form[online_url]", ""), ("form[capacity]", "")]);
    app.post("/api/events/edit", &bob, &as_bob).await.assert_status(StatusCode::FORBIDDEN);
    edit(
        &app,
        &slug,
        &ada,
        all[2],
        "this",
        &[("title", "Litter pick special"), ("starts", "11:00"), ("ends", "13:00")],
    )
    .await
    .assert_ok();
    assert_eq!(shape(&app, &slug, &bob, all[2]).await.0, "Litter pick special");
    assert_eq!(shape(&app, &slug, &bob, all[2]).await.1, "11:00");
    for other in [all[1], all[3]] {
        assert_eq!(shape(&app, &slug, &bob, other).await.0, "River clean-up");
        assert_eq!(shape(&app, &slug, &bob, other).await.1, "10:00");
    }
    assert!(common::audit_actions(&app, &slug).await.contains(&"event_edited".to_owned()));
    let told = app.call("/api/notifications/list", &[], Some(&bob)).await.json();
    assert!(told.to_string().contains("Litter pick special changed"), "{told}");

    // The calendar keeps one UID: the changed date is an override named by its old start.
    let ics = app.get(&format!("/c/{slug}/e/{first}/event.ics"), Some(&ada)).await.body;
    let old = chrono::DateTime::parse_from_rfc3339(&original).unwrap().format("%Y%m%dT%H%M%SZ");
    assert!(ics.contains(&format!("RECURRENCE-ID:{old}")), "{ics}");
    assert!(ics.contains("SUMMARY:Litter pick special"));
    assert!(ics.contains("SEQUENCE:2"), "edited twice: {ics}");
}

#[tokio::test]
async fn this_and_following_splits_the_series_and_keeps_every_answer() {
    let app = TestApp::new().await;
    let ([ada, bob], slug) = club(&app, ["ada", "bob"]).await;
    let first = create_ok(&app, &slug, &ada, &[]).await;
    let all = dates(&app, first).await;
    rsvp(&app, &slug, all[5], &bob, "going").await.assert_ok();
    edit(&app, &slug, &ada, all[3], "following", &[("starts", "09:00"), ("ends", "11:30")])
        .await
        .assert_ok();
    let (_, _, old_series) = shape(&app, &slug, &bob, all[0]).await;
    for early in &all[..3] {
        assert_eq!(shape(&app, &slug, &bob, *early).await.1, "10:00");
        assert_eq!(shape(&app, &slug, &bob, *early).await.2, old_series);
    }
    let (_, _, new_series) = shape(&app, &slug, &bob, all[3]).await;
    assert_ne!(new_series, old_series);
    for later in &all[3..] {
        assert_eq!(shape(&app, &slug, &bob, *later).await.1, "09:00", "London time, any season");
        assert_eq!(shape(&app, &slug, &bob, *later).await.2, new_series);
    }
    let until: String = crate::common::fetch!(
        app,
        fetch_one,
        "SELECT until_date FROM event_series WHERE id = $1",
        old_series
    );
    let third: String = crate::common::fetch!(
        app,
        fetch_one,
        "SELECT local_date FROM event_occurrences WHERE id = $1",
        all[3]
    );
    assert!(until < third, "the old series ends before the split ({until} < {third})");
    let mine = page(&app, &slug, all[5], Some(&bob)).await.json()["mine"]["status"].clone();
    assert_eq!(mine, "Going", "answers stay with their dates");
}

#[tokio::test]
async fn every_date_changes_but_never_below_the_seats_taken() {
    let app = TestApp::new().await;
    let ([ada, bob, cyd, dee], slug) = club(&app, ["ada", "bob", "cyd", "dee"]).await;
    let first = create_ok(&app, &slug, &ada, &[("capacity", "2")]).await;
    let all = dates(&app, first).await;
    rsvp(&app, &slug, all[1], &bob, "going").await.assert_ok();
    rsvp(&app, &slug, all[1], &cyd, "going").await.assert_ok();
    rsvp(&app, &slug, all[1], &dee, "going").await.assert_ok();
    let before = scalar(&app, "SELECT COUNT(*) FROM audit_log").await;
    edit(&app, &slug, &ada, all[0], "all", &[("capacity", "1"), ("title", "Smaller")])
        .await
        .assert_status(StatusCode::CONFLICT);
    assert_eq!(shape(&app, &slug, &bob, all[1]).await.0, "River clean-up", "nothing written");
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM audit_log").await, before);

    edit(&app, &slug, &ada, all[0], "all", &[("capacity", "3"), ("place", "Weir car park")])
        .await
        .assert_ok();
    let shown = page(&app, &slug, all[1], Some(&dee)).await.json();
    assert_eq!(shown["occurrence"]["place"], "Weir car park");
    assert_eq!(shown["mine"]["status"], "Offered", "the new seat goes to the first in line");
    // A date that has begun or was cancelled is not edited.
    let cancel = [("slug", slug.as_str()), ("occurrence_id", &all[6].to_string())];
    app.post("/api/events/cancel", &ada, &cancel).await.assert_ok();
    edit(&app, &slug, &ada, all[6], "this", &[])
        .await
        .assert_status(StatusCode::UNPROCESSABLE_ENTITY);
}
