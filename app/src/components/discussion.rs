//! Pieces of discussion pages: the composer with its preview, a post with its
//! reactions and actions, a thread row, and highlighted search snippets.

use leptos::form::ActionForm;
use leptos::html;
use leptos::prelude::*;

use crate::components::form::{ActionButton, Hidden};

use crate::api::discussions::{
    DeletePost, EditPost, FlagPost, HidePost, React, UnhidePost, preview_post,
};
use crate::components::community::plural;
use crate::domain::discussion::{
    BODY_MAX_CHARS, PostBody, PostView, ReactionKind, ThreadPermissions, ThreadSummary, page_after,
    post_link, snippet_runs,
};
use crate::error::AppError;

/// A Markdown text box with a Preview button. Inside a form: with JavaScript the
/// preview appears in place; without, the button submits the draft to `preview_url`
/// (GET), whose page shows `server_preview`.
#[component]
pub fn Composer(
    /// The community (previews render its mentions).
    slug: String,
    /// The visible label.
    label: &'static str,
    /// The textarea's id.
    id: &'static str,
    /// The starting text.
    #[prop(into)]
    initial: String,
    /// The form's error.
    error: Signal<Option<AppError>>,
    /// Where a plain form sends the draft to be previewed.
    preview_url: String,
    /// A preview the server already rendered (JavaScript off).
    #[prop(default = None)]
    server_preview: Option<String>,
    /// Changes to a new non-zero value when the form was sent: the box empties.
    #[prop(optional, into)]
    clear: Option<Signal<usize>>,
) -> impl IntoView {
    let textarea = NodeRef::<html::Textarea>::new();
    let preview = ServerAction::<crate::api::discussions::PreviewPost>::new();
    let shown = RwSignal::new(server_preview);
    Effect::new(move |_| {
        if let Some(Ok(html)) = preview.value().get() {
            shown.set(Some(html));
        }
    });
    if let Some(clear) = clear {
        Effect::new(move |previous: Option<usize>| {
            let now = clear.get();
            if previous.is_some_and(|p| p != now)
                && now > 0
                && let Some(area) = textarea.get()
            {
                area.set_value("");
                shown.set(None);
            }
            now
        });
    }
    let message = move || {
        error.get().and_then(|e| e.field_errors().and_then(|f| f.get("body").map(str::to_owned)))
    };
    let preview_error = move || match preview.value().get() {
        Some(Err(e)) => Some(e.to_string()),
        _ => None,
    };
    let on_preview = move |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        if let Some(area) = textarea.get() {
            preview.dispatch(crate::api::discussions::PreviewPost {
                slug: slug.clone(),
                body: area.value(),
            });
        }
    };
    // A reply refused with JavaScript off comes back with its text (see `KeptForm`).
    let initial = crate::components::form::starting_value(initial, "body");
    let error_id = format!("{id}-error");
    let error_ref = error_id.clone();
    let initial_value = initial.clone();
    view! {
        <div class="field composer">
            <label for=id>{label}</label>
            <p class="hint">
                "Markdown works: **bold**, _italic_, > quotes, lists, [links](https://…). Mention people with @handle."
            </p>
            <textarea
                id=id
                name="body"
                rows=6
                maxlength=BODY_MAX_CHARS
                required=true
                node_ref=textarea
                prop:value=initial_value
                aria-invalid=move || message().map(|_| "true")
                aria-describedby=move || message().map(|_| error_ref.clone())
            >
                {crate::components::form::textarea_text(initial)}
            </textarea>
            {move || {
                message()
                    .map(|m| {
                        view! {
                            <p class="field-error" id=error_id.clone()>
                                {m}
                            </p>
                        }
                    })
            }}
            <div class="composer-actions">
                <button
                    type="submit"
                    class="button secondary"
                    formmethod="get"
                    formaction=preview_url
                    formnovalidate=true
                    on:click=on_preview
                >
                    "Preview"
                </button>
            </div>
            {move || {
                preview_error()
                    .map(|m| {
                        view! {
                            <p class="field-error" role="alert">
                                {m}
                            </p>
                        }
                    })
            }}
            {move || {
                shown
                    .get()
                    .map(|html| {
                        view! {
                            <section class="preview" aria-label="Preview">
                                <p class="hint">"Preview"</p>
                                <div class="post-body" inner_html=html></div>
                            </section>
                        }
                    })
            }}
        </div>
    }
}

