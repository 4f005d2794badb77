//! In-app notices.

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
    pub at: DateTime<Utc>,
    /// Not yet seen.
    pub unread: bool,
}
