//! Founding and editing communities.

use crate::db::writer::WriteQueue;
use crate::db::writer::write_tx;
use crate::db::{self, audit::AuditAction};
use crate::domain::community::{Role, ValidCommunity};
use crate::domain::ids::{CommunityId, UserId};
use crate::error::AppError;

/// Founds a community: the community, its values, its founder as owner, and the audit entry.
pub async fn found(
    writes: &WriteQueue,
    founder: UserId,
    community: &ValidCommunity,
) -> Result<CommunityId, AppError> {
    check_time_zone(&community.time_zone)?;
    let community = community.clone();
    write_tx!(writes, |tx| {
        if db::communities::slug_taken(&mut *tx, &community.slug).await? {
            return Err(AppError::conflict("slug", "That address is taken. Pick another."));
        }
        let id = db::communities::insert(&mut *tx, &community, founder).await?;
        db::memberships::add(&mut *tx, id, founder, Role::Owner).await?;
        crate::services::badges::add_defaults(&mut *tx, id).await?;
        db::audit::record(
            &mut *tx,
            id,
            Some(founder),
            AuditAction::CommunityCreated,
            None,
            &community.name,
        )
        .await?;
        Ok(id)
    })
}

/// Saves an edit of a community's purpose and settings, with its audit entry.
pub async fn edit(
    writes: &WriteQueue,
    editor: UserId,
    id: CommunityId,
    community: &ValidCommunity,
) -> Result<(), AppError> {
    check_time_zone(&community.time_zone)?;
    let community = community.clone();
    write_tx!(writes, |tx| {
        db::communities::update(&mut *tx, id, &community).await?;
        db::communities::touch(&mut *tx, id).await?;
        db::audit::record(
            &mut *tx,
            id,
            Some(editor),
            AuditAction::CommunityEdited,
            None,
            "mission, vision, values or settings",
        )
        .await?;
        Ok(())
    })
}

/// Refuses a time-zone name that is not in the IANA database.
fn check_time_zone(name: &str) -> Result<(), AppError> {
    match crate::services::events::zone(name) {
        Some(_) => Ok(()),
        None => Err(AppError::invalid("time_zone", "Choose a time zone such as Europe/London.")),
    }
}
