//! Kudos and badges through the HTTP API on a real SQLite file: kudos cite a value and
//! optionally a contribution of the person thanked, never oneself, within a weekly budget
//! that holds under concurrent kudos; retraction, hiding; counts are distinct people;
//! badges earned from verified work only, versioned rules, awards by hand, revocation,
//! recomputation; privacy. Open Badges export, verification and sharing in [`open_badges`].
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../common/mod.rs"]
mod common;
mod open_badges;

use axum::http::StatusCode;
use common::{
    TestApp, audit_actions, create_goal, found, four_members, log_contribution_on, scalar,
};
use serde_json::Value;

/// A public, open "River Keepers" (values Care and Courage) founded by ada, with bob,
/// cyd and dan as members and one goal, "Hours given".
async fn river(app: &TestApp) -> ([String; 4], String) {
    let (cookies, slug) = four_members(app, "River Keepers").await;
    let goal = create_goal(app, &slug, &cookies[0], "Hours given", "hours", "1000", "", "1").await;
    assert!(goal.is_success());
    (cookies, slug)
}

/// Logs `hours` as `author` (today) and has ada verify it; returns the contribution id.
async fn verified_hours(app: &TestApp, slug: &str, author: &str, ada: &str, hours: &str) -> i64 {
    let goal = scalar(app, "SELECT MAX(id) FROM goals").await.to_string();
    let today = chrono::Utc::now().date_naive().to_string();
    log_contribution_on(app, slug, author, (&goal, ""), "", hours, &today).await.assert_ok();
    let id = scalar(app, "SELECT MAX(id) FROM contributions").await.to_string();
    app.post(
        "/api/impact/decide_contribution",
        ada,
        &[("slug", slug), ("contribution_id", &id), ("decision", "verify"), ("reason", "")],
    )
    .await
    .assert_ok();
    id.parse().unwrap()
}

/// Gives kudos as `cookie`.
async fn kudos(
    app: &TestApp,
    slug: &str,
    cookie: &str,
    to: &str,
    value: &str,
    contribution: &str,
) -> common::Answer {
    app.post(
        "/api/recognition/give",
        cookie,
        &[
            ("slug", slug),
            ("form[to]", to),
            ("form[value]", value),
            ("form[message]", "Thank you for the Saturday clean-up!"),
            ("form[contribution_id]", contribution),
        ],
    )
    .await
}

async fn wall(app: &TestApp, slug: &str, cookie: Option<&str>) -> Value {
    let answer = app.call("/api/recognition/page", &[("slug", slug)], cookie).await;
    answer.assert_ok();
    answer.json()
}

async fn recognition_of(app: &TestApp, handle: &str, cookie: Option<&str>) -> Value {
    let answer = app.call("/api/users/recognition", &[("handle", handle)], cookie).await;
    answer.assert_ok();
    answer.json()
}

#[tokio::test]
async fn kudos_cite_a_value_and_a_contribution_and_count_distinct_people() {
    let app = TestApp::new().await;
    let ([ada, bob, cyd, dan], slug) = river(&app).await;
    let contribution = verified_hours(&app, &slug, &bob, &ada, "2").await.to_string();

    kudos(&app, &slug, &cyd, "@bob", "care", &contribution).await.assert_ok();
    kudos(&app, &slug, &cyd, "bob", "Courage", "").await.assert_ok();

    let page = wall(&app, &slug, None).await;
    let first = &page["kudos"][1];
    assert_eq!(first["value"], "Care", "the value as the community spells it");
    assert_eq!(first["receivers"][0]["handle"], "bob");
    assert_eq!(first["giver"]["handle"], "cyd");
    assert_eq!(first["contribution"][0], contribution.parse::<i64>().unwrap());
    let filtered = app
        .call("/api/recognition/page", &[("slug", &slug), ("value", "Courage")], None)
        .await
        .json();
    assert_eq!(filtered["kudos"].as_array().unwrap().len(), 1);

    // Two kudos from one person count as one person.
    let profile = recognition_of(&app, "bob", None).await;
    assert_eq!(profile[0]["thanked_by"], 1);
    kudos(&app, &slug, &dan, "bob", "Care", "").await.assert_ok();
    assert_eq!(recognition_of(&app, "bob", None).await[0]["thanked_by"], 2);

    // The receiver is told.
    let told = crate::common::told(&app, "bob", "thanked you").await;
    assert_eq!(told, 3);

    // The contribution shows who thanked it, by distinct people.
    let thanked: i64 = scalar(
        &app,
        &format!(
            "SELECT COUNT(DISTINCT giver_id) FROM kudos WHERE contribution_id = {contribution}"
        ),
    )
    .await;
    assert_eq!(thanked, 1);
    let list = app.call("/api/users/contributions", &[("handle", "bob")], Some(&ada)).await;
    list.assert_ok();
    assert!(list.body.contains("\"thanked_by\":1"), "{}", list.body);
}

