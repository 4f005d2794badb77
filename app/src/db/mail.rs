//! The mail outbox, one-click unsubscribe tokens and single-use account tokens.

use crate::db::on_engine;
use crate::db::statement::{all_rows, args, one_value, optional_row, run};
use chrono::{DateTime, Utc};

use crate::db::{Db, Sql, timestamp};
use crate::domain::ids::UserId;

/// A message to queue. `(user, kind, period)` is its identity: queuing it again is a no-op.
pub struct NewMail<'a> {
    /// Who it is for.
    pub user: UserId,
    /// What it is (`reset_password`, `verify_email`, a notice kind, `digest`).
    pub kind: &'a str,
    /// Which occurrence of that kind (a notice id, a date, a token's hash prefix).
    pub period: &'a str,
    /// The address it goes to.
    pub to: &'a str,
    /// Subject line.
    pub subject: &'a str,
    /// The message, plain text (paragraphs separated by blank lines).
    pub body: &'a str,
    /// A local path (or, for account mail, a path with its token) the message points to.
    pub link: &'a str,
    /// What the link's button says.
    pub link_label: &'a str,
    /// The list it belongs to (one-click unsubscribe), or `None` for account mail.
    pub list: Option<&'a str>,
    /// The in-app notice it repeats; the mail is skipped once that is read.
    pub notification_id: Option<i64>,
    /// Not sent before this.
    pub send_after: DateTime<Utc>,
    /// The stable `Message-ID` (without angle brackets).
    pub message_id: &'a str,
}

/// Queues a message unless the same `(user, kind, period)` is already queued; returns
/// whether it was new.
pub async fn enqueue(db: impl Db<'_>, mail: &NewMail<'_>) -> Sql<bool> {
    let sql = "INSERT INTO mail_outbox (user_id, kind, period, to_address, subject, body, link, link_label,
                                  message_id, list, notification_id, send_after)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
         ON CONFLICT (user_id, kind, period) DO NOTHING";
    let done = run(
        db,
        sql,
        args![
            mail.user,
            mail.kind,
            mail.period,
            mail.to,
            mail.subject,
            mail.body,
            mail.link,
            mail.link_label,
            mail.message_id,
            mail.list,
            mail.notification_id,
            timestamp(mail.send_after)
        ],
    )
    .await?;
    Ok(done == 1)
}

/// A queued message the worker is about to send.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct QueuedMail {
    /// Its outbox id.
    pub id: i64,
    /// Who it is for.
    pub user_id: UserId,
    /// What it is.
    pub kind: String,
    /// The address.
    pub to_address: String,
    /// The recipient's display name.
    pub display_name: String,
    /// Subject line.
    pub subject: String,
    /// The message text.
    pub body: String,
    /// Where it points (a local path).
    pub link: String,
    /// What the link's button says.
    pub link_label: String,
    /// The stable Message-ID.
    pub message_id: String,
    /// Its list, for the unsubscribe headers.
    pub list: Option<String>,
    /// How many sends failed so far.
    pub attempts: i64,
    /// True when the in-app notice it repeats was read meanwhile.
    pub read_in_app: bool,
}

/// Up to `limit` messages due at `now`, oldest first.
pub async fn due(db: impl Db<'_>, now: DateTime<Utc>, limit: i64) -> Sql<Vec<QueuedMail>> {
    let sql =
        "SELECT o.id, o.user_id, o.kind, o.to_address, u.display_name, o.subject, o.body, o.link,
                o.link_label, o.message_id, o.list, o.attempts,
                COALESCE((SELECT read_at IS NOT NULL FROM notifications n
                           WHERE n.id = o.notification_id), FALSE) AS read_in_app
           FROM mail_outbox o JOIN users u ON u.id = o.user_id
          WHERE o.status = 'pending' AND o.send_after <= $1
          ORDER BY o.send_after, o.id LIMIT $2";
    all_rows(db, sql, args![timestamp(now), limit]).await
}

/// Marks a message sent (or skipped) and forgets its body, which may hold a token.
pub async fn finish(db: impl Db<'_>, id: i64, status: &str, now: DateTime<Utc>) -> Sql<()> {
    let sql = "UPDATE mail_outbox SET status = $2, sent_at = $3, body = '', link = ''
          WHERE id = $1 AND status = 'pending'";
    run(db, sql, args![id, status, timestamp(now)]).await?;
    Ok(())
}

/// Records a failed send: tries again at `retry_at`, or gives up when that is `None`.
pub async fn failed(
    db: impl Db<'_>,
    id: i64,
    error: &str,
    retry_at: Option<DateTime<Utc>>,
) -> Sql<()> {
    let sql = "UPDATE mail_outbox
            SET attempts = attempts + 1, last_error = $2,
                status = CASE WHEN $3 IS NULL THEN 'failed' ELSE 'pending' END,
                send_after = COALESCE($3, send_after)
          WHERE id = $1 AND status = 'pending'";
    run(db, sql, args![id, error, retry_at.map(timestamp)]).await?;
    Ok(())
}

