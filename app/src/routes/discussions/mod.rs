//! Discussion pages: the thread list, a thread, starting one, moderation, search, history.

mod history;
mod list;
mod moderation;
mod new_thread;
mod search;
mod thread;

pub use history::PostHistoryPage;
pub use list::DiscussionsPage;
pub use moderation::ModerationPage;
pub use new_thread::NewThreadPage;
pub use search::SearchPage;
pub use thread::ThreadPage;

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

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
