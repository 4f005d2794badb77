//! Founding and editing communities.

use sqlx::SqlitePool;

use crate::db::{self, audit::action};
use crate::domain::community::{Role, ValidCommunity};
use crate::domain::ids::{CommunityId, UserId};
use crate::error::{AppError, FieldErrors};

/// Founds a community: the community, its values, its founder as owner, and the audit entry.
pub async fn found(
    pool: &SqlitePool,
    founder: UserId,
    community: &ValidCommunity,
) -> Result<CommunityId, AppError> {
    let mut tx = db::begin_write(pool).await?;
    if db::communities::slug_taken(&mut *tx, &community.slug).await? {
        return Err(AppError::Conflict(FieldErrors::single(
            "slug",
            "That address is taken. Pick another.",
        )));
    }
    let id = db::communities::insert(&mut tx, community, founder).await?;
    db::memberships::add(&mut *tx, id, founder, Role::Owner).await?;
    db::audit::record(
        &mut *tx,
        id,
        Some(founder),
        action::COMMUNITY_CREATED,
        None,
        &community.name,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Saves an edit of a community's purpose and settings, with its audit entry.
pub async fn edit(
    pool: &SqlitePool,
    editor: UserId,
    id: CommunityId,
    community: &ValidCommunity,
) -> Result<(), AppError> {
    let mut tx = db::begin_write(pool).await?;
    db::communities::update(&mut tx, id, community).await?;
    db::communities::touch(&mut *tx, id).await?;
    db::audit::record(
        &mut *tx,
        id,
        Some(editor),
        action::COMMUNITY_EDITED,
        None,
        "mission, vision, values or settings",
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
