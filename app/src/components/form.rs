//! Form pieces: labelled fields with their messages, and the error summary.
//!
//! A form's error comes from one of two places: the action's result when the
//! page is hydrated, or the `error` query parameter the server adds when it
//! redirects a plain (JavaScript-off) form post back to its page.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos::server_fn::client::Client;
use leptos::server_fn::codec::PostUrl;
use leptos::server_fn::request::ClientReq;
use leptos::server_fn::{Http, ServerFn};
use leptos_router::hooks::use_query_map;

use crate::context::kept_value;
use crate::error::AppError;

/// The error a plain form post left in the URL, if any.
pub fn query_error() -> Option<AppError> {
    let query = use_query_map();
    let raw = query.read().get("error")?;
    serde_json::from_str(&raw).ok()
}

/// The form's current error: the action's, else the one in the URL.
pub fn form_error<T, S>(value: S) -> Signal<Option<AppError>>
where
    T: Clone + Send + Sync + 'static,
    S: Get<Value = Option<Result<T, AppError>>> + Send + Sync + 'static,
{
    let from_url = query_error();
    Signal::derive(move || match value.get() {
        Some(Err(error)) => Some(error),
        Some(Ok(_)) => None,
        None => from_url.clone(),
    })
}

/// The error of whichever of a page's actions answered with one (the first listed wins),
/// else the one in the URL: `let error = first_error!(rsvp, cancel, check_in);`.
macro_rules! first_error {
    ($($action:expr),+ $(,)?) => {{
        let errors = [$($crate::components::form::form_error($action.value())),+];
        ::leptos::prelude::Signal::derive(move || errors.iter().find_map(|e| e.get()))
    }};
}
pub(crate) use first_error;

/// The value a field starts from: the page's own (a value being edited, a draft in the
/// address), else what a refused plain post put in it, so nothing typed is lost when
/// the server sends a JavaScript-off form back (see [`crate::context::KeptForm`]).
pub(crate) fn starting_value(given: String, submitted: &str) -> String {
    if given.is_empty() { kept_value(submitted).unwrap_or_default() } else { given }
}

/// Text to put between `<textarea>` tags. Leptos writes a text area's children into the
/// server's HTML as they are (it escapes the children of most elements, not of
/// `textarea`, `script` and `style`), so a member's text holding `</textarea>` would end
/// the box and the rest would be read as the page's own markup. On the server it is
/// escaped (the browser reads the entities back as the same text); in the browser it
/// becomes a text node, which needs no escaping.
pub fn textarea_text(text: String) -> String {
    #[cfg(feature = "ssr")]
    {
        html_escape::encode_text(&text).into_owned()
    }
    #[cfg(not(feature = "ssr"))]
    {
        text
    }
}

/// The message about one field, if the error has one.
fn field_message(error: &Signal<Option<AppError>>, field: &str) -> Option<String> {
    error.get().and_then(|e| e.field_errors().and_then(|f| f.get(field).map(str::to_owned)))
}

/// The error message under one field, when there is one (its id is `{name}-error`,
/// which the field's `aria-describedby` names).
#[component]
pub fn FieldMessage(error: Signal<Option<AppError>>, name: &'static str) -> impl IntoView {
    move || {
        let message = field_message(&error, name)?;
        Some(view! {
            <p class="field-error" id=format!("{name}-error")>
                {message}
            </p>
        })
    }
}

/// A field's label and, when it has one, the hint under it (id `{name}-hint`).
#[component]
fn FieldLabel(
    label: &'static str,
    name: &'static str,
    hint: Option<&'static str>,
) -> impl IntoView {
    let hint = hint.map(|h| {
        view! {
            <p class="hint" id=format!("{name}-hint")>
                {h}
            </p>
        }
    });
    view! {
        <label for=name>{label}</label>
        {hint}
    }
}

