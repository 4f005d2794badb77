//! `server seed-bench`: fills an empty database with a realistic community graph for
//! the benchmark, deterministically from a seed.
//!
//! Scale 1: 20 communities, 5,000 members, 2,000 threads, 100,000 replies (one thread,
//! "The big thread" in `bench-00`, holds 10,000 of them), 50,000 verified contributions,
//! goals and initiatives. Other scales multiply every count (at least one of each).
//! Every member's password is [`BENCH_PASSWORD`]; member handles are `m00001`, `m00002`, ….

mod library;

use std::time::Instant;

use anyhow::{Context, bail};
use app::db::{self, discussions as store};
use app::domain::community::{CommunityValue, JoinPolicy, Role, ValidCommunity, Visibility};
use app::domain::ids::{CommunityId, UserId};
use app::domain::impact::{ContributionFacts, ContributionStatus, GoalFacts};
use app::services::{ledger, markdown};
use chrono::NaiveDate;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sqlx::{SqliteConnection, SqlitePool};

/// The password every generated member shares.
pub const BENCH_PASSWORD: &str = "bench-password-kindred";

/// Words posts and titles are made of, so search has something to find.
const WORDS: &[&str] = &[
    "river",
    "clean",
    "bank",
    "litter",
    "planting",
    "trees",
    "weir",
    "heron",
    "kingfisher",
    "volunteers",
    "gloves",
    "bags",
    "saturday",
    "sampling",
    "water",
    "quality",
    "council",
    "bridge",
    "meadow",
    "otters",
    "invasive",
    "balsam",
    "cleanup",
    "tools",
    "van",
    "mentoring",
    "food",
    "bank",
    "pantry",
    "donations",
    "schedule",
    "training",
    "safety",
    "first",
    "aid",
    "thanks",
    "welcome",
    "question",
    "idea",
    "proposal",
    "budget",
    "grant",
    "report",
    "impact",
    "hours",
    "measure",
    "goal",
    "progress",
    "celebrate",
    "newsletter",
    "school",
    "workshop",
];

/// How much to generate.
#[derive(Debug, Clone, Copy)]
pub struct Scale(pub f64);

impl Scale {
    fn of(self, base: usize) -> usize {
        ((base as f64 * self.0).round() as usize).max(1)
    }
}

/// What was generated, for the benchmark to address it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Generated {
    /// Communities.
    pub communities: usize,
    /// Members.
    pub members: usize,
    /// Threads.
    pub threads: usize,
    /// Replies (posts after the opening ones).
    pub replies: usize,
    /// Replies in the big thread.
    pub big_thread_replies: usize,
    /// The big thread's id.
    pub big_thread_id: i64,
    /// Contributions.
    pub contributions: usize,
    /// An occurrence of a weekly public event with 200 people going.
    pub big_event_id: i64,
    /// A one-off public event with [`CONTENDED_SEATS`] seats, for the RSVP race.
    pub contended_event_id: i64,
    /// Its seats.
    pub contended_event_capacity: i64,
    /// A guide in `bench-00`'s library (which holds 300 resources at scale 1).
    pub library_resource_id: i64,
    /// Seconds it took.
    pub seconds: f64,
}

fn sentence(rng: &mut ChaCha8Rng, words: usize) -> String {
    let mut out = Vec::with_capacity(words);
    for _ in 0..words {
        out.push(*WORDS.choose(rng).unwrap_or(&"river"));
    }
    out.join(" ")
}

fn body(rng: &mut ChaCha8Rng, n: usize) -> String {
    let words = rng.random_range(8..30);
    let first = sentence(rng, words);
    match rng.random_range(0..4) {
        0 => format!("{first}\n\n**{}** — {}", sentence(rng, 3), sentence(rng, 12)),
        1 => format!("> {}\n\n{first} (#{n})", sentence(rng, 10)),
        2 => format!("{first}\n\n- {}\n- {}", sentence(rng, 5), sentence(rng, 6)),
        _ => format!("{first} #{n}"),
    }
}

