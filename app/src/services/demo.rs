//! The demo seed: a few members and one community, so a new install's first page is not blank.

use sqlx::SqlitePool;

use crate::auth::password;
use crate::db;
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
    let community = db::communities::insert(
        &mut *tx,
        "river-keepers",
        "River Keepers",
        "We restore and protect the River Wandle: monthly clean-ups, water-quality sampling, \
         and planting the banks so wildlife comes back.",
        founder,
    )
    .await?;
    for id in ids {
        db::communities::add_member(&mut *tx, community, id).await?;
    }
    tx.commit().await?;
    Ok(true)
}
