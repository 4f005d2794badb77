//! Moderation grounded in the community's values: flags cite a value, hidden posts
//! say why, and every moderator action lands in the audit log.

use crate::db::Pool;
use crate::db::audit::AuditAction;
use crate::db::writer::write_tx;
use std::collections::BTreeMap;

use crate::auth::policy;
use crate::db::writer::WriteQueue;
use crate::db::{self, discussions as store, moderation as flags};
use crate::domain::community::{Community, Standing};
use crate::domain::discussion::{
    CATEGORIES_MAX, CATEGORY_MAX_CHARS, FlaggedPost, NOTE_MAX_CHARS, post_link,
};
use crate::domain::ids::UserId;
use crate::domain::notification::NoticeKind;
use crate::error::AppError;
use crate::services::discussions::{audit_post, live_post_in, post_in};
use crate::services::notices::{self, Notice};

/// The reason a flag or a hidden post gives: a value of the community (by its
/// position in the list), a free note, or both. At least one is needed.
pub fn reason_text(
    community: &Community,
    value: Option<usize>,
    note: &str,
    field: &str,
) -> Result<String, AppError> {
    let note = note.trim();
    if note.chars().count() > NOTE_MAX_CHARS {
        return Err(AppError::invalid(field, format!("Use at most {NOTE_MAX_CHARS} characters.")));
    }
    let value =
        match value {
            Some(index) => Some(community.values.get(index).ok_or_else(|| {
                AppError::invalid(field, "Choose one of the community's values.")
            })?),
            None => None,
        };
    match (value, note.is_empty()) {
        (Some(value), true) => Ok(format!("Goes against our value “{}”", value.name)),
        (Some(value), false) => Ok(format!("Goes against our value “{}”: {note}", value.name)),
        (None, false) => Ok(note.to_owned()),
        (None, true) => Err(AppError::invalid(
            field,
            "Cite one of the community's values, or say why in a note.",
        )),
    }
}

/// A member flags someone else's post for moderators to look at.
pub async fn flag(
    writes: &WriteQueue,
    community: &Community,
    standing: Standing,
    flagger: UserId,
    post_id: i64,
    reason: &str,
) -> Result<String, AppError> {
    let community = community.clone();
    let reason = reason.to_owned();
    write_tx!(writes, |tx| {
        let post = live_post_in(&mut *tx, community.id, post_id).await?;
        policy::check_flag(standing, flagger, post.author_id)?;
        flags::insert_flag(&mut *tx, community.id, post.id, flagger, &reason).await.map_err(
            db::conflict_if_taken(
                "reason",
                "You have already flagged this post; moderators will look at it.",
            ),
        )?;
        audit_post(&mut *tx, community.id, flagger, AuditAction::PostFlagged, &post, &reason)
            .await?;
        Ok(post_link(&community.slug, post.thread_id, post.number))
    })
}

/// A moderator hides a post, saying why; open flags on it are upheld and the author is told.
pub async fn hide(
    writes: &WriteQueue,
    community: &Community,
    moderator: UserId,
    post_id: i64,
    reason: &str,
) -> Result<String, AppError> {
    let community = community.clone();
    let reason = reason.to_owned();
    write_tx!(writes, |tx| {
        let post = live_post_in(&mut *tx, community.id, post_id).await?;
        flags::hide_post(&mut *tx, post.id, moderator, &reason).await?;
        flags::resolve_flags(&mut *tx, post.id, moderator, true).await?;
        let link = post_link(&community.slug, post.thread_id, post.number);
        audit_post(&mut *tx, community.id, moderator, AuditAction::PostHidden, &post, &reason)
            .await?;
        let body = format!("Moderators hid your post in {}. {reason}", community.name);
        let kind = NoticeKind::Community;
        notices::notify(&mut *tx, Notice::new(post.author_id, kind, community.id, &body, &link))
            .await?;
        Ok(link)
    })
}

/// A moderator shows a hidden post again.
pub async fn unhide(
    writes: &WriteQueue,
    community: &Community,
    moderator: UserId,
    post_id: i64,
) -> Result<String, AppError> {
    let community = community.clone();
    write_tx!(writes, |tx| {
        let post = post_in(&mut *tx, community.id, post_id).await?;
        flags::unhide_post(&mut *tx, post.id).await?;
        audit_post(&mut *tx, community.id, moderator, AuditAction::PostUnhidden, &post, "").await?;
        Ok(post_link(&community.slug, post.thread_id, post.number))
    })
}

/// A moderator dismisses the open flags on a post (it stays up).
pub async fn dismiss_flags(
    writes: &WriteQueue,
    community: &Community,
    moderator: UserId,
    post_id: i64,
) -> Result<(), AppError> {
    let community = community.clone();
    write_tx!(writes, |tx| {
        let post = post_in(&mut *tx, community.id, post_id).await?;
        let count = flags::resolve_flags(&mut *tx, post.id, moderator, false).await?;
        let said = format!("{count} flags dismissed");
        audit_post(&mut *tx, community.id, moderator, AuditAction::FlagsDismissed, &post, &said)
            .await?;
        Ok(())
    })
}

