//! Kudos, their receivers, the budget they are counted against, and the boards on the
//! recognition page.

use crate::db::statement::{
    all_rows, all_values, args, one_value, optional_row, optional_value, run,
};
use crate::db::{Stamp, on_engine};
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::FromRow;

use crate::db::{Db, Sql, timestamp};
use crate::domain::ids::{CommunityId, UserId};
use crate::domain::recognition::{BoardRow, KudosEntry, PersonRef};

/// Kudos each member of `community` may give in 7 days.
pub async fn budget(db: impl Db<'_>, community: CommunityId) -> Sql<i64> {
    let sql = "SELECT kudos_weekly_budget FROM communities WHERE id = $1";
    one_value(db, sql, args![community]).await
}

/// Sets the weekly kudos budget.
pub async fn set_budget(db: impl Db<'_>, community: CommunityId, budget: i64) -> Sql<()> {
    let sql = "UPDATE communities SET kudos_weekly_budget = $1 WHERE id = $2";
    run(db, sql, args![budget, community]).await?;
    Ok(())
}

/// Kudos `giver` gave in `community` since `since` and did not take back.
pub async fn given_since(
    db: impl Db<'_>,
    community: CommunityId,
    giver: UserId,
    since: DateTime<Utc>,
) -> Sql<i64> {
    let sql = "SELECT COUNT(*) FROM kudos
          WHERE giver_id = $1 AND community_id = $2 AND created_at >= $3 AND retracted_at IS NULL";
    one_value(db, sql, args![giver, community, timestamp(since)]).await
}

/// A new kudos.
pub struct NewKudos<'a> {
    /// The community.
    pub community: CommunityId,
    /// The giver.
    pub giver: UserId,
    /// The cited value.
    pub value: &'a str,
    /// The message.
    pub message: &'a str,
    /// The cited contribution.
    pub contribution: Option<i64>,
    /// The thanked initiative team.
    pub initiative: Option<i64>,
    /// Receivers.
    pub receivers: &'a [UserId],
    /// When.
    pub at: DateTime<Utc>,
}

/// Stores a kudos and its receivers; returns its id.
pub async fn insert(db: impl Db<'_>, kudos: &NewKudos<'_>) -> Sql<i64> {
    on_engine!(db, |db| {
        let sql = "INSERT INTO kudos (community_id, giver_id, value_name, message, contribution_id,
             initiative_id, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id";
        let id: i64 = one_value(
            &mut *db,
            sql,
            args![
                kudos.community,
                kudos.giver,
                kudos.value,
                kudos.message,
                kudos.contribution,
                kudos.initiative,
                timestamp(kudos.at)
            ],
        )
        .await?;
        for receiver in kudos.receivers {
            let sql = "INSERT INTO kudos_receivers (kudos_id, user_id) VALUES ($1, $2)";
            run(&mut *db, sql, args![id, receiver]).await?;
        }
        Ok(id)
    })
}

/// Active members of `community` among `handles`: (handle, id); unknown handles are left out.
pub async fn members_by_handle(
    db: impl Db<'_>,
    community: CommunityId,
    handles: &[String],
) -> Sql<Vec<(String, UserId)>> {
    on_engine!(db, |db| {
        let mut found = Vec::new();
        for handle in handles {
            let sql = "SELECT u.id FROM users u JOIN memberships m ON m.user_id = u.id
              WHERE u.handle = $1 AND m.community_id = $2 AND m.status = 'active'";
            let row: Option<UserId> =
                optional_value(&mut *db, sql, args![handle, community]).await?;
            if let Some(id) = row {
                found.push((handle.clone(), id));
            }
        }
        Ok(found)
    })
}

/// An approved initiative's team: its lead and everyone with verified work on it who is
/// still an active member. None when `community` has no such approved initiative.
pub async fn team(
    db: impl Db<'_>,
    community: CommunityId,
    initiative: i64,
) -> Sql<Option<Vec<UserId>>> {
    on_engine!(db, |db| {
        let sql = "SELECT id FROM initiatives WHERE id = $1 AND community_id = $2 AND status = 'approved'";
        let approved: Option<i64> =
            optional_value(&mut *db, sql, args![initiative, community]).await?;
        if approved.is_none() {
            return Ok(None);
        }
        let sql = "SELECT t.user_id FROM (SELECT owner_id AS user_id FROM initiatives WHERE id = $1
                                UNION
                                SELECT author_id FROM contributions
                                 WHERE initiative_id = $1 AND status = 'verified') t
           JOIN memberships m ON m.user_id = t.user_id AND m.community_id = $2
          WHERE m.status = 'active' ORDER BY t.user_id";
        let members = all_values(&mut *db, sql, args![initiative, community]).await?;
        Ok(Some(members))
    })
}

