//! `POST /api/communities/list`

use leptos::prelude::*;

use crate::domain::community::DirectoryPage;
use crate::error::AppError;

/// Communities per directory page.
pub const DIRECTORY_PAGE_SIZE: i64 = 20;

/// Public communities, most recently active first; `q` searches names and missions;
/// `after` continues from a previous page's `next`.
#[server(endpoint = "communities/list")]
pub async fn list_communities(
    q: Option<String>,
    after: Option<String>,
) -> Result<DirectoryPage, AppError> {
    use crate::db::{self, Cursor};
    let state = crate::auth::session::app_state()?;
    let search = q
        .as_deref()
        .map(str::trim)
        .filter(|q| !q.is_empty())
        .map(|q| q.chars().take(100).collect::<String>());
    let cursor = after.as_deref().and_then(Cursor::decode);
    let communities = db::communities::directory(
        &state.pool,
        search.as_deref(),
        cursor.as_ref(),
        DIRECTORY_PAGE_SIZE + 1,
    )
    .await?;
    let (communities, next) = db::split_page(communities, DIRECTORY_PAGE_SIZE, |c| {
        db::communities::cursor_after(c).encode()
    });
    Ok(DirectoryPage { communities, next })
}
