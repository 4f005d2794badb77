//! The resource library through HTTP on a real SQLite file and a real files folder:
//! guides keep their history, links must be http(s), uploads are recognised by content
//! and need a licence, files are served only through the permission check, helpful marks
//! count people, outdated flags reach the owner, collections are the leaders'.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../common/mod.rs"]
mod common;

use crate::common::texts;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{TestApp, found, join, scalar};
use serde_json::Value;

/// A public, open "River Keepers" founded by ada, with bob and cyd as members.
async fn river(app: &TestApp) -> ([String; 4], String) {
    let cookies = app.sign_up_all(["ada", "bob", "cyd", "eve"]).await;
    let slug = found(app, &cookies[0], "River Keepers", "public", "open").await;
    join(app, &slug, &cookies[1]).await;
    join(app, &slug, &cookies[2]).await;
    (cookies, slug)
}

async fn add(app: &TestApp, slug: &str, cookie: &str, fields: &[(&str, &str)]) -> common::Answer {
    let mut form = vec![("slug", slug)];
    form.extend_from_slice(fields);
    app.post("/api/library/add", cookie, &form).await
}

fn guide<'a>(title: &'a str, body: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("form[kind]", "guide"),
        ("form[title]", title),
        ("form[summary]", "Read before going in the water."),
        ("form[body]", body),
        ("form[tags]", "Safety, water"),
    ]
}

async fn library(app: &TestApp, slug: &str, cookie: Option<&str>, tag: Option<&str>) -> Value {
    let mut form = vec![("slug", slug)];
    if let Some(tag) = tag {
        form.push(("tag", tag));
    }
    let answer = app.call("/api/library/page", &form, cookie).await;
    answer.assert_ok();
    answer.json()
}

async fn resource(app: &TestApp, slug: &str, id: i64, cookie: Option<&str>) -> common::Answer {
    app.call("/api/library/resource", &[("slug", slug), ("id", &id.to_string())], cookie).await
}

