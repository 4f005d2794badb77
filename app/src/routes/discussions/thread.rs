//! `/c/{slug}/d/{id}`: a thread's posts in pages of 50, the reply form, moderator
//! tools, and new replies from others appearing live at the bottom.

use crate::params::use_id;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::discussions::{
    DeletePost, EditPost, FlagPost, HidePost, ModerateThread, React, Reply, UnhidePost, get_thread,
    new_posts,
};
use crate::components::community::CommunityNav;
use crate::components::discussion::{Composer, PostActions, PostCard, PostContext, server_preview};
use crate::components::feedback::Loading;
use crate::components::form::{
    ActionButton, ErrorSummary, FormKey, Hidden, Submit, first_error, form_error,
};
use crate::components::page::{BackLink, settled};
use crate::context::use_live;
use crate::domain::discussion::{PostView, ThreadPage as Page, add_live_posts};
use crate::error::AppError;
use crate::params::use_slug;
use crate::params::{use_query_number, use_query_param};

/// How often an open thread asks for new replies even when the live stream is quiet (a
/// proxy that cuts streams, a browser without `EventSource`).
const POLL_EVERY: std::time::Duration = std::time::Duration::from_secs(30);

/// One thread.
#[component]
pub fn ThreadPage() -> impl IntoView {
    let slug = use_slug();
    let id = use_id();
    let after = use_query_number("after");
    let quote = use_query_number("quote");
    let reply_to = use_query_number("reply_to");
    let edit = use_query_number("edit");
    let draft = use_query_param("body");

    let reply = ServerAction::<Reply>::new();
    let moderate = ServerAction::<ModerateThread>::new();
    let actions = PostActions {
        react: ServerAction::<React>::new(),
        edit: ServerAction::<EditPost>::new(),
        delete: ServerAction::<DeletePost>::new(),
        flag: ServerAction::<FlagPost>::new(),
        hide: ServerAction::<HidePost>::new(),
        unhide: ServerAction::<UnhidePost>::new(),
    };
    let reply_error = form_error(reply.value());
    let tool_error = tool_error(actions, moderate);
    let sent = Signal::derive(move || match reply.value().get() {
        Some(Ok(())) => reply.version().get(),
        _ => 0,
    });

    let data = Resource::new(
        move || {
            (
                (slug.get(), id.get(), after.get(), quote.get().or(reply_to.get()), edit.get()),
                (
                    reply.version().get(),
                    moderate.version().get(),
                    actions.react.version().get(),
                    actions.edit.version().get(),
                    actions.delete.version().get(),
                    actions.flag.version().get(),
                    actions.hide.version().get(),
                    actions.unhide.version().get(),
                ),
                draft.get(),
            )
        },
        |((slug, id, after, quote, edit), _, draft)| async move {
            let page = get_thread(slug.clone(), id, after, quote, edit).await?;
            Ok::<_, AppError>((page, server_preview(slug, draft).await))
        },
    );

    // Live replies: while the last page is open, the page watches the thread on the live
    // stream and, each time it says there is something new (and every half minute
    // besides), asks for posts after the newest one shown and adds them at the bottom
    // (nothing above moves).
    let live = RwSignal::new(Vec::<PostView>::new());
    let tail = RwSignal::new(None::<(String, i64, i64)>);
    let stream = use_live();
    let poll = move || {
        let Some((slug, thread, last)) = tail.get_untracked() else {
            return;
        };
        let after = live.with_untracked(|l| l.last().map(|p| p.number)).unwrap_or(last);
        leptos::task::spawn_local(async move {
            let Ok(posts) = new_posts(slug.clone(), thread, after).await else {
                return;
            };
            // The page may have reloaded (or moved to another thread) while this ran.
            let newest_on_page = tail.with_untracked(|t| {
                t.as_ref().filter(|(s, id, _)| *s == slug && *id == thread).map(|(_, _, n)| *n)
            });
            if let Some(newest_on_page) = newest_on_page
                && !posts.is_empty()
            {
                live.update(|added| add_live_posts(added, newest_on_page, posts));
            }
        });
    };
    Effect::new(move |_| {
        stream.watching.set(tail.with(|t| t.as_ref().map(|(slug, id, _)| (slug.clone(), *id))));
    });
    on_cleanup(move || stream.watching.set(None));
    Effect::new(move |previous: Option<u64>| {
        let heard = stream.posts.get();
        if previous.is_some() {
            poll();
        }
        heard
    });
    Effect::new(move |_| {
        if let Ok(handle) = set_interval_with_handle(poll, POLL_EVERY) {
            on_cleanup(move || handle.clear());
        }
    });

    view! {
        <Transition fallback=Loading>
            {settled(
                data,
                move |(page, preview)| {
                    {
                        let slug = slug.get_untracked();
                        live.set(Vec::new());
                        tail.set(
                            page
                                .next
                                .is_none()
                                .then(|| {
                                    (
                                        slug.clone(),
                                        page.thread.id,
                                        page.posts.last().map_or(page.after, |p| p.number),
                                    )
                                }),
                        );
                        let draft = draft.get_untracked();
                        view! {
                            <ThreadView
                                page
                                slug
                                preview
                                draft
                                actions
                                reply
                                moderate
                                reply_error
                                tool_error
                                sent
                                live
                            />
                        }
                            .into_any()
                    }
                },
            )}
        </Transition>
    }
}

