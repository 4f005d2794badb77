//! Kudos: giving (within the weekly budget, checked in the same write as the insert, so
//! concurrent kudos cannot overspend it), taking back, hiding; the recognition page with
//! its boards; and a member's recognition on their profile.

use crate::db::Pool;
use chrono::{Duration, Utc};

use crate::auth::policy::{self, CommunityAction};
use crate::db::audit::AuditAction;
use crate::db::recognition::{self as store, Board, NewKudos};
use crate::db::writer::{WriteQueue, write_tx};
use crate::db::{self};
use crate::domain::community::{Community, Standing};
use crate::domain::ids::UserId;
use crate::domain::notification::NoticeKind;
use crate::domain::recognition::{
    BUDGET_DAYS, KudosForm, ProfileRecognition, Receivers, RecognitionPage,
};
use crate::domain::resubmission::FormKey;
use crate::error::AppError;
use crate::services::notices::{self, Notice};
use crate::services::resubmission;

/// Kudos shown per page of the wall.
pub const WALL_PAGE: i64 = 30;

/// The recognition wall's link.
pub fn wall_link(slug: &str) -> String {
    format!("/c/{slug}/recognition")
}

/// Gives kudos as `giver` (the caller checked they are a member); returns its id.
pub async fn give(
    writes: &WriteQueue,
    community: &Community,
    giver: UserId,
    form: KudosForm,
    key: Option<FormKey>,
) -> Result<i64, AppError> {
    let kudos = form.validate(&community.values)?;
    let community = community.clone();
    write_tx!(writes, |conn| {
        if let Some(id) = resubmission::earlier(&mut *conn, giver, key.as_ref()).await? {
            return Ok(id);
        }
        let (receivers, initiative) = match &kudos.receivers {
            Receivers::People(handles) => {
                let found = store::members_by_handle(&mut *conn, community.id, handles).await?;
                if let Some(missing) = handles.iter().find(|h| !found.iter().any(|(f, _)| f == *h))
                {
                    return Err(AppError::invalid(
                        "to",
                        format!("No member called @{missing} here."),
                    ));
                }
                (found.into_iter().map(|(_, id)| id).collect::<Vec<_>>(), None)
            }
            Receivers::Team(initiative) => {
                let team =
                    store::team(&mut *conn, community.id, *initiative).await?.ok_or_else(|| {
                        AppError::invalid("initiative_id", "Choose an approved initiative.")
                    })?;
                // Thanking your own team thanks the others in it.
                (team.into_iter().filter(|m| *m != giver).collect(), Some(*initiative))
            }
        };
        let budget = store::budget(&mut *conn, community.id).await?;
        let since = Utc::now() - Duration::days(BUDGET_DAYS);
        let given = store::given_since(&mut *conn, community.id, giver, since).await?;
        policy::check_give_kudos(giver, &receivers, given, budget)?;
        if let Some(contribution) = kudos.contribution_id {
            let author = store::contribution_author(&mut *conn, community.id, contribution).await?;
            if !author.is_some_and(|a| receivers.contains(&a)) {
                return Err(AppError::invalid(
                    "contribution_id",
                    "Cite a contribution of someone you are thanking.",
                ));
            }
        }
        let new = NewKudos {
            community: community.id,
            giver,
            value: &kudos.value,
            message: &kudos.message,
            contribution: kudos.contribution_id,
            initiative,
            receivers: &receivers,
            at: Utc::now(),
        };
        let id = store::insert(&mut *conn, &new).await?;
        let giver_name = crate::db::users::display_name(&mut *conn, giver).await?;
        for receiver in &receivers {
            let body = format!(
                "{giver_name} thanked you in {} for “{}”: {}",
                community.name, kudos.value, kudos.message
            );
            let link = wall_link(&community.slug);
            notices::notify(
                &mut *conn,
                Notice::new(*receiver, NoticeKind::Kudos, community.id, &body, &link),
            )
            .await?;
        }
        crate::services::badges::on_kudos(&mut *conn, community.id, &receivers).await?;
        resubmission::remember(&mut *conn, giver, key.as_ref(), id).await?;
        Ok(id)
    })
}

