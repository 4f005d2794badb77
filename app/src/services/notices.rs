//! Telling a member something: one call, inside the write that caused it, puts the notice
//! on their notifications page and/or queues the e-mail, as their preferences say.
//!
//! Muted communities send nothing but mentions. E-mail goes only to a verified address.
//! Mentions and replies wait [`AWAY_DELAY_MINUTES`] and are skipped if the notice was read
//! in the app meanwhile; other kinds go at once.

use crate::db::{Conn, Pool};
use std::collections::HashMap;

use chrono::{Duration, Utc};

use crate::db::writer::{WriteQueue, write_tx};
use crate::db::{self, Sql, mail::NewMail};
use crate::domain::ids::{CommunityId, UserId};
use crate::domain::notification::{
    Channel, DigestFrequency, NoticeKind, NotificationSettings, ValidNotificationForm,
};
use crate::error::AppError;
use crate::services::tokens::sha256_hex;

/// How long a mention or reply e-mail waits for the member to see it in the app.
pub const AWAY_DELAY_MINUTES: i64 = 10;

/// One thing to tell one member.
#[derive(Debug, Clone, Copy)]
pub struct Notice<'a> {
    /// Who.
    pub to: UserId,
    /// What it is about (their preferences are per kind).
    pub kind: NoticeKind,
    /// The community it comes from, when it comes from one (muting applies).
    pub community: Option<CommunityId>,
    /// What happened, one sentence.
    pub body: &'a str,
    /// Where to look (a local path), or empty.
    pub link: &'a str,
}

impl<'a> Notice<'a> {
    /// A notice from a community.
    pub fn new(
        to: UserId,
        kind: NoticeKind,
        community: CommunityId,
        body: &'a str,
        link: &'a str,
    ) -> Self {
        Notice { to, kind, community: Some(community), body, link }
    }
}

/// Delivers `notice` as its receiver chose, in the caller's transaction.
pub async fn notify(conn: &mut Conn<'_>, notice: Notice<'_>) -> Sql<()> {
    let routing =
        db::notifications::routing(&mut *conn, notice.to, notice.kind, notice.community).await?;
    if routing.muted && notice.kind != NoticeKind::Mention {
        return Ok(());
    }
    let channel = routing
        .channel
        .as_deref()
        .and_then(Channel::parse)
        .unwrap_or_else(|| notice.kind.default_channel());
    let notification_id = if channel.in_app() {
        let id =
            db::notifications::insert(&mut *conn, notice.to, notice.kind, notice.body, notice.link)
                .await?;
        // Their open pages update the unread count at once (`services::live`).
        db::live::record(&mut *conn, db::live::LiveKind::Notice { to: notice.to }).await?;
        Some(id)
    } else {
        None
    };
    let Some(address) = routing.verified_email.filter(|_| channel.by_email()) else {
        return Ok(());
    };
    let delay = match notification_id {
        Some(_) if notice.kind.waits_for_absence() => Duration::minutes(AWAY_DELAY_MINUTES),
        _ => Duration::zero(),
    };
    let message_id = uuid::Uuid::new_v4().simple().to_string();
    // A notice read in the app is one period; e-mail-only notices are each their own.
    let period = notification_id.map_or_else(|| message_id.clone(), |id| format!("n{id}"));
    let mail = NewMail {
        user: notice.to,
        kind: notice.kind.as_str(),
        period: &period,
        to: &address,
        subject: &subject_of(notice.body),
        body: notice.body,
        link: notice.link,
        link_label: "Open in Kindred",
        list: Some(notice.kind.as_str()),
        notification_id,
        send_after: Utc::now() + delay,
        message_id: &message_id,
    };
    db::mail::enqueue(&mut *conn, &mail).await?;
    Ok(())
}

