//! Live updates: an open thread hears of new replies, a member of new notifications,
//! through `GET /live` — and nobody hears of a thread they could not read.

use std::time::Duration;

use axum::http::StatusCode;

use super::{reply, setup, thread};

/// Long enough for a committed write to reach a stream on a loaded machine.
const SOON: Duration = Duration::from_secs(10);

#[tokio::test]
async fn an_open_thread_hears_of_a_new_reply_and_a_member_of_a_mention() {
    let s = setup("public").await;
    let id = thread(&s.app, &s.slug, &s.ada, "Saturday", "Who can bring gloves?").await;
    let query = format!("community={}&thread={id}", s.slug);
    let mut watching = s.app.open_live(&query, Some(&s.bob)).await.unwrap();
    watching.expect("ready", SOON).await;
    let mut anonymous = s.app.open_live(&query, None).await.unwrap();
    anonymous.expect("ready", SOON).await;

    reply(&s.app, &s.slug, &s.ada, id, "I can, ten pairs.").await.assert_ok();
    watching.expect("post", SOON).await;
    anonymous.expect("post", SOON).await;

    // A mention notifies bob: his stream hears it, a signed-out reader's does not.
    reply(&s.app, &s.slug, &s.ada, id, "@bob can you carry them?").await.assert_ok();
    let mut heard = Vec::new();
    while let Some(event) = watching.next_event(Duration::from_secs(2)).await {
        heard.push(event);
    }
    assert!(heard.contains(&"notice".to_owned()), "{heard:?}");
    assert!(heard.contains(&"post".to_owned()), "{heard:?}");
    let mut seen_by_anonymous = Vec::new();
    while let Some(event) = anonymous.next_event(Duration::from_secs(1)).await {
        seen_by_anonymous.push(event);
    }
    assert_eq!(seen_by_anonymous, ["post"], "no one else's notices");

    // Another thread's replies are not this stream's business.
    let other = thread(&s.app, &s.slug, &s.ada, "Sunday", "Rest day").await;
    reply(&s.app, &s.slug, &s.ada, other, "Agreed.").await.assert_ok();
    assert_eq!(anonymous.next_event(Duration::from_secs(2)).await, None);
}

#[tokio::test]
async fn a_private_thread_cannot_be_watched_from_outside() {
    let s = setup("private").await;
    let id = thread(&s.app, &s.slug, &s.ada, "Budget", "Numbers inside").await;
    let outsider = s.app.sign_up("eve").await;
    let query = format!("community={}&thread={id}", s.slug);
    for cookie in [None, Some(outsider.as_str())] {
        let refused = s.app.open_live(&query, cookie).await.err();
        assert_eq!(refused, Some(StatusCode::NOT_FOUND), "as if it did not exist");
    }
    let missing = format!("community={}&thread={}", s.slug, id + 100);
    assert_eq!(s.app.open_live(&missing, Some(&s.bob)).await.err(), Some(StatusCode::NOT_FOUND));
    // Signed out and watching nothing: nothing to hear.
    assert_eq!(s.app.open_live("", None).await.err(), Some(StatusCode::NO_CONTENT));
    assert!(s.app.open_live(&query, Some(&s.bob)).await.is_ok(), "members may watch");
}

#[tokio::test]
async fn open_streams_end_when_the_instance_shuts_down() {
    let s = setup("public").await;
    let id = thread(&s.app, &s.slug, &s.ada, "Saturday", "Who can bring gloves?").await;
    let mut watching =
        s.app.open_live(&format!("community={}&thread={id}", s.slug), Some(&s.bob)).await.unwrap();
    watching.expect("ready", SOON).await;
    assert!(!watching.ends_within(Duration::from_millis(300)).await, "open until then");
    s.app.state.live.close();
    assert!(watching.ends_within(SOON).await, "ended, so the browser reconnects elsewhere");
}
