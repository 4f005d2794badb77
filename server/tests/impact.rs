//! Goals, initiatives, the contribution ledger and impact figures through the HTTP API.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::too_many_arguments)]

mod common;

use axum::http::StatusCode;
use common::{TestApp, found};

async fn join(app: &TestApp, slug: &str, cookie: &str) {
    let answer = app
        .call(
            "/api/communities/join",
            &[("slug", slug), ("affirm", "yes")],
            Some(cookie),
        )
        .await;
    assert!(answer.status.is_success(), "join: {}", answer.body);
}

async fn goal(
    app: &TestApp,
    slug: &str,
    cookie: &str,
    title: &str,
    unit: &str,
    target: &str,
    parent: &str,
    weight: &str,
) -> StatusCode {
    app.call(
        "/api/impact/create_goal",
        &[
            ("slug", slug),
            ("form[title]", title),
            ("form[metric]", unit),
            ("form[unit]", unit),
            ("form[target]", target),
            ("form[deadline]", ""),
            ("form[parent_id]", parent),
            ("form[weight]", weight),
        ],
        Some(cookie),
    )
    .await
    .status
}

async fn goals(app: &TestApp, slug: &str) -> serde_json::Value {
    app.call("/api/impact/goals", &[("slug", slug)], None)
        .await
        .json()
}

fn goal_id(goals: &serde_json::Value, title: &str) -> i64 {
    goals
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["title"] == title)
        .unwrap()["id"]
        .as_i64()
        .unwrap()
}

async fn log(
    app: &TestApp,
    slug: &str,
    cookie: &str,
    goal: &str,
    initiative: &str,
    quantity: &str,
    hours: &str,
) -> common::Answer {
    app.call(
        "/api/impact/log_contribution",
        &[
            ("slug", slug),
            ("form[description]", "Planted saplings by the weir"),
            ("form[done_on]", "2026-11-20"),
            ("form[quantity]", quantity),
            ("form[hours]", hours),
            ("form[goal_id]", goal),
            ("form[initiative_id]", initiative),
            ("form[evidence_url]", ""),
            ("form[note]", ""),
        ],
        Some(cookie),
    )
    .await
}

async fn last_contribution(app: &TestApp) -> String {
    let id: i64 = sqlx::query_scalar("SELECT MAX(id) FROM contributions")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    id.to_string()
}

async fn decide(app: &TestApp, slug: &str, cookie: &str, id: &str, decision: &str) -> StatusCode {
    app.call(
        "/api/impact/decide_contribution",
        &[
            ("slug", slug),
            ("contribution_id", id),
            ("decision", decision),
            ("reason", "Not ours"),
        ],
        Some(cookie),
    )
    .await
    .status
}

/// A community "Restore the river" <- trees (60) + hours (40), with a steward (ada) and two members.
async fn river(app: &TestApp) -> (String, String, String, String, i64, i64, i64) {
    let ada = app.sign_up("ada").await;
    let bob = app.sign_up("bob").await;
    let cyd = app.sign_up("cyd").await;
    let slug = found(app, &ada, "River Restorers", "public", "open").await;
    join(app, &slug, &bob).await;
    join(app, &slug, &cyd).await;
    assert!(
        goal(
            app,
            &slug,
            &ada,
            "Restore the river",
            "points",
            "1",
            "",
            "1"
        )
        .await
        .is_success()
    );
    let root = goal_id(&goals(app, &slug).await, "Restore the river");
    assert!(
        goal(
            app,
            &slug,
            &ada,
            "10,000 trees planted",
            "trees",
            "10000",
            &root.to_string(),
            "60"
        )
        .await
        .is_success()
    );
    assert!(
        goal(
            app,
            &slug,
            &ada,
            "500 volunteer hours",
            "hours",
            "500",
            &root.to_string(),
            "40"
        )
        .await
        .is_success()
    );
    let all = goals(app, &slug).await;
    (
        slug,
        ada,
        bob,
        cyd,
        root,
        goal_id(&all, "10,000 trees planted"),
        goal_id(&all, "500 volunteer hours"),
    )
}

