//! The resource library: adding guides, links and files, editing them (guides keep their
//! history), helpful marks and outdated flags, leaders' collections, and the pages.

use crate::db::{Conn, Pool};
use chrono::Utc;

use crate::auth::policy::{self, CommunityAction};
use crate::db::library::{self as store, StoredFile};
use crate::db::writer::{WriteQueue, write_tx};
use crate::domain::community::{Community, Standing};
use crate::domain::ids::{CommunityId, UserId};
use crate::domain::library::{
    Collection, GuideHistory, GuideVersion, LibraryPage, ResourceForm, ResourceKind, ResourcePage,
    ValidResource,
};
use crate::error::AppError;
use crate::services::markdown;

/// The library's address.
pub fn library_link(slug: &str) -> String {
    format!("/c/{slug}/library")
}

/// A resource's address.
pub fn resource_link(slug: &str, id: i64) -> String {
    format!("/c/{slug}/library/{id}")
}

/// Resources listed per page of the library.
pub const PAGE_SIZE: i64 = 50;

/// The library page: collections, then the newest-changed resources (or those tagged
/// `tag`), [`PAGE_SIZE`] at a time after `before` (a cursor from `older`).
pub async fn page(
    pool: &Pool,
    community: &Community,
    standing: Standing,
    tag: Option<String>,
    before: Option<String>,
) -> Result<LibraryPage, AppError> {
    let today = Utc::now().date_naive();
    let tag = tag.map(|t| t.trim().to_lowercase()).filter(|t| !t.is_empty());
    let before = before.as_deref().and_then(crate::db::Cursor::decode);
    let rows =
        store::page_of(pool, community.id, tag.as_deref(), before.as_ref(), PAGE_SIZE + 1, today)
            .await?;
    let (resources, older) = crate::db::split_page(rows, PAGE_SIZE, |r| {
        crate::db::Cursor { at: crate::db::timestamp(r.updated_at), id: r.id }.encode()
    });
    let all = store::in_collections(pool, community.id, today).await?;
    let items = store::collection_items(pool, community.id).await?;
    let collections = store::collections(pool, community.id)
        .await?
        .into_iter()
        .map(|(id, name)| Collection {
            id,
            name,
            resources: items
                .iter()
                .filter(|(c, _)| *c == id)
                .filter_map(|(_, r)| all.iter().find(|s| s.id == *r).cloned())
                .collect(),
        })
        .collect();
    let can = |action| policy::can_in_community(standing, community.visibility, action);
    let can_add = can(CommunityAction::ShareKnowledge);
    let (initiatives, goals) = if can_add {
        (
            store::initiative_choices(pool, community.id).await?,
            goal_choices(pool, community.id).await?,
        )
    } else {
        (Vec::new(), Vec::new())
    };
    Ok(LibraryPage {
        collections,
        resources,
        older,
        tag,
        tags: store::tags(pool, community.id).await?,
        can_add,
        can_organise: can(CommunityAction::OrganiseLibrary),
        initiatives,
        goals,
    })
}

async fn goal_choices(pool: &Pool, community: CommunityId) -> Result<Vec<(i64, String)>, AppError> {
    let goals = crate::db::impact::goal_choices(pool, community).await?;
    Ok(goals.into_iter().map(|(id, title, _)| (id, title)).collect())
}

/// The resources tied to an initiative or a goal: (id, title).
pub async fn attached(
    pool: &Pool,
    community: CommunityId,
    initiative: Option<i64>,
    goal: Option<i64>,
) -> Result<Vec<(i64, String)>, AppError> {
    let today = Utc::now().date_naive();
    let found = store::attached_to(pool, community, initiative, goal, today).await?;
    Ok(found.into_iter().map(|r| (r.id, r.title)).collect())
}