/// The author of a contribution of `community` that is not declined or withdrawn.
pub async fn contribution_author(
    db: impl Db<'_>,
    community: CommunityId,
    contribution: i64,
) -> Sql<Option<UserId>> {
    let sql = "SELECT author_id FROM contributions
          WHERE id = $1 AND community_id = $2 AND status IN ('reported', 'verified')";
    optional_value(db, sql, args![contribution, community]).await
}

/// A kudos's giver, when it was given, and whether it is still shown.
pub async fn giver_of(
    db: impl Db<'_>,
    community: CommunityId,
    kudos: i64,
) -> Sql<Option<(UserId, DateTime<Utc>, bool)>> {
    let sql = "SELECT giver_id, created_at, (retracted_at IS NULL AND hidden_at IS NULL) AS shown
           FROM kudos WHERE id = $1 AND community_id = $2";
    let row: Option<(UserId, Stamp, bool)> = optional_row(db, sql, args![kudos, community]).await?;
    Ok(row.map(|(giver, at, shown)| (giver, at.0, shown)))
}

/// Receivers of a kudos.
pub async fn receivers_of(db: impl Db<'_>, kudos: i64) -> Sql<Vec<UserId>> {
    let sql = "SELECT user_id FROM kudos_receivers WHERE kudos_id = $1";
    all_values(db, sql, args![kudos]).await
}

/// Marks a kudos taken back; false when it already was.
pub async fn retract(db: impl Db<'_>, kudos: i64) -> Sql<bool> {
    let sql = "UPDATE kudos SET retracted_at = $2
          WHERE id = $1 AND retracted_at IS NULL";
    let done = run(db, sql, args![kudos, crate::db::now()]).await?;
    Ok(done == 1)
}

/// Hides a kudos (moderators), with the reason; false when it was not shown.
pub async fn hide(db: impl Db<'_>, kudos: i64, moderator: UserId, reason: &str) -> Sql<bool> {
    let sql = "UPDATE kudos SET hidden_at = $4, hidden_by = $2,
                hidden_reason = $3
          WHERE id = $1 AND hidden_at IS NULL AND retracted_at IS NULL";
    let done = run(db, sql, args![kudos, moderator, reason, crate::db::now()]).await?;
    Ok(done == 1)
}

/// Distinct people whose shown kudos to `user` in `community` were given since `since`
/// (all time when None).
pub async fn distinct_givers(
    db: impl Db<'_>,
    community: CommunityId,
    user: UserId,
    since: Option<DateTime<Utc>>,
) -> Sql<i64> {
    let sql =
        "SELECT COUNT(DISTINCT k.giver_id) FROM kudos k JOIN kudos_receivers r ON r.kudos_id = k.id
          WHERE r.user_id = $1 AND k.community_id = $2 AND k.retracted_at IS NULL
            AND k.hidden_at IS NULL AND ($3 IS NULL OR k.created_at >= $3)";
    one_value(db, sql, args![user, community, since.map(timestamp)]).await
}

#[derive(FromRow)]
struct KudosRow {
    id: i64,
    giver_id: UserId,
    giver_handle: String,
    giver_name: String,
    value_name: String,
    message: String,
    contribution_id: Option<i64>,
    contribution_text: Option<String>,
    initiative_id: Option<i64>,
    initiative_title: Option<String>,
    #[sqlx(try_from = "crate::db::Stamp")]
    created_at: DateTime<Utc>,
}

