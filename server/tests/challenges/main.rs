//! Challenges through the HTTP API on a real SQLite file: who may create and see them,
//! bad forms, joining teams inside the window, progress derived from verified ledger
//! entries only, milestone notices sent once, and the frozen result.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../common/mod.rs"]
mod common;

use axum::http::StatusCode;
use common::{TestApp, create_goal, found, four_members, join, log_contribution_on, scalar};
use serde_json::Value;

/// A public, open "Food Bank" founded by ada (a leader), with bob, cyd and dan as members
/// and one goal, "Hours given", that contributions serve.
async fn food_bank(app: &TestApp) -> ([String; 4], String) {
    let (cookies, slug) = four_members(app, "Food Bank").await;
    let goal = create_goal(app, &slug, &cookies[0], "Hours given", "hours", "1000", "", "1").await;
    assert!(goal.is_success());
    (cookies, slug)
}

/// Logs `hours` done on `done_on` towards the community's goal as `cookie`.
async fn log_hours(app: &TestApp, slug: &str, cookie: &str, hours: &str, done_on: &str) {
    let goal = scalar(app, "SELECT MAX(id) FROM goals").await.to_string();
    log_contribution_on(app, slug, cookie, (&goal, ""), "", hours, done_on).await.assert_ok();
}

/// A date `days` from today (UTC, the test community's zone), as forms take it.
fn day(days: i64) -> String {
    (chrono::Utc::now().date_naive() + chrono::Duration::days(days)).to_string()
}

/// Creates a challenge as `cookie` with the given fields over a default hours challenge
/// for teams Otters and Herons running from two days ago to five days ahead.
async fn create(
    app: &TestApp,
    slug: &str,
    cookie: &str,
    changes: &[(&str, &str)],
) -> common::Answer {
    let (starts, ends) = (day(-2), day(5));
    let mut fields: Vec<(&str, &str)> = vec![
        ("slug", slug),
        ("form[title]", "December drive"),
        ("form[description]", "Every **hour** counts."),
        ("form[measure]", "hours"),
        ("form[initiative_id]", ""),
        ("form[goal_id]", ""),
        ("form[target]", "10"),
        ("form[starts_on]", &starts),
        ("form[ends_on]", &ends),
        ("form[grace_days]", "2"),
        ("form[daily_cap]", ""),
        ("form[mode]", "teams"),
        ("form[team_score]", "sum"),
        ("form[teams]", "Otters\nHerons"),
    ];
    for (name, value) in changes {
        let slot = fields.iter_mut().find(|(n, _)| n == name).expect("a form field");
        slot.1 = value;
    }
    app.post("/api/challenges/create", cookie, &fields).await
}

/// Creates a challenge and returns its id.
async fn create_ok(app: &TestApp, slug: &str, cookie: &str, changes: &[(&str, &str)]) -> i64 {
    create(app, slug, cookie, changes).await.assert_ok();
    scalar(app, "SELECT MAX(id) FROM challenges").await
}

/// The challenge's page as `cookie` sees it.
async fn page(app: &TestApp, slug: &str, cookie: Option<&str>, id: i64) -> Value {
    let id = id.to_string();
    let answer = app.call("/api/challenges/get", &[("slug", slug), ("id", &id)], cookie).await;
    answer.assert_ok();
    answer.json()
}

/// Joins challenge `id` (on `team`, by name, if given) as `cookie`; answers the status.
async fn join_challenge(
    app: &TestApp,
    slug: &str,
    cookie: &str,
    id: i64,
    team: Option<&str>,
) -> StatusCode {
    let team_id = match team {
        Some(name) => scalar(
            app,
            &format!(
                "SELECT id FROM challenge_teams WHERE challenge_id = {id} AND name = '{name}'"
            ),
        )
        .await
        .to_string(),
        None => String::new(),
    };
    let id = id.to_string();
    let mut fields = vec![("slug", slug), ("id", id.as_str())];
    if team.is_some() {
        fields.push(("team", &team_id));
    }
    app.post("/api/challenges/join", cookie, &fields).await.status
}

/// Logs `hours` done `days_ago` as `cookie` and has ada verify it; returns its id.
async fn verified_hours(
    app: &TestApp,
    slug: &str,
    (author, verifier): (&str, &str),
    hours: &str,
    days_ago: i64,
) -> i64 {
    let done_on = day(-days_ago);
    log_hours(app, slug, author, hours, &done_on).await;
    let id = scalar(app, "SELECT MAX(id) FROM contributions").await.to_string();
    app.post(
        "/api/impact/decide_contribution",
        verifier,
        &[("slug", slug), ("contribution_id", &id), ("decision", "verify"), ("reason", "")],
    )
    .await
    .assert_ok();
    id.parse().unwrap()
}

