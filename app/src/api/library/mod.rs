//! `POST /api/library/page`, `/api/library/resource`, `/api/library/history`, `/api/library/add`,
//! `/api/library/edit`, `/api/library/mark`, `/api/library/create_collection`,
//! `/api/library/arrange`. Uploads and file downloads are plain HTTP
//! (`POST /c/{slug}/library/upload`, `GET /c/{slug}/library/{id}/file`: server/src/library.rs).

use leptos::prelude::*;

use crate::domain::library::{GuideHistory, LibraryPage, ResourceForm, ResourcePage};
use crate::error::AppError;

/// The library: collections, then a page of resources (or those tagged `tag`), older
/// ones after the cursor `before`.
#[server(endpoint = "library/page")]
pub async fn get_library(
    slug: String,
    tag: Option<String>,
    before: Option<String>,
) -> Result<LibraryPage, AppError> {
    use crate::api::communities::access_community;
    use crate::auth::policy::CommunityAction;
    let access = access_community(&slug, CommunityAction::View).await?;
    let (pool, community) = (&access.state.pool, &access.community);
    crate::services::library::page(pool, community, access.standing, tag, before).await
}

/// One resource.
#[server(endpoint = "library/resource")]
pub async fn get_resource(slug: String, id: i64) -> Result<ResourcePage, AppError> {
    use crate::api::communities::access_community;
    use crate::auth::policy::CommunityAction;
    let access = access_community(&slug, CommunityAction::View).await?;
    let viewer = access.user.as_ref().map(|u| u.id);
    let (pool, community) = (&access.state.pool, &access.community);
    crate::services::library::resource_page(pool, community, access.standing, viewer, id).await
}

/// A guide's edit history (anyone who may see the guide).
#[server(endpoint = "library/history")]
pub async fn get_guide_history(slug: String, id: i64) -> Result<GuideHistory, AppError> {
    use crate::api::communities::access_community;
    use crate::auth::policy::CommunityAction;
    let access = access_community(&slug, CommunityAction::View).await?;
    crate::services::library::guide_history(&access.state.pool, &access.community, id).await
}

/// Adds a guide or a link (members) and opens it.
#[server(endpoint = "library/add")]
pub async fn add_resource(slug: String, form: ResourceForm) -> Result<(), AppError> {
    use crate::api::communities::act_in_community;
    use crate::auth::policy::CommunityAction;
    use crate::services::library;
    let (access, owner) = act_in_community(&slug, CommunityAction::ShareKnowledge).await?;
    let id = library::add(&access.state.writes, &access.community, owner, form).await?;
    crate::api::redirect_plain_form(&library::resource_link(&access.community.slug, id));
    Ok(())
}

/// Changes a resource (its owner or a leader); a guide keeps its previous version.
#[server(endpoint = "library/edit")]
pub async fn edit_resource(slug: String, id: i64, form: ResourceForm) -> Result<(), AppError> {
    use crate::api::communities::act_in_community;
    use crate::auth::policy::CommunityAction;
    use crate::services::library;
    let (access, editor) = act_in_community(&slug, CommunityAction::ShareKnowledge).await?;
    let (writes, community) = (&access.state.writes, &access.community);
    library::edit(writes, community, access.standing, editor, id, form).await?;
    crate::api::redirect_plain_form(&library::resource_link(&community.slug, id));
    Ok(())
}

/// Marks a resource helpful or flags it outdated (`mark`), or takes that back (`on=false`).
#[server(endpoint = "library/mark")]
pub async fn mark_resource(slug: String, id: i64, mark: String, on: bool) -> Result<(), AppError> {
    use crate::api::communities::act_in_community;
    use crate::auth::policy::CommunityAction;
    use crate::services::library::{self, Mark};
    let (access, member) = act_in_community(&slug, CommunityAction::ShareKnowledge).await?;
    let mark = Mark::parse(&mark).ok_or_else(|| AppError::invalid("mark", "Choose a mark."))?;
    library::mark(&access.state.writes, &access.community, member, id, mark, on).await?;
    crate::api::redirect_plain_form(&library::resource_link(&access.community.slug, id));
    Ok(())
}

/// Creates a collection (leaders).
#[server(endpoint = "library/create_collection")]
pub async fn create_collection(slug: String, name: String) -> Result<(), AppError> {
    use crate::api::communities::access_community;
    use crate::auth::policy::CommunityAction;
    use crate::services::library;
    let access = access_community(&slug, CommunityAction::OrganiseLibrary).await?;
    library::create_collection(&access.state.writes, &access.community, &name).await?;
    crate::api::redirect_plain_form(&library::library_link(&access.community.slug));
    Ok(())
}

/// Puts a resource in a collection, takes it out, or moves it up or down (leaders).
#[server(endpoint = "library/arrange")]
pub async fn arrange_collection(
    slug: String,
    collection: i64,
    resource: i64,
    how: String,
) -> Result<(), AppError> {
    use crate::api::communities::access_community;
    use crate::auth::policy::CommunityAction;
    use crate::services::library::{self, Arrange};
    let access = access_community(&slug, CommunityAction::OrganiseLibrary).await?;
    let how = Arrange::parse(&how).ok_or_else(|| AppError::invalid("how", "Choose what to do."))?;
    let (writes, community) = (&access.state.writes, &access.community);
    library::arrange(writes, community, collection, resource, how).await?;
    let back = match how {
        Arrange::Add | Arrange::Remove => library::resource_link(&community.slug, resource),
        Arrange::Up | Arrange::Down => library::library_link(&community.slug),
    };
    crate::api::redirect_plain_form(&back);
    Ok(())
}
