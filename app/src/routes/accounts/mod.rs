//! Account pages: sign up, sign in, passwords, e-mail verification.

mod password;
mod sign_in;
mod sign_up;
mod verify_email;

pub use password::{ChangePasswordPage, ForgotPasswordPage, ResetPasswordPage};
pub use sign_in::SignInPage;
pub use sign_up::SignUpPage;
pub use verify_email::VerifyEmailPage;

use leptos::prelude::*;

use crate::components::form::Field;
use crate::domain::account::PASSWORD_MAX_CHARS;
use crate::error::AppError;

/// The field for choosing a password (signing up, resetting, changing it): `label` is
/// "Password" or "New password", `hint` says what saving it does besides.
#[component]
fn NewPassword(
    label: &'static str,
    hint: &'static str,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    view! {
        <Field
            label
            name="password"
            kind="password"
            error
            autocomplete="new-password"
            hint
            maxlength=PASSWORD_MAX_CHARS
        />
    }
}
