//! Where sessions live: in the database Kindred runs on, so that on PostgreSQL a member
//! signed in through one instance stays signed in on every other.

use async_trait::async_trait;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, ExpiredDeletion, SessionStore};
use tower_sessions_sqlx_store::{PostgresStore, SqliteStore};

/// tower-sessions' SQL store for the engine in use (its `tower_sessions` table, or schema).
#[derive(Clone, Debug)]
pub enum Sessions {
    /// Sessions in the SQLite file.
    Sqlite(SqliteStore),
    /// Sessions in PostgreSQL, shared by every instance.
    Postgres(PostgresStore),
}

impl Sessions {
    /// The store for `pool`'s engine, its table created if missing.
    pub async fn open(pool: &app::db::Pool) -> Result<Sessions, sqlx::Error> {
        Ok(match pool {
            app::db::Pool::Sqlite(pool) => {
                let store = SqliteStore::new(pool.clone());
                store.migrate().await?;
                Sessions::Sqlite(store)
            }
            app::db::Pool::Postgres(pool) => {
                let store = PostgresStore::new(pool.clone());
                store.migrate().await?;
                Sessions::Postgres(store)
            }
        })
    }
}

/// Runs one write to the store on a task of its own and waits for it. A request that is
/// dropped part-way (the member hung up, or the browser moved on to the next page before
/// "Sign out" answered) stops waiting, but the write it began still finishes: a sign-out
/// that reached the store ends the session, and no write is left half-done on a pooled
/// connection.
async fn detached<T, W>(write: W) -> session_store::Result<T>
where
    T: Send + 'static,
    W: std::future::Future<Output = session_store::Result<T>> + Send + 'static,
{
    tokio::spawn(write).await.map_err(|failed| {
        session_store::Error::Backend(format!("session write failed: {failed}"))
    })?
}

#[async_trait]
impl SessionStore for Sessions {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        let store = self.clone();
        let mut created = record.clone();
        // The store may give the record a new id (on a collision), so it is copied back.
        *record = detached(async move {
            match &store {
                Sessions::Sqlite(store) => store.create(&mut created).await?,
                Sessions::Postgres(store) => store.create(&mut created).await?,
            }
            Ok(created)
        })
        .await?;
        Ok(())
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let store = self.clone();
        let record = record.clone();
        detached(async move {
            match &store {
                Sessions::Sqlite(store) => store.save(&record).await,
                Sessions::Postgres(store) => store.save(&record).await,
            }
        })
        .await
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        match self {
            Sessions::Sqlite(store) => store.load(id).await,
            Sessions::Postgres(store) => store.load(id).await,
        }
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        let store = self.clone();
        let id = *id;
        detached(async move {
            match &store {
                Sessions::Sqlite(store) => store.delete(&id).await,
                Sessions::Postgres(store) => store.delete(&id).await,
            }
        })
        .await
    }
}

#[async_trait]
impl ExpiredDeletion for Sessions {
    async fn delete_expired(&self) -> session_store::Result<()> {
        match self {
            Sessions::Sqlite(store) => store.delete_expired().await,
            Sessions::Postgres(store) => store.delete_expired().await,
        }
    }
}
