//! One set of queries, two engines: SQLite (the default, one file) and PostgreSQL (for
//! networks that run several instances).
//!
//! Every query function in `db` takes an executor as `impl Db<'_>`: a [`Pool`], a
//! [`Conn`] the writer lends a write, or a concrete SQLite/PostgreSQL pool or connection.
//! Its body is written once, inside [`on_engine!`], which expands it once per engine with
//! a concrete connection type — so the query text, the binds and the row types are shared
//! and each engine's copy is type-checked by the compiler. Engine-specific SQL (full-text
//! search, locking, DDL) is the exception and says so where it lives.

use sqlx::pool::PoolConnection;
use sqlx::{PgConnection, PgPool, Postgres, Sqlite, SqliteConnection, SqlitePool};

/// Which engine a database URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    /// `sqlite://…` (the default): one file, one writer.
    Sqlite,
    /// `postgres://…` or `postgresql://…`: a server several instances can share.
    Postgres,
}

impl Engine {
    /// The engine `url` names; anything not PostgreSQL is SQLite's.
    pub fn of_url(url: &str) -> Engine {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Engine::Postgres
        } else {
            Engine::Sqlite
        }
    }
}

/// The pool request code reads through, on either engine. Cheap to clone.
#[derive(Clone, Debug)]
pub enum Pool {
    /// A SQLite pool (query-only connections in the server).
    Sqlite(SqlitePool),
    /// A PostgreSQL pool.
    Postgres(PgPool),
}

impl Pool {
    /// The engine behind this pool.
    pub fn engine(&self) -> Engine {
        match self {
            Pool::Sqlite(_) => Engine::Sqlite,
            Pool::Postgres(_) => Engine::Postgres,
        }
    }

    /// Takes one connection out of the pool for several queries in a row.
    pub async fn acquire(&self) -> Result<Pooled, sqlx::Error> {
        Ok(match self {
            Pool::Sqlite(pool) => Pooled::Sqlite(pool.acquire().await?),
            Pool::Postgres(pool) => Pooled::Postgres(pool.acquire().await?),
        })
    }

    /// Closes every connection (at shutdown, or before a test deletes the database).
    pub async fn close(&self) {
        match self {
            Pool::Sqlite(pool) => pool.close().await,
            Pool::Postgres(pool) => pool.close().await,
        }
    }

    /// The SQLite pool, when this is one (for SQLite-only tools: backups, FTS checks).
    pub fn as_sqlite(&self) -> Option<&SqlitePool> {
        match self {
            Pool::Sqlite(pool) => Some(pool),
            Pool::Postgres(_) => None,
        }
    }
}

impl From<SqlitePool> for Pool {
    fn from(pool: SqlitePool) -> Self {
        Pool::Sqlite(pool)
    }
}

impl From<PgPool> for Pool {
    fn from(pool: PgPool) -> Self {
        Pool::Postgres(pool)
    }
}

/// A connection held out of a [`Pool`]; `&mut *pooled` (or [`Pooled::conn`]) runs queries.
pub enum Pooled {
    /// A pooled SQLite connection.
    Sqlite(PoolConnection<Sqlite>),
    /// A pooled PostgreSQL connection.
    Postgres(PoolConnection<Postgres>),
}

impl Pooled {
    /// Lends the connection as a [`Conn`] for services that take one.
    pub fn conn(&mut self) -> Conn<'_> {
        match self {
            Pooled::Sqlite(connection) => Conn::Sqlite(connection),
            Pooled::Postgres(connection) => Conn::Postgres(connection),
        }
    }
}

/// A borrowed connection on either engine: what the writer lends each write (inside its
/// transaction), and what services pass down to several queries in a row.
pub enum Conn<'c> {
    /// A SQLite connection.
    Sqlite(&'c mut SqliteConnection),
    /// A PostgreSQL connection.
    Postgres(&'c mut PgConnection),
}

impl Conn<'_> {
    /// The engine behind this connection.
    pub fn engine(&self) -> Engine {
        match self {
            Conn::Sqlite(_) => Engine::Sqlite,
            Conn::Postgres(_) => Engine::Postgres,
        }
    }
}

