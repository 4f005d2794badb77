//! Accounts table.

use crate::db::statement::{
    all_values, args, one_row, one_value, optional_row, optional_value, run,
};
use chrono::{DateTime, Utc};
use sqlx::FromRow;

use crate::db::{Db, Sql, on_engine};
use crate::domain::account::{CurrentUser, Profile};
use crate::domain::ids::UserId;

/// An account as stored, including its password hash. Never serialised.
#[derive(Debug, Clone, FromRow)]
pub struct UserRow {
    /// Account id.
    pub id: UserId,
    /// Unique handle.
    pub handle: String,
    /// Name shown to others.
    pub display_name: String,
    /// PHC-format Argon2id hash.
    pub password_hash: String,
    /// Raised by "sign out everywhere"; sessions signed in under another epoch end.
    pub session_epoch: i64,
}

impl From<UserRow> for CurrentUser {
    fn from(row: UserRow) -> Self {
        CurrentUser { id: row.id, handle: row.handle, display_name: row.display_name }
    }
}

/// A new account to insert.
pub struct NewUser<'a> {
    /// Normalised handle.
    pub handle: &'a str,
    /// Display name.
    pub display_name: &'a str,
    /// Normalised email.
    pub email: &'a str,
    /// Argon2id hash of the password.
    pub password_hash: &'a str,
}

/// Inserts an account and returns its id.
pub async fn insert(db: impl Db<'_>, user: &NewUser<'_>) -> Sql<UserId> {
    let sql = "INSERT INTO users (handle, display_name, email, password_hash) VALUES ($1, $2, $3, $4) RETURNING id";
    one_value(db, sql, args![user.handle, user.display_name, user.email, user.password_hash]).await
}

/// Whether a handle and an email are already taken: `(handle_taken, email_taken)`.
pub async fn taken(db: impl Db<'_>, handle: &str, email: &str) -> Sql<(bool, bool)> {
    let sql = "SELECT EXISTS(SELECT 1 FROM users WHERE handle = $1), EXISTS(SELECT 1 FROM users WHERE email = $2)";
    one_row(db, sql, args![handle, email]).await
}

/// Finds an account by handle or email (both stored lower-case).
pub async fn by_login(db: impl Db<'_>, login: &str) -> Sql<Option<UserRow>> {
    let sql = "SELECT id, handle, display_name, password_hash, session_epoch FROM users
          WHERE handle = $1 OR email = $1 LIMIT 1";
    optional_row(db, sql, args![login]).await
}

/// Finds an account by id.
pub async fn by_id(db: impl Db<'_>, id: UserId) -> Sql<Option<UserRow>> {
    let sql =
        "SELECT id, handle, display_name, password_hash, session_epoch FROM users WHERE id = $1";
    optional_row(db, sql, args![id]).await
}

/// Replaces an account's password hash (after a rehash with new parameters).
pub async fn set_password_hash(db: impl Db<'_>, id: UserId, hash: &str) -> Sql<()> {
    let sql = "UPDATE users SET password_hash = $1, updated_at = $3 WHERE id = $2";
    run(db, sql, args![hash, id, crate::db::now()]).await?;
    Ok(())
}

/// An account's display name.
pub async fn display_name(db: impl Db<'_>, id: UserId) -> Sql<String> {
    let sql = "SELECT display_name FROM users WHERE id = $1";
    one_value(db, sql, args![id]).await
}

/// Ends every session of an account: raises its session epoch, which every session
/// checks on each request.
pub async fn end_all_sessions(db: impl Db<'_>, id: UserId) -> Sql<()> {
    let sql = "UPDATE users SET session_epoch = session_epoch + 1 WHERE id = $1";
    run(db, sql, args![id]).await?;
    Ok(())
}

#[derive(FromRow)]
struct ProfileRow {
    id: UserId,
    handle: String,
    display_name: String,
    bio: String,
    #[sqlx(try_from = "crate::db::Stamp")]
    created_at: DateTime<Utc>,
}

/// The public profile for `handle`, marked as the viewer's own when it is.
pub async fn profile(
    db: impl Db<'_>,
    handle: &str,
    viewer: Option<UserId>,
) -> Sql<Option<Profile>> {
    let sql = "SELECT id, handle, display_name, bio, created_at FROM users WHERE handle = $1";
    let row: Option<ProfileRow> = optional_row(db, sql, args![handle]).await?;
    Ok(row.map(|r| Profile {
        is_self: viewer == Some(r.id),
        id: r.id,
        handle: r.handle,
        display_name: r.display_name,
        bio: r.bio,
        joined_at: r.created_at,
        skills: Vec::new(),
        interests: Vec::new(),
        communities: Vec::new(),
    }))
}

