//! Accounts: sign up, sign in, sign out, the current user, profiles.

mod profile;
mod session;
mod sign_up;

pub use profile::*;
pub use session::*;
pub use sign_up::*;
