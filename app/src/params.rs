//! Reading the current URL: route parameters and query parameters, as signals pages
//! can track. Shared by every page; pages never import these from each other.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
#[cfg(not(feature = "ssr"))]
use leptos_router::hooks::{use_location, use_query_map};

/// A value read from the current URL.
///
/// In the browser it follows navigation: a memo over the router's state. On the server a
/// page is rendered for one URL, so the value is read once, when the page is made, and
/// kept as a constant: the tasks that load a page's data on other threads never re-read
/// the router's memos. (A reactive_graph 0.2.16 memo read by two threads while it computes
/// can hand one of them an empty value: a page render panicked so, and its request was
/// never answered, in the burst after a 15-second server stall; docs/RELIABILITY.md,
/// "A stalled server process".)
fn from_url<T>(read: impl Fn() -> T + Send + Sync + 'static) -> Signal<T>
where
    T: Clone + PartialEq + Send + Sync + 'static,
{
    #[cfg(feature = "ssr")]
    {
        Signal::stored(untrack(read))
    }
    #[cfg(not(feature = "ssr"))]
    {
        Memo::new(move |_| read()).into()
    }
}

/// A text route parameter (`:slug`, `:handle`, `:token`); empty when absent.
pub fn use_text_param(name: &'static str) -> Signal<String> {
    let params = use_params_map();
    from_url(move || params.read().get(name).unwrap_or_default())
}

/// A text route parameter, if present and not empty.
pub fn use_optional_text_param(name: &'static str) -> Signal<Option<String>> {
    let params = use_params_map();
    from_url(move || params.read().get(name).filter(|value| !value.is_empty()))
}

/// The `:slug` of the current URL.
pub fn use_slug() -> Signal<String> {
    use_text_param("slug")
}

/// The numeric `:id` of the current URL; 0 when absent or not a number (the server
/// answers 404 for it).
pub fn use_id() -> Signal<i64> {
    let params = use_params_map();
    from_url(move || params.read().get("id").and_then(|id| id.parse::<i64>().ok()).unwrap_or(0))
}

/// The path of the current URL (`/c/river-keepers/goals`).
pub fn use_pathname() -> Signal<String> {
    #[cfg(feature = "ssr")]
    {
        Signal::stored(request_url().map(|url| url.path().to_owned()).unwrap_or_default())
    }
    #[cfg(not(feature = "ssr"))]
    {
        let location = use_location();
        from_url(move || location.pathname.get())
    }
}

/// A query parameter of the current URL, if present and not empty.
pub fn use_query_param(name: &'static str) -> Signal<Option<String>> {
    #[cfg(feature = "ssr")]
    {
        let value = request_url().and_then(|url| url.search_params().get(name));
        Signal::stored(value.filter(|v| !v.is_empty()))
    }
    #[cfg(not(feature = "ssr"))]
    {
        let query = use_query_map();
        from_url(move || query.read().get(name).filter(|v| !v.is_empty()))
    }
}

/// On the server: the URL being rendered, as the request gave it (the router parses the
/// same value). Read from context, not from the router's memos: the navigation tabs and
/// the tab bar are made inside a page's `Suspend`, and reading the router's location there
/// panicked under load — "already disposed", or a memo whose value was gone mid-compute
/// (docs/RELIABILITY.md, "A page render can panic").
#[cfg(feature = "ssr")]
fn request_url() -> Option<leptos_router::location::Url> {
    use_context::<leptos_router::location::RequestUrl>()?.parse().ok()
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
