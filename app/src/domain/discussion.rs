//! Discussions: threads of posts, reactions, flags and search results, as pages
//! show them, and the pure rules about their text.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::FieldErrors;

/// Fewest characters in a thread title.
pub const TITLE_MIN_CHARS: usize = 3;
/// Most characters in a thread title.
pub const TITLE_MAX_CHARS: usize = 200;
/// Most characters in a post's Markdown source.
pub const BODY_MAX_CHARS: usize = 32_000;
/// Most distinct people one post may mention.
pub const MENTIONS_MAX: usize = 10;
/// Posts on one page of a thread.
pub const POSTS_PER_PAGE: i64 = 50;
/// Threads on one page of the list.
pub const THREADS_PER_PAGE: i64 = 30;
/// Results on one page of search.
pub const RESULTS_PER_PAGE: i64 = 20;
/// Most categories a community keeps.
pub const CATEGORIES_MAX: usize = 20;
/// Most characters in a category's name.
pub const CATEGORY_MAX_CHARS: usize = 40;
/// Most characters in a moderator's or flagger's note.
pub const NOTE_MAX_CHARS: usize = 500;
/// The same text from the same person within this many seconds is refused.
pub const DUPLICATE_WINDOW_SECS: i64 = 300;

/// The fixed set of reactions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReactionKind {
    /// 👍
    ThumbsUp,
    /// ❤️
    Heart,
    /// 🎉
    Celebrate,
    /// 🙏
    Thanks,
    /// 💡
    Insight,
}

impl ReactionKind {
    /// Every reaction, in display order.
    pub const ALL: [ReactionKind; 5] = [
        ReactionKind::ThumbsUp,
        ReactionKind::Heart,
        ReactionKind::Celebrate,
        ReactionKind::Thanks,
        ReactionKind::Insight,
    ];

    /// The stored form, e.g. `"thumbs_up"`.
    pub fn as_str(self) -> &'static str {
        match self {
            ReactionKind::ThumbsUp => "thumbs_up",
            ReactionKind::Heart => "heart",
            ReactionKind::Celebrate => "celebrate",
            ReactionKind::Thanks => "thanks",
            ReactionKind::Insight => "insight",
        }
    }

    /// Parses the stored form.
    pub fn parse(text: &str) -> Option<ReactionKind> {
        ReactionKind::ALL.into_iter().find(|k| k.as_str() == text)
    }

    /// The emoji shown.
    pub fn emoji(self) -> &'static str {
        match self {
            ReactionKind::ThumbsUp => "👍",
            ReactionKind::Heart => "❤️",
            ReactionKind::Celebrate => "🎉",
            ReactionKind::Thanks => "🙏",
            ReactionKind::Insight => "💡",
        }
    }

    /// What a screen reader says, e.g. "Thumbs up".
    pub fn label(self) -> &'static str {
        match self {
            ReactionKind::ThumbsUp => "Thumbs up",
            ReactionKind::Heart => "Love",
            ReactionKind::Celebrate => "Celebrate",
            ReactionKind::Thanks => "Thanks",
            ReactionKind::Insight => "Insightful",
        }
    }
}

/// A discussion category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Category {
    /// Its id.
    pub id: i64,
    /// Its name.
    pub name: String,
}

/// A thread in the list.
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThreadSummary {
    /// Its id.
    pub id: i64,
    /// Its title.
    pub title: String,
    /// Who started it (handle).
    pub author: String,
    /// Its category's name, if any.
    pub category: Option<String>,
    /// Shown first in the list.
    pub pinned: bool,
    /// Takes no replies.
    pub locked: bool,
    /// Replies (posts after the opening one).
    pub replies: i64,
    /// When the newest post was written.
    #[cfg_attr(feature = "ssr", sqlx(try_from = "crate::db::Stamp"))]
    pub last_post_at: DateTime<Utc>,
}

/// One page of a community's threads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThreadsPage {
    /// The community's name.
    pub community_name: String,
    /// Whether the viewer leads the community (for its navigation).
    pub leader: bool,
    /// Whether the viewer may start threads.
    pub can_post: bool,
    /// Whether the viewer moderates (sees the flag queue link).
    pub can_moderate: bool,
    /// Pinned threads (first page only).
    pub pinned: Vec<ThreadSummary>,
    /// The page's threads, newest activity first.
    pub threads: Vec<ThreadSummary>,
    /// The cursor for the next page, if there is one.
    pub next: Option<String>,
    /// The community's categories.
    pub categories: Vec<Category>,
    /// The category being shown, if filtered.
    pub category: Option<i64>,
}

