//! The one error type that crosses the wire between server and browser.
//!
//! Every server function returns `Result<T, AppError>`. Variants carry only
//! client-safe text: database errors and other internal causes are logged on
//! the server and replaced by a correlation id the person can quote.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// One message about one form field (`field` matches the input's `name`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// The form field the message is about, e.g. `"handle"`.
    pub field: String,
    /// What is wrong, in words a person can act on.
    pub message: String,
}

/// Per-field messages for a rejected form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    /// An empty set of messages.
    pub fn new() -> Self {
        Self::default()
    }

    /// A set holding a single message about `field`.
    pub fn single(field: &str, message: impl Into<String>) -> Self {
        let mut errors = Self::new();
        errors.add(field, message);
        errors
    }

    /// Adds a message about `field`.
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0.push(FieldError { field: field.to_owned(), message: message.into() });
    }

    /// The first message about `field`, if any.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0.iter().find(|e| e.field == field).map(|e| e.message.as_str())
    }

    /// True when no field has a message.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok(())` when empty, otherwise a [`AppError::Validation`].
    pub fn into_result(self) -> Result<(), AppError> {
        if self.is_empty() { Ok(()) } else { Err(AppError::Validation(self)) }
    }

    fn summary(&self) -> String {
        match self.0.as_slice() {
            [only] => only.message.clone(),
            _ => "Some fields need attention.".to_owned(),
        }
    }
}

/// The error every server function returns. Its JSON form is the API's error body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "kind", content = "detail")]
pub enum AppError {
    /// The thing asked for does not exist, or is not visible to the caller.
    #[error("We couldn't find that.")]
    NotFound,
    /// The caller must sign in first.
    #[error("Please sign in to continue.")]
    Unauthorized,
    /// The caller is signed in but may not do this.
    #[error("You don't have permission to do that.")]
    Forbidden,
    /// The input was rejected; each message names its field.
    #[error("{}", .0.summary())]
    Validation(FieldErrors),
    /// The input clashes with existing data (a taken handle, a duplicate email).
    #[error("{}", .0.summary())]
    Conflict(FieldErrors),
    /// Too many attempts; try again after the given number of seconds.
    #[error("Too many attempts. Please wait {retry_after_secs} seconds and try again.")]
    RateLimited {
        /// Seconds until a retry can succeed.
        retry_after_secs: u64,
    },
    /// The request itself was malformed (missing or undecodable arguments).
    #[error("The request was not understood: {0}")]
    BadRequest(String),
    /// The server's storage is full: nothing of the change was saved, and reading still
    /// works. Answered 503; writes work again once space is freed.
    #[error("Kindred's storage is full, so your change was not saved. Please try again later.")]
    StorageFull,
    /// Something failed on the server; the id matches the server's log line.
    #[error("Something went wrong on our side (reference {correlation_id}).")]
    Internal {
        /// Quote this when reporting the problem.
        correlation_id: String,
    },
    /// The browser could not reach the server or read its answer.
    #[error("Could not reach Kindred: {0}")]
    Network(String),
}

