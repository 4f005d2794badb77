//! `/signin`

use leptos::form::ActionForm;
use leptos::prelude::*;

use crate::components::feedback::StatusNotice;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::components::form::{ErrorSummary, Field, Hidden, Submit, form_error};
use crate::context::use_session;

/// The sign-in form. `?next=/path` returns the person there afterwards.
#[component]
pub fn SignInPage() -> impl IntoView {
    let session = use_session();
    let action = session.sign_in;
    let error = form_error(action.value());
    let next = use_query_map().read_untracked().get("next").unwrap_or_default();
    let everywhere = super::password::flag("everywhere");
    view! {
        <Title text="Sign in" />
        <section class="card narrow">
            <h1>"Welcome back"</h1>
            <StatusNotice message=Signal::derive(move || {
                everywhere.get().then_some("You're signed out on every device.")
            }) />
            <ActionForm action>
                <ErrorSummary error />
                <Field label="Handle or email" name="login" error autocomplete="username" />
                <Field
                    label="Password"
                    name="password"
                    kind="password"
                    error
                    autocomplete="current-password"
                />
                {(!next.is_empty()).then(|| view! { <Hidden name="next" value=next.clone() /> })}
                <Submit label="Sign in" busy="Signing in…" pending=action.pending() />
            </ActionForm>
            <p class="aside">
                <a href="/forgot-password">"Forgot your password?"</a>
            </p>
            <p class="aside">"New to Kindred? " <a href="/signup">"Create an account"</a></p>
        </section>
    }
}
