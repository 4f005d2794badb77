//! Challenges, their teams and participants, the ledger's daily totals they are scored
//! on, frozen results and milestone markers.

use crate::db::on_engine;
use crate::db::statement::{all_rows, args, one_value, optional_row, run};
use chrono::{DateTime, NaiveDate, Utc};

use crate::db::{Db, Sql, timestamp};
use crate::domain::challenges::{
    ChallengeMode, DailyTotal, Measure, Participant, TeamScore, ValidChallenge,
};
use crate::domain::ids::{CommunityId, UserId};

/// A stored challenge.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct ChallengeRecord {
    /// Its id.
    pub id: i64,
    /// Its community.
    pub community_id: CommunityId,
    /// Title.
    pub title: String,
    /// Sanitised description.
    pub description_html: String,
    /// What is summed.
    #[sqlx(try_from = "String")]
    pub measure: Measure,
    /// The target's unit.
    pub unit: String,
    /// Only this initiative's contributions count.
    pub initiative_id: Option<i64>,
    /// Only contributions towards this goal count.
    pub goal_id: Option<i64>,
    /// Target.
    pub target: f64,
    /// First day.
    #[sqlx(try_from = "crate::db::Day")]
    pub starts_on: NaiveDate,
    /// Last day.
    #[sqlx(try_from = "crate::db::Day")]
    pub ends_on: NaiveDate,
    /// Grace days.
    pub grace_days: i64,
    /// Daily cap per member.
    pub daily_cap: Option<f64>,
    /// Mode.
    #[sqlx(try_from = "String")]
    pub mode: ChallengeMode,
    /// Team scoring.
    #[sqlx(try_from = "String")]
    pub team_score: TeamScore,
    /// After this instant verifications no longer count.
    #[sqlx(try_from = "crate::db::Stamp")]
    pub closes_at: DateTime<Utc>,
    /// When the result was frozen.
    pub frozen_at: Option<String>,
    /// The frozen result (JSON).
    pub result: Option<String>,
    /// SHA-256 of `result`.
    pub result_hash: Option<String>,
    /// Who created it.
    pub created_by: UserId,
}

const COLUMNS: &str = "id, community_id, title, description_html, measure, unit, initiative_id,
    goal_id, target, starts_on, ends_on, grace_days, daily_cap, mode, team_score, closes_at,
    frozen_at, result, result_hash, created_by";

/// Stores a new challenge and its teams; returns its id.
pub async fn insert(
    db: impl Db<'_>,
    community: CommunityId,
    challenge: &ValidChallenge,
    unit: &str,
    description_html: &str,
    closes_at: DateTime<Utc>,
    creator: UserId,
) -> Sql<i64> {
    on_engine!(db, |db| {
        let sql = "INSERT INTO challenges (community_id, title, description_html, measure, unit,
             initiative_id, goal_id, target, starts_on, ends_on, grace_days, daily_cap, mode,
             team_score, closes_at, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
         RETURNING id";
        let id: i64 = one_value(
            &mut *db,
            sql,
            args![
                community,
                &challenge.title,
                description_html,
                challenge.measure.as_str(),
                unit,
                challenge.initiative_id,
                challenge.goal_id,
                challenge.target,
                challenge.starts_on.to_string(),
                challenge.ends_on.to_string(),
                challenge.grace_days,
                challenge.daily_cap,
                challenge.mode.as_str(),
                challenge.team_score.as_str(),
                timestamp(closes_at),
                creator
            ],
        )
        .await?;
        for name in &challenge.teams {
            let sql = "INSERT INTO challenge_teams (challenge_id, name) VALUES ($1, $2)";
            run(&mut *db, sql, args![id, name]).await?;
        }
        Ok(id)
    })
}

/// One challenge of a community.
pub async fn challenge(
    db: impl Db<'_>,
    community: CommunityId,
    id: i64,
) -> Sql<Option<ChallengeRecord>> {
    let sql = format!("SELECT {COLUMNS} FROM challenges WHERE community_id = $1 AND id = $2");
    optional_row(db, &sql, args![community, id]).await
}

/// A community's challenges, latest ending first (at most 100).
pub async fn list(db: impl Db<'_>, community: CommunityId) -> Sql<Vec<ChallengeRecord>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM challenges WHERE community_id = $1 ORDER BY ends_on DESC, id DESC
          LIMIT 100"
    );
    all_rows(db, &sql, args![community]).await
}

/// A community's challenges that are not over on `today` (running, upcoming or in grace).
pub async fn current(
    db: impl Db<'_>,
    community: CommunityId,
    now: DateTime<Utc>,
) -> Sql<Vec<ChallengeRecord>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM challenges
          WHERE community_id = $1 AND frozen_at IS NULL AND closes_at > $2
          ORDER BY starts_on, id LIMIT 20"
    );
    all_rows(db, &sql, args![community, timestamp(now)]).await
}

