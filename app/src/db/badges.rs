//! Badges, their rules, awards, and the verified work rules read.

use crate::db::on_engine;
use crate::db::statement::{
    Arg, Statement, all_rows, all_values, args, batch, one_value, optional_row, optional_value, run,
};
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::FromRow;

use crate::db::{Db, Sql, timestamp};
use crate::domain::badges::{
    AwardEntry, BadgeIcon, BadgeMetric, BadgeRule, BadgeSummary, ValidBadge, VerifiedWork,
    WorkBounds, format_levels, parse_levels,
};
use crate::domain::ids::{CommunityId, UserId};

#[derive(FromRow)]
struct BadgeRow {
    id: i64,
    name: String,
    description: String,
    icon: String,
    criteria: String,
    metric: Option<String>,
    goal_id: Option<i64>,
    levels: String,
    window_days: Option<i64>,
    min_verifiers: i64,
    rule_version: i64,
    holders: i64,
}

impl BadgeRow {
    fn into_summary(self) -> BadgeSummary {
        let rule = self.metric.as_deref().and_then(BadgeMetric::parse).map(|metric| BadgeRule {
            metric,
            goal_id: self.goal_id,
            levels: parse_levels(&self.levels).unwrap_or_default(),
            window_days: self.window_days,
            min_verifiers: self.min_verifiers,
        });
        BadgeSummary {
            id: self.id,
            name: self.name,
            description: self.description,
            icon: BadgeIcon::parse(&self.icon).unwrap_or(BadgeIcon::Star),
            criteria: self.criteria,
            rule,
            rule_version: self.rule_version,
            holders: self.holders,
        }
    }
}

const BADGE_SELECT: &str = "SELECT b.id, b.name, b.description, b.icon, b.criteria, b.metric,
        b.goal_id, b.levels, b.window_days, b.min_verifiers, b.rule_version,
        (SELECT COUNT(DISTINCT a.user_id) FROM badge_awards a
          WHERE a.badge_id = b.id AND a.revoked_at IS NULL) AS holders
   FROM badges b";

/// A badge's stored fields, in the order `insert` and `update` bind them after their first
/// parameter: name, description, icon, criteria, kind, metric, goal, levels, window, minimum
/// verifiers.
fn badge_fields(badge: &ValidBadge) -> [Arg<'_>; 10] {
    let rule = badge.rule.as_ref();
    [
        Arg::from(&badge.name),
        Arg::from(&badge.description),
        Arg::from(badge.icon.as_str()),
        Arg::from(badge.criteria()),
        Arg::from(if rule.is_some() { "rule" } else { "manual" }),
        Arg::from(rule.map(|r| r.metric.as_str())),
        Arg::from(rule.and_then(|r| r.goal_id)),
        Arg::from(rule.map(|r| format_levels(&r.levels)).unwrap_or_default()),
        Arg::from(rule.and_then(|r| r.window_days)),
        Arg::from(rule.map_or(0, |r| r.min_verifiers)),
    ]
}

/// Stores a badge; returns its id.
pub async fn insert(
    db: impl Db<'_>,
    community: CommunityId,
    badge: &ValidBadge,
    creator: Option<UserId>,
) -> Sql<i64> {
    let sql = "INSERT INTO badges (community_id, name, description, icon, criteria, kind, metric,
             goal_id, levels, window_days, min_verifiers, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id";
    let args = [args![community], &badge_fields(badge), args![creator]].concat();
    one_value(db, sql, &args).await
}

/// Replaces a badge's fields; the rule version goes up when `rule_changed`.
pub async fn update(db: impl Db<'_>, id: i64, badge: &ValidBadge, rule_changed: bool) -> Sql<()> {
    let sql = "UPDATE badges SET name = $2, description = $3, icon = $4, criteria = $5, kind = $6,
                metric = $7, goal_id = $8, levels = $9, window_days = $10, min_verifiers = $11,
                rule_version = rule_version + $12
          WHERE id = $1";
    let args = [args![id], &badge_fields(badge), args![i64::from(rule_changed)]].concat();
    run(db, sql, &args).await?;
    Ok(())
}

