//! Reading the current URL: route parameters and query parameters, as signals pages
//! can track. Shared by every page; pages never import these from each other.

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

/// A text route parameter (`:slug`, `:handle`, `:token`); empty when absent.
pub fn use_text_param(name: &'static str) -> Memo<String> {
    let params = use_params_map();
    Memo::new(move |_| params.read().get(name).unwrap_or_default())
}

/// The `:slug` of the current URL.
pub fn use_slug() -> Memo<String> {
    use_text_param("slug")
}

/// The numeric `:id` of the current URL; 0 when absent or not a number (the server
/// answers 404 for it).
pub fn use_id() -> Memo<i64> {
    let params = use_params_map();
    Memo::new(move |_| params.read().get("id").and_then(|id| id.parse::<i64>().ok()).unwrap_or(0))
}

/// A query parameter of the current URL, if present and not empty.
pub fn use_query_param(name: &'static str) -> Signal<Option<String>> {
    let query = use_query_map();
    Signal::derive(move || query.read().get(name).filter(|v| !v.is_empty()))
}

/// A numeric query parameter of the current URL.
pub fn use_query_number(name: &'static str) -> Signal<Option<i64>> {
    let value = use_query_param(name);
    Signal::derive(move || value.get().and_then(|v| v.parse().ok()))
}

/// Percent-encodes `text` for a URL query value (RFC 3986 unreserved characters stay).
pub fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::urlencode;

    #[test]
    fn query_values_are_percent_encoded() {
        assert_eq!(urlencode("river clean-up"), "river%20clean-up");
        assert_eq!(urlencode("a&b=c/é"), "a%26b%3Dc%2F%C3%A9");
    }
}
