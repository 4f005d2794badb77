//! The community form: checking a founder's or steward's input, slugs, values and tags.

use serde::{Deserialize, Serialize};

use super::community::{
    CommunityValue, JOIN_QUESTION_MAX_CHARS, JOIN_QUESTIONS_MAX, JoinPolicy, MISSION_MAX_CHARS,
    NAME_MAX_CHARS, NAME_MIN_CHARS, SLUG_MAX_CHARS, VALUE_DESCRIPTION_MAX_CHARS,
    VALUE_NAME_MAX_CHARS, VALUES_MAX, VISION_MAX_CHARS, Visibility,
};
use crate::error::{AppError, FieldErrors};

/// The form for creating or editing a community.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommunityForm {
    /// Display name.
    pub name: String,
    /// URL name; derived from the name when empty.
    pub slug: String,
    /// Why it exists (required).
    pub mission: String,
    /// The change it wants.
    pub vision: String,
    /// Values, one per line: `Name: sentence`.
    pub values: String,
    /// `public` or `private`.
    pub visibility: String,
    /// `open`, `approval` or `invite`.
    pub join_policy: String,
    /// Join questions, one per line.
    pub join_questions: String,
    /// Present (any value) when members' own contributions count without a verifier.
    #[serde(default)]
    pub self_attestation: Option<String>,
    /// The IANA time zone its events default to; empty means UTC.
    #[serde(default)]
    pub time_zone: String,
}

/// A checked [`CommunityForm`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidCommunity {
    /// Display name.
    pub name: String,
    /// URL name.
    pub slug: String,
    /// Mission.
    pub mission: String,
    /// Vision.
    pub vision: String,
    /// Values in order.
    pub values: Vec<CommunityValue>,
    /// Visibility.
    pub visibility: Visibility,
    /// Join policy.
    pub join_policy: JoinPolicy,
    /// Join questions.
    pub join_questions: Vec<String>,
    /// Self-attested contributions count at once.
    pub self_attestation: bool,
    /// Events' default time zone (an IANA name; the server checks it exists).
    pub time_zone: String,
}

/// A URL name made from a display name: `River Keepers!` -> `river-keepers`.
pub fn slugify(name: &str) -> String {
    let mut slug = String::new();
    for c in name.trim().chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let slug: String = slug.chars().take(SLUG_MAX_CHARS).collect();
    slug.trim_end_matches('-').to_owned()
}

/// Words that cannot be slugs because pages live there.
const RESERVED_SLUGS: &[&str] = &["new", "edit", "api", "admin", "search"];

fn check_length(
    errors: &mut FieldErrors,
    field: &str,
    text: &str,
    min: usize,
    max: usize,
    what: &str,
) {
    let len = text.chars().count();
    if len < min {
        if min == 1 {
            errors.add(field, format!("{what} is required."));
        } else {
            errors.add(field, format!("Use at least {min} characters."));
        }
    } else if len > max {
        errors.add(field, format!("Use at most {max} characters."));
    }
}

/// Parses the values box: one value per line, `Name: what it means here`.
pub fn parse_values(text: &str, errors: &mut FieldErrors) -> Vec<CommunityValue> {
    let values: Vec<CommunityValue> = text
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(|line| match line.split_once(':') {
            Some((name, description)) => CommunityValue {
                name: name.trim().to_owned(),
                description: description.trim().to_owned(),
            },
            None => CommunityValue { name: line.to_owned(), description: String::new() },
        })
        .collect();
    if values.len() > VALUES_MAX {
        errors.add("values", format!("List at most {VALUES_MAX} values."));
    }
    if values.iter().any(|v| v.name.is_empty() || v.name.chars().count() > VALUE_NAME_MAX_CHARS) {
        errors.add(
            "values",
            format!(
                "Give each value a name of 1–{VALUE_NAME_MAX_CHARS} characters before the colon."
            ),
        );
    }
    if values.iter().any(|v| v.description.chars().count() > VALUE_DESCRIPTION_MAX_CHARS) {
        errors.add(
            "values",
            format!("Keep each value's sentence under {VALUE_DESCRIPTION_MAX_CHARS} characters."),
        );
    }
    values
}

