//! Communities: a mission, a vision, shared values, and the people who hold them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::ids::{CommunityId, UserId};
use crate::error::{AppError, FieldErrors};

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
    /// When it was founded.
    pub created_at: DateTime<Utc>,
}

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
    /// When something last happened in it.
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
    /// Join requests waiting (shown to leaders only; 0 for others).
    pub pending_requests: i64,
    /// Contributions waiting for the viewer to verify (leaders, initiative owners; else 0).
    pub verify_waiting: i64,
}

/// A waiting request to join.
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

/// The form for creating or editing a community.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommunityForm {
    /// Display name.
    pub name: String,
    /// URL name; derived from the name when empty.
    pub slug: String,
    /// Why it exists (required).
    pub mission: String,
    /// The change it wants.
    pub vision: String,
    /// Values, one per line: `Name: sentence`.
    pub values: String,
    /// `public` or `private`.
    pub visibility: String,
    /// `open`, `approval` or `invite`.
    pub join_policy: String,
    /// Join questions, one per line.
    pub join_questions: String,
    /// Present (any value) when members' own contributions count without a verifier.
    #[serde(default)]
    pub self_attestation: Option<String>,
}

/// A checked [`CommunityForm`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidCommunity {
    /// Display name.
    pub name: String,
    /// URL name.
    pub slug: String,
    /// Mission.
    pub mission: String,
    /// Vision.
    pub vision: String,
    /// Values in order.
    pub values: Vec<CommunityValue>,
    /// Visibility.
    pub visibility: Visibility,
    /// Join policy.
    pub join_policy: JoinPolicy,
    /// Join questions.
    pub join_questions: Vec<String>,
    /// Self-attested contributions count at once.
    pub self_attestation: bool,
}

/// A URL name made from a display name: `River Keepers!` -> `river-keepers`.
pub fn slugify(name: &str) -> String {
    let mut slug = String::new();
    for c in name.trim().chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let slug: String = slug.chars().take(SLUG_MAX_CHARS).collect();
    slug.trim_end_matches('-').to_owned()
}

/// Words that cannot be slugs because pages live there.
const RESERVED_SLUGS: &[&str] = &["new", "edit", "api", "admin", "search"];

fn check_length(
    errors: &mut FieldErrors,
    field: &str,
    text: &str,
    min: usize,
    max: usize,
    what: &str,
) {
    let len = text.chars().count();
    if len < min {
        if min == 1 {
            errors.add(field, format!("{what} is required."));
        } else {
            errors.add(field, format!("Use at least {min} characters."));
        }
    } else if len > max {
        errors.add(field, format!("Use at most {max} characters."));
    }
}

/// Parses the values box: one value per line, `Name: what it means here`.
pub fn parse_values(text: &str, errors: &mut FieldErrors) -> Vec<CommunityValue> {
    let values: Vec<CommunityValue> = text
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(|line| match line.split_once(':') {
            Some((name, description)) => CommunityValue {
                name: name.trim().to_owned(),
                description: description.trim().to_owned(),
            },
            None => CommunityValue {
                name: line.to_owned(),
                description: String::new(),
            },
        })
        .collect();
    if values.len() > VALUES_MAX {
        errors.add("values", format!("List at most {VALUES_MAX} values."));
    }
    if values
        .iter()
        .any(|v| v.name.is_empty() || v.name.chars().count() > VALUE_NAME_MAX_CHARS)
    {
        errors.add(
            "values",
            format!(
                "Give each value a name of 1–{VALUE_NAME_MAX_CHARS} characters before the colon."
            ),
        );
    }
    if values
        .iter()
        .any(|v| v.description.chars().count() > VALUE_DESCRIPTION_MAX_CHARS)
    {
        errors.add(
            "values",
            format!("Keep each value's sentence under {VALUE_DESCRIPTION_MAX_CHARS} characters."),
        );
    }
    values
}

