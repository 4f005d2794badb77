//! Threads, replies, quote-replies, Markdown, mentions, edits, deletes, reactions, limits.

use crate::common::texts;
use axum::http::{StatusCode, header};

use super::*;

#[tokio::test]
async fn a_member_starts_a_thread_and_others_reply_in_order() {
    let s = setup("public").await;
    let id = thread(&s.app, &s.slug, &s.bob, "Planting day", "Who is coming **Saturday**?").await;
    assert!(reply(&s.app, &s.slug, &s.ada, id, "Count me in.").await.status.is_success());
    let first = posts(&s.app, &s.slug, None, id).await;
    let answer = s
        .app
        .post(
            "/api/discussions/reply",
            &s.bob,
            &[
                ("slug", &s.slug),
                ("thread_id", &id.to_string()),
                ("body", "Bring gloves!"),
                ("reply_to", &first[1]["id"].to_string()),
            ],
        )
        .await;
    answer.assert_ok();
    assert_eq!(answer.headers[header::LOCATION], format!("/c/{}/d/{id}#post-3", s.slug));

    let posts = posts(&s.app, &s.slug, None, id).await;
    let numbers: Vec<i64> = posts.iter().map(|p| p["number"].as_i64().unwrap()).collect();
    assert_eq!(numbers, [1, 2, 3]);
    assert_eq!(posts[0]["author"], "bob");
    assert!(posts[0]["body"]["Visible"].as_str().unwrap().contains("<strong>Saturday</strong>"));
    assert_eq!(posts[2]["reply_to"]["number"], 2);
    assert_eq!(posts[2]["reply_to"]["author"], "ada");
    // Ada hears that Bob answered her.
    assert!(
        notifications(&s.app, &s.ada).await.iter().any(|n| n.contains("@bob replied to your post"))
    );

    let list = s.app.call("/api/discussions/threads", &[("slug", &s.slug)], None).await.json();
    assert_eq!(list["threads"][0]["title"], "Planting day");
    assert_eq!(list["threads"][0]["replies"], 2);
    assert_eq!(list["can_post"], false, "signed-out readers cannot post");
}

#[tokio::test]
async fn the_list_shows_newest_activity_first_in_keyset_pages() {
    let s = setup("public").await;
    let mut ids = Vec::new();
    for n in 0..33 {
        ids.push(
            thread(&s.app, &s.slug, &s.bob, &format!("Thread {n:02}"), &format!("Body {n}")).await,
        );
    }
    // A reply moves the oldest thread to the top.
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    assert!(reply(&s.app, &s.slug, &s.ada, ids[0], "Bump").await.status.is_success());
    let first = s.app.call("/api/discussions/threads", &[("slug", &s.slug)], None).await.json();
    let titles = texts(&first["threads"], "title");
    assert_eq!(titles.len(), 30);
    assert_eq!(titles[0], "Thread 00");
    assert_eq!(titles[1], "Thread 32");
    let next = first["next"].as_str().unwrap();
    let second = s
        .app
        .call("/api/discussions/threads", &[("slug", &s.slug), ("after", next)], None)
        .await
        .json();
    let rest = texts(&second["threads"], "title");
    assert_eq!(rest, ["Thread 03", "Thread 02", "Thread 01"]);
    assert!(second["next"].is_null());
}

#[tokio::test]
async fn a_long_thread_pages_by_post_number() {
    let s = setup("public").await;
    let id = thread(&s.app, &s.slug, &s.ada, "Long one", "Start").await;
    for n in 2..=120 {
        let who = if n % 2 == 0 { &s.bob } else { &s.ada };
        assert!(reply(&s.app, &s.slug, who, id, &format!("Reply {n}")).await.status.is_success());
    }
    let middle = page(&s.app, &s.slug, None, id, 50).await.json();
    let numbers: Vec<i64> =
        middle["posts"].as_array().unwrap().iter().map(|p| p["number"].as_i64().unwrap()).collect();
    assert_eq!(numbers, (51..=100).collect::<Vec<_>>());
    assert_eq!(middle["previous"], 0);
    assert_eq!(middle["next"], 100);
    assert_eq!(middle["last"], 100);
    let last = page(&s.app, &s.slug, None, id, 100).await.json();
    assert_eq!(last["posts"].as_array().unwrap().len(), 20);
    assert!(last["next"].is_null());
    // Live updates: what came after the 118th.
    let newer = s
        .app
        .call(
            "/api/discussions/new_posts",
            &[("slug", &s.slug), ("thread_id", &id.to_string()), ("after", "118")],
            None,
        )
        .await
        .json();
    let numbers: Vec<i64> =
        newer.as_array().unwrap().iter().map(|p| p["number"].as_i64().unwrap()).collect();
    assert_eq!(numbers, [119, 120]);
}

