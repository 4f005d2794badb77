//! Hostile input: every registered server function, sent malformed bodies anonymously and
//! as a signed-in member, answers a 4xx JSON error (or a plain success) — never a 500,
//! a panic or a stack trace — for a fixed list of malformed bodies here and for generated
//! ones in [`generated`]; and the headers and session rules pages are served with.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../common/mod.rs"]
mod common;
mod generated;

use axum::body::Body;
use axum::http::{Request, header};
use common::TestApp;

/// One malformed request body and the content type it claims.
struct Malformed {
    what: &'static str,
    content_type: &'static str,
    body: Vec<u8>,
}

fn malformed_bodies() -> Vec<Malformed> {
    let form = "application/x-www-form-urlencoded";
    let long = "x".repeat(10_000);
    let text = |what, body: String| Malformed { what, content_type: form, body: body.into_bytes() };
    vec![
        text("no fields at all", String::new()),
        text("a broken percent escape", "slug=%ZZ&id=%G1&form[name]=%".into()),
        Malformed {
            what: "invalid UTF-8",
            content_type: form,
            body: b"slug=\xff\xfe\xfd&form[body]=\xc3\x28&id=\x80".to_vec(),
        },
        Malformed {
            what: "JSON instead of a form",
            content_type: "application/json",
            body: b"{\"slug\":".to_vec(),
        },
        Malformed { what: "no content type", content_type: "", body: b"slug=x".to_vec() },
        text(
            "a huge number",
            "slug=x&id=99999999999999999999999999&thread_id=1e400&form[quantity]=1e999".into(),
        ),
        text("a negative id", "slug=x&id=-1&thread_id=-9223372036854775808&event_id=-5".into()),
        text("a non-numeric id", "slug=x&id=abc&thread_id=NaN&occurrence_id=%20".into()),
        text("arrays for scalars", "slug[]=a&slug[]=b&id[0]=1&id[1]=2&form[name][]=x".into()),
        text(
            "a 10,000-character string",
            format!("slug={long}&q={long}&form[name]={long}&form[body]={long}"),
        ),
        text("FTS syntax: a lone quote", "q=%22&slug=x".into()),
        text("FTS syntax: NEAR(", "q=NEAR(&slug=x".into()),
        text("FTS syntax: a star", "q=*&slug=x".into()),
        text("nested brackets", "form[[[[=1&form]=2&[]=3".into()),
    ]
}

fn request(path: &str, case: &Malformed, cookie: Option<&str>) -> Request<Body> {
    let mut builder = Request::post(path).header(header::ACCEPT, "application/json");
    if !case.content_type.is_empty() {
        builder = builder.header(header::CONTENT_TYPE, case.content_type);
    }
    if let Some(cookie) = cookie {
        builder = builder.header(header::COOKIE, cookie);
    }
    builder.body(Body::from(case.body.clone())).unwrap()
}

