//! Limits counted across a fleet of instances: governor's GCRA, with each key's state in
//! the database instead of this process's memory.
//!
//! governor decides from a key's stored state through its [`StateStore`] contract; here
//! the store is one key's state as read from `throttle_states`, and the decision runs
//! inside the writer, which holds the fleet's write lock, so no other instance can read
//! or change the key between the read and the write.

use std::cell::Cell;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use governor::clock::FakeRelativeClock;
use governor::middleware::NoOpMiddleware;
use governor::nanos::Nanos;
use governor::state::{NotKeyed, StateStore};
use governor::{Quota, RateLimiter};

use crate::db::writer::WriteQueue;
use crate::error::AppError;

/// One key's state as the database holds it, and the state governor wants stored next.
struct Snapshot {
    stored: Option<Nanos>,
    next: Cell<Option<Nanos>>,
}

impl StateStore for &Snapshot {
    type Key = NotKeyed;

    fn measure_and_replace<T, F, E>(&self, _key: &NotKeyed, decide: F) -> Result<T, E>
    where
        F: Fn(Option<Nanos>) -> Result<(T, Nanos), E>,
    {
        let (outcome, next) = decide(self.stored)?;
        self.next.set(Some(next));
        Ok(outcome)
    }
}

/// Whether one more attempt fits `quota`, given the key's stored arrival time (both in
/// nanoseconds since the Unix epoch). `Ok` holds the arrival time to store; `Err` how
/// long to wait.
///
/// governor measures time from the moment its limiter was made; this limiter is made
/// for this one decision on a clock stopped at zero, so "now" is zero and the stored
/// time is translated to and from that frame (a time already past is "now": the budget
/// has refilled).
pub fn decide(quota: Quota, stored_ns: Option<i64>, now_ns: i64) -> Result<i64, Duration> {
    let snapshot = Snapshot {
        stored: stored_ns
            .map(|at| Nanos::from(Duration::from_nanos(at.saturating_sub(now_ns).max(0) as u64))),
        next: Cell::new(None),
    };
    let limiter: RateLimiter<NotKeyed, &Snapshot, FakeRelativeClock, NoOpMiddleware<Nanos>> =
        RateLimiter::new(quota, &snapshot, FakeRelativeClock::default());
    match limiter.check() {
        Ok(()) => {
            let next = snapshot.next.get().map_or(0, |next| next.as_u64());
            Ok(now_ns.saturating_add(i64::try_from(next).unwrap_or(i64::MAX)))
        }
        Err(not_until) => Err(not_until.wait_time_from(Nanos::from(Duration::ZERO))),
    }
}

/// Nanoseconds since the Unix epoch by this machine's clock (instances of a fleet keep
/// their clocks in step with NTP, as any fleet must).
pub fn now_ns() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| i64::try_from(since.as_nanos()).unwrap_or(i64::MAX))
}

/// Counts one attempt against `key` under `quota` for the whole fleet; refuses with when
/// to retry once the budget is spent. Nothing is stored for a refused attempt.
pub async fn check(writes: &WriteQueue, key: String, quota: Quota) -> Result<(), AppError> {
    writes
        .run(move |conn| {
            Box::pin(async move {
                let stored = crate::db::throttles::arrival(&mut *conn, &key).await?;
                match decide(quota, stored, now_ns()) {
                    Ok(next) => {
                        crate::db::throttles::set_arrival(&mut *conn, &key, next).await?;
                        Ok(())
                    }
                    Err(wait) => Err(super::retry_after(wait)),
                }
            })
        })
        .await
}

/// Forgets keys whose budgets have fully refilled; returns how many.
pub async fn forget_refilled(writes: &WriteQueue) -> Result<u64, AppError> {
    writes
        .run(|conn| {
            Box::pin(async move {
                Ok(crate::db::throttles::forget_refilled(&mut *conn, now_ns()).await?)
            })
        })
        .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::num::NonZeroU32;

    const SECOND: i64 = 1_000_000_000;

    fn three_a_minute() -> Quota {
        Quota::per_minute(NonZeroU32::new(3).unwrap())
    }

    #[test]
    fn a_burst_is_allowed_then_refused_until_a_cell_refills() {
        let start = 1_800_000_000 * SECOND;
        let mut stored = None;
        for _ in 0..3 {
            stored = Some(decide(three_a_minute(), stored, start).expect("within the burst"));
        }
        let wait = decide(three_a_minute(), stored, start).expect_err("the fourth is refused");
        assert_eq!(wait, Duration::from_secs(20), "one cell refills every 20 s");
        let later = start + 20 * SECOND;
        assert!(decide(three_a_minute(), stored, later).is_ok(), "allowed once it refilled");
    }

    #[test]
    fn a_state_long_past_counts_as_a_full_budget() {
        let now = 1_800_000_000 * SECOND;
        let old = Some(now - 3600 * SECOND);
        assert_eq!(decide(three_a_minute(), old, now), decide(three_a_minute(), None, now));
    }

    #[test]
    fn the_same_stored_state_gives_the_same_answer_on_any_instance() {
        // Two instances made at different moments decide from the database's state alone.
        let now = 1_800_000_000 * SECOND;
        let first = decide(three_a_minute(), None, now).unwrap();
        let second = decide(three_a_minute(), Some(first), now + SECOND).unwrap();
        assert_eq!(second - first, 20 * SECOND);
    }
}
