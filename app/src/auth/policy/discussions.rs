//! Permission questions about threads and posts. Who may read a community's
//! discussions at all is `CommunityAction::View`; who may post is `CommunityAction::Discuss`.

use crate::domain::community::Standing;
use crate::domain::ids::UserId;
use crate::error::AppError;

/// Whether someone standing here may reply to a thread: members while it is open;
/// moderators even when it is locked.
pub fn check_reply(standing: Standing, locked: bool) -> Result<(), AppError> {
    match standing {
        Standing::Member(_) if !locked || standing.is_moderator() => Ok(()),
        Standing::Member(_) => {
            Err(AppError::conflict("body", "This thread is locked: it takes no new replies."))
        }
        _ => Err(AppError::Forbidden),
    }
}

/// Whether `viewer` may read a hidden post's text: its author and moderators only.
pub fn can_read_hidden(standing: Standing, viewer: Option<UserId>, author: UserId) -> bool {
    standing.is_moderator() || viewer == Some(author)
}

/// Whether `viewer` may edit a post: only its author, while they still belong and
/// the post is not deleted.
pub fn check_edit_post(
    standing: Standing,
    viewer: UserId,
    author: UserId,
    deleted: bool,
) -> Result<(), AppError> {
    if !matches!(standing, Standing::Member(_)) || viewer != author {
        return Err(AppError::Forbidden);
    }
    if deleted {
        return Err(AppError::conflict("body", "This post was deleted."));
    }
    Ok(())
}

/// Whether `viewer` may delete a post: its author (while a member) or a moderator.
pub fn check_delete_post(
    standing: Standing,
    viewer: UserId,
    author: UserId,
) -> Result<(), AppError> {
    let own = matches!(standing, Standing::Member(_)) && viewer == author;
    if own || standing.is_moderator() { Ok(()) } else { Err(AppError::Forbidden) }
}

/// Whether `viewer` may flag a post: any member, but not their own.
pub fn check_flag(standing: Standing, viewer: UserId, author: UserId) -> Result<(), AppError> {
    match standing {
        Standing::Member(_) if viewer != author => Ok(()),
        Standing::Member(_) => Err(AppError::conflict("reason", "You cannot flag your own post.")),
        _ => Err(AppError::Forbidden),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::community::Role;

    const EVERYONE: [Standing; 7] = Standing::ALL;

    #[test]
    fn replies_need_membership_and_an_open_thread() {
        for standing in EVERYONE {
            let member = matches!(standing, Standing::Member(_));
            assert_eq!(check_reply(standing, false).is_ok(), member, "{standing:?}");
            assert_eq!(
                check_reply(standing, true).is_ok(),
                standing.is_moderator(),
                "{standing:?} locked"
            );
        }
        assert!(matches!(
            check_reply(Standing::Member(Role::Member), true),
            Err(AppError::Conflict(_))
        ));
    }

    #[test]
    fn hidden_posts_show_to_author_and_moderators_only() {
        let (author, other) = (UserId(1), UserId(2));
        for standing in EVERYONE {
            assert!(can_read_hidden(standing, Some(author), author));
            assert_eq!(
                can_read_hidden(standing, Some(other), author),
                standing.is_moderator(),
                "{standing:?}"
            );
            assert_eq!(can_read_hidden(standing, None, author), standing.is_moderator());
        }
    }

    #[test]
    fn only_authors_edit_and_authors_or_moderators_delete() {
        let (author, other) = (UserId(1), UserId(2));
        for standing in EVERYONE {
            let member = matches!(standing, Standing::Member(_));
            assert_eq!(check_edit_post(standing, author, author, false).is_ok(), member);
            assert!(check_edit_post(standing, other, author, false).is_err());
            assert_eq!(check_delete_post(standing, author, author).is_ok(), member);
            assert_eq!(check_delete_post(standing, other, author).is_ok(), standing.is_moderator());
        }
        assert!(matches!(
            check_edit_post(Standing::Member(Role::Member), author, author, true),
            Err(AppError::Conflict(_))
        ));
    }

    #[test]
    fn members_flag_others_posts() {
        let (author, other) = (UserId(1), UserId(2));
        for standing in EVERYONE {
            let member = matches!(standing, Standing::Member(_));
            assert_eq!(check_flag(standing, other, author).is_ok(), member);
            assert!(check_flag(standing, author, author).is_err());
        }
    }
}
