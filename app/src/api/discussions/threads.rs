//! `POST /api/discussions/threads`, `/api/discussions/start`, `/api/discussions/thread`,
//! `/api/discussions/new_posts`, `/api/discussions/preview`, `/api/discussions/add_category`,
//! `/api/discussions/remove_category`

use leptos::prelude::*;

use crate::domain::discussion::{PostView, ThreadPage, ThreadsPage};
use crate::error::AppError;

/// A page of a community's threads: pinned first (on the first page), then newest
/// activity; optionally one category; `after` continues from a previous page's `next`.
#[server(endpoint = "discussions/threads")]
pub async fn list_threads(
    slug: String,
    category: Option<i64>,
    after: Option<String>,
) -> Result<ThreadsPage, AppError> {
    use crate::api::communities::access_community;
    use crate::auth::policy::CommunityAction;
    use crate::db::{Cursor, discussions as store};
    use crate::domain::discussion::THREADS_PER_PAGE;
    let access = access_community(&slug, CommunityAction::View).await?;
    let pool = &access.state.pool;
    let categories = store::categories(pool, access.community.id).await?;
    let category = category.filter(|c| categories.iter().any(|k| k.id == *c));
    let cursor = after.as_deref().and_then(Cursor::decode);
    let pinned = if cursor.is_none() {
        store::threads(pool, access.community.id, category, true, None, 50).await?
    } else {
        Vec::new()
    };
    let threads = store::threads(
        pool,
        access.community.id,
        category,
        false,
        cursor.as_ref(),
        THREADS_PER_PAGE + 1,
    )
    .await?;
    let (threads, next) =
        crate::db::split_page(threads, THREADS_PER_PAGE, |t| store::thread_cursor(t).encode());
    Ok(ThreadsPage {
        community_name: access.community.name.clone(),
        leader: access.standing.is_leader(),
        can_post: matches!(access.standing, crate::domain::community::Standing::Member(_)),
        can_moderate: access.standing.is_moderator(),
        pinned,
        threads,
        next,
        categories,
        category,
    })
}

/// Starts a thread and goes to it (the same `form_key` again goes to the same thread).
#[server(endpoint = "discussions/start")]
pub async fn start_thread(
    slug: String,
    title: String,
    body: String,
    category_id: Option<String>,
    form_key: Option<String>,
) -> Result<(), AppError> {
    use crate::api::communities::access_community;
    use crate::auth::policy::CommunityAction;
    use crate::domain::resubmission::FormKey;
    use crate::services::discussions::{Writer, start_thread as start};
    let access = access_community(&slug, CommunityAction::Discuss).await?;
    let user = access.user()?;
    let category = super::optional_number("category_id", category_id)?;
    let key = FormKey::parse(form_key.as_deref(), "thread")?;
    let writer = Writer { user, standing: access.standing };
    let (state, community) = (&access.state, &access.community);
    let thread = start(state, community, writer, &title, &body, category, key).await?;
    leptos_axum::redirect(&format!("/c/{}/d/{thread}", access.community.slug));
    Ok(())
}

/// One page of a thread (`after`: show posts numbered after it), with the post being
/// quoted (`quote`) or the viewer's own post being edited (`edit`), if any.
#[server(endpoint = "discussions/thread")]
pub async fn get_thread(
    slug: String,
    thread_id: i64,
    after: Option<i64>,
    quote: Option<i64>,
    edit: Option<i64>,
) -> Result<ThreadPage, AppError> {
    use crate::api::communities::access_community;
    use crate::auth::policy::CommunityAction;
    use crate::services::discussions::{PageRequest, thread_page};
    let access = access_community(&slug, CommunityAction::View).await?;
    thread_page(
        &access.state.pool,
        &access.community,
        access.standing,
        access.user.as_ref().map(|u| u.id),
        thread_id,
        PageRequest { after: after.unwrap_or(0), quote, edit },
    )
    .await
}

/// Posts numbered after `after` (up to a page): what an open thread polls for to show
/// new replies live.
#[server(endpoint = "discussions/new_posts")]
pub async fn new_posts(
    slug: String,
    thread_id: i64,
    after: i64,
) -> Result<Vec<PostView>, AppError> {
    use crate::api::communities::access_community;
    use crate::auth::policy::CommunityAction;
    let access = access_community(&slug, CommunityAction::View).await?;
    let pool = &access.state.pool;
    let thread = crate::db::discussions::thread(pool, access.community.id, thread_id)
        .await?
        .ok_or(AppError::NotFound)?;
    crate::services::discussions::posts_after(
        pool,
        thread.id,
        after.max(0),
        access.standing,
        access.user.as_ref().map(|u| u.id),
    )
    .await
}

/// Renders a draft exactly as posting would (sanitised HTML), for the preview.
#[server(endpoint = "discussions/preview")]
pub async fn preview_post(slug: String, body: String) -> Result<String, AppError> {
    use crate::api::communities::act_in_community;
    use crate::auth::policy::CommunityAction;
    let (access, author) = act_in_community(&slug, CommunityAction::Discuss).await?;
    crate::services::discussions::preview(&access.state.pool, &access.community, author, &body)
        .await
}

/// Adds a discussion category (stewards).
#[server(endpoint = "discussions/add_category")]
pub async fn add_category(slug: String, name: String) -> Result<(), AppError> {
    use crate::api::communities::act_in_community;
    use crate::auth::policy::CommunityAction;
    let (access, user) = act_in_community(&slug, CommunityAction::Edit).await?;
    crate::services::moderation::add_category(&access.state.writes, &access.community, user, &name)
        .await?;
    crate::api::redirect_plain_form(&format!("/c/{}/discussions", access.community.slug));
    Ok(())
}

/// Removes a discussion category; its threads stay, uncategorised (stewards).
#[server(endpoint = "discussions/remove_category")]
pub async fn remove_category(slug: String, category_id: i64) -> Result<(), AppError> {
    use crate::api::communities::act_in_community;
    use crate::auth::policy::CommunityAction;
    let (access, user) = act_in_community(&slug, CommunityAction::Edit).await?;
    crate::services::moderation::remove_category(
        &access.state.writes,
        &access.community,
        user,
        category_id,
    )
    .await?;
    crate::api::redirect_plain_form(&format!("/c/{}/discussions", access.community.slug));
    Ok(())
}
