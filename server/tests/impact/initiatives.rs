//! Member-owned initiatives and their opportunities.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn initiative_owners_verify_their_initiatives_work_and_opportunities_never_overfill() {
    let app = TestApp::new().await;
    let (slug, ada, bob, cyd, _root, trees, _hours) = river(&app).await;
    let proposed = app
        .post(
            "/api/impact/propose_initiative",
            &bob,
            &[
                ("slug", &slug),
                ("title", "Weir planting days"),
                ("description", "Saturdays."),
                ("goal_ids[]", &trees.to_string()),
            ],
        )
        .await;
    proposed.assert_ok();
    let initiative: i64 = crate::common::scalar(&app, "SELECT id FROM initiatives").await;
    let id = initiative.to_string();
    let detail = app
        .call("/api/impact/initiative", &[("slug", &slug), ("initiative_id", &id)], None)
        .await
        .json();
    assert_eq!(detail["status"], "proposed");
    assert_eq!(detail["goals"][0][1], "10,000 trees planted");

    let early = app
        .post(
            "/api/impact/add_opportunity",
            &bob,
            &[("slug", &slug), ("initiative_id", &id), ("title", "Crew"), ("capacity", "3")],
        )
        .await;
    assert_eq!(early.status, StatusCode::CONFLICT, "not before approval");
    let by_member = app
        .post(
            "/api/impact/decide_initiative",
            &cyd,
            &[("slug", &slug), ("initiative_id", &id), ("decision", "approve")],
        )
        .await;
    assert_eq!(by_member.status, StatusCode::FORBIDDEN);
    let approved = app
        .post(
            "/api/impact/decide_initiative",
            &ada,
            &[("slug", &slug), ("initiative_id", &id), ("decision", "approve")],
        )
        .await;
    approved.assert_ok();

    let added = app
        .post(
            "/api/impact/add_opportunity",
            &bob,
            &[
                ("slug", &slug),
                ("initiative_id", &id),
                ("title", "Saturday crew"),
                ("description", ""),
                ("capacity", "3"),
            ],
        )
        .await;
    added.assert_ok();
    let opportunity: i64 = crate::common::scalar(&app, "SELECT id FROM opportunities").await;
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
            tower::ServiceExt::oneshot(router, request).await.unwrap().status()
        }));
    }
    let mut answers = Vec::new();
    for racer in racers {
        answers.push(racer.await.unwrap());
    }
    let ok = answers.iter().filter(|a| a.is_success()).count();
    let full = answers.iter().filter(|a| **a == StatusCode::CONFLICT).count();
    assert_eq!((ok, full), (3, 7));
    let taken: i64 = crate::common::scalar(&app, "SELECT COUNT(*) FROM opportunity_signups").await;
    assert_eq!(taken, 3);

    // The owner (bob) verifies work on his initiative; another member (cyd) cannot.
    log(&app, &slug, &cyd, &trees.to_string(), &id, "40", "3").await;
    let contribution = last_contribution(&app).await;
    let queue = app.post("/api/impact/queue", &bob, &[("slug", &slug)]).await.json();
    assert_eq!(
        queue["waiting"].as_array().unwrap().len(),
        1,
        "the owner's queue holds his initiative's work"
    );
    let empty = app.post("/api/impact/queue", &cyd, &[("slug", &slug)]).await.json();
    assert_eq!(empty["waiting"].as_array().unwrap().len(), 0);
    assert_eq!(decide(&app, &slug, &cyd, &contribution, "verify").await, StatusCode::FORBIDDEN);
    assert_eq!(decide(&app, &slug, &bob, &contribution, "verify").await, StatusCode::OK);
    let detail = app
        .call("/api/impact/initiative", &[("slug", &slug), ("initiative_id", &id)], None)
        .await
        .json();
    assert_eq!(detail["verified_hours"], 3.0);
}
