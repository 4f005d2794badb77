//! Accounts: creating one, editing a profile, replacing a password hash, reading
//! notices. Hashing happens before a write is queued, never inside it.

use crate::db::writer::write_tx;
use crate::db::{self, writer::WriteQueue};
use crate::domain::account::{ProfileForm, SignUpForm};
use crate::domain::ids::UserId;
use crate::error::{AppError, FieldErrors};

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
        db::users::insert(&mut *tx, &new_user)
            .await
            .map_err(db::conflict_if_taken("handle", "That handle or email was just taken."))
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
        db::users::set_tags(tx, owner, "skill", &skills).await?;
        db::users::set_tags(tx, owner, "interest", &interests).await?;
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

/// Marks every notice of `user` read.
pub async fn mark_notifications_read(writes: &WriteQueue, user: UserId) -> Result<(), AppError> {
    write_tx!(writes, |tx| { Ok(db::notifications::mark_all_read(&mut *tx, user).await?) })
}