/// What the viewer sees of a post's body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum PostBody {
    /// Sanitised HTML.
    Visible(String),
    /// Deleted by its author or a moderator.
    Deleted,
    /// Hidden by moderators. `html` is there only for the author and moderators.
    Hidden {
        /// Why, as the moderator wrote it (often citing a value).
        reason: String,
        /// The post, for those allowed to read it.
        html: Option<String>,
    },
}

/// A count of one reaction on a post.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReactionCount {
    /// Which reaction.
    pub kind: ReactionKind,
    /// How many people gave it.
    pub count: i64,
    /// Whether the viewer gave it.
    pub mine: bool,
}

/// The post a reply answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplyTarget {
    /// Its id.
    pub id: i64,
    /// Its number in the thread.
    pub number: i64,
    /// Its author's handle.
    pub author: String,
}

/// A post as a thread page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostView {
    /// Its id.
    pub id: i64,
    /// Its place in the thread (1 is the opening post).
    pub number: i64,
    /// Its author's handle.
    pub author: String,
    /// Its author's display name.
    pub author_name: String,
    /// When it was written.
    pub created_at: DateTime<Utc>,
    /// Whether it was edited after posting.
    pub edited: bool,
    /// The body, or why it is not shown.
    pub body: PostBody,
    /// The post it answers, if a quote-reply.
    pub reply_to: Option<ReplyTarget>,
    /// Reaction counts, in display order, only those given.
    pub reactions: Vec<ReactionCount>,
    /// The viewer wrote it.
    pub mine: bool,
    /// The viewer has an open flag on it.
    pub flagged: bool,
}

/// What the viewer may do on a thread page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThreadPermissions {
    /// Reply, react and flag.
    pub participate: bool,
    /// Reply although the thread is locked, pin, lock, hide.
    pub moderate: bool,
    /// The thread takes replies from this viewer now.
    pub can_reply: bool,
    /// Leads the community (for its navigation).
    pub leader: bool,
}

/// The post being quoted in the reply form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuoteDraft {
    /// The post replied to.
    pub target: ReplyTarget,
    /// Its source as a Markdown quote, to start the reply with.
    pub quoted: String,
}

/// A page of a thread.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThreadPage {
    /// The community's name.
    pub community_name: String,
    /// The thread.
    pub thread: ThreadSummary,
    /// Posts on this page, in order.
    pub posts: Vec<PostView>,
    /// This page shows posts after this number (0 = first page).
    pub after: i64,
    /// The previous page's `after`, if this is not the first page.
    pub previous: Option<i64>,
    /// The next page's `after`, if there are more posts.
    pub next: Option<i64>,
    /// The last page's `after`.
    pub last: i64,
    /// What the viewer may do.
    pub permissions: ThreadPermissions,
    /// The community's values, which flags and hidden posts cite.
    pub values: Vec<String>,
    /// The quote-reply being written, if any.
    pub quote: Option<QuoteDraft>,
    /// The viewer's own post being edited, if any: (post id, Markdown source).
    pub editing: Option<(i64, String)>,
}

/// The page a post number falls on, as its `after` value.
pub fn page_after(number: i64) -> i64 {
    ((number.max(1) - 1) / POSTS_PER_PAGE) * POSTS_PER_PAGE
}

/// Where a post lives: the thread page that holds it, anchored to it.
pub fn post_link(slug: &str, thread: i64, number: i64) -> String {
    match page_after(number) {
        0 => format!("/c/{slug}/d/{thread}#post-{number}"),
        after => format!("/c/{slug}/d/{thread}?after={after}#post-{number}"),
    }
}

/// An earlier version of a post.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revision {
    /// Sanitised HTML of that version.
    pub html: String,
    /// When it was written.
    pub written_at: DateTime<Utc>,
    /// When it was replaced.
    pub replaced_at: DateTime<Utc>,
}

/// A post's edit history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostHistory {
    /// The thread's title.
    pub thread_title: String,
    /// Link back to the post.
    pub link: String,
    /// Its author's handle.
    pub author: String,
    /// The current version's HTML.
    pub current: String,
    /// Earlier versions, oldest first.
    pub revisions: Vec<Revision>,
}

/// A search result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchHit {
    /// Link to the post.
    pub link: String,
    /// The thread's title.
    pub thread_title: String,
    /// The community's name.
    pub community: String,
    /// The author's handle.
    pub author: String,
    /// Matching text, with matches between [`MARK_START`] and [`MARK_END`].
    pub snippet: String,
    /// When it was written.
    pub created_at: DateTime<Utc>,
}

