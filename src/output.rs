//! Output: decide whether the output folder is safe, render into a staging folder
//! beside it, and swap the new site in atomically.
//!
//! Takes: the site root and the requested output folder. Gives: a [`Target`] whose
//! [`Staging`] sink collects the files, then [`Staging::commit`] swaps it in.
//! Invariants: we never write outside the output folder or its staging sibling;
//! we only replace a folder that carries [`MARKER`]; a failed build leaves the
//! previous output byte-identical; we never follow a symlink while cleaning.

use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use crate::diagnostic::{Code, Diagnostic};

/// Where output files go: the staging folder of a build ([`Staging`]), memory
/// for `serve` and `check` ([`MemSink`]).
pub trait Sink: Sync {
    /// Write `bytes` to `path` (relative to the output root, `/` separators).
    fn write(&self, path: &str, bytes: &[u8]) -> std::io::Result<()>;
    /// Copy a file from disk to `path`.
    fn copy(&self, path: &str, from: &Path) -> std::io::Result<()> {
        let bytes = std::fs::read(from)?;
        self.write(path, &bytes)
    }
    /// Publish a file Follicle keeps itself and never changes once made (an
    /// entry of the image cache): a sink on disk may hard-link it instead of
    /// copying its bytes.
    fn share(&self, path: &str, from: &Path) -> std::io::Result<()> {
        self.copy(path, from)
    }
}

/// Output files by path inside the output folder.
pub type Outputs = std::collections::HashMap<String, std::sync::Arc<Vec<u8>>>;

/// Collects outputs in memory.
#[derive(Default)]
pub struct MemSink {
    pub files: Mutex<Outputs>,
}

impl Sink for MemSink {
    fn write(&self, path: &str, bytes: &[u8]) -> std::io::Result<()> {
        crate::faults::maybe_fail_write(path)?;
        self.files
            .lock()
            .map_err(|_| std::io::Error::other("poisoned"))?
            .insert(path.to_string(), std::sync::Arc::new(bytes.to_vec()));
        Ok(())
    }
}

/// The file that marks a folder as made by Follicle.
pub const MARKER: &str = ".follicle-output";
const MARKER_TEXT: &str =
    "This folder is made by Follicle (follicle build). It is replaced whole on every build.\n";
const STAGING_TAG: &str = ".follicle-staging-";
const PREV_TAG: &str = ".follicle-prev";
const LOCK_TAG: &str = ".follicle-lock";

/// How long a `build` waits for another `build` into the same folder.
pub const LOCK_WAIT: std::time::Duration = std::time::Duration::from_secs(120);

/// Who holds an output lock: a `build` (others wait for it) or a `watch`
/// (which holds it until stopped, so others are refused at once).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holder {
    Build,
    Watch,
}

impl Holder {
    fn word(self) -> &'static str {
        match self {
            Holder::Build => "build",
            Holder::Watch => "watch",
        }
    }
}

/// An exclusive advisory lock (`flock` on Unix) on `.NAME.follicle-lock` beside the
/// output folder. Every command that writes the output or its staging
/// siblings holds it, so two builds (a save hook and a manual build) never
/// take each other's staging folder for a stale one. The kernel releases it
/// when the process ends, even on kill -9, so it never needs a manual delete.
#[derive(Debug)]
pub struct OutputLock {
    _file: std::fs::File,
}

/// A checked output folder.
#[derive(Debug, Clone)]
pub struct Target {
    /// The output folder, absolute (it may not exist yet).
    pub dir: PathBuf,
}

/// Lexically resolve `.` and `..` (no file system access).
fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// Resolve symlinks in the part of `path` that exists; keep the rest as written.
fn resolve(path: &Path) -> PathBuf {
    let mut existing = path.to_path_buf();
    let mut rest = Vec::new();
    loop {
        if let Ok(c) = existing.canonicalize() {
            let mut out = c;
            for r in rest.iter().rev() {
                out.push(r);
            }
            return out;
        }
        match (
            existing.file_name().map(|f| f.to_os_string()),
            existing.parent(),
        ) {
            (Some(name), Some(parent)) => {
                rest.push(name);
                existing = parent.to_path_buf();
            }
            _ => return path.to_path_buf(),
        }
    }
}

fn refuse(dir: &Path, why: &str, hint: &str) -> Diagnostic {
    Diagnostic::error(
        "site.toml",
        format!(
            "refusing to use {} as the output folder: {why}",
            dir.display()
        ),
    )
    .code(Code::OutputFolder)
    .hint(hint)
}

