//! App-wide contexts: what every page may ask for, provided once by [`crate::App`].
//! This module sits below components and routes, so they import it and never the
//! route table.

use leptos::prelude::*;

use crate::api::accounts::{ResetPassword, SignIn, SignOut, SignUp, UpdateProfile};
use crate::domain::account::CurrentUser;
use crate::error::AppError;

/// Who is signed in, and the actions that change it; provided to every page.
#[derive(Clone, Copy)]
pub struct Session {
    /// The signed-in person (`None` when signed out), refetched after each action below.
    pub user: Resource<Result<Option<CurrentUser>, AppError>>,
    /// Signs in.
    pub sign_in: ServerAction<SignIn>,
    /// Creates an account.
    pub sign_up: ServerAction<SignUp>,
    /// Signs out.
    pub sign_out: ServerAction<SignOut>,
    /// Edits the signed-in person's profile (their name shows in the header).
    pub update_profile: ServerAction<UpdateProfile>,
    /// Sets a new password from a reset e-mail, which signs the person in.
    pub reset_password: ServerAction<ResetPassword>,
}

impl Session {
    /// The signed-in person (`None` when signed out), awaited inside a `Suspend`.
    ///
    /// Never read the session with `.get()` inside Suspense/Transition boundaries: two
    /// boundaries reading one resource that way deadlock SSR under concurrent requests
    /// (leptos-rs/leptos#4578, #4673); awaiting it as a future is safe.
    pub async fn signed_in(&self) -> Option<CurrentUser> {
        self.user.await.ok().flatten()
    }
}

/// The session provided by [`App`].
pub fn use_session() -> Session {
    expect_context::<Session>()
}

/// What the live stream (`GET /live`) has said, as counters pages track to refetch, and
/// which thread the page shows; provided to every page.
#[derive(Clone, Copy)]
pub struct Live {
    /// The thread open on the page (its community's slug and its id), if any.
    pub watching: RwSignal<Option<(String, i64)>>,
    /// Bumped when the watched thread has new posts (or the stream reconnected).
    pub posts: RwSignal<u64>,
    /// Bumped when the signed-in member has a new notification (or the stream reconnected).
    pub notices: RwSignal<u64>,
}

impl Live {
    /// Nothing heard yet, nothing watched.
    pub fn new() -> Self {
        Self { watching: RwSignal::new(None), posts: RwSignal::new(0), notices: RwSignal::new(0) }
    }
}

impl Default for Live {
    fn default() -> Self {
        Self::new()
    }
}

/// The live context provided by [`App`].
pub fn use_live() -> Live {
    expect_context::<Live>()
}

/// What a plain (JavaScript-off) form post the server refused had in its fields, so the
/// page it is sent back to shows them again instead of empty boxes. The server keeps it
/// in the poster's session (see `server::http`); [`App`](crate::App) provides it to every
/// page, and the form components start from it ([`kept_value`]). It never holds a
/// password, a token or the form key.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct KeptForm {
    /// The page the form was on (its path).
    pub page: String,
    /// The fields as posted, in order.
    pub fields: Vec<(String, String)>,
}

impl KeptForm {
    /// The most text kept from one post (a long post refused for its length still fits).
    pub const MAX_BYTES: usize = 256 * 1024;

    /// What may be kept of a post from `page`: its fields but secrets and the form key,
    /// or `None` when nothing is left or it is larger than [`Self::MAX_BYTES`].
    pub fn keeping(page: &str, posted: impl IntoIterator<Item = (String, String)>) -> Option<Self> {
        let fields: Vec<(String, String)> =
            posted.into_iter().filter(|(name, _)| Self::may_keep(name)).collect();
        let size: usize = fields.iter().map(|(name, value)| name.len() + value.len()).sum();
        (!fields.is_empty() && size <= Self::MAX_BYTES)
            .then(|| Self { page: page.to_owned(), fields })
    }

    /// Whether a field of this name may be shown again: never a password, a token, a
    /// secret or the form key (a resubmission must be a new one).
    fn may_keep(name: &str) -> bool {
        let name = name.to_ascii_lowercase();
        name != "form_key" && !["password", "token", "secret"].iter().any(|s| name.contains(s))
    }

    /// The value posted under `name` (its submitted name, such as `form[title]`).
    pub fn value(&self, name: &str) -> Option<&str> {
        self.fields.iter().find(|(field, _)| field == name).map(|(_, value)| value.as_str())
    }
}

/// The kept form of this page's request, carried to the browser so a hydrated page
/// agrees with the one the server drew; provided by [`App`](crate::App).
#[derive(Clone, Debug, Default)]
pub struct KeptFields(pub Option<std::sync::Arc<KeptForm>>);

impl KeptFields {
    /// Reads the kept form the server found for this request (none in the browser, where
    /// the value comes from the page's serialized data instead).
    pub fn from_request() -> Option<KeptForm> {
        #[cfg(feature = "ssr")]
        {
            use_context::<http::request::Parts>()
                .and_then(|parts| parts.extensions.get::<KeptForm>().cloned())
        }
        #[cfg(not(feature = "ssr"))]
        {
            None
        }
    }
}

/// What a refused plain post put in the field submitted as `name`, to show again, if the
/// page was drawn for one.
pub fn kept_value(name: &str) -> Option<String> {
    let kept = use_context::<KeptFields>()?.0?;
    kept.value(name).map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::KeptForm;

    fn posted(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    #[test]
    fn a_kept_form_keeps_what_was_typed_but_never_secrets_or_the_form_key() {
        let kept = KeptForm::keeping(
            "/signin",
            posted(&[
                ("login", "ada"),
                ("password", "hunter2 hunter2"),
                ("new_password", "x"),
                ("reset_token", "t"),
                ("form_key", "k-0"),
                ("form[title]", "Spring clean-up"),
            ]),
        )
        .expect("something to keep");
        assert_eq!(kept.page, "/signin");
        assert_eq!(kept.value("login"), Some("ada"));
        assert_eq!(kept.value("form[title]"), Some("Spring clean-up"));
        for secret in ["password", "new_password", "reset_token", "form_key"] {
            assert_eq!(kept.value(secret), None, "{secret} is never kept");
        }
    }

    #[test]
    fn nothing_is_kept_when_only_secrets_came_or_the_post_is_too_large() {
        assert_eq!(KeptForm::keeping("/signin", posted(&[("password", "p")])), None);
        let huge = "x".repeat(KeptForm::MAX_BYTES + 1);
        assert_eq!(KeptForm::keeping("/c/a", posted(&[("body", &huge)])), None);
        let long = "x".repeat(32_000 * 4);
        assert!(KeptForm::keeping("/c/a", posted(&[("body", &long)])).is_some());
    }
}
