//! Reading a `GET /live` stream (Server-Sent Events) the way a browser's EventSource does.

use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use tower::ServiceExt;

use super::TestApp;

/// An open live stream: the response body, read event by event.
pub struct LiveStream {
    body: Body,
    buffered: String,
}

impl TestApp {
    /// Opens `GET /live?{query}` as the member whose session `cookie` is (or signed out);
    /// answers the status when the server refuses.
    pub async fn open_live(
        &self,
        query: &str,
        cookie: Option<&str>,
    ) -> Result<LiveStream, StatusCode> {
        let mut request = Request::get(format!("/live?{query}"));
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        let response =
            self.router.clone().oneshot(request.body(Body::empty()).unwrap()).await.unwrap();
        if response.status() != StatusCode::OK {
            return Err(response.status());
        }
        let kind = response.headers()[header::CONTENT_TYPE].to_str().unwrap().to_owned();
        assert!(kind.starts_with("text/event-stream"), "{kind}");
        Ok(LiveStream { body: response.into_body(), buffered: String::new() })
    }
}

impl LiveStream {
    /// The name of the next event within `within` (keep-alive comments skipped), or
    /// `None` when none came.
    pub async fn next_event(&mut self, within: Duration) -> Option<String> {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            if let Some(end) = self.buffered.find("\n\n") {
                let block: String = self.buffered.drain(..end + 2).collect();
                // As a browser's EventSource does: an event without data is never dispatched.
                let has_data =
                    block.lines().any(|l| l.starts_with("data:") && l.len() > "data:".len());
                if let Some(name) = block.lines().find_map(|l| l.strip_prefix("event: "))
                    && has_data
                {
                    return Some(name.to_owned());
                }
                continue;
            }
            let frame = tokio::time::timeout_at(deadline, self.body.frame()).await.ok()??.ok()?;
            if let Ok(data) = frame.into_data() {
                self.buffered.push_str(&String::from_utf8_lossy(&data));
            }
        }
    }

    /// True when the server ends the stream within `within` (events before the end skipped).
    pub async fn ends_within(&mut self, within: Duration) -> bool {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            match tokio::time::timeout_at(deadline, self.body.frame()).await {
                Err(_) => return false,
                Ok(None) => return true,
                Ok(Some(_)) => continue,
            }
        }
    }

    /// Waits up to `within` for an event named `name`, skipping others; panics if none came.
    pub async fn expect(&mut self, name: &str, within: Duration) {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            match self.next_event(left).await {
                Some(seen) if seen == name => return,
                Some(_) => continue,
                None => panic!("no `{name}` event within {within:?}"),
            }
        }
    }
}
