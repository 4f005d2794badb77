//! `/notifications`: the signed-in person's notices.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::notifications::{MarkNotificationsRead, list_notifications};
use crate::components::form::ActionButton;
use crate::components::page::loaded;

/// The notice list.
#[component]
pub fn NotificationsPage() -> impl IntoView {
    let mark = ServerAction::<MarkNotificationsRead>::new();
    let list = Resource::new(move || mark.version().get(), |_| list_notifications());
    view! {
        <Title text="Notifications" />
        <h1>"Notifications"</h1>
        <p class="aside">
            <a href="/settings/notifications">"Notification settings"</a>
        </p>
        {loaded(
            list,
            move |items| {
                if items.is_empty() {
                    return view! { <p class="empty">"Nothing yet."</p> }.into_any();
                }
                {
                    view! {
                        <ActionButton
                            action=mark
                            fields=vec![]
                            label="Mark all read"
                            class="button small"
                        />
                        <ul class="plain-list notifications">
                            {items
                                .into_iter()
                                .map(|n| {
                                    view! {
                                        <li class=if n.unread {
                                            "card unread"
                                        } else {
                                            "card"
                                        }>
                                            {if n.link.is_empty() {
                                                view! { <span>{n.body.clone()}</span> }.into_any()
                                            } else {
                                                view! { <a href=n.link.clone()>{n.body.clone()}</a> }
                                                    .into_any()
                                            }}
                                            <p class="meta">
                                                {n.at.format("%-d %b %Y %H:%M").to_string()}
                                            </p>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    }
                        .into_any()
                }
            },
        )}
    }
}