/// One resource's page.
pub async fn resource_page(
    pool: &Pool,
    community: &Community,
    standing: Standing,
    viewer: Option<UserId>,
    id: i64,
) -> Result<ResourcePage, AppError> {
    let today = Utc::now().date_naive();
    let resource =
        store::summary(pool, community.id, id, today).await?.ok_or(AppError::NotFound)?;
    let detail = store::detail(pool, community.id, id).await?.ok_or(AppError::NotFound)?;
    let file = match resource.kind {
        ResourceKind::File => store::file(pool, community.id, id).await?.map(Into::into),
        _ => None,
    };
    let (marked_helpful, flagged_outdated) = match viewer {
        Some(user) => store::marks_of(pool, id, user).await?,
        None => (false, false),
    };
    let can = |action| policy::can_in_community(standing, community.visibility, action);
    let can_edit = policy::can_edit_resource(standing, viewer, detail.owner_id);
    let collections = if can(CommunityAction::OrganiseLibrary) {
        let items = store::collection_items(pool, community.id).await?;
        store::collections(pool, community.id)
            .await?
            .into_iter()
            .map(|(cid, name)| {
                let holds = items.contains(&(cid, id));
                (cid, name, holds)
            })
            .collect()
    } else {
        Vec::new()
    };
    Ok(ResourcePage {
        resource,
        body_html: detail.body_html,
        body: if can_edit { detail.body } else { String::new() },
        url: detail.url,
        file,
        licence: detail.licence,
        attribution: detail.attribution,
        initiative: detail.initiative_id.zip(detail.initiative),
        goal: detail.goal_id.zip(detail.goal),
        revisions: detail.revisions,
        marked_helpful,
        flagged_outdated,
        can_edit,
        can_react: can(CommunityAction::ShareKnowledge),
        collections,
    })
}

/// A guide's edit history; 404 for links, files and other communities' resources.
pub async fn guide_history(
    pool: &Pool,
    community: &Community,
    id: i64,
) -> Result<GuideHistory, AppError> {
    let today = Utc::now().date_naive();
    let resource = store::summary(pool, community.id, id, today)
        .await?
        .filter(|r| r.kind == ResourceKind::Guide)
        .ok_or(AppError::NotFound)?;
    let detail = store::detail(pool, community.id, id).await?.ok_or(AppError::NotFound)?;
    let earlier = store::revisions(pool, id)
        .await?
        .into_iter()
        .map(|v| GuideVersion {
            html: markdown::render(&v.body, &|_| false),
            title: v.title,
            summary: v.summary,
            replaced_by: v.editor,
            at: v.created_at,
        })
        .collect();
    Ok(GuideHistory {
        link: resource_link(&community.slug, id),
        owner: resource.owner,
        current: GuideVersion {
            title: resource.title,
            summary: resource.summary,
            html: detail.body_html,
            replaced_by: None,
            at: resource.updated_at,
        },
        earlier,
    })
}

/// Checks that the chosen initiative and goal are this community's.
async fn check_attachments(
    conn: &mut Conn<'_>,
    community: CommunityId,
    resource: &ValidResource,
) -> Result<(), AppError> {
    let (initiative, goal) =
        store::attachments_belong(&mut *conn, community, resource.initiative_id, resource.goal_id)
            .await?;
    if !initiative {
        return Err(AppError::invalid("initiative_id", "Choose an initiative of this community."));
    }
    if !goal {
        return Err(AppError::invalid("goal_id", "Choose a goal of this community."));
    }
    Ok(())
}

/// Adds a guide or a link (files come through [`add_file`]); returns its id.
pub async fn add(
    writes: &WriteQueue,
    community: &Community,
    owner: UserId,
    form: ResourceForm,
) -> Result<i64, AppError> {
    let resource = form.validate()?;
    if resource.kind == ResourceKind::File {
        return Err(AppError::invalid("kind", "Choose the file to upload."));
    }
    insert(writes, community.id, owner, resource, None).await
}

/// Adds an uploaded file (already stored under `file.storage_key`) with its form; returns
/// its id.
pub async fn add_file(
    writes: &WriteQueue,
    community: &Community,
    owner: UserId,
    mut form: ResourceForm,
    file: StoredFile,
) -> Result<i64, AppError> {
    form.kind = ResourceKind::File.as_str().to_owned();
    let resource = form.validate()?;
    insert(writes, community.id, owner, resource, Some(file)).await
}

async fn insert(
    writes: &WriteQueue,
    community: CommunityId,
    owner: UserId,
    resource: ValidResource,
    file: Option<StoredFile>,
) -> Result<i64, AppError> {
    let html = markdown::render(&resource.body, &|_| false);
    write_tx!(writes, |tx| {
        check_attachments(&mut *tx, community, &resource).await?;
        let id = store::insert(&mut *tx, community, owner, &resource, &html, Utc::now()).await?;
        store::set_tags(&mut *tx, id, &resource.tags).await?;
        if let Some(file) = &file {
            store::insert_file(&mut *tx, id, file).await?;
        }
        Ok(id)
    })
}

