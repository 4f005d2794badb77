//! Who may see, answer and host events.

use chrono::{DateTime, Utc};

use crate::domain::community::Standing;
use crate::domain::events::EventVisibility;
use crate::error::AppError;

/// Whether someone standing here sees an event of a community they can see: members see
/// every event, everyone else only public ones.
pub fn can_see_event(standing: Standing, visibility: EventVisibility) -> bool {
    matches!(standing, Standing::Member(_)) || visibility == EventVisibility::Public
}

/// Like [`can_see_event`], as the error to answer: a hidden event is not found, exactly
/// like one that does not exist.
pub fn check_see_event(standing: Standing, visibility: EventVisibility) -> Result<(), AppError> {
    if can_see_event(standing, visibility) { Ok(()) } else { Err(AppError::NotFound) }
}

/// Whether someone may host an event (create it, cancel its occurrences): leaders, and
/// members for an initiative they own.
pub fn can_host_event(standing: Standing, owns_its_initiative: bool) -> bool {
    standing.is_leader() || (matches!(standing, Standing::Member(_)) && owns_its_initiative)
}

/// Like [`can_host_event`], as the error to answer.
pub fn check_host_event(standing: Standing, owns_its_initiative: bool) -> Result<(), AppError> {
    if can_host_event(standing, owns_its_initiative) { Ok(()) } else { Err(AppError::Forbidden) }
}

/// Whether an occurrence still takes answers at `now`: not cancelled, and before the
/// RSVP cut-off. The error names the form's `response` field.
pub fn check_rsvp_open(
    now: DateTime<Utc>,
    closes_at: DateTime<Utc>,
    cancelled: bool,
) -> Result<(), AppError> {
    if cancelled {
        Err(AppError::invalid("response", "This occurrence was cancelled."))
    } else if now >= closes_at {
        Err(AppError::invalid("response", "RSVPs for this occurrence have closed."))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use chrono::Duration;

    use super::*;
    use crate::domain::community::Role;

    #[test]
    fn members_see_every_event_and_others_only_public_ones() {
        for standing in Standing::ALL {
            let member = matches!(standing, Standing::Member(_));
            assert_eq!(can_see_event(standing, EventVisibility::Members), member, "{standing:?}");
            assert!(can_see_event(standing, EventVisibility::Public), "{standing:?}");
            assert_eq!(
                check_see_event(standing, EventVisibility::Members).is_ok(),
                member,
                "{standing:?}"
            );
        }
    }

    #[test]
    fn leaders_host_any_event_and_members_their_own_initiatives() {
        for standing in Standing::ALL {
            for owns in [false, true] {
                let leader = matches!(standing, Standing::Member(Role::Owner | Role::Steward));
                let member = matches!(standing, Standing::Member(_));
                assert_eq!(
                    can_host_event(standing, owns),
                    leader || (member && owns),
                    "{standing:?} owns={owns}"
                );
                assert_eq!(check_host_event(standing, owns).is_ok(), leader || (member && owns));
            }
        }
    }

    #[test]
    fn answers_close_at_the_cut_off_and_never_reopen_for_a_cancelled_occurrence() {
        let now = Utc::now();
        assert!(check_rsvp_open(now, now + Duration::minutes(1), false).is_ok());
        assert!(check_rsvp_open(now, now, false).is_err());
        assert!(check_rsvp_open(now, now + Duration::days(1), true).is_err());
    }
}