/// The server actions a thread page offers on its posts (one of each per page).
#[derive(Clone, Copy)]
pub struct PostActions {
    /// Give or take back a reaction.
    pub react: ServerAction<React>,
    /// Edit one's own post.
    pub edit: ServerAction<EditPost>,
    /// Delete a post.
    pub delete: ServerAction<DeletePost>,
    /// Flag a post.
    pub flag: ServerAction<FlagPost>,
    /// Hide a post (moderators).
    pub hide: ServerAction<HidePost>,
    /// Show a hidden post again (moderators).
    pub unhide: ServerAction<UnhidePost>,
}

/// Where a post sits on the page, and what the viewer may do with it.
#[derive(Clone)]
pub struct PostContext {
    /// The community's slug.
    pub slug: String,
    /// The thread's id.
    pub thread_id: i64,
    /// What the viewer may do.
    pub permissions: ThreadPermissions,
    /// The community's values, for flags and hiding.
    pub values: Vec<String>,
    /// The page's actions.
    pub actions: PostActions,
}

/// One post: who wrote it and when, its body (or why it is not shown), reactions and actions.
#[component]
pub fn PostCard(
    /// The post.
    post: PostView,
    /// The page around it.
    context: PostContext,
    /// The post's Markdown source, when the viewer is editing it.
    #[prop(optional)]
    editing: Option<String>,
) -> impl IntoView {
    let PostContext { slug, thread_id, permissions, values, actions } = context;
    let anchor = format!("post-{}", post.number);
    let by_id = format!("post-{}-by", post.number);
    let page = page_after(post.number);
    let here = format!("/c/{slug}/d/{thread_id}?after={page}");
    let visible = matches!(post.body, PostBody::Visible(_));
    let deleted = matches!(post.body, PostBody::Deleted);
    let hidden = matches!(post.body, PostBody::Hidden { .. });
    let reply_to = post.reply_to.clone().map(|target| {
        let link = post_link(&slug, thread_id, target.number);
        view! {
            <p class="reply-to">
                "In reply to " <a href=link>{format!("@{} (#{})", target.author, target.number)}</a>
            </p>
        }
    });
    let body = match (editing, post.body.clone()) {
        (Some(source), _) => view! {
            <EditForm
                post_id=post.id
                slug=slug.clone()
                source
                action=actions.edit
                cancel=format!("{here}#{anchor}")
            />
        }
        .into_any(),
        (None, PostBody::Visible(html)) => {
            view! { <div class="post-body" inner_html=html></div> }.into_any()
        }
        (None, PostBody::Deleted) => {
            view! { <p class="placeholder">"This post was deleted."</p> }.into_any()
        }
        (None, PostBody::Hidden { reason, html }) => view! {
            <div class="hidden-notice" role="note">
                <p>
                    <strong>"Hidden by moderators."</strong>
                    " "
                    {reason}
                </p>
                {html
                    .map(|html| {
                        view! {
                            <p class="hint">"Only its author and moderators can read it:"</p>
                            <div class="post-body hidden-body" inner_html=html></div>
                        }
                    })}
            </div>
        }
        .into_any(),
    };
    let reactions = visible.then(|| {
        view! {
            <Reactions
                post=post.clone()
                slug=slug.clone()
                can_react=permissions.participate
                action=actions.react
            />
        }
    });
    let quote = (visible && permissions.can_reply)
        .then(|| view! { <a href=format!("{here}&quote={}#reply", post.id)>"Quote"</a> });
    let edit = (post.mine && !deleted && permissions.participate)
        .then(|| view! { <a href=format!("{here}&edit={}#{anchor}", post.id)>"Edit"</a> });
    let delete = (!deleted && ((post.mine && permissions.participate) || permissions.moderate))
        .then(|| {
            let slug = slug.clone();
            view! {
                <details class="post-tool">
                    <summary>"Delete"</summary>
                    <ActionForm action=actions.delete attr:class="tool-form">
                        <Hidden name="slug" value=slug />
                        <Hidden name="post_id" value=post.id.to_string() />
                        <p>"Delete this post? A placeholder keeps the thread readable."</p>
                        <button type="submit" class="button danger small">
                            "Delete post"
                        </button>
                    </ActionForm>
                </details>
            }
        });
    let reason_form = |kind| {
        view! { <ReasonForm kind post_id=post.id slug=slug.clone() values=values.clone() actions /> }
    };
    let flag = (!deleted && permissions.participate && !post.mine).then(|| {
        if post.flagged {
            view! { <span class="meta">"You flagged this post for moderators."</span> }.into_any()
        } else {
            reason_form(ReasonKind::Flag).into_any()
        }
    });
    let hide = (visible && permissions.moderate).then(|| reason_form(ReasonKind::Hide));
    let unhide = (hidden && permissions.moderate).then(|| {
        let slug = slug.clone();
        view! {
            <ActionButton
                action=actions.unhide
                fields=vec![("slug", slug), ("post_id", post.id.to_string())]
                label="Show again"
                class="link-button"
                form_class="inline"
            />
        }
    });
    let history = post.edited.then(|| {
        view! {
            " · "
            <a href=format!("/c/{slug}/p/{}/history", post.id)>"edited"</a>
        }
    });
    let labelled_by = by_id.clone();
    view! {
        <article class="post card" id=anchor.clone() aria-labelledby=labelled_by>
            <header class="post-meta">
                <a id=by_id href=format!("/u/{}", post.author)>
                    {post.author_name.clone()}
                </a>
                " "
                <span class="handle">{format!("@{}", post.author)}</span>
                " · "
                <a class="post-number" href=format!("#{anchor}")>
                    {format!("#{}", post.number)}
                </a>
                " · "
                <time datetime=post
                    .created_at
                    .to_rfc3339()>{post.created_at.format("%-d %b %Y, %H:%M").to_string()}</time>
                {history}
            </header>
            {reply_to}
            {body}
            <footer class="post-actions">
                {reactions}
                <div class="post-tools">{quote} {edit} {delete} {flag} {hide} {unhide}</div>
            </footer>
        </article>
    }
    .into_any()
}

