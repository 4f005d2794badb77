//! Roles, terms, the last-owner rule, edits and the audit log.

use super::*;

#[tokio::test]
async fn roles_are_granted_by_leaders_and_the_last_owner_stays() {
    let app = TestApp::new().await;
    let [ada, bo, cy] = app.sign_up_all(["ada", "bob", "cyd"]).await;
    let slug = found(&app, &ada, "Food Bank", "public", "open").await;
    for cookie in [&bo, &cy] {
        app.post("/api/communities/join", cookie, &[("slug", &slug), ("affirm", "yes")]).await;
    }

    assert_eq!(
        set_role(&app, &slug, &cy, "bob", "moderator", "").await,
        StatusCode::FORBIDDEN,
        "members cannot"
    );
    assert!(set_role(&app, &slug, &ada, "bob", "steward", "").await.is_success());
    assert!(
        set_role(&app, &slug, &bo, "cyd", "moderator", "2099-12-31").await.is_success(),
        "stewards can"
    );
    assert_eq!(
        set_role(&app, &slug, &bo, "cyd", "owner", "").await,
        StatusCode::FORBIDDEN,
        "only owners make owners"
    );
    assert_eq!(set_role(&app, &slug, &bo, "ada", "member", "").await, StatusCode::FORBIDDEN);

    let members = app
        .call("/api/communities/members", &[("slug", &slug), ("role", "moderator")], None)
        .await
        .json();
    assert_eq!(members["members"][0]["handle"], "cyd");
    assert!(members["members"][0]["term_ends_at"].as_str().unwrap().starts_with("2099-12-31"));
    assert_eq!(members["can_manage"], false, "anonymous viewers manage nothing");

    // The last owner can neither leave nor be demoted, until there is another owner.
    let leave = app.post("/api/communities/leave", &ada, &[("slug", &slug)]).await;
    assert_eq!(leave.status, StatusCode::CONFLICT);
    assert_eq!(set_role(&app, &slug, &ada, "ada", "member", "").await, StatusCode::CONFLICT);
    assert!(set_role(&app, &slug, &ada, "bob", "owner", "").await.is_success());
    let leave = app.post("/api/communities/leave", &ada, &[("slug", &slug)]).await;
    leave.assert_ok();
    assert_eq!(role_of(&app, &slug, "ada").await, None);

    let actions = audit_actions(&app, &slug).await;
    assert_eq!(actions.iter().filter(|a| *a == "role_changed").count(), 3);
    assert_eq!(actions.last().map(String::as_str), Some("member_left"));
}

#[tokio::test]
async fn ended_terms_lapse_to_member_and_people_are_told() {
    let app = TestApp::new().await;
    let [ada, bo] = app.sign_up_all(["ada", "bob"]).await;
    let slug = found(&app, &ada, "Term Test", "public", "open").await;
    app.post("/api/communities/join", &bo, &[("slug", &slug), ("affirm", "yes")]).await;
    assert!(set_role(&app, &slug, &ada, "bob", "steward", "2099-01-01").await.is_success());
    assert_eq!(
        set_role(&app, &slug, &ada, "bob", "steward", "2001-01-01").await,
        StatusCode::UNPROCESSABLE_ENTITY
    );

    crate::common::execute!(
        app,
        "UPDATE memberships SET role_term_ends_at = '2001-01-01T00:00:00.000Z' WHERE role = 'steward'"
    );
    // Even before the sweeper runs, an ended term grants nothing.
    let requests = app.post("/api/communities/requests", &bo, &[("slug", &slug)]).await;
    assert_eq!(requests.status, StatusCode::FORBIDDEN);

    let lapsed = app::services::roles::lapse_ended_terms(&app.state.writes).await.unwrap();
    assert_eq!(lapsed, 1);
    assert_eq!(role_of(&app, &slug, "bob").await.as_deref(), Some("member"));
    assert_eq!(audit_actions(&app, &slug).await.last().map(String::as_str), Some("role_lapsed"));
    let bo_notices = crate::common::notices(&app, &bo).await;
    assert!(bo_notices[0].contains("term as steward"), "{bo_notices:?}");
    let ada_notices = crate::common::notices(&app, &ada).await;
    assert!(ada_notices[0].contains("term in Term Test has ended"), "{ada_notices:?}");
    assert_eq!(
        app::services::roles::lapse_ended_terms(&app.state.writes).await.unwrap(),
        0,
        "only once"
    );
}

#[tokio::test]
async fn edits_are_recorded_and_fields_outside_the_form_change_nothing() {
    let app = TestApp::new().await;
    let ada = app.sign_up("ada").await;
    let slug = found(&app, &ada, "Edit Me", "public", "open").await;
    let answer = app
        .post(
            "/api/communities/update",
            &ada,
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
        )
        .await;
    answer.assert_ok();
    let home = app.call("/api/communities/home", &[("slug", &slug)], None).await.json();
    assert_eq!(home["community"]["name"], "Edited");
    assert_eq!(home["community"]["slug"], slug.as_str(), "the address does not change");
    assert_eq!(home["community"]["join_policy"], "approval");
    assert_eq!(home["community"]["values"].as_array().unwrap().len(), 1);
    assert_eq!(audit_actions(&app, &slug).await, ["community_created", "community_edited"]);

    // The audit log is append-only, even to a stray UPDATE.
    let tamper =
        crate::common::on_db!(app, |db| sqlx::query("UPDATE audit_log SET action = 'nothing'")
            .execute(db)
            .await
            .map(|done| done.rows_affected()));
    assert!(tamper.is_err());
    let delete = crate::common::on_db!(app, |db| sqlx::query("DELETE FROM audit_log")
        .execute(db)
        .await
        .map(|done| done.rows_affected()));
    assert!(delete.is_err());
}
