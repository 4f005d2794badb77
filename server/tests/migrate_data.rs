//! `server migrate-data`: a running community network's SQLite database, copied into
//! PostgreSQL, arrives whole — every row of every table the same, the ledger intact,
//! search documents made, ids continuing — and a target that holds data is refused.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::TestApp;
use common::postgres::fresh_database;
use sqlx::{PgPool, Row, SqlitePool};

/// Every row of `table`, each as comparable text, sorted; `cell` reads one value as the
/// PostgreSQL column's type wants it (SQLite's 0/1 are read as booleans).
fn comparable<R: Row>(
    rows: &[R],
    columns: &[(String, String)],
    cell: impl Fn(&R, usize, &str) -> String,
) -> Vec<String> {
    let mut out: Vec<String> = rows
        .iter()
        .map(|row| {
            let cells = columns.iter().enumerate().map(|(i, (_, kind))| cell(row, i, kind));
            cells.collect::<Vec<_>>().join(" | ")
        })
        .collect();
    out.sort();
    out
}

fn select_all(table: &str, columns: &[(String, String)]) -> String {
    let names = columns.iter().map(|(n, _)| format!("\"{n}\"")).collect::<Vec<_>>().join(", ");
    format!("SELECT {names} FROM \"{table}\"")
}

async fn rows_sqlite(pool: &SqlitePool, table: &str, columns: &[(String, String)]) -> Vec<String> {
    let rows = sqlx::query(&select_all(table, columns)).fetch_all(pool).await.unwrap();
    comparable(&rows, columns, |row, i, kind| match kind {
        "bigint" => format!("{:?}", row.get::<Option<i64>, _>(i)),
        "boolean" => format!("{:?}", row.get::<Option<i64>, _>(i).map(|n| n != 0)),
        "double precision" => format!("{:?}", row.get::<Option<f64>, _>(i)),
        "text" => format!("{:?}", row.get::<Option<String>, _>(i)),
        "bytea" => format!("{:?}", row.get::<Option<Vec<u8>>, _>(i)),
        other => panic!("{table}: type {other}"),
    })
}

async fn rows_postgres(pool: &PgPool, table: &str, columns: &[(String, String)]) -> Vec<String> {
    let rows = sqlx::query(&select_all(table, columns)).fetch_all(pool).await.unwrap();
    comparable(&rows, columns, |row, i, kind| match kind {
        "bigint" => format!("{:?}", row.get::<Option<i64>, _>(i)),
        "boolean" => format!("{:?}", row.get::<Option<bool>, _>(i)),
        "double precision" => format!("{:?}", row.get::<Option<f64>, _>(i)),
        "text" => format!("{:?}", row.get::<Option<String>, _>(i)),
        "bytea" => format!("{:?}", row.get::<Option<Vec<u8>>, _>(i)),
        other => panic!("{table}: type {other}"),
    })
}

/// One number the target answers (a count, a highest id).
async fn number(pool: &PgPool, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(pool).await.unwrap()
}

