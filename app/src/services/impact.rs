//! The impact page's figures, computed from verified contributions.

use crate::db::Pool;
use chrono::{Duration, Utc};

use crate::db::impact as store;
use crate::domain::community::Community;
use crate::domain::impact::{ImpactReport, top_decile_share};
use crate::error::AppError;

use crate::services::goals::goals_with_progress;

/// The impact page's figures.
pub async fn impact_report(pool: &Pool, community: &Community) -> Result<ImpactReport, AppError> {
    let now = Utc::now();
    let today = now.date_naive();
    let totals = store::totals(pool, community.id, today - Duration::days(30)).await?;
    let weeks_from = today - Duration::days(7 * 12);
    let weekly = store::weekly(pool, community.id, weeks_from)
        .await?
        .into_iter()
        .filter_map(|(week, n)| {
            chrono::NaiveDate::parse_from_str(&week, "%Y-%m-%d").ok().map(|d| (d, n))
        })
        .collect();
    let (joined, contributed) =
        store::retention(pool, community.id, now - Duration::days(90)).await?;
    Ok(ImpactReport {
        mission: community.mission.clone(),
        goals: goals_with_progress(pool, community).await?,
        verified_contributions: totals.contributions,
        verified_hours: totals.hours,
        active_contributors_30d: totals.active_contributors,
        weekly,
        top_initiatives: store::top_initiatives(pool, community.id).await?,
        top_decile_share: top_decile_share(
            store::counts_per_contributor(pool, community.id).await?,
        ),
        joined_90_days_ago: joined,
        joined_90_days_ago_contributed: contributed,
        events: store::event_impact(pool, community.id, now).await?,
        challenges: crate::services::challenges::running(pool, community).await?,
        as_of: now,
    })
}

#[cfg(test)]
mod property_tests {
    //! Progress read back from a real SQLite ledger equals a straightforward
    //! recomputation, over random goal trees and random ledgers.

    use std::collections::HashMap;

    use proptest::prelude::*;

    use super::*;
    use crate::domain::community::Role;
    use crate::domain::impact::ContributionFacts;
    use crate::domain::impact::GoalFacts;
    use crate::services::contributions::{decide_contribution, log_contribution};
    use crate::services::goals::create_goal;

    /// A random tree: goal i's parent is one of the goals before it (or none).
    fn tree() -> impl Strategy<Value = Vec<(Option<usize>, f64, f64)>> {
        prop::collection::vec(
            (any::<prop::sample::Index>(), any::<bool>(), 1u32..100, 1u32..1000),
            1..8,
        )
        .prop_map(|raw| {
            raw.into_iter()
                .enumerate()
                .map(|(i, (pick, root, weight, target))| {
                    let parent = if i == 0 || root { None } else { Some(pick.index(i)) };
                    (parent, f64::from(weight), f64::from(target))
                })
                .collect()
        })
    }

    /// Random contributions: (goal index, quantity in quarters, 0 = leave reported, 1 = verify, 2 = decline).
    fn ledger() -> impl Strategy<Value = Vec<(prop::sample::Index, u32, u8)>> {
        prop::collection::vec((any::<prop::sample::Index>(), 1u32..4000, 0u8..3), 0..25)
    }

    /// The naive model: sum verified quantities per goal; a goal's progress is its
    /// children's weighted mean if it has any, else min(sum / target, 1).
    fn naive(goals: &[(Option<usize>, f64, f64)], verified: &HashMap<usize, f64>) -> Vec<f64> {
        fn progress(
            i: usize,
            goals: &[(Option<usize>, f64, f64)],
            verified: &HashMap<usize, f64>,
        ) -> f64 {
            let children: Vec<usize> =
                (0..goals.len()).filter(|&c| goals[c].0 == Some(i)).collect();
            if children.is_empty() {
                (verified.get(&i).copied().unwrap_or(0.0) / goals[i].2).min(1.0)
            } else {
                let total: f64 = children.iter().map(|&c| goals[c].1).sum();
                children.iter().map(|&c| goals[c].1 * progress(c, goals, verified)).sum::<f64>()
                    / total
            }
        }
        (0..goals.len()).map(|i| progress(i, goals, verified)).collect()
    }

    async fn run(
        goals_spec: Vec<(Option<usize>, f64, f64)>,
        entries: Vec<(prop::sample::Index, u32, u8)>,
    ) {
        let db = crate::fixtures::TestDb::migrated().await;
        let (pool, writes) = (db.pool(), db.writes().await);
        let steward = crate::fixtures::person(&pool, "steward").await;
        let member = crate::fixtures::person(&pool, "member").await;
        let community = ("Property", "");
        let community =
            crate::fixtures::public_community(&pool, &writes, community, steward, &[member]).await;

        let mut ids = Vec::new();
        for (parent, weight, target) in &goals_spec {
            let goal = GoalFacts {
                title: format!("Goal {}", ids.len()),
                metric: "things".into(),
                unit: "things".into(),
                target: *target,
                deadline: None,
                parent_id: parent.map(|p| ids[p]),
                weight: *weight,
            };
            ids.push(create_goal(&writes, &community, steward, &goal).await.unwrap());
        }
        let mut verified: HashMap<usize, f64> = HashMap::new();
        for (pick, quarters, fate) in entries {
            let goal = pick.index(ids.len());
            let quantity = f64::from(quarters) / 4.0;
            let contribution = ContributionFacts {
                description: "work".into(),
                done_on: chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
                quantity: Some(quantity),
                hours: None,
                goal_id: Some(ids[goal]),
                initiative_id: None,
                evidence_url: String::new(),
                note: String::new(),
            };
            let cid =
                log_contribution(&writes, &community, member, &contribution, None).await.unwrap();
            let standing = crate::domain::community::Standing::Member(Role::Owner);
            match fate {
                1 => {
                    decide_contribution(&writes, &community, standing, steward, cid, true, "")
                        .await
                        .unwrap();
                    *verified.entry(goal).or_default() += quantity;
                }
                2 => decide_contribution(&writes, &community, standing, steward, cid, false, "no")
                    .await
                    .unwrap(),
                _ => {}
            }
        }
        let expected = naive(&goals_spec, &verified);
        let actual = goals_with_progress(&pool, &community).await.unwrap();
        for (i, id) in ids.iter().enumerate() {
            let goal = actual.iter().find(|g| g.id == *id).unwrap();
            let sum = verified.get(&i).copied().unwrap_or(0.0);
            assert!(
                (goal.current - sum).abs() < 1e-9,
                "goal {i}: current {} vs {sum}",
                goal.current
            );
            assert!(
                (goal.progress - expected[i]).abs() < 1e-9,
                "goal {i}: {} vs {}",
                goal.progress,
                expected[i]
            );
        }
        assert!(crate::services::ledger::verify_database(&pool).await.is_ok());
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 24, failure_persistence: None, ..ProptestConfig::default() })]
        #[test]
        fn progress_from_the_database_equals_a_naive_recomputation(goals in tree(), entries in ledger()) {
            tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(run(goals, entries));
        }
    }
}
