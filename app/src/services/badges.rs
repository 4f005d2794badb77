//! Badges: creating and changing them, awarding levels when verified work (or kudos, or
//! an approved initiative) takes a member over one, awards by hand, revocation, and the
//! from-scratch recomputation that must agree with incremental awarding.
//!
//! Awarding runs inside the write transaction that changed what a rule reads (the
//! verification, the kudos, the approval), so an award and its cause land together.

use crate::db::{Conn, Pool};
use chrono::{Duration, Utc};

use crate::auth::policy::{self, CommunityAction};
use crate::db::audit::AuditAction;
use crate::db::badges::{self as store, AwardInputs, NewAward, WorkDetail};
use crate::db::writer::{WriteQueue, write_tx};
use crate::db::{self};
use crate::domain::badges::{
    BadgeForm, BadgeMetric, BadgePage, BadgeRule, BadgesPage, Reached, ValidBadge, default_badges,
};
use crate::domain::community::{Community, Standing};
use crate::domain::ids::{CommunityId, UserId};
use crate::domain::notification::NoticeKind;
use crate::error::AppError;
use crate::services::notices::{self, Notice};

/// A badge's link.
pub fn badge_link(slug: &str, badge: i64) -> String {
    format!("/c/{slug}/badges/{badge}")
}

/// Gives a new community the default badges (inside the founding transaction).
pub async fn add_defaults(conn: &mut Conn<'_>, community: CommunityId) -> Result<(), AppError> {
    for badge in default_badges() {
        store::insert(&mut *conn, community, &badge, None).await?;
    }
    Ok(())
}

/// After `user`'s contribution was verified: award the ledger badges' levels reached.
pub(crate) async fn on_verified(
    conn: &mut Conn<'_>,
    community: CommunityId,
    user: UserId,
) -> Result<(), AppError> {
    let inputs = store::award_inputs(&mut *conn, community, user).await?;
    on_verified_with(conn, community, user, inputs).await
}

/// [`on_verified`] with its first read done already, in the write's batch
/// (`db::badges::award_inputs_after`).
pub(crate) async fn on_verified_with(
    conn: &mut Conn<'_>,
    community: CommunityId,
    user: UserId,
    inputs: AwardInputs,
) -> Result<(), AppError> {
    evaluate(&mut *conn, community, user, BadgeMetric::reads_ledger, inputs).await
}

/// After kudos to `receivers`: award the kudos badges' levels reached.
pub(crate) async fn on_kudos(
    conn: &mut Conn<'_>,
    community: CommunityId,
    receivers: &[UserId],
) -> Result<(), AppError> {
    for receiver in receivers {
        let inputs = store::award_inputs(&mut *conn, community, *receiver).await?;
        evaluate(&mut *conn, community, *receiver, |m| m == BadgeMetric::KudosGivers, inputs)
            .await?;
    }
    Ok(())
}

/// After `owner`'s initiative was approved: award the initiative badges' levels reached.
pub(crate) async fn on_initiative_approved(
    conn: &mut Conn<'_>,
    community: CommunityId,
    owner: UserId,
) -> Result<(), AppError> {
    let inputs = store::award_inputs(&mut *conn, community, owner).await?;
    evaluate(&mut *conn, community, owner, |m| m == BadgeMetric::InitiativesLed, inputs).await
}

/// The rule badges of `community` whose metric `which` selects: (id, name, rule, version).
async fn rules(
    conn: &mut Conn<'_>,
    community: CommunityId,
    which: impl Fn(BadgeMetric) -> bool,
) -> Result<Vec<(i64, String, BadgeRule, i64)>, AppError> {
    Ok(store::rule_badges(&mut *conn, community)
        .await?
        .into_iter()
        .filter_map(|b| {
            let rule = b.rule?;
            which(rule.metric).then_some((b.id, b.name, rule, b.rule_version))
        })
        .collect())
}

/// The levels `user` has reached now under `rule`.
async fn reached_now(
    conn: &mut Conn<'_>,
    community: CommunityId,
    user: UserId,
    rule: &BadgeRule,
    work: &[crate::domain::badges::VerifiedWork],
) -> Result<Vec<Reached>, AppError> {
    Ok(match rule.metric {
        BadgeMetric::InitiativesLed => {
            rule.levels_at(store::initiatives_led(&mut *conn, community, user).await? as f64)
        }
        BadgeMetric::KudosGivers => {
            let since = rule.window_days.map(|days| Utc::now() - Duration::days(days));
            let givers =
                db::recognition::distinct_givers(&mut *conn, community, user, since).await?;
            rule.levels_at(givers as f64)
        }
        _ => rule.reached_on(user, work, Utc::now().date_naive()),
    })
}

