//! `/c/{slug}/e/{id}`: one occurrence — when and where, who comes, your answer.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::events::{CancelEvent, CheckIn, CheckInMember, CheckOut, RsvpEvent, get_event};
use crate::components::community::plural;
use crate::components::events::{RsvpButton, people, seats_words, status_words};
use crate::components::form::{ActionButton, ErrorSummary, Hidden, Submit, first_error};
use crate::components::page::{Description, OnReload, community_data, community_page};
use crate::domain::events::{Attendee, CheckinSheet, EventPage, Recurrence, RsvpStatus};
use crate::params::{use_id, use_query_param};

/// An occurrence's page.
#[component]
pub fn OccurrencePage() -> impl IntoView {
    let id = use_id();
    let rsvp = ServerAction::<RsvpEvent>::new();
    let cancel = ServerAction::<CancelEvent>::new();
    let check_in = ServerAction::<CheckIn>::new();
    let check_in_member = ServerAction::<CheckInMember>::new();
    let check_out = ServerAction::<CheckOut>::new();
    let error = first_error!(rsvp, cancel, check_in, check_in_member, check_out);
    let data = community_data(
        move || {
            let versions = [
                rsvp.version(),
                cancel.version(),
                check_in.version(),
                check_in_member.version(),
                check_out.version(),
            ];
            (id.get(), versions.map(|v| v.get()))
        },
        |slug, (id, _)| get_event(slug, id),
    );
    let code = use_query_param("code");
    community_page(None, OnReload::KeepContent, data, move |page, community| {
        let slug = community.slug;
        let o = page.occurrence.clone();
        view! {
            <Title text=o.title.clone() />
            <article class="event">
                <h1>{o.title.clone()}</h1>
                {o
                    .cancelled
                    .then(|| {
                        view! {
                            <p class="warning" role="status">
                                "This occurrence was cancelled."
                            </p>
                        }
                    })}
                <p class="when">{o.when.clone()}</p>
                <p class="meta">
                    {(!o.place.is_empty()).then(|| o.place.clone())}
                    {(!page.online_url.is_empty())
                        .then(|| {
                            view! {
                                " · "
                                <a href=page.online_url.clone() rel="noopener">
                                    "Join online"
                                </a>
                            }
                        })} " · " {page.recurrence.label()}
                    {o.initiative.clone().map(|i| format!(" · for {i}"))}
                </p>
                <p>
                    <a href=format!(
                        "/c/{slug}/e/{}/event.ics",
                        o.id,
                    )>"Add to your calendar (.ics)"</a>
                </p>
                <p class="seats">
                    {seats_words(&o)}
                    {(page.waiting > 0)
                        .then(|| format!(" · {} waiting", people(page.waiting as usize)))}
                </p>
                <ErrorSummary error />
                <YourAnswer page=page.clone() slug=slug.clone() rsvp />
                {(page.checkin_open || page.can_check_out)
                    .then(|| {
                        view! {
                            <SelfCheckIn
                                checked_in=page.checked_in
                                can_check_out=page.can_check_out
                                slug=slug.clone()
                                occurrence=o.id
                                code=code.get_untracked().unwrap_or_default()
                                action=check_in
                                check_out
                            />
                        }
                    })}
                {page
                    .sheet
                    .clone()
                    .map(|sheet| {
                        view! {
                            <HostCheckIn
                                sheet
                                slug=slug.clone()
                                occurrence=o.id
                                action=check_in_member
                            />
                        }
                    })}
                <Description html=page.description_html.clone() heading="About this event" />
                <Attendees attendees=page.attendees.clone() />
                {(!page.next_in_series.is_empty())
                    .then(|| {
                        view! {
                            <section aria-labelledby="next-heading">
                                <h2 id="next-heading">"Next in this series"</h2>
                                <ul>
                                    {page
                                        .next_in_series
                                        .iter()
                                        .map(|next| {
                                            view! {
                                                <li>
                                                    <a href=format!(
                                                        "/c/{slug}/e/{}",
                                                        next.id,
                                                    )>{next.when.clone()}</a>
                                                    {next
                                                        .mine
                                                        .map(|answer| {
                                                            view! {
                                                                <span class="meta">
                                                                    {format!(" · {}", status_words(answer))}
                                                                </span>
                                                            }
                                                        })}
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ul>
                            </section>
                        }
                    })}
                {page
                    .can_manage
                    .then(|| {
                        view! {
                            <p>
                                <a
                                    class="button secondary"
                                    href=format!("/c/{slug}/e/{}/edit", o.id)
                                >
                                    "Edit event"
                                </a>
                            </p>
                            <details class="danger-zone">
                                <summary>"Cancel this occurrence"</summary>
                                <p>
                                    "Everyone going or waiting is told. The occurrence stays listed, marked cancelled."
                                </p>
                                <ActionButton
                                    action=cancel
                                    fields=vec![
                                        ("slug", slug.clone()),
                                        ("occurrence_id", o.id.to_string()),
                                    ]
                                    label="Cancel this occurrence"
                                    class="button danger"
                                />
                            </details>
                        }
                    })}
            </article>
        }
    })
}

/// The viewer's answer and the buttons to change it.
#[component]
fn YourAnswer(page: EventPage, slug: String, rsvp: ServerAction<RsvpEvent>) -> impl IntoView {
    let id = page.occurrence.id;
    let mine = page.mine.clone();
    let status = mine.as_ref().map(|m| m.status);
    let summary = mine.as_ref().map(|m| match (m.status, m.position, &m.offer_until) {
        (RsvpStatus::Waitlisted, Some(position), _) => {
            format!("You're on the waitlist: number {position} in line.")
        }
        (RsvpStatus::Offered, _, Some(until)) => {
            format!("A seat opened up and is held for you until {until}. Take it below.")
        }
        (RsvpStatus::Going, _, _) if m.guests > 0 => {
            format!("You're going, with {}.", plural(m.guests, "guest"))
        }
        (status, _, _) => format!("{}.", status_words(status)),
    });
    if !page.can_rsvp {
        let closed = if page.occurrence.cancelled { "" } else { "RSVPs are closed." };
        return view! {
            <section class="card rsvp" aria-labelledby="rsvp-heading">
                <h2 id="rsvp-heading">"Your answer"</h2>
                <p>{summary.unwrap_or_else(|| closed.to_owned())}</p>
            </section>
        }
        .into_any();
    }
    let going_label = match status {
        Some(RsvpStatus::Offered) => "Take the seat",
        Some(RsvpStatus::Going) => "Update guests",
        _ if page.occurrence.capacity.is_some_and(|c| page.occurrence.seats_taken >= c) => {
            "Join the waitlist"
        }
        _ => "Going",
    };
    let guests = mine.as_ref().map_or(0, |m| m.guests);
    let other_answer = |(response, label): (&'static str, &'static str), whole_series: bool| {
        view! {
            <RsvpButton
                rsvp
                slug=slug.clone()
                occurrence=id
                response
                label=label.to_owned()
                whole_series
                secondary=true
            />
        }
    };
    view! {
        <section class="card rsvp" aria-labelledby="rsvp-heading">
            <h2 id="rsvp-heading">"Your answer"</h2>
            {summary
                .map(|s| {
                    view! {
                        <p class="status" role="status">
                            {s}
                        </p>
                    }
                })}
            <p class="meta">{format!("RSVPs close {}.", page.rsvp_closes)}</p>
            <div class="rsvp-buttons">
                <RsvpButton
                    rsvp
                    slug=slug.clone()
                    occurrence=id
                    response="going"
                    label=going_label.to_owned()
                    guests_max=page.guests_max
                    guests
                />
                {[
                    ("interested", "Interested", RsvpStatus::Interested),
                    ("not_going", "Not going", RsvpStatus::NotGoing),
                ]
                    .into_iter()
                    .filter(|(_, _, answer)| {
                        status != Some(*answer)
                            && (*answer != RsvpStatus::NotGoing || status.is_some())
                    })
                    .map(|(response, label, _)| other_answer((response, label), false))
                    .collect_view()}
            </div>
            {(page.recurrence != Recurrence::Once)
                .then(|| {
                    view! {
                        <p class="meta">"Or answer for this date and every later one:"</p>
                        <div class="rsvp-buttons">
                            {[("going", "Going to every date"), ("not_going", "Not going to any")]
                                .map(|answer| other_answer(answer, true))}
                        </div>
                    }
                })}
        </section>
    }
    .into_any()
}

/// Who comes (members only see names): going, offered a seat, then the waitlist.
#[component]
fn Attendees(attendees: Vec<Attendee>) -> impl IntoView {
    if attendees.is_empty() {
        return ().into_any();
    }
    let (going, waiting): (Vec<_>, Vec<_>) =
        attendees.into_iter().partition(|a| a.status == RsvpStatus::Going);
    let list = |people: Vec<Attendee>| {
        people
            .into_iter()
            .map(|a| {
                let guests = (a.guests > 0).then(|| format!(" +{}", a.guests));
                let offered = (a.status == RsvpStatus::Offered).then_some(" (offered a seat)");
                view! {
                    <li>
                        <a href=format!("/u/{}", a.handle)>{a.display_name}</a>
                        {guests}
                        {offered}
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <section aria-labelledby="going-heading">
            <h2 id="going-heading">{format!("Going ({})", going.len())}</h2>
            <ul class="attendees">{list(going)}</ul>
        </section>
        {(!waiting.is_empty())
            .then(|| {
                view! {
                    <section aria-labelledby="waitlist-heading">
                        <h2 id="waitlist-heading">"Waitlist"</h2>
                        <ol class="attendees">{list(waiting)}</ol>
                    </section>
                }
            })}
    }
    .into_any()
}

/// A member checks in with the code shown at the event (a scanned QR code fills it in).
#[component]
fn SelfCheckIn(
    checked_in: bool,
    can_check_out: bool,
    slug: String,
    occurrence: i64,
    code: String,
    action: ServerAction<CheckIn>,
    check_out: ServerAction<CheckOut>,
) -> impl IntoView {
    if can_check_out {
        return view! {
            <section class="card checkin" aria-labelledby="checkout-heading">
                <h2 id="checkout-heading">"You're checked in"</h2>
                <p>"This event counts the time you are here. Check out when you leave."</p>
                <ActionButton
                    action=check_out
                    fields=vec![("slug", slug), ("occurrence_id", occurrence.to_string())]
                    label="Check out"
                />
            </section>
        }
        .into_any();
    }
    if checked_in {
        return view! {
            <p class="status checked-in" role="status">
                "You're checked in. Thank you for coming!"
            </p>
        }
        .into_any();
    }
    view! {
        <section class="card checkin" aria-labelledby="checkin-heading">
            <h2 id="checkin-heading">"Check in"</h2>
            <ActionForm action>
                <Hidden name="slug" value=slug />
                <Hidden name="occurrence_id" value=occurrence.to_string() />
                <div class="field">
                    <label for="code">"Event code"</label>
                    <input
                        id="code"
                        name="code"
                        value=code
                        autocomplete="off"
                        autocapitalize="characters"
                        maxlength="12"
                        required
                    />
                </div>
                <Submit label="Check in" />
            </ActionForm>
        </section>
    }
    .into_any()
}

/// The hosts' check-in sheet: the code as text and as a QR code, the roster with a
/// button for each person not yet checked in, and a box for walk-ins.
#[component]
fn HostCheckIn(
    sheet: CheckinSheet,
    slug: String,
    occurrence: i64,
    action: ServerAction<CheckInMember>,
) -> impl IntoView {
    let walk_in_slug = slug.clone();
    let tick = move |handle: String, name: String| {
        let slug = slug.clone();
        view! {
            <ActionButton
                action=action
                fields=vec![
                    ("slug", slug),
                    ("occurrence_id", occurrence.to_string()),
                    ("handle", handle),
                ]
                label=format!("Check in {name}")
                class="button small"
                form_class="inline"
            />
        }
    };
    view! {
        <section class="card checkin-sheet" aria-labelledby="sheet-heading">
            <h2 id="sheet-heading">"Check people in"</h2>
            <p>
                "Members scan the code or type it on this page: "
                <strong class="code">{sheet.code.clone()}</strong>
            </p>
            <div
                class="qr"
                role="img"
                aria-label="QR code of the check-in link"
                inner_html=sheet.qr_svg.clone()
            ></div>
            <ul class="plain-list roster">
                {sheet
                    .roster
                    .into_iter()
                    .map(move |person| {
                        let done = person.checked_in;
                        view! {
                            <li>
                                {person.display_name.clone()} " "
                                {if done {
                                    view! { <span class="badge">"Checked in"</span> }.into_any()
                                } else {
                                    tick(person.handle.clone(), person.display_name.clone())
                                        .into_any()
                                }}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            <ActionForm action>
                <Hidden name="slug" value=walk_in_slug />
                <Hidden name="occurrence_id" value=occurrence.to_string() />
                <div class="field">
                    <label for="walk-in">"Walk-in (their handle)"</label>
                    <input id="walk-in" name="handle" autocomplete="off" required />
                </div>
                <Submit label="Check in walk-in" class="button secondary" />
            </ActionForm>
        </section>
    }
}