/// The error from whichever post or thread tool was used last.
fn tool_error(
    actions: PostActions,
    moderate: ServerAction<ModerateThread>,
) -> Signal<Option<AppError>> {
    first_error!(
        actions.react,
        actions.edit,
        actions.delete,
        actions.flag,
        actions.hide,
        actions.unhide,
        moderate
    )
}

/// The loaded thread.
#[component]
fn ThreadView(
    page: Page,
    slug: String,
    preview: Option<String>,
    draft: Option<String>,
    actions: PostActions,
    reply: ServerAction<Reply>,
    moderate: ServerAction<ModerateThread>,
    reply_error: Signal<Option<AppError>>,
    tool_error: Signal<Option<AppError>>,
    sent: Signal<usize>,
    live: RwSignal<Vec<PostView>>,
) -> impl IntoView {
    let thread = page.thread.clone();
    let context = PostContext {
        slug: slug.clone(),
        thread_id: thread.id,
        permissions: page.permissions,
        values: page.values.clone(),
        actions,
    };
    let editing = page.editing.clone();
    let base = format!("/c/{slug}/d/{}", thread.id);
    let pager = Pager {
        base: base.clone(),
        previous: page.previous,
        next: page.next,
        last: page.last,
        after: page.after,
    };
    let posts = page
        .posts
        .iter()
        .cloned()
        .map(|post| {
            let source = editing.as_ref().filter(|(id, _)| *id == post.id).map(|(_, s)| s.clone());
            match source {
                Some(source) => {
                    view! { <PostCard post context=context.clone() editing=source /> }.into_any()
                }
                None => view! { <PostCard post context=context.clone() /> }.into_any(),
            }
        })
        .collect_view();
    let live_context = context.clone();
    let live_count = move || live.with(Vec::len);
    view! {
        <Title text=thread.title.clone() />
        <CommunityNav slug=slug.clone() leader=page.permissions.leader />
        <BackLink
            href=format!("/c/{slug}/discussions")
            label=format!("{} discussions", page.community_name)
        />
        <div class="page-heading">
            <h1>{thread.title.clone()}</h1>
            <p class="meta">
                {thread
                    .pinned
                    .then(|| {
                        view! {
                            <span class="badge">"Pinned"</span>
                            " "
                        }
                    })}
                {thread
                    .locked
                    .then(|| {
                        view! {
                            <span class="badge">"Locked"</span>
                            " "
                        }
                    })} {thread.category.clone().map(|c| view! { <span class="tag">{c}</span> })}
            </p>
        </div>
        {page
            .permissions
            .moderate
            .then(|| {
                view! {
                    <ThreadTools
                        slug=slug.clone()
                        thread_id=thread.id
                        pinned=thread.pinned
                        locked=thread.locked
                        action=moderate
                    />
                }
                    .into_any()
            })}
        <ErrorSummary error=tool_error />
        <h2 class="visually-hidden">"Posts"</h2>
        {pager.view()}
        <div class="posts">{posts}</div>
        <div class="posts live-posts">
            <For each=move || live.get() key=|p| p.number let(post)>
                <PostCard post context=live_context.clone() />
            </For>
        </div>
        <p class="visually-hidden" aria-live="polite">
            {move || match live_count() {
                0 => String::new(),
                1 => "1 new reply".to_owned(),
                n => format!("{n} new replies"),
            }}
        </p>
        {pager.view()}
        <ReplySection page slug preview draft reply error=reply_error sent />
    }
    .into_any()
}

