//! Fault injection for the reliability tests.
//!
//! `FOLLICLE_INJECT_FAULT=panic:content/x.md` panics while rendering that source;
//! `FOLLICLE_INJECT_FAULT=write:some/path.html` fails writing that output file;
//! `FOLLICLE_INJECT_FAULT=sleep:MS` waits MS milliseconds before each output file
//! (so a test can kill a build midway);
//! `FOLLICLE_INJECT_FAULT=readonly:output` (or `:parent`, `:staging`) acts as if
//! the output folder, the folder holding it, or the previous build's folder
//! being reused as staging were read-only, for tests run as root (where
//! `chmod` blocks nothing). Unset, these cost one cached lookup.

use std::sync::OnceLock;

fn fault() -> Option<&'static str> {
    static FAULT: OnceLock<Option<String>> = OnceLock::new();
    FAULT
        .get_or_init(|| std::env::var("FOLLICLE_INJECT_FAULT").ok())
        .as_deref()
}

/// Panic if the fault names this source.
pub fn maybe_panic(source: &str) {
    if let Some(target) = fault().and_then(|f| f.strip_prefix("panic:")) {
        if target == source {
            panic!("injected panic while rendering {source}");
        }
    }
}

/// Fail the write if the fault names this output; sleep if asked to.
pub fn maybe_fail_write(output: &str) -> std::io::Result<()> {
    match fault() {
        Some(f) if f.strip_prefix("write:") == Some(output) => {
            Err(std::io::Error::other("injected write failure"))
        }
        Some(f) => {
            if let Some(ms) = f.strip_prefix("sleep:").and_then(|m| m.parse::<u64>().ok()) {
                std::thread::sleep(std::time::Duration::from_millis(ms));
            }
            Ok(())
        }
        None => Ok(()),
    }
}

/// Whether the fault makes this place (`output`, `parent`, `staging`) read-only.
pub fn read_only(place: &str) -> bool {
    fault().and_then(|f| f.strip_prefix("readonly:")) == Some(place)
}
