//! `follicle check --external`: ask other sites whether the links to them still
//! work. The only part of `check` that uses the network.
//!
//! Each URL is fetched once (GET, redirects followed, the body not read), several
//! at a time, each with a time limit. Answers that worked are remembered for a day
//! in a cache file (by default `.follicle-cache/external-links.json` in the site
//! folder), so running `check` again does not ask again; failures are always
//! asked again.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::links::ExternalTarget;
use crate::diagnostic::Severity;

/// How to check external links.
#[derive(Debug, Clone)]
pub struct Options {
    /// Time limit for one URL, from connecting to the response headers.
    pub timeout: Duration,
    /// URLs checked at once.
    pub concurrency: usize,
    /// Where answers are remembered; `None`: no cache.
    pub cache: Option<PathBuf>,
    /// How long a good answer is trusted.
    pub cache_for: Duration,
}

impl Options {
    pub fn new(timeout: Duration, cache: Option<PathBuf>) -> Options {
        Options {
            timeout,
            concurrency: 8,
            cache,
            cache_for: Duration::from_secs(24 * 3600),
        }
    }
}

/// What one URL answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Status {
    /// The final HTTP status after redirects.
    Http(u16),
    /// No answer within the time limit.
    Timeout,
    /// No connection (DNS, refused, TLS): the reason.
    Failed(String),
}

impl Status {
    pub fn is_ok(&self) -> bool {
        matches!(self, Status::Http(200..=399))
    }

    /// Severity, what to say after the URL, and a hint; `None` when it worked.
    pub fn problem(&self) -> Option<(Severity, String, &'static str)> {
        match self {
            s if s.is_ok() => None,
            Status::Http(code @ (404 | 410)) => Some((
                Severity::Error,
                format!("is gone (HTTP {code})"),
                "find where the page moved (search the site, or the Wayback Machine at web.archive.org) and update the link",
            )),
            Status::Http(code) => Some((
                Severity::Warning,
                format!("answered HTTP {code}"),
                "open the link in a browser: some sites refuse link checkers but work for readers",
            )),
            Status::Timeout => Some((
                Severity::Warning,
                "did not answer in time".into(),
                "the site may be slow or down; run the check again later, or raise --timeout",
            )),
            Status::Failed(why) => Some((
                Severity::Warning,
                format!("could not be reached: {why}"),
                "check the address; if it is right, the site may be down",
            )),
        }
    }
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct Cache {
    /// URL → (unix seconds when checked, status).
    checked: BTreeMap<String, (u64, u16)>,
}

fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

fn read_cache(opts: &Options) -> Cache {
    opts.cache
        .as_ref()
        .and_then(|p| std::fs::read(p).ok())
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default()
}

/// Write the cache beside itself and rename it in, so a crash never leaves half a file.
fn write_cache(opts: &Options, cache: &Cache) {
    let Some(path) = &opts.cache else { return };
    if let Some(dir) = path.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    let tmp = path.with_extension("json.tmp");
    if let Ok(bytes) = serde_json::to_vec_pretty(cache) {
        if std::fs::write(&tmp, bytes).is_ok() {
            let _ = std::fs::rename(&tmp, path);
        }
    }
}

/// Check each target's URL; results are in the same order as `targets`.
pub fn fetch(targets: &[ExternalTarget], opts: &Options) -> Vec<Status> {
    let mut cache = read_cache(opts);
    let now = now_secs();
    let fresh = |url: &str| {
        cache
            .checked
            .get(url)
            .filter(|(at, _)| now.saturating_sub(*at) < opts.cache_for.as_secs())
            .map(|(_, code)| Status::Http(*code))
    };
    let results: Vec<Mutex<Option<Status>>> =
        targets.iter().map(|t| Mutex::new(fresh(&t.url))).collect();
    let todo: Vec<usize> = (0..targets.len())
        .filter(|&i| results[i].lock().map(|r| r.is_none()).unwrap_or(true))
        .collect();
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(opts.timeout))
        .http_status_as_error(false)
        .max_redirects(10)
        .user_agent(concat!("follicle-check/", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    let next = AtomicUsize::new(0);
    std::thread::scope(|s| {
        for _ in 0..opts.concurrency.clamp(1, 32).min(todo.len().max(1)) {
            s.spawn(|| loop {
                let k = next.fetch_add(1, Ordering::Relaxed);
                let Some(&i) = todo.get(k) else { break };
                let status = ask(&agent, &targets[i].url);
                if let Ok(mut r) = results[i].lock() {
                    *r = Some(status);
                }
            });
        }
    });
    let results: Vec<Status> = results
        .into_iter()
        .map(|m| {
            m.into_inner()
                .ok()
                .flatten()
                .unwrap_or(Status::Failed("not checked".into()))
        })
        .collect();
    for &i in &todo {
        if let Status::Http(code) = results[i] {
            if results[i].is_ok() {
                cache.checked.insert(targets[i].url.clone(), (now, code));
            }
        }
    }
    cache
        .checked
        .retain(|_, (at, _)| now.saturating_sub(*at) < opts.cache_for.as_secs());
    if !todo.is_empty() {
        write_cache(opts, &cache);
    }
    results
}

fn ask(agent: &ureq::Agent, url: &str) -> Status {
    match agent.get(url).call() {
        Ok(response) => Status::Http(response.status().as_u16()),
        Err(ureq::Error::Timeout(_)) => Status::Timeout,
        Err(ureq::Error::Io(e)) if e.kind() == std::io::ErrorKind::TimedOut => Status::Timeout,
        Err(e) => Status::Failed(e.to_string()),
    }
}
