//! Form decoding over generated input: proptest builds bodies from the field names Kindred's
//! forms use and from arbitrary ones, with arbitrary, numeric, huge and empty values, encoded
//! properly or not at all, and sends each to a server function drawn from the registry,
//! anonymously or as a member. Every answer is a success or a 4xx JSON error.

use axum::body::Body;
use axum::http::{Request, header};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

use crate::common::TestApp;

/// Field names the forms use, so generated bodies reach past "missing field".
const NAMES: [&str; 24] = [
    "slug",
    "id",
    "thread_id",
    "post_id",
    "body",
    "title",
    "q",
    "after",
    "before",
    "reply_to",
    "form_key",
    "value",
    "tag",
    "how",
    "mark",
    "on",
    "decision",
    "reason",
    "form[title]",
    "form[to]",
    "form[hours]",
    "form[done_on]",
    "form[body]",
    "form[kind]",
];

fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(NAMES.to_vec()).prop_map(str::to_owned),
        1 => any::<String>(),
        1 => "[a-z_\\[\\]0-9]{0,12}",
    ]
}

fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        any::<i64>().prop_map(|n| n.to_string()),
        "[0-9]{15,40}",
        "-?[0-9]{0,3}\\.[0-9e+-]{0,6}",
        Just(String::new()),
        Just("true".to_owned()),
        Just("river-keepers".to_owned()),
        "[\"*():NEAR ]{0,10}",
    ]
}

/// A body: the pairs encoded properly, or joined raw (broken escapes and all).
fn body() -> impl Strategy<Value = Vec<u8>> {
    let pairs = || prop::collection::vec((name(), value()), 0..8);
    prop_oneof![
        pairs().prop_map(|pairs| {
            url::form_urlencoded::Serializer::new(String::new())
                .extend_pairs(pairs)
                .finish()
                .into_bytes()
        }),
        pairs().prop_map(|pairs| {
            let joined: Vec<String> = pairs.into_iter().map(|(n, v)| format!("{n}={v}")).collect();
            joined.join("&").into_bytes()
        }),
        prop::collection::vec(any::<u8>(), 0..200),
    ]
}

#[test]
fn generated_form_bodies_get_a_success_or_a_4xx_json_error() {
    let runtime =
        tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let (app, member) = runtime.block_on(async {
        let app = TestApp::new().await;
        let member = app.sign_up("ada").await;
        crate::common::found(&app, &member, "River Keepers", "public", "open").await;
        (app, member)
    });
    let mut paths: Vec<&str> = server_fn::axum::server_fn_paths()
        .map(|(path, _)| path)
        .filter(|path| !path.ends_with("/sign_out")) // would end the member's session
        .collect();
    paths.sort_unstable();
    let mut runner = TestRunner::new(Config { cases: 1_500, ..Config::default() });
    let cases = (0..paths.len(), body(), any::<bool>());
    let outcome = runner.run(&cases, |(index, body, signed_in)| {
        let mut request = Request::post(paths[index])
            .header(header::ACCEPT, "application/json")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if signed_in {
            request = request.header(header::COOKIE, member.as_str());
        }
        let answer = runtime.block_on(app.send(request.body(Body::from(body)).unwrap()));
        let status = answer.status.as_u16();
        prop_assert!(status < 500, "{} answered {}: {}", paths[index], status, answer.body);
        if status >= 400 {
            let json = serde_json::from_str::<serde_json::Value>(&answer.body);
            prop_assert!(json.is_ok(), "{} answered {status} without JSON", paths[index]);
        }
        Ok(())
    });
    drop(app);
    outcome.unwrap();
}
