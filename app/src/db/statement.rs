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

use crate::db::{Db, Engine, Sql, engine_of, on_engine};
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

/// A statement and its arguments, made now and run later: alone, or with the others of
/// one write in a [`batch`].
#[derive(Debug, Clone)]
pub struct Statement<'a> {
    /// Its SQL, with its parameters numbered `$1`, `$2`, … from one.
    pub sql: &'static str,
    /// Its arguments, in parameter order.
    pub args: Vec<Arg<'a>>,
}

impl<'a> Statement<'a> {
    /// `sql` with `args`.
    pub fn new(sql: &'static str, args: &[Arg<'a>]) -> Statement<'a> {
        Statement { sql, args: args.to_vec() }
    }
}

/// Runs `statements` in order and returns the rows they return, read as `T` (usually only
/// the last one, a read of what the others wrote, returns any). A statement that fails
/// stops the batch; what the earlier ones changed is left to the caller's transaction
/// (the writer rolls a failed write back to its savepoint).
///
/// On SQLite the statements go to the connection's thread as one text, in one round trip
/// rather than one each: every statement after the first has its parameters renumbered
/// past the ones before it. In the writer each round trip is a hand-over between two
/// threads that every queued write waits behind, and for a short statement it costs more
/// than the statement (docs/PERFORMANCE.md, "Writes, 6 December"). PostgreSQL's extended
/// protocol takes one statement at a time, so there they run one after another.
pub async fn batch<T: Row>(db: impl Db<'_>, statements: &[Statement<'_>]) -> Sql<Vec<T>> {
    on_engine!(db, |db| match engine_of(&*db) {
        Engine::Sqlite => {
            let (sql, args) = joined(statements);
            bind_all!(sqlx::query_as(&sql), &args).fetch_all(&mut *db).await
        }
        Engine::Postgres => {
            let mut rows = Vec::new();
            for statement in statements {
                let query = bind_all!(sqlx::query_as(statement.sql), &statement.args);
                rows.extend(query.fetch_all(&mut *db).await?);
            }
            Ok(rows)
        }
    })
}

/// One SQL text of `statements` with their parameters numbered on from one statement to
/// the next, and all their arguments in that order.
fn joined<'a>(statements: &[Statement<'a>]) -> (String, Vec<Arg<'a>>) {
    let mut sql = String::new();
    let mut args = Vec::new();
    for statement in statements {
        renumber(statement.sql, args.len(), &mut sql);
        sql.push_str(";\n");
        args.extend(statement.args.iter().cloned());
    }
    (sql, args)
}

/// Appends `sql` to `out` with every parameter `$n` outside quotes written as
/// `$(n + offset)`.
fn renumber(sql: &str, offset: usize, out: &mut String) {
    let mut quote: Option<char> = None;
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (None, '\'' | '"') => quote = Some(c),
            (Some(open), _) if c == open => quote = None,
            (None, '$') if chars.peek().is_some_and(char::is_ascii_digit) => {
                let mut number = 0_usize;
                while let Some(digit) = chars.peek().and_then(|d| d.to_digit(10)) {
                    number = number * 10 + digit as usize;
                    chars.next();
                }
                out.push('$');
                out.push_str(&(number + offset).to_string());
                continue;
            }
            _ => {}
        }
        out.push(c);
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::writer::tests::queue_and_reader;
    use crate::error::AppError;

    const ADD: &str = "INSERT INTO notes (body) VALUES ($1)";

    #[tokio::test]
    async fn a_batch_runs_in_order_and_returns_what_its_last_statement_reads() {
        let dir = tempfile::tempdir().unwrap();
        let (writes, _reader) = queue_and_reader(&dir).await;
        let read: Vec<(i64, String)> = crate::db::writer::write_tx!(writes, |tx| {
            let statements = [
                Statement::new(ADD, args!["first"]),
                Statement::new(ADD, args!["second"]),
                Statement::new(
                    "SELECT id, body FROM notes WHERE body <> $1 ORDER BY id",
                    args!["none"],
                ),
            ];
            Ok::<_, AppError>(batch(&mut *tx, &statements).await?)
        })
        .unwrap();
        assert_eq!(read, vec![(1, "first".to_owned()), (2, "second".to_owned())]);
    }

    #[tokio::test]
    async fn a_failing_statement_stops_the_batch_and_its_write_keeps_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let (writes, mut reader) = queue_and_reader(&dir).await;
        let failed = crate::db::writer::write_tx!(writes, |tx| {
            let statements = [
                Statement::new(ADD, args!["kept only if all goes"]),
                Statement::new(ADD, args!["twice"]),
                Statement::new(ADD, args!["twice"]),
                Statement::new(ADD, args!["never reached"]),
            ];
            batch::<(i64,)>(&mut *tx, &statements).await?;
            Ok::<_, AppError>(())
        });
        assert!(failed.is_err(), "the unique body was written twice");
        let left: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM notes").fetch_one(&mut reader).await.unwrap();
        assert_eq!(left, 0);
    }

    #[test]
    fn a_batch_numbers_each_statements_parameters_after_the_ones_before() {
        let statements = [
            Statement::new("INSERT INTO t (a, b) VALUES ($1, $2)", args![1_i64, "x"]),
            Statement::new(
                "UPDATE u SET c = $2 WHERE d = $1 AND e = '$1' AND \"$2\" = 0",
                args![2_i64, 3_i64],
            ),
            Statement::new("SELECT $1", args![true]),
        ];
        let (sql, args) = joined(&statements);
        assert_eq!(
            sql,
            "INSERT INTO t (a, b) VALUES ($1, $2);\nUPDATE u SET c = $4 WHERE d = $3 AND e = '$1' \
             AND \"$2\" = 0;\nSELECT $5;\n"
        );
        assert_eq!(args.len(), 5);
        assert!(matches!(args[2], Arg::Int(Some(2))));
        assert!(matches!(args[4], Arg::Flag(true)));
    }

    #[test]
    fn parameters_of_ten_and_more_are_renumbered_whole() {
        let mut out = String::new();
        renumber("VALUES ($9, $10, $11)", 32, &mut out);
        assert_eq!(out, "VALUES ($41, $42, $43)");
    }
}
