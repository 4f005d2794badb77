//! Pages as a visitor who is not signed in sees them, kept in memory between writes.
//!
//! Most of a public community's readers are not signed in (a link shared in a newsletter,
//! a search engine), and they all see the same page. So an anonymous `GET` of an HTML page
//! is answered from memory when the same address was rendered since the last committed
//! write and within [`Config::anonymous_cache_seconds`](crate::config::Config) — the
//! anonymous cache Discourse keeps for the same reason. Members never get a kept page:
//! a request with any cookie or an `Authorization` header goes straight to the app, and a
//! response that sets a cookie is never kept.
//!
//! - **Never stale on one instance.** Every page is kept under the write queue's count of
//!   committed batches, read before the page is rendered; the writer moves the count
//!   before it answers the writer's caller (`db::writer`), so any page read after a write
//!   is acknowledged is rendered afresh. The age limit covers what changes with the clock
//!   alone (an event that has started) and, on a PostgreSQL fleet, writes made through
//!   another instance.
//! - **A fresh nonce every time.** A kept page is sent with a new Content-Security-Policy
//!   nonce, written into the header and every place the page carried the old one.
//! - **One render at a time.** After a write, the readers of a page who arrive while it
//!   is rendered wait for that one rendering and get its page, instead of each rendering
//!   it again (an answer that cannot be kept, such as a 404, lets them all render).
//! - **Bounded.** Pages up to [`MAX_PAGE_BYTES`] with addresses up to [`MAX_KEY_BYTES`],
//!   [`MAX_TOTAL_BYTES`] in all; when full, outdated pages go first, then all of them.
//!
//! Answers say `x-kindred-cache: hit` or `miss` (only on requests the cache could serve).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use futures::StreamExt;
use http_body_util::BodyExt;
use tokio::sync::watch;

/// The header that says whether an anonymous page came from memory.
pub const CACHE_HEADER: HeaderName = HeaderName::from_static("x-kindred-cache");

/// The largest page kept; a larger one is sent as it streams and not kept.
pub const MAX_PAGE_BYTES: usize = 1024 * 1024;

/// The longest address (path and query) kept.
pub const MAX_KEY_BYTES: usize = 512;

/// All kept pages together.
pub const MAX_TOTAL_BYTES: usize = 32 * 1024 * 1024;

/// One kept page: its answer, split where the old nonce stood.
struct Page {
    /// The write count it was rendered at.
    generation: u64,
    /// When it was rendered.
    rendered: Instant,
    status: StatusCode,
    headers: HeaderMap,
    /// The body in pieces, between which the nonce stood (one piece if it had none).
    pieces: Vec<Bytes>,
    /// The nonce the page was rendered with, if its policy had one.
    nonce: Option<String>,
    /// Bytes held, counted against [`MAX_TOTAL_BYTES`].
    size: usize,
}

impl Page {
    /// The kept answer with a fresh nonce in its policy and body.
    fn answer(&self) -> Response {
        let fresh = self.nonce.as_ref().map(|_| leptos::nonce::Nonce::new().to_string());
        let mut headers = self.headers.clone();
        if let (Some(old), Some(new)) = (&self.nonce, &fresh)
            && let Some(policy) =
                headers.get(header::CONTENT_SECURITY_POLICY).and_then(|v| v.to_str().ok())
            && let Ok(policy) = HeaderValue::from_str(&policy.replace(old.as_str(), new))
        {
            headers.insert(header::CONTENT_SECURITY_POLICY, policy);
        }
        // One buffer, so the page goes out in one write (as pieces, hyper writes each one
        // with its own system call: a third of the throughput).
        let fresh = fresh.unwrap_or_default();
        let length = self.pieces.iter().map(Bytes::len).sum::<usize>()
            + fresh.len() * (self.pieces.len() - 1);
        let mut body = Vec::with_capacity(length);
        for (at, piece) in self.pieces.iter().enumerate() {
            if at > 0 {
                body.extend_from_slice(fresh.as_bytes());
            }
            body.extend_from_slice(piece);
        }
        headers.insert(CACHE_HEADER, HeaderValue::from_static("hit"));
        let mut response = Response::new(Body::from(body));
        *response.status_mut() = self.status;
        *response.headers_mut() = headers;
        response
    }
}

