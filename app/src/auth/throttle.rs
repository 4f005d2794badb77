//! Sign-in and sign-up throttling, with `governor`'s keyed GCRA limiters.
//!
//! Defaults follow Discourse: 6 attempts a minute and 30 an hour per IP
//! address, and 100 attempts an hour per account. Each limit is configurable so
//! test suites that sign in many times from one address can raise them.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::domain::ids::UserId;
use crate::error::AppError;

/// How many attempts each limiter allows.
#[derive(Debug, Clone, Copy)]
pub struct ThrottleLimits {
    /// Attempts per minute from one IP address.
    pub per_ip_per_minute: u32,
    /// Attempts per hour from one IP address.
    pub per_ip_per_hour: u32,
    /// Attempts per hour against one account.
    pub per_account_per_hour: u32,
}

impl Default for ThrottleLimits {
    fn default() -> Self {
        Self { per_ip_per_minute: 6, per_ip_per_hour: 30, per_account_per_hour: 100 }
    }
}

/// The limiters for account attempts (sign-in and sign-up share the IP limits).
pub struct AuthThrottle {
    per_ip_minute: DefaultKeyedRateLimiter<IpAddr>,
    per_ip_hour: DefaultKeyedRateLimiter<IpAddr>,
    per_account: DefaultKeyedRateLimiter<String>,
}

fn quota(count: u32, period: Duration) -> Quota {
    let count = NonZeroU32::new(count.max(1)).unwrap_or(NonZeroU32::MIN);
    let replenish = period / count.get();
    Quota::with_period(replenish.max(Duration::from_nanos(1)))
        .unwrap_or_else(|| Quota::per_second(count))
        .allow_burst(count)
}

fn refusal(outcome: governor::NotUntil<governor::clock::QuantaInstant>) -> AppError {
    let wait = outcome.wait_time_from(DefaultClock::default().now());
    AppError::RateLimited { retry_after_secs: wait.as_secs().max(1) }
}

impl AuthThrottle {
    /// Limiters with the given limits.
    pub fn new(limits: ThrottleLimits) -> Self {
        Self {
            per_ip_minute: RateLimiter::keyed(quota(
                limits.per_ip_per_minute,
                Duration::from_secs(60),
            )),
            per_ip_hour: RateLimiter::keyed(quota(
                limits.per_ip_per_hour,
                Duration::from_secs(3600),
            )),
            per_account: RateLimiter::keyed(quota(
                limits.per_account_per_hour,
                Duration::from_secs(3600),
            )),
        }
    }

    /// Counts one attempt from `ip`; refuses when its minute or hour budget is spent.
    pub fn check_ip(&self, ip: IpAddr) -> Result<(), AppError> {
        self.per_ip_minute.check_key(&ip).map_err(refusal)?;
        self.per_ip_hour.check_key(&ip).map_err(refusal)
    }

    /// Counts one attempt against the account named by `login`.
    pub fn check_account(&self, login: &str) -> Result<(), AppError> {
        self.per_account.check_key(&login.to_lowercase()).map_err(refusal)
    }

    /// Forgets keys whose budgets have fully refilled (call every few minutes).
    pub fn forget_idle(&self) {
        self.per_ip_minute.retain_recent();
        self.per_ip_hour.retain_recent();
        self.per_account.retain_recent();
    }
}

/// Posting limits: a new member (joined under 24 hours ago) may start one thread
/// per 2 minutes and reply once per 30 seconds; everyone else posts at most once
/// per 5 seconds. Keyed by account.
pub struct PostThrottle {
    enabled: bool,
    new_member_threads: DefaultKeyedRateLimiter<UserId>,
    new_member_replies: DefaultKeyedRateLimiter<UserId>,
    posts: DefaultKeyedRateLimiter<UserId>,
}

/// What kind of post is being written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PostKind {
    /// The opening post of a new thread.
    Thread,
    /// A reply.
    Reply,
}

impl PostThrottle {
    /// The limits above; `enabled = false` turns them off (test suites that post quickly).
    pub fn new(enabled: bool) -> Self {
        Self {
            enabled,
            new_member_threads: RateLimiter::keyed(quota(1, Duration::from_secs(120))),
            new_member_replies: RateLimiter::keyed(quota(1, Duration::from_secs(30))),
            posts: RateLimiter::keyed(quota(1, Duration::from_secs(5))),
        }
    }

    /// Counts one post by `author`; refuses with when to retry once their budget is spent.
    pub fn check(&self, author: UserId, new_member: bool, kind: PostKind) -> Result<(), AppError> {
        if !self.enabled {
            return Ok(());
        }
        let limiter = match (new_member, kind) {
            (true, PostKind::Thread) => &self.new_member_threads,
            (true, PostKind::Reply) => &self.new_member_replies,
            (false, _) => &self.posts,
        };
        limiter.check_key(&author).map_err(refusal)
    }

    /// Forgets keys whose budgets have fully refilled.
    pub fn forget_idle(&self) {
        self.new_member_threads.retain_recent();
        self.new_member_replies.retain_recent();
        self.posts.retain_recent();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seventh_attempt_in_a_minute_is_refused() {
        let throttle = AuthThrottle::new(ThrottleLimits::default());
        let ip: IpAddr = "192.0.2.7".parse().unwrap();
        for _ in 0..6 {
            assert_eq!(throttle.check_ip(ip), Ok(()));
        }
        let Err(AppError::RateLimited { retry_after_secs }) = throttle.check_ip(ip) else {
            panic!("seventh attempt should be refused")
        };
        assert!((1..=10).contains(&retry_after_secs), "{retry_after_secs}");
        let other: IpAddr = "192.0.2.8".parse().unwrap();
        assert_eq!(throttle.check_ip(other), Ok(()), "other addresses are unaffected");
    }

    #[test]
    fn an_account_is_limited_whatever_the_address() {
        let throttle =
            AuthThrottle::new(ThrottleLimits { per_account_per_hour: 3, ..Default::default() });
        for _ in 0..3 {
            assert_eq!(throttle.check_account("Ada"), Ok(()));
        }
        assert!(matches!(throttle.check_account("ada"), Err(AppError::RateLimited { .. })));
    }

    #[test]
    fn new_members_wait_longer_between_posts() {
        let throttle = PostThrottle::new(true);
        let (newcomer, regular) = (UserId(1), UserId(2));
        assert_eq!(throttle.check(newcomer, true, PostKind::Thread), Ok(()));
        let Err(AppError::RateLimited { retry_after_secs }) =
            throttle.check(newcomer, true, PostKind::Thread)
        else {
            panic!("a second thread within 2 minutes should be refused")
        };
        assert!((100..=120).contains(&retry_after_secs), "{retry_after_secs}");
        assert_eq!(throttle.check(newcomer, true, PostKind::Reply), Ok(()));
        let Err(AppError::RateLimited { retry_after_secs }) =
            throttle.check(newcomer, true, PostKind::Reply)
        else {
            panic!("a second reply within 30 seconds should be refused")
        };
        assert!((20..=30).contains(&retry_after_secs), "{retry_after_secs}");
        assert_eq!(throttle.check(regular, false, PostKind::Reply), Ok(()));
        let Err(AppError::RateLimited { retry_after_secs }) =
            throttle.check(regular, false, PostKind::Reply)
        else {
            panic!("a second reply within 5 seconds should be refused")
        };
        assert!((1..=5).contains(&retry_after_secs), "{retry_after_secs}");
        let off = PostThrottle::new(false);
        for _ in 0..5 {
            assert_eq!(off.check(regular, true, PostKind::Thread), Ok(()));
        }
    }
}
