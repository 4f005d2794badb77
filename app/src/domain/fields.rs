//! Reading form fields: each reader trims, checks and records a message about its
//! field, so a form's `validate` reports every problem at once.

use chrono::{NaiveDate, NaiveTime};

use crate::error::FieldErrors;

/// Trimmed text of `min`–`max` characters.
pub(crate) fn text(
    errors: &mut FieldErrors,
    field: &str,
    value: &str,
    min: usize,
    max: usize,
) -> String {
    let value = value.trim().to_owned();
    let len = value.chars().count();
    if len < min || len > max {
        errors.add(field, format!("Use {min}–{max} characters."));
    }
    value
}

/// A number above 0 and at most `max` (thousands separators allowed).
pub(crate) fn number(errors: &mut FieldErrors, field: &str, value: &str, max: f64) -> Option<f64> {
    match value.trim().replace(',', "").parse::<f64>() {
        Ok(n) if n.is_finite() && n > 0.0 && n <= max => Some(n),
        _ => {
            errors.add(field, format!("Enter a number above 0 and at most {max}."));
            None
        }
    }
}

/// Like [`number`], or nothing when left empty.
pub(crate) fn optional_number(
    errors: &mut FieldErrors,
    field: &str,
    value: &str,
    max: f64,
) -> Option<f64> {
    if value.trim().is_empty() { None } else { number(errors, field, value, max) }
}

/// A `YYYY-MM-DD` date, or nothing when left empty.
pub(crate) fn optional_date(
    errors: &mut FieldErrors,
    field: &str,
    value: &str,
) -> Option<NaiveDate> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    match NaiveDate::parse_from_str(value, "%Y-%m-%d") {
        Ok(date) => Some(date),
        Err(_) => {
            errors.add(field, "Use a date like 2027-06-30.");
            None
        }
    }
}

/// The id of an item chosen from a list, or nothing when left empty.
pub(crate) fn optional_id(errors: &mut FieldErrors, field: &str, value: &str) -> Option<i64> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    match value.parse::<i64>() {
        Ok(id) if id > 0 => Some(id),
        _ => {
            errors.add(field, "Choose one from the list.");
            None
        }
    }
}

/// A required `YYYY-MM-DD` date.
pub(crate) fn date(errors: &mut FieldErrors, field: &str, value: &str) -> Option<NaiveDate> {
    let parsed = NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d").ok();
    if parsed.is_none() {
        errors.add(field, "Use a date like 2027-03-13.");
    }
    parsed
}

/// A whole number from `min` to `max`, or nothing when left empty.
pub(crate) fn whole(
    errors: &mut FieldErrors,
    field: &str,
    value: &str,
    min: i64,
    max: i64,
) -> Option<i64> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    match value.parse::<i64>() {
        Ok(n) if (min..=max).contains(&n) => Some(n),
        _ => {
            errors.add(field, format!("Enter a whole number from {min} to {max}."));
            None
        }
    }
}

/// A wall-clock time, `HH:MM` (seconds allowed).
pub(crate) fn time(errors: &mut FieldErrors, field: &str, value: &str) -> Option<NaiveTime> {
    let value = value.trim();
    let parsed = NaiveTime::parse_from_str(value, "%H:%M")
        .or_else(|_| NaiveTime::parse_from_str(value, "%H:%M:%S"))
        .ok();
    if parsed.is_none() {
        errors.add(field, "Use a time like 10:00 or 18:30.");
    }
    parsed
}

/// Where a gathering happens: a place (at most 200 characters) and/or an http(s) link to
/// join online; at least one of them.
pub(crate) fn place_and_link(
    errors: &mut FieldErrors,
    place: &str,
    online_url: &str,
) -> (String, String) {
    let place = place.trim().to_owned();
    let online_url = online_url.trim().to_owned();
    if place.chars().count() > 200 {
        errors.add("place", "Use at most 200 characters.");
    }
    let is_link = online_url.starts_with("https://") || online_url.starts_with("http://");
    if !online_url.is_empty() && !is_link {
        errors.add("online_url", "Use a link starting with https://.");
    }
    if place.is_empty() && online_url.is_empty() {
        errors.add("place", "Say where it happens, or give a link to join online.");
    }
    (place, online_url)
}

/// Comma-separated tags: trimmed, lower-case, letters, digits, spaces and hyphens, at
/// most `max` of at most 30 characters, repeats dropped.
pub(crate) fn tags(errors: &mut FieldErrors, field: &str, text: &str, max: usize) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    for tag in text.split(',').map(|t| t.trim().to_lowercase()).filter(|t| !t.is_empty()) {
        let fine = tag.chars().count() <= 30
            && tag.chars().all(|c| c.is_alphanumeric() || c == ' ' || c == '-');
        if !fine {
            errors.add(
                field,
                "Use words of up to 30 letters, digits or hyphens, separated by commas.",
            );
            return tags;
        }
        if !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    if tags.len() > max {
        errors.add(field, format!("Use at most {max}."));
    }
    tags
}
