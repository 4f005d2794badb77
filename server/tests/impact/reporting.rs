//! The impact report, exports, privacy and the ledger check.

use super::*;

#[tokio::test]
async fn exports_parse_back_to_the_same_figures_and_only_leaders_get_them() {
    let app = TestApp::new().await;
    let (slug, ada, bob, cyd, _root, trees, _hours) = river(&app).await;
    for (cookie, quantity) in [(&bob, "120"), (&cyd, "80.5"), (&bob, "9")] {
        log(&app, &slug, cookie, &trees.to_string(), "", quantity, "2").await;
        let id = last_contribution(&app).await;
        assert_eq!(decide(&app, &slug, &ada, &id, "verify").await, StatusCode::OK);
    }
    log(&app, &slug, &cyd, &trees.to_string(), "", "1000", "").await; // reported, not verified

    let forbidden = app.get(&format!("/c/{slug}/export/contributions.csv"), Some(&bob)).await;
    assert_eq!(forbidden.status, StatusCode::FORBIDDEN);
    let csv = app.get(&format!("/c/{slug}/export/contributions.csv"), Some(&ada)).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(
        csv.headers[axum::http::header::CONTENT_TYPE].to_str().unwrap().starts_with("text/csv")
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
    let current =
        progress.as_array().unwrap().iter().find(|g| g["id"] == trees).unwrap()["current"]
            .as_f64()
            .unwrap();
    assert!((verified_sum - current).abs() < 1e-9, "{verified_sum} vs {current}");

    let goals_json = app.get(&format!("/c/{slug}/export/goals.json"), Some(&ada)).await.json();
    assert_eq!(goals_json.as_array().unwrap().len(), 3);
    let goals_csv = app.get(&format!("/c/{slug}/export/goals.csv"), Some(&ada)).await;
    assert!(
        goals_csv.body.starts_with("id,title,metric,unit,target,current,progress_percent"),
        "{}",
        goals_csv.body
    );

    // A member's own record: JSON shows everything to them, only verified work to others.
    let own = app.get("/u/cyd/contributions.json", Some(&cyd)).await.json();
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
            .post(
                "/api/impact/log_contribution",
                cookie,
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
            )
            .await;
        answer.assert_ok();
        let id = last_contribution(&app).await;
        assert_eq!(decide(&app, &slug, &ada, &id, "verify").await, StatusCode::OK);
    }
    let report = app.call("/api/impact/report", &[("slug", &slug)], None).await.json();
    assert_eq!(report["verified_contributions"], 3);
    assert_eq!(report["verified_hours"], 6.5);
    assert_eq!(report["active_contributors_30d"], 2);
    assert_eq!(
        report["weekly"].as_array().unwrap().iter().map(|w| w[1].as_i64().unwrap()).sum::<i64>(),
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
    let [zed, eve] = app.sign_up_all(["zed", "eve"]).await;
    let slug = found(&app, &zed, "Secret Garden", "private", "invite").await;
    assert!(goal(&app, &slug, &zed, "Beds dug", "beds", "10", "", "").await.is_success());
    for (endpoint, form) in [
        ("/api/impact/goals", vec![("slug", slug.as_str())]),
        ("/api/impact/report", vec![("slug", slug.as_str())]),
        ("/api/impact/initiatives", vec![("slug", slug.as_str())]),
        ("/api/impact/queue", vec![("slug", slug.as_str())]),
        ("/api/impact/contribute_options", vec![("slug", slug.as_str())]),
    ] {
        assert_eq!(
            app.post(endpoint, &eve, &form).await.status,
            StatusCode::NOT_FOUND,
            "{endpoint}"
        );
    }
    assert_eq!(
        app.get(&format!("/c/{slug}/impact"), Some(&eve)).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get(&format!("/c/{slug}/export/goals.csv"), Some(&eve)).await.status,
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
    let checked = app::services::ledger::verify_database(&app.db).await.unwrap();
    assert_eq!(checked.iter().map(|(_, n)| n).sum::<usize>(), 6);

    // A forger with raw database access: drop the guard and change a quantity.
    // (PostgreSQL names a trigger's table; SQLite's `DROP TRIGGER` does not take one.)
    let drop_guard = match app.db.engine() {
        app::db::Engine::Sqlite => "DROP TRIGGER ledger_no_update",
        app::db::Engine::Postgres => "DROP TRIGGER ledger_no_update ON ledger_entries",
    };
    crate::common::on_db!(app, |db| sqlx::query(drop_guard)
        .execute(db)
        .await
        .map(|done| done.rows_affected()))
    .unwrap();
    crate::common::execute!(
        app,
        "UPDATE ledger_entries SET quantity = 999 WHERE id = (SELECT MIN(id) FROM ledger_entries)"
    );
    let (_, tamper) = app::services::ledger::verify_database(&app.db).await.unwrap_err();
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
    assert!(clean.status.success(), "{}", String::from_utf8_lossy(&clean.stderr));
    assert!(String::from_utf8_lossy(&clean.stdout).contains("ledger intact"));
}

#[tokio::test]
async fn a_cached_report_never_hides_a_new_verification() {
    let app = TestApp::new().await;
    let (slug, ada, bob, _cyd, _root, trees, _hours) = river(&app).await;
    for expected in 1..=3 {
        log(&app, &slug, &bob, &trees.to_string(), "", "5", "1").await;
        let id = last_contribution(&app).await;
        assert_eq!(decide(&app, &slug, &ada, &id, "verify").await, StatusCode::OK);
        // Read twice: the second read is served from the cache and must agree.
        for _ in 0..2 {
            let figures = app.call("/api/impact/report", &[("slug", &slug)], None).await.json();
            assert_eq!(figures["verified_contributions"], expected);
        }
    }
}