/// Starts one of the generator's bulk transactions. The generator is a command-line
/// tool with the database to itself and no client that could hang up, so it may open
/// transactions directly; request code never does (see `db::writer`).
#[allow(clippy::disallowed_methods)]
async fn begin_bulk(pool: &SqlitePool) -> sqlx::Result<sqlx::Transaction<'static, sqlx::Sqlite>> {
    pool.begin_with("BEGIN IMMEDIATE").await
}

/// Generates into the database at `url`, which must be empty (no accounts yet).
pub async fn generate(url: &str, scale: Scale, seed: u64) -> anyhow::Result<Generated> {
    let started = Instant::now();
    let pool = db::connect(url).await.context("opening the database")?;
    db::migrate(&pool).await.context("migrating")?;
    if db::users::count(&pool).await? > 0 {
        bail!("{url} already has accounts: seed-bench needs an empty database");
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let hash = app::auth::password::hash(BENCH_PASSWORD.to_owned()).await?;

    let members = members(&pool, scale.of(5_000), &hash).await?;
    let communities = communities(&pool, &mut rng, scale.of(20), &members).await?;
    let (threads, big_thread_id, replies, big) =
        discussions(&pool, &mut rng, scale, &communities, &members).await?;
    let contributions = impact(&pool, &mut rng, scale.of(50_000), &communities, &members).await?;
    let (big_event_id, contended_event_id) = events(&pool, &communities[0], &members).await?;
    kudos(&pool, &mut rng, &communities[0], scale.of(2_000)).await?;
    let library_resource_id =
        library::guides(&pool, &mut rng, &communities[0], scale.of(300)).await?;
    spread_timestamps(&pool).await?;
    // Badges as a real install would have them: every rule award the ledger supports.
    let writes = app::db::writer::WriteQueue::start(db::connect_options(url)?).await?;
    app::services::badges::recompute_all(&db::Pool::from(pool.clone()), &writes)
        .await
        .map_err(|e| anyhow::anyhow!("awarding badges: {e}"))?;
    sqlx::query("ANALYZE").execute(&pool).await?;
    pool.close().await;
    Ok(Generated {
        communities: communities.len(),
        members: members.len(),
        threads,
        replies,
        big_thread_replies: big,
        big_thread_id,
        contributions,
        big_event_id,
        contended_event_id,
        contended_event_capacity: CONTENDED_SEATS,
        library_resource_id,
        seconds: started.elapsed().as_secs_f64(),
    })
}

async fn members(pool: &SqlitePool, count: usize, hash: &str) -> anyhow::Result<Vec<UserId>> {
    let mut ids = Vec::with_capacity(count);
    let mut tx = begin_bulk(pool).await?;
    for n in 1..=count {
        let handle = format!("m{n:05}");
        let email = format!("{handle}@bench.kindred.invalid");
        let name = format!("Member {n}");
        let user = db::users::NewUser {
            handle: &handle,
            display_name: &name,
            email: &email,
            password_hash: hash,
        };
        ids.push(db::users::insert(&mut *tx, &user).await?);
    }
    tx.commit().await?;
    Ok(ids)
}

/// A community with who belongs: (id, members).
struct Place {
    id: CommunityId,
    members: Vec<UserId>,
}

async fn communities(
    pool: &SqlitePool,
    rng: &mut ChaCha8Rng,
    count: usize,
    members: &[UserId],
) -> anyhow::Result<Vec<Place>> {
    let mut tx = begin_bulk(pool).await?;
    let mut places = Vec::with_capacity(count);
    for c in 0..count {
        let community = ValidCommunity {
            name: format!("Bench community {c:02}"),
            slug: format!("bench-{c:02}"),
            mission: format!("We {} together.", sentence(rng, 6)),
            vision: sentence(rng, 12),
            values: ["Care", "Courage", "Curiosity"]
                .iter()
                .map(|v| CommunityValue { name: (*v).to_owned(), description: sentence(rng, 6) })
                .collect(),
            visibility: if c % 5 == 4 { Visibility::Private } else { Visibility::Public },
            join_policy: JoinPolicy::Open,
            join_questions: Vec::new(),
            // The first community self-attests, so the benchmark's contribution writes are
            // verified in the same write and evaluated for badges.
            self_attestation: c == 0,
            time_zone: "UTC".into(),
        };
        let owner = members[c % members.len()];
        let id = db::communities::insert(&mut tx, &community, owner).await?;
        app::services::badges::add_defaults(&mut db::Conn::Sqlite(&mut tx), id)
            .await
            .map_err(|e| anyhow::anyhow!("default badges: {e}"))?;
        places.push(Place { id, members: Vec::new() });
    }
    // Everyone belongs to the first community; each also joins up to two others.
    for (n, member) in members.iter().enumerate() {
        let mut joined = vec![0usize];
        for _ in 0..rng.random_range(0..3) {
            let c = rng.random_range(0..count);
            if !joined.contains(&c) {
                joined.push(c);
            }
        }
        if n < count && !joined.contains(&n) {
            joined.push(n);
        }
        for c in joined {
            let role = if n == c % members.len() {
                Role::Owner
            } else if n % 100 == 1 {
                Role::Moderator
            } else {
                Role::Member
            };
            db::memberships::add(&mut *tx, places[c].id, *member, role).await?;
            places[c].members.push(*member);
        }
    }
    sqlx::query("UPDATE memberships SET joined_at = '2025-01-01T00:00:00.000Z'")
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(places)
}

async fn post(
    tx: &mut SqliteConnection,
    thread: i64,
    community: CommunityId,
    author: UserId,
    source: &str,
) -> anyhow::Result<()> {
    let html = markdown::render(source, &|_| false);
    store::insert_post(
        tx,
        store::NewPost { thread, community, author, reply_to: None, source, html: &html },
    )
    .await?;
    Ok(())
}

/// Threads and replies; returns (threads, big thread id, replies, big thread's replies).
async fn discussions(
    pool: &SqlitePool,
    rng: &mut ChaCha8Rng,
    scale: Scale,
    places: &[Place],
    members: &[UserId],
) -> anyhow::Result<(usize, i64, usize, usize)> {
    let thread_count = scale.of(2_000);
    let reply_count = scale.of(100_000);
    let big_replies = scale.of(10_000).min(reply_count);
    let mut tx = begin_bulk(pool).await?;
    let mut threads: Vec<(i64, usize)> = Vec::with_capacity(thread_count);
    for t in 0..thread_count {
        // The first community is the busiest: it holds 40% of the threads.
        let place =
            if t == 0 || rng.random_bool(0.4) { 0 } else { rng.random_range(0..places.len()) };
        let author = *places[place].members.choose(rng).unwrap_or(&members[0]);
        let title = if t == 0 {
            "The big thread".to_owned()
        } else {
            let words = rng.random_range(3..8);
            let mut title = sentence(rng, words);
            title[..1].make_ascii_uppercase();
            title
        };
        let id = store::insert_thread(&mut *tx, places[place].id, None, author, &title).await?;
        let opening = body(rng, 1);
        post(&mut tx, id, places[place].id, author, &opening).await?;
        threads.push((id, place));
    }
    let big_thread_id = threads[0].0;
    for n in 0..reply_count {
        let (thread, place) =
            if n < big_replies { threads[0] } else { threads[rng.random_range(0..threads.len())] };
        let author = *places[place].members.choose(rng).unwrap_or(&members[0]);
        let source = body(rng, n + 2);
        post(&mut tx, thread, places[place].id, author, &source).await?;
        if n % 20_000 == 19_999 {
            tx.commit().await?;
            tx = begin_bulk(pool).await?;
        }
    }
    // A sprinkling of reactions: about one post in five.
    sqlx::query(
        "INSERT OR IGNORE INTO reactions (post_id, user_id, kind)
         SELECT id, author_id, CASE id % 5 WHEN 0 THEN 'thumbs_up' WHEN 1 THEN 'heart'
                WHEN 2 THEN 'celebrate' WHEN 3 THEN 'thanks' ELSE 'insight' END
           FROM posts WHERE id % 5 = 0",
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok((thread_count, big_thread_id, reply_count, big_replies))
}

/// Goals, initiatives and verified contributions; returns how many contributions.
/// Seats of the event the benchmark's RSVP scenario fills from 32 connections.
pub const CONTENDED_SEATS: i64 = 20;

/// In the first community: a weekly public clean-up for a year (its first date with 200
/// people going) and a one-off event with [`CONTENDED_SEATS`] seats. Returns their first
/// occurrences' ids.
async fn events(
    pool: &SqlitePool,
    place: &Place,
    members: &[UserId],
) -> anyhow::Result<(i64, i64)> {
    use app::domain::events::{EventForm, Recurrence};
    let today = chrono::Utc::now().date_naive();
    let form = |title: &str, recurrence: Recurrence, capacity: &str| EventForm {
        title: title.to_owned(),
        description: "Gloves and bags provided. **Boots** recommended.".to_owned(),
        date: (today + chrono::Duration::days(3)).to_string(),
        starts: "10:00".to_owned(),
        ends: "12:00".to_owned(),
        time_zone: "UTC".to_owned(),
        place: "Mill Lane bridge".to_owned(),
        capacity: capacity.to_owned(),
        guests_max: "2".to_owned(),
        visibility: "public".to_owned(),
        recurrence: recurrence.as_str().to_owned(),
        until: (today + chrono::Duration::days(360)).to_string(),
        ..EventForm::default()
    };
    let host = place.members.first().copied().unwrap_or(members[0]);
    let mut tx = begin_bulk(pool).await?;
    let mut firsts = Vec::new();
    for (title, recurrence, capacity) in [
        ("Saturday river clean-up", Recurrence::Weekly, ""),
        ("Boat trip (few seats)", Recurrence::Once, "20"),
    ] {
        let event = form(title, recurrence, capacity)
            .validate(today, |_| true)
            .map_err(|e| anyhow::anyhow!("bench event: {e}"))?;
        let html = app::services::markdown::render(&event.description, &|_| false);
        let series = db::events::insert_series(&mut tx, place.id, &event, &html, host).await?;
        for date in event.dates() {
            let starts = date.and_time(event.start.time()).and_utc();
            let code = format!("B{:05}", firsts.len());
            db::events::insert_occurrence(
                &mut *tx,
                series,
                place.id,
                date,
                starts,
                starts + event.length,
                &code,
            )
            .await?;
        }
        firsts.push(db::events::first_occurrence(&mut *tx, series).await?);
    }
    for member in place.members.iter().take(200) {
        sqlx::query(
            "INSERT INTO event_rsvps (occurrence_id, user_id, status) VALUES ($1, $2, 'going')",
        )
        .bind(firsts[0])
        .bind(member)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok((firsts[0], firsts[1]))
}

async fn impact(
    pool: &SqlitePool,
    rng: &mut ChaCha8Rng,
    count: usize,
    places: &[Place],
    members: &[UserId],
) -> anyhow::Result<usize> {
    let mut tx = begin_bulk(pool).await?;
    let mut targets = Vec::new();
    for place in places {
        let steward = place.members.first().copied().unwrap_or(members[0]);
        let goal = |title: &str, unit: &str, target: f64, parent: Option<i64>| GoalFacts {
            title: title.to_owned(),
            metric: unit.to_owned(),
            unit: unit.to_owned(),
            target,
            deadline: None,
            parent_id: parent,
            weight: 1.0,
        };
        let root = db::impact::insert_goal(
            &mut *tx,
            place.id,
            &goal("A living river", "points", 1.0, None),
            steward,
        )
        .await?;
        let trees = db::impact::insert_goal(
            &mut *tx,
            place.id,
            &goal("Trees planted", "trees", 5_000.0, Some(root)),
            steward,
        )
        .await?;
        let bags = db::impact::insert_goal(
            &mut *tx,
            place.id,
            &goal("Litter collected", "bags", 20_000.0, Some(root)),
            steward,
        )
        .await?;
        let initiative = db::impact::insert_initiative(
            &mut tx,
            place.id,
            steward,
            "Saturday crews",
            "Weekly work days.",
            &[trees, bags],
        )
        .await?;
        db::impact::decide_initiative(&mut *tx, place.id, initiative, true, steward).await?;
        targets.push((place, steward, [trees, bags], initiative));
    }
    let start = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap_or_default();
    for n in 0..count {
        let (place, steward, goals, initiative) =
            &targets[if rng.random_bool(0.4) { 0 } else { rng.random_range(0..targets.len()) }];
        let author = *place.members.choose(rng).unwrap_or(&members[0]);
        let goal = goals[rng.random_range(0..2)];
        let quantity = f64::from(rng.random_range(1..20u32));
        let hours = f64::from(rng.random_range(1..8u32));
        let done_on = start + chrono::Duration::days(rng.random_range(0..330));
        let facts = ContributionFacts {
            description: sentence(rng, 6),
            done_on,
            quantity: Some(quantity),
            hours: Some(hours),
            goal_id: Some(goal),
            initiative_id: Some(*initiative),
            evidence_url: String::new(),
            note: String::new(),
        };
        let reported = ledger::Entry::Reported { actor: author, facts: &facts };
        let id = ledger::append(&mut db::Conn::Sqlite(&mut tx), place.id, reported).await?;
        let status = if author == *steward {
            ContributionStatus::Reported
        } else {
            ContributionStatus::Verified
        };
        db::impact::insert_contribution(&mut *tx, id, place.id, author, &facts, status).await?;
        if author != *steward {
            let verified = ledger::Entry::Decided {
                contribution: id,
                status: ContributionStatus::Verified,
                actor: *steward,
                note: "",
            };
            ledger::append(&mut db::Conn::Sqlite(&mut tx), place.id, verified).await?;
        }
        if n % 10_000 == 9_999 {
            tx.commit().await?;
            tx = begin_bulk(pool).await?;
        }
    }
    tx.commit().await?;
    Ok(count)
}

/// Spreads post and thread times over the past year (everything was written "now").
/// `count` kudos in the first community between random members, citing its values, over
/// the last 60 days.
async fn kudos(
    pool: &SqlitePool,
    rng: &mut ChaCha8Rng,
    place: &Place,
    count: usize,
) -> anyhow::Result<()> {
    let mut tx = begin_bulk(pool).await?;
    let now = chrono::Utc::now();
    for _ in 0..count {
        let giver = *place.members.choose(rng).unwrap_or(&UserId(1));
        let receiver = *place.members.choose(rng).unwrap_or(&UserId(1));
        if giver == receiver {
            continue;
        }
        let at = now - chrono::Duration::minutes(rng.random_range(0..60 * 24 * 60));
        let kudos = db::recognition::NewKudos {
            community: place.id,
            giver,
            value: ["Care", "Courage", "Curiosity"][rng.random_range(0..3)],
            message: &sentence(rng, 10),
            contribution: None,
            initiative: None,
            receivers: &[receiver],
            at,
        };
        db::recognition::insert(&mut tx, &kudos).await?;
    }
    tx.commit().await?;
    Ok(())
}

async fn spread_timestamps(pool: &SqlitePool) -> anyhow::Result<()> {
    let mut tx = begin_bulk(pool).await?;
    let posts: i64 =
        sqlx::query_scalar("SELECT COALESCE(MAX(id), 1) FROM posts").fetch_one(&mut *tx).await?;
    // Post ids grow with time; map them onto the 330 days up to 2025-11-27.
    sqlx::query(
        "UPDATE posts SET created_at = strftime('%Y-%m-%dT%H:%M:%fZ', '2025-01-01', '+' || CAST(id * 28512000 / $1 AS INTEGER) || ' seconds')",
    )
    .bind(posts)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "UPDATE threads SET
            created_at = (SELECT MIN(created_at) FROM posts WHERE thread_id = threads.id),
            last_post_at = (SELECT MAX(created_at) FROM posts WHERE thread_id = threads.id)",
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}
