//! Reads for a member's home page: their memberships, sign-ups and kudos across
//! every community they belong to (each limited to communities where they are active).

use crate::db::statement::{all_rows, args};
use chrono::Utc;

use crate::db::{Db, MaybeStamp, Sql};
use crate::domain::community::Role;
use crate::domain::home::{KudosReceived, Signup};
use crate::domain::ids::{CommunityId, UserId};

/// A membership as stored: community id, slug, name, role, and when the role's term ends.
type MembershipRow = (CommunityId, String, String, String, MaybeStamp);

/// The communities `user` is an active member of, by name: (id, slug, name, role in force).
pub async fn memberships(
    db: impl Db<'_>,
    user: UserId,
) -> Sql<Vec<(CommunityId, String, String, Role)>> {
    let sql = "SELECT c.id, c.slug, c.name, m.role, m.role_term_ends_at
           FROM memberships m JOIN communities c ON c.id = m.community_id
          WHERE m.user_id = $1 AND m.status = 'active'
          ORDER BY c.name, c.id
          LIMIT 200";
    let rows: Vec<MembershipRow> = all_rows(db, sql, args![user]).await?;
    let now = Utc::now();
    Ok(rows
        .into_iter()
        .map(|(id, slug, name, role, term)| {
            (id, slug, name, super::memberships::effective_role(&role, term.0, now))
        })
        .collect())
}

/// The opportunities `user` signed up for in communities they still belong to, newest first.
pub async fn signups(db: impl Db<'_>, user: UserId, limit: i64) -> Sql<Vec<Signup>> {
    let sql = "SELECT c.slug AS community_slug, c.name AS community_name, i.id AS initiative_id,
                i.title AS initiative, o.title AS opportunity
           FROM opportunity_signups s
           JOIN opportunities o ON o.id = s.opportunity_id
           JOIN initiatives i ON i.id = o.initiative_id
           JOIN communities c ON c.id = i.community_id
           JOIN memberships m ON m.community_id = c.id AND m.user_id = s.user_id AND m.status = 'active'
          WHERE s.user_id = $1
          ORDER BY s.created_at DESC, o.id DESC
          LIMIT $2";
    all_rows(db, sql, args![user, limit]).await
}

/// Shown kudos `user` received in communities they belong to, newest first.
pub async fn kudos_received(db: impl Db<'_>, user: UserId, limit: i64) -> Sql<Vec<KudosReceived>> {
    let sql = "SELECT c.slug AS community_slug, c.name AS community_name, g.display_name AS giver,
                k.value_name, k.message, k.created_at AS at
           FROM kudos_receivers r
           JOIN kudos k ON k.id = r.kudos_id
           JOIN users g ON g.id = k.giver_id
           JOIN communities c ON c.id = k.community_id
           JOIN memberships m ON m.community_id = c.id AND m.user_id = r.user_id AND m.status = 'active'
          WHERE r.user_id = $1 AND k.retracted_at IS NULL AND k.hidden_at IS NULL
          ORDER BY k.id DESC
          LIMIT $2";
    all_rows(db, sql, args![user, limit]).await
}
