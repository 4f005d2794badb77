//! `/settings/notifications`: how each kind of notice reaches the member, the digest,
//! their time zone, muted communities, and their address's verification.

use leptos::form::ActionForm;
use leptos::prelude::*;

use crate::components::feedback::StatusNotice;
use leptos_meta::Title;

use crate::api::accounts::ResendVerification;
use crate::api::notifications::{SaveNotificationSettings, get_notification_settings};
use crate::components::form::{ActionButton, ErrorSummary, FieldMessage, Submit, form_error};
use crate::components::page::{Section, loaded};
use crate::domain::notification::{Channel, DigestFrequency, NotificationSettings};
use crate::params::use_query_param;

/// The settings page.
#[component]
pub fn NotificationSettingsPage() -> impl IntoView {
    let save = ServerAction::<SaveNotificationSettings>::new();
    let resend = ServerAction::<ResendVerification>::new();
    let error = form_error(save.value());
    let (saved, sent) = (use_query_param("saved"), use_query_param("sent"));
    let status = move || {
        if saved.get().is_some() {
            Some("Saved.")
        } else if sent.get().is_some() {
            Some("We've sent you a new confirmation link.")
        } else {
            None
        }
    };
    let settings = Resource::new(move || save.version().get(), |_| get_notification_settings());
    let page = view! {
        <Title text="Notification settings" />
        <h1>"Notification settings"</h1>
        <StatusNotice message=Signal::derive(status) />
        {loaded(
            settings,
            move |settings| {
                view! {
                    <Address settings=settings.clone() resend />
                    <SettingsForm settings save error />
                }
            },
        )}
        <p class="aside">
            <a href="/settings/password">"Change your password"</a>
        </p>
    };
    page
}

/// The member's address and, until it is confirmed, the way to confirm it.
#[component]
fn Address(
    settings: NotificationSettings,
    resend: ServerAction<ResendVerification>,
) -> impl IntoView {
    let verified = settings.email_verified;
    let view = view! {
        <Section heading="Your address" id="address-heading" class="card">
            <p>
                {settings.email} " · " {if verified { "confirmed" } else { "not confirmed yet" }}
            </p>
            {(!verified)
                .then(|| {
                    view! {
                        <p class="meta">
                            "Until you confirm it, Kindred e-mails it nothing but account mail."
                        </p>
                        <ActionButton
                            action=resend
                            fields=vec![]
                            label="Send the confirmation link again"
                            class="button small"
                        />
                    }
                })}
        </Section>
    };
    view
}

/// The form: a channel per kind, the digest, the time zone and the mute switches.
#[component]
fn SettingsForm(
    settings: NotificationSettings,
    save: ServerAction<SaveNotificationSettings>,
    error: Signal<Option<crate::error::AppError>>,
) -> impl IntoView {
    let kinds = settings
        .channels
        .iter()
        .map(|(kind, chosen)| {
            let id = format!("channel-{}", kind.as_str());
            let chosen = *chosen;
            view! {
                <div class="field">
                    <label for=id.clone()>{kind.label()}</label>
                    <select id=id name=format!("form[channels][{}]", kind.as_str())>
                        {Channel::ALL
                            .iter()
                            .map(|c| {
                                view! {
                                    <option value=c.as_str() selected=*c == chosen>
                                        {c.label()}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </div>
            }
        })
        .collect_view();
    let digest = settings.digest;
    let hours = (0..24u8)
        .map(|h| {
            view! {
                <option value=h.to_string() selected=h == settings.digest_hour>
                    {format!("{h:02}:00")}
                </option>
            }
        })
        .collect_view();
    let communities = settings
        .communities
        .iter()
        .map(|c| {
            let id = format!("mute-{}", c.slug);
            view! {
                <div class="field checkbox">
                    <input
                        type="checkbox"
                        id=id.clone()
                        name=format!("form[muted][{}]", c.slug)
                        value="yes"
                        checked=c.muted
                    />
                    <label for=id>{format!("Mute {}", c.name)}</label>
                </div>
            }
        })
        .collect_view();
    let has_communities = !settings.communities.is_empty();
    let form = view! {
        <ActionForm action=save>
            <ErrorSummary error />
            <fieldset class="card">
                <legend>"How each kind reaches you"</legend>
                {kinds}
                <FieldMessage error name="channels" />
            </fieldset>
            <fieldset class="card">
                <legend>"Digest"</legend>
                <p class="meta">
                    "A summary of goal progress, kudos and badges, open ways to help and what waits for you. Never sent when there is nothing to say."
                </p>
                <div class="field">
                    <label for="digest">"How often"</label>
                    <select id="digest" name="form[digest]">
                        {DigestFrequency::ALL
                            .iter()
                            .map(|d| {
                                view! {
                                    <option value=d.as_str() selected=*d == digest>
                                        {d.label()}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                    <FieldMessage error name="digest" />
                </div>
                <div class="field">
                    <label for="digest_hour">"At (your local time)"</label>
                    <select id="digest_hour" name="form[digest_hour]">
                        {hours}
                    </select>
                    <FieldMessage error name="digest_hour" />
                </div>
                <div class="field">
                    <label for="time_zone">"Your time zone"</label>
                    <input
                        id="time_zone"
                        name="form[time_zone]"
                        value=settings.time_zone.clone()
                        autocomplete="off"
                        aria-describedby="time_zone-hint"
                    />
                    <p class="hint" id="time_zone-hint">
                        "For example Europe/London or America/Chicago."
                    </p>
                    <FieldMessage error name="time_zone" />
                </div>
            </fieldset>
            {has_communities
                .then(|| {
                    view! {
                        <fieldset class="card">
                            <legend>"Muted communities"</legend>
                            <p class="meta">
                                "A muted community sends you nothing but mentions of you."
                            </p>
                            {communities}
                        </fieldset>
                    }
                })}
            <Submit label="Save settings" pending=save.pending() />
        </ActionForm>
    };
    form
}