/// Awards `user` the levels newly reached under the rule badges `which` selects. `inputs`
/// (one statement: `db::badges::award_inputs`) hold the rules with the levels already held
/// and the bounds of what the ledger rules could count; the member's verified work is read
/// only when a ledger rule's bound reaches a level not yet held.
async fn evaluate(
    conn: &mut Conn<'_>,
    community: CommunityId,
    user: UserId,
    which: impl Fn(BadgeMetric) -> bool,
    inputs: AwardInputs,
) -> Result<(), AppError> {
    let mut open: Vec<(i64, String, BadgeRule, i64, Vec<i64>)> = inputs
        .badges
        .into_iter()
        .filter_map(|(badge, held)| {
            let rule = badge.rule?;
            let all_held = (1..=rule.levels.len() as i64).all(|level| held.contains(&level));
            (which(rule.metric) && !all_held).then_some((
                badge.id,
                badge.name,
                rule,
                badge.rule_version,
                held,
            ))
        })
        .collect();
    // A ledger rule that cannot reach an unheld level even counting all the work needs
    // no closer look: skip it, and the read of the whole work if none can.
    open.retain(|(_, _, rule, _, held)| {
        !rule.metric.reads_ledger()
            || rule.could_reach_unheld(held, rule.ledger_bound(&inputs.bounds))
    });
    if open.is_empty() {
        return Ok(());
    }
    let ledger_rules =
        open.iter().map(|(_, _, rule, _, _)| rule).filter(|r| r.metric.reads_ledger());
    let detail = ledger_rules.fold(None, |detail: Option<WorkDetail>, rule| {
        let detail = detail.unwrap_or(WorkDetail { verifiers: false, attendance: false });
        Some(WorkDetail {
            verifiers: detail.verifiers || rule.min_verifiers > 0,
            attendance: detail.attendance || rule.metric == BadgeMetric::EventsAttended,
        })
    });
    let work = if let Some(detail) = detail {
        store::verified_work(&mut *conn, community, user, detail).await?
    } else {
        Vec::new()
    };
    for (badge, name, rule, version, held) in open {
        let reached = reached_now(&mut *conn, community, user, &rule, &work).await?;
        let badge = (badge, name.as_str(), &rule, version);
        award_missing(&mut *conn, community, user, badge, reached, &held).await?;
    }
    Ok(())
}

/// Awards the levels in `reached` that `user` never held (`held`); returns how many.
async fn award_missing(
    conn: &mut Conn<'_>,
    community: CommunityId,
    user: UserId,
    (badge, name, rule, version): (i64, &str, &BadgeRule, i64),
    reached: Vec<Reached>,
    held: &[i64],
) -> Result<usize, AppError> {
    let mut awarded = 0;
    for level in reached.into_iter().filter(|r| !held.contains(&r.level)) {
        let award = NewAward {
            badge,
            user,
            level: level.level,
            threshold: Some(level.threshold),
            rule_version: version,
            awarded_by: None,
            reason: "",
            evidence: &level.evidence,
            at: Utc::now(),
        };
        if store::insert_award(&mut *conn, &award).await?.is_some() {
            awarded += 1;
            let title = if rule.levels.len() > 1 {
                format!(
                    "{name} · {} {}",
                    crate::domain::badges::format_number(level.threshold),
                    rule.metric.unit()
                )
            } else {
                name.to_owned()
            };
            notify_award(&mut *conn, community, user, badge, title.trim_end()).await?;
        }
    }
    Ok(awarded)
}

async fn notify_award(
    conn: &mut Conn<'_>,
    community: CommunityId,
    user: UserId,
    badge: i64,
    title: &str,
) -> Result<(), AppError> {
    let (slug, community_name) =
        crate::db::communities::slug_and_name(&mut *conn, community).await?;
    let body = format!("You earned the badge “{title}” in {community_name}.");
    let link = badge_link(&slug, badge);
    notices::notify(&mut *conn, Notice::new(user, NoticeKind::Badge, community, &body, &link))
        .await?;
    Ok(())
}

/// What a recomputation changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Recomputed {
    /// Levels awarded that were missing.
    pub awarded: usize,
    /// Awards of the current rule version the ledger no longer supports, revoked.
    pub revoked: usize,
}

