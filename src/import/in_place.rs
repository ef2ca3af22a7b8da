//! A Zola, Hugo or Jekyll folder built as it is: `follicle build` (or
//! `check`) where there is the other tool's configuration and no `site.toml`.
//!
//! Takes: the peer's folder. Gives: a Follicle site made from it by the same
//! import as `follicle import`, written afresh into [`DIR`] inside it (the
//! only place written besides the output; the peer's own files are never
//! touched), and the way back from that copy's file names to the peer's, so
//! every warning names the file the writer edits.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::{Peer, Report};
use crate::diagnostic::{rel, Code, Diagnostic, Failure};

/// Where the imported copy is made, inside the peer's folder.
pub const DIR: &str = ".follicle-cache/peer-site";

/// A peer's folder, imported for one build.
#[derive(Debug)]
pub struct InPlace {
    pub peer: Peer,
    /// The imported site (build this one).
    pub site: PathBuf,
    /// The peer's folder (the output goes here).
    pub root: PathBuf,
    /// What the import could not carry over (IMPORT-REPORT.md).
    pub needs_a_person: usize,
    /// Files of the peer's left out of the build, each a warning at its file.
    pub left_out: Vec<Diagnostic>,
    /// The copy's file → the peer's file, both relative to their roots.
    origins: HashMap<String, String>,
}

/// The peer site at `root`, imported, or `None` when `root` is a Follicle
/// site (or no site at all: the usual "no site.toml" message then applies).
pub fn prepare(root: &Path) -> Result<Option<InPlace>, Failure> {
    if root.join(crate::config::CONFIG_FILE).exists() {
        return Ok(None);
    }
    let Some((_, name)) = crate::config::peer_site(root) else {
        return Ok(None);
    };
    let peer = match name {
        "Zola" => Peer::Zola,
        "Hugo" => Peer::Hugo,
        _ => Peer::Jekyll,
    };
    let site = root.join(DIR);
    clear(&site).map_err(|e| {
        Failure::usage(
            Diagnostic::error(DIR, format!("cannot clear the imported copy: {e}"))
                .code(Code::Import)
                .hint("delete the folder .follicle-cache/peer-site and build again"),
        )
    })?;
    // Never copy our own cache or an output folder back into the site.
    let skip = [".follicle-cache", "public", "_site"];
    let report = super::import_into(peer, root, &site, &skip)?;
    Ok(Some(InPlace::new(peer, root, site, &report)))
}

/// Empty the last build's copy, keeping its own `.follicle-cache` (resized
/// photos are made once, not on every build).
fn clear(site: &Path) -> std::io::Result<()> {
    let entries = match std::fs::read_dir(site) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        entries => entries?,
    };
    for entry in entries {
        let entry = entry?;
        if entry.file_name() == ".follicle-cache" {
            continue;
        }
        if entry.file_type()?.is_dir() {
            std::fs::remove_dir_all(entry.path())?;
        } else {
            std::fs::remove_file(entry.path())?;
        }
    }
    Ok(())
}

impl InPlace {
    fn new(peer: Peer, root: &Path, site: PathBuf, report: &Report) -> InPlace {
        let mut origins = HashMap::new();
        for (to, from) in &report.copied {
            origins.insert(rel(&site, to), rel(root, from));
            // Their folders too (a finding of a whole section names its folder).
            let (mut to, mut from) = (to.parent(), from.parent());
            while let (Some(t), Some(f)) = (to, from) {
                if !t.starts_with(&site) || t == site || !f.starts_with(root) {
                    break;
                }
                let origin = match rel(root, f) {
                    r if r.is_empty() => "./".to_string(),
                    r => format!("{r}/"),
                };
                origins.insert(format!("{}/", rel(&site, t)), origin);
                (to, from) = (t.parent(), f.parent());
            }
        }
        let left_out = report
            .left_out
            .iter()
            .map(|(path, what, fix)| {
                Diagnostic::warning(rel(root, path), format!("{what}; it was left out"))
                    .code(Code::Import)
                    .at(1, 1)
                    .hint(*fix)
            })
            .collect();
        InPlace {
            peer,
            root: root.to_path_buf(),
            site,
            needs_a_person: report.needs_a_person.len(),
            left_out,
            origins,
        }
    }

    /// Name the peer's file in `d`: a copied file by its own name, a file
    /// the import wrote (`site.toml`) by its place in [`DIR`].
    pub fn name_origin(&self, d: &mut Diagnostic) {
        if d.file.is_empty() {
            return;
        }
        d.file = match self.origins.get(&d.file) {
            Some(origin) => origin.clone(),
            // A folder both have (`content/`), or a path outside the copy.
            None if self.root.join(&d.file).exists() => return,
            None if Path::new(&d.file).is_absolute() => return,
            None => format!("{DIR}/{}", d.file),
        };
    }

    /// The same for every diagnostic of a failure.
    pub fn name_origins(&self, failure: Failure) -> Failure {
        match failure {
            Failure::Content(mut ds) => {
                ds.iter_mut().for_each(|d| self.name_origin(d));
                Failure::Content(ds)
            }
            Failure::Usage(mut ds) => {
                ds.iter_mut().for_each(|d| self.name_origin(d));
                Failure::Usage(ds)
            }
            other => other,
        }
    }

    /// One line for the terminal: what was built and how to make it a
    /// Follicle site of its own.
    pub fn summary(&self) -> String {
        let peer = match self.peer {
            Peer::Zola => "zola",
            Peer::Hugo => "hugo",
            Peer::Jekyll => "jekyll",
        };
        format!(
            "note: built this {peer} site as it is, through an import into {DIR} ({} things need a person: see {DIR}/IMPORT-REPORT.md); `follicle import {peer} . ../my-site` makes it a Follicle site of its own",
            self.needs_a_person
        )
    }
}