/// Check the output folder before anything is touched.
pub fn check(root: &Path, output: &Path) -> Result<Target, Diagnostic> {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("/"));
    let root_abs = resolve(&normalise(&cwd.join(root)));
    let requested = if output.is_absolute() {
        output.to_path_buf()
    } else {
        root_abs.join(output)
    };
    let lexical = normalise(&requested);
    if let Ok(meta) = std::fs::symlink_metadata(&lexical) {
        if meta.file_type().is_symlink() {
            return Err(refuse(
                &lexical,
                "it is a symbolic link",
                "Follicle never replaces a link; point --output at a real folder",
            ));
        }
        if !meta.is_dir() {
            return Err(refuse(
                &lexical,
                "it is a file, not a folder",
                "choose a folder name such as `public`",
            ));
        }
    }
    let dir = resolve(&lexical);
    let hint = "use a folder inside the site such as `public`";
    if dir.parent().is_none() {
        return Err(refuse(&dir, "it is the root of the file system", hint));
    }
    if let Some(home) = std::env::var_os("HOME").map(PathBuf::from) {
        if resolve(&home) == dir {
            return Err(refuse(&dir, "it is your home folder", hint));
        }
    }
    if root_abs.starts_with(&dir) {
        return Err(refuse(
            &dir,
            "it is the site folder or holds it; building would replace your sources",
            hint,
        ));
    }
    for protected in ["content", "themes", "site.toml", ".git"] {
        let p = root_abs.join(protected);
        if dir.starts_with(&p) {
            return Err(refuse(
                &dir,
                &format!("it is inside {protected}/, which holds your sources"),
                hint,
            ));
        }
    }
    if dir.is_dir() && !dir.join(MARKER).is_file() && !is_empty_dir(&dir) {
        return Err(refuse(
            &dir,
            &format!("it already exists and was not made by Follicle (it has no {MARKER} file)"),
            "move the folder away, or pass --output with a new folder name; Follicle only replaces folders it made",
        ));
    }
    Ok(Target { dir })
}

fn is_empty_dir(dir: &Path) -> bool {
    std::fs::read_dir(dir)
        .map(|mut d| d.next().is_none())
        .unwrap_or(false)
}

impl Target {
    fn lock_path(&self) -> PathBuf {
        self.dir
            .with_file_name(format!(".{}{LOCK_TAG}", self.name()))
    }

    /// Take the output lock. If another `build` holds it, wait up to `wait`
    /// for it to finish; if a `watch` holds it, or the wait runs out, refuse
    /// with a message naming the other process.
    pub fn lock(&self, me: Holder, wait: std::time::Duration) -> Result<OutputLock, Diagnostic> {
        use std::io::{Read, Seek, Write};
        let path = self.lock_path();
        let parent = self.dir.parent().unwrap_or(Path::new("/"));
        let cannot = |e: std::io::Error| {
            if is_denied(&e) {
                return self.unwritable(&e);
            }
            Diagnostic::error(
                path.display().to_string(),
                format!("cannot open the output lock file: {e}"),
            ).code(Code::OutputLock)
            .hint("make sure the folder holding the output is writable and that this file is not a link")
        };
        std::fs::create_dir_all(parent).map_err(cannot)?;
        let mut file = open_lock_file(&path).map_err(cannot)?;
        let deadline = std::time::Instant::now() + wait;
        loop {
            // std's `try_lock` is `flock(LOCK_EX | LOCK_NB)` on Unix.
            match file.try_lock() {
                Ok(()) => break,
                Err(std::fs::TryLockError::Error(e)) => return Err(cannot(e)),
                Err(std::fs::TryLockError::WouldBlock) => {}
            }
            let mut other = String::new();
            let _ = file.seek(std::io::SeekFrom::Start(0));
            let _ = file.read_to_string(&mut other);
            let watching = other.starts_with(Holder::Watch.word());
            if watching || std::time::Instant::now() >= deadline {
                return Err(self.busy(other.trim(), watching));
            }
            std::thread::sleep(std::time::Duration::from_millis(25));
        }
        let text = format!("{} pid {}\n", me.word(), std::process::id());
        file.set_len(0)
            .and_then(|_| file.seek(std::io::SeekFrom::Start(0)))
            .and_then(|_| file.write_all(text.as_bytes()))
            .map_err(cannot)?;
        Ok(OutputLock { _file: file })
    }

    /// The message when another process holds the lock (`other` is what it
    /// wrote there: "build pid 123").
    fn busy(&self, other: &str, watching: bool) -> Diagnostic {
        let pid = other
            .rsplit(' ')
            .next()
            .filter(|p| p.parse::<u32>().is_ok())
            .map(|p| format!(" (pid {p})"))
            .unwrap_or_default();
        let name = self.name();
        let d = Diagnostic::error(
            self.dir.display().to_string(),
            if watching {
                format!("`follicle watch` is running{pid} and writing into {name}/")
            } else {
                format!(
                    "another build is running{pid} into {name}/ and did not finish within {} s",
                    LOCK_WAIT.as_secs()
                )
            },
        )
        .code(Code::OutputLock);
        if watching {
            d.hint("stop it (Ctrl-C in its terminal) and build again, or build into another folder with --output")
        } else {
            d.hint("wait for it to finish, or stop it, then build again; or build into another folder with --output")
        }
    }

