//! The SQLite and PostgreSQL migrations describe one schema: the same tables with the
//! same columns (type, nullability, primary key), foreign keys, indexes and triggers.
//! A migration added to one folder and not the other, or written differently, fails here.
//!
//! The differences that are meant are listed, not guessed: SQLite's full-text search is
//! an FTS5 table beside `posts` and `resources` (with its shadow tables and three sync
//! triggers each), PostgreSQL's a `search_document` column with a GIN index and one
//! trigger; PostgreSQL's live-event log rings the fleet's doorbell (`NOTIFY`) from a
//! trigger, where SQLite's one instance hears its own writer; and SQLite's
//! `INTEGER … CHECK (x IN (0, 1))` is PostgreSQL's `BOOLEAN`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::{BTreeMap, BTreeSet};

use sqlx::{Row, SqlitePool};

/// What one column is, in terms both engines share.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Column {
    name: String,
    kind: &'static str,
    not_null: bool,
    primary_key: bool,
}

/// A whole schema, in comparable form.
#[derive(Debug, Default, PartialEq)]
struct Schema {
    tables: BTreeMap<String, BTreeSet<Column>>,
    /// (table, column) → (referenced table, referenced column, on delete)
    foreign_keys: BTreeSet<(String, String, String, String, String)>,
    /// name → (table, columns in order, unique)
    indexes: BTreeMap<String, (String, Vec<String>, bool)>,
    /// (table, trigger)
    triggers: BTreeSet<(String, String)>,
}

/// SQLite's FTS5 tables and their shadow tables: PostgreSQL keeps search in a column.
fn is_sqlite_search_table(name: &str) -> bool {
    name.starts_with("post_search") || name.starts_with("resource_search")
}

const SEARCH_TRIGGERS_SQLITE: [&str; 6] = [
    "posts_search_insert",
    "posts_search_update",
    "posts_search_delete",
    "resources_search_insert",
    "resources_search_update",
    "resources_search_delete",
];
const SEARCH_TRIGGERS_POSTGRES: [&str; 2] = ["posts_search", "resources_search"];
/// PostgreSQL-only triggers that are not about search.
const DOORBELL_TRIGGERS_POSTGRES: [&str; 1] = ["live_events_doorbell"];
const SEARCH_INDEXES_POSTGRES: [&str; 2] = ["posts_search", "resources_search"];

fn sqlite_kind(declared: &str, is_boolean: bool) -> &'static str {
    match declared.to_ascii_uppercase().as_str() {
        "INTEGER" if is_boolean => "boolean",
        "INTEGER" => "integer",
        "REAL" => "real",
        "TEXT" => "text",
        "BLOB" => "blob",
        other => panic!("a SQLite column of type {other:?}: map it in schema_parity.rs"),
    }
}

fn postgres_kind(declared: &str) -> &'static str {
    match declared {
        "bigint" => "integer",
        "boolean" => "boolean",
        "double precision" => "real",
        "text" => "text",
        "bytea" => "blob",
        other => panic!(
            "a PostgreSQL column of type {other:?}: use BIGINT, DOUBLE PRECISION, BOOLEAN, TEXT or BYTEA"
        ),
    }
}

fn on_delete(action: &str) -> String {
    match action {
        "a" | "NO ACTION" => "no action",
        "c" | "CASCADE" => "cascade",
        "n" | "SET NULL" => "set null",
        "r" | "RESTRICT" => "restrict",
        "d" | "SET DEFAULT" => "set default",
        other => panic!("unknown ON DELETE action {other:?}"),
    }
    .to_owned()
}

