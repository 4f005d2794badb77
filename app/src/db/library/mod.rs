//! The resource library: resources, their tags, files, revisions, marks and collections.

use crate::db::statement::{Arg, all_rows, args, one_row, one_value, optional_row, run};
use crate::db::{Engine, engine_of, on_engine};
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::FromRow;

use crate::db::{Cursor, Db, Sql, timestamp};

mod collections;
use crate::domain::ids::{CommunityId, UserId};
use crate::domain::library::{FileFacts, ResourceKind, ResourceSummary, ValidResource, is_overdue};
pub use collections::*;

#[derive(FromRow)]
struct SummaryRow {
    id: i64,
    kind: String,
    title: String,
    summary: String,
    tags: Option<String>,
    owner: String,
    #[sqlx(try_from = "crate::db::MaybeDay")]
    review_by: Option<NaiveDate>,
    helpful: i64,
    outdated: i64,
    #[sqlx(try_from = "crate::db::Stamp")]
    updated_at: DateTime<Utc>,
}

impl SummaryRow {
    fn into_summary(self, today: NaiveDate) -> ResourceSummary {
        let mut tags: Vec<String> = self
            .tags
            .unwrap_or_default()
            .split('\u{1f}')
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
            .collect();
        tags.sort();
        ResourceSummary {
            id: self.id,
            kind: ResourceKind::parse(&self.kind).unwrap_or(ResourceKind::Guide),
            title: self.title,
            summary: self.summary,
            tags,
            owner: self.owner,
            overdue: is_overdue(self.review_by, today),
            review_by: self.review_by,
            helpful: self.helpful,
            outdated: self.outdated,
            updated_at: self.updated_at,
        }
    }
}

const SUMMARY_SELECT: &str = "SELECT r.id, r.kind, r.title, r.summary,
        (SELECT string_agg(t.tag, '\u{1f}') FROM resource_tags t WHERE t.resource_id = r.id) AS tags,
        u.handle AS owner, r.review_by,
        (SELECT COUNT(*) FROM resource_marks m WHERE m.resource_id = r.id AND m.mark = 'helpful') AS helpful,
        (SELECT COUNT(*) FROM resource_marks m WHERE m.resource_id = r.id AND m.mark = 'outdated') AS outdated,
        r.updated_at
   FROM resources r JOIN users u ON u.id = r.owner_id";

/// One page of a community's resources, newest change first: those tagged `tag` (or
/// all), after `before` (keyset), at most `limit` rows.
pub async fn page_of(
    db: impl Db<'_>,
    community: CommunityId,
    tag: Option<&str>,
    before: Option<&Cursor>,
    limit: i64,
    today: NaiveDate,
) -> Sql<Vec<ResourceSummary>> {
    let sql = format!(
        "{SUMMARY_SELECT} WHERE r.community_id = $1
            AND ($2 IS NULL OR EXISTS (SELECT 1 FROM resource_tags t
                                        WHERE t.resource_id = r.id AND t.tag = $2))
            AND ($3 IS NULL OR r.updated_at < $3 OR (r.updated_at = $3 AND r.id < $4))
          ORDER BY r.updated_at DESC, r.id DESC LIMIT $5"
    );
    let rows: Vec<SummaryRow> = all_rows(
        db,
        &sql,
        args![community, tag, before.map(|c| c.at.as_str()), before.map_or(0, |c| c.id), limit],
    )
    .await?;
    Ok(rows.into_iter().map(|r| r.into_summary(today)).collect())
}

/// The resources that sit in any of a community's collections.
pub async fn in_collections(
    db: impl Db<'_>,
    community: CommunityId,
    today: NaiveDate,
) -> Sql<Vec<ResourceSummary>> {
    let sql = format!(
        "{SUMMARY_SELECT} WHERE r.community_id = $1 AND r.id IN (
            SELECT i.resource_id FROM collection_items i
              JOIN resource_collections c ON c.id = i.collection_id WHERE c.community_id = $1)"
    );
    let rows: Vec<SummaryRow> = all_rows(db, &sql, args![community]).await?;
    Ok(rows.into_iter().map(|r| r.into_summary(today)).collect())
}

/// Resources tied to the given initiative or goal, by title.
pub async fn attached_to(
    db: impl Db<'_>,
    community: CommunityId,
    initiative: Option<i64>,
    goal: Option<i64>,
    today: NaiveDate,
) -> Sql<Vec<ResourceSummary>> {
    let sql = format!(
        "{SUMMARY_SELECT} WHERE r.community_id = $1
            AND (r.initiative_id = $2 OR r.goal_id = $3)
          ORDER BY r.title LIMIT 100"
    );
    let rows: Vec<SummaryRow> = all_rows(db, &sql, args![community, initiative, goal]).await?;
    Ok(rows.into_iter().map(|r| r.into_summary(today)).collect())
}

