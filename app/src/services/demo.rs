//! The demo seed: a few members and one community, so a new install's first page is not blank.

use crate::db::Pool;

use crate::auth::password;
use crate::db::Conn;
use crate::db::writer::WriteQueue;
use crate::db::{self, audit::AuditAction};
use crate::domain::community::{
    Community, CommunityValue, JoinPolicy, Role, ValidCommunity, Visibility,
};
use crate::domain::ids::{CommunityId, UserId};
use crate::error::AppError;

/// The password every demo member shares (printed in the log and the README; turn the demo off in production).
pub const DEMO_PASSWORD: &str = "kindred-demo-password";

/// Demo members: handle, display name, bio.
const MEMBERS: &[(&str, &str, &str)] = &[
    ("ada", "Ada Okafor", "Steward of River Keepers. Happiest knee-deep in the Wandle."),
    ("grace", "Grace Lin", "Water-quality nerd; I run the monthly sampling walks."),
    ("tomas", "Tomás Reyes", "New here. Bringing gloves and a van."),
];

/// Seeds the demo when the database has no accounts. Returns whether it seeded.
pub async fn seed_if_empty(pool: &Pool, writes: &WriteQueue) -> Result<bool, AppError> {
    if db::users::count(pool).await? > 0 {
        return Ok(false);
    }
    let password_hash = password::hash(DEMO_PASSWORD.to_owned()).await?;
    let founded = writes.run(move |tx| Box::pin(found_river_keepers(tx, password_hash))).await?;
    let Some([ada, grace, tomas]) = founded else {
        return Ok(false);
    };
    let community = river_keepers(pool).await?;
    let demo = Demo { pool, writes, community, ada, grace, tomas };
    demo.impact().await?;
    demo.discussions().await?;
    demo.events().await?;
    demo.challenge().await?;
    demo.kudos().await?;
    demo.library().await?;
    demo.mentoring().await?;
    Ok(true)
}

/// The first step, in one transaction: the three members and River Keepers with them in
/// it (ada the owner, grace a steward, tomas a member). `None` when another instance
/// seeded first.
async fn found_river_keepers(
    tx: &mut Conn<'_>,
    password_hash: String,
) -> Result<Option<[UserId; 3]>, AppError> {
    if db::users::count(&mut *tx).await? > 0 {
        return Ok(None);
    }
    let mut ids = Vec::new();
    for (handle, name, bio) in MEMBERS {
        let email = format!("{handle}@demo.kindred.invalid");
        let new_user = db::users::NewUser {
            handle,
            display_name: name,
            email: &email,
            password_hash: &password_hash,
        };
        let id = db::users::insert(&mut *tx, &new_user).await?;
        db::users::update_profile(&mut *tx, id, name, bio).await?;
        ids.push(id);
    }
    let members: [UserId; 3] =
        ids.try_into().map_err(|_| AppError::internal("the demo has three members"))?;
    let founder = members[0];
    let river = ValidCommunity {
        name: "River Keepers".into(),
        slug: "river-keepers".into(),
        mission: "We restore and protect the River Wandle: monthly clean-ups, water-quality \
                  sampling, and planting the banks so wildlife comes back."
            .into(),
        vision: "A river that children swim in again, cared for by the neighbourhood that lives \
                 along it."
            .into(),
        values: vec![
            value("Leave it better", "We take out more than we bring, every time."),
            value("Safety first", "No one works alone near deep or fast water."),
            value("Everyone belongs", "No experience needed; we teach what we know."),
        ],
        visibility: Visibility::Public,
        join_policy: JoinPolicy::Open,
        join_questions: Vec::new(),
        self_attestation: false,
        time_zone: "Europe/London".into(),
    };
    let community = db::communities::insert(&mut *tx, &river, founder).await?;
    crate::services::badges::add_defaults(&mut *tx, community).await?;
    let created = AuditAction::CommunityCreated;
    db::audit::record(&mut *tx, community, Some(founder), created, None, &river.name).await?;
    for (id, role) in members.into_iter().zip([Role::Owner, Role::Steward, Role::Member]) {
        db::memberships::add(&mut *tx, community, id, role).await?;
        if role != Role::Owner {
            let joined = AuditAction::MemberJoined;
            db::audit::record(&mut *tx, community, Some(id), joined, Some(id), "").await?;
        }
    }
    Ok(Some(members))
}

/// The demo community, as the seeding steps after the first one load it.
async fn river_keepers(pool: &Pool) -> Result<Community, AppError> {
    let mut conn = pool.acquire().await?;
    db::communities::by_slug(&mut conn, "river-keepers").await?.ok_or(AppError::NotFound)
}

/// One of the demo community's values.
fn value(name: &str, description: &str) -> CommunityValue {
    CommunityValue { name: name.into(), description: description.into() }
}

