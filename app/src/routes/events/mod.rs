//! Event pages: a community's events, a new event, one occurrence, and my events.

mod edit;
mod form;
mod list;
mod new;
mod occurrence;

pub use edit::EditEventPage;
pub use list::{EventsListPage, MyEventsPage};
pub use new::NewEventPage;
pub use occurrence::OccurrencePage;
