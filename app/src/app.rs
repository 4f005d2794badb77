//! The page shell, the session context and the route table.

use leptos::prelude::*;
use leptos_meta::{MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{SsrMode, path};

use crate::api::accounts::{SignIn, SignOut, SignUp, UpdateProfile, get_current_user};
use crate::components::feedback::NotFound;
use crate::components::layout::{Footer, Header};
use crate::domain::account::CurrentUser;
use crate::error::AppError;
use crate::routes::accounts::{SignInPage, SignUpPage};
use crate::routes::communities::{
    AcceptInvitePage, AuditPage, CommunityHomePage, DirectoryPage, EditCommunityPage, InvitesPage,
    LeadershipPage, MembersPage, NewCommunityPage, RequestsPage,
};
use crate::routes::discussions::{
    DiscussionsPage, ModerationPage, NewThreadPage, PostHistoryPage, SearchPage, ThreadPage,
};
use crate::routes::home::HomePage;
use crate::routes::impact::{
    ContributePage, GoalPage, GoalsPage, ImpactPage, InitiativePage, InitiativesPage,
    UserContributionsPage, VerifyPage,
};
use crate::routes::notifications::NotificationsPage;
use crate::routes::profile::ProfilePage;

/// The HTML document around the app, rendered on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::components::security::set_page_security_headers();
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light dark" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

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

/// The application: meta, the session context and the route table.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let sign_in = ServerAction::<SignIn>::new();
    let sign_up = ServerAction::<SignUp>::new();
    let sign_out = ServerAction::<SignOut>::new();
    let update_profile = ServerAction::<UpdateProfile>::new();
    let user = Resource::new(
        move || {
            (
                sign_in.version().get(),
                sign_up.version().get(),
                sign_out.version().get(),
                update_profile.version().get(),
            )
        },
        |_| get_current_user(),
    );
    provide_context(Session {
        user,
        sign_in,
        sign_up,
        sign_out,
        update_profile,
    });
    mark_hydrated();

    view! {
        <Stylesheet id="leptos" href="/pkg/kindred.css" />
        <Title formatter=|page: String| if page.is_empty() { "Kindred".to_owned() } else { format!("{page} · Kindred") } />
        <Router>
            <a class="skip-link" href="#main">"Skip to content"</a>
            <Header />
            <main id="main" class="page">
                <Routes fallback=|| view! { <NotFound /> }>
                    <Route path=path!("") view=HomePage ssr=SsrMode::Async />
                    <Route path=path!("signup") view=SignUpPage ssr=SsrMode::Async />
                    <Route path=path!("signin") view=SignInPage ssr=SsrMode::Async />
                    <Route path=path!("u/:handle") view=ProfilePage ssr=SsrMode::Async />
                    <Route path=path!("communities") view=DirectoryPage ssr=SsrMode::Async />
                    <Route path=path!("communities/new") view=NewCommunityPage ssr=SsrMode::Async />
                    <Route path=path!("c/:slug") view=CommunityHomePage ssr=SsrMode::Async />
                    <Route path=path!("c/:slug/edit") view=EditCommunityPage ssr=SsrMode::Async />
                    <Route path=path!("c/:slug/members") view=MembersPage ssr=SsrMode::Async />
                    <Route path=path!("c/:slug/requests") view=RequestsPage ssr=SsrMode::Async />
                    <Route path=path!("c/:slug/invites") view=InvitesPage ssr=SsrMode::Async />
                    <Route path=path!("c/:slug/audit") view=AuditPage ssr=SsrMode::Async />
                    <Route path=path!("c/:slug/leadership") view=LeadershipPage ssr=SsrMode::Async />
                    <Route path=path!("i/:token") view=AcceptInvitePage ssr=SsrMode::Async />
                    <Route path=path!("c/:slug/goals") view=GoalsPage ssr=SsrMode::Async />
                    <Route path=path!("c/:slug/goals/:id") view=GoalPage ssr=SsrMode::Async />
                    <Route path=path!("c/:slug/initiatives") view=InitiativesPage ssr=SsrMode::Async />
                    <Route path=path!("c/:slug/initiatives/:id") view=InitiativePage ssr=SsrMode::Async />
                    <Route path=path!("c/:slug/contribute") view=ContributePage ssr=SsrMode::Async />
                    <Route path=path!("c/:slug/verify") view=VerifyPage ssr=SsrMode::Async />
                    <Route path=path!("c/:slug/impact") view=ImpactPage ssr=SsrMode::Async />
                    <Route path=path!("u/:handle/contributions") view=UserContributionsPage ssr=SsrMode::Async />
                    <Route path=path!("notifications") view=NotificationsPage ssr=SsrMode::Async />
                    <Route path=path!("search") view=SearchPage ssr=SsrMode::Async />
                    <Route path=path!("c/:slug/search") view=SearchPage ssr=SsrMode::Async />
                    <Route path=path!("c/:slug/discussions") view=DiscussionsPage ssr=SsrMode::Async />
                    <Route path=path!("c/:slug/discussions/new") view=NewThreadPage ssr=SsrMode::Async />
                    <Route path=path!("c/:slug/d/:id") view=ThreadPage ssr=SsrMode::Async />
                    <Route path=path!("c/:slug/p/:id/history") view=PostHistoryPage ssr=SsrMode::Async />
                    <Route path=path!("c/:slug/moderation") view=ModerationPage ssr=SsrMode::Async />
                </Routes>
            </main>
            <Footer />
        </Router>
    }
}

/// Marks `<body data-hydrated="true">` once the browser app has taken over
/// (effects never run on the server), so tests and styles can tell.
fn mark_hydrated() {
    Effect::new(move |_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
}
