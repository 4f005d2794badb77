//! A member's home: what's next for them across every community they belong to.

use crate::db::Pool;

use crate::db;
use crate::domain::community::Waiting;
use crate::domain::home::{MyCommunity, NextForMe};
use crate::domain::ids::UserId;
use crate::error::AppError;

/// How many of each kind of item the home page lists.
const LIST: i64 = 5;

/// What's next for `user`: unread notices, their coming events, the opportunities they
/// signed up for, their contributions waiting for verification, kudos they received, and
/// in each of their communities what waits for them (for leaders: join requests,
/// contributions to verify and flagged posts). Only communities they are an active member
/// of count, so nothing from a community they left or were banned from shows.
pub async fn next_for(
    pool: &Pool,
    user: UserId,
    display_name: String,
) -> Result<NextForMe, AppError> {
    let mut events = db::events::mine(pool, user, chrono::Utc::now()).await?;
    crate::services::events::label(&mut events);
    events.truncate(LIST as usize);
    let mut communities = Vec::new();
    for (id, slug, name, role) in db::home::memberships(pool, user).await? {
        let leader = crate::domain::community::Standing::Member(role).is_leader();
        let waiting = Waiting {
            join_requests: if leader {
                db::join_requests::pending_count(pool, id).await?
            } else {
                0
            },
            to_verify: db::impact::queue_count(pool, id, user, leader).await?,
            flagged_posts: if leader {
                db::moderation::open_flag_count(pool, id).await?
            } else {
                0
            },
        };
        communities.push(MyCommunity { slug, name, role, waiting });
    }
    Ok(NextForMe {
        display_name,
        unread_count: db::notifications::unread_count(pool, user).await?,
        unread: db::notifications::unread(pool, user, LIST).await?,
        events,
        signups: db::home::signups(pool, user, LIST).await?,
        awaiting: db::impact::awaiting_verification(pool, user, LIST).await?,
        kudos: db::home::kudos_received(pool, user, 3).await?,
        communities,
    })
}
