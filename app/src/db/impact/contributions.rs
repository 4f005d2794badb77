//! Contributions' current state (the ledger holds their history) and the lists of them.

use crate::db::statement::{Statement, all_rows, args, one_row, one_value, optional_row, run};
use crate::db::{Db, Sql};
use crate::domain::ids::{CommunityId, UserId};
use crate::domain::impact::{ContributionEntry, ContributionFacts, ContributionStatus};

/// Records a contribution's current state row as `status` (reported, or verified at once
/// when its author's word is enough), in the ledger's transaction.
pub async fn insert_contribution(
    db: impl Db<'_>,
    id: i64,
    community: CommunityId,
    author: UserId,
    facts: &ContributionFacts,
    status: ContributionStatus,
) -> Sql<()> {
    let insert = contribution_insert(id, community, author, facts, status);
    run(db, insert.sql, &insert.args).await?;
    Ok(())
}

/// The statement [`insert_contribution`] runs, for a batch with the ledger's entries.
pub fn contribution_insert(
    id: i64,
    community: CommunityId,
    author: UserId,
    facts: &ContributionFacts,
    status: ContributionStatus,
) -> Statement<'static> {
    let verified_at =
        (status == ContributionStatus::Verified).then(|| crate::db::timestamp(chrono::Utc::now()));
    let sql = "INSERT INTO contributions (id, community_id, author_id, goal_id, initiative_id, quantity, hours, done_on,
             status, verified_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";
    Statement::new(
        sql,
        args![
            id,
            community,
            author,
            facts.goal_id,
            facts.initiative_id,
            facts.quantity,
            facts.hours,
            facts.done_on.to_string(),
            status.as_str(),
            verified_at
        ],
    )
}

/// What logging a contribution reads before it writes, in one statement (each statement
/// is a round trip for the writer, which every queued write waits behind).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LogContext {
    /// Whether the contribution's goal is a goal of the community.
    pub goal_found: bool,
    /// The status of its initiative there (None when it is not one of the community's).
    pub initiative_status: Option<String>,
    /// The hash of the community's last ledger entry (None before the first).
    pub last_hash: Option<String>,
    /// The id the next ledger entry gets.
    pub next_id: i64,
}

/// [`link_targets`] and the community's ledger tip (`db::ledger::tip`) together.
pub async fn log_context(
    db: impl Db<'_>,
    community: CommunityId,
    goal: Option<i64>,
    initiative: Option<i64>,
) -> Sql<LogContext> {
    let sql = "SELECT EXISTS(SELECT 1 FROM goals WHERE id = $1 AND community_id = $3) AS goal_found,
                (SELECT status FROM initiatives WHERE id = $2 AND community_id = $3) AS initiative_status,
                (SELECT hash FROM ledger_entries WHERE community_id = $3 ORDER BY id DESC LIMIT 1) AS last_hash,
                (SELECT COALESCE(MAX(id), 0) + 1 FROM ledger_entries) AS next_id";
    one_row(db, sql, args![goal, initiative, community]).await
}

/// What a new contribution links to, read in one statement: whether `goal` is a goal of
/// `community`, and the status of `initiative` there (None when it is not one of its).
pub async fn link_targets(
    db: impl Db<'_>,
    community: CommunityId,
    goal: Option<i64>,
    initiative: Option<i64>,
) -> Sql<(bool, Option<String>)> {
    let sql = "SELECT EXISTS(SELECT 1 FROM goals WHERE id = $1 AND community_id = $3),
                (SELECT status FROM initiatives WHERE id = $2 AND community_id = $3)";
    one_row(db, sql, args![goal, initiative, community]).await
}

/// Who a contribution concerns, for permission checks.
#[derive(Debug, Clone, Copy, sqlx::FromRow)]
pub struct Parties {
    /// Who reported it.
    pub author: UserId,
    /// The owner of the initiative it serves, if any (they may verify it).
    pub initiative_owner: Option<UserId>,
}

/// Who contribution `id` of `community` concerns, if it exists there.
pub async fn parties(db: impl Db<'_>, community: CommunityId, id: i64) -> Sql<Option<Parties>> {
    let sql = "SELECT c.author_id AS author, i.owner_id AS initiative_owner FROM contributions c
           LEFT JOIN initiatives i ON i.id = c.initiative_id
          WHERE c.id = $1 AND c.community_id = $2";
    optional_row(db, sql, args![id, community]).await
}

