//! The watch loop: file events → settled batches → rebuilds.
//!
//! We watch `site.toml` (through the site folder, not recursively), `content/` and
//! `themes/`, never the output or staging folders, so an idle site makes zero
//! rebuilds. Reads (access events) and editor junk are ignored. A batch closes
//! after [`QUIET`] with no new event (at most [`MAX_BATCH`]), so an editor's
//! write-and-rename or vim's backup dance is one rebuild, and a `git checkout` of
//! a thousand files is a few. When the last event is a writer closing a site
//! file it wrote (an editor saving in place), the file is whole: the batch
//! closes after [`AFTER_CLOSE`] instead.

use std::path::PathBuf;
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use notify::{Event, EventKind, RecursiveMode, Watcher};

use crate::content::CONTENT_DIR;
use crate::diagnostic::{Code, Diagnostic, Failure};
use crate::incremental::{Rebuild, Session};
use crate::theme::{SITE_STATIC_DIR, THEMES_DIR};

/// How long a burst of events must be quiet before we rebuild.
pub const QUIET: Duration = Duration::from_millis(8);
/// How long a batch waits for more events after a writer closed a site file
/// it wrote (long enough for the next file of a `git checkout`).
pub const AFTER_CLOSE: Duration = Duration::from_millis(1);
/// The longest we wait for a burst to settle.
pub const MAX_BATCH: Duration = Duration::from_millis(1500);

/// Changed paths in one settled batch, and whether the folder listing may have
/// changed (files added, removed or renamed).
#[derive(Debug, Default, PartialEq)]
pub struct Batch {
    pub paths: Vec<PathBuf>,
    pub rescan: bool,
}

/// A running watcher. Start it before the first build, so no save made during
/// that build is missed: its events wait in the channel.
pub struct Watch {
    watcher: notify::RecommendedWatcher,
    rx: Receiver<notify::Result<Event>>,
    root: PathBuf,
    /// The folder each recursive watch is on, by identity: a `content/`
    /// deleted and made again is a new folder, whose watch must be set anew.
    themes_watched: Option<FolderId>,
    content_watched: Option<FolderId>,
    static_watched: Option<FolderId>,
}

/// A folder's identity (device and inode on Unix).
type FolderId = (u64, u64);

fn folder_id(path: &std::path::Path) -> Option<FolderId> {
    let meta = std::fs::metadata(path).ok().filter(|m| m.is_dir())?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Some((meta.dev(), meta.ino()))
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        Some((0, 0))
    }
}

impl Watch {
    pub fn start(root: &std::path::Path) -> Result<Watch, Failure> {
        let (tx, rx) = channel();
        let mut watcher = notify::recommended_watcher(tx).map_err(|e| watch_failure(&e))?;
        watcher
            .watch(root, RecursiveMode::NonRecursive)
            .map_err(|e| watch_failure(&e))?;
        let mut w = Watch {
            watcher,
            rx,
            root: root.to_path_buf(),
            themes_watched: None,
            content_watched: None,
            static_watched: None,
        };
        w.watch_new_folders();
        Ok(w)
    }

    /// `content/`, `themes/` and `static/` may appear after start, or be
    /// deleted and made again (a `git checkout`, a restore from backup): watch
    /// what is there now.
    fn watch_new_folders(&mut self) {
        let content = self.root.join(CONTENT_DIR);
        self.content_watched = rearm(&mut self.watcher, &content, self.content_watched);
        let themes = self.root.join(THEMES_DIR);
        self.themes_watched = rearm(&mut self.watcher, &themes, self.themes_watched);
        let statics = self.root.join(SITE_STATIC_DIR);
        self.static_watched = rearm(&mut self.watcher, &statics, self.static_watched);
    }

    /// Run rebuilds until the watcher stops; `on_rebuild` hears each result.
    pub fn run(
        mut self,
        session: &mut Session,
        mut on_rebuild: impl FnMut(&Session, Result<Rebuild, Failure>),
    ) -> Result<(), Failure> {
        while let Some(batch) = next_batch(&self.rx, session) {
            self.watch_new_folders();
            let result = session.rebuild(&batch.paths, batch.rescan);
            on_rebuild(session, result);
        }
        Ok(())
    }
}

/// Watch `dir` recursively unless the watch is already on this very folder.
fn rearm(
    watcher: &mut notify::RecommendedWatcher,
    dir: &std::path::Path,
    watched: Option<FolderId>,
) -> Option<FolderId> {
    let now = folder_id(dir);
    if now == watched {
        return watched;
    }
    if watched.is_some() {
        // The old folder is gone; its watch may already have ended with it.
        let _ = watcher.unwatch(dir);
    }
    now.filter(|_| watcher.watch(dir, RecursiveMode::Recursive).is_ok())
}

fn watch_failure(e: &notify::Error) -> Failure {
    Failure::usage(
        Diagnostic::error(".", format!("cannot watch the site folder: {e}"))
            .code(Code::Serve)
            .hint("on Linux, raise fs.inotify.max_user_watches, or use `follicle build`"),
    )
}

/// Wait for the first relevant event, then gather until the burst is quiet.
/// `None` when the watcher is gone.
fn next_batch(rx: &Receiver<notify::Result<Event>>, session: &Session) -> Option<Batch> {
    loop {
        let first = rx.recv().ok()?;
        let mut batch = Batch::default();
        let mut closed = add(&mut batch, first, session);
        let deadline = Instant::now() + MAX_BATCH;
        loop {
            match rx.recv_timeout(if closed { AFTER_CLOSE } else { QUIET }) {
                Ok(ev) => closed = add(&mut batch, ev, session),
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return None,
            }
            if Instant::now() >= deadline {
                break;
            }
        }
        batch.paths.sort();
        batch.paths.dedup();
        if !batch.paths.is_empty() || batch.rescan {
            return Some(batch);
        }
    }
}

/// Fold one event into the batch: reads and junk are dropped. True when the
/// event is a writer closing a site file it wrote.
fn add(batch: &mut Batch, ev: notify::Result<Event>, session: &Session) -> bool {
    use notify::event::{AccessKind, AccessMode};
    let ev = match ev {
        Ok(ev) => ev,
        Err(_) => {
            batch.rescan = true;
            return false;
        }
    };
    let closed_write = matches!(
        ev.kind,
        EventKind::Access(AccessKind::Close(AccessMode::Write))
    );
    if matches!(ev.kind, EventKind::Access(_)) && !closed_write {
        return false;
    }
    let relevant: Vec<PathBuf> = ev
        .paths
        .iter()
        .filter(|p| session.is_relevant(p))
        .cloned()
        .collect();
    if ev.need_rescan() {
        batch.rescan = true;
    }
    if relevant.is_empty() {
        return false;
    }
    let structural = matches!(
        ev.kind,
        EventKind::Create(_)
            | EventKind::Remove(_)
            | EventKind::Modify(notify::event::ModifyKind::Name(_))
            | EventKind::Any
            | EventKind::Other
    );
    batch.rescan |= structural;
    batch.paths.extend(relevant);
    closed_write
}
