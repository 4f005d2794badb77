//! The write queue's unit tests: concurrent writes, failures that roll back alone (also
//! several in one batch), callers that give up, panics.

use super::*;
use sqlx::Row;
use sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};

/// A write queue on a fresh SQLite file with a `notes` table (a unique `body`), and a reader
/// on the same file.
pub(crate) async fn queue_and_reader(dir: &tempfile::TempDir) -> (WriteQueue, SqliteConnection) {
    let options = SqliteConnectOptions::new()
        .filename(dir.path().join("writes.db"))
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full);
    let mut reader = SqliteConnection::connect_with(&options).await.unwrap();
    sqlx::query("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL UNIQUE)")
        .execute(&mut reader)
        .await
        .unwrap();
    (WriteQueue::start(options).await.unwrap(), reader)
}

async fn bodies(reader: &mut SqliteConnection) -> Vec<String> {
    sqlx::query("SELECT body FROM notes ORDER BY id")
        .fetch_all(reader)
        .await
        .unwrap()
        .iter()
        .map(|row| row.get::<String, _>(0))
        .collect()
}

/// The SQLite connection a write was lent (these tests run on SQLite).
fn sqlite<'a>(connection: &'a mut Conn<'_>) -> &'a mut SqliteConnection {
    match connection {
        Conn::Sqlite(connection) => connection,
        Conn::Postgres(_) => unreachable!("the writer tests run on SQLite"),
    }
}

fn insert(
    body: &'static str,
) -> impl for<'c> FnOnce(&'c mut Conn<'c>) -> BoxFuture<'c, Result<i64, AppError>> {
    move |connection| {
        Box::pin(async move {
            let id = sqlx::query("INSERT INTO notes (body) VALUES ($1)")
                .bind(body)
                .execute(sqlite(connection))
                .await?
                .last_insert_rowid();
            Ok(id)
        })
    }
}

#[tokio::test]
async fn concurrent_writes_are_all_committed_and_visible_when_acknowledged() {
    let dir = tempfile::tempdir().unwrap();
    let (queue, mut reader) = queue_and_reader(&dir).await;
    let bodies_in = ["one", "two", "three", "four", "five", "six", "seven", "eight"];
    let writes = bodies_in.map(|body| {
        let queue = queue.clone();
        tokio::spawn(async move { queue.run(insert(body)).await })
    });
    for write in writes {
        assert!(write.await.unwrap().unwrap() > 0);
    }
    let mut stored = bodies(&mut reader).await;
    stored.sort();
    let mut expected = bodies_in.map(String::from).to_vec();
    expected.sort();
    assert_eq!(stored, expected);
}

#[tokio::test]
async fn a_failing_write_rolls_back_alone_and_its_error_reaches_its_caller() {
    let dir = tempfile::tempdir().unwrap();
    let (queue, mut reader) = queue_and_reader(&dir).await;
    let first = queue.clone();
    let second = queue.clone();
    let third = queue.clone();
    // The middle write inserts a row and then fails: that row must not survive,
    // and the writes on either side of it must.
    let (a, b, c) = tokio::join!(
        first.run(insert("kept before")),
        second.run(|connection| Box::pin(async move {
            sqlx::query("INSERT INTO notes (body) VALUES ('half-written')")
                .execute(sqlite(connection))
                .await?;
            Err::<(), _>(AppError::Forbidden)
        })),
        third.run(insert("kept after")),
    );
    assert!(a.is_ok() && c.is_ok());
    assert_eq!(b, Err(AppError::Forbidden));
    assert_eq!(bodies(&mut reader).await, vec!["kept before", "kept after"]);
}

#[tokio::test]
async fn a_constraint_violation_is_an_error_not_a_lost_batch() {
    let dir = tempfile::tempdir().unwrap();
    let (queue, mut reader) = queue_and_reader(&dir).await;
    queue.run(insert("unique")).await.unwrap();
    let (again, other) = tokio::join!(queue.run(insert("unique")), queue.run(insert("other")));
    assert!(again.is_err());
    assert!(other.is_ok());
    assert_eq!(bodies(&mut reader).await, vec!["unique", "other"]);
}

