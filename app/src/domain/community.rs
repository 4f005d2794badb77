//! Communities: a mission, a vision, shared values, and the people who hold them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::ids::{CommunityId, UserId};

/// Name length bounds.
pub const NAME_MIN_CHARS: usize = 3;
/// Name length bounds.
pub const NAME_MAX_CHARS: usize = 80;
/// Slug length bounds.
pub const SLUG_MAX_CHARS: usize = 50;
/// Most characters in the mission.
pub const MISSION_MAX_CHARS: usize = 2_000;
/// Most characters in the vision.
pub const VISION_MAX_CHARS: usize = 2_000;
/// Most values a community lists.
pub const VALUES_MAX: usize = 12;
/// Most characters in a value's name.
pub const VALUE_NAME_MAX_CHARS: usize = 40;
/// Most characters in a value's sentence.
pub const VALUE_DESCRIPTION_MAX_CHARS: usize = 280;
/// Most join questions.
pub const JOIN_QUESTIONS_MAX: usize = 5;
/// Most characters in one join question.
pub const JOIN_QUESTION_MAX_CHARS: usize = 200;
/// Most characters in a join request's answers or a decision message.
pub const ANSWER_MAX_CHARS: usize = 2_000;

/// Who can see a community.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Visibility {
    /// Listed in the directory; anyone can read its home and members.
    Public,
    /// Does not exist for anyone but its members.
    Private,
}

/// How people join a community.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum JoinPolicy {
    /// Anyone who affirms the values joins at once.
    Open,
    /// A steward approves each request.
    Approval,
    /// Only through an invite link.
    Invite,
}

/// A member's role. Ordered from most to least authority.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Holds ultimate responsibility; there is always at least one.
    Owner,
    /// Leads day to day: edits the community, admits members, grants roles.
    Steward,
    /// Keeps discussions healthy.
    Moderator,
    /// Belongs.
    Member,
}

/// Where a person stands with a community.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Standing {
    /// Not signed in, or signed in without any tie to the community.
    Outsider,
    /// Asked to join; waiting for a steward.
    Pending,
    /// Removed by the community's leaders.
    Banned,
    /// An active member with this role.
    Member(Role),
}

impl Standing {
    /// Every standing there is, outsiders first: what exhaustive policy tests walk.
    pub const ALL: [Standing; 7] = [
        Standing::Outsider,
        Standing::Pending,
        Standing::Banned,
        Standing::Member(Role::Member),
        Standing::Member(Role::Moderator),
        Standing::Member(Role::Steward),
        Standing::Member(Role::Owner),
    ];

    /// The role, for active members.
    pub fn role(self) -> Option<Role> {
        match self {
            Standing::Member(role) => Some(role),
            _ => None,
        }
    }

    /// True for owners and stewards.
    pub fn is_leader(self) -> bool {
        matches!(self, Standing::Member(Role::Owner | Role::Steward))
    }

    /// True for moderators and leaders: those who keep discussions healthy.
    pub fn is_moderator(self) -> bool {
        matches!(self, Standing::Member(Role::Owner | Role::Steward | Role::Moderator))
    }
}

macro_rules! text_enum {
    ($ty:ty { $($variant:ident => $text:literal),+ $(,)? }) => {
        impl $ty {
            /// The stored and URL form, e.g. `"public"`.
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $text),+ }
            }
            /// Parses the stored form.
            pub fn parse(text: &str) -> Option<Self> {
                match text { $($text => Some(Self::$variant),)+ _ => None }
            }
        }
        impl std::fmt::Display for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

text_enum!(Visibility { Public => "public", Private => "private" });
text_enum!(JoinPolicy { Open => "open", Approval => "approval", Invite => "invite" });
text_enum!(Role { Owner => "owner", Steward => "steward", Moderator => "moderator", Member => "member" });

impl Role {
    /// Every role, most authority first.
    pub const ALL: [Role; 4] = [Role::Owner, Role::Steward, Role::Moderator, Role::Member];
    /// The leadership roles a community wants filled.
    pub const LEADERSHIP: [Role; 3] = [Role::Owner, Role::Steward, Role::Moderator];

    /// The role's name for people, e.g. "Steward".
    pub fn label(self) -> &'static str {
        match self {
            Role::Owner => "Owner",
            Role::Steward => "Steward",
            Role::Moderator => "Moderator",
            Role::Member => "Member",
        }
    }
}

/// One of a community's shared values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommunityValue {
    /// A short name, e.g. "Leave no trace".
    pub name: String,
    /// One sentence on what it means here.
    pub description: String,
}

/// A community's purpose and settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Community {
    /// Its id.
    pub id: CommunityId,
    /// Its URL name.
    pub slug: String,
    /// Its display name.
    pub name: String,
    /// Why it exists.
    pub mission: String,
    /// The change it wants to see.
    pub vision: String,
    /// Its values, in order.
    pub values: Vec<CommunityValue>,
    /// Who can see it.
    pub visibility: Visibility,
    /// How people join.
    pub join_policy: JoinPolicy,
    /// Questions a person answers when asking to join (approval communities).
    pub join_questions: Vec<String>,
    /// Members' own contributions count at once, without a verifier.
    pub self_attestation: bool,
    /// The IANA time zone its events default to (e.g. `Europe/London`).
    pub time_zone: String,
    /// When it was founded.
    pub created_at: DateTime<Utc>,
}

/// What the directory shows about a community.
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
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
    /// When something last happened in it.
    #[cfg_attr(feature = "ssr", sqlx(try_from = "crate::db::Stamp"))]
    pub last_activity_at: DateTime<Utc>,
}

