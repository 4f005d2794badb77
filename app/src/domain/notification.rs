//! In-app notices.

use crate::domain::challenges::labelled_enum;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One notice for the signed-in person.
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notification {
    /// Its id.
    pub id: i64,
    /// What happened.
    pub body: String,
    /// Where to look (a local path), or empty.
    pub link: String,
    /// When.
    #[cfg_attr(feature = "ssr", sqlx(try_from = "crate::db::Stamp"))]
    pub at: DateTime<Utc>,
    /// Not yet seen.
    pub unread: bool,
}

labelled_enum!(
    /// What a notice is about; a member chooses for each how it reaches them.
    NoticeKind {
        /// Someone @mentioned them.
        Mention = "mention": "Mentions of you",
        /// Someone replied in a thread they started or took part in.
        Reply = "reply": "Replies to your threads",
        /// Someone thanked them.
        Kudos = "kudos": "Kudos you receive",
        /// They earned or were awarded a badge.
        Badge = "badge": "Badges you earn",
        /// A contribution of theirs was verified or declined.
        Verification = "verification": "Verification of your contributions",
        /// A join request was decided, or (leaders) one arrived.
        Join = "join": "Join requests and decisions",
        /// Their role or term changed.
        Role = "role": "Roles and terms",
        /// Reminders and changes for events they are going to.
        Event = "event": "Event reminders and changes",
        /// Initiatives, challenges and moderation in their communities.
        Community = "community": "Initiatives, challenges and moderation",
        /// Mentoring requests, answers and sessions to verify.
        Mentoring = "mentoring": "Mentoring requests and sessions",
    }
);

impl NoticeKind {
    /// How it reaches a member who never chose: mentions, replies, join decisions, event
    /// reminders and mentoring by e-mail too; the rest in the app only.
    pub fn default_channel(self) -> Channel {
        match self {
            NoticeKind::Mention
            | NoticeKind::Reply
            | NoticeKind::Join
            | NoticeKind::Event
            | NoticeKind::Mentoring => Channel::Both,
            _ => Channel::App,
        }
    }

    /// Whether its e-mail waits a while and is skipped once the notice was read in the app.
    pub fn waits_for_absence(self) -> bool {
        matches!(self, NoticeKind::Mention | NoticeKind::Reply)
    }
}

labelled_enum!(
    /// How one kind of notice reaches a member.
    Channel {
        /// On the notifications page only.
        App = "app": "In the app",
        /// By e-mail only.
        Email = "email": "By e-mail",
        /// Both.
        Both = "both": "In the app and by e-mail",
        /// Not at all.
        Off = "off": "Off",
    }
);

impl Channel {
    /// Whether the notice goes on the notifications page.
    pub fn in_app(self) -> bool {
        matches!(self, Channel::App | Channel::Both)
    }

    /// Whether the notice is e-mailed.
    pub fn by_email(self) -> bool {
        matches!(self, Channel::Email | Channel::Both)
    }

    /// The channel left after leaving the e-mail list.
    pub fn without_email(self) -> Channel {
        match self {
            Channel::Both => Channel::App,
            Channel::Email => Channel::Off,
            other => other,
        }
    }
}

labelled_enum!(
    /// How often the digest comes.
    DigestFrequency {
        /// Every day at the chosen hour.
        Daily = "daily": "Daily",
        /// On Mondays at the chosen hour.
        Weekly = "weekly": "Weekly, on Mondays",
        /// Never.
        Off = "off": "Off",
    }
);

/// One community the member can mute.
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MutableCommunity {
    /// Its slug.
    pub slug: String,
    /// Its name.
    pub name: String,
    /// Whether it is muted now.
    pub muted: bool,
}

/// Everything `/settings/notifications` shows and saves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationSettings {
    /// The channel for each kind, in [`NoticeKind::ALL`] order.
    pub channels: Vec<(NoticeKind, Channel)>,
    /// Digest frequency.
    pub digest: DigestFrequency,
    /// The local hour (0–23) the digest is sent.
    pub digest_hour: u8,
    /// The member's IANA time zone.
    pub time_zone: String,
    /// Their e-mail address (only they see it).
    pub email: String,
    /// Whether the address is verified; until it is, only account mail is sent.
    pub email_verified: bool,
    /// Their communities, each with its mute switch.
    pub communities: Vec<MutableCommunity>,
}

