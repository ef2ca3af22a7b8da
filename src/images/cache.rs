//! `.follicle-cache/images/`: every processed copy, by a key made of its
//! source's content hash and the settings that made it, shared by `build`,
//! `serve` and `watch`. A full build prunes what it did not use.
//!
//! Each source's hash is remembered with its size and modification time
//! (`sources.tsv`), so an unchanged photo is not read again to be hashed.

use siphasher::sip128::{Hasher128, SipHasher13};
use std::collections::{HashMap, HashSet};
use std::hash::Hasher;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Where the cache lives inside the site.
pub const DIR: &str = ".follicle-cache/images";
/// Raise when what a key stands for changes (encoders, stripping rules).
const VERSION: &str = "1";
const INDEX: &str = "sources.tsv";

/// The image cache of one site (`Cache::default()`: none, nothing kept).
#[derive(Debug, Default)]
pub struct Cache {
    dir: Option<PathBuf>,
    used: Mutex<HashSet<String>>,
    /// Source path → (size, modified ns, content hash).
    sources: Mutex<HashMap<String, (u64, u128, String)>>,
}

/// The key of `parts` (a source hash and settings).
pub fn key(parts: &[&str]) -> String {
    let mut h = SipHasher13::new();
    h.write(VERSION.as_bytes());
    for p in parts {
        h.write(p.as_bytes());
        h.write_u8(0);
    }
    format!("{:032x}", h.finish128().as_u128())
}

fn content_hash(bytes: &[u8]) -> String {
    let mut h = SipHasher13::new();
    h.write(bytes);
    format!("{:032x}", h.finish128().as_u128())
}

impl Cache {
    /// The cache of the site at `root` (created when first written).
    pub fn at(root: &Path) -> Cache {
        let dir = root.join(DIR);
        let sources = std::fs::read_to_string(dir.join(INDEX))
            .map(|t| parse_index(&t))
            .unwrap_or_default();
        Cache {
            dir: Some(dir),
            used: Mutex::default(),
            sources: Mutex::new(sources),
        }
    }

    /// The content hash of the file at `path`; `read` gives its bytes when
    /// the remembered size and time no longer match.
    pub fn source_hash(&self, path: &Path) -> std::io::Result<(String, Option<Vec<u8>>)> {
        let m = std::fs::metadata(path)?;
        let stamp = (m.len(), modified_ns(&m));
        let name = path.to_string_lossy().into_owned();
        if let Some((len, ns, hash)) = self.sources.lock().ok().and_then(|s| s.get(&name).cloned())
        {
            if (len, ns) == stamp && stamp.1 != 0 {
                return Ok((hash, None));
            }
        }
        let bytes = std::fs::read(path)?;
        let hash = content_hash(&bytes);
        if let Ok(mut s) = self.sources.lock() {
            s.insert(name, (stamp.0, stamp.1, hash.clone()));
        }
        Ok((hash, Some(bytes)))
    }

    /// The cached file for `key`, if there is one (and it is then kept by
    /// the next prune).
    pub fn get(&self, key: &str, ext: &str) -> Option<PathBuf> {
        let path = self.dir.as_ref()?.join(format!("{key}.{ext}"));
        if !path.is_file() {
            return None;
        }
        self.mark(key, ext);
        Some(path)
    }

    /// Keep `bytes` under `key` (a failure to write only loses the cache).
    pub fn put(&self, key: &str, ext: &str, bytes: &[u8]) {
        let Some(dir) = &self.dir else { return };
        if std::fs::create_dir_all(dir).is_err() {
            return;
        }
        let name = format!("{key}.{ext}");
        let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
        if std::fs::write(&tmp, bytes)
            .and_then(|_| read_only(&tmp))
            .and_then(|_| std::fs::rename(&tmp, dir.join(&name)))
            .is_err()
        {
            let _ = std::fs::remove_file(&tmp);
            return;
        }
        self.mark(key, ext);
    }

    fn mark(&self, key: &str, ext: &str) {
        if let Ok(mut u) = self.used.lock() {
            u.insert(format!("{key}.{ext}"));
        }
    }

    /// After a full build: delete every cached file this build did not use,
    /// and remember the source hashes. Returns how many files were deleted.
    pub fn prune(&self) -> usize {
        let Some(dir) = &self.dir else { return 0 };
        let used = self.used.lock().map(|u| u.clone()).unwrap_or_default();
        let mut removed = 0;
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name != INDEX && !used.contains(&name) && std::fs::remove_file(entry.path()).is_ok()
            {
                removed += 1;
            }
        }
        self.save_index();
        removed
    }

    /// Remember the source hashes (without pruning: `serve` after a rebuild).
    pub fn save_index(&self) {
        let Some(dir) = &self.dir else { return };
        let Ok(sources) = self.sources.lock() else {
            return;
        };
        let mut lines: Vec<String> = sources
            .iter()
            .filter(|(name, _)| !name.contains(['\t', '\n']))
            .map(|(name, (len, ns, hash))| format!("{name}\t{len}\t{ns}\t{hash}\n"))
            .collect();
        lines.sort();
        let text = lines.concat();
        let old = std::fs::read_to_string(dir.join(INDEX));
        // A site with no photos gets no cache folder at all.
        if old.as_ref().is_ok_and(|old| *old == text) || (old.is_err() && text.is_empty()) {
            return;
        }
        if std::fs::create_dir_all(dir).is_ok() {
            let tmp = dir.join(format!(".{INDEX}.tmp-{}", std::process::id()));
            if std::fs::write(&tmp, text)
                .and_then(|_| std::fs::rename(&tmp, dir.join(INDEX)))
                .is_err()
            {
                let _ = std::fs::remove_file(&tmp);
            }
        }
    }
}

/// Entries are published as hard links: read-only, so a tool that edits
/// `public/` in place cannot change the cache under them (a new file in its
/// place is fine: the link is then simply broken).
#[cfg(unix)]
fn read_only(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o444))
}

#[cfg(not(unix))]
fn read_only(_path: &Path) -> std::io::Result<()> {
    Ok(())
}

fn modified_ns(m: &std::fs::Metadata) -> u128 {
    m.modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos())
}

fn parse_index(text: &str) -> HashMap<String, (u64, u128, String)> {
    text.lines()
        .filter_map(|l| {
            let mut f = l.split('\t');
            let (name, len, ns, hash) = (f.next()?, f.next()?, f.next()?, f.next()?);
            Some((
                name.to_string(),
                (len.parse().ok()?, ns.parse().ok()?, hash.to_string()),
            ))
        })
        .collect()
}
