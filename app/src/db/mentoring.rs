//! Mentoring: offers, requests that become mentorships, declines, logged sessions, the
//! skills initiatives prove, and the figures for leaders.

use crate::db::on_engine;
use crate::db::statement::{
    all_rows, all_values, args, one_value, optional_row, optional_value, run,
};
use chrono::{DateTime, Utc};
use sqlx::FromRow;

use crate::db::{Db, Sql, timestamp};
use crate::domain::ids::{CommunityId, UserId};
use crate::domain::mentoring::{ValidOffer, ValidRequest};

/// Adds or replaces `user`'s offer in `community`, skills and languages included.
pub async fn save_offer(
    conn: impl Db<'_>,
    community: CommunityId,
    user: UserId,
    offer: &ValidOffer,
    at: DateTime<Utc>,
) -> Sql<()> {
    on_engine!(conn, |conn| {
        let sql =
            "INSERT INTO mentor_offers (community_id, user_id, capacity, availability, updated_at)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (community_id, user_id)
         DO UPDATE SET capacity = excluded.capacity, availability = excluded.availability,
                       updated_at = excluded.updated_at
         RETURNING id";
        let id: i64 = one_value(
            &mut *conn,
            sql,
            args![community, user, offer.capacity, &offer.availability, timestamp(at)],
        )
        .await?;
        let sql = "DELETE FROM mentor_offer_tags WHERE offer_id = $1";
        run(&mut *conn, sql, args![id]).await?;
        let tags = offer
            .skills
            .iter()
            .map(|t| ("skill", t))
            .chain(offer.languages.iter().map(|t| ("language", t)));
        for (kind, tag) in tags {
            let sql = "INSERT INTO mentor_offer_tags (offer_id, kind, tag) VALUES ($1, $2, $3)";
            run(&mut *conn, sql, args![id, kind, tag]).await?;
        }
        Ok(())
    })
}

/// An offer as stored, with its mentor's handle and active mentorships.
#[derive(Debug, Clone, FromRow)]
pub struct OfferRow {
    /// The offer's id.
    pub id: i64,
    /// The mentor.
    pub user_id: UserId,
    /// Their handle.
    pub handle: String,
    /// People at once (0: paused).
    pub capacity: i64,
    /// Availability note.
    pub availability: String,
    /// Active mentorships now.
    pub active: i64,
}

/// Every offer in `community` by an active member.
pub async fn offers(db: impl Db<'_>, community: CommunityId) -> Sql<Vec<OfferRow>> {
    let sql = "SELECT o.id, o.user_id, u.handle, o.capacity, o.availability,
                (SELECT COUNT(*) FROM mentorships m
                  WHERE m.community_id = o.community_id AND m.mentor_id = o.user_id
                    AND m.status = 'active') AS active
           FROM mentor_offers o
           JOIN users u ON u.id = o.user_id
           JOIN memberships ms ON ms.community_id = o.community_id AND ms.user_id = o.user_id
          WHERE o.community_id = $1 AND ms.status = 'active'
          ORDER BY u.handle";
    all_rows(db, sql, args![community]).await
}

/// The skills and languages of every offer in `community`: (offer, kind, tag).
pub async fn offer_tags(
    db: impl Db<'_>,
    community: CommunityId,
) -> Sql<Vec<(i64, String, String)>> {
    let sql = "SELECT t.offer_id, t.kind, t.tag FROM mentor_offer_tags t
           JOIN mentor_offers o ON o.id = t.offer_id
          WHERE o.community_id = $1 ORDER BY t.tag";
    all_rows(db, sql, args![community]).await
}

/// Skills proven by mentors' verified work: (mentor, skill, verified contributions to
/// initiatives that need the skill).
pub async fn proven_skills(
    db: impl Db<'_>,
    community: CommunityId,
) -> Sql<Vec<(UserId, String, i64)>> {
    let sql = "SELECT c.author_id, s.skill, COUNT(*) FROM contributions c
           JOIN initiative_skills s ON s.initiative_id = c.initiative_id
          WHERE c.community_id = $1 AND c.status = 'verified'
            AND c.author_id IN (SELECT user_id FROM mentor_offers WHERE community_id = $1)
          GROUP BY c.author_id, s.skill";
    all_rows(db, sql, args![community]).await
}