/// Starts a highlighted match in a snippet (a control character no post contains).
pub const MARK_START: char = '\u{2}';
/// Ends a highlighted match in a snippet.
pub const MARK_END: char = '\u{3}';

/// Splits a snippet into (text, highlighted) runs, so pages can mark matches without HTML.
pub fn snippet_runs(snippet: &str) -> Vec<(String, bool)> {
    let mut runs = Vec::new();
    let mut current = String::new();
    let mut marked = false;
    for c in snippet.chars() {
        if c == MARK_START || c == MARK_END {
            if !current.is_empty() {
                runs.push((std::mem::take(&mut current), marked));
            }
            marked = c == MARK_START;
        } else {
            current.push(c);
        }
    }
    if !current.is_empty() {
        runs.push((current, marked));
    }
    runs
}

/// A page of search results.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchPage {
    /// The query as typed.
    pub query: String,
    /// Results, best first.
    pub hits: Vec<SearchHit>,
    /// The cursor for the next page.
    pub next: Option<String>,
    /// The community searched, if not site-wide: (slug, name, viewer leads it).
    pub community: Option<(String, String, bool)>,
    /// Library resources that match (first page only): (link, title, summary, community).
    #[serde(default)]
    pub resources: Vec<(String, String, String, String)>,
}

/// A search made safe for FTS5, in its two forms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FtsQuery {
    /// Every word must match as a whole word.
    pub whole_words: String,
    /// The same, except the last word may also be the start of a longer one.
    pub with_prefix: String,
}

/// Turns anything a person types into a safe FTS5 query: each word becomes a quoted
/// term (quotes, `*`, `NEAR`, `-` and parentheses lose their meaning) and all must
/// match; the prefix form lets the last be a prefix. `None` when there is nothing to
/// search for.
pub fn fts_query(input: &str) -> Option<FtsQuery> {
    let words: Vec<String> = input
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(12)
        .map(|w| format!("\"{w}\""))
        .collect();
    if words.is_empty() {
        return None;
    }
    let whole_words = words.join(" ");
    let with_prefix = format!("{whole_words}*");
    Some(FtsQuery { whole_words, with_prefix })
}

/// A post waiting in the moderation queue, with its flags.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlaggedPost {
    /// The post's id.
    pub post_id: i64,
    /// Link to it.
    pub link: String,
    /// The thread's title.
    pub thread_title: String,
    /// The author's handle.
    pub author: String,
    /// The post's sanitised HTML.
    pub html: String,
    /// Already hidden.
    pub hidden: bool,
    /// Each open flag: (flagger's handle, reason).
    pub flags: Vec<(String, String)>,
}

/// The moderation queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModerationQueue {
    /// The community's name.
    pub community_name: String,
    /// Whether the viewer leads the community (for its navigation).
    pub leader: bool,
    /// Posts with open flags, oldest flag first.
    pub posts: Vec<FlaggedPost>,
    /// The community's values.
    pub values: Vec<String>,
}

/// A checked thread: title and body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidThread {
    /// Trimmed title.
    pub title: String,
    /// Trimmed body.
    pub body: String,
}

/// Checks a new thread's title and body.
pub fn check_thread(title: &str, body: &str) -> Result<ValidThread, FieldErrors> {
    let mut errors = FieldErrors::new();
    let title = title.trim();
    let count = title.chars().count();
    if !(TITLE_MIN_CHARS..=TITLE_MAX_CHARS).contains(&count) {
        errors.add("title", format!("Use {TITLE_MIN_CHARS}–{TITLE_MAX_CHARS} characters."));
    }
    let body = match check_body(body) {
        Ok(body) => body,
        Err(message) => {
            errors.add("body", message);
            String::new()
        }
    };
    if errors.is_empty() { Ok(ValidThread { title: title.to_owned(), body }) } else { Err(errors) }
}

/// Checks a post body: not blank, at most [`BODY_MAX_CHARS`]. Returns it trimmed.
pub fn check_body(body: &str) -> Result<String, String> {
    let body = body.trim();
    if body.is_empty() {
        return Err("Write something first.".to_owned());
    }
    if body.chars().count() > BODY_MAX_CHARS {
        return Err(format!("Use at most {} characters.", format_thousands(BODY_MAX_CHARS)));
    }
    Ok(body.to_owned())
}

