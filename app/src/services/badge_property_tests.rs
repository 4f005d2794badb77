//! Incremental awarding (at each verification, inside its transaction) and recomputing
//! every award from scratch agree, over random rules and random ledgers on a real SQLite
//! file: after a random history, recomputation finds nothing to add or revoke, and after
//! wiping the awards it rebuilds exactly the same set.

use crate::db::Pool;
use std::collections::BTreeSet;

use chrono::{Duration, Utc};
use proptest::prelude::*;

use crate::domain::badges::{BadgeForm, BadgeMetric};
use crate::domain::community::{Role, Standing};
use crate::domain::ids::UserId;
use crate::domain::impact::{ContributionFacts, GoalFacts};
use crate::services::badges::{Recomputed, recompute};
use crate::services::contributions::{decide_contribution, log_contribution};

/// A random rule: metric, levels (ascending), window, minimum distinct verifiers.
fn rule() -> impl Strategy<Value = (u8, Vec<u32>, Option<i64>, i64)> {
    (
        0u8..4,
        prop::collection::btree_set(1u32..30, 1..4).prop_map(|s| s.into_iter().collect()),
        prop::option::of(3i64..40),
        0i64..3,
    )
}

/// Random contributions: (author 0..3, verifier 0..3, hours, towards the goal, days ago,
/// 0 = leave reported, 1/2 = verify, 3 = decline).
fn ledger() -> impl Strategy<Value = Vec<(usize, usize, u32, bool, i64, u8)>> {
    prop::collection::vec((0usize..3, 0usize..3, 1u32..12, any::<bool>(), 0i64..50, 0u8..4), 0..30)
}

async fn awards(pool: &Pool) -> BTreeSet<(i64, i64, i64)> {
    let rows: Vec<(i64, i64, i64)> = sqlx::query_as(
        "SELECT badge_id, user_id, level FROM badge_awards WHERE revoked_at IS NULL",
    )
    .fetch_all(pool.as_sqlite().unwrap())
    .await
    .unwrap();
    rows.into_iter().collect()
}

async fn run(
    rules: Vec<(u8, Vec<u32>, Option<i64>, i64)>,
    entries: Vec<(usize, usize, u32, bool, i64, u8)>,
) {
    let db = crate::fixtures::TestDb::migrated().await;
    let (pool, writes) = (db.pool(), db.writes().await);
    let mut users = Vec::new();
    for handle in ["steward", "v1", "v2", "m0", "m1", "m2"] {
        users.push(crate::fixtures::person(&pool, handle).await);
    }
    let (verifiers, members) = (&users[0..3], &users[3..6]);
    let community = ("Badges", "Care");
    let community =
        crate::fixtures::public_community(&pool, &writes, community, users[0], members).await;
    let goal = GoalFacts {
        title: "Bags".into(),
        metric: "bags".into(),
        unit: "bags".into(),
        target: 100.0,
        deadline: None,
        parent_id: None,
        weight: 1.0,
    };
    let goal =
        crate::services::goals::create_goal(&writes, &community, users[0], &goal).await.unwrap();
    let metrics = [
        BadgeMetric::VerifiedHours,
        BadgeMetric::VerifiedContributions,
        BadgeMetric::WeeksInARow,
        BadgeMetric::VerifiedQuantity,
    ];
    for (i, (metric, levels, window, min_verifiers)) in rules.iter().enumerate() {
        let form = BadgeForm {
            name: format!("Rule {i}"),
            description: String::new(),
            icon: "star".into(),
            metric: metrics[usize::from(*metric)].as_str().into(),
            goal_id: goal.to_string(),
            levels: levels.iter().map(u32::to_string).collect::<Vec<_>>().join(", "),
            window_days: window.map(|w| w.to_string()).unwrap_or_default(),
            min_verifiers: min_verifiers.to_string(),
        };
        crate::services::badges::create(&writes, &community, users[0], form).await.unwrap();
    }

    let today = Utc::now().date_naive();
    let standing = Standing::Member(Role::Owner);
    for (author, verifier, hours, towards_goal, days_ago, fate) in entries {
        let facts = ContributionFacts {
            description: "work".into(),
            done_on: today - Duration::days(days_ago),
            quantity: towards_goal.then_some(f64::from(hours)),
            hours: Some(f64::from(hours)),
            goal_id: towards_goal.then_some(goal),
            initiative_id: None,
            evidence_url: String::new(),
            note: String::new(),
        };
        let author: UserId = members[author];
        let cid = log_contribution(&writes, &community, author, &facts, None).await.unwrap();
        let verifier = verifiers[verifier];
        match fate {
            1 | 2 => decide_contribution(&writes, &community, standing, verifier, cid, true, "")
                .await
                .unwrap(),
            3 => decide_contribution(&writes, &community, standing, verifier, cid, false, "no")
                .await
                .unwrap(),
            _ => {}
        }
    }

    let incremental = awards(&pool).await;
    let nothing_to_do = recompute(&writes, community.id).await.unwrap();
    assert_eq!(nothing_to_do, Recomputed::default(), "recomputation changed {incremental:?}");
    sqlx::query("DELETE FROM badge_awards").execute(pool.as_sqlite().unwrap()).await.unwrap();
    let rebuilt = recompute(&writes, community.id).await.unwrap();
    assert_eq!(rebuilt.awarded, incremental.len());
    assert_eq!(awards(&pool).await, incremental);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, failure_persistence: None, ..ProptestConfig::default() })]
    #[test]
    fn incremental_awarding_and_full_recomputation_agree(
        rules in prop::collection::vec(rule(), 1..4),
        entries in ledger(),
    ) {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(run(rules, entries));
    }
}