/// The ARIA attributes that tie a field to its hint (when it has one) and its error
/// message (while it shows one): `aria-invalid` and `aria-describedby`.
fn described_by(
    error: Signal<Option<AppError>>,
    name: &'static str,
    has_hint: bool,
) -> (impl Fn() -> Option<&'static str> + Send + Sync, impl Fn() -> Option<String> + Send + Sync) {
    let invalid = move || field_message(&error, name).map(|_| "true");
    let ids = move || {
        let mut ids = Vec::new();
        if has_hint {
            ids.push(format!("{name}-hint"));
        }
        if field_message(&error, name).is_some() {
            ids.push(format!("{name}-error"));
        }
        (!ids.is_empty()).then(|| ids.join(" "))
    };
    (invalid, ids)
}

/// A labelled input with its hint and error message wired up for screen readers.
#[component]
pub fn Field(
    /// The visible label.
    label: &'static str,
    /// The input's name (the server function's argument) and id.
    name: &'static str,
    /// The form's error.
    error: Signal<Option<AppError>>,
    /// The input type.
    #[prop(default = "text")]
    kind: &'static str,
    /// The browser's autocomplete hint.
    #[prop(default = "off")]
    autocomplete: &'static str,
    /// A short hint shown under the label.
    #[prop(optional)]
    hint: Option<&'static str>,
    /// The starting value.
    #[prop(optional, into)]
    value: String,
    /// Whether the field must be filled.
    #[prop(default = true)]
    required: bool,
    /// Most characters the browser lets the person type.
    #[prop(optional)]
    maxlength: Option<usize>,
    /// The submitted name when it differs from `name` (e.g. `form[name]`).
    #[prop(optional)]
    input_name: Option<&'static str>,
    /// A number field's granularity: `"any"` for decimals such as 1.5 hours (a number
    /// field without it takes whole numbers only, in the browser's own check).
    #[prop(optional)]
    step: Option<&'static str>,
) -> impl IntoView {
    let (invalid, described_by) = described_by(error, name, hint.is_some());
    let submitted = input_name.unwrap_or(name);
    let value = if kind == "password" { value } else { starting_value(value, submitted) };
    view! {
        <div class="field">
            <FieldLabel label name hint />
            <input
                id=name
                name=submitted
                type=kind
                autocomplete=autocomplete
                value=value
                required=required
                maxlength=maxlength
                step=step
                aria-invalid=invalid
                aria-describedby=described_by
            />
            <FieldMessage error name />
        </div>
    }
}

/// A labelled multi-line text box with its error message.
#[component]
pub fn TextArea(
    /// The visible label.
    label: &'static str,
    /// The input's name and id.
    name: &'static str,
    /// The form's error.
    error: Signal<Option<AppError>>,
    /// The starting text.
    #[prop(optional, into)]
    value: String,
    /// Most characters allowed.
    #[prop(optional)]
    maxlength: Option<usize>,
    /// A short hint shown under the label.
    #[prop(optional)]
    hint: Option<&'static str>,
    /// The submitted name when it differs from `name`.
    #[prop(optional)]
    input_name: Option<&'static str>,
    /// Visible rows.
    #[prop(default = 5)]
    rows: u32,
) -> impl IntoView {
    let (invalid, described_by) = described_by(error, name, hint.is_some());
    let submitted = input_name.unwrap_or(name);
    let value = starting_value(value, submitted);
    view! {
        <div class="field">
            <FieldLabel label name hint />
            <textarea
                id=name
                name=submitted
                rows=rows
                maxlength=maxlength
                aria-invalid=invalid
                aria-describedby=described_by
            >
                {textarea_text(value)}
            </textarea>
            <FieldMessage error name />
        </div>
    }
}

/// The form-level summary: announced to screen readers when it appears.
#[component]
pub fn ErrorSummary(error: Signal<Option<AppError>>) -> impl IntoView {
    view! {
        <div class="error-summary" role="alert" aria-live="assertive">
            {move || error.get().map(|e| view! { <p>{e.to_string()}</p> })}
        </div>
    }
}

