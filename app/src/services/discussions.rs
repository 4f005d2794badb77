//! Threads and posts: composing (Markdown, mentions, limits), reading pages, and
//! every write in one transaction with its notifications.

use crate::db::audit::AuditAction;
use crate::db::writer::write_tx;
use crate::db::{Conn, Pool};
use std::collections::{HashMap, HashSet};

use chrono::{Duration, Utc};

use crate::auth::policy;
use crate::auth::throttle::PostKind;
use crate::db::{self, discussions as store};
use crate::domain::account::CurrentUser;
use crate::domain::community::{Community, Standing};
use crate::domain::discussion::{
    self, DUPLICATE_WINDOW_SECS, MENTIONS_MAX, POSTS_PER_PAGE, PostBody, PostView, QuoteDraft,
    ReactionKind, ThreadPage, ThreadPermissions, post_link,
};
use crate::domain::ids::{CommunityId, UserId};
use crate::domain::notification::NoticeKind;
use crate::domain::resubmission::FormKey;
use crate::error::AppError;
use crate::services::notices::{self, Notice};
use crate::services::{markdown, resubmission};
use crate::state::AppState;

/// The post `id` in `community`, or `NotFound` (a post of another community is not found
/// either, so ids never reveal what lies elsewhere).
pub(crate) async fn post_in(
    conn: &mut Conn<'_>,
    community: CommunityId,
    id: i64,
) -> Result<store::PostRecord, AppError> {
    store::post(&mut *conn, community, id).await?.ok_or(AppError::NotFound)
}

/// Like [`post_in`], but a deleted post is not found either: flags and hiding act only on
/// posts that are still there.
pub(crate) async fn live_post_in(
    conn: &mut Conn<'_>,
    community: CommunityId,
    id: i64,
) -> Result<store::PostRecord, AppError> {
    Some(post_in(&mut *conn, community, id).await?)
        .filter(|p| p.deleted_at.is_none())
        .ok_or(AppError::NotFound)
}

/// Records `actor`'s `action` on `post` in the audit log: the detail names the post
/// (`post #3 in thread 12`) and, when `said` is not empty, what was said about it.
pub(crate) async fn audit_post(
    conn: &mut Conn<'_>,
    community: CommunityId,
    actor: UserId,
    action: AuditAction,
    post: &store::PostRecord,
    said: &str,
) -> Result<(), AppError> {
    let mut detail = format!("post #{} in thread {}", post.number, post.thread_id);
    if !said.is_empty() {
        detail = format!("{detail}: {said}");
    }
    db::audit::record(&mut *conn, community, Some(actor), action, Some(post.author_id), &detail)
        .await?;
    Ok(())
}

/// Who is writing, and where they stand in the community.
#[derive(Clone, Copy)]
pub struct Writer<'a> {
    /// The signed-in author.
    pub user: &'a CurrentUser,
    /// Their standing in the community.
    pub standing: Standing,
}

/// A post body turned into HTML, with the members it mentions.
struct Composed {
    source: String,
    html: String,
    /// Mentioned active members other than the author.
    notify: Vec<UserId>,
}

/// Checks and renders a body: at most [`MENTIONS_MAX`] mentions; mentions of real
/// accounts link to their profiles; mentioned members are notified.
///
/// Runs before a write is queued (it reads and renders, never writes), so the
/// writer never waits on Markdown rendering.
async fn compose(
    pool: &Pool,
    community: &Community,
    author: UserId,
    source: &str,
) -> Result<Composed, AppError> {
    let source = discussion::check_body(source).map_err(|m| AppError::invalid("body", m))?;
    let handles = markdown::mentions(&source);
    if handles.len() > MENTIONS_MAX {
        return Err(AppError::invalid(
            "body",
            format!("Mention at most {MENTIONS_MAX} people in one post."),
        ));
    }
    let known = store::mentionable(&mut pool.acquire().await?, community.id, &handles).await?;
    let linkable: HashSet<&str> = known.iter().map(|m| m.handle.as_str()).collect();
    let html = markdown::render(&source, &|h| linkable.contains(h));
    let notify = known.iter().filter(|m| m.is_member && m.id != author).map(|m| m.id).collect();
    Ok(Composed { source, html, notify })
}

/// A draft rendered exactly as posting it would (checked, sanitised, mentions linked),
/// for the preview. Writes nothing and notifies no one.
pub async fn preview(
    pool: &Pool,
    community: &Community,
    author: UserId,
    source: &str,
) -> Result<String, AppError> {
    Ok(compose(pool, community, author, source).await?.html)
}

