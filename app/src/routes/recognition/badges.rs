//! `/c/{slug}/badges`: a community's badges and what each takes; leaders create new ones.

use leptos::form::ActionForm;
use leptos::prelude::*;

use crate::api::recognition::badges::{CreateBadge, list_badges};
use crate::components::community::plural;
use crate::components::form::{ErrorSummary, Submit, form_error};
use crate::components::page::{OnReload, Section, community_data, community_page};
use crate::components::recognition::BadgeIconSvg;
use crate::domain::badges::BadgeForm;

pub use super::badge::BadgeFields;

/// The badges page.
#[component]
pub fn BadgesPage() -> impl IntoView {
    let create = ServerAction::<CreateBadge>::new();
    let error = form_error(create.value());
    let data = community_data(|| (), |slug, _| list_badges(slug));
    community_page(Some("Badges"), OnReload::Loading, data, move |page, community| {
        let slug = community.slug;
        let cards = page
            .badges
            .iter()
            .map(|b| {
                view! {
                    <li class="card badge">
                        <BadgeIconSvg icon=b.icon />
                        <div>
                            <h2>
                                <a href=format!("/c/{slug}/badges/{}", b.id)>{b.name.clone()}</a>
                            </h2>
                            <p>{b.description.clone()}</p>
                            <p class="meta">
                                {b.criteria.clone()} " · " {plural(b.holders, "holder")}
                            </p>
                        </div>
                    </li>
                }
            })
            .collect_view();
        let form = page.can_manage.then(|| {
            view! {
                <Section heading="New badge" id="new-badge-heading" class="card">
                    <ActionForm action=create>
                        <ErrorSummary error />
                        <input type="hidden" name="slug" value=slug.clone() />
                        <BadgeFields form=BadgeForm::default() goals=page.goals.clone() error />
                        <Submit label="Create badge" />
                    </ActionForm>
                </Section>
            }
        });
        view! {
            <h1>"Badges"</h1>
            <p class="lede">
                "Earned from verified work — never from reports alone — or given by leaders with a reason. "
                "Holders can take theirs with them as Open Badges; "
                <a href="/badges/verify">"check an Open Badge"</a> "."
            </p>
            <ul class="plain-list badges">{cards}</ul>
            {form}
        }
    })
}