#[tokio::test]
async fn page_queries_read_indexes_not_tables() {
    let s = setup("public").await;
    let plan = |sql: &'static str| {
        let pool = s.app.sqlite().clone();
        async move {
            let rows: Vec<(i64, i64, i64, String)> =
                sqlx::query_as(sql).fetch_all(&pool).await.unwrap();
            rows.into_iter().map(|r| r.3).collect::<Vec<_>>().join(" | ")
        }
    };
    let posts = plan("EXPLAIN QUERY PLAN SELECT * FROM posts p WHERE p.thread_id = 1 AND p.number > 5000 ORDER BY p.number LIMIT 50").await;
    assert!(posts.contains("USING INDEX"), "{posts}");
    assert!(!posts.contains("TEMP B-TREE"), "{posts}");
    let threads = plan("EXPLAIN QUERY PLAN SELECT * FROM threads t WHERE t.community_id = 1 AND t.pinned = 0 AND (t.last_post_at, t.id) < ('9999', 9) ORDER BY t.last_post_at DESC, t.id DESC LIMIT 31").await;
    assert!(threads.contains("threads_by_activity"), "{threads}");
    assert!(!threads.contains("TEMP B-TREE"), "{threads}");
}

#[tokio::test]
async fn markdown_is_stored_as_source_and_sanitised_html() {
    let s = setup("public").await;
    let body = "Hello <script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)> _ok_";
    let id = thread(&s.app, &s.slug, &s.bob, "Safety", body).await;
    let (source, html): (String, String) = crate::common::on_db!(s.app, |db| sqlx::query_as(
        "SELECT body_source, body_html FROM posts WHERE thread_id = $1"
    )
    .bind(id)
    .fetch_one(db)
    .await)
    .unwrap();
    assert_eq!(source, body);
    assert!(html.contains("<em>ok</em>"), "{html}");
    for bad in ["<script", "javascript:", "<img", "onerror"] {
        assert!(!html.contains(bad), "{bad} in {html}");
    }
    let preview = s
        .app
        .post("/api/discussions/preview", &s.bob, &[("slug", &s.slug), ("body", "# Hi @ada")])
        .await;
    assert_eq!(preview.status, StatusCode::OK);
    let preview: String = serde_json::from_str(&preview.body).unwrap();
    assert!(preview.contains("<h3>Hi <a class=\"mention\" href=\"/u/ada\""), "{preview}");
}

#[tokio::test]
async fn mentions_link_profiles_and_notify_members_only() {
    let s = setup("public").await;
    let carol = s.app.sign_up("carol").await;
    let id = thread(&s.app, &s.slug, &s.ada, "Roll call", "Thanks @bob, @carol and @nobody!").await;
    let html =
        posts(&s.app, &s.slug, None, id).await[0]["body"]["Visible"].as_str().unwrap().to_owned();
    assert!(html.contains("href=\"/u/bob\""), "{html}");
    assert!(html.contains("href=\"/u/carol\""), "{html}");
    assert!(!html.contains("/u/nobody"), "{html}");
    assert!(
        notifications(&s.app, &s.bob)
            .await
            .iter()
            .any(|n| n == "@ada mentioned you in “Roll call”")
    );
    assert!(
        notifications(&s.app, &carol).await.is_empty(),
        "people outside the community are not notified"
    );
    let eleven: String = (0..11).map(|n| format!("@person{n:02} ")).collect();
    let answer = reply(&s.app, &s.slug, &s.bob, id, &eleven).await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(answer.body.contains("at most 10 people"), "{}", answer.body);
}

#[tokio::test]
async fn edits_keep_history_and_deletes_leave_a_placeholder() {
    let s = setup("public").await;
    let id = thread(&s.app, &s.slug, &s.bob, "Typos", "First draft").await;
    assert!(reply(&s.app, &s.slug, &s.ada, id, "A reply").await.status.is_success());
    let post_id = posts(&s.app, &s.slug, None, id).await[0]["id"].to_string();
    let edit = |cookie: &str, body: &str| {
        let form = [("slug", s.slug.as_str()), ("post_id", &post_id), ("body", body)];
        let answer = s.app.post_copied("/api/discussions/edit", cookie, &form);
        async move { answer.await.status }
    };
    assert_eq!(edit(&s.ada, "Not mine").await, StatusCode::FORBIDDEN);
    assert!(edit(&s.bob, "Second draft").await.is_success());
    let first = &posts(&s.app, &s.slug, None, id).await[0];
    assert_eq!(first["edited"], true);
    assert!(first["body"]["Visible"].as_str().unwrap().contains("Second draft"));
    let history = s
        .app
        .call("/api/discussions/history", &[("slug", &s.slug), ("post_id", &post_id)], None)
        .await
        .json();
    assert_eq!(history["revisions"].as_array().unwrap().len(), 1);
    assert!(history["revisions"][0]["html"].as_str().unwrap().contains("First draft"));
    assert!(history["current"].as_str().unwrap().contains("Second draft"));

    let delete = s
        .app
        .post("/api/discussions/delete", &s.bob, &[("slug", &s.slug), ("post_id", &post_id)])
        .await;
    delete.assert_ok();
    let after = posts(&s.app, &s.slug, None, id).await;
    assert_eq!(after.len(), 2, "the thread keeps its shape");
    assert_eq!(after[0]["body"], "Deleted");
    assert!(after[1]["body"]["Visible"].is_string());
    assert_eq!(edit(&s.bob, "Too late").await, StatusCode::CONFLICT);
}

