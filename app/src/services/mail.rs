//! The outbox worker: sends due mail, marks it, retries failures with a growing delay.
//!
//! A message is sent first and marked after, so a crash in between sends it again with
//! the same `Message-ID` (a duplicate the receiver can recognise), never skips it.

use chrono::{DateTime, Duration, Utc};

use crate::db::writer::write_tx;
use crate::db::{self, mail::QueuedMail};
use crate::error::AppError;
use crate::state::AppState;

/// Sends attempted before a message is given up (about a day and a half of retries).
pub const MAX_ATTEMPTS: i64 = 10;

/// How many messages one pass takes.
const BATCH: i64 = 50;

/// When to try again after the `attempts`-th failure: 1, 2, 4 … minutes, at most 6 hours;
/// `None` once [`MAX_ATTEMPTS`] are spent.
pub fn retry_at(now: DateTime<Utc>, attempts: i64) -> Option<DateTime<Utc>> {
    if attempts + 1 >= MAX_ATTEMPTS {
        return None;
    }
    let minutes = (1_i64 << attempts.clamp(0, 20)).min(6 * 60);
    Some(now + Duration::minutes(minutes))
}

/// What one pass did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Delivered {
    /// Messages handed to the transport.
    pub sent: usize,
    /// Mentions and replies read in the app before their e-mail was due.
    pub skipped: usize,
    /// Sends that failed (retried later, or given up).
    pub failed: usize,
}

/// Sends every message due now. Runs until the outbox has nothing due.
pub async fn deliver_due(state: &AppState) -> Result<Delivered, AppError> {
    let mut done = Delivered::default();
    loop {
        let due = db::mail::due(&state.pool, Utc::now(), BATCH).await?;
        if due.is_empty() {
            return Ok(done);
        }
        for mail in due {
            deliver(state, &mail, &mut done).await?;
        }
    }
}

async fn deliver(
    state: &AppState,
    mail: &QueuedMail,
    done: &mut Delivered,
) -> Result<(), AppError> {
    let id = mail.id;
    if mail.read_in_app {
        write_tx!(state.writes, |tx| {
            Ok(db::mail::finish(&mut *tx, id, "skipped", Utc::now()).await?)
        })?;
        done.skipped += 1;
        return Ok(());
    }
    let unsubscribe = match &mail.list {
        Some(list) => Some(unsubscribe_token(state, mail, list).await?),
        None => None,
    };
    match state.mailer.send(mail, unsubscribe.as_deref()).await {
        Ok(()) => {
            write_tx!(state.writes, |tx| {
                Ok(db::mail::finish(&mut *tx, id, "sent", Utc::now()).await?)
            })?;
            done.sent += 1;
        }
        Err(error) => {
            let retry = retry_at(Utc::now(), mail.attempts);
            tracing::warn!(mail = id, attempts = mail.attempts + 1, %error, gave_up = retry.is_none(), "sending mail failed");
            write_tx!(state.writes, |tx| {
                Ok(db::mail::failed(&mut *tx, id, &error, retry).await?)
            })?;
            done.failed += 1;
        }
    }
    Ok(())
}

/// A fresh one-click unsubscribe token for the message's member and list.
async fn unsubscribe_token(
    state: &AppState,
    mail: &QueuedMail,
    list: &str,
) -> Result<String, AppError> {
    let token = super::tokens::new_token();
    let hash = super::tokens::sha256_hex(&token);
    let (user, list) = (mail.user_id, list.to_owned());
    write_tx!(state.writes, |tx| {
        Ok(db::mail::insert_unsubscribe(&mut *tx, &hash, user, &list).await?)
    })?;
    Ok(token)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_then_give_up() {
        let now = Utc::now();
        assert_eq!(retry_at(now, 0), Some(now + Duration::minutes(1)));
        assert_eq!(retry_at(now, 3), Some(now + Duration::minutes(8)));
        assert_eq!(retry_at(now, 8), Some(now + Duration::minutes(256)));
        assert_eq!(retry_at(now, MAX_ATTEMPTS - 1), None);
    }
}
