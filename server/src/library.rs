//! Library files over plain HTTP: `POST /c/{slug}/library/upload` (a multipart form that
//! works without JavaScript) and `GET /c/{slug}/library/{id}/file`.
//!
//! An upload is written to a temporary file in the files folder as it arrives, counting
//! bytes against the limit and hashing them; its type is read from its first bytes (never
//! its name) and must be one Kindred accepts. Only then is it moved to a random name and
//! recorded. Downloads stream from disk after the same permission check as the page, so
//! a private community's files answer 404 to outsiders at any URL.

use std::path::{Path as FsPath, PathBuf};

use app::api::communities::access_as;
use app::auth::policy::CommunityAction;
use app::auth::session::AuthSession;
use app::db::library::StoredFile;
use app::domain::library::{ACCEPTED_MIME, MAX_FILE_BYTES, ResourceForm};
use app::error::AppError;
use app::state::AppState;
use axum::body::Body;
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;

use crate::exports::error_response;

/// The largest upload request: the file plus its form.
pub const UPLOAD_BODY_MAX: usize = MAX_FILE_BYTES as usize + 64 * 1024;

/// How many of a file's first bytes are kept to recognise its type.
const SNIFF_BYTES: usize = 64 * 1024;

/// Where a failed upload sends the browser back to, with the message to show.
fn back_with_error(slug: &str, error: &AppError) -> Response {
    // Every field's message, so a page without JavaScript can show them all.
    let fields = ["file", "title", "summary", "tags", "licence", "attribution", "review_by"];
    let message = match error.field_errors() {
        Some(errors) => {
            let messages: Vec<&str> = fields.iter().filter_map(|f| errors.get(f)).collect();
            if messages.is_empty() { error.to_string() } else { messages.join(" ") }
        }
        None => error.to_string(),
    };
    let query: String = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("upload_error", &message)
        .finish();
    Redirect::to(&format!("/c/{slug}/library?{query}#upload")).into_response()
}

/// An upload on its way to disk.
struct Incoming {
    temp: tempfile::NamedTempFile,
    head: Vec<u8>,
    size: u64,
    sha256: String,
    file_name: String,
}

/// `POST /c/{slug}/library/upload`: a member adds a file with its title, licence and
/// attribution. Redirects to the new resource, or back to the library with the problem.
pub async fn upload(
    State(state): State<AppState>,
    auth: AuthSession,
    Path(slug): Path<String>,
    multipart: Multipart,
) -> Response {
    let user = auth.user.map(|u| u.user);
    let access = match access_as(state.clone(), user, &slug, CommunityAction::ShareKnowledge).await
    {
        Ok(access) => access,
        Err(error) => return error_response(error),
    };
    let Some(owner) = access.user.as_ref().map(|u| u.id) else {
        return error_response(AppError::Unauthorized);
    };
    let slug = access.community.slug.clone();
    let (form, incoming) = match read_form(multipart, &state.files_dir).await {
        Ok(read) => read,
        Err(error) => return back_with_error(&slug, &error),
    };
    let Some(incoming) = incoming else {
        return back_with_error(&slug, &AppError::invalid("file", "Choose a file to upload."));
    };
    let mut check = form.clone();
    check.kind = "file".into();
    if let Err(error) = check.validate() {
        return back_with_error(&slug, &error);
    }
    let Some(kind) = infer::get(&incoming.head).filter(|k| ACCEPTED_MIME.contains(&k.mime_type()))
    else {
        let error = AppError::invalid(
            "file",
            "Kindred keeps PDFs, images (PNG, JPEG, GIF, WebP) and office documents; this file is none of them.",
        );
        return back_with_error(&slug, &error);
    };
    let key = app::services::tokens::new_token();
    let path = state.files_dir.join(&key);
    if let Err(error) = incoming.temp.persist(&path) {
        return error_response(AppError::internal(error));
    }
    let stored = StoredFile {
        storage_key: key,
        file_name: clean_name(&incoming.file_name, kind.extension()),
        content_type: kind.mime_type().to_owned(),
        size_bytes: i64::try_from(incoming.size).unwrap_or(i64::MAX),
        sha256: incoming.sha256,
    };
    let added =
        app::services::library::add_file(&state.writes, &access.community, owner, form, stored)
            .await;
    match added {
        Ok(id) => Redirect::to(&app::services::library::resource_link(&slug, id)).into_response(),
        Err(error) => {
            let _ = tokio::fs::remove_file(&path).await;
            back_with_error(&slug, &error)
        }
    }
}