/// How many addresses may wait for a render before the idle ones are forgotten.
const MAX_TURNS: usize = 1024;

/// How many addresses whose answers could not be kept are remembered.
const MAX_REFUSED: usize = 4096;

/// The kept pages and what decides whether one is still good.
pub struct AnonymousPages {
    pages: Mutex<Kept>,
    /// One render at a time per address: readers who arrive meanwhile wait for it and
    /// take its page, instead of all rendering the same page after a write.
    turns: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
    /// The write queue's count of committed batches.
    commits: watch::Receiver<u64>,
    /// The oldest a kept page may be; zero keeps nothing.
    max_age: Duration,
}

#[derive(Default)]
struct Kept {
    by_address: HashMap<String, Arc<Page>>,
    /// Addresses whose answer at the given write count could not be kept (not a page, a
    /// cookie set, too large): their readers render at once, without waiting a turn.
    refused: HashMap<String, u64>,
    bytes: usize,
    /// The write count at which outdated pages were last dropped.
    swept_at: u64,
}

impl AnonymousPages {
    /// A cache keyed by `commits` (from `WriteQueue::commits`) whose pages live at most
    /// `max_age`; `Duration::ZERO` turns it off.
    pub fn new(commits: watch::Receiver<u64>, max_age: Duration) -> Arc<Self> {
        Arc::new(AnonymousPages {
            pages: Mutex::default(),
            turns: Mutex::default(),
            commits,
            max_age,
        })
    }

    fn generation(&self) -> u64 {
        *self.commits.borrow()
    }

    fn fresh(&self, address: &str, generation: u64) -> Option<Arc<Page>> {
        let pages = self.pages.lock().ok()?;
        let page = pages.by_address.get(address)?;
        (page.generation == generation && page.rendered.elapsed() < self.max_age)
            .then(|| page.clone())
    }

    /// Whether the answer at `address` could not be kept at this write count.
    fn refused(&self, address: &str, generation: u64) -> bool {
        self.pages.lock().is_ok_and(|kept| kept.refused.get(address) == Some(&generation))
    }

    /// Remembers that the answer at `address` could not be kept at `generation`.
    fn refuse(&self, address: String, generation: u64) {
        let Ok(mut kept) = self.pages.lock() else { return };
        if kept.refused.len() >= MAX_REFUSED {
            kept.refused.retain(|_, at| *at == generation);
            if kept.refused.len() >= MAX_REFUSED {
                kept.refused.clear();
            }
        }
        kept.refused.insert(address, generation);
    }

    /// Waits for the turn to render `address`; held until the returned [`Turn`] drops.
    async fn turn(&self, address: &str) -> Turn<'_> {
        let waiting = match self.turns.lock() {
            Ok(mut turns) => {
                if turns.len() >= MAX_TURNS {
                    turns.retain(|_, turn| Arc::strong_count(turn) > 1);
                }
                turns.entry(address.to_owned()).or_default().clone()
            }
            Err(_) => Arc::default(),
        };
        let held = waiting.lock_owned().await;
        Turn { pages: self, address: address.to_owned(), held: Some(held) }
    }

    /// Keeps `page` under `address`. A page rendered before the latest write is never
    /// served, so it is not kept; and once the writes have moved on, the pages from
    /// before them are dropped, so what is held is only what can still be served.
    fn keep(&self, address: String, page: Page) {
        let current = self.generation();
        if page.generation != current {
            return;
        }
        let Ok(mut kept) = self.pages.lock() else { return };
        if kept.swept_at != current || kept.bytes + page.size > MAX_TOTAL_BYTES {
            let max_age = self.max_age;
            kept.by_address
                .retain(|_, p| p.generation == current && p.rendered.elapsed() < max_age);
            kept.refused.retain(|_, at| *at == current);
            kept.bytes = kept.by_address.values().map(|p| p.size).sum();
            kept.swept_at = current;
            if kept.bytes + page.size > MAX_TOTAL_BYTES {
                kept.by_address.clear();
                kept.bytes = 0;
            }
        }
        kept.bytes += page.size;
        if let Some(old) = kept.by_address.insert(address, Arc::new(page)) {
            kept.bytes -= old.size;
        }
    }

    /// How many pages are kept now (for tests and the log).
    pub fn len(&self) -> usize {
        self.pages.lock().map(|kept| kept.by_address.len()).unwrap_or(0)
    }

    /// True when no page is kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The turn to render one address; the next reader waiting for it goes when it drops.
