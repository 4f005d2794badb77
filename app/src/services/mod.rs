//! Multi-step writes, each in one transaction.

pub mod demo;