#[tokio::test]
async fn reactions_are_one_of_each_per_person() {
    let s = setup("public").await;
    let id = thread(&s.app, &s.slug, &s.bob, "Cheers", "We planted 200 trees").await;
    let post_id = posts(&s.app, &s.slug, None, id).await[0]["id"].to_string();
    let react = |cookie: &str, kind: &str| {
        let form = [("slug", s.slug.as_str()), ("post_id", &post_id), ("kind", kind)];
        let answer = s.app.post_copied("/api/discussions/react", cookie, &form);
        async move { answer.await.status }
    };
    assert!(react(&s.ada, "celebrate").await.is_success());
    assert!(react(&s.bob, "celebrate").await.is_success());
    assert!(react(&s.ada, "heart").await.is_success());
    assert!(react(&s.ada, "heart").await.is_success(), "a second press takes it back");
    assert_eq!(react(&s.ada, "skull").await, StatusCode::UNPROCESSABLE_ENTITY);
    let reactions = posts(&s.app, &s.slug, Some(&s.ada), id).await[0]["reactions"].clone();
    assert_eq!(reactions, serde_json::json!([{ "kind": "celebrate", "count": 2, "mine": true }]));

    // The page gives each post one reaction form whose buttons each send their own kind
    // (the pressed button's name and value), not a form per button.
    reply(&s.app, &s.slug, &s.bob, id, "And 40 more by the weir").await;
    let page = s.app.get(&format!("/c/{}/d/{id}", s.slug), Some(&s.ada)).await;
    assert_eq!(page.body.matches(r#"action="/api/discussions/react""#).count(), 2, "one per post");
    for kind in ["thumbs_up", "heart", "celebrate", "thanks", "insight"] {
        let button = format!(r#"name="kind" value="{kind}""#);
        assert_eq!(page.body.matches(&button).count(), 2, "{kind}: a button on each post");
    }
    assert!(
        !page.body.contains(r#"type="hidden" name="kind""#),
        "kind is the button's, not a field"
    );
}

#[tokio::test]
async fn titles_bodies_and_repeats_are_checked() {
    let s = setup("public").await;
    let (answer, _) = start(&s.app, &s.slug, &s.bob, "Hi", "Body").await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(answer.body.contains("title"));
    let long = "x".repeat(32_001);
    let (answer, _) = start(&s.app, &s.slug, &s.bob, "Long body", &long).await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(answer.body.contains("32,000"), "{}", answer.body);
    let (answer, _) = start(&s.app, &s.slug, &s.bob, "Blank", "   ").await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    let id = thread(&s.app, &s.slug, &s.bob, "Repeat", "Same words").await;
    let again = reply(&s.app, &s.slug, &s.bob, id, "Same words").await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(again.body.contains("exactly this"), "{}", again.body);
    assert_eq!(
        crate::common::scalar(&s.app, "SELECT COUNT(*) FROM posts").await,
        1,
        "nothing half-written"
    );
}

#[tokio::test]
async fn posting_too_fast_answers_429_with_when_to_retry() {
    let s = setup_with("public", |c| c.post_limits = true).await;
    // Bob joined moments ago: one thread per 2 minutes, one reply per 30 seconds.
    let id = thread(&s.app, &s.slug, &s.bob, "First thread", "Hello").await;
    let (second, _) = start(&s.app, &s.slug, &s.bob, "Second thread", "Hello again").await;
    assert_eq!(second.status, StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = second.headers[header::RETRY_AFTER].to_str().unwrap().parse().unwrap();
    assert!((100..=120).contains(&wait), "{wait}");
    assert!(reply(&s.app, &s.slug, &s.bob, id, "One reply").await.status.is_success());
    let fast = reply(&s.app, &s.slug, &s.bob, id, "Another reply").await;
    assert_eq!(fast.status, StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = fast.headers[header::RETRY_AFTER].to_str().unwrap().parse().unwrap();
    assert!((20..=30).contains(&wait), "{wait}");

    // Someone who joined days ago waits 5 seconds between posts.
    let cyd = s.app.sign_up("cyd").await;
    join(&s.app, &s.slug, &cyd).await;
    crate::common::on_db!(s.app, |db| sqlx::query("UPDATE memberships SET joined_at = '2020-01-01T00:00:00.000Z' WHERE user_id = (SELECT id FROM users WHERE handle = 'cyd')")
        .execute(db)
        .await.map(|done| done.rows_affected()))
        .unwrap();
    assert!(reply(&s.app, &s.slug, &cyd, id, "Old hand here").await.status.is_success());
    let fast = reply(&s.app, &s.slug, &cyd, id, "And again").await;
    assert_eq!(fast.status, StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = fast.headers[header::RETRY_AFTER].to_str().unwrap().parse().unwrap();
    assert!((1..=5).contains(&wait), "{wait}");
}
