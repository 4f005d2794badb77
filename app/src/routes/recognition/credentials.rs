//! Open Badges pages: `/badges/verify` checks a pasted credential, `/badges/shared/{token}`
//! shows an award its holder shares; the holder's export and share controls sit on the
//! badge's page ([`OwnAwards`]).

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::recognition::credentials::{ShareAward, get_shared_award, verify_credential};
use crate::components::form::{ActionButton, Submit, textarea_text};
use crate::components::page::loaded;
use crate::components::recognition::BadgeIconSvg;
use crate::domain::open_badges::{CredentialCheck, OwnAward};
use crate::params::{use_query_param, use_text_param};

/// `/badges/verify`: paste a credential, see whether this Kindred issued it and whether it
/// still stands. A `GET` form, so it works the same without JavaScript.
#[component]
pub fn VerifyCredentialPage() -> impl IntoView {
    let pasted = use_query_param("credential");
    let check = Resource::new(
        move || pasted.get(),
        |credential| async move {
            match credential {
                Some(credential) => verify_credential(credential).await.map(Some),
                None => Ok(None),
            }
        },
    );
    view! {
        <Title text="Check an Open Badge" />
        <h1>"Check an Open Badge"</h1>
        <p class="lede">
            "Paste a badge credential downloaded from this Kindred (a " <code>".jwt"</code>
            " file's text) to check its signature, its issuer and that it has not been revoked."
        </p>
        <form method="get" action="/badges/verify" class="stack">
            <div class="field">
                <label for="credential">"Credential"</label>
                <textarea id="credential" name="credential" rows=6 required spellcheck="false">
                    {move || textarea_text(pasted.get().unwrap_or_default())}
                </textarea>
            </div>
            <Submit label="Check" />
        </form>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match check.await {
                    Ok(Some(result)) => view! { <CheckResult result /> }.into_any(),
                    Ok(None) => ().into_any(),
                    Err(error) => {
                        view! {
                            <p class="error" role="alert">
                                {error.to_string()}
                            </p>
                        }
                            .into_any()
                    }
                }
            })}
        </Suspense>
        <p class="meta">
            "Issuer profile: " <a href="/badges/issuer" rel="external">
                "/badges/issuer"
            </a> " · public keys: " <a href="/badges/issuer/jwks.json" rel="external">
                "/badges/issuer/jwks.json"
            </a>
        </p>
    }
}

/// What checking found: the verdict, each step, and what the credential claims.
#[component]
fn CheckResult(result: CredentialCheck) -> impl IntoView {
    let (verdict, class) = if result.valid {
        ("Valid: this badge was issued here and still stands.", "verdict valid")
    } else {
        ("Not valid.", "verdict invalid")
    };
    let claims = result.claims.map(|c| {
        view! {
            <dl class="facts">
                <dt>"Badge"</dt>
                <dd>{c.title}</dd>
                <dt>"Holder"</dt>
                <dd>{c.holder}</dd>
                <dt>"Community"</dt>
                <dd>{c.community}</dd>
                <dt>"Awarded"</dt>
                <dd>{c.awarded}</dd>
                <dt>"What it takes"</dt>
                <dd>{c.criteria}</dd>
            </dl>
        }
    });
    view! {
        <section aria-labelledby="result-heading" class="card">
            <h2 id="result-heading">"Result"</h2>
            <p class=class role="status">
                {verdict}
            </p>
            <ul class="plain-list checks">
                {result
                    .steps
                    .into_iter()
                    .map(|step| {
                        let mark = if step.passed { "✓ " } else { "✗ " };
                        view! {
                            <li>
                                <span aria-hidden="true">{mark}</span>
                                <strong>{step.label}</strong>
                                ": "
                                {step.detail}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            {claims}
        </section>
    }
    .into_any()
}

/// `/badges/shared/{token}`: an award its holder chose to share, for anyone with the link.
#[component]
pub fn SharedAwardPage() -> impl IntoView {
    let token = use_text_param("token");
    let award = Resource::new(move || token.get(), get_shared_award);
    loaded(award, |a| {
        let revoked = a.revoked_at.map(|at| {
            view! { <p class="status">{format!("Revoked on {}.", at.format("%-d %b %Y"))}</p> }
        });
        view! {
            <Title text=a.title.clone() />
            <article class="badge-page">
                <h1>
                    <BadgeIconSvg icon=a.icon />
                    " "
                    {a.title.clone()}
                </h1>
                <p class="lede">
                    {format!(
                        "Awarded to {} by {} on {}.",
                        a.holder,
                        a.community,
                        a.awarded_at.format("%-d %b %Y"),
                    )}
                </p>
                {revoked}
                <p>{a.description.clone()}</p>
                <p>
                    <strong>"What it takes: "</strong>
                    {a.criteria.clone()}
                </p>
                {a
                    .revoked_at
                    .is_none()
                    .then(|| {
                        view! {
                            <p>
                                <a href=a.credential_path.clone() rel="external" download="">
                                    "Download the Open Badge credential"
                                </a>
                                " · "
                                <a href="/badges/verify">"Check a credential"</a>
                            </p>
                        }
                    })}
            </article>
        }
    })
}

/// The viewer's own awards of a badge: download each as an Open Badge, and turn its
/// public share link on or off (off until they turn it on).
#[component]
pub fn OwnAwards(awards: Vec<OwnAward>, share: ServerAction<ShareAward>) -> impl IntoView {
    view! {
        <section aria-labelledby="own-heading" class="card">
            <h2 id="own-heading">"Your award"</h2>
            <ul class="plain-list">
                {awards
                    .into_iter()
                    .map(|award| {
                        let sharing = award.share_url.is_some();
                        let toggle = if sharing {
                            "Turn off share link"
                        } else {
                            "Turn on share link"
                        };
                        let link = award
                            .share_url
                            .clone()
                            .map(|url| {
                                let field = format!("share-{}", award.id);
                                view! {
                                    <div class="field">
                                        <label for=field.clone()>"Share link"</label>
                                        <input id=field type="text" readonly value=url.clone() />
                                    </div>
                                    <p>
                                        <a href=url>"Open the share page"</a>
                                    </p>
                                }
                            });
                        view! {
                            <li>
                                <p>
                                    <strong>{award.title.clone()}</strong>
                                </p>
                                <p>
                                    <a
                                        href=format!("/badges/credentials/{}", award.id)
                                        rel="external"
                                        download=""
                                    >
                                        "Download as Open Badge"
                                    </a>
                                    " · "
                                    <a href="/badges/verify">"Check a credential"</a>
                                </p>
                                {link}
                                <ActionButton
                                    action=share
                                    fields=vec![
                                        ("award", award.id.to_string()),
                                        ("share", (!sharing).to_string()),
                                    ]
                                    label=toggle
                                    class="button secondary"
                                />
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
    .into_any()
}
