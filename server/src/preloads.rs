//! Preload hints for a lazily loaded page's WASM chunks, so a phone fetches them beside the
//! main bundle instead of after it.
//!
//! Leptos adds these hints after rendering a lazy page, looking the build's split manifest up
//! from the request's root reactive owner. Leptos provides the manifest from
//! `HydrationScripts`, on whichever owner renders it: in the type-erased release build that
//! is not the root, so the lookup found nothing and no hint was sent (docs/RELIABILITY.md,
//! the "without `ServerMetaContext`" lines). Reading the same manifest once at start and
//! providing it on the root, with the request's other contexts, lets Leptos's code find it.

use std::collections::HashMap;
use std::path::Path;

use leptos::WasmSplitManifest;
use leptos::reactive::owner::ArcStoredValue;

/// The name `cargo leptos build --split` gives the manifest when files are not hashed.
const MANIFEST: &str = "__wasm_split_manifest.json";
/// The loader script `cargo leptos build --split` writes beside it, likewise.
const LOADER: &str = "__wasm_split.______________________.js";

/// The build's split manifest (which chunks each lazy page needs), or `None` when the site
/// was built without `--split` or not at all (as in the Rust tests).
pub fn split_manifest(site_root: &Path, pkg_dir: &str) -> Option<WasmSplitManifest> {
    let path = site_root.join(pkg_dir).join(MANIFEST);
    let text = std::fs::read_to_string(&path).ok()?;
    match serde_json::from_str::<HashMap<String, Vec<String>>>(&text) {
        Ok(chunks) => Some(WasmSplitManifest(ArcStoredValue::new((
            format!("/{pkg_dir}"),
            chunks,
            LOADER.to_owned(),
        )))),
        Err(error) => {
            tracing::warn!(%error, path = %path.display(), "the split manifest could not be read; lazy pages get no preload hints");
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use leptos::reactive::traits::ReadValue;

    #[test]
    fn the_manifest_names_each_lazy_pages_chunks_under_the_package_path() {
        let site = tempfile::tempdir().expect("a folder");
        std::fs::create_dir(site.path().join("pkg")).expect("pkg");
        std::fs::write(
            site.path().join("pkg").join(MANIFEST),
            r#"{"__goals_route_view_1": ["chunk_4", "split___goals_route_view_1"]}"#,
        )
        .expect("manifest");

        let manifest = split_manifest(site.path(), "pkg").expect("a manifest");
        let (root, chunks, loader) = &*manifest.0.read_value();
        assert_eq!(root, "/pkg");
        assert_eq!(chunks["__goals_route_view_1"], ["chunk_4", "split___goals_route_view_1"]);
        assert_eq!(loader, LOADER);
    }

    #[test]
    fn no_split_build_means_no_manifest() {
        let site = tempfile::tempdir().expect("a folder");
        assert!(split_manifest(site.path(), "pkg").is_none());
        std::fs::create_dir(site.path().join("pkg")).expect("pkg");
        std::fs::write(site.path().join("pkg").join(MANIFEST), "not json").expect("manifest");
        assert!(split_manifest(site.path(), "pkg").is_none());
    }
}