#[tokio::test]
async fn bad_kudos_get_a_field_error_and_write_nothing() {
    let app = TestApp::new().await;
    let ([ada, bob, cyd, _], slug) = river(&app).await;
    let bobs = verified_hours(&app, &slug, &bob, &ada, "1").await.to_string();
    let other = found(&app, &ada, "Food Bank", "public", "open").await;
    let _ = other;

    let cases: [(&str, &str, &str, &str, &str); 6] = [
        (&cyd, "bob", "", "", "value"),
        (&cyd, "bob", "Honesty", "", "value"),
        (&cyd, "cyd", "Care", "", "to"),
        (&cyd, "nobody", "Care", "", "to"),
        (&cyd, "ada", "Care", &bobs, "contribution_id"),
        (&bob, "", "Care", "", "to"),
    ];
    for (giver, to, value, contribution, field) in cases {
        let answer = kudos(&app, &slug, giver, to, value, contribution).await;
        answer.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(answer.body.contains(field), "{to}/{value}: {}", answer.body);
    }
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM kudos").await, 0);
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM kudos_receivers").await, 0);
}

#[tokio::test]
async fn the_weekly_budget_holds_under_concurrent_kudos() {
    let app = TestApp::new().await;
    let ([ada, bob, cyd, _], slug) = river(&app).await;
    app.post("/api/recognition/budget", &bob, &[("slug", &slug), ("budget", "3")])
        .await
        .assert_status(StatusCode::FORBIDDEN);
    app.post("/api/recognition/budget", &ada, &[("slug", &slug), ("budget", "3")])
        .await
        .assert_ok();

    let attempts = (0..10).map(|_| kudos(&app, &slug, &cyd, "bob", "Care", ""));
    let answers = futures::future::join_all(attempts).await;
    let accepted = answers.iter().filter(|a| a.status.is_success()).count();
    assert_eq!(accepted, 3, "exactly the budget is accepted");
    assert!(
        answers
            .iter()
            .all(|a| a.status.is_success() || a.status == StatusCode::UNPROCESSABLE_ENTITY)
    );
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM kudos").await, 3);
    assert_eq!(wall(&app, &slug, Some(&cyd)).await["budget_left"], 0);

    // Taking one back gives it back to the budget.
    let id = scalar(&app, "SELECT MAX(id) FROM kudos").await.to_string();
    app.post("/api/recognition/retract", &bob, &[("slug", &slug), ("id", &id)])
        .await
        .assert_status(StatusCode::FORBIDDEN);
    app.post("/api/recognition/retract", &cyd, &[("slug", &slug), ("id", &id)]).await.assert_ok();
    assert_eq!(wall(&app, &slug, Some(&cyd)).await["kudos"].as_array().unwrap().len(), 2);
    kudos(&app, &slug, &cyd, "bob", "Care", "").await.assert_ok();

    // Later than ten minutes it stays.
    crate::common::execute!(app, "UPDATE kudos SET created_at = '2020-01-01T00:00:00.000Z'");
    let id = scalar(&app, "SELECT MAX(id) FROM kudos").await.to_string();
    app.post("/api/recognition/retract", &cyd, &[("slug", &slug), ("id", &id)])
        .await
        .assert_status(StatusCode::CONFLICT);
}

