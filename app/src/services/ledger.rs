//! The contribution ledger: append-only, each entry hash-chained to the previous
//! entry of its community, so any edit, removal or reordering is detectable.

use sha2::{Digest, Sha256};
use sqlx::{FromRow, SqliteConnection};

use crate::domain::ids::{CommunityId, UserId};

/// The `prev_hash` of a community's first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One ledger entry, as stored.
#[derive(Debug, Clone, PartialEq, FromRow)]
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
    /// The previous entry's hash (or [`GENESIS`]).
    pub prev_hash: String,
    /// This entry's hash.
    pub hash: String,
}

impl LedgerRecord {
    /// The SHA-256 (hex) of this entry's fields chained to `prev_hash`.
    pub fn compute_hash(&self) -> String {
        let canonical = serde_json::json!([
            self.prev_hash,
            self.community_id,
            self.kind,
            self.contribution_id,
            self.actor_id,
            self.description,
            self.done_on,
            self.quantity,
            self.hours,
            self.goal_id,
            self.initiative_id,
            self.evidence_url,
            self.note,
            self.created_at,
        ]);
        Sha256::digest(canonical.to_string().as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

/// What [`verify_chain`] found wrong, naming the first entry where the chain breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tamper {
    /// The entry (or contribution) where the problem shows.
    pub entry_id: i64,
    /// What is wrong.
    pub reason: String,
}

/// Checks one community's entries (in id order): each links to the one before
/// and hashes to what it says; and each contribution's current state (from the
/// `contributions` table, as `(id, status)`) matches the ledger's last word on it.
pub fn verify_chain(entries: &[LedgerRecord], states: &[(i64, String)]) -> Result<usize, Tamper> {
    let mut prev = GENESIS.to_owned();
    let mut last_state: std::collections::HashMap<i64, String> = std::collections::HashMap::new();
    for entry in entries {
        if entry.prev_hash != prev {
            return Err(Tamper {
                entry_id: entry.id,
                reason: "does not follow the entry before it".into(),
            });
        }
        if entry.compute_hash() != entry.hash {
            return Err(Tamper {
                entry_id: entry.id,
                reason: "its contents were changed".into(),
            });
        }
        let contribution = if entry.kind == "reported" {
            entry.id
        } else {
            entry.contribution_id.unwrap_or(-1)
        };
        last_state.insert(contribution, entry.kind.clone());
        prev = entry.hash.clone();
    }
    for (id, status) in states {
        match last_state.get(id) {
            Some(kind) if kind == status => {}
            Some(kind) => {
                return Err(Tamper {
                    entry_id: *id,
                    reason: format!("state {status} but the ledger says {kind}"),
                });
            }
            None => {
                return Err(Tamper {
                    entry_id: *id,
                    reason: "missing from the ledger".into(),
                });
            }
        }
    }
    if last_state.len() != states.len() {
        let known: std::collections::HashSet<i64> = states.iter().map(|(id, _)| *id).collect();
        let orphan = last_state
            .keys()
            .find(|id| !known.contains(id))
            .copied()
            .unwrap_or(-1);
        return Err(Tamper {
            entry_id: orphan,
            reason: "in the ledger but not among contributions".into(),
        });
    }
    Ok(entries.len())
}

/// A new entry's fields (everything but id and hashes).
#[derive(Debug, Clone, Default)]
pub struct NewEntry {
    /// Kind.
    pub kind: &'static str,
    /// Reported entry it changes.
    pub contribution_id: Option<i64>,
    /// Writer.
    pub actor_id: i64,
    /// Description.
    pub description: String,
    /// Date done.
    pub done_on: String,
    /// Quantity.
    pub quantity: Option<f64>,
    /// Hours.
    pub hours: Option<f64>,
    /// Goal.
    pub goal_id: Option<i64>,
    /// Initiative.
    pub initiative_id: Option<i64>,
    /// Evidence.
    pub evidence_url: String,
    /// Note or reason.
    pub note: String,
}

/// Appends an entry to `community`'s chain (call inside a `BEGIN IMMEDIATE` transaction).
pub async fn append(
    db: &mut SqliteConnection,
    community: CommunityId,
    entry: NewEntry,
) -> Result<i64, sqlx::Error> {
    let prev: Option<String> = sqlx::query_scalar(
        "SELECT hash FROM ledger_entries WHERE community_id = ? ORDER BY id DESC LIMIT 1",
    )
    .bind(community)
    .fetch_optional(&mut *db)
    .await?;
    let next_id: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) + 1 FROM ledger_entries")
        .fetch_one(&mut *db)
        .await?;
    let mut record = LedgerRecord {
        id: next_id,
        community_id: community.0,
        kind: entry.kind.to_owned(),
        contribution_id: entry.contribution_id,
        actor_id: entry.actor_id,
        description: entry.description,
        done_on: entry.done_on,
        quantity: entry.quantity,
        hours: entry.hours,
        goal_id: entry.goal_id,
        initiative_id: entry.initiative_id,
        evidence_url: entry.evidence_url,
        note: entry.note,
        created_at: crate::db::timestamp(chrono::Utc::now()),
        prev_hash: prev.unwrap_or_else(|| GENESIS.to_owned()),
        hash: String::new(),
    };
    record.hash = record.compute_hash();
    sqlx::query(
        "INSERT INTO ledger_entries (id, community_id, kind, contribution_id, actor_id, description, done_on, quantity,
            hours, goal_id, initiative_id, evidence_url, note, created_at, prev_hash, hash)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(record.id)
    .bind(record.community_id)
    .bind(&record.kind)
    .bind(record.contribution_id)
    .bind(record.actor_id)
    .bind(&record.description)
    .bind(&record.done_on)
    .bind(record.quantity)
    .bind(record.hours)
    .bind(record.goal_id)
    .bind(record.initiative_id)
    .bind(&record.evidence_url)
    .bind(&record.note)
    .bind(&record.created_at)
    .bind(&record.prev_hash)
    .bind(&record.hash)
    .execute(&mut *db)
    .await?;
    Ok(record.id)
}

/// Verifies every community's chain in the database. Returns (community id, entries checked) or the first tamper.
pub async fn verify_database(pool: &sqlx::SqlitePool) -> Result<Vec<(i64, usize)>, (i64, Tamper)> {
    let communities: Vec<i64> = sqlx::query_scalar("SELECT id FROM communities ORDER BY id")
        .fetch_all(pool)
        .await
        .map_err(|e| {
            (
                0,
                Tamper {
                    entry_id: 0,
                    reason: format!("could not read communities: {e}"),
                },
            )
        })?;
    let mut checked = Vec::new();
    for community in communities {
        let read = |e: sqlx::Error| {
            (
                community,
                Tamper {
                    entry_id: 0,
                    reason: format!("could not read: {e}"),
                },
            )
        };
        let entries: Vec<LedgerRecord> =
            sqlx::query_as("SELECT * FROM ledger_entries WHERE community_id = ? ORDER BY id")
                .bind(community)
                .fetch_all(pool)
                .await
                .map_err(read)?;
        let states: Vec<(i64, String)> = sqlx::query_as(
            "SELECT id, status FROM contributions WHERE community_id = ? ORDER BY id",
        )
        .bind(community)
        .fetch_all(pool)
        .await
        .map_err(read)?;
        let count = verify_chain(&entries, &states).map_err(|t| (community, t))?;
        checked.push((community, count));
    }
    Ok(checked)
}

/// The id of the user an entry names as actor.
pub fn actor(user: UserId) -> i64 {
    user.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Builds a valid chain from a script of (kind selector, target selector) steps.
    fn build(script: &[(u8, usize, u32)]) -> (Vec<LedgerRecord>, Vec<(i64, String)>) {
        let mut entries: Vec<LedgerRecord> = Vec::new();
        let mut state: Vec<(i64, String)> = Vec::new();
        let mut prev = GENESIS.to_owned();
        for (i, (kind, target, amount)) in script.iter().enumerate() {
            let id = i as i64 + 1;
            let open: Vec<usize> = state
                .iter()
                .enumerate()
                .filter(|(_, (_, s))| s == "reported")
                .map(|(i, _)| i)
                .collect();
            let (kind, contribution) = if *kind % 3 == 0 || open.is_empty() {
                ("reported", None)
            } else {
                let which = open[target % open.len()];
                (
                    ["verified", "declined", "withdrawn"][(*kind as usize) % 3],
                    Some(which),
                )
            };
            let mut record = LedgerRecord {
                id,
                community_id: 1,
                kind: kind.to_owned(),
                contribution_id: contribution.map(|c| state[c].0),
                actor_id: 1 + (*amount as i64 % 5),
                description: if kind == "reported" {
                    format!("work {id}")
                } else {
                    String::new()
                },
                done_on: "2026-11-01".into(),
                quantity: (kind == "reported").then_some(f64::from(*amount) / 4.0),
                hours: None,
                goal_id: Some(1),
                initiative_id: None,
                evidence_url: String::new(),
                note: String::new(),
                created_at: format!("2026-11-01T00:00:{:02}.000Z", i % 60),
                prev_hash: prev.clone(),
                hash: String::new(),
            };
            record.hash = record.compute_hash();
            prev = record.hash.clone();
            match contribution {
                None => state.push((id, "reported".into())),
                Some(c) => state[c].1 = kind.to_owned(),
            }
            entries.push(record);
        }
        (entries, state)
    }

    fn script() -> impl Strategy<Value = Vec<(u8, usize, u32)>> {
        prop::collection::vec((any::<u8>(), any::<usize>(), 1u32..10_000), 2..40)
    }

    proptest! {
        #[test]
        fn an_untouched_ledger_verifies(s in script()) {
            let (entries, states) = build(&s);
            prop_assert_eq!(verify_chain(&entries, &states), Ok(entries.len()));
        }

        #[test]
        fn any_edited_entry_is_found((s, pick, delta) in (script(), any::<usize>(), 1u32..1000)) {
            let (mut entries, states) = build(&s);
            let i = pick % entries.len();
            match delta % 4 {
                0 => entries[i].description.push('!'),
                1 => entries[i].quantity = Some(entries[i].quantity.unwrap_or(0.0) + f64::from(delta)),
                2 => entries[i].actor_id += 1,
                _ => entries[i].created_at = "2030-01-01T00:00:00.000Z".into(),
            }
            prop_assert!(verify_chain(&entries, &states).is_err());
        }

        #[test]
        fn any_removed_entry_is_found((s, pick) in (script(), any::<usize>())) {
            let (mut entries, states) = build(&s);
            let i = pick % entries.len();
            entries.remove(i);
            prop_assert!(verify_chain(&entries, &states).is_err());
        }

        #[test]
        fn any_reordering_is_found((s, a, b) in (script(), any::<usize>(), any::<usize>())) {
            let (mut entries, states) = build(&s);
            let (i, j) = (a % entries.len(), b % entries.len());
            prop_assume!(i != j);
            entries.swap(i, j);
            prop_assert!(verify_chain(&entries, &states).is_err());
        }

        #[test]
        fn a_rehashed_edit_is_still_found((s, pick) in (script(), any::<usize>())) {
            // A forger who edits an entry and recomputes its hash breaks the next link.
            let (mut entries, states) = build(&s);
            let i = pick % (entries.len() - 1);
            entries[i].note = "forged".into();
            entries[i].hash = entries[i].compute_hash();
            prop_assert!(verify_chain(&entries, &states).is_err());
        }
    }
}
