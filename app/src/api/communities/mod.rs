//! Communities: founding, the directory, home pages, membership and leadership.

mod access;
mod directory;
mod found;
mod home;
mod invites;
mod join;
mod leadership;
mod members;
mod requests;

#[cfg(feature = "ssr")]
pub use access::{Access, access_as, access_community};
pub use directory::*;
pub use found::*;
pub use home::*;
pub use invites::*;
pub use join::*;
pub use leadership::*;
pub use members::*;
pub use requests::*;