    /// Get a staging folder beside the output folder. The previous build's
    /// folder (kept as `.NAME.follicle-prev`) or one left by a killed build is
    /// reused, so a rebuild overwrites files in place instead of creating and
    /// deleting the whole tree (which is slow on many file systems).
    pub fn stage(&self) -> std::io::Result<Staging> {
        let parent = self.dir.parent().unwrap_or(Path::new("/"));
        std::fs::create_dir_all(parent)?;
        self.writable()?;
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let dir = parent.join(format!(
            ".{}{STAGING_TAG}{}-{nanos}",
            self.name(),
            std::process::id()
        ));
        let mut reused_from = None;
        for old in self.leftovers(parent) {
            if reused_from.is_none() && std::fs::rename(&old, &dir).is_ok() {
                reused_from = Some(old);
            } else {
                let _ = std::fs::remove_dir_all(&old);
            }
        }
        if reused_from.is_none() {
            std::fs::create_dir(&dir)?;
        }
        if let Err(e) = mark(&dir, reused_from.is_some()) {
            // Leave the folders as they were: no renamed staging folder behind.
            match &reused_from {
                Some(old) => {
                    let _ = std::fs::rename(&dir, old);
                }
                None => {
                    let _ = std::fs::remove_dir_all(&dir);
                }
            }
            return Err(e);
        }
        Ok(Staging {
            dir,
            target: self.dir.clone(),
            prev: self.prev_dir(),
            reused: reused_from.is_some(),
            written: Mutex::new(HashSet::new()),
            checked: Mutex::new(HashSet::new()),
            denied: Mutex::new(None),
        })
    }

    /// Refuse, before anything is moved, when the folder holding the output
    /// or the output folder itself (or its marker) may not be written: a
    /// read-only `public/` is not silently replaced.
    fn writable(&self) -> std::io::Result<()> {
        let parent = self.dir.parent().unwrap_or(Path::new("/"));
        let marker = self.dir.join(MARKER);
        let denied = !may_write(parent, "parent")
            || (self.dir.is_dir() && !may_write(&self.dir, "output"))
            || (marker.is_file() && !may_write(&marker, "output"));
        if denied {
            return Err(std::io::Error::from(std::io::ErrorKind::PermissionDenied));
        }
        Ok(())
    }

    /// The plain message when the output folder, the previous build kept
    /// beside it, or the folder holding them may not be written (read-only,
    /// another user's, a read-only file system): which one, and the fix.
    pub fn unwritable(&self, e: &std::io::Error) -> Diagnostic {
        let parent = self.dir.parent().unwrap_or(Path::new("/"));
        let name = self.name();
        if !may_write(parent, "parent") {
            return Diagnostic::error(
                parent.display().to_string(),
                format!(
                    "cannot write in this folder, which holds the output folder {name}/ ({}); the output folder was left as it was",
                    denied_text(e)
                ),
            )
            .code(Code::OutputFolder)
            .hint(format!(
                "Follicle builds the new site beside {name}/ and swaps it in, so it must write here: make the folder writable (`chmod u+w {}`), or build into a folder you can write with --output",
                parent.display()
            ));
        }
        let prev = self.prev_dir();
        let both = if prev.exists() {
            format!("{} {}", self.dir.display(), prev.display())
        } else {
            self.dir.display().to_string()
        };
        Diagnostic::error(
            self.dir.display().to_string(),
            format!(
                "cannot write the output folder: it, or the previous build kept beside it as {}, is read-only or belongs to another user ({}); the output folder was left as it was",
                prev.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
                denied_text(e)
            ),
        )
        .code(Code::OutputFolder)
        .hint(format!(
            "make them writable (`chmod -R u+w {both}`; if another user built them, `sudo chown -R \"$USER\" {both}`), or build into another folder with --output"
        ))
    }

    fn name(&self) -> String {
        self.dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    }

    fn prev_dir(&self) -> PathBuf {
        self.dir
            .with_file_name(format!(".{}{PREV_TAG}", self.name()))
    }

    /// Our folders beside the output: the previous build first, then staging
    /// folders of killed builds. Ours by name and marker; never a symlink.
    fn leftovers(&self, parent: &Path) -> Vec<PathBuf> {
        let prefix = format!(".{}{STAGING_TAG}", self.name());
        let mut found = Vec::new();
        let prev = self.prev_dir();
        if is_our_dir(&prev) {
            found.push(prev);
        }
        if let Ok(entries) = std::fs::read_dir(parent) {
            let mut stale: Vec<PathBuf> = entries
                .flatten()
                .filter(|e| e.file_name().to_string_lossy().starts_with(&prefix))
                .map(|e| e.path())
                .filter(|p| {
                    if is_our_dir(p) {
                        return true;
                    }
                    // A build killed between creating its staging folder and
                    // writing the marker leaves it empty; `remove_dir` removes
                    // only empty folders, so nothing of anyone else's is lost.
                    let _ = std::fs::remove_dir(p);
                    false
                })
                .collect();
            stale.sort();
            found.extend(stale);
        }
        found
    }
}

