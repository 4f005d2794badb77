//! `server ceiling`: the benchmark's yardstick. Bare axum handlers (no Leptos, no
//! sessions, no middleware) that run the same queries as Kindred's pages, through the
//! same `app::db` and `app::services` functions, on the same database, and write the
//! HTML by hand; plus a bare "hello". Kindred's pages are reported as a fraction of these.

use std::collections::HashMap;
use std::fmt::Write;
use std::net::SocketAddr;

use app::db;
use app::domain::community::{Community, Standing};
use app::domain::discussion::{PostBody, fts_query};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::serve::ListenerExt;
use axum::{Router, serve};

/// Serves the ceiling handlers on `addr` until the process is stopped.
pub async fn run(database_url: &str, addr: SocketAddr) -> anyhow::Result<()> {
    let pool = db::open(database_url).await?;
    let router = Router::new()
        .route("/hello", get(|| async { "hello" }))
        .route("/c/{slug}", get(community_home))
        .route("/c/{slug}/discussions", get(discussions))
        .route("/c/{slug}/d/{id}", get(thread))
        .route("/c/{slug}/impact", get(impact))
        .route("/c/{slug}/events", get(events))
        .route("/c/{slug}/e/{id}", get(event))
        .route("/c/{slug}/recognition", get(recognition))
        .route("/c/{slug}/library", get(library))
        .route("/c/{slug}/library/{id}", get(resource))
        .route("/u/{handle}", get(profile))
        .route("/search", get(search))
        .with_state(pool);
    let listener = tokio::net::TcpListener::bind(addr).await?.tap_io(|tcp| {
        let _ = tcp.set_nodelay(true);
    });
    tracing::info!("ceiling listening on http://{addr}");
    serve(listener, router).await?;
    Ok(())
}

type Answer = Result<Html<String>, Response>;

fn fail(error: impl std::fmt::Display) -> Response {
    (StatusCode::INTERNAL_SERVER_ERROR, error.to_string()).into_response()
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            other => out.push(other),
        }
    }
    out
}

/// A list (`ul` or `ol`) with one item per piece of HTML.
fn list(tag: &str, items: impl IntoIterator<Item = String>) -> String {
    let mut html = format!("<{tag}>");
    for item in items {
        let _ = write!(html, "<li>{item}</li>");
    }
    let _ = write!(html, "</{tag}>");
    html
}

/// A link to a member's profile, by name.
fn person(handle: &str, name: &str) -> String {
    format!("<a href=\"/u/{}\">{}</a>", escape(handle), escape(name))
}

fn page_html(title: &str, body: &str) -> Html<String> {
    Html(format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{} · Kindred</title></head><body><main>{body}</main></body></html>",
        escape(title)
    ))
}

/// The community, for an anonymous reader (public ones only, like Kindred).
async fn public_community(pool: &app::db::Pool, slug: &str) -> Result<Community, Response> {
    let mut conn = pool.acquire().await.map_err(fail)?;
    let community = db::communities::by_slug(&mut conn, slug)
        .await
        .map_err(fail)?
        .ok_or_else(|| StatusCode::NOT_FOUND.into_response())?;
    let standing = db::memberships::standing(&mut conn, community.id, None).await.map_err(fail)?;
    if !app::auth::policy::can_see_community(standing, community.visibility) {
        return Err(StatusCode::NOT_FOUND.into_response());
    }
    Ok(community)
}

