//! Every permission question Kindred asks, answered in one place.
//!
//! Functions here are pure: they take who is asking and what they are asking
//! about, and answer. `can_*` returns a bool for showing or hiding controls;
//! `check_*` returns the error a server function should answer with.

use crate::domain::account::CurrentUser;
use crate::domain::community::{JoinPolicy, Role, Standing, Visibility};
use crate::domain::ids::UserId;
use crate::error::AppError;

mod challenges;
mod discussions;
mod events;
mod library;
mod recognition;
pub use challenges::*;
pub use discussions::*;
pub use events::*;
pub use library::*;
pub use recognition::*;

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

/// Things a person may try to do in a community.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommunityAction {
    /// Read its home: mission, vision, values, leaders, activity.
    View,
    /// Read its member list.
    ViewMembers,
    /// Join, ask to join, or accept an invite.
    Join,
    /// Leave it.
    Leave,
    /// Change its name, mission, vision, values and settings.
    Edit,
    /// Approve or decline join requests.
    ReviewRequests,
    /// Create and list invite links.
    ManageInvites,
    /// Grant and revoke roles.
    ManageRoles,
    /// Ban a member.
    Ban,
    /// Read the audit log.
    ViewAudit,
    /// Read the leadership-health page.
    ViewLeadership,
    /// Propose initiatives, sign up for opportunities, log contributions.
    Contribute,
    /// Create and edit goals; approve initiatives.
    ManageGoals,
    /// Export the community's contributions and progress.
    Export,
    /// Start threads, reply, react and flag posts.
    Discuss,
    /// Pin, lock and hide in discussions; work the flag queue.
    Moderate,
    /// Answer an event's RSVP (going, interested, not going).
    Attend,
    /// Create events and cancel their occurrences (initiative owners also host their
    /// initiative's events: see [`can_host_event`]).
    HostEvents,
    /// Create challenges (time-boxed drives measured on the ledger).
    RunChallenges,
    /// Create and change badges, award them by hand and revoke awards.
    ManageBadges,
    /// Add resources to the library, mark them helpful and flag them outdated.
    ShareKnowledge,
    /// Organise the library's collections.
    OrganiseLibrary,
    /// Offer to mentor, ask for a mentor, and take part in mentorships.
    Mentor,
}

impl CommunityAction {
    /// Every action, for exhaustive tests.
    pub const ALL: [CommunityAction; 23] = [
        CommunityAction::View,
        CommunityAction::ViewMembers,
        CommunityAction::Join,
        CommunityAction::Leave,
        CommunityAction::Edit,
        CommunityAction::ReviewRequests,
        CommunityAction::ManageInvites,
        CommunityAction::ManageRoles,
        CommunityAction::Ban,
        CommunityAction::ViewAudit,
        CommunityAction::ViewLeadership,
        CommunityAction::Contribute,
        CommunityAction::ManageGoals,
        CommunityAction::Export,
        CommunityAction::Discuss,
        CommunityAction::Moderate,
        CommunityAction::Attend,
        CommunityAction::HostEvents,
        CommunityAction::RunChallenges,
        CommunityAction::ManageBadges,
        CommunityAction::ShareKnowledge,
        CommunityAction::OrganiseLibrary,
        CommunityAction::Mentor,
    ];
}

/// Whether the community exists at all for someone standing here: public ones
/// for everyone, private ones for their active members only.
pub fn can_see_community(standing: Standing, visibility: Visibility) -> bool {
    match visibility {
        Visibility::Public => true,
        Visibility::Private => matches!(standing, Standing::Member(_)),
    }
}

