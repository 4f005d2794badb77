//! Founding, joining (open, approval, invite) and bans.

use super::*;

#[tokio::test]
async fn founding_makes_you_owner_with_ordered_values() {
    let app = TestApp::new().await;
    let ada = app.sign_up("ada").await;
    let slug = found(&app, &ada, "River Keepers", "public", "open").await;
    let home = app.call("/api/communities/home", &[("slug", &slug)], None).await.json();
    assert_eq!(home["community"]["mission"], "We look after the river.");
    assert_eq!(home["community"]["values"][0]["name"], "Care");
    assert_eq!(home["community"]["values"][0]["description"], "we look after each other");
    assert_eq!(home["community"]["values"][1]["name"], "Courage");
    assert_eq!(home["member_count"], 1);
    assert_eq!(home["leaders"][0]["handle"], "ada");
    assert_eq!(home["leaders"][0]["role"], "owner");
    assert_eq!(role_of(&app, &slug, "ada").await.as_deref(), Some("owner"));
    assert_eq!(audit_actions(&app, &slug).await, ["community_created"]);

    let taken = app
        .post(
            "/api/communities/create",
            &ada,
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
        )
        .await;
    assert_eq!(taken.status, StatusCode::CONFLICT);
    assert_eq!(taken.json()["detail"][0]["field"], "slug");
}