/// The giver takes a kudos back (within minutes of giving it); it no longer counts
/// against their budget.
pub async fn retract(
    writes: &WriteQueue,
    community: &Community,
    giver: UserId,
    kudos: i64,
) -> Result<(), AppError> {
    let community = community.id;
    write_tx!(writes, |conn| {
        let (by, at, shown) =
            store::giver_of(&mut *conn, community, kudos).await?.ok_or(AppError::NotFound)?;
        if !shown {
            return Err(AppError::NotFound);
        }
        if !policy::can_retract_kudos(Some(giver), by, at, Utc::now()) {
            return Err(if by == giver {
                AppError::conflict("kudos", "It is too late to take this kudos back.")
            } else {
                AppError::Forbidden
            });
        }
        store::retract(&mut *conn, kudos).await?;
        Ok(())
    })
}

/// A moderator hides a kudos, naming the value it goes against and, optionally, why.
pub async fn hide(
    writes: &WriteQueue,
    community: &Community,
    moderator: UserId,
    kudos: i64,
    value: &str,
    note: &str,
) -> Result<(), AppError> {
    let Some(value) = community.values.iter().find(|v| v.name == value.trim()) else {
        return Err(AppError::invalid("value", "Name the value it goes against."));
    };
    let note = note.trim();
    if note.chars().count() > 300 {
        return Err(AppError::invalid("note", "Keep it under 300 characters."));
    }
    let reason = if note.is_empty() {
        format!("Against our value “{}”.", value.name)
    } else {
        format!("Against our value “{}”: {note}", value.name)
    };
    let community = community.clone();
    write_tx!(writes, |conn| {
        let (giver, _, _) =
            store::giver_of(&mut *conn, community.id, kudos).await?.ok_or(AppError::NotFound)?;
        if !store::hide(&mut *conn, kudos, moderator, &reason).await? {
            return Err(AppError::conflict("value", "It is already hidden or taken back."));
        }
        db::audit::record(
            &mut *conn,
            community.id,
            Some(moderator),
            AuditAction::KudosHidden,
            Some(giver),
            &reason,
        )
        .await?;
        let body = format!("Moderators hid your kudos in {}. {reason}", community.name);
        let link = wall_link(&community.slug);
        let kind = NoticeKind::Community;
        notices::notify(&mut *conn, Notice::new(giver, kind, community.id, &body, &link)).await?;
        Ok(())
    })
}

/// Leaders set how many kudos each member may give in 7 days (0 to 100; 0 turns kudos off).
pub async fn set_budget(
    writes: &WriteQueue,
    community: &Community,
    leader: UserId,
    budget: &str,
) -> Result<(), AppError> {
    let budget = match budget.trim().parse::<i64>() {
        Ok(n) if (0..=100).contains(&n) => n,
        _ => return Err(AppError::invalid("budget", "A number from 0 to 100.")),
    };
    let community = community.id;
    write_tx!(writes, |conn| {
        store::set_budget(&mut *conn, community, budget).await?;
        db::audit::record(
            &mut *conn,
            community,
            Some(leader),
            AuditAction::CommunityEdited,
            None,
            &format!("kudos budget: {budget} a week"),
        )
        .await?;
        Ok(())
    })
}

/// A member shows or hides themself on individual leaderboards.
pub async fn set_on_board(
    writes: &WriteQueue,
    community: &Community,
    member: UserId,
    shown: bool,
) -> Result<(), AppError> {
    let community = community.id;
    write_tx!(writes, |conn| {
        store::set_on_leaderboard(&mut *conn, community, member, shown).await?;
        Ok(())
    })
}