/// A community's badges, by name.
pub async fn of_community(db: impl Db<'_>, community: CommunityId) -> Sql<Vec<BadgeSummary>> {
    on_engine!(db, |db| {
        let sql = format!("{BADGE_SELECT} WHERE b.community_id = $1 ORDER BY b.id");
        let rows: Vec<BadgeRow> = all_rows(db, &sql, args![community]).await?;
        Ok(rows.into_iter().map(BadgeRow::into_summary).collect())
    })
}

/// A community's rule badges, without their holder counts (what awarding reads).
pub async fn rule_badges(db: impl Db<'_>, community: CommunityId) -> Sql<Vec<BadgeSummary>> {
    let sql =
        "SELECT b.id, b.name, b.description, b.icon, b.criteria, b.metric, b.goal_id, b.levels,
                b.window_days, b.min_verifiers, b.rule_version, CAST(0 AS BIGINT) AS holders
           FROM badges b WHERE b.community_id = $1 AND b.metric IS NOT NULL ORDER BY b.id";
    let rows: Vec<BadgeRow> = all_rows(db, sql, args![community]).await?;
    Ok(rows.into_iter().map(BadgeRow::into_summary).collect())
}

/// One badge of a community.
pub async fn one(db: impl Db<'_>, community: CommunityId, id: i64) -> Sql<Option<BadgeSummary>> {
    on_engine!(db, |db| {
        let sql = format!("{BADGE_SELECT} WHERE b.community_id = $1 AND b.id = $2");
        let row: Option<BadgeRow> = optional_row(db, &sql, args![community, id]).await?;
        Ok(row.map(BadgeRow::into_summary))
    })
}

/// Whether a community already has a badge called `name` (other than `except`).
pub async fn name_taken(
    db: impl Db<'_>,
    community: CommunityId,
    name: &str,
    except: Option<i64>,
) -> Sql<bool> {
    let sql =
        "SELECT EXISTS(SELECT 1 FROM badges WHERE community_id = $1 AND lower(name) = lower($2)
                        AND ($3 IS NULL OR id != $3))";
    one_value(db, sql, args![community, name, except]).await
}

#[derive(FromRow)]
struct WorkRow {
    id: i64,
    #[sqlx(try_from = "crate::db::Day")]
    done_on: NaiveDate,
    verified_at: Option<String>,
    hours: Option<f64>,
    quantity: Option<f64>,
    goal_id: Option<i64>,
    verifier: Option<UserId>,
    attended_event: bool,
}

/// Which per-contribution details a read of verified work needs: each costs a lookup
/// per contribution, so awarding asks only for those its open rules read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WorkDetail {
    /// Who verified each (rules with a minimum of verifiers); without it the member
    /// counts as their own verifier.
    pub verifiers: bool,
    /// Whether each came from an event's attendance (the events-attended metric).
    pub attendance: bool,
}

impl WorkDetail {
    /// Every detail (recomputation).
    pub const ALL: WorkDetail = WorkDetail { verifiers: true, attendance: true };
}

/// `user`'s verified contributions in `community`, with the `detail` asked for.
pub async fn verified_work(
    db: impl Db<'_>,
    community: CommunityId,
    user: UserId,
    detail: WorkDetail,
) -> Sql<Vec<VerifiedWork>> {
    let sql = "SELECT c.id, c.done_on, c.verified_at, c.hours, c.quantity, c.goal_id,
                CASE WHEN $3 THEN
                    (SELECT l.actor_id FROM ledger_entries l
                      WHERE l.contribution_id = c.id AND l.kind = 'verified'
                      ORDER BY l.id LIMIT 1)
                END AS verifier,
                CASE WHEN $4 THEN
                    EXISTS(SELECT 1 FROM event_attendance a WHERE a.contribution_id = c.id)
                ELSE FALSE END AS attended_event
           FROM contributions c
          WHERE c.community_id = $1 AND c.author_id = $2 AND c.status = 'verified'
          ORDER BY c.id";
    let rows: Vec<WorkRow> =
        all_rows(db, sql, args![community, user, detail.verifiers, detail.attendance]).await?;
    Ok(rows
        .into_iter()
        .map(|row| VerifiedWork {
            id: row.id,
            done_on: row.done_on,
            verified_on: row
                .verified_at
                .as_deref()
                .and_then(|at| at.get(..10))
                .and_then(|day| NaiveDate::parse_from_str(day, "%Y-%m-%d").ok())
                .unwrap_or(row.done_on),
            hours: row.hours.unwrap_or(0.0),
            quantity: row.quantity.unwrap_or(0.0),
            goal_id: row.goal_id,
            verifier: row.verifier.unwrap_or(user),
            attended_event: row.attended_event,
        })
        .collect())
}

