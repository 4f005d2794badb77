//! `/signup`

use leptos::form::ActionForm;
use leptos::prelude::*;

use crate::components::page::PageHeading;

use super::NewPassword;
use leptos_meta::Title;

use crate::components::form::{ErrorSummary, Field, Submit, form_error};
use crate::context::use_session;
use crate::domain::account::{DISPLAY_NAME_MAX_CHARS, EMAIL_MAX_CHARS, HANDLE_MAX_CHARS};

/// The sign-up form.
#[component]
pub fn SignUpPage() -> impl IntoView {
    let session = use_session();
    let action = session.sign_up;
    let error = form_error(action.value());
    view! {
        <Title text="Sign up" />
        <section class="card narrow">
            <PageHeading
                title="Join Kindred"
                lede="One account for every community you belong to."
            />
            <ActionForm action>
                <ErrorSummary error />
                <Field
                    label="Handle"
                    name="handle"
                    error
                    autocomplete="username"
                    hint="3–30 lower-case letters, digits, - or _. Your profile lives at /u/handle."
                    maxlength=HANDLE_MAX_CHARS
                />
                <Field
                    label="Display name"
                    name="display_name"
                    error
                    autocomplete="name"
                    maxlength=DISPLAY_NAME_MAX_CHARS
                />
                <Field
                    label="Email"
                    name="email"
                    kind="email"
                    error
                    autocomplete="email"
                    hint="Never shown to other members."
                    maxlength=EMAIL_MAX_CHARS
                />
                <NewPassword
                    label="Password"
                    error
                    hint="12–128 characters. A few words you'll remember works well."
                />
                <Submit
                    label="Create account"
                    busy="Creating your account…"
                    pending=action.pending()
                />
            </ActionForm>
            <p class="aside">"Already a member? " <a href="/signin">"Sign in"</a></p>
        </section>
    }
}