/// Reaction buttons (members) or counts (everyone else).
#[component]
fn Reactions(
    post: PostView,
    slug: String,
    can_react: bool,
    action: ServerAction<React>,
) -> impl IntoView {
    let buttons = ReactionKind::ALL
        .into_iter()
        .filter_map(|kind| {
            let given = post.reactions.iter().find(|r| r.kind == kind).copied();
            let count = given.map_or(0, |r| r.count);
            let mine = given.is_some_and(|r| r.mine);
            let name = if count > 0 {
                format!("{} ({count})", kind.label())
            } else {
                kind.label().to_owned()
            };
            if !can_react {
                return (count > 0).then(|| {
                    view! {
                        <span class="reaction" title=kind.label()>
                            <span aria-hidden="true">{kind.emoji()}</span>
                            " "
                            {count}
                            <span class="visually-hidden">{format!(" {}", kind.label())}</span>
                        </span>
                    }
                    .into_any()
                });
            }
            Some(
                view! {
                    <button
                        type="submit"
                        name="kind"
                        value=kind.as_str()
                        class="reaction"
                        aria-label=name
                        title=kind.label()
                        aria-pressed=if mine { "true" } else { "false" }
                    >
                        <span aria-hidden="true">{kind.emoji()}</span>
                        {(count > 0).then(|| format!(" {count}"))}
                    </button>
                }
                .into_any(),
            )
        })
        .collect_view();
    if !can_react {
        return view! {
            <div class="reactions" role="group" aria-label="Reactions">
                {buttons}
            </div>
        }
        .into_any();
    }
    // One form for the five buttons: the pressed button sends its own `kind` (with
    // JavaScript off the browser adds the submitter's name and value; `ActionForm` does
    // the same), so a post carries one form and two hidden fields instead of five and fifteen.
    view! {
        <ActionForm action>
            <Hidden name="slug" value=slug />
            <Hidden name="post_id" value=post.id.to_string() />
            <div class="reactions" role="group" aria-label="Reactions">
                {buttons}
            </div>
        </ActionForm>
    }
    .into_any()
}

/// Flagging a post, or hiding it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum ReasonKind {
    Flag,
    Hide,
}

