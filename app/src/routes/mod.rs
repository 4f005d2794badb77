//! Pages, a module per area.

pub mod accounts;
pub mod home;
pub mod profile;
