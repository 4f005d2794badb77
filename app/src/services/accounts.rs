//! Accounts: creating one, editing a profile, replacing a password hash, reading
//! notices, and the account mail (verifying the address, resetting a forgotten
//! password). Hashing happens before a write is queued, never inside it.

use crate::db::{Conn, Pool};
use chrono::{Duration, Utc};

use crate::db::writer::write_tx;
use crate::db::{self, mail::NewMail, writer::WriteQueue};
use crate::domain::account::{ProfileForm, SignUpForm};
use crate::domain::ids::UserId;
use crate::error::{AppError, FieldErrors};
use crate::services::tokens::{new_token, sha256_hex};

/// How long a password-reset link works.
pub const RESET_TTL_MINUTES: i64 = 60;
/// The shortest gap between two reset e-mails to one account.
pub const RESET_MAIL_GAP_SECONDS: i64 = 60;
/// How long an address-verification link works.
pub const VERIFY_TTL_HOURS: i64 = 72;
pub use crate::domain::account::RESET_LINK_INVALID;
/// What any unusable verification link answers.
pub const VERIFY_LINK_INVALID: &str =
    "This verification link doesn't work any more. Send a new one from your notification settings.";

const RESET: &str = "reset_password";
const VERIFY: &str = "verify_email";

/// Creates an account from a checked form and a finished password hash; returns its id.
/// A handle or email already in use is a conflict on that field.
pub async fn create(
    writes: &WriteQueue,
    form: &SignUpForm,
    password_hash: String,
) -> Result<UserId, AppError> {
    let handle = form.handle.clone();
    let display_name = form.display_name.clone();
    let email = form.email.clone();
    write_tx!(writes, |tx| {
        let (handle_taken, email_taken) = db::users::taken(&mut *tx, &handle, &email).await?;
        if handle_taken || email_taken {
            let mut errors = FieldErrors::new();
            if handle_taken {
                errors.add("handle", "That handle is taken. Try another.");
            }
            if email_taken {
                errors.add("email", "An account already uses that email. Sign in instead?");
            }
            return Err(AppError::Conflict(errors));
        }
        let new_user = db::users::NewUser {
            handle: &handle,
            display_name: &display_name,
            email: &email,
            password_hash: &password_hash,
        };
        let id = db::users::insert(&mut *tx, &new_user)
            .await
            .map_err(db::conflict_if_taken("handle", "That handle or email was just taken."))?;
        queue_verification(&mut *tx, id, &email).await?;
        Ok(id)
    })
}

/// Saves a person's display name, bio, skills and interests together.
pub async fn update_profile(
    writes: &WriteQueue,
    owner: UserId,
    form: ProfileForm,
    skills: Vec<String>,
    interests: Vec<String>,
) -> Result<(), AppError> {
    write_tx!(writes, |tx| {
        db::users::update_profile(&mut *tx, owner, &form.display_name, &form.bio).await?;
        db::users::set_tags(&mut *tx, owner, "skill", &skills).await?;
        db::users::set_tags(&mut *tx, owner, "interest", &interests).await?;
        Ok(())
    })
}

/// Replaces an account's password hash (an outdated one, upgraded at sign-in).
pub async fn replace_password_hash(
    writes: &WriteQueue,
    user: UserId,
    password_hash: String,
) -> Result<(), AppError> {
    write_tx!(writes, |tx| {
        Ok(db::users::set_password_hash(&mut *tx, user, &password_hash).await?)
    })
}

/// Ends every session of `user` on every device (each session checks the account's
/// session epoch on its next request).
pub async fn sign_out_everywhere(writes: &WriteQueue, user: UserId) -> Result<(), AppError> {
    write_tx!(writes, |tx| { Ok(db::users::end_all_sessions(&mut *tx, user).await?) })
}

/// Marks every notice of `user` read.
pub async fn mark_notifications_read(writes: &WriteQueue, user: UserId) -> Result<(), AppError> {
    write_tx!(writes, |tx| { Ok(db::notifications::mark_all_read(&mut *tx, user).await?) })
}

/// Queues one account mail (no unsubscribe: it was asked for) with a new single-use token
/// for `purpose`, valid for `ttl`; the link is `path?token=…`.
async fn queue_token_mail(
    conn: &mut Conn<'_>,
    (user, email): (UserId, &str),
    purpose: &str,
    ttl: Duration,
    (subject, body, path, label): (&str, &str, &str, &str),
) -> Result<(), AppError> {
    let now = Utc::now();
    let token = new_token();
    let hash = sha256_hex(&token);
    db::mail::retire_account_tokens(&mut *conn, user, purpose, now).await?;
    db::mail::insert_account_token(&mut *conn, &hash, user, purpose, email, now + ttl).await?;
    let link = format!("{path}?token={token}");
    let message_id = uuid::Uuid::new_v4().simple().to_string();
    let mail = NewMail {
        user,
        kind: purpose,
        period: &hash[..16],
        to: email,
        subject,
        body,
        link: &link,
        link_label: label,
        list: None,
        notification_id: None,
        send_after: now,
        message_id: &message_id,
    };
    db::mail::enqueue(&mut *conn, &mail).await?;
    Ok(())
}

