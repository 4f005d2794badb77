//! The benchmark's library: guides in the first community, for the library and
//! resource pages.

use app::db;
use app::domain::ids::UserId;
use app::services::markdown;
use rand::Rng;
use rand::seq::IndexedRandom;
use rand_chacha::ChaCha8Rng;
use sqlx::SqlitePool;

use super::{Place, begin_bulk, sentence};

/// `count` guides in the first community's library, tagged from a few topics, by random
/// members over the last year. Returns the first one's id.
pub(super) async fn guides(
    pool: &SqlitePool,
    rng: &mut ChaCha8Rng,
    place: &Place,
    count: usize,
) -> anyhow::Result<i64> {
    use app::domain::library::{ResourceKind, ValidResource};
    const TOPICS: [&str; 6] = ["safety", "kit", "water", "planting", "start here", "sampling"];
    let mut tx = begin_bulk(pool).await?;
    let now = chrono::Utc::now();
    let mut first = 0;
    for n in 0..count {
        let body = format!(
            "## {}\n\n{}\n\n- {}\n- {}",
            sentence(rng, 4),
            sentence(rng, 60),
            sentence(rng, 8),
            sentence(rng, 8)
        );
        let tags: Vec<String> =
            (0..2).map(|_| (*TOPICS.choose(rng).unwrap_or(&"kit")).to_owned()).collect();
        let resource = ValidResource {
            kind: ResourceKind::Guide,
            title: sentence(rng, 5),
            summary: sentence(rng, 14),
            body,
            url: None,
            tags,
            licence: "CC BY 4.0".to_owned(),
            attribution: String::new(),
            initiative_id: None,
            goal_id: None,
            review_by: None,
        };
        let html = markdown::render(&resource.body, &|_| false);
        let owner = *place.members.choose(rng).unwrap_or(&UserId(1));
        let at = now - chrono::Duration::minutes(rng.random_range(0..60 * 24 * 365));
        let id = db::library::insert(&mut *tx, place.id, owner, &resource, &html, at).await?;
        let mut tags = resource.tags.clone();
        tags.dedup();
        db::library::set_tags(&mut tx, id, &tags).await?;
        if n == 0 {
            first = id;
        }
    }
    tx.commit().await?;
    Ok(first)
}
