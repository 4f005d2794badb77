//! `server`: runs Kindred. See `server --help`.

use std::net::SocketAddr;

use anyhow::Context;
use axum::serve::ListenerExt;
use clap::Parser;
use server::config::{Command, Config};
use tracing_subscriber::EnvFilter;

fn main() -> anyhow::Result<()> {
    // Before any thread exists: glibc fixes its arena count when the first thread
    // other than the main one allocates.
    tune_malloc();
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?
        .block_on(run())
}

async fn run() -> anyhow::Result<()> {
    let config = Config::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_new(&config.log_filter).unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .init();

    match config.command {
        Some(Command::Migrate) => {
            let pool = app::db::open(&config.database_url).await?;
            app::db::migrate_pool(&pool).await?;
            tracing::info!("migrations applied");
            Ok(())
        }
        Some(Command::VerifyLedger) => verify_ledger(&config).await,
        Some(Command::RecomputeBadges) => recompute_badges(&config).await,
        Some(Command::Backup { ref to }) => {
            let checked = server::backup::backup(&config.database_url, to).await?;
            println!(
                "backup written to {} and checked: {} ledger entries in {} communities intact",
                to.display(),
                checked.ledger_entries,
                checked.communities
            );
            Ok(())
        }
        Some(Command::Restore { ref from }) => {
            let checked = server::backup::restore(&config.database_url, from).await?;
            println!(
                "restored {} ({} ledger entries in {} communities intact)",
                from.display(),
                checked.ledger_entries,
                checked.communities
            );
            Ok(())
        }
        Some(Command::MigrateData { ref from, ref to }) => {
            let from = from.as_deref().unwrap_or(&config.database_url);
            let moved = server::migrate_data::migrate_data(from, to, &std::env::temp_dir()).await?;
            println!(
                "copied {} rows in {} tables; the copy's ledger is intact: {} entries in {} communities",
                moved.rows(),
                moved.tables.len(),
                moved.ledger_entries,
                moved.communities
            );
            Ok(())
        }
        Some(Command::SeedBench { scale, seed }) => {
            let generated = server::bench_seed::generate(
                &config.database_url,
                server::bench_seed::Scale(scale),
                seed,
            )
            .await?;
            println!("{}", serde_json::to_string(&generated)?);
            Ok(())
        }
        Some(Command::Ceiling { addr }) => server::ceiling::run(&config.database_url, addr).await,
        Some(Command::Serve) | None => serve(config).await,
    }
}

async fn recompute_badges(config: &Config) -> anyhow::Result<()> {
    let pool = app::db::open(&config.database_url).await?;
    app::db::migrate_pool(&pool).await?;
    let writes = app::db::writer::WriteQueue::start_for_url(&config.database_url).await?;
    let done = app::services::badges::recompute_all(&pool, &writes)
        .await
        .map_err(|e| anyhow::anyhow!("recomputing badges: {e}"))?;
    println!(
        "badges recomputed: {} missing levels awarded, {} unsupported awards revoked",
        done.awarded, done.revoked
    );
    Ok(())
}

async fn verify_ledger(config: &Config) -> anyhow::Result<()> {
    let pool = app::db::open(&config.database_url).await?;
    app::db::migrate_pool(&pool).await?;
    match app::services::ledger::verify_database(&pool).await {
        Ok(checked) => {
            let entries: usize = checked.iter().map(|(_, n)| n).sum();
            println!("ledger intact: {entries} entries in {} communities", checked.len());
            Ok(())
        }
        Err((community, tamper)) => {
            println!(
                "LEDGER TAMPERED in community {community}: entry {} {}",
                tamper.entry_id, tamper.reason
            );
            std::process::exit(1);
        }
    }
}

/// How many malloc arenas every thread shares (glibc's default is eight per core).
///
/// Each thread that allocates gets an arena of its own while the limit allows, and an
/// arena keeps the holes its busiest moments leave. With one arena for each of the
/// runtime's workers and each SQLite connection's thread, resident memory crept up for
/// the whole 30-minute soak as each arena met a new peak; with two, the threads reuse
/// each other's freed memory and the creep halved (docs/RELIABILITY.md, "Memory under a
/// long soak"). Same effect as `MALLOC_ARENA_MAX=2`.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const MALLOC_ARENAS: i32 = 2;