/// Recomputes every rule award of `community` from scratch: awards any level the ledger
/// (or the kudos and initiatives) ever supported that is missing, and revokes, with a
/// reason, awards of the current rule version that the verified ledger does not support.
/// Awards made under earlier rule versions are kept.
pub async fn recompute(
    writes: &WriteQueue,
    community: CommunityId,
) -> Result<Recomputed, AppError> {
    write_tx!(writes, |conn| {
        let mut done = Recomputed::default();
        let rules = rules(&mut *conn, community, |_| true).await?;
        for user in store::candidates(&mut *conn, community).await? {
            let work = store::verified_work(&mut *conn, community, user, WorkDetail::ALL).await?;
            for (badge, name, rule, version) in &rules {
                let expected = if rule.metric.reads_ledger() {
                    rule.ever_reached(user, &work)
                } else {
                    reached_now(&mut *conn, community, user, rule, &work).await?
                };
                let levels: Vec<i64> = expected.iter().map(|r| r.level).collect();
                let held = if expected.is_empty() {
                    Vec::new()
                } else {
                    store::levels_held(&mut *conn, *badge, user).await?
                };
                let badge_rule = (*badge, name.as_str(), rule, *version);
                done.awarded +=
                    award_missing(&mut *conn, community, user, badge_rule, expected, &held).await?;
                if !rule.metric.reads_ledger() {
                    continue;
                }
                for (award, holder, level) in
                    store::current_rule_awards(&mut *conn, *badge, *version).await?
                {
                    if holder == user && !levels.contains(&level) {
                        let reason = "No longer supported by the verified ledger (recomputed).";
                        store::revoke(&mut *conn, award, None, reason).await?;
                        done.revoked += 1;
                    }
                }
            }
        }
        Ok(done)
    })
}

/// Recomputes every community; returns the totals.
pub async fn recompute_all(pool: &Pool, writes: &WriteQueue) -> Result<Recomputed, AppError> {
    let mut total = Recomputed::default();
    for community in store::community_ids(pool).await? {
        let done = recompute(writes, community).await?;
        total.awarded += done.awarded;
        total.revoked += done.revoked;
    }
    Ok(total)
}

/// The badges page.
pub async fn page(
    pool: &Pool,
    community: &Community,
    standing: Standing,
) -> Result<BadgesPage, AppError> {
    let can_manage =
        policy::can_in_community(standing, community.visibility, CommunityAction::ManageBadges);
    Ok(BadgesPage {
        badges: store::of_community(pool, community.id).await?,
        can_manage,
        goals: if can_manage { goal_choices(pool, community).await? } else { Vec::new() },
    })
}

/// Goals to choose from in the badge form: (id, "title (unit)").
async fn goal_choices(pool: &Pool, community: &Community) -> Result<Vec<(i64, String)>, AppError> {
    Ok(db::impact::goal_choices(pool, community.id)
        .await?
        .into_iter()
        .map(|(id, title, unit)| (id, format!("{title} ({unit})")))
        .collect())
}

/// One badge's page: what it takes, who holds it, and the viewer's own awards of it.
pub async fn badge_page(
    pool: &Pool,
    issuer: &crate::services::credentials::Issuer,
    community: &Community,
    standing: Standing,
    viewer: Option<UserId>,
    id: i64,
) -> Result<BadgePage, AppError> {
    let badge = store::one(pool, community.id, id).await?.ok_or(AppError::NotFound)?;
    let awards = store::awards_of_badge(pool, id).await?;
    let mine = match viewer {
        Some(user) => {
            let unit = badge.rule.as_ref().map(|r| r.metric.unit()).unwrap_or_default();
            issuer.own_awards(pool, id, &badge.name, unit, user).await?
        }
        None => Vec::new(),
    };
    let can_manage =
        policy::can_in_community(standing, community.visibility, CommunityAction::ManageBadges);
    let goals = if can_manage { goal_choices(pool, community).await? } else { Vec::new() };
    Ok(BadgePage { badge, awards, can_manage, mine, goals })
}

async fn check_goal(
    conn: &mut Conn<'_>,
    community: CommunityId,
    badge: &ValidBadge,
) -> Result<(), AppError> {
    if let Some(goal) = badge.rule.as_ref().and_then(|r| r.goal_id)
        && db::impact::goal_unit(&mut *conn, community, goal).await?.is_none()
    {
        return Err(AppError::invalid("goal_id", "Choose a goal of this community."));
    }
    Ok(())
}