async fn sqlite_schema(pool: &SqlitePool) -> Schema {
    let mut schema = Schema::default();
    let tables: Vec<(String, String)> = sqlx::query_as(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
         AND name <> '_sqlx_migrations' ORDER BY name",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    let compact = |text: &str| text.split_whitespace().collect::<Vec<_>>().join(" ");
    for (table, sql) in tables.into_iter().filter(|(name, _)| !is_sqlite_search_table(name)) {
        let sql = compact(&sql);
        let mut columns = BTreeSet::new();
        for row in sqlx::query(&format!(
            "SELECT name, type, \"notnull\", pk FROM pragma_table_info('{table}')"
        ))
        .fetch_all(pool)
        .await
        .unwrap()
        {
            let name: String = row.get(0);
            let primary_key = row.get::<i64, _>(3) > 0;
            let is_boolean = sql.contains(&format!("CHECK ({name} IN (0, 1))"));
            columns.insert(Column {
                kind: sqlite_kind(&row.get::<String, _>(1), is_boolean),
                not_null: row.get::<i64, _>(2) == 1 || primary_key,
                primary_key,
                name,
            });
        }
        for row in sqlx::query(&format!(
            "SELECT \"from\", \"table\", \"to\", on_delete FROM pragma_foreign_key_list('{table}')"
        ))
        .fetch_all(pool)
        .await
        .unwrap()
        {
            schema.foreign_keys.insert((
                table.clone(),
                row.get(0),
                row.get(1),
                row.get(2),
                on_delete(&row.get::<String, _>(3)),
            ));
        }
        schema.tables.insert(table, columns);
    }
    let indexes: Vec<(String, String)> = sqlx::query_as(
        "SELECT name, tbl_name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    for (name, table) in indexes {
        let columns: Vec<String> = sqlx::query_scalar(&format!(
            "SELECT name FROM pragma_index_info('{name}') ORDER BY seqno"
        ))
        .fetch_all(pool)
        .await
        .unwrap();
        let unique: i64 = sqlx::query_scalar(&format!(
            "SELECT \"unique\" FROM pragma_index_list('{table}') WHERE name = '{name}'"
        ))
        .fetch_one(pool)
        .await
        .unwrap();
        schema.indexes.insert(name, (table, columns, unique == 1));
    }
    let triggers: Vec<(String, String)> =
        sqlx::query_as("SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger'")
            .fetch_all(pool)
            .await
            .unwrap();
    schema.triggers = triggers
        .into_iter()
        .filter(|(_, name)| !SEARCH_TRIGGERS_SQLITE.contains(&name.as_str()))
        .collect();
    schema
}

async fn postgres_schema(pool: &sqlx::PgPool) -> Schema {
    let mut schema = Schema::default();
    let columns: Vec<(String, String, String, String, bool)> = sqlx::query_as(
        "SELECT c.table_name::text, c.column_name::text, c.data_type::text, c.is_nullable::text,
                EXISTS (SELECT 1 FROM information_schema.table_constraints t
                          JOIN information_schema.key_column_usage k
                            ON k.constraint_name = t.constraint_name AND k.table_name = t.table_name
                         WHERE t.constraint_type = 'PRIMARY KEY' AND t.table_name = c.table_name
                           AND k.column_name = c.column_name)
           FROM information_schema.columns c
           JOIN information_schema.tables t ON t.table_name = c.table_name AND t.table_schema = c.table_schema
          WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
            AND c.table_name <> '_sqlx_migrations'",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    for (table, name, kind, nullable, primary_key) in columns {
        if name == "search_document" {
            assert!(
                table == "posts" || table == "resources",
                "{table}.search_document: only posts and resources are searched"
            );
            assert_eq!(kind, "tsvector", "{table}.search_document");
            continue;
        }
        schema.tables.entry(table).or_default().insert(Column {
            kind: postgres_kind(&kind),
            not_null: nullable == "NO",
            primary_key,
            name,
        });
    }
    let foreign_keys: Vec<(String, String, String, String, String)> = sqlx::query_as(
        "SELECT cl.relname::text, a.attname::text, rc.relname::text, ra.attname::text, c.confdeltype::text
           FROM pg_constraint c
           JOIN pg_class cl ON cl.oid = c.conrelid
           JOIN pg_class rc ON rc.oid = c.confrelid
           JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
           JOIN pg_attribute ra ON ra.attrelid = c.confrelid AND ra.attnum = c.confkey[1]
          WHERE c.contype = 'f' AND cl.relnamespace = 'public'::regnamespace",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    schema.foreign_keys = foreign_keys
        .into_iter()
        .map(|(table, from, to_table, to, action)| (table, from, to_table, to, on_delete(&action)))
        .collect();
    // Indexes Kindred named, not the ones backing a primary key or a UNIQUE constraint.
    let indexes: Vec<(String, String, Vec<String>, bool)> = sqlx::query_as(
        "SELECT i.relname::text, t.relname::text,
                array_agg(a.attname::text ORDER BY k.n), x.indisunique
           FROM pg_index x
           JOIN pg_class i ON i.oid = x.indexrelid
           JOIN pg_class t ON t.oid = x.indrelid
           CROSS JOIN LATERAL unnest(x.indkey) WITH ORDINALITY AS k(attnum, n)
           JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
          WHERE t.relnamespace = 'public'::regnamespace
            AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
          GROUP BY i.relname, t.relname, x.indisunique",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    for (name, table, columns, unique) in indexes {
        if !SEARCH_INDEXES_POSTGRES.contains(&name.as_str()) {
            schema.indexes.insert(name, (table, columns, unique));
        }
    }
    let triggers: Vec<(String, String)> = sqlx::query_as(
        "SELECT DISTINCT event_object_table::text, trigger_name::text
           FROM information_schema.triggers WHERE trigger_schema = 'public'",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    schema.triggers = triggers
        .into_iter()
        .filter(|(_, name)| {
            !SEARCH_TRIGGERS_POSTGRES.contains(&name.as_str())
                && !DOORBELL_TRIGGERS_POSTGRES.contains(&name.as_str())
        })
        .collect();
    schema
}

/// The first difference between the two, named so a reader knows which file to fix.
fn first_difference(sqlite: &Schema, postgres: &Schema) -> Option<String> {
    let names = |s: &Schema| s.tables.keys().cloned().collect::<BTreeSet<_>>();
    if names(sqlite) != names(postgres) {
        return Some(format!(
            "tables only in SQLite: {:?}; only in PostgreSQL: {:?}",
            names(sqlite).difference(&names(postgres)).collect::<Vec<_>>(),
            names(postgres).difference(&names(sqlite)).collect::<Vec<_>>()
        ));
    }
    for (table, columns) in &sqlite.tables {
        let other = &postgres.tables[table];
        if columns != other {
            return Some(format!(
                "{table}: columns only in SQLite's form: {:?}; only in PostgreSQL's: {:?}",
                columns.difference(other).collect::<Vec<_>>(),
                other.difference(columns).collect::<Vec<_>>()
            ));
        }
    }
    if sqlite.foreign_keys != postgres.foreign_keys {
        return Some(format!(
            "foreign keys only in SQLite: {:?}; only in PostgreSQL: {:?}",
            sqlite.foreign_keys.difference(&postgres.foreign_keys).collect::<Vec<_>>(),
            postgres.foreign_keys.difference(&sqlite.foreign_keys).collect::<Vec<_>>()
        ));
    }
    if sqlite.indexes != postgres.indexes {
        let differing: Vec<_> = sqlite
            .indexes
            .keys()
            .chain(postgres.indexes.keys())
            .filter(|name| sqlite.indexes.get(*name) != postgres.indexes.get(*name))
            .map(|name| (name, sqlite.indexes.get(name), postgres.indexes.get(name)))
            .collect();
        return Some(format!("indexes differ (name, SQLite, PostgreSQL): {differing:?}"));
    }
    if sqlite.triggers != postgres.triggers {
        return Some(format!(
            "triggers only in SQLite: {:?}; only in PostgreSQL: {:?}",
            sqlite.triggers.difference(&postgres.triggers).collect::<Vec<_>>(),
            postgres.triggers.difference(&sqlite.triggers).collect::<Vec<_>>()
        ));
    }
    None
}

async fn migrated_sqlite() -> (tempfile::TempDir, SqlitePool) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("schema.db").display());
    let pool = app::db::connect(&url).await.unwrap();
    app::db::migrate(&pool).await.unwrap();
    (dir, pool)
}

#[tokio::test]
async fn both_migration_sets_describe_the_same_schema() {
    let (_dir, sqlite) = migrated_sqlite().await;
    let postgres = common::postgres::fresh_database().await;
    app::db::POSTGRES_MIGRATOR.run(&postgres.pool).await.unwrap();

    let (sqlite, postgres) = (sqlite_schema(&sqlite).await, postgres_schema(&postgres.pool).await);
    assert!(sqlite.tables.len() >= 50, "read {} tables from SQLite", sqlite.tables.len());
    assert!(
        !sqlite.indexes.is_empty()
            && !sqlite.foreign_keys.is_empty()
            && !sqlite.triggers.is_empty()
    );
    if let Some(difference) = first_difference(&sqlite, &postgres) {
        panic!(
            "the migrations in migrations/sqlite and migrations/postgres have drifted: {difference}"
        );
    }
}

#[tokio::test]
async fn the_comparison_notices_a_missing_column_and_a_changed_nullability() {
    let (_dir, sqlite) = migrated_sqlite().await;
    let postgres = common::postgres::fresh_database().await;
    app::db::POSTGRES_MIGRATOR.run(&postgres.pool).await.unwrap();
    let sqlite = sqlite_schema(&sqlite).await;

    sqlx::query("ALTER TABLE kudos DROP COLUMN hidden_reason")
        .execute(&postgres.pool)
        .await
        .unwrap();
    let difference = first_difference(&sqlite, &postgres_schema(&postgres.pool).await)
        .expect("a dropped column is a difference");
    assert!(difference.contains("kudos") && difference.contains("hidden_reason"), "{difference}");

    sqlx::query("ALTER TABLE kudos ADD COLUMN hidden_reason TEXT NOT NULL DEFAULT ''")
        .execute(&postgres.pool)
        .await
        .unwrap();
    assert_eq!(first_difference(&sqlite, &postgres_schema(&postgres.pool).await), None);

    sqlx::query("ALTER TABLE goals ALTER COLUMN deadline SET NOT NULL")
        .execute(&postgres.pool)
        .await
        .unwrap();
    let difference = first_difference(&sqlite, &postgres_schema(&postgres.pool).await)
        .expect("a column that is NOT NULL on one side only is a difference");
    assert!(difference.contains("goals") && difference.contains("deadline"), "{difference}");
}

#[tokio::test]
async fn migrating_twice_at_once_applies_each_migration_once() {
    let postgres = common::postgres::fresh_database().await;
    // Two instances starting together: sqlx's advisory lock lets one migrate, the other wait.
    let (first, second) = tokio::join!(
        app::db::POSTGRES_MIGRATOR.run(&postgres.pool),
        app::db::POSTGRES_MIGRATOR.run(&postgres.pool)
    );
    first.unwrap();
    second.unwrap();
    let applied: i64 = sqlx::query_scalar("SELECT count(*) FROM _sqlx_migrations")
        .fetch_one(&postgres.pool)
        .await
        .unwrap();
    assert_eq!(applied, app::db::POSTGRES_MIGRATOR.iter().count() as i64);
}
