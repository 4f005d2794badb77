//! `/verify-email?token=…`

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::accounts::VerifyEmail;
use crate::components::form::{ErrorSummary, Hidden, Submit, form_error};

/// Confirms an address: the link from the e-mail opens this page, and its button (a POST,
/// so a mail scanner opening the link changes nothing) confirms it.
#[component]
pub fn VerifyEmailPage() -> impl IntoView {
    let token = use_query_map().read_untracked().get("token").unwrap_or_default();
    let done = super::password::flag("done");
    let action = ServerAction::<VerifyEmail>::new();
    let error = form_error(action.value());
    let body = move || {
        if done.get() {
            view! {
                <p class="notice" role="status">
                    "Thank you: your address is confirmed. Kindred can now e-mail you what you chose."
                </p>
                <p>
                    <a href="/settings/notifications">"Choose what Kindred e-mails you"</a>
                </p>
            }
            .into_any()
        } else {
            let token = token.clone();
            view! {
                <p>"Confirm that this e-mail address is yours."</p>
                <ActionForm action>
                    <ErrorSummary error />
                    <Hidden name="token" value=token />
                    <Submit label="Confirm my address" pending=action.pending() />
                </ActionForm>
            }
            .into_any()
        }
    };
    let page = view! {
        <Title text="Confirm your address" />
        <section class="card narrow">
            <h1>"Confirm your address"</h1>
            {body}
        </section>
    };
    page
}