/// Write the marker into a new or reused staging folder.
fn mark(dir: &Path, reused: bool) -> std::io::Result<()> {
    if reused && crate::faults::read_only("staging") {
        return Err(std::io::Error::from(std::io::ErrorKind::PermissionDenied));
    }
    std::fs::write(dir.join(MARKER), MARKER_TEXT)
}

/// Whether this process may write `p` (`place` names it for fault injection).
fn may_write(p: &Path, place: &str) -> bool {
    if crate::faults::read_only(place) {
        return false;
    }
    #[cfg(unix)]
    {
        rustix::fs::access(p, rustix::fs::Access::WRITE_OK).is_ok()
    }
    #[cfg(not(unix))]
    {
        std::fs::metadata(p).is_ok_and(|m| !m.permissions().readonly())
    }
}

/// "permission denied", "read-only file system": the OS's words without the
/// error number.
fn denied_text(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::ReadOnlyFilesystem => "a read-only file system".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

/// Whether an error means we may not write there: a read-only folder or file,
/// one that belongs to another user, or a read-only file system.
pub fn is_denied(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem
    )
}

fn is_our_dir(p: &Path) -> bool {
    std::fs::symlink_metadata(p)
        .map(|m| m.is_dir())
        .unwrap_or(false)
        && p.join(MARKER).is_file()
}

/// A folder being filled with the new site.
#[derive(Debug)]
pub struct Staging {
    pub dir: PathBuf,
    target: PathBuf,
    prev: PathBuf,
    /// The folder holds an earlier build's files (else it was created empty, and
    /// nothing can be in a file's way).
    reused: bool,
    /// Every file written by this build; anything else is pruned at commit.
    written: Mutex<HashSet<String>>,
    /// Folders of a reused staging folder known to be real folders.
    checked: Mutex<HashSet<String>>,
    /// The first write refused for permissions (see [`Staging::denied`]).
    denied: Mutex<Option<std::io::ErrorKind>>,
}

impl Staging {
    /// Prune files this build did not write, swap the staged site in, and keep
    /// the old one as the next build's staging folder.
    pub fn commit(self) -> std::io::Result<()> {
        let existed = self.target.exists();
        let moved = self.prune().and_then(|()| {
            if existed {
                swap(&self.dir, &self.target)
            } else {
                std::fs::rename(&self.dir, &self.target)
            }
        });
        if let Err(e) = moved {
            // Nothing was swapped: the output is as it was; tidy the staging.
            self.abandon();
            return Err(e);
        }
        // `dir` now holds the old site: keep it for the next build to reuse.
        if existed && std::fs::rename(&self.dir, &self.prev).is_err() {
            std::fs::remove_dir_all(&self.dir)?;
        }
        Ok(())
    }

    /// The first write refused for permissions (a read-only file left from an
    /// earlier build), as an error to report with [`Target::unwritable`].
    pub fn denied(&self) -> Option<std::io::Error> {
        let kind = *self.denied.lock().ok()?;
        kind.map(std::io::Error::from)
    }

    /// Remember a permission error, which the caller reports as one message.
    fn note(&self, r: std::io::Result<()>) -> std::io::Result<()> {
        if let Err(e) = &r {
            if is_denied(e) {
                if let Ok(mut d) = self.denied.lock() {
                    d.get_or_insert(e.kind());
                }
            }
        }
        r
    }

    /// Give up and delete the staged files (the previous output stays as it
    /// was): when the disk is full, the space they hold is what the user needs.
    pub fn discard(self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }

    /// Give up (the previous output stays as it was); the staged files are kept
    /// for the next build to overwrite.
    pub fn abandon(self) {
        let keep = self.target.exists() && !self.prev.exists();
        if !keep || std::fs::rename(&self.dir, &self.prev).is_err() {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }

    /// Delete files left from an earlier build that this one did not write, and
    /// folders left empty. Never follows symlinks (they are removed as entries).
    fn prune(&self) -> std::io::Result<()> {
        let written = self
            .written
            .lock()
            .map_err(|_| std::io::Error::other("poisoned"))?;
        prune_dir(&self.dir, "", &written).map(|_| ())
    }

    fn path_for(&self, rel: &str) -> std::io::Result<PathBuf> {
        safe_rel(rel)?;
        Ok(self.dir.join(rel))
    }

    /// Make room for a file at `path`: its folder must exist, and nothing left
    /// from an earlier build (a folder where a file goes, a file where a folder
    /// goes, a symlink) may stand in the way.
    /// [`Staging::real_folders`] must have been called for `rel` first.
    fn prepare(&self, rel: &str) -> std::io::Result<PathBuf> {
        let path = self.path_for(rel)?;
        let parent = path.parent().unwrap_or(&self.dir);
        if std::fs::create_dir_all(parent).is_err() {
            let mut cur = self.dir.clone();
            for comp in Path::new(rel)
                .parent()
                .into_iter()
                .flat_map(|p| p.components())
            {
                cur.push(comp);
                if let Ok(m) = std::fs::symlink_metadata(&cur) {
                    if !m.is_dir() {
                        std::fs::remove_file(&cur)?;
                    }
                }
            }
            std::fs::create_dir_all(parent)?;
        }
        let obstacle = if self.reused {
            std::fs::symlink_metadata(&path).ok()
        } else {
            None
        };
        if let Some(m) = obstacle {
            if m.is_dir() {
                std::fs::remove_dir_all(&path)?;
            } else if m.file_type().is_symlink() {
                std::fs::remove_file(&path)?;
            }
        }
        self.record(rel);
        Ok(path)
    }

    /// In a reused folder, make sure every folder on the way to `rel` is a real
    /// folder: a link left there (say `public/uploads` → `/var/www/uploads`)
    /// is removed, never written through. Each folder is looked at once.
    fn real_folders(&self, rel: &str) -> std::io::Result<()> {
        if !self.reused {
            return Ok(());
        }
        let mut end = 0;
        while let Some(slash) = rel[end..].find('/') {
            end += slash;
            let folder = &rel[..end];
            end += 1;
            if self.checked.lock().is_ok_and(|c| c.contains(folder)) {
                continue;
            }
            match std::fs::symlink_metadata(self.dir.join(folder)) {
                Ok(m) if m.is_dir() => {}
                // A link or a file where a folder goes: gone; `prepare` makes
                // the folder.
                Ok(_) => std::fs::remove_file(self.dir.join(folder))?,
                Err(_) => return Ok(()),
            }
            if let Ok(mut c) = self.checked.lock() {
                c.insert(folder.to_string());
            }
        }
        Ok(())
    }

    /// The files this build has written so far (paths inside the output).
    pub fn written(&self) -> HashSet<String> {
        self.written.lock().map(|w| w.clone()).unwrap_or_default()
    }

    fn record(&self, rel: &str) {
        if let Ok(mut w) = self.written.lock() {
            w.insert(rel.to_string());
        }
    }
}

/// Prune one folder of the staging tree (`rel` is its path inside, "" for the
/// top, else ending in `/`); sub-folders in parallel. Gives whether the folder
/// is now empty, so the caller removes it without a failing `rmdir` per folder.
fn prune_dir(dir: &Path, rel: &str, written: &HashSet<String>) -> std::io::Result<bool> {
    use rayon::prelude::*;
    let mut subdirs = Vec::new();
    let mut kept = false;
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let is_dir = entry.file_type()?.is_dir();
        let name = entry.file_name();
        let Some(name) = name.to_str() else {
            // Never a name this build wrote (output paths are UTF-8).
            if is_dir {
                std::fs::remove_dir_all(entry.path())?;
            } else {
                std::fs::remove_file(entry.path())?;
            }
            continue;
        };
        let path = format!("{rel}{name}");
        if is_dir {
            subdirs.push((entry.path(), format!("{path}/")));
        } else if path == MARKER || written.contains(&path) {
            kept = true;
        } else {
            // Files and links alike: `remove_file` never follows a link.
            std::fs::remove_file(entry.path())?;
        }
    }
    let emptied: Vec<std::io::Result<bool>> = subdirs
        .par_iter()
        .map(|(path, rel)| {
            let empty = prune_dir(path, rel, written)?;
            if empty {
                std::fs::remove_dir(path)?;
            }
            Ok(empty)
        })
        .collect();
    for e in emptied {
        kept |= !e?;
    }
    Ok(!kept)
}

/// Whether an error means the disk, or the user's quota, is full.
pub fn is_disk_full(e: &std::io::Error) -> bool {
    e.kind() == std::io::ErrorKind::StorageFull
        || e.kind() == std::io::ErrorKind::QuotaExceeded
        || matches!(e.raw_os_error(), Some(28 | 122))
}

/// What [`update_in_place`] did.
enum InPlace {
    /// The file already held the bytes: left alone.
    Unchanged,
    /// The file was brought to the bytes.
    Written,
    /// No regular file there (nothing, a link, a folder): the caller makes room.
    NotThere,
}

/// Bring a regular file left from an earlier build to `bytes` through one open.
/// Equal bytes are left alone: rewriting costs a flush on ext4 and loses the
/// file's time, which upload tools (rsync) compare. Other bytes are written
/// over the old ones and the length set after, never truncating to zero first:
/// ext4 flushes a file at close when it was truncated to zero and rewritten
/// (its guard for editors that save that way), which made rewriting 10,000
/// pages twice as slow as writing them new. A link is never followed.
fn update_in_place(path: &Path, bytes: &[u8]) -> std::io::Result<InPlace> {
    use std::io::{Seek, Write};
    if std::fs::symlink_metadata(path).is_ok_and(|m| m.is_file() && shared_inode(&m)) {
        // Hard-linked from elsewhere (the image cache, or `cp -al` and `rsync
        // --link-dest` backups; cache entries are read-only, so it may not
        // even open for writing): writing in place would change the other
        // copy too. Make a new file.
        std::fs::remove_file(path)?;
        return Ok(InPlace::NotThere);
    }
    let Ok(mut file) = open_no_follow(path) else {
        return Ok(InPlace::NotThere);
    };
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Ok(InPlace::NotThere);
    }
    if meta.len() == bytes.len() as u64 && holds(&mut file, bytes) {
        return Ok(InPlace::Unchanged);
    }
    file.seek(std::io::SeekFrom::Start(0))?;
    file.write_all(bytes)?;
    file.set_len(bytes.len() as u64)?;
    Ok(InPlace::Written)
}

