//! Challenges: creating one (leaders), joining it or a team inside its window, the page
//! with progress derived from the verified ledger, and the minute-by-minute upkeep that
//! sends milestone notices once each and freezes the result at the end plus grace.

use crate::db::{Conn, Pool};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;

use crate::auth::policy;
use crate::db::audit::AuditAction;
use crate::db::challenges::{self as store, ChallengeRecord};
use crate::db::writer::{WriteQueue, write_tx};
use crate::db::{self, impact};
use crate::domain::challenges::{
    ChallengeForm, ChallengeMode, ChallengePage, ChallengeSummary, ChallengesPage, Frozen, Measure,
    MyPart, Phase, Standings, member_scores, standings,
};
use crate::domain::community::{Community, Standing};
use crate::domain::ids::UserId;
use crate::domain::notification::NoticeKind;
use crate::error::AppError;
use crate::services::events::{instant, zone};
use crate::services::markdown;
use crate::services::notices::{self, Notice};

/// The community's date now, in its time zone.
pub fn today(community: &Community, now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&zone(&community.time_zone).unwrap_or(Tz::UTC)).date_naive()
}

/// Where a challenge is at `now` for a community whose date is `today`.
fn phase(challenge: &ChallengeRecord, today: NaiveDate, now: DateTime<Utc>) -> Phase {
    if challenge.frozen_at.is_some() {
        Phase::Ended
    } else if today < challenge.starts_on {
        Phase::Upcoming
    } else if today <= challenge.ends_on {
        Phase::Running
    } else if now < challenge.closes_at {
        Phase::Grace
    } else {
        Phase::Ended
    }
}

/// The path of a challenge's page.
pub fn challenge_link(slug: &str, id: i64) -> String {
    format!("/c/{slug}/challenges/{id}")
}

/// Creates a challenge (the caller checked `RunChallenges`). Its initiative must be an
/// approved one of the community, its goal one of the community's; counting a goal's
/// unit takes the goal's unit. Returns its id.
pub async fn create(
    pool: &Pool,
    writes: &WriteQueue,
    community: &Community,
    creator: UserId,
    form: ChallengeForm,
) -> Result<i64, AppError> {
    let challenge = form.validate(today(community, Utc::now()))?;
    let goal_unit = match challenge.goal_id {
        Some(goal) => Some(
            impact::goal_unit(pool, community.id, goal)
                .await?
                .ok_or_else(|| AppError::invalid("goal_id", "Choose a goal of this community."))?,
        ),
        None => None,
    };
    if let Some(initiative) = challenge.initiative_id {
        let found = impact::initiative(pool, community.id, initiative).await?;
        if found.is_none_or(|i| i.status != "approved") {
            return Err(AppError::invalid("initiative_id", "Choose an approved initiative."));
        }
    }
    let unit = match challenge.measure {
        Measure::Hours => "hours".to_owned(),
        Measure::Contributions => "contributions".to_owned(),
        Measure::Quantity => goal_unit.unwrap_or_default(),
    };
    let tz = zone(&community.time_zone).unwrap_or(Tz::UTC);
    let last_counted_day = challenge.ends_on + Duration::days(1 + challenge.grace_days);
    let closes_at = instant(last_counted_day.and_time(chrono::NaiveTime::MIN), tz);
    let html = markdown::render(&challenge.description, &|_| false);
    let community_id = community.id;
    write_tx!(writes, |tx| {
        let id =
            store::insert(&mut *tx, community_id, &challenge, &unit, &html, closes_at, creator)
                .await?;
        let detail = format!("{} ({})", challenge.title, challenge.mode.as_str());
        let action = AuditAction::ChallengeCreated;
        db::audit::record(&mut *tx, community_id, Some(creator), action, None, &detail).await?;
        Ok(id)
    })
}

