//! `kindred_rank`: how well a row matches a full-text query on SQLite, without the pass
//! over the whole index that FTS5's `bm25` makes.
//!
//! `bm25` weighs each word of the query by how rare it is (its inverse document
//! frequency), and to know that it counts, on its first call in a query, every row of
//! the table that holds each word. For a common word that is every post that uses it:
//! two of the commonest words of the benchmark's 102,000 posts took about 2 ms before a
//! single row was scored, and the count grows with the site, although Kindred ranks only
//! the newest 400 matches. `kindred_rank` is BM25's term-frequency part alone — each
//! word of the query counts the same, as in PostgreSQL's `ts_rank`, which has no
//! document frequencies either — so its cost is the rows it scores and nothing more.
//!
//! `kindred_rank(table, w0, w1, …)`: the column weights as `bm25` takes them (missing
//! ones are 1); the result is negative, lower is better, like `bm25`'s.

use std::os::raw::{c_int, c_void};
use std::ptr;

use libsqlite3_sys as ffi;
use sqlx::SqliteConnection;

use super::Sql;

/// BM25's term-frequency saturation.
const K1: f64 = 1.2;
/// BM25's length normalisation.
const B: f64 = 0.75;

/// Registers `kindred_rank` on `connection` (each SQLite connection has its own FTS5
/// functions, so every pool does this as it opens one).
pub(crate) async fn install(connection: &mut SqliteConnection) -> Sql<()> {
    let mut handle = connection.lock_handle().await?;
    let db = handle.as_raw_handle().as_ptr();
    // SAFETY: `db` is the live handle of a connection we hold locked for the whole call.
    let api = unsafe { fts5_api_of(db) }.map_err(|why| protocol(format!("FTS5: {why}")))?;
    // SAFETY: `api` came from this connection's FTS5 and lives as long as the connection;
    // the name is a NUL-terminated literal, and `rank` has the signature FTS5 calls.
    let rc = unsafe {
        match (*api).xCreateFunction {
            Some(create) => {
                create(api, c"kindred_rank".as_ptr(), ptr::null_mut(), Some(rank), None)
            }
            None => ffi::SQLITE_MISUSE,
        }
    };
    if rc == ffi::SQLITE_OK {
        Ok(())
    } else {
        Err(protocol(format!("FTS5 refused kindred_rank (SQLite code {rc})")))
    }
}

fn protocol(message: String) -> sqlx::Error {
    sqlx::Error::Protocol(message)
}

/// The connection's `fts5_api`, got the documented way: `SELECT fts5(?1)` with a
/// pointer bound under the type name "fts5_api_ptr".
///
/// # Safety
/// `db` must be a live connection handle that no other thread uses during the call.
unsafe fn fts5_api_of(db: *mut ffi::sqlite3) -> Result<*mut ffi::fts5_api, String> {
    let mut statement: *mut ffi::sqlite3_stmt = ptr::null_mut();
    // SAFETY: `db` is live (the caller's promise); the SQL is a NUL-terminated literal.
    let rc = unsafe {
        ffi::sqlite3_prepare_v2(
            db,
            c"SELECT fts5(?1)".as_ptr(),
            -1,
            &mut statement,
            ptr::null_mut(),
        )
    };
    if rc != ffi::SQLITE_OK {
        return Err(format!("preparing SELECT fts5(?1) failed (SQLite code {rc})"));
    }
    let mut api: *mut ffi::fts5_api = ptr::null_mut();
    // SAFETY: `statement` was prepared above; FTS5 writes the API pointer through the
    // bound pointer while the statement steps, and `api` outlives both calls; the
    // statement is finalised once, here.
    unsafe {
        ffi::sqlite3_bind_pointer(
            statement,
            1,
            (&mut api as *mut *mut ffi::fts5_api).cast::<c_void>(),
            c"fts5_api_ptr".as_ptr(),
            None,
        );
        ffi::sqlite3_step(statement);
        ffi::sqlite3_finalize(statement);
    }
    if api.is_null() { Err("this SQLite has no FTS5".to_owned()) } else { Ok(api) }
}

/// FTS5 calls this once per scored row: sums, over the query's phrases, BM25's
/// term-frequency part of the row's weighted matches, and returns it negated.
unsafe extern "C" fn rank(
    api: *const ffi::Fts5ExtensionApi,
    fts: *mut ffi::Fts5Context,
    context: *mut ffi::sqlite3_context,
    argument_count: c_int,
    arguments: *mut *mut ffi::sqlite3_value,
) {
    // SAFETY: FTS5 passes its own API table, the row's context and `argument_count`
    // live argument values, valid for this call.
    let result = unsafe { score(&*api, fts, argument_count, arguments) };
    // SAFETY: `context` is the function's result slot for this call.
    unsafe {
        match result {
            Ok(score) => ffi::sqlite3_result_double(context, -score),
            Err(code) => ffi::sqlite3_result_error_code(context, code),
        }
    }
}