/// What a query function runs on, resolved to one engine. Made by [`Db::exec`]; only
/// [`on_engine!`] looks inside.
pub enum Exec<'c> {
    /// Any connection of a SQLite pool.
    SqlitePool(&'c SqlitePool),
    /// One SQLite connection.
    Sqlite(&'c mut SqliteConnection),
    /// Any connection of a PostgreSQL pool.
    PostgresPool(&'c PgPool),
    /// One PostgreSQL connection.
    Postgres(&'c mut PgConnection),
}

/// Anything a query function runs on: a pool, a pooled or lent connection, on either engine.
pub trait Db<'c>: Send {
    /// Resolves to the engine and executor underneath.
    fn exec(self) -> Exec<'c>;
}

impl<'c> Db<'c> for &'c Pool {
    fn exec(self) -> Exec<'c> {
        match self {
            Pool::Sqlite(pool) => Exec::SqlitePool(pool),
            Pool::Postgres(pool) => Exec::PostgresPool(pool),
        }
    }
}

impl<'c> Db<'c> for &'c mut Conn<'_> {
    fn exec(self) -> Exec<'c> {
        match self {
            Conn::Sqlite(connection) => Exec::Sqlite(connection),
            Conn::Postgres(connection) => Exec::Postgres(connection),
        }
    }
}

impl<'c> Db<'c> for &'c mut Pooled {
    fn exec(self) -> Exec<'c> {
        match self {
            Pooled::Sqlite(connection) => Exec::Sqlite(connection),
            Pooled::Postgres(connection) => Exec::Postgres(connection),
        }
    }
}

impl<'c> Db<'c> for &'c SqlitePool {
    fn exec(self) -> Exec<'c> {
        Exec::SqlitePool(self)
    }
}

impl<'c> Db<'c> for &'c mut SqliteConnection {
    fn exec(self) -> Exec<'c> {
        Exec::Sqlite(self)
    }
}

impl<'c> Db<'c> for &'c mut PoolConnection<Sqlite> {
    fn exec(self) -> Exec<'c> {
        Exec::Sqlite(self)
    }
}

impl<'c> Db<'c> for &'c mut sqlx::Transaction<'_, Sqlite> {
    fn exec(self) -> Exec<'c> {
        Exec::Sqlite(self)
    }
}

impl<'c> Db<'c> for &'c mut sqlx::Transaction<'_, Postgres> {
    fn exec(self) -> Exec<'c> {
        Exec::Postgres(self)
    }
}

impl<'c> Db<'c> for &'c PgPool {
    fn exec(self) -> Exec<'c> {
        Exec::PostgresPool(self)
    }
}

impl<'c> Db<'c> for &'c mut PgConnection {
    fn exec(self) -> Exec<'c> {
        Exec::Postgres(self)
    }
}

impl<'c> Db<'c> for &'c mut PoolConnection<Postgres> {
    fn exec(self) -> Exec<'c> {
        Exec::Postgres(self)
    }
}

/// Runs a query function's body on whichever engine `db` is: `on_engine!(db, |db| body)`
/// expands `body` twice, once with `db` a `&mut SqliteConnection` and once with it a
/// `&mut PgConnection` (a pool lends one connection for the body). `body` may use `?` on
/// `sqlx::Error`s, as the function around it returns `Sql<T>`.
macro_rules! on_engine {
    ($db:expr, |$e:ident| $body:expr) => {{
        let mut sqlite_held;
        let mut postgres_held;
        let resolved = match $crate::db::Db::exec($db) {
            $crate::db::Exec::SqlitePool(pool) => {
                sqlite_held = pool.acquire().await?;
                $crate::db::Conn::Sqlite(&mut *sqlite_held)
            }
            $crate::db::Exec::Sqlite(connection) => $crate::db::Conn::Sqlite(connection),
            $crate::db::Exec::PostgresPool(pool) => {
                postgres_held = pool.acquire().await?;
                $crate::db::Conn::Postgres(&mut *postgres_held)
            }
            $crate::db::Exec::Postgres(connection) => $crate::db::Conn::Postgres(connection),
        };
        match resolved {
            $crate::db::Conn::Sqlite($e) => $body,
            $crate::db::Conn::Postgres($e) => $body,
        }
    }};
}
pub(crate) use on_engine;

/// The engine a concrete connection type belongs to, for the few statements whose SQL
/// differs: inside an [`on_engine!`] body, `match engine_of(&*db) { Engine::Sqlite => …,
/// Engine::Postgres => … }` picks the text.
pub trait EngineOf {
    /// The engine of this connection type.
    const ENGINE: Engine;
}

impl EngineOf for SqliteConnection {
    const ENGINE: Engine = Engine::Sqlite;
}

impl EngineOf for PgConnection {
    const ENGINE: Engine = Engine::Postgres;
}

/// The engine of a concrete connection, inside an [`on_engine!`] body.
pub fn engine_of<C: EngineOf + ?Sized>(_: &C) -> Engine {
    C::ENGINE
}

