//! Accounts: who a person is on Kindred, and the rules for the forms that change it.

use chrono::{DateTime, Utc};
use garde::Validate;
use serde::{Deserialize, Serialize};

use super::ids::UserId;
use crate::error::{AppError, FieldErrors};

/// Fewest characters in a password.
pub const PASSWORD_MIN_CHARS: usize = 12;
/// Most characters in a password; longer ones are refused before hashing.
pub const PASSWORD_MAX_CHARS: usize = 128;
/// Handle length bounds.
pub const HANDLE_MIN_CHARS: usize = 3;
/// Handle length bounds.
pub const HANDLE_MAX_CHARS: usize = 30;
/// Most characters in a display name.
pub const DISPLAY_NAME_MAX_CHARS: usize = 80;
/// Most characters in an email address.
pub const EMAIL_MAX_CHARS: usize = 254;
/// Most characters in a bio.
pub const BIO_MAX_CHARS: usize = 2_000;

/// What any unusable password-reset link answers: unknown, expired and used alike.
pub const RESET_LINK_INVALID: &str =
    "This reset link doesn't work any more. Ask for a new one below.";

/// The signed-in person, as every page and server function sees them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    /// Their account id.
    pub id: UserId,
    /// Their unique handle, used in `/u/{handle}`.
    pub handle: String,
    /// The name shown next to their words.
    pub display_name: String,
}

/// A person's public profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    /// Their account id.
    pub id: UserId,
    /// Their unique handle.
    pub handle: String,
    /// The name shown next to their words.
    pub display_name: String,
    /// A few words about themselves (plain text).
    pub bio: String,
    /// When they joined Kindred.
    pub joined_at: DateTime<Utc>,
    /// True when the viewer is this person (they may edit it).
    pub is_self: bool,
    /// Skills they offer (free tags).
    pub skills: Vec<String>,
    /// What they care about (free tags).
    pub interests: Vec<String>,
    /// Communities they belong to that the viewer may see, with their role.
    pub communities: Vec<ProfileCommunity>,
}

/// A community on someone's profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileCommunity {
    /// Its slug.
    pub slug: String,
    /// Its name.
    pub name: String,
    /// Their role there.
    pub role: crate::domain::community::Role,
}

/// What a person types to create an account.
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
pub struct SignUpForm {
    /// Unique handle: lower-case letters, digits, `-` and `_`.
    #[garde(custom(check_handle))]
    pub handle: String,
    /// The name others see.
    #[garde(custom(check_display_name))]
    pub display_name: String,
    /// Where Kindred can reach them; never shown to others.
    #[garde(length(chars, max = EMAIL_MAX_CHARS), email)]
    pub email: String,
    /// 12–128 characters.
    #[garde(custom(check_password))]
    pub password: String,
}

/// What a person may change on their own profile.
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
pub struct ProfileForm {
    /// The name others see.
    #[garde(custom(check_display_name))]
    pub display_name: String,
    /// A few words about themselves.
    #[garde(length(chars, max = BIO_MAX_CHARS))]
    pub bio: String,
    /// Skills, comma-separated.
    #[garde(skip)]
    pub skills: String,
    /// Interests, comma-separated.
    #[garde(skip)]
    pub interests: String,
}

impl SignUpForm {
    /// Trims and lower-cases what should be, then checks every field.
    pub fn normalised(mut self) -> Result<Self, AppError> {
        self.handle = self.handle.trim().to_lowercase();
        self.display_name = self.display_name.trim().to_owned();
        self.email = self.email.trim().to_lowercase();
        validate_form(&self)?;
        Ok(self)
    }
}

impl ProfileForm {
    /// Trims the fields, then checks them.
    pub fn normalised(mut self) -> Result<Self, AppError> {
        self.display_name = self.display_name.trim().to_owned();
        self.bio = self.bio.trim().to_owned();
        validate_form(&self)?;
        Ok(self)
    }
}

/// Runs garde's checks and turns its report into per-field messages.
fn validate_form<T: Validate<Context = ()>>(form: &T) -> Result<(), AppError> {
    let mut errors = FieldErrors::new();
    if let Err(report) = form.validate() {
        for (path, error) in report.iter() {
            errors.add(&path.to_string(), error.message().to_string());
        }
    }
    errors.into_result()
}

