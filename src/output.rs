//! Output: decide whether the output folder is safe, render into a staging folder
//! beside it, and swap the new site in atomically.
//!
//! Takes: the site root and the requested output folder. Gives: a [`Target`] whose
//! [`Staging`] sink collects the files, then [`Staging::commit`] swaps it in.
//! Invariants: we never write outside the output folder or its staging sibling;
//! we only replace a folder that carries [`MARKER`]; a failed build leaves the
//! previous output byte-identical; we never follow a symlink while cleaning.

use std::path::{Component, Path, PathBuf};

use crate::diagnostic::Diagnostic;
use crate::render::Sink;

/// The file that marks a folder as made by Follicle.
pub const MARKER: &str = ".follicle-output";
const MARKER_TEXT: &str =
    "This folder is made by Follicle (follicle build). It is replaced whole on every build.\n";
const STAGING_TAG: &str = ".follicle-staging-";

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
    /// Create a fresh staging folder beside the output folder.
    pub fn stage(&self) -> std::io::Result<Staging> {
        let parent = self.dir.parent().unwrap_or(Path::new("/"));
        std::fs::create_dir_all(parent)?;
        remove_stale_staging(parent, &self.name());
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let dir = parent.join(format!(
            ".{}{STAGING_TAG}{}-{nanos}",
            self.name(),
            std::process::id()
        ));
        std::fs::create_dir(&dir)?;
        std::fs::write(dir.join(MARKER), MARKER_TEXT)?;
        Ok(Staging {
            dir,
            target: self.dir.clone(),
        })
    }

    fn name(&self) -> String {
        self.dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    }
}

/// Staging folders left by a build that was killed: ours by name and marker.
fn remove_stale_staging(parent: &Path, name: &str) {
    let prefix = format!(".{name}{STAGING_TAG}");
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for e in entries.flatten() {
        let fname = e.file_name().to_string_lossy().into_owned();
        let is_dir = e.file_type().map(|t| t.is_dir()).unwrap_or(false);
        if fname.starts_with(&prefix) && is_dir && e.path().join(MARKER).is_file() {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

/// A folder being filled with the new site.
#[derive(Debug)]
pub struct Staging {
    pub dir: PathBuf,
    target: PathBuf,
}

impl Staging {
    /// Swap the staged site in. The old output (if any) disappears only after the
    /// new one is in place.
    pub fn commit(self) -> std::io::Result<()> {
        if self.target.exists() {
            swap(&self.dir, &self.target)?;
            // `dir` now holds the old site; remove_dir_all does not follow symlinks.
            std::fs::remove_dir_all(&self.dir)
        } else {
            std::fs::rename(&self.dir, &self.target)
        }
    }

    /// Throw the staged files away (the previous output stays as it was).
    pub fn abandon(self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }

    fn path_for(&self, rel: &str) -> std::io::Result<PathBuf> {
        safe_rel(rel)?;
        Ok(self.dir.join(rel))
    }
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
/// backslashes or NUL. Every output path was checked upstream; this is the last
/// line of defence.
fn safe_rel(rel: &str) -> std::io::Result<()> {
    let bad = rel.split('/').any(|s| s == ".." || s == ".")
        || rel.starts_with('/')
        || rel.contains('\\')
        || rel.contains('\0')
        || rel.is_empty();
    if bad {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("unsafe output path {rel:?}"),
        ));
    }
    Ok(())
}

/// Replace one file inside `dir` atomically: write a temporary sibling, rename.
pub fn write_atomic(dir: &Path, rel: &str, bytes: &[u8]) -> std::io::Result<()> {
    safe_rel(rel)?;
    let path = dir.join(rel);
    let parent = path.parent().unwrap_or(dir);
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
pub fn remove_inside(dir: &Path, rel: &str) -> std::io::Result<()> {
    safe_rel(rel)?;
    let path = dir.join(rel);
    match std::fs::symlink_metadata(&path) {
        Ok(m) if m.is_file() => std::fs::remove_file(&path),
        _ => Ok(()),
    }
}

impl Sink for Staging {
    fn write(&self, rel: &str, bytes: &[u8]) -> std::io::Result<()> {
        let path = self.path_for(rel)?;
        crate::faults::maybe_fail_write(rel)?;
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(path, bytes)
    }

    fn copy(&self, rel: &str, from: &Path) -> std::io::Result<()> {
        let path = self.path_for(rel)?;
        crate::faults::maybe_fail_write(rel)?;
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::copy(from, path).map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let leftovers: Vec<_> = std::fs::read_dir(t.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(leftovers.len(), 1, "{leftovers:?}");
    }
}