/// The standings now, from the verified ledger.
async fn live_standings(
    db: &mut Conn<'_>,
    challenge: &ChallengeRecord,
) -> Result<Standings, AppError> {
    let days = store::daily_totals(&mut *db, challenge).await?;
    let scores = member_scores(&days, challenge.measure, challenge.daily_cap);
    let teams = store::teams(&mut *db, challenge.id).await?;
    let people = store::participants(&mut *db, challenge.id).await?;
    Ok(standings(challenge.mode, challenge.team_score, challenge.target, &scores, &teams, &people))
}

/// The frozen standings once frozen, else the live ones.
async fn current_standings(
    db: &mut Conn<'_>,
    challenge: &ChallengeRecord,
) -> Result<Standings, AppError> {
    match &challenge.result {
        Some(result) => serde_json::from_str(result)
            .map_err(|e| AppError::internal(format!("challenge {} result: {e}", challenge.id))),
        None => live_standings(db, challenge).await,
    }
}

fn summary(
    challenge: &ChallengeRecord,
    total: f64,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> ChallengeSummary {
    let phase = phase(challenge, today, now);
    ChallengeSummary {
        id: challenge.id,
        title: challenge.title.clone(),
        mode: challenge.mode,
        unit: challenge.unit.clone(),
        target: challenge.target,
        total,
        starts_on: challenge.starts_on,
        ends_on: challenge.ends_on,
        phase,
        days_left: if phase == Phase::Running {
            (challenge.ends_on - today).num_days() + 1
        } else {
            0
        },
    }
}

/// Summaries of `records`, each with its total.
async fn summaries(
    pool: &Pool,
    community: &Community,
    records: &[ChallengeRecord],
) -> Result<Vec<ChallengeSummary>, AppError> {
    let now = Utc::now();
    let today = today(community, now);
    let mut conn = pool.acquire().await?;
    let mut out = Vec::with_capacity(records.len());
    for record in records {
        let total = current_standings(&mut conn.conn(), record).await?.total;
        out.push(summary(record, total, today, now));
    }
    Ok(out)
}

/// The challenges running now (or counting late verifications), for the community home
/// and the impact page.
pub async fn running(
    pool: &Pool,
    community: &Community,
) -> Result<Vec<ChallengeSummary>, AppError> {
    let records = store::current(pool, community.id, Utc::now()).await?;
    let mut found = summaries(pool, community, &records).await?;
    found.retain(|c| matches!(c.phase, Phase::Running | Phase::Grace));
    Ok(found)
}

/// A community's challenges page.
pub async fn list(
    pool: &Pool,
    community: &Community,
    standing: Standing,
) -> Result<ChallengesPage, AppError> {
    let records = store::list(pool, community.id).await?;
    let all = summaries(pool, community, &records).await?;
    let (mut current, ended): (Vec<_>, Vec<_>) =
        all.into_iter().partition(|c| c.phase != Phase::Ended);
    current.sort_by_key(|c| (c.phase != Phase::Running, c.phase != Phase::Grace, c.starts_on));
    let can_create = policy::can_in_community(
        standing,
        community.visibility,
        policy::CommunityAction::RunChallenges,
    );
    let (initiatives, goals) = if can_create {
        let approved = impact::initiatives(pool, community.id).await?;
        let goals = impact::goal_choices(pool, community.id).await?;
        (
            approved
                .into_iter()
                .filter(|i| i.status == "approved")
                .map(|i| (i.id, i.title))
                .collect(),
            goals.into_iter().map(|(id, title, unit)| (id, format!("{title} ({unit})"))).collect(),
        )
    } else {
        (Vec::new(), Vec::new())
    };
    Ok(ChallengesPage {
        current,
        ended,
        can_create,
        initiatives,
        goals,
        today: today(community, Utc::now()),
    })
}

/// One challenge's page for `viewer`.
pub async fn page(
    pool: &Pool,
    community: &Community,
    standing: Standing,
    viewer: Option<UserId>,
    id: i64,
) -> Result<ChallengePage, AppError> {
    let record = store::challenge(pool, community.id, id).await?.ok_or(AppError::NotFound)?;
    let mut conn = pool.acquire().await?;
    let standings = current_standings(&mut conn.conn(), &record).await?;
    let now = Utc::now();
    let summary = summary(&record, standings.total, today(community, now), now);
    let teams = store::teams(&mut conn, id).await?;
    let member = matches!(standing, Standing::Member(_));
    let mine = match viewer.filter(|_| member) {
        Some(user) => {
            let part = store::participation(&mut conn, id, user).await?;
            let score = standings.scores.iter().find(|(u, _)| *u == user).map_or(0.0, |(_, s)| *s);
            let team = part.and_then(|(team, _)| team);
            Some(MyPart {
                joined: part.is_some(),
                team: teams.iter().find(|(t, _)| Some(*t) == team).map(|(_, n)| n.clone()),
                on_board: part.is_some_and(|(_, on)| on),
                score,
            })
        }
        None => None,
    };
    let can_join = mine.as_ref().is_some_and(|m| !m.joined) && summary.phase == Phase::Running;
    let counts = counts_sentence(pool, community, &record).await?;
    let frozen = match (&record.frozen_at, &record.result_hash) {
        (Some(at), Some(hash)) => Some(Frozen { at: at.clone(), hash: hash.clone() }),
        _ => None,
    };
    // Names on the individual board are for members only.
    let standings = if member { standings } else { Standings { board: Vec::new(), ..standings } };
    Ok(ChallengePage {
        summary,
        description_html: record.description_html.clone(),
        counts,
        grace_days: record.grace_days,
        daily_cap: record.daily_cap,
        team_score: record.team_score,
        team_choices: teams,
        standings: Standings { scores: Vec::new(), ..standings },
        mine,
        can_join,
        frozen,
    })
}

/// "Verified hours on Riverbank clean-ups, done 1–31 Dec" in words.
async fn counts_sentence(
    pool: &Pool,
    community: &Community,
    record: &ChallengeRecord,
) -> Result<String, AppError> {
    let what = match record.measure {
        Measure::Hours => "Verified hours".to_owned(),
        Measure::Quantity => format!("Verified {}", record.unit),
        Measure::Contributions => "Verified contributions".to_owned(),
    };
    let mut parts = vec![what];
    if let Some(initiative) = record.initiative_id
        && let Some(found) = impact::initiative(pool, community.id, initiative).await?
    {
        parts.push(format!("for the initiative “{}”", found.title));
    }
    if let Some(goal) = record.goal_id {
        let goals = impact::goal_choices(pool, community.id).await?;
        if let Some((_, title, _)) = goals.into_iter().find(|(id, _, _)| *id == goal) {
            parts.push(format!("towards the goal “{title}”"));
        }
    }
    parts.push(format!(
        "done from {} to {}",
        record.starts_on.format("%-d %b %Y"),
        record.ends_on.format("%-d %b %Y")
    ));
    Ok(parts.join(" "))
}

/// Adds `user` to a challenge inside its window: on `team` (required in teams mode, one
/// of its teams), or simply taking part. Joining twice is refused.
pub async fn join(
    writes: &WriteQueue,
    community: &Community,
    user: UserId,
    id: i64,
    team: Option<i64>,
) -> Result<(), AppError> {
    let community = community.clone();
    write_tx!(writes, |tx| {
        let record =
            store::challenge(&mut *tx, community.id, id).await?.ok_or(AppError::NotFound)?;
        let now = Utc::now();
        policy::check_join_challenge(phase(&record, today(&community, now), now))?;
        let team = match record.mode {
            ChallengeMode::Teams => {
                let teams = store::teams(&mut *tx, id).await?;
                let chosen = team.filter(|t| teams.iter().any(|(id, _)| id == t));
                Some(chosen.ok_or_else(|| AppError::invalid("team", "Choose one of the teams."))?)
            }
            _ => None,
        };
        if !store::join(&mut *tx, id, user, team).await? {
            return Err(AppError::conflict("team", "You already take part in this challenge."));
        }
        Ok(())
    })
}

/// Shows or hides a participant on an individual challenge's board (off by default).
pub async fn set_on_board(
    writes: &WriteQueue,
    community: &Community,
    user: UserId,
    id: i64,
    on: bool,
) -> Result<(), AppError> {
    let community_id = community.id;
    write_tx!(writes, |tx| {
        let record =
            store::challenge(&mut *tx, community_id, id).await?.ok_or(AppError::NotFound)?;
        if record.mode != ChallengeMode::Individual {
            return Err(AppError::invalid("on_board", "Only individual challenges have a board."));
        }
        if record.frozen_at.is_some() {
            return Err(AppError::invalid("on_board", "This challenge's result is final."));
        }
        if !store::set_on_board(&mut *tx, id, user, on).await? {
            return Err(AppError::invalid("on_board", "Take part first."));
        }
        Ok(())
    })
}

/// A challenge's notice to `user` (milestones, the end), in the community-news kind.
fn notice<'a>(
    user: UserId,
    community: crate::domain::ids::CommunityId,
    body: &'a str,
    link: &'a str,
) -> Notice<'a> {
    Notice::new(user, NoticeKind::Community, community, body, link)
}

