//! Migration 0027 rebuilds the ledger table (to drop the UNIQUE index on `hash`): on a
//! real SQLite file holding a community's ledger at version 26, every entry and
//! contribution comes through unchanged, every reference still holds, the chain still
//! verifies, the ledger is still append-only, and new contributions chain on.

use std::path::Path;

use chrono::Utc;
use sqlx::SqlitePool;
use sqlx::migrate::Migrator;

use crate::db::Pool;
use crate::db::writer::WriteQueue;
use crate::domain::community::{Community, Role, Standing};
use crate::domain::ids::UserId;
use crate::domain::impact::ContributionFacts;
use crate::fixtures::{TestDb, person, public_community};
use crate::services::contributions::{decide_contribution, log_contribution};

/// The version that rebuilds the ledger.
const REBUILD: i64 = 27;

/// A migrator holding the SQLite migrations before `version`, read from the same files
/// the binary embeds (so the full migrator later accepts what it applied).
async fn migrations_before(version: i64, scratch: &Path) -> Migrator {
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("../migrations/sqlite");
    for file in std::fs::read_dir(&source).unwrap() {
        let file = file.unwrap();
        let name = file.file_name().to_string_lossy().into_owned();
        let number: i64 = name.split('_').next().unwrap().parse().unwrap();
        if number < version {
            std::fs::copy(file.path(), scratch.join(&name)).unwrap();
        }
    }
    Migrator::new(scratch).await.unwrap()
}

/// Every ledger entry and contribution, each row as text, in id order.
async fn rows(pool: &SqlitePool) -> (Vec<String>, Vec<String>) {
    let ledger = sqlx::query_scalar(
        "SELECT id || '|' || community_id || '|' || kind || '|' || IFNULL(contribution_id, '-')
                || '|' || actor_id || '|' || description || '|' || done_on || '|'
                || IFNULL(quantity, '-') || '|' || IFNULL(hours, '-') || '|'
                || IFNULL(goal_id, '-') || '|' || note || '|' || created_at || '|'
                || prev_hash || '|' || hash
           FROM ledger_entries ORDER BY id",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    let contributions = sqlx::query_scalar(
        "SELECT id || '|' || author_id || '|' || status || '|' || done_on || '|'
                || IFNULL(hours, '-') || '|' || IFNULL(verified_at, '-')
           FROM contributions ORDER BY id",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    (ledger, contributions)
}

fn work(hours: f64) -> ContributionFacts {
    ContributionFacts {
        description: format!("Cleared {hours} hours of weir"),
        done_on: Utc::now().date_naive(),
        quantity: None,
        hours: Some(hours),
        goal_id: None,
        initiative_id: None,
        evidence_url: String::new(),
        note: String::new(),
    }
}

/// A community with a steward and a member, and three contributions: one verified, one
/// declined, one waiting.
async fn river_with_ledger(pool: &Pool, writes: &WriteQueue) -> (Community, UserId, UserId) {
    let (steward, member) = (person(pool, "steward").await, person(pool, "member").await);
    let community = public_community(pool, writes, ("River", "Care"), steward, &[member]).await;
    let standing = Standing::Member(Role::Owner);
    for (hours, fate) in [(2.0, Some(true)), (3.5, Some(false)), (1.0, None)] {
        let id = log_contribution(writes, &community, member, &work(hours), None).await.unwrap();
        if let Some(verified) = fate {
            decide_contribution(writes, &community, standing, steward, id, verified, "seen")
                .await
                .unwrap();
        }
    }
    (community, steward, member)
}

#[tokio::test]
async fn rebuilding_the_ledger_keeps_every_entry_reference_and_guard() {
    let db = TestDb::empty().await;
    let scratch = tempfile::tempdir().unwrap();
    let sqlite = db.sqlite.clone();
    migrations_before(REBUILD, scratch.path()).await.run(&sqlite).await.unwrap();
    let (pool, writes) = (db.pool(), db.writes().await);
    let (community, steward, member) = river_with_ledger(&pool, &writes).await;
    let before = rows(&sqlite).await;
    assert_eq!(before.0.len(), 5, "three reports and two decisions: {:?}", before.0);

    crate::db::migrate(&sqlite).await.unwrap();

    assert_eq!(rows(&sqlite).await, before, "every entry and contribution is unchanged");
    let broken: Vec<(String, i64)> =
        sqlx::query_as("SELECT \"table\", rowid FROM pragma_foreign_key_check")
            .fetch_all(&sqlite)
            .await
            .unwrap();
    assert!(broken.is_empty(), "references that no longer hold: {broken:?}");
    let indexes: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'index'
            AND tbl_name IN ('ledger_entries', 'contributions') ORDER BY name",
    )
    .fetch_all(&sqlite)
    .await
    .unwrap();
    assert!(!indexes.iter().any(|i| i.starts_with("sqlite_autoindex_ledger")), "{indexes:?}");
    assert!(!indexes.contains(&"contributions_by_author".to_owned()), "{indexes:?}");
    assert!(indexes.contains(&"ledger_by_community".to_owned()), "{indexes:?}");
    assert!(indexes.contains(&"ledger_by_contribution".to_owned()), "{indexes:?}");

    let tampered = sqlx::query("UPDATE ledger_entries SET hours = 99 WHERE id = 1")
        .execute(&sqlite)
        .await
        .unwrap_err();
    assert!(tampered.to_string().contains("append-only"), "{tampered}");
    let erased = sqlx::query("DELETE FROM ledger_entries").execute(&sqlite).await.unwrap_err();
    assert!(erased.to_string().contains("append-only"), "{erased}");

    // New work chains on from the rebuilt table's tip, and the whole chain verifies.
    let version: i64 = sqlx::query_scalar("SELECT impact_version FROM communities WHERE id = $1")
        .bind(community.id.0)
        .fetch_one(&sqlite)
        .await
        .unwrap();
    let id = log_contribution(&writes, &community, member, &work(4.0), None).await.unwrap();
    let standing = Standing::Member(Role::Owner);
    decide_contribution(&writes, &community, standing, steward, id, true, "seen").await.unwrap();
    let after: i64 = sqlx::query_scalar("SELECT impact_version FROM communities WHERE id = $1")
        .bind(community.id.0)
        .fetch_one(&sqlite)
        .await
        .unwrap();
    assert_eq!(after, version + 2, "each new entry still bumps the impact version");
    let verified = crate::services::ledger::verify_database(&pool).await.unwrap();
    assert_eq!(verified, vec![(community.id.0, 7)]);
}