/// Every challenge not yet frozen, across communities (for milestones and freezing).
pub async fn unfrozen(db: impl Db<'_>) -> Sql<Vec<ChallengeRecord>> {
    let sql =
        format!("SELECT {COLUMNS} FROM challenges WHERE frozen_at IS NULL ORDER BY id LIMIT 1000");
    all_rows(db, &sql, args![]).await
}

/// A challenge's teams: (id, name), in the order they were listed.
pub async fn teams(db: impl Db<'_>, challenge: i64) -> Sql<Vec<(i64, String)>> {
    let sql = "SELECT id, name FROM challenge_teams WHERE challenge_id = $1 ORDER BY id";
    all_rows(db, sql, args![challenge]).await
}

/// Everyone taking part.
pub async fn participants(db: impl Db<'_>, challenge: i64) -> Sql<Vec<Participant>> {
    let sql = "SELECT p.user_id, u.handle, u.display_name, p.team_id, p.on_board
           FROM challenge_participants p JOIN users u ON u.id = p.user_id
          WHERE p.challenge_id = $1 ORDER BY p.joined_at, p.user_id";
    all_rows(db, sql, args![challenge]).await
}

/// Whether `user` takes part, and on which team.
pub async fn participation(
    db: impl Db<'_>,
    challenge: i64,
    user: UserId,
) -> Sql<Option<(Option<i64>, bool)>> {
    let sql = "SELECT team_id, on_board FROM challenge_participants
          WHERE challenge_id = $1 AND user_id = $2";
    optional_row(db, sql, args![challenge, user]).await
}

/// Adds `user` as a participant (on `team` in teams mode). False if they already were.
pub async fn join(db: impl Db<'_>, challenge: i64, user: UserId, team: Option<i64>) -> Sql<bool> {
    let sql =
        "INSERT INTO challenge_participants (challenge_id, user_id, team_id) VALUES ($1, $2, $3)
         ON CONFLICT (challenge_id, user_id) DO NOTHING";
    let result = run(db, sql, args![challenge, user, team]).await?;
    Ok(result == 1)
}

/// Shows or hides a participant on the individual board. False if they do not take part.
pub async fn set_on_board(db: impl Db<'_>, challenge: i64, user: UserId, on: bool) -> Sql<bool> {
    let sql =
        "UPDATE challenge_participants SET on_board = $1 WHERE challenge_id = $2 AND user_id = $3";
    let result = run(db, sql, args![on, challenge, user]).await?;
    Ok(result == 1)
}

/// Verified contributions that count for `challenge`, summed per member per day: done
/// within its window, verified before it closed, to its initiative and goal if it names them.
pub async fn daily_totals(db: impl Db<'_>, challenge: &ChallengeRecord) -> Sql<Vec<DailyTotal>> {
    let sql = "SELECT author_id AS user_id, done_on,
                COALESCE(SUM(hours), 0.0) AS hours,
                COALESCE(SUM(quantity), 0.0) AS quantity,
                COUNT(*) AS contributions
           FROM contributions
          WHERE community_id = $1 AND status = 'verified'
            AND done_on >= $2 AND done_on <= $3 AND verified_at <= $4
            AND ($5 IS NULL OR initiative_id = $5) AND ($6 IS NULL OR goal_id = $6)
          GROUP BY author_id, done_on";
    all_rows(
        db,
        sql,
        args![
            challenge.community_id,
            challenge.starts_on.to_string(),
            challenge.ends_on.to_string(),
            timestamp(challenge.closes_at),
            challenge.initiative_id,
            challenge.goal_id
        ],
    )
    .await
}

/// Stores the frozen result once. False if it was already frozen.
pub async fn freeze(
    db: impl Db<'_>,
    challenge: i64,
    result: &str,
    hash: &str,
    at: DateTime<Utc>,
) -> Sql<bool> {
    let sql = "UPDATE challenges SET result = $1, result_hash = $2, frozen_at = $3
          WHERE id = $4 AND frozen_at IS NULL";
    let done = run(db, sql, args![result, hash, timestamp(at), challenge]).await?;
    Ok(done == 1)
}

/// Records that `user` was told about `milestone`. False if they already were.
pub async fn mark_notice(
    db: impl Db<'_>,
    challenge: i64,
    user: UserId,
    milestone: &str,
) -> Sql<bool> {
    let sql = "INSERT INTO challenge_notices (challenge_id, user_id, milestone) VALUES ($1, $2, $3)
         ON CONFLICT DO NOTHING";
    let done = run(db, sql, args![challenge, user, milestone]).await?;
    Ok(done == 1)
}

/// A community's slug (for links in notices).
pub async fn community_slug(db: impl Db<'_>, community: CommunityId) -> Sql<String> {
    let sql = "SELECT slug FROM communities WHERE id = $1";
    one_value(db, sql, args![community]).await
}
