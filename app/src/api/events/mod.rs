//! `POST /api/events/list`, `/api/events/get`, `/api/events/mine`, `/api/events/create`,
//! `/api/events/rsvp`, `/api/events/cancel`, `/api/events/check_in`,
//! `/api/events/check_in_member`, `/api/events/calendar_feed`, `/api/events/new_calendar_feed`,
//! `/api/events/revoke_calendar_feed`, `/api/events/edit_form`, `/api/events/edit`,
//! `/api/events/check_out`

use leptos::prelude::*;

use crate::domain::event_edit::EditEventForm;
use crate::domain::events::{EventForm, EventPage, EventsPage, OccurrenceSummary};
use crate::error::AppError;

/// A community's upcoming and recent events; `initiative` keeps one initiative's.
#[server(endpoint = "events/list")]
pub async fn list_events(slug: String, initiative: Option<i64>) -> Result<EventsPage, AppError> {
    use crate::api::communities::access_community;
    use crate::auth::policy::CommunityAction;
    let access = access_community(&slug, CommunityAction::View).await?;
    let (pool, viewer) = (&access.state.pool, access.user.as_ref());
    crate::services::events::list(pool, &access.community, access.standing, viewer, initiative)
        .await
}

/// One occurrence: its details, who comes (members see names), the viewer's answer.
#[server(endpoint = "events/get")]
pub async fn get_event(slug: String, occurrence_id: i64) -> Result<EventPage, AppError> {
    use crate::api::communities::access_community;
    use crate::auth::policy::CommunityAction;
    let access = access_community(&slug, CommunityAction::View).await?;
    let viewer = access.user.as_ref().map(|u| u.id);
    let pool = &access.state.pool;
    let origin = request_origin();
    crate::services::events::page(
        pool,
        &access.community,
        access.standing,
        viewer,
        occurrence_id,
        &origin,
    )
    .await
}

/// The occurrences the signed-in person holds or waits for a seat at, across their communities.
#[server(endpoint = "events/mine")]
pub async fn my_events() -> Result<Vec<OccurrenceSummary>, AppError> {
    let state = crate::auth::session::app_state()?;
    let user = crate::auth::session::current_user().await?.ok_or(AppError::Unauthorized)?;
    let mut mine = crate::db::events::mine(&state.pool, user.id, chrono::Utc::now()).await?;
    crate::services::events::label(&mut mine);
    Ok(mine)
}

/// Creates an event (leaders; members for an initiative they own). Redirects to its
/// first occurrence.
#[server(endpoint = "events/create")]
pub async fn create_event(slug: String, form: EventForm) -> Result<(), AppError> {
    use crate::api::communities::act_in_community;
    use crate::auth::policy::CommunityAction;
    // Contribute admits every member; the service applies the host rule (leaders, or
    // the owner of the event's initiative).
    let (access, host) = act_in_community(&slug, CommunityAction::Contribute).await?;
    let id = crate::services::events::create(
        &access.state.pool,
        &access.state.writes,
        &access.community,
        access.standing,
        host,
        form,
    )
    .await?;
    leptos_axum::redirect(&crate::services::events::event_link(&access.community, id));
    Ok(())
}

/// Answers an occurrence: `response` is `going` (with `guests`), `interested` or
/// `not_going`. Going when it is full joins the waitlist; taking an offered seat is
/// answering `going`. `whole_series` = `yes` answers every later date of the series too.
#[server(endpoint = "events/rsvp")]
pub async fn rsvp_event(
    slug: String,
    occurrence_id: i64,
    response: String,
    guests: Option<i64>,
    whole_series: Option<String>,
) -> Result<(), AppError> {
    use crate::api::communities::act_in_community;
    use crate::auth::policy::CommunityAction;
    use crate::domain::events::RsvpChoice;
    use crate::services::events;
    let (access, user) = act_in_community(&slug, CommunityAction::Attend).await?;
    let choice = RsvpChoice::parse(response.trim(), guests)?;
    let (writes, community) = (&access.state.writes, &access.community);
    let dates = match whole_series.as_deref().map(str::trim) {
        Some("yes") => events::Dates::ThisAndLater,
        _ => events::Dates::This,
    };
    events::rsvp(writes, community, user, occurrence_id, dates, choice).await?;
    crate::api::redirect_plain_form(&crate::services::events::event_link(community, occurrence_id));
    Ok(())
}

/// Cancels one occurrence (its hosts); it stays listed, marked cancelled.
#[server(endpoint = "events/cancel")]
pub async fn cancel_event(slug: String, occurrence_id: i64) -> Result<(), AppError> {
    use crate::api::communities::act_in_community;
    use crate::auth::policy::CommunityAction;
    let (access, host) = act_in_community(&slug, CommunityAction::Contribute).await?;
    let (state, community) = (&access.state, &access.community);
    crate::services::events::cancel_occurrence(
        state,
        community,
        access.standing,
        host,
        occurrence_id,
    )
    .await?;
    crate::api::redirect_plain_form(&crate::services::events::event_link(community, occurrence_id));
    Ok(())
}

/// Checks the signed-in member in with the code shown at the event; their attendance
/// becomes a verified contribution.
#[server(endpoint = "events/check_in")]
pub async fn check_in(slug: String, occurrence_id: i64, code: String) -> Result<(), AppError> {
    use crate::api::communities::act_in_community;
    use crate::auth::policy::CommunityAction;
    use crate::services::events::{self, CheckIn};
    let (access, member) = act_in_community(&slug, CommunityAction::Attend).await?;
    let (writes, community) = (&access.state.writes, &access.community);
    events::check_in(writes, community, member, occurrence_id, CheckIn::Code(code)).await?;
    crate::api::redirect_plain_form(&events::event_link(community, occurrence_id));
    Ok(())
}

