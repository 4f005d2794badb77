//! The contribution ledger's table: an append-only, hash-chained list of entries per
//! community (the chain rules are in `services::ledger`).

use crate::db::statement::{Arg, Statement, all_rows, all_values, args, one_row, run};
use sqlx::FromRow;

use crate::db::{Db, Sql};
use crate::domain::ids::CommunityId;

/// One ledger entry, as stored.
#[derive(Debug, Clone, Default, PartialEq, FromRow)]
pub struct LedgerRecord {
    /// Its id (also its order).
    pub id: i64,
    /// Its community.
    pub community_id: i64,
    /// `reported`, `verified`, `declined` or `withdrawn`.
    pub kind: String,
    /// For state changes, the reported entry they change.
    pub contribution_id: Option<i64>,
    /// Who wrote it.
    pub actor_id: i64,
    /// What was done (reported entries).
    pub description: String,
    /// When it was done (reported entries).
    pub done_on: String,
    /// Quantity in the goal's unit.
    pub quantity: Option<f64>,
    /// Hours.
    pub hours: Option<f64>,
    /// Goal served.
    pub goal_id: Option<i64>,
    /// Initiative served.
    pub initiative_id: Option<i64>,
    /// Evidence link.
    pub evidence_url: String,
    /// A note, or a verifier's reason.
    pub note: String,
    /// When it was written.
    pub created_at: String,
    /// The previous entry's hash (or `GENESIS`).
    pub prev_hash: String,
    /// This entry's hash.
    pub hash: String,
}

/// Where `community`'s chain ends: the hash of its last entry (if it has any) and the id
/// the next entry gets (ids are the order of entries across communities). One statement.
pub async fn tip(db: impl Db<'_>, community: CommunityId) -> Sql<(Option<String>, i64)> {
    let sql =
        "SELECT (SELECT hash FROM ledger_entries WHERE community_id = $1 ORDER BY id DESC LIMIT 1),
                (SELECT COALESCE(MAX(id), 0) + 1 FROM ledger_entries)";
    one_row(db, sql, args![community]).await
}

/// The start of every insert: the columns, in the order [`record_args`] gives them (a
/// macro, so each statement's text is one literal, built at compile time).
macro_rules! insert_into {
    () => {
        "INSERT INTO ledger_entries (id, community_id, kind, contribution_id, actor_id,
            description, done_on, quantity, hours, goal_id, initiative_id, evidence_url, note,
            created_at, prev_hash, hash) VALUES "
    };
}

/// A record's sixteen columns as arguments, in [`insert_into!`]'s order.
fn record_args(record: &LedgerRecord) -> [Arg<'_>; 16] {
    [
        record.id.into(),
        record.community_id.into(),
        (&record.kind).into(),
        record.contribution_id.into(),
        record.actor_id.into(),
        (&record.description).into(),
        (&record.done_on).into(),
        record.quantity.into(),
        record.hours.into(),
        record.goal_id.into(),
        record.initiative_id.into(),
        (&record.evidence_url).into(),
        (&record.note).into(),
        (&record.created_at).into(),
        (&record.prev_hash).into(),
        (&record.hash).into(),
    ]
}

/// Stores a hashed entry.
pub async fn insert(db: impl Db<'_>, record: &LedgerRecord) -> Sql<()> {
    const SQL: &str = concat!(
        insert_into!(),
        "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)"
    );
    run(db, SQL, &record_args(record)).await?;
    Ok(())
}

/// The statement that stores two hashed entries, `first` then `second`, as one insert (a
/// report and its verification). `second` may refer to `first`: a statement's foreign
/// keys are checked once it has inserted every row, on both engines.
pub fn pair_insert<'a>(first: &'a LedgerRecord, second: &'a LedgerRecord) -> Statement<'a> {
    const SQL: &str = concat!(
        insert_into!(),
        "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16),
            ($17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29, $30, $31, $32)"
    );
    Statement::new(SQL, &[record_args(first), record_args(second)].concat())
}

/// Every community's id, for checking each chain.
pub async fn community_ids(db: impl Db<'_>) -> Sql<Vec<i64>> {
    let sql = "SELECT id FROM communities ORDER BY id";
    all_values(db, sql, args![]).await
}

/// A community's whole chain, in order.
pub async fn chain(db: impl Db<'_>, community: i64) -> Sql<Vec<LedgerRecord>> {
    let sql = "SELECT id, community_id, kind, contribution_id, actor_id, description, done_on,
                    quantity, hours, goal_id, initiative_id, evidence_url, note, created_at, prev_hash, hash
               FROM ledger_entries WHERE community_id = $1 ORDER BY id";
    all_rows(db, sql, args![community]).await
}

/// Each contribution's current state in a community: (id, status).
pub async fn contribution_states(db: impl Db<'_>, community: i64) -> Sql<Vec<(i64, String)>> {
    let sql = "SELECT id, status FROM contributions WHERE community_id = $1 ORDER BY id";
    all_rows(db, sql, args![community]).await
}