/// The recognition page: the wall (optionally for one value, before a kudos id), the
/// viewer's budget, and the boards.
pub async fn page(
    pool: &Pool,
    community: &Community,
    standing: Standing,
    viewer: Option<UserId>,
    value: Option<String>,
    before: Option<i64>,
) -> Result<RecognitionPage, AppError> {
    let filter = value.filter(|v| community.values.iter().any(|c| &c.name == v));
    let mut conn = pool.acquire().await?;
    let mut wall =
        store::wall(&mut conn, community.id, filter.as_deref(), before, WALL_PAGE + 1).await?;
    let older_than = if wall.len() as i64 > WALL_PAGE {
        wall.truncate(WALL_PAGE as usize);
        wall.last().map(|(k, _)| k.id)
    } else {
        None
    };
    let now = Utc::now();
    let kudos = wall
        .into_iter()
        .map(|(mut entry, giver)| {
            entry.can_retract = policy::can_retract_kudos(viewer, giver, entry.created_at, now);
            entry
        })
        .collect();
    let can_give =
        policy::can_in_community(standing, community.visibility, CommunityAction::Contribute);
    let budget = store::budget(&mut conn, community.id).await?;
    let budget_left = match viewer {
        Some(me) if can_give => {
            let since = now - Duration::days(BUDGET_DAYS);
            (budget - store::given_since(&mut conn, community.id, me, since).await?).max(0)
        }
        _ => 0,
    };
    let since = now.date_naive() - Duration::days(30);
    let on_board = match viewer {
        Some(me) => store::on_leaderboard(&mut conn, community.id, me).await?,
        None => None,
    };
    Ok(RecognitionPage {
        kudos,
        filter,
        values: community.values.iter().map(|v| v.name.clone()).collect(),
        can_give,
        can_moderate: policy::can_in_community(
            standing,
            community.visibility,
            CommunityAction::Moderate,
        ),
        can_set_budget: policy::can_in_community(
            standing,
            community.visibility,
            CommunityAction::Edit,
        ),
        budget,
        budget_left,
        initiatives: if can_give {
            db::impact::initiatives(&mut conn, community.id)
                .await?
                .into_iter()
                .filter(|i| i.status == "approved")
                .map(|i| (i.id, i.title))
                .collect()
        } else {
            Vec::new()
        },
        initiative_board: store::board(
            &mut conn,
            community.id,
            &community.slug,
            Board::Initiatives,
            since,
        )
        .await?,
        goal_board: store::board(&mut conn, community.id, &community.slug, Board::Goals, since)
            .await?,
        people_board: store::board(&mut conn, community.id, &community.slug, Board::People, since)
            .await?,
        on_board,
        older_than,
    })
}

/// `user`'s recognition in each community `viewer` may see: thanks from how many people,
/// recent kudos, badges.
pub async fn on_profile(
    pool: &Pool,
    user: UserId,
    viewer: Option<UserId>,
) -> Result<Vec<ProfileRecognition>, AppError> {
    let mut conn = pool.acquire().await?;
    let mut out = Vec::new();
    for (id, slug, name) in db::memberships::visible_communities_of(&mut conn, user, viewer).await?
    {
        let thanked_by = store::distinct_givers(&mut conn, id, user, None).await?;
        let badges = db::badges::awards_of_user(&mut conn, id, user).await?;
        if thanked_by == 0 && badges.is_empty() {
            continue;
        }
        let recent =
            store::received(&mut conn, id, user, 3).await?.into_iter().map(|(k, _)| k).collect();
        out.push(ProfileRecognition { slug, community: name, thanked_by, recent, badges });
    }
    Ok(out)
}

/// Fills in how many different people thanked each contribution.
pub async fn with_thanks(
    pool: &Pool,
    mut entries: Vec<crate::domain::impact::ContributionEntry>,
) -> Result<Vec<crate::domain::impact::ContributionEntry>, AppError> {
    let ids: Vec<i64> = entries.iter().map(|e| e.id).collect();
    let mut conn = pool.acquire().await?;
    for (id, givers) in store::thanks_for_contributions(&mut conn, &ids).await? {
        if let Some(entry) = entries.iter_mut().find(|e| e.id == id) {
            entry.thanked_by = givers;
        }
    }
    Ok(entries)
}
