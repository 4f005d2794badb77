//! Copying a whole Kindred database from SQLite to PostgreSQL (`server migrate-data`).
//!
//! The copy is driven by the target's schema: every table the PostgreSQL migrations made,
//! parents before children (by their foreign keys), each column read from SQLite and
//! written as the PostgreSQL column's type wants it (SQLite's 0/1 become booleans). Ids are
//! copied as they are, then every identity column's sequence is moved past the highest
//! id, so new rows continue the numbering. Search documents are made by the target's
//! triggers as rows arrive; the triggers that bump a community's impact version and keep
//! the tally of verified work are off during the copy (the tally is copied as it is), and
//! the version each community had is put back afterwards.

use std::collections::{BTreeMap, BTreeSet};

use futures::TryStreamExt;
use sqlx::postgres::PgConnection;
use sqlx::{PgPool, Postgres, QueryBuilder, Row, SqlitePool};

use crate::db::Sql;

/// Rows sent to PostgreSQL in one statement.
const ROWS_PER_INSERT: usize = 500;

/// One column of a target table: its name and PostgreSQL type (`bigint`, `boolean`,
/// `double precision`, `text` or `bytea`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetColumn {
    /// The column's name.
    pub name: String,
    /// `information_schema.columns.data_type`.
    pub data_type: String,
}

/// One value on its way from SQLite to PostgreSQL.
#[derive(Debug, Clone, PartialEq)]
enum Value {
    Integer(Option<i64>),
    Boolean(Option<bool>),
    Real(Option<f64>),
    Text(Option<String>),
    Bytes(Option<Vec<u8>>),
}

/// The tables Kindred's PostgreSQL migrations made, parents first: a table comes after
/// every table its foreign keys point to (a table's references to itself aside).
pub async fn target_tables(target: &PgPool) -> Sql<Vec<String>> {
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT table_name::text FROM information_schema.tables
          WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> '_sqlx_migrations'
          ORDER BY table_name",
    )
    .fetch_all(target)
    .await?;
    let edges: Vec<(String, String)> = sqlx::query_as(
        "SELECT DISTINCT cl.relname::text, rc.relname::text
           FROM pg_constraint c
           JOIN pg_class cl ON cl.oid = c.conrelid
           JOIN pg_class rc ON rc.oid = c.confrelid
          WHERE c.contype = 'f' AND cl.relnamespace = 'public'::regnamespace AND cl.oid <> rc.oid",
    )
    .fetch_all(target)
    .await?;
    let mut parents: BTreeMap<String, BTreeSet<String>> =
        tables.iter().map(|t| (t.clone(), BTreeSet::new())).collect();
    for (child, parent) in edges {
        parents.entry(child).or_default().insert(parent);
    }
    let mut ordered = Vec::with_capacity(tables.len());
    while ordered.len() < tables.len() {
        let ready: Vec<String> = parents
            .iter()
            .filter(|(table, needs)| {
                !ordered.contains(*table) && needs.iter().all(|p| ordered.contains(p))
            })
            .map(|(table, _)| table.clone())
            .collect();
        if ready.is_empty() {
            return Err(sqlx::Error::Protocol(format!(
                "the foreign keys between {:?} form a cycle",
                tables.iter().filter(|t| !ordered.contains(*t)).collect::<Vec<_>>()
            )));
        }
        ordered.extend(ready);
    }
    Ok(ordered)
}

/// The columns of `table` the copy fills, in order (the search document is the
/// target's own, kept by its triggers).
pub async fn target_columns(target: &PgPool, table: &str) -> Sql<Vec<TargetColumn>> {
    let columns: Vec<(String, String)> = sqlx::query_as(
        "SELECT column_name::text, data_type::text FROM information_schema.columns
          WHERE table_schema = 'public' AND table_name = $1 AND column_name <> 'search_document'
          ORDER BY ordinal_position",
    )
    .bind(table)
    .fetch_all(target)
    .await?;
    Ok(columns.into_iter().map(|(name, data_type)| TargetColumn { name, data_type }).collect())
}

/// The first of `tables` that already holds rows, with its row count.
pub async fn first_non_empty(target: &PgPool, tables: &[String]) -> Sql<Option<(String, i64)>> {
    for table in tables {
        let rows: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {}", quoted(table)))
            .fetch_one(target)
            .await?;
        if rows > 0 {
            return Ok(Some((table.clone(), rows)));
        }
    }
    Ok(None)
}

/// How many rows `table` has.
pub async fn count_sqlite(source: &SqlitePool, table: &str) -> Sql<i64> {
    sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {}", quoted(table))).fetch_one(source).await
}

/// How many rows `table` has.
pub async fn count_postgres(target: &PgPool, table: &str) -> Sql<i64> {
    sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {}", quoted(table))).fetch_one(target).await
}