/// One resource of a community as lists show it.
pub async fn summary(
    db: impl Db<'_>,
    community: CommunityId,
    id: i64,
    today: NaiveDate,
) -> Sql<Option<ResourceSummary>> {
    on_engine!(db, |db| {
        let sql = format!("{SUMMARY_SELECT} WHERE r.community_id = $1 AND r.id = $2");
        let row: Option<SummaryRow> = optional_row(db, &sql, args![community, id]).await?;
        Ok(row.map(|r| r.into_summary(today)))
    })
}

/// The tags in use in a community, with how many resources carry each.
pub async fn tags(db: impl Db<'_>, community: CommunityId) -> Sql<Vec<(String, i64)>> {
    let sql = "SELECT t.tag, COUNT(*) FROM resource_tags t JOIN resources r ON r.id = t.resource_id
          WHERE r.community_id = $1 GROUP BY t.tag ORDER BY COUNT(*) DESC, t.tag LIMIT 50";
    all_rows(db, sql, args![community]).await
}

/// The rest of a resource, for its page.
#[derive(Debug, Clone, FromRow)]
pub struct ResourceDetail {
    /// Owner.
    pub owner_id: UserId,
    /// The guide's Markdown.
    pub body: String,
    /// The guide, sanitised.
    pub body_html: String,
    /// The link.
    pub url: Option<String>,
    /// Licence.
    pub licence: String,
    /// Attribution.
    pub attribution: String,
    /// Initiative.
    pub initiative_id: Option<i64>,
    /// The initiative's title.
    pub initiative: Option<String>,
    /// Goal.
    pub goal_id: Option<i64>,
    /// The goal's title.
    pub goal: Option<String>,
    /// The guide's earlier versions.
    pub revisions: i64,
}

/// The detail of a community's resource.
pub async fn detail(
    db: impl Db<'_>,
    community: CommunityId,
    id: i64,
) -> Sql<Option<ResourceDetail>> {
    let sql = "SELECT r.owner_id, r.body, r.body_html, r.url, r.licence, r.attribution,
                r.initiative_id, i.title AS initiative, r.goal_id, g.title AS goal,
                (SELECT COUNT(*) FROM resource_revisions v WHERE v.resource_id = r.id) AS revisions
           FROM resources r
           LEFT JOIN initiatives i ON i.id = r.initiative_id
           LEFT JOIN goals g ON g.id = r.goal_id
          WHERE r.community_id = $1 AND r.id = $2";
    optional_row(db, sql, args![community, id]).await
}

/// A resource's owner and kind, when it belongs to `community`.
pub async fn owner_and_kind(
    db: impl Db<'_>,
    community: CommunityId,
    id: i64,
) -> Sql<Option<(UserId, String)>> {
    let sql = "SELECT owner_id, kind FROM resources WHERE community_id = $1 AND id = $2";
    optional_row(db, sql, args![community, id]).await
}

/// A resource's content fields, in the order `insert` and `update` bind them: title,
/// summary, Markdown, HTML, link, licence, attribution, initiative, goal.
fn content_fields<'a>(resource: &'a ValidResource, body_html: &'a str) -> [Arg<'a>; 9] {
    [
        Arg::from(&resource.title),
        Arg::from(&resource.summary),
        Arg::from(&resource.body),
        Arg::from(body_html),
        Arg::from(&resource.url),
        Arg::from(&resource.licence),
        Arg::from(&resource.attribution),
        Arg::from(resource.initiative_id),
        Arg::from(resource.goal_id),
    ]
}

/// Stores a resource; returns its id.
pub async fn insert(
    db: impl Db<'_>,
    community: CommunityId,
    owner: UserId,
    resource: &ValidResource,
    body_html: &str,
    at: DateTime<Utc>,
) -> Sql<i64> {
    let sql =
        "INSERT INTO resources (community_id, kind, title, summary, body, body_html, url, licence,
                                attribution, initiative_id, goal_id, owner_id, review_by,
                                created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14)
         RETURNING id";
    let review_by = resource.review_by.map(|d| d.to_string());
    let args = [
        args![community, resource.kind.as_str()],
        &content_fields(resource, body_html),
        args![owner, review_by, timestamp(at)],
    ]
    .concat();
    one_value(db, sql, &args).await
}

/// Keeps the current version of a guide as a revision before it changes.
pub async fn keep_revision(db: impl Db<'_>, id: i64, editor: UserId, at: DateTime<Utc>) -> Sql<()> {
    let sql =
        "INSERT INTO resource_revisions (resource_id, editor_id, title, summary, body, created_at)
         SELECT id, $2, title, summary, body, $3 FROM resources WHERE id = $1";
    run(db, sql, args![id, editor, timestamp(at)]).await?;
    Ok(())
}

