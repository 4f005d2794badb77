//! The demo seed: a few members and one community, so a new install's first page is not blank.

use sqlx::SqlitePool;

use crate::auth::password;
use crate::db::{self, audit::action};
use crate::domain::community::{CommunityValue, JoinPolicy, Role, ValidCommunity, Visibility};
use crate::error::AppError;

/// The password every demo member shares (printed in the log and the README; turn the demo off in production).
pub const DEMO_PASSWORD: &str = "kindred-demo-password";

/// Demo members: handle, display name, bio.
const MEMBERS: &[(&str, &str, &str)] = &[
    (
        "ada",
        "Ada Okafor",
        "Steward of River Keepers. Happiest knee-deep in the Wandle.",
    ),
    (
        "grace",
        "Grace Lin",
        "Water-quality nerd; I run the monthly sampling walks.",
    ),
    (
        "tomas",
        "Tomás Reyes",
        "New here. Bringing gloves and a van.",
    ),
];

/// Seeds the demo when the database has no accounts. Returns whether it seeded.
pub async fn seed_if_empty(pool: &SqlitePool) -> Result<bool, AppError> {
    if db::users::count(pool).await? > 0 {
        return Ok(false);
    }
    let password_hash = password::hash(DEMO_PASSWORD.to_owned()).await?;
    let mut tx = db::begin_write(pool).await?;
    if db::users::count(&mut *tx).await? > 0 {
        return Ok(false);
    }
    let mut ids = Vec::new();
    for (handle, name, bio) in MEMBERS {
        let email = format!("{handle}@demo.kindred.invalid");
        let new_user = db::users::NewUser {
            handle,
            display_name: name,
            email: &email,
            password_hash: &password_hash,
        };
        let id = db::users::insert(&mut *tx, &new_user).await?;
        db::users::update_profile(&mut *tx, id, name, bio).await?;
        ids.push(id);
    }
    let founder = ids.first().copied().ok_or(AppError::NotFound)?;
    let river = ValidCommunity {
        name: "River Keepers".into(),
        slug: "river-keepers".into(),
        mission: "We restore and protect the River Wandle: monthly clean-ups, water-quality sampling, \
                  and planting the banks so wildlife comes back."
            .into(),
        vision: "A river that children swim in again, cared for by the neighbourhood that lives along it.".into(),
        values: vec![
            value("Leave it better", "We take out more than we bring, every time."),
            value("Safety first", "No one works alone near deep or fast water."),
            value("Everyone belongs", "No experience needed; we teach what we know."),
        ],
        visibility: Visibility::Public,
        join_policy: JoinPolicy::Open,
        join_questions: Vec::new(),
        self_attestation: false,
    };
    let community = db::communities::insert(&mut tx, &river, founder).await?;
    db::audit::record(
        &mut *tx,
        community,
        Some(founder),
        action::COMMUNITY_CREATED,
        None,
        &river.name,
    )
    .await?;
    for (id, role) in ids
        .into_iter()
        .zip([Role::Owner, Role::Steward, Role::Member])
    {
        db::memberships::add(&mut *tx, community, id, role).await?;
        if role != Role::Owner {
            db::audit::record(
                &mut *tx,
                community,
                Some(id),
                action::MEMBER_JOINED,
                Some(id),
                "",
            )
            .await?;
        }
    }
    tx.commit().await?;
    Ok(true)
}

fn value(name: &str, description: &str) -> CommunityValue {
    CommunityValue {
        name: name.into(),
        description: description.into(),
    }
}
