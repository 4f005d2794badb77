//! Full-text search: snippets, permissions, pages, and hostile query syntax.

use crate::common::texts;
use axum::http::StatusCode;

use super::*;

#[tokio::test]
async fn search_finds_titles_and_bodies_with_marked_snippets() {
    let s = setup("public").await;
    let id = thread(
        &s.app,
        &s.slug,
        &s.bob,
        "Kingfisher sighting",
        "Saw one near the weir this morning",
    )
    .await;
    assert!(
        reply(&s.app, &s.slug, &s.ada, id, "The weir is where the herons fish too")
            .await
            .status
            .is_success()
    );
    let hits = s.app.call("/api/search", &[("q", "weir")], None).await.json();
    let hits = hits["hits"].as_array().unwrap();
    assert_eq!(hits.len(), 2);
    assert!(hits[0]["snippet"].as_str().unwrap().contains("\u{2}weir\u{3}"), "{hits:?}");
    assert_eq!(hits[0]["thread_title"], "Kingfisher sighting");
    assert_eq!(hits[0]["community"], "River Keepers");
    let title =
        s.app.call("/api/search", &[("q", "kingfish"), ("slug", &s.slug)], None).await.json();
    assert_eq!(title["hits"].as_array().unwrap().len(), 1, "titles match, by prefix");
    assert_eq!(title["hits"][0]["link"], format!("/c/{}/d/{id}#post-1", s.slug));
}

#[tokio::test]
async fn hostile_query_syntax_is_searched_as_plain_words() {
    let s = setup("public").await;
    thread(&s.app, &s.slug, &s.bob, "Tools needed", "We need NEAR twenty rakes (and gloves)").await;
    // Each is searched as the plain words in it: all must appear (the last as a prefix).
    for (query, expected) in [
        ("\"rakes", 1),
        ("rakes\"", 1),
        ("rakes*", 1),
        ("*", 0),
        ("NEAR(rakes gloves)", 1),
        ("rakes NEAR", 1),
        ("-rakes", 1),
        ("rakes -gloves", 1),
        ("(rakes", 1),
        ("rakes)", 1),
        ("rakes AND OR NOT", 0),
        ("title:rakes", 0),
        ("{rakes}", 1),
        ("^rakes", 1),
        ("rakes + gloves", 1),
        ("'; DROP TABLE posts; --", 0),
        ("\u{0}rakes", 1),
        ("", 0),
        ("   ", 0),
    ] {
        let answer = s.app.call("/api/search", &[("q", query)], None).await;
        assert_eq!(answer.status, StatusCode::OK, "{query:?}: {}", answer.body);
        let hits = answer.json()["hits"].as_array().unwrap().len();
        assert_eq!(hits, expected, "{query:?}");
    }
}

#[tokio::test]
async fn results_come_in_keyset_pages_without_repeats() {
    let s = setup("public").await;
    let id =
        thread(&s.app, &s.slug, &s.bob, "Litter counts", "Counting litter along the bank").await;
    for n in 0..24 {
        let who = if n % 2 == 0 { &s.ada } else { &s.bob };
        assert!(
            reply(&s.app, &s.slug, who, id, &format!("Litter tally {n}")).await.status.is_success()
        );
    }
    let first = s.app.call("/api/search", &[("q", "litter")], None).await.json();
    let next = first["next"].as_str().unwrap().to_owned();
    let second = s.app.call("/api/search", &[("q", "litter"), ("after", &next)], None).await.json();
    let links = |page: &serde_json::Value| -> Vec<String> { texts(&page["hits"], "link") };
    let (a, b) = (links(&first), links(&second));
    assert_eq!(a.len(), 20);
    assert_eq!(b.len(), 5);
    assert!(b.iter().all(|link| !a.contains(link)));
    assert!(second["next"].is_null());
}

/// Whole words come first; the last word counts as a word start only when whole words
/// find less than a page, and later pages keep the form the first page used.
#[tokio::test]
async fn whole_words_first_then_word_starts() {
    let s = setup("public").await;
    let id = thread(&s.app, &s.slug, &s.bob, "River log", "Notes from the bank").await;
    for n in 0..24 {
        let who = if n % 2 == 0 { &s.ada } else { &s.bob };
        let body = format!("Otters seen at dusk, count {n}");
        assert!(reply(&s.app, &s.slug, who, id, &body).await.status.is_success());
    }
    let odd = "An ottersome evening by the weir";
    assert!(reply(&s.app, &s.slug, &s.ada, id, odd).await.status.is_success());
    let snippets = |page: &serde_json::Value| -> Vec<String> { texts(&page["hits"], "snippet") };
    let first = s.app.call("/api/search", &[("q", "otters")], None).await.json();
    let next = first["next"].as_str().expect("more than a page").to_owned();
    let second = s.app.call("/api/search", &[("q", "otters"), ("after", &next)], None).await.json();
    let all: Vec<String> = [snippets(&first), snippets(&second)].concat();
    assert_eq!(all.len(), 24, "every whole-word match, over two pages");
    assert!(all.iter().all(|snippet| snippet.contains("\u{2}Otters\u{3}")), "{all:?}");
    let start = s.app.call("/api/search", &[("q", "ottersom")], None).await.json();
    assert_eq!(snippets(&start).len(), 1, "no whole word: the word start matches");
    let few = s.app.call("/api/search", &[("q", "weir")], None).await.json();
    assert_eq!(snippets(&few).len(), 1);
    let both = s.app.call("/api/search", &[("q", "otter")], None).await.json();
    assert!(both["next"].is_string(), "the prefix form finds every otter post");
}

#[tokio::test]
async fn a_title_match_ranks_above_newer_body_matches_and_more_mentions_above_fewer() {
    let s = setup("public").await;
    let titled = thread(&s.app, &s.slug, &s.bob, "Otters at dawn", "We counted them.").await;
    let once = thread(&s.app, &s.slug, &s.bob, "Morning notes", "Otters by the bridge.").await;
    let twice =
        thread(&s.app, &s.slug, &s.bob, "Evening notes", "Otters, then more otters, at dusk.")
            .await;
    let hits = s.app.call("/api/search", &[("q", "otters")], None).await.json();
    let links = texts(&hits["hits"], "link");
    let link = |id: i64| format!("/c/{}/d/{id}#post-1", s.slug);
    assert_eq!(links, [link(titled), link(twice), link(once)], "best match first, not newest");
}
