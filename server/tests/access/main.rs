//! The access matrix: every server function in the registry, called on a private community
//! anonymously, as a member of another community, as a banned member and as a plain member,
//! answers as docs/API.md says. Who may call a function comes from its heading there
//! ("(members)", "(leaders)", "(signed in)", …) and whether it is about one community from
//! its `slug` input, so a function missing from the docs, or answering otherwise, fails.
//!
//! - about a community (`slug`): anonymous callers and outsiders get exactly the answer a
//!   community that does not exist gets (401 or 404) — a private community's existence never
//!   leaks, whatever the function; banned members get 403 or 404;
//! - leaders', moderators' and owners' actions: a plain member gets 403;
//! - members' actions: a plain member is let through (anything but 401/403/404);
//! - signed-in actions about no community: anonymous gets 401.
//!
//! Arguments are found by asking: a body starts with the private community's slug and real
//! ids, and each "missing field" answer adds that field, until the function decodes.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../common/mod.rs"]
mod common;

use std::collections::BTreeMap;

use axum::http::StatusCode;
use common::{Answer, TestApp, found, scalar};

/// What docs/API.md says about one function.
#[derive(Debug, Clone)]
struct Documented {
    /// The heading's "(…)" note, lower-cased ("" when there is none).
    who: String,
    /// Whether its inputs include `slug`.
    scoped: bool,
}

/// Every `POST /api/…` heading in docs/API.md with its note and whether `slug` is an input.
fn documented() -> BTreeMap<String, Documented> {
    let docs = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/API.md"))
        .expect("docs/API.md");
    let mut found = BTreeMap::new();
    let sections: Vec<&str> = docs.split("\n### ").skip(1).collect();
    for section in sections {
        let (heading, body) = section.split_once('\n').unwrap_or((section, ""));
        let body = body.split("\n## ").next().unwrap_or("");
        // Scoped when an "in:" list names `slug` (not when `slug` is only mentioned).
        let scoped = body
            .match_indices("in:")
            .any(|(at, _)| body[at..].split("\n- ").next().unwrap_or("").contains("`slug`"));
        // "`POST /api/a` / `POST /api/b` (leaders)": the note covers both.
        let who = heading
            .rsplit_once('(')
            .filter(|_| heading.trim_end().ends_with(')'))
            .map(|(_, note)| note.trim_end().trim_end_matches(')').to_lowercase())
            .unwrap_or_default();
        for part in heading.split('`').filter(|p| p.starts_with("POST /api/")) {
            let path = part.trim_start_matches("POST ").to_owned();
            found.insert(path, Documented { who: who.clone(), scoped });
        }
    }
    found
}

/// The people and things the matrix is tried with.
struct World {
    app: TestApp,
    slug: String,
    lead: String,
    member: String,
    banned: String,
    outsider: String,
    /// Field name → a real value in the private community.
    values: BTreeMap<&'static str, String>,
}

/// Puts mia back as an active member and ben as a banned one (a call may have had mia
/// leave, or changed a role).
async fn restore(app: &TestApp, slug: &str) {
    for (handle, status) in [("mia", "active"), ("ben", "banned")] {
        crate::common::put_membership(app, slug, handle, "member", status).await;
    }
}

async fn world() -> World {
    let app = TestApp::new().await;
    let [lead, member, banned, outsider] = app.sign_up_all(["lead", "mia", "ben", "otto"]).await;
    let slug = found(&app, &lead, "Quiet Circle", "private", "invite").await;
    let other = found(&app, &outsider, "Open Field", "public", "open").await;
    assert!(!other.is_empty());
    restore(&app, &slug).await;
    // Something of each kind in the private community, so ids are real.
    let thread = app
        .post(
            "/api/discussions/start",
            &member,
            &[("slug", &slug), ("title", "Hello"), ("body", "Hi")],
        )
        .await;
    thread.assert_ok();
    let goal = common::create_goal(&app, &slug, &lead, "Hours", "hours", "100", "", "1").await;
    assert!(goal.is_success());
    let goal_id = scalar(&app, "SELECT MAX(id) FROM goals").await.to_string();
    common::log_contribution(&app, &slug, &member, &goal_id, "", "", "2").await.assert_ok();
    let id = |sql: &'static str| {
        let app = &app;
        async move { scalar(app, sql).await.to_string() }
    };
    let thread_id = id("SELECT MAX(id) FROM threads").await;
    let post_id = id("SELECT MAX(id) FROM posts").await;
    let contribution_id = id("SELECT MAX(id) FROM contributions").await;
    let values = BTreeMap::from([
        ("slug", slug.clone()),
        ("thread_id", thread_id),
        ("post_id", post_id.clone()),
        ("reply_to", post_id),
        ("goal_id", goal_id.clone()),
        ("goal", goal_id),
        ("contribution_id", contribution_id.clone()),
        ("contribution", contribution_id),
        ("handle", "mia".to_owned()),
        ("to", "mia".to_owned()),
        ("user", "mia".to_owned()),
        ("member", "mia".to_owned()),
        ("on", "true".to_owned()),
        ("everywhere", "".to_owned()),
        ("affirm", "yes".to_owned()),
        ("body", "Hello there".to_owned()),
        ("title", "A title".to_owned()),
        ("name", "A name".to_owned()),
        ("q", "hello".to_owned()),
        ("date", "2026-12-01".to_owned()),
        ("done_on", "2026-12-01".to_owned()),
    ]);
    World { app, slug, lead, member, banned, outsider, values }
}