async fn queue_verification(
    conn: &mut Conn<'_>,
    user: UserId,
    email: &str,
) -> Result<(), AppError> {
    let words = (
        "Confirm your e-mail address for Kindred",
        "Please confirm that this address is yours. Until you do, Kindred sends it nothing but account mail.\n\nThe link works for 3 days.",
        "/verify-email",
        "Confirm my address",
    );
    queue_token_mail(&mut *conn, (user, email), VERIFY, Duration::hours(VERIFY_TTL_HOURS), words)
        .await
}

/// Sends a new verification link, unless the address is verified already (then `false`).
pub async fn resend_verification(writes: &WriteQueue, user: UserId) -> Result<bool, AppError> {
    write_tx!(writes, |tx| {
        let (email, verified) =
            db::users::email_status(&mut *tx, user).await?.ok_or(AppError::NotFound)?;
        if verified {
            return Ok(false);
        }
        queue_verification(&mut *tx, user, &email).await?;
        Ok(true)
    })
}

/// Uses a verification token: the address it was sent to becomes verified.
pub async fn verify_email(writes: &WriteQueue, token: &str) -> Result<UserId, AppError> {
    let hash = sha256_hex(token.trim());
    let invalid = || AppError::invalid("token", VERIFY_LINK_INVALID);
    write_tx!(writes, |tx| {
        let now = Utc::now();
        let (user, email) = db::mail::take_account_token(&mut *tx, &hash, VERIFY, now)
            .await?
            .ok_or_else(invalid)?;
        if !db::users::mark_email_verified(&mut *tx, user, &email, now).await? {
            return Err(invalid());
        }
        Ok(user)
    })
}

/// Sends a reset link to the account a handle or address belongs to. Answers the same
/// whether or not there is one, so the form tells no one who has an account.
pub async fn request_password_reset(writes: &WriteQueue, login: &str) -> Result<(), AppError> {
    let login = login.trim().to_lowercase();
    write_tx!(writes, |tx| {
        let Some((user, email)) = db::users::email_for_login(&mut *tx, &login).await? else {
            return Ok(());
        };
        // One reset e-mail a minute at most, so the form cannot flood an inbox.
        let recent = Utc::now() - Duration::seconds(RESET_MAIL_GAP_SECONDS);
        if db::mail::account_token_since(&mut *tx, user, RESET, recent).await? {
            return Ok(());
        }
        let words = (
            "Reset your Kindred password",
            "Someone (we hope you) asked to reset the password of your Kindred account. The link works once, for one hour; using it signs you out everywhere else.\n\nIf it wasn't you, ignore this e-mail: your password stays as it is.",
            "/reset-password",
            "Choose a new password",
        );
        queue_token_mail(
            &mut *tx,
            (user, &email),
            RESET,
            Duration::minutes(RESET_TTL_MINUTES),
            words,
        )
        .await
    })
}

/// Whether a reset token can still be used (the reset page asks before showing its form).
pub async fn reset_token_usable(pool: &Pool, token: &str) -> Result<bool, AppError> {
    Ok(db::mail::account_token_usable(pool, &sha256_hex(token.trim()), RESET, Utc::now()).await?)
}

/// Uses a reset token: sets the new password hash (which ends every session of the
/// account, as sessions are bound to the hash) and, since the mail arrived, verifies the
/// address. Unknown, expired and used tokens all give [`RESET_LINK_INVALID`].
pub async fn reset_password(
    writes: &WriteQueue,
    token: &str,
    password_hash: String,
) -> Result<UserId, AppError> {
    let hash = sha256_hex(token.trim());
    write_tx!(writes, |tx| {
        let now = Utc::now();
        let (user, email) = db::mail::take_account_token(&mut *tx, &hash, RESET, now)
            .await?
            .ok_or_else(|| AppError::invalid("token", RESET_LINK_INVALID))?;
        db::users::set_password_hash(&mut *tx, user, &password_hash).await?;
        db::users::mark_email_verified(&mut *tx, user, &email, now).await?;
        db::mail::retire_account_tokens(&mut *tx, user, RESET, now).await?;
        Ok(user)
    })
}