/// A host checks a member in by handle (ticking the roster, or a walk-in).
#[server(endpoint = "events/check_in_member")]
pub async fn check_in_member(
    slug: String,
    occurrence_id: i64,
    handle: String,
) -> Result<(), AppError> {
    use crate::api::communities::act_in_community;
    use crate::auth::policy::CommunityAction;
    use crate::services::events::{self, CheckIn};
    let (access, host) = act_in_community(&slug, CommunityAction::Contribute).await?;
    let (state, community) = (&access.state, &access.community);
    events::check_host(&state.pool, community, access.standing, host, occurrence_id).await?;
    let handle = handle.trim().trim_start_matches('@').to_lowercase();
    let member = crate::db::users::by_handle(&state.pool, &handle)
        .await?
        .ok_or_else(|| AppError::invalid("handle", "No one has that handle."))?;
    events::check_in(&state.writes, community, member, occurrence_id, CheckIn::Host(host)).await?;
    crate::api::redirect_plain_form(&events::event_link(community, occurrence_id));
    Ok(())
}

/// The scheme and host this request came to (`https://kindred.example.org`), for links
/// people open on another device (the check-in QR code).
#[cfg(feature = "ssr")]
fn request_origin() -> String {
    let Some(parts) = leptos::prelude::use_context::<http::request::Parts>() else {
        return String::new();
    };
    let header = |name: &str| parts.headers.get(name).and_then(|v| v.to_str().ok());
    let host = header("host").unwrap_or("localhost");
    let scheme = header("x-forwarded-proto").unwrap_or("http");
    format!("{scheme}://{host}")
}

/// Whether the signed-in person has a private calendar feed.
#[server(endpoint = "events/calendar_feed")]
pub async fn calendar_feed() -> Result<bool, AppError> {
    let state = crate::auth::session::app_state()?;
    let user = crate::auth::session::require_user().await?;
    Ok(crate::db::events::has_feed(&state.pool, user.id).await?)
}

/// Makes the signed-in person a new private calendar link (the old one stops working) and
/// returns it; a plain form is sent back to `/events` with the link to show once.
#[server(endpoint = "events/new_calendar_feed")]
pub async fn new_calendar_feed() -> Result<String, AppError> {
    let state = crate::auth::session::app_state()?;
    let user = crate::auth::session::require_user().await?;
    let token = crate::services::calendar::new_feed(&state.writes, user.id).await?;
    let link = format!("{}/calendar/{token}.ics", request_origin());
    crate::api::redirect_plain_form(&format!("/events?feed={}", crate::params::urlencode(&link)));
    Ok(link)
}

/// Turns the signed-in person's private calendar link off.
#[server(endpoint = "events/revoke_calendar_feed")]
pub async fn revoke_calendar_feed() -> Result<(), AppError> {
    let state = crate::auth::session::app_state()?;
    let user = crate::auth::session::require_user().await?;
    crate::services::calendar::revoke_feed(&state.writes, user.id).await?;
    crate::api::redirect_plain_form("/events");
    Ok(())
}

/// The edit form of an occurrence, filled in as it is now (its hosts).
#[server(endpoint = "events/edit_form")]
pub async fn event_edit_form(
    slug: String,
    occurrence_id: i64,
) -> Result<(OccurrenceSummary, EditEventForm), AppError> {
    use crate::api::communities::act_in_community;
    use crate::auth::policy::CommunityAction;
    let (access, host) = act_in_community(&slug, CommunityAction::Contribute).await?;
    let (pool, community) = (&access.state.pool, &access.community);
    crate::services::events::edit_form(pool, community, access.standing, host, occurrence_id).await
}

/// Changes an occurrence, this and later dates, or every upcoming date (`form[scope]`:
/// `this` | `following` | `all`); its hosts only. Redirects to the occurrence.
#[server(endpoint = "events/edit")]
pub async fn edit_event(
    slug: String,
    occurrence_id: i64,
    form: EditEventForm,
) -> Result<(), AppError> {
    use crate::api::communities::act_in_community;
    use crate::auth::policy::CommunityAction;
    use crate::services::events;
    let (access, host) = act_in_community(&slug, CommunityAction::Contribute).await?;
    let (state, community) = (&access.state, &access.community);
    events::edit(state, community, access.standing, host, occurrence_id, form).await?;
    leptos_axum::redirect(&events::event_link(community, occurrence_id));
    Ok(())
}

/// Checks the signed-in member out of an event that counts time present; their time
/// there, bounded by the schedule, becomes a verified contribution.
#[server(endpoint = "events/check_out")]
pub async fn check_out(slug: String, occurrence_id: i64) -> Result<(), AppError> {
    use crate::api::communities::act_in_community;
    use crate::auth::policy::CommunityAction;
    use crate::services::events;
    let (access, member) = act_in_community(&slug, CommunityAction::Attend).await?;
    let (writes, community) = (&access.state.writes, &access.community);
    events::check_out(writes, community, member, occurrence_id).await?;
    crate::api::redirect_plain_form(&events::event_link(community, occurrence_id));
    Ok(())
}
