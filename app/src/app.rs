//! The page shell and the route table.

use leptos::prelude::*;
use leptos_meta::{MetaTags, Title, provide_meta_context};
use leptos_router::components::{Outlet, ParentRoute, Route, Router, Routes};
use leptos_router::{Lazy, LazyRoute, SsrMode, lazy_route, path};

use crate::api::accounts::{
    ResetPassword, SignIn, SignOut, SignUp, UpdateProfile, get_current_user,
};
use crate::components::feedback::NotFound;
use crate::components::layout::{Footer, Header};
use crate::context::{KeptFields, Session};
use crate::routes::accounts::{
    ChangePasswordPage, ForgotPasswordPage, ResetPasswordPage, SignInPage, SignUpPage,
    VerifyEmailPage,
};
use crate::routes::challenges::{ChallengePage, ChallengesPage};
use crate::routes::communities::{
    AcceptInvitePage, AuditPage, CommunityHomePage, DirectoryPage, EditCommunityPage, InvitesPage,
    LeadershipPage, ManagePage, MembersPage, NewCommunityPage, RequestsPage,
};
use crate::routes::discussions::{
    DiscussionsPage, ModerationPage, NewThreadPage, PostHistoryPage, SearchPage, ThreadPage,
};
use crate::routes::events::{
    EditEventPage, EventsListPage, MyEventsPage, NewEventPage, OccurrencePage,
};
use crate::routes::home::HomePage;
use crate::routes::impact::{
    ContributePage, GoalPage, GoalsPage, ImpactPage, InitiativePage, InitiativesPage,
    UserContributionsPage, VerifyPage,
};
use crate::routes::library::{GuideHistoryPage, LibraryPage, ResourcePage};
use crate::routes::mentoring::MentoringPage;
use crate::routes::notifications::NotificationsPage;
use crate::routes::profile::ProfilePage;
use crate::routes::recognition::{
    BadgePage, BadgesPage, RecognitionPage, SharedAwardPage, VerifyCredentialPage,
};
use crate::routes::settings::NotificationSettingsPage;

/// Registers the service worker (`/sw.js`, see the server's `install` module) once the
/// page has loaded, so installing it never competes with the page's own downloads.
const REGISTER_WORKER: &str = "if ('serviceWorker' in navigator) { addEventListener('load', \
    function () { navigator.serviceWorker.register('/sw.js').catch(function () {}); }); }";

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
                <meta name="theme-color" content="#1f6f5c" />
                // The same on every page, so part of the document rather than a tag each
                // render registers with `leptos_meta`.
                <link rel="stylesheet" id="leptos" href="/pkg/kindred.css" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <link rel="manifest" href="/manifest.webmanifest" />
                <link rel="apple-touch-icon" href="/icons/apple-touch-icon.png" />
                <script nonce=leptos::nonce::use_nonce() inner_html=REGISTER_WORKER></script>
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The document's title for a page called `page` ("Kindred" alone when it has no name).
/// leptos_meta writes the title into the server's HTML unescaped, so a title a member
/// wrote (a thread's, an event's) is escaped there; the browser sets it as plain text.
fn page_title(page: String) -> String {
    let title = if page.is_empty() { "Kindred".to_owned() } else { format!("{page} · Kindred") };
    #[cfg(feature = "ssr")]
    let title = html_escape::encode_text(&title).into_owned();
    title
}

