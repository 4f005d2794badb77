//! Loading, empty and error states.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::error::AppError;

/// Shown while a page's data loads.
#[component]
pub fn Loading() -> impl IntoView {
    view! {
        <p class="loading" aria-live="polite">
            "Loading…"
        </p>
    }
}

/// A line that tells the person what just happened ("Saved."), announced politely to
/// screen readers; nothing while `message` is `None`.
#[component]
pub fn StatusNotice(
    /// What to say, if anything.
    #[prop(into)]
    message: Signal<Option<&'static str>>,
) -> impl IntoView {
    move || {
        message.get().map(|text| {
            view! {
                <p class="notice" role="status">
                    {text}
                </p>
            }
        })
    }
}

/// Sets the HTTP status of the page being rendered on the server (no-op in the browser).
pub fn set_status(code: u16) {
    #[cfg(feature = "ssr")]
    if let (Some(response), Ok(status)) =
        (use_context::<leptos_axum::ResponseOptions>(), http::StatusCode::from_u16(code))
    {
        response.set_status(status);
    }
    #[cfg(not(feature = "ssr"))]
    let _ = code;
}

/// A whole-page error: says what happened and sets the matching HTTP status.
#[component]
pub fn ErrorPage(error: AppError) -> impl IntoView {
    set_status(error.status_code());
    if error == AppError::NotFound {
        return view! { <NotFound /> }.into_any();
    }
    let signed_out = error == AppError::Unauthorized;
    view! {
        <Title text="Something went wrong" />
        <section class="card error-page">
            <h1>"Something went wrong"</h1>
            <p role="alert">{error.to_string()}</p>
            {signed_out
                .then(|| {
                    view! {
                        <p>
                            <a href="/signin">"Sign in"</a>
                        </p>
                    }
                })}
        </section>
    }
    .into_any()
}

/// The page for an address that does not exist (or is not visible to the viewer).
#[component]
pub fn NotFound() -> impl IntoView {
    set_status(404);
    view! {
        <Title text="Not found" />
        <section class="card error-page">
            <h1>"Page not found"</h1>
            <p>"There's nothing here. It may have moved, or the link may be mistyped."</p>
            <p>
                <a href="/">"Back to Kindred"</a>
            </p>
        </section>
    }
}