/// Refuses the same text from the same person within five minutes, then applies
/// the posting rate limits (stricter for members who joined under a day ago).
async fn check_pace(
    state: &AppState,
    community: &Community,
    writer: Writer<'_>,
    source: &str,
    kind: PostKind,
) -> Result<(), AppError> {
    let since = db::timestamp(Utc::now() - Duration::seconds(DUPLICATE_WINDOW_SECS));
    if store::wrote_same_since(&state.pool, writer.user.id, source, &since).await? {
        return Err(AppError::conflict(
            "body",
            "You posted exactly this a moment ago. Say something new, or wait a few minutes.",
        ));
    }
    let joined = store::joined_at(&state.pool, community.id, writer.user.id).await?;
    let new_member = !writer.standing.is_moderator()
        && joined.is_some_and(|at| Utc::now() - at < Duration::hours(24));
    state.post_throttle.check(writer.user.id, new_member, kind).await
}

async fn notify_all(
    conn: &mut Conn<'_>,
    people: impl IntoIterator<Item = UserId>,
    (kind, community): (NoticeKind, CommunityId),
    body: &str,
    link: &str,
) -> Result<(), AppError> {
    let mut seen = HashSet::new();
    for person in people {
        if seen.insert(person) {
            notices::notify(&mut *conn, Notice::new(person, kind, community, body, link)).await?;
        }
    }
    Ok(())
}

/// Starts a thread with its opening post. Returns the thread's id.
pub async fn start_thread(
    state: &AppState,
    community: &Community,
    writer: Writer<'_>,
    title: &str,
    body: &str,
    category: Option<i64>,
    key: Option<FormKey>,
) -> Result<i64, AppError> {
    if let Some(thread) = resubmission::earlier(&state.pool, writer.user.id, key.as_ref()).await? {
        return Ok(thread);
    }
    let valid = discussion::check_thread(title, body).map_err(AppError::Validation)?;
    if let Some(category) = category
        && !store::category_exists(&state.pool, community.id, category).await?
    {
        return Err(AppError::invalid("category_id", "Choose one of the community's categories."));
    }
    check_pace(state, community, writer, &valid.body, PostKind::Thread).await?;
    let composed = compose(&state.pool, community, writer.user.id, &valid.body).await?;
    let (community_id, slug) = (community.id, community.slug.clone());
    let author = writer.user.id;
    let notice = format!("@{} mentioned you in “{}”", writer.user.handle, valid.title);
    let title = valid.title;
    write_tx!(state.writes, |conn| {
        if let Some(thread) = resubmission::earlier(&mut *conn, author, key.as_ref()).await? {
            return Ok(thread);
        }
        let thread =
            store::insert_thread(&mut *conn, community_id, category, author, &title).await?;
        store::insert_post(
            &mut *conn,
            store::NewPost {
                thread,
                community: community_id,
                author,
                reply_to: None,
                source: &composed.source,
                html: &composed.html,
            },
        )
        .await?;
        let link = post_link(&slug, thread, 1);
        let about = (NoticeKind::Mention, community_id);
        notify_all(&mut *conn, composed.notify, about, &notice, &link).await?;
        db::communities::touch(&mut *conn, community_id).await?;
        resubmission::remember(&mut *conn, author, key.as_ref(), thread).await?;
        Ok(thread)
    })
}

