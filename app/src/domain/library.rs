//! The resource library: guides (Markdown), links and uploaded files a community keeps
//! current, with tags, a "review by" date, helpful marks and outdated flags.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::fields;
use crate::error::{AppError, FieldErrors};

/// Longest title.
pub const TITLE_MAX_CHARS: usize = 200;
/// Longest summary.
pub const SUMMARY_MAX_CHARS: usize = 500;
/// Longest guide.
pub const GUIDE_MAX_CHARS: usize = 32_000;
/// Most tags on one resource.
pub const MAX_TAGS: usize = 8;
/// Largest upload.
pub const MAX_FILE_BYTES: u64 = 20 * 1024 * 1024;

/// What a resource is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ResourceKind {
    /// A guide written here, in Markdown.
    Guide,
    /// A link to something elsewhere.
    Link,
    /// An uploaded file.
    File,
}

impl ResourceKind {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            ResourceKind::Guide => "guide",
            ResourceKind::Link => "link",
            ResourceKind::File => "file",
        }
    }

    /// Reads a stored or submitted name.
    pub fn parse(text: &str) -> Option<ResourceKind> {
        match text {
            "guide" => Some(ResourceKind::Guide),
            "link" => Some(ResourceKind::Link),
            "file" => Some(ResourceKind::File),
            _ => None,
        }
    }

    /// How lists name it.
    pub fn label(self) -> &'static str {
        match self {
            ResourceKind::Guide => "Guide",
            ResourceKind::Link => "Link",
            ResourceKind::File => "File",
        }
    }
}

/// What a member fills in to add or change a resource (an upload's file travels beside it).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ResourceForm {
    /// `guide`, `link` or `file`.
    #[serde(default)]
    pub kind: String,
    /// Title.
    #[serde(default)]
    pub title: String,
    /// One or two sentences on what it is for.
    #[serde(default)]
    pub summary: String,
    /// The guide's Markdown.
    #[serde(default)]
    pub body: String,
    /// The link's address.
    #[serde(default)]
    pub url: String,
    /// Tags, comma-separated.
    #[serde(default)]
    pub tags: String,
    /// Licence (required for uploads), e.g. "CC BY 4.0".
    #[serde(default)]
    pub licence: String,
    /// Who made it (required for uploads).
    #[serde(default)]
    pub attribution: String,
    /// An initiative it belongs to.
    #[serde(default)]
    pub initiative_id: String,
    /// A goal it serves.
    #[serde(default)]
    pub goal_id: String,
    /// When it should next be checked, `YYYY-MM-DD`.
    #[serde(default)]
    pub review_by: String,
}

/// A checked resource form.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidResource {
    /// What it is.
    pub kind: ResourceKind,
    /// Title.
    pub title: String,
    /// Summary.
    pub summary: String,
    /// The guide's Markdown (empty for others).
    pub body: String,
    /// The link (links only).
    pub url: Option<String>,
    /// Lower-case tags, without repeats.
    pub tags: Vec<String>,
    /// Licence.
    pub licence: String,
    /// Attribution.
    pub attribution: String,
    /// Initiative.
    pub initiative_id: Option<i64>,
    /// Goal.
    pub goal_id: Option<i64>,
    /// Review date.
    pub review_by: Option<NaiveDate>,
}

impl ResourceForm {
    /// Checks every field and reports every problem at once.
    pub fn validate(&self) -> Result<ValidResource, AppError> {
        let mut errors = FieldErrors::new();
        let kind = ResourceKind::parse(self.kind.trim());
        if kind.is_none() {
            errors.add("kind", "Choose a guide, a link or a file.");
        }
        let title = fields::text(&mut errors, "title", &self.title, 1, TITLE_MAX_CHARS);
        let summary = fields::text(&mut errors, "summary", &self.summary, 0, SUMMARY_MAX_CHARS);
        let body = self.body.trim().to_owned();
        let url = self.url.trim();
        let url = match kind {
            Some(ResourceKind::Guide) => {
                if body.is_empty() {
                    errors.add("body", "Write the guide.");
                } else if body.chars().count() > GUIDE_MAX_CHARS {
                    errors.add("body", format!("Keep it under {GUIDE_MAX_CHARS} characters."));
                }
                None
            }
            Some(ResourceKind::Link) => {
                if !is_web_link(url) {
                    errors.add("url", "Use a web address starting with https:// or http://.");
                }
                Some(url.to_owned())
            }
            _ => None,
        };
        let tags = parse_tags(&mut errors, &self.tags);
        let licence = fields::text(&mut errors, "licence", &self.licence, 0, 100);
        let attribution = fields::text(&mut errors, "attribution", &self.attribution, 0, 200);
        if kind == Some(ResourceKind::File) {
            if licence.is_empty() {
                errors.add("licence", "Say under which licence it may be shared, e.g. CC BY 4.0.");
            }
            if attribution.is_empty() {
                errors.add("attribution", "Say who made it.");
            }
        }
        let initiative_id = fields::optional_id(&mut errors, "initiative_id", &self.initiative_id);
        let goal_id = fields::optional_id(&mut errors, "goal_id", &self.goal_id);
        let review_by = fields::optional_date(&mut errors, "review_by", &self.review_by);
        errors.into_result()?;
        Ok(ValidResource {
            kind: kind.unwrap_or(ResourceKind::Guide),
            title,
            summary,
            body: if kind == Some(ResourceKind::Guide) { body } else { String::new() },
            url,
            tags,
            licence,
            attribution,
            initiative_id,
            goal_id,
            review_by,
        })
    }
}

