//! What makes Kindred installable as an app: the service worker (with this deployment's
//! build id), the offline page it shows when the network is gone, and the build id
//! itself, which every response names so an old worker knows it has been replaced.
//!
//! The web app manifest and icons are static files in `public/`.

use std::hash::{DefaultHasher, Hasher};
use std::path::Path;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// Response header naming the deployment that answered (read by the service worker).
pub const BUILD_HEADER: &str = "x-kindred-build";

/// The service worker's source; `__BUILD__` is replaced by the build id.
const WORKER_SOURCE: &str = include_str!("../assets/sw.js");

/// A short id for this deployment's static files: a hash of the name and contents of
/// every file under the site's `pkg/` folder (WASM, JS, CSS) and of the app's icons and
/// manifest. A new build changes it; restarting the same build does not.
pub fn build_id(site_root: &Path) -> String {
    let mut files = Vec::new();
    for folder in ["pkg", "icons"] {
        if let Ok(entries) = std::fs::read_dir(site_root.join(folder)) {
            files.extend(entries.flatten().map(|entry| entry.path()));
        }
    }
    files.push(site_root.join("manifest.webmanifest"));
    files.sort();
    let mut hasher = DefaultHasher::new();
    hasher.write(WORKER_SOURCE.as_bytes());
    for file in files {
        if let Ok(contents) = std::fs::read(&file) {
            let name = file.strip_prefix(site_root).unwrap_or(&file);
            hasher.write(name.to_string_lossy().as_bytes());
            hasher.write(&contents);
        }
    }
    format!("{:016x}", hasher.finish())
}

/// `GET /sw.js`: the service worker for this build. Never cached by the HTTP cache, so
/// the browser's update check always sees the current build.
pub fn service_worker(build: &str) -> Response {
    let source = WORKER_SOURCE.replace("__BUILD__", build);
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("text/javascript; charset=utf-8")),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
            // The worker's own policy: it fetches from this origin only.
            (header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("default-src 'self'")),
        ],
        source,
    )
        .into_response()
}

/// `GET /offline`: the page the service worker shows when a page cannot be fetched. It
/// holds nothing private, so it can be cached; it works without scripts.
pub fn offline_page() -> Response {
    plain_page(StatusCode::OK, "no-cache", "You're offline", OFFLINE_MAIN)
}

/// A page made without the app (no scripts): the site's stylesheet and header, then `main`
/// (trusted HTML), with a CSP that allows only the site's own styles and images.
pub fn plain_page(status: StatusCode, cache: &'static str, title: &str, main: &str) -> Response {
    let html = format!(
        r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>{title} · Kindred</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/pkg/kindred.css">
</head>
<body>
<header class="site-header"><a class="brand" href="/"><span class="brand-mark" aria-hidden="true">◆</span>Kindred</a></header>
<main id="main" class="page">
{main}
</main>
</body>
</html>
"#
    );
    (
        status,
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8")),
            (header::CACHE_CONTROL, HeaderValue::from_static(cache)),
            (
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(
                    "default-src 'none'; style-src 'self'; img-src 'self'; \
                     base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
                ),
            ),
        ],
        html,
    )
        .into_response()
}

/// The offline page's content: a plain explanation and a way back.
const OFFLINE_MAIN: &str = r#"<section class="card narrow">
<h1>You're offline</h1>
<p>Kindred can't reach the network right now, so this page can't be shown. Nothing you already sent is lost.</p>
<p>Check your connection, then try again.</p>
<p><a class="button" href="">Try again</a></p>
</section>"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn build_id_follows_the_static_files() {
        let site = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(site.path().join("pkg")).expect("pkg");
        std::fs::write(site.path().join("pkg/kindred.css"), "body{}").expect("css");
        let first = build_id(site.path());
        assert_eq!(first, build_id(site.path()), "same files, same id");
        std::fs::write(site.path().join("pkg/kindred.css"), "body{color:red}").expect("css");
        assert_ne!(first, build_id(site.path()), "a changed asset is a new build");
        let copy = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(copy.path().join("pkg")).expect("pkg");
        std::fs::write(copy.path().join("pkg/kindred.css"), "body{color:red}").expect("css");
        assert_eq!(build_id(copy.path()), build_id(site.path()), "the same files elsewhere");
    }

    #[tokio::test]
    async fn the_worker_names_its_build_and_is_never_cached() {
        let response = service_worker("abc123");
        assert_eq!(
            response.headers().get(header::CACHE_CONTROL).and_then(|v| v.to_str().ok()),
            Some("no-cache")
        );
        let body = axum::body::to_bytes(response.into_body(), 1 << 20).await.expect("body");
        let source = String::from_utf8(body.to_vec()).expect("utf-8");
        assert!(source.contains(r#"const BUILD = "abc123";"#), "{source}");
        assert!(!source.contains("__BUILD__"));
    }
}