#[tokio::test]
async fn verified_work_moves_a_goal_and_its_parent() {
    let app = TestApp::new().await;
    let (slug, ada, bob, _cyd, root, trees, hours) = river(&app).await;
    assert_eq!(
        goal(&app, &slug, &bob, "Members cannot", "x", "1", "", "").await,
        StatusCode::FORBIDDEN
    );

    let logged = log(&app, &slug, &bob, &trees.to_string(), "", "5000", "").await;
    assert!(logged.status.is_success(), "{}", logged.body);
    let contribution = last_contribution(&app).await;
    let before = goals(&app, &slug).await;
    assert_eq!(
        before
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["id"] == trees)
            .unwrap()["current"],
        0.0,
        "reported work does not count"
    );

    assert_eq!(
        decide(&app, &slug, &bob, &contribution, "verify").await,
        StatusCode::FORBIDDEN,
        "nobody verifies their own"
    );
    assert_eq!(
        decide(&app, &slug, &ada, &contribution, "verify").await,
        StatusCode::OK
    );
    assert_eq!(
        decide(&app, &slug, &ada, &contribution, "verify").await,
        StatusCode::CONFLICT,
        "only once"
    );

    log(&app, &slug, &bob, &hours.to_string(), "", "500", "").await;
    let second = last_contribution(&app).await;
    assert_eq!(
        decide(&app, &slug, &ada, &second, "verify").await,
        StatusCode::OK
    );

    let after = goals(&app, &slug).await;
    let find = |id: i64| {
        after
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["id"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(find(trees)["current"], 5000.0);
    assert!((find(trees)["progress"].as_f64().unwrap() - 0.5).abs() < 1e-9);
    assert!((find(hours)["progress"].as_f64().unwrap() - 1.0).abs() < 1e-9);
    assert!(
        (find(root)["progress"].as_f64().unwrap() - (0.6 * 0.5 + 0.4)).abs() < 1e-9,
        "{after}"
    );
    assert_eq!(after[0]["id"], root, "parents come before their children");

    let bob_notices = app
        .call("/api/notifications/list", &[], Some(&bob))
        .await
        .json();
    assert!(
        bob_notices[0]["body"]
            .as_str()
            .unwrap()
            .contains("verified")
    );
}

#[tokio::test]
async fn goal_cycles_and_bad_quantities_are_refused() {
    let app = TestApp::new().await;
    let (slug, ada, bob, _cyd, root, trees, _hours) = river(&app).await;
    let cycle = app
        .call(
            "/api/impact/update_goal",
            &[
                ("slug", &slug),
                ("goal_id", &root.to_string()),
                ("form[title]", "Restore the river"),
                ("form[metric]", "points"),
                ("form[unit]", "points"),
                ("form[target]", "1"),
                ("form[deadline]", ""),
                ("form[parent_id]", &trees.to_string()),
                ("form[weight]", "1"),
            ],
            Some(&ada),
        )
        .await;
    assert_eq!(
        cycle.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        cycle.body
    );
    assert_eq!(cycle.json()["detail"][0]["field"], "parent_id");

    for (quantity, hours) in [("-5", ""), ("abc", ""), ("2000000", ""), ("", "")] {
        let answer = log(&app, &slug, &bob, &trees.to_string(), "", quantity, hours).await;
        assert_eq!(
            answer.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{quantity:?} {hours:?}"
        );
    }
    let elsewhere = log(&app, &slug, &bob, "999999", "", "5", "").await;
    assert_eq!(
        elsewhere.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a goal of another community"
    );
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM ledger_entries")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(count, 0, "nothing half-written");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn initiative_owners_verify_their_initiatives_work_and_opportunities_never_overfill() {
    let app = TestApp::new().await;
    let (slug, ada, bob, cyd, _root, trees, _hours) = river(&app).await;
    let proposed = app
        .call(
            "/api/impact/propose_initiative",
            &[
                ("slug", &slug),
                ("title", "Weir planting days"),
                ("description", "Saturdays."),
                ("goal_ids[]", &trees.to_string()),
            ],
            Some(&bob),
        )
        .await;
    assert!(proposed.status.is_success(), "{}", proposed.body);
    let initiative: i64 = sqlx::query_scalar("SELECT id FROM initiatives")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let id = initiative.to_string();
    let detail = app
        .call(
            "/api/impact/initiative",
            &[("slug", &slug), ("initiative_id", &id)],
            None,
        )
        .await
        .json();
    assert_eq!(detail["status"], "proposed");
    assert_eq!(detail["goals"][0][1], "10,000 trees planted");

    let early = app
        .call(
            "/api/impact/add_opportunity",
            &[
                ("slug", &slug),
                ("initiative_id", &id),
                ("title", "Crew"),
                ("capacity", "3"),
            ],
            Some(&bob),
        )
        .await;
    assert_eq!(early.status, StatusCode::CONFLICT, "not before approval");
    let by_member = app
        .call(
            "/api/impact/decide_initiative",
            &[
                ("slug", &slug),
                ("initiative_id", &id),
                ("decision", "approve"),
            ],
            Some(&cyd),
        )
        .await;
    assert_eq!(by_member.status, StatusCode::FORBIDDEN);
    let approved = app
        .call(
            "/api/impact/decide_initiative",
            &[
                ("slug", &slug),
                ("initiative_id", &id),
                ("decision", "approve"),
            ],
            Some(&ada),
        )
        .await;
    assert!(approved.status.is_success(), "{}", approved.body);

    let added = app
        .call(
            "/api/impact/add_opportunity",
            &[
                ("slug", &slug),
                ("initiative_id", &id),
                ("title", "Saturday crew"),
                ("description", ""),
                ("capacity", "3"),
            ],
            Some(&bob),
        )
        .await;
    assert!(added.status.is_success(), "{}", added.body);
    let opportunity: i64 = sqlx::query_scalar("SELECT id FROM opportunities")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let opportunity = opportunity.to_string();

    // Ten people race for three places: exactly three get in.
    let mut cookies = Vec::new();
    for i in 0..10 {
        let cookie = app.sign_up(&format!("racer{i}")).await;
        join(&app, &slug, &cookie).await;
        cookies.push(cookie);
    }
    let mut racers = Vec::new();
    for cookie in &cookies {
        let router = app.router.clone();
        let request = common::form_request(
            "/api/impact/join_opportunity",
            &[("slug", &slug), ("opportunity_id", &opportunity)],
            Some(cookie),
            &[],
        );
        racers.push(tokio::spawn(async move {
            tower::ServiceExt::oneshot(router, request)
                .await
                .unwrap()
                .status()
        }));
    }
    let mut answers = Vec::new();
    for racer in racers {
        answers.push(racer.await.unwrap());
    }
    let ok = answers.iter().filter(|a| a.is_success()).count();
    let full = answers
        .iter()
        .filter(|a| **a == StatusCode::CONFLICT)
        .count();
    assert_eq!((ok, full), (3, 7));
    let taken: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM opportunity_signups")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(taken, 3);

    // The owner (bob) verifies work on his initiative; another member (cyd) cannot.
    log(&app, &slug, &cyd, &trees.to_string(), &id, "40", "3").await;
    let contribution = last_contribution(&app).await;
    let queue = app
        .call("/api/impact/queue", &[("slug", &slug)], Some(&bob))
        .await
        .json();
    assert_eq!(
        queue["waiting"].as_array().unwrap().len(),
        1,
        "the owner's queue holds his initiative's work"
    );
    let empty = app
        .call("/api/impact/queue", &[("slug", &slug)], Some(&cyd))
        .await
        .json();
    assert_eq!(empty["waiting"].as_array().unwrap().len(), 0);
    assert_eq!(
        decide(&app, &slug, &cyd, &contribution, "verify").await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        decide(&app, &slug, &bob, &contribution, "verify").await,
        StatusCode::OK
    );
    let detail = app
        .call(
            "/api/impact/initiative",
            &[("slug", &slug), ("initiative_id", &id)],
            None,
        )
        .await
        .json();
    assert_eq!(detail["verified_hours"], 3.0);
}

#[tokio::test]
async fn self_attestation_counts_at_once_and_withdrawal_is_only_before_a_decision() {
    let app = TestApp::new().await;
    let ada = app.sign_up("ada").await;
    let bob = app.sign_up("bob").await;
    let slug = found(&app, &ada, "Trusting Circle", "public", "open").await;
    join(&app, &slug, &bob).await;
    assert!(
        goal(&app, &slug, &ada, "Meals served", "meals", "1000", "", "")
            .await
            .is_success()
    );
    let meals = goal_id(&goals(&app, &slug).await, "Meals served").to_string();

    log(&app, &slug, &bob, &meals, "", "30", "").await;
    let first = last_contribution(&app).await;
    let withdraw = app
        .call(
            "/api/impact/withdraw_contribution",
            &[("slug", &slug), ("contribution_id", &first)],
            Some(&ada),
        )
        .await;
    assert_eq!(
        withdraw.status,
        StatusCode::FORBIDDEN,
        "only the author withdraws"
    );
    let withdraw = app
        .call(
            "/api/impact/withdraw_contribution",
            &[("slug", &slug), ("contribution_id", &first)],
            Some(&bob),
        )
        .await;
    assert!(withdraw.status.is_success(), "{}", withdraw.body);
    assert_eq!(
        decide(&app, &slug, &ada, &first, "verify").await,
        StatusCode::CONFLICT,
        "withdrawn work cannot be verified"
    );

    // Turn self-attestation on.
    let edit = app
        .call(
            "/api/communities/update",
            &[
                ("slug", &slug),
                ("form[name]", "Trusting Circle"),
                ("form[slug]", ""),
                ("form[mission]", "Feed people."),
                ("form[vision]", ""),
                ("form[values]", ""),
                ("form[visibility]", "public"),
                ("form[join_policy]", "open"),
                ("form[join_questions]", ""),
                ("form[self_attestation]", "yes"),
            ],
            Some(&ada),
        )
        .await;
    assert!(edit.status.is_success(), "{}", edit.body);
    log(&app, &slug, &bob, &meals, "", "30", "").await;
    let status: String =
        sqlx::query_scalar("SELECT status FROM contributions ORDER BY id DESC LIMIT 1")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(status, "verified");
    assert_eq!(goals(&app, &slug).await[0]["current"], 30.0);
    let kinds: Vec<String> = sqlx::query_scalar("SELECT kind FROM ledger_entries ORDER BY id")
        .fetch_all(&app.pool)
        .await
        .unwrap();
    assert_eq!(
        kinds,
        ["reported", "withdrawn", "reported", "verified"],
        "every change is a new entry"
    );
}

#[tokio::test]
async fn exports_parse_back_to_the_same_figures_and_only_leaders_get_them() {
    let app = TestApp::new().await;
    let (slug, ada, bob, cyd, _root, trees, _hours) = river(&app).await;
    for (cookie, quantity) in [(&bob, "120"), (&cyd, "80.5"), (&bob, "9")] {
        log(&app, &slug, cookie, &trees.to_string(), "", quantity, "2").await;
        let id = last_contribution(&app).await;
        assert_eq!(
            decide(&app, &slug, &ada, &id, "verify").await,
            StatusCode::OK
        );
    }
    log(&app, &slug, &cyd, &trees.to_string(), "", "1000", "").await; // reported, not verified

    let forbidden = app
        .get(&format!("/c/{slug}/export/contributions.csv"), Some(&bob))
        .await;
    assert_eq!(forbidden.status, StatusCode::FORBIDDEN);
    let csv = app
        .get(&format!("/c/{slug}/export/contributions.csv"), Some(&ada))
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(
        csv.headers[axum::http::header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let mut reader = csv::Reader::from_reader(csv.body.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let quantity_col = headers.iter().position(|h| h == "quantity").unwrap();
    let status_col = headers.iter().position(|h| h == "status").unwrap();
    let mut verified_sum = 0.0;
    let mut rows = 0;
    for record in reader.records() {
        let record = record.unwrap();
        rows += 1;
        if &record[status_col] == "verified" {
            verified_sum += record[quantity_col].parse::<f64>().unwrap();
        }
    }
    assert_eq!(rows, 4);
    let progress = goals(&app, &slug).await;
    let current = progress
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["id"] == trees)
        .unwrap()["current"]
        .as_f64()
        .unwrap();
    assert!(
        (verified_sum - current).abs() < 1e-9,
        "{verified_sum} vs {current}"
    );

    let goals_json = app
        .get(&format!("/c/{slug}/export/goals.json"), Some(&ada))
        .await
        .json();
    assert_eq!(goals_json.as_array().unwrap().len(), 3);
    let goals_csv = app
        .get(&format!("/c/{slug}/export/goals.csv"), Some(&ada))
        .await;
    assert!(
        goals_csv
            .body
            .starts_with("id,title,metric,unit,target,current,progress_percent"),
        "{}",
        goals_csv.body
    );

    // A member's own record: JSON shows everything to them, only verified work to others.
    let own = app
        .get("/u/cyd/contributions.json", Some(&cyd))
        .await
        .json();
    assert_eq!(own.as_array().unwrap().len(), 2);
    let public = app.get("/u/cyd/contributions.json", None).await.json();
    assert_eq!(public.as_array().unwrap().len(), 1);
    let public_csv = app.get("/u/cyd/contributions.csv", None).await;
    assert_eq!(public_csv.body.lines().count(), 2, "header and one row");
}

#[tokio::test]
async fn the_impact_report_adds_up() {
    let app = TestApp::new().await;
    let (slug, ada, bob, cyd, _root, trees, _hours) = river(&app).await;
    let today = chrono::Utc::now().date_naive().to_string();
    for (cookie, hours) in [(&bob, "2"), (&bob, "3"), (&cyd, "1.5")] {
        let answer = app
            .call(
                "/api/impact/log_contribution",
                &[
                    ("slug", &slug),
                    ("form[description]", "Litter pick"),
                    ("form[done_on]", &today),
                    ("form[quantity]", "10"),
                    ("form[hours]", hours),
                    ("form[goal_id]", &trees.to_string()),
                    ("form[initiative_id]", ""),
                    ("form[evidence_url]", "https://photos.example/1"),
                    ("form[note]", ""),
                ],
                Some(cookie),
            )
            .await;
        assert!(answer.status.is_success(), "{}", answer.body);
        let id = last_contribution(&app).await;
        assert_eq!(
            decide(&app, &slug, &ada, &id, "verify").await,
            StatusCode::OK
        );
    }
    let report = app
        .call("/api/impact/report", &[("slug", &slug)], None)
        .await
        .json();
    assert_eq!(report["verified_contributions"], 3);
    assert_eq!(report["verified_hours"], 6.5);
    assert_eq!(report["active_contributors_30d"], 2);
    assert_eq!(
        report["weekly"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| w[1].as_i64().unwrap())
            .sum::<i64>(),
        3
    );
    // Two contributors: the top 10% (one person, bob) did 2 of 3.
    assert!((report["top_decile_share"].as_f64().unwrap() - 2.0 / 3.0).abs() < 1e-9);
    let page = app.get(&format!("/c/{slug}/impact"), None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("<svg"), "the chart is server-rendered");
    assert!(page.body.contains("verified contributions"));
}

#[tokio::test]
async fn a_private_communitys_impact_is_invisible_to_outsiders() {
    let app = TestApp::new().await;
    let zed = app.sign_up("zed").await;
    let eve = app.sign_up("eve").await;
    let slug = found(&app, &zed, "Secret Garden", "private", "invite").await;
    assert!(
        goal(&app, &slug, &zed, "Beds dug", "beds", "10", "", "")
            .await
            .is_success()
    );
    for (endpoint, form) in [
        ("/api/impact/goals", vec![("slug", slug.as_str())]),
        ("/api/impact/report", vec![("slug", slug.as_str())]),
        ("/api/impact/initiatives", vec![("slug", slug.as_str())]),
        ("/api/impact/queue", vec![("slug", slug.as_str())]),
        (
            "/api/impact/contribute_options",
            vec![("slug", slug.as_str())],
        ),
    ] {
        assert_eq!(
            app.call(endpoint, &form, Some(&eve)).await.status,
            StatusCode::NOT_FOUND,
            "{endpoint}"
        );
    }
    assert_eq!(
        app.get(&format!("/c/{slug}/impact"), Some(&eve))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get(&format!("/c/{slug}/export/goals.csv"), Some(&eve))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn verify_ledger_finds_tampering() {
    let app = TestApp::new().await;
    let (slug, ada, bob, _cyd, _root, trees, _hours) = river(&app).await;
    for quantity in ["10", "20", "30"] {
        log(&app, &slug, &bob, &trees.to_string(), "", quantity, "").await;
        let id = last_contribution(&app).await;
        decide(&app, &slug, &ada, &id, "verify").await;
    }
    let checked = app::services::ledger::verify_database(&app.pool)
        .await
        .unwrap();
    assert_eq!(checked.iter().map(|(_, n)| n).sum::<usize>(), 6);

    // A forger with raw database access: drop the guard and change a quantity.
    sqlx::query("DROP TRIGGER ledger_no_update")
        .execute(&app.pool)
        .await
        .unwrap();
    sqlx::query(
        "UPDATE ledger_entries SET quantity = 999 WHERE id = (SELECT MIN(id) FROM ledger_entries)",
    )
    .execute(&app.pool)
    .await
    .unwrap();
    let (_, tamper) = app::services::ledger::verify_database(&app.pool)
        .await
        .unwrap_err();
    assert!(tamper.reason.contains("changed"), "{tamper:?}");
}

#[test]
fn the_verify_ledger_command_reports_and_exits() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/ledger.db", dir.path().display());
    let run = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_server"))
            .args(["verify-ledger"])
            .env("DATABASE_URL", &url)
            .env("KINDRED_LOG", "error")
            .output()
            .unwrap()
    };
    let clean = run();
    assert!(
        clean.status.success(),
        "{}",
        String::from_utf8_lossy(&clean.stderr)
    );
    assert!(String::from_utf8_lossy(&clean.stdout).contains("ledger intact"));
}
