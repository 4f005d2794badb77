//! In-app notices and the preferences that route them.

use crate::db::statement::{all_rows, args, one_row, one_value, run};
use crate::db::{Db, Sql};
use crate::domain::ids::{CommunityId, UserId};
use crate::domain::notification::{Channel, MutableCommunity, NoticeKind, Notification};

/// Adds a notice for `user` on their notifications page; returns its id.
pub async fn insert(
    db: impl Db<'_>,
    user: UserId,
    kind: NoticeKind,
    body: &str,
    link: &str,
) -> Sql<i64> {
    let sql = "INSERT INTO notifications (user_id, kind, body, link) VALUES ($1, $2, $3, $4) RETURNING id";
    one_value(db, sql, args![user, kind.as_str(), body, link]).await
}

/// What decides where one notice goes: the member's chosen channel for its kind (if they
/// chose), whether they muted its community, and their address once it is verified.
#[derive(Debug, sqlx::FromRow)]
pub struct Routing {
    /// Their choice for this kind, if they made one.
    pub channel: Option<String>,
    /// Whether the notice's community is muted.
    pub muted: bool,
    /// Their e-mail address when verified.
    pub verified_email: Option<String>,
}

/// Reads how a notice of `kind` (from `community`, if any) reaches `user`.
pub async fn routing(
    db: impl Db<'_>,
    user: UserId,
    kind: NoticeKind,
    community: Option<CommunityId>,
) -> Sql<Routing> {
    let sql = "SELECT (SELECT channel FROM notification_prefs WHERE user_id = u.id AND kind = $2) AS channel,
                COALESCE((SELECT muted FROM memberships
                           WHERE user_id = u.id AND community_id = $3), FALSE) AS muted,
                CASE WHEN u.email_verified_at IS NOT NULL THEN u.email END AS verified_email
           FROM users u WHERE u.id = $1";
    one_row(db, sql, args![user, kind.as_str(), community]).await
}

/// The member's chosen channels (kinds they never chose are missing).
pub async fn chosen_channels(db: impl Db<'_>, user: UserId) -> Sql<Vec<(String, String)>> {
    let sql = "SELECT kind, channel FROM notification_prefs WHERE user_id = $1";
    all_rows(db, sql, args![user]).await
}

/// Sets the member's channel for one kind.
pub async fn set_channel(
    db: impl Db<'_>,
    user: UserId,
    kind: NoticeKind,
    channel: Channel,
) -> Sql<()> {
    let sql = "INSERT INTO notification_prefs (user_id, kind, channel) VALUES ($1, $2, $3)
         ON CONFLICT (user_id, kind) DO UPDATE SET channel = excluded.channel";
    run(db, sql, args![user, kind.as_str(), channel.as_str()]).await?;
    Ok(())
}

/// The member's active communities with their mute switch, by name.
pub async fn communities(db: impl Db<'_>, user: UserId) -> Sql<Vec<MutableCommunity>> {
    let sql = "SELECT c.slug, c.name, m.muted AS muted
           FROM memberships m JOIN communities c ON c.id = m.community_id
          WHERE m.user_id = $1 AND m.status = 'active' ORDER BY c.name";
    all_rows(db, sql, args![user]).await
}

/// Mutes or unmutes one of the member's communities.
pub async fn set_muted(db: impl Db<'_>, user: UserId, slug: &str, muted: bool) -> Sql<()> {
    let sql = "UPDATE memberships SET muted = $3
          WHERE user_id = $1 AND community_id = (SELECT id FROM communities WHERE slug = $2)";
    run(db, sql, args![user, slug, muted]).await?;
    Ok(())
}

/// A person's newest notices.
pub async fn recent(db: impl Db<'_>, user: UserId, limit: i64) -> Sql<Vec<Notification>> {
    let sql = "SELECT id, body, link, created_at AS at, read_at IS NULL AS unread
           FROM notifications WHERE user_id = $1 ORDER BY id DESC LIMIT $2";
    all_rows(db, sql, args![user, limit]).await
}

/// A person's newest unread notices.
pub async fn unread(db: impl Db<'_>, user: UserId, limit: i64) -> Sql<Vec<Notification>> {
    let sql = "SELECT id, body, link, created_at AS at, read_at IS NULL AS unread
           FROM notifications WHERE user_id = $1 AND read_at IS NULL ORDER BY id DESC LIMIT $2";
    all_rows(db, sql, args![user, limit]).await
}

/// How many notices are unread.
pub async fn unread_count(db: impl Db<'_>, user: UserId) -> Sql<i64> {
    let sql = "SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL";
    one_value(db, sql, args![user]).await
}

/// Marks all of a person's notices read.
pub async fn mark_all_read(db: impl Db<'_>, user: UserId) -> Sql<()> {
    let sql = "UPDATE notifications SET read_at = $2 WHERE user_id = $1 AND read_at IS NULL";
    run(db, sql, args![user, crate::db::now()]).await?;
    Ok(())
}