/// Moves a reported contribution to `status`; false if it was no longer reported.
pub async fn set_status(db: impl Db<'_>, id: i64, status: ContributionStatus) -> Sql<bool> {
    let sql = "UPDATE contributions SET status = $1,
                verified_at = CASE WHEN $1 = 'verified' THEN $3 END
          WHERE id = $2 AND status = 'reported'";
    let result = run(db, sql, args![status.as_str(), id, crate::db::now()]).await?;
    Ok(result == 1)
}

const ENTRY_SELECT: &str = "SELECT c.id, k.slug AS community_slug, k.name AS community_name, u.handle AS author,
        l.description, c.done_on, c.quantity, g.unit, c.hours, g.title AS goal, i.title AS initiative,
        l.evidence_url, l.note, c.status
   FROM contributions c
   JOIN ledger_entries l ON l.id = c.id
   JOIN communities k ON k.id = c.community_id
   JOIN users u ON u.id = c.author_id
   LEFT JOIN goals g ON g.id = c.goal_id
   LEFT JOIN initiatives i ON i.id = c.initiative_id";

/// Reported contributions waiting for `verifier`: all of them for leaders, else
/// those of initiatives `verifier` owns. Oldest first. Mentoring sessions are left out:
/// the other person of the mentorship verifies them on the mentoring page.
pub async fn queue(
    db: impl Db<'_>,
    community: CommunityId,
    verifier: UserId,
    leader: bool,
) -> Sql<Vec<ContributionEntry>> {
    let sql = format!(
        "{ENTRY_SELECT} WHERE c.community_id = $1 AND c.status = 'reported' AND ($3 OR i.owner_id = $2)
            AND NOT EXISTS (SELECT 1 FROM mentoring_sessions s WHERE s.contribution_id = c.id)
          ORDER BY c.id LIMIT 200"
    );
    all_rows(db, &sql, args![community, verifier, leader]).await
}

/// How many contributions wait for `verifier`.
pub async fn queue_count(
    db: impl Db<'_>,
    community: CommunityId,
    verifier: UserId,
    leader: bool,
) -> Sql<i64> {
    let sql =
        "SELECT COUNT(*) FROM contributions c LEFT JOIN initiatives i ON i.id = c.initiative_id
          WHERE c.community_id = $1 AND c.status = 'reported' AND ($3 OR i.owner_id = $2)
            AND NOT EXISTS (SELECT 1 FROM mentoring_sessions s WHERE s.contribution_id = c.id)";
    one_value(db, sql, args![community, verifier, leader]).await
}

/// A person's contributions, newest first: verified only unless `all`; limited to
/// communities `viewer` may see (public ones, or ones the viewer belongs to).
pub async fn by_author(
    db: impl Db<'_>,
    author: UserId,
    viewer: Option<UserId>,
    all: bool,
) -> Sql<Vec<ContributionEntry>> {
    let sql = format!(
        "{ENTRY_SELECT} WHERE c.author_id = $1 AND ($3 OR c.status = 'verified')
            AND (k.visibility = 'public' OR EXISTS(SELECT 1 FROM memberships v
                  WHERE v.community_id = k.id AND v.user_id = $2 AND v.status = 'active'))
          ORDER BY c.done_on DESC, c.id DESC LIMIT 5000"
    );
    all_rows(db, &sql, args![author, viewer, all]).await
}

/// A person's contributions still waiting for verification in communities they belong
/// to, oldest first.
pub async fn awaiting_verification(
    db: impl Db<'_>,
    author: UserId,
    limit: i64,
) -> Sql<Vec<ContributionEntry>> {
    let sql = format!(
        "{ENTRY_SELECT} WHERE c.author_id = $1 AND c.status = 'reported'
            AND EXISTS(SELECT 1 FROM memberships m
                        WHERE m.community_id = k.id AND m.user_id = $1 AND m.status = 'active')
          ORDER BY c.id LIMIT $2"
    );
    all_rows(db, &sql, args![author, limit]).await
}

/// Every contribution of a community (for leaders' exports), oldest first.
pub async fn of_community(db: impl Db<'_>, community: CommunityId) -> Sql<Vec<ContributionEntry>> {
    let sql = format!("{ENTRY_SELECT} WHERE c.community_id = $1 ORDER BY c.id LIMIT 200000");
    all_rows(db, &sql, args![community]).await
}

/// The first verified contribution of a community, if any.
pub async fn first_verified(db: impl Db<'_>, community: CommunityId) -> Sql<Option<i64>> {
    let sql = "SELECT MIN(id) FROM contributions WHERE community_id = $1 AND status = 'verified'";
    one_value(db, sql, args![community]).await
}