/// What a moderator can do to a whole thread.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThreadAction {
    /// Show it first in the list.
    Pin,
    /// Back into the list by activity.
    Unpin,
    /// No more replies.
    Lock,
    /// Replies again.
    Unlock,
}

impl ThreadAction {
    /// Parses the form value.
    pub fn parse(text: &str) -> Option<ThreadAction> {
        match text {
            "pin" => Some(ThreadAction::Pin),
            "unpin" => Some(ThreadAction::Unpin),
            "lock" => Some(ThreadAction::Lock),
            "unlock" => Some(ThreadAction::Unlock),
            _ => None,
        }
    }

    fn audit_action(self) -> AuditAction {
        match self {
            ThreadAction::Pin => AuditAction::ThreadPinned,
            ThreadAction::Unpin => AuditAction::ThreadUnpinned,
            ThreadAction::Lock => AuditAction::ThreadLocked,
            ThreadAction::Unlock => AuditAction::ThreadUnlocked,
        }
    }
}

/// Pins, unpins, locks or unlocks a thread.
pub async fn moderate_thread(
    writes: &WriteQueue,
    community: &Community,
    moderator: UserId,
    thread_id: i64,
    action: ThreadAction,
) -> Result<(), AppError> {
    let community = community.clone();
    write_tx!(writes, |tx| {
        let thread =
            store::thread(&mut *tx, community.id, thread_id).await?.ok_or(AppError::NotFound)?;
        match action {
            ThreadAction::Pin | ThreadAction::Unpin => {
                store::set_pinned(&mut *tx, thread.id, action == ThreadAction::Pin).await?;
            }
            ThreadAction::Lock | ThreadAction::Unlock => {
                store::set_locked(&mut *tx, thread.id, action == ThreadAction::Lock).await?;
            }
        }
        db::audit::record(
            &mut *tx,
            community.id,
            Some(moderator),
            action.audit_action(),
            None,
            &thread.title,
        )
        .await?;
        Ok(())
    })
}

/// Open flags grouped by post, oldest first (one query).
pub async fn queue(pool: &Pool, community: &Community) -> Result<Vec<FlaggedPost>, AppError> {
    let mut posts: BTreeMap<i64, (usize, FlaggedPost)> = BTreeMap::new();
    for flag in flags::open_flags(pool, community.id, 500).await? {
        let order = posts.len();
        let entry = posts.entry(flag.post_id).or_insert_with(|| {
            (
                order,
                FlaggedPost {
                    post_id: flag.post_id,
                    link: post_link(&community.slug, flag.thread_id, flag.number),
                    thread_title: flag.thread_title.clone(),
                    author: flag.author.clone(),
                    html: flag.body_html.clone(),
                    hidden: flag.hidden,
                    flags: Vec::new(),
                },
            )
        });
        entry.1.flags.push((flag.flagger, flag.reason));
    }
    let mut ordered: Vec<(usize, FlaggedPost)> = posts.into_values().collect();
    ordered.sort_by_key(|(order, _)| *order);
    Ok(ordered.into_iter().map(|(_, post)| post).collect())
}

/// Adds a discussion category (stewards).
pub async fn add_category(
    writes: &WriteQueue,
    community: &Community,
    steward: UserId,
    name: &str,
) -> Result<(), AppError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > CATEGORY_MAX_CHARS {
        return Err(AppError::invalid("name", format!("Use 1–{CATEGORY_MAX_CHARS} characters.")));
    }
    let community = community.clone();
    let name = name.to_owned();
    write_tx!(writes, |tx| {
        if store::categories(&mut *tx, community.id).await?.len() >= CATEGORIES_MAX {
            return Err(AppError::conflict(
                "name",
                format!("A community keeps at most {CATEGORIES_MAX} categories."),
            ));
        }
        store::insert_category(&mut *tx, community.id, &name).await.map_err(
            db::conflict_if_taken("name", "There is already a category with that name."),
        )?;
        db::audit::record(
            &mut *tx,
            community.id,
            Some(steward),
            AuditAction::CategoryAdded,
            None,
            &name,
        )
        .await?;
        Ok(())
    })
}

/// Removes a category; its threads stay, uncategorised.
pub async fn remove_category(
    writes: &WriteQueue,
    community: &Community,
    steward: UserId,
    id: i64,
) -> Result<(), AppError> {
    let community = community.clone();
    write_tx!(writes, |tx| {
        let name =
            store::delete_category(&mut *tx, community.id, id).await?.ok_or(AppError::NotFound)?;
        db::audit::record(
            &mut *tx,
            community.id,
            Some(steward),
            AuditAction::CategoryRemoved,
            None,
            &name,
        )
        .await?;
        Ok(())
    })
}
