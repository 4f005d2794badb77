//! What a member's digest is made of: reads only.

use crate::db::Stamp;
use crate::db::statement::{all_rows, args};
use chrono::{DateTime, Utc};

use crate::db::{Db, Sql, timestamp};
use crate::domain::ids::UserId;

/// A member who may get a digest: a verified address and a frequency other than off.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Subscriber {
    /// Who.
    pub id: UserId,
    /// Their verified address.
    pub email: String,
    /// IANA zone.
    pub time_zone: String,
    /// `daily` or `weekly`.
    pub digest: String,
    /// Local hour.
    pub digest_hour: i64,
}

/// Everyone with a verified address whose digest is on.
pub async fn subscribers(db: impl Db<'_>) -> Sql<Vec<Subscriber>> {
    let sql = "SELECT id, email, time_zone, digest, digest_hour FROM users
          WHERE digest != 'off' AND email_verified_at IS NOT NULL ORDER BY id";
    all_rows(db, sql, args![]).await
}

/// Kudos the member received since `since`: (giver, value, community).
pub async fn kudos_received(
    db: impl Db<'_>,
    user: UserId,
    since: DateTime<Utc>,
) -> Sql<Vec<(String, String, String)>> {
    let sql = "SELECT u.display_name, k.value_name, c.name
           FROM kudos_receivers r
           JOIN kudos k ON k.id = r.kudos_id
           JOIN users u ON u.id = k.giver_id
           JOIN communities c ON c.id = k.community_id
          WHERE r.user_id = $1 AND k.created_at >= $2 AND k.retracted_at IS NULL AND k.hidden_at IS NULL
          ORDER BY k.id DESC LIMIT 5";
    all_rows(db, sql, args![user, timestamp(since)]).await
}

/// Badges the member earned since `since`: (badge, community).
pub async fn badges_earned(
    db: impl Db<'_>,
    user: UserId,
    since: DateTime<Utc>,
) -> Sql<Vec<(String, String)>> {
    let sql = "SELECT b.name, c.name FROM badge_awards a
           JOIN badges b ON b.id = a.badge_id JOIN communities c ON c.id = b.community_id
          WHERE a.user_id = $1 AND a.awarded_at >= $2 AND a.revoked_at IS NULL
          ORDER BY a.id DESC LIMIT 5";
    all_rows(db, sql, args![user, timestamp(since)]).await
}

/// Goals in the member's communities that moved since `since`:
/// (goal, community, verified amount added, unit, people who added it).
pub async fn goals_moved(
    db: impl Db<'_>,
    user: UserId,
    since: DateTime<Utc>,
) -> Sql<Vec<(String, String, f64, String, i64)>> {
    let sql = "SELECT g.title, cm.name, SUM(COALESCE(c.quantity, 0.0)), g.unit, COUNT(DISTINCT c.author_id)
           FROM memberships m
           JOIN communities cm ON cm.id = m.community_id
           JOIN goals g ON g.community_id = m.community_id
           JOIN contributions c ON c.goal_id = g.id AND c.status = 'verified' AND c.verified_at >= $2
          WHERE m.user_id = $1 AND m.status = 'active' AND m.muted = FALSE
          GROUP BY g.id, g.title, cm.name, g.unit ORDER BY COUNT(DISTINCT c.author_id) DESC, g.id LIMIT 5";
    all_rows(db, sql, args![user, timestamp(since)]).await
}

/// Open ways to help in the member's communities whose title or description names one
/// of their skills, with places left: (title, community, community slug, initiative id).
pub async fn matching_opportunities(
    db: impl Db<'_>,
    user: UserId,
) -> Sql<Vec<(String, String, String, i64)>> {
    let sql = "SELECT o.title, cm.name, cm.slug, i.id
           FROM memberships m
           JOIN communities cm ON cm.id = m.community_id
           JOIN initiatives i ON i.community_id = m.community_id AND i.status = 'approved'
           JOIN opportunities o ON o.initiative_id = i.id
          WHERE m.user_id = $1 AND m.status = 'active' AND m.muted = FALSE
            AND (SELECT COUNT(*) FROM opportunity_signups s WHERE s.opportunity_id = o.id) < o.capacity
            AND NOT EXISTS(SELECT 1 FROM opportunity_signups s WHERE s.opportunity_id = o.id AND s.user_id = $1)
            AND EXISTS(SELECT 1 FROM user_tags t WHERE t.user_id = $1 AND t.kind = 'skill'
                          AND (replace(lower(o.title), lower(t.tag), '') <> lower(o.title)
                               OR replace(lower(o.description), lower(t.tag), '') <> lower(o.description)))
          ORDER BY o.id DESC LIMIT 3";
    all_rows(db, sql, args![user]).await
}

/// For leaders: what waits in each community they lead:
/// (community, slug, contributions to verify, join requests).
pub async fn waiting_for_leader(
    db: impl Db<'_>,
    user: UserId,
) -> Sql<Vec<(String, String, i64, i64)>> {
    let sql = "SELECT * FROM (
           SELECT cm.name, cm.slug,
                  (SELECT COUNT(*) FROM contributions c
                    WHERE c.community_id = cm.id AND c.status = 'reported') AS to_verify,
                  (SELECT COUNT(*) FROM join_requests j
                    WHERE j.community_id = cm.id AND j.status = 'pending') AS requests
             FROM memberships m JOIN communities cm ON cm.id = m.community_id
            WHERE m.user_id = $1 AND m.status = 'active' AND m.role IN ('owner', 'steward')) AS led
          WHERE to_verify > 0 OR requests > 0 ORDER BY 1";
    all_rows(db, sql, args![user]).await
}

/// Events the member is going to between `from` and `to`: (title, starts at, slug, occurrence).
pub async fn events_going(
    db: impl Db<'_>,
    user: UserId,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Sql<Vec<(String, DateTime<Utc>, String, i64)>> {
    let sql = "SELECT COALESCE(o.title_override, s.title), o.starts_at, cm.slug, o.id
           FROM event_rsvps r
           JOIN event_occurrences o ON o.id = r.occurrence_id
           JOIN event_series s ON s.id = o.series_id
           JOIN communities cm ON cm.id = o.community_id
          WHERE r.user_id = $1 AND r.status = 'going' AND o.cancelled_at IS NULL
            AND o.starts_at >= $2 AND o.starts_at < $3
          ORDER BY o.starts_at LIMIT 5";
    let rows: Vec<(String, Stamp, String, i64)> =
        all_rows(db, sql, args![user, timestamp(from), timestamp(to)]).await?;
    Ok(rows.into_iter().map(|(title, at, slug, id)| (title, at.0, slug, id)).collect())
}