/// Whether someone standing here may do `action` (assuming they are signed in where it matters).
pub fn can_in_community(
    standing: Standing,
    visibility: Visibility,
    action: CommunityAction,
) -> bool {
    if !can_see_community(standing, visibility) {
        return false;
    }
    match action {
        CommunityAction::View | CommunityAction::ViewMembers => true,
        CommunityAction::Join => standing == Standing::Outsider,
        CommunityAction::Leave
        | CommunityAction::Contribute
        | CommunityAction::Discuss
        | CommunityAction::ShareKnowledge
        | CommunityAction::Mentor
        | CommunityAction::Attend => {
            matches!(standing, Standing::Member(_))
        }
        CommunityAction::Moderate => standing.is_moderator(),
        CommunityAction::Edit
        | CommunityAction::ReviewRequests
        | CommunityAction::ManageInvites
        | CommunityAction::ManageRoles
        | CommunityAction::Ban
        | CommunityAction::ViewAudit
        | CommunityAction::ViewLeadership
        | CommunityAction::ManageGoals
        | CommunityAction::Export
        | CommunityAction::HostEvents
        | CommunityAction::RunChallenges
        | CommunityAction::ManageBadges
        | CommunityAction::OrganiseLibrary => standing.is_leader(),
    }
}

/// Like [`can_in_community`], as the error to answer: 404 when the community is
/// invisible to them (exactly as if it did not exist), 401 when signing in could
/// help, 403 otherwise.
pub fn check_in_community(
    signed_in: bool,
    standing: Standing,
    visibility: Visibility,
    action: CommunityAction,
) -> Result<(), AppError> {
    if !can_see_community(standing, visibility) {
        return Err(AppError::NotFound);
    }
    let needs_account = !matches!(action, CommunityAction::View | CommunityAction::ViewMembers);
    if needs_account && !signed_in {
        return Err(AppError::Unauthorized);
    }
    if can_in_community(standing, visibility, action) { Ok(()) } else { Err(AppError::Forbidden) }
}

/// How joining proceeds for an outsider without an invite: at once, or by request.
pub fn check_join_without_invite(policy: JoinPolicy) -> Result<bool, AppError> {
    match policy {
        JoinPolicy::Open => Ok(true),
        JoinPolicy::Approval => Ok(false),
        JoinPolicy::Invite => Err(AppError::Forbidden),
    }
}

/// Whether `actor` may move `target` from role `from` to role `to`.
///
/// Owners and stewards manage roles; only owners grant or take away ownership;
/// the last owner cannot be demoted; terms apply to stewards and moderators only.
pub fn check_role_change(
    actor: Role,
    from: Role,
    to: Role,
    has_term: bool,
    owner_count: i64,
) -> Result<(), AppError> {
    if !matches!(actor, Role::Owner | Role::Steward) {
        return Err(AppError::Forbidden);
    }
    if (from == Role::Owner || to == Role::Owner) && actor != Role::Owner {
        return Err(AppError::Forbidden);
    }
    if from == Role::Owner && to != Role::Owner && owner_count <= 1 {
        return Err(AppError::conflict(
            "role",
            "This is the last owner. Make someone else an owner first.",
        ));
    }
    if has_term && !matches!(to, Role::Steward | Role::Moderator) {
        return Err(AppError::invalid(
            "term_ends",
            "Only steward and moderator roles can have a term.",
        ));
    }
    Ok(())
}