/// A disclosure with a form that cites one of the community's values and/or a note.
#[component]
fn ReasonForm(
    kind: ReasonKind,
    post_id: i64,
    slug: String,
    values: Vec<String>,
    actions: PostActions,
) -> impl IntoView {
    let (summary, button, prefix) = match kind {
        ReasonKind::Flag => ("Flag", "Flag post", "flag"),
        ReasonKind::Hide => ("Hide", "Hide post", "hide"),
    };
    let value_id = format!("{prefix}-value-{post_id}");
    let note_id = format!("{prefix}-note-{post_id}");
    let fields = view! {
        <Hidden name="slug" value=slug />
        <Hidden name="post_id" value=post_id.to_string() />
        <div class="field">
            <label for=value_id.clone()>"Which of our values does it go against?"</label>
            <select id=value_id name="value">
                <option value="">"None — I'll explain in a note"</option>
                {values
                    .into_iter()
                    .enumerate()
                    .map(|(i, v)| view! { <option value=i.to_string()>{v}</option> })
                    .collect_view()}
            </select>
        </div>
        <div class="field">
            <label for=note_id.clone()>"Note"</label>
            <textarea id=note_id name="note" rows=2 maxlength=500usize></textarea>
        </div>
        <button type="submit" class="button small">
            {button}
        </button>
    };
    let form = match kind {
        ReasonKind::Flag => view! {
            <ActionForm action=actions.flag attr:class="tool-form">
                {fields}
            </ActionForm>
        }
        .into_any(),
        ReasonKind::Hide => view! {
            <ActionForm action=actions.hide attr:class="tool-form">
                {fields}
            </ActionForm>
        }
        .into_any(),
    };
    view! {
        <details class="post-tool">
            <summary>{summary}</summary>
            {form}
        </details>
    }
}

/// Editing one's own post in place.
#[component]
fn EditForm(
    post_id: i64,
    slug: String,
    source: String,
    action: ServerAction<EditPost>,
    cancel: String,
) -> impl IntoView {
    let id = format!("edit-{post_id}");
    let source_value = source.clone();
    view! {
        <ActionForm action attr:class="edit-form">
            <Hidden name="slug" value=slug />
            <Hidden name="post_id" value=post_id.to_string() />
            <div class="field">
                <label for=id.clone()>"Edit your post"</label>
                <textarea
                    id=id
                    name="body"
                    rows=6
                    maxlength=BODY_MAX_CHARS
                    required=true
                    prop:value=source_value
                >
                    {crate::components::form::textarea_text(source)}
                </textarea>
            </div>
            <div class="actions">
                <button type="submit" class="button">
                    "Save changes"
                </button>
                <a href=cancel>"Cancel"</a>
            </div>
        </ActionForm>
    }
}

/// A thread in a list: title, who started it, category, replies, last activity.
#[component]
pub fn ThreadRow(thread: ThreadSummary, slug: String) -> impl IntoView {
    view! {
        <li class="thread-row">
            <div>
                <a class="thread-title" href=format!("/c/{slug}/d/{}", thread.id)>
                    {thread.title.clone()}
                </a>
                {thread
                    .pinned
                    .then(|| {
                        view! {
                            " "
                            <span class="badge">"Pinned"</span>
                        }
                    })}
                {thread
                    .locked
                    .then(|| {
                        view! {
                            " "
                            <span class="badge">"Locked"</span>
                        }
                    })}
                {thread
                    .category
                    .clone()
                    .map(|c| {
                        view! {
                            " "
                            <span class="tag">{c}</span>
                        }
                    })}
            </div>
            <p class="meta">
                {format!(
                    "Started by @{} · {} · active {}",
                    thread.author,
                    plural(thread.replies, "reply").replace("replys", "replies"),
                    thread.last_post_at.format("%-d %b %Y, %H:%M"),
                )}
            </p>
        </li>
    }
}

/// A search snippet with its matches marked.
#[component]
pub fn Snippet(text: String) -> impl IntoView {
    snippet_runs(&text)
        .into_iter()
        .map(|(run, marked)| {
            if marked {
                view! { <mark>{run}</mark> }.into_any()
            } else {
                view! { <span>{run}</span> }.into_any()
            }
        })
        .collect_view()
}

/// Renders a draft for the page's plain-form preview (JavaScript off): `None` without a draft.
pub async fn server_preview(slug: String, draft: Option<String>) -> Option<String> {
    match draft.filter(|d| !d.trim().is_empty()) {
        Some(body) => preview_post(slug, body).await.ok(),
        None => None,
    }
}
