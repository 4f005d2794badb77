//! Multi-step writes, each in one transaction run by the write queue: nothing
//! half-applied survives an error, and no client can cut one short.

pub mod accounts;
#[cfg(test)]
mod badge_property_tests;
pub mod badges;
pub mod calendar;
pub mod challenges;
pub mod communities;
pub mod contributions;
pub mod credentials;
pub mod demo;
pub mod digest;
pub mod discussions;
pub mod events;
pub mod exports;
pub mod goals;
pub mod home;
pub mod impact;
pub mod initiatives;
pub mod ledger;
pub mod library;
pub mod live;
pub mod mail;
pub mod markdown;
#[cfg(test)]
mod markdown_property_tests;
pub mod membership;
pub mod mentoring;
pub mod moderation;
pub mod notices;
pub mod recognition;
pub mod report_cache;
pub mod resubmission;
pub mod roles;
pub mod search;
pub mod tokens;
