//! Statements as data: most query functions are one SQL text and its arguments, run by one
//! of the helpers here on whichever engine the executor is. A function then says only what
//! is particular to it:
//!
//! ```ignore
//! /// Levels of `badge` `user` holds or held.
//! pub async fn levels_held(db: impl Db<'_>, badge: i64, user: UserId) -> Sql<Vec<i64>> {
//!     let sql = "SELECT level FROM badge_awards WHERE badge_id = $1 AND user_id = $2";
//!     all_values(db, sql, args![badge, user]).await
//! }
//! ```
//!
//! Arguments bind to `$1`, `$2`, … in order. Statements whose text differs by engine, that
//! stream, or that bind something other than numbers, text and flags keep their own
//! [`on_engine!`] body.

use std::borrow::Cow;

use sqlx::postgres::PgRow;
use sqlx::sqlite::SqliteRow;
use sqlx::{Decode, FromRow, Postgres, Sqlite, Type};

use crate::db::{Db, Sql, on_engine};
use crate::domain::ids::{CommunityId, UserId};

/// One value bound to a statement's parameter, on either engine. Made with `.into()` (or
/// [`args!`]) from numbers, ids, text, flags and their `Option`s (None binds NULL).
#[derive(Debug, Clone)]
pub enum Arg<'a> {
    /// A whole number, an id, or NULL.
    Int(Option<i64>),
    /// A floating-point number, or NULL.
    Real(Option<f64>),
    /// Text (timestamps and dates are text on both engines), or NULL.
    Text(Option<Cow<'a, str>>),
    /// A flag.
    Flag(bool),
    /// Bytes (a key, a file's contents).
    Bytes(&'a [u8]),
}

/// The arguments of a statement, in parameter order: `args![community, user, "open"]`.
macro_rules! args {
    ($($value:expr),* $(,)?) => {
        &[$($crate::db::statement::Arg::from($value)),*][..]
    };
}
pub(crate) use args;

/// Binds `args` to `query` in order (a query of any of sqlx's three kinds, on the engine
/// the surrounding [`on_engine!`] body was expanded for).
macro_rules! bind_all {
    ($query:expr, $args:expr) => {{
        let mut query = $query;
        for arg in $args {
            query = match arg {
                Arg::Int(value) => query.bind(*value),
                Arg::Real(value) => query.bind(*value),
                Arg::Text(value) => query.bind(value.as_deref()),
                Arg::Flag(value) => query.bind(*value),
                Arg::Bytes(value) => query.bind(*value),
            };
        }
        query
    }};
}

/// A row type read on both engines.
pub trait Row: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin {}
impl<T> Row for T where T: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin
{}

/// A single value read on both engines (a count, an id, a flag, a text).
pub trait Value:
    for<'r> Decode<'r, Sqlite>
    + Type<Sqlite>
    + for<'r> Decode<'r, Postgres>
    + Type<Postgres>
    + Send
    + Unpin
{
}
impl<T> Value for T where
    T: for<'r> Decode<'r, Sqlite>
        + Type<Sqlite>
        + for<'r> Decode<'r, Postgres>
        + Type<Postgres>
        + Send
        + Unpin
{
}

/// Every row the statement returns.
pub async fn all_rows<T: Row>(db: impl Db<'_>, sql: &str, args: &[Arg<'_>]) -> Sql<Vec<T>> {
    on_engine!(db, |db| bind_all!(sqlx::query_as(sql), args).fetch_all(db).await)
}

/// The statement's first row, if it returns one.
pub async fn optional_row<T: Row>(db: impl Db<'_>, sql: &str, args: &[Arg<'_>]) -> Sql<Option<T>> {
    on_engine!(db, |db| bind_all!(sqlx::query_as(sql), args).fetch_optional(db).await)
}

/// The statement's one row (an error when it returns none).
pub async fn one_row<T: Row>(db: impl Db<'_>, sql: &str, args: &[Arg<'_>]) -> Sql<T> {
    on_engine!(db, |db| bind_all!(sqlx::query_as(sql), args).fetch_one(db).await)
}