/// A page of the directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirectoryPage {
    /// The communities on this page.
    pub communities: Vec<CommunitySummary>,
    /// The cursor for the next page, if there is one.
    pub next: Option<String>,
}

/// A person as listed in a community.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberEntry {
    /// Their account id.
    pub user_id: UserId,
    /// Their handle.
    pub handle: String,
    /// Their display name.
    pub display_name: String,
    /// Their role here.
    pub role: Role,
    /// When their leadership role lapses, if it has a term.
    pub term_ends_at: Option<DateTime<Utc>>,
    /// When they joined.
    pub joined_at: DateTime<Utc>,
    /// Skills from their profile.
    pub skills: Vec<String>,
    /// Interests from their profile.
    pub interests: Vec<String>,
}

/// A page of the member list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberPage {
    /// Members on this page.
    pub members: Vec<MemberEntry>,
    /// Cursor for the next page.
    pub next: Option<String>,
    /// The viewer may change roles.
    pub can_manage: bool,
    /// The viewer's own role may grant owner.
    pub viewer_is_owner: bool,
}

/// Something that happened in a community, for its home page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityItem {
    /// What happened, in words.
    pub text: String,
    /// When.
    pub at: DateTime<Utc>,
}

/// Everything the community home page shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommunityHome {
    /// The community.
    pub community: Community,
    /// Where the viewer stands.
    pub standing: Standing,
    /// Owners, stewards and moderators.
    pub leaders: Vec<MemberEntry>,
    /// Active members.
    pub member_count: i64,
    /// Recent happenings.
    pub activity: Vec<ActivityItem>,
    /// What waits for the viewer (join requests and flags for leaders only).
    pub waiting: Waiting,
    /// Challenges running now, with their progress.
    pub challenges: Vec<crate::domain::challenges::ChallengeSummary>,
}

/// A waiting request to join.
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JoinRequestEntry {
    /// The request's id.
    pub id: i64,
    /// Who asked.
    pub handle: String,
    /// Their display name.
    pub display_name: String,
    /// Their answers to the join questions.
    pub answers: String,
    /// When they asked.
    #[cfg_attr(feature = "ssr", sqlx(try_from = "crate::db::Stamp"))]
    pub created_at: DateTime<Utc>,
}

/// An invite link as leaders see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteEntry {
    /// The invite's id.
    pub id: i64,
    /// Uses so far.
    pub uses: i64,
    /// Most uses (None = unlimited until expiry).
    pub max_uses: Option<i64>,
    /// When it stops working.
    pub expires_at: DateTime<Utc>,
    /// Whether it can still be used.
    pub usable: bool,
    /// Who made it.
    pub created_by: String,
}

/// A freshly created invite: the only time its link is shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewInvite {
    /// The path to share, `/i/{token}`.
    pub path: String,
    /// When it stops working.
    pub expires_at: DateTime<Utc>,
}

/// What an invite link shows before it is accepted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitePreview {
    /// The community it admits to.
    pub community: Community,
    /// Where the viewer stands already.
    pub standing: Standing,
}

/// One audit log line.
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// Its id (also its order).
    pub id: i64,
    /// Who acted (None for the system, e.g. a lapsed term).
    pub actor: Option<String>,
    /// What they did, e.g. `role_granted`.
    pub action: String,
    /// To whom, if to a person.
    pub subject: Option<String>,
    /// Particulars, e.g. "moderator until 2027-01-01".
    pub detail: String,
    /// When.
    #[cfg_attr(feature = "ssr", sqlx(try_from = "crate::db::Stamp"))]
    pub at: DateTime<Utc>,
}

/// A page of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    /// Entries, newest first.
    pub entries: Vec<AuditEntry>,
    /// Cursor for older entries.
    pub next: Option<String>,
}

/// How leadership is spread, for stewards.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeadershipHealth {
    /// Leadership roles nobody holds.
    pub vacant_roles: Vec<Role>,
    /// Leaders whose terms end within 30 days.
    pub terms_ending: Vec<MemberEntry>,
    /// The one person holding every leadership there is, if so.
    pub single_point: Option<String>,
    /// Everyone holding a leadership role.
    pub leaders: Vec<MemberEntry>,
}

pub use super::community_form::{
    CommunityForm, ValidCommunity, format_values, parse_tags, parse_values, slugify,
};
pub use super::leadership::leadership_health;

/// What every page of a community shows above its own content: the community's name and
/// the viewer's standing, with the counts of what waits for a leader.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommunityHeader {
    /// The community's address.
    pub slug: String,
    /// Its name.
    pub name: String,
    /// The viewer is a member (any role).
    pub is_member: bool,
    /// The viewer is an owner, steward or moderator.
    pub is_leader: bool,
    /// What waits for the viewer (join requests and flags for leaders only).
    pub waiting: Waiting,
}

/// What waits for someone who looks after a community: the counts behind the "Manage"
/// tab and the home page's "what's next".
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Waiting {
    /// Join requests waiting for a decision (leaders only; else 0).
    pub join_requests: i64,
    /// Contributions the viewer may verify (leaders, initiative owners; else 0).
    pub to_verify: i64,
    /// Posts with open flags (leaders only; else 0).
    pub flagged_posts: i64,
}

impl Waiting {
    /// Everything waiting, for one count on the "Manage" tab.
    pub fn total(&self) -> i64 {
        self.join_requests + self.to_verify + self.flagged_posts
    }
}