/// `user`'s offer's capacity in `community`, if they made one.
pub async fn capacity(conn: impl Db<'_>, community: CommunityId, user: UserId) -> Sql<Option<i64>> {
    let sql = "SELECT capacity FROM mentor_offers WHERE community_id = $1 AND user_id = $2";
    optional_value(conn, sql, args![community, user]).await
}

/// Records a request for a mentor by `mentee`; returns its id.
pub async fn insert_request(
    conn: impl Db<'_>,
    community: CommunityId,
    mentee: UserId,
    request: &ValidRequest,
    at: DateTime<Utc>,
) -> Sql<i64> {
    on_engine!(conn, |conn| {
        let sql =
            "INSERT INTO mentorships (community_id, mentee_id, topic, goal, cadence, created_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";
        let id: i64 = one_value(
            &mut *conn,
            sql,
            args![
                community,
                mentee,
                &request.topic,
                &request.goal,
                request.cadence.as_str(),
                timestamp(at)
            ],
        )
        .await?;
        let tags = request
            .skills
            .iter()
            .map(|t| ("skill", t))
            .chain(request.languages.iter().map(|t| ("language", t)));
        for (kind, tag) in tags {
            let sql = "INSERT INTO mentorship_tags (mentorship_id, kind, tag) VALUES ($1, $2, $3)";
            run(&mut *conn, sql, args![id, kind, tag]).await?;
        }
        Ok(id)
    })
}

/// A request or mentorship as stored, with both handles.
#[derive(Debug, Clone, FromRow)]
pub struct MentorshipRow {
    /// Id.
    pub id: i64,
    /// The mentee.
    pub mentee_id: UserId,
    /// Their handle.
    pub mentee: String,
    /// The asked or accepting mentor.
    pub mentor_id: Option<UserId>,
    /// Their handle.
    pub mentor: Option<String>,
    /// What it is about.
    pub topic: String,
    /// Goal.
    pub goal: String,
    /// Cadence, as stored.
    pub cadence: String,
    /// Stage, as stored.
    pub status: String,
}

const MENTORSHIP_SELECT: &str = "SELECT m.id, m.mentee_id, e.handle AS mentee, m.mentor_id,
        r.handle AS mentor, m.topic, m.goal, m.cadence, m.status
   FROM mentorships m
   JOIN users e ON e.id = m.mentee_id
   LEFT JOIN users r ON r.id = m.mentor_id";

/// One request or mentorship of `community`.
pub async fn mentorship(
    db: impl Db<'_>,
    community: CommunityId,
    id: i64,
) -> Sql<Option<MentorshipRow>> {
    let sql = format!("{MENTORSHIP_SELECT} WHERE m.community_id = $1 AND m.id = $2");
    optional_row(db, &sql, args![community, id]).await
}

/// The requests and mentorships `user` is part of in `community` (withdrawn ones left
/// out), newest first.
pub async fn involving(
    db: impl Db<'_>,
    community: CommunityId,
    user: UserId,
) -> Sql<Vec<MentorshipRow>> {
    let sql = format!(
        "{MENTORSHIP_SELECT} WHERE m.community_id = $1 AND (m.mentee_id = $2 OR m.mentor_id = $2)
            AND m.status <> 'withdrawn'
          ORDER BY m.id DESC LIMIT 50"
    );
    all_rows(db, &sql, args![community, user]).await
}

/// The skills and languages of the requests `user` is part of: (mentorship, kind, tag).
pub async fn request_tags(
    db: impl Db<'_>,
    community: CommunityId,
    user: UserId,
) -> Sql<Vec<(i64, String, String)>> {
    let sql = "SELECT t.mentorship_id, t.kind, t.tag FROM mentorship_tags t
           JOIN mentorships m ON m.id = t.mentorship_id
          WHERE m.community_id = $1 AND (m.mentee_id = $2 OR m.mentor_id = $2)
          ORDER BY t.tag";
    all_rows(db, sql, args![community, user]).await
}

/// Mentors not to suggest to `mentee` again: those who declined one of their requests,
/// and those already asked by or paired with them: (request, mentor); request 0 means
/// "every request".
pub async fn excluded_mentors(
    db: impl Db<'_>,
    community: CommunityId,
    mentee: UserId,
) -> Sql<Vec<(i64, UserId)>> {
    let sql = "SELECT d.mentorship_id, d.mentor_id FROM mentorship_declines d
           JOIN mentorships m ON m.id = d.mentorship_id
          WHERE m.community_id = $1 AND m.mentee_id = $2
         UNION ALL
         SELECT 0, mentor_id FROM mentorships
          WHERE community_id = $1 AND mentee_id = $2 AND status IN ('asked', 'active')
            AND mentor_id IS NOT NULL";
    all_rows(db, sql, args![community, mentee]).await
}

