//! Stage timings for profiling by hand: `FOLLICLE_TIMING=1 follicle build`.

use std::time::Instant;

/// Where a build's or rebuild's time went, by stage, printed to stderr when
/// `FOLLICLE_TIMING` is set (a developer aid; nothing else here prints).
pub(crate) struct Timing {
    on: bool,
    last: Instant,
    laps: Vec<(&'static str, f64)>,
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
                .push((what, (now - self.last).as_secs_f64() * 1000.0));
            self.last = now;
        }
    }

    pub(crate) fn report(&self) {
        if self.on {
            let parts: Vec<String> = self
                .laps
                .iter()
                .map(|(w, ms)| format!("{w} {ms:.1} ms"))
                .collect();
            eprintln!("timing: {}", parts.join(", "));
        }
    }
}