#[tokio::test]
async fn joining_an_open_community_needs_the_values_affirmed() {
    let app = TestApp::new().await;
    let [ada, bo] = app.sign_up_all(["ada", "bob"]).await;
    let slug = found(&app, &ada, "Open Circle", "public", "open").await;

    let anonymous =
        app.call("/api/communities/join", &[("slug", &slug), ("affirm", "yes")], None).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    let unaffirmed = app.post("/api/communities/join", &bo, &[("slug", &slug)]).await;
    assert_eq!(unaffirmed.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(unaffirmed.json()["detail"][0]["field"], "affirm");
    assert_eq!(role_of(&app, &slug, "bob").await, None);

    let joined =
        app.post("/api/communities/join", &bo, &[("slug", &slug), ("affirm", "yes")]).await;
    joined.assert_ok();
    assert_eq!(role_of(&app, &slug, "bob").await.as_deref(), Some("member"));
    let affirmed = crate::common::scalar(
        &app,
        "SELECT COUNT(*) FROM memberships m JOIN users u ON u.id = m.user_id
          WHERE u.handle = 'bob' AND m.affirmed_values_at IS NOT NULL",
    )
    .await;
    assert_eq!(affirmed, 1, "the affirmation is recorded");
    let again = app.post("/api/communities/join", &bo, &[("slug", &slug), ("affirm", "yes")]).await;
    assert_eq!(again.status, StatusCode::FORBIDDEN, "already a member");
}

#[tokio::test]
async fn approval_flow_from_request_to_membership() {
    let app = TestApp::new().await;
    let [ada, cy, di] = app.sign_up_all(["ada", "cyd", "dia"]).await;
    let slug = found(&app, &ada, "Mentors Guild", "public", "approval").await;

    let unanswered =
        app.post("/api/communities/join", &cy, &[("slug", &slug), ("affirm", "yes")]).await;
    assert_eq!(
        unanswered.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "join questions must be answered"
    );
    let asked = app
        .post(
            "/api/communities/join",
            &cy,
            &[("slug", &slug), ("affirm", "yes"), ("answers", "I mentor juniors.")],
        )
        .await;
    asked.assert_ok();
    assert_eq!(role_of(&app, &slug, "cyd").await, None, "not a member until approved");
    assert_eq!(
        app.post("/api/communities/home", &cy, &[("slug", &slug)]).await.json()["standing"],
        "Pending"
    );
    assert_eq!(
        app.post("/api/communities/home", &ada, &[("slug", &slug)]).await.json()["waiting"]["join_requests"],
        1
    );
    app.post(
        "/api/communities/join",
        &di,
        &[("slug", &slug), ("affirm", "yes"), ("answers", "Me too")],
    )
    .await;

    // Only leaders see the queue.
    let sneaky = app.post("/api/communities/requests", &di, &[("slug", &slug)]).await;
    assert_eq!(sneaky.status, StatusCode::FORBIDDEN);
    let queue = app.post("/api/communities/requests", &ada, &[("slug", &slug)]).await.json();
    assert_eq!(queue.as_array().unwrap().len(), 2);
    assert_eq!(queue[0]["handle"], "cyd");
    assert_eq!(queue[0]["answers"], "I mentor juniors.");
    let cy_request = queue[0]["id"].to_string();
    let di_request = queue[1]["id"].to_string();

    let approve = app
        .post(
            "/api/communities/decide_request",
            &ada,
            &[
                ("slug", &slug),
                ("request_id", &cy_request),
                ("decision", "approve"),
                ("message", "Welcome!"),
            ],
        )
        .await;
    approve.assert_ok();
    assert_eq!(role_of(&app, &slug, "cyd").await.as_deref(), Some("member"));
    let decline = app
        .post(
            "/api/communities/decide_request",
            &ada,
            &[
                ("slug", &slug),
                ("request_id", &di_request),
                ("decision", "decline"),
                ("message", "Not now"),
            ],
        )
        .await;
    assert!(decline.status.is_success());
    assert_eq!(role_of(&app, &slug, "dia").await, None);
    let twice = app
        .post(
            "/api/communities/decide_request",
            &ada,
            &[("slug", &slug), ("request_id", &cy_request), ("decision", "approve")],
        )
        .await;
    assert_eq!(twice.status, StatusCode::NOT_FOUND, "a decided request cannot be decided again");

    let notices = crate::common::notices(&app, &cy).await;
    assert!(notices[0].contains("approved"), "{notices:?}");
    assert!(notices[0].contains("Welcome!"));
    assert_eq!(
        audit_actions(&app, &slug).await,
        ["community_created", "join_requested", "join_requested", "join_approved", "join_declined"]
    );
}

#[tokio::test]
async fn invite_links_admit_until_used_up_or_expired() {
    let app = TestApp::new().await;
    let [ada, eve, fox, gus] = app.sign_up_all(["ada", "eve", "fox", "gus"]).await;
    let slug = found(&app, &ada, "Quiet Room", "private", "invite").await;

    // Invite-only: no way in without a link, and a member cannot make links.
    let uninvited =
        app.post("/api/communities/join", &eve, &[("slug", &slug), ("affirm", "yes")]).await;
    assert_eq!(
        uninvited.status,
        StatusCode::NOT_FOUND,
        "a private community does not exist for outsiders"
    );

    let token = invite(&app, &slug, &ada, "1").await;
    let stored: i64 = crate::common::fetch!(
        app,
        fetch_one,
        "SELECT COUNT(*) FROM invites WHERE token_hash = $1",
        &token
    );
    assert_eq!(stored, 0, "the token itself is never stored");

    let preview = app.post("/api/invites/preview", &eve, &[("token", &token)]).await;
    assert_eq!(preview.status, StatusCode::OK);
    assert_eq!(preview.json()["community"]["name"], "Quiet Room");
    let accepted =
        app.post("/api/invites/accept", &eve, &[("token", &token), ("affirm", "yes")]).await;
    accepted.assert_ok();
    assert_eq!(role_of(&app, &slug, "eve").await.as_deref(), Some("member"));

    let used_up =
        app.post("/api/invites/accept", &fox, &[("token", &token), ("affirm", "yes")]).await;
    assert_eq!(used_up.status, StatusCode::NOT_FOUND);
    assert_eq!(role_of(&app, &slug, "fox").await, None);

    let member_invite = app
        .post(
            "/api/communities/create_invite",
            &eve,
            &[("slug", &slug), ("max_uses", ""), ("days", "7")],
        )
        .await;
    assert_eq!(member_invite.status, StatusCode::FORBIDDEN);

    let expiring = invite(&app, &slug, &ada, "").await;
    crate::common::execute!(
        app,
        "UPDATE invites SET expires_at = '2000-01-01T00:00:00.000Z' WHERE max_uses IS NULL"
    );
    let expired =
        app.post("/api/invites/accept", &gus, &[("token", &expiring), ("affirm", "yes")]).await;
    assert_eq!(expired.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.call("/api/invites/preview", &[("token", &expiring)], None).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.call("/api/invites/preview", &[("token", "made-up")], None).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn banned_members_cannot_come_back() {
    let app = TestApp::new().await;
    let [ada, bo] = app.sign_up_all(["ada", "bob"]).await;
    let slug = found(&app, &ada, "Ban Test", "public", "open").await;
    app.post("/api/communities/join", &bo, &[("slug", &slug), ("affirm", "yes")]).await;
    let banned = app
        .post(
            "/api/communities/ban",
            &ada,
            &[("slug", &slug), ("handle", "bob"), ("reason", "Harassment")],
        )
        .await;
    banned.assert_ok();
    assert_eq!(role_of(&app, &slug, "bob").await, None);
    let rejoin =
        app.post("/api/communities/join", &bo, &[("slug", &slug), ("affirm", "yes")]).await;
    assert_eq!(rejoin.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.post("/api/communities/home", &bo, &[("slug", &slug)]).await.json()["standing"],
        "Banned"
    );
    let self_ban =
        app.post("/api/communities/ban", &ada, &[("slug", &slug), ("handle", "ada")]).await;
    assert_eq!(self_ban.status, StatusCode::FORBIDDEN, "owners cannot be banned");
}
