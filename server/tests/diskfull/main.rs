//! A full disk: writes are refused with a clear 503 and nothing half-written, reads keep
//! working, and writes work again once space is freed. The database lives on a small
//! tmpfs this test mounts (it runs as root, as CI does).
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../common/mod.rs"]
mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::TestApp;

/// A tmpfs of `megabytes`, unmounted when dropped.
struct SmallDisk {
    path: PathBuf,
    _parent: tempfile::TempDir,
}

impl SmallDisk {
    fn mount(megabytes: u32) -> SmallDisk {
        let parent = tempfile::tempdir().unwrap();
        let path = parent.path().join("small");
        std::fs::create_dir(&path).unwrap();
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={megabytes}m"), "tmpfs"])
            .arg(&path)
            .status()
            .expect("running mount");
        assert!(mounted.success(), "mounting a tmpfs needs root (CI runs as root)");
        SmallDisk { path, _parent: parent }
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.path).status();
    }
}

/// Writes a file until the disk refuses another byte.
fn fill(path: &Path) {
    let mut filler = std::fs::File::create(path).unwrap();
    let chunk = vec![0u8; 64 * 1024];
    while filler.write_all(&chunk).is_ok() {}
    let mut byte = [0u8; 1];
    while filler.write_all(&byte).is_ok() {
        byte[0] = byte[0].wrapping_add(1);
    }
}

#[tokio::test]
async fn a_full_disk_refuses_writes_with_503_and_recovers() {
    let _ = tracing_subscriber::fmt().with_env_filter("warn").with_test_writer().try_init();
    let disk = SmallDisk::mount(12);
    let db = disk.path.join("kindred.db");
    let app =
        TestApp::with(|config| config.database_url = format!("sqlite://{}", db.display())).await;
    let ada = app.sign_up("ada").await;
    let slug = common::found(&app, &ada, "River Keepers", "public", "open").await;
    let created = common::create_goal(&app, &slug, &ada, "Bags", "bags", "1000", "", "1").await;
    assert!(created.is_success());
    let goal = common::scalar(&app, "SELECT MAX(id) FROM goals").await.to_string();
    common::log_contribution(&app, &slug, &ada, &goal, "", "2", "").await.assert_ok();

    let filler = disk.path.join("filler");
    fill(&filler);
    let mut saved = 1;
    let mut refused = 0;
    for _ in 0..40 {
        let answer = common::log_contribution(&app, &slug, &ada, &goal, "", "2", "").await;
        match answer.status.as_u16() {
            200..=299 => saved += 1,
            503 => {
                assert_eq!(answer.json()["kind"], "StorageFull", "{}", answer.body);
                refused += 1;
            }
            other => panic!("a write on a full disk answered {other}: {}", answer.body),
        }
    }
    assert!(refused > 0, "the full disk refused no write");
    // Reads keep working.
    app.get(&format!("/c/{slug}"), Some(&ada)).await.assert_ok();
    app.get(&format!("/c/{slug}/impact"), Some(&ada)).await.assert_ok();

    // Space comes back, and so do writes.
    std::fs::remove_file(&filler).unwrap();
    for _ in 0..3 {
        common::log_contribution(&app, &slug, &ada, &goal, "", "2", "").await.assert_ok();
        saved += 1;
    }
    // Exactly the acknowledged writes are there, whole, and the file is sound.
    assert_eq!(common::scalar(&app, "SELECT COUNT(*) FROM contributions").await, saved);
    let integrity: String =
        sqlx::query_scalar("PRAGMA integrity_check").fetch_one(app.sqlite()).await.unwrap();
    assert_eq!(integrity, "ok");
    assert!(app::services::ledger::verify_database(&app.db).await.is_ok());
}