/// The SHA-256 (hex) of a frozen result's text.
pub fn result_hash(result: &str) -> String {
    super::tokens::sha256_hex(result)
}

/// Sends milestone notices (half way, target reached) and freezes every challenge whose
/// counting closed, telling its people it ended. Each notice goes to each person once
/// (a marker written with it); each result is frozen once. Returns the notices sent.
pub async fn upkeep(writes: &WriteQueue) -> Result<usize, AppError> {
    write_tx!(writes, |tx| {
        let now = Utc::now();
        let mut sent = 0;
        for record in store::unfrozen(&mut *tx).await? {
            let standings = live_standings(&mut *tx, &record).await?;
            let slug = store::community_slug(&mut *tx, record.community_id).await?;
            let link = challenge_link(&slug, record.id);
            let mut people: Vec<UserId> =
                store::participants(&mut *tx, record.id).await?.iter().map(|p| p.user_id).collect();
            if !people.contains(&record.created_by) {
                people.push(record.created_by);
            }
            for user in &people {
                let score = match record.mode {
                    ChallengeMode::Individual => {
                        standings.scores.iter().find(|(u, _)| u == user).map_or(0.0, |(_, s)| *s)
                    }
                    _ => standings.total,
                };
                let share = score / record.target;
                for (milestone, reached, body) in [
                    ("full", share >= 1.0, format!("Target reached: {}!", record.title)),
                    ("half", share >= 0.5, format!("Half way: {}.", record.title)),
                ] {
                    if reached && store::mark_notice(&mut *tx, record.id, *user, milestone).await? {
                        // Reaching the target at once marks "half" too, without a second notice.
                        if milestone == "full" {
                            store::mark_notice(&mut *tx, record.id, *user, "half").await?;
                        }
                        notices::notify(&mut *tx, notice(*user, record.community_id, &body, &link))
                            .await?;
                        sent += 1;
                        break;
                    }
                }
            }
            if now >= record.closes_at {
                let result = serde_json::to_string(&standings)
                    .map_err(|e| AppError::internal(format!("challenge result: {e}")))?;
                let hash = result_hash(&result);
                if store::freeze(&mut *tx, record.id, &result, &hash, now).await? {
                    let body = format!(
                        "{} has ended: {} {} in all. The result is final.",
                        record.title, standings.total, record.unit
                    );
                    for user in &people {
                        if store::mark_notice(&mut *tx, record.id, *user, "ended").await? {
                            notices::notify(
                                &mut *tx,
                                notice(*user, record.community_id, &body, &link),
                            )
                            .await?;
                            sent += 1;
                        }
                    }
                }
            }
        }
        Ok(sent)
    })
}