/// The values as the form shows them again.
pub fn format_values(values: &[CommunityValue]) -> String {
    values
        .iter()
        .map(|v| {
            if v.description.is_empty() {
                v.name.clone()
            } else {
                format!("{}: {}", v.name, v.description)
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

impl CommunityForm {
    /// Trims, derives the slug if empty, and checks every field at once.
    pub fn validate(self) -> Result<ValidCommunity, AppError> {
        let mut errors = FieldErrors::new();
        let name = self.name.trim().to_owned();
        check_length(
            &mut errors,
            "name",
            &name,
            NAME_MIN_CHARS,
            NAME_MAX_CHARS,
            "A name",
        );
        let slug = match self.slug.trim() {
            "" => slugify(&name),
            given => given.to_lowercase(),
        };
        let slug_ok = slug.chars().count() >= 3
            && slug.chars().count() <= SLUG_MAX_CHARS
            && slug
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && !slug.starts_with('-')
            && !slug.ends_with('-');
        if !slug_ok {
            errors.add(
                "slug",
                format!("Use 3–{SLUG_MAX_CHARS} lower-case letters, digits and dashes."),
            );
        } else if RESERVED_SLUGS.contains(&slug.as_str()) {
            errors.add("slug", "That address is reserved. Pick another.");
        }
        let mission = self.mission.trim().to_owned();
        check_length(
            &mut errors,
            "mission",
            &mission,
            1,
            MISSION_MAX_CHARS,
            "A mission",
        );
        let vision = self.vision.trim().to_owned();
        check_length(
            &mut errors,
            "vision",
            &vision,
            0,
            VISION_MAX_CHARS,
            "A vision",
        );
        let values = parse_values(&self.values, &mut errors);
        let visibility = Visibility::parse(self.visibility.trim());
        if visibility.is_none() {
            errors.add("visibility", "Choose public or private.");
        }
        let join_policy = JoinPolicy::parse(self.join_policy.trim());
        if join_policy.is_none() {
            errors.add("join_policy", "Choose how people join.");
        }
        let join_questions: Vec<String> = self
            .join_questions
            .lines()
            .map(str::trim)
            .filter(|q| !q.is_empty())
            .map(str::to_owned)
            .collect();
        if join_questions.len() > JOIN_QUESTIONS_MAX
            || join_questions
                .iter()
                .any(|q| q.chars().count() > JOIN_QUESTION_MAX_CHARS)
        {
            errors.add(
                "join_questions",
                format!("Ask at most {JOIN_QUESTIONS_MAX} questions of up to {JOIN_QUESTION_MAX_CHARS} characters."),
            );
        }
        errors.into_result()?;
        match (visibility, join_policy) {
            (Some(visibility), Some(join_policy)) => Ok(ValidCommunity {
                name,
                slug,
                mission,
                vision,
                values,
                visibility,
                join_policy,
                join_questions,
                self_attestation: self.self_attestation.is_some(),
            }),
            _ => Err(AppError::Validation(FieldErrors::single(
                "visibility",
                "Choose the settings.",
            ))),
        }
    }
}

/// Free tags (skills, interests) from a comma-separated box: trimmed, lower-cased, unique, capped.
pub fn parse_tags(text: &str, field: &str) -> Result<Vec<String>, AppError> {
    let mut tags: Vec<String> = Vec::new();
    for tag in text
        .split(',')
        .map(|t| t.trim().to_lowercase())
        .filter(|t| !t.is_empty())
    {
        if tag.chars().count() > 40 {
            return Err(AppError::Validation(FieldErrors::single(
                field,
                "Keep each tag under 40 characters.",
            )));
        }
        if !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    if tags.len() > 20 {
        return Err(AppError::Validation(FieldErrors::single(
            field,
            "List at most 20.",
        )));
    }
    Ok(tags)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> CommunityForm {
        CommunityForm {
            name: "River Keepers".into(),
            slug: String::new(),
            mission: "Keep the river clean.".into(),
            vision: String::new(),
            values: "Leave no trace: we take out more than we bring\nCare\n".into(),
            visibility: "public".into(),
            join_policy: "open".into(),
            join_questions: String::new(),
            self_attestation: None,
        }
    }

    #[test]
    fn slugs_come_from_names() {
        assert_eq!(slugify("River Keepers!"), "river-keepers");
        assert_eq!(slugify("  Ünïcode & Friends  "), "n-code-friends");
        assert_eq!(slugify("---"), "");
    }

    #[test]
    fn a_good_form_validates_with_ordered_values() {
        let valid = form().validate().unwrap();
        assert_eq!(valid.slug, "river-keepers");
        assert_eq!(valid.values.len(), 2);
        assert_eq!(valid.values[0].name, "Leave no trace");
        assert_eq!(
            valid.values[0].description,
            "we take out more than we bring"
        );
        assert_eq!(valid.values[1].name, "Care");
        assert_eq!(
            format_values(&valid.values),
            "Leave no trace: we take out more than we bring\nCare"
        );
    }

    #[test]
    fn every_limit_is_a_field_error() {
        let bad = CommunityForm {
            name: "x".repeat(81),
            slug: "Bad Slug".into(),
            mission: "  ".into(),
            vision: "v".repeat(2_001),
            values: (0..13)
                .map(|i| format!("Value {i}"))
                .collect::<Vec<_>>()
                .join("\n"),
            visibility: "secret".into(),
            join_policy: "lottery".into(),
            join_questions: "q\nq\nq\nq\nq\nq".into(),
            self_attestation: None,
        };
        let Err(AppError::Validation(errors)) = bad.validate() else {
            panic!("expected errors")
        };
        for field in [
            "name",
            "slug",
            "mission",
            "vision",
            "values",
            "visibility",
            "join_policy",
            "join_questions",
        ] {
            assert!(
                errors.get(field).is_some(),
                "no error for {field}: {errors:?}"
            );
        }
    }

    #[test]
    fn reserved_slugs_are_refused() {
        let mut f = form();
        f.slug = "new".into();
        assert!(matches!(f.validate(), Err(AppError::Validation(e)) if e.get("slug").is_some()));
    }

    #[test]
    fn tags_are_normalised() {
        assert_eq!(
            parse_tags("Rust, first aid , rust,", "skills").unwrap(),
            vec!["rust", "first aid"]
        );
        let many: Vec<String> = (0..21).map(|i| format!("tag{i}")).collect();
        assert!(parse_tags(&many.join(","), "skills").is_err());
        assert!(parse_tags(&"x".repeat(41), "skills").is_err());
    }
}

/// Leadership health from the list of current leaders: which roles are vacant,
/// whose terms end within 30 days, and whether one person holds every leadership role.
pub fn leadership_health(leaders: Vec<MemberEntry>, now: DateTime<Utc>) -> LeadershipHealth {
    let vacant_roles = Role::LEADERSHIP
        .into_iter()
        .filter(|role| !leaders.iter().any(|l| l.role == *role))
        .collect();
    let soon = now + chrono::Duration::days(30);
    let terms_ending = leaders
        .iter()
        .filter(|l| l.term_ends_at.is_some_and(|end| end > now && end <= soon))
        .cloned()
        .collect();
    let mut people: Vec<&str> = leaders.iter().map(|l| l.handle.as_str()).collect();
    people.dedup();
    let single_point = match people.as_slice() {
        [only] => Some((*only).to_owned()),
        _ => None,
    };
    LeadershipHealth {
        vacant_roles,
        terms_ending,
        single_point,
        leaders,
    }
}

#[cfg(test)]
mod health_tests {
    use super::*;

    fn leader(
        handle: &str,
        id: i64,
        role: Role,
        term_days: Option<i64>,
        now: DateTime<Utc>,
    ) -> MemberEntry {
        MemberEntry {
            user_id: UserId(id),
            handle: handle.into(),
            display_name: handle.into(),
            role,
            term_ends_at: term_days.map(|d| now + chrono::Duration::days(d)),
            joined_at: now,
            skills: vec![],
            interests: vec![],
        }
    }

    #[test]
    fn a_lone_founder_is_a_single_point_with_vacancies() {
        let now = Utc::now();
        let health = leadership_health(vec![leader("ada", 1, Role::Owner, None, now)], now);
        assert_eq!(health.vacant_roles, vec![Role::Steward, Role::Moderator]);
        assert_eq!(health.single_point.as_deref(), Some("ada"));
    }

    #[test]
    fn terms_ending_within_thirty_days_are_flagged() {
        let now = Utc::now();
        let health = leadership_health(
            vec![
                leader("ada", 1, Role::Owner, None, now),
                leader("bo", 2, Role::Steward, Some(10), now),
                leader("cy", 3, Role::Moderator, Some(45), now),
            ],
            now,
        );
        assert!(health.vacant_roles.is_empty());
        assert_eq!(health.single_point, None);
        let ending: Vec<&str> = health
            .terms_ending
            .iter()
            .map(|l| l.handle.as_str())
            .collect();
        assert_eq!(ending, ["bo"]);
    }
}
