//! The write queue's unit tests: concurrent writes, failures that roll back alone (also
//! several in one batch), callers that give up, panics.

use super::*;
use crate::db::checkpoint::Cadence;
use sqlx::Row;
use sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};

/// A write queue on a fresh SQLite file with a `notes` table (a unique `body`), and a reader
/// on the same file.
pub(crate) async fn queue_and_reader(dir: &tempfile::TempDir) -> (WriteQueue, SqliteConnection) {
    let (options, reader) = notes_database(dir).await;
    (WriteQueue::start(options).await.unwrap(), reader)
}

/// A fresh SQLite file with a `notes` table: its options, and a reader on it.
async fn notes_database(dir: &tempfile::TempDir) -> (SqliteConnectOptions, SqliteConnection) {
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
    (options, reader)
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

#[tokio::test]
async fn the_checkpointer_not_the_writer_copies_the_log_into_the_database_file() {
    let dir = tempfile::tempdir().unwrap();
    let (queue, _reader) = queue_and_reader(&dir).await;
    let autocheckpoint: i64 = queue
        .run(|connection| {
            Box::pin(async move {
                let sql = "PRAGMA wal_autocheckpoint";
                Ok(sqlx::query_scalar(sql).fetch_one(sqlite(connection)).await?)
            })
        })
        .await
        .unwrap();
    assert_eq!(autocheckpoint, 0, "the writer's commits never checkpoint");
    queue.run(insert("in the file")).await.unwrap();
    // `immutable` reads the database file alone, without the write-ahead log: the note is
    // there only once a checkpoint copied it.
    let file_only = SqliteConnectOptions::new()
        .filename(dir.path().join("writes.db"))
        .immutable(true)
        .read_only(true);
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        let mut file = SqliteConnection::connect_with(&file_only).await.unwrap();
        // Until the first checkpoint even the table is only in the log.
        let in_file: Result<i64, _> =
            sqlx::query_scalar("SELECT COUNT(*) FROM notes WHERE body = 'in the file'")
                .fetch_one(&mut file)
                .await;
        if matches!(in_file, Ok(1)) {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "no checkpoint within 10 s");
        tokio::time::sleep(Cadence::default().after).await;
    }
}

#[tokio::test]
async fn under_steady_writes_the_writer_starts_the_log_afresh_so_it_stays_short() {
    let dir = tempfile::tempdir().unwrap();
    let (options, _reader) = notes_database(&dir).await;
    let cadence = Cadence { after: Duration::from_millis(20), restart_at_frames: 64 };
    let queue = WriteQueue::start_with_cadence(options, cadence).await.unwrap();
    // Four writers that never pause: one batch follows the next with no gap, so the log
    // is never wholly copied back when a batch begins unless the writer makes it so.
    let row_bytes = 8_000;
    let started = std::time::Instant::now();
    let writers = (0..4).map(|writer| {
        let queue = queue.clone();
        tokio::spawn(async move {
            let mut rows = 0;
            while rows < 512 && started.elapsed() < Duration::from_secs(30) {
                let body = format!("{writer} {rows} {}", "x".repeat(row_bytes));
                queue
                    .run(move |connection| {
                        Box::pin(async move {
                            sqlx::query("INSERT INTO notes (body) VALUES ($1)")
                                .bind(body)
                                .execute(sqlite(connection))
                                .await?;
                            Ok(())
                        })
                    })
                    .await
                    .unwrap();
                rows += 1;
            }
            rows
        })
    });
    let mut rows = 0;
    for writer in writers.collect::<Vec<_>>() {
        rows += writer.await.unwrap();
    }
    assert_eq!(rows, 2048, "the writes did not finish in 30 s");
    // 16 MB of rows went through the log; started afresh, it never held more than a
    // fraction of them.
    let log = std::fs::metadata(dir.path().join("writes.db-wal")).unwrap().len();
    assert!(log < 4 << 20, "the write-ahead log grew to {log} bytes");
}