/// The application: meta, the session context and the route table.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let sign_in = ServerAction::<SignIn>::new();
    let sign_up = ServerAction::<SignUp>::new();
    let sign_out = ServerAction::<SignOut>::new();
    let update_profile = ServerAction::<UpdateProfile>::new();
    let reset_password = ServerAction::<ResetPassword>::new();
    let user = Resource::new(
        move || {
            (
                sign_in.version().get(),
                sign_up.version().get(),
                sign_out.version().get(),
                update_profile.version().get(),
                reset_password.version().get(),
            )
        },
        |_| get_current_user(),
    );
    let session = Session { user, sign_in, sign_up, sign_out, update_profile, reset_password };
    provide_context(session);
    let live = crate::context::Live::new();
    provide_context(live);
    // Drawn on the server and carried in the page, so a hydrated form starts from the
    // same kept values the server drew (see `KeptForm`).
    let kept = SharedValue::new(KeptFields::from_request).into_inner();
    provide_context(KeptFields(kept.map(std::sync::Arc::new)));
    crate::components::live::follow(live, session);
    view! {
        <Title formatter=page_title />
        <Router>
            // `rel="external"` leaves the jump to the browser (the router would only scroll),
            // so keyboard focus moves into the content too.
            <a class="skip-link" href="#main" rel="external">
                "Skip to content"
            </a>
            <FocusOnNavigate />
            <Header />
            <main id="main" class="page" tabindex="-1">
                <Routes fallback=|| {
                    view! {
                        <NotFound />
                        <HydratedMark />
                    }
                }>
                    // Every page renders in `SsrMode::Async` (all its data resolved before the
                    // response), so it reads fully without JavaScript and can set its status;
                    // the mode is set once here and holds for every route below.
                    <ParentRoute path=path!("") view=Outlet ssr=SsrMode::Async>
                        <Route path=path!("") view=lazy(HomeRoute) />
                        <Route path=path!("signup") view=lazy(SignUpRoute) />
                        <Route path=path!("signin") view=lazy(SignInRoute) />
                        <Route path=path!("forgot-password") view=lazy(ForgotPasswordRoute) />
                        <Route path=path!("reset-password") view=lazy(ResetPasswordRoute) />
                        <Route path=path!("verify-email") view=lazy(VerifyEmailRoute) />
                        <Route path=path!("settings/password") view=lazy(ChangePasswordRoute) />
                        <Route
                            path=path!("settings/notifications")
                            view=lazy(NotificationSettingsRoute)
                        />
                        <Route path=path!("u/:handle") view=lazy(ProfileRoute) />
                        <Route path=path!("communities") view=lazy(DirectoryRoute) />
                        <Route path=path!("communities/new") view=lazy(NewCommunityRoute) />
                        <Route path=path!("c/:slug") view=eager(CommunityHomePage) />
                        <Route path=path!("c/:slug/edit") view=lazy(EditCommunityRoute) />
                        <Route path=path!("c/:slug/members") view=lazy(MembersRoute) />
                        <Route path=path!("c/:slug/requests") view=lazy(RequestsRoute) />
                        <Route path=path!("c/:slug/invites") view=lazy(InvitesRoute) />
                        <Route path=path!("c/:slug/audit") view=lazy(AuditRoute) />
                        <Route path=path!("c/:slug/leadership") view=lazy(LeadershipRoute) />
                        <Route path=path!("c/:slug/manage") view=lazy(ManageRoute) />
                        <Route path=path!("i/:token") view=lazy(AcceptInviteRoute) />
                        <Route path=path!("c/:slug/goals") view=lazy(GoalsRoute) />
                        <Route path=path!("c/:slug/goals/:id") view=lazy(GoalRoute) />
                        <Route path=path!("c/:slug/initiatives") view=lazy(InitiativesRoute) />
                        <Route path=path!("c/:slug/initiatives/:id") view=lazy(InitiativeRoute) />
                        <Route path=path!("c/:slug/contribute") view=lazy(ContributeRoute) />
                        <Route path=path!("c/:slug/verify") view=lazy(VerifyRoute) />
                        <Route path=path!("c/:slug/impact") view=lazy(ImpactRoute) />
                        <Route
                            path=path!("u/:handle/contributions")
                            view=lazy(UserContributionsRoute)
                        />
                        <Route path=path!("notifications") view=lazy(NotificationsRoute) />
                        <Route path=path!("search") view=lazy(SearchRoute) />
                        <Route path=path!("c/:slug/search") view=lazy(SearchRoute) />
                        <Route path=path!("c/:slug/discussions") view=eager(DiscussionsPage) />
                        <Route path=path!("c/:slug/discussions/new") view=lazy(NewThreadRoute) />
                        <Route path=path!("c/:slug/d/:id") view=eager(ThreadPage) />
                        <Route path=path!("c/:slug/p/:id/history") view=lazy(PostHistoryRoute) />
                        <Route path=path!("c/:slug/moderation") view=lazy(ModerationRoute) />
                        <Route path=path!("c/:slug/events") view=lazy(EventsListRoute) />
                        <Route path=path!("c/:slug/events/new") view=lazy(NewEventRoute) />
                        <Route path=path!("c/:slug/e/:id") view=lazy(OccurrenceRoute) />
                        <Route path=path!("c/:slug/e/:id/edit") view=lazy(EditEventRoute) />
                        <Route path=path!("events") view=lazy(MyEventsRoute) />
                        <Route path=path!("c/:slug/challenges") view=lazy(ChallengesRoute) />
                        <Route path=path!("c/:slug/challenges/:id") view=lazy(ChallengeRoute) />
                        <Route path=path!("c/:slug/recognition") view=lazy(RecognitionRoute) />
                        <Route path=path!("c/:slug/badges") view=lazy(BadgesRoute) />
                        <Route path=path!("c/:slug/badges/:id") view=lazy(BadgeRoute) />
                        <Route path=path!("c/:slug/library") view=lazy(LibraryRoute) />
                        <Route path=path!("c/:slug/library/:id") view=lazy(ResourceRoute) />
                        <Route
                            path=path!("c/:slug/library/:id/history")
                            view=lazy(GuideHistoryRoute)
                        />
                        <Route path=path!("c/:slug/mentoring") view=lazy(MentoringRoute) />
                        <Route path=path!("badges/verify") view=lazy(VerifyCredentialRoute) />
                        <Route path=path!("badges/shared/:token") view=lazy(SharedAwardRoute) />
                    </ParentRoute>
                </Routes>
            </main>
            <Footer />
        </Router>
    }
}