#[tokio::test]
async fn moderators_hide_a_kudos_naming_a_value() {
    let app = TestApp::new().await;
    let ([ada, bob, cyd, _], slug) = river(&app).await;
    kudos(&app, &slug, &cyd, "bob", "Care", "").await.assert_ok();
    let id = scalar(&app, "SELECT MAX(id) FROM kudos").await.to_string();
    let hide = |cookie: String, value: &str| {
        let form = [("slug", slug.as_str()), ("id", &id), ("value", value), ("note", "Not kind")];
        app.post_copied("/api/recognition/hide", &cookie, &form)
    };
    hide(bob.clone(), "Care").await.assert_status(StatusCode::FORBIDDEN);
    hide(ada.clone(), "Greed").await.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    hide(ada.clone(), "Care").await.assert_ok();
    assert!(wall(&app, &slug, None).await["kudos"].as_array().unwrap().is_empty());
    assert!(audit_actions(&app, &slug).await.contains(&"kudos_hidden".to_owned()));
    assert_eq!(recognition_of(&app, "bob", None).await.as_array().unwrap().len(), 0);
}

#[tokio::test]
async fn an_initiatives_team_is_thanked_together() {
    let app = TestApp::new().await;
    let ([ada, bob, cyd, dan], slug) = river(&app).await;
    let fields = [("title", "Weir clean-up"), ("description", "Clear the weir every month.")];
    let initiative = crate::common::approved_initiative(&app, &slug, &bob, &ada, &fields).await;
    // Approval earned bob the "Initiative lead" default badge.
    let badges = &recognition_of(&app, "bob", None).await[0]["badges"];
    assert!(badges.as_array().unwrap().iter().any(|b| b["badge_name"] == "Initiative lead"));

    let answer = app
        .post(
            "/api/recognition/give",
            &cyd,
            &[
                ("slug", &slug),
                ("form[initiative_id]", &initiative),
                ("form[value]", "Courage"),
                ("form[message]", "The whole weir crew!"),
            ],
        )
        .await;
    answer.assert_ok();
    let page = wall(&app, &slug, Some(&dan)).await;
    assert_eq!(page["kudos"][0]["receivers"][0]["handle"], "bob");
    assert_eq!(page["kudos"][0]["initiative"][1], "Weir clean-up");
}

