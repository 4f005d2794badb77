//! A real Kindred router on a real SQLite file in a temporary folder, driven in-process —
//! or, with `KINDRED_TEST_ENGINE=postgres`, on a fresh database of its own in the
//! throwaway PostgreSQL cluster `make test` starts (`KINDRED_TEST_POSTGRES_URL`).
#![allow(dead_code, unused_macros, unused_imports, clippy::unwrap_used, clippy::expect_used)]

use std::net::SocketAddr;

use app::db::Pool;
use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, Request, StatusCode, header};
use http_body_util::BodyExt;
use server::config::Config;
use sqlx::SqlitePool;
use tower::ServiceExt;

pub mod live;
pub mod postgres;
pub mod smtp;

/// Runs a statement on the test's own pool, whichever engine it is:
/// `on_db!(app, |db| sqlx::query("…").execute(db).await.map(|done| done.rows_affected()))` expands the statement once
/// for SQLite and once for PostgreSQL, so its text must suit both (`$1` placeholders).
macro_rules! on_db {
    ($app:expr, |$db:ident| $body:expr) => {
        match &$app.db {
            app::db::Pool::Sqlite($db) => $body,
            app::db::Pool::Postgres($db) => $body,
        }
    };
}
pub(crate) use on_db;

/// Runs one statement straight on the test database (to age a row, or to tamper with
/// one), binding the arguments in order; evaluates to the number of rows it changed.
macro_rules! execute {
    ($app:expr, $sql:expr $(, $arg:expr)* $(,)?) => {
        $crate::common::on_db!($app, |db| sqlx::query($sql)
            $(.bind($arg))*
            .execute(db)
            .await
            .map(|done| done.rows_affected()))
        .unwrap()
    };
}
pub(crate) use execute;

/// Reads straight from the test database: `fetch!(app, fetch_one, sql, args…)` (or
/// `fetch_all`, `fetch_optional`) with one column a row, binding the arguments in order.
macro_rules! fetch {
    ($app:expr, $how:ident, $sql:expr $(, $arg:expr)* $(,)?) => {
        $crate::common::on_db!($app, |db| sqlx::query_scalar($sql)
            $(.bind($arg))*
            .$how(db)
            .await)
        .unwrap()
    };
}
pub(crate) use fetch;

/// One answer: status, headers and body text.
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Answer {
    /// The `name=value` part of the session cookie this answer set, if any.
    pub fn session_cookie(&self) -> Option<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with(server::SESSION_COOKIE))
            .map(|v| v.split(';').next().unwrap_or_default().to_owned())
    }

    /// Fails the test unless the answer is a success (2xx); returns it for further checks.
    #[track_caller]
    pub fn assert_ok(&self) -> &Self {
        assert!(self.status.is_success(), "expected success, got {}: {}", self.status, self.body);
        self
    }

    /// Fails the test unless the answer has `status`; returns it for further checks.
    #[track_caller]
    pub fn assert_status(&self, status: StatusCode) -> &Self {
        assert_eq!(self.status, status, "{}", self.body);
        self
    }

    /// The body parsed as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

/// A Kindred instance on its own database file.
pub struct TestApp {
    pub router: Router,
    /// A writable pool of the test's own on the same database, for setting up and
    /// inspecting what the app cannot be asked to do (the app's own pool is read-only).
    pub db: Pool,
    /// The app's shared state (its read-only pool and its write queue).
    pub state: app::state::AppState,
    pub url: String,
    _dir: tempfile::TempDir,
}

impl TestApp {
    /// A fresh instance with test settings.
    pub async fn new() -> Self {
        Self::with(|_| {}).await
    }

    /// A fresh instance after `adjust` changes its settings.
    pub async fn with(adjust: impl FnOnce(&mut Config)) -> Self {
        // `KINDRED_TEST_LOG=error` (any tracing filter) shows the server's log in a test.
        if let Ok(filter) = std::env::var("KINDRED_TEST_LOG") {
            let _ = tracing_subscriber::fmt()
                .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
                .with_test_writer()
                .try_init();
        }
        let dir = tempfile::tempdir().unwrap();
        let url = match app::db::Engine::of_url(&engine_under_test()) {
            app::db::Engine::Sqlite => format!("sqlite://{}/kindred.db", dir.path().display()),
            app::db::Engine::Postgres => postgres::fresh_database().await.url,
        };
        Self::serving(&url, dir, adjust).await
    }

