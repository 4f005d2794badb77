//! Every kind of write a member or a leader makes, as the cancellation test sends them.

use crate::World;
use crate::common::PASSWORD;

/// One write: endpoint, form and the session it is sent with.
pub type Write = (&'static str, Vec<(String, String)>, Option<String>);

fn form(pairs: &[(&str, String)]) -> Vec<(String, String)> {
    pairs.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect()
}

/// Every kind of write a member or a leader makes, made unique by `n` where it matters.
/// Password checks (sign-up, sign-in) are slow on purpose, so `with_passwords` says
/// whether to include them.
pub async fn writes(world: &World, n: usize, with_passwords: bool) -> Vec<Write> {
    let app = &world.app;
    let slug = world.slug.clone();
    let ada = Some(world.ada.clone());
    let bob = Some(world.bob.clone());
    let cyd = Some(world.cyd.clone());
    let thread = world.thread.to_string();
    let goal = world.goal.to_string();
    let initiative = world.initiative.to_string();
    let opportunity = world.opportunity.to_string();
    let reported: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM contributions WHERE status = 'reported' ORDER BY id DESC LIMIT 1",
    )
    .fetch_optional(app.sqlite())
    .await
    .unwrap();
    let reported = reported.unwrap_or(0).to_string();
    let bob_post: i64 = sqlx::query_scalar(
        "SELECT MAX(p.id) FROM posts p JOIN users u ON u.id = p.author_id WHERE u.handle = 'bob'",
    )
    .fetch_one(app.sqlite())
    .await
    .unwrap();
    let newest = |sql: &'static str| async move {
        sqlx::query_scalar::<_, Option<i64>>(sql)
            .fetch_one(app.sqlite())
            .await
            .unwrap()
            .unwrap_or(0)
            .to_string()
    };
    let category = newest("SELECT MAX(id) FROM categories").await;
    let proposed = newest("SELECT MAX(id) FROM initiatives WHERE status = 'proposed'").await;
    let cyd_in: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.handle = 'cyd'",
    )
    .fetch_one(app.sqlite())
    .await
    .unwrap();
    let mut kinds: Vec<Write> = vec![
        (
            "/api/communities/create",
            form(&[
                ("form[name]", format!("Hang-up Circle {n}")),
                ("form[slug]", String::new()),
                ("form[mission]", "We test what happens when people hang up.".into()),
                ("form[vision]", "Nothing half-written, ever.".into()),
                ("form[values]", "Care\nCourage".into()),
                ("form[visibility]", "public".into()),
                ("form[join_policy]", "open".into()),
                ("form[join_questions]", String::new()),
            ]),
            ada.clone(),
        ),
        (
            "/api/discussions/start",
            form(&[
                ("slug", slug.clone()),
                ("title", format!("Thread number {n}")),
                ("body", format!("Opening post {n}")),
            ]),
            ada.clone(),
        ),
        (
            "/api/discussions/reply",
            form(&[
                ("slug", slug.clone()),
                ("thread_id", thread.clone()),
                ("body", format!("A reply, number {n}")),
            ]),
            bob.clone(),
        ),
        (
            "/api/discussions/react",
            form(&[
                ("slug", slug.clone()),
                ("post_id", world.ada_post.to_string()),
                ("kind", "heart".into()),
            ]),
            bob.clone(),
        ),
        (
            "/api/discussions/edit",
            form(&[
                ("slug", slug.clone()),
                ("post_id", world.ada_post.to_string()),
                ("body", format!("Who is in? (edit {n})")),
            ]),
            ada.clone(),
        ),
        (
            "/api/discussions/flag",
            form(&[
                ("slug", slug.clone()),
                ("post_id", bob_post.to_string()),
                ("value", "0".into()),
                ("note", String::new()),
            ]),
            cyd.clone(),
        ),
        (
            "/api/discussions/moderate_thread",
            form(&[
                ("slug", slug.clone()),
                ("thread_id", thread.clone()),
                ("action", if n.is_multiple_of(2) { "pin" } else { "unpin" }.into()),
            ]),
            ada.clone(),
        ),
        (
            "/api/impact/log_contribution",
            form(&[
                ("slug", slug.clone()),
                ("form[description]", format!("Planted saplings, round {n}")),
                ("form[done_on]", "2026-11-20".into()),
                ("form[quantity]", "2".into()),
                ("form[hours]", "2".into()),
                ("form[goal_id]", goal.clone()),
                ("form[initiative_id]", initiative.clone()),
                ("form[evidence_url]", String::new()),
                ("form[note]", String::new()),
            ]),
            bob.clone(),
        ),
        (
            "/api/impact/decide_contribution",
            form(&[
                ("slug", slug.clone()),
                ("contribution_id", reported.clone()),
                ("decision", "verify".into()),
                ("reason", String::new()),
            ]),
            ada.clone(),
        ),
        (
            "/api/impact/create_goal",
            form(&[
                ("slug", slug.clone()),
                ("form[title]", format!("Goal number {n}")),
                ("form[metric]", "bags".into()),
                ("form[unit]", "bags".into()),
                ("form[target]", "10".into()),
                ("form[deadline]", String::new()),
                ("form[parent_id]", goal.clone()),
                ("form[weight]", "1".into()),
            ]),
            ada.clone(),
        ),
        (
            "/api/impact/propose_initiative",
            form(&[
                ("slug", slug.clone()),
                ("title", format!("Initiative number {n}")),
                ("description", String::new()),
            ]),
            bob.clone(),
        ),
        (
            if n.is_multiple_of(2) {
                "/api/impact/join_opportunity"
            } else {
                "/api/impact/leave_opportunity"
            },
            form(&[("slug", slug.clone()), ("opportunity_id", opportunity.clone())]),
            cyd.clone(),
        ),
        (
            "/api/users/update_profile",
            form(&[
                ("display_name", format!("Bob the {n}th")),
                ("bio", "Still here.".into()),
                ("skills", "rowing, first aid".into()),
                ("interests", "birds".into()),
            ]),
            bob.clone(),
        ),
        (
            "/api/communities/set_role",
            form(&[
                ("slug", slug.clone()),
                ("handle", "cyd".into()),
                ("role", if n.is_multiple_of(2) { "moderator" } else { "member" }.into()),
                ("term_ends", String::new()),
            ]),
            ada.clone(),
        ),
        ("/api/notifications/mark_read", Vec::new(), ada.clone()),
        if cyd_in > 0 && n.is_multiple_of(3) {
            ("/api/communities/leave", form(&[("slug", slug.clone())]), cyd.clone())
        } else {
            (
                "/api/communities/join",
                form(&[("slug", slug.clone()), ("affirm", "yes".into())]),
                cyd.clone(),
            )
        },
        (
            "/api/communities/update",
            form(&[
                ("slug", slug.clone()),
                ("form[name]", "River Keepers".into()),
                ("form[slug]", slug.clone()),
                ("form[mission]", format!("We look after the river (revision {n}).")),
                ("form[vision]", "Swimmable water.".into()),
                ("form[values]", "Care: we look after each other\nCourage".into()),
                ("form[visibility]", "public".into()),
                ("form[join_policy]", "open".into()),
                ("form[join_questions]", String::new()),
            ]),
            ada.clone(),
        ),
        (
            "/api/communities/ban",
            form(&[
                ("slug", slug.clone()),
                ("handle", "dan".into()),
                ("reason", "Testing bans under hang-ups".into()),
            ]),
            ada.clone(),
        ),
        (
            "/api/communities/create_invite",
            form(&[("slug", slug.clone()), ("max_uses", "5".into()), ("days", "7".into())]),
            ada.clone(),
        ),
        (
            "/api/discussions/add_category",
            form(&[("slug", slug.clone()), ("name", format!("Topic {n}"))]),
            ada.clone(),
        ),
        (
            "/api/discussions/remove_category",
            form(&[("slug", slug.clone()), ("category_id", category.clone())]),
            ada.clone(),
        ),
        (
            if n.is_multiple_of(2) { "/api/discussions/hide" } else { "/api/discussions/unhide" },
            form(&[
                ("slug", slug.clone()),
                ("post_id", bob_post.to_string()),
                ("value", "0".into()),
                ("note", String::new()),
            ]),
            ada.clone(),
        ),
        (
            "/api/discussions/dismiss",
            form(&[("slug", slug.clone()), ("post_id", bob_post.to_string())]),
            ada.clone(),
        ),
        (
            "/api/discussions/delete",
            form(&[("slug", slug.clone()), ("post_id", bob_post.to_string())]),
            bob.clone(),
        ),
        (
            "/api/impact/withdraw_contribution",
            form(&[("slug", slug.clone()), ("contribution_id", reported.clone())]),
            bob.clone(),
        ),
        (
            "/api/impact/decide_initiative",
            form(&[
                ("slug", slug.clone()),
                ("initiative_id", proposed.clone()),
                ("decision", "approve".into()),
            ]),
            ada.clone(),
        ),
        (
            "/api/impact/add_opportunity",
            form(&[
                ("slug", slug.clone()),
                ("initiative_id", initiative.clone()),
                ("title", format!("Crew number {n}")),
                ("capacity", "3".into()),
            ]),
            bob.clone(),
        ),
    ];
    if with_passwords {
        kinds.push((
            "/api/auth/sign_up",
            form(&[
                ("handle", format!("late{n}")),
                ("display_name", "Late Comer".into()),
                ("email", format!("late{n}@example.org")),
                ("password", PASSWORD.into()),
            ]),
            None,
        ));
        kinds.push((
            "/api/auth/sign_in",
            form(&[("login", "ada".into()), ("password", PASSWORD.into())]),
            None,
        ));
    }
    kinds
}