#[tokio::test]
async fn badges_are_earned_from_verified_hours_and_rules_are_versioned() {
    let app = TestApp::new().await;
    let ([ada, bob, ..], slug) = river(&app).await;
    let hours_badge =
        scalar(&app, "SELECT id FROM badges WHERE name = 'Hours given' AND community_id = 1").await;

    // Reported but not verified: nothing.
    let goal = scalar(&app, "SELECT MAX(id) FROM goals").await.to_string();
    let today = chrono::Utc::now().date_naive().to_string();
    log_contribution_on(&app, &slug, &bob, (&goal, ""), "", "40", &today).await.assert_ok();
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM badge_awards").await, 0);

    verified_hours(&app, &slug, &bob, &ada, "6").await;
    verified_hours(&app, &slug, &bob, &ada, "5").await;
    let awards: Vec<(String, i64)> = crate::common::on_db!(app, |db| sqlx::query_as(
        "SELECT b.name, a.level FROM badge_awards a JOIN badges b ON b.id = a.badge_id ORDER BY a.id",
    )
    .fetch_all(db)
    .await)
    .unwrap();
    assert_eq!(awards, vec![("First contribution".into(), 1), ("Hours given".into(), 1)]);
    let told = scalar(
        &app,
        "SELECT COUNT(*) FROM notifications WHERE body LIKE 'You earned the badge “Hours given · 10 hours”%'",
    )
    .await;
    assert_eq!(told, 1);

    // Raising the threshold is a new rule version; the award made under version 1 stays.
    let update = |levels: &str| {
        let form = [
            ("slug", slug.as_str()),
            ("id", &hours_badge.to_string()),
            ("form[name]", "Hours given"),
            ("form[icon]", "clock"),
            ("form[metric]", "verified_hours"),
            ("form[levels]", levels),
        ];
        app.post_copied("/api/badges/update", &ada, &form)
    };
    update("-5").await.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    update("20, 50, 100").await.assert_ok();
    assert_eq!(scalar(&app, "SELECT rule_version FROM badges WHERE name = 'Hours given'").await, 2);
    let recomputed =
        app::services::badges::recompute(&app.state.writes, app::domain::ids::CommunityId(1))
            .await
            .unwrap();
    assert_eq!(recomputed, app::services::badges::Recomputed::default());
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM badge_awards WHERE revoked_at IS NULL").await, 2);

    // The badge page lists the holder; the profile shows the badge.
    let page = app
        .call("/api/badges/get", &[("slug", &slug), ("id", &hours_badge.to_string())], None)
        .await
        .json();
    assert_eq!(page["awards"][0]["handle"], "bob");
    assert_eq!(page["badge"]["criteria"], "Reach 20 / 50 / 100 verified hours.");
}

#[tokio::test]
async fn badges_given_by_hand_need_a_leader_and_a_reason_and_revoked_ones_stay_visible() {
    let app = TestApp::new().await;
    let ([ada, bob, ..], slug) = river(&app).await;
    let create = |cookie: String, metric: &str, levels: &str| {
        let form = [
            ("slug", slug.as_str()),
            ("form[name]", "Weir hero"),
            ("form[description]", "Went in the water when it mattered."),
            ("form[icon]", "heart"),
            ("form[metric]", metric),
            ("form[levels]", levels),
        ];
        app.post_copied("/api/badges/create", &cookie, &form)
    };
    create(bob.clone(), "manual", "").await.assert_status(StatusCode::FORBIDDEN);
    create(ada.clone(), "", "").await.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    create(ada.clone(), "verified_hours", "-1")
        .await
        .assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM badges WHERE name = 'Weir hero'").await, 0);
    create(ada.clone(), "manual", "").await.assert_ok();
    let badge = scalar(&app, "SELECT id FROM badges WHERE name = 'Weir hero'").await.to_string();

    let award = |cookie: String, reason: &str| {
        let form = [("slug", slug.as_str()), ("id", &badge), ("handle", "cyd"), ("reason", reason)];
        app.post_copied("/api/badges/award", &cookie, &form)
    };
    award(bob.clone(), "Brave").await.assert_status(StatusCode::FORBIDDEN);
    award(ada.clone(), " ").await.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    award(ada.clone(), "Pulled a trolley out of the weir").await.assert_ok();
    award(ada.clone(), "Again").await.assert_status(StatusCode::CONFLICT);

    let id = scalar(&app, "SELECT MAX(id) FROM badge_awards").await.to_string();
    app.post("/api/badges/revoke", &ada, &[("slug", &slug), ("award", &id), ("reason", "")])
        .await
        .assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    app.post(
        "/api/badges/revoke",
        &ada,
        &[("slug", &slug), ("award", &id), ("reason", "Awarded to the wrong person")],
    )
    .await
    .assert_ok();
    let page = app.call("/api/badges/get", &[("slug", &slug), ("id", &badge)], None).await.json();
    assert_eq!(page["awards"][0]["revoke_reason"], "Awarded to the wrong person");
    assert!(page["awards"][0]["revoked_at"].is_string());
    assert_eq!(page["badge"]["holders"], 0);
    let actions = audit_actions(&app, &slug).await;
    for action in ["badge_created", "badge_awarded", "badge_revoked"] {
        assert!(actions.contains(&action.to_owned()), "{action}");
    }
}

