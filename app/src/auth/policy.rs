//! Every permission question Kindred asks, answered in one place.
//!
//! Functions here are pure: they take who is asking and what they are asking
//! about, and answer. `can_*` returns a bool for showing or hiding controls;
//! `check_*` returns the error a server function should answer with.

use crate::domain::account::CurrentUser;
use crate::domain::ids::UserId;
use crate::error::AppError;

/// Whether `actor` may edit the profile of the account `owner`.
pub fn can_edit_profile(actor: Option<&CurrentUser>, owner: UserId) -> bool {
    actor.is_some_and(|a| a.id == owner)
}

/// Like [`can_edit_profile`], as the error to answer: 401 when signed out, 403 for someone else's.
pub fn check_edit_profile(actor: Option<&CurrentUser>, owner: UserId) -> Result<(), AppError> {
    match actor {
        None => Err(AppError::Unauthorized),
        Some(_) if can_edit_profile(actor, owner) => Ok(()),
        Some(_) => Err(AppError::Forbidden),
    }
}

/// Signed-in people are sent away from the sign-in and sign-up forms; anyone else may use them.
pub fn check_signed_out(actor: Option<&CurrentUser>) -> Result<(), AppError> {
    match actor {
        None => Ok(()),
        Some(_) => Err(AppError::Forbidden),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(id: i64) -> CurrentUser {
        CurrentUser {
            id: UserId(id),
            handle: format!("p{id}"),
            display_name: format!("P{id}"),
        }
    }

    #[test]
    fn only_the_owner_edits_a_profile() {
        let ada = person(1);
        let bob = person(2);
        assert!(can_edit_profile(Some(&ada), UserId(1)));
        assert!(!can_edit_profile(Some(&bob), UserId(1)));
        assert!(!can_edit_profile(None, UserId(1)));
        assert_eq!(check_edit_profile(Some(&ada), UserId(1)), Ok(()));
        assert_eq!(
            check_edit_profile(Some(&bob), UserId(1)),
            Err(AppError::Forbidden)
        );
        assert_eq!(
            check_edit_profile(None, UserId(1)),
            Err(AppError::Unauthorized)
        );
    }

    #[test]
    fn only_signed_out_people_sign_up() {
        assert_eq!(check_signed_out(None), Ok(()));
        assert_eq!(check_signed_out(Some(&person(1))), Err(AppError::Forbidden));
    }
}