/// Asks `mentor` to take an open request; false if it was no longer open.
pub async fn ask(conn: impl Db<'_>, id: i64, mentor: UserId) -> Sql<bool> {
    let sql =
        "UPDATE mentorships SET mentor_id = $1, status = 'asked' WHERE id = $2 AND status = 'open'";
    let done = run(conn, sql, args![mentor, id]).await?;
    Ok(done == 1)
}

/// Active mentorships `user` has in `community` as a mentor (`as_mentor`) or a mentee.
pub async fn active_count(
    conn: impl Db<'_>,
    community: CommunityId,
    user: UserId,
    as_mentor: bool,
) -> Sql<i64> {
    on_engine!(conn, |conn| {
        let column = if as_mentor { "mentor_id" } else { "mentee_id" };
        let sql = format!(
            "SELECT COUNT(*) FROM mentorships WHERE community_id = $1 AND {column} = $2 AND status = 'active'"
        );
        one_value(conn, &sql, args![community, user]).await
    })
}

/// Whether `mentor` and `mentee` already have an active mentorship in `community`.
pub async fn pair_active(
    conn: impl Db<'_>,
    community: CommunityId,
    mentor: UserId,
    mentee: UserId,
) -> Sql<bool> {
    let sql =
        "SELECT id FROM mentorships WHERE community_id = $1 AND mentor_id = $2 AND mentee_id = $3
            AND status = 'active' LIMIT 1";
    let found: Option<i64> = optional_value(conn, sql, args![community, mentor, mentee]).await?;
    Ok(found.is_some())
}

/// Starts an asked mentorship; false if it was no longer waiting for an answer.
pub async fn accept(conn: impl Db<'_>, id: i64, at: DateTime<Utc>) -> Sql<bool> {
    let sql = "UPDATE mentorships SET status = 'active', accepted_at = $1 WHERE id = $2 AND status = 'asked'";
    let done = run(conn, sql, args![timestamp(at), id]).await?;
    Ok(done == 1)
}

/// Records `mentor`'s decline and reopens the request; false if it was not waiting.
pub async fn decline(conn: impl Db<'_>, id: i64, mentor: UserId) -> Sql<bool> {
    on_engine!(conn, |conn| {
        let sql = "UPDATE mentorships SET status = 'open', mentor_id = NULL
          WHERE id = $1 AND status = 'asked' AND mentor_id = $2";
        let done = run(&mut *conn, sql, args![id, mentor]).await?;
        if done == 0 {
            return Ok(false);
        }
        let sql = "INSERT INTO mentorship_declines (mentorship_id, mentor_id) VALUES ($1, $2)
         ON CONFLICT DO NOTHING";
        run(conn, sql, args![id, mentor]).await?;
        Ok(true)
    })
}

/// Ends a mentorship or request in `to` ('completed' or 'withdrawn') from one of `from`;
/// false if it was in none of them.
pub async fn end(
    conn: impl Db<'_>,
    id: i64,
    from: &[&str],
    to: &str,
    at: DateTime<Utc>,
) -> Sql<bool> {
    on_engine!(conn, |conn| {
        let allowed = from.iter().map(|s| format!("'{s}'")).collect::<Vec<_>>().join(", ");
        let sql = format!(
            "UPDATE mentorships SET status = $1, ended_at = $2 WHERE id = $3 AND status IN ({allowed})"
        );
        let done = run(conn, &sql, args![to, timestamp(at), id]).await?;
        Ok(done == 1)
    })
}

/// The initiative mentoring sessions count towards in `community`, if made.
pub async fn mentoring_initiative(conn: impl Db<'_>, community: CommunityId) -> Sql<Option<i64>> {
    let sql = "SELECT initiative_id FROM mentoring_initiatives WHERE community_id = $1";
    optional_value(conn, sql, args![community]).await
}

/// Records `initiative` as `community`'s mentoring initiative.
pub async fn set_mentoring_initiative(
    conn: impl Db<'_>,
    community: CommunityId,
    initiative: i64,
) -> Sql<()> {
    let sql = "INSERT INTO mentoring_initiatives (community_id, initiative_id) VALUES ($1, $2)";
    run(conn, sql, args![community, initiative]).await?;
    Ok(())
}