#[cfg(unix)]
fn shared_inode(meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    meta.nlink() > 1
}

#[cfg(not(unix))]
fn shared_inode(_meta: &std::fs::Metadata) -> bool {
    false
}

/// Whether the rest of `file` reads exactly `bytes`.
fn holds(file: &mut std::fs::File, bytes: &[u8]) -> bool {
    use std::io::Read;
    let mut buf = [0u8; 16 * 1024];
    let mut rest = bytes;
    loop {
        match file.read(&mut buf) {
            Ok(0) => return rest.is_empty(),
            Ok(n) if n <= rest.len() && buf[..n] == rest[..n] => rest = &rest[n..],
            Ok(_) => return false,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return false,
        }
    }
}

/// Open an existing file to read and write, never through a link.
#[cfg(unix)]
fn open_no_follow(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .custom_flags(rustix::fs::OFlags::NOFOLLOW.bits() as i32)
        .open(path)
}

#[cfg(not(unix))]
fn open_no_follow(path: &Path) -> std::io::Result<std::fs::File> {
    if std::fs::symlink_metadata(path)?.file_type().is_symlink() {
        return Err(std::io::Error::other("a link"));
    }
    std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(path)
}

/// Open (creating) the lock file to read and write, never through a link.
#[cfg(unix)]
fn open_lock_file(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .custom_flags(rustix::fs::OFlags::NOFOLLOW.bits() as i32)
        .open(path)
}

#[cfg(not(unix))]
fn open_lock_file(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
}

/// Atomic exchange of two folders where the OS has it; otherwise two renames.
#[cfg(target_os = "linux")]
fn swap(a: &Path, b: &Path) -> std::io::Result<()> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(()),
        Err(e) if e == rustix::io::Errno::INVAL || e == rustix::io::Errno::NOSYS => {
            swap_by_rename(a, b)
        }
        Err(e) => Err(e.into()),
    }
}

#[cfg(not(target_os = "linux"))]
fn swap(a: &Path, b: &Path) -> std::io::Result<()> {
    swap_by_rename(a, b)
}

fn swap_by_rename(staging: &Path, target: &Path) -> std::io::Result<()> {
    let old = staging.with_extension("old");
    std::fs::rename(target, &old)?;
    if let Err(e) = std::fs::rename(staging, target) {
        let _ = std::fs::rename(&old, target);
        return Err(e);
    }
    std::fs::rename(&old, staging)
}

/// Check a path relative to the output folder: no `..`, `.`, absolute paths,
/// backslashes, NUL, or the marker (or a folder in its place). Every output path was checked upstream; this is the last
/// line of defence.
fn safe_rel(rel: &str) -> std::io::Result<()> {
    let bad = rel.split('/').any(|s| s == ".." || s == ".")
        || rel.starts_with('/')
        || rel.contains('\\')
        || rel.contains('\0')
        || rel.is_empty()
        // Only the staging code writes the marker, never a page.
        || rel.split('/').next() == Some(MARKER);
    if bad {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("unsafe output path {rel:?}"),
        ));
    }
    Ok(())
}

/// Replace one file inside `dir` atomically: write a temporary sibling, rename.
/// Every folder on the way is opened without following links: a link (or a
/// file) where a folder goes is removed and a real folder made, so nothing
/// is ever written outside `dir` (a user who replaced `public/treatment` with
/// a link to their own folder keeps that folder untouched).
#[cfg(unix)]
pub fn write_atomic(dir: &Path, rel: &str, bytes: &[u8]) -> std::io::Result<()> {
    use rustix::fs::{openat, renameat, unlinkat, AtFlags, Mode, OFlags};
    use std::io::Write;
    safe_rel(rel)?;
    let (folders, name) = split_rel(rel);
    let Some(fd) = real_folder(dir, folders, true)? else {
        return Err(std::io::Error::other("folder vanished"));
    };
    let tmp = format!(".{name}.follicle-tmp-{}", std::process::id());
    let flags =
        OFlags::WRONLY | OFlags::CREATE | OFlags::TRUNC | OFlags::NOFOLLOW | OFlags::CLOEXEC;
    let file = openat(&fd, tmp.as_str(), flags, Mode::from_raw_mode(0o666))?;
    let mut file = std::fs::File::from(file);
    let written = file.write_all(bytes).and_then(|_| {
        drop(file);
        // `rename` replaces a link at `name` itself, never what it points to.
        renameat(&fd, tmp.as_str(), &fd, name).map_err(std::io::Error::from)
    });
    if written.is_err() {
        let _ = unlinkat(&fd, tmp.as_str(), AtFlags::empty());
    }
    written
}

