//! `POST /api/communities/join`, `POST /api/communities/leave`

use leptos::prelude::*;

use crate::error::AppError;

/// Joins (open) or asks to join (approval) a community. `affirm` must be sent
/// (the checkbox affirming its values); `answers` answers its join questions.
#[server(endpoint = "communities/join")]
pub async fn join_community(
    slug: String,
    affirm: Option<String>,
    answers: Option<String>,
) -> Result<(), AppError> {
    use crate::auth::policy::CommunityAction;
    let (access, user) = super::act_in_community(&slug, CommunityAction::Join).await?;
    crate::services::membership::join(
        &access.state.writes,
        &access.community,
        user,
        affirm.is_some(),
        answers.as_deref().unwrap_or_default(),
    )
    .await?;
    leptos_axum::redirect(&format!("/c/{}", access.community.slug));
    Ok(())
}

/// Leaves a community. The last owner is refused until someone else is an owner.
#[server(endpoint = "communities/leave")]
pub async fn leave_community(slug: String) -> Result<(), AppError> {
    use crate::auth::policy::CommunityAction;
    let (access, user) = super::act_in_community(&slug, CommunityAction::Leave).await?;
    crate::services::membership::leave(&access.state.writes, &access.community, user).await?;
    let visible_after = access.community.visibility == crate::domain::community::Visibility::Public;
    leptos_axum::redirect(&if visible_after {
        format!("/c/{}", access.community.slug)
    } else {
        "/communities".into()
    });
    Ok(())
}
