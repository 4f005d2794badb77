//! The library's collections: leaders' ordered lists of resources.

use crate::db::statement::{all_rows, args, one_value, optional_value, run};
use crate::db::{Db, Sql, on_engine};
use crate::domain::ids::CommunityId;

/// A community's collections: (id, name), in order.
pub async fn collections(db: impl Db<'_>, community: CommunityId) -> Sql<Vec<(i64, String)>> {
    let sql =
        "SELECT id, name FROM resource_collections WHERE community_id = $1 ORDER BY position, id";
    all_rows(db, sql, args![community]).await
}

/// The resources of every collection of a community: (collection, resource), in order.
pub async fn collection_items(db: impl Db<'_>, community: CommunityId) -> Sql<Vec<(i64, i64)>> {
    let sql = "SELECT i.collection_id, i.resource_id FROM collection_items i
           JOIN resource_collections c ON c.id = i.collection_id
          WHERE c.community_id = $1 ORDER BY c.position, i.position, i.resource_id";
    all_rows(db, sql, args![community]).await
}

/// Adds a collection at the end; None when the name is taken.
pub async fn insert_collection(
    db: impl Db<'_>,
    community: CommunityId,
    name: &str,
) -> Sql<Option<i64>> {
    let sql = "INSERT INTO resource_collections (community_id, name, position)
         SELECT $1, $2, COALESCE(MAX(position), 0) + 1 FROM resource_collections
          WHERE community_id = $1
         ON CONFLICT (community_id, name) DO NOTHING RETURNING id";
    optional_value(db, sql, args![community, name]).await
}

/// Whether `collection` belongs to `community`.
pub async fn collection_in(db: impl Db<'_>, community: CommunityId, collection: i64) -> Sql<bool> {
    let sql =
        "SELECT EXISTS (SELECT 1 FROM resource_collections WHERE id = $1 AND community_id = $2)";
    one_value(db, sql, args![collection, community]).await
}

/// Puts a resource at the end of a collection (no-op when it is there).
pub async fn add_to_collection(db: impl Db<'_>, collection: i64, resource: i64) -> Sql<()> {
    let sql = "INSERT INTO collection_items (collection_id, resource_id, position)
         SELECT $1, $2, COALESCE(MAX(position), 0) + 1 FROM collection_items WHERE collection_id = $1
         ON CONFLICT (collection_id, resource_id) DO NOTHING";
    run(db, sql, args![collection, resource]).await?;
    Ok(())
}

/// Takes a resource out of a collection.
pub async fn remove_from_collection(db: impl Db<'_>, collection: i64, resource: i64) -> Sql<()> {
    let sql = "DELETE FROM collection_items WHERE collection_id = $1 AND resource_id = $2";
    run(db, sql, args![collection, resource]).await?;
    Ok(())
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
        let sql = "SELECT resource_id, position FROM collection_items WHERE collection_id = $1
          ORDER BY position, resource_id";
        let order: Vec<(i64, i64)> = all_rows(&mut *conn, sql, args![collection]).await?;
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
            let sql = "UPDATE collection_items SET position = $3 WHERE collection_id = $1 AND resource_id = $2";
            run(&mut *conn, sql, args![collection, id, position as i64 + 1]).await?;
        }
        Ok(())
    })
}
