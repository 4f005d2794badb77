//! `/forgot-password`, `/reset-password?token=…`, `/settings/password`

use leptos::form::ActionForm;
use leptos::prelude::*;

use super::NewPassword;

use crate::components::feedback::StatusNotice;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::accounts::{ChangePassword, ForgotPassword, reset_token_usable};
use crate::components::form::{ActionButton, ErrorSummary, Field, Hidden, Submit, form_error};
use crate::components::page::{Section, loaded};

/// Whether the URL carries a flag such as `?sent=1` (tracked: a form's redirect back to
/// the same page changes only the query).
pub(crate) fn flag(name: &'static str) -> Signal<bool> {
    let query = use_query_map();
    Signal::derive(move || query.read().get(name).is_some())
}

/// Asks for a handle or address and sends a reset link to it.
#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let action = ServerAction::<ForgotPassword>::new();
    let error = form_error(action.value());
    let sent = flag("sent");
    let page = view! {
        <Title text="Forgot your password?" />
        <section class="card narrow">
            <h1>"Forgot your password?"</h1>
            <StatusNotice message=Signal::derive(move || {
                sent.get()
                    .then_some(
                        "If an account uses that handle or address, we've e-mailed it a link to choose a new password. The link works once, for one hour.",
                    )
            }) />
            <p>"Enter your handle or e-mail address and we'll send you a link."</p>
            <ActionForm action>
                <ErrorSummary error />
                <Field label="Handle or email" name="login" error autocomplete="username" />
                <Submit label="Send me a link" pending=action.pending() />
            </ActionForm>
            <p class="aside">"Remembered it? " <a href="/signin">"Sign in"</a></p>
        </section>
    };
    page
}

/// Chooses a new password with the token from a reset e-mail.
#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let token = use_query_map().read_untracked().get("token").unwrap_or_default();
    let usable = Resource::new(|| (), {
        let token = token.clone();
        move |_| reset_token_usable(token.clone())
    });
    let action = crate::context::use_session().reset_password;
    let error = form_error(action.value());
    let page = view! {
        <Title text="Choose a new password" />
        <section class="card narrow">
            <h1>"Choose a new password"</h1>
            {loaded(
                usable,
                move |usable| {
                    let token = token.clone();
                    if !usable {
                        return view! {
                            <p class="error-summary" role="alert">
                                {crate::domain::account::RESET_LINK_INVALID}
                            </p>
                            <p>
                                <a href="/forgot-password">"Send me a new link"</a>
                            </p>
                        }
                            .into_any();
                    }
                    let form = view! {
                        <ActionForm action>
                            <ErrorSummary error />
                            <Hidden name="token" value=token />
                            <NewPassword
                                label="New password"
                                error
                                hint="12–128 characters. Saving it signs you out everywhere else."
                            />
                            <Submit label="Save and sign in" pending=action.pending() />
                        </ActionForm>
                    };
                    form.into_any()
                },
            )}
        </section>
    };
    page
}

/// Changes the signed-in person's password.
#[component]
pub fn ChangePasswordPage() -> impl IntoView {
    let action = ServerAction::<ChangePassword>::new();
    let error = form_error(action.value());
    let (changed, reset) = (flag("changed"), flag("reset"));
    let status = move || {
        if changed.get() {
            Some("Your password is changed. Every other session is signed out.")
        } else if reset.get() {
            Some(
                "Your new password is saved and you're signed in. Every other session is signed out.",
            )
        } else {
            None
        }
    };
    let page = view! {
        <Title text="Password" />
        <section class="card narrow">
            <h1>"Change your password"</h1>
            <StatusNotice message=Signal::derive(status) />
            <ActionForm action>
                <ErrorSummary error />
                <Field
                    label="Current password"
                    name="current"
                    kind="password"
                    error
                    autocomplete="current-password"
                />
                <NewPassword
                    label="New password"
                    error
                    hint="12–128 characters. Changing it signs you out everywhere else."
                />
                <Submit label="Change password" pending=action.pending() />
            </ActionForm>
            <p class="aside">
                <a href="/settings/notifications">"Notification settings"</a>
            </p>
        </section>
        <SignOutEverywhere />
    };
    page
}

/// Ends every session of the account: a lost phone, a shared computer.
#[component]
fn SignOutEverywhere() -> impl IntoView {
    let sign_out = crate::context::use_session().sign_out;
    view! {
        <Section heading="Signed in somewhere else?" id="sessions-heading" class="card narrow">
            <p>
                "Signing out everywhere ends every session of your account, on every device, this one included."
            </p>
            <ActionButton
                action=sign_out
                fields=vec![("everywhere", "true".into())]
                label="Sign out everywhere"
                class="button secondary"
            />
        </Section>
    }
}