/// Adds a reply (optionally answering one post). Returns its number.
pub async fn reply(
    state: &AppState,
    community: &Community,
    writer: Writer<'_>,
    thread_id: i64,
    body: &str,
    reply_to: Option<i64>,
    key: Option<FormKey>,
) -> Result<i64, AppError> {
    if let Some(number) = resubmission::earlier(&state.pool, writer.user.id, key.as_ref()).await? {
        return Ok(number);
    }
    let thread =
        store::thread(&state.pool, community.id, thread_id).await?.ok_or(AppError::NotFound)?;
    policy::check_reply(writer.standing, thread.locked)?;
    let source = discussion::check_body(body).map_err(|m| AppError::invalid("body", m))?;
    let target = match reply_to {
        Some(id) => Some(
            store::post(&state.pool, community.id, id)
                .await?
                .filter(|p| p.thread_id == thread.id && p.deleted_at.is_none())
                .ok_or_else(|| {
                    AppError::invalid("reply_to", "The post you are answering is no longer there.")
                })?,
        ),
        None => None,
    };
    check_pace(state, community, writer, &source, PostKind::Reply).await?;
    let composed = compose(&state.pool, community, writer.user.id, &source).await?;
    let (community_id, slug) = (community.id, community.slug.clone());
    let author = writer.user.id;
    let who = writer.user.handle.clone();
    write_tx!(state.writes, |conn| {
        if let Some(number) = resubmission::earlier(&mut *conn, author, key.as_ref()).await? {
            return Ok(number);
        }
        let post = store::NewPost {
            thread: thread.id,
            community: community_id,
            author,
            reply_to: target.as_ref().map(|t| t.id),
            source: &composed.source,
            html: &composed.html,
        };
        // Browsers with the thread open show the reply at once (`services::live`); the
        // event and the community's activity go in the post's batch (one round trip).
        let event = db::live::LiveKind::Post { community: community_id, thread: thread.id };
        let also = [db::live::event_insert(event), db::communities::activity_touch(community_id)];
        let (_, number) = store::insert_post_with(&mut *conn, post, &also).await?;
        let link = post_link(&slug, thread.id, number);
        let mentioned: HashSet<UserId> = composed.notify.iter().copied().collect();
        notify_all(
            &mut *conn,
            composed.notify,
            (NoticeKind::Mention, community_id),
            &format!("@{who} mentioned you in “{}”", thread.title),
            &link,
        )
        .await?;
        if let Some(target) =
            target.filter(|t| t.author_id != author && !mentioned.contains(&t.author_id))
        {
            notify_all(
                &mut *conn,
                [target.author_id],
                (NoticeKind::Reply, community_id),
                &format!("@{who} replied to your post in “{}”", thread.title),
                &link,
            )
            .await?;
        }
        resubmission::remember(&mut *conn, author, key.as_ref(), number).await?;
        Ok(number)
    })
}

/// Replaces the text of the writer's own post, keeping the old text in its history.
/// Returns the post's link.
pub async fn edit(
    state: &AppState,
    community: &Community,
    writer: Writer<'_>,
    post_id: i64,
    body: &str,
) -> Result<String, AppError> {
    let composed = compose(&state.pool, community, writer.user.id, body).await?;
    let (community_id, slug) = (community.id, community.slug.clone());
    let (standing, editor) = (writer.standing, writer.user.id);
    write_tx!(state.writes, |conn| {
        let post = post_in(&mut *conn, community_id, post_id).await?;
        policy::check_edit_post(standing, editor, post.author_id, post.deleted_at.is_some())?;
        if composed.source != post.body_source {
            store::edit_post(&mut *conn, &post, &composed.source, &composed.html).await?;
        }
        Ok(post_link(&slug, post.thread_id, post.number))
    })
}

/// Soft-deletes a post (its author, or a moderator: then it is in the audit log).
/// Returns the post's link.
pub async fn delete(
    state: &AppState,
    community: &Community,
    writer: Writer<'_>,
    post_id: i64,
) -> Result<String, AppError> {
    let (community_id, slug) = (community.id, community.slug.clone());
    let (standing, deleter) = (writer.standing, writer.user.id);
    write_tx!(state.writes, |conn| {
        let post = post_in(&mut *conn, community_id, post_id).await?;
        policy::check_delete_post(standing, deleter, post.author_id)?;
        store::delete_post(&mut *conn, post.id).await?;
        if post.author_id != deleter {
            audit_post(&mut *conn, community_id, deleter, AuditAction::PostDeleted, &post, "")
                .await?;
        }
        Ok(post_link(&slug, post.thread_id, post.number))
    })
}

/// Gives or takes back a reaction on a visible post. Returns the post's link.
pub async fn react(
    state: &AppState,
    community: &Community,
    user: UserId,
    post_id: i64,
    kind: ReactionKind,
) -> Result<String, AppError> {
    let (community_id, slug) = (community.id, community.slug.clone());
    write_tx!(state.writes, |conn| {
        let post = store::post(&mut *conn, community_id, post_id)
            .await?
            .filter(|p| p.deleted_at.is_none() && p.hidden_at.is_none())
            .ok_or(AppError::NotFound)?;
        store::toggle_reaction(&mut *conn, post.id, user, kind).await?;
        Ok(post_link(&slug, post.thread_id, post.number))
    })
}