/// A demo thread: title, category, pinned, and its posts (author, Markdown).
type DemoThread<'a> = (&'a str, Option<i64>, bool, &'a [(UserId, &'a str)]);

/// What every seeding step after the first works with: the demo community and its three
/// members. Each step is its own write, as a member's would be.
struct Demo<'a> {
    pool: &'a Pool,
    writes: &'a WriteQueue,
    community: Community,
    ada: UserId,
    grace: UserId,
    tomas: UserId,
}

impl Demo<'_> {
    /// A small library: a safety guide in a "Start here" collection, a kit list and a link.
    async fn library(&self) -> Result<(), AppError> {
        use crate::domain::library::ResourceForm;
        use crate::services::library::{self, Arrange};

        let Demo { writes, ref community, ada, grace, .. } = *self;
        let review_by = (chrono::Utc::now().date_naive() + chrono::Duration::days(180)).to_string();
        let guide = |title: &str, summary: &str, body: &str, tags: &str| ResourceForm {
            kind: "guide".into(),
            title: title.into(),
            summary: summary.into(),
            body: body.into(),
            tags: tags.into(),
            review_by: review_by.clone(),
            ..ResourceForm::default()
        };
        let safety = "## Before you go\n\n- Check the river level on the gauge by the weir.\n- \
                      Never work alone near deep or fast water.\n\n## On the day\n\nGloves on, \
                      litter pickers for sharps, and tell the lead before you leave.";
        let safety = guide(
            "Working safely at the water",
            "Read this before your first clean-up.",
            safety,
            "safety, start here",
        );
        let safety = library::add(writes, community, grace, safety).await?;
        let kit = guide(
            "Kit list",
            "What to bring to a clean-up.",
            "Waterproofs, boots, a flask, and a change of socks. We lend gloves and pickers.",
            "kit, start here",
        );
        let kit = library::add(writes, community, ada, kit).await?;
        let link = ResourceForm {
            kind: "link".into(),
            title: "River levels (Environment Agency)".into(),
            summary: "Live levels for the Wandle gauges.".into(),
            url: "https://check-for-flooding.service.gov.uk/river-and-sea-levels".into(),
            tags: "safety, water".into(),
            ..ResourceForm::default()
        };
        library::add(writes, community, grace, link).await?;
        let start = library::create_collection(writes, community, "Start here").await?;
        for resource in [safety, kit] {
            library::arrange(writes, community, start, resource, Arrange::Add).await?;
        }
        Ok(())
    }

    /// One active mentorship (grace mentors tomas in water sampling, one verified session)
    /// and ada's offer, so the mentoring page shows the whole flow.
    async fn mentoring(&self) -> Result<(), AppError> {
        use crate::domain::mentoring::{OfferForm, RequestForm, SessionForm};
        use crate::services::mentoring;

        let Demo { writes, ref community, ada, grace, tomas, .. } = *self;
        let offer = |skills: &str, capacity: &str, availability: &str| OfferForm {
            skills: skills.into(),
            languages: "english".into(),
            capacity: capacity.into(),
            availability: availability.into(),
        };
        let grace_offers =
            offer("water sampling, tree planting", "2", "Weekend mornings, by the river");
        mentoring::save_offer(writes, community, grace, grace_offers).await?;
        let ada_offers = offer("river safety, leading a crew", "1", "Weekday evenings, by phone");
        mentoring::save_offer(writes, community, ada, ada_offers).await?;
        let wish = RequestForm {
            topic: "Taking water samples on my own".into(),
            skills: "water sampling".into(),
            languages: "english".into(),
            goal: "Lead a sampling walk in the spring".into(),
            cadence: "fortnightly".into(),
        };
        let request = mentoring::ask_for_mentor(writes, community, tomas, wish).await?;
        mentoring::choose_mentor(writes, community, tomas, request, "grace").await?;
        mentoring::answer(writes, community, grace, request, true).await?;
        let session = SessionForm {
            done_on: (chrono::Utc::now().date_naive() - chrono::Duration::days(3)).to_string(),
            hours: "1.5".into(),
            note: "The sampling kit and the testing routine.".into(),
        };
        let session = mentoring::log_session(writes, community, grace, request, session).await?;
        mentoring::verify_session(writes, community, tomas, session, true).await?;
        Ok(())
    }

    /// A goal tree, an initiative with an opportunity, and some verified work, so the
    /// impact pages show something on a new install.
    async fn impact(&self) -> Result<(), AppError> {
        use crate::domain::community::Standing;
        use crate::domain::impact::{ContributionFacts, GoalFacts};
        use crate::services::{contributions, goals};

        let Demo { writes, ref community, ada, grace, tomas, .. } = *self;
        let goal =
            |title: &str, unit: &str, target: f64, parent: Option<i64>, weight: f64| GoalFacts {
                title: title.into(),
                metric: unit.into(),
                unit: unit.into(),
                target,
                deadline: None,
                parent_id: parent,
                weight,
            };
        let create = |form: GoalFacts| async move {
            goals::create_goal(writes, community, ada, &form).await
        };
        let root = create(goal("Restore the River Wandle", "points", 1.0, None, 1.0)).await?;
        let trees = create(goal("1,000 trees planted", "trees", 1000.0, Some(root), 60.0)).await?;
        let hours = create(goal("500 volunteer hours", "hours", 500.0, Some(root), 40.0)).await?;
        let community_id = community.id;
        let initiative = writes
            .run(move |tx| {
                Box::pin(write_planting_days(tx, community_id, [ada, grace, tomas], [trees, hours]))
            })
            .await?;

        let today = chrono::Utc::now().date_naive();
        let work = [
            (tomas, "Planted hawthorn saplings by the weir", Some(trees), 40.0, 3.0, 20),
            (grace, "Led the planting crew", Some(hours), 4.0, 4.0, 13),
            (tomas, "Planted alder along the east bank", Some(trees), 65.0, 4.0, 6),
        ];
        for (author, description, goal_id, quantity, hours_given, days_ago) in work {
            let contribution = ContributionFacts {
                description: description.into(),
                done_on: today - chrono::Duration::days(days_ago),
                quantity: Some(quantity),
                hours: Some(hours_given),
                goal_id,
                initiative_id: Some(initiative),
                evidence_url: String::new(),
                note: String::new(),
            };
            let id =
                contributions::log_contribution(writes, community, author, &contribution, None)
                    .await?;
            contributions::decide_contribution(
                writes,
                community,
                Standing::Member(Role::Owner),
                ada,
                id,
                true,
                "",
            )
            .await?;
        }
        Ok(())
    }

    /// A weekly Saturday clean-up for the next two months, with a few answers, so the
    /// events pages show something on a new install.
    async fn events(&self) -> Result<(), AppError> {
        use chrono::{Datelike, Duration, Utc};

        use crate::domain::community::Standing;
        use crate::domain::events::{EventForm, RsvpChoice};
        use crate::services::events;

        let Demo { pool, writes, ref community, ada, grace, tomas } = *self;
        let today = Utc::now().date_naive();
        let ahead = match (12 - today.weekday().num_days_from_monday()) % 7 {
            0 => 7,
            days => days,
        };
        let saturday = today + Duration::days(i64::from(ahead));
        let form = EventForm {
        title: "Saturday clean-up at Mitcham Bridge".into(),
        description: "We meet by the bridge and work upstream for two hours. Gloves, pickers and \
                      bags provided; bring water and boots.\n\n**Safety first:** no one works alone \
                      near the weir."
            .into(),
        date: saturday.to_string(),
        starts: "10:00".into(),
        ends: "12:00".into(),
        time_zone: community.time_zone.clone(),
        place: "Mitcham Bridge, east bank".into(),
        capacity: "12".into(),
        guests_max: "2".into(),
        visibility: "public".into(),
        recurrence: "weekly".into(),
        until: (saturday + Duration::weeks(8)).to_string(),
        reminders: "yes".into(),
        ..EventForm::default()
    };
        let leader = Standing::Member(Role::Owner);
        let first = events::create(pool, writes, community, leader, ada, form).await?;
        for (member, choice) in [
            (ada, RsvpChoice::Going(0)),
            (grace, RsvpChoice::Going(1)),
            (tomas, RsvpChoice::Interested),
        ] {
            events::rsvp(writes, community, member, first, events::Dates::This, choice).await?;
        }
        Ok(())
    }

    /// A running team challenge with two teams, so the challenges page and the community home
    /// show a board on a new install.
    async fn challenge(&self) -> Result<(), AppError> {
        use chrono::{Duration, Utc};

        use crate::domain::challenges::ChallengeForm;
        use crate::services::challenges;

        let Demo { pool, writes, ref community, ada, grace, tomas } = *self;
        let today = challenges::today(community, Utc::now());
        let form = ChallengeForm {
            title: "100 river hours this month".into(),
            description:
                "Upstream against downstream: every verified hour on the river counts for \
                      your team."
                    .into(),
            measure: "hours".into(),
            target: "100".into(),
            starts_on: (today - Duration::days(14)).to_string(),
            ends_on: (today + Duration::days(16)).to_string(),
            grace_days: "3".into(),
            mode: "teams".into(),
            team_score: "sum".into(),
            teams: "Upstream\nDownstream".into(),
            ..ChallengeForm::default()
        };
        let id = challenges::create(pool, writes, community, ada, form).await?;
        let teams = db::challenges::teams(pool, id).await?;
        for (member, team) in [(ada, 0), (grace, 0), (tomas, 1)] {
            let team = teams.get(team).map(|(team, _)| *team);
            challenges::join(writes, community, member, id, team).await?;
        }
        Ok(())
    }

    /// Two kudos citing the community's values (one for a verified contribution), so the
    /// recognition wall and the profiles show thanks on a new install.
    async fn kudos(&self) -> Result<(), AppError> {
        use crate::domain::recognition::KudosForm;
        use crate::services::recognition::give;

        let Demo { pool, writes, ref community, ada, grace, .. } = *self;
        let first = db::impact::first_verified(&mut pool.acquire().await?, community.id).await?;
        let thanks = KudosForm {
            to: "tomas".into(),
            value: "Leave it better".into(),
            message: "Forty hawthorns in one morning — the weir bank looks alive again.".into(),
            contribution_id: first.map(|id| id.to_string()).unwrap_or_default(),
            ..KudosForm::default()
        };
        give(writes, community, grace, thanks, None).await?;
        let safety = KudosForm {
            to: "grace".into(),
            value: "Safety first".into(),
            message: "Thank you for the safety briefing before every planting session.".into(),
            ..KudosForm::default()
        };
        give(writes, community, ada, safety, None).await?;
        Ok(())
    }

    /// A pinned welcome thread and a planning conversation, so the discussions page is not empty.
    async fn discussions(&self) -> Result<(), AppError> {
        let Demo { writes, ada, grace, tomas, .. } = *self;
        let community = self.community.id;
        writes.run(move |tx| Box::pin(write_threads(tx, community, [ada, grace, tomas]))).await
    }
}