    /// A fresh instance on a new PostgreSQL database, whatever `KINDRED_TEST_ENGINE` says.
    pub async fn on_postgres() -> Self {
        Self::on_postgres_with(|_| {}).await
    }

    /// [`TestApp::on_postgres`] after `adjust` changes its settings.
    pub async fn on_postgres_with(adjust: impl FnOnce(&mut Config)) -> Self {
        let url = postgres::fresh_database().await.url;
        Self::serving(&url, tempfile::tempdir().unwrap(), adjust).await
    }

    /// A second instance on this one's database (its own folders and in-memory state),
    /// as a load balancer's second backend would be. PostgreSQL only: a SQLite file
    /// refuses a second server.
    pub async fn another_instance(&self) -> Self {
        self.another_instance_with(|_| {}).await
    }

    /// [`TestApp::another_instance`] after `adjust` changes its settings.
    pub async fn another_instance_with(&self, adjust: impl FnOnce(&mut Config)) -> Self {
        Self::serving(&self.url, tempfile::tempdir().unwrap(), adjust).await
    }

    async fn serving(url: &str, dir: tempfile::TempDir, adjust: impl FnOnce(&mut Config)) -> Self {
        let mut config = Config::for_tests(url);
        config.mail_dir = dir.path().join("mail");
        config.files_dir = dir.path().join("files");
        adjust(&mut config);
        let url = config.database_url.clone();
        let kindred = server::build(&config).await.unwrap();
        let peer: SocketAddr = "127.0.0.1:40000".parse().unwrap();
        // As `into_make_service_with_connect_info` does for a real connection.
        let router = kindred.router.layer(axum::Extension(ConnectInfo(peer)));
        TestApp {
            router,
            db: app::db::open(&url).await.unwrap(),
            state: kindred.state,
            url,
            _dir: dir,
        }
    }

    /// The test's writable pool, for a test that reads or writes SQLite directly (its
    /// statements are SQLite's). Fails a run on PostgreSQL, which such a test is not
    /// part of (see the Makefile's `test-rust-postgres`).
    #[track_caller]
    pub fn sqlite(&self) -> &SqlitePool {
        self.db.as_sqlite().expect("this test runs SQL written for SQLite; it runs on SQLite only")
    }

    /// The test's own temporary folder (mail files, uploads, the SQLite file).
    pub fn folder(&self) -> &std::path::Path {
        self._dir.path()
    }

    /// Sends a request and reads the whole answer.
    pub async fn send(&self, request: Request<Body>) -> Answer {
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        Answer { status, headers, body: String::from_utf8_lossy(&bytes).into_owned() }
    }

    /// POSTs a form to a server function, as `fetch` from the hydrated app would.
    pub async fn call(
        &self,
        endpoint: &str,
        form: &[(&str, &str)],
        cookie: Option<&str>,
    ) -> Answer {
        self.send(form_request(endpoint, form, cookie, &[])).await
    }

    /// POSTs a form to a server function as the member whose session `cookie` is.
    pub async fn post(&self, endpoint: &str, cookie: &str, form: &[(&str, &str)]) -> Answer {
        self.call(endpoint, form, Some(cookie)).await
    }

