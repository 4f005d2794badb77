//! Who may read and write: private discussions do not exist for outsiders; only
//! members post; locked threads take replies from moderators only.

use crate::common::texts;
use axum::http::StatusCode;

use super::*;

#[tokio::test]
async fn private_discussions_do_not_exist_for_outsiders() {
    let s = setup("private").await;
    let id = thread(&s.app, &s.slug, &s.bob, "Inside only", "Secret river plans").await;
    let eve = s.app.sign_up("eve").await;
    let id_text = id.to_string();
    for cookie in [None, Some(eve.as_str())] {
        for (endpoint, form) in [
            ("/api/discussions/threads", vec![("slug", s.slug.as_str())]),
            (
                "/api/discussions/thread",
                vec![("slug", s.slug.as_str()), ("thread_id", id_text.as_str())],
            ),
            (
                "/api/discussions/new_posts",
                vec![("slug", s.slug.as_str()), ("thread_id", id_text.as_str()), ("after", "0")],
            ),
            ("/api/discussions/history", vec![("slug", s.slug.as_str()), ("post_id", "1")]),
            (
                "/api/discussions/reply",
                vec![("slug", s.slug.as_str()), ("thread_id", id_text.as_str()), ("body", "hi")],
            ),
            (
                "/api/discussions/react",
                vec![("slug", s.slug.as_str()), ("post_id", "1"), ("kind", "heart")],
            ),
            (
                "/api/discussions/flag",
                vec![("slug", s.slug.as_str()), ("post_id", "1"), ("value", "0"), ("note", "")],
            ),
            ("/api/search", vec![("q", "secret"), ("slug", s.slug.as_str())]),
        ] {
            let answer = s.app.call(endpoint, &form, cookie).await;
            assert_eq!(
                answer.status,
                StatusCode::NOT_FOUND,
                "{endpoint} as {cookie:?}: {}",
                answer.body
            );
            assert!(!answer.body.contains("Secret"), "{endpoint}");
        }
        let page = s.app.get(&format!("/c/{}/d/{id}", s.slug), cookie).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND);
        assert!(!page.body.contains("Inside only"));
        let hits = s.app.call("/api/search", &[("q", "secret river")], cookie).await.json();
        assert_eq!(hits["hits"], serde_json::json!([]), "site-wide search hides private posts");
    }
    let hits = s.app.post("/api/search", &s.bob, &[("q", "secret river")]).await.json();
    assert_eq!(hits["hits"].as_array().unwrap().len(), 1, "members find them");
}

#[tokio::test]
async fn only_members_post_react_and_flag() {
    let s = setup("public").await;
    let id = thread(&s.app, &s.slug, &s.bob, "Open to read", "Anyone may read this").await;
    let eve = s.app.sign_up("eve").await;
    let answer = reply(&s.app, &s.slug, &eve, id, "Drive-by").await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    let answer = s
        .app
        .call(
            "/api/discussions/reply",
            &[("slug", &s.slug), ("thread_id", &id.to_string()), ("body", "x")],
            None,
        )
        .await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    let (answer, _) = start(&s.app, &s.slug, &eve, "Outsider thread", "Hello").await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    let answer = s
        .app
        .post(
            "/api/discussions/react",
            &eve,
            &[("slug", &s.slug), ("post_id", "1"), ("kind", "heart")],
        )
        .await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    // Reading is open in a public community, and the page says how to take part.
    let page = s.app.get(&format!("/c/{}/d/{id}", s.slug), None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Anyone may read this"));
    // Banned members lose their voice.
    crate::common::on_db!(s.app, |db| sqlx::query("UPDATE memberships SET status = 'banned' WHERE user_id = (SELECT id FROM users WHERE handle = 'bob')")
        .execute(db)
        .await.map(|done| done.rows_affected()))
        .unwrap();
    assert_eq!(
        reply(&s.app, &s.slug, &s.bob, id, "Still here?").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(crate::common::scalar(&s.app, "SELECT COUNT(*) FROM posts").await, 1);
}

#[tokio::test]
async fn locked_threads_take_replies_from_moderators_only() {
    let s = setup("public").await;
    let id = thread(&s.app, &s.slug, &s.bob, "Settled", "Decision made").await;
    let lock = |cookie: &str| {
        let form = [("slug", s.slug.as_str()), ("thread_id", &id.to_string()), ("action", "lock")];
        let answer = s.app.post_copied("/api/discussions/moderate_thread", cookie, &form);
        async move { answer.await.status }
    };
    assert_eq!(lock(&s.bob).await, StatusCode::FORBIDDEN);
    let mo = s.app.sign_up("morgan").await;
    join(&s.app, &s.slug, &mo).await;
    set_role(&s.app, &s.slug, "morgan", "moderator").await;
    assert!(lock(&mo).await.is_success());
    let refused = reply(&s.app, &s.slug, &s.bob, id, "One more thing").await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert!(refused.body.contains("locked"), "{}", refused.body);
    assert!(
        reply(&s.app, &s.slug, &mo, id, "Closing note from moderators").await.status.is_success()
    );
    let page = page(&s.app, &s.slug, Some(&s.bob), id, 0).await.json();
    assert_eq!(page["thread"]["locked"], true);
    assert_eq!(page["permissions"]["can_reply"], false);
    assert!(audit_actions(&s.app, &s.slug).await.contains(&"thread_locked".to_owned()));
}

#[tokio::test]
async fn pinned_threads_come_first_and_categories_filter() {
    let s = setup("public").await;
    let old = thread(&s.app, &s.slug, &s.bob, "House rules", "Be kind").await;
    thread(&s.app, &s.slug, &s.bob, "Newer chatter", "Hello").await;
    let pin = s
        .app
        .post(
            "/api/discussions/moderate_thread",
            &s.ada,
            &[("slug", &s.slug), ("thread_id", &old.to_string()), ("action", "pin")],
        )
        .await;
    pin.assert_ok();
    let list = s.app.call("/api/discussions/threads", &[("slug", &s.slug)], None).await.json();
    assert_eq!(list["pinned"][0]["title"], "House rules");
    assert_eq!(list["threads"][0]["title"], "Newer chatter");

    let add = |cookie: &str, name: &str| {
        let answer = s.app.post_copied(
            "/api/discussions/add_category",
            cookie,
            &[("slug", &s.slug), ("name", name)],
        );
        async move { answer.await.status }
    };
    assert_eq!(add(&s.bob, "Events").await, StatusCode::FORBIDDEN);
    assert!(add(&s.ada, "Events").await.is_success());
    assert_eq!(add(&s.ada, "Events").await, StatusCode::CONFLICT);
    let list = s.app.call("/api/discussions/threads", &[("slug", &s.slug)], None).await.json();
    let category = list["categories"][0]["id"].to_string();
    let answer = s
        .app
        .post(
            "/api/discussions/start",
            &s.bob,
            &[
                ("slug", &s.slug),
                ("title", "Cleanup Saturday"),
                ("body", "Meet at the bridge"),
                ("category_id", &category),
            ],
        )
        .await;
    answer.assert_ok();
    let answer = s
        .app
        .post(
            "/api/discussions/start",
            &s.bob,
            &[("slug", &s.slug), ("title", "Bad category"), ("body", "x"), ("category_id", "999")],
        )
        .await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    let events = s
        .app
        .call("/api/discussions/threads", &[("slug", &s.slug), ("category", &category)], None)
        .await
        .json();
    let titles = texts(&events["threads"], "title");
    assert_eq!(titles, ["Cleanup Saturday"]);
    assert_eq!(events["threads"][0]["category"], "Events");
}
