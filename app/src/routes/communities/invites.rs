//! `/c/{slug}/invites` (leaders make links) and `/i/{token}` (someone accepts one).

use crate::components::table::DataTable;
use crate::params::use_text_param;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::communities::{AcceptInvite, CreateInvite, get_invite_preview, list_invites};
use crate::components::community::ValuesList;
use crate::components::feedback::{ErrorPage, Loading};
use crate::components::form::{Checkbox, ErrorSummary, Field, Hidden, Submit, form_error};
use crate::components::page::{CommunityFrame, loaded};
use crate::context::use_session;
use crate::domain::community::Standing;
use crate::params::use_slug;

/// Invite links for leaders.
#[component]
pub fn InvitesPage() -> impl IntoView {
    let slug = use_slug();
    let create = ServerAction::<CreateInvite>::new();
    let error = form_error(create.value());
    let invites =
        Resource::new(move || (slug.get(), create.version().get()), |(slug, _)| list_invites(slug));
    view! {
        <CommunityFrame title="Invites">
            <h1>"Invite links"</h1>
            <section class="card">
                <h2>"New invite link"</h2>
                <ActionForm action=create>
                    <ErrorSummary error />
                    <input type="hidden" name="slug" value=move || slug.get() />
                    <Field
                        label="Uses allowed"
                        name="max_uses"
                        kind="number"
                        error
                        required=false
                        hint="1 for a personal invite; leave empty for unlimited."
                    />
                    <Field label="Valid for (days)" name="days" kind="number" error value="7" />
                    <Submit label="Create invite link" />
                </ActionForm>
                {move || {
                    create
                        .value()
                        .get()
                        .and_then(Result::ok)
                        .map(|invite| {
                            view! {
                                <p class="notice" role="status">
                                    "Share this link (shown only now): "
                                    <code>{invite.path.clone()}</code>
                                    {format!(
                                        " — valid until {}",
                                        invite.expires_at.format("%-d %b %Y"),
                                    )}
                                </p>
                            }
                        })
                }}
            </section>
            {loaded(
                invites,
                move |list| {
                    if list.is_empty() {
                        return view! { <p class="empty">"No invite links yet."</p> }.into_any();
                    }
                    {
                        view! {
                            <DataTable
                                columns=vec!["Made by", "Uses", "Expires", "Status"]
                                caption="Invite links"
                            >
                                {list
                                    .into_iter()
                                    .map(|i| {
                                        view! {
                                            <tr>
                                                <td>{format!("@{}", i.created_by)}</td>
                                                <td>
                                                    {match i.max_uses {
                                                        Some(m) => format!("{} of {m}", i.uses),
                                                        None => format!("{} (unlimited)", i.uses),
                                                    }}
                                                </td>
                                                <td>{i.expires_at.format("%-d %b %Y").to_string()}</td>
                                                <td>
                                                    {if i.usable { "Active" } else { "Used up or expired" }}
                                                </td>
                                            </tr>
                                        }
                                    })
                                    .collect_view()}
                            </DataTable>
                        }
                            .into_any()
                    }
                },
            )}
        </CommunityFrame>
    }
}

/// What someone sees when they open an invite link.
#[component]
pub fn AcceptInvitePage() -> impl IntoView {
    let token = use_text_param("token");
    let session = use_session();
    let accept = ServerAction::<AcceptInvite>::new();
    let error = form_error(accept.value());
    let preview = Resource::new(move || token.get(), get_invite_preview);
    view! {
        <Title text="You're invited" />
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                let signed_in = session.signed_in().await.is_some();
                match preview.await {
                    Ok(preview) => {
                        let c = preview.community;
                        let affirm_label = format!("I affirm the values of {}", c.name);
                        let action = match preview.standing {
                            Standing::Member(_) => {
                                view! {
                                    <p>
                                        "You're already a member. "
                                        <a href=format!("/c/{}", c.slug)>"Go to the community"</a>
                                    </p>
                                }
                                    .into_any()
                            }
                            Standing::Banned => {
                                view! { <p>"This invite can't be used by your account."</p> }
                                    .into_any()
                            }
                            _ if !signed_in => {
                                view! {
                                    <p>
                                        <a href=format!(
                                            "/signin?next=/i/{}",
                                            token.get_untracked(),
                                        )>"Sign in"</a>
                                        " or "
                                        <a href="/signup">"create an account"</a>
                                        ", then open this link again to accept."
                                    </p>
                                }
                                    .into_any()
                            }
                            _ => {
                                view! {
                                    <ActionForm action=accept>
                                        <ErrorSummary error />
                                        <Hidden name="token" value=token.get_untracked() />
                                        <Checkbox label=affirm_label name="affirm" error />
                                        <Submit label="Accept invite" />
                                    </ActionForm>
                                }
                                    .into_any()
                            }
                        };
                        view! {
                            <section class="card">
                                <h1>{format!("You're invited to {}", c.name)}</h1>
                                <h2>"Mission"</h2>
                                <p class="prose">{c.mission.clone()}</p>
                                {(!c.values.is_empty())
                                    .then(|| {
                                        view! {
                                            <h2>"Our values"</h2>
                                            <ValuesList values=c.values.clone() />
                                        }
                                    })}
                                {action}
                            </section>
                        }
                            .into_any()
                    }
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