/// Calls `path` about the community `slug` as `cookie`, adding each field the function says is missing (up to 40), and
/// returns the final answer.
async fn call(world: &World, path: &str, slug: &str, cookie: Option<&str>) -> Answer {
    let mut fields: Vec<(String, String)> = vec![("slug".to_owned(), slug.to_owned())];
    let mut answer = None;
    for _ in 0..40 {
        let form: Vec<(&str, &str)> =
            fields.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
        let reply = world.app.call(path, &form, cookie).await;
        let missing =
            (reply.status == StatusCode::BAD_REQUEST).then(|| missing_field(&reply.body)).flatten();
        answer = Some(reply);
        let Some(name) = missing else { break };
        let nested = fields.iter().any(|(n, _)| n.starts_with("form["));
        let key = match name.as_str() {
            "form" => "form[x]".to_owned(),
            _ if nested && !world.values.contains_key(name.as_str()) => format!("form[{name}]"),
            _ if nested && fields.iter().any(|(n, _)| *n == name) => format!("form[{name}]"),
            _ => name.clone(),
        };
        if fields.iter().any(|(n, _)| *n == key) {
            break;
        }
        let value = world.values.get(name.as_str()).cloned().unwrap_or_else(|| "1".to_owned());
        fields.push((key, value));
    }
    answer.unwrap()
}

/// The field a 400 answer says is missing.
fn missing_field(body: &str) -> Option<String> {
    let at = body.find("missing field `")? + "missing field `".len();
    let rest = &body[at..];
    Some(rest[..rest.find('`')?].to_owned())
}

fn is_leaders(who: &str) -> bool {
    ["leaders", "moderators", "owners and stewards"].iter().any(|w| who.starts_with(w))
        && !who.contains("members for")
}

#[tokio::test]
async fn every_server_function_answers_each_kind_of_caller_as_documented() {
    let world = world().await;
    let docs = documented();
    let mut paths: Vec<String> =
        server_fn::axum::server_fn_paths().map(|(path, _)| path.to_owned()).collect();
    paths.sort_unstable();
    let mut wrong = Vec::new();
    let mut tried = 0;
    for path in &paths {
        let Some(doc) = docs.get(path) else {
            wrong.push(format!("{path}: not in docs/API.md"));
            continue;
        };
        if path.ends_with("/sign_out") {
            continue; // would end the sessions the rest of the matrix uses
        }
        let mut expect =
            |who: &str, answer: &Answer, ok: &dyn Fn(StatusCode) -> bool, what: &str| {
                tried += 1;
                if !ok(answer.status) {
                    wrong.push(format!(
                        "{path} ({:?}) as {who}: {} — expected {what}; {}",
                        doc.who,
                        answer.status.as_u16(),
                        answer.body.chars().take(120).collect::<String>()
                    ));
                }
            };
        if doc.scoped {
            // Anonymous and outsiders learn nothing: the private community answers exactly as
            // a community that does not exist, and never with success.
            for (who, cookie) in
                [("anonymous", None), ("an outsider", Some(world.outsider.as_str()))]
            {
                let private = call(&world, path, &world.slug, cookie).await;
                let nowhere = call(&world, path, "no-such-community", cookie).await;
                let same = |s: StatusCode| {
                    s == nowhere.status
                        && [StatusCode::UNAUTHORIZED, StatusCode::NOT_FOUND].contains(&s)
                };
                let what = format!("{} as for no community, and 401 or 404", nowhere.status);
                expect(who, &private, &same, &what);
            }
            let banned = call(&world, path, &world.slug, Some(&world.banned)).await;
            let refused =
                |s: StatusCode| [StatusCode::FORBIDDEN, StatusCode::NOT_FOUND].contains(&s);
            expect("a banned member", &banned, &refused, "403 or 404");
            let as_member = call(&world, path, &world.slug, Some(&world.member)).await;
            restore(&world.app, &world.slug).await;
            if is_leaders(&doc.who) {
                expect("a plain member", &as_member, &|s| s == StatusCode::FORBIDDEN, "403");
            } else if doc.who.starts_with("members") {
                let let_through =
                    |s: StatusCode| ![StatusCode::UNAUTHORIZED, StatusCode::FORBIDDEN].contains(&s);
                expect("a plain member", &as_member, &let_through, "not 401/403");
            }
        } else if doc.who.starts_with("signed in") {
            let answer = call(&world, path, &world.slug, None).await;
            expect("anonymous", &answer, &|s| s == StatusCode::UNAUTHORIZED, "401");
        }
    }
    // The leader can still do everything: the world was not broken by the calls above.
    world.app.me(Some(&world.lead)).await;
    println!("{tried} answers checked against docs/API.md over {} server functions", paths.len());
    assert!(tried > 150, "only {tried} calls checked");
    assert!(
        wrong.is_empty(),
        "{} answers differ from docs/API.md:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}