    /// [`TestApp::post`] for a closure that posts one form with changing values: the cookie
    /// and the form are copied before it returns, so the answer's future borrows only the app
    /// (`let react = |cookie: &str, kind: &str| app.post_copied(endpoint, cookie, &[("kind", kind)]);`).
    pub fn post_copied<'app>(
        &'app self,
        endpoint: &'static str,
        cookie: &str,
        form: &[(&str, &str)],
    ) -> impl std::future::Future<Output = Answer> + use<'app> {
        let cookie = cookie.to_owned();
        let form: Vec<(String, String)> =
            form.iter().map(|(name, value)| ((*name).to_owned(), (*value).to_owned())).collect();
        async move {
            let form: Vec<(&str, &str)> =
                form.iter().map(|(name, value)| (name.as_str(), value.as_str())).collect();
            self.post(endpoint, &cookie, &form).await
        }
    }

    /// GETs a page.
    pub async fn get(&self, path: &str, cookie: Option<&str>) -> Answer {
        let mut builder = Request::get(path);
        if let Some(cookie) = cookie {
            builder = builder.header(header::COOKIE, cookie);
        }
        self.send(builder.body(Body::empty()).unwrap()).await
    }

    /// Creates an account and returns its session cookie.
    pub async fn sign_up(&self, handle: &str) -> String {
        let email = format!("{handle}@example.org");
        let answer = self
            .call(
                "/api/auth/sign_up",
                &[
                    ("handle", handle),
                    ("display_name", "Test Person"),
                    ("email", &email),
                    ("password", PASSWORD),
                ],
                None,
            )
            .await;
        assert!(answer.status.is_success(), "sign-up failed: {} {}", answer.status, answer.body);
        answer.session_cookie().expect("sign-up sets a session cookie")
    }

    /// Creates an account for each handle; returns their session cookies in order.
    pub async fn sign_up_all<const N: usize>(&self, handles: [&str; N]) -> [String; N] {
        let mut cookies = Vec::with_capacity(N);
        for handle in handles {
            cookies.push(self.sign_up(handle).await);
        }
        cookies.try_into().expect("one cookie per handle")
    }

    /// The signed-in user according to `/api/auth/me`.
    pub async fn me(&self, cookie: Option<&str>) -> serde_json::Value {
        let answer = self.call("/api/auth/me", &[], cookie).await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
        answer.json()
    }
}

/// The password test accounts use.
pub const PASSWORD: &str = "a long enough password";

/// A form POST with optional cookie and extra headers.
pub fn form_request(
    endpoint: &str,
    form: &[(&str, &str)],
    cookie: Option<&str>,
    extra: &[(&str, &str)],
) -> Request<Body> {
    let body = url::form_urlencoded::Serializer::new(String::new()).extend_pairs(form).finish();
    let mut builder = Request::post(endpoint)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json")
        .header(header::CONTENT_LENGTH, body.len());
    if let Some(cookie) = cookie {
        builder = builder.header(header::COOKIE, cookie);
    }
    for (name, value) in extra {
        builder = builder.header(*name, *value);
    }
    builder.body(Body::from(body)).unwrap()
}

/// Founds a community as `cookie`'s owner and returns its slug.
pub async fn found(
    app: &TestApp,
    cookie: &str,
    name: &str,
    visibility: &str,
    join_policy: &str,
) -> String {
    let answer = app
        .call(
            "/api/communities/create",
            &[
                ("form[name]", name),
                ("form[slug]", ""),
                ("form[mission]", "We look after the river."),
                ("form[vision]", "Swimmable water."),
                ("form[values]", "Care: we look after each other\nCourage"),
                ("form[visibility]", visibility),
                ("form[join_policy]", join_policy),
                ("form[join_questions]", "Why do you want to join?"),
            ],
            Some(cookie),
        )
        .await;
    assert!(answer.status.is_success(), "found {name}: {} {}", answer.status, answer.body);
    app::domain::community::slugify(name)
}

/// Joins an open community as `cookie`'s member, affirming its values.
pub async fn join(app: &TestApp, slug: &str, cookie: &str) {
    let answer =
        app.call("/api/communities/join", &[("slug", slug), ("affirm", "yes")], Some(cookie)).await;
    assert!(answer.status.is_success(), "join: {}", answer.body);
}

/// A public, open community called `name`, founded by ada (its steward), with bob, cyd
/// and dan as members: their session cookies in that order, and the slug.
pub async fn four_members(app: &TestApp, name: &str) -> ([String; 4], String) {
    let cookies = app.sign_up_all(["ada", "bob", "cyd", "dan"]).await;
    let slug = found(app, &cookies[0], name, "public", "open").await;
    for member in &cookies[1..] {
        join(app, &slug, member).await;
    }
    (cookies, slug)
}

