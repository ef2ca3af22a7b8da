//! Follicle: a static site generator for clinics' patient-education sites.
pub mod build;
pub mod config;
pub mod content;
pub mod diagnostic;
pub mod faults;
pub mod markdown;
pub mod output;
pub mod parse;
pub mod render;
pub mod theme;