/// What awarding after a write needs, read in one statement: the community's rule
/// badges with the levels `user` holds or held, and the bounds of `user`'s verified work.
pub struct AwardInputs {
    /// Each rule badge with the levels held (revoked ones included: a revoked level is
    /// not given again automatically), in badge order.
    pub badges: Vec<(BadgeSummary, Vec<i64>)>,
    /// Upper bounds on every ledger metric of the member's verified work.
    pub bounds: WorkBounds,
}

/// One row of [`award_inputs`]: a rule badge with one held level (`goal_key` is NULL), or
/// one day of the member's tally of verified work (the badge columns are placeholders).
#[derive(FromRow)]
struct AwardInputRow {
    #[sqlx(flatten)]
    badge: BadgeRow,
    held_level: Option<i64>,
    goal_key: Option<i64>,
    #[sqlx(try_from = "crate::db::MaybeDay")]
    done_on: Option<NaiveDate>,
    contributions: Option<i64>,
    hours: Option<f64>,
    quantity: Option<f64>,
}

/// The rule badges of `community` with the levels `user` holds, and the bounds of `user`'s
/// verified work there, in one statement (one round trip inside a write). The bounds come
/// from the tally of verified work by goal and day (`member_work_days`, kept by triggers
/// on `contributions`): one row per goal and day, however many contributions each holds.
pub async fn award_inputs(
    db: impl Db<'_>,
    community: CommunityId,
    user: UserId,
) -> Sql<AwardInputs> {
    Ok(AwardInputs::from_rows(all_rows(db, AWARD_INPUTS, args![community, user]).await?))
}

