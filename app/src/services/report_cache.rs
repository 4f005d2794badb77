//! Impact reports computed once per change. A report aggregates every verified
//! contribution of a community, so it is kept and reused while the community's
//! `impact_version` (bumped by triggers on every ledger entry, goal and initiative
//! write) is unchanged, and for at most five minutes (its 30- and 90-day windows move).

use crate::db::Pool;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::domain::community::Community;
use crate::domain::ids::CommunityId;
use crate::domain::impact::ImpactReport;
use crate::error::AppError;

/// How long a report may be reused when nothing changed.
const MAX_AGE: Duration = Duration::from_secs(300);

/// One cached report: the version it was computed at, when, and the report.
type Entry = (i64, Instant, Arc<ImpactReport>);

/// Cached reports by community.
#[derive(Default)]
pub struct ReportCache {
    entries: Mutex<HashMap<CommunityId, Entry>>,
    /// Held while a report is computed, so a burst of readers computes it once.
    computing: tokio::sync::Mutex<()>,
}

impl ReportCache {
    /// The community's impact report: the cached one if still exact, else computed afresh.
    pub async fn report(
        &self,
        pool: &Pool,
        community: &Community,
    ) -> Result<ImpactReport, AppError> {
        let version = crate::db::impact::impact_version(pool, community.id).await?;
        if let Some(report) = self.fresh(community.id, version) {
            return Ok(report);
        }
        let _computing = self.computing.lock().await;
        let version = crate::db::impact::impact_version(pool, community.id).await?;
        if let Some(report) = self.fresh(community.id, version) {
            return Ok(report);
        }
        let report = super::impact::impact_report(pool, community).await?;
        if let Ok(mut entries) = self.entries.lock() {
            entries.insert(community.id, (version, Instant::now(), Arc::new(report.clone())));
        }
        Ok(report)
    }

    fn fresh(&self, community: CommunityId, version: i64) -> Option<ImpactReport> {
        let entries = self.entries.lock().ok()?;
        let (cached_version, at, report) = entries.get(&community)?;
        (*cached_version == version && at.elapsed() < MAX_AGE).then(|| (**report).clone())
    }
}