struct Turn<'a> {
    pages: &'a AnonymousPages,
    address: String,
    held: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl Drop for Turn<'_> {
    fn drop(&mut self) {
        self.held.take();
        // The last reader of an address forgets its turn (only the map holds it then).
        if let Ok(mut turns) = self.pages.turns.lock()
            && turns.get(&self.address).is_some_and(|turn| Arc::strong_count(turn) == 1)
        {
            turns.remove(&self.address);
        }
    }
}

/// The middleware: answers an anonymous page read from memory when it can, and keeps
/// what the app renders for the next one.
pub async fn serve(
    State(pages): State<Arc<AnonymousPages>>,
    request: Request,
    next: Next,
) -> Response {
    let Some(address) = cacheable_address(&pages, &request) else {
        return next.run(request).await;
    };
    if let Some(page) = pages.fresh(&address, pages.generation()) {
        return page.answer();
    }
    let _turn = if pages.refused(&address, pages.generation()) {
        None
    } else {
        let turn = pages.turn(&address).await;
        // The reader before this one may have kept the page meanwhile.
        if let Some(page) = pages.fresh(&address, pages.generation()) {
            return page.answer();
        }
        // Or found it could not be kept: then nobody need wait for this one either.
        (!pages.refused(&address, pages.generation())).then_some(turn)
    };
    // Read before rendering: a write committed meanwhile makes this page outdated at once.
    let generation = pages.generation();
    let mut response = next.run(request).await;
    if !keepable(&response) {
        pages.refuse(address, generation);
        return response;
    }
    response.headers_mut().insert(CACHE_HEADER, HeaderValue::from_static("miss"));
    let (parts, body) = response.into_parts();
    let body = match gather(body).await {
        Gathered::Whole(bytes) => {
            match page_of(generation, &parts, &bytes) {
                Some(page) => pages.keep(address, page),
                None => pages.refuse(address, generation),
            }
            Body::from(bytes)
        }
        Gathered::TooLarge(start, rest) => {
            pages.refuse(address, generation);
            let start = futures::stream::iter(start.into_iter().map(Ok::<_, axum::Error>));
            Body::from_stream(start.chain(rest.into_data_stream()))
        }
        Gathered::Failed(start, error) => {
            let start = futures::stream::iter(start.into_iter().map(Ok));
            Body::from_stream(start.chain(futures::stream::iter([Err(error)])))
        }
    };
    Response::from_parts(parts, body)
}

/// The address to keep the answer under, if this request may be answered from memory.
fn cacheable_address(pages: &AnonymousPages, request: &Request) -> Option<String> {
    if pages.max_age.is_zero() || request.method() != Method::GET {
        return None;
    }
    let headers = request.headers();
    if headers.contains_key(header::COOKIE) || headers.contains_key(header::AUTHORIZATION) {
        return None;
    }
    let address = request.uri().path_and_query()?.as_str();
    (address.len() <= MAX_KEY_BYTES).then(|| address.to_owned())
}

