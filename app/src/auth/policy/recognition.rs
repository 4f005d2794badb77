//! Who may give, take back and hide kudos.

use chrono::{DateTime, Utc};

use crate::domain::ids::UserId;
use crate::domain::recognition::retract_window;
use crate::error::AppError;

/// Whether `giver` may thank `receivers` having given `given` kudos in the last 7 days
/// against a budget of `budget`: never themselves, never over the budget. Errors name
/// the form's fields.
pub fn check_give_kudos(
    giver: UserId,
    receivers: &[UserId],
    given: i64,
    budget: i64,
) -> Result<(), AppError> {
    if receivers.is_empty() {
        return Err(AppError::invalid("to", "Nobody to thank there: add someone else."));
    }
    if receivers.contains(&giver) {
        return Err(AppError::invalid("to", "Kudos are for others; you cannot thank yourself."));
    }
    if budget == 0 {
        return Err(AppError::invalid("to", "This community has turned kudos off."));
    }
    if given >= budget {
        return Err(AppError::invalid(
            "to",
            format!(
                "You have given your {budget} kudos for this week; more can be given in a few days."
            ),
        ));
    }
    Ok(())
}

/// Whether `viewer` may take back a kudos `giver` gave at `given_at`: the giver only,
/// within minutes.
pub fn can_retract_kudos(
    viewer: Option<UserId>,
    giver: UserId,
    given_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> bool {
    viewer == Some(giver) && now - given_at <= retract_window()
}

/// Whether `viewer` may export or share the award `holder` holds: the holder only (anyone
/// else is told it does not exist), and not once it is revoked.
pub fn check_own_award(
    viewer: Option<UserId>,
    holder: UserId,
    revoked: bool,
) -> Result<(), AppError> {
    if viewer != Some(holder) {
        return Err(AppError::NotFound);
    }
    if revoked {
        return Err(AppError::conflict(
            "award",
            "This award was revoked; it can no longer be exported or shared.",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use chrono::Duration;

    use super::*;

    #[test]
    fn nobody_thanks_themselves_or_goes_over_budget() {
        let (me, you) = (UserId(1), UserId(2));
        assert!(check_give_kudos(me, &[you], 0, 5).is_ok());
        assert!(check_give_kudos(me, &[you, me], 0, 5).is_err());
        assert!(check_give_kudos(me, &[you], 5, 5).is_err());
        assert!(check_give_kudos(me, &[you], 0, 0).is_err());
        assert!(check_give_kudos(me, &[], 0, 5).is_err());
    }

    #[test]
    fn only_the_holder_exports_an_award_and_never_a_revoked_one() {
        let (me, you) = (UserId(1), UserId(2));
        assert!(check_own_award(Some(me), me, false).is_ok());
        assert_eq!(check_own_award(Some(you), me, false), Err(AppError::NotFound));
        assert_eq!(check_own_award(None, me, false), Err(AppError::NotFound));
        assert!(matches!(check_own_award(Some(me), me, true), Err(AppError::Conflict(_))));
    }

    #[test]
    fn only_the_giver_retracts_and_only_for_a_short_time() {
        let now = Utc::now();
        let (me, you) = (UserId(1), UserId(2));
        assert!(can_retract_kudos(Some(me), me, now - Duration::minutes(2), now));
        assert!(!can_retract_kudos(Some(you), me, now, now));
        assert!(!can_retract_kudos(None, me, now, now));
        assert!(!can_retract_kudos(Some(me), me, now - Duration::hours(1), now));
    }
}
