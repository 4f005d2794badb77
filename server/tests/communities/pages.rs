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
