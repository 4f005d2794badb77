//! A member's home ("what's next") and the leaders' "Manage" counts, across communities.

use super::*;

async fn next(app: &TestApp, cookie: &str) -> serde_json::Value {
    let answer = app.post("/api/home/next", cookie, &[]).await;
    answer.assert_ok();
    answer.json()
}

fn community<'a>(next: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    next["communities"].as_array().unwrap().iter().find(|c| c["name"] == name).unwrap()
}

#[tokio::test]
async fn home_says_whats_next_for_each_member_and_what_waits_for_leaders() {
    let app = TestApp::new().await;
    let (slug, ada, bob, cyd, _root, trees, _hours) = river(&app).await;
    let dee = app.sign_up("dee").await;
    let guild = found(&app, &ada, "Weir Guild", "public", "approval").await;
    app.post(
        "/api/communities/join",
        &dee,
        &[("slug", &guild), ("affirm", "yes"), ("answers", "I can help on Saturdays.")],
    )
    .await
    .assert_ok();

    // Bob logs a contribution (waits for verification), proposes an initiative with an
    // opportunity that Cyd signs up for, starts a thread that Cyd flags; Ada thanks Bob.
    log(&app, &slug, &bob, &trees.to_string(), "", "12", "").await.assert_ok();
    let trees = trees.to_string();
    let fields =
        [("title", "Weir planting days"), ("description", "Saturdays."), ("goal_ids[]", &trees)];
    let initiative = crate::common::approved_initiative(&app, &slug, &bob, &ada, &fields).await;
    app.post(
        "/api/impact/add_opportunity",
        &bob,
        &[
            ("slug", &slug),
            ("initiative_id", &initiative),
            ("title", "Saturday crew"),
            ("description", ""),
            ("capacity", "3"),
        ],
    )
    .await
    .assert_ok();
    let opportunity: i64 = crate::common::scalar(&app, "SELECT MAX(id) FROM opportunities").await;
    app.post(
        "/api/impact/join_opportunity",
        &cyd,
        &[("slug", &slug), ("opportunity_id", &opportunity.to_string())],
    )
    .await
    .assert_ok();
    app.post(
        "/api/discussions/start",
        &bob,
        &[("slug", &slug), ("title", "Spare boots"), ("body", "Anyone need size 9?")],
    )
    .await;
    let post: i64 = crate::common::scalar(&app, "SELECT MAX(id) FROM posts").await;
    app.post(
        "/api/discussions/flag",
        &cyd,
        &[("slug", &slug), ("post_id", &post.to_string()), ("value", "0"), ("note", "")],
    )
    .await
    .assert_ok();
    app.post(
        "/api/recognition/give",
        &ada,
        &[
            ("slug", &slug),
            ("form[to]", "bob"),
            ("form[value]", "Care"),
            ("form[message]", "Thank you for the saplings!"),
            ("form[contribution_id]", ""),
        ],
    )
    .await
    .assert_ok();

    // The leader: one count per queue, per community.
    let for_ada = next(&app, &ada).await;
    let river = community(&for_ada, "River Restorers");
    assert_eq!(river["role"], "owner");
    assert_eq!(river["waiting"]["to_verify"], 1);
    assert_eq!(river["waiting"]["flagged_posts"], 1);
    assert_eq!(river["waiting"]["join_requests"], 0);
    assert_eq!(community(&for_ada, "Weir Guild")["waiting"]["join_requests"], 1);
    let header = app.post("/api/communities/header", &ada, &[("slug", &slug)]).await.json();
    assert_eq!(header["waiting"]["flagged_posts"], 1);

    // Bob: his contribution waits, Ada's kudos and its notice are there; no leaders' counts.
    let for_bob = next(&app, &bob).await;
    assert_eq!(for_bob["awaiting"][0]["description"], "Planted saplings by the weir");
    assert_eq!(for_bob["kudos"][0]["message"], "Thank you for the saplings!");
    assert!(for_bob["unread_count"].as_i64().unwrap() >= 1);
    assert!(!for_bob["unread"].as_array().unwrap().is_empty());
    let bobs_river = community(&for_bob, "River Restorers");
    assert_eq!(bobs_river["role"], "member");
    assert_eq!(bobs_river["waiting"]["flagged_posts"], 0);
    let header = app.post("/api/communities/header", &bob, &[("slug", &slug)]).await.json();
    assert_eq!(header["waiting"]["flagged_posts"], 0, "flags are for leaders only");

    // The page itself, as served without JavaScript: each part a region under its heading.
    let home = app.get("/", Some(&bob)).await;
    home.assert_ok();
    assert!(
        home.body.contains(r#"<section aria-labelledby="next-awaiting" class="next">"#),
        "{}",
        home.body
    );
    assert!(home.body.contains(r#"<h2 id="next-kudos">Kudos for you</h2>"#), "{}", home.body);
    assert!(home.body.contains("Thank you for the saplings!"));
    assert!(home.body.contains(r#"aria-label="Shortcuts""#), "the phone's tab bar");

    // Cyd's sign-up; it goes when Cyd leaves the community.
    let for_cyd = next(&app, &cyd).await;
    assert_eq!(for_cyd["signups"][0]["opportunity"], "Saturday crew");
    assert_eq!(for_cyd["signups"][0]["initiative"], "Weir planting days");
    app.post("/api/communities/leave", &cyd, &[("slug", &slug)]).await.assert_ok();
    let after = next(&app, &cyd).await;
    assert!(after["signups"].as_array().unwrap().is_empty());
    assert!(after["communities"].as_array().unwrap().is_empty());

    // Dee's request is pending: the guild is not one of Dee's communities yet.
    assert!(next(&app, &dee).await["communities"].as_array().unwrap().is_empty());
    assert_eq!(app.call("/api/home/next", &[], None).await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_manage_page_lists_leaders_tools_with_counts_and_refuses_others() {
    let app = TestApp::new().await;
    let (slug, ada, bob, _cyd, _root, trees, _hours) = river(&app).await;
    log(&app, &slug, &bob, &trees.to_string(), "", "3", "").await.assert_ok();

    let page = app.get(&format!("/c/{slug}/manage"), Some(&ada)).await;
    page.assert_ok();
    assert!(page.body.contains("Verify contributions (1)"), "{}", page.body);
    assert!(page.body.contains("1 thing is waiting for you."));
    assert!(page.body.contains(&format!("href=\"/c/{slug}/audit\"")));
    assert_eq!(
        app.get(&format!("/c/{slug}/manage"), Some(&bob)).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(app.get("/c/no-such-place/manage", Some(&ada)).await.status, StatusCode::NOT_FOUND);
}
