//! Attendance that counts time present: open check-ins, closing them, and the ones
//! forgotten past the grace period.

use crate::db::statement::{all_rows, args, optional_row, run};
use chrono::{DateTime, Utc};

use crate::db::{Db, Sql, timestamp};
use crate::domain::ids::{CommunityId, UserId};

/// An open (not yet checked-out) attendance.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OpenAttendance {
    /// The occurrence.
    pub occurrence_id: i64,
    /// Who.
    pub user_id: UserId,
    /// Its community.
    pub community_id: CommunityId,
    /// When they checked in.
    #[sqlx(try_from = "crate::db::Stamp")]
    pub checked_in_at: DateTime<Utc>,
    /// Who checked them in (themselves, with the code, or a host).
    pub checked_in_by: UserId,
}

const OPEN_SELECT: &str =
    "SELECT a.occurrence_id, a.user_id, o.community_id, a.checked_in_at, a.checked_in_by
       FROM event_attendance a JOIN event_occurrences o ON o.id = a.occurrence_id";

/// `user`'s open attendance at `occurrence`, if any.
pub async fn open_attendance(
    db: impl Db<'_>,
    occurrence: i64,
    user: UserId,
) -> Sql<Option<OpenAttendance>> {
    let sql = format!(
        "{OPEN_SELECT} WHERE a.occurrence_id = $1 AND a.user_id = $2 AND a.contribution_id IS NULL"
    );
    optional_row(db, &sql, args![occurrence, user]).await
}

/// Open attendances at occurrences that ended before `ended_before` (forgotten check-outs).
pub async fn forgotten(db: impl Db<'_>, ended_before: DateTime<Utc>) -> Sql<Vec<OpenAttendance>> {
    let sql = format!(
        "{OPEN_SELECT} WHERE a.contribution_id IS NULL AND o.ends_at < $1
          ORDER BY a.occurrence_id, a.user_id LIMIT 500"
    );
    all_rows(db, &sql, args![timestamp(ended_before)]).await
}

/// Closes an open attendance with the contribution that credits it. False if it was
/// already closed.
pub async fn close(
    db: impl Db<'_>,
    occurrence: i64,
    user: UserId,
    checked_out_at: DateTime<Utc>,
    contribution: i64,
    auto_closed: bool,
) -> Sql<bool> {
    let sql =
        "UPDATE event_attendance SET checked_out_at = $1, contribution_id = $2, auto_closed = $3
          WHERE occurrence_id = $4 AND user_id = $5 AND contribution_id IS NULL";
    let done =
        run(db, sql, args![timestamp(checked_out_at), contribution, auto_closed, occurrence, user])
            .await?;
    Ok(done == 1)
}
