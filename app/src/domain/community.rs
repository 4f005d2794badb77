//! Communities: a group united by a mission.

use serde::{Deserialize, Serialize};

use super::ids::CommunityId;

/// What the directory shows about a community.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommunitySummary {
    /// The community's id.
    pub id: CommunityId,
    /// Its URL name, e.g. `river-keepers`.
    pub slug: String,
    /// Its display name.
    pub name: String,
    /// Why it exists, in the community's own words.
    pub mission: String,
    /// How many people belong to it.
    pub member_count: i64,
}
