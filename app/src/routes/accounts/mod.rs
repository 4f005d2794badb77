//! Account pages: sign up, sign in, passwords, e-mail verification.

mod password;
mod sign_in;
mod sign_up;
mod verify_email;

pub use password::{ChangePasswordPage, ForgotPasswordPage, ResetPasswordPage};
pub use sign_in::SignInPage;
pub use sign_up::SignUpPage;
pub use verify_email::VerifyEmailPage;