/// Whether the app's answer may be kept: a whole HTML page that sets no cookie.
fn keepable(response: &Response) -> bool {
    let headers = response.headers();
    let html = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let private = headers
        .get_all(header::CACHE_CONTROL)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.contains("no-store") || v.contains("private"));
    response.status() == StatusCode::OK
        && html
        && !private
        && !headers.contains_key(header::SET_COOKIE)
        && !headers.contains_key(header::CONTENT_ENCODING)
}

/// A page to keep from the answer's head and body, split at its nonce.
fn page_of(generation: u64, parts: &axum::http::response::Parts, body: &Bytes) -> Option<Page> {
    let text = std::str::from_utf8(body).ok()?;
    let nonce = parts
        .headers
        .get(header::CONTENT_SECURITY_POLICY)
        .and_then(|v| v.to_str().ok())
        .and_then(policy_nonce);
    let pieces = match &nonce {
        Some(nonce) => {
            let mut pieces = Vec::new();
            let mut from = 0;
            for (at, _) in text.match_indices(nonce.as_str()) {
                pieces.push(body.slice(from..at));
                from = at + nonce.len();
            }
            pieces.push(body.slice(from..));
            pieces
        }
        None => vec![body.clone()],
    };
    let mut headers = parts.headers.clone();
    headers.remove(CACHE_HEADER);
    headers.remove(header::CONTENT_LENGTH);
    Some(Page {
        generation,
        rendered: Instant::now(),
        status: parts.status,
        headers,
        pieces,
        nonce,
        size: body.len() + MAX_KEY_BYTES,
    })
}

/// The nonce in a Content-Security-Policy (`'nonce-…'`), if it has one.
pub fn policy_nonce(policy: &str) -> Option<String> {
    let start = policy.find("'nonce-")? + "'nonce-".len();
    let end = policy[start..].find('\'')? + start;
    let nonce = &policy[start..end];
    (nonce.len() >= 16).then(|| nonce.to_owned())
}

/// A body read into memory, or as far as it could be.
enum Gathered {
    Whole(Bytes),
    /// Over [`MAX_PAGE_BYTES`]: what was read, and the rest still to stream.
    TooLarge(Vec<Bytes>, Body),
    /// The body failed: what was read before, and the error.
    Failed(Vec<Bytes>, axum::Error),
}