/// A guide's earlier version: title, summary, Markdown, who replaced it and when.
#[derive(Debug, Clone, FromRow)]
pub struct RevisionRow {
    /// Title then.
    pub title: String,
    /// Summary then.
    pub summary: String,
    /// Markdown then.
    pub body: String,
    /// Who replaced it.
    pub editor: Option<String>,
    /// When.
    #[sqlx(try_from = "crate::db::Stamp")]
    pub created_at: DateTime<Utc>,
}

/// A guide's earlier versions, newest first.
pub async fn revisions(db: impl Db<'_>, resource: i64) -> Sql<Vec<RevisionRow>> {
    let sql = "SELECT v.title, v.summary, v.body, u.handle AS editor, v.created_at
           FROM resource_revisions v LEFT JOIN users u ON u.id = v.editor_id
          WHERE v.resource_id = $1 ORDER BY v.id DESC";
    all_rows(db, sql, args![resource]).await
}

/// Changes a resource's fields (its kind stays); clears outdated flags.
pub async fn update(
    conn: impl Db<'_>,
    id: i64,
    resource: &ValidResource,
    body_html: &str,
    at: DateTime<Utc>,
) -> Sql<()> {
    on_engine!(conn, |conn| {
        let sql =
            "UPDATE resources SET title = $2, summary = $3, body = $4, body_html = $5, url = $6,
                licence = $7, attribution = $8, initiative_id = $9, goal_id = $10,
                review_by = $11, updated_at = $12
          WHERE id = $1";
        let review_by = resource.review_by.map(|d| d.to_string());
        let args =
            [args![id], &content_fields(resource, body_html), args![review_by, timestamp(at)]]
                .concat();
        run(&mut *conn, sql, &args).await?;
        let sql = "DELETE FROM resource_marks WHERE resource_id = $1 AND mark = 'outdated'";
        run(&mut *conn, sql, args![id]).await?;
        set_tags(conn, id, &resource.tags).await
    })
}

/// Replaces a resource's tags.
pub async fn set_tags(conn: impl Db<'_>, id: i64, tags: &[String]) -> Sql<()> {
    on_engine!(conn, |conn| {
        let sql = "DELETE FROM resource_tags WHERE resource_id = $1";
        run(&mut *conn, sql, args![id]).await?;
        for tag in tags {
            let sql = "INSERT INTO resource_tags (resource_id, tag) VALUES ($1, $2)";
            run(&mut *conn, sql, args![id, tag]).await?;
        }
        Ok(())
    })
}

/// A stored upload.
#[derive(Debug, Clone, FromRow)]
pub struct StoredFile {
    /// Its name in the files folder.
    pub storage_key: String,
    /// The name it was uploaded with.
    pub file_name: String,
    /// Its type.
    pub content_type: String,
    /// Its size.
    pub size_bytes: i64,
    /// Its SHA-256.
    pub sha256: String,
}

/// Records the file of a `file` resource.
pub async fn insert_file(db: impl Db<'_>, id: i64, file: &StoredFile) -> Sql<()> {
    let sql = "INSERT INTO resource_files (resource_id, storage_key, file_name, content_type,
                                     size_bytes, sha256)
         VALUES ($1, $2, $3, $4, $5, $6)";
    run(
        db,
        sql,
        args![
            id,
            &file.storage_key,
            &file.file_name,
            &file.content_type,
            file.size_bytes,
            &file.sha256
        ],
    )
    .await?;
    Ok(())
}

/// The file of a community's resource.
pub async fn file(db: impl Db<'_>, community: CommunityId, id: i64) -> Sql<Option<StoredFile>> {
    let sql = "SELECT f.storage_key, f.file_name, f.content_type, f.size_bytes, f.sha256
           FROM resource_files f JOIN resources r ON r.id = f.resource_id
          WHERE r.community_id = $1 AND r.id = $2";
    optional_row(db, sql, args![community, id]).await
}

impl From<StoredFile> for FileFacts {
    fn from(file: StoredFile) -> Self {
        FileFacts {
            file_name: file.file_name,
            content_type: file.content_type,
            size_bytes: file.size_bytes,
        }
    }
}

/// The viewer's marks on a resource: (helpful, outdated).
pub async fn marks_of(db: impl Db<'_>, id: i64, user: UserId) -> Sql<(bool, bool)> {
    let sql = "SELECT EXISTS(SELECT 1 FROM resource_marks WHERE resource_id = $1 AND user_id = $2 AND mark = 'helpful'),
                    EXISTS(SELECT 1 FROM resource_marks WHERE resource_id = $1 AND user_id = $2 AND mark = 'outdated')";
    one_row(db, sql, args![id, user]).await
}

