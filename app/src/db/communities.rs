//! Communities, their values, and the directory.

use crate::db::on_engine;
use crate::db::statement::{Statement, all_rows, args, one_row, one_value, run};
use chrono::{DateTime, Utc};
use sqlx::FromRow;

use super::{Cursor, timestamp};
use crate::db::{Db, Sql};
use crate::domain::community::{
    Community, CommunitySummary, CommunityValue, JoinPolicy, ValidCommunity, Visibility,
};
use crate::domain::ids::{CommunityId, UserId};

/// Binds a community's purpose and settings, in the order the founding and editing
/// statements list them: name, mission, vision, visibility, join policy, join
/// questions, self-attestation, time zone. (A macro, so one list serves both engines.)
macro_rules! bind_purpose {
    ($query:expr, $community:expr) => {
        $query
            .bind(&$community.name)
            .bind(&$community.mission)
            .bind(&$community.vision)
            .bind($community.visibility.as_str())
            .bind($community.join_policy.as_str())
            .bind($community.join_questions.join("\n"))
            .bind($community.self_attestation)
            .bind(&$community.time_zone)
    };
}

#[derive(FromRow)]
struct CommunityRow {
    id: CommunityId,
    slug: String,
    name: String,
    mission: String,
    vision: String,
    visibility: String,
    join_policy: String,
    join_questions: String,
    self_attestation: bool,
    time_zone: String,
    #[sqlx(try_from = "crate::db::Stamp")]
    created_at: DateTime<Utc>,
}

/// One row of [`by_slug`]'s join: the community, and one of its values (none when it
/// has no values yet).
#[derive(FromRow)]
struct CommunityValueRow {
    #[sqlx(flatten)]
    community: CommunityRow,
    value_name: Option<String>,
    value_description: Option<String>,
}

/// A community by its slug, with its values in order: one statement, as every request
/// to a community page or server function starts with it.
pub async fn by_slug(db: impl Db<'_>, slug: &str) -> Sql<Option<Community>> {
    let sql = "SELECT c.id, c.slug, c.name, c.mission, c.vision, c.visibility, c.join_policy,
                    c.join_questions, c.self_attestation, c.time_zone, c.created_at,
                    v.name AS value_name, v.description AS value_description
               FROM communities c
               LEFT JOIN community_values v ON v.community_id = c.id
              WHERE c.slug = $1
              ORDER BY v.position";
    let rows: Vec<CommunityValueRow> = all_rows(db, sql, args![slug]).await?;
    let mut values = Vec::with_capacity(rows.len());
    let mut community = None;
    for row in rows {
        if let (Some(name), Some(description)) = (row.value_name, row.value_description) {
            values.push(CommunityValue { name, description });
        }
        community.get_or_insert(row.community);
    }
    let Some(row) = community else { return Ok(None) };
    Ok(Some(Community {
        id: row.id,
        slug: row.slug,
        name: row.name,
        mission: row.mission,
        vision: row.vision,
        visibility: Visibility::parse(&row.visibility).unwrap_or(Visibility::Private),
        join_policy: JoinPolicy::parse(&row.join_policy).unwrap_or(JoinPolicy::Invite),
        join_questions: row.join_questions.lines().map(str::to_owned).collect(),
        self_attestation: row.self_attestation,
        time_zone: row.time_zone,
        values,
        created_at: row.created_at,
    }))
}

/// A community's slug and name.
pub async fn slug_and_name(db: impl Db<'_>, id: CommunityId) -> Sql<(String, String)> {
    let sql = "SELECT slug, name FROM communities WHERE id = $1";
    one_row(db, sql, args![id]).await
}

/// Whether a slug is taken.
pub async fn slug_taken(db: impl Db<'_>, slug: &str) -> Sql<bool> {
    let sql = "SELECT EXISTS(SELECT 1 FROM communities WHERE slug = $1)";
    one_value(db, sql, args![slug]).await
}