/// The settings form as posted: `channels[kind]=channel`, `muted[slug]=yes` for each muted
/// community (unchecked boxes send nothing), digest frequency and hour, time zone.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct NotificationForm {
    /// A channel for each kind.
    #[serde(default)]
    pub channels: std::collections::HashMap<String, String>,
    /// Muted communities by slug.
    #[serde(default)]
    pub muted: std::collections::HashMap<String, String>,
    /// `daily`, `weekly` or `off`.
    pub digest: String,
    /// `0`–`23`.
    pub digest_hour: String,
    /// An IANA zone such as `Europe/London`.
    pub time_zone: String,
}

/// The form, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidNotificationForm {
    /// Every kind's channel (kinds left out keep their default).
    pub channels: Vec<(NoticeKind, Channel)>,
    /// Slugs of the communities to mute.
    pub muted: Vec<String>,
    /// Digest frequency.
    pub digest: DigestFrequency,
    /// Local hour.
    pub digest_hour: u8,
    /// Zone name (its existence is checked on the server).
    pub time_zone: String,
}

impl NotificationForm {
    /// Checks every field; unknown kinds or channels are field errors.
    pub fn validate(self) -> Result<ValidNotificationForm, crate::error::AppError> {
        let mut errors = crate::error::FieldErrors::new();
        let mut channels = Vec::new();
        for kind in NoticeKind::ALL {
            let chosen = self.channels.get(kind.as_str()).map(|c| Channel::parse(c.trim()));
            match chosen {
                Some(Some(channel)) => channels.push((*kind, channel)),
                Some(None) => errors.add("channels", "Choose how each kind reaches you."),
                None => {}
            }
        }
        if self.channels.keys().any(|k| NoticeKind::parse(k).is_none()) {
            errors.add("channels", "That kind of notice doesn't exist.");
        }
        let digest = DigestFrequency::parse(self.digest.trim());
        if digest.is_none() {
            errors.add("digest", "Choose daily, weekly or off.");
        }
        let digest_hour = self.digest_hour.trim().parse::<u8>().ok().filter(|h| *h < 24);
        if digest_hour.is_none() {
            errors.add("digest_hour", "Choose an hour from 0 to 23.");
        }
        let time_zone = match self.time_zone.trim() {
            "" => "UTC".to_owned(),
            zone => zone.to_owned(),
        };
        if time_zone.len() > 64
            || !time_zone.chars().all(|c| c.is_ascii_alphanumeric() || "/_+-".contains(c))
        {
            errors.add("time_zone", "Choose a time zone such as Europe/London.");
        }
        errors.into_result()?;
        let mut muted: Vec<String> = self.muted.into_keys().collect();
        muted.sort();
        Ok(ValidNotificationForm {
            channels,
            muted,
            digest: digest.unwrap_or(DigestFrequency::Weekly),
            digest_hour: digest_hour.unwrap_or(8),
            time_zone,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(channels: &[(&str, &str)]) -> NotificationForm {
        NotificationForm {
            channels: channels.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
            muted: [("river".to_string(), "yes".to_string())].into(),
            digest: "daily".into(),
            digest_hour: "7".into(),
            time_zone: "Europe/Berlin".into(),
        }
    }

    #[test]
    fn a_good_form_keeps_every_choice() {
        let valid = form(&[("kudos", "email"), ("mention", "off")]).validate().unwrap();
        assert_eq!(
            valid.channels,
            vec![(NoticeKind::Mention, Channel::Off), (NoticeKind::Kudos, Channel::Email)]
        );
        assert_eq!(valid.muted, vec!["river".to_string()]);
        assert_eq!((valid.digest, valid.digest_hour), (DigestFrequency::Daily, 7));
    }

    #[test]
    fn unknown_kinds_channels_hours_and_zones_are_refused() {
        let error = |f: NotificationForm, field: &str| match f.validate() {
            Err(crate::error::AppError::Validation(e)) => e.get(field).is_some(),
            _ => false,
        };
        assert!(error(form(&[("kudos", "pigeon")]), "channels"));
        assert!(error(form(&[("gossip", "app")]), "channels"));
        let mut late = form(&[]);
        late.digest_hour = "24".into();
        assert!(error(late, "digest_hour"));
        let mut zone = form(&[]);
        zone.time_zone = "Mars; DROP".into();
        assert!(error(zone, "time_zone"));
    }

    #[test]
    fn defaults_send_mentions_by_mail_and_kudos_in_app() {
        assert_eq!(NoticeKind::Mention.default_channel(), Channel::Both);
        assert_eq!(NoticeKind::Kudos.default_channel(), Channel::App);
        assert_eq!(Channel::Both.without_email(), Channel::App);
        assert_eq!(Channel::Email.without_email(), Channel::Off);
    }
}
