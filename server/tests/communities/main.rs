//! Communities through the HTTP API: purpose, joining, roles, invites, audit — and
//! that nothing private leaks to anyone outside.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::too_many_arguments)]

#[path = "../common/mod.rs"]
mod common;

use axum::http::StatusCode;
use common::{TestApp, audit_actions, found};

mod joining;
mod leadership;
mod pages;
mod visibility;

async fn role_of(app: &TestApp, slug: &str, handle: &str) -> Option<String> {
    crate::common::fetch!(app, fetch_optional, "SELECT m.role FROM memberships m JOIN users u ON u.id = m.user_id JOIN communities c ON c.id = m.community_id
          WHERE c.slug = $1 AND u.handle = $2 AND m.status = 'active'", slug, handle)
}

async fn invite(app: &TestApp, slug: &str, cookie: &str, max_uses: &str) -> String {
    let answer = app
        .post(
            "/api/communities/create_invite",
            cookie,
            &[("slug", slug), ("max_uses", max_uses), ("days", "7")],
        )
        .await;
    answer.assert_status(StatusCode::OK);
    answer.json()["path"].as_str().unwrap().trim_start_matches("/i/").to_owned()
}

async fn set_role(
    app: &TestApp,
    slug: &str,
    cookie: &str,
    handle: &str,
    role: &str,
    term: &str,
) -> StatusCode {
    app.post(
        "/api/communities/set_role",
        cookie,
        &[("slug", slug), ("handle", handle), ("role", role), ("term_ends", term)],
    )
    .await
    .status
}
