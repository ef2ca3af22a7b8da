//! `follicle serve` and `follicle watch`: rebuild on every save.
//!
//! Takes: the site folder and server options. Gives: a preview served from memory
//! (`serve`, never touching the build output) or changed files written into the
//! output folder (`watch`). Both run the same loop: wait for file events, let a
//! burst settle, hand the changed paths to an [`crate::incremental::Session`], report.

pub mod http;
pub mod panel;
pub mod watch;

use std::net::TcpListener;
use std::path::{Path, PathBuf};

use crate::build::{self, BuildOptions};
use crate::diagnostic::{Code, Diagnostic, Failure};
use crate::incremental::{Rebuild, Session};
use crate::output;
use crate::output::Sink;
use http::{Shared, Snapshot};

/// Options for `follicle serve`.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub port: u16,
    pub bind: String,
    pub open: bool,
    pub drafts: bool,
    /// `--open-in`: panel entries link to this editor at the file and line.
    pub editor: Option<panel::Editor>,
}

/// Something that wants to hear about each rebuild: the terminal, the browser.
pub trait Reporter {
    fn line(&self, text: &str);
}

/// Bind `bind:port`, or the next free port after it.
pub fn bind(bind: &str, port: u16, report: &dyn Reporter) -> Result<(TcpListener, u16), Failure> {
    let mut last_err = None;
    for p in port..port.saturating_add(50) {
        match TcpListener::bind((bind, p)) {
            Ok(l) => {
                if p != port {
                    report.line(&format!(
                        "Port {port} is in use; serving on port {p} instead."
                    ));
                }
                return Ok((l, p));
            }
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => last_err = Some(e),
            Err(e) => {
                return Err(Failure::usage(
                    Diagnostic::error("--bind", format!("cannot listen on {bind}:{p}: {e}"))
                        .code(Code::Serve)
                        .hint("use --bind 127.0.0.1, or another --port"),
                ))
            }
        }
    }
    Err(Failure::usage(
        Diagnostic::error(
            "--port",
            format!(
                "ports {port} to {} are all in use ({})",
                port.saturating_add(49),
                last_err.map(|e| e.to_string()).unwrap_or_default()
            ),
        )
        .code(Code::Serve)
        .hint("stop the other server or pass --port with a free port"),
    ))
}

fn is_loopback(bind: &str) -> bool {
    matches!(bind, "127.0.0.1" | "localhost" | "::1") || bind.starts_with("127.")
}

/// `follicle serve`: build in memory, serve, rebuild on change. Runs until killed.
pub fn serve(opts: &ServeOptions, report: &dyn Reporter) -> Result<(), Failure> {
    if !is_loopback(&opts.bind) {
        report.line(&format!(
            "Warning: serving on {} makes the preview reachable from other machines on your network.",
            opts.bind
        ));
    }
    let (listener, port) = bind(&opts.bind, opts.port, report)?;
    let host = if opts.bind.contains(':') {
        format!("[{}]", opts.bind)
    } else {
        opts.bind.clone()
    };
    // A site published under a sub-path is served under it too, so its links
    // are tried as they will be on the host.
    let prefix = crate::config::Config::load(&opts.root)
        .map(|c| c.path_prefix().to_string())
        .unwrap_or_default();
    let address = format!(
        "http://{}:{port}{prefix}/",
        if host == "0.0.0.0" {
            "127.0.0.1".to_string()
        } else {
            host
        }
    );
    let build_opts = BuildOptions {
        root: opts.root.clone(),
        output: None,
        base_url: Some(address.clone()),
        drafts: opts.drafts,
        strict: false,
        today: None,
    };
    let shared = Shared::new(port, &opts.bind, &prefix);
    if let Ok(mut p) = shared.panel.write() {
        *p = panel::Panel::new(&opts.root, opts.editor);
    }
    let watcher = watch::Watch::start(&opts.root)?;
    let mut session = Session::new(build_opts);
    let first = session.full();
    publish(&shared, &session, &first, report);
    let server = shared.clone();
    std::thread::Builder::new()
        .name("follicle-accept".into())
        .spawn(move || http::run(listener, server))
        .map_err(|e| Failure::Internal(format!("cannot start the server thread: {e}")))?;
    report.line(&format!(
        "Serving {} at {address} (Ctrl-C to stop)",
        opts.root.display()
    ));
    if opts.open {
        open_browser(&address);
    }
    watcher.run(&mut session, |session, rebuild| {
        publish(&shared, session, &rebuild, report)
    })
}