async fn gather(mut body: Body) -> Gathered {
    let mut pieces: Vec<Bytes> = Vec::new();
    let mut size = 0;
    loop {
        match body.frame().await {
            None => {
                let mut whole = Vec::with_capacity(size);
                for piece in &pieces {
                    whole.extend_from_slice(piece);
                }
                return Gathered::Whole(Bytes::from(whole));
            }
            Some(Ok(frame)) => {
                if let Ok(data) = frame.into_data() {
                    size += data.len();
                    pieces.push(data);
                    if size > MAX_PAGE_BYTES {
                        return Gathered::TooLarge(pieces, body);
                    }
                }
            }
            Some(Err(error)) => return Gathered::Failed(pieces, error),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_nonce_is_read_from_the_policy() {
        let policy = "default-src 'self'; script-src 'self' 'nonce-Z37bVb0LD6vt4BmIfanfxg' 'wasm-unsafe-eval'";
        assert_eq!(policy_nonce(policy).as_deref(), Some("Z37bVb0LD6vt4BmIfanfxg"));
        assert_eq!(policy_nonce("default-src 'none'"), None);
        assert_eq!(policy_nonce("script-src 'nonce-short'"), None);
    }

    fn page_with(nonce: &str, body: &str) -> Page {
        let mut response = Response::new(());
        response.headers_mut().insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_str(&format!("script-src 'nonce-{nonce}'")).unwrap(),
        );
        let (parts, ()) = response.into_parts();
        page_of(0, &parts, &Bytes::from(body.to_owned())).unwrap()
    }

    #[tokio::test]
    async fn a_kept_page_goes_out_with_a_new_nonce_everywhere_the_old_one_stood() {
        let old = "AAAAAAAAAAAAAAAAAAAAAA";
        let page = page_with(old, &format!("<script nonce=\"{old}\">a</script><p>{old}</p>"));
        assert_eq!(page.pieces.len(), 3);
        let first = page.answer();
        let second = page.answer();
        let nonce_of = |response: &Response| {
            let policy = response.headers()[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
            policy_nonce(policy).unwrap()
        };
        let (one, two) = (nonce_of(&first), nonce_of(&second));
        assert_ne!(one, old);
        assert_ne!(one, two);
        assert_eq!(first.headers()[CACHE_HEADER], "hit");
        let body = first.into_body().collect().await.unwrap().to_bytes();
        let body = std::str::from_utf8(&body).unwrap();
        assert_eq!(body, format!("<script nonce=\"{one}\">a</script><p>{one}</p>"));
    }

    #[test]
    fn the_total_stays_bounded() {
        let (_count, commits) = watch::channel(0_u64);
        let pages = AnonymousPages::new(commits, Duration::from_secs(60));
        let big = "x".repeat(MAX_PAGE_BYTES - 1024);
        let per_page = big.len() + MAX_KEY_BYTES;
        let fit = MAX_TOTAL_BYTES / per_page;
        for at in 0..fit {
            pages.keep(format!("/a/{at}"), page_with("AAAAAAAAAAAAAAAAAAAAAA", &big));
        }
        assert_eq!(pages.len(), fit);
        // One more does not fit beside them: they make room.
        pages.keep("/one-more".into(), page_with("AAAAAAAAAAAAAAAAAAAAAA", &big));
        assert!(pages.fresh("/one-more", 0).is_some());
        let kept = pages.pages.lock().unwrap();
        assert!(kept.bytes <= MAX_TOTAL_BYTES);
        assert_eq!(kept.bytes, kept.by_address.values().map(|p| p.size).sum::<usize>());
    }

    #[test]
    fn pages_from_before_a_write_are_dropped_and_never_kept() {
        let (count, commits) = watch::channel(0_u64);
        let pages = AnonymousPages::new(commits, Duration::from_secs(60));
        for at in 0..3 {
            pages.keep(format!("/old/{at}"), page_with("AAAAAAAAAAAAAAAAAAAAAA", "<p>old</p>"));
        }
        assert_eq!(pages.len(), 3);
        count.send_modify(|c| *c += 1);
        // Rendered before the write (its count read before), finished after: not kept.
        pages.keep("/late".into(), page_with("AAAAAAAAAAAAAAAAAAAAAA", "<p>late</p>"));
        assert_eq!(pages.len(), 3);
        assert!(pages.fresh("/late", 1).is_none());
        // The first page kept after the write drops the three from before it.
        let mut current = page_with("AAAAAAAAAAAAAAAAAAAAAA", "<p>new</p>");
        current.generation = 1;
        let size = current.size;
        pages.keep("/new".into(), current);
        assert_eq!(pages.len(), 1);
        assert!(pages.fresh("/new", 1).is_some());
        assert_eq!(pages.pages.lock().unwrap().bytes, size);
    }

    #[test]
    fn a_page_is_fresh_only_at_its_generation_and_age() {
        let (count, commits) = watch::channel(0_u64);
        let pages = AnonymousPages::new(commits, Duration::from_millis(50));
        let mut page = page_with("AAAAAAAAAAAAAAAAAAAAAA", "<p>hi</p>");
        page.generation = 0;
        pages.keep("/c/river".into(), page);
        assert!(pages.fresh("/c/river", pages.generation()).is_some());
        count.send_modify(|c| *c += 1);
        assert!(pages.fresh("/c/river", pages.generation()).is_none());
        let mut page = page_with("AAAAAAAAAAAAAAAAAAAAAA", "<p>hi</p>");
        page.generation = 1;
        pages.keep("/c/river".into(), page);
        assert!(pages.fresh("/c/river", 1).is_some());
        std::thread::sleep(Duration::from_millis(60));
        assert!(pages.fresh("/c/river", 1).is_none());
    }
}