/// Whether `url` is an absolute http(s) address with a host and no spaces.
pub fn is_web_link(url: &str) -> bool {
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"));
    match rest {
        Some(rest) => {
            let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
            !host.is_empty() && !url.chars().any(char::is_whitespace) && url.len() <= 2000
        }
        None => false,
    }
}

/// The library's tags: see [`fields::tags`], at most [`MAX_TAGS`].
pub fn parse_tags(errors: &mut FieldErrors, text: &str) -> Vec<String> {
    fields::tags(errors, "tags", text, MAX_TAGS)
}

/// A file type Kindred accepts, recognised by the file's first bytes (never its name).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileType {
    /// The type served with it.
    pub mime: &'static str,
    /// The extension downloads are named with.
    pub extension: &'static str,
}

/// The accepted types: PDF, images (PNG, JPEG, GIF, WebP), office documents (Word,
/// Excel, PowerPoint, OpenDocument), plain text and CSV.
pub const ACCEPTED_MIME: [&str; 14] = [
    "application/pdf",
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/webp",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.oasis.opendocument.presentation",
    "application/msword",
    "application/vnd.ms-excel",
    "application/vnd.ms-powerpoint",
];

/// A resource as lists show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResourceSummary {
    /// Its id.
    pub id: i64,
    /// What it is.
    pub kind: ResourceKind,
    /// Title.
    pub title: String,
    /// Summary.
    pub summary: String,
    /// Tags.
    pub tags: Vec<String>,
    /// The owner's handle.
    pub owner: String,
    /// Review date.
    pub review_by: Option<NaiveDate>,
    /// Whether the review date has passed.
    pub overdue: bool,
    /// Members who found it helpful.
    pub helpful: i64,
    /// Members who flagged it outdated (since its last change).
    pub outdated: i64,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

/// A leader-ordered collection ("Start here", "Safety") and its resources in order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Collection {
    /// Its id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Its resources, in the leaders' order.
    pub resources: Vec<ResourceSummary>,
}

/// `/c/{slug}/library`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LibraryPage {
    /// Collections first.
    pub collections: Vec<Collection>,
    /// A page of the resources (or those with the chosen tag), newest change first.
    pub resources: Vec<ResourceSummary>,
    /// The cursor of the next, older page, if there is one.
    #[serde(default)]
    pub older: Option<String>,
    /// The tag filtered by.
    pub tag: Option<String>,
    /// Every tag in use, with how many resources carry it.
    pub tags: Vec<(String, i64)>,
    /// Whether the viewer may add resources.
    pub can_add: bool,
    /// Whether the viewer may organise collections.
    pub can_organise: bool,
    /// Initiatives and goals to attach a resource to: (id, title).
    pub initiatives: Vec<(i64, String)>,
    /// Goals: (id, title).
    pub goals: Vec<(i64, String)>,
}

/// An uploaded file's facts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileFacts {
    /// The name it was uploaded with.
    pub file_name: String,
    /// Its type (from its content).
    pub content_type: String,
    /// Its size.
    pub size_bytes: i64,
}