/// Starts a thread as `cookie`'s member, which must succeed; returns its page's path.
pub async fn start_thread(app: &TestApp, slug: &str, cookie: &str, title: &str) -> String {
    let form = [("slug", slug), ("title", title), ("body", "Seen by the weir.")];
    let answer = app.post("/api/discussions/start", cookie, &form).await;
    assert!(answer.status.is_success(), "start: {} {}", answer.status, answer.body);
    answer.headers[header::LOCATION].to_str().unwrap().to_owned()
}

/// Replies to the thread at `path` (as [`start_thread`] returns it), which must succeed.
pub async fn reply_to(app: &TestApp, slug: &str, cookie: &str, path: &str, body: &str) {
    let thread = path.rsplit('/').next().unwrap();
    let form = [("slug", slug), ("thread_id", thread), ("body", body)];
    let answer = app.post("/api/discussions/reply", cookie, &form).await;
    assert!(answer.status.is_success(), "reply: {} {}", answer.status, answer.body);
}

/// The actions in a community's audit log, oldest first.
pub async fn audit_actions(app: &TestApp, slug: &str) -> Vec<String> {
    let sql = "SELECT a.action FROM audit_log a JOIN communities c ON c.id = a.community_id WHERE c.slug = $1 ORDER BY a.id";
    match &app.db {
        Pool::Sqlite(pool) => sqlx::query_scalar(sql).bind(slug).fetch_all(pool).await.unwrap(),
        Pool::Postgres(pool) => sqlx::query_scalar(sql).bind(slug).fetch_all(pool).await.unwrap(),
    }
}

/// One number read straight from the database (`sql` without parameters, valid on both
/// engines, its result an integer).
pub async fn scalar(app: &TestApp, sql: &str) -> i64 {
    match &app.db {
        Pool::Sqlite(pool) => sqlx::query_scalar(sql).fetch_one(pool).await.unwrap(),
        Pool::Postgres(pool) => sqlx::query_scalar(sql).fetch_one(pool).await.unwrap(),
    }
}

/// One text read straight from the database (`sql` as for [`scalar`]).
pub async fn scalar_text(app: &TestApp, sql: &str) -> String {
    match &app.db {
        Pool::Sqlite(pool) => sqlx::query_scalar(sql).fetch_one(pool).await.unwrap(),
        Pool::Postgres(pool) => sqlx::query_scalar(sql).fetch_one(pool).await.unwrap(),
    }
}

/// The session store's table: tower-sessions keeps SQLite's in `tower_sessions` and
/// PostgreSQL's in the `tower_sessions` schema.
pub fn sessions_table(app: &TestApp) -> &'static str {
    match app.db.engine() {
        app::db::Engine::Sqlite => "tower_sessions",
        app::db::Engine::Postgres => "tower_sessions.session",
    }
}

/// `sqlite://` (the default) or a `postgres://` URL, from `KINDRED_TEST_ENGINE`.
pub fn engine_under_test() -> String {
    match std::env::var("KINDRED_TEST_ENGINE").as_deref() {
        Ok("postgres") => "postgres://".to_owned(),
        Ok("sqlite") | Err(_) => "sqlite://".to_owned(),
        Ok(other) => panic!("KINDRED_TEST_ENGINE is sqlite or postgres, not {other}"),
    }
}

/// Creates a goal as `cookie` and answers the status.
#[allow(clippy::too_many_arguments)]
pub async fn create_goal(
    app: &TestApp,
    slug: &str,
    cookie: &str,
    title: &str,
    unit: &str,
    target: &str,
    parent: &str,
    weight: &str,
) -> StatusCode {
    app.call(
        "/api/impact/create_goal",
        &[
            ("slug", slug),
            ("form[title]", title),
            ("form[metric]", unit),
            ("form[unit]", unit),
            ("form[target]", target),
            ("form[deadline]", ""),
            ("form[parent_id]", parent),
            ("form[weight]", weight),
        ],
        Some(cookie),
    )
    .await
    .status
}

