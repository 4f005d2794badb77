//! A signed-in member's home: what's next for them, across their communities.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::community::{Role, Waiting};
use crate::domain::events::OccurrenceSummary;
use crate::domain::impact::ContributionEntry;
use crate::domain::notification::Notification;

/// Everything a member's home shows: unread notices first, then what they signed up for,
/// what waits on others, what others thanked them for, and what waits for them to do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NextForMe {
    /// Their display name, to greet them.
    pub display_name: String,
    /// How many notices are unread in all.
    pub unread_count: i64,
    /// The newest unread notices (mentions, replies, kudos…), at most five.
    pub unread: Vec<Notification>,
    /// Events they are going to or waiting for, soonest first, at most five.
    pub events: Vec<OccurrenceSummary>,
    /// Opportunities they signed up for, newest first.
    pub signups: Vec<Signup>,
    /// Their contributions still waiting to be verified, oldest first.
    pub awaiting: Vec<ContributionEntry>,
    /// Kudos they received lately, newest first.
    pub kudos: Vec<KudosReceived>,
    /// Their communities with their role and what waits for them in each.
    pub communities: Vec<MyCommunity>,
}

/// An opportunity someone signed up for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Signup {
    /// The community's address.
    pub community_slug: String,
    /// Its name.
    pub community_name: String,
    /// The initiative the opportunity belongs to.
    pub initiative_id: i64,
    /// Its title.
    pub initiative: String,
    /// The opportunity's title.
    pub opportunity: String,
}

/// Kudos someone received.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct KudosReceived {
    /// The community's address.
    pub community_slug: String,
    /// Its name.
    pub community_name: String,
    /// Who gave them.
    pub giver: String,
    /// The value they named.
    pub value_name: String,
    /// What they said.
    pub message: String,
    /// When.
    #[cfg_attr(feature = "ssr", sqlx(try_from = "crate::db::Stamp"))]
    pub at: DateTime<Utc>,
}

/// One of a member's communities, with what waits for them there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyCommunity {
    /// Its address.
    pub slug: String,
    /// Its name.
    pub name: String,
    /// Their role in force.
    pub role: Role,
    /// What waits for them (join requests and flags only for leaders).
    pub waiting: Waiting,
}

impl NextForMe {
    /// Whether nothing at all waits: no unread notice, event, sign-up, pending
    /// contribution or leaders' task.
    pub fn all_clear(&self) -> bool {
        self.unread.is_empty()
            && self.events.is_empty()
            && self.signups.is_empty()
            && self.awaiting.is_empty()
            && self.communities.iter().all(|c| c.waiting.total() == 0)
    }
}
