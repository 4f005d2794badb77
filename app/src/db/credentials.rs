//! Open Badges credentials: the instance's signing keys, what an award says, and the
//! holder's share links.

use crate::db::statement::{all_rows, args, optional_row, run};
use chrono::{DateTime, Utc};
use sqlx::FromRow;

use crate::db::{Db, Sql, timestamp};
use crate::domain::ids::UserId;

/// A stored signing key.
#[derive(Debug, Clone, FromRow)]
pub struct StoredKey {
    /// Its key id (the JWT header's `kid`).
    pub kid: String,
    /// The Ed25519 private key as PKCS#8 DER.
    pub private_key: Vec<u8>,
    /// The public key, base64url.
    pub public_x: String,
    /// Whether it has stopped signing (it still verifies what it signed).
    pub retired: bool,
}

/// Every signing key, the one that signs (newest not retired) first.
pub async fn keys(db: impl Db<'_>) -> Sql<Vec<StoredKey>> {
    let sql =
        "SELECT kid, private_key, public_x, retired_at IS NOT NULL AS retired FROM issuer_keys
          ORDER BY retired_at IS NOT NULL, created_at DESC, kid";
    all_rows(db, sql, args![]).await
}

/// Stores `key` unless a signing key exists already (two servers starting together keep
/// one); returns whether it was stored.
pub async fn insert_first_key(db: impl Db<'_>, key: &StoredKey, at: DateTime<Utc>) -> Sql<bool> {
    let sql = "INSERT INTO issuer_keys (kid, private_key, public_x, created_at)
         SELECT $1, $2, $3, $4
          WHERE NOT EXISTS (SELECT 1 FROM issuer_keys WHERE retired_at IS NULL)";
    let done =
        run(db, sql, args![&key.kid, &key.private_key, &key.public_x, timestamp(at)]).await?;
    Ok(done == 1)
}

/// An award with everything its credential states.
#[derive(Debug, Clone, FromRow)]
pub struct AwardRecord {
    /// The award.
    pub id: i64,
    /// The badge.
    pub badge_id: i64,
    /// The badge's name, description, criteria, icon and metric.
    pub badge_name: String,
    /// What it celebrates.
    pub description: String,
    /// What it takes.
    pub criteria: String,
    /// Its icon's name.
    pub icon: String,
    /// Its rule's metric, for rule badges.
    pub metric: Option<String>,
    /// The level held.
    pub level: i64,
    /// The threshold of that level.
    pub threshold: Option<f64>,
    /// Why it was given by hand.
    pub reason: String,
    /// The contributions that reached it, comma-separated.
    pub evidence: String,
    /// When.
    #[sqlx(try_from = "crate::db::Stamp")]
    pub awarded_at: DateTime<Utc>,
    /// When it was revoked.
    #[sqlx(try_from = "crate::db::MaybeStamp")]
    pub revoked_at: Option<DateTime<Utc>>,
    /// Why.
    pub revoke_reason: String,
    /// Its share token, when sharing is on.
    pub share_token: Option<String>,
    /// The holder.
    pub user_id: UserId,
    /// The holder's handle.
    pub handle: String,
    /// The holder's name.
    pub display_name: String,
    /// The community's slug.
    pub slug: String,
    /// The community's name.
    pub community_name: String,
    /// The community's visibility (`public` or `private`).
    pub visibility: String,
}

const RECORD_SELECT: &str = "SELECT a.id, a.badge_id, b.name AS badge_name, b.description,
        b.criteria, b.icon, b.metric, a.level, a.threshold, a.reason, a.evidence, a.awarded_at,
        a.revoked_at, a.revoke_reason, a.share_token, a.user_id, u.handle, u.display_name,
        c.slug, c.name AS community_name, c.visibility
   FROM badge_awards a
   JOIN badges b ON b.id = a.badge_id
   JOIN communities c ON c.id = b.community_id
   JOIN users u ON u.id = a.user_id";

/// The award `id`, whoever holds it.
pub async fn award(db: impl Db<'_>, id: i64) -> Sql<Option<AwardRecord>> {
    let sql = format!("{RECORD_SELECT} WHERE a.id = $1");
    optional_row(db, &sql, args![id]).await
}

/// The award shared under `token`.
pub async fn shared_award(db: impl Db<'_>, token: &str) -> Sql<Option<AwardRecord>> {
    let sql = format!("{RECORD_SELECT} WHERE a.share_token = $1");
    optional_row(db, &sql, args![token]).await
}

/// `user`'s awards of `badge`: (award, level, threshold, share token), highest level first.
pub async fn own_awards(
    db: impl Db<'_>,
    badge: i64,
    user: UserId,
) -> Sql<Vec<(i64, i64, Option<f64>, Option<String>)>> {
    let sql = "SELECT id, level, threshold, share_token FROM badge_awards
          WHERE badge_id = $1 AND user_id = $2 AND revoked_at IS NULL ORDER BY level DESC";
    all_rows(db, sql, args![badge, user]).await
}

/// Turns an award's share link on (with `token`) or off (`None`).
pub async fn set_share_token(db: impl Db<'_>, award: i64, token: Option<&str>) -> Sql<()> {
    let sql = "UPDATE badge_awards SET share_token = $1 WHERE id = $2";
    run(db, sql, args![token, award]).await?;
    Ok(())
}