#[tokio::test]
async fn a_running_demo_network_moves_to_postgres_whole() {
    // The source keeps serving while it is copied.
    let source = TestApp::with(|config| config.demo = true).await;
    let target = fresh_database().await;
    let scratch = tempfile::tempdir().unwrap();

    let moved =
        server::migrate_data::migrate_data(&source.url, &target.url, scratch.path()).await.unwrap();
    assert!(moved.rows() > 100, "the demo has more than a hundred rows: {moved:?}");
    assert!(moved.communities >= 1 && moved.ledger_entries >= 5, "{moved:?}");

    // Every table, row for row.
    let mut tables_with_rows = 0;
    for (table, copied) in &moved.tables {
        let columns: Vec<(String, String)> = sqlx::query_as(
            "SELECT column_name::text, data_type::text FROM information_schema.columns
              WHERE table_schema = 'public' AND table_name = $1 AND column_name <> 'search_document'
              ORDER BY ordinal_position",
        )
        .bind(table)
        .fetch_all(&target.pool)
        .await
        .unwrap();
        let here = rows_sqlite(source.sqlite(), table, &columns).await;
        let there = rows_postgres(&target.pool, table, &columns).await;
        assert_eq!(here.len() as u64, *copied, "{table}");
        assert_eq!(here, there, "{table} differs after the copy");
        tables_with_rows += usize::from(!here.is_empty());
    }
    assert!(tables_with_rows >= 20, "the demo fills most tables; {tables_with_rows} had rows");

    // Search documents were made as rows arrived: a word of the first post finds it.
    let (post, body): (i64, String) =
        sqlx::query_as("SELECT id, body_source FROM posts ORDER BY id LIMIT 1")
            .fetch_one(source.sqlite())
            .await
            .unwrap();
    let word = body
        .split(|c: char| !c.is_alphanumeric())
        .find(|w| w.chars().count() >= 5)
        .expect("the first demo post has a long word")
        .to_lowercase();
    let found: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM posts WHERE search_document @@ websearch_to_tsquery('kindred_search', $1)",
    )
    .bind(&word)
    .fetch_all(&target.pool)
    .await
    .unwrap();
    assert!(found.contains(&post), "searching {word:?} on the copy finds post {post}: {found:?}");

    // The copy was analyzed: the planner has statistics before the first request.
    let analyzed = number(
        &target.pool,
        "SELECT COUNT(*) FROM pg_stat_user_tables
          WHERE relname IN ('posts', 'users', 'ledger_entries') AND last_analyze IS NOT NULL",
    )
    .await;
    assert_eq!(analyzed, 3, "posts, users and the ledger were analyzed after the copy");

    // The impact triggers, off during the copy, are on again: a changed goal bumps its
    // community's impact version, so a cached impact report is not reused stale.
    let disabled = number(
        &target.pool,
        "SELECT COUNT(*) FROM pg_trigger WHERE NOT tgisinternal AND tgenabled = 'D'",
    )
    .await;
    assert_eq!(disabled, 0, "every trigger is enabled after the copy");
    let (goal, community): (i64, i64) =
        sqlx::query_as("SELECT id, community_id FROM goals ORDER BY id LIMIT 1")
            .fetch_one(&target.pool)
            .await
            .unwrap();
    let version = || {
        sqlx::query_scalar::<_, i64>("SELECT impact_version FROM communities WHERE id = $1")
            .bind(community)
            .fetch_one(&target.pool)
    };
    let before = version().await.unwrap();
    sqlx::query("UPDATE goals SET title = title || '!' WHERE id = $1")
        .bind(goal)
        .execute(&target.pool)
        .await
        .unwrap();
    assert_eq!(version().await.unwrap(), before + 1, "a goal change bumps the impact version");

    // New rows continue the numbering instead of colliding with copied ids.
    let highest = number(&target.pool, "SELECT MAX(id) FROM users").await;
    let next: i64 = sqlx::query_scalar(
        "INSERT INTO users (handle, display_name, email, password_hash)
         VALUES ('newcomer', 'Newcomer', 'newcomer@example.org', 'x') RETURNING id",
    )
    .fetch_one(&target.pool)
    .await
    .unwrap();
    assert!(next > highest, "a new user gets id {next}, after {highest}");
    let users_before = number(&target.pool, "SELECT COUNT(*) FROM users").await;

    // A second copy into the now-filled database is refused, and changes nothing.
    let refused = server::migrate_data::migrate_data(&source.url, &target.url, scratch.path())
        .await
        .expect_err("a non-empty target is refused");
    assert!(refused.to_string().contains("already holds data"), "{refused:#}");
    let users = number(&target.pool, "SELECT COUNT(*) FROM users").await;
    assert_eq!(users, users_before, "nothing was added by the refused copy");
    assert_eq!(std::fs::read_dir(scratch.path()).unwrap().count(), 0, "the snapshot is removed");
}

#[tokio::test]
async fn a_tampered_ledger_is_caught_before_anything_is_copied() {
    let source = TestApp::with(|config| config.demo = true).await;
    // Rewrite history behind the app's back (the append-only triggers refuse an UPDATE,
    // so drop them first, as an attacker with the file would).
    sqlx::query("DROP TRIGGER ledger_no_update").execute(source.sqlite()).await.unwrap();
    sqlx::query(
        "UPDATE ledger_entries SET hours = 1000 WHERE id = (SELECT MIN(id) FROM ledger_entries)",
    )
    .execute(source.sqlite())
    .await
    .unwrap();
    let target = fresh_database().await;
    let scratch = tempfile::tempdir().unwrap();

    let refused = server::migrate_data::migrate_data(&source.url, &target.url, scratch.path())
        .await
        .expect_err("a tampered source is refused");
    assert!(format!("{refused:#}").contains("ledger"), "{refused:#}");
    let tables = number(
        &target.pool,
        "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public' AND table_name = 'users'",
    )
    .await;
    assert_eq!(tables, 0, "the target was not even migrated");
    assert_eq!(std::fs::read_dir(scratch.path()).unwrap().count(), 0, "the snapshot is removed");
}
