//! Editing an event: only this date, this date and every later one (the series is split
//! in two), or every upcoming date. Past dates keep their facts; answers stay with their
//! dates; nobody loses a seat (a capacity below the seats taken is refused), and seats a
//! larger capacity frees are offered to the people waiting.

use super::*;
use crate::db::Pool;
use crate::db::events::edits;
use crate::domain::event_edit::{EditEventForm, EditScope};

/// Applies `form` to occurrence `id` (and, by its scope, later dates) after the host
/// check. Everyone holding a seat at a changed date is told once. Returns `id`.
pub async fn edit(
    state: &AppState,
    community: &Community,
    standing: Standing,
    host: UserId,
    id: i64,
    form: EditEventForm,
) -> Result<i64, AppError> {
    let edit = form.validate()?;
    let occurrence = store::occurrence(&state.pool, community.id, id, Some(host))
        .await?
        .ok_or(AppError::NotFound)?;
    let owns = owns_initiative(&state.pool, community, &occurrence, host).await?;
    policy::check_host_event(standing, owns)?;
    let now = Utc::now();
    if occurrence.summary.cancelled {
        return Err(AppError::invalid("scope", "This date was cancelled."));
    }
    if occurrence.summary.starts_at <= now {
        return Err(AppError::invalid(
            "scope",
            "This date has begun; past dates keep their facts.",
        ));
    }
    let html = markdown::render(&edit.description, &|_| false);
    let tz = zone(&occurrence.summary.time_zone).unwrap_or(Tz::UTC);
    let instants = move |local_date: &str| {
        let date = chrono::NaiveDate::parse_from_str(local_date, "%Y-%m-%d").unwrap_or_default();
        let start = date.and_time(edit.start);
        (instant(start, tz), instant(start + edit.length, tz))
    };
    let community = community.clone();
    let edit_for_tx = edit.clone();
    write_tx!(state.writes, |tx| {
        let edit = edit_for_tx;
        let series = occurrence.series_id;
        let this = (id, occurrence.local_date.clone());
        let targets = match edit.scope {
            EditScope::This => vec![this.clone()],
            EditScope::Following => {
                edits::dates_from(&mut *tx, series, occurrence.summary.starts_at).await?
            }
            EditScope::All => edits::dates_from(&mut *tx, series, now).await?,
        };
        if let Some(capacity) = edit.capacity {
            for (target, date) in &targets {
                let taken = store::seats_taken(&mut *tx, *target).await?;
                if taken > capacity {
                    return Err(AppError::conflict(
                        "capacity",
                        format!(
                            "{taken} seats are already taken on {date}; keep at least that many."
                        ),
                    ));
                }
            }
        }
        let split = edit.scope == EditScope::Following
            && edits::has_earlier(&mut *tx, series, occurrence.summary.starts_at).await?;
        match edit.scope {
            EditScope::This => {
                edits::override_occurrence(&mut *tx, id, &edit, &html, instants(&this.1)).await?;
                edits::bump_sequence(&mut *tx, series).await?;
            }
            EditScope::Following if split => {
                let fresh = edits::copy_series(&mut *tx, series, &this.1).await?;
                edits::update_series(&mut *tx, fresh, &edit, &html).await?;
                let day_before = chrono::NaiveDate::parse_from_str(&this.1, "%Y-%m-%d")
                    .map(|d| (d - Duration::days(1)).to_string())
                    .unwrap_or_default();
                edits::end_series(&mut *tx, series, &day_before).await?;
                for (target, date) in &targets {
                    edits::reschedule(&mut *tx, *target, fresh, instants(date)).await?;
                }
            }
            EditScope::Following | EditScope::All => {
                edits::update_series(&mut *tx, series, &edit, &html).await?;
                for (target, date) in &targets {
                    edits::reschedule(&mut *tx, *target, series, instants(date)).await?;
                }
            }
        }
        let mut told = Vec::new();
        for (target, _) in &targets {
            let Some(changed) = store::occurrence(&mut *tx, community.id, *target, None).await?
            else {
                continue;
            };
            offer_free_seats(&mut *tx, &community, &changed, now).await?;
            for person in store::seat_holders(&mut *tx, *target).await? {
                if !told.contains(&person) {
                    told.push(person);
                }
            }
        }
        let first_date = occurrence.summary.starts_at.format("%-d %b %Y");
        let body = format!("{} changed ({}, from {first_date}).", edit.title, edit.scope.label());
        for person in told.into_iter().filter(|p| *p != host) {
            let link = event_link(&community, id);
            let notice = Notice::new(person, NoticeKind::Event, community.id, &body, &link);
            notices::notify(&mut *tx, notice).await?;
        }
        let detail = format!("{} from {first_date}: {}", edit.title, edit.scope.label());
        let action = AuditAction::EventEdited;
        db::audit::record(&mut *tx, community.id, Some(host), action, None, &detail).await?;
        Ok(id)
    })
}

/// The edit form pre-filled with occurrence `id` as it is now (hosts only).
pub async fn edit_form(
    pool: &Pool,
    community: &Community,
    standing: Standing,
    host: UserId,
    id: i64,
) -> Result<(OccurrenceSummary, EditEventForm), AppError> {
    let occurrence =
        store::occurrence(pool, community.id, id, Some(host)).await?.ok_or(AppError::NotFound)?;
    policy::check_host_event(standing, owns_initiative(pool, community, &occurrence, host).await?)?;
    let tz = zone(&occurrence.summary.time_zone).unwrap_or(Tz::UTC);
    let (starts, ends) = (
        occurrence.summary.starts_at.with_timezone(&tz),
        occurrence.summary.ends_at.with_timezone(&tz),
    );
    let description = edits::description_source(pool, id).await?.unwrap_or_default();
    let mut summary = occurrence.summary.clone();
    label(std::slice::from_mut(&mut summary));
    let form = EditEventForm {
        scope: "this".into(),
        title: summary.title.clone(),
        description,
        starts: starts.format("%H:%M").to_string(),
        ends: ends.format("%H:%M").to_string(),
        ends_next_day: if ends.date_naive() > starts.date_naive() {
            "yes".into()
        } else {
            String::new()
        },
        place: summary.place.clone(),
        online_url: occurrence.online_url.clone(),
        capacity: summary.capacity.map(|c| c.to_string()).unwrap_or_default(),
    };
    Ok((summary, form))
}
