//! The contribution ledger: append-only, each entry hash-chained to the previous
//! entry of its community, so any edit, removal or reordering is detectable.

use crate::db::{Conn, Pool};
use sha2::{Digest, Sha256};

use crate::db::ledger as store;
pub use crate::db::ledger::LedgerRecord;
use crate::domain::ids::{CommunityId, UserId};
use crate::domain::impact::{ContributionFacts, ContributionStatus};

/// The `prev_hash` of a community's first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

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
            return Err(Tamper { entry_id: entry.id, reason: "its contents were changed".into() });
        }
        let contribution =
            if entry.kind == "reported" { entry.id } else { entry.contribution_id.unwrap_or(-1) };
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
                return Err(Tamper { entry_id: *id, reason: "missing from the ledger".into() });
            }
        }
    }
    if last_state.len() != states.len() {
        let known: std::collections::HashSet<i64> = states.iter().map(|(id, _)| *id).collect();
        let orphan = last_state.keys().find(|id| !known.contains(id)).copied().unwrap_or(-1);
        return Err(Tamper {
            entry_id: orphan,
            reason: "in the ledger but not among contributions".into(),
        });
    }
    Ok(entries.len())
}

/// What a new ledger entry says.
#[derive(Debug, Clone, Copy)]
pub enum Entry<'a> {
    /// `actor` reports a contribution with these facts.
    Reported {
        /// Who reports it (its author).
        actor: UserId,
        /// What was done.
        facts: &'a ContributionFacts,
    },
    /// `actor` moves a reported contribution to `status` (verified, declined or
    /// withdrawn), with a note or reason.
    Decided {
        /// The reported entry it changes.
        contribution: i64,
        /// Its new state.
        status: ContributionStatus,
        /// Who decided.
        actor: UserId,
        /// Why (may be empty).
        note: &'a str,
    },
}

/// The end of one community's chain inside a write transaction: what the next entry
/// links to and the id it gets. [`Tip::append`] moves it on, so a write that adds
/// several entries (a report and its verification) reads it once.
#[derive(Debug, Clone)]
pub struct Tip {
    community: CommunityId,
    last_hash: String,
    next_id: i64,
}

impl Tip {
    /// Reads where `community`'s chain ends (inside the write transaction that appends).
    pub async fn of(db: &mut Conn<'_>, community: CommunityId) -> Result<Tip, sqlx::Error> {
        let (last_hash, next_id) = store::tip(&mut *db, community).await?;
        Ok(Tip::read(community, last_hash, next_id))
    }

    /// The tip a statement of the caller's read inside the write transaction: the last
    /// entry's hash (None before the first) and the next id.
    pub fn read(community: CommunityId, last_hash: Option<String>, next_id: i64) -> Tip {
        Tip { community, last_hash: last_hash.unwrap_or_else(|| GENESIS.to_owned()), next_id }
    }

    /// The id the next entry appended gets.
    pub fn next_id(&self) -> i64 {
        self.next_id
    }

    /// Appends `entry` after the tip and moves the tip past it. Returns the entry's id.
    pub async fn append(
        &mut self,
        db: &mut Conn<'_>,
        entry: Entry<'_>,
    ) -> Result<i64, sqlx::Error> {
        let record = self.seal(entry, self.next_id, &self.last_hash);
        store::insert(db, &record).await?;
        self.next_id = record.id + 1;
        self.last_hash = record.hash;
        Ok(record.id)
    }

    /// Seals `first` and then `second` after the tip (a report and its verification:
    /// `second` may name `first` by [`Tip::next_id`]) and moves the tip past both. The
    /// caller stores them with [`store::pair_insert`], in the same write.
    pub fn seal_pair(
        &mut self,
        first: Entry<'_>,
        second: Entry<'_>,
    ) -> (LedgerRecord, LedgerRecord) {
        let first = self.seal(first, self.next_id, &self.last_hash);
        let second = self.seal(second, first.id + 1, &first.hash);
        self.next_id = second.id + 1;
        self.last_hash.clone_from(&second.hash);
        (first, second)
    }

