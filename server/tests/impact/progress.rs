//! Goals, verification rights and how verified work moves the goal tree.

use super::*;

#[tokio::test]
async fn verified_work_moves_a_goal_and_its_parent() {
    let app = TestApp::new().await;
    let (slug, ada, bob, _cyd, root, trees, hours) = river(&app).await;
    assert_eq!(
        goal(&app, &slug, &bob, "Members cannot", "x", "1", "", "").await,
        StatusCode::FORBIDDEN
    );

    let logged = log(&app, &slug, &bob, &trees.to_string(), "", "5000", "").await;
    logged.assert_ok();
    let contribution = last_contribution(&app).await;
    let before = goals(&app, &slug).await;
    assert_eq!(
        before.as_array().unwrap().iter().find(|g| g["id"] == trees).unwrap()["current"],
        0.0,
        "reported work does not count"
    );

    assert_eq!(
        decide(&app, &slug, &bob, &contribution, "verify").await,
        StatusCode::FORBIDDEN,
        "nobody verifies their own"
    );
    assert_eq!(decide(&app, &slug, &ada, &contribution, "verify").await, StatusCode::OK);
    assert_eq!(
        decide(&app, &slug, &ada, &contribution, "verify").await,
        StatusCode::CONFLICT,
        "only once"
    );

    log(&app, &slug, &bob, &hours.to_string(), "", "500", "").await;
    let second = last_contribution(&app).await;
    assert_eq!(decide(&app, &slug, &ada, &second, "verify").await, StatusCode::OK);

    let after = goals(&app, &slug).await;
    let find = |id: i64| after.as_array().unwrap().iter().find(|g| g["id"] == id).unwrap().clone();
    assert_eq!(find(trees)["current"], 5000.0);
    assert!((find(trees)["progress"].as_f64().unwrap() - 0.5).abs() < 1e-9);
    assert!((find(hours)["progress"].as_f64().unwrap() - 1.0).abs() < 1e-9);
    assert!((find(root)["progress"].as_f64().unwrap() - (0.6 * 0.5 + 0.4)).abs() < 1e-9, "{after}");
    assert_eq!(after[0]["id"], root, "parents come before their children");

    let bob_notices = crate::common::notices(&app, &bob).await;
    assert!(bob_notices[0].contains("verified"), "{bob_notices:?}");
}

#[tokio::test]
async fn goal_cycles_and_bad_quantities_are_refused() {
    let app = TestApp::new().await;
    let (slug, ada, bob, _cyd, root, trees, _hours) = river(&app).await;
    let cycle = app
        .post(
            "/api/impact/update_goal",
            &ada,
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
        )
        .await;
    cycle.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(cycle.json()["detail"][0]["field"], "parent_id");

    for (quantity, hours) in [("-5", ""), ("abc", ""), ("2000000", ""), ("", "")] {
        let answer = log(&app, &slug, &bob, &trees.to_string(), "", quantity, hours).await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{quantity:?} {hours:?}");
    }
    let elsewhere = log(&app, &slug, &bob, "999999", "", "5", "").await;
    assert_eq!(elsewhere.status, StatusCode::UNPROCESSABLE_ENTITY, "a goal of another community");
    let count: i64 = crate::common::scalar(&app, "SELECT COUNT(*) FROM ledger_entries").await;
    assert_eq!(count, 0, "nothing half-written");
}

#[tokio::test]
async fn self_attestation_counts_at_once_and_withdrawal_is_only_before_a_decision() {
    let app = TestApp::new().await;
    let [ada, bob] = app.sign_up_all(["ada", "bob"]).await;
    let slug = found(&app, &ada, "Trusting Circle", "public", "open").await;
    join(&app, &slug, &bob).await;
    assert!(goal(&app, &slug, &ada, "Meals served", "meals", "1000", "", "").await.is_success());
    let meals = goal_id(&goals(&app, &slug).await, "Meals served").to_string();

    log(&app, &slug, &bob, &meals, "", "30", "").await;
    let first = last_contribution(&app).await;
    let withdraw = app
        .post(
            "/api/impact/withdraw_contribution",
            &ada,
            &[("slug", &slug), ("contribution_id", &first)],
        )
        .await;
    assert_eq!(withdraw.status, StatusCode::FORBIDDEN, "only the author withdraws");
    let withdraw = app
        .post(
            "/api/impact/withdraw_contribution",
            &bob,
            &[("slug", &slug), ("contribution_id", &first)],
        )
        .await;
    withdraw.assert_ok();
    assert_eq!(
        decide(&app, &slug, &ada, &first, "verify").await,
        StatusCode::CONFLICT,
        "withdrawn work cannot be verified"
    );

    // Turn self-attestation on.
    let edit = app
        .post(
            "/api/communities/update",
            &ada,
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
        )
        .await;
    edit.assert_ok();
    log(&app, &slug, &bob, &meals, "", "30", "").await;
    let status: String = crate::common::scalar_text(
        &app,
        "SELECT status FROM contributions ORDER BY id DESC LIMIT 1",
    )
    .await;
    assert_eq!(status, "verified");
    assert_eq!(goals(&app, &slug).await[0]["current"], 30.0);
    let kinds: Vec<String> =
        crate::common::fetch!(app, fetch_all, "SELECT kind FROM ledger_entries ORDER BY id");
    assert_eq!(
        kinds,
        ["reported", "withdrawn", "reported", "verified"],
        "every change is a new entry"
    );
    // The report and its verification, written in one statement, chain like any other two.
    let checked = app::services::ledger::verify_database(&app.db).await;
    assert!(checked.as_ref().is_ok_and(|c| c.iter().any(|(_, n)| *n == 4)), "{checked:?}");
}
