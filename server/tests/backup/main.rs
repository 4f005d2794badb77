//! `server backup` and `server restore`: a consistent copy taken while writes continue,
//! checked on the way out and on the way in; damaged files and live databases refused.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../common/mod.rs"]
mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use common::TestApp;
use server::backup;

/// Creates a goal in `slug` as its founder and returns its id.
async fn goal(app: &TestApp, slug: &str, founder: &str) -> String {
    let created =
        common::create_goal(app, slug, founder, "Bags collected", "bags", "1000", "", "1").await;
    assert!(created.is_success(), "{created}");
    common::scalar(app, "SELECT MAX(id) FROM goals").await.to_string()
}

async fn count(url: &str, sql: &str) -> i64 {
    let pool = app::db::connect(url).await.unwrap();
    let n = sqlx::query_scalar(sql).fetch_one(&pool).await.unwrap();
    pool.close().await;
    n
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_under_write_load_is_whole_and_restores() {
    let app = Arc::new(TestApp::new().await);
    let ada = app.sign_up("ada").await;
    let slug = common::found(&app, &ada, "River Keepers", "public", "open").await;
    let goal = goal(&app, &slug, &ada).await;
    for _ in 0..5 {
        common::log_contribution(&app, &slug, &ada, &goal, "", "2", "").await.assert_ok();
    }

    // Writers keep logging contributions while the backup runs.
    let stop = Arc::new(AtomicBool::new(false));
    let acknowledged = Arc::new(AtomicUsize::new(5));
    let writers: Vec<_> = (0..4)
        .map(|_| {
            let (app, slug, ada, goal) = (app.clone(), slug.clone(), ada.clone(), goal.clone());
            let (stop, acknowledged) = (stop.clone(), acknowledged.clone());
            tokio::spawn(async move {
                while !stop.load(Ordering::Relaxed) {
                    let answer =
                        common::log_contribution(&app, &slug, &ada, &goal, "", "1", "").await;
                    if answer.status.is_success() {
                        acknowledged.fetch_add(1, Ordering::Relaxed);
                    }
                }
            })
        })
        .collect();
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    let before = acknowledged.load(Ordering::Relaxed);
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("backups").join("kindred-backup.db");
    let checked = backup::backup(&app.url, &copy).await.expect("backup under load");
    let after = acknowledged.load(Ordering::Relaxed);
    stop.store(true, Ordering::Relaxed);
    for writer in writers {
        writer.await.unwrap();
    }

    // The copy holds a prefix of the acknowledged writes: at least those acknowledged
    // before it started, at most those acknowledged by the time it finished.
    let copy_url = format!("sqlite://{}", copy.display());
    let in_copy = count(&copy_url, "SELECT COUNT(*) FROM contributions").await as usize;
    assert!(in_copy >= before && in_copy <= after, "{before} <= {in_copy} <= {after}");
    assert!(after > before, "writes continued while the backup ran");
    let entries = count(&copy_url, "SELECT COUNT(*) FROM ledger_entries").await as usize;
    assert_eq!(checked.ledger_entries, entries);
    assert!(entries >= in_copy, "every contribution has its ledger entry");
    assert_eq!(checked.communities, 1);

    // A backup never overwrites a file.
    let again = backup::backup(&app.url, &copy).await.unwrap_err();
    assert!(again.to_string().contains("already exists"), "{again}");

    // Restoring onto a database a server is running on is refused, and leaves it alone.
    let live = dir.path().join("live.db");
    let live_url = format!("sqlite://{}", live.display());
    std::fs::copy(&copy, &live).unwrap();
    let server_lock = backup::ServeLock::acquire(&live).unwrap();
    let refused = backup::restore(&live_url, &copy).await.unwrap_err();
    assert!(format!("{refused:#}").contains("another Kindred server"), "{refused:#}");
    drop(server_lock);

    // With the server stopped, the restore goes through and keeps the old file aside.
    let restored = backup::restore(&live_url, &copy).await.expect("restore");
    assert_eq!(restored, checked);
    assert!(dir.path().join("live.db.before-restore").exists());
    let in_restored = count(&live_url, "SELECT COUNT(*) FROM contributions").await as usize;
    assert_eq!(in_restored, in_copy);

    // A fresh server starts on the restored file and serves its work.
    let restarted_pool = app::db::connect(&live_url).await.unwrap();
    assert!(
        app::services::ledger::verify_database(&app::db::Pool::from(restarted_pool.clone()))
            .await
            .is_ok()
    );
}

#[tokio::test]
async fn a_damaged_or_foreign_file_is_never_restored() {
    let app = TestApp::new().await;
    let ada = app.sign_up("ada").await;
    let slug = common::found(&app, &ada, "River Keepers", "public", "open").await;
    let goal = goal(&app, &slug, &ada).await;
    for _ in 0..30 {
        common::log_contribution(&app, &slug, &ada, &goal, "", "2", "").await.assert_ok();
    }
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.db");
    backup::backup(&app.url, &good).await.unwrap();
    let target = dir.path().join("target.db");
    let target_url = format!("sqlite://{}", target.display());
    std::fs::write(&target, b"not touched").unwrap();

    // Bytes scribbled over the middle of the file.
    let mut bytes = std::fs::read(&good).unwrap();
    let middle = bytes.len() / 2;
    for byte in &mut bytes[middle..middle + 4096] {
        *byte ^= 0x5a;
    }
    let damaged = dir.path().join("damaged.db");
    std::fs::write(&damaged, &bytes).unwrap();
    assert!(backup::restore(&target_url, &damaged).await.is_err());

    // A truncated copy.
    let truncated = dir.path().join("truncated.db");
    std::fs::write(&truncated, &std::fs::read(&good).unwrap()[..8192]).unwrap();
    assert!(backup::restore(&target_url, &truncated).await.is_err());

    // A healthy SQLite file that is not Kindred's.
    let foreign = dir.path().join("foreign.db");
    let pool = app::db::connect(&format!("sqlite://{}", foreign.display())).await.unwrap();
    sqlx::query("CREATE TABLE notes (body TEXT)").execute(&pool).await.unwrap();
    pool.close().await;
    let refused = backup::restore(&target_url, &foreign).await.unwrap_err();
    assert!(format!("{refused:#}").contains("not a Kindred database"), "{refused:#}");

    // A ledger edited behind Kindred's back.
    let forged = dir.path().join("forged.db");
    std::fs::copy(&good, &forged).unwrap();
    let pool = app::db::connect(&format!("sqlite://{}", forged.display())).await.unwrap();
    // A forger with the file drops the append-only trigger first.
    sqlx::query("DROP TRIGGER ledger_no_update").execute(&pool).await.unwrap();
    sqlx::query("UPDATE ledger_entries SET quantity = 40 WHERE id = 1")
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
    let refused = backup::restore(&target_url, &forged).await.unwrap_err();
    assert!(format!("{refused:#}").contains("ledger"), "{refused:#}");

    assert_eq!(std::fs::read(&target).unwrap(), b"not touched", "the target was left alone");
}
