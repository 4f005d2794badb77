//! Communities: the directory (more arrives with the communities capability).

use leptos::prelude::*;

use crate::domain::community::CommunitySummary;
use crate::error::AppError;

/// Most communities the directory returns at once.
pub const DIRECTORY_LIMIT: i64 = 50;

/// The newest communities with their missions and member counts.
#[server(endpoint = "communities/list")]
pub async fn list_communities() -> Result<Vec<CommunitySummary>, AppError> {
    let state = crate::auth::session::app_state()?;
    Ok(crate::db::communities::directory(&state.pool, DIRECTORY_LIMIT).await?)
}
