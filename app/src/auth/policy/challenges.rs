//! When people may join a challenge.

use crate::domain::challenges::Phase;
use crate::error::AppError;

/// Whether a challenge takes new participants in `phase`: only inside its window (from
/// its first to its last day). The error names the form's `team` field.
pub fn check_join_challenge(phase: Phase) -> Result<(), AppError> {
    match phase {
        Phase::Running => Ok(()),
        Phase::Upcoming => Err(AppError::invalid("team", "This challenge has not started yet.")),
        Phase::Grace | Phase::Ended => {
            Err(AppError::invalid("team", "This challenge has ended; joining is closed."))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joining_is_open_only_inside_the_window() {
        assert!(check_join_challenge(Phase::Running).is_ok());
        for phase in [Phase::Upcoming, Phase::Grace, Phase::Ended] {
            assert!(check_join_challenge(phase).is_err(), "{phase:?}");
        }
    }
}
