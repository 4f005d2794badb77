//! Founding, joining (open, approval, invite) and bans.

use super::*;

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
