//! The header and footer around every page.

use leptos::form::ActionForm;
use leptos::prelude::*;

use crate::app::use_session;

/// Site header: the brand, and who is signed in with their account controls.
#[component]
pub fn Header() -> impl IntoView {
    let session = use_session();
    view! {
        <header class="site-header">
            <a class="brand" href="/">
                <span class="brand-mark" aria-hidden="true">"◆"</span>
                "Kindred"
            </a>
            <nav aria-label="Main">
                <a href="/communities">"Communities"</a>
                <a href="/search">"Search"</a>
            </nav>
            <nav aria-label="Account">
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move { match session.signed_in().await {
                        Some(user) => {
                            view! {
                                <NotificationsLink />
                                <a class="who" href=format!("/u/{}", user.handle)>
                                    {user.display_name.clone()}
                                </a>
                                <ActionForm action=session.sign_out attr:class="inline">
                                    <button type="submit" class="link-button">"Sign out"</button>
                                </ActionForm>
                            }
                                .into_any()
                        }
                        None => {
                            view! {
                                <a href="/signin">"Sign in"</a>
                                <a class="button small" href="/signup">"Sign up"</a>
                            }
                                .into_any()
                        }
                    }})}
                </Transition>
            </nav>
        </header>
    }
}

/// Site footer.
#[component]
pub fn Footer() -> impl IntoView {
    view! {
        <footer class="site-footer">
            <p>"Kindred — the home for purpose-driven communities."</p>
        </footer>
    }
}

/// "Notifications", with the unread count when there is one.
#[component]
fn NotificationsLink() -> impl IntoView {
    let unread = Resource::new(|| (), |_| crate::api::notifications::unread_notifications());
    view! {
        <a href="/notifications">
            {move || Suspend::new(async move {
                match unread.await {
                    Ok(n) if n > 0 => format!("Notifications ({n})"),
                    _ => "Notifications".to_owned(),
                }
            })}
        </a>
    }
}