    /// `entry` as the record with `id` that follows `prev_hash`, hashed.
    fn seal(&self, entry: Entry<'_>, id: i64, prev_hash: &str) -> LedgerRecord {
        let mut record = LedgerRecord {
            id,
            community_id: self.community.0,
            created_at: crate::db::timestamp(chrono::Utc::now()),
            prev_hash: prev_hash.to_owned(),
            ..LedgerRecord::default()
        };
        match entry {
            Entry::Reported { actor, facts } => {
                record.kind = ContributionStatus::Reported.as_str().to_owned();
                record.actor_id = actor.0;
                record.description = facts.description.clone();
                record.done_on = facts.done_on.to_string();
                record.quantity = facts.quantity;
                record.hours = facts.hours;
                record.goal_id = facts.goal_id;
                record.initiative_id = facts.initiative_id;
                record.evidence_url = facts.evidence_url.clone();
                record.note = facts.note.clone();
            }
            Entry::Decided { contribution, status, actor, note } => {
                record.kind = status.as_str().to_owned();
                record.contribution_id = Some(contribution);
                record.actor_id = actor.0;
                record.note = note.to_owned();
            }
        }
        record.hash = record.compute_hash();
        record
    }
}

/// Appends one entry to `community`'s chain (inside a write transaction). Returns its id.
pub async fn append(
    db: &mut Conn<'_>,
    community: CommunityId,
    entry: Entry<'_>,
) -> Result<i64, sqlx::Error> {
    Tip::of(&mut *db, community).await?.append(db, entry).await
}

/// What checking every chain found: (community id, entries checked) for each, or the
/// first community whose chain is broken and how.
pub type Verified = Result<Vec<(i64, usize)>, (i64, Tamper)>;

/// Verifies every community's chain in the database, on either engine (`server
/// migrate-data` checks its PostgreSQL copy so). Returns (community id, entries checked) or the first tamper.
pub async fn verify_database(pool: &Pool) -> Verified {
    let communities = store::community_ids(pool).await;
    verify_each(
        communities,
        |community| store::chain(pool, community),
        |community| store::contribution_states(pool, community),
    )
    .await
}

async fn verify_each<C, S>(
    communities: Result<Vec<i64>, sqlx::Error>,
    chain: impl Fn(i64) -> C,
    states: impl Fn(i64) -> S,
) -> Verified
where
    C: Future<Output = Result<Vec<LedgerRecord>, sqlx::Error>>,
    S: Future<Output = Result<Vec<(i64, String)>, sqlx::Error>>,
{
    let communities = communities.map_err(|e| {
        (0, Tamper { entry_id: 0, reason: format!("could not read communities: {e}") })
    })?;
    let mut checked = Vec::new();
    for community in communities {
        let read = |e: sqlx::Error| {
            (community, Tamper { entry_id: 0, reason: format!("could not read: {e}") })
        };
        let entries = chain(community).await.map_err(read)?;
        let states = states(community).await.map_err(read)?;
        let count = verify_chain(&entries, &states).map_err(|t| (community, t))?;
        checked.push((community, count));
    }
    Ok(checked)
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
                (["verified", "declined", "withdrawn"][(*kind as usize) % 3], Some(which))
            };
            let mut record = LedgerRecord {
                id,
                community_id: 1,
                kind: kind.to_owned(),
                contribution_id: contribution.map(|c| state[c].0),
                actor_id: 1 + (*amount as i64 % 5),
                description: if kind == "reported" { format!("work {id}") } else { String::new() },
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

    /// Stored chains were hashed with this exact field order and encoding: a change to
    /// either would make every existing ledger fail verification.
    #[test]
    fn the_hash_of_an_entry_is_stable() {
        let record = LedgerRecord {
            id: 7,
            community_id: 3,
            kind: "reported".into(),
            actor_id: 11,
            description: "Planted 40 willows".into(),
            done_on: "2026-11-21".into(),
            quantity: Some(40.0),
            hours: Some(3.5),
            goal_id: Some(2),
            evidence_url: "https://example.org/p.jpg".into(),
            note: "with Bo".into(),
            created_at: "2026-11-21T10:00:00.000Z".into(),
            prev_hash: GENESIS.into(),
            ..LedgerRecord::default()
        };
        assert_eq!(
            record.compute_hash(),
            "6c13332b3fa77a7dccb914e2c34d6be698f1caf0b5e2f7c1ea064c685772c1e4"
        );
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