/// A multipart upload as a browser's plain form sends it.
async fn upload(
    app: &TestApp,
    slug: &str,
    cookie: &str,
    fields: &[(&str, &str)],
    file: Option<(&str, &[u8])>,
) -> common::Answer {
    let boundary = "kindredtestboundary7MA4YWxk";
    let mut body: Vec<u8> = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    if let Some((file_name, bytes)) = file {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: application/pdf\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    let request = Request::post(format!("/c/{slug}/library/upload"))
        .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"))
        .header(header::CONTENT_LENGTH, body.len())
        .header(header::COOKIE, cookie)
        .body(Body::from(body))
        .unwrap();
    app.send(request).await
}

const UPLOAD_FIELDS: [(&str, &str); 4] = [
    ("title", "Kit list"),
    ("licence", "CC BY 4.0"),
    ("attribution", "River Keepers"),
    ("tags", "kit"),
];

fn pdf() -> Vec<u8> {
    let mut bytes = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n".to_vec();
    bytes.extend(std::iter::repeat_n(b'x', 200_000));
    bytes.extend_from_slice(b"\n%%EOF\n");
    bytes
}

fn location(answer: &common::Answer) -> String {
    answer.headers[header::LOCATION].to_str().unwrap().to_owned()
}

fn files_in(app: &TestApp) -> Vec<String> {
    let dir = app.state.files_dir.clone();
    match std::fs::read_dir(dir) {
        Ok(entries) => entries.map(|e| e.unwrap().file_name().into_string().unwrap()).collect(),
        Err(_) => Vec::new(),
    }
}

#[tokio::test]
async fn members_add_guides_and_links_and_bad_ones_write_nothing() {
    let app = TestApp::new().await;
    let ([ada, bob, _, eve], slug) = river(&app).await;
    add(
        &app,
        &slug,
        &bob,
        &guide("Weir safety", "## Before\n\nCheck the **gauge**.<script>x</script>"),
    )
    .await
    .assert_ok();
    let mut link =
        vec![("form[kind]", "link"), ("form[title]", "Tide tables"), ("form[tags]", "water")];
    for bad in ["javascript:alert(1)", "ftp://example.org/x", "example.org"] {
        let mut form = link.clone();
        form.push(("form[url]", bad));
        add(&app, &slug, &bob, &form).await.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    }
    add(&app, &slug, &bob, &guide("Empty", "   "))
        .await
        .assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    add(&app, &slug, &eve, &guide("Not a member", "x")).await.assert_status(StatusCode::FORBIDDEN);
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM resources").await, 1);
    link.push(("form[url]", "https://tides.example.org/river"));
    add(&app, &slug, &ada, &link).await.assert_ok();

    let page = library(&app, &slug, None, None).await;
    let titles = texts(&page["resources"], "title");
    assert_eq!(titles, ["Tide tables", "Weir safety"]);
    assert_eq!(page["tags"][0], serde_json::json!(["water", 2]));
    let safety = library(&app, &slug, None, Some("Safety")).await;
    assert_eq!(safety["resources"].as_array().unwrap().len(), 1);

    // The guide is rendered and sanitised.
    let id = scalar(&app, "SELECT id FROM resources WHERE title = 'Weir safety'").await;
    let shown = resource(&app, &slug, id, None).await.json();
    let html = shown["body_html"].as_str().unwrap();
    assert!(html.contains("<strong>gauge</strong>") && !html.contains("<script"), "{html}");
    assert_eq!(shown["can_edit"], false);
}

#[tokio::test]
async fn guides_keep_their_history_and_only_owners_and_leaders_edit() {
    let app = TestApp::new().await;
    let ([ada, bob, cyd, _], slug) = river(&app).await;
    add(&app, &slug, &bob, &guide("Weir safety", "Check the gauge.")).await.assert_ok();
    let id = scalar(&app, "SELECT MAX(id) FROM resources").await.to_string();
    let edit = |cookie: String, body: &'static str| {
        let (app, slug, id) = (&app, slug.clone(), id.clone());
        async move {
            let mut form = vec![("slug", slug.as_str()), ("id", id.as_str())];
            form.extend(guide("Weir safety", body));
            app.post("/api/library/edit", &cookie, &form).await
        }
    };
    edit(cyd.clone(), "Vandalised").await.assert_status(StatusCode::FORBIDDEN);
    edit(bob.clone(), "Check the gauge and the weather.").await.assert_ok();
    edit(ada.clone(), "Check the gauge, the weather and the tide.").await.assert_ok();
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM resource_revisions").await, 2);
    let oldest: String =
        crate::common::scalar_text(&app, "SELECT body FROM resource_revisions ORDER BY id LIMIT 1")
            .await;
    assert_eq!(oldest, "Check the gauge.");
    let shown = resource(&app, &slug, id.parse().unwrap(), Some(&bob)).await.json();
    assert_eq!(shown["revisions"], 2);
    assert_eq!(shown["can_edit"], true);
    assert!(shown["body_html"].as_str().unwrap().contains("the tide"));

    // The history page shows every version, newest first, with who replaced it.
    let history = |cookie: Option<String>, id: String| {
        let (app, slug) = (&app, slug.clone());
        async move {
            let form = [("slug", slug.as_str()), ("id", id.as_str())];
            app.call("/api/library/history", &form, cookie.as_deref()).await
        }
    };
    let shown = history(None, id.clone()).await;
    shown.assert_ok();
    let shown = shown.json();
    assert!(shown["current"]["html"].as_str().unwrap().contains("the tide"));
    let earlier: Vec<(&str, &str)> = shown["earlier"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| (v["html"].as_str().unwrap(), v["replaced_by"].as_str().unwrap()))
        .collect();
    assert_eq!(
        earlier,
        [
            ("<p>Check the gauge and the weather.</p>\n", "ada"),
            ("<p>Check the gauge.</p>\n", "bob")
        ]
    );
    // Links have no history; another community's id is not found.
    let mut link = vec![("form[kind]", "link"), ("form[title]", "Tides"), ("form[summary]", "s")];
    link.push(("form[url]", "https://tides.example.org/"));
    add(&app, &slug, &bob, &link).await.assert_ok();
    let link_id = scalar(&app, "SELECT MAX(id) FROM resources").await.to_string();
    history(Some(bob.clone()), link_id).await.assert_status(StatusCode::NOT_FOUND);
    history(Some(bob.clone()), "999999".into()).await.assert_status(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn uploads_are_checked_by_content_and_need_a_licence_and_leave_nothing_behind() {
    let app = TestApp::new().await;
    let ([_, bob, cyd, _], slug) = river(&app).await;

    // A script renamed .pdf: refused, nothing stored.
    let script = b"#!/bin/sh\nrm -rf /\n".repeat(10);
    let refused = upload(&app, &slug, &bob, &UPLOAD_FIELDS, Some(("kit.pdf", &script))).await;
    assert_eq!(refused.status, StatusCode::SEE_OTHER);
    assert!(location(&refused).contains("upload_error="), "{}", location(&refused));
    // No licence: refused.
    let no_licence = [("title", "Kit list"), ("attribution", "River Keepers")];
    let refused = upload(&app, &slug, &bob, &no_licence, Some(("kit.pdf", &pdf()))).await;
    assert!(location(&refused).contains("upload_error="));
    // Larger than the limit: refused.
    let mut huge = pdf();
    huge.resize(21 * 1024 * 1024, b'x');
    let refused = upload(&app, &slug, &bob, &UPLOAD_FIELDS, Some(("big.pdf", &huge))).await;
    assert!(
        refused.status == StatusCode::PAYLOAD_TOO_LARGE
            || location(&refused).contains("upload_error="),
        "{}",
        refused.status
    );
    // No file chosen.
    let refused = upload(&app, &slug, &bob, &UPLOAD_FIELDS, None).await;
    assert!(location(&refused).contains("upload_error="));
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM resources").await, 0);
    assert!(files_in(&app).is_empty(), "{:?}", files_in(&app));

    // A real PDF: stored under a random name and served back byte for byte to members.
    let bytes = pdf();
    let added =
        upload(&app, &slug, &bob, &UPLOAD_FIELDS, Some(("Kit list (v2).pdf", &bytes))).await;
    assert_eq!(added.status, StatusCode::SEE_OTHER);
    let id = scalar(&app, "SELECT MAX(id) FROM resources").await;
    assert_eq!(location(&added), format!("/c/{slug}/library/{id}"));
    assert_eq!(files_in(&app).len(), 1);
    assert_eq!(files_in(&app)[0].len(), 64);
    let download = app.get(&format!("/c/{slug}/library/{id}/file"), Some(&cyd)).await;
    download.assert_ok();
    assert_eq!(download.headers[header::CONTENT_TYPE], "application/pdf");
    assert!(
        download.headers[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .contains("Kit-list--v2.pdf")
    );
    assert_eq!(download.body.len(), String::from_utf8_lossy(&bytes).len());
    let page = resource(&app, &slug, id, None).await.json();
    assert_eq!(page["file"]["size_bytes"], bytes.len());
    assert_eq!(page["licence"], "CC BY 4.0");
}

#[tokio::test]
async fn a_private_communitys_library_and_files_answer_404_to_outsiders() {
    let app = TestApp::new().await;
    let [ada, eve] = app.sign_up_all(["ada", "eve"]).await;
    let slug = found(&app, &ada, "Quiet Circle", "private", "invite").await;
    let added = upload(&app, &slug, &ada, &UPLOAD_FIELDS, Some(("kit.pdf", &pdf()))).await;
    assert_eq!(added.status, StatusCode::SEE_OTHER);
    let id = scalar(&app, "SELECT MAX(id) FROM resources").await;
    let file = format!("/c/{slug}/library/{id}/file");
    app.get(&file, Some(&ada)).await.assert_ok();
    app.get(&file, Some(&eve)).await.assert_status(StatusCode::NOT_FOUND);
    app.get(&file, None).await.assert_status(StatusCode::NOT_FOUND);
    resource(&app, &slug, id, Some(&eve)).await.assert_status(StatusCode::NOT_FOUND);
    app.call("/api/library/page", &[("slug", &slug)], None)
        .await
        .assert_status(StatusCode::NOT_FOUND);
    add(&app, &slug, &ada, &guide("Circle notes", "Kept among us.")).await.assert_ok();
    let guide_id = scalar(&app, "SELECT MAX(id) FROM resources").await.to_string();
    let history = [("slug", slug.as_str()), ("id", guide_id.as_str())];
    app.call("/api/library/history", &history, Some(&ada)).await.assert_ok();
    for outsider in [Some(eve.as_str()), None] {
        app.call("/api/library/history", &history, outsider)
            .await
            .assert_status(StatusCode::NOT_FOUND);
    }
    // An outsider cannot upload into it either, and nothing is written.
    let refused = upload(&app, &slug, &eve, &UPLOAD_FIELDS, Some(("kit.pdf", &pdf()))).await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM resources").await, 2);
}

#[tokio::test]
async fn helpful_counts_people_and_outdated_flags_reach_the_owner_until_it_changes() {
    let app = TestApp::new().await;
    let ([ada, bob, cyd, _], slug) = river(&app).await;
    add(&app, &slug, &bob, &guide("Weir safety", "Check the gauge.")).await.assert_ok();
    let id = scalar(&app, "SELECT MAX(id) FROM resources").await;
    let mark = |cookie: &str, mark: &str, on: &str| {
        let form = [("slug", slug.as_str()), ("id", &*id.to_string()), ("mark", mark), ("on", on)]
            .map(|(k, v)| (k, v.to_owned()));
        let cookie = cookie.to_owned();
        let app = &app;
        async move {
            let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.post("/api/library/mark", &cookie, &form).await
        }
    };
    mark(&cyd, "helpful", "true").await.assert_ok();
    mark(&cyd, "helpful", "true").await.assert_ok();
    mark(&ada, "helpful", "true").await.assert_ok();
    assert_eq!(resource(&app, &slug, id, None).await.json()["resource"]["helpful"], 2);
    mark(&cyd, "outdated", "true").await.assert_ok();
    let told = crate::common::told(&app, "bob", "flagged a resource").await;
    assert_eq!(told, 1);
    let page = resource(&app, &slug, id, Some(&cyd)).await.json();
    assert_eq!(
        (page["resource"]["outdated"].clone(), page["flagged_outdated"].clone()),
        (1.into(), true.into())
    );
    mark(&cyd, "wrong", "true").await.assert_status(StatusCode::UNPROCESSABLE_ENTITY);

    // The owner updates it: the flags were about the old version and go.
    let mut form = vec![("slug", slug.as_str())];
    let id_text = id.to_string();
    form.push(("id", &id_text));
    form.extend(guide("Weir safety", "Check the gauge and the weather."));
    app.post("/api/library/edit", &bob, &form).await.assert_ok();
    assert_eq!(resource(&app, &slug, id, None).await.json()["resource"]["outdated"], 0);
}

#[tokio::test]
async fn leaders_keep_ordered_collections() {
    let app = TestApp::new().await;
    let ([ada, bob, ..], slug) = river(&app).await;
    for title in ["Weir safety", "First aid", "Kit list"] {
        add(&app, &slug, &bob, &guide(title, "Read me.")).await.assert_ok();
    }
    let create = |cookie: String, name: &str| {
        let form = [("slug", slug.as_str()), ("name", name)];
        app.post_copied("/api/library/create_collection", &cookie, &form)
    };
    create(bob.clone(), "Safety").await.assert_status(StatusCode::FORBIDDEN);
    create(ada.clone(), "Safety").await.assert_ok();
    create(ada.clone(), "Safety").await.assert_status(StatusCode::CONFLICT);
    create(ada.clone(), " ").await.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let collection = scalar(&app, "SELECT id FROM resource_collections").await.to_string();
    let arrange = |cookie: String, title: &'static str, how: &'static str| {
        let (app, slug, collection) = (&app, slug.clone(), collection.clone());
        async move {
            let id: i64 = crate::common::fetch!(
                app,
                fetch_one,
                "SELECT id FROM resources WHERE title = $1",
                title
            );
            let id = id.to_string();
            let form = [
                ("slug", slug.as_str()),
                ("collection", &collection),
                ("resource", &id),
                ("how", how),
            ];
            app.post("/api/library/arrange", &cookie, &form).await
        }
    };
    arrange(bob.clone(), "Weir safety", "add").await.assert_status(StatusCode::FORBIDDEN);
    for title in ["Weir safety", "First aid", "Kit list"] {
        arrange(ada.clone(), title, "add").await.assert_ok();
    }
    arrange(ada.clone(), "Kit list", "up").await.assert_ok();
    arrange(ada.clone(), "Weir safety", "remove").await.assert_ok();
    let page = library(&app, &slug, None, None).await;
    let order = texts(&page["collections"][0]["resources"], "title");
    assert_eq!(order, ["Kit list", "First aid"]);
    assert_eq!(page["collections"][0]["name"], "Safety");
}

#[tokio::test]
async fn resources_are_found_by_search_with_the_same_privacy_and_listed_on_their_goal() {
    let app = TestApp::new().await;
    let ([ada, bob, _, eve], slug) = river(&app).await;
    let goal = common::create_goal(&app, &slug, &ada, "Hours given", "hours", "100", "", "1").await;
    assert!(goal.is_success());
    let goal_id = scalar(&app, "SELECT MAX(id) FROM goals").await.to_string();
    let mut form = guide("Weir safety", "Always check the sluice gauge first.");
    form.push(("form[goal_id]", &goal_id));
    add(&app, &slug, &bob, &form).await.assert_ok();
    let quiet = found(&app, &ada, "Quiet Circle", "private", "invite").await;
    add(&app, &quiet, &ada, &guide("Sluice keys", "Where the sluice keys hang.")).await.assert_ok();

    let search = |cookie: Option<String>| {
        let app = &app;
        async move {
            let answer = app.call("/api/search", &[("q", "sluice")], cookie.as_deref()).await;
            answer.assert_ok();
            let page = answer.json();
            let titles: Vec<String> = page["resources"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r[1].as_str().unwrap().to_owned())
                .collect();
            titles
        }
    };
    assert_eq!(search(Some(eve.clone())).await, ["Weir safety"]);
    let mut mine = search(Some(ada.clone())).await;
    mine.sort();
    assert_eq!(mine, ["Sluice keys", "Weir safety"]);

    let detail =
        app.call("/api/impact/goal", &[("slug", &slug), ("goal_id", &goal_id)], None).await;
    detail.assert_ok();
    assert_eq!(detail.json()["resources"][0][1], "Weir safety");
}

#[tokio::test]
async fn the_library_lists_fifty_at_a_time_newest_first_and_pages_to_older_ones() {
    let app = TestApp::new().await;
    let ([_, bob, ..], slug) = river(&app).await;
    for n in 0..53 {
        let title = format!("Guide number {n}");
        let mut fields = guide(&title, "Read me.");
        if n % 2 == 0 {
            fields[4] = ("form[tags]", "even");
        }
        add(&app, &slug, &bob, &fields).await.assert_ok();
    }
    let first = library(&app, &slug, None, None).await;
    let titles = |page: &Value| -> Vec<String> { texts(&page["resources"], "title") };
    let first_titles = titles(&first);
    assert_eq!(first_titles.len(), 50);
    assert_eq!(first_titles[0], "Guide number 52");
    let cursor = first["older"].as_str().unwrap().to_owned();
    let answer = app.call("/api/library/page", &[("slug", &slug), ("before", &cursor)], None).await;
    answer.assert_ok();
    let second = answer.json();
    assert_eq!(titles(&second), ["Guide number 2", "Guide number 1", "Guide number 0"]);
    assert!(second["older"].is_null());
    // A tag filters in the database, and the SSR page links to the older page.
    let even = library(&app, &slug, None, Some("even")).await;
    assert_eq!(titles(&even).len(), 27);
    assert!(even["older"].is_null());
    let html = app.get(&format!("/c/{slug}/library"), None).await;
    assert!(html.body.contains("Older resources"));
}