const KUDOS_SELECT: &str = "SELECT k.id, k.giver_id, g.handle AS giver_handle,
        g.display_name AS giver_name, k.value_name, k.message, k.contribution_id,
        (SELECT CASE WHEN l.description != '' THEN l.description
                     ELSE 'Contribution of ' || l.done_on END
           FROM ledger_entries l WHERE l.id = k.contribution_id) AS contribution_text,
        k.initiative_id, i.title AS initiative_title, k.created_at
   FROM kudos k JOIN users g ON g.id = k.giver_id
   LEFT JOIN initiatives i ON i.id = k.initiative_id";

/// Shown kudos of a community, newest first, optionally for one value, before an id.
pub async fn wall(
    db: impl Db<'_>,
    community: CommunityId,
    value: Option<&str>,
    before: Option<i64>,
    limit: i64,
) -> Sql<Vec<(KudosEntry, UserId)>> {
    on_engine!(db, |db| {
        let sql = format!(
            "{KUDOS_SELECT}
          WHERE k.community_id = $1 AND k.retracted_at IS NULL AND k.hidden_at IS NULL
            AND ($2 IS NULL OR k.value_name = $2) AND ($3 IS NULL OR k.id < $3)
          ORDER BY k.id DESC LIMIT $4"
        );
        let rows: Vec<KudosRow> =
            all_rows(&mut *db, &sql, args![community, value, before, limit]).await?;
        entries(db, rows).await
    })
}

/// Shown kudos `user` received in `community`, newest first: read from the receiver's own
/// rows (`kudos_receivers_by_user`), not by scanning the community's wall.
pub async fn received(
    db: impl Db<'_>,
    community: CommunityId,
    user: UserId,
    limit: i64,
) -> Sql<Vec<(KudosEntry, UserId)>> {
    on_engine!(db, |db| {
        let sql = format!(
            "{KUDOS_SELECT}
           JOIN kudos_receivers r ON r.kudos_id = k.id AND r.user_id = $2
          WHERE k.community_id = $1 AND k.retracted_at IS NULL AND k.hidden_at IS NULL
          ORDER BY k.id DESC LIMIT $3"
        );
        let rows: Vec<KudosRow> = all_rows(&mut *db, &sql, args![community, user, limit]).await?;
        entries(db, rows).await
    })
}

async fn entries(db: impl Db<'_>, rows: Vec<KudosRow>) -> Sql<Vec<(KudosEntry, UserId)>> {
    on_engine!(db, |db| {
        // Every receiver of the page's kudos in one query.
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let receivers: Vec<(i64, String, String)> = if ids.is_empty() {
            Vec::new()
        } else {
            let placeholders: Vec<String> = (1..=ids.len()).map(|n| format!("${n}")).collect();
            let sql = format!(
                "SELECT r.kudos_id, u.handle, u.display_name FROM kudos_receivers r
               JOIN users u ON u.id = r.user_id
              WHERE r.kudos_id IN ({}) ORDER BY r.kudos_id, u.display_name",
                placeholders.join(", ")
            );
            let mut query = sqlx::query_as(&sql);
            for id in &ids {
                query = query.bind(id);
            }
            query.fetch_all(&mut *db).await?
        };
        Ok(rows
            .into_iter()
            .map(|row| {
                let entry = KudosEntry {
                    id: row.id,
                    giver: PersonRef { handle: row.giver_handle, display_name: row.giver_name },
                    receivers: receivers
                        .iter()
                        .filter(|(kudos, ..)| *kudos == row.id)
                        .map(|(_, handle, display_name)| PersonRef {
                            handle: handle.clone(),
                            display_name: display_name.clone(),
                        })
                        .collect(),
                    value: row.value_name,
                    message: row.message,
                    contribution: row.contribution_id.zip(row.contribution_text),
                    initiative: row.initiative_id.zip(row.initiative_title),
                    created_at: row.created_at,
                    can_retract: false,
                };
                (entry, row.giver_id)
            })
            .collect())
    })
}

/// For each of `contributions`: distinct people who thanked its author citing it.
pub async fn thanks_for_contributions(
    db: impl Db<'_>,
    contributions: &[i64],
) -> Sql<Vec<(i64, i64)>> {
    on_engine!(db, |db| {
        let mut out = Vec::new();
        for id in contributions {
            let sql = "SELECT COUNT(DISTINCT giver_id) FROM kudos
              WHERE contribution_id = $1 AND retracted_at IS NULL AND hidden_at IS NULL";
            let givers: i64 = one_value(&mut *db, sql, args![id]).await?;
            if givers > 0 {
                out.push((*id, givers));
            }
        }
        Ok(out)
    })
}