/// The demo's initiative, approved, with a planting crew tomas has signed up to, in one
/// transaction: `goals` are the two goals it moves (trees, hours).
async fn write_planting_days(
    tx: &mut Conn<'_>,
    community: CommunityId,
    [ada, grace, tomas]: [UserId; 3],
    goals: [i64; 2],
) -> Result<i64, AppError> {
    let pitch = "Every Saturday morning we plant native trees along the banks by the weir. \
                 Gloves provided.";
    let initiative = db::impact::insert_initiative(
        &mut *tx,
        community,
        grace,
        "Saturday planting days",
        pitch,
        &goals,
    )
    .await?;
    db::impact::decide_initiative(&mut *tx, community, initiative, true, ada).await?;
    let skills = ["tree planting".to_owned(), "leading a crew".to_owned()];
    db::mentoring::set_initiative_skills(&mut *tx, initiative, &skills).await?;
    let crew = db::impact::insert_opportunity(
        &mut *tx,
        initiative,
        "Planting crew",
        "Dig, plant, water.",
        8,
    )
    .await?;
    db::impact::sign_up(&mut *tx, crew, tomas).await?;
    Ok(initiative)
}

/// The demo's two threads and their posts, in one transaction.
async fn write_threads(
    tx: &mut Conn<'_>,
    community: CommunityId,
    [ada, grace, tomas]: [UserId; 3],
) -> Result<(), AppError> {
    use crate::db::discussions::{self as store, NewPost};
    use crate::services::markdown;

    let events = store::insert_category(&mut *tx, community, "Clean-ups").await?;
    store::insert_category(&mut *tx, community, "Water quality").await?;
    let welcome = "Welcome to **River Keepers**! Say hello below: who you are and what brings \
                   you to the Wandle.\n\nOur values are *leave it better*, *safety first* and \
                   *everyone belongs* — please read them on the community page.";
    let meeting = "Meeting at **10:00** by the bridge. Bring:\n\n- gloves\n- litter pickers if \
                   you have them\n- water";
    let threads: [DemoThread<'_>; 2] = [
        (
            "Welcome — start here",
            None,
            true,
            &[
                (ada, welcome),
                (tomas, "Hi all, Tomás here. I have a van and can move tools on clean-up days."),
                (grace, "Welcome @tomas! The van will be a huge help for the trolley pulls."),
            ],
        ),
        (
            "Saturday clean-up at Mitcham Bridge",
            Some(events),
            false,
            &[(grace, meeting), (ada, "I'll bring forty bags and the first-aid kit.")],
        ),
    ];
    for (title, category, pinned, posts) in threads {
        let Some((author, _)) = posts.first() else {
            continue;
        };
        let thread = store::insert_thread(&mut *tx, community, category, *author, title).await?;
        store::set_pinned(&mut *tx, thread, pinned).await?;
        for (author, source) in posts {
            let html = markdown::render(source, &|h| ["ada", "grace", "tomas"].contains(&h));
            let post =
                NewPost { thread, community, author: *author, reply_to: None, source, html: &html };
            store::insert_post(&mut *tx, post).await?;
        }
    }
    Ok(())
}