impl AppError {
    /// A rejected input: one message about one form field (422).
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        AppError::Validation(FieldErrors::single(field, message))
    }

    /// An input that clashes with existing data: one message about one field (409).
    pub fn conflict(field: &str, message: impl Into<String>) -> Self {
        AppError::Conflict(FieldErrors::single(field, message))
    }

    /// The HTTP status this error is answered with.
    pub fn status_code(&self) -> u16 {
        match self {
            AppError::NotFound => 404,
            AppError::Unauthorized => 401,
            AppError::Forbidden => 403,
            AppError::Validation(_) => 422,
            AppError::Conflict(_) => 409,
            AppError::RateLimited { .. } => 429,
            AppError::BadRequest(_) => 400,
            AppError::StorageFull => 503,
            AppError::Internal { .. } | AppError::Network(_) => 500,
        }
    }

    /// The field messages this error carries (empty for non-field errors).
    pub fn field_errors(&self) -> Option<&FieldErrors> {
        match self {
            AppError::Validation(errors) | AppError::Conflict(errors) => Some(errors),
            _ => None,
        }
    }

    /// Logs an internal cause and returns the safe error that names it.
    #[cfg(feature = "ssr")]
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        let correlation_id = uuid::Uuid::new_v4().simple().to_string()[..12].to_owned();
        tracing::error!(%correlation_id, %cause, "internal error");
        AppError::Internal { correlation_id }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(detail) | ServerFnErrorErr::MissingArg(detail) => {
                AppError::BadRequest(detail)
            }
            ServerFnErrorErr::Request(detail) | ServerFnErrorErr::Response(detail) => {
                AppError::Network(detail)
            }
            // On the server this is the request body failing to decode (a body that is not
            // UTF-8, say): the caller's mistake, answered 400 like a malformed argument.
            #[cfg(feature = "ssr")]
            ServerFnErrorErr::Deserialization(_) => {
                AppError::BadRequest("the request body could not be read as text".into())
            }
            #[cfg(feature = "ssr")]
            other => AppError::internal(other),
            #[cfg(not(feature = "ssr"))]
            other => AppError::Network(other.to_string()),
        }
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(error: sqlx::Error) -> Self {
        match &error {
            sqlx::Error::RowNotFound => AppError::NotFound,
            _ => AppError::from_database(&error),
        }
    }
}

#[cfg(feature = "ssr")]
impl AppError {
    /// A database failure as callers see it: a full disk is [`AppError::StorageFull`]
    /// (logged as a warning), anything else an internal error with a correlation id.
    pub fn from_database(error: &sqlx::Error) -> Self {
        if is_storage_full(error) {
            tracing::warn!(%error, "a write failed: storage is full");
            AppError::StorageFull
        } else {
            AppError::internal(error)
        }
    }
}

/// True when `error` means the disk (or the database's size limit) is full: SQLite's
/// `SQLITE_FULL` (13), its extended codes, or the OS's "no space left on device".
#[cfg(feature = "ssr")]
pub fn is_storage_full(error: &sqlx::Error) -> bool {
    const SQLITE_FULL: i64 = 13;
    const ENOSPC: i32 = 28;
    match error {
        sqlx::Error::Database(database) => database
            .code()
            .and_then(|code| code.parse::<i64>().ok())
            .is_some_and(|code| code & 0xff == SQLITE_FULL),
        sqlx::Error::Io(io) => io.raw_os_error() == Some(ENOSPC),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_round_trip_through_json() {
        let errors = [
            AppError::NotFound,
            AppError::Validation(FieldErrors::single("handle", "Too short")),
            AppError::Conflict(FieldErrors::single("email", "Taken")),
            AppError::RateLimited { retry_after_secs: 9 },
            AppError::Internal { correlation_id: "abc".into() },
        ];
        for error in errors {
            let json = serde_json::to_string(&error).unwrap();
            let back: AppError = serde_json::from_str(&json).unwrap();
            assert_eq!(back, error);
        }
    }

    #[test]
    fn each_kind_has_its_status() {
        assert_eq!(AppError::NotFound.status_code(), 404);
        assert_eq!(AppError::Unauthorized.status_code(), 401);
        assert_eq!(AppError::Forbidden.status_code(), 403);
        assert_eq!(AppError::Validation(FieldErrors::new()).status_code(), 422);
        assert_eq!(AppError::Conflict(FieldErrors::new()).status_code(), 409);
        assert_eq!(AppError::RateLimited { retry_after_secs: 1 }.status_code(), 429);
        assert_eq!(AppError::StorageFull.status_code(), 503);
        assert_eq!(AppError::Internal { correlation_id: String::new() }.status_code(), 500);
    }

    #[test]
    fn one_field_message_is_the_summary() {
        let error =
            AppError::Validation(FieldErrors::single("password", "Use at least 12 characters."));
        assert_eq!(error.to_string(), "Use at least 12 characters.");
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn database_text_never_reaches_the_message() {
        let error = AppError::from(sqlx::Error::Protocol("secret table users_v2 broke".into()));
        let text = serde_json::to_string(&error).unwrap() + &error.to_string();
        assert!(!text.contains("users_v2"), "{text}");
        assert!(matches!(error, AppError::Internal { .. }));
        assert_eq!(AppError::from(sqlx::Error::RowNotFound), AppError::NotFound);
    }
}