/// Runs `writes` and then reads [`award_inputs`] (what the writes changed included), as one
/// [`batch`]: on SQLite one round trip for the writer instead of one per statement.
pub async fn award_inputs_after(
    db: impl Db<'_>,
    writes: &[Statement<'_>],
    community: CommunityId,
    user: UserId,
) -> Sql<AwardInputs> {
    let mut statements = writes.to_vec();
    statements.push(Statement::new(AWARD_INPUTS, args![community, user]));
    Ok(AwardInputs::from_rows(batch(db, &statements).await?))
}

/// [`award_inputs`]' statement: the rule badges with a row per level held, then the
/// member's tally by goal and day, with the other half's columns as placeholders.
const AWARD_INPUTS: &str = "SELECT b.id AS id, b.name, b.description, b.icon, b.criteria, b.metric, b.goal_id,
                b.levels, b.window_days, b.min_verifiers, b.rule_version,
                CAST(0 AS BIGINT) AS holders, a.level AS held_level, CAST(NULL AS BIGINT) AS goal_key, NULL AS done_on,
                CAST(NULL AS BIGINT) AS contributions, CAST(NULL AS DOUBLE PRECISION) AS hours,
                CAST(NULL AS DOUBLE PRECISION) AS quantity
           FROM badges b
           LEFT JOIN badge_awards a ON a.badge_id = b.id AND a.user_id = $2
          WHERE b.community_id = $1 AND b.metric IS NOT NULL
          UNION ALL
         SELECT 0, '', '', '', '', NULL, NULL, '', NULL, 0, 0, 0, NULL,
                goal_key, done_on, contributions, hours, quantity
           FROM member_work_days
          WHERE user_id = $2 AND community_id = $1
          ORDER BY id, held_level";

impl AwardInputs {
    /// The inputs from [`AWARD_INPUTS`]' rows.
    fn from_rows(rows: Vec<AwardInputRow>) -> AwardInputs {
        let mut badges: Vec<(BadgeSummary, Vec<i64>)> = Vec::new();
        let mut days = Vec::new();
        for row in rows {
            if let (Some(goal_key), Some(day)) = (row.goal_key, row.done_on) {
                // 0 stands for work towards no goal (goal ids start at 1).
                let goal = (goal_key != 0).then_some(goal_key);
                let count = row.contributions.unwrap_or(0) as f64;
                days.push((
                    goal,
                    day,
                    count,
                    row.hours.unwrap_or(0.0),
                    row.quantity.unwrap_or(0.0),
                ));
                continue;
            }
            let held = row.held_level;
            match badges.last_mut() {
                Some((badge, levels)) if badge.id == row.badge.id => levels.extend(held),
                _ => badges.push((row.badge.into_summary(), held.into_iter().collect())),
            }
        }
        AwardInputs { badges, bounds: WorkBounds::from_groups(&days) }
    }
}

/// Approved initiatives `user` leads in `community`.
pub async fn initiatives_led(db: impl Db<'_>, community: CommunityId, user: UserId) -> Sql<i64> {
    let sql = "SELECT COUNT(*) FROM initiatives WHERE community_id = $1 AND owner_id = $2 AND status = 'approved'";
    one_value(db, sql, args![community, user]).await
}

/// Levels of `badge` `user` holds or held (revoked ones included: a revoked level is not
/// given again automatically).
pub async fn levels_held(db: impl Db<'_>, badge: i64, user: UserId) -> Sql<Vec<i64>> {
    let sql = "SELECT level FROM badge_awards WHERE badge_id = $1 AND user_id = $2";
    all_values(db, sql, args![badge, user]).await
}

/// A new award.
pub struct NewAward<'a> {
    /// The badge.
    pub badge: i64,
    /// The holder.
    pub user: UserId,
    /// Level.
    pub level: i64,
    /// Threshold reached (rule badges).
    pub threshold: Option<f64>,
    /// The rule version.
    pub rule_version: i64,
    /// Who gave it by hand.
    pub awarded_by: Option<UserId>,
    /// Why (by hand).
    pub reason: &'a str,
    /// Contributions that took them there.
    pub evidence: &'a [i64],
    /// When.
    pub at: DateTime<Utc>,
}

/// Stores an award; None when that level was already held.
pub async fn insert_award(db: impl Db<'_>, award: &NewAward<'_>) -> Sql<Option<i64>> {
    on_engine!(db, |db| {
        let evidence: Vec<String> = award.evidence.iter().take(100).map(i64::to_string).collect();
        let sql = "INSERT INTO badge_awards (badge_id, user_id, level, threshold, rule_version, awarded_by,
             reason, evidence, awarded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (badge_id, user_id, level) DO NOTHING RETURNING id";
        optional_value(
            db,
            sql,
            args![
                award.badge,
                award.user,
                award.level,
                award.threshold,
                award.rule_version,
                award.awarded_by,
                award.reason,
                evidence.join(","),
                timestamp(award.at)
            ],
        )
        .await
    })
}

const AWARD_SELECT: &str = "SELECT a.id, a.badge_id, b.name AS badge_name, b.icon, u.handle,
        u.display_name, a.level, a.threshold, a.rule_version, a.reason, a.awarded_at,
        a.revoked_at, a.revoke_reason
   FROM badge_awards a JOIN badges b ON b.id = a.badge_id JOIN users u ON u.id = a.user_id";

#[derive(FromRow)]
struct AwardRow {
    id: i64,
    badge_id: i64,
    badge_name: String,
    icon: String,
    handle: String,
    display_name: String,
    level: i64,
    threshold: Option<f64>,
    rule_version: i64,
    reason: String,
    #[sqlx(try_from = "crate::db::Stamp")]
    awarded_at: DateTime<Utc>,
    #[sqlx(try_from = "crate::db::MaybeStamp")]
    revoked_at: Option<DateTime<Utc>>,
    revoke_reason: String,
}