#[tokio::test]
async fn every_server_function_answers_malformed_input_with_a_clear_4xx() {
    let app = TestApp::new().await;
    let member = app.sign_up("ada").await;
    let slug = common::found(&app, &member, "River Keepers", "public", "open").await;
    assert!(!slug.is_empty());
    let mut paths: Vec<&str> = server_fn::axum::server_fn_paths().map(|(path, _)| path).collect();
    paths.sort_unstable();
    assert!(paths.len() > 50, "only {} server functions registered", paths.len());
    let cases = malformed_bodies();
    let mut failures = Vec::new();
    let mut tried = 0;
    for path in &paths {
        if path.ends_with("/sign_out") || path.ends_with("/sign_out_everywhere") {
            continue; // would end the member's session for the rest of the test
        }
        for case in &cases {
            for (who, cookie) in [("anonymous", None), ("member", Some(member.as_str()))] {
                tried += 1;
                let answer = app.send(request(path, case, cookie)).await;
                let status = answer.status.as_u16();
                let leaked = ["panicked", "stack backtrace", "RUST_BACKTRACE"]
                    .iter()
                    .any(|needle| answer.body.contains(needle));
                let error_is_json =
                    status < 400 || serde_json::from_str::<serde_json::Value>(&answer.body).is_ok();
                if status >= 500 || leaked || !error_is_json {
                    failures.push(format!(
                        "{path} ({}, {who}): {status} {}",
                        case.what,
                        answer.body.chars().take(160).collect::<String>()
                    ));
                }
            }
        }
    }
    assert!(tried > 1_000, "only {tried} malformed requests tried");
    assert!(
        failures.is_empty(),
        "{} of {tried} malformed requests were not answered with a 4xx JSON error:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[tokio::test]
async fn signing_in_always_issues_a_new_session_id() {
    let app = TestApp::new().await;
    let first = app.sign_up("ada").await;
    // Signing in while carrying an existing session (one an attacker could have planted)
    // must not keep its id.
    let answer = app
        .call(
            "/api/auth/sign_in",
            &[("login", "ada"), ("password", common::PASSWORD)],
            Some(&first),
        )
        .await;
    answer.assert_ok();
    let second = answer.session_cookie().expect("sign-in sets a cookie");
    assert_ne!(second, first, "the session id changes at sign-in");
    assert_eq!(app.me(Some(&second)).await["handle"], "ada");
    assert!(app.me(Some(&first)).await.is_null(), "the old id no longer signs anyone in");

    // A made-up id is never adopted either.
    let planted = format!("{}=AAAAAAAAAAAAAAAAAAAAAA", server::SESSION_COOKIE);
    let answer = app
        .call(
            "/api/auth/sign_in",
            &[("login", "ada"), ("password", common::PASSWORD)],
            Some(&planted),
        )
        .await;
    answer.assert_ok();
    let issued = answer
        .session_cookie()
        .unwrap_or_else(|| panic!("no cookie: {:?} {}", answer.headers, answer.body));
    assert_ne!(issued, planted);
}

#[tokio::test]
async fn pages_allow_no_inline_script_or_framing_and_https_sites_pin_https() {
    let plain = TestApp::new().await;
    let home = plain.get("/", None).await;
    let csp = home.headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
    let scripts = csp.split(';').find(|d| d.trim().starts_with("script-src")).unwrap();
    assert!(scripts.contains("'nonce-") && !scripts.contains("unsafe-inline"), "{csp}");
    let tokens: Vec<&str> = scripts.split_whitespace().collect();
    assert!(!tokens.contains(&"'unsafe-eval'"), "WASM needs only 'wasm-unsafe-eval': {csp}");
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    // Every inline script on the page carries this response's nonce.
    let nonce = csp.split("'nonce-").nth(1).unwrap().split('\'').next().unwrap();
    let inline = home.body.matches("<script").count();
    let with_nonce = home.body.matches(&format!("nonce=\"{nonce}\"")).count();
    assert!(inline > 0 && with_nonce >= inline, "{inline} scripts, {with_nonce} with the nonce");
    assert!(!home.headers.contains_key(header::STRICT_TRANSPORT_SECURITY), "no HSTS over http");
    // Server-function answers are not pages: they may not be framed either.
    let me = plain.call("/api/auth/me", &[], None).await;
    assert!(me.headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap().contains("'none'"));

    let https =
        TestApp::with(|c| c.public_url = Some("https://kindred.example".parse().unwrap())).await;
    let home = https.get("/", None).await;
    let hsts = home.headers[header::STRICT_TRANSPORT_SECURITY].to_str().unwrap();
    assert!(hsts.starts_with("max-age=63072000"), "{hsts}");
}

#[tokio::test]
async fn signing_out_everywhere_ends_every_session_of_that_member_only() {
    let app = TestApp::new().await;
    let ada_phone = app.sign_up("ada").await;
    let bob = app.sign_up("bob").await;
    let sign_in = |who: &'static str| {
        let app = &app;
        async move {
            let form = [("login", who), ("password", common::PASSWORD)];
            let answer = app.call("/api/auth/sign_in", &form, None).await;
            answer.assert_ok();
            answer.session_cookie().expect("sign-in sets a cookie")
        }
    };
    let ada_laptop = sign_in("ada").await;
    assert_eq!(app.me(Some(&ada_phone)).await["handle"], "ada");
    assert_eq!(app.me(Some(&ada_laptop)).await["handle"], "ada");

    // Anonymous: nothing to end.
    let anonymous = app.call("/api/auth/sign_out", &[("everywhere", "true")], None).await;
    anonymous.assert_status(axum::http::StatusCode::UNAUTHORIZED);

    let ended = app.call("/api/auth/sign_out", &[("everywhere", "true")], Some(&ada_laptop)).await;
    ended.assert_ok();
    assert!(app.me(Some(&ada_laptop)).await.is_null(), "this device is signed out");
    assert!(app.me(Some(&ada_phone)).await.is_null(), "the other device is signed out too");
    assert_eq!(app.me(Some(&bob)).await["handle"], "bob", "other members stay signed in");

    // Signing in again works, and a plain sign-out still ends only its own session.
    let ada_again = sign_in("ada").await;
    let ada_tablet = sign_in("ada").await;
    app.call("/api/auth/sign_out", &[], Some(&ada_tablet)).await.assert_ok();
    assert!(app.me(Some(&ada_tablet)).await.is_null());
    assert_eq!(app.me(Some(&ada_again)).await["handle"], "ada");
}