/// The values as the form shows them again.
pub fn format_values(values: &[CommunityValue]) -> String {
    values
        .iter()
        .map(|v| {
            if v.description.is_empty() {
                v.name.clone()
            } else {
                format!("{}: {}", v.name, v.description)
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

impl CommunityForm {
    /// Trims, derives the slug if empty, and checks every field at once.
    pub fn validate(self) -> Result<ValidCommunity, AppError> {
        let mut errors = FieldErrors::new();
        let name = self.name.trim().to_owned();
        check_length(&mut errors, "name", &name, NAME_MIN_CHARS, NAME_MAX_CHARS, "A name");
        let slug = match self.slug.trim() {
            "" => slugify(&name),
            given => given.to_lowercase(),
        };
        let slug_ok = slug.chars().count() >= 3
            && slug.chars().count() <= SLUG_MAX_CHARS
            && slug.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && !slug.starts_with('-')
            && !slug.ends_with('-');
        if !slug_ok {
            errors.add(
                "slug",
                format!("Use 3–{SLUG_MAX_CHARS} lower-case letters, digits and dashes."),
            );
        } else if RESERVED_SLUGS.contains(&slug.as_str()) {
            errors.add("slug", "That address is reserved. Pick another.");
        }
        let mission = self.mission.trim().to_owned();
        check_length(&mut errors, "mission", &mission, 1, MISSION_MAX_CHARS, "A mission");
        let vision = self.vision.trim().to_owned();
        check_length(&mut errors, "vision", &vision, 0, VISION_MAX_CHARS, "A vision");
        let values = parse_values(&self.values, &mut errors);
        let visibility = Visibility::parse(self.visibility.trim());
        if visibility.is_none() {
            errors.add("visibility", "Choose public or private.");
        }
        let join_policy = JoinPolicy::parse(self.join_policy.trim());
        if join_policy.is_none() {
            errors.add("join_policy", "Choose how people join.");
        }
        let join_questions: Vec<String> = self
            .join_questions
            .lines()
            .map(str::trim)
            .filter(|q| !q.is_empty())
            .map(str::to_owned)
            .collect();
        if join_questions.len() > JOIN_QUESTIONS_MAX
            || join_questions.iter().any(|q| q.chars().count() > JOIN_QUESTION_MAX_CHARS)
        {
            errors.add(
                "join_questions",
                format!("Ask at most {JOIN_QUESTIONS_MAX} questions of up to {JOIN_QUESTION_MAX_CHARS} characters."),
            );
        }
        let time_zone = match self.time_zone.trim() {
            "" => "UTC".to_owned(),
            zone => zone.to_owned(),
        };
        let zone_shaped = time_zone.len() <= 64
            && time_zone.chars().all(|c| c.is_ascii_alphanumeric() || "/_+-".contains(c));
        if !zone_shaped {
            errors.add("time_zone", "Choose a time zone such as Europe/London.");
        }
        errors.into_result()?;
        match (visibility, join_policy) {
            (Some(visibility), Some(join_policy)) => Ok(ValidCommunity {
                name,
                slug,
                mission,
                vision,
                values,
                visibility,
                join_policy,
                join_questions,
                self_attestation: self.self_attestation.is_some(),
                time_zone,
            }),
            _ => Err(AppError::invalid("visibility", "Choose the settings.")),
        }
    }
}

/// Free tags (skills, interests) from a comma-separated box: trimmed, lower-cased, unique, capped.
pub fn parse_tags(text: &str, field: &str) -> Result<Vec<String>, AppError> {
    let mut tags: Vec<String> = Vec::new();
    for tag in text.split(',').map(|t| t.trim().to_lowercase()).filter(|t| !t.is_empty()) {
        if tag.chars().count() > 40 {
            return Err(AppError::invalid(field, "Keep each tag under 40 characters."));
        }
        if !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    if tags.len() > 20 {
        return Err(AppError::invalid(field, "List at most 20."));
    }
    Ok(tags)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> CommunityForm {
        CommunityForm {
            name: "River Keepers".into(),
            slug: String::new(),
            mission: "Keep the river clean.".into(),
            vision: String::new(),
            values: "Leave no trace: we take out more than we bring\nCare\n".into(),
            visibility: "public".into(),
            join_policy: "open".into(),
            join_questions: String::new(),
            self_attestation: None,
            time_zone: String::new(),
        }
    }

    #[test]
    fn slugs_come_from_names() {
        assert_eq!(slugify("River Keepers!"), "river-keepers");
        assert_eq!(slugify("  Ünïcode & Friends  "), "n-code-friends");
        assert_eq!(slugify("---"), "");
    }

    #[test]
    fn a_good_form_validates_with_ordered_values() {
        let valid = form().validate().unwrap();
        assert_eq!(valid.slug, "river-keepers");
        assert_eq!(valid.values.len(), 2);
        assert_eq!(valid.values[0].name, "Leave no trace");
        assert_eq!(valid.values[0].description, "we take out more than we bring");
        assert_eq!(valid.values[1].name, "Care");
        assert_eq!(
            format_values(&valid.values),
            "Leave no trace: we take out more than we bring\nCare"
        );
    }

    #[test]
    fn every_limit_is_a_field_error() {
        let bad = CommunityForm {
            name: "x".repeat(81),
            slug: "Bad Slug".into(),
            mission: "  ".into(),
            vision: "v".repeat(2_001),
            values: (0..13).map(|i| format!("Value {i}")).collect::<Vec<_>>().join("\n"),
            visibility: "secret".into(),
            join_policy: "lottery".into(),
            join_questions: "q\nq\nq\nq\nq\nq".into(),
            self_attestation: None,
            time_zone: String::new(),
        };
        let Err(AppError::Validation(errors)) = bad.validate() else { panic!("expected errors") };
        for field in [
            "name",
            "slug",
            "mission",
            "vision",
            "values",
            "visibility",
            "join_policy",
            "join_questions",
        ] {
            assert!(errors.get(field).is_some(), "no error for {field}: {errors:?}");
        }
    }

    #[test]
    fn reserved_slugs_are_refused() {
        let mut f = form();
        f.slug = "new".into();
        assert!(matches!(f.validate(), Err(AppError::Validation(e)) if e.get("slug").is_some()));
    }

    #[test]
    fn tags_are_normalised() {
        assert_eq!(
            parse_tags("Rust, first aid , rust,", "skills").unwrap(),
            vec!["rust", "first aid"]
        );
        let many: Vec<String> = (0..21).map(|i| format!("tag{i}")).collect();
        assert!(parse_tags(&many.join(","), "skills").is_err());
        assert!(parse_tags(&"x".repeat(41), "skills").is_err());
    }
}
