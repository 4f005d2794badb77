//! Keeps one `EventSource` on `GET /live` open while the page has something to hear: the
//! signed-in member's notifications, and the thread the page shows. Each event bumps a
//! counter in [`Live`]; pages track the counters and refetch through their usual server
//! functions. A reconnected stream (`ready`) bumps both, so whatever was missed while it
//! was down is fetched too. Without JavaScript nothing of this runs: pages show what was
//! true when they were rendered.

use crate::context::{Live, Session};

/// The stream's address for what the page watches.
pub fn stream_url(watching: Option<&(String, i64)>) -> String {
    match watching {
        Some((slug, thread)) => format!("/live?community={slug}&thread={thread}"),
        None => "/live".to_owned(),
    }
}

/// Opens, moves and closes the page's live stream as the session and the watched thread
/// change (in the browser only).
pub fn follow(live: Live, session: Session) {
    #[cfg(feature = "hydrate")]
    browser::follow(live, session);
    #[cfg(not(feature = "hydrate"))]
    let _ = (live, session);
}

#[cfg(feature = "hydrate")]
mod browser {
    use leptos::prelude::*;
    use leptos::wasm_bindgen::JsCast;
    use leptos::wasm_bindgen::closure::Closure;
    use leptos::web_sys::{Event, EventSource};

    use crate::context::{Live, Session};

    /// An open stream and the handlers it calls (kept alive with it, closed with it).
    struct Open {
        source: EventSource,
        _handlers: Vec<Closure<dyn FnMut(Event)>>,
    }

    impl Drop for Open {
        fn drop(&mut self) {
            self.source.close();
        }
    }

    fn open(url: &str, live: Live) -> Option<Open> {
        let source = EventSource::new(url).ok()?;
        let mut handlers = Vec::new();
        let mut on = |name: &str, bump: Box<dyn Fn()>| {
            let handler = Closure::<dyn FnMut(Event)>::new(move |_| bump());
            let _ = source.add_event_listener_with_callback(name, handler.as_ref().unchecked_ref());
            handlers.push(handler);
        };
        on("post", Box::new(move || live.posts.update(|n| *n += 1)));
        on("notice", Box::new(move || live.notices.update(|n| *n += 1)));
        on(
            "ready",
            Box::new(move || {
                live.posts.update(|n| *n += 1);
                live.notices.update(|n| *n += 1);
            }),
        );
        Some(Open { source, _handlers: handlers })
    }

    pub fn follow(live: Live, session: Session) {
        let current = StoredValue::new_local(None::<(String, Open)>);
        Effect::new(move |_| {
            let member = matches!(session.user.get(), Some(Ok(Some(_))));
            let watching = live.watching.get();
            let wanted =
                (member || watching.is_some()).then(|| super::stream_url(watching.as_ref()));
            let unchanged =
                current.with_value(|open| open.as_ref().map(|(url, _)| url.clone()) == wanted);
            if unchanged {
                return;
            }
            // Dropping the old stream closes it.
            current.set_value(wanted.and_then(|url| open(&url, live).map(|open| (url, open))));
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stream_names_the_watched_thread() {
        assert_eq!(stream_url(None), "/live");
        let watching = ("river-keepers".to_owned(), 12);
        assert_eq!(stream_url(Some(&watching)), "/live?community=river-keepers&thread=12");
    }
}