/// A timestamp read from a text column, on either engine. Kindred stores every timestamp
/// as text in one form ([`super::timestamp`]); SQLite's driver reads such text as a
/// `DateTime<Utc>` by itself, PostgreSQL's only reads `timestamptz` columns. Row types
/// mark their timestamp fields `#[sqlx(try_from = "Stamp")]` (or [`MaybeStamp`]) so both
/// engines read them the same way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp(pub chrono::DateTime<chrono::Utc>);

/// A timestamp that may be NULL; see [`Stamp`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MaybeStamp(pub Option<chrono::DateTime<chrono::Utc>>);

impl From<Stamp> for chrono::DateTime<chrono::Utc> {
    fn from(stamp: Stamp) -> Self {
        stamp.0
    }
}

impl From<MaybeStamp> for Option<chrono::DateTime<chrono::Utc>> {
    fn from(stamp: MaybeStamp) -> Self {
        stamp.0
    }
}

/// Reads Kindred's stored form (RFC 3339, `…Z`), and SQLite's `datetime()` form
/// (`YYYY-MM-DD HH:MM:SS`, UTC) that older rows may hold.
fn parse_stamp(text: &str) -> Result<chrono::DateTime<chrono::Utc>, sqlx::error::BoxDynError> {
    if let Ok(at) = chrono::DateTime::parse_from_rfc3339(text) {
        return Ok(at.with_timezone(&chrono::Utc));
    }
    let naive = chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S%.f")?;
    Ok(naive.and_utc())
}

impl<'r, DB: sqlx::Database> sqlx::Decode<'r, DB> for Stamp
where
    &'r str: sqlx::Decode<'r, DB>,
{
    fn decode(value: DB::ValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
        let text = <&str as sqlx::Decode<'r, DB>>::decode(value)?;
        Ok(Stamp(parse_stamp(text)?))
    }
}

impl<'r, DB: sqlx::Database> sqlx::Decode<'r, DB> for MaybeStamp
where
    &'r str: sqlx::Decode<'r, DB>,
{
    fn decode(value: DB::ValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
        use sqlx::ValueRef;
        if value.is_null() {
            return Ok(MaybeStamp(None));
        }
        let text = <&str as sqlx::Decode<'r, DB>>::decode(value)?;
        Ok(MaybeStamp(Some(parse_stamp(text)?)))
    }
}

/// A calendar date read from a text column (`YYYY-MM-DD`), on either engine; see
/// [`Stamp`]. Row types mark date fields `#[sqlx(try_from = "Day")]` (or [`MaybeDay`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Day(pub chrono::NaiveDate);

/// A date that may be NULL; see [`Day`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MaybeDay(pub Option<chrono::NaiveDate>);

impl From<Day> for chrono::NaiveDate {
    fn from(day: Day) -> Self {
        day.0
    }
}

impl From<MaybeDay> for Option<chrono::NaiveDate> {
    fn from(day: MaybeDay) -> Self {
        day.0
    }
}

fn parse_day(text: &str) -> Result<chrono::NaiveDate, sqlx::error::BoxDynError> {
    Ok(chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")?)
}

impl<'r, DB: sqlx::Database> sqlx::Decode<'r, DB> for Day
where
    &'r str: sqlx::Decode<'r, DB>,
{
    fn decode(value: DB::ValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
        Ok(Day(parse_day(<&str as sqlx::Decode<'r, DB>>::decode(value)?)?))
    }
}

impl<'r, DB: sqlx::Database> sqlx::Decode<'r, DB> for MaybeDay
where
    &'r str: sqlx::Decode<'r, DB>,
{
    fn decode(value: DB::ValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
        use sqlx::ValueRef;
        if value.is_null() {
            return Ok(MaybeDay(None));
        }
        Ok(MaybeDay(Some(parse_day(<&str as sqlx::Decode<'r, DB>>::decode(value)?)?)))
    }
}

/// Declares that a type is stored as text on both engines (its `Decode` reads a `&str`).
macro_rules! stored_as_text {
    ($($name:ty),*) => {$(
        impl<DB: sqlx::Database> sqlx::Type<DB> for $name
        where
            String: sqlx::Type<DB>,
        {
            fn type_info() -> DB::TypeInfo {
                <String as sqlx::Type<DB>>::type_info()
            }

            fn compatible(ty: &DB::TypeInfo) -> bool {
                <String as sqlx::Type<DB>>::compatible(ty)
            }
        }
    )*};
}

stored_as_text!(Stamp, MaybeStamp, Day, MaybeDay);