/// Creates a community with its values and returns its id (the caller adds the owner).
pub async fn insert(
    db: impl Db<'_>,
    community: &ValidCommunity,
    created_by: UserId,
) -> Sql<CommunityId> {
    on_engine!(db, |db| {
        let insert = sqlx::query(
        "INSERT INTO communities (name, mission, vision, visibility, join_policy, join_questions, self_attestation,
                                  time_zone, slug, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    );
        bind_purpose!(insert, community)
            .bind(&community.slug)
            .bind(created_by)
            .execute(&mut *db)
            .await?;
        let sql = "SELECT id FROM communities WHERE slug = $1";
        let id: CommunityId = one_value(&mut *db, sql, args![&community.slug]).await?;
        replace_values(db, id, &community.values).await?;
        Ok(id)
    })
}

/// Replaces a community's purpose and settings (its slug stays).
pub async fn update(db: impl Db<'_>, id: CommunityId, community: &ValidCommunity) -> Sql<()> {
    on_engine!(db, |db| {
        let update = sqlx::query(
        "UPDATE communities SET name = $1, mission = $2, vision = $3, visibility = $4, join_policy = $5, join_questions = $6,
                self_attestation = $7, time_zone = $8
          WHERE id = $9",
    );
        bind_purpose!(update, community).bind(id).execute(&mut *db).await?;
        replace_values(db, id, &community.values).await
    })
}

async fn replace_values(db: impl Db<'_>, id: CommunityId, values: &[CommunityValue]) -> Sql<()> {
    on_engine!(db, |db| {
        let sql = "DELETE FROM community_values WHERE community_id = $1";
        run(&mut *db, sql, args![id]).await?;
        for (position, value) in values.iter().enumerate() {
            let sql = "INSERT INTO community_values (community_id, position, name, description) VALUES ($1, $2, $3, $4)";
            run(
                &mut *db,
                sql,
                args![
                    id,
                    i64::try_from(position).unwrap_or(i64::MAX),
                    &value.name,
                    &value.description
                ],
            )
            .await?;
        }
        Ok(())
    })
}

/// Marks the community as active now (directory order).
pub async fn touch(db: impl Db<'_>, id: CommunityId) -> Sql<()> {
    let touch = activity_touch(id);
    run(db, touch.sql, &touch.args).await?;
    Ok(())
}

/// The statement [`touch`] runs, for a write's batch.
pub fn activity_touch(id: CommunityId) -> Statement<'static> {
    let sql = "UPDATE communities SET last_activity_at = $2 WHERE id = $1";
    Statement::new(sql, args![id, crate::db::now()])
}

/// Escapes `%`, `_` and `\\` so a search term matches literally in LIKE, lower-cased
/// for `lower(column) LIKE` (SQLite's LIKE ignores ASCII case and PostgreSQL's does not, so
/// both compare lower-cased ASCII; SQLite's `lower` leaves other letters as they are).
fn like_pattern(term: &str) -> String {
    let mut escaped = String::with_capacity(term.len() + 2);
    escaped.push('%');
    for c in term.to_ascii_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped.push('%');
    escaped
}

/// Public communities, most recently active first, optionally matching `search`
/// in name or mission; keyset-paginated by (last activity, id).
pub async fn directory(
    db: impl Db<'_>,
    search: Option<&str>,
    after: Option<&Cursor>,
    limit: i64,
) -> Sql<Vec<CommunitySummary>> {
    on_engine!(db, |db| {
        let pattern = search.map(like_pattern);
        let (after_at, after_id) = match after {
            Some(c) => (Some(c.at.clone()), Some(c.id)),
            None => (None, None),
        };
        let sql = "SELECT c.id, c.slug, c.name, c.mission, c.last_activity_at,
                (SELECT COUNT(*) FROM memberships m
                  WHERE m.community_id = c.id AND m.status = 'active') AS member_count
           FROM communities c
          WHERE c.visibility = 'public'
            AND ($1 IS NULL OR lower(c.name) LIKE $1 ESCAPE '\\' OR lower(c.mission) LIKE $1 ESCAPE '\\')
            AND ($2 IS NULL OR (c.last_activity_at, c.id) < ($2, $3))
          ORDER BY c.last_activity_at DESC, c.id DESC
          LIMIT $4";
        all_rows(db, sql, args![pattern, after_at, after_id, limit]).await
    })
}

/// The cursor that continues after `summary`.
pub fn cursor_after(summary: &CommunitySummary) -> Cursor {
    Cursor { at: timestamp(summary.last_activity_at), id: summary.id.0 }
}
