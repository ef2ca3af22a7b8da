//! Stage timings for profiling by hand: `FOLLICLE_TIMING=1 follicle build`.

use std::time::Instant;

/// Where a build's or rebuild's time went, by stage, printed to stderr when
/// `FOLLICLE_TIMING` is set (a developer aid; nothing else here prints).
pub(crate) struct Timing {
    on: bool,
    last: Instant,
    /// Stage, milliseconds, peak memory so far (MiB, Linux only).
    laps: Vec<(&'static str, f64, Option<u64>)>,
}

impl Timing {
    pub(crate) fn new() -> Timing {
        Timing {
            on: std::env::var_os("FOLLICLE_TIMING").is_some(),
            last: Instant::now(),
            laps: Vec::new(),
        }
    }

    pub(crate) fn lap(&mut self, what: &'static str) {
        if self.on {
            let now = Instant::now();
            self.laps
                .push((what, (now - self.last).as_secs_f64() * 1000.0, peak_mib()));
            self.last = now;
        }
    }

    pub(crate) fn report(&self) {
        if self.on {
            let parts: Vec<String> = self
                .laps
                .iter()
                .map(|(w, ms, peak)| match peak {
                    Some(mib) => format!("{w} {ms:.1} ms (peak {mib} MiB)"),
                    None => format!("{w} {ms:.1} ms"),
                })
                .collect();
            eprintln!("timing: {}", parts.join(", "));
        }
    }
}

/// The process's peak resident memory so far, from `/proc/self/status`.
fn peak_mib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024)
}