fn format_thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The text quoted into a reply: the source's first lines as a Markdown quote.
pub fn quote_source(author: &str, source: &str) -> String {
    let excerpt: String = source.chars().take(400).collect();
    let mut quoted = format!("> @{author} wrote:\n");
    for line in excerpt.lines() {
        quoted.push_str("> ");
        quoted.push_str(line);
        quoted.push('\n');
    }
    quoted.push('\n');
    quoted
}

/// Adds the replies a live poll brought below a thread's last page: only those newer than
/// the page's newest post and not added already. A poll still under way while the page
/// reloads (after the reader's own reply, say) brings posts the reloaded page shows
/// itself; those are dropped, so no post appears twice.
pub fn add_live_posts(added: &mut Vec<PostView>, newest_on_page: i64, arrived: Vec<PostView>) {
    for post in arrived {
        if post.number > newest_on_page && !added.iter().any(|p| p.number == post.number) {
            added.push(post);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_search_input_becomes_plain_words() {
        let query = |whole: &str, prefix: &str| {
            Some(FtsQuery { whole_words: whole.into(), with_prefix: prefix.into() })
        };
        assert_eq!(fts_query("river clean"), query("\"river\" \"clean\"", "\"river\" \"clean\"*"));
        assert_eq!(
            fts_query("\"unbalanced (NEAR -x* OR"),
            query("\"unbalanced\" \"NEAR\" \"x\" \"OR\"", "\"unbalanced\" \"NEAR\" \"x\" \"OR\"*")
        );
        assert_eq!(fts_query("  ()*\"- "), None);
        assert_eq!(fts_query(""), None);
        assert_eq!(fts_query("café"), query("\"café\"", "\"café\"*"));
    }

    #[test]
    fn titles_and_bodies_are_bounded() {
        assert!(check_thread("Hi", "body").is_err());
        assert!(check_thread(&"x".repeat(201), "body").is_err());
        let ok = check_thread("  Planting day  ", "  See you there  ").unwrap();
        assert_eq!(ok.title, "Planting day");
        assert_eq!(ok.body, "See you there");
        assert!(check_body("   ").is_err());
        assert!(check_body(&"x".repeat(BODY_MAX_CHARS)).is_ok());
        assert_eq!(
            check_body(&"x".repeat(BODY_MAX_CHARS + 1)),
            Err("Use at most 32,000 characters.".into())
        );
    }

    #[test]
    fn pages_hold_fifty_posts() {
        assert_eq!(page_after(1), 0);
        assert_eq!(page_after(50), 0);
        assert_eq!(page_after(51), 50);
        assert_eq!(page_after(10_000), 9_950);
        assert_eq!(post_link("river", 7, 51), "/c/river/d/7?after=50#post-51");
        assert_eq!(post_link("river", 7, 3), "/c/river/d/7#post-3");
    }

    #[test]
    fn snippets_split_into_marked_runs() {
        let s = format!("a {MARK_START}river{MARK_END} b");
        assert_eq!(
            snippet_runs(&s),
            vec![("a ".to_owned(), false), ("river".to_owned(), true), (" b".to_owned(), false)]
        );
    }

    #[test]
    fn quotes_prefix_every_line() {
        assert_eq!(quote_source("ada", "one\ntwo"), "> @ada wrote:\n> one\n> two\n\n");
    }

    #[test]
    fn reactions_round_trip() {
        for kind in ReactionKind::ALL {
            assert_eq!(ReactionKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(ReactionKind::parse("skull"), None);
    }

    #[test]
    fn live_replies_never_repeat_a_post_on_the_page() {
        let post = |number: i64| PostView {
            id: number,
            number,
            author: "ada".into(),
            author_name: "Ada".into(),
            created_at: DateTime::<Utc>::UNIX_EPOCH,
            edited: false,
            body: PostBody::Visible(format!("<p>{number}</p>")),
            reply_to: None,
            reactions: Vec::new(),
            mine: false,
            flagged: false,
        };
        let numbers = |posts: &[PostView]| posts.iter().map(|p| p.number).collect::<Vec<_>>();
        let mut added = Vec::new();
        add_live_posts(&mut added, 3, vec![post(4), post(5)]);
        assert_eq!(numbers(&added), [4, 5]);
        // A second poll overlapping the first adds only what is new.
        add_live_posts(&mut added, 3, vec![post(5), post(6)]);
        assert_eq!(numbers(&added), [4, 5, 6]);
        // A poll that finishes after the page reloaded with post 7 on it adds nothing.
        let mut added = Vec::new();
        add_live_posts(&mut added, 7, vec![post(6), post(7)]);
        assert!(added.is_empty());
    }
}