/// Logs a contribution ("Planted saplings by the weir", 20 Nov 2026) as `cookie`.
pub async fn log_contribution(
    app: &TestApp,
    slug: &str,
    cookie: &str,
    goal: &str,
    initiative: &str,
    quantity: &str,
    hours: &str,
) -> Answer {
    log_contribution_on(app, slug, cookie, (goal, initiative), quantity, hours, "2026-11-20").await
}

/// Logs a contribution done on `done_on` (`YYYY-MM-DD`) towards `(goal, initiative)` ids
/// (empty for none) as `cookie`.
pub async fn log_contribution_on(
    app: &TestApp,
    slug: &str,
    cookie: &str,
    (goal, initiative): (&str, &str),
    quantity: &str,
    hours: &str,
    done_on: &str,
) -> Answer {
    app.call(
        "/api/impact/log_contribution",
        &[
            ("slug", slug),
            ("form[description]", "Planted saplings by the weir"),
            ("form[done_on]", done_on),
            ("form[quantity]", quantity),
            ("form[hours]", hours),
            ("form[goal_id]", goal),
            ("form[initiative_id]", initiative),
            ("form[evidence_url]", ""),
            ("form[note]", ""),
        ],
        Some(cookie),
    )
    .await
}

/// The text field `field` of every element of the JSON array `list`, in order
/// (`texts(&page["threads"], "title")`); panics when `list` is not an array or an element
/// has no such text.
pub fn texts(list: &serde_json::Value, field: &str) -> Vec<String> {
    let elements = list.as_array().unwrap_or_else(|| panic!("not an array: {list}"));
    elements
        .iter()
        .map(|element| {
            let text = element[field].as_str();
            text.unwrap_or_else(|| panic!("no text {field:?} in {element}")).to_owned()
        })
        .collect()
}

/// The bodies of `cookie`'s notifications, newest first.
pub async fn notices(app: &TestApp, cookie: &str) -> Vec<String> {
    let answer = app.post("/api/notifications/list", cookie, &[]).await;
    answer.assert_ok();
    texts(&answer.json(), "body")
}

/// Gives `handle` the membership (`role`, `status`) in `slug` straight in the database,
/// as an invite, a ban or a role change would leave it; an existing membership takes
/// the new role and status.
pub async fn put_membership(app: &TestApp, slug: &str, handle: &str, role: &str, status: &str) {
    let written = crate::common::execute!(
        app,
        "INSERT INTO memberships (community_id, user_id, role, status, affirmed_values_at)
         SELECT c.id, u.id, $1, $2, '2026-01-01T00:00:00.000Z' FROM communities c, users u
          WHERE c.slug = $3 AND u.handle = $4
         ON CONFLICT (community_id, user_id) DO UPDATE SET role = $1, status = $2",
        role,
        status,
        slug,
        handle
    );
    assert_eq!(written, 1, "no community {slug} or member {handle}");
}

/// How many of `handle`'s notifications contain `needle`.
pub async fn told(app: &TestApp, handle: &str, needle: &str) -> i64 {
    crate::common::fetch!(
        app,
        fetch_one,
        "SELECT COUNT(*) FROM notifications n JOIN users u ON u.id = n.user_id
          WHERE u.handle = $1 AND n.body LIKE '%' || $2 || '%'",
        handle,
        needle
    )
}

/// `proposer` proposes an initiative in `slug` (`fields` besides the slug: its title,
/// description, `goal_ids[]`, skills…) and `steward` approves it; answers its id.
pub async fn approved_initiative(
    app: &TestApp,
    slug: &str,
    proposer: &str,
    steward: &str,
    fields: &[(&str, &str)],
) -> String {
    let mut form = vec![("slug", slug)];
    form.extend_from_slice(fields);
    app.post("/api/impact/propose_initiative", proposer, &form).await.assert_ok();
    let initiative = scalar(app, "SELECT MAX(id) FROM initiatives").await.to_string();
    let decision =
        [("slug", slug), ("initiative_id", initiative.as_str()), ("decision", "approve")];
    app.post("/api/impact/decide_initiative", steward, &decision).await.assert_ok();
    initiative
}
