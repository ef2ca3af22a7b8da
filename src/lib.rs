//! Follicle: a static site generator for clinics' patient-education sites.
pub mod config;
pub mod content;
pub mod diagnostic;
pub mod markdown;
pub mod parse;