async fn community_home(State(pool): State<app::db::Pool>, Path(slug): Path<String>) -> Answer {
    let community = public_community(&pool, &slug).await?;
    let leaders = db::memberships::leaders(&pool, community.id).await.map_err(fail)?;
    let members = db::memberships::count(&pool, community.id).await.map_err(fail)?;
    let activity = db::audit::recent_activity(&pool, community.id, 8).await.map_err(fail)?;
    let challenges = app::services::challenges::running(&pool, &community).await.map_err(fail)?;
    let mut html = format!(
        "<h1>{}</h1><p>{}</p><p>{}</p><h2>Values</h2><ol>",
        escape(&community.name),
        escape(&community.mission),
        escape(&community.vision)
    );
    for value in &community.values {
        let _ = write!(
            html,
            "<li><strong>{}</strong> {}</li>",
            escape(&value.name),
            escape(&value.description)
        );
    }
    let _ = write!(html, "</ol><p>{members} members</p><h2>Leaders</h2>");
    html.push_str(&list(
        "ul",
        leaders
            .iter()
            .map(|l| format!("{} @{}", person(&l.handle, &l.display_name), escape(&l.handle))),
    ));
    html.push_str("<h2>Challenges</h2>");
    html.push_str(&list(
        "ul",
        challenges.iter().map(|c| format!("{} {}", escape(&c.title), c.total)),
    ));
    html.push_str("<h2>Recent activity</h2>");
    html.push_str(&list(
        "ul",
        activity
            .iter()
            .map(|item| format!("{} · {}", escape(&item.text), item.at.format("%-d %b %Y"))),
    ));
    Ok(page_html(&community.name, &html))
}

async fn discussions(State(pool): State<app::db::Pool>, Path(slug): Path<String>) -> Answer {
    use app::db::discussions as store;
    let community = public_community(&pool, &slug).await?;
    let categories = store::categories(&pool, community.id).await.map_err(fail)?;
    let pinned = store::threads(&pool, community.id, None, true, None, 50).await.map_err(fail)?;
    let threads = store::threads(&pool, community.id, None, false, None, 31).await.map_err(fail)?;
    let mut html = format!("<h1>Discussions</h1><p>{}</p><nav>", escape(&community.name));
    for c in &categories {
        let _ = write!(html, "<a href=\"?category={}\">{}</a>", c.id, escape(&c.name));
    }
    html.push_str("</nav>");
    html.push_str(&list(
        "ul",
        pinned.iter().chain(threads.iter().take(30)).map(|t| {
            format!(
                "<a href=\"/c/{}/d/{}\">{}</a><p>Started by @{} · {} replies · active {}</p>",
                escape(&community.slug),
                t.id,
                escape(&t.title),
                escape(&t.author),
                t.replies,
                t.last_post_at.format("%-d %b %Y, %H:%M")
            )
        }),
    ));
    Ok(page_html("Discussions", &html))
}

