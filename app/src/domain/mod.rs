//! Types shared by the browser and the server, and the pure rules about them.

pub mod account;
pub mod badge_bounds;
pub mod badge_form;
pub mod badges;
pub mod challenge_form;
pub mod challenges;
pub mod community;
pub mod community_form;
pub mod discussion;
pub mod event_edit;
pub mod event_form;
pub mod events;
pub mod fields;
pub mod home;
pub mod ids;
pub mod impact;
pub mod impact_form;
pub mod leadership;
pub mod library;
pub mod mentoring;
pub mod mentoring_form;
pub mod notification;
pub mod open_badges;
pub mod recognition;
pub mod resubmission;