/// Delete one output file inside `dir` (never a folder, never through a link:
/// the folders on the way are opened without following links, and a link in
/// their place means the file is not ours, so nothing is removed).
#[cfg(unix)]
pub fn remove_inside(dir: &Path, rel: &str) -> std::io::Result<()> {
    use rustix::fs::{statat, unlinkat, AtFlags, FileType};
    safe_rel(rel)?;
    let (folders, name) = split_rel(rel);
    let Some(fd) = real_folder(dir, folders, false)? else {
        return Ok(());
    };
    match statat(&fd, name, AtFlags::SYMLINK_NOFOLLOW) {
        Ok(st) if FileType::from_raw_mode(st.st_mode) == FileType::RegularFile => {
            unlinkat(&fd, name, AtFlags::empty()).map_err(Into::into)
        }
        _ => Ok(()),
    }
}

/// `a/b/c.html` → (`["a", "b"]`, `c.html`).
fn split_rel(rel: &str) -> (Vec<&str>, &str) {
    let mut parts: Vec<&str> = rel.split('/').filter(|p| !p.is_empty()).collect();
    let name = parts.pop().unwrap_or(rel);
    (parts, name)
}

/// Open `dir`, then each of `folders` inside it, never following a link.
/// With `create`, a missing folder is made and a link or file in its place is
/// removed first (`unlinkat` removes the link itself); without, a missing or
/// non-folder entry gives `None`.
#[cfg(unix)]
fn real_folder(
    dir: &Path,
    folders: Vec<&str>,
    create: bool,
) -> std::io::Result<Option<rustix::fd::OwnedFd>> {
    use rustix::fs::{mkdirat, openat, unlinkat, AtFlags, Mode, OFlags, CWD};
    use rustix::io::Errno;
    let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC;
    let mut fd = openat(CWD, dir, flags, Mode::empty())?;
    for folder in folders {
        let next = match openat(&fd, folder, flags, Mode::empty()) {
            Ok(next) => next,
            Err(e) if !create && matches!(e, Errno::NOENT | Errno::NOTDIR | Errno::LOOP) => {
                return Ok(None)
            }
            Err(Errno::NOTDIR | Errno::LOOP) => {
                unlinkat(&fd, folder, AtFlags::empty())?;
                mkdirat(&fd, folder, Mode::from_raw_mode(0o777))?;
                openat(&fd, folder, flags, Mode::empty())?
            }
            Err(Errno::NOENT) => {
                match mkdirat(&fd, folder, Mode::from_raw_mode(0o777)) {
                    Ok(()) | Err(Errno::EXIST) => {}
                    Err(e) => return Err(e.into()),
                }
                openat(&fd, folder, flags, Mode::empty())?
            }
            Err(e) => return Err(e.into()),
        };
        fd = next;
    }
    Ok(Some(fd))
}