/// Approves an initiative made by the system for mentoring (no leader decision needed).
pub async fn approve_initiative(conn: impl Db<'_>, initiative: i64) -> Sql<()> {
    let sql = "UPDATE initiatives SET status = 'approved' WHERE id = $1";
    run(conn, sql, args![initiative]).await?;
    Ok(())
}

/// Ties a logged contribution to its mentorship.
pub async fn insert_session(
    conn: impl Db<'_>,
    contribution: i64,
    mentorship: i64,
    note: &str,
) -> Sql<()> {
    let sql =
        "INSERT INTO mentoring_sessions (contribution_id, mentorship_id, note) VALUES ($1, $2, $3)";
    run(conn, sql, args![contribution, mentorship, note]).await?;
    Ok(())
}

/// A logged session as stored.
#[derive(Debug, Clone, FromRow)]
pub struct SessionRow {
    /// The contribution.
    pub contribution_id: i64,
    /// Its mentorship.
    pub mentorship_id: i64,
    /// Who logged it.
    pub author_id: UserId,
    /// Their handle.
    pub author: String,
    /// `YYYY-MM-DD`.
    pub done_on: String,
    /// Hours.
    pub hours: Option<f64>,
    /// What it covered.
    pub note: String,
    /// The contribution's status.
    pub status: String,
}

/// The sessions of every mentorship `user` is part of in `community`, newest first.
pub async fn sessions(
    db: impl Db<'_>,
    community: CommunityId,
    user: UserId,
) -> Sql<Vec<SessionRow>> {
    let sql =
        "SELECT s.contribution_id, s.mentorship_id, c.author_id, u.handle AS author, c.done_on,
                c.hours, s.note, c.status
           FROM mentoring_sessions s
           JOIN mentorships m ON m.id = s.mentorship_id
           JOIN contributions c ON c.id = s.contribution_id
           JOIN users u ON u.id = c.author_id
          WHERE m.community_id = $1 AND (m.mentee_id = $2 OR m.mentor_id = $2)
          ORDER BY c.done_on DESC, s.contribution_id DESC";
    all_rows(db, sql, args![community, user]).await
}

/// Who a session concerns: (mentor, mentee, author), if contribution `id` is a session
/// of `community`.
pub async fn session_parties(
    conn: impl Db<'_>,
    community: CommunityId,
    id: i64,
) -> Sql<Option<(Option<UserId>, UserId, UserId)>> {
    let sql = "SELECT m.mentor_id, m.mentee_id, c.author_id FROM mentoring_sessions s
           JOIN mentorships m ON m.id = s.mentorship_id
           JOIN contributions c ON c.id = s.contribution_id
          WHERE m.community_id = $1 AND s.contribution_id = $2";
    optional_row(conn, sql, args![community, id]).await
}

/// Requests in `community` not yet accepted (open or asked).
pub async fn waiting_count(db: impl Db<'_>, community: CommunityId) -> Sql<i64> {
    let sql =
        "SELECT COUNT(*) FROM mentorships WHERE community_id = $1 AND status IN ('open', 'asked')";
    one_value(db, sql, args![community]).await
}

/// When each accepted mentorship of `community` was asked for and accepted.
pub async fn waits(db: impl Db<'_>, community: CommunityId) -> Sql<Vec<(String, String)>> {
    let sql = "SELECT created_at, accepted_at FROM mentorships
          WHERE community_id = $1 AND accepted_at IS NOT NULL ORDER BY id DESC LIMIT 500";
    all_rows(db, sql, args![community]).await
}

/// Replaces the skills `initiative`'s work proves.
pub async fn set_initiative_skills(
    conn: impl Db<'_>,
    initiative: i64,
    skills: &[String],
) -> Sql<()> {
    on_engine!(conn, |conn| {
        let sql = "DELETE FROM initiative_skills WHERE initiative_id = $1";
        run(&mut *conn, sql, args![initiative]).await?;
        for skill in skills {
            let sql = "INSERT INTO initiative_skills (initiative_id, skill) VALUES ($1, $2)";
            run(&mut *conn, sql, args![initiative, skill]).await?;
        }
        Ok(())
    })
}

/// The skills `initiative`'s work proves.
pub async fn initiative_skills(db: impl Db<'_>, initiative: i64) -> Sql<Vec<String>> {
    let sql = "SELECT skill FROM initiative_skills WHERE initiative_id = $1 ORDER BY skill";
    all_values(db, sql, args![initiative]).await
}
