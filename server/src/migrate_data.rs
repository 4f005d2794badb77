//! `server migrate-data --from sqlite://… --to postgres://…`: moves a community network
//! from its SQLite file to PostgreSQL.
//!
//! The source may keep running: the copy is taken from a checked backup made first
//! (`VACUUM INTO`, as `server backup` does). The target is migrated, must be empty, and
//! is filled in one transaction — a failure leaves it as empty as it was. Afterwards every
//! table's row count is compared and every community's ledger chain is verified on the
//! copy. Sessions are not copied: members sign in again on the new servers.

use std::path::Path;

use anyhow::{Context, bail};
use app::db::transfer;
use sqlx::postgres::PgPoolOptions;
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};

/// What a finished copy moved and checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Moved {
    /// (table, rows), in the order they were copied.
    pub tables: Vec<(String, u64)>,
    /// Ledger entries verified on the copy.
    pub ledger_entries: usize,
    /// Communities whose chain was verified on the copy.
    pub communities: usize,
}

impl Moved {
    /// Every row copied.
    pub fn rows(&self) -> u64 {
        self.tables.iter().map(|(_, rows)| rows).sum()
    }
}

/// Copies the SQLite database at `from` into the PostgreSQL database at `to`. `scratch`
/// is a folder for the consistent snapshot (removed afterwards).
pub async fn migrate_data(from: &str, to: &str, scratch: &Path) -> anyhow::Result<Moved> {
    if !to.starts_with("postgres://") && !to.starts_with("postgresql://") {
        bail!("--to must be a postgres:// URL, not {to}");
    }
    let snapshot = scratch.join(format!("kindred-migrate-{}.db", std::process::id()));
    let moved = match crate::backup::backup(from, &snapshot).await {
        Ok(_) => copy_snapshot(&snapshot, to).await,
        Err(error) => Err(error.context("taking a checked snapshot of the source")),
    };
    // The snapshot goes whether the copy worked or not (a failed check leaves one behind),
    // with any journal its migration left beside it.
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", snapshot.display()));
    }
    moved
}

async fn copy_snapshot(snapshot: &Path, to: &str) -> anyhow::Result<Moved> {
    let source = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(SqliteConnectOptions::new().filename(snapshot))
        .await
        .context("opening the snapshot")?;
    // The snapshot is this command's own copy: bring it to this version's schema first, as
    // the server does at start, so a database last served by an older version (without
    // the newest tables) copies whole.
    app::db::MIGRATOR
        .run(&source)
        .await
        .context("bringing the snapshot to this version's schema")?;
    let target = PgPoolOptions::new()
        .max_connections(2)
        .connect(to)
        .await
        .with_context(|| format!("connecting to {}", without_password(to)))?;
    app::db::POSTGRES_MIGRATOR.run(&target).await.context("migrating the target")?;
    let tables = transfer::target_tables(&target).await?;
    if let Some((table, rows)) = transfer::first_non_empty(&target, &tables).await? {
        bail!(
            "the target already holds data ({rows} rows in {table}); migrate-data copies into an \
             empty database only"
        );
    }

    let mut copied = Vec::with_capacity(tables.len());
    // One transaction for the whole copy: a failure half-way leaves the target empty.
    // A command-line tool, not request code: nothing can cancel it half-way but the
    // process ending, which rolls the transaction back.
    #[allow(clippy::disallowed_methods)]
    let mut transaction = target.begin().await?;
    let derived_triggers = transfer::derived_triggers(&mut transaction).await?;
    transfer::set_triggers(&mut transaction, &derived_triggers, false).await?;
    for table in &tables {
        let columns = transfer::target_columns(&target, table).await?;
        let started = std::time::Instant::now();
        let rows = transfer::copy_table(&source, &mut transaction, table, &columns)
            .await
            .with_context(|| format!("copying {table}"))?;
        tracing::info!(table, rows, ms = started.elapsed().as_millis() as u64, "copied");
        copied.push((table.clone(), rows));
    }
    transfer::set_triggers(&mut transaction, &derived_triggers, true).await?;
    transfer::continue_identities(&mut transaction).await?;
    transfer::restore_impact_versions(&mut transaction, &transfer::impact_versions(&source).await?)
        .await?;
    transaction.commit().await.context("committing the copy")?;

    for (table, rows) in &copied {
        let there = transfer::count_postgres(&target, table).await?;
        let here = transfer::count_sqlite(&source, table).await?;
        if there != here || u64::try_from(here).ok() != Some(*rows) {
            bail!("{table}: {here} rows in the source, {there} in the copy");
        }
    }
    transfer::analyze(&target).await.context("analyzing the copy")?;
    let verified = app::services::ledger::verify_database(&app::db::Pool::from(target.clone()))
        .await
        .map_err(|(community, tamper)| {
            anyhow::anyhow!(
                "the copy's ledger fails in community {community}: entry {} {}",
                tamper.entry_id,
                tamper.reason
            )
        })?;
    source.close().await;
    target.close().await;
    Ok(Moved {
        tables: copied,
        ledger_entries: verified.iter().map(|(_, n)| n).sum(),
        communities: verified.len(),
    })
}

/// The URL for messages, its password replaced.
fn without_password(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("***"));
            parsed.to_string()
        }
        _ => url.to_owned(),
    }
}
