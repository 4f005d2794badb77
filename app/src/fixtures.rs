//! Fixtures for the crate's own tests on real SQLite files: a migrated database with its
//! write queue, members, and a public community (the integration tests in `server/tests`
//! have theirs in `server/tests/common`).

use crate::db::Pool;
use crate::db::writer::WriteQueue;
use crate::domain::community::{Community, CommunityForm, Role};
use crate::domain::ids::UserId;

/// A database file in a temporary folder (removed when this is dropped).
pub(crate) struct TestDb {
    /// Keeps the folder alive.
    _dir: tempfile::TempDir,
    /// The `sqlite://` URL of the file.
    pub url: String,
    /// A writable pool on it.
    pub sqlite: sqlx::SqlitePool,
}

impl TestDb {
    /// A fresh, empty file (not migrated).
    pub async fn empty() -> TestDb {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let url = format!("sqlite://{}/test.db", dir.path().display());
        let sqlite = crate::db::connect(&url).await.expect("the test database opens");
        TestDb { _dir: dir, url, sqlite }
    }

    /// A fresh file with every migration applied.
    pub async fn migrated() -> TestDb {
        let db = TestDb::empty().await;
        crate::db::migrate(&db.sqlite).await.expect("the migrations apply");
        db
    }

    /// The pool as the services take it.
    pub fn pool(&self) -> Pool {
        Pool::from(self.sqlite.clone())
    }

    /// A write queue on the file, as the server starts one.
    pub async fn writes(&self) -> WriteQueue {
        let options = crate::db::connect_options(&self.url).expect("the URL parses");
        WriteQueue::start(options).await.expect("the writer starts")
    }
}

/// Adds a person whose handle, name and e-mail are all `handle`.
pub(crate) async fn person(pool: &Pool, handle: &str) -> UserId {
    let user = crate::db::users::NewUser {
        handle,
        display_name: handle,
        email: handle,
        password_hash: "x",
    };
    crate::db::users::insert(pool, &user).await.expect("the person is added")
}

/// Founds a public, open community called `name` (its slug is `name` in lower case) with
/// `values`, owned by `steward`, and adds `members` to it.
pub(crate) async fn public_community(
    pool: &Pool,
    writes: &WriteQueue,
    (name, values): (&str, &str),
    steward: UserId,
    members: &[UserId],
) -> Community {
    let form = CommunityForm {
        name: name.into(),
        slug: String::new(),
        mission: "Test.".into(),
        vision: String::new(),
        values: values.into(),
        visibility: "public".into(),
        join_policy: "open".into(),
        join_questions: String::new(),
        self_attestation: None,
        time_zone: String::new(),
    };
    let valid = form.validate().expect("the community form is valid");
    let slug = valid.slug.clone();
    let id = crate::services::communities::found(writes, steward, &valid)
        .await
        .expect("the community is founded");
    for member in members {
        crate::db::memberships::add(pool, id, *member, Role::Member).await.expect("joined");
    }
    let mut conn = pool.acquire().await.expect("a connection");
    crate::db::communities::by_slug(&mut conn, &slug)
        .await
        .expect("the community reads")
        .expect("the community exists")
}