/// Tunes glibc's malloc for a long-running server, before any thread starts:
///
/// - Large blocks (Argon2's 19 MiB per password check) go back to the system when freed.
///   By default glibc raises its mmap threshold after the first such free, and from then
///   on keeps those blocks in its arenas: fifty sign-ins left ~115 MB resident that
///   nothing used again. A fixed threshold keeps the default size (128 KiB) and turns
///   that adjustment off.
/// - At most [`MALLOC_ARENAS`] arenas, or as many as `KINDRED_MALLOC_ARENAS` says
///   (`0`: glibc's default). More arenas trade memory for less waiting on the
///   allocator's locks when many threads allocate at once.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn tune_malloc() {
    let arena_max = match std::env::var("KINDRED_MALLOC_ARENAS") {
        Ok(value) => match value.trim().parse::<i32>() {
            Ok(n) if n >= 0 => n,
            _ => {
                eprintln!(
                    "warning: KINDRED_MALLOC_ARENAS={value:?} is not a count; using {MALLOC_ARENAS}"
                );
                MALLOC_ARENAS
            }
        },
        Err(_) => MALLOC_ARENAS,
    };
    // SAFETY: mallopt only changes allocator tuning; it is called once, at the top of
    // `main` before any other thread exists, with documented parameters and values.
    let threshold = unsafe { libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024) };
    let arenas = if arena_max == 0 {
        1
    } else {
        // SAFETY: as above.
        unsafe { libc::mallopt(libc::M_ARENA_MAX, arena_max) }
    };
    if threshold != 1 || arenas != 1 {
        // The log is not set up yet; this is the one message worth printing before it is.
        eprintln!("warning: could not tune malloc; memory may stay high after sign-ins and peaks");
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn tune_malloc() {}

/// How long in-flight requests, then background jobs, then queued writes each get to
/// finish after SIGTERM.
const SHUTDOWN_GRACE: std::time::Duration = std::time::Duration::from_secs(10);

async fn serve(config: Config) -> anyhow::Result<()> {
    use std::future::IntoFuture;
    let kindred = server::build(&config).await?;
    let upkeep = server::spawn_upkeep(&kindred);
    let listener = tokio::net::TcpListener::bind(config.site_addr)
        .await
        .with_context(|| format!("binding {}", config.site_addr))?
        // Without TCP_NODELAY, streamed responses stall ~40 ms on Nagle + delayed ACK.
        .tap_io(|tcp| {
            if let Err(error) = tcp.set_nodelay(true) {
                tracing::warn!(%error, "could not set TCP_NODELAY");
            }
        });
    tracing::info!("Kindred is listening on http://{}", config.site_addr);
    let (stopping, mut stop_heard) = tokio::sync::watch::channel(false);
    let live = kindred.state.live.clone();
    let serving =
        axum::serve(listener, kindred.router.into_make_service_with_connect_info::<SocketAddr>())
            .with_graceful_shutdown(async move {
                shutdown_signal().await;
                // Open live-update streams would hold the connections open to the end of
                // the grace period; ended now, their browsers reconnect elsewhere.
                live.close();
                let _ = stopping.send(true);
            })
            .into_future();
    // After the signal the listener closes and in-flight requests get SHUTDOWN_GRACE to
    // finish (idle keep-alive connections close at once).
    let grace = async move {
        let _ = stop_heard.wait_for(|stopped| *stopped).await;
        tokio::time::sleep(SHUTDOWN_GRACE).await;
    };
    tokio::select! {
        served = serving => served.context("serving")?,
        () = grace => tracing::warn!("requests still running after {SHUTDOWN_GRACE:?}; stopping anyway"),
    }
    upkeep.stop(SHUTDOWN_GRACE).await;
    // Every write queued before this no-op has committed once it answers.
    if kindred.state.writes.is_writable_within(SHUTDOWN_GRACE).await {
        tracing::info!("write queue drained");
    } else {
        tracing::warn!("the write queue did not drain within {SHUTDOWN_GRACE:?}");
    }
    kindred.state.pool.close().await;
    tracing::info!("stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
