//! The library's collections: leaders' ordered lists of resources.

use crate::db::{Db, Sql, on_engine};
use crate::domain::ids::CommunityId;

/// A community's collections: (id, name), in order.
pub async fn collections(db: impl Db<'_>, community: CommunityId) -> Sql<Vec<(i64, String)>> {
    on_engine!(db, |db| {
        sqlx::query_as(
        "SELECT id, name FROM resource_collections WHERE community_id = $1 ORDER BY position, id",
    )
    .bind(community)
    .fetch_all(db)
    .await
    })
}

/// The resources of every collection of a community: (collection, resource), in order.
pub async fn collection_items(db: impl Db<'_>, community: CommunityId) -> Sql<Vec<(i64, i64)>> {
    on_engine!(db, |db| {
        sqlx::query_as(
            "SELECT i.collection_id, i.resource_id FROM collection_items i
           JOIN resource_collections c ON c.id = i.collection_id
          WHERE c.community_id = $1 ORDER BY c.position, i.position, i.resource_id",
        )
        .bind(community)
        .fetch_all(db)
        .await
    })
}

/// Adds a collection at the end; None when the name is taken.
pub async fn insert_collection(
    db: impl Db<'_>,
    community: CommunityId,
    name: &str,
) -> Sql<Option<i64>> {
    on_engine!(db, |db| {
        sqlx::query_scalar(
            "INSERT INTO resource_collections (community_id, name, position)
         SELECT $1, $2, COALESCE(MAX(position), 0) + 1 FROM resource_collections
          WHERE community_id = $1
         ON CONFLICT (community_id, name) DO NOTHING RETURNING id",
        )
        .bind(community)
        .bind(name)
        .fetch_optional(db)
        .await
    })
}

/// Whether `collection` belongs to `community`.
pub async fn collection_in(db: impl Db<'_>, community: CommunityId, collection: i64) -> Sql<bool> {
    on_engine!(db, |db| {
        sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM resource_collections WHERE id = $1 AND community_id = $2)",
    )
    .bind(collection)
    .bind(community)
    .fetch_one(db)
    .await
    })
}

/// Puts a resource at the end of a collection (no-op when it is there).
pub async fn add_to_collection(db: impl Db<'_>, collection: i64, resource: i64) -> Sql<()> {
    on_engine!(db, |db| {
        sqlx::query(
        "INSERT INTO collection_items (collection_id, resource_id, position)
         SELECT $1, $2, COALESCE(MAX(position), 0) + 1 FROM collection_items WHERE collection_id = $1
         ON CONFLICT (collection_id, resource_id) DO NOTHING",
    )
    .bind(collection)
    .bind(resource)
    .execute(db)
    .await?;
        Ok(())
    })
}

/// Takes a resource out of a collection.
pub async fn remove_from_collection(db: impl Db<'_>, collection: i64, resource: i64) -> Sql<()> {
    on_engine!(db, |db| {
        sqlx::query("DELETE FROM collection_items WHERE collection_id = $1 AND resource_id = $2")
            .bind(collection)
            .bind(resource)
            .execute(db)
            .await?;
        Ok(())
    })
}

/// Moves a resource one place up (`up`) or down in a collection, swapping with its
/// neighbour.
pub async fn move_in_collection(
    conn: impl Db<'_>,
    collection: i64,
    resource: i64,
    up: bool,
) -> Sql<()> {
    on_engine!(conn, |conn| {
        let order: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT resource_id, position FROM collection_items WHERE collection_id = $1
          ORDER BY position, resource_id",
        )
        .bind(collection)
        .fetch_all(&mut *conn)
        .await?;
        let Some(at) = order.iter().position(|(id, _)| *id == resource) else {
            return Ok(());
        };
        let other = if up { at.checked_sub(1) } else { Some(at + 1).filter(|i| *i < order.len()) };
        let Some(other) = other else {
            return Ok(());
        };
        // Renumber 1..n with the two swapped, so equal positions never tie.
        let mut ids: Vec<i64> = order.iter().map(|(id, _)| *id).collect();
        ids.swap(at, other);
        for (position, id) in ids.iter().enumerate() {
            sqlx::query(
            "UPDATE collection_items SET position = $3 WHERE collection_id = $1 AND resource_id = $2",
        )
        .bind(collection)
        .bind(id)
        .bind(position as i64 + 1)
        .execute(&mut *conn)
        .await?;
        }
        Ok(())
    })
}
