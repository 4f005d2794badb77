//! Kindred's server: configuration, the axum router around the Leptos app, and start-up.

pub mod anonymous_pages;
pub mod backup;
pub mod badges;
pub mod bench_seed;
pub mod calendar;
pub mod ceiling;
pub mod config;
pub mod exports;
pub mod http;
pub mod install;
pub mod kept_forms;
pub mod library;
pub mod live;
pub mod mail;
pub mod migrate_data;
pub mod panics;
pub mod preloads;
pub mod sessions;
pub mod task_owner;

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use app::auth::session::Backend;
use app::auth::throttle::{AuthThrottle, Counting, PostThrottle, ThrottleLimits};
use app::state::AppState;
use app::{App, shell};
use axum::Router;
use axum::routing::get;
use axum_login::AuthManagerLayerBuilder;
use leptos::config::LeptosOptions;
use leptos::prelude::provide_context;
use leptos_axum::{LeptosRoutes, generate_route_list};
use tower_http::CompressionLevel;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

use crate::config::Config;
use crate::http::TrustedOrigin;

/// Largest request body accepted; larger ones get 413.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// How hard pages and server-function answers are gzipped on the way out: level 3, as
/// small as level 6 on Kindred's pages within a few percent, in half the time.
pub const PAGE_COMPRESSION: CompressionLevel = CompressionLevel::Precise(3);

/// How often the outbox is checked for mail that is due.
pub const MAIL_INTERVAL: Duration = Duration::from_secs(2);

/// The cookie that carries the session id.
pub const SESSION_COOKIE: &str = "kindred_session";

/// A built application: the router and the state behind it.
pub struct Kindred {
    /// The full router, ready to serve.
    pub router: Router,
    /// Shared state (pool, throttles, Leptos options).
    pub state: AppState,
    /// The session store, for the expiry sweeper.
    pub sessions: sessions::Sessions,
    /// Held while this instance lives, so `server restore` refuses to run under it
    /// (SQLite only: a PostgreSQL database is shared by design).
    pub serve_lock: Option<backup::ServeLock>,
}

/// Who issues this instance's Open Badges: its public address and a name from its host.
fn issuer_profile(config: &Config) -> app::domain::open_badges::IssuerProfile {
    let base_url = config.link_base();
    let host = base_url.split("://").nth(1).unwrap_or(&base_url).to_owned();
    app::domain::open_badges::IssuerProfile { name: format!("Kindred ({host})"), base_url }
}

/// Sets SQLite's page-cache region aside ([`app::db::page_cache`]); SQLite takes it only
/// before its first connection opens, so [`build`] calls this first.
fn reserve_sqlite_page_cache() {
    match app::db::page_cache::reserve() {
        app::db::page_cache::Reserved::Region { slots, slot_bytes } => {
            tracing::debug!(slots, slot_bytes, "SQLite's page cache has its own region");
        }
        app::db::page_cache::Reserved::TooLate(code) => {
            tracing::warn!(code, "SQLite started before its page-cache region was set aside");
        }
    }
}