/// A labelled drop-down; `options` are `(value, label)` pairs.
#[component]
pub fn Select(
    /// The visible label.
    label: &'static str,
    /// The error key and id.
    name: &'static str,
    /// The form's error.
    error: Signal<Option<AppError>>,
    /// Choices as (value, label).
    options: Vec<(&'static str, &'static str)>,
    /// The value selected at first.
    #[prop(optional, into)]
    selected: String,
    /// The submitted name when it differs from `name`.
    #[prop(optional)]
    input_name: Option<&'static str>,
) -> impl IntoView {
    let (invalid, described_by) = described_by(error, name, false);
    let submitted = input_name.unwrap_or(name);
    let selected = starting_value(selected, submitted);
    view! {
        <div class="field">
            <label for=name>{label}</label>
            <select id=name name=submitted aria-invalid=invalid aria-describedby=described_by>
                {options
                    .into_iter()
                    .map(|(value, text)| {
                        view! {
                            <option value=value selected=selected == value>
                                {text}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            <FieldMessage error name />
        </div>
    }
}

/// A checkbox with its label and error (e.g. affirming a community's values).
#[component]
pub fn Checkbox(
    /// The visible label.
    label: String,
    /// The error key, id and submitted name.
    name: &'static str,
    /// The form's error.
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let (invalid, described_by) = described_by(error, name, false);
    view! {
        <div class="field checkbox">
            <input
                type="checkbox"
                id=name
                name=name
                value="yes"
                aria-invalid=invalid
                aria-describedby=described_by
            />
            <label for=name>{label}</label>
            <FieldMessage error name />
        </div>
    }
}

/// A hidden form field carrying a fixed value (the slug, an id, a decision).
#[component]
pub fn Hidden(
    /// The field's name, as the server function's argument.
    name: &'static str,
    /// Its value.
    #[prop(into)]
    value: String,
) -> impl IntoView {
    view! { <input type="hidden" name=name value=value /> }
}

/// The hidden `form_key` of a form that makes something (a post, a contribution, a
/// kudos): posting the same rendered form twice — a double tap, back and resubmit, a retry
/// after a dropped connection — makes it once. Each render draws a new key, and a hydrated
/// form moves to the next one after every answer (`version` is the action's), so a second
/// reply written on the same page is a new submission.
#[component]
pub fn FormKey(
    /// The action's version: how many answers it has had.
    #[prop(into)]
    version: Signal<usize>,
) -> impl IntoView {
    let base = fresh_key();
    view! { <input type="hidden" name="form_key" value=move || format!("{base}-{}", version.get()) /> }
}

/// A random key: 96 bits on the server, two draws of `Math.random` in the browser (a
/// key only has to differ from the same person's other forms).
fn fresh_key() -> String {
    #[cfg(feature = "ssr")]
    {
        use std::sync::atomic::{AtomicU64, Ordering};
        static DRAWN: AtomicU64 = AtomicU64::new(0);
        let mut bytes = [0u8; 12];
        if getrandom::fill(&mut bytes).is_ok() {
            return bytes.iter().map(|b| format!("{b:02x}")).collect();
        }
        // No system randomness (never seen): the clock and a counter stay unique here.
        let now = chrono::Utc::now().timestamp_nanos_opt().unwrap_or_default();
        return format!("t{now:x}{:x}", DRAWN.fetch_add(1, Ordering::Relaxed));
    }
    #[cfg(feature = "hydrate")]
    {
        let draw = || (js_sys::Math::random() * 9_007_199_254_740_992.0) as u64;
        return format!("{:x}{:x}", draw(), draw());
    }
    #[allow(unreachable_code)]
    String::from("k")
}

/// An optional choice of one of the community's items (an initiative, a goal, a category),
/// with its first, empty choice saying `none`.
#[component]
pub fn Choice(
    /// The visible label.
    label: &'static str,
    /// The field's id and error key; submitted as `form[name]` unless `input_name` says.
    name: &'static str,
    /// The form's error.
    error: Signal<Option<AppError>>,
    /// Choices as (id, title).
    options: Vec<(i64, String)>,
    /// What the empty choice says.
    #[prop(default = "None")]
    none: &'static str,
    /// The id chosen at first (e.g. from the page's address, or the value being edited).
    #[prop(default = None)]
    selected: Option<i64>,
    /// The submitted name when it is not `form[name]`.
    #[prop(optional)]
    input_name: Option<&'static str>,
) -> impl IntoView {
    let (invalid, described_by) = described_by(error, name, false);
    let submitted = input_name.map_or_else(|| format!("form[{name}]"), str::to_owned);
    let selected = selected.or_else(|| kept_value(&submitted).and_then(|id| id.parse().ok()));
    view! {
        <div class="field">
            <label for=name>{label}</label>
            <select id=name name=submitted aria-invalid=invalid aria-describedby=described_by>
                <option value="">{none}</option>
                {options
                    .into_iter()
                    .map(|(id, title)| {
                        view! {
                            <option value=id.to_string() selected=selected == Some(id)>
                                {title}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            <FieldMessage error name />
        </div>
    }
}

/// The initiative and the goal something serves (an event, a resource), each optional
/// and chosen from the community's own.
#[component]
pub fn InitiativeAndGoal(
    /// The form's error.
    error: Signal<Option<AppError>>,
    /// The community's initiatives as (id, title).
    initiatives: Vec<(i64, String)>,
    /// Its goals as (id, title).
    goals: Vec<(i64, String)>,
) -> impl IntoView {
    view! {
        <Choice label="Initiative" name="initiative_id" error options=initiatives />
        <Choice label="Goal" name="goal_id" error options=goals />
    }
}

/// The title (at most 120 characters) and Markdown description that an event or a
/// challenge starts with, submitted as `form[title]` and `form[description]`.
#[component]
pub fn TitleAndDescription(
    /// The form's error.
    error: Signal<Option<AppError>>,
    /// What the description is for, shown under its label.
    hint: &'static str,
    /// The title shown at first.
    #[prop(optional, into)]
    title: String,
    /// The description shown at first.
    #[prop(optional, into)]
    description: String,
) -> impl IntoView {
    view! {
        <Field
            label="Title"
            name="title"
            input_name="form[title]"
            error
            maxlength=120usize
            value=title
        />
        <TextArea
            label="Description"
            name="description"
            input_name="form[description]"
            error
            value=description
            hint
        />
    }
}

/// A form's submit button. `class` is `button` for the page's main action and
/// `button secondary` for a lesser one. Given its action's `pending`, the button is
/// disabled while the form is being sent, saying `busy` ("Signing in…") if given.
#[component]
pub fn Submit(
    /// What the button says.
    label: &'static str,
    /// The button's class.
    #[prop(default = "button")]
    class: &'static str,
    /// Whether the form is being sent (`action.pending()`).
    #[prop(optional, into)]
    pending: Signal<bool>,
    /// What the button says while the form is being sent.
    #[prop(optional)]
    busy: Option<&'static str>,
) -> impl IntoView {
    let words = move || if pending.get() { busy.unwrap_or(label) } else { label };
    view! {
        <button type="submit" class=class disabled=move || pending.get()>
            {words}
        </button>
    }
}

/// A form that is one button: it posts `fields` as hidden inputs to `action` (approve,
/// sign up, move up, mark as read…), through the action when the page is hydrated and as
/// a plain form post without JavaScript.
#[component]
pub fn ActionButton<ServFn, OutputProtocol>(
    /// The server function the button calls.
    action: ServerAction<ServFn>,
    /// The hidden fields, as (name, value): the slug and the ids the call needs.
    fields: Vec<(&'static str, String)>,
    /// What the button says.
    #[prop(into)]
    label: String,
    /// The button's class.
    #[prop(default = "button")]
    class: &'static str,
    /// The form's class: `inline-form` for one of a row of buttons.
    #[prop(optional)]
    form_class: Option<&'static str>,
) -> impl IntoView
where
    ServFn: serde::de::DeserializeOwned
        + ServerFn<Protocol = Http<PostUrl, OutputProtocol>>
        + Clone
        + Send
        + Sync
        + 'static,
    <<ServFn::Client as Client<ServFn::Error>>::Request as ClientReq<ServFn::Error>>::FormData:
        From<leptos::web_sys::FormData>,
    ServFn::Output: Send + Sync + 'static,
    ServFn::Error: Send + Sync + 'static,
    <ServFn as ServerFn>::Client: Client<<ServFn as ServerFn>::Error>,
{
    view! {
        <ActionForm action attr:class=form_class>
            {fields.into_iter().map(|(name, value)| view! { <Hidden name value /> }).collect_view()}
            <button type="submit" class=class>
                {label}
            </button>
        </ActionForm>
    }
}
