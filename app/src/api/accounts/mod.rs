//! Accounts: sign up, sign in, sign out, the current user, profiles, passwords and
//! e-mail verification.

mod email;
mod password;
mod profile;
mod session;
mod sign_up;

pub use email::*;
pub use password::*;
pub use profile::*;
pub use session::*;
pub use sign_up::*;
