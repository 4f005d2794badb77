//! Multi-step writes, each in one transaction: nothing half-applied survives an error.

pub mod communities;
pub mod demo;
pub mod discussions;
pub mod exports;
pub mod impact;
pub mod ledger;
pub mod markdown;
pub mod membership;
pub mod moderation;
pub mod report_cache;
pub mod roles;