impl From<AwardRow> for AwardEntry {
    fn from(row: AwardRow) -> Self {
        AwardEntry {
            id: row.id,
            badge_id: row.badge_id,
            badge_name: row.badge_name,
            icon: BadgeIcon::parse(&row.icon).unwrap_or(BadgeIcon::Star),
            handle: row.handle,
            display_name: row.display_name,
            level: row.level,
            threshold: row.threshold,
            rule_version: row.rule_version,
            reason: row.reason,
            awarded_at: row.awarded_at,
            revoked_at: row.revoked_at,
            revoke_reason: row.revoke_reason,
        }
    }
}

/// A badge's awards, newest first.
pub async fn awards_of_badge(db: impl Db<'_>, badge: i64) -> Sql<Vec<AwardEntry>> {
    let sql = format!(
        "{AWARD_SELECT} WHERE a.badge_id = $1 ORDER BY a.awarded_at DESC, a.id DESC LIMIT 500"
    );
    let rows: Vec<AwardRow> = all_rows(db, &sql, args![badge]).await?;
    Ok(rows.into_iter().map(AwardEntry::from).collect())
}

/// `user`'s awards in `community`: the highest level of each badge first, then revoked ones.
pub async fn awards_of_user(
    db: impl Db<'_>,
    community: CommunityId,
    user: UserId,
) -> Sql<Vec<AwardEntry>> {
    let sql = format!(
        "{AWARD_SELECT} WHERE b.community_id = $1 AND a.user_id = $2
          ORDER BY a.revoked_at IS NOT NULL, b.id, a.level DESC"
    );
    let rows: Vec<AwardRow> = all_rows(db, &sql, args![community, user]).await?;
    Ok(rows.into_iter().map(AwardEntry::from).collect())
}

/// An award of a community's badge: (badge id, holder, revoked, share token).
pub async fn award_in(
    db: impl Db<'_>,
    community: CommunityId,
    award: i64,
) -> Sql<Option<(i64, UserId, bool)>> {
    let sql = "SELECT a.badge_id, a.user_id, a.revoked_at IS NOT NULL FROM badge_awards a
           JOIN badges b ON b.id = a.badge_id WHERE a.id = $1 AND b.community_id = $2";
    optional_row(db, sql, args![award, community]).await
}

/// Revokes an award with a reason; false when it already was.
pub async fn revoke(db: impl Db<'_>, award: i64, by: Option<UserId>, reason: &str) -> Sql<bool> {
    let sql = "UPDATE badge_awards SET revoked_at = $4,
                revoked_by = $2, revoke_reason = $3
          WHERE id = $1 AND revoked_at IS NULL";
    let done = run(db, sql, args![award, by, reason, crate::db::now()]).await?;
    Ok(done == 1)
}

/// Everyone who might hold a rule badge in `community`: active members and anyone with
/// verified work there.
pub async fn candidates(db: impl Db<'_>, community: CommunityId) -> Sql<Vec<UserId>> {
    let sql = "SELECT user_id FROM memberships WHERE community_id = $1 AND status = 'active'
         UNION SELECT author_id FROM contributions WHERE community_id = $1 AND status = 'verified'
         ORDER BY 1";
    all_values(db, sql, args![community]).await
}

/// Every community's id (for recomputing all of them).
pub async fn community_ids(db: impl Db<'_>) -> Sql<Vec<CommunityId>> {
    let sql = "SELECT id FROM communities ORDER BY id";
    all_values(db, sql, args![]).await
}

/// Rule awards of the badge's current rule version that are not revoked: (id, user, level).
pub async fn current_rule_awards(
    db: impl Db<'_>,
    badge: i64,
    version: i64,
) -> Sql<Vec<(i64, UserId, i64)>> {
    let sql = "SELECT id, user_id, level FROM badge_awards
          WHERE badge_id = $1 AND rule_version = $2 AND awarded_by IS NULL AND revoked_at IS NULL";
    all_rows(db, sql, args![badge, version]).await
}
