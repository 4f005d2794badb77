//! The fields a new event and an event's edit form share.

use leptos::prelude::*;

use crate::components::form::{Field, TitleAndDescription};
use crate::domain::event_edit::EditEventForm;
use crate::error::AppError;

/// What the event is, when in the day it runs and where: title, description, start and
/// end times (with a date first for a new event), "ends after midnight", place and
/// online link, submitted as `form[…]`.
#[component]
pub(super) fn EventBasics(
    /// The form's error.
    error: Signal<Option<AppError>>,
    /// The values shown at first (empty for a new event).
    #[prop(optional)]
    form: EditEventForm,
    /// Whether the times come after a date field (a new event's first date; an edit
    /// keeps the dates it changes).
    #[prop(optional)]
    with_date: bool,
) -> impl IntoView {
    let date = with_date.then(|| {
        view! { <Field label="Date" name="date" input_name="form[date]" kind="date" error /> }
    });
    view! {
        <TitleAndDescription
            error
            hint="Markdown: what to bring, who it is for."
            title=form.title
            description=form.description
        />
        <div class="field-row">
            {date}
            <Field
                label="Starts"
                name="starts"
                input_name="form[starts]"
                kind="time"
                error
                value=form.starts
            />
            <Field
                label="Ends"
                name="ends"
                input_name="form[ends]"
                kind="time"
                error
                value=form.ends
            />
        </div>
        <div class="field checkbox">
            <input
                type="checkbox"
                id="ends_next_day"
                name="form[ends_next_day]"
                value="yes"
                checked=form.ends_next_day == "yes"
            />
            <label for="ends_next_day">"Ends after midnight"</label>
        </div>
        <Field
            label="Place"
            name="place"
            input_name="form[place]"
            error
            required=false
            maxlength=200usize
            value=form.place
        />
        <Field
            label="Online link"
            name="online_url"
            input_name="form[online_url]"
            kind="url"
            error
            required=false
            hint="Members see it on the event page."
            value=form.online_url
        />
    }
}

/// The seat limit; empty for none.
#[component]
pub fn Seats(
    /// The form's error, if any.
    error: Signal<Option<AppError>>,
    /// The current limit, when editing.
    #[prop(optional, into)]
    value: String,
    /// What a limit means on this form.
    hint: &'static str,
) -> impl IntoView {
    view! {
        <Field
            label="Seats"
            name="capacity"
            input_name="form[capacity]"
            kind="number"
            error
            required=false
            value
            hint
        />
    }
}
