//! The Markdown renderer and sanitiser over generated input: whatever a member types —
//! random text, raw HTML, links with hostile schemes, event handlers, entity tricks — the
//! output carries only allowlisted tags and attributes, links only to http(s), mailto or
//! a member's profile, and rendering is stable (the same input renders the same, and
//! sanitising the output again changes nothing).

use proptest::prelude::*;

use super::markdown::{ALLOWED_TAGS as TAGS, render, sanitise};

/// Pieces that attackers and ordinary members type, mixed with arbitrary text.
fn piece() -> impl Strategy<Value = String> {
    let hostile = prop::sample::select(vec![
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<a href=\"javascript:alert(1)\">x</a>",
        "[click](javascript:alert(1))",
        "[click](JaVaScRiPt:alert(1))",
        "[click](&#106;avascript:alert(1))",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        "[x](vbscript:msgbox(1))",
        "<svg onload=alert(1)>",
        "<iframe src=//evil.example>",
        "<style>*{}</style>",
        "<p style=\"color:red\" onclick=\"x()\">p</p>",
        "<a href=\"/u/ada\" onmouseover=\"x()\">ada</a>",
        "<a href=\"/admin\">admin</a>",
        "\"><script>",
        "<!-- <script> -->",
        "<![CDATA[<script>]]>",
        "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>",
        "[a](http://example.org \"t\" onmouseover=x)",
        "![img](http://example.org/x.png)",
        "<form action=/x><button>go</button></form>",
        "`<script>`",
        "```\n<script>\n```",
        "@ada and @grace_hopper",
        "**bold** _em_ ~~del~~",
        "> quote\n\n- list\n1. one",
        "# title\n\n### sub",
        "\n\n",
        "&lt;script&gt;",
        "\u{0}\u{202e}\u{feff}",
    ])
    .prop_map(str::to_owned);
    prop_oneof![3 => hostile, 2 => any::<String>(), 1 => "[<>\"'=&:/a-z ]{0,40}"]
}

fn source() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..12).prop_map(|pieces| pieces.concat())
}

/// Every tag in `html` (as html5ever serialises it: text `<` is always escaped, attribute
/// values always double-quoted): its name and its (name, value) attributes.
fn tags(html: &str) -> Vec<(String, Vec<(String, String)>)> {
    let mut found = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        rest = &rest[start + 1..];
        let closing = rest.starts_with('/');
        let body = rest.trim_start_matches('/');
        let name_len = body.find(|c: char| c.is_whitespace() || c == '>').unwrap_or(body.len());
        let name = body[..name_len].to_ascii_lowercase();
        let mut attrs = Vec::new();
        let mut cursor = &body[name_len..];
        loop {
            cursor = cursor.trim_start();
            if cursor.is_empty() || cursor.starts_with('>') {
                break;
            }
            let attr_len = cursor.find(['=', '>', ' ']).unwrap_or(cursor.len());
            let attr = cursor[..attr_len].to_ascii_lowercase();
            cursor = &cursor[attr_len..];
            let mut value = String::new();
            if let Some(quoted) = cursor.strip_prefix("=\"") {
                let end = quoted.find('"').unwrap_or(quoted.len());
                value = quoted[..end].to_owned();
                cursor = quoted.get(end + 1..).unwrap_or("");
            }
            attrs.push((attr, value));
        }
        rest = cursor.strip_prefix('>').unwrap_or(cursor);
        if !closing {
            found.push((name, attrs));
        }
    }
    found
}

fn safe_href(href: &str) -> bool {
    let href = href.to_ascii_lowercase();
    ["http://", "https://", "mailto:"].iter().any(|s| href.starts_with(s))
        || href.strip_prefix("/u/").is_some_and(|h| {
            !h.is_empty() && h.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn rendered_posts_carry_only_allowlisted_markup_and_safe_links(source in source()) {
        let html = render(&source, &|handle| handle == "ada");
        for (tag, attrs) in tags(&html) {
            prop_assert!(TAGS.contains(&tag.as_str()), "tag <{}> in {:?}", tag, html);
            for (attr, value) in attrs {
                let allowed = match tag.as_str() {
                    "a" => ["href", "title", "rel", "class"].contains(&attr.as_str()),
                    "ol" => attr == "start",
                    _ => false,
                };
                prop_assert!(allowed, "<{} {}> in {:?}", tag, attr, html);
                if attr == "href" {
                    prop_assert!(safe_href(&value), "href {:?} in {:?}", value, html);
                }
            }
        }
        // Text never carries a raw `<` (so no tag hides from the scan above).
        prop_assert!(!html.to_ascii_lowercase().contains("<script"), "{:?}", html);
    }

    #[test]
    fn rendering_is_stable(source in source()) {
        let html = render(&source, &|_| true);
        prop_assert_eq!(&html, &render(&source, &|_| true));
        prop_assert_eq!(sanitise(&html), html);
    }
}

/// The scanner the properties rely on does see tags and attributes (so the properties are
/// not vacuous).
#[test]
fn the_scanner_sees_tags_and_attributes() {
    let html = render("**a** [b](http://example.org \"t\") <em onclick=\"x\">c</em>", &|_| false);
    let found = tags(&html);
    let names: Vec<&str> = found.iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(names, ["p", "strong", "a", "em"], "{html}");
    let link: Vec<&str> = found[2].1.iter().map(|(a, _)| a.as_str()).collect();
    assert_eq!(link, ["href", "title", "rel"], "{html}");
    assert_eq!(found[2].1[0].1, "http://example.org");
    assert!(found[3].1.is_empty(), "the handler is gone: {html}");
    let raw = tags("<a href=\"javascript:x\" onclick=\"y\">z</a>");
    assert_eq!(raw[0].1.len(), 2);
    assert!(!safe_href(&raw[0].1[0].1));
}