/// Reads the form's text fields and streams its `file` part to a temporary file.
async fn read_form(
    mut multipart: Multipart,
    dir: &FsPath,
) -> Result<(ResourceForm, Option<Incoming>), AppError> {
    let unreadable = |_| AppError::BadRequest("the upload could not be read".into());
    let mut form = ResourceForm::default();
    let mut incoming = None;
    while let Some(mut field) = multipart.next_field().await.map_err(unreadable)? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "file" {
            let file_name = field.file_name().unwrap_or_default().to_owned();
            if file_name.is_empty() {
                continue;
            }
            tokio::fs::create_dir_all(dir).await.map_err(AppError::internal)?;
            let temp = tempfile::Builder::new()
                .prefix(".upload-")
                .tempfile_in(dir)
                .map_err(AppError::internal)?;
            let mut out =
                tokio::fs::File::from_std(temp.as_file().try_clone().map_err(AppError::internal)?);
            let (mut head, mut size, mut hash) = (Vec::new(), 0u64, Sha256::new());
            while let Some(chunk) = field.chunk().await.map_err(unreadable)? {
                size += chunk.len() as u64;
                if size > MAX_FILE_BYTES {
                    return Err(AppError::invalid(
                        "file",
                        format!("Files can be up to {} MB.", MAX_FILE_BYTES / (1024 * 1024)),
                    ));
                }
                if head.len() < SNIFF_BYTES {
                    let take = (SNIFF_BYTES - head.len()).min(chunk.len());
                    head.extend_from_slice(&chunk[..take]);
                }
                hash.update(&chunk);
                out.write_all(&chunk).await.map_err(AppError::internal)?;
            }
            out.sync_all().await.map_err(AppError::internal)?;
            if size == 0 {
                return Err(AppError::invalid("file", "That file is empty."));
            }
            let sha256 = hash.finalize().iter().map(|b| format!("{b:02x}")).collect();
            incoming = Some(Incoming { temp, head, size, sha256, file_name });
            continue;
        }
        let value = field.text().await.map_err(unreadable)?;
        let slot = match name.as_str() {
            "title" => &mut form.title,
            "summary" => &mut form.summary,
            "tags" => &mut form.tags,
            "licence" => &mut form.licence,
            "attribution" => &mut form.attribution,
            "initiative_id" => &mut form.initiative_id,
            "goal_id" => &mut form.goal_id,
            "review_by" => &mut form.review_by,
            _ => continue,
        };
        *slot = value;
    }
    Ok((form, incoming))
}

/// A download name: the uploaded name's letters, digits, dots, dashes and underscores,
/// ending in the extension of the type the content has.
fn clean_name(name: &str, extension: &str) -> String {
    let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    let stem: String = stem
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '-' })
        .take(80)
        .collect();
    let stem = stem.trim_matches('-');
    let stem = if stem.is_empty() { "file" } else { stem };
    format!("{stem}.{extension}")
}

/// `GET /c/{slug}/library/{id}/file`: the file, streamed, to whoever may see the library.
pub async fn download(
    State(state): State<AppState>,
    auth: AuthSession,
    Path((slug, id)): Path<(String, String)>,
) -> Response {
    let user = auth.user.map(|u| u.user);
    let Ok(id) = id.parse::<i64>() else {
        return error_response(AppError::NotFound);
    };
    let access = match access_as(state.clone(), user, &slug, CommunityAction::View).await {
        Ok(access) => access,
        Err(error) => return error_response(error),
    };
    let file = match app::db::library::file(&state.pool, access.community.id, id).await {
        Ok(Some(file)) => file,
        Ok(None) => return error_response(AppError::NotFound),
        Err(error) => return error_response(AppError::internal(error)),
    };
    let path: PathBuf = state.files_dir.join(&file.storage_key);
    let opened = match tokio::fs::File::open(&path).await {
        Ok(opened) => opened,
        Err(error) => {
            tracing::error!(%error, resource = id, "a library file is missing");
            return error_response(AppError::NotFound);
        }
    };
    let body = Body::from_stream(tokio_util::io::ReaderStream::new(opened));
    let mut response = (StatusCode::OK, body).into_response();
    let headers = response.headers_mut();
    if let Ok(kind) = HeaderValue::from_str(&file.content_type) {
        headers.insert(header::CONTENT_TYPE, kind);
    }
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(file.size_bytes.max(0) as u64));
    if let Ok(disposition) =
        HeaderValue::from_str(&format!("attachment; filename=\"{}\"", file.file_name))
    {
        headers.insert(header::CONTENT_DISPOSITION, disposition);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("sandbox"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn download_names_keep_safe_characters_and_the_real_extension() {
        assert_eq!(clean_name("Kit list (v2).pdf", "pdf"), "Kit-list--v2.pdf");
        assert_eq!(clean_name("run.sh.pdf", "pdf"), "run-sh.pdf");
        assert_eq!(clean_name("photo.txt", "png"), "photo.png");
        assert_eq!(clean_name("\"><.pdf", "pdf"), "file.pdf");
    }
}