/// Whether `actor` may ban someone holding `target`: leaders only, and only people below them.
pub fn check_ban(actor: Role, target: Role) -> Result<(), AppError> {
    if matches!(actor, Role::Owner | Role::Steward) && actor < target {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// Whether a member may leave: the last owner must hand ownership over first.
pub fn check_leave(role: Role, owner_count: i64) -> Result<(), AppError> {
    if role == Role::Owner && owner_count <= 1 {
        Err(AppError::conflict(
            "leave",
            "You are the last owner. Make another member an owner before you leave.",
        ))
    } else {
        Ok(())
    }
}

/// Whether `viewer` may verify or decline a contribution: leaders, or the owner of
/// the initiative it belongs to; never its own author unless the community allows
/// self-attestation.
pub fn check_verify(
    standing: Standing,
    viewer: UserId,
    author: UserId,
    initiative_owner: Option<UserId>,
    self_attestation: bool,
) -> Result<(), AppError> {
    let verifier = standing.is_leader()
        || (matches!(standing, Standing::Member(_)) && initiative_owner == Some(viewer));
    if !verifier || (author == viewer && !self_attestation) {
        return Err(AppError::Forbidden);
    }
    Ok(())
}

/// Whether `viewer` may manage an initiative (add opportunities): its owner or a leader.
pub fn check_manage_initiative(
    standing: Standing,
    viewer: UserId,
    owner: UserId,
) -> Result<(), AppError> {
    if standing.is_leader() || (matches!(standing, Standing::Member(_)) && viewer == owner) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(id: i64) -> CurrentUser {
        CurrentUser { id: UserId(id), handle: format!("p{id}"), display_name: format!("P{id}") }
    }

    #[test]
    fn only_the_owner_edits_a_profile() {
        let ada = person(1);
        let bob = person(2);
        assert!(can_edit_profile(Some(&ada), UserId(1)));
        assert!(!can_edit_profile(Some(&bob), UserId(1)));
        assert!(!can_edit_profile(None, UserId(1)));
        assert_eq!(check_edit_profile(Some(&ada), UserId(1)), Ok(()));
        assert_eq!(check_edit_profile(Some(&bob), UserId(1)), Err(AppError::Forbidden));
        assert_eq!(check_edit_profile(None, UserId(1)), Err(AppError::Unauthorized));
    }

    #[test]
    fn only_signed_out_people_sign_up() {
        assert_eq!(check_signed_out(None), Ok(()));
        assert_eq!(check_signed_out(Some(&person(1))), Err(AppError::Forbidden));
    }

    use CommunityAction as A;

    const STANDINGS: [Standing; 7] = Standing::ALL;

    /// The expected answer for every standing x visibility x action.
    fn expected(standing: Standing, visibility: Visibility, action: A) -> bool {
        let member = matches!(standing, Standing::Member(_));
        let leader = matches!(standing, Standing::Member(Role::Owner | Role::Steward));
        let visible = visibility == Visibility::Public || member;
        visible
            && match action {
                A::View | A::ViewMembers => true,
                A::Join => standing == Standing::Outsider,
                A::Leave
                | A::Contribute
                | A::Discuss
                | A::Attend
                | A::ShareKnowledge
                | A::Mentor => member,
                A::Moderate => leader || standing == Standing::Member(Role::Moderator),
                _ => leader,
            }
    }

    #[test]
    fn every_standing_and_action_in_both_kinds_of_community() {
        for visibility in [Visibility::Public, Visibility::Private] {
            for standing in STANDINGS {
                for action in A::ALL {
                    assert_eq!(
                        can_in_community(standing, visibility, action),
                        expected(standing, visibility, action),
                        "{standing:?} {visibility:?} {action:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn a_private_community_is_not_found_for_everyone_outside_it() {
        for standing in [Standing::Outsider, Standing::Pending, Standing::Banned] {
            for action in A::ALL {
                assert_eq!(
                    check_in_community(true, standing, Visibility::Private, action),
                    Err(AppError::NotFound),
                    "{standing:?} {action:?}"
                );
            }
        }
    }

    #[test]
    fn errors_say_sign_in_or_forbidden() {
        assert_eq!(
            check_in_community(false, Standing::Outsider, Visibility::Public, A::View),
            Ok(())
        );
        assert_eq!(
            check_in_community(false, Standing::Outsider, Visibility::Public, A::Join),
            Err(AppError::Unauthorized)
        );
        assert_eq!(
            check_in_community(
                true,
                Standing::Member(Role::Moderator),
                Visibility::Public,
                A::Edit
            ),
            Err(AppError::Forbidden)
        );
        assert_eq!(
            check_in_community(true, Standing::Member(Role::Steward), Visibility::Private, A::Edit),
            Ok(())
        );
    }

    #[test]
    fn join_policies() {
        assert_eq!(check_join_without_invite(JoinPolicy::Open), Ok(true));
        assert_eq!(check_join_without_invite(JoinPolicy::Approval), Ok(false));
        assert_eq!(check_join_without_invite(JoinPolicy::Invite), Err(AppError::Forbidden));
    }

    #[test]
    fn role_changes() {
        use Role::*;
        // Every actor x from x to, with two owners present and no term.
        for actor in Role::ALL {
            for from in Role::ALL {
                for to in Role::ALL {
                    let allowed = check_role_change(actor, from, to, false, 2).is_ok();
                    let expected = match actor {
                        Owner => true,
                        Steward => from != Owner && to != Owner,
                        _ => false,
                    };
                    assert_eq!(allowed, expected, "{actor:?}: {from:?} -> {to:?}");
                }
            }
        }
        assert!(matches!(
            check_role_change(Owner, Owner, Member, false, 1),
            Err(AppError::Conflict(_))
        ));
        assert!(check_role_change(Owner, Owner, Owner, false, 1).is_ok());
        assert!(check_role_change(Steward, Member, Moderator, true, 1).is_ok());
        assert!(matches!(
            check_role_change(Owner, Member, Owner, true, 1),
            Err(AppError::Validation(_))
        ));
        assert!(matches!(
            check_role_change(Owner, Steward, Member, true, 1),
            Err(AppError::Validation(_))
        ));
    }

    #[test]
    fn bans_go_downwards_only() {
        use Role::*;
        for actor in Role::ALL {
            for target in Role::ALL {
                let expected = matches!(actor, Owner | Steward) && actor < target;
                assert_eq!(check_ban(actor, target).is_ok(), expected, "{actor:?} bans {target:?}");
            }
        }
    }

    #[test]
    fn the_last_owner_cannot_leave() {
        assert!(matches!(check_leave(Role::Owner, 1), Err(AppError::Conflict(_))));
        assert_eq!(check_leave(Role::Owner, 2), Ok(()));
        for role in [Role::Steward, Role::Moderator, Role::Member] {
            assert_eq!(check_leave(role, 1), Ok(()));
        }
    }

    #[test]
    fn who_verifies_what() {
        let (me, other, owner) = (UserId(1), UserId(2), UserId(3));
        let member = Standing::Member(Role::Member);
        let steward = Standing::Member(Role::Steward);
        // Leaders verify others' work; initiative owners verify their initiative's work.
        assert_eq!(check_verify(steward, me, other, None, false), Ok(()));
        assert_eq!(check_verify(member, owner, other, Some(owner), false), Ok(()));
        assert_eq!(check_verify(member, me, other, Some(owner), false), Err(AppError::Forbidden));
        assert_eq!(check_verify(member, me, other, None, false), Err(AppError::Forbidden));
        assert_eq!(
            check_verify(Standing::Member(Role::Moderator), me, other, None, false),
            Err(AppError::Forbidden)
        );
        // Nobody verifies their own, unless the community allows self-attestation.
        assert_eq!(check_verify(steward, me, me, None, false), Err(AppError::Forbidden));
        assert_eq!(check_verify(steward, me, me, None, true), Ok(()));
        assert_eq!(
            check_verify(member, owner, owner, Some(owner), false),
            Err(AppError::Forbidden)
        );
        // Outsiders and banned people verify nothing, even as a former owner.
        for standing in [Standing::Outsider, Standing::Banned, Standing::Pending] {
            assert_eq!(
                check_verify(standing, owner, other, Some(owner), true),
                Err(AppError::Forbidden)
            );
        }
    }

    #[test]
    fn who_manages_an_initiative() {
        let (me, owner) = (UserId(1), UserId(2));
        assert_eq!(check_manage_initiative(Standing::Member(Role::Member), owner, owner), Ok(()));
        assert_eq!(check_manage_initiative(Standing::Member(Role::Steward), me, owner), Ok(()));
        assert_eq!(
            check_manage_initiative(Standing::Member(Role::Member), me, owner),
            Err(AppError::Forbidden)
        );
        assert_eq!(
            check_manage_initiative(Standing::Banned, owner, owner),
            Err(AppError::Forbidden)
        );
    }
}
