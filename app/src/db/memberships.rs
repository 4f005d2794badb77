//! Memberships: who belongs to which community, with what role and standing.

use crate::db::statement::{all_rows, all_values, args, one_row, one_value, optional_row, run};
use chrono::{DateTime, Utc};
use sqlx::FromRow;

use super::{Cursor, timestamp};
use crate::db::{Db, MaybeStamp, Sql, on_engine};
use crate::domain::community::{MemberEntry, Role, Standing};
use crate::domain::ids::{CommunityId, UserId};

/// A role is in force until its term ends; after that it counts as member.
pub(crate) fn effective_role(
    role: &str,
    term_ends_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Role {
    match term_ends_at {
        Some(end) if end <= now => Role::Member,
        _ => Role::parse(role).unwrap_or(Role::Member),
    }
}

#[derive(FromRow)]
struct StandingRow {
    role: Option<String>,
    status: Option<String>,
    #[sqlx(try_from = "crate::db::MaybeStamp")]
    role_term_ends_at: Option<DateTime<Utc>>,
    pending: bool,
}

/// Where `user` stands with `community` right now.
pub async fn standing(
    db: impl Db<'_>,
    community: CommunityId,
    user: Option<UserId>,
) -> Sql<Standing> {
    on_engine!(db, |db| {
        let Some(user) = user else {
            return Ok(Standing::Outsider);
        };
        let sql = "SELECT m.role, m.status, m.role_term_ends_at,
                EXISTS(SELECT 1 FROM join_requests r
                        WHERE r.community_id = $1 AND r.user_id = $2 AND r.status = 'pending') AS pending
           FROM (SELECT 1) AS one LEFT JOIN memberships m ON m.community_id = $1 AND m.user_id = $2";
        let row: StandingRow = one_row(db, sql, args![community, user]).await?;
        Ok(match (row.status.as_deref(), row.role.as_deref()) {
            (Some("banned"), _) => Standing::Banned,
            (Some(_), Some(role)) => {
                Standing::Member(effective_role(role, row.role_term_ends_at, Utc::now()))
            }
            _ if row.pending => Standing::Pending,
            _ => Standing::Outsider,
        })
    })
}

/// Adds an active member with `role`, recording that they affirmed the values.
pub async fn add(db: impl Db<'_>, community: CommunityId, user: UserId, role: Role) -> Sql<()> {
    let sql = "INSERT INTO memberships (community_id, user_id, role, affirmed_values_at)
         VALUES ($1, $2, $3, $4)";
    run(db, sql, args![community, user, role.as_str(), crate::db::now()]).await?;
    Ok(())
}

/// Removes a membership (leaving).
pub async fn remove(db: impl Db<'_>, community: CommunityId, user: UserId) -> Sql<()> {
    let sql =
        "DELETE FROM memberships WHERE community_id = $1 AND user_id = $2 AND status = 'active'";
    run(db, sql, args![community, user]).await?;
    Ok(())
}

/// Sets a member's role and term (None = no term).
pub async fn set_role(
    db: impl Db<'_>,
    community: CommunityId,
    user: UserId,
    role: Role,
    term_ends_at: Option<DateTime<Utc>>,
) -> Sql<u64> {
    let sql = "UPDATE memberships SET role = $1, role_term_ends_at = $2
          WHERE community_id = $3 AND user_id = $4 AND status = 'active'";
    let result =
        run(db, sql, args![role.as_str(), term_ends_at.map(timestamp), community, user]).await?;
    Ok(result)
}

/// Bans a member: they stay recorded, lose any role, and cannot rejoin.
pub async fn ban(db: impl Db<'_>, community: CommunityId, user: UserId) -> Sql<()> {
    let sql = "INSERT INTO memberships (community_id, user_id, role, status) VALUES ($1, $2, 'member', 'banned')
         ON CONFLICT (community_id, user_id) DO UPDATE SET status = 'banned', role = 'member', role_term_ends_at = NULL";
    run(db, sql, args![community, user]).await?;
    Ok(())
}

/// How many active owners a community has (terms never apply to owners).
pub async fn owner_count(db: impl Db<'_>, community: CommunityId) -> Sql<i64> {
    let sql = "SELECT COUNT(*) FROM memberships WHERE community_id = $1 AND status = 'active' AND role = 'owner'";
    one_value(db, sql, args![community]).await
}

/// How many active members a community has.
pub async fn count(db: impl Db<'_>, community: CommunityId) -> Sql<i64> {
    let sql = "SELECT COUNT(*) FROM memberships WHERE community_id = $1 AND status = 'active'";
    one_value(db, sql, args![community]).await
}

#[derive(FromRow)]
struct MemberRow {
    user_id: UserId,
    handle: String,
    display_name: String,
    role: String,
    #[sqlx(try_from = "crate::db::MaybeStamp")]
    role_term_ends_at: Option<DateTime<Utc>>,
    #[sqlx(try_from = "crate::db::Stamp")]
    joined_at: DateTime<Utc>,
    skills: Option<String>,
    interests: Option<String>,
}

impl MemberRow {
    fn into_entry(self, now: DateTime<Utc>) -> MemberEntry {
        let role = effective_role(&self.role, self.role_term_ends_at, now);
        let split = |tags: Option<String>| -> Vec<String> {
            tags.map(|t| t.split('\u{1f}').map(str::to_owned).collect()).unwrap_or_default()
        };
        MemberEntry {
            user_id: self.user_id,
            handle: self.handle,
            display_name: self.display_name,
            term_ends_at: if role == Role::Member { None } else { self.role_term_ends_at },
            role,
            joined_at: self.joined_at,
            skills: split(self.skills),
            interests: split(self.interests),
        }
    }
}

const MEMBER_COLUMNS: &str = "m.user_id, u.handle, u.display_name, m.role, m.role_term_ends_at, m.joined_at,
    (SELECT string_agg(tag, '\u{1f}') FROM user_tags t WHERE t.user_id = m.user_id AND t.kind = 'skill') AS skills,
    (SELECT string_agg(tag, '\u{1f}') FROM user_tags t WHERE t.user_id = m.user_id AND t.kind = 'interest') AS interests";

/// Active members in join order, optionally only one role; keyset-paginated by (joined_at, user id).
pub async fn page(
    db: impl Db<'_>,
    community: CommunityId,
    role: Option<Role>,
    after: Option<&Cursor>,
    limit: i64,
) -> Sql<Vec<MemberEntry>> {
    on_engine!(db, |db| {
        let (after_at, after_id) = match after {
            Some(c) => (Some(c.at.clone()), Some(c.id)),
            None => (None, None),
        };
        let now = Utc::now();
        let sql = format!(
        "SELECT {MEMBER_COLUMNS}
           FROM memberships m JOIN users u ON u.id = m.user_id
          WHERE m.community_id = $1 AND m.status = 'active'
            AND ($2 IS NULL OR (CASE WHEN m.role_term_ends_at IS NOT NULL AND m.role_term_ends_at <= $5
                                     THEN 'member' ELSE m.role END) = $2)
            AND ($3 IS NULL OR (m.joined_at, m.user_id) > ($3, $4))
          ORDER BY m.joined_at, m.user_id
          LIMIT $6"
    );
        let rows: Vec<MemberRow> = all_rows(
            db,
            &sql,
            args![community, role.map(Role::as_str), after_at, after_id, timestamp(now), limit],
        )
        .await?;
        Ok(rows.into_iter().map(|r| r.into_entry(now)).collect())
    })
}

/// The cursor continuing after `member`.
pub fn cursor_after(member: &MemberEntry) -> Cursor {
    Cursor { at: timestamp(member.joined_at), id: member.user_id.0 }
}

/// Everyone holding owner, steward or moderator, most authority first.
pub async fn leaders(db: impl Db<'_>, community: CommunityId) -> Sql<Vec<MemberEntry>> {
    on_engine!(db, |db| {
        let now = Utc::now();
        let sql = format!(
            "SELECT {MEMBER_COLUMNS}
           FROM memberships m JOIN users u ON u.id = m.user_id
          WHERE m.community_id = $1 AND m.status = 'active' AND m.role != 'member'
            AND (m.role_term_ends_at IS NULL OR m.role_term_ends_at > $2)
          ORDER BY CASE m.role WHEN 'owner' THEN 0 WHEN 'steward' THEN 1 ELSE 2 END, m.joined_at"
        );
        let rows: Vec<MemberRow> = all_rows(db, &sql, args![community, timestamp(now)]).await?;
        Ok(rows.into_iter().map(|r| r.into_entry(now)).collect())
    })
}

/// A member found by handle: their id and effective role (None when not an active member).
pub async fn member_by_handle(
    db: impl Db<'_>,
    community: CommunityId,
    handle: &str,
) -> Sql<Option<(UserId, Role)>> {
    let sql = "SELECT m.user_id, m.role, m.role_term_ends_at FROM memberships m JOIN users u ON u.id = m.user_id
          WHERE m.community_id = $1 AND u.handle = $2 AND m.status = 'active'";
    let row: Option<(UserId, String, MaybeStamp)> =
        optional_row(db, sql, args![community, handle]).await?;
    Ok(row.map(|(id, role, term)| (id, effective_role(&role, term.0, Utc::now()))))
}

/// A lapsed leadership term, found by [`lapsed_terms`].
#[derive(Debug, Clone, FromRow)]
pub struct LapsedTerm {
    /// The community.
    pub community_id: CommunityId,
    /// Its slug, for links.
    pub slug: String,
    /// Its name, for notices.
    pub community_name: String,
    /// Who held the role.
    pub user_id: UserId,
    /// The role that lapsed.
    pub role: String,
}

/// Roles whose terms have ended but are still stored as leadership roles.
pub async fn lapsed_terms(db: impl Db<'_>) -> Sql<Vec<LapsedTerm>> {
    let sql = "SELECT m.community_id, c.slug, c.name AS community_name, m.user_id, m.role
           FROM memberships m JOIN communities c ON c.id = m.community_id
          WHERE m.role_term_ends_at IS NOT NULL
            AND m.role_term_ends_at <= $1
            AND m.status = 'active' AND m.role != 'member'";
    all_rows(db, sql, args![crate::db::now()]).await
}

/// Ids of a community's active owners and stewards (whose terms are in force).
pub async fn leader_ids(db: impl Db<'_>, community: CommunityId) -> Sql<Vec<UserId>> {
    let sql = "SELECT user_id FROM memberships
          WHERE community_id = $1 AND status = 'active' AND role IN ('owner', 'steward')
            AND (role_term_ends_at IS NULL OR role_term_ends_at > $2)";
    all_values(db, sql, args![community, crate::db::now()]).await
}

/// Where `$1` is an active member, of the communities `$2` (a viewer, or NULL) may see:
/// public ones, and the ones the viewer belongs to. By name.
const VISIBLE_MEMBERSHIPS: &str = "FROM memberships m JOIN communities c ON c.id = m.community_id
          WHERE m.user_id = $1 AND m.status = 'active'
            AND (c.visibility = 'public'
                 OR EXISTS(SELECT 1 FROM memberships v
                            WHERE v.community_id = c.id AND v.user_id = $2 AND v.status = 'active'))
          ORDER BY c.name";

/// A person's communities with their roles, limited to those `viewer` may see:
/// public ones, and private ones the viewer also belongs to.
pub async fn communities_of(
    db: impl Db<'_>,
    user: UserId,
    viewer: Option<UserId>,
) -> Sql<Vec<(String, String, Role)>> {
    let sql = format!("SELECT c.slug, c.name, m.role, m.role_term_ends_at {VISIBLE_MEMBERSHIPS}");
    let rows: Vec<(String, String, String, MaybeStamp)> =
        all_rows(db, &sql, args![user, viewer]).await?;
    let now = Utc::now();
    Ok(rows
        .into_iter()
        .map(|(slug, name, role, term)| (slug, name, effective_role(&role, term.0, now)))
        .collect())
}

/// The communities `user` is an active member of that `viewer` may see: (id, slug, name).
pub async fn visible_communities_of(
    db: impl Db<'_>,
    user: UserId,
    viewer: Option<UserId>,
) -> Sql<Vec<(CommunityId, String, String)>> {
    let sql = format!("SELECT c.id, c.slug, c.name {VISIBLE_MEMBERSHIPS}");
    all_rows(db, &sql, args![user, viewer]).await
}
