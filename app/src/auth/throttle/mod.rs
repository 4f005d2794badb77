//! Sign-in and sign-up throttling, with `governor`'s keyed GCRA limiters.
//!
//! Defaults follow Discourse: 6 attempts a minute and 30 an hour per IP
//! address, and 100 attempts an hour per account. Each limit is configurable so
//! test suites that sign in many times from one address can raise them.

use std::hash::Hash;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::db::writer::WriteQueue;
use crate::domain::ids::UserId;
use crate::error::AppError;

pub mod fleet;

/// Where attempts are counted.
#[derive(Clone)]
pub enum Counting {
    /// In this process's memory: one instance (SQLite's single server).
    InProcess,
    /// In the database, through the writer, so every instance of a PostgreSQL fleet
    /// counts against the same budgets.
    Fleet(WriteQueue),
}

/// One limit ("so many attempts per period"), counted per key.
enum Limit<K: Hash + Eq + Clone> {
    InProcess(DefaultKeyedRateLimiter<K>),
    Fleet { name: &'static str, quota: Quota, writes: WriteQueue },
}

impl<K: Hash + Eq + Clone + std::fmt::Display> Limit<K> {
    fn new(name: &'static str, quota: Quota, counting: &Counting) -> Self {
        match counting {
            Counting::InProcess => Limit::InProcess(RateLimiter::keyed(quota)),
            Counting::Fleet(writes) => Limit::Fleet { name, quota, writes: writes.clone() },
        }
    }

    async fn check(&self, key: &K) -> Result<(), AppError> {
        match self {
            Limit::InProcess(limiter) => limiter.check_key(key).map_err(|not_until| {
                retry_after(not_until.wait_time_from(DefaultClock::default().now()))
            }),
            Limit::Fleet { name, quota, writes } => {
                fleet::check(writes, format!("{name}:{key}"), *quota).await
            }
        }
    }

    fn forget_idle(&self) {
        if let Limit::InProcess(limiter) = self {
            limiter.retain_recent();
        }
    }
}

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
    per_ip_minute: Limit<IpAddr>,
    per_ip_hour: Limit<IpAddr>,
    per_account: Limit<String>,
}

fn quota(count: u32, period: Duration) -> Quota {
    let count = NonZeroU32::new(count.max(1)).unwrap_or(NonZeroU32::MIN);
    let replenish = period / count.get();
    Quota::with_period(replenish.max(Duration::from_nanos(1)))
        .unwrap_or_else(|| Quota::per_second(count))
        .allow_burst(count)
}

/// The refusal a spent budget gets: 429 with when to retry (at least a second).
fn retry_after(wait: Duration) -> AppError {
    AppError::RateLimited { retry_after_secs: wait.as_secs().max(1) }
}

impl AuthThrottle {
    /// Limiters with the given limits, counted as `counting` says.
    pub fn new(limits: ThrottleLimits, counting: &Counting) -> Self {
        let minute = Duration::from_secs(60);
        let hour = Duration::from_secs(3600);
        Self {
            per_ip_minute: Limit::new(
                "auth-ip-minute",
                quota(limits.per_ip_per_minute, minute),
                counting,
            ),
            per_ip_hour: Limit::new("auth-ip-hour", quota(limits.per_ip_per_hour, hour), counting),
            per_account: Limit::new(
                "auth-account",
                quota(limits.per_account_per_hour, hour),
                counting,
            ),
        }
    }

    /// Counts one attempt from `ip`; refuses when its minute or hour budget is spent.
    pub async fn check_ip(&self, ip: IpAddr) -> Result<(), AppError> {
        self.per_ip_minute.check(&ip).await?;
        self.per_ip_hour.check(&ip).await
    }

    /// Counts one attempt against the account named by `login`.
    pub async fn check_account(&self, login: &str) -> Result<(), AppError> {
        self.per_account.check(&login.to_lowercase()).await
    }

    /// Forgets keys whose budgets have fully refilled (call every few minutes; the
    /// fleet's shared keys are forgotten by [`fleet::forget_refilled`]).
    pub fn forget_idle(&self) {
        self.per_ip_minute.forget_idle();
        self.per_ip_hour.forget_idle();
        self.per_account.forget_idle();
    }
}

