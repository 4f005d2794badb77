//! The header and footer around every page.

use leptos::form::ActionForm;
use leptos::prelude::*;

use crate::context::use_session;

/// Site header: the brand, and who is signed in with their account controls.
///
/// The session and the unread count are awaited in one `Suspend` (not read with `.get()`,
/// and not in a nested boundary): see `Session::signed_in`.
#[component]
pub fn Header() -> impl IntoView {
    let session = use_session();
    let unread = Resource::new(
        move || {
            (
                session.sign_in.version().get(),
                session.sign_up.version().get(),
                session.sign_out.version().get(),
            )
        },
        |_| crate::api::notifications::unread_notifications(),
    );
    view! {
        <header class="site-header">
            <a class="brand" href="/">
                <span class="brand-mark" aria-hidden="true">
                    "◆"
                </span>
                "Kindred"
            </a>
            <nav aria-label="Main">
                <a href="/communities">"Communities"</a>
                <a href="/search">"Search"</a>
            </nav>
            <nav aria-label="Account">
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        let user = session.signed_in().await;
                        let unread = unread.await.unwrap_or(0);
                        match user {
                            Some(user) => {
                                let notifications = if unread > 0 {
                                    format!("Notifications ({unread})")
                                } else {
                                    "Notifications".to_owned()
                                };
                                view! {
                                    <a href="/events">"My events"</a>
                                    <a href="/notifications">{notifications}</a>
                                    <a class="who" href=format!("/u/{}", user.handle)>
                                        {user.display_name.clone()}
                                    </a>
                                    <ActionForm action=session.sign_out attr:class="inline">
                                        <button type="submit" class="link-button">
                                            "Sign out"
                                        </button>
                                    </ActionForm>
                                }
                                    .into_any()
                            }
                            None => {
                                view! {
                                    <a href="/signin">"Sign in"</a>
                                    <a class="button small" href="/signup">
                                        "Sign up"
                                    </a>
                                }
                                    .into_any()
                            }
                        }
                    })}
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
