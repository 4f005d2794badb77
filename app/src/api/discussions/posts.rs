//! `POST /api/discussions/reply`, `/api/discussions/edit`, `/api/discussions/delete`,
//! `/api/discussions/react`, `/api/discussions/history`

use leptos::prelude::*;

use crate::domain::discussion::PostHistory;
use crate::error::AppError;

/// Replies to a thread (optionally answering one post, `reply_to`) and goes to the new post.
/// The same `form_key` sent again goes to the post it made instead of making another.
#[server(endpoint = "discussions/reply")]
pub async fn reply(
    slug: String,
    thread_id: i64,
    body: String,
    reply_to: Option<i64>,
    form_key: Option<String>,
) -> Result<(), AppError> {
    use crate::api::communities::access_community;
    use crate::auth::policy::CommunityAction;
    use crate::domain::resubmission::FormKey;
    use crate::services::discussions::{Writer, reply as add_reply};
    let access = access_community(&slug, CommunityAction::Discuss).await?;
    let writer = Writer { user: access.user()?, standing: access.standing };
    let key = FormKey::parse(form_key.as_deref(), &format!("reply/{thread_id}"))?;
    let (state, community) = (&access.state, &access.community);
    let number = add_reply(state, community, writer, thread_id, &body, reply_to, key).await?;
    leptos_axum::redirect(&crate::domain::discussion::post_link(
        &access.community.slug,
        thread_id,
        number,
    ));
    Ok(())
}

/// Replaces the text of one's own post (the old text stays in its history).
#[server(endpoint = "discussions/edit")]
pub async fn edit_post(slug: String, post_id: i64, body: String) -> Result<(), AppError> {
    use crate::api::communities::access_community;
    use crate::auth::policy::CommunityAction;
    use crate::services::discussions::{Writer, edit};
    let access = access_community(&slug, CommunityAction::Discuss).await?;
    let writer = Writer { user: access.user()?, standing: access.standing };
    let link = edit(&access.state, &access.community, writer, post_id, &body).await?;
    leptos_axum::redirect(&link);
    Ok(())
}

/// Deletes a post, leaving a placeholder (its author, or a moderator).
#[server(endpoint = "discussions/delete")]
pub async fn delete_post(slug: String, post_id: i64) -> Result<(), AppError> {
    use crate::api::communities::access_community;
    use crate::auth::policy::CommunityAction;
    use crate::services::discussions::{Writer, delete};
    let access = access_community(&slug, CommunityAction::Discuss).await?;
    let writer = Writer { user: access.user()?, standing: access.standing };
    let link = delete(&access.state, &access.community, writer, post_id).await?;
    crate::api::redirect_plain_form(&link);
    Ok(())
}

/// Gives a reaction to a post, or takes it back if already given.
#[server(endpoint = "discussions/react")]
pub async fn react(slug: String, post_id: i64, kind: String) -> Result<(), AppError> {
    use crate::api::communities::act_in_community;
    use crate::auth::policy::CommunityAction;
    use crate::domain::discussion::ReactionKind;

    let (access, user) = act_in_community(&slug, CommunityAction::Discuss).await?;
    let kind = ReactionKind::parse(&kind)
        .ok_or_else(|| AppError::invalid("kind", "Choose one of the reactions."))?;
    let link =
        crate::services::discussions::react(&access.state, &access.community, user, post_id, kind)
            .await?;
    crate::api::redirect_plain_form(&link);
    Ok(())
}

/// A post's current text and every earlier version.
#[server(endpoint = "discussions/history")]
pub async fn get_post_history(slug: String, post_id: i64) -> Result<PostHistory, AppError> {
    use crate::api::communities::access_community;
    use crate::auth::policy::{self, CommunityAction};
    use crate::db::discussions as store;
    let access = access_community(&slug, CommunityAction::View).await?;
    let pool = &access.state.pool;
    let viewer = access.user.as_ref().map(|u| u.id);
    let post = store::post(pool, access.community.id, post_id)
        .await?
        .filter(|p| {
            p.deleted_at.is_none()
                && (p.hidden_at.is_none()
                    || policy::can_read_hidden(access.standing, viewer, p.author_id))
        })
        .ok_or(AppError::NotFound)?;
    let thread = store::thread(pool, access.community.id, post.thread_id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(PostHistory {
        thread_title: thread.title,
        link: crate::domain::discussion::post_link(
            &access.community.slug,
            post.thread_id,
            post.number,
        ),
        revisions: store::revisions(pool, post.id).await?,
        author: post.author,
        current: post.body_html,
    })
}