/// Updates the fields a person may change on their own profile.
pub async fn update_profile(db: impl Db<'_>, id: UserId, display_name: &str, bio: &str) -> Sql<()> {
    let sql = "UPDATE users SET display_name = $1, bio = $2, updated_at = $4 WHERE id = $3";
    run(db, sql, args![display_name, bio, id, crate::db::now()]).await?;
    Ok(())
}

/// How many accounts exist (used to decide whether to seed the demo).
pub async fn count(db: impl Db<'_>) -> Sql<i64> {
    let sql = "SELECT COUNT(*) FROM users";
    one_value(db, sql, args![]).await
}

/// Replaces a person's tags of one kind (`skill` or `interest`).
pub async fn set_tags(db: impl Db<'_>, id: UserId, kind: &str, tags: &[String]) -> Sql<()> {
    on_engine!(db, |db| {
        let sql = "DELETE FROM user_tags WHERE user_id = $1 AND kind = $2";
        run(&mut *db, sql, args![id, kind]).await?;
        for tag in tags {
            let sql = "INSERT INTO user_tags (user_id, kind, tag) VALUES ($1, $2, $3)";
            run(&mut *db, sql, args![id, kind, tag]).await?;
        }
        Ok(())
    })
}

/// A person's tags of one kind, alphabetically.
pub async fn tags(db: impl Db<'_>, id: UserId, kind: &str) -> Sql<Vec<String>> {
    let sql = "SELECT tag FROM user_tags WHERE user_id = $1 AND kind = $2 ORDER BY tag";
    all_values(db, sql, args![id, kind]).await
}

/// The id for a handle.
pub async fn id_by_handle(db: impl Db<'_>, handle: &str) -> Sql<Option<UserId>> {
    let sql = "SELECT id FROM users WHERE handle = $1";
    optional_value(db, sql, args![handle]).await
}

/// The account with `handle` (normalised), if any.
pub async fn by_handle(db: impl Db<'_>, handle: &str) -> Sql<Option<UserId>> {
    let sql = "SELECT id FROM users WHERE handle = $1";
    optional_value(db, sql, args![handle]).await
}

/// The account a handle or e-mail belongs to, with its address (for a reset link).
pub async fn email_for_login(db: impl Db<'_>, login: &str) -> Sql<Option<(UserId, String)>> {
    let sql = "SELECT id, email FROM users WHERE handle = $1 OR email = $1 LIMIT 1";
    optional_row(db, sql, args![login]).await
}

/// A member's address and whether it is verified.
pub async fn email_status(db: impl Db<'_>, user: UserId) -> Sql<Option<(String, bool)>> {
    let sql = "SELECT email, email_verified_at IS NOT NULL FROM users WHERE id = $1";
    optional_row(db, sql, args![user]).await
}

/// Marks the address verified, if it is still `email`; returns whether it was.
pub async fn mark_email_verified(
    db: impl Db<'_>,
    user: UserId,
    email: &str,
    at: DateTime<Utc>,
) -> Sql<bool> {
    let sql = "UPDATE users SET email_verified_at = COALESCE(email_verified_at, $3)
          WHERE id = $1 AND email = $2";
    let done = run(db, sql, args![user, email, crate::db::timestamp(at)]).await?;
    Ok(done == 1)
}

/// A member's mail settings: time zone, digest frequency and hour.
#[derive(Debug, Clone, FromRow)]
pub struct MailSettings {
    /// IANA zone.
    pub time_zone: String,
    /// `off`, `daily` or `weekly`.
    pub digest: String,
    /// Local hour, 0–23.
    pub digest_hour: i64,
}

/// Reads a member's mail settings.
pub async fn mail_settings(db: impl Db<'_>, user: UserId) -> Sql<Option<MailSettings>> {
    let sql = "SELECT time_zone, digest, digest_hour FROM users WHERE id = $1";
    optional_row(db, sql, args![user]).await
}

/// Saves a member's mail settings.
pub async fn set_mail_settings(db: impl Db<'_>, user: UserId, settings: &MailSettings) -> Sql<()> {
    let sql = "UPDATE users SET time_zone = $1, digest = $2, digest_hour = $3 WHERE id = $4";
    run(db, sql, args![&settings.time_zone, &settings.digest, settings.digest_hour, user]).await?;
    Ok(())
}

/// Turns a member's digest off (its unsubscribe link).
pub async fn stop_digest(db: impl Db<'_>, user: UserId) -> Sql<()> {
    let sql = "UPDATE users SET digest = 'off' WHERE id = $1";
    run(db, sql, args![user]).await?;
    Ok(())
}
