//! The header and footer around every page.

use leptos::prelude::*;

use crate::components::form::ActionButton;
use crate::context::{use_live, use_session};
use crate::params::use_pathname;

/// Site header: the brand, and who is signed in with their account controls.
///
/// The session and the unread count are awaited in one `Suspend` (not read with `.get()`,
/// and not in a nested boundary): see `Session::signed_in`.
#[component]
pub fn Header() -> impl IntoView {
    let session = use_session();
    let live = use_live();
    // Refetched after signing in or out, and whenever the live stream says a
    // notification arrived.
    let unread = Resource::new(
        move || {
            (
                session.sign_in.version().get(),
                session.sign_up.version().get(),
                session.sign_out.version().get(),
                live.notices.get(),
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
            <nav aria-label="Main" class="wide-only">
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
                                let me = format!("/u/{}", user.handle);
                                view! {
                                    <a class="wide-only" href="/events">
                                        "My events"
                                    </a>
                                    <a class="wide-only" href="/notifications">
                                        {notifications}
                                    </a>
                                    <a class="who wide-only" href=me.clone()>
                                        {user.display_name.clone()}
                                    </a>
                                    <a class="narrow-only" href="/search">
                                        "Search"
                                    </a>
                                    <ActionButton
                                        action=session.sign_out
                                        fields=vec![]
                                        label="Sign out"
                                        class="link-button"
                                        form_class="inline"
                                    />
                                    <TabBar me=Some(me) unread />
                                }
                                    .into_any()
                            }
                            None => {
                                view! {
                                    <a href="/signin">"Sign in"</a>
                                    <a class="button small" href="/signup">
                                        "Sign up"
                                    </a>
                                    <TabBar me=None unread=0 />
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

/// The phone's tab bar (hidden on wide screens, where the header holds the same links):
/// home, communities, notifications with the unread count and the member's own page, or
/// search for someone signed out. Each is one tap from any page.
#[component]
fn TabBar(
    /// The signed-in member's profile address; `None` when signed out.
    me: Option<String>,
    /// Unread notifications.
    unread: i64,
) -> impl IntoView {
    let signed_in = me.is_some();
    view! {
        <nav class="tab-bar" aria-label="Shortcuts">
            <Tab href="/".to_owned() icon="⌂" label="Home" />
            <Tab href="/communities".to_owned() icon="◇" label="Communities" />
            {if signed_in {
                view! {
                    <Tab href="/notifications".to_owned() icon="✉" label="Notifications" unread />
                }
                    .into_any()
            } else {
                view! { <Tab href="/search".to_owned() icon="⌕" label="Search" /> }.into_any()
            }}
            {me.map(|me| view! { <Tab href=me icon="☺" label="Me" /> })}
        </nav>
    }
}

/// One tab of the tab bar: an icon over its label, marked current on its own pages, with
/// a badge for unread items when there are any.
#[component]
fn Tab(
    href: String,
    icon: &'static str,
    label: &'static str,
    /// Unread items to show on the tab (none when 0).
    #[prop(optional)]
    unread: i64,
) -> impl IntoView {
    let pathname = use_pathname();
    let here = href.clone();
    let current = move || {
        let path = pathname.get();
        let on_it = if here == "/" { path == "/" } else { path.starts_with(here.as_str()) };
        on_it.then_some("page")
    };
    view! {
        <a href=href aria-current=current>
            <span class="tab-icon" aria-hidden="true">
                {icon}
            </span>
            {label}
            {(unread > 0)
                .then(|| {
                    view! {
                        <span class="tab-count">
                            {unread} <span class="visually-hidden">" unread"</span>
                        </span>
                    }
                })}
        </a>
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