/// Which of the recognition wall's three leaderboards a query ranks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Board {
    /// Approved initiatives by verified hours.
    Initiatives,
    /// Goals by the people who moved them ("who moved this goal"): amount is the verified
    /// quantity, people the distinct contributors.
    Goals,
    /// Members who opted in, by verified hours.
    People,
}

impl Board {
    /// The query answering (key, name, amount, people) for `$1` community since `$2`.
    /// Initiatives and goals are driven from the community's recent verified contributions
    /// (index `contributions_recent`), so a board reads only the window's rows, however
    /// long the ledger.
    fn sql(self) -> &'static str {
        match self {
            Board::Initiatives => {
                "SELECT CAST(i.id AS TEXT), i.title, COALESCE(SUM(c.hours), 0.0), COUNT(DISTINCT c.author_id)
                   FROM contributions c JOIN initiatives i ON i.id = c.initiative_id
                  WHERE c.community_id = $1 AND c.status = 'verified' AND c.done_on >= $2
                  GROUP BY i.id, i.title ORDER BY 3 DESC, 4 DESC, i.id LIMIT 10"
            }
            Board::Goals => {
                "SELECT CAST(g.id AS TEXT), g.title, COALESCE(SUM(c.quantity), 0.0), COUNT(DISTINCT c.author_id)
                   FROM contributions c JOIN goals g ON g.id = c.goal_id
                  WHERE c.community_id = $1 AND c.status = 'verified' AND c.done_on >= $2
                  GROUP BY g.id, g.title ORDER BY 4 DESC, 3 DESC, g.id LIMIT 10"
            }
            Board::People => {
                "SELECT u.handle, u.display_name, COALESCE(SUM(c.hours), 0.0), COUNT(c.id)
                   FROM memberships m JOIN users u ON u.id = m.user_id
                   JOIN contributions c ON c.author_id = m.user_id AND c.community_id = m.community_id
                  WHERE m.community_id = $1 AND m.status = 'active' AND m.on_leaderboard = TRUE
                    AND c.status = 'verified' AND c.done_on >= $2
                  GROUP BY u.id, u.handle, u.display_name ORDER BY 3 DESC, 4 DESC, u.handle LIMIT 20"
            }
        }
    }

    /// Where a row's key links to, in the community `slug`.
    fn link_prefix(self, slug: &str) -> String {
        match self {
            Board::Initiatives => format!("/c/{slug}/initiatives/"),
            Board::Goals => format!("/c/{slug}/goals/"),
            Board::People => "/u/".to_owned(),
        }
    }
}

/// The `board` of the community `slug` for verified contributions done since `since`.
pub async fn board(
    db: impl Db<'_>,
    community: CommunityId,
    slug: &str,
    board: Board,
    since: NaiveDate,
) -> Sql<Vec<BoardRow>> {
    let rows: Vec<(String, String, f64, i64)> =
        all_rows(db, board.sql(), args![community, since.to_string()]).await?;
    let link_prefix = board.link_prefix(slug);
    Ok(rows
        .into_iter()
        .map(|(key, name, amount, people)| BoardRow {
            name,
            link: format!("{link_prefix}{key}"),
            amount,
            people,
        })
        .collect())
}

/// Whether `user` appears on individual leaderboards (None: not an active member).
pub async fn on_leaderboard(
    db: impl Db<'_>,
    community: CommunityId,
    user: UserId,
) -> Sql<Option<bool>> {
    let sql = "SELECT on_leaderboard FROM memberships
          WHERE community_id = $1 AND user_id = $2 AND status = 'active'";
    optional_value(db, sql, args![community, user]).await
}

/// Shows or hides `user` on individual leaderboards.
pub async fn set_on_leaderboard(
    db: impl Db<'_>,
    community: CommunityId,
    user: UserId,
    shown: bool,
) -> Sql<()> {
    let sql = "UPDATE memberships SET on_leaderboard = $1 WHERE community_id = $2 AND user_id = $3";
    run(db, sql, args![shown, community, user]).await?;
    Ok(())
}