/// How many messages to `user` of `kind` are in the outbox in any state (for tests and the
/// settings page's "check your inbox").
pub async fn count_for(db: impl Db<'_>, user: UserId, kind: &str) -> Sql<i64> {
    let sql = "SELECT COUNT(*) FROM mail_outbox WHERE user_id = $1 AND kind = $2";
    one_value(db, sql, args![user, kind]).await
}

/// Stores an unsubscribe token's hash for one member and list.
pub async fn insert_unsubscribe(db: impl Db<'_>, hash: &str, user: UserId, list: &str) -> Sql<()> {
    let sql = "INSERT INTO mail_unsubscribe_tokens (token_hash, user_id, list) VALUES ($1, $2, $3)";
    run(db, sql, args![hash, user, list]).await?;
    Ok(())
}

/// Whom and which list an unsubscribe token names.
pub async fn unsubscribe_target(db: impl Db<'_>, hash: &str) -> Sql<Option<(UserId, String)>> {
    let sql = "SELECT user_id, list FROM mail_unsubscribe_tokens WHERE token_hash = $1";
    optional_row(db, sql, args![hash]).await
}

/// Stores a single-use account token's hash.
pub async fn insert_account_token(
    db: impl Db<'_>,
    hash: &str,
    user: UserId,
    purpose: &str,
    email: &str,
    expires_at: DateTime<Utc>,
) -> Sql<()> {
    let sql = "INSERT INTO account_tokens (token_hash, user_id, purpose, email, expires_at)
         VALUES ($1, $2, $3, $4, $5)";
    run(db, sql, args![hash, user, purpose, email, timestamp(expires_at)]).await?;
    Ok(())
}

/// Uses up a token: marks it used when it exists for `purpose`, is unused and unexpired,
/// and returns whose it is and the address it was sent to. Any other token gives `None`.
pub async fn take_account_token(
    db: impl Db<'_>,
    hash: &str,
    purpose: &str,
    now: DateTime<Utc>,
) -> Sql<Option<(UserId, String)>> {
    on_engine!(db, |db| {
        let now = timestamp(now);
        let sql = "UPDATE account_tokens SET used_at = $3
          WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3
          RETURNING user_id, email";
        optional_row(db, sql, args![hash, purpose, now]).await
    })
}

/// Whether a token is usable now, without using it (the reset page asks before showing
/// its form).
pub async fn account_token_usable(
    db: impl Db<'_>,
    hash: &str,
    purpose: &str,
    now: DateTime<Utc>,
) -> Sql<bool> {
    let sql = "SELECT EXISTS(SELECT 1 FROM account_tokens
                        WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3)";
    one_value(db, sql, args![hash, purpose, timestamp(now)]).await
}

/// Whether `user` was sent a token for `purpose` after `since` (a second reset e-mail
/// within a minute is not sent).
pub async fn account_token_since(
    db: impl Db<'_>,
    user: UserId,
    purpose: &str,
    since: DateTime<Utc>,
) -> Sql<bool> {
    let sql = "SELECT EXISTS(SELECT 1 FROM account_tokens
                        WHERE user_id = $1 AND purpose = $2 AND created_at > $3)";
    one_value(db, sql, args![user, purpose, timestamp(since)]).await
}

/// Ends every other unused token of `user` for `purpose` (a new reset link replaces older ones).
pub async fn retire_account_tokens(
    db: impl Db<'_>,
    user: UserId,
    purpose: &str,
    now: DateTime<Utc>,
) -> Sql<()> {
    let sql = "UPDATE account_tokens SET used_at = $1 WHERE user_id = $2 AND purpose = $3 AND used_at IS NULL";
    run(db, sql, args![timestamp(now), user, purpose]).await?;
    Ok(())
}

/// How many messages of `kind` for `period` the member has (0 or 1).
pub async fn count_for_period(db: impl Db<'_>, user: UserId, kind: &str, period: &str) -> Sql<i64> {
    let sql = "SELECT COUNT(*) FROM mail_outbox WHERE user_id = $1 AND kind = $2 AND period = $3";
    one_value(db, sql, args![user, kind, period]).await
}

/// Records a period's message as skipped (an empty digest: nothing to send).
pub async fn skip_period(db: impl Db<'_>, user: UserId, kind: &str, period: &str) -> Sql<()> {
    let sql = "UPDATE mail_outbox SET status = 'skipped', body = ''
          WHERE user_id = $1 AND kind = $2 AND period = $3 AND status = 'pending'";
    run(db, sql, args![user, kind, period]).await?;
    Ok(())
}