/// Copies every row of `table` from `source` into `target` (inside the caller's
/// transaction); returns how many. Rows go in id order where the table has ids, so a
/// row that points to an earlier row of its own table (a reply, a sub-goal, a ledger
/// state change) finds it there.
pub async fn copy_table(
    source: &SqlitePool,
    target: &mut PgConnection,
    table: &str,
    columns: &[TargetColumn],
) -> Sql<u64> {
    let names = columns.iter().map(|c| quoted(&c.name)).collect::<Vec<_>>().join(", ");
    let order = if columns.iter().any(|c| c.name == "id") { " ORDER BY id" } else { "" };
    let select = format!("SELECT {names} FROM {}{order}", quoted(table));
    let mut rows = sqlx::query(&select).fetch(source);
    let mut batch: Vec<Vec<Value>> = Vec::with_capacity(ROWS_PER_INSERT);
    let mut copied = 0;
    while let Some(row) = rows.try_next().await? {
        let mut values = Vec::with_capacity(columns.len());
        for (index, column) in columns.iter().enumerate() {
            values.push(match column.data_type.as_str() {
                "bigint" => Value::Integer(row.try_get(index)?),
                "boolean" => Value::Boolean(row.try_get::<Option<i64>, _>(index)?.map(|n| n != 0)),
                "double precision" => Value::Real(row.try_get(index)?),
                "text" => Value::Text(row.try_get(index)?),
                "bytea" => Value::Bytes(row.try_get(index)?),
                other => {
                    return Err(sqlx::Error::Protocol(format!(
                        "{table}.{}: no copy for the PostgreSQL type {other}",
                        column.name
                    )));
                }
            });
        }
        batch.push(values);
        if batch.len() == ROWS_PER_INSERT {
            copied += insert_batch(target, table, &names, std::mem::take(&mut batch)).await?;
        }
    }
    if !batch.is_empty() {
        copied += insert_batch(target, table, &names, batch).await?;
    }
    Ok(copied)
}

async fn insert_batch(
    target: &mut PgConnection,
    table: &str,
    names: &str,
    rows: Vec<Vec<Value>>,
) -> Sql<u64> {
    let mut insert: QueryBuilder<Postgres> =
        QueryBuilder::new(format!("INSERT INTO {} ({names}) ", quoted(table)));
    insert.push_values(rows, |mut row, values| {
        for value in values {
            match value {
                Value::Integer(v) => row.push_bind(v),
                Value::Boolean(v) => row.push_bind(v),
                Value::Real(v) => row.push_bind(v),
                Value::Text(v) => row.push_bind(v),
                Value::Bytes(v) => row.push_bind(v),
            };
        }
    });
    Ok(insert.build().execute(target).await?.rows_affected())
}

/// Moves every identity column's sequence past the highest id copied.
pub async fn continue_identities(target: &mut PgConnection) -> Sql<()> {
    let identities: Vec<(String, String)> = sqlx::query_as(
        "SELECT table_name::text, column_name::text FROM information_schema.columns
          WHERE table_schema = 'public' AND is_identity = 'YES'",
    )
    .fetch_all(&mut *target)
    .await?;
    for (table, column) in identities {
        sqlx::query(&format!(
            "SELECT setval(pg_get_serial_sequence($1, $2), COALESCE(MAX({}), 0) + 1, false) FROM {}",
            quoted(&column),
            quoted(&table)
        ))
        .bind(&table)
        .bind(&column)
        .execute(&mut *target)
        .await?;
    }
    Ok(())
}

/// Gathers the planner's statistics and marks the pages all-visible, as after any bulk
/// load: without it the first queries on the copy are planned blind and read the heap
/// for rows an index already answers (until autovacuum gets round to the tables).
pub async fn analyze(target: &PgPool) -> Sql<()> {
    sqlx::query("VACUUM (ANALYZE)").execute(target).await?;
    Ok(())
}

/// The triggers that keep data derived from other rows: (table, trigger). A copy
/// switches them off (see [`set_triggers`]) and copies what they keep as it is:
/// - the impact version bumps: each fires an update of the same community row, and
///   inside one transaction every such update walks all the row's earlier versions, so
///   copying n ledger entries costs n² steps;
/// - the tally of verified work (`member_work_days`): it is copied with its table, and
///   counting each contribution again as it arrives would double it.
pub async fn derived_triggers(target: &mut PgConnection) -> Sql<Vec<(String, String)>> {
    sqlx::query_as(
        "SELECT c.relname::text, t.tgname::text
           FROM pg_trigger t
           JOIN pg_class c ON c.oid = t.tgrelid
           JOIN pg_namespace n ON n.oid = c.relnamespace
           JOIN pg_proc f ON f.oid = t.tgfoid
          WHERE NOT t.tgisinternal AND n.nspname = current_schema()
            AND (f.proname LIKE 'kindred\\_bump\\_impact\\_version%' OR f.proname = 'kindred_tally_work')
          ORDER BY 1, 2",
    )
    .fetch_all(&mut *target)
    .await
}

/// Switches `triggers` off or back on, inside the caller's transaction (so a copy that
/// fails half-way leaves them as they were).
pub async fn set_triggers(
    target: &mut PgConnection,
    triggers: &[(String, String)],
    enabled: bool,
) -> Sql<()> {
    let switch = if enabled { "ENABLE" } else { "DISABLE" };
    for (table, trigger) in triggers {
        sqlx::query(&format!("ALTER TABLE {} {switch} TRIGGER {}", quoted(table), quoted(trigger)))
            .execute(&mut *target)
            .await?;
    }
    Ok(())
}

/// Each community's impact version in the source: (community, version).
pub async fn impact_versions(source: &SqlitePool) -> Sql<Vec<(i64, i64)>> {
    sqlx::query_as("SELECT id, impact_version FROM communities ORDER BY id").fetch_all(source).await
}

/// Puts back the impact versions the source had (the copy leaves them at the start value).
pub async fn restore_impact_versions(
    target: &mut PgConnection,
    versions: &[(i64, i64)],
) -> Sql<()> {
    for (community, version) in versions {
        sqlx::query("UPDATE communities SET impact_version = $1 WHERE id = $2")
            .bind(version)
            .bind(community)
            .execute(&mut *target)
            .await?;
    }
    Ok(())
}

/// `name` as an SQL identifier (table and column names come from the schema, not from
/// people, but quoting keeps a reserved word such as `position` or `level` safe).
fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}