/// Changes a resource (its owner or a leader); a guide's previous version is kept.
pub async fn edit(
    writes: &WriteQueue,
    community: &Community,
    standing: Standing,
    editor: UserId,
    id: i64,
    mut form: ResourceForm,
) -> Result<(), AppError> {
    let community = community.id;
    let html = markdown::render(&form.body, &|_| false);
    write_tx!(writes, |tx| {
        let (owner, kind) =
            store::owner_and_kind(&mut *tx, community, id).await?.ok_or(AppError::NotFound)?;
        policy::check_edit_resource(standing, Some(editor), owner)?;
        form.kind = kind.clone();
        let resource = form.validate()?;
        check_attachments(&mut *tx, community, &resource).await?;
        if resource.kind == ResourceKind::Guide {
            store::keep_revision(&mut *tx, id, editor, Utc::now()).await?;
        }
        store::update(&mut *tx, id, &resource, &html, Utc::now()).await?;
        Ok(())
    })
}

/// Which mark a member sets on a resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// "This helped me."
    Helpful,
    /// "This needs updating."
    Outdated,
}

impl Mark {
    /// Reads the submitted name.
    pub fn parse(text: &str) -> Option<Mark> {
        match text {
            "helpful" => Some(Mark::Helpful),
            "outdated" => Some(Mark::Outdated),
            _ => None,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Mark::Helpful => "helpful",
            Mark::Outdated => "outdated",
        }
    }
}

/// A member marks a resource helpful or flags it outdated (or takes that back). The first
/// outdated flag tells the owner.
pub async fn mark(
    writes: &WriteQueue,
    community: &Community,
    member: UserId,
    id: i64,
    mark: Mark,
    on: bool,
) -> Result<(), AppError> {
    let (community_id, slug) = (community.id, community.slug.clone());
    write_tx!(writes, |tx| {
        let (owner, _) =
            store::owner_and_kind(&mut *tx, community_id, id).await?.ok_or(AppError::NotFound)?;
        let changed =
            store::set_mark(&mut *tx, id, member, mark.as_str(), on, "", Utc::now()).await?;
        if changed && on && mark == Mark::Outdated && owner != member {
            use crate::domain::notification::NoticeKind;
            use crate::services::notices::{self, Notice};
            let body = "A member flagged a resource you keep as outdated.";
            let link = resource_link(&slug, id);
            let notice = Notice::new(owner, NoticeKind::Community, community_id, body, &link);
            notices::notify(&mut *tx, notice).await?;
        }
        Ok(())
    })
}

/// What a leader does with a resource and a collection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arrange {
    /// Put it in (at the end).
    Add,
    /// Take it out.
    Remove,
    /// Move it one place up.
    Up,
    /// Move it one place down.
    Down,
}

impl Arrange {
    /// Reads the submitted name.
    pub fn parse(text: &str) -> Option<Arrange> {
        match text {
            "add" => Some(Arrange::Add),
            "remove" => Some(Arrange::Remove),
            "up" => Some(Arrange::Up),
            "down" => Some(Arrange::Down),
            _ => None,
        }
    }
}

/// Creates a collection (leaders checked by the caller); returns its id.
pub async fn create_collection(
    writes: &WriteQueue,
    community: &Community,
    name: &str,
) -> Result<i64, AppError> {
    let name = name.trim().to_owned();
    if name.is_empty() || name.chars().count() > 80 {
        return Err(AppError::invalid("name", "Name the collection (up to 80 characters)."));
    }
    let community = community.id;
    write_tx!(writes, |tx| {
        store::insert_collection(&mut *tx, community, &name)
            .await?
            .ok_or_else(|| AppError::conflict("name", "There is a collection with that name."))
    })
}

/// Puts a resource in a collection, takes it out, or moves it (leaders checked by the caller).
pub async fn arrange(
    writes: &WriteQueue,
    community: &Community,
    collection: i64,
    resource: i64,
    how: Arrange,
) -> Result<(), AppError> {
    let community = community.id;
    write_tx!(writes, |tx| {
        if !store::collection_in(&mut *tx, community, collection).await? {
            return Err(AppError::NotFound);
        }
        store::owner_and_kind(&mut *tx, community, resource).await?.ok_or(AppError::NotFound)?;
        match how {
            Arrange::Add => store::add_to_collection(&mut *tx, collection, resource).await?,
            Arrange::Remove => {
                store::remove_from_collection(&mut *tx, collection, resource).await?
            }
            Arrange::Up | Arrange::Down => {
                store::move_in_collection(&mut *tx, collection, resource, how == Arrange::Up)
                    .await?
            }
        }
        Ok(())
    })
}
