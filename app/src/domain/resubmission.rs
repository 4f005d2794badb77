//! The key a rendered form carries so that posting it twice makes one thing.

use crate::error::AppError;

/// The longest key a form may carry.
pub const FORM_KEY_MAX_CHARS: usize = 64;

/// A form's key, scoped by what the form makes ("reply in thread 12"), so one key sent to
/// another form makes nothing of the first's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormKey(String);

impl FormKey {
    /// Reads the posted `form_key`: none (an API client that does not send one) is `None`;
    /// one that is too long or carries anything but letters, digits and `-` is refused.
    pub fn parse(posted: Option<&str>, scope: &str) -> Result<Option<FormKey>, AppError> {
        let Some(key) = posted.map(str::trim).filter(|k| !k.is_empty()) else {
            return Ok(None);
        };
        let well_formed = key.chars().count() <= FORM_KEY_MAX_CHARS
            && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
        if !well_formed {
            return Err(AppError::invalid("form_key", "This form is damaged: reload the page."));
        }
        Ok(Some(FormKey(format!("{scope}:{key}"))))
    }

    /// The stored form: `scope:key`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_scoped_and_checked() {
        assert_eq!(FormKey::parse(None, "reply/1").unwrap(), None);
        assert_eq!(FormKey::parse(Some("  "), "reply/1").unwrap(), None);
        let key = FormKey::parse(Some("a1b2-0"), "reply/1").unwrap().unwrap();
        assert_eq!(key.as_str(), "reply/1:a1b2-0");
        assert_ne!(key, FormKey::parse(Some("a1b2-0"), "reply/2").unwrap().unwrap());
        assert!(FormKey::parse(Some("a b"), "reply/1").is_err());
        assert!(FormKey::parse(Some("'; DROP"), "reply/1").is_err());
        assert!(FormKey::parse(Some(&"a".repeat(65)), "reply/1").is_err());
    }
}
