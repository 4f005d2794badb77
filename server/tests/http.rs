//! The HTTP rules every later feature inherits: health, CSRF, body limits,
//! plain-form redirects, security headers, pages.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::too_many_arguments)]

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{PASSWORD, TestApp, form_request};

#[tokio::test]
async fn healthz_reports_the_database() {
    let app = TestApp::new().await;
    let answer = app.get("/healthz", None).await;
    assert_eq!(answer.status, StatusCode::OK);
    let body = answer.json();
    assert_eq!(body["status"], "ok");
    assert_eq!(body["database"], "ok");
    assert!(
        body["sqlite_memory_bytes"].as_i64().unwrap() > 0,
        "SQLite's memory is reported: {body}"
    );

    // Every pooled connection runs with Kindred's bounded caches, not SQLite's defaults.
    let cache: i64 = sqlx::query_scalar("PRAGMA cache_size")
        .fetch_one(app.state.pool.as_sqlite().unwrap())
        .await
        .unwrap();
    assert_eq!(cache, -i64::from(app::db::PAGE_CACHE_KIB));
    // And SQLite as a whole has a memory budget it hands cached pages back to keep.
    let limit: i64 = sqlx::query_scalar("PRAGMA soft_heap_limit")
        .fetch_one(app.state.pool.as_sqlite().unwrap())
        .await
        .unwrap();
    assert_eq!(limit, i64::try_from(app::db::SOFT_HEAP_LIMIT_KIB * 1024).unwrap());
    // Cached pages live in SQLite's own region, not in malloc's arenas: the region was set
    // aside before the first connection (each test runs in its own process under nextest),
    // the pages the requests above read are in it, and none spilled over to malloc.
    let reserved = app::db::page_cache::reserve();
    assert!(
        matches!(reserved, app::db::page_cache::Reserved::Region { slots, .. } if slots == app::db::page_cache::SLOTS),
        "the page cache region is SQLite's: {reserved:?}"
    );
    let (slots_used, overflow_bytes) = app::db::page_cache::slots_in_use();
    assert!(slots_used > 0, "the pages read are in the region");
    assert_eq!(overflow_bytes, 0, "no page came from malloc");

    app.state.pool.close().await;
    let answer = app.get("/healthz", None).await;
    assert_eq!(answer.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(answer.json()["database"], "unreachable");
}

#[tokio::test]
async fn healthz_reports_writes_stalled_while_something_holds_the_write_lock() {
    use sqlx::Connection;
    let app = TestApp::new().await;
    let answer = app.get("/healthz", None).await;
    assert_eq!(answer.json()["writes"], "ok");

    // Something outside the write queue takes SQLite's write lock and keeps it.
    let mut squatter = sqlx::SqliteConnection::connect(&app.url).await.unwrap();
    sqlx::raw_sql("BEGIN IMMEDIATE").execute(&mut squatter).await.unwrap();
    let answer = app.get("/healthz", None).await;
    assert_eq!(answer.status, StatusCode::SERVICE_UNAVAILABLE);
    let body = answer.json();
    assert_eq!(body["writes"], "stalled");
    assert_eq!(body["database"], "ok", "reads still work");

    // Once it lets go, writes are healthy again.
    sqlx::raw_sql("ROLLBACK").execute(&mut squatter).await.unwrap();
    let mut healthy = false;
    for _ in 0..20 {
        if app.get("/healthz", None).await.status == StatusCode::OK {
            healthy = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
    assert!(healthy, "writes did not recover after the lock was released");
}

#[tokio::test]
async fn cross_site_writes_are_refused_before_anything_runs() {
    let app = TestApp::new().await;
    let form = [
        ("handle", "eve"),
        ("display_name", "Eve"),
        ("email", "eve@example.org"),
        ("password", PASSWORD),
    ];
    for headers in [
        vec![("origin", "https://evil.example"), ("host", "127.0.0.1:3000")],
        vec![("sec-fetch-site", "cross-site")],
    ] {
        let answer = app.send(form_request("/api/auth/sign_up", &form, None, &headers)).await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN, "{headers:?}");
    }
    assert_eq!(common::scalar(&app, "SELECT COUNT(*) FROM users").await, 0);

    let same_origin = app
        .send(form_request(
            "/api/auth/sign_up",
            &form,
            None,
            &[
                ("origin", "http://127.0.0.1:3000"),
                ("host", "127.0.0.1:3000"),
                ("sec-fetch-site", "same-origin"),
            ],
        ))
        .await;
    same_origin.assert_status(StatusCode::OK);
}

#[tokio::test]
async fn bodies_over_one_mebibyte_get_413() {
    let app = TestApp::new().await;
    let huge = "b".repeat(server::MAX_BODY_BYTES + 1);
    let answer =
        app.call("/api/users/update_profile", &[("display_name", "X"), ("bio", &huge)], None).await;
    assert_eq!(answer.status, StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn a_plain_form_post_comes_back_to_its_page_with_the_error() {
    let app = TestApp::new().await;
    let request = form_request(
        "/api/auth/sign_in",
        &[("login", "nobody"), ("password", "wrong password!")],
        None,
        &[("accept", "text/html"), ("referer", "http://127.0.0.1:3000/signin?next=%2Fu%2Fx")],
    );
    // form_request set Accept: application/json first; a browser form sends only text/html.
    let (mut parts, body) = request.into_parts();
    parts.headers.insert(header::ACCEPT, "text/html,application/xhtml+xml".parse().unwrap());
    let answer = app.send(Request::from_parts(parts, body)).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    let location = answer.headers[header::LOCATION].to_str().unwrap();
    assert!(location.starts_with("/signin?next=%2Fu%2Fx&error="), "{location}");
    assert!(location.contains("Validation"), "{location}");
}

/// A form post as a browser without JavaScript sends it from `page` (a path).
fn plain_post(
    endpoint: &str,
    page: &str,
    form: &[(&str, &str)],
    cookie: Option<&str>,
) -> Request<Body> {
    let referer = format!("http://127.0.0.1:3000{page}");
    let (mut parts, body) = form_request(endpoint, form, cookie, &[]).into_parts();
    parts.headers.insert(header::ACCEPT, "text/html,application/xhtml+xml".parse().unwrap());
    parts.headers.insert(header::REFERER, referer.parse().unwrap());
    Request::from_parts(parts, body)
}

#[tokio::test]
async fn a_refused_plain_post_comes_back_with_what_was_typed_but_never_the_password() {
    let app = TestApp::new().await;
    let form = [("login", "typed-handle"), ("password", "a secret typed in")];
    let answer = app.send(plain_post("/api/auth/sign_in", "/signin", &form, None)).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    let back = answer.headers[header::LOCATION].to_str().unwrap().to_owned();
    let cookie = answer.session_cookie().expect("the kept fields live in a session");

    let page = app.get(&back, Some(&cookie)).await;
    assert!(page.body.contains(r#"value="typed-handle""#), "the handle is kept: {}", page.body);
    assert!(!page.body.contains("a secret typed in"), "a password is never kept");
    let fresh = app.get("/signin", Some(&cookie)).await;
    assert!(!fresh.body.contains("typed-handle"), "only the page the error came back to shows it");
    let someone_else = app.get(&back, None).await;
    assert!(!someone_else.body.contains("typed-handle"), "nobody else sees what was typed");
}

#[tokio::test]
async fn a_signed_out_post_to_a_members_form_starts_no_session() {
    let app = TestApp::new().await;
    let form = [("slug", "anywhere"), ("title", "Spam"), ("body", "Spam, spam.")];
    let answer = app
        .send(plain_post("/api/discussions/start", "/c/anywhere/discussions/new", &form, None))
        .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    assert!(
        answer.session_cookie().is_none(),
        "nothing is kept for a refusal that is not about the fields"
    );
}

#[tokio::test]
async fn a_refused_plain_thread_keeps_its_title_and_body() {
    let app = TestApp::new().await;
    let ([ada, ..], slug) = common::four_members(&app, "Kept Words").await;
    let page = format!("/c/{slug}/discussions/new");
    let body = "Three paragraphs about the weir & the \"new\" <gauge>.";
    let form = [("slug", slug.as_str()), ("title", "ab"), ("body", body), ("form_key", "k-1")];
    let answer = app.send(plain_post("/api/discussions/start", &page, &form, Some(&ada))).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    let back = answer.headers[header::LOCATION].to_str().unwrap().to_owned();
    assert!(back.starts_with(&format!("{page}?error=")), "{back}");

    let again = app.get(&back, Some(&ada)).await;
    assert!(again.body.contains(r#"value="ab""#), "the title is kept");
    let kept = "Three paragraphs about the weir &amp; the \"new\" &lt;gauge&gt;.";
    assert!(again.body.contains(kept), "the body is kept, as text: {}", again.body);
    assert!(!again.body.contains("k-1"), "the form key is never reused");
    assert!(again.body.contains("Use 3"), "the error still shows");
}

#[tokio::test]
async fn members_words_never_become_markup_in_a_title_or_a_text_box() {
    let app = TestApp::new().await;
    let ([ada, ..], slug) = common::four_members(&app, "Plain Words").await;
    let title = "Weir </title><meta name=\"injected\" content=\"1\">";
    let thread = common::start_thread(&app, &slug, &ada, title).await;
    let page = app.get(&thread, None).await;
    page.assert_ok();
    assert!(!page.body.contains(r#"<meta name="injected""#), "a title stays text: {}", page.body);
    assert!(page.body.contains("<title>Weir &lt;/title&gt;"), "{}", page.body);

    let draft = "Hello </textarea><p id=\"injected\">caught</p> & bye";
    let encoded: String = url::form_urlencoded::byte_serialize(draft.as_bytes()).collect();
    let new_thread =
        app.get(&format!("/c/{slug}/discussions/new?body={encoded}"), Some(&ada)).await;
    new_thread.assert_ok();
    assert!(!new_thread.body.contains(r#"<p id="injected">"#), "a draft stays text");
    assert!(new_thread.body.contains("Hello &lt;/textarea&gt;&lt;p id=\"injected\"&gt;caught"));
}

#[tokio::test]
async fn a_plain_form_sign_up_redirects_to_the_profile() {
    let app = TestApp::new().await;
    let request = Request::post("/api/auth/sign_up")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "text/html")
        .header(header::REFERER, "http://127.0.0.1:3000/signup")
        .body(Body::from(format!(
            "handle=plain&display_name=Plain&email=plain%40example.org&password={}",
            PASSWORD.replace(' ', "+")
        )))
        .unwrap();
    let answer = app.send(request).await;
    answer.assert_status(StatusCode::FOUND);
    assert_eq!(answer.headers[header::LOCATION], "/u/plain");
    assert!(answer.session_cookie().is_some());
}

#[tokio::test]
async fn pages_render_with_a_nonce_policy_and_404s_are_404s() {
    let app = TestApp::new().await;
    let home = app.get("/", None).await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.body.contains("Communities with a purpose"));
    let csp = home.headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
    assert!(csp.contains("script-src 'self' 'nonce-"), "{csp}");
    assert!(csp.contains("object-src 'none'"), "{csp}");
    let nonce = csp.split("'nonce-").nth(1).unwrap().split('\'').next().unwrap();
    assert!(home.body.contains(&format!("nonce=\"{nonce}\"")), "inline scripts carry the nonce");
    assert_eq!(home.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");

    let missing = app.get("/u/nobody-here", None).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.body.contains("Page not found"));
    let nowhere = app.get("/no/such/page", None).await;
    assert_eq!(nowhere.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn profile_pages_render_for_everyone() {
    let app = TestApp::new().await;
    let cookie = app.sign_up("rosa").await;
    let page = app.get("/u/rosa", None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("@rosa"), "{}", page.body);
    assert!(!page.body.contains("Save profile"), "no edit form for visitors");
    let own = app.get("/u/rosa", Some(&cookie)).await;
    assert!(own.body.contains("Save profile"));
}

#[tokio::test]
async fn the_demo_seeds_an_empty_database_once() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/demo.db", dir.path().display());
    let mut config = server::config::Config::for_tests(&url);
    config.demo = true;
    let first = server::build(&config).await.unwrap();
    let communities =
        app::db::communities::directory(&first.state.pool, None, None, 10).await.unwrap();
    assert_eq!(communities.len(), 1);
    assert_eq!(communities[0].slug, "river-keepers");
    assert_eq!(communities[0].member_count, 3);
    let trees: f64 = sqlx::query_scalar(
        "SELECT SUM(quantity) FROM contributions c JOIN goals g ON g.id = c.goal_id
          WHERE g.unit = 'trees' AND c.status = 'verified'",
    )
    .fetch_one(first.state.pool.as_sqlite().unwrap())
    .await
    .unwrap();
    assert_eq!(trees, 105.0, "the demo has verified work on its goal tree");
    let seats: i64 = sqlx::query_scalar(
        "SELECT COALESCE(SUM(1 + guests), 0) FROM event_rsvps WHERE status = 'going'",
    )
    .fetch_one(first.state.pool.as_sqlite().unwrap())
    .await
    .unwrap();
    assert_eq!(seats, 3, "the demo's weekly clean-up has people going (one with a guest)");
    let occurrences: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM event_occurrences")
        .fetch_one(first.state.pool.as_sqlite().unwrap())
        .await
        .unwrap();
    assert_eq!(occurrences, 9, "a weekly event for two months");
    let mentoring: (i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM mentorships WHERE status = 'active'),
                (SELECT COUNT(*) FROM mentoring_sessions s JOIN contributions c
                   ON c.id = s.contribution_id WHERE c.status = 'verified')",
    )
    .fetch_one(first.state.pool.as_sqlite().unwrap())
    .await
    .unwrap();
    assert_eq!(mentoring, (1, 1), "one active mentorship with a verified session");
    let start_here: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM collection_items i JOIN resource_collections c ON c.id = i.collection_id
          WHERE c.name = 'Start here'",
    )
    .fetch_one(first.state.pool.as_sqlite().unwrap())
    .await
    .unwrap();
    assert_eq!(start_here, 2, "the demo library has a guide and a kit list to start with");
    assert!(app::services::ledger::verify_database(&first.state.pool).await.is_ok());
    first.state.pool.close().await;
    let refused = server::build(&config).await.err().expect("a second server on a live database");
    assert!(refused.to_string().contains("another Kindred server"), "{refused}");
    drop(first);
    let second = server::build(&config).await.unwrap();
    let users: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users")
        .fetch_one(second.state.pool.as_sqlite().unwrap())
        .await
        .unwrap();
    assert_eq!(users, 3, "a second start does not seed again");
}

/// Many signed-in people loading pages at once must all be served (no pool starvation).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn many_signed_in_readers_at_once_are_all_served() {
    let app = std::sync::Arc::new(TestApp::new().await);
    let ada = app.sign_up("ada").await;
    let slug = common::found(&app, &ada, "Busy Place", "public", "open").await;
    let mut tasks = Vec::new();
    for n in 0..48 {
        let (app, ada, slug) = (app.clone(), ada.clone(), slug.clone());
        let path = match n % 3 {
            0 => format!("/c/{slug}"),
            1 => format!("/c/{slug}/discussions"),
            _ => "/".to_owned(),
        };
        tasks.push(tokio::spawn(async move { app.get(&path, Some(&ada)).await.status }));
    }
    let all = tokio::time::timeout(std::time::Duration::from_secs(20), async {
        let mut statuses = Vec::new();
        for task in tasks {
            statuses.push(task.await.unwrap());
        }
        statuses
    })
    .await
    .expect("48 parallel signed-in page loads finish within 20 s");
    assert!(all.iter().all(|s| s.is_success()), "{all:?}");
}

/// A signed-in page view does not write the session (no `Set-Cookie`, no store write);
/// the first request of a new day does, which keeps an active member signed in.
#[tokio::test]
async fn sessions_are_saved_once_a_day_not_on_every_read() {
    let app = TestApp::new().await;
    let ada = app.sign_up("ada").await;
    for path in ["/", "/u/ada", "/"] {
        let answer = app.get(path, Some(&ada)).await;
        assert!(answer.status.is_success());
        assert_eq!(answer.session_cookie(), None, "{path} re-saved the session");
    }
    // Pretend the session was last refreshed yesterday: the stored date has the same
    // length, so the encoded record stays valid.
    let today = chrono::Utc::now().date_naive();
    let yesterday = today.pred_opt().unwrap();
    let table = common::sessions_table(&app);
    let (id, data): (String, Vec<u8>) =
        common::on_db!(app, |db| sqlx::query_as(&format!("SELECT id, data FROM {table}"))
            .fetch_one(db)
            .await)
        .unwrap();
    let (from, to) = (today.to_string(), yesterday.to_string());
    let position = data
        .windows(from.len())
        .position(|w| w == from.as_bytes())
        .expect("the session records the day it was refreshed");
    let mut aged = data.clone();
    aged[position..position + to.len()].copy_from_slice(to.as_bytes());
    let update = format!("UPDATE {table} SET data = $1 WHERE id = $2");
    common::on_db!(app, |db| sqlx::query(&update)
        .bind(aged.clone())
        .bind(&id)
        .execute(db)
        .await
        .map(|done| done.rows_affected()))
    .unwrap();
    let next_day = app.get("/", Some(&ada)).await;
    assert_eq!(
        next_day.session_cookie().as_deref(),
        Some(ada.as_str()),
        "the first read of a new day saves the session and re-sends its cookie"
    );
    let again = app.get("/", Some(&ada)).await;
    assert_eq!(again.session_cookie(), None);
}

#[tokio::test]
async fn every_server_function_is_documented_in_the_api_reference() {
    // Building the app links every server function into the registry.
    let _app = TestApp::new().await;
    let docs = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/API.md"))
        .expect("docs/API.md");
    let mut paths: Vec<&str> = server_fn::axum::server_fn_paths().map(|(path, _)| path).collect();
    paths.sort_unstable();
    assert!(paths.len() > 50, "only {} server functions registered", paths.len());
    let missing: Vec<&str> = paths
        .into_iter()
        .filter(|path| {
            !docs.contains(&format!("`POST {path}`")) && !docs.contains(&format!("`POST {path} "))
        })
        .collect();
    assert!(missing.is_empty(), "server functions missing from docs/API.md: {missing:?}");
}

/// A page as a browser asks for it (offering brotli and gzip) comes back gzipped, and
/// unzips to the page a browser that offers nothing gets; a browser offering brotli alone
/// gets it uncompressed. (Brotli stays for the precompressed static files: `pwa.spec.ts`.)
#[tokio::test]
async fn pages_go_out_gzipped_even_to_a_browser_that_offers_brotli() {
    use http_body_util::BodyExt;
    use std::io::Read;
    use tower::ServiceExt;

    let app = TestApp::new().await;
    let fetch = |encoding: &'static str| {
        let router = app.router.clone();
        async move {
            let request = Request::get("/communities")
                .header(header::ACCEPT_ENCODING, encoding)
                .body(Body::empty())
                .unwrap();
            let response = router.oneshot(request).await.unwrap();
            assert_eq!(response.status(), StatusCode::OK);
            let encoding = response
                .headers()
                .get(header::CONTENT_ENCODING)
                .map(|v| v.to_str().unwrap().to_owned());
            let bytes = response.into_body().collect().await.unwrap().to_bytes();
            (encoding, bytes)
        }
    };
    let (encoding, gzipped) = fetch("gzip, deflate, br, zstd").await;
    assert_eq!(encoding.as_deref(), Some("gzip"));
    let mut page = String::new();
    flate2::read::GzDecoder::new(&gzipped[..]).read_to_string(&mut page).unwrap();
    assert!(page.contains("<title>"), "the page itself: {page:.200}");
    assert!(
        gzipped.len() * 2 < page.len(),
        "{} bytes for a {}-byte page",
        gzipped.len(),
        page.len()
    );

    let (encoding, plain) = fetch("br").await;
    assert_eq!(encoding, None, "brotli alone is not used for pages");
    assert!(String::from_utf8(plain.to_vec()).unwrap().contains("<title>"));
}
