//! Online backup and guarded restore of the SQLite database (`server backup`,
//! `server restore`), and the lock a serving instance holds so that a restore never
//! runs over a live database.
//!
//! A backup is `VACUUM INTO`: SQLite writes a consistent copy of one read snapshot
//! while the server keeps writing, and the copy is compacted and self-contained (no
//! WAL beside it). Every copy is checked before it is trusted — `integrity_check`,
//! `foreign_key_check` and every community's ledger chain — on the way out (backup)
//! and on the way in (restore).

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
use sqlx::{ConnectOptions, Connection, SqliteConnection, SqlitePool};

/// What checking a database file found: it is sound, and this much is in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    /// Ledger entries verified across every community.
    pub ledger_entries: usize,
    /// Communities whose chains were verified.
    pub communities: usize,
}

/// The database file a `sqlite:` URL names.
pub fn database_path(database_url: &str) -> anyhow::Result<PathBuf> {
    let options = app::db::connect_options(database_url)
        .with_context(|| format!("reading the database URL {database_url}"))?;
    Ok(options.get_filename().to_path_buf())
}

/// Held by a serving instance for as long as it runs: an exclusive advisory lock on
/// `<database>.lock`. The operating system releases it when the process ends, even
/// after `kill -9`, so a crashed server never blocks a restore.
#[derive(Debug)]
pub struct ServeLock {
    _file: File,
}

impl ServeLock {
    /// Takes the lock for the database at `path`; an error names the running holder.
    pub fn acquire(path: &Path) -> anyhow::Result<ServeLock> {
        let lock_path = lock_path(path);
        if let Some(parent) = lock_path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("creating {}", parent.display()))?;
        }
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .with_context(|| format!("opening {}", lock_path.display()))?;
        match file.try_lock() {
            Ok(()) => Ok(ServeLock { _file: file }),
            Err(TryLockError::WouldBlock) => bail!(
                "another Kindred server is using {} (it holds {})",
                path.display(),
                lock_path.display()
            ),
            Err(TryLockError::Error(error)) => {
                Err(error).with_context(|| format!("locking {}", lock_path.display()))
            }
        }
    }
}

fn lock_path(database: &Path) -> PathBuf {
    let mut name = database.as_os_str().to_owned();
    name.push(".lock");
    PathBuf::from(name)
}

/// Writes a consistent copy of the live database at `database_url` to `to` (which must
/// not exist) while writes continue, then checks the copy. Returns what the check found.
pub async fn backup(database_url: &str, to: &Path) -> anyhow::Result<Checked> {
    if to.exists() {
        bail!("{} already exists; choose a new file for the backup", to.display());
    }
    let source = database_path(database_url)?;
    if !source.exists() {
        bail!("there is no database at {}", source.display());
    }
    if let Some(parent) = to.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("creating {}", parent.display()))?;
    }
    let target = to.to_str().context("the backup path is not valid UTF-8")?;
    let mut connection = SqliteConnectOptions::new()
        .filename(&source)
        .read_only(true)
        .connect()
        .await
        .with_context(|| format!("opening {}", source.display()))?;
    sqlx::query("VACUUM INTO ?")
        .bind(target)
        .execute(&mut connection)
        .await
        .with_context(|| format!("copying the database into {}", to.display()))?;
    connection.close().await?;
    check(to).await.with_context(|| format!("the backup at {} failed its check", to.display()))
}

/// Checks a database file without changing it: SQLite's integrity and foreign-key
/// checks, then every community's ledger chain.
pub async fn check(file: &Path) -> anyhow::Result<Checked> {
    if !file.is_file() {
        bail!("{} is not a file", file.display());
    }
    let options = SqliteConnectOptions::new().filename(file).read_only(true);
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await
        .with_context(|| format!("opening {}", file.display()))?;
    let checked = check_pool(&pool).await;
    pool.close().await;
    checked
}

async fn check_pool(pool: &SqlitePool) -> anyhow::Result<Checked> {
    let integrity: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_all(pool)
        .await
        .context("not a readable SQLite database")?;
    if integrity != ["ok"] {
        bail!("integrity check failed: {}", integrity.join("; "));
    }
    let broken_keys: Vec<(String,)> =
        sqlx::query_as("SELECT \"table\" FROM pragma_foreign_key_check")
            .fetch_all(pool)
            .await
            .context("running the foreign key check")?;
    if let Some((table,)) = broken_keys.first() {
        bail!("{} rows break a foreign key (first in {table})", broken_keys.len());
    }
    let has_ledger: bool = sqlx::query_scalar(
        "SELECT EXISTS(SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'ledger_entries')",
    )
    .fetch_one(pool)
    .await?;
    if !has_ledger {
        bail!("this is not a Kindred database (it has no contribution ledger)");
    }
    match app::services::ledger::verify_database(&app::db::Pool::from(pool.clone())).await {
        Ok(chains) => Ok(Checked {
            ledger_entries: chains.iter().map(|(_, entries)| entries).sum(),
            communities: chains.len(),
        }),
        Err((community, tamper)) => bail!(
            "the ledger of community {community} is broken at entry {}: {}",
            tamper.entry_id,
            tamper.reason
        ),
    }
}

/// Replaces the database at `database_url` with the backup `from`, after checking the
/// backup and making sure no server is running on the database. The old file is kept
/// beside it as `<database>.before-restore`.
pub async fn restore(database_url: &str, from: &Path) -> anyhow::Result<Checked> {
    let checked =
        check(from).await.with_context(|| format!("{} cannot be restored", from.display()))?;
    let target = database_path(database_url)?;
    let _lock = ServeLock::acquire(&target).context("refusing to restore over a live server")?;
    let staging = sibling(&target, ".restoring");
    std::fs::copy(from, &staging)
        .with_context(|| format!("copying {} to {}", from.display(), staging.display()))?;
    File::open(&staging)?.sync_all()?;
    if target.exists() {
        // Fold the old file's WAL into it so the kept copy is whole, then set it aside.
        let mut old =
            SqliteConnection::connect_with(&SqliteConnectOptions::new().filename(&target))
                .await
                .with_context(|| format!("opening {}", target.display()))?;
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&mut old).await?;
        old.close().await?;
        std::fs::rename(&target, sibling(&target, ".before-restore"))?;
    }
    for stale in [sibling(&target, "-wal"), sibling(&target, "-shm")] {
        if stale.exists() {
            std::fs::remove_file(&stale)
                .with_context(|| format!("removing {}", stale.display()))?;
        }
    }
    std::fs::rename(&staging, &target)
        .with_context(|| format!("moving the restored copy to {}", target.display()))?;
    if let Some(dir) = target.parent().filter(|p| !p.as_os_str().is_empty()) {
        File::open(dir)?.sync_all()?;
    }
    Ok(checked)
}

fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}
