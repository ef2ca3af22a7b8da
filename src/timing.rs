//! Stage timings for profiling by hand: `FOLLICLE_TIMING=1 follicle build`.

use std::time::Instant;

/// Where a build's or rebuild's time went, by stage, printed to stderr when
/// `FOLLICLE_TIMING` is set (a developer aid; nothing else here prints).
pub(crate) struct Timing {
    on: bool,
    last: Instant,
    /// CPU time of the process at the last lap (clock ticks, Linux only).
    last_cpu: Option<u64>,
    /// Stage, milliseconds, CPU ticks spent, peak memory so far (MiB).
    laps: Vec<(&'static str, f64, Option<u64>, Option<u64>)>,
}

impl Timing {
    pub(crate) fn new() -> Timing {
        Timing {
            on: std::env::var_os("FOLLICLE_TIMING").is_some(),
            last: Instant::now(),
            last_cpu: cpu_ticks(),
            laps: Vec::new(),
        }
    }

    pub(crate) fn lap(&mut self, what: &'static str) {
        if self.on {
            let now = Instant::now();
            let cpu = cpu_ticks();
            let spent = cpu.zip(self.last_cpu).map(|(c, l)| c.saturating_sub(l));
            self.laps.push((
                what,
                (now - self.last).as_secs_f64() * 1000.0,
                spent,
                peak_mib(),
            ));
            self.last = now;
            self.last_cpu = cpu;
        }
    }

    pub(crate) fn report(&self) {
        if self.on {
            let parts: Vec<String> = self
                .laps
                .iter()
                .map(|(w, ms, cpu, peak)| {
                    let mut s = format!("{w} {ms:.1} ms");
                    // Ticks are 10 ms: cores busy = CPU time / wall time.
                    if let Some(t) = cpu.filter(|_| *ms >= 20.0) {
                        s.push_str(&format!(" ({:.1} cores", t as f64 * 10.0 / ms));
                        s.push_str(
                            &peak
                                .map(|m| format!(", peak {m} MiB)"))
                                .unwrap_or(")".into()),
                        );
                    } else if let Some(m) = peak {
                        s.push_str(&format!(" (peak {m} MiB)"));
                    }
                    s
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

/// User plus system CPU time of the process so far, in clock ticks (1/100 s on
/// Linux), from `/proc/self/stat`.
fn cpu_ticks() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which is in parentheses and may hold spaces).
    let rest = &stat[stat.rfind(')')? + 2..];
    let mut fields = rest.split_whitespace();
    let utime: u64 = fields.nth(11)?.parse().ok()?;
    let stime: u64 = fields.next()?.parse().ok()?;
    Some(utime + stime)
}
