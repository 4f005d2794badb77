//! `/communities`: discover public communities; search; pages.

use leptos::prelude::*;

use crate::components::form::Submit;
use leptos_meta::Title;

use crate::api::communities::list_communities;
use crate::components::community::CommunityList;
use crate::components::page::loaded;
use crate::params::urlencode;
use crate::params::use_query_param;

/// The community directory.
#[component]
pub fn DirectoryPage() -> impl IntoView {
    let (q, after_param) = (use_query_param("q"), use_query_param("after"));
    let search = move || q.get();
    let after = move || after_param.get();
    let page = Resource::new(move || (search(), after()), |(q, after)| list_communities(q, after));
    view! {
        <Title text="Communities" />
        <div class="page-heading">
            <h1>"Communities"</h1>
            <a class="button" href="/communities/new">
                "Start a community"
            </a>
        </div>
        <form method="get" action="/communities" class="search" role="search">
            <label for="q">"Search by name or mission"</label>
            <div class="search-row">
                <input id="q" name="q" type="search" value=search maxlength=100 />
                <Submit label="Search" />
            </div>
        </form>
        {loaded(
            page,
            move |page| {
                if page.communities.is_empty() {
                    return view! { <p class="empty">"No communities match."</p> }.into_any();
                }
                let next = page
                    .next
                    .map(|cursor| {
                        let mut href = format!("/communities?after={cursor}");
                        if let Some(q) = search() {
                            href.push_str(&format!("&q={}", urlencode(&q)));
                        }
                        view! {
                            <p class="pager">
                                <a href=href>"More communities"</a>
                            </p>
                        }
                    });
                let heading = match search() {
                    Some(q) => format!("Communities matching “{q}”"),
                    None => "All communities".to_owned(),
                };
                view! {
                    <h2 class="visually-hidden">{heading}</h2>
                    <CommunityList communities=page.communities />
                    {next}
                }
                    .into_any()
            },
        )}
    }
}