/// Sets or clears one member's mark (`helpful` or `outdated`) on a resource.
pub async fn set_mark(
    db: impl Db<'_>,
    id: i64,
    user: UserId,
    mark: &str,
    on: bool,
    note: &str,
    at: DateTime<Utc>,
) -> Sql<bool> {
    on_engine!(db, |db| {
        let done = if on {
            let sql = "INSERT INTO resource_marks (resource_id, user_id, mark, note, created_at)
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING";
            run(db, sql, args![id, user, mark, note, timestamp(at)]).await?
        } else {
            let sql =
                "DELETE FROM resource_marks WHERE resource_id = $1 AND user_id = $2 AND mark = $3";
            run(db, sql, args![id, user, mark]).await?
        };
        Ok(done == 1)
    })
}

/// Resources past their review date that `user` keeps, or that are in a community they
/// lead: (title, community name), oldest date first.
pub async fn due_for_review(
    db: impl Db<'_>,
    user: UserId,
    today: NaiveDate,
) -> Sql<Vec<(String, String)>> {
    let sql = "SELECT r.title, c.name FROM resources r JOIN communities c ON c.id = r.community_id
          WHERE r.review_by IS NOT NULL AND r.review_by < $2
            AND (r.owner_id = $1
                 OR EXISTS (SELECT 1 FROM memberships m
                             WHERE m.community_id = r.community_id AND m.user_id = $1
                               AND m.status = 'active' AND m.role IN ('owner', 'steward')))
          ORDER BY r.review_by, r.id LIMIT 20";
    all_rows(db, sql, args![user, today.to_string()]).await
}

/// A resource search hit.
#[derive(Debug, Clone, FromRow)]
pub struct ResourceHit {
    /// The resource.
    pub id: i64,
    /// Its title.
    pub title: String,
    /// Its summary.
    pub summary: String,
    /// Its community's slug.
    pub slug: String,
    /// Its community's name.
    pub community: String,
}

/// Resources matching `fts` that `viewer` may see (public communities, or ones they belong
/// to), optionally in one community; best first, at most `limit`. Like post search
/// ([`crate::db::search`]), FTS5 on SQLite and the GIN-indexed `search_document` on PostgreSQL.
pub async fn search(
    db: impl Db<'_>,
    fts: &str,
    viewer: Option<UserId>,
    community: Option<CommunityId>,
    limit: i64,
) -> Sql<Vec<ResourceHit>> {
    on_engine!(db, |db| {
        let engine = engine_of(&*db);
        let matches = match engine {
            Engine::Sqlite => {
                "SELECT rowid AS id, kindred_rank(resource_search, 5.0, 1.0) AS rank
                   FROM resource_search WHERE resource_search MATCH $1
                  ORDER BY rowid DESC LIMIT 400"
            }
            Engine::Postgres => {
                "SELECT id, -CAST(ts_rank(search_document, to_tsquery('kindred_search', $1)) AS DOUBLE PRECISION) AS rank
                   FROM resources WHERE search_document @@ to_tsquery('kindred_search', $1)
                  ORDER BY id DESC LIMIT 400"
            }
        };
        let sql = format!(
            "WITH matches AS ({matches})
             SELECT r.id, r.title, r.summary, c.slug, c.name AS community
               FROM matches m
               JOIN resources r ON r.id = m.id
               JOIN communities c ON c.id = r.community_id
              WHERE ($2 IS NULL OR r.community_id = $2)
                AND (c.visibility = 'public'
                     OR EXISTS(SELECT 1 FROM memberships ms
                                WHERE ms.community_id = c.id AND ms.user_id = $3 AND ms.status = 'active'))
              ORDER BY m.rank, r.id
              LIMIT $4"
        );
        sqlx::query_as(&sql)
            .bind(crate::db::search::engine_query(engine, fts))
            .bind(community)
            .bind(viewer.map(|v| v.0).unwrap_or(0))
            .bind(limit)
            .fetch_all(db)
            .await
    })
}

/// A community's approved initiatives to attach a resource to: (id, title).
pub async fn initiative_choices(
    db: impl Db<'_>,
    community: CommunityId,
) -> Sql<Vec<(i64, String)>> {
    let sql = "SELECT id, title FROM initiatives WHERE community_id = $1 AND status = 'approved'
          ORDER BY title";
    all_rows(db, sql, args![community]).await
}

/// Whether the chosen initiative and goal (when chosen) belong to `community`.
pub async fn attachments_belong(
    db: impl Db<'_>,
    community: CommunityId,
    initiative: Option<i64>,
    goal: Option<i64>,
) -> Sql<(bool, bool)> {
    let sql = "SELECT $2 IS NULL OR EXISTS (SELECT 1 FROM initiatives WHERE id = $2 AND community_id = $1),
                $3 IS NULL OR EXISTS (SELECT 1 FROM goals WHERE id = $3 AND community_id = $1)";
    one_row(db, sql, args![community, initiative, goal]).await
}
