//! Communities through the HTTP API: purpose, joining, roles, invites, audit — and
//! that nothing private leaks to anyone outside.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::too_many_arguments)]

mod common;

use axum::http::StatusCode;
use common::{TestApp, found};

async fn role_of(app: &TestApp, slug: &str, handle: &str) -> Option<String> {
    sqlx::query_scalar(
        "SELECT m.role FROM memberships m JOIN users u ON u.id = m.user_id JOIN communities c ON c.id = m.community_id
          WHERE c.slug = ? AND u.handle = ? AND m.status = 'active'",
    )
    .bind(slug)
    .bind(handle)
    .fetch_optional(&app.pool)
    .await
    .unwrap()
}

async fn audit_actions(app: &TestApp, slug: &str) -> Vec<String> {
    sqlx::query_scalar(
        "SELECT a.action FROM audit_log a JOIN communities c ON c.id = a.community_id WHERE c.slug = ? ORDER BY a.id",
    )
    .bind(slug)
    .fetch_all(&app.pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn founding_makes_you_owner_with_ordered_values() {
    let app = TestApp::new().await;
    let ada = app.sign_up("ada").await;
    let slug = found(&app, &ada, "River Keepers", "public", "open").await;
    let home = app
        .call("/api/communities/home", &[("slug", &slug)], None)
        .await
        .json();
    assert_eq!(home["community"]["mission"], "We look after the river.");
    assert_eq!(home["community"]["values"][0]["name"], "Care");
    assert_eq!(
        home["community"]["values"][0]["description"],
        "we look after each other"
    );
    assert_eq!(home["community"]["values"][1]["name"], "Courage");
    assert_eq!(home["member_count"], 1);
    assert_eq!(home["leaders"][0]["handle"], "ada");
    assert_eq!(home["leaders"][0]["role"], "owner");
    assert_eq!(role_of(&app, &slug, "ada").await.as_deref(), Some("owner"));
    assert_eq!(audit_actions(&app, &slug).await, ["community_created"]);

    let taken = app
        .call(
            "/api/communities/create",
            &[
                ("form[name]", "River Keepers"),
                ("form[slug]", ""),
                ("form[mission]", "Again"),
                ("form[vision]", ""),
                ("form[values]", ""),
                ("form[visibility]", "public"),
                ("form[join_policy]", "open"),
                ("form[join_questions]", ""),
            ],
            Some(&ada),
        )
        .await;
    assert_eq!(taken.status, StatusCode::CONFLICT);
    assert_eq!(taken.json()["detail"][0]["field"], "slug");
}

#[tokio::test]
async fn joining_an_open_community_needs_the_values_affirmed() {
    let app = TestApp::new().await;
    let ada = app.sign_up("ada").await;
    let bo = app.sign_up("bob").await;
    let slug = found(&app, &ada, "Open Circle", "public", "open").await;

    let anonymous = app
        .call(
            "/api/communities/join",
            &[("slug", &slug), ("affirm", "yes")],
            None,
        )
        .await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    let unaffirmed = app
        .call("/api/communities/join", &[("slug", &slug)], Some(&bo))
        .await;
    assert_eq!(unaffirmed.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(unaffirmed.json()["detail"][0]["field"], "affirm");
    assert_eq!(role_of(&app, &slug, "bob").await, None);

    let joined = app
        .call(
            "/api/communities/join",
            &[("slug", &slug), ("affirm", "yes")],
            Some(&bo),
        )
        .await;
    assert!(joined.status.is_success(), "{}", joined.body);
    assert_eq!(role_of(&app, &slug, "bob").await.as_deref(), Some("member"));
    let affirmed: Option<String> =
        sqlx::query_scalar("SELECT affirmed_values_at FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.handle = 'bob'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert!(affirmed.is_some(), "the affirmation is recorded");
    let again = app
        .call(
            "/api/communities/join",
            &[("slug", &slug), ("affirm", "yes")],
            Some(&bo),
        )
        .await;
    assert_eq!(again.status, StatusCode::FORBIDDEN, "already a member");
}

#[tokio::test]
async fn approval_flow_from_request_to_membership() {
    let app = TestApp::new().await;
    let ada = app.sign_up("ada").await;
    let cy = app.sign_up("cyd").await;
    let di = app.sign_up("dia").await;
    let slug = found(&app, &ada, "Mentors Guild", "public", "approval").await;

    let unanswered = app
        .call(
            "/api/communities/join",
            &[("slug", &slug), ("affirm", "yes")],
            Some(&cy),
        )
        .await;
    assert_eq!(
        unanswered.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "join questions must be answered"
    );
    let asked = app
        .call(
            "/api/communities/join",
            &[
                ("slug", &slug),
                ("affirm", "yes"),
                ("answers", "I mentor juniors."),
            ],
            Some(&cy),
        )
        .await;
    assert!(asked.status.is_success(), "{}", asked.body);
    assert_eq!(
        role_of(&app, &slug, "cyd").await,
        None,
        "not a member until approved"
    );
    assert_eq!(
        app.call("/api/communities/home", &[("slug", &slug)], Some(&cy))
            .await
            .json()["standing"],
        "Pending"
    );
    assert_eq!(
        app.call("/api/communities/home", &[("slug", &slug)], Some(&ada))
            .await
            .json()["pending_requests"],
        1
    );
    app.call(
        "/api/communities/join",
        &[("slug", &slug), ("affirm", "yes"), ("answers", "Me too")],
        Some(&di),
    )
    .await;

    // Only leaders see the queue.
    let sneaky = app
        .call("/api/communities/requests", &[("slug", &slug)], Some(&di))
        .await;
    assert_eq!(sneaky.status, StatusCode::FORBIDDEN);
    let queue = app
        .call("/api/communities/requests", &[("slug", &slug)], Some(&ada))
        .await
        .json();
    assert_eq!(queue.as_array().unwrap().len(), 2);
    assert_eq!(queue[0]["handle"], "cyd");
    assert_eq!(queue[0]["answers"], "I mentor juniors.");
    let cy_request = queue[0]["id"].to_string();
    let di_request = queue[1]["id"].to_string();

    let approve = app
        .call(
            "/api/communities/decide_request",
            &[
                ("slug", &slug),
                ("request_id", &cy_request),
                ("decision", "approve"),
                ("message", "Welcome!"),
            ],
            Some(&ada),
        )
        .await;
    assert!(approve.status.is_success(), "{}", approve.body);
    assert_eq!(role_of(&app, &slug, "cyd").await.as_deref(), Some("member"));
    let decline = app
        .call(
            "/api/communities/decide_request",
            &[
                ("slug", &slug),
                ("request_id", &di_request),
                ("decision", "decline"),
                ("message", "Not now"),
            ],
            Some(&ada),
        )
        .await;
    assert!(decline.status.is_success());
    assert_eq!(role_of(&app, &slug, "dia").await, None);
    let twice = app
        .call(
            "/api/communities/decide_request",
            &[
                ("slug", &slug),
                ("request_id", &cy_request),
                ("decision", "approve"),
            ],
            Some(&ada),
        )
        .await;
    assert_eq!(
        twice.status,
        StatusCode::NOT_FOUND,
        "a decided request cannot be decided again"
    );

    let notices = app
        .call("/api/notifications/list", &[], Some(&cy))
        .await
        .json();
    assert!(
        notices[0]["body"].as_str().unwrap().contains("approved"),
        "{notices}"
    );
    assert!(notices[0]["body"].as_str().unwrap().contains("Welcome!"));
    assert_eq!(
        audit_actions(&app, &slug).await,
        [
            "community_created",
            "join_requested",
            "join_requested",
            "join_approved",
            "join_declined"
        ]
    );
}

async fn invite(app: &TestApp, slug: &str, cookie: &str, max_uses: &str) -> String {
    let answer = app
        .call(
            "/api/communities/create_invite",
            &[("slug", slug), ("max_uses", max_uses), ("days", "7")],
            Some(cookie),
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    answer.json()["path"]
        .as_str()
        .unwrap()
        .trim_start_matches("/i/")
        .to_owned()
}

#[tokio::test]
async fn invite_links_admit_until_used_up_or_expired() {
    let app = TestApp::new().await;
    let ada = app.sign_up("ada").await;
    let eve = app.sign_up("eve").await;
    let fox = app.sign_up("fox").await;
    let gus = app.sign_up("gus").await;
    let slug = found(&app, &ada, "Quiet Room", "private", "invite").await;

    // Invite-only: no way in without a link, and a member cannot make links.
    let uninvited = app
        .call(
            "/api/communities/join",
            &[("slug", &slug), ("affirm", "yes")],
            Some(&eve),
        )
        .await;
    assert_eq!(
        uninvited.status,
        StatusCode::NOT_FOUND,
        "a private community does not exist for outsiders"
    );

    let token = invite(&app, &slug, &ada, "1").await;
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM invites WHERE token_hash = ?")
        .bind(&token)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(stored, 0, "the token itself is never stored");

    let preview = app
        .call("/api/invites/preview", &[("token", &token)], Some(&eve))
        .await;
    assert_eq!(preview.status, StatusCode::OK);
    assert_eq!(preview.json()["community"]["name"], "Quiet Room");
    let accepted = app
        .call(
            "/api/invites/accept",
            &[("token", &token), ("affirm", "yes")],
            Some(&eve),
        )
        .await;
    assert!(accepted.status.is_success(), "{}", accepted.body);
    assert_eq!(role_of(&app, &slug, "eve").await.as_deref(), Some("member"));

    let used_up = app
        .call(
            "/api/invites/accept",
            &[("token", &token), ("affirm", "yes")],
            Some(&fox),
        )
        .await;
    assert_eq!(used_up.status, StatusCode::NOT_FOUND);
    assert_eq!(role_of(&app, &slug, "fox").await, None);

    let member_invite = app
        .call(
            "/api/communities/create_invite",
            &[("slug", &slug), ("max_uses", ""), ("days", "7")],
            Some(&eve),
        )
        .await;
    assert_eq!(member_invite.status, StatusCode::FORBIDDEN);

    let expiring = invite(&app, &slug, &ada, "").await;
    sqlx::query(
        "UPDATE invites SET expires_at = '2000-01-01T00:00:00.000Z' WHERE max_uses IS NULL",
    )
    .execute(&app.pool)
    .await
    .unwrap();
    let expired = app
        .call(
            "/api/invites/accept",
            &[("token", &expiring), ("affirm", "yes")],
            Some(&gus),
        )
        .await;
    assert_eq!(expired.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.call("/api/invites/preview", &[("token", &expiring)], None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.call("/api/invites/preview", &[("token", "made-up")], None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

async fn set_role(
    app: &TestApp,
    slug: &str,
    cookie: &str,
    handle: &str,
    role: &str,
    term: &str,
) -> StatusCode {
    app.call(
        "/api/communities/set_role",
        &[
            ("slug", slug),
            ("handle", handle),
            ("role", role),
            ("term_ends", term),
        ],
        Some(cookie),
    )
    .await
    .status
}

#[tokio::test]
async fn roles_are_granted_by_leaders_and_the_last_owner_stays() {
    let app = TestApp::new().await;
    let ada = app.sign_up("ada").await;
    let bo = app.sign_up("bob").await;
    let cy = app.sign_up("cyd").await;
    let slug = found(&app, &ada, "Food Bank", "public", "open").await;
    for cookie in [&bo, &cy] {
        app.call(
            "/api/communities/join",
            &[("slug", &slug), ("affirm", "yes")],
            Some(cookie),
        )
        .await;
    }

    assert_eq!(
        set_role(&app, &slug, &cy, "bob", "moderator", "").await,
        StatusCode::FORBIDDEN,
        "members cannot"
    );
    assert!(
        set_role(&app, &slug, &ada, "bob", "steward", "")
            .await
            .is_success()
    );
    assert!(
        set_role(&app, &slug, &bo, "cyd", "moderator", "2099-12-31")
            .await
            .is_success(),
        "stewards can"
    );
    assert_eq!(
        set_role(&app, &slug, &bo, "cyd", "owner", "").await,
        StatusCode::FORBIDDEN,
        "only owners make owners"
    );
    assert_eq!(
        set_role(&app, &slug, &bo, "ada", "member", "").await,
        StatusCode::FORBIDDEN
    );

    let members = app
        .call(
            "/api/communities/members",
            &[("slug", &slug), ("role", "moderator")],
            None,
        )
        .await
        .json();
    assert_eq!(members["members"][0]["handle"], "cyd");
    assert!(
        members["members"][0]["term_ends_at"]
            .as_str()
            .unwrap()
            .starts_with("2099-12-31")
    );
    assert_eq!(
        members["can_manage"], false,
        "anonymous viewers manage nothing"
    );

    // The last owner can neither leave nor be demoted, until there is another owner.
    let leave = app
        .call("/api/communities/leave", &[("slug", &slug)], Some(&ada))
        .await;
    assert_eq!(leave.status, StatusCode::CONFLICT);
    assert_eq!(
        set_role(&app, &slug, &ada, "ada", "member", "").await,
        StatusCode::CONFLICT
    );
    assert!(
        set_role(&app, &slug, &ada, "bob", "owner", "")
            .await
            .is_success()
    );
    let leave = app
        .call("/api/communities/leave", &[("slug", &slug)], Some(&ada))
        .await;
    assert!(leave.status.is_success(), "{}", leave.body);
    assert_eq!(role_of(&app, &slug, "ada").await, None);

    let actions = audit_actions(&app, &slug).await;
    assert_eq!(actions.iter().filter(|a| *a == "role_changed").count(), 3);
    assert_eq!(actions.last().map(String::as_str), Some("member_left"));
}

#[tokio::test]
async fn ended_terms_lapse_to_member_and_people_are_told() {
    let app = TestApp::new().await;
    let ada = app.sign_up("ada").await;
    let bo = app.sign_up("bob").await;
    let slug = found(&app, &ada, "Term Test", "public", "open").await;
    app.call(
        "/api/communities/join",
        &[("slug", &slug), ("affirm", "yes")],
        Some(&bo),
    )
    .await;
    assert!(
        set_role(&app, &slug, &ada, "bob", "steward", "2099-01-01")
            .await
            .is_success()
    );
    assert_eq!(
        set_role(&app, &slug, &ada, "bob", "steward", "2001-01-01").await,
        StatusCode::UNPROCESSABLE_ENTITY
    );

    sqlx::query("UPDATE memberships SET role_term_ends_at = '2001-01-01T00:00:00.000Z' WHERE role = 'steward'")
        .execute(&app.pool)
        .await
        .unwrap();
    // Even before the sweeper runs, an ended term grants nothing.
    let requests = app
        .call("/api/communities/requests", &[("slug", &slug)], Some(&bo))
        .await;
    assert_eq!(requests.status, StatusCode::FORBIDDEN);

    let lapsed = app::services::roles::lapse_ended_terms(&app.pool)
        .await
        .unwrap();
    assert_eq!(lapsed, 1);
    assert_eq!(role_of(&app, &slug, "bob").await.as_deref(), Some("member"));
    assert_eq!(
        audit_actions(&app, &slug).await.last().map(String::as_str),
        Some("role_lapsed")
    );
    let bo_notices = app
        .call("/api/notifications/list", &[], Some(&bo))
        .await
        .json();
    assert!(
        bo_notices[0]["body"]
            .as_str()
            .unwrap()
            .contains("term as steward"),
        "{bo_notices}"
    );
    let ada_notices = app
        .call("/api/notifications/list", &[], Some(&ada))
        .await
        .json();
    assert!(
        ada_notices[0]["body"]
            .as_str()
            .unwrap()
            .contains("term in Term Test has ended"),
        "{ada_notices}"
    );
    assert_eq!(
        app::services::roles::lapse_ended_terms(&app.pool)
            .await
            .unwrap(),
        0,
        "only once"
    );
}

#[tokio::test]
async fn a_private_community_does_not_exist_for_outsiders_through_any_endpoint() {
    let app = TestApp::new().await;
    let ada = app.sign_up("ada").await; // owns public A
    let zed = app.sign_up("zed").await; // owns private B
    let public_a = found(&app, &ada, "Alpha Public", "public", "open").await;
    let private_b = found(&app, &zed, "Bravo Private", "private", "approval").await;
    let _ = public_a;
    // A real pending request in B, whose id an outsider might guess.
    let zoe = app.sign_up("zoe").await;
    let b_request: i64 = {
        sqlx::query("INSERT INTO join_requests (community_id, user_id, answers) SELECT c.id, u.id, 'hi' FROM communities c, users u WHERE c.slug = ? AND u.handle = 'zoe'")
            .bind(&private_b)
            .execute(&app.pool)
            .await
            .unwrap();
        sqlx::query_scalar("SELECT id FROM join_requests")
            .fetch_one(&app.pool)
            .await
            .unwrap()
    };
    let _ = zoe;
    let b_request = b_request.to_string();
    let slug = private_b.as_str();
    let calls: Vec<(&str, Vec<(&str, &str)>)> = vec![
        ("/api/communities/home", vec![("slug", slug)]),
        ("/api/communities/get", vec![("slug", slug)]),
        (
            "/api/communities/update",
            vec![
                ("slug", slug),
                ("form[name]", "Hijacked"),
                ("form[slug]", ""),
                ("form[mission]", "x"),
                ("form[vision]", ""),
                ("form[values]", ""),
                ("form[visibility]", "public"),
                ("form[join_policy]", "open"),
                ("form[join_questions]", ""),
            ],
        ),
        ("/api/communities/members", vec![("slug", slug)]),
        (
            "/api/communities/set_role",
            vec![("slug", slug), ("handle", "zed"), ("role", "member")],
        ),
        (
            "/api/communities/ban",
            vec![("slug", slug), ("handle", "zed")],
        ),
        ("/api/communities/requests", vec![("slug", slug)]),
        (
            "/api/communities/decide_request",
            vec![
                ("slug", slug),
                ("request_id", &b_request),
                ("decision", "approve"),
            ],
        ),
        ("/api/communities/invites", vec![("slug", slug)]),
        (
            "/api/communities/create_invite",
            vec![("slug", slug), ("days", "7")],
        ),
        ("/api/communities/audit", vec![("slug", slug)]),
        ("/api/communities/leadership", vec![("slug", slug)]),
        (
            "/api/communities/join",
            vec![("slug", slug), ("affirm", "yes"), ("answers", "let me in")],
        ),
        ("/api/communities/leave", vec![("slug", slug)]),
    ];
    for (endpoint, form) in &calls {
        let never: Vec<(&str, &str)> = form
            .iter()
            .map(|(k, v)| {
                if *k == "slug" {
                    (*k, "never-existed")
                } else {
                    (*k, *v)
                }
            })
            .collect();
        for cookie in [Some(ada.as_str()), None] {
            let answer = app.call(endpoint, form, cookie).await;
            assert_eq!(
                answer.status,
                StatusCode::NOT_FOUND,
                "{endpoint} as {cookie:?}: {}",
                answer.body
            );
            // Exactly like a slug that never existed.
            let ghost = app.call(endpoint, &never, cookie).await;
            assert_eq!(answer.body, ghost.body, "{endpoint}");
        }
    }
    // A's leader cannot decide B's request through A either.
    let cross = app
        .call(
            "/api/communities/decide_request",
            &[
                ("slug", &public_a),
                ("request_id", &b_request),
                ("decision", "approve"),
            ],
            Some(&ada),
        )
        .await;
    assert_eq!(cross.status, StatusCode::NOT_FOUND);
    assert_eq!(role_of(&app, &private_b, "zoe").await, None);
    let name: String = sqlx::query_scalar("SELECT name FROM communities WHERE slug = ?")
        .bind(&private_b)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(name, "Bravo Private", "nothing changed");

    // Not in the directory, not on its owner's profile for outsiders, and its page is a 404.
    let directory = app
        .call("/api/communities/list", &[], Some(&ada))
        .await
        .json();
    assert!(!directory.to_string().contains("Bravo"), "{directory}");
    let profile = app
        .call("/api/users/profile", &[("handle", "zed")], Some(&ada))
        .await
        .json();
    assert!(!profile.to_string().contains("Bravo"), "{profile}");
    let own = app
        .call("/api/users/profile", &[("handle", "zed")], Some(&zed))
        .await
        .json();
    assert!(
        own.to_string().contains("Bravo"),
        "members still see it: {own}"
    );
    assert_eq!(
        app.get(&format!("/c/{private_b}"), Some(&ada)).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get(&format!("/c/{private_b}"), Some(&zed)).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn banned_members_cannot_come_back() {
    let app = TestApp::new().await;
    let ada = app.sign_up("ada").await;
    let bo = app.sign_up("bob").await;
    let slug = found(&app, &ada, "Ban Test", "public", "open").await;
    app.call(
        "/api/communities/join",
        &[("slug", &slug), ("affirm", "yes")],
        Some(&bo),
    )
    .await;
    let banned = app
        .call(
            "/api/communities/ban",
            &[("slug", &slug), ("handle", "bob"), ("reason", "Harassment")],
            Some(&ada),
        )
        .await;
    assert!(banned.status.is_success(), "{}", banned.body);
    assert_eq!(role_of(&app, &slug, "bob").await, None);
    let rejoin = app
        .call(
            "/api/communities/join",
            &[("slug", &slug), ("affirm", "yes")],
            Some(&bo),
        )
        .await;
    assert_eq!(rejoin.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.call("/api/communities/home", &[("slug", &slug)], Some(&bo))
            .await
            .json()["standing"],
        "Banned"
    );
    let self_ban = app
        .call(
            "/api/communities/ban",
            &[("slug", &slug), ("handle", "ada")],
            Some(&ada),
        )
        .await;
    assert_eq!(
        self_ban.status,
        StatusCode::FORBIDDEN,
        "owners cannot be banned"
    );
}

#[tokio::test]
async fn edits_are_recorded_and_fields_outside_the_form_change_nothing() {
    let app = TestApp::new().await;
    let ada = app.sign_up("ada").await;
    let slug = found(&app, &ada, "Edit Me", "public", "open").await;
    let answer = app
        .call(
            "/api/communities/update",
            &[
                ("slug", &slug),
                ("form[name]", "Edited"),
                ("form[slug]", "stolen-address"),
                ("form[mission]", "A new mission."),
                ("form[vision]", ""),
                ("form[values]", "Honesty: we say what we see"),
                ("form[visibility]", "public"),
                ("form[join_policy]", "approval"),
                ("form[join_questions]", ""),
                ("created_by", "999"),
                ("role", "owner"),
            ],
            Some(&ada),
        )
        .await;
    assert!(answer.status.is_success(), "{}", answer.body);
    let home = app
        .call("/api/communities/home", &[("slug", &slug)], None)
        .await
        .json();
    assert_eq!(home["community"]["name"], "Edited");
    assert_eq!(
        home["community"]["slug"],
        slug.as_str(),
        "the address does not change"
    );
    assert_eq!(home["community"]["join_policy"], "approval");
    assert_eq!(home["community"]["values"].as_array().unwrap().len(), 1);
    assert_eq!(
        audit_actions(&app, &slug).await,
        ["community_created", "community_edited"]
    );

    // The audit log is append-only, even to a stray UPDATE.
    let tamper = sqlx::query("UPDATE audit_log SET action = 'nothing'")
        .execute(&app.pool)
        .await;
    assert!(tamper.is_err());
    let delete = sqlx::query("DELETE FROM audit_log")
        .execute(&app.pool)
        .await;
    assert!(delete.is_err());
}

#[tokio::test]
async fn the_directory_searches_and_pages() {
    let app = TestApp::new().await;
    let ada = app.sign_up("ada").await;
    for i in 0..23 {
        found(&app, &ada, &format!("Garden Club {i:02}"), "public", "open").await;
    }
    found(&app, &ada, "Hidden Garden", "private", "invite").await;
    let first = app.call("/api/communities/list", &[], None).await.json();
    assert_eq!(first["communities"].as_array().unwrap().len(), 20);
    let next = first["next"].as_str().unwrap().to_owned();
    let second = app
        .call("/api/communities/list", &[("after", &next)], None)
        .await
        .json();
    assert_eq!(second["communities"].as_array().unwrap().len(), 3);
    assert!(second["next"].is_null());
    let mut all: Vec<String> = first["communities"]
        .as_array()
        .unwrap()
        .iter()
        .chain(second["communities"].as_array().unwrap())
        .map(|c| c["slug"].as_str().unwrap().to_owned())
        .collect();
    all.sort();
    all.dedup();
    assert_eq!(all.len(), 23, "no repeats, none missing, no private one");

    let search = app
        .call("/api/communities/list", &[("q", "club 07")], None)
        .await
        .json();
    assert_eq!(search["communities"][0]["name"], "Garden Club 07");
    assert_eq!(search["communities"].as_array().unwrap().len(), 1);
    let literal = app
        .call("/api/communities/list", &[("q", "%_")], None)
        .await
        .json();
    assert_eq!(
        literal["communities"].as_array().unwrap().len(),
        0,
        "LIKE wildcards are literal"
    );
}
