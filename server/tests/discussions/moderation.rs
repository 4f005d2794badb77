//! Hiding posts citing a value, the flag queue, and the audit trail.

use axum::http::StatusCode;

use super::*;

#[tokio::test]
async fn a_hidden_post_shows_its_reason_and_only_its_author_and_moderators_read_it() {
    let s = setup("public").await;
    let id = thread(&s.app, &s.slug, &s.bob, "Heated", "Opening words").await;
    assert!(
        reply(&s.app, &s.slug, &s.bob, id, "Something unkind about the council")
            .await
            .status
            .is_success()
    );
    let carol = s.app.sign_up("carol").await;
    join(&s.app, &s.slug, &carol).await;
    let post_id = posts(&s.app, &s.slug, None, id).await[1]["id"].to_string();

    let hide = |cookie: &str, value: &str, note: &str| {
        let form =
            [("slug", s.slug.as_str()), ("post_id", &post_id), ("value", value), ("note", note)];
        s.app.post_copied("/api/discussions/hide", cookie, &form)
    };
    assert_eq!(hide(&carol, "0", "").await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        hide(&s.ada, "", "").await.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a reason is required"
    );
    assert_eq!(
        hide(&s.ada, "7", "").await.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "values must exist"
    );
    let answer = hide(&s.ada, "0", "Please disagree kindly.").await;
    answer.assert_ok();

    let reason = "Goes against our value “Care”: Please disagree kindly.";
    let as_carol = &posts(&s.app, &s.slug, Some(&carol), id).await[1];
    assert_eq!(as_carol["body"]["Hidden"]["reason"], reason);
    assert!(as_carol["body"]["Hidden"]["html"].is_null(), "members do not read it");
    let as_anyone = &posts(&s.app, &s.slug, None, id).await[1];
    assert!(as_anyone["body"]["Hidden"]["html"].is_null());
    let as_bob = &posts(&s.app, &s.slug, Some(&s.bob), id).await[1];
    assert!(as_bob["body"]["Hidden"]["html"].as_str().unwrap().contains("unkind"));
    let as_ada = &posts(&s.app, &s.slug, Some(&s.ada), id).await[1];
    assert!(as_ada["body"]["Hidden"]["html"].as_str().unwrap().contains("unkind"));
    let page = s.app.get(&format!("/c/{}/d/{id}", s.slug), Some(&carol)).await;
    assert!(!page.body.contains("unkind"), "not in the HTML either");
    assert!(page.body.contains("Please disagree kindly."));

    assert!(
        notifications(&s.app, &s.bob).await.iter().any(|n| n.contains(reason)),
        "the author is told why"
    );
    assert!(audit_actions(&s.app, &s.slug).await.contains(&"post_hidden".to_owned()));
    let hits = s.app.post("/api/search", &carol, &[("q", "unkind council")]).await.json();
    assert_eq!(hits["hits"], serde_json::json!([]), "hidden posts are not searchable");

    let unhide = s
        .app
        .post("/api/discussions/unhide", &s.ada, &[("slug", &s.slug), ("post_id", &post_id)])
        .await;
    assert!(unhide.status.is_success());
    assert!(posts(&s.app, &s.slug, Some(&carol), id).await[1]["body"]["Visible"].is_string());
}

#[tokio::test]
async fn flags_cite_values_and_moderators_work_the_queue() {
    let s = setup("public").await;
    let id = thread(&s.app, &s.slug, &s.bob, "Market", "Buy my stuff, spam spam").await;
    let carol = s.app.sign_up("carol").await;
    join(&s.app, &s.slug, &carol).await;
    let post_id = posts(&s.app, &s.slug, None, id).await[0]["id"].to_string();
    let flag = |cookie: &str, value: &str| {
        let form =
            [("slug", s.slug.as_str()), ("post_id", &post_id), ("value", value), ("note", "")];
        let answer = s.app.post_copied("/api/discussions/flag", cookie, &form);
        async move { answer.await.status }
    };
    assert!(flag(&carol, "1").await.is_success());
    assert_eq!(flag(&carol, "1").await, StatusCode::CONFLICT, "one open flag per person");
    assert_eq!(flag(&s.bob, "1").await, StatusCode::CONFLICT, "not one's own post");
    assert!(flag(&s.ada, "0").await.is_success());

    let queue = |cookie: &str| {
        s.app.post_copied("/api/discussions/moderation", cookie, &[("slug", &s.slug)])
    };
    assert_eq!(queue(&carol).await.status, StatusCode::FORBIDDEN);
    let open = queue(&s.ada).await.json();
    assert_eq!(open["posts"].as_array().unwrap().len(), 1);
    let flags: Vec<(String, String)> =
        serde_json::from_value(open["posts"][0]["flags"].clone()).unwrap();
    assert_eq!(
        flags,
        [
            ("carol".to_owned(), "Goes against our value “Courage”".to_owned()),
            ("ada".to_owned(), "Goes against our value “Care”".to_owned()),
        ]
    );

    let dismiss = s
        .app
        .post("/api/discussions/dismiss", &s.ada, &[("slug", &s.slug), ("post_id", &post_id)])
        .await;
    assert!(dismiss.status.is_success());
    assert_eq!(queue(&s.ada).await.json()["posts"], serde_json::json!([]));
    // Dismissed flags may be raised again, and hiding from the queue upholds them.
    assert!(flag(&carol, "1").await.is_success());
    let hide = s
        .app
        .post(
            "/api/discussions/hide",
            &s.ada,
            &[("slug", &s.slug), ("post_id", &post_id), ("value", "1"), ("note", "")],
        )
        .await;
    assert!(hide.status.is_success());
    assert_eq!(queue(&s.ada).await.json()["posts"], serde_json::json!([]));
    let upheld: i64 =
        crate::common::scalar(&s.app, "SELECT COUNT(*) FROM flags WHERE status = 'upheld'").await;
    assert_eq!(upheld, 1);
    let actions = audit_actions(&s.app, &s.slug).await;
    for action in ["post_flagged", "flags_dismissed", "post_hidden"] {
        assert!(actions.contains(&action.to_owned()), "{action} in {actions:?}");
    }
}

#[tokio::test]
async fn moderators_delete_others_posts_on_the_record() {
    let s = setup("public").await;
    let id = thread(&s.app, &s.slug, &s.bob, "Oops", "Wrong community").await;
    let post_id = posts(&s.app, &s.slug, None, id).await[0]["id"].to_string();
    let carol = s.app.sign_up("carol").await;
    join(&s.app, &s.slug, &carol).await;
    let by_carol = s
        .app
        .post("/api/discussions/delete", &carol, &[("slug", &s.slug), ("post_id", &post_id)])
        .await;
    assert_eq!(by_carol.status, StatusCode::FORBIDDEN);
    let by_ada = s
        .app
        .post("/api/discussions/delete", &s.ada, &[("slug", &s.slug), ("post_id", &post_id)])
        .await;
    assert!(by_ada.status.is_success());
    assert_eq!(posts(&s.app, &s.slug, None, id).await[0]["body"], "Deleted");
    assert!(audit_actions(&s.app, &s.slug).await.contains(&"post_deleted".to_owned()));
}