/// Creates a badge (the caller checked `ManageBadges`); returns its id.
pub async fn create(
    writes: &WriteQueue,
    community: &Community,
    leader: UserId,
    form: BadgeForm,
) -> Result<i64, AppError> {
    let badge = form.validate()?;
    let community = community.id;
    write_tx!(writes, |conn| {
        if store::name_taken(&mut *conn, community, &badge.name, None).await? {
            return Err(AppError::conflict("name", "There is already a badge with this name."));
        }
        check_goal(&mut *conn, community, &badge).await?;
        let id = store::insert(&mut *conn, community, &badge, Some(leader)).await?;
        db::audit::record(
            &mut *conn,
            community,
            Some(leader),
            AuditAction::BadgeCreated,
            None,
            &badge.name,
        )
        .await?;
        Ok(id)
    })
}

/// Changes a badge. A changed rule gets the next version: awards already made keep
/// theirs and are never taken back by the change.
pub async fn update(
    writes: &WriteQueue,
    community: &Community,
    leader: UserId,
    id: i64,
    form: BadgeForm,
) -> Result<(), AppError> {
    let badge = form.validate()?;
    let community = community.id;
    write_tx!(writes, |conn| {
        let current = store::one(&mut *conn, community, id).await?.ok_or(AppError::NotFound)?;
        if store::name_taken(&mut *conn, community, &badge.name, Some(id)).await? {
            return Err(AppError::conflict("name", "There is already a badge with this name."));
        }
        check_goal(&mut *conn, community, &badge).await?;
        let rule_changed = current.rule != badge.rule;
        store::update(&mut *conn, id, &badge, rule_changed).await?;
        let detail = if rule_changed {
            format!("{} (rule version {})", badge.name, current.rule_version + 1)
        } else {
            badge.name.clone()
        };
        db::audit::record(
            &mut *conn,
            community,
            Some(leader),
            AuditAction::BadgeEdited,
            None,
            &detail,
        )
        .await?;
        Ok(())
    })
}

/// A leader awards a badge given by hand to the member `handle`, with a reason.
pub async fn award_by_hand(
    writes: &WriteQueue,
    community: &Community,
    leader: UserId,
    badge: i64,
    handle: &str,
    reason: &str,
) -> Result<(), AppError> {
    let reason = reason.trim().to_owned();
    if reason.is_empty() {
        return Err(AppError::invalid("reason", "Say why they receive it."));
    }
    if reason.chars().count() > 500 {
        return Err(AppError::invalid("reason", "Keep it under 500 characters."));
    }
    let handle = handle.trim().trim_start_matches('@').to_lowercase();
    let community = community.id;
    write_tx!(writes, |conn| {
        let found = store::one(&mut *conn, community, badge).await?.ok_or(AppError::NotFound)?;
        if found.rule.is_some() {
            return Err(AppError::invalid(
                "handle",
                "This badge is earned by its rule; only badges given by hand are awarded here.",
            ));
        }
        let (user, _) = db::memberships::member_by_handle(&mut *conn, community, &handle)
            .await?
            .ok_or_else(|| AppError::invalid("handle", "No member with this handle here."))?;
        let award = NewAward {
            badge,
            user,
            level: 1,
            threshold: None,
            rule_version: found.rule_version,
            awarded_by: Some(leader),
            reason: &reason,
            evidence: &[],
            at: Utc::now(),
        };
        if store::insert_award(&mut *conn, &award).await?.is_none() {
            return Err(AppError::conflict("handle", "They already hold this badge."));
        }
        db::audit::record(
            &mut *conn,
            community,
            Some(leader),
            AuditAction::BadgeAwarded,
            Some(user),
            &format!("{}: {reason}", found.name),
        )
        .await?;
        notify_award(&mut *conn, community, user, badge, &found.name).await?;
        Ok(())
    })
}

/// A leader revokes an award, with a reason; it stays listed as revoked.
pub async fn revoke(
    writes: &WriteQueue,
    community: &Community,
    leader: UserId,
    award: i64,
    reason: &str,
) -> Result<i64, AppError> {
    let reason = reason.trim().to_owned();
    if reason.is_empty() {
        return Err(AppError::invalid("reason", "Say why it is revoked."));
    }
    let community = community.id;
    write_tx!(writes, |conn| {
        let (badge, holder, _) =
            store::award_in(&mut *conn, community, award).await?.ok_or(AppError::NotFound)?;
        if !store::revoke(&mut *conn, award, Some(leader), &reason).await? {
            return Err(AppError::conflict("reason", "It was already revoked."));
        }
        db::audit::record(
            &mut *conn,
            community,
            Some(leader),
            AuditAction::BadgeRevoked,
            Some(holder),
            &reason,
        )
        .await?;
        Ok(badge)
    })
}
