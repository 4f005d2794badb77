//! `/c/{slug}`: mission, vision and values first; then leaders, members and activity.

use leptos::form::ActionForm;
use leptos::prelude::*;

use crate::components::challenges::ChallengeList;
use crate::components::page::Section;
use leptos_meta::Title;

use crate::api::communities::{JoinCommunity, LeaveCommunity, get_community_home};
use crate::components::community::{CommunityNav, MemberName, ValuesList, plural};
use crate::components::feedback::{ErrorPage, Loading};
use crate::components::form::{Checkbox, ErrorSummary, Hidden, Submit, TextArea, form_error};
use crate::context::use_session;
use crate::domain::community::{CommunityHome, JoinPolicy, Standing};
use crate::params::use_slug;

/// A community's home page.
#[component]
pub fn CommunityHomePage() -> impl IntoView {
    let slug = use_slug();
    let join = ServerAction::<JoinCommunity>::new();
    let leave = ServerAction::<LeaveCommunity>::new();
    let session = use_session();
    let home = Resource::new(
        move || (slug.get(), join.version().get(), leave.version().get()),
        |(slug, _, _)| get_community_home(slug),
    );
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                let signed_in = session.signed_in().await.is_some();
                match home.await {
                    Ok(home) => view! { <HomeView home join leave signed_in /> }.into_any(),
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn HomeView(
    home: CommunityHome,
    join: ServerAction<JoinCommunity>,
    leave: ServerAction<LeaveCommunity>,
    signed_in: bool,
) -> impl IntoView {
    let c = home.community.clone();
    let leader = home.standing.is_leader();
    let members_link = format!("/c/{}/members", c.slug);
    let challenges_slug = c.slug.clone();
    view! {
        <Title text=c.name.clone() />
        <CommunityNav slug=c.slug.clone() leader waiting=home.waiting />
        <article class="card community-purpose">
            <h1>{c.name.clone()}</h1>
            <p class="meta">
                {plural(home.member_count, "member")} " · "
                {if c.visibility == crate::domain::community::Visibility::Private {
                    "Private"
                } else {
                    "Public"
                }} " · founded " {c.created_at.format("%B %Y").to_string()}
            </p>
            <Section heading="Mission" id="mission-heading">
                <p class="prose">{c.mission.clone()}</p>
            </Section>
            {(!c.vision.is_empty())
                .then(|| {
                    view! {
                        <Section heading="Vision" id="vision-heading">
                            <p class="prose">{c.vision.clone()}</p>
                        </Section>
                    }
                })}
            {(!c.values.is_empty())
                .then(|| {
                    view! {
                        <Section heading="Our values" id="values-heading">
                            <ValuesList values=c.values.clone() />
                        </Section>
                    }
                })}
        </article>
        <JoinPanel home=home.clone() join leave signed_in />
        {(!home.challenges.is_empty())
            .then(|| {
                view! {
                    <Section heading="Challenges running now" id="challenges-heading">
                        <ChallengeList
                            slug=challenges_slug
                            challenges=home.challenges.clone()
                            empty=""
                        />
                    </Section>
                }
            })}
        <Section heading="Leaders" id="leaders-heading" class="card">
            <ul class="plain-list">
                {home
                    .leaders
                    .into_iter()
                    .map(|m| {
                        view! {
                            <li>
                                <MemberName member=m />
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            <p>
                <a href=members_link>{format!("All {}", plural(home.member_count, "member"))}</a>
            </p>
        </Section>
        <Section heading="Recent activity" id="activity-heading" class="card">
            <ul class="plain-list activity">
                {home
                    .activity
                    .into_iter()
                    .map(|a| {
                        view! {
                            <li>
                                {a.text} " " <time class="meta" datetime=a.at.to_rfc3339()>
                                    {a.at.format("%-d %b %Y").to_string()}
                                </time>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </Section>
    }
}

#[component]
fn JoinPanel(
    home: CommunityHome,
    join: ServerAction<JoinCommunity>,
    leave: ServerAction<LeaveCommunity>,
    signed_in: bool,
) -> impl IntoView {
    let join_error = form_error(join.value());
    let leave_error = form_error(leave.value());
    let c = home.community;
    let slug = c.slug.clone();
    let body = match home.standing {
        Standing::Member(role) => view! {
            <p>{format!("You're {} of this community.", with_article(role))}</p>
            <p class="cta">
                <a class="button" href=format!("/c/{slug}/contribute")>
                    "Log a contribution"
                </a>
                <a href=format!(
                    "/c/{slug}/verify",
                )>
                    {if home.waiting.to_verify > 0 {
                        format!("Verify contributions ({})", home.waiting.to_verify)
                    } else {
                        "Verify contributions".to_owned()
                    }}
                </a>
            </p>
            <ActionForm action=leave>
                <ErrorSummary error=leave_error />
                <Hidden name="slug" value=slug.clone() />
                <Submit label="Leave community" class="link-button" />
            </ActionForm>
        }
        .into_any(),
        Standing::Pending => {
            view! { <p>"Your request to join is waiting for a steward."</p> }.into_any()
        }
        Standing::Banned => view! { <p>"You can't join this community."</p> }.into_any(),
        Standing::Outsider if !signed_in => view! {
            <p>
                <a href=format!("/signin?next=/c/{slug}")>"Sign in"</a>
                " or "
                <a href="/signup">"create an account"</a>
                " to join."
            </p>
        }
        .into_any(),
        Standing::Outsider => match c.join_policy {
            JoinPolicy::Invite => {
                view! { <p>"Joining is by invitation. Ask a steward for an invite link."</p> }
                    .into_any()
            }
            policy => {
                let approval = policy == JoinPolicy::Approval;
                let questions = c.join_questions.clone();
                view! {
                    <ActionForm action=join>
                        <ErrorSummary error=join_error />
                        <Hidden name="slug" value=slug.clone() />
                        {approval
                            .then(|| {
                                view! {
                                    <p>"A steward reviews each request."</p>
                                    {(!questions.is_empty())
                                        .then(|| {
                                            view! {
                                                <ol class="questions">
                                                    {questions
                                                        .iter()
                                                        .map(|q| view! { <li>{q.clone()}</li> })
                                                        .collect_view()}
                                                </ol>
                                                <TextArea
                                                    label="Your answers"
                                                    name="answers"
                                                    error=join_error
                                                    rows=4
                                                />
                                            }
                                        })}
                                }
                            })}
                        <Checkbox
                            label=format!("I affirm the values of {}", c.name)
                            name="affirm"
                            error=join_error
                        />
                        <button type="submit" class="button" disabled=move || join.pending().get()>
                            {if approval { "Request to join" } else { "Join community" }}
                        </button>
                    </ActionForm>
                }
                .into_any()
            }
        },
    };
    view! {
        <Section heading="Membership" id="membership-heading" class="card join-panel">
            {body}
        </Section>
    }
}

/// "an owner", "a steward", ...
fn with_article(role: crate::domain::community::Role) -> String {
    let name = role.label().to_lowercase();
    if name.starts_with(['a', 'e', 'i', 'o', 'u']) {
        format!("an {name}")
    } else {
        format!("a {name}")
    }
}