/// The row's score (higher is better), or SQLite's error code.
///
/// # Safety
/// The arguments are those FTS5 passed to [`rank`] for the current row.
unsafe fn score(
    api: &ffi::Fts5ExtensionApi,
    fts: *mut ffi::Fts5Context,
    argument_count: c_int,
    arguments: *mut *mut ffi::sqlite3_value,
) -> Result<f64, c_int> {
    let call = |rc: c_int| if rc == ffi::SQLITE_OK { Ok(()) } else { Err(rc) };
    let missing = ffi::SQLITE_MISUSE;
    // SAFETY (every call below): FTS5's own functions on the row it is scoring, with
    // out-pointers to locals; `arguments` holds `argument_count` values.
    unsafe {
        let columns = api.xColumnCount.ok_or(missing)?(fts);
        let weights: Vec<f64> = (0..columns)
            .map(|column| {
                if column < argument_count {
                    ffi::sqlite3_value_double(*arguments.add(column as usize))
                } else {
                    1.0
                }
            })
            .collect();
        let phrases = api.xPhraseCount.ok_or(missing)?(fts).max(0) as usize;
        let mut frequency = vec![0.0_f64; phrases];
        let mut instances: c_int = 0;
        call(api.xInstCount.ok_or(missing)?(fts, &mut instances))?;
        for index in 0..instances {
            let (mut phrase, mut column, mut offset): (c_int, c_int, c_int) = (0, 0, 0);
            call(api.xInst.ok_or(missing)?(fts, index, &mut phrase, &mut column, &mut offset))?;
            let weight = weights.get(column as usize).copied().unwrap_or(1.0);
            if let Some(slot) = frequency.get_mut(phrase as usize) {
                *slot += weight;
            }
        }
        let mut rows: ffi::sqlite3_int64 = 0;
        call(api.xRowCount.ok_or(missing)?(fts, &mut rows))?;
        let mut total: ffi::sqlite3_int64 = 0;
        call(api.xColumnTotalSize.ok_or(missing)?(fts, -1, &mut total))?;
        let mut length: c_int = 0;
        call(api.xColumnSize.ok_or(missing)?(fts, -1, &mut length))?;
        Ok(term_frequency_score(&frequency, f64::from(length), total as f64 / rows.max(1) as f64))
    }
}

/// BM25 without document frequencies: for each phrase's weighted count `f` in a row of
/// `length` tokens, where rows average `average` tokens,
/// `f·(k1+1) / (f + k1·(1 − b + b·length/average))`, summed.
fn term_frequency_score(frequencies: &[f64], length: f64, average: f64) -> f64 {
    let norm = K1 * (1.0 - B + B * length / average.max(1.0));
    frequencies.iter().map(|&f| f * (K1 + 1.0) / (f + norm)).sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlx::Connection;

    #[test]
    fn more_matches_score_higher_and_long_rows_lower() {
        let short = term_frequency_score(&[1.0], 10.0, 20.0);
        assert!(term_frequency_score(&[2.0], 10.0, 20.0) > short);
        assert!(term_frequency_score(&[1.0], 40.0, 20.0) < short);
        assert!(term_frequency_score(&[1.0, 1.0], 10.0, 20.0) > short, "two words beat one");
        assert_eq!(term_frequency_score(&[0.0], 10.0, 20.0), 0.0);
    }

    #[tokio::test]
    async fn ranks_rows_by_weighted_matches_on_a_real_fts5_table() {
        let mut db = SqliteConnection::connect("sqlite::memory:").await.unwrap();
        install(&mut db).await.unwrap();
        sqlx::query("CREATE VIRTUAL TABLE t USING fts5(title, body)")
            .execute(&mut db)
            .await
            .unwrap();
        for (id, title, body) in [
            (1, "", "weir weir weir otters"),
            (2, "", "weir otters and a long tail of other words about the river"),
            (3, "weir", "otters"),
            (4, "", "nothing to see"),
        ] {
            sqlx::query("INSERT INTO t (rowid, title, body) VALUES ($1, $2, $3)")
                .bind(id)
                .bind(title)
                .bind(body)
                .execute(&mut db)
                .await
                .unwrap();
        }
        let ranked: Vec<(i64, f64)> = sqlx::query_as(
            "SELECT rowid, kindred_rank(t, 5.0, 1.0) AS r FROM t WHERE t MATCH 'weir otters' ORDER BY r",
        )
        .fetch_all(&mut db)
        .await
        .unwrap();
        let order: Vec<i64> = ranked.iter().map(|(id, _)| *id).collect();
        assert_eq!(order, [3, 1, 2], "title weighted 5, then more matches, then the long row");
        assert!(ranked.iter().all(|(_, r)| r.is_finite() && *r < 0.0), "{ranked:?}");
    }
}