/// After a client-side navigation, moves keyboard focus to the new page's content (as a
/// full page load would start it from the top), so keyboard and screen-reader users are not
/// left on the link they followed. The first render is left alone.
#[component]
fn FocusOnNavigate() -> impl IntoView {
    let location = leptos_router::hooks::use_location();
    Effect::new(move |previous: Option<String>| {
        let path = location.pathname.get();
        if previous.is_some_and(|previous| previous != path) {
            focus_main();
        }
        path
    });
}

/// Focuses `<main>` (it has `tabindex="-1"` for this).
fn focus_main() {
    #[cfg(feature = "hydrate")]
    {
        use leptos::wasm_bindgen::JsCast;
        if let Some(main) = document()
            .get_element_by_id("main")
            .and_then(|main| main.dyn_into::<leptos::web_sys::HtmlElement>().ok())
        {
            let _ = main.focus();
        }
    }
}

/// Marks `<body data-hydrated="true">` once the page's own code has loaded and taken
/// over (effects never run on the server), so tests and the benchmark can tell. It sits
/// in each page, not in [`App`]: a page's code arrives in its own WASM chunk, after the
/// app around it has hydrated.
#[component]
fn HydratedMark() -> impl IntoView {
    Effect::new(move |_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
}

/// A page whose code is in the main WASM bundle, so it hydrates without waiting for a
/// chunk: only the community home, the discussion list and the thread, the pages members
/// open most. Every page downloads the bundle, so each page added here weighs on all of
/// them (docs/PERFORMANCE.md, "Route grouping").
fn eager<P: IntoView + 'static>(page: fn() -> P) -> impl Fn() -> AnyView + Clone + Send + 'static {
    move || {
        view! {
            {page()}
            <HydratedMark />
        }
        .into_any()
    }
}

/// The view of a lazy route declared with [`lazy_page!`], named by its (unit) value so
/// the route table needs no turbofish.
fn lazy<R: LazyRoute>(_route: R) -> Lazy<R> {
    Lazy::new()
}

/// Declares a route whose page code is split into its own WASM chunk (`cargo leptos
/// build --split`), fetched when the page is first visited (the server names its chunks
/// in the page's head, so they load beside the bundle): every page but the three
/// [`eager`] ones. The server renders it like any other page.
macro_rules! lazy_page {
    ($($route:ident => $page:ident),* $(,)?) => {$(
        #[doc = concat!("The lazily loaded route for [`", stringify!($page), "`].")]
        struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            fn view(_this: Self) -> AnyView {
                view! { <$page /> <HydratedMark /> }.into_any()
            }
        }
    )*};
}

lazy_page! {
    HomeRoute => HomePage,
    SignUpRoute => SignUpPage,
    SignInRoute => SignInPage,
    ProfileRoute => ProfilePage,
    DirectoryRoute => DirectoryPage,
    ImpactRoute => ImpactPage,
    NotificationsRoute => NotificationsPage,
    SearchRoute => SearchPage,
    EventsListRoute => EventsListPage,
    OccurrenceRoute => OccurrencePage,
    NewCommunityRoute => NewCommunityPage,
    EditCommunityRoute => EditCommunityPage,
    MembersRoute => MembersPage,
    RequestsRoute => RequestsPage,
    InvitesRoute => InvitesPage,
    AuditRoute => AuditPage,
    LeadershipRoute => LeadershipPage,
    ManageRoute => ManagePage,
    AcceptInviteRoute => AcceptInvitePage,
    GoalsRoute => GoalsPage,
    GoalRoute => GoalPage,
    InitiativesRoute => InitiativesPage,
    InitiativeRoute => InitiativePage,
    ContributeRoute => ContributePage,
    VerifyRoute => VerifyPage,
    UserContributionsRoute => UserContributionsPage,
    NewThreadRoute => NewThreadPage,
    PostHistoryRoute => PostHistoryPage,
    ModerationRoute => ModerationPage,
    NewEventRoute => NewEventPage,
    MyEventsRoute => MyEventsPage,
    EditEventRoute => EditEventPage,
    ChallengesRoute => ChallengesPage,
    ChallengeRoute => ChallengePage,
    RecognitionRoute => RecognitionPage,
    BadgesRoute => BadgesPage,
    BadgeRoute => BadgePage,
    VerifyCredentialRoute => VerifyCredentialPage,
    LibraryRoute => LibraryPage,
    ResourceRoute => ResourcePage,
    GuideHistoryRoute => GuideHistoryPage,
    MentoringRoute => MentoringPage,
    SharedAwardRoute => SharedAwardPage,
    ForgotPasswordRoute => ForgotPasswordPage,
    ResetPasswordRoute => ResetPasswordPage,
    VerifyEmailRoute => VerifyEmailPage,
    ChangePasswordRoute => ChangePasswordPage,
    NotificationSettingsRoute => NotificationSettingsPage,
}