/// The first column of every row the statement returns.
pub async fn all_values<T: Value>(db: impl Db<'_>, sql: &str, args: &[Arg<'_>]) -> Sql<Vec<T>> {
    on_engine!(db, |db| bind_all!(sqlx::query_scalar(sql), args).fetch_all(db).await)
}

/// The first column of the statement's one row (an error when it returns none).
pub async fn one_value<T: Value>(db: impl Db<'_>, sql: &str, args: &[Arg<'_>]) -> Sql<T> {
    on_engine!(db, |db| bind_all!(sqlx::query_scalar(sql), args).fetch_one(db).await)
}

/// The first column of the statement's first row, if it returns one.
pub async fn optional_value<T: Value>(
    db: impl Db<'_>,
    sql: &str,
    args: &[Arg<'_>],
) -> Sql<Option<T>> {
    on_engine!(db, |db| bind_all!(sqlx::query_scalar(sql), args).fetch_optional(db).await)
}

/// Runs the statement; returns how many rows it changed.
pub async fn run(db: impl Db<'_>, sql: &str, args: &[Arg<'_>]) -> Sql<u64> {
    on_engine!(db, |db| Ok(bind_all!(sqlx::query(sql), args).execute(db).await?.rows_affected()))
}

impl From<i64> for Arg<'_> {
    fn from(value: i64) -> Self {
        Arg::Int(Some(value))
    }
}

impl From<&i64> for Arg<'_> {
    fn from(value: &i64) -> Self {
        Arg::Int(Some(*value))
    }
}

impl From<Option<i64>> for Arg<'_> {
    fn from(value: Option<i64>) -> Self {
        Arg::Int(value)
    }
}

impl From<f64> for Arg<'_> {
    fn from(value: f64) -> Self {
        Arg::Real(Some(value))
    }
}

impl From<Option<f64>> for Arg<'_> {
    fn from(value: Option<f64>) -> Self {
        Arg::Real(value)
    }
}

impl From<bool> for Arg<'_> {
    fn from(value: bool) -> Self {
        Arg::Flag(value)
    }
}

impl<'a> From<&'a str> for Arg<'a> {
    fn from(value: &'a str) -> Self {
        Arg::Text(Some(Cow::Borrowed(value)))
    }
}

impl<'a> From<&'a String> for Arg<'a> {
    fn from(value: &'a String) -> Self {
        Arg::Text(Some(Cow::Borrowed(value)))
    }
}

impl From<String> for Arg<'_> {
    fn from(value: String) -> Self {
        Arg::Text(Some(Cow::Owned(value)))
    }
}

impl<'a> From<Option<&'a str>> for Arg<'a> {
    fn from(value: Option<&'a str>) -> Self {
        Arg::Text(value.map(Cow::Borrowed))
    }
}

impl<'a> From<&'a Option<String>> for Arg<'a> {
    fn from(value: &'a Option<String>) -> Self {
        Arg::Text(value.as_deref().map(Cow::Borrowed))
    }
}

impl From<Option<String>> for Arg<'_> {
    fn from(value: Option<String>) -> Self {
        Arg::Text(value.map(Cow::Owned))
    }
}

impl<'a> From<&'a [u8]> for Arg<'a> {
    fn from(value: &'a [u8]) -> Self {
        Arg::Bytes(value)
    }
}

impl<'a> From<&'a Vec<u8>> for Arg<'a> {
    fn from(value: &'a Vec<u8>) -> Self {
        Arg::Bytes(value)
    }
}

macro_rules! id_args {
    ($($id:ty),*) => {$(
        impl From<$id> for Arg<'_> {
            fn from(id: $id) -> Self {
                Arg::Int(Some(id.0))
            }
        }

        impl From<&$id> for Arg<'_> {
            fn from(id: &$id) -> Self {
                Arg::Int(Some(id.0))
            }
        }

        impl From<Option<$id>> for Arg<'_> {
            fn from(id: Option<$id>) -> Self {
                Arg::Int(id.map(|id| id.0))
            }
        }
    )*};
}
id_args!(UserId, CommunityId);
