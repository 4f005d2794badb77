//! What outsiders can and cannot see: private communities and the directory.

use super::*;

#[tokio::test]
async fn a_private_community_does_not_exist_for_outsiders_through_any_endpoint() {
    let app = TestApp::new().await;
    let ada = app.sign_up("ada").await; // owns public A
    let zed = app.sign_up("zed").await; // owns private B
    let public_a = found(&app, &ada, "Alpha Public", "public", "open").await;
    let private_b = found(&app, &zed, "Bravo Private", "private", "approval").await;
    let _ = public_a;
    // A real pending request in B, whose id an outsider might guess.
    let zoe = app.sign_up("zoe").await;
    let b_request: i64 = {
        crate::common::execute!(
            app,
            "INSERT INTO join_requests (community_id, user_id, answers) SELECT c.id, u.id, 'hi' FROM communities c, users u WHERE c.slug = $1 AND u.handle = 'zoe'",
            &private_b
        );
        crate::common::scalar(&app, "SELECT id FROM join_requests").await
    };
    let _ = zoe;
    let b_request = b_request.to_string();
    let slug = private_b.as_str();
    let calls: Vec<(&str, Vec<(&str, &str)>)> = vec![
        ("/api/communities/home", vec![("slug", slug)]),
        ("/api/communities/get", vec![("slug", slug)]),
        (
            "/api/communities/update",
            vec![
                ("slug", slug),
                ("form[name]", "Hijacked"),
                ("form[slug]", ""),
                ("form[mission]", "x"),
                ("form[vision]", ""),
                ("form[values]", ""),
                ("form[visibility]", "public"),
                ("form[join_policy]", "open"),
                ("form[join_questions]", ""),
            ],
        ),
        ("/api/communities/members", vec![("slug", slug)]),
        ("/api/communities/set_role", vec![("slug", slug), ("handle", "zed"), ("role", "member")]),
        ("/api/communities/ban", vec![("slug", slug), ("handle", "zed")]),
        ("/api/communities/requests", vec![("slug", slug)]),
        (
            "/api/communities/decide_request",
            vec![("slug", slug), ("request_id", &b_request), ("decision", "approve")],
        ),
        ("/api/communities/invites", vec![("slug", slug)]),
        ("/api/communities/create_invite", vec![("slug", slug), ("days", "7")]),
        ("/api/communities/audit", vec![("slug", slug)]),
        ("/api/communities/leadership", vec![("slug", slug)]),
        (
            "/api/communities/join",
            vec![("slug", slug), ("affirm", "yes"), ("answers", "let me in")],
        ),
        ("/api/communities/leave", vec![("slug", slug)]),
    ];
    for (endpoint, form) in &calls {
        let never: Vec<(&str, &str)> = form
            .iter()
            .map(|(k, v)| if *k == "slug" { (*k, "never-existed") } else { (*k, *v) })
            .collect();
        for cookie in [Some(ada.as_str()), None] {
            let answer = app.call(endpoint, form, cookie).await;
            assert_eq!(
                answer.status,
                StatusCode::NOT_FOUND,
                "{endpoint} as {cookie:?}: {}",
                answer.body
            );
            // Exactly like a slug that never existed.
            let ghost = app.call(endpoint, &never, cookie).await;
            assert_eq!(answer.body, ghost.body, "{endpoint}");
        }
    }
    // A's leader cannot decide B's request through A either.
    let cross = app
        .post(
            "/api/communities/decide_request",
            &ada,
            &[("slug", &public_a), ("request_id", &b_request), ("decision", "approve")],
        )
        .await;
    assert_eq!(cross.status, StatusCode::NOT_FOUND);
    assert_eq!(role_of(&app, &private_b, "zoe").await, None);
    let name: String = crate::common::fetch!(
        app,
        fetch_one,
        "SELECT name FROM communities WHERE slug = $1",
        &private_b
    );
    assert_eq!(name, "Bravo Private", "nothing changed");

    // Not in the directory, not on its owner's profile for outsiders, and its page is a 404.
    let directory = app.post("/api/communities/list", &ada, &[]).await.json();
    assert!(!directory.to_string().contains("Bravo"), "{directory}");
    let profile = app.post("/api/users/profile", &ada, &[("handle", "zed")]).await.json();
    assert!(!profile.to_string().contains("Bravo"), "{profile}");
    let own = app.post("/api/users/profile", &zed, &[("handle", "zed")]).await.json();
    assert!(own.to_string().contains("Bravo"), "members still see it: {own}");
    assert_eq!(app.get(&format!("/c/{private_b}"), Some(&ada)).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get(&format!("/c/{private_b}"), Some(&zed)).await.status, StatusCode::OK);
}

#[tokio::test]
async fn the_directory_searches_and_pages() {
    let app = TestApp::new().await;
    let ada = app.sign_up("ada").await;
    for i in 0..23 {
        found(&app, &ada, &format!("Garden Club {i:02}"), "public", "open").await;
    }
    found(&app, &ada, "Hidden Garden", "private", "invite").await;
    let first = app.call("/api/communities/list", &[], None).await.json();
    assert_eq!(first["communities"].as_array().unwrap().len(), 20);
    let next = first["next"].as_str().unwrap().to_owned();
    let second = app.call("/api/communities/list", &[("after", &next)], None).await.json();
    assert_eq!(second["communities"].as_array().unwrap().len(), 3);
    assert!(second["next"].is_null());
    let mut all: Vec<String> = first["communities"]
        .as_array()
        .unwrap()
        .iter()
        .chain(second["communities"].as_array().unwrap())
        .map(|c| c["slug"].as_str().unwrap().to_owned())
        .collect();
    all.sort();
    all.dedup();
    assert_eq!(all.len(), 23, "no repeats, none missing, no private one");

    let search = app.call("/api/communities/list", &[("q", "club 07")], None).await.json();
    assert_eq!(search["communities"][0]["name"], "Garden Club 07");
    assert_eq!(search["communities"].as_array().unwrap().len(), 1);
    let literal = app.call("/api/communities/list", &[("q", "%_")], None).await.json();
    assert_eq!(literal["communities"].as_array().unwrap().len(), 0, "LIKE wildcards are literal");
}