/// One resource's page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResourcePage {
    /// The summary fields.
    pub resource: ResourceSummary,
    /// The guide, sanitised HTML.
    pub body_html: String,
    /// The guide's Markdown (for its owner and leaders to edit).
    pub body: String,
    /// The link.
    pub url: Option<String>,
    /// The file.
    pub file: Option<FileFacts>,
    /// Licence.
    pub licence: String,
    /// Attribution.
    pub attribution: String,
    /// Initiative: (id, title).
    pub initiative: Option<(i64, String)>,
    /// Goal: (id, title).
    pub goal: Option<(i64, String)>,
    /// How many earlier versions the guide has.
    pub revisions: i64,
    /// Whether the viewer marked it helpful.
    pub marked_helpful: bool,
    /// Whether the viewer flagged it outdated.
    pub flagged_outdated: bool,
    /// Whether the viewer may edit it (its owner, leaders).
    pub can_edit: bool,
    /// Whether the viewer may mark and flag it (members).
    pub can_react: bool,
    /// Collections (leaders put it in one): (id, name, holds it).
    pub collections: Vec<(i64, String, bool)>,
}

/// One version of a guide, as its history page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuideVersion {
    /// Its title then.
    pub title: String,
    /// Its summary then.
    pub summary: String,
    /// Its text, sanitised HTML.
    pub html: String,
    /// Who replaced it (for earlier versions), when known.
    pub replaced_by: Option<String>,
    /// When it was replaced; for the current version, when it was last changed.
    pub at: DateTime<Utc>,
}

/// A guide's edit history: the current version, then earlier ones newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuideHistory {
    /// Link back to the guide.
    pub link: String,
    /// Its owner's handle.
    pub owner: String,
    /// The current version.
    pub current: GuideVersion,
    /// Earlier versions, newest first.
    pub earlier: Vec<GuideVersion>,
}

/// Whether a resource due for review on `review_by` is overdue on `today`.
pub fn is_overdue(review_by: Option<NaiveDate>, today: NaiveDate) -> bool {
    review_by.is_some_and(|d| d < today)
}

/// "2.4 MB", "380 KB".
pub fn file_size(bytes: i64) -> String {
    let bytes = bytes.max(0) as f64;
    if bytes >= 1024.0 * 1024.0 {
        format!("{:.1} MB", bytes / (1024.0 * 1024.0))
    } else {
        format!("{} KB", (bytes / 1024.0).ceil().max(1.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(kind: &str) -> ResourceForm {
        ResourceForm {
            kind: kind.into(),
            title: "Weir safety".into(),
            summary: "Read before going in the water.".into(),
            body: "## Before\n\nCheck the gauge.".into(),
            url: "https://example.org/safety".into(),
            tags: "Safety, water, safety".into(),
            licence: "CC BY 4.0".into(),
            attribution: "River Keepers".into(),
            ..ResourceForm::default()
        }
    }

    #[test]
    fn guides_need_a_body_links_an_http_address_uploads_a_licence() {
        let guide = form("guide").validate().unwrap();
        assert_eq!(guide.tags, ["safety", "water"]);
        assert_eq!(guide.url, None);
        let link = form("link").validate().unwrap();
        assert_eq!(link.url.as_deref(), Some("https://example.org/safety"));
        assert!(link.body.is_empty());

        let mut empty_guide = form("guide");
        empty_guide.body = "  ".into();
        assert!(empty_guide.validate().unwrap_err().field_errors().unwrap().get("body").is_some());
        for bad in
            ["javascript:alert(1)", "ftp://x.org/a", "https://", "example.org", "https://a b"]
        {
            let mut link = form("link");
            link.url = bad.into();
            let error = link.validate().unwrap_err();
            assert!(error.field_errors().unwrap().get("url").is_some(), "{bad}");
        }
        let mut upload = form("file");
        upload.licence.clear();
        upload.attribution.clear();
        let error = upload.validate().unwrap_err();
        let fields = error.field_errors().unwrap();
        assert!(fields.get("licence").is_some() && fields.get("attribution").is_some());
        assert!(form("other").validate().is_err());
    }

    #[test]
    fn tags_are_few_short_words() {
        let mut errors = FieldErrors::new();
        assert_eq!(parse_tags(&mut errors, " Kit List ,first-aid,,"), ["kit list", "first-aid"]);
        assert!(errors.is_empty());
        parse_tags(&mut errors, "<script>");
        assert!(!errors.is_empty());
        let mut errors = FieldErrors::new();
        parse_tags(&mut errors, "a,b,c,d,e,f,g,h,i");
        assert!(!errors.is_empty());
    }

    #[test]
    fn review_dates_and_sizes_read_well() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
        assert!(is_overdue(NaiveDate::from_ymd_opt(2026, 12, 1), today));
        assert!(!is_overdue(Some(today), today));
        assert!(!is_overdue(None, today));
        assert_eq!(file_size(5 * 1024 * 1024), "5.0 MB");
        assert_eq!(file_size(380 * 1024), "380 KB");
        assert_eq!(file_size(10), "1 KB");
    }
}
