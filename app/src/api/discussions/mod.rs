//! Discussions: threads, posts, reactions, moderation and search.

mod moderation;
mod posts;
mod search;
mod threads;

pub use moderation::*;
pub use posts::*;
pub use search::*;
pub use threads::*;

/// Parses an optional numeric form field ("" means none).
#[cfg(feature = "ssr")]
fn optional_number(
    field: &str,
    value: Option<String>,
) -> Result<Option<i64>, crate::error::AppError> {
    match value.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) => text
            .parse()
            .map(Some)
            .map_err(|_| crate::error::AppError::invalid(field, "Choose one of the options.")),
    }
}

/// Parses the position of a cited community value ("" means none; negative is an error,
/// never silently the first value).
#[cfg(feature = "ssr")]
fn value_position(value: Option<String>) -> Result<Option<usize>, crate::error::AppError> {
    optional_number("reason", value)?
        .map(|v| {
            usize::try_from(v).map_err(|_| {
                crate::error::AppError::invalid("reason", "Choose one of the community's values.")
            })
        })
        .transpose()
}