#[tokio::test]
async fn only_leaders_create_and_bad_forms_write_nothing() {
    let app = TestApp::new().await;
    let ([ada, bob, ..], slug) = food_bank(&app).await;
    create(&app, &slug, &bob, &[]).await.assert_status(StatusCode::FORBIDDEN);
    for (field, value) in [
        ("form[ends_on]", day(-3)),
        ("form[target]", "-5".to_owned()),
        ("form[teams]", "Only one".to_owned()),
        ("form[measure]", "quantity".to_owned()),
        ("form[mode]", "lottery".to_owned()),
        ("form[grace_days]", "45".to_owned()),
    ] {
        let answer = create(&app, &slug, &ada, &[(field, &value)]).await;
        answer.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
        let expected = field.trim_start_matches("form[").trim_end_matches(']');
        let named = if field == "form[measure]" { "goal_id" } else { expected };
        assert!(answer.body.contains(named), "{field}: {}", answer.body);
    }
    let unknown_goal =
        create(&app, &slug, &ada, &[("form[measure]", "quantity"), ("form[goal_id]", "999")]);
    unknown_goal.await.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM challenges").await, 0);
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM challenge_teams").await, 0);
    create_ok(&app, &slug, &ada, &[]).await;
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM challenge_teams").await, 2);
    assert!(common::audit_actions(&app, &slug).await.contains(&"challenge_created".to_owned()));
}