/// A handle is 3–30 characters of `a-z`, `0-9`, `-`, `_`, starting with a letter or digit.
pub fn check_handle(handle: &str, _: &()) -> garde::Result {
    let len = handle.chars().count();
    if !(HANDLE_MIN_CHARS..=HANDLE_MAX_CHARS).contains(&len) {
        return Err(garde::Error::new(format!(
            "Use {HANDLE_MIN_CHARS}–{HANDLE_MAX_CHARS} characters."
        )));
    }
    let allowed = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_';
    if !handle.chars().all(allowed) {
        return Err(garde::Error::new("Use only lower-case letters, digits, - and _."));
    }
    if !handle.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        return Err(garde::Error::new("Start with a letter or a digit."));
    }
    Ok(())
}

/// A display name is 1–80 characters with no control characters.
pub fn check_display_name(name: &str, _: &()) -> garde::Result {
    if name.is_empty() {
        return Err(garde::Error::new("Tell us what to call you."));
    }
    if name.chars().count() > DISPLAY_NAME_MAX_CHARS {
        return Err(garde::Error::new(format!("Use at most {DISPLAY_NAME_MAX_CHARS} characters.")));
    }
    if name.chars().any(char::is_control) {
        return Err(garde::Error::new("Remove the control characters."));
    }
    Ok(())
}

/// A password is 12–128 characters (counted as characters, not bytes).
pub fn check_password(password: &str, _: &()) -> garde::Result {
    let len = password.chars().count();
    if len < PASSWORD_MIN_CHARS {
        return Err(garde::Error::new(format!("Use at least {PASSWORD_MIN_CHARS} characters.")));
    }
    if len > PASSWORD_MAX_CHARS {
        return Err(garde::Error::new(format!("Use at most {PASSWORD_MAX_CHARS} characters.")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(handle: &str, email: &str, password: &str) -> SignUpForm {
        SignUpForm {
            handle: handle.into(),
            display_name: "Ada".into(),
            email: email.into(),
            password: password.into(),
        }
    }

    fn field_error(result: Result<SignUpForm, AppError>, field: &str) -> Option<String> {
        match result {
            Err(AppError::Validation(errors)) => errors.get(field).map(str::to_owned),
            _ => None,
        }
    }

    #[test]
    fn a_good_form_is_normalised() {
        let ok =
            form("  Ada_L ", " ADA@Example.org ", "correct horse battery").normalised().unwrap();
        assert_eq!(ok.handle, "ada_l");
        assert_eq!(ok.email, "ada@example.org");
    }

    #[test]
    fn handles_are_checked() {
        for bad in ["ab", "has space", "émile", "-lead", &"x".repeat(31)] {
            let message =
                field_error(form(bad, "a@b.org", "long enough password").normalised(), "handle");
            assert!(message.is_some(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn passwords_must_be_12_to_128_characters() {
        let short = field_error(form("ada", "a@b.org", "elevenchars").normalised(), "password");
        assert_eq!(short.as_deref(), Some("Use at least 12 characters."));
        let long = field_error(form("ada", "a@b.org", &"p".repeat(129)).normalised(), "password");
        assert_eq!(long.as_deref(), Some("Use at most 128 characters."));
        assert!(form("ada", "a@b.org", &"é".repeat(128)).normalised().is_ok(), "counts characters");
    }

    #[test]
    fn emails_are_checked() {
        assert!(
            field_error(form("ada", "not-an-email", "long enough password").normalised(), "email")
                .is_some()
        );
    }

    #[test]
    fn every_bad_field_is_reported_at_once() {
        let result = SignUpForm {
            handle: "a".into(),
            display_name: " ".into(),
            email: "x".into(),
            password: "short".into(),
        }
        .normalised();
        let Err(AppError::Validation(errors)) = result else {
            panic!("expected a validation error")
        };
        for field in ["handle", "display_name", "email", "password"] {
            assert!(errors.get(field).is_some(), "missing {field}");
        }
    }

    #[test]
    fn bios_are_capped() {
        let long = ProfileForm {
            display_name: "Ada".into(),
            bio: "b".repeat(BIO_MAX_CHARS + 1),
            skills: String::new(),
            interests: String::new(),
        };
        assert!(
            matches!(long.normalised(), Err(AppError::Validation(e)) if e.get("bio").is_some())
        );
    }
}
