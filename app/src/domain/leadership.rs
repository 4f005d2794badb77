//! Leadership health: is leadership shared, and are terms renewed in time?

use chrono::{DateTime, Utc};

use super::community::{LeadershipHealth, MemberEntry, Role};
#[cfg(test)]
use super::ids::UserId;

/// Leadership health from the list of current leaders: which roles are vacant,
/// whose terms end within 30 days, and whether one person holds every leadership role.
pub fn leadership_health(leaders: Vec<MemberEntry>, now: DateTime<Utc>) -> LeadershipHealth {
    let vacant_roles = Role::LEADERSHIP
        .into_iter()
        .filter(|role| !leaders.iter().any(|l| l.role == *role))
        .collect();
    let soon = now + chrono::Duration::days(30);
    let terms_ending = leaders
        .iter()
        .filter(|l| l.term_ends_at.is_some_and(|end| end > now && end <= soon))
        .cloned()
        .collect();
    let mut people: Vec<&str> = leaders.iter().map(|l| l.handle.as_str()).collect();
    people.dedup();
    let single_point = match people.as_slice() {
        [only] => Some((*only).to_owned()),
        _ => None,
    };
    LeadershipHealth { vacant_roles, terms_ending, single_point, leaders }
}

#[cfg(test)]
mod health_tests {
    use super::*;

    fn leader(
        handle: &str,
        id: i64,
        role: Role,
        term_days: Option<i64>,
        now: DateTime<Utc>,
    ) -> MemberEntry {
        MemberEntry {
            user_id: UserId(id),
            handle: handle.into(),
            display_name: handle.into(),
            role,
            term_ends_at: term_days.map(|d| now + chrono::Duration::days(d)),
            joined_at: now,
            skills: vec![],
            interests: vec![],
        }
    }

    #[test]
    fn a_lone_founder_is_a_single_point_with_vacancies() {
        let now = Utc::now();
        let health = leadership_health(vec![leader("ada", 1, Role::Owner, None, now)], now);
        assert_eq!(health.vacant_roles, vec![Role::Steward, Role::Moderator]);
        assert_eq!(health.single_point.as_deref(), Some("ada"));
    }

    #[test]
    fn terms_ending_within_thirty_days_are_flagged() {
        let now = Utc::now();
        let health = leadership_health(
            vec![
                leader("ada", 1, Role::Owner, None, now),
                leader("bo", 2, Role::Steward, Some(10), now),
                leader("cy", 3, Role::Moderator, Some(45), now),
            ],
            now,
        );
        assert!(health.vacant_roles.is_empty());
        assert_eq!(health.single_point, None);
        let ending: Vec<&str> = health.terms_ending.iter().map(|l| l.handle.as_str()).collect();
        assert_eq!(ending, ["bo"]);
    }
}
