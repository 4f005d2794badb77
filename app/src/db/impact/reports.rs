//! The figures on the impact page.

use crate::db::statement::{all_rows, all_values, args, one_row, one_value};
use chrono::{DateTime, NaiveDate, Utc};

use crate::db::{Db, Engine, Sql, engine_of, on_engine};
use crate::domain::ids::CommunityId;
use crate::domain::impact::{EventImpact, InitiativeImpact};

/// A community's verified totals.
#[derive(Debug, Clone, Copy, sqlx::FromRow)]
pub struct Totals {
    /// Verified contributions.
    pub contributions: i64,
    /// Verified hours.
    pub hours: f64,
    /// People with a verified contribution done since the given day.
    pub active_contributors: i64,
}

/// Verified totals, counting as active those who contributed on or after `since`.
pub async fn totals(db: impl Db<'_>, community: CommunityId, since: NaiveDate) -> Sql<Totals> {
    let sql = "SELECT COUNT(*) AS contributions, COALESCE(SUM(hours), 0.0) AS hours,
                COUNT(DISTINCT CASE WHEN done_on >= $2 THEN author_id END) AS active_contributors
           FROM contributions WHERE community_id = $1 AND status = 'verified'";
    one_row(db, sql, args![community, since.to_string()]).await
}

/// Verified contributions per week (weeks starting Monday) since `since`.
pub async fn weekly(
    db: impl Db<'_>,
    community: CommunityId,
    since: NaiveDate,
) -> Sql<Vec<(String, i64)>> {
    on_engine!(db, |db| {
        // The Monday of each contribution's week, as `YYYY-MM-DD`: date arithmetic is
        // where the two engines' SQL differs.
        let week = match engine_of(&*db) {
            Engine::Sqlite => {
                "date(done_on, '-' || ((strftime('%w', done_on) + 6) % 7) || ' days')"
            }
            Engine::Postgres => "to_char(date_trunc('week', CAST(done_on AS date)), 'YYYY-MM-DD')",
        };
        let sql = format!(
            "SELECT {week} AS week, COUNT(*)
               FROM contributions WHERE community_id = $1 AND status = 'verified' AND done_on >= $2
              GROUP BY week ORDER BY week"
        );
        all_rows(db, &sql, args![community, since.to_string()]).await
    })
}

/// The five initiatives with the most verified hours.
pub async fn top_initiatives(
    db: impl Db<'_>,
    community: CommunityId,
) -> Sql<Vec<InitiativeImpact>> {
    let sql =
        "SELECT i.id, i.title, COALESCE(SUM(c.hours), 0.0) AS hours, COUNT(*) AS contributions
           FROM contributions c JOIN initiatives i ON i.id = c.initiative_id
          WHERE c.community_id = $1 AND c.status = 'verified'
          GROUP BY i.id, i.title ORDER BY hours DESC, contributions DESC LIMIT 5";
    all_rows(db, sql, args![community]).await
}

/// Verified contribution counts per contributor.
pub async fn counts_per_contributor(db: impl Db<'_>, community: CommunityId) -> Sql<Vec<i64>> {
    let sql = "SELECT COUNT(*) FROM contributions WHERE community_id = $1 AND status = 'verified' GROUP BY author_id";
    all_values(db, sql, args![community]).await
}

/// Of members who joined on or before `joined_by`: (how many, how many have contributed since joining).
pub async fn retention(
    db: impl Db<'_>,
    community: CommunityId,
    joined_by: DateTime<Utc>,
) -> Sql<(i64, i64)> {
    let sql = "SELECT COUNT(*),
                CAST(COALESCE(SUM(CASE WHEN EXISTS(SELECT 1 FROM contributions c
                                     WHERE c.community_id = m.community_id AND c.author_id = m.user_id
                                       AND c.status = 'verified' AND c.done_on >= substr(m.joined_at, 1, 10))
                                  THEN 1 ELSE 0 END), 0) AS BIGINT)
           FROM memberships m WHERE m.community_id = $1 AND m.status = 'active' AND m.joined_at <= $2";
    one_row(db, sql, args![community, crate::db::timestamp(joined_by)]).await
}

/// Verified hours on an initiative.
pub async fn initiative_hours(db: impl Db<'_>, initiative: i64) -> Sql<f64> {
    let sql = "SELECT COALESCE(SUM(hours), 0.0) FROM contributions WHERE initiative_id = $1 AND status = 'verified'";
    one_value(db, sql, args![initiative]).await
}

/// What the community's events did up to `now`: occurrences held (ended, not cancelled)
/// with who said they were going and who of them came, everyone checked in so far, and
/// verified attendance hours.
pub async fn event_impact(
    db: impl Db<'_>,
    community: CommunityId,
    now: DateTime<Utc>,
) -> Sql<EventImpact> {
    let sql = "SELECT COUNT(*) AS held,
                (SELECT COUNT(*) FROM event_attendance a JOIN event_occurrences ao ON ao.id = a.occurrence_id
                  WHERE ao.community_id = $1) AS checked_in,
                CAST(COALESCE(SUM((SELECT COUNT(*) FROM event_rsvps r
                                WHERE r.occurrence_id = o.id AND r.status = 'going')), 0) AS BIGINT) AS said_going,
                CAST(COALESCE(SUM((SELECT COUNT(*) FROM event_rsvps r JOIN event_attendance a
                                  ON a.occurrence_id = r.occurrence_id AND a.user_id = r.user_id
                                WHERE r.occurrence_id = o.id AND r.status = 'going')), 0) AS BIGINT) AS came_as_said,
                (SELECT COALESCE(SUM(c.hours), 0.0) FROM event_attendance a
                   JOIN contributions c ON c.id = a.contribution_id
                  WHERE c.community_id = $1 AND c.status = 'verified') AS hours
           FROM event_occurrences o
          WHERE o.community_id = $1 AND o.cancelled_at IS NULL AND o.ends_at <= $2";
    one_row(db, sql, args![community, crate::db::timestamp(now)]).await
}