#[tokio::test]
async fn a_private_communitys_recognition_and_badges_answer_404_to_outsiders() {
    let app = TestApp::new().await;
    let [ada, bob, eve] = app.sign_up_all(["ada", "bob", "eve"]).await;
    let slug = found(&app, &ada, "Quiet Circle", "private", "invite").await;
    let _ = bob;
    let badge = scalar(&app, "SELECT MIN(id) FROM badges").await.to_string();
    for (endpoint, form) in [
        ("/api/recognition/page", vec![("slug", slug.as_str())]),
        ("/api/badges/list", vec![("slug", slug.as_str())]),
        ("/api/badges/get", vec![("slug", slug.as_str()), ("id", badge.as_str())]),
    ] {
        app.call(endpoint, &form, None).await.assert_status(StatusCode::NOT_FOUND);
        app.call(endpoint, &form, Some(&eve)).await.assert_status(StatusCode::NOT_FOUND);
        app.call(endpoint, &form, Some(&ada)).await.assert_ok();
    }
    let missing = app.call("/api/recognition/page", &[("slug", "no-such")], None).await;
    missing.assert_status(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn boards_count_the_last_30_days_and_people_appear_only_when_they_opt_in() {
    let app = TestApp::new().await;
    let ([ada, bob, cyd, _], slug) = river(&app).await;
    verified_hours(&app, &slug, &bob, &ada, "5").await;
    verified_hours(&app, &slug, &cyd, &ada, "3").await;
    // Work done 40 days ago is outside the boards' window.
    let goal = scalar(&app, "SELECT MAX(id) FROM goals").await.to_string();
    let old = (chrono::Utc::now().date_naive() - chrono::Duration::days(40)).to_string();
    log_contribution_on(&app, &slug, &bob, (&goal, ""), "", "50", &old).await.assert_ok();
    let id = scalar(&app, "SELECT MAX(id) FROM contributions").await.to_string();
    let decision =
        [("slug", slug.as_str()), ("contribution_id", &id), ("decision", "verify"), ("reason", "")];
    app.post("/api/impact/decide_contribution", &ada, &decision).await.assert_ok();

    let page =
        || async { app.post("/api/recognition/page", &cyd, &[("slug", slug.as_str())]).await };
    let first = page().await.json();
    let goals = first["goal_board"].as_array().unwrap();
    assert_eq!(goals.len(), 1, "{goals:?}");
    assert_eq!(goals[0]["name"], "Hours given");
    assert_eq!(goals[0]["people"], 2, "bob and cyd moved it in the last 30 days");
    assert_eq!(first["people_board"].as_array().unwrap().len(), 0, "nobody opted in");

    // Bob opts in: he alone appears, with his hours of the window (not the old 50).
    let opt_in = [("slug", slug.as_str()), ("on", "yes")];
    app.post("/api/recognition/board", &bob, &opt_in).await.assert_ok();
    let people = page().await.json()["people_board"].clone();
    let people = people.as_array().unwrap();
    assert_eq!(people.len(), 1, "{people:?}");
    assert_eq!(people[0]["link"], "/u/bob");
    assert_eq!(people[0]["amount"], 5.0);
}

/// The tally of verified work that badge awarding bounds (`member_work_days`, kept by
/// triggers) says what the verified contributions themselves say, across goals and days,
/// verifications, declines, withdrawals and reports still waiting; and the one statement
/// that reads it for awarding also reads every rule badge with the levels held.
#[tokio::test]
async fn the_tally_of_verified_work_matches_the_verified_contributions() {
    use app::db::badges::{WorkDetail, award_inputs, verified_work};
    use app::domain::badges::WorkBounds;
    use app::domain::ids::{CommunityId, UserId};

    let app = TestApp::new().await;
    let ([ada, bob, ..], slug) = river(&app).await;
    let goal = scalar(&app, "SELECT MAX(id) FROM goals").await.to_string();
    let fields = [("title", "Weir clean-up"), ("description", "Clear the weir every month.")];
    let initiative = crate::common::approved_initiative(&app, &slug, &bob, &ada, &fields).await;
    let day =
        |back: i64| (chrono::Utc::now().date_naive() - chrono::Duration::days(back)).to_string();
    let (towards_goal, towards_initiative) = ((goal.as_str(), ""), ("", initiative.as_str()));
    // (what it serves, quantity, hours, days back, what happens to it)
    let work = [
        (towards_goal, "3", "2", 1, "verify"),
        (towards_goal, "", "1.5", 1, "verify"),
        (towards_initiative, "", "4", 1, "verify"),
        (towards_goal, "7", "", 9, "verify"),
        (towards_goal, "", "5", 9, "decline"),
        (towards_initiative, "", "6", 16, "withdraw"),
        (towards_goal, "", "8", 23, "wait"),
        (towards_initiative, "", "0.25", 30, "verify"),
    ];
    for (serves, quantity, hours, back, fate) in work {
        log_contribution_on(&app, &slug, &bob, serves, quantity, hours, &day(back))
            .await
            .assert_ok();
        let id = scalar(&app, "SELECT MAX(id) FROM contributions").await.to_string();
        let answer = match fate {
            "verify" | "decline" => {
                let decision = [
                    ("slug", slug.as_str()),
                    ("contribution_id", id.as_str()),
                    ("decision", fate),
                    ("reason", "seen"),
                ];
                app.post("/api/impact/decide_contribution", &ada, &decision).await
            }
            "withdraw" => {
                let withdrawal = [("slug", slug.as_str()), ("contribution_id", id.as_str())];
                app.post("/api/impact/withdraw_contribution", &bob, &withdrawal).await
            }
            _ => continue,
        };
        answer.assert_ok();
    }
    let community = CommunityId(
        scalar(&app, &format!("SELECT id FROM communities WHERE slug = '{slug}'")).await,
    );
    let user = UserId(scalar(&app, "SELECT id FROM users WHERE handle = 'bob'").await);
    let inputs = award_inputs(&app.db, community, user).await.unwrap();
    let tally = inputs.bounds;
    let verified = verified_work(&app.db, community, user, WorkDetail::ALL).await.unwrap();
    assert_eq!(verified.len(), 5, "five of the eight were verified");
    let counted = WorkBounds::of(&verified);
    assert_eq!(tally.contributions, 5.0);
    assert!((tally.hours - counted.hours).abs() < 1e-9, "{tally:?} against {counted:?}");
    assert!((tally.hours - 7.75).abs() < 1e-9, "declined, withdrawn and waiting hours stay out");
    assert_eq!(tally.quantity_by_goal, counted.quantity_by_goal);
    assert_eq!(tally.quantity_by_goal, vec![(goal.parse::<i64>().unwrap(), 10.0)]);
    assert_eq!(tally.weeks_in_a_row, counted.weeks_in_a_row);
    // Work towards no goal and work towards the goal on one day are two rows of the tally.
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM member_work_days").await, 4);
    // The default rule badges, each once, whatever the tally holds; Bob holds the first
    // contribution's only level and the first of the hours levels (7.75 of 10 is not).
    let held: Vec<(&str, &[i64])> =
        inputs.badges.iter().map(|(b, held)| (b.name.as_str(), held.as_slice())).collect();
    assert_eq!(
        held,
        vec![
            ("First contribution", &[1][..]),
            ("Hours given", &[][..]),
            ("Initiative lead", &[1][..]),
            ("Four weeks in a row", &[][..]),
        ]
    );
}
