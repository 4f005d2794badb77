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

/// A yes-or-no answer from a form's `field` (a leader's decision, a verifier's, a mentor's
/// answer): `yes` ("approve", "verify", "accept") is true, "decline" false; anything else
/// is an error on that field ("Approve or decline.").
#[cfg(feature = "ssr")]
pub fn yes_or_decline(
    field: &str,
    value: &str,
    yes: &'static str,
) -> Result<bool, crate::error::AppError> {
    match value {
        v if v == yes => Ok(true),
        "decline" => Ok(false),
        _ => {
            let word: String = yes
                .chars()
                .take(1)
                .flat_map(char::to_uppercase)
                .chain(yes.chars().skip(1))
                .collect();
            Err(crate::error::AppError::invalid(field, format!("{word} or decline.")))
        }
    }
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

    #[cfg(feature = "ssr")]
    #[test]
    fn a_decision_is_the_yes_word_or_decline() {
        use super::yes_or_decline;
        use crate::error::AppError;
        assert_eq!(yes_or_decline("decision", "verify", "verify"), Ok(true));
        assert_eq!(yes_or_decline("decision", "decline", "approve"), Ok(false));
        assert_eq!(
            yes_or_decline("decision", "verify", "approve"),
            Err(AppError::invalid("decision", "Approve or decline."))
        );
        assert_eq!(
            yes_or_decline("answer", "", "accept"),
            Err(AppError::invalid("answer", "Accept or decline."))
        );
    }

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(safe_next(Some("/u/ada")), Some("/u/ada"));
        assert_eq!(safe_next(Some("https://evil.example")), None);
        assert_eq!(safe_next(Some("//evil.example")), None);
        assert_eq!(safe_next(Some("/\\evil.example")), None);
        assert_eq!(safe_next(None), None);
    }
}
