//! A fresh PostgreSQL database per test, in the throwaway cluster `make test` starts
//! (`scripts/postgres.sh`), named by `KINDRED_TEST_POSTGRES_URL`.

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{Connection, Executor, PgConnection, PgPool};
use std::str::FromStr;
use std::sync::atomic::{AtomicU32, Ordering};

/// A database of the test's own, dropped with the cluster when `make test` ends.
pub struct TestPostgres {
    pub pool: PgPool,
    pub url: String,
}

/// Creates an empty database with a name no other test uses and connects to it.
pub async fn fresh_database() -> TestPostgres {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let cluster = std::env::var("KINDRED_TEST_POSTGRES_URL").expect(
        "KINDRED_TEST_POSTGRES_URL is not set: run the tests with `make test`, or start a \
         cluster with `eval \"$(bash scripts/postgres.sh start)\"` first",
    );
    let name = format!("kindred_{}_{}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed));
    let mut admin = PgConnection::connect(&cluster).await.expect("connecting to the test cluster");
    admin.execute(format!("CREATE DATABASE {name}").as_str()).await.expect("creating a database");
    let options = PgConnectOptions::from_str(&cluster).unwrap().database(&name);
    let pool = PgPoolOptions::new().max_connections(4).connect_with(options).await.unwrap();
    let url = match cluster.rsplit_once('/') {
        Some((base, _)) => format!("{base}/{name}"),
        None => panic!("KINDRED_TEST_POSTGRES_URL has no database name: {cluster}"),
    };
    TestPostgres { pool, url }
}
