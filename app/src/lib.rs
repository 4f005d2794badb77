//! Kindred: the home for purpose-driven communities.
//!
//! This crate holds everything shared by the server and the browser: the
//! pages, the server functions, the domain types and (behind the `ssr`
//! feature) the database and session layers.

pub mod api;
pub mod app;
pub mod auth;
pub mod components;
pub mod context;
pub mod domain;
pub mod error;
pub mod params;
pub mod routes;

#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod mail;
#[cfg(feature = "ssr")]
pub mod services;
#[cfg(feature = "ssr")]
pub mod state;

#[cfg(feature = "ssr")]
#[cfg(test)]
mod fixtures;

pub use app::{App, shell};
