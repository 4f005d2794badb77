//! Pages, a module per area.

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
pub mod profile;
pub mod recognition;
pub mod settings;