/// Turns a stored post into what `viewer` sees of it.
pub fn post_view(
    record: store::PostRecord,
    standing: Standing,
    viewer: Option<UserId>,
    reactions: Vec<discussion::ReactionCount>,
    flagged: bool,
) -> PostView {
    let body = if record.deleted_at.is_some() {
        PostBody::Deleted
    } else if record.hidden_at.is_some() {
        PostBody::Hidden {
            html: policy::can_read_hidden(standing, viewer, record.author_id)
                .then(|| record.body_html.clone()),
            reason: record.hidden_reason.clone(),
        }
    } else {
        PostBody::Visible(record.body_html.clone())
    };
    PostView {
        reply_to: record.reply_target(),
        id: record.id,
        number: record.number,
        mine: viewer == Some(record.author_id),
        flagged,
        author: record.author,
        author_name: record.author_name,
        created_at: record.created_at,
        edited: record.edited_at.is_some(),
        reactions: if matches!(body, PostBody::Visible(_)) { reactions } else { Vec::new() },
        body,
    }
}

/// Posts numbered after `after` (up to one page) as `viewer` sees them: three queries
/// whatever the page holds (posts with their authors, reactions grouped, the viewer's flags).
pub async fn posts_after(
    pool: &Pool,
    thread: i64,
    after: i64,
    standing: Standing,
    viewer: Option<UserId>,
) -> Result<Vec<PostView>, AppError> {
    let records = store::posts_after(pool, thread, after, POSTS_PER_PAGE).await?;
    let (Some(first), Some(last)) = (records.first(), records.last()) else {
        return Ok(Vec::new());
    };
    let mut reactions: HashMap<i64, Vec<discussion::ReactionCount>> = HashMap::new();
    for (post, count) in store::reactions(pool, thread, first.number, last.number, viewer).await? {
        reactions.entry(post).or_default().push(count);
    }
    let flagged: HashSet<i64> = match viewer {
        Some(viewer) => store::flagged_by(pool, thread, first.number, last.number, viewer)
            .await?
            .into_iter()
            .collect(),
        None => HashSet::new(),
    };
    Ok(records
        .into_iter()
        .map(|r| {
            let mut counts = reactions.remove(&r.id).unwrap_or_default();
            counts.sort_by_key(|c| ReactionKind::ALL.iter().position(|k| *k == c.kind));
            let mine_flagged = flagged.contains(&r.id);
            post_view(r, standing, viewer, counts, mine_flagged)
        })
        .collect())
}

/// What a thread page needs besides the thread: who is viewing, and what they are writing.
pub struct PageRequest {
    /// Show posts after this number.
    pub after: i64,
    /// A post being quoted in the reply form.
    pub quote: Option<i64>,
    /// The viewer's own post being edited.
    pub edit: Option<i64>,
}

/// One page of a thread: a bounded number of queries however long the thread is.
pub async fn thread_page(
    pool: &Pool,
    community: &Community,
    standing: Standing,
    viewer: Option<UserId>,
    thread_id: i64,
    request: PageRequest,
) -> Result<ThreadPage, AppError> {
    let thread = store::thread(pool, community.id, thread_id).await?.ok_or(AppError::NotFound)?;
    let total = thread.replies + 1;
    let last = discussion::page_after(total);
    let after = request.after.clamp(0, last);
    let posts = posts_after(pool, thread.id, after, standing, viewer).await?;
    let participate = matches!(standing, Standing::Member(_));
    let moderate = standing.is_moderator();
    let quote = match request.quote.filter(|_| participate) {
        Some(id) => store::post(pool, community.id, id)
            .await?
            .filter(|p| p.thread_id == thread.id && p.deleted_at.is_none() && p.hidden_at.is_none())
            .map(|p| QuoteDraft {
                quoted: discussion::quote_source(&p.author, &p.body_source),
                target: discussion::ReplyTarget { id: p.id, number: p.number, author: p.author },
            }),
        None => None,
    };
    let editing = match (request.edit, viewer) {
        (Some(id), Some(viewer)) => store::post(pool, community.id, id)
            .await?
            .filter(|p| {
                policy::check_edit_post(standing, viewer, p.author_id, p.deleted_at.is_some())
                    .is_ok()
            })
            .map(|p| (p.id, p.body_source)),
        _ => None,
    };
    Ok(ThreadPage {
        community_name: community.name.clone(),
        permissions: ThreadPermissions {
            participate,
            moderate,
            can_reply: policy::check_reply(standing, thread.locked).is_ok(),
            leader: standing.is_leader(),
        },
        previous: (after > 0).then(|| (after - POSTS_PER_PAGE).max(0)),
        next: (after < last).then_some(after + POSTS_PER_PAGE),
        after,
        last,
        thread,
        posts,
        values: community.values.iter().map(|v| v.name.clone()).collect(),
        quote,
        editing,
    })
}