#[tokio::test]
async fn a_caller_that_gives_up_does_not_cancel_its_write() {
    let dir = tempfile::tempdir().unwrap();
    let (queue, mut reader) = queue_and_reader(&dir).await;
    // The caller hangs up while its write is half way through: after the first
    // statement, before the second. Both must land, as one.
    let gave_up = tokio::time::timeout(
        Duration::from_millis(5),
        queue.run(|connection| {
            Box::pin(async move {
                sqlx::query("INSERT INTO notes (body) VALUES ('first half')")
                    .execute(sqlite(connection))
                    .await?;
                tokio::time::sleep(Duration::from_millis(100)).await;
                sqlx::query("INSERT INTO notes (body) VALUES ('second half')")
                    .execute(sqlite(connection))
                    .await?;
                Ok(())
            })
        }),
    )
    .await;
    assert!(gave_up.is_err(), "the caller should have timed out");
    // The next write queues behind it and is acknowledged only after both halves.
    queue.run(insert("after")).await.unwrap();
    assert_eq!(bodies(&mut reader).await, vec!["first half", "second half", "after"]);
    assert!(queue.is_writable_within(Duration::from_secs(2)).await);
}

#[tokio::test]
async fn a_panicking_write_fails_alone_and_the_writer_keeps_going() {
    let dir = tempfile::tempdir().unwrap();
    let (queue, mut reader) = queue_and_reader(&dir).await;
    let panicked = queue
        .run(|connection| {
            Box::pin(async move {
                sqlx::query("INSERT INTO notes (body) VALUES ('never')")
                    .execute(sqlite(connection))
                    .await?;
                if std::hint::black_box(true) {
                    panic!("a bug in a write");
                }
                Ok(())
            })
        })
        .await;
    assert!(matches!(panicked, Err(AppError::Internal { .. })));
    queue.run(insert("after the panic")).await.unwrap();
    assert_eq!(bodies(&mut reader).await, vec!["after the panic"]);
}

#[tokio::test]
async fn in_one_batch_each_failed_write_rolls_back_alone() {
    let dir = tempfile::tempdir().unwrap();
    let (queue, mut reader) = queue_and_reader(&dir).await;
    // A slow write holds the writer while the next nine queue up, so they run as one
    // batch: kept and failed writes in every order (two failures in a row too), each
    // savepoint opened as the previous one is released.
    let slow = queue.clone();
    let holding = tokio::spawn(async move {
        slow.run(|connection| {
            Box::pin(async move {
                tokio::time::sleep(Duration::from_millis(200)).await;
                sqlx::query("INSERT INTO notes (body) VALUES ('slow')")
                    .execute(sqlite(connection))
                    .await?;
                Ok(())
            })
        })
        .await
    });
    tokio::time::sleep(Duration::from_millis(50)).await;
    let fails = [false, true, false, true, true, false, false, true, false];
    let writes = fails.iter().enumerate().map(|(n, &fail)| {
        let queue = queue.clone();
        tokio::spawn(async move {
            queue
                .run(move |connection| {
                    Box::pin(async move {
                        sqlx::query("INSERT INTO notes (body) VALUES ($1)")
                            .bind(format!("write {n}"))
                            .execute(sqlite(connection))
                            .await?;
                        if fail { Err(AppError::Forbidden) } else { Ok(()) }
                    })
                })
                .await
        })
    });
    let writes: Vec<_> = writes.collect();
    holding.await.unwrap().unwrap();
    for (write, &fail) in writes.into_iter().zip(&fails) {
        assert_eq!(write.await.unwrap().is_err(), fail);
    }
    // The nine queued in whatever order their tasks ran: compare as sets.
    let mut expected = vec!["slow".to_owned()];
    expected
        .extend(fails.iter().enumerate().filter(|(_, f)| !**f).map(|(n, _)| format!("write {n}")));
    expected.sort();
    let mut stored = bodies(&mut reader).await;
    stored.sort();
    assert_eq!(stored, expected);
}

#[tokio::test]
async fn the_writer_keeps_savepoint_journals_in_memory_with_rollback_intact() {
    let dir = tempfile::tempdir().unwrap();
    let (queue, mut reader) = queue_and_reader(&dir).await;
    // 2 is MEMORY: the sub-journal of a savepoint never spills to a temporary file.
    let temp_store: i64 = queue
        .run(|connection| {
            Box::pin(async move {
                Ok(sqlx::query_scalar("PRAGMA temp_store").fetch_one(sqlite(connection)).await?)
            })
        })
        .await
        .unwrap();
    assert_eq!(temp_store, 2);
    // A write that changes far more than 64 KiB of pages and then fails still rolls back.
    let big = queue
        .run(|connection| {
            Box::pin(async move {
                for n in 0..200 {
                    sqlx::query("INSERT INTO notes (body) VALUES ($1)")
                        .bind(format!("{n:04} {}", "x".repeat(2000)))
                        .execute(sqlite(&mut *connection))
                        .await?;
                }
                Err::<(), _>(AppError::Forbidden)
            })
        })
        .await;
    assert_eq!(big, Err(AppError::Forbidden));
    queue.run(insert("after the big one")).await.unwrap();
    assert_eq!(bodies(&mut reader).await, vec!["after the big one"]);
}
