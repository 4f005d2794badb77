//! Server functions: the whole HTTP API, a folder per domain.
//!
//! Each is thin: who is asking -> policy check -> db/service -> typed result.
//! Every endpoint is explicit and listed in `docs/API.md`.

pub mod accounts;
pub mod challenges;
pub mod communities;
pub mod discussions;
pub mod events;
pub mod home;
pub mod impact;
pub mod library;
pub mod mentoring;
pub mod notifications;
pub mod recognition;

/// A redirect target from a form, kept only if it is a local path (no open redirects).
pub fn safe_next(next: Option<&str>) -> Option<&str> {
    next.filter(|n| n.starts_with('/') && !n.starts_with("//") && !n.contains('\\'))
}

/// Sends a plain (JavaScript-off) form post on to `path`; a hydrated page stays
/// where it is and refreshes its data instead, so the reader is not moved.
#[cfg(feature = "ssr")]
pub fn redirect_plain_form(path: &str) {
    let plain = leptos::prelude::use_context::<http::request::Parts>().is_some_and(|parts| {
        parts
            .headers
            .get(http::header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("text/html"))
    });
    if plain {
        leptos_axum::redirect(path);
    }
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(safe_next(Some("/u/ada")), Some("/u/ada"));
        assert_eq!(safe_next(Some("https://evil.example")), None);
        assert_eq!(safe_next(Some("//evil.example")), None);
        assert_eq!(safe_next(Some("/\\evil.example")), None);
        assert_eq!(safe_next(None), None);
    }
}
