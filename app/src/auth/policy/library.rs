//! Who may change a library resource.

use crate::domain::community::Standing;
use crate::domain::ids::UserId;
use crate::error::AppError;

/// Whether `viewer` may edit a resource `owner` added: its owner while still a member,
/// and the community's leaders.
pub fn can_edit_resource(standing: Standing, viewer: Option<UserId>, owner: UserId) -> bool {
    standing.is_leader() || (matches!(standing, Standing::Member(_)) && viewer == Some(owner))
}

/// Like [`can_edit_resource`], as the error to answer (the caller already checked that
/// they may see the community).
pub fn check_edit_resource(
    standing: Standing,
    viewer: Option<UserId>,
    owner: UserId,
) -> Result<(), AppError> {
    if can_edit_resource(standing, viewer, owner) { Ok(()) } else { Err(AppError::Forbidden) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::community::Role;

    #[test]
    fn owners_and_leaders_edit_resources() {
        let (me, you) = (UserId(1), UserId(2));
        let member = Standing::Member(Role::Member);
        assert!(can_edit_resource(member, Some(me), me));
        assert!(!can_edit_resource(member, Some(you), me));
        assert!(can_edit_resource(Standing::Member(Role::Steward), Some(you), me));
        assert!(!can_edit_resource(Standing::Outsider, Some(me), me));
        assert_eq!(check_edit_resource(member, None, me), Err(AppError::Forbidden));
    }
}