/// Posting limits: a new member (joined under 24 hours ago) may start one thread
/// per 2 minutes and reply once per 30 seconds; everyone else posts at most once
/// per 5 seconds. Keyed by account.
pub struct PostThrottle {
    enabled: bool,
    new_member_threads: Limit<UserId>,
    new_member_replies: Limit<UserId>,
    posts: Limit<UserId>,
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
    /// The limits above, counted as `counting` says; `enabled = false` turns them off
    /// (test suites that post quickly).
    pub fn new(enabled: bool, counting: &Counting) -> Self {
        Self {
            enabled,
            new_member_threads: Limit::new(
                "post-new-thread",
                quota(1, Duration::from_secs(120)),
                counting,
            ),
            new_member_replies: Limit::new(
                "post-new-reply",
                quota(1, Duration::from_secs(30)),
                counting,
            ),
            posts: Limit::new("post", quota(1, Duration::from_secs(5)), counting),
        }
    }

    /// Counts one post by `author`; refuses with when to retry once their budget is spent.
    pub async fn check(
        &self,
        author: UserId,
        new_member: bool,
        kind: PostKind,
    ) -> Result<(), AppError> {
        if !self.enabled {
            return Ok(());
        }
        let limit = match (new_member, kind) {
            (true, PostKind::Thread) => &self.new_member_threads,
            (true, PostKind::Reply) => &self.new_member_replies,
            (false, _) => &self.posts,
        };
        limit.check(&author).await
    }

    /// Forgets keys whose budgets have fully refilled.
    pub fn forget_idle(&self) {
        self.new_member_threads.forget_idle();
        self.new_member_replies.forget_idle();
        self.posts.forget_idle();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_seventh_attempt_in_a_minute_is_refused() {
        let throttle = AuthThrottle::new(ThrottleLimits::default(), &Counting::InProcess);
        let ip: IpAddr = "192.0.2.7".parse().unwrap();
        for _ in 0..6 {
            assert_eq!(throttle.check_ip(ip).await, Ok(()));
        }
        let Err(AppError::RateLimited { retry_after_secs }) = throttle.check_ip(ip).await else {
            panic!("seventh attempt should be refused")
        };
        assert!((1..=10).contains(&retry_after_secs), "{retry_after_secs}");
        let other: IpAddr = "192.0.2.8".parse().unwrap();
        assert_eq!(throttle.check_ip(other).await, Ok(()), "other addresses are unaffected");
    }

    #[tokio::test]
    async fn an_account_is_limited_whatever_the_address() {
        let throttle = AuthThrottle::new(
            ThrottleLimits { per_account_per_hour: 3, ..Default::default() },
            &Counting::InProcess,
        );
        for _ in 0..3 {
            assert_eq!(throttle.check_account("Ada").await, Ok(()));
        }
        assert!(matches!(throttle.check_account("ada").await, Err(AppError::RateLimited { .. })));
    }

    #[tokio::test]
    async fn new_members_wait_longer_between_posts() {
        let throttle = PostThrottle::new(true, &Counting::InProcess);
        let (newcomer, regular) = (UserId(1), UserId(2));
        assert_eq!(throttle.check(newcomer, true, PostKind::Thread).await, Ok(()));
        let Err(AppError::RateLimited { retry_after_secs }) =
            throttle.check(newcomer, true, PostKind::Thread).await
        else {
            panic!("a second thread within 2 minutes should be refused")
        };
        assert!((100..=120).contains(&retry_after_secs), "{retry_after_secs}");
        assert_eq!(throttle.check(newcomer, true, PostKind::Reply).await, Ok(()));
        let Err(AppError::RateLimited { retry_after_secs }) =
            throttle.check(newcomer, true, PostKind::Reply).await
        else {
            panic!("a second reply within 30 seconds should be refused")
        };
        assert!((20..=30).contains(&retry_after_secs), "{retry_after_secs}");
        assert_eq!(throttle.check(regular, false, PostKind::Reply).await, Ok(()));
        let Err(AppError::RateLimited { retry_after_secs }) =
            throttle.check(regular, false, PostKind::Reply).await
        else {
            panic!("a second reply within 5 seconds should be refused")
        };
        assert!((1..=5).contains(&retry_after_secs), "{retry_after_secs}");
        let off = PostThrottle::new(false, &Counting::InProcess);
        for _ in 0..5 {
            assert_eq!(off.check(regular, true, PostKind::Thread).await, Ok(()));
        }
    }
}
