//! Community pages read as HTML: what the server draws from the request's URL.

use super::*;

#[tokio::test]
async fn a_page_marks_its_own_tab_and_reads_its_query_from_the_request() {
    let app = TestApp::new().await;
    let ada = app.sign_up("ada").await;
    let slug = found(&app, &ada, "River Keepers", "public", "open").await;
    found(&app, &ada, "Garden Club", "public", "open").await;

    for path in ["/goals", "/discussions", ""] {
        let page = app.get(&format!("/c/{slug}{path}"), Some(&ada)).await;
        assert_eq!(page.status, StatusCode::OK, "{path}: {}", page.body);
        let current = format!(r#"href="/c/{slug}{path}" aria-current="page""#);
        assert!(page.body.contains(&current), "{path}: no current tab {current}");
        assert_eq!(
            page.body.matches(r#"aria-current="page""#).count(),
            1,
            "{path}: one current tab"
        );
    }

    // The directory's search box and results come from `?q=` (read from the request).
    let page = app.get("/communities?q=garden", Some(&ada)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains(r#"href="/communities" aria-current="page""#),
        "the tab bar marks it"
    );
    assert!(page.body.contains("Garden Club"), "the match is listed");
    assert!(!page.body.contains("River Keepers"), "the other community is not");
}

/// Leptos adds preload hints for a lazy page's WASM chunks, looking the build's split manifest
/// up from the request's root owner, where `server::preloads` provides it. In this (unerased,
/// debug) build Leptos's own copy also lands on the root; in the type-erased release build it
/// does not, and there `scripts/soak.py` checks every lazy page it reads names its real chunks.
#[tokio::test]
async fn a_lazily_loaded_page_hints_its_code_to_the_browser() {
    // A site built with `--split` has a manifest of each lazy page's chunks.
    let site = tempfile::tempdir().expect("a site folder");
    std::fs::create_dir(site.path().join("pkg")).expect("pkg");
    std::fs::write(site.path().join("pkg/__wasm_split_manifest.json"), r#"{"__x": ["chunk_1"]}"#)
        .expect("manifest");
    let root = site.path().display().to_string();
    let app = TestApp::with(|config| config.site_root = root).await;
    let ada = app.sign_up("ada").await;
    let slug = found(&app, &ada, "River Keepers", "public", "open").await;
    let loader = r#"href="/pkg/__wasm_split.______________________.js" rel="modulepreload""#;

    // Goals is a lazily loaded page; the discussion list is in the main bundle.
    for (path, lazy) in [("/goals", true), ("/discussions", false)] {
        let page = app.get(&format!("/c/{slug}{path}"), Some(&ada)).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        let head = page.body.split("</head>").next().unwrap_or_default();
        assert_eq!(head.contains(loader), lazy, "{path}: the chunk loader's hint");
    }
}

#[tokio::test]
async fn a_community_loads_with_its_values_in_order_and_without_any() {
    let app = TestApp::new().await;
    let ada = app.sign_up("ada").await;
    let slug = found(&app, &ada, "River Keepers", "public", "open").await;
    let community = app::db::communities::by_slug(&app.db, &slug).await.unwrap().unwrap();
    assert_eq!(community.name, "River Keepers");
    let values: Vec<(&str, &str)> =
        community.values.iter().map(|v| (v.name.as_str(), v.description.as_str())).collect();
    assert_eq!(values, [("Care", "we look after each other"), ("Courage", "")]);

    // A community may be founded before it has written down its values.
    let answer = app
        .call(
            "/api/communities/create",
            &[
                ("form[name]", "Quiet Club"),
                ("form[slug]", ""),
                ("form[mission]", "Reading together."),
                ("form[vision]", "Books for all."),
                ("form[values]", ""),
                ("form[visibility]", "public"),
                ("form[join_policy]", "open"),
                ("form[join_questions]", ""),
            ],
            Some(ada.as_str()),
        )
        .await;
    assert!(answer.status.is_success(), "{}", answer.body);
    let quiet = app::db::communities::by_slug(&app.db, "quiet-club").await.unwrap().unwrap();
    assert_eq!((quiet.name.as_str(), quiet.values.len()), ("Quiet Club", 0));
    assert_eq!(app.get("/c/quiet-club", None).await.status, StatusCode::OK);

    assert!(app::db::communities::by_slug(&app.db, "no-such-club").await.unwrap().is_none());
}
