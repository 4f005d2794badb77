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
