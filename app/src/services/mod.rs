//! Multi-step writes, each in one transaction: nothing half-applied survives an error.

pub mod communities;
pub mod demo;
pub mod exports;
pub mod impact;
pub mod ledger;
pub mod membership;
pub mod roles;