async fn thread(
    State(pool): State<app::db::Pool>,
    Path((slug, id)): Path<(String, i64)>,
    Query(query): Query<HashMap<String, String>>,
) -> Answer {
    use app::services::discussions::{PageRequest, thread_page};
    let community = public_community(&pool, &slug).await?;
    let after = query.get("after").and_then(|a| a.parse().ok()).unwrap_or(0);
    let page_data = thread_page(
        &pool,
        &community,
        Standing::Outsider,
        None,
        id,
        PageRequest { after, quote: None, edit: None },
    )
    .await
    .map_err(|e| {
        (
            StatusCode::from_u16(e.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            e.to_string(),
        )
            .into_response()
    })?;
    let mut html = format!("<h1>{}</h1>", escape(&page_data.thread.title));
    for post in &page_data.posts {
        let _ = write!(
            html,
            "<article id=\"post-{0}\"><header><a href=\"/u/{1}\">{2}</a> @{1} · #{0} · {3}</header>",
            post.number,
            escape(&post.author),
            escape(&post.author_name),
            post.created_at.format("%-d %b %Y, %H:%M")
        );
        match &post.body {
            PostBody::Visible(body) => html.push_str(body),
            PostBody::Deleted => html.push_str("<p>This post was deleted.</p>"),
            PostBody::Hidden { reason, .. } => {
                let _ = write!(html, "<p>Hidden by moderators. {}</p>", escape(reason));
            }
        }
        for r in &post.reactions {
            let _ = write!(html, "<span>{} {}</span>", r.kind.emoji(), r.count);
        }
        html.push_str("</article>");
    }
    if let Some(next) = page_data.next {
        let _ = write!(html, "<a href=\"?after={next}\">Next</a>");
    }
    Ok(page_html(&page_data.thread.title, &html))
}

async fn impact(State(pool): State<app::db::Pool>, Path(slug): Path<String>) -> Answer {
    static REPORTS: std::sync::LazyLock<app::services::report_cache::ReportCache> =
        std::sync::LazyLock::new(Default::default);
    let community = public_community(&pool, &slug).await?;
    let report = REPORTS.report(&pool, &community).await.map_err(fail)?;
    let body = format!(
        "<h1>Impact</h1><pre>{}</pre>",
        escape(&serde_json::to_string(&report).map_err(fail)?)
    );
    Ok(page_html("Impact", &body))
}

/// Writes occurrences as a list.
fn occurrence_list(html: &mut String, occurrences: &[app::domain::events::OccurrenceSummary]) {
    html.push_str(&list(
        "ul",
        occurrences.iter().map(|o| {
            format!(
                "<a href=\"/c/{}/e/{}\">{}</a> {} · {} · {} going",
                escape(&o.community_slug),
                o.id,
                escape(&o.title),
                escape(&o.when),
                escape(&o.place),
                o.seats_taken
            )
        }),
    ));
}

async fn events(State(pool): State<app::db::Pool>, Path(slug): Path<String>) -> Answer {
    let community = public_community(&pool, &slug).await?;
    let page = app::services::events::list(&pool, &community, Standing::Outsider, None, None)
        .await
        .map_err(fail)?;
    let mut html = String::from("<h1>Events</h1><h2>Upcoming</h2>");
    occurrence_list(&mut html, &page.upcoming);
    html.push_str("<h2>Past</h2>");
    occurrence_list(&mut html, &page.past);
    Ok(page_html("Events", &html))
}

/// An occurrence's page as a member sees it (names of the people going), like the
/// benchmark's signed-in read of Kindred's page.
async fn event(State(pool): State<app::db::Pool>, Path((slug, id)): Path<(String, i64)>) -> Answer {
    let community = public_community(&pool, &slug).await?;
    let member = Standing::Member(app::domain::community::Role::Member);
    let page = app::services::events::page(&pool, &community, member, None, id, "http://ceiling")
        .await
        .map_err(fail)?;
    let o = &page.occurrence;
    let mut html = format!(
        "<h1>{}</h1><p>{}</p><p>{}</p><div>{}</div><h2>Going ({})</h2>",
        escape(&o.title),
        escape(&o.when),
        escape(&o.place),
        page.description_html,
        page.attendees.len()
    );
    html.push_str(&list("ul", page.attendees.iter().map(|a| person(&a.handle, &a.display_name))));
    Ok(page_html(&o.title, &html))
}

async fn profile(State(pool): State<app::db::Pool>, Path(handle): Path<String>) -> Answer {
    let profile = db::users::profile(&pool, &handle, None)
        .await
        .map_err(fail)?
        .ok_or_else(|| StatusCode::NOT_FOUND.into_response())?;
    let skills = db::users::tags(&pool, profile.id, "skill").await.map_err(fail)?;
    let interests = db::users::tags(&pool, profile.id, "interest").await.map_err(fail)?;
    let communities =
        db::memberships::communities_of(&pool, profile.id, None).await.map_err(fail)?;
    let mut html = format!(
        "<h1>{}</h1><p>@{}</p><p>{}</p><p>{} · {}</p><ul>",
        escape(&profile.display_name),
        escape(&profile.handle),
        escape(&profile.bio),
        escape(&skills.join(", ")),
        escape(&interests.join(", "))
    );
    for c in &communities {
        let _ = write!(html, "<li>{}</li>", escape(&serde_json::to_string(c).map_err(fail)?));
    }
    html.push_str("</ul>");
    let recognition =
        app::services::recognition::on_profile(&pool, profile.id, None).await.map_err(fail)?;
    for r in &recognition {
        let _ = write!(html, "<p>{}</p>", escape(&serde_json::to_string(r).map_err(fail)?));
    }
    Ok(page_html(&profile.display_name, &html))
}

/// The recognition wall and boards as an outsider sees them.
async fn recognition(State(pool): State<app::db::Pool>, Path(slug): Path<String>) -> Answer {
    let community = public_community(&pool, &slug).await?;
    let page =
        app::services::recognition::page(&pool, &community, Standing::Outsider, None, None, None)
            .await
            .map_err(fail)?;
    let mut html = String::from("<h1>Recognition</h1>");
    html.push_str(&list(
        "ul",
        page.kudos.iter().map(|k| {
            let receivers: Vec<&str> =
                k.receivers.iter().map(|r| r.display_name.as_str()).collect();
            format!(
                "{} thanked {} for {}: {}",
                escape(&k.giver.display_name),
                escape(&receivers.join(", ")),
                escape(&k.value),
                escape(&k.message)
            )
        }),
    ));
    for row in page.initiative_board.iter().chain(&page.goal_board).chain(&page.people_board) {
        let _ = write!(html, "<p>{} {} {}</p>", escape(&row.name), row.amount, row.people);
    }
    Ok(page_html("Recognition", &html))
}

/// The library as an outsider sees it: collections, then every resource.
async fn library(State(pool): State<app::db::Pool>, Path(slug): Path<String>) -> Answer {
    let community = public_community(&pool, &slug).await?;
    let page = app::services::library::page(&pool, &community, Standing::Outsider, None, None)
        .await
        .map_err(fail)?;
    let mut html = String::from("<h1>Library</h1>");
    for collection in &page.collections {
        let _ = write!(html, "<h2>{}</h2>", escape(&collection.name));
    }
    html.push_str(&list(
        "ul",
        page.resources.iter().map(|r| {
            format!(
                "<a href=\"/c/{slug}/library/{}\">{}</a><p>{}</p><p>{} · @{}</p>",
                r.id,
                escape(&r.title),
                escape(&r.summary),
                escape(&r.tags.join(", ")),
                escape(&r.owner)
            )
        }),
    ));
    Ok(page_html("Library", &html))
}

/// One resource as an outsider sees it.
async fn resource(
    State(pool): State<app::db::Pool>,
    Path((slug, id)): Path<(String, i64)>,
) -> Answer {
    let community = public_community(&pool, &slug).await?;
    let page =
        app::services::library::resource_page(&pool, &community, Standing::Outsider, None, id)
            .await
            .map_err(fail)?;
    let html = format!(
        "<h1>{}</h1><p>{}</p>{}<p>{}</p>",
        escape(&page.resource.title),
        escape(&page.resource.summary),
        page.body_html,
        escape(&page.licence)
    );
    Ok(page_html(&page.resource.title, &html))
}

async fn search(
    State(pool): State<app::db::Pool>,
    Query(query): Query<HashMap<String, String>>,
) -> Answer {
    let q = query.get("q").cloned().unwrap_or_default();
    let hits = match fts_query(&q) {
        Some(fts) => {
            let mut conn = pool.acquire().await.map_err(fail)?;
            db::search::search(&mut conn, &fts, None, None, None, 21).await.map_err(fail)?.hits
        }
        None => Vec::new(),
    };
    let mut html = format!("<h1>Search</h1><p>{}</p>", escape(&q));
    html.push_str(&list(
        "ol",
        hits.iter().take(20).map(|hit| {
            format!(
                "<a href=\"/c/{}/d/{}#post-{}\">{}</a><p>{}</p><p>@{} in {}</p>",
                escape(&hit.slug),
                hit.thread_id,
                hit.number,
                escape(&hit.thread_title),
                escape(&hit.snippet),
                escape(&hit.author),
                escape(&hit.community)
            )
        }),
    ));
    Ok(page_html("Search", &html))
}
