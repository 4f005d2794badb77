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
