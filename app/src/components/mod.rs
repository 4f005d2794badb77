//! Reusable pieces of the interface.

pub mod challenges;
pub mod charts;
pub mod community;
pub mod discussion;
pub mod events;
pub mod feedback;
pub mod form;
pub mod impact;
pub mod layout;
pub mod live;
pub mod page;
pub mod recognition;
#[cfg(feature = "ssr")]
pub mod security;
pub mod table;
