//! `POST /api/communities/audit`, `POST /api/communities/leadership`

use leptos::prelude::*;

use crate::domain::community::{AuditPage, LeadershipHealth};
use crate::error::AppError;

/// Audit entries per page.
pub const AUDIT_PAGE_SIZE: i64 = 50;

/// The community's audit log, newest first (leaders only); `before` continues from `next`.
#[server(endpoint = "communities/audit")]
pub async fn audit_log(slug: String, before: Option<i64>) -> Result<AuditPage, AppError> {
    use crate::auth::policy::CommunityAction;
    let access = super::access_community(&slug, CommunityAction::ViewAudit).await?;
    let entries = crate::db::audit::page(
        &access.state.pool,
        access.community.id,
        before,
        AUDIT_PAGE_SIZE + 1,
    )
    .await?;
    let (entries, next) = crate::db::split_page(entries, AUDIT_PAGE_SIZE, |e| e.id.to_string());
    Ok(AuditPage { entries, next })
}

/// How leadership is spread: vacant roles, terms ending within 30 days, one person holding it all.
#[server(endpoint = "communities/leadership")]
pub async fn get_leadership_health(slug: String) -> Result<LeadershipHealth, AppError> {
    use crate::auth::policy::CommunityAction;
    let access = super::access_community(&slug, CommunityAction::ViewLeadership).await?;
    let leaders = crate::db::memberships::leaders(&access.state.pool, access.community.id).await?;
    Ok(crate::domain::community::leadership_health(leaders, chrono::Utc::now()))
}