/// Links between a thread's pages.
struct Pager {
    base: String,
    previous: Option<i64>,
    next: Option<i64>,
    last: i64,
    after: i64,
}

impl Pager {
    fn view(&self) -> impl IntoView + use<> {
        let link = |after: i64| {
            if after == 0 { self.base.clone() } else { format!("{}?after={after}", self.base) }
        };
        (self.previous.is_some() || self.next.is_some()).then(|| {
            let first = self.previous.map(|_| view! { <a href=link(0)>"First"</a> });
            let previous = self.previous.map(|p| {
                view! {
                    <a href=link(p) rel="prev">
                        "Previous"
                    </a>
                }
            });
            let next = self.next.map(|n| {
                view! {
                    <a href=link(n) rel="next">
                        "Next"
                    </a>
                }
            });
            let latest = (self.after < self.last)
                .then(|| view! { <a href=format!("{}#reply", link(self.last))>"Latest"</a> });
            view! {
                <nav class="pager actions" aria-label="Pages">
                    {first}
                    {previous}
                    {next}
                    {latest}
                </nav>
            }
            .into_any()
        })
    }
}

/// Pin / unpin and lock / unlock (moderators).
#[component]
fn ThreadTools(
    slug: String,
    thread_id: i64,
    pinned: bool,
    locked: bool,
    action: ServerAction<ModerateThread>,
) -> impl IntoView {
    let tool = move |value: &'static str, label: &'static str| {
        let slug = slug.clone();
        view! {
            <ActionButton
                action=action
                fields=vec![
                    ("slug", slug),
                    ("thread_id", thread_id.to_string()),
                    ("action", value.into()),
                ]
                label=label
                class="button secondary small"
                form_class="inline"
            />
        }
    };
    view! {
        <div class="actions thread-tools" role="group" aria-label="Moderator tools">
            {if pinned { tool("unpin", "Unpin") } else { tool("pin", "Pin") }}
            {if locked { tool("unlock", "Unlock") } else { tool("lock", "Lock") }}
        </div>
    }
}

/// The reply form, or why there is none.
#[component]
fn ReplySection(
    page: Page,
    slug: String,
    preview: Option<String>,
    draft: Option<String>,
    reply: ServerAction<Reply>,
    error: Signal<Option<AppError>>,
    sent: Signal<usize>,
) -> impl IntoView {
    let thread_id = page.thread.id;
    if !page.permissions.can_reply {
        let why = if page.thread.locked && page.permissions.participate {
            view! { <p>"This thread is locked: it takes no new replies."</p> }.into_any()
        } else if page.thread.locked {
            view! { <p>"This thread is locked."</p> }.into_any()
        } else {
            view! {
                <p>
                    "Only members reply. "
                    <a href=format!("/c/{slug}")>{format!("Join {}", page.community_name)}</a>
                    " to take part, or " <a href="/signin">"sign in"</a> "."
                </p>
            }
            .into_any()
        };
        return view! {
            <section id="reply" class="card notice-card">
                {why}
            </section>
        }
        .into_any();
    }
    let here = format!("/c/{slug}/d/{thread_id}?after={}", page.after);
    let quoting = page.quote.clone().map(|q| {
        view! {
            <p class="reply-to">
                {format!("Replying to @{} (#{}) · ", q.target.author, q.target.number)}
                <a href=format!("{here}#reply")>"Cancel quote"</a>
            </p>
            <Hidden name="reply_to" value=q.target.id.to_string() />
        }
    });
    let initial =
        draft.or_else(|| page.quote.as_ref().map(|q| q.quoted.clone())).unwrap_or_default();
    view! {
        <section id="reply" class="card">
            <h2>"Reply"</h2>
            <ActionForm action=reply>
                <ErrorSummary error />
                <Hidden name="slug" value=slug.clone() />
                <Hidden name="thread_id" value=thread_id.to_string() />
                <FormKey version=reply.version() />
                {quoting}
                <Composer
                    slug=slug.clone()
                    label="Your reply"
                    id="reply-body"
                    initial
                    error
                    preview_url=format!("/c/{slug}/d/{thread_id}")
                    server_preview=preview
                    clear=sent
                />
                <Submit label="Post reply" />
            </ActionForm>
        </section>
    }
    .into_any()
}