/// Replace one file inside `dir` atomically: write a temporary sibling, rename.
#[cfg(not(unix))]
pub fn write_atomic(dir: &Path, rel: &str, bytes: &[u8]) -> std::io::Result<()> {
    safe_rel(rel)?;
    let path = dir.join(rel);
    let parent = path.parent().unwrap_or(dir);
    no_link_on_the_way(dir, rel)?;
    std::fs::create_dir_all(parent)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = parent.join(format!(".{name}.follicle-tmp-{}", std::process::id()));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, &path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

/// Delete one output file inside `dir` (never a folder, never through a link).
#[cfg(not(unix))]
pub fn remove_inside(dir: &Path, rel: &str) -> std::io::Result<()> {
    safe_rel(rel)?;
    no_link_on_the_way(dir, rel)?;
    let path = dir.join(rel);
    match std::fs::symlink_metadata(&path) {
        Ok(m) if m.is_file() => std::fs::remove_file(&path),
        _ => Ok(()),
    }
}

#[cfg(not(unix))]
fn no_link_on_the_way(dir: &Path, rel: &str) -> std::io::Result<()> {
    let mut cur = dir.to_path_buf();
    for folder in split_rel(rel).0 {
        cur.push(folder);
        if std::fs::symlink_metadata(&cur).is_ok_and(|m| !m.is_dir()) {
            return Err(std::io::Error::other(format!(
                "{} is not a folder",
                cur.display()
            )));
        }
    }
    Ok(())
}

impl Sink for Staging {
    fn write(&self, rel: &str, bytes: &[u8]) -> std::io::Result<()> {
        self.note(self.write_file(rel, bytes))
    }

    fn copy(&self, rel: &str, from: &Path) -> std::io::Result<()> {
        self.note(self.copy_file(rel, from))
    }

    fn share(&self, rel: &str, from: &Path) -> std::io::Result<()> {
        self.note(self.share_file(rel, from))
    }
}

impl Staging {
    fn write_file(&self, rel: &str, bytes: &[u8]) -> std::io::Result<()> {
        crate::faults::maybe_fail_write(rel)?;
        let path = self.path_for(rel)?;
        self.real_folders(rel)?;
        if self.reused {
            match update_in_place(&path, bytes)? {
                InPlace::Unchanged | InPlace::Written => {
                    self.record(rel);
                    return Ok(());
                }
                InPlace::NotThere => {}
            }
        }
        let path = self.prepare(rel)?;
        std::fs::write(path, bytes)
    }

    fn copy_file(&self, rel: &str, from: &Path) -> std::io::Result<()> {
        let path = self.place_for_copy(rel)?;
        if self.reused {
            remove_old(&path)?;
        }
        std::fs::copy(from, path).map(|_| ())
    }

    /// A hard link to `from` (a cache entry), or a copy where links cannot be
    /// made (another file system). A reused folder that already links to the
    /// same entry keeps it: a warm rebuild of 100 photos moves no bytes.
    fn share_file(&self, rel: &str, from: &Path) -> std::io::Result<()> {
        let path = self.place_for_copy(rel)?;
        if self.reused {
            if same_file(&path, from) {
                return Ok(());
            }
            remove_old(&path)?;
        }
        std::fs::hard_link(from, &path).or_else(|_| std::fs::copy(from, &path).map(|_| ()))
    }

    /// Where a file copied or linked from disk goes, its folders made.
    fn place_for_copy(&self, rel: &str) -> std::io::Result<PathBuf> {
        crate::faults::maybe_fail_write(rel)?;
        self.real_folders(rel)?;
        self.prepare(rel)
    }
}

/// An earlier build's file at `path`, gone: the new one is a new file, never
/// the old one's inode (it may be hard-linked from a backup or the cache).
fn remove_old(path: &Path) -> std::io::Result<()> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// Whether `path` is a plain file that is `other` itself (one inode).
#[cfg(unix)]
fn same_file(path: &Path, other: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::symlink_metadata(path), std::fs::metadata(other)) {
        (Ok(a), Ok(b)) => a.is_file() && (a.dev(), a.ino()) == (b.dev(), b.ino()),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(_path: &Path, _other: &Path) -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mem_sink_collects() {
        let s = MemSink::default();
        s.write("a/index.html", b"x").unwrap();
        assert_eq!(s.files.lock().unwrap().len(), 1);
    }

    #[test]
    fn refuses_the_site_root_and_its_parents() {
        let t = tempfile::tempdir().unwrap();
        let root = t.path().join("site");
        std::fs::create_dir_all(root.join("content")).unwrap();
        assert!(check(&root, Path::new(".")).is_err());
        assert!(check(&root, Path::new("..")).is_err());
        assert!(check(&root, Path::new("content/out")).is_err());
        assert!(check(&root, Path::new("public")).is_ok());
    }

    #[test]
    fn refuses_unmarked_folders() {
        let t = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(t.path().join("public")).unwrap();
        std::fs::write(t.path().join("public/mine.txt"), "x").unwrap();
        let e = check(t.path(), Path::new("public")).unwrap_err();
        assert!(e.message.contains("not made by Follicle"), "{e}");
    }

    #[test]
    fn swap_replaces_old_output() {
        let t = tempfile::tempdir().unwrap();
        let target = check(t.path(), Path::new("public")).unwrap();
        let s = target.stage().unwrap();
        s.write("a/index.html", b"one").unwrap();
        s.commit().unwrap();
        let s = target.stage().unwrap();
        s.write("b/index.html", b"two").unwrap();
        s.commit().unwrap();
        assert!(!t.path().join("public/a").exists());
        assert_eq!(
            std::fs::read(t.path().join("public/b/index.html")).unwrap(),
            b"two"
        );
        let mut leftovers: Vec<String> = std::fs::read_dir(t.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().to_string())
            .collect();
        leftovers.sort();
        assert_eq!(leftovers, [".public.follicle-prev", "public"]);
        // The next builds reuse the previous folder: stale files are pruned, and
        // a folder where a file now goes (or the reverse) is replaced.
        let s = target.stage().unwrap();
        s.write("a/index.html/x", b"nested").unwrap();
        s.write("c.txt", b"three").unwrap();
        s.commit().unwrap();
        let s = target.stage().unwrap();
        s.write("a/index.html", b"file again").unwrap();
        s.commit().unwrap();
        let public = t.path().join("public");
        let mut files: Vec<String> = walkdir::WalkDir::new(&public)
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
            .map(|e| crate::diagnostic::rel(&public, e.path()))
            .collect();
        files.sort();
        assert_eq!(files, [".follicle-output", "a/index.html"]);
    }
}