/// What `/settings/notifications` shows for `user`.
pub async fn settings(pool: &Pool, user: UserId) -> Result<NotificationSettings, AppError> {
    let (email, email_verified) =
        db::users::email_status(pool, user).await?.ok_or(AppError::NotFound)?;
    let mail = db::users::mail_settings(pool, user).await?.ok_or(AppError::NotFound)?;
    let chosen: HashMap<String, String> =
        db::notifications::chosen_channels(pool, user).await?.into_iter().collect();
    let channels = NoticeKind::ALL
        .iter()
        .map(|kind| {
            let channel = chosen.get(kind.as_str()).and_then(|c| Channel::parse(c));
            (*kind, channel.unwrap_or_else(|| kind.default_channel()))
        })
        .collect();
    Ok(NotificationSettings {
        channels,
        digest: DigestFrequency::parse(&mail.digest).unwrap_or(DigestFrequency::Weekly),
        digest_hour: u8::try_from(mail.digest_hour).unwrap_or(8),
        time_zone: mail.time_zone,
        email,
        email_verified,
        communities: db::notifications::communities(pool, user).await?,
    })
}

/// Saves the settings form in one write.
pub async fn save_settings(
    writes: &WriteQueue,
    user: UserId,
    form: ValidNotificationForm,
) -> Result<(), AppError> {
    if form.time_zone.parse::<chrono_tz::Tz>().is_err() {
        return Err(AppError::invalid("time_zone", "Choose a time zone such as Europe/London."));
    }
    write_tx!(writes, |tx| {
        for (kind, channel) in &form.channels {
            db::notifications::set_channel(&mut *tx, user, *kind, *channel).await?;
        }
        for community in db::notifications::communities(&mut *tx, user).await? {
            let muted = form.muted.contains(&community.slug);
            db::notifications::set_muted(&mut *tx, user, &community.slug, muted).await?;
        }
        let mail = db::users::MailSettings {
            time_zone: form.time_zone.clone(),
            digest: form.digest.as_str().to_owned(),
            digest_hour: i64::from(form.digest_hour),
        };
        db::users::set_mail_settings(&mut *tx, user, &mail).await?;
        Ok(())
    })
}

/// What an unsubscribe link's list is called, or `None` for an unknown token.
pub async fn unsubscribe_list(pool: &Pool, token: &str) -> Result<Option<String>, AppError> {
    let target = db::mail::unsubscribe_target(pool, &sha256_hex(token.trim())).await?;
    Ok(target.map(|(_, list)| list_label(&list)))
}

/// Takes the member off one list (RFC 8058 one-click; no sign-in): that kind stops coming
/// by e-mail (in-app notices stay), or the digest stops. Returns the list's name.
pub async fn unsubscribe(writes: &WriteQueue, token: &str) -> Result<String, AppError> {
    let hash = sha256_hex(token.trim());
    write_tx!(writes, |tx| {
        let (user, list) =
            db::mail::unsubscribe_target(&mut *tx, &hash).await?.ok_or(AppError::NotFound)?;
        match NoticeKind::parse(&list) {
            Some(kind) => {
                let routing = db::notifications::routing(&mut *tx, user, kind, None).await?;
                let now = routing
                    .channel
                    .as_deref()
                    .and_then(Channel::parse)
                    .unwrap_or_else(|| kind.default_channel());
                db::notifications::set_channel(&mut *tx, user, kind, now.without_email()).await?;
            }
            None => db::users::stop_digest(&mut *tx, user).await?,
        }
        Ok(list_label(&list))
    })
}

/// A list's name in words.
fn list_label(list: &str) -> String {
    NoticeKind::parse(list).map_or_else(|| "The digest".to_owned(), |k| k.label().to_owned())
}

/// A subject line from a notice: its first 70 characters, on one line.
fn subject_of(body: &str) -> String {
    let line: String = body.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.chars().count() <= 70 {
        return line;
    }
    let cut: String = line.chars().take(69).collect();
    format!("{}…", cut.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subjects_are_one_short_line() {
        assert_eq!(subject_of("Ada thanked you\nfor  Care."), "Ada thanked you for Care.");
        let long = subject_of(&"word ".repeat(40));
        assert!(long.chars().count() <= 70);
        assert!(long.ends_with('…'));
    }
}
