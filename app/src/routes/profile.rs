//! `/u/{handle}`: a person's profile, editable by them.

use crate::params::use_text_param;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::accounts::get_profile;
use crate::api::recognition::get_profile_recognition;
use crate::components::community::RoleBadge;
use crate::components::form::{ErrorSummary, Field, Submit, TextArea, form_error};
use crate::components::page::{list_or_empty, loaded};
use crate::components::recognition::{AwardList, KudosCard};
use crate::context::use_session;
use crate::domain::account::{BIO_MAX_CHARS, DISPLAY_NAME_MAX_CHARS, Profile};
use crate::domain::recognition::ProfileRecognition;

/// The profile page.
#[component]
pub fn ProfilePage() -> impl IntoView {
    let handle = use_text_param("handle");
    let session = use_session();
    let update = session.update_profile;
    let profile = Resource::new(
        move || (handle.get(), update.version().get()),
        |(handle, _)| get_profile(handle),
    );
    let recognition = Resource::new(move || handle.get(), get_profile_recognition);
    view! {
        {loaded(profile, move |profile| { view! { <ProfileView profile /> }.into_any() })}
        // The profile's own error page covers a missing person; this part stays silent.
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                recognition.await.ok().map(|communities| view! { <Recognition communities /> })
            })}
        </Suspense>
    }
}

/// Thanks and badges, per community the viewer may see.
#[component]
fn Recognition(communities: Vec<ProfileRecognition>) -> impl IntoView {
    if communities.is_empty() {
        return None;
    }
    let section = {
        {
            view! {
                <section class="card" aria-labelledby="recognition-heading">
                    <h2 id="recognition-heading">"Recognition"</h2>
                    {communities
                        .into_iter()
                        .map(|c| {
                            let thanked = match c.thanked_by {
                                0 => None,
                                1 => Some("Thanked by 1 person".to_owned()),
                                n => Some(format!("Thanked by {n} people")),
                            };
                            let slug = c.slug.clone();
                            view! {
                                <h3>
                                    <a href=format!(
                                        "/c/{}/recognition",
                                        c.slug,
                                    )>{c.community.clone()}</a>
                                </h3>
                                {thanked.map(|t| view! { <p class="meta">{t}</p> })}
                                <ul class="plain-list">
                                    {c
                                        .recent
                                        .into_iter()
                                        .map(|kudos| {
                                            view! { <KudosCard kudos slug=slug.clone() /> }
                                        })
                                        .collect_view()}
                                </ul>
                                <h4>"Badges"</h4>
                                <AwardList
                                    awards=c.badges
                                    show_holder=false
                                    badges_path=format!("/c/{}/badges", c.slug)
                                />
                            }
                        })
                        .collect_view()}
                </section>
            }
        }
    };
    Some(section)
}

#[component]
fn ProfileView(profile: Profile) -> impl IntoView {
    let joined = profile.joined_at.format("%B %Y").to_string();
    let editable = profile.is_self;
    view! {
        <Title text=profile.display_name.clone() />
        <article class="card profile">
            <h1>{profile.display_name.clone()}</h1>
            <p class="handle">{format!("@{}", profile.handle)}</p>
            <p class="meta">"Joined " {joined}</p>
            <section aria-labelledby="about-heading">
                <h2 id="about-heading">"About"</h2>
                {if profile.bio.is_empty() {
                    view! { <p class="empty">"No bio yet."</p> }.into_any()
                } else {
                    view! { <p class="bio">{profile.bio.clone()}</p> }.into_any()
                }}
            </section>
            <TagList title="Skills" tags=profile.skills.clone() />
            <TagList title="Interests" tags=profile.interests.clone() />
            <section aria-labelledby="communities-heading">
                <h2 id="communities-heading">"Communities"</h2>
                {list_or_empty(
                    profile.communities.iter(),
                    "Not in any community yet.",
                    "plain-list",
                    |c| {
                        view! {
                            <li>
                                <a href=format!("/c/{}", c.slug)>{c.name.clone()}</a>
                                " "
                                <RoleBadge role=c.role />
                            </li>
                        }
                    },
                )}
            </section>
        </article>
        {editable.then(|| view! { <EditProfile profile=profile.clone() /> })}
    }
}

#[component]
fn EditProfile(profile: Profile) -> impl IntoView {
    let action = use_session().update_profile;
    let error = form_error(action.value());
    view! {
        <section class="card" aria-labelledby="edit-heading">
            <h2 id="edit-heading">"Edit your profile"</h2>
            <ActionForm action>
                <ErrorSummary error />
                <Field
                    label="Display name"
                    name="display_name"
                    error
                    value=profile.display_name
                    maxlength=DISPLAY_NAME_MAX_CHARS
                />
                <TextArea label="Bio" name="bio" error value=profile.bio maxlength=BIO_MAX_CHARS />
                <Field
                    label="Skills"
                    name="skills"
                    error
                    required=false
                    value=profile.skills.join(", ")
                    hint="Comma-separated, e.g. first aid, carpentry, Welsh."
                />
                <Field
                    label="Interests"
                    name="interests"
                    error
                    required=false
                    value=profile.interests.join(", ")
                    hint="Comma-separated, e.g. rivers, mentoring."
                />
                <Submit label="Save profile" pending=action.pending() />
            </ActionForm>
        </section>
    }
}

#[component]
fn TagList(title: &'static str, tags: Vec<String>) -> impl IntoView {
    (!tags.is_empty()).then(|| {
        view! {
            <section>
                <h2>{title}</h2>
                <p class="tags">
                    {tags
                        .into_iter()
                        .map(|t| view! { <span class="tag">{t}</span> })
                        .collect_view()}
                </p>
            </section>
        }
    })
}