/// Show the result of a rebuild in the terminal and the browser.
fn publish(
    shared: &Shared,
    session: &Session,
    result: &Result<Rebuild, Failure>,
    report: &dyn Reporter,
) {
    match result {
        Ok(r) => {
            report.line(&summary(r));
            for w in &r.warnings {
                report.line(&w.to_string());
            }
            let outputs = session.outputs();
            let mut timing = crate::timing::Timing::new();
            // The new pages are served at once; the panel is held while the
            // changed pages are checked, so a panel asking meanwhile (a page
            // that just reloaded) waits for their findings, not the old ones.
            let panel = shared.panel.write();
            shared.publish(Snapshot {
                files: outputs.clone(),
                error: None,
                written: r.written.clone(),
                error_changed: false,
            });
            if let (Some(site), Ok(mut p)) = (session.site(), panel) {
                // Only the pages whose bytes this rebuild changed, and those
                // linking to what it wrote or removed, are checked again.
                let changes = Some(panel::Changes {
                    written: &r.written,
                    removed: &r.removed,
                });
                let tz = jiff::tz::TimeZone::try_system().unwrap_or(jiff::tz::TimeZone::UTC);
                let today = tz.to_datetime(jiff::Timestamp::now()).date();
                p.update(site, &outputs, changes, today);
            }
            timing.lap("panel: check changed pages");
            timing.report();
        }
        Err(f) => {
            let text = f.to_string();
            report.line(&text);
            report.line("(still serving the last good version; fix the file and save)");
            if let Ok(mut p) = shared.panel.write() {
                p.failed();
            }
            shared.publish(Snapshot {
                files: session.outputs(),
                error: Some(text),
                written: Vec::new(),
                error_changed: false,
            });
        }
    }
}

/// One line per rebuild: what changed, what was re-rendered, how long it took.
pub fn summary(r: &Rebuild) -> String {
    let changed = match r.changed_sources.len() {
        0 => "initial build".to_string(),
        1..=3 => r.changed_sources.join(", "),
        n => format!(
            "{}, {} and {} more",
            r.changed_sources[0],
            r.changed_sources[1],
            n - 2
        ),
    };
    let what = if r.full { "full render" } else { "incremental" };
    let mut written = r
        .written
        .iter()
        .take(4)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if r.written.len() > 4 {
        written.push_str(&format!(", … ({} files)", r.written.len()));
    }
    if written.is_empty() {
        written = "nothing changed".into();
    }
    let removed = if r.removed.is_empty() {
        String::new()
    } else {
        format!("; removed {}", r.removed.len())
    };
    format!(
        "{changed}: {what}, wrote {written}{removed} in {:.0} ms",
        r.millis
    )
}

fn open_browser(url: &str) {
    let cmd = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    let _ = std::process::Command::new(cmd)
        .arg(url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
}

/// `follicle watch`: build into the output folder, then write changed files.
pub fn watch_to_disk(opts: &BuildOptions, report: &dyn Reporter) -> Result<(), Failure> {
    let config = build::load_config(opts)?;
    let target = build::output_target(opts, &config)?;
    // Held while watch runs: a `build` meanwhile is refused with a message
    // instead of swapping the folder under the files watch writes.
    let _lock = target
        .lock(output::Holder::Watch, output::LOCK_WAIT)
        .map_err(Failure::usage)?;
    let watcher = watch::Watch::start(&opts.root)?;
    let mut session = Session::new(opts.clone());
    let first = session.full()?;
    // The first build goes in whole and atomically, from the same outputs the
    // session will compare later edits against.
    let staging = target
        .stage()
        .map_err(|e| build::output_failure(&target, &e, "cannot stage the output"))?;
    for (path, bytes) in session.outputs().iter() {
        if let Err(e) = staging.write(path, bytes) {
            staging.abandon();
            return Err(build::output_failure(
                &target,
                &e,
                &format!("cannot write {path}"),
            ));
        }
    }
    staging
        .commit()
        .map_err(|e| build::output_failure(&target, &e, "cannot move the new site into place"))?;
    report.line(&format!(
        "Built {} files into {} in {:.0} ms; watching for changes (Ctrl-C to stop)",
        first.written.len(),
        target.dir.display(),
        first.millis
    ));
    let out_dir = target.dir.clone();
    watcher.run(&mut session, |session, result| match result {
        Ok(r) => match write_changes(&out_dir, &r, &session.outputs()) {
            Ok(()) => report.line(&summary(&r)),
            Err(e) => report.line(&format!("cannot write to {}: {e}", out_dir.display())),
        },
        Err(f) => {
            report.line(&f.to_string());
            report.line("(the output folder keeps the last good version; fix the file and save)");
        }
    })
}

/// Write each changed output atomically (temporary file, then rename) and
/// delete outputs that no longer exist. Only our marked folder is touched.
fn write_changes(dir: &Path, r: &Rebuild, files: &crate::output::Outputs) -> std::io::Result<()> {
    if !dir.join(output::MARKER).is_file() {
        return Err(std::io::Error::other(format!(
            "{} no longer carries {}; not writing",
            dir.display(),
            output::MARKER
        )));
    }
    for rel in &r.written {
        if let Some(bytes) = files.get(rel) {
            output::write_atomic(dir, rel, bytes)?;
        }
    }
    for rel in &r.removed {
        output::remove_inside(dir, rel)?;
    }
    Ok(())
}
