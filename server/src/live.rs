//! `GET /live`: a Server-Sent Events stream of what an open page should show at once —
//! `post` when the watched thread has a new post, `notice` when the signed-in member has
//! a new notification. The page then fetches what changed through its usual server
//! functions, which check permission as always; the stream itself carries no content.
//! Events come from this instance's [`LiveHub`](app::services::live::LiveHub), which
//! hears every instance's writes.

use std::convert::Infallible;
use std::time::Duration;

use app::api::communities::access_as;
use app::auth::policy::CommunityAction;
use app::auth::session::AuthSession;
use app::domain::ids::UserId;
use app::error::AppError;
use app::services::live::LiveEvent;
use app::state::AppState;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures::{Stream, StreamExt};
use serde::Deserialize;
use tokio::sync::broadcast::error::RecvError;

use crate::exports::error_response;

/// How often an idle stream sends a comment, so proxies keep it open.
const KEEP_ALIVE: Duration = Duration::from_secs(20);

/// How long a browser waits before reconnecting a dropped stream (ms).
const RETRY_MS: u64 = 3_000;

/// What a page asks to hear about.
#[derive(Debug, Deserialize)]
pub struct Watch {
    /// The community of the thread open on the page.
    pub community: Option<String>,
    /// The thread open on the page.
    pub thread: Option<i64>,
}

/// Which events one stream passes on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Filter {
    thread: Option<i64>,
    me: Option<UserId>,
}

impl Filter {
    /// The SSE event name for `event`, when this stream wants it.
    fn name(&self, event: LiveEvent) -> Option<&'static str> {
        match event {
            LiveEvent::Post { thread, .. } if Some(thread) == self.thread => Some("post"),
            LiveEvent::Notice { to } if Some(to) == self.me => Some("notice"),
            _ => None,
        }
    }
}

/// Opens a live stream for the signed-in member's notifications and, when asked, one
/// thread's new posts (the thread's community must be one the caller may view; anything
/// else answers exactly as the thread's page would: not found).
pub async fn stream(
    State(state): State<AppState>,
    auth: AuthSession,
    Query(watch): Query<Watch>,
) -> Response {
    let me = auth.user.as_ref().map(|u| u.user.id);
    let thread = match (watch.community.as_deref(), watch.thread) {
        (Some(slug), Some(thread)) => {
            match watched_thread(&state, auth.user.map(|u| u.user), slug, thread).await {
                Ok(thread) => Some(thread),
                Err(error) => return error_response(error),
            }
        }
        (None, None) => None,
        _ => return error_response(AppError::invalid("thread", "Name a community and a thread.")),
    };
    if thread.is_none() && me.is_none() {
        // Nothing to hear; 204 tells the browser's EventSource not to reconnect.
        return StatusCode::NO_CONTENT.into_response();
    }
    let events = state.live.subscribe();
    let filter = Filter { thread, me };
    Sse::new(events_for(events, filter).take_until(state.live.closed()))
        .keep_alive(KeepAlive::new().interval(KEEP_ALIVE))
        .into_response()
}

async fn watched_thread(
    state: &AppState,
    user: Option<app::domain::account::CurrentUser>,
    slug: &str,
    thread: i64,
) -> Result<i64, AppError> {
    let access = access_as(state.clone(), user, slug, CommunityAction::View).await?;
    let found = app::db::discussions::thread(&state.pool, access.community.id, thread).await?;
    found.map(|t| t.id).ok_or(AppError::NotFound)
}

/// The stream: `ready` first, then each wanted event. A stream that fell behind says both
/// kinds of thing may have changed (the page refetches, which shows everything).
fn events_for(
    events: tokio::sync::broadcast::Receiver<LiveEvent>,
    filter: Filter,
) -> impl Stream<Item = Result<Event, Infallible>> {
    // Every event carries data (its own name): a browser's EventSource drops an event
    // whose data is empty.
    let ready =
        Event::default().event("ready").retry(Duration::from_millis(RETRY_MS)).data("ready");
    let rest = futures::stream::unfold(events, move |mut events| async move {
        loop {
            match events.recv().await {
                Ok(event) => {
                    if let Some(name) = filter.name(event) {
                        return Some((vec![Event::default().event(name).data(name)], events));
                    }
                }
                Err(RecvError::Lagged(_)) => {
                    let all =
                        ["post", "notice"].map(|name| Event::default().event(name).data(name));
                    return Some((all.into(), events));
                }
                Err(RecvError::Closed) => return None,
            }
        }
    });
    futures::stream::once(async move { vec![ready] })
        .chain(rest)
        .flat_map(|batch| futures::stream::iter(batch.into_iter().map(Ok)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::domain::ids::CommunityId;

    #[test]
    fn a_stream_passes_on_its_thread_and_its_member_only() {
        let filter = Filter { thread: Some(7), me: Some(UserId(3)) };
        let post = |thread| LiveEvent::Post { community: CommunityId(1), thread };
        assert_eq!(filter.name(post(7)), Some("post"));
        assert_eq!(filter.name(post(8)), None);
        assert_eq!(filter.name(LiveEvent::Notice { to: UserId(3) }), Some("notice"));
        assert_eq!(filter.name(LiveEvent::Notice { to: UserId(4) }), None);
        let anonymous = Filter { thread: Some(7), me: None };
        assert_eq!(anonymous.name(LiveEvent::Notice { to: UserId(3) }), None);
    }
}