#[tokio::test]
async fn a_private_communitys_challenges_are_not_found_by_outsiders() {
    let app = TestApp::new().await;
    let [ada, eve] = app.sign_up_all(["ada", "eve"]).await;
    let slug = found(&app, &ada, "Quiet Circle", "private", "invite").await;
    let id = create_ok(&app, &slug, &ada, &[]).await.to_string();
    for (who, cookie) in [("outsider", Some(eve.as_str())), ("anonymous", None)] {
        for endpoint in ["/api/challenges/get", "/api/challenges/list"] {
            let hidden = app.call(endpoint, &[("slug", &slug), ("id", &id)], cookie).await;
            let never = app.call(endpoint, &[("slug", "no-such-place"), ("id", &id)], cookie).await;
            hidden.assert_status(StatusCode::NOT_FOUND);
            assert_eq!(hidden.body, never.body, "{who} {endpoint}");
        }
    }
    let join = app.post("/api/challenges/join", &eve, &[("slug", &slug), ("id", &id)]).await;
    join.assert_status(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn team_progress_comes_only_from_verified_entries_in_the_window() {
    let app = TestApp::new().await;
    let ([ada, bob, cyd, dan], slug) = food_bank(&app).await;
    let id = create_ok(&app, &slug, &ada, &[("form[daily_cap]", "4")]).await;
    assert_eq!(join_challenge(&app, &slug, &bob, id, Some("Otters")).await, StatusCode::OK);
    assert_eq!(join_challenge(&app, &slug, &cyd, id, Some("Herons")).await, StatusCode::OK);
    assert_eq!(join_challenge(&app, &slug, &bob, id, Some("Herons")).await, StatusCode::CONFLICT);
    assert_eq!(join_challenge(&app, &slug, &dan, id, None).await, StatusCode::UNPROCESSABLE_ENTITY);

    // Reported but not verified: nothing moves.
    log_hours(&app, &slug, &bob, "3", &day(-1)).await;
    assert_eq!(page(&app, &slug, Some(&bob), id).await["summary"]["total"], 0.0);

    verified_hours(&app, &slug, (&bob, &ada), "3", 1).await;
    verified_hours(&app, &slug, (&bob, &ada), "6", 0).await; // capped at 4 for the day
    verified_hours(&app, &slug, (&cyd, &ada), "2", 2).await;
    verified_hours(&app, &slug, (&cyd, &ada), "5", 3).await; // before the window
    verified_hours(&app, &slug, (&dan, &ada), "5", 1).await; // on no team
    let shown = page(&app, &slug, Some(&bob), id).await;
    assert_eq!(shown["summary"]["total"], 9.0, "{shown}");
    let board = shown["standings"]["teams"].as_array().unwrap();
    assert_eq!(
        (board[0]["name"].as_str(), board[0]["score"].as_f64()),
        (Some("Otters"), Some(7.0))
    );
    assert_eq!(
        (board[1]["name"].as_str(), board[1]["score"].as_f64()),
        (Some("Herons"), Some(2.0))
    );
    assert_eq!(shown["mine"]["team"], "Otters");
    assert_eq!(shown["mine"]["score"], 7.0);

    // The running challenge shows on the community home and the impact page.
    let home = app.call("/api/communities/home", &[("slug", &slug)], Some(&dan)).await.json();
    assert_eq!(home["challenges"][0]["title"], "December drive");
    let impact = app.call("/api/impact/report", &[("slug", &slug)], None).await.json();
    assert_eq!(impact["challenges"][0]["id"], id);
}

#[tokio::test]
async fn joining_is_refused_outside_the_window() {
    let app = TestApp::new().await;
    let ([ada, bob, ..], slug) = food_bank(&app).await;
    let (starts, ends) = (day(3), day(10));
    let later =
        create_ok(&app, &slug, &ada, &[("form[starts_on]", &starts), ("form[ends_on]", &ends)])
            .await;
    assert_eq!(
        join_challenge(&app, &slug, &bob, later, Some("Otters")).await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let ended = create_ok(&app, &slug, &ada, &[]).await;
    crate::common::execute!(
        app,
        "UPDATE challenges SET starts_on = $1, ends_on = $2 WHERE id = $3",
        day(-9),
        day(-3),
        ended
    );
    assert_eq!(
        join_challenge(&app, &slug, &bob, ended, Some("Otters")).await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM challenge_participants").await, 0);
}

#[tokio::test]
async fn milestones_are_sent_once_and_the_result_freezes_with_its_hash() {
    let app = TestApp::new().await;
    let ([ada, bob, cyd, _], slug) = food_bank(&app).await;
    let id =
        create_ok(&app, &slug, &ada, &[("form[mode]", "collective"), ("form[target]", "4")]).await;
    assert_eq!(join_challenge(&app, &slug, &bob, id, None).await, StatusCode::OK);
    let notices = |who: &'static str| {
        let app = &app;
        async move {
            scalar(
                app,
                &format!(
                    "SELECT COUNT(*) FROM notifications n JOIN users u ON u.id = n.user_id
                      WHERE u.handle = '{who}' AND n.link LIKE '%/challenges/%'"
                ),
            )
            .await
        }
    };
    let upkeep = || app::services::challenges::upkeep(&app.state.writes);

    verified_hours(&app, &slug, (&cyd, &ada), "2", 1).await;
    upkeep().await.unwrap();
    upkeep().await.unwrap();
    assert_eq!((notices("bob").await, notices("ada").await, notices("cyd").await), (1, 1, 0));
    verified_hours(&app, &slug, (&cyd, &ada), "3", 0).await;
    upkeep().await.unwrap();
    assert_eq!(notices("bob").await, 2, "half way, then the target");

    // Counting closes: the result freezes once, sealed by the hash of what is stored.
    crate::common::execute!(
        app,
        "UPDATE challenges SET closes_at = $1 WHERE id = $2",
        app::db::timestamp(chrono::Utc::now()),
        id
    );
    upkeep().await.unwrap();
    upkeep().await.unwrap();
    assert_eq!(notices("bob").await, 3, "and once when it ended");
    let (result, hash): (String, String) = crate::common::on_db!(app, |db| sqlx::query_as(
        "SELECT result, result_hash FROM challenges WHERE id = $1"
    )
    .bind(id)
    .fetch_one(db)
    .await)
    .unwrap();
    assert_eq!(hash, app::services::challenges::result_hash(&result));
    let frozen = page(&app, &slug, Some(&bob), id).await;
    assert_eq!(frozen["summary"]["total"], 5.0);
    assert_eq!(frozen["frozen"]["hash"], hash);
    assert_eq!(frozen["summary"]["phase"], "Ended");

    // Later ledger changes do not rewrite the frozen result.
    verified_hours(&app, &slug, (&cyd, &ada), "4", 1).await;
    upkeep().await.unwrap();
    assert_eq!(page(&app, &slug, Some(&bob), id).await["summary"]["total"], 5.0);
}

#[tokio::test]
async fn the_individual_board_lists_only_members_who_opt_in() {
    let app = TestApp::new().await;
    let ([ada, bob, cyd, _], slug) = food_bank(&app).await;
    let id =
        create_ok(&app, &slug, &ada, &[("form[mode]", "individual"), ("form[target]", "3")]).await;
    assert_eq!(join_challenge(&app, &slug, &bob, id, None).await, StatusCode::OK);
    assert_eq!(join_challenge(&app, &slug, &cyd, id, None).await, StatusCode::OK);
    verified_hours(&app, &slug, (&bob, &ada), "4", 1).await;
    verified_hours(&app, &slug, (&cyd, &ada), "1", 1).await;
    let before = page(&app, &slug, Some(&ada), id).await;
    assert_eq!(before["standings"]["board"].as_array().unwrap().len(), 0, "off by default");
    assert_eq!(before["standings"]["reached"], 1);
    let id_text = id.to_string();
    let opt_in = [("slug", slug.as_str()), ("id", id_text.as_str()), ("on", "yes")];
    app.post("/api/challenges/board", &cyd, &opt_in).await.assert_ok();
    let after = page(&app, &slug, Some(&ada), id).await;
    let board = after["standings"]["board"].as_array().unwrap();
    assert_eq!(board.len(), 1);
    assert_eq!(board[0]["handle"], "cyd");
    // Someone who is not a member sees the figures, not the names.
    let outside = page(&app, &slug, None, id).await;
    assert_eq!(outside["standings"]["board"].as_array().unwrap().len(), 0);
    assert!(outside["mine"].is_null());
    // Opting in to a board takes taking part first.
    let [eve] = app.sign_up_all(["eve"]).await;
    join(&app, &slug, &eve).await;
    app.post("/api/challenges/board", &eve, &opt_in)
        .await
        .assert_status(StatusCode::UNPROCESSABLE_ENTITY);
}