/// Opens and migrates the database, seeds the demo if asked, and builds the router.
pub async fn build(config: &Config) -> anyhow::Result<Kindred> {
    // Migrations and the session store write on a writable pool of their own; request
    // code reads through a query-only pool and writes through the write queue.
    let engine = app::db::Engine::of_url(&config.database_url);
    let serve_lock = match engine {
        app::db::Engine::Sqlite => {
            reserve_sqlite_page_cache();
            Some(backup::ServeLock::acquire(&backup::database_path(&config.database_url)?)?)
        }
        app::db::Engine::Postgres => None,
    };
    let writable = app::db::open(&config.database_url)
        .await
        .with_context(|| format!("opening the {engine:?} database"))?;
    app::db::migrate_pool(&writable).await.context("running database migrations")?;
    let issuer = app::services::credentials::Issuer::start(&writable, issuer_profile(config))
        .await
        .map_err(anyhow::Error::msg)
        .context("loading the Open Badges signing key")?;
    let sessions =
        sessions::Sessions::open(&writable).await.context("creating the session table")?;
    let pool = app::db::open_reader(&config.database_url)
        .await
        .context("opening the database for reading")?;
    let writes = app::db::writer::WriteQueue::start_for_url(&config.database_url)
        .await
        .context("starting the database writer")?;
    if config.demo {
        match app::services::demo::seed_if_empty(&pool, &writes).await {
            Ok(true) => tracing::info!(
                "seeded the demo: members ada, grace and tomas share the password {:?} (KINDRED_DEMO=0 turns this off)",
                app::services::demo::DEMO_PASSWORD
            ),
            Ok(false) => {}
            Err(error) => tracing::error!(%error, "could not seed the demo"),
        }
    }

    let leptos_options = LeptosOptions::builder()
        .output_name("kindred")
        .site_root(config.site_root.as_str())
        .site_pkg_dir("pkg")
        .site_addr(config.site_addr)
        .build();
    let limits = ThrottleLimits {
        per_ip_per_minute: config.auth_per_minute,
        per_ip_per_hour: config.auth_per_hour,
        per_account_per_hour: config.auth_per_account_hour,
    };
    let mailer = app::mail::Mailer::new(&app::mail::MailSettings {
        smtp_url: config.smtp_url.clone(),
        from: config.mail_from.clone(),
        folder: config.mail_dir.clone(),
        base_url: config.link_base(),
    })
    .map_err(anyhow::Error::msg)?;
    tracing::info!("mail goes to {}", mailer.describe());
    // One SQLite server counts attempts in memory; a PostgreSQL fleet counts them in
    // the database so every instance draws on the same budgets.
    let counting = match pool.engine() {
        app::db::Engine::Sqlite => Counting::InProcess,
        app::db::Engine::Postgres => Counting::Fleet(writes.clone()),
    };
    let state = AppState {
        leptos_options,
        pool: pool.clone(),
        writes,
        auth_throttle: Arc::new(AuthThrottle::new(limits, &counting)),
        post_throttle: Arc::new(PostThrottle::new(config.post_limits, &counting)),
        impact_reports: Arc::default(),
        mailer: Arc::new(mailer),
        issuer: Arc::new(issuer),
        files_dir: config.files_dir.clone(),
        live: app::services::live::LiveHub::default(),
    };
    // The hub reads nothing but the live-event log and writes nothing, so it simply runs
    // for as long as the runtime does.
    let doorbell = app::services::live::Doorbell::for_pool(&state.pool, &state.writes)
        .await
        .context("listening for live updates")?;
    tokio::spawn(state.live.clone().run(state.pool.clone(), doorbell));

    let session_layer = SessionManagerLayer::new(sessions.clone())
        .with_name(SESSION_COOKIE)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(config.secure_cookies())
        .with_expiry(Expiry::OnInactivity(time::Duration::days(14)));
    let auth_layer = AuthManagerLayerBuilder::new(Backend::new(pool), session_layer).build();

    // Before Leptos sets its own: a page's data task that panics is cleaned up after.
    panics::init_executor();
    let routes = generate_route_list(App);
    let split_manifest = preloads::split_manifest(
        std::path::Path::new(&config.site_root),
        &state.leptos_options.site_pkg_dir,
    );
    let page_context = {
        let state = state.clone();
        move || {
            provide_context(state.clone());
            // On the request's root, where Leptos looks for it to add a lazy page's
            // chunk preload hints (see `preloads`).
            if let Some(manifest) = &split_manifest {
                provide_context(manifest.clone());
            }
        }
    };
    let page_shell = {
        let options = state.leptos_options.clone();
        move || shell(options.clone())
    };
    let trusted = TrustedOrigin(config.public_origin());
    // Browsers keep to https for two years once they have seen the site over https.
    let hsts = config
        .secure_cookies()
        .then(|| axum::http::HeaderValue::from_static("max-age=63072000; includeSubDomains"));

    // Uploads get their own, larger body limit; everything else keeps the small one.
    let uploads = Router::new()
        .route("/c/{slug}/library/upload", axum::routing::post(library::upload))
        .layer(axum::extract::DefaultBodyLimit::max(library::UPLOAD_BODY_MAX))
        .layer(RequestBodyLimitLayer::new(library::UPLOAD_BODY_MAX));
    // Every response names this deployment, so an installed app's service worker can tell
    // when a page comes from a newer build than the assets it keeps (see `install`).
    let build = install::build_id(std::path::Path::new(&config.site_root));
    tracing::info!("build {build}");
    let build_header = axum::http::HeaderValue::from_str(&build)?;
    let anonymous = anonymous_pages::AnonymousPages::new(
        state.writes.commits(),
        Duration::from_secs(config.anonymous_cache_seconds),
    );
    let router = Router::new()
        .route("/healthz", get(http::healthz))
        .route("/live", get(live::stream))
        .route("/sw.js", get(move || std::future::ready(install::service_worker(&build))))
        .route("/offline", get(|| std::future::ready(install::offline_page())))
        .route("/u/{handle}/{file}", get(exports::user_contributions))
        .route("/c/{slug}/export/{file}", get(exports::community_export))
        .route("/c/{slug}/e/{id}/event.ics", get(calendar::event_ics))
        .route("/c/{slug}/calendar/events.ics", get(calendar::community_ics))
        .route("/calendar/{file}", get(calendar::feed_ics))
        .route("/mail/unsubscribe/{token}", get(mail::unsubscribe_page).post(mail::unsubscribe))
        .route("/badges/issuer", get(badges::issuer_profile))
        .route("/badges/issuer/jwks.json", get(badges::issuer_keys))
        .route("/badges/credentials/{award}", get(badges::holder_credential))
        .route("/badges/shared/{token}/credential.jwt", get(badges::shared_credential))
        .route("/c/{slug}/library/{id}/file", get(library::download))
        .leptos_routes_with_context(&state, routes, page_context, page_shell)
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        .merge(uploads)
        .layer(axum::middleware::from_fn(http::finish_server_fn_errors))
        .layer(axum::middleware::from_fn(kept_forms::restore))
        .layer(axum::middleware::from_fn(http::refresh_session_daily))
        .layer(auth_layer)
        // Where `session::client_ip` reads a request's address from.
        .layer(config.client_ip.clone().into_extension())
        // Inside the write task below, so a panicking write is answered on its own thread.
        .layer(axum::middleware::from_fn(panics::answer_panics))
        .layer(axum::middleware::from_fn(http::finish_writes_after_hang_up))
        .layer(axum::middleware::from_fn_with_state(trusted, http::refuse_cross_site))
        .layer(SetResponseHeaderLayer::if_not_present(
            axum::http::header::X_CONTENT_TYPE_OPTIONS,
            axum::http::HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            axum::http::header::REFERRER_POLICY,
            axum::http::HeaderValue::from_static("strict-origin-when-cross-origin"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            axum::http::header::STRICT_TRANSPORT_SECURITY,
            hsts,
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            axum::http::header::CONTENT_SECURITY_POLICY,
            axum::http::HeaderValue::from_static("default-src 'none'; frame-ancestors 'none'"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            axum::http::HeaderName::from_static(install::BUILD_HEADER),
            build_header,
        ))
        // Inside compression, so kept pages are plain and each answer is compressed as asked.
        .layer(axum::middleware::from_fn_with_state(anonymous, anonymous_pages::serve))
        // Pages are compressed as they are sent, so the cost is paid on every request.
        // They go out gzipped, not brotli: the brotli encoder's buffers are fresh mappings
        // for every response (above the allocator's mmap threshold, see main.rs), and
        // mapping, faulting and unmapping them cost ~2.5 ms of CPU per page against ~0.5 ms
        // for gzip, which sends 6–24% more bytes (docs/PERFORMANCE.md, "Compressing pages").
        // Static files come precompressed with brotli and pass through untouched.
        .layer(CompressionLayer::new().no_br().quality(PAGE_COMPRESSION))
        .with_state(state.clone());

    Ok(Kindred { router, state, sessions, serve_lock })
}

/// Logs what one upkeep chore did: how many things (nothing when there were none), or
/// why it failed. The next round tries again either way.
fn log_chore<N: TryInto<u64>>(
    outcome: Result<N, app::error::AppError>,
    done: &'static str,
    failed: &'static str,
) {
    match outcome.map(|count| count.try_into().unwrap_or(u64::MAX)) {
        Ok(0) => {}
        Ok(count) => tracing::info!(count, "{done}"),
        Err(error) => tracing::error!(%error, "{failed}"),
    }
}

/// Background upkeep (on PostgreSQL, each round on one instance of the fleet, see
/// `app::db::jobs`): delete expired sessions hourly; every minute forget day-old form
/// answers, lapse ended role terms,
/// send due event reminders, queue due digests, pass on expired event-seat offers, send challenge milestones
/// and freeze ended challenges; close forgotten event check-outs for review; forget idle throttle keys.
/// Returns the handle that stops them at shutdown.
pub fn spawn_upkeep(kindred: &Kindred) -> Upkeep {
    use tower_sessions::ExpiredDeletion;
    let (stop, stopping) = tokio::sync::watch::channel(false);
    let mut tasks = tokio::task::JoinSet::new();
    let sessions = kindred.sessions.clone();
    let mut until_stopped = stopping.clone();
    tasks.spawn(async move {
        tokio::select! {
            swept = sessions.continuously_delete_expired(Duration::from_secs(3600)) => {
                if let Err(error) = swept {
                    tracing::error!(%error, "session sweeper stopped");
                }
            }
            _ = until_stopped.wait_for(|stopped| *stopped) => {}
        }
    });
    let state = kindred.state.clone();
    let mut until_stopped = stopping.clone();
    tasks.spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(60));
        loop {
            // A round that started finishes: the stop is only heard between rounds.
            tokio::select! {
                _ = tick.tick() => {}
                _ = until_stopped.wait_for(|stopped| *stopped) => break,
            }
            // On PostgreSQL one instance of the fleet runs each round.
            let turn = match app::db::jobs::take_turn(&state.pool, app::db::jobs::Job::Upkeep).await
            {
                Ok(Some(turn)) => turn,
                Ok(None) => continue,
                Err(error) => {
                    tracing::error!(%error, "could not ask whose turn the upkeep is");
                    continue;
                }
            };
            log_chore(
                app::services::resubmission::forget_old(&state.writes).await,
                "old form answers forgotten",
                "could not forget old form answers",
            );
            if let Err(error) = app::services::live::forget_old(&state.writes).await {
                tracing::error!(%error, "could not forget old live events");
            }
            log_chore(
                app::services::roles::lapse_ended_terms(&state.writes).await,
                "leadership terms lapsed to member",
                "could not lapse ended terms",
            );
            log_chore(
                app::services::events::send_due_reminders(&state.writes).await,
                "event reminders sent",
                "could not send event reminders",
            );
            log_chore(
                app::services::events::pass_on_all_expired_offers(&state).await,
                "expired seat offers passed on",
                "could not pass on expired seat offers",
            );
            log_chore(
                app::services::events::close_forgotten_checkouts(&state.writes).await,
                "forgotten event check-outs closed for review",
                "could not close forgotten check-outs",
            );
            log_chore(
                app::services::digest::queue_due(&state, chrono::Utc::now()).await,
                "digests queued",
                "could not queue digests",
            );
            log_chore(
                app::services::challenges::upkeep(&state.writes).await,
                "challenge notices sent",
                "could not keep challenges up to date",
            );
            turn.end().await;
        }
    });
    let state = kindred.state.clone();
    let mut until_stopped = stopping.clone();
    tasks.spawn(async move {
        let mut tick = tokio::time::interval(MAIL_INTERVAL);
        loop {
            tokio::select! {
                _ = tick.tick() => {}
                _ = until_stopped.wait_for(|stopped| *stopped) => break,
            }
            let turn = match app::db::jobs::take_turn(&state.pool, app::db::jobs::Job::Mail).await {
                Ok(Some(turn)) => turn,
                Ok(None) => continue,
                Err(error) => {
                    tracing::error!(%error, "could not ask whose turn the mail is");
                    continue;
                }
            };
            match app::services::mail::deliver_due(&state).await {
                Ok(done) if done == Default::default() => {}
                Ok(done) => tracing::info!(
                    sent = done.sent,
                    skipped = done.skipped,
                    failed = done.failed,
                    "mail delivered"
                ),
                Err(error) => tracing::error!(%error, "could not deliver mail"),
            }
            turn.end().await;
        }
    });
    let state = kindred.state.clone();
    let mut until_stopped = stopping;
    tasks.spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(300));
        loop {
            tokio::select! {
                _ = tick.tick() => {}
                _ = until_stopped.wait_for(|stopped| *stopped) => break,
            }
            state.auth_throttle.forget_idle();
            state.post_throttle.forget_idle();
            if state.pool.engine() == app::db::Engine::Postgres {
                // Any instance may sweep: the delete only drops budgets already refilled.
                if let Err(error) = app::auth::throttle::fleet::forget_refilled(&state.writes).await
                {
                    tracing::error!(%error, "could not forget refilled sign-in and posting budgets");
                }
            }
        }
    });
    Upkeep { stop, tasks }
}

/// The running background jobs ([`spawn_upkeep`]).
pub struct Upkeep {
    stop: tokio::sync::watch::Sender<bool>,
    tasks: tokio::task::JoinSet<()>,
}

impl Upkeep {
    /// Tells every job to stop after the round it is in, and waits up to `within` for
    /// them; a job still running then is cancelled (its writes went through the write
    /// queue, so a cancelled wait leaves nothing half-written).
    pub async fn stop(mut self, within: Duration) {
        let _ = self.stop.send(true);
        let all_done = async { while self.tasks.join_next().await.is_some() {} };
        if tokio::time::timeout(within, all_done).await.is_err() {
            tracing::warn!("background jobs still running at shutdown; cancelling them");
            self.tasks.shutdown().await;
        }
    }
}
