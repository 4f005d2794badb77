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
        Self {
            per_ip_per_minute: 6,
            per_ip_per_hour: 30,
            per_account_per_hour: 100,
        }
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
    AppError::RateLimited {
        retry_after_secs: wait.as_secs().max(1),
    }
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
        self.per_account
            .check_key(&login.to_lowercase())
            .map_err(refusal)
    }

    /// Forgets keys whose budgets have fully refilled (call every few minutes).
    pub fn forget_idle(&self) {
        self.per_ip_minute.retain_recent();
        self.per_ip_hour.retain_recent();
        self.per_account.retain_recent();
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
        assert_eq!(
            throttle.check_ip(other),
            Ok(()),
            "other addresses are unaffected"
        );
    }

    #[test]
    fn an_account_is_limited_whatever_the_address() {
        let throttle = AuthThrottle::new(ThrottleLimits {
            per_account_per_hour: 3,
            ..Default::default()
        });
        for _ in 0..3 {
            assert_eq!(throttle.check_account("Ada"), Ok(()));
        }
        assert!(matches!(
            throttle.check_account("ada"),
            Err(AppError::RateLimited { .. })
        ));
    }
}
