//! The writer's panel in `follicle serve`: each page's warnings and `check`
//! findings (broken links, alt text, removed raw HTML, overdue review, stale or
//! missing translation, placeholders, reading level), kept up to date on every
//! save and sent to the browser as JSON over the live-reload stream.
//!
//! Takes: the session's site and outputs after each rebuild, and which outputs
//! the rebuild wrote. Gives: per content file, the findings of
//! [`crate::check::run_pages`] (the same code `follicle check` runs, on the
//! changed pages only) and the build's warnings. The panel's script and style
//! ([`SCRIPT`], [`STYLE`]) are files the dev server serves under `/__follicle/`:
//! never inline (a page's Content-Security-Policy allows scripts from 'self'),
//! never in `build`'s output.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::build::LoadedSite;
use crate::check::{self, CheckOptions, PageReading};
use crate::content::tree::output_file;
use crate::diagnostic::Diagnostic;
use crate::output::Outputs;

pub const SCRIPT_PATH: &str = "/__follicle/panel.js";
pub const STYLE_PATH: &str = "/__follicle/panel.css";
pub const SCRIPT: &str = include_str!("panel.js");
pub const STYLE: &str = include_str!("panel.css");

/// `--open-in`: the editor each panel entry opens at its file, line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Editor {
    Vscode,
    Zed,
    Idea,
}

impl Editor {
    pub const NAMES: [&'static str; 3] = ["vscode", "zed", "idea"];

    pub fn from_name(name: &str) -> Option<Editor> {
        match name {
            "vscode" | "code" => Some(Editor::Vscode),
            "zed" => Some(Editor::Zed),
            "idea" | "intellij" => Some(Editor::Idea),
            _ => None,
        }
    }

    /// The link that opens `file` (absolute) at `line:column` in this editor.
    pub fn link(self, file: &Path, line: usize, column: usize) -> String {
        use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};
        const PATH: &AsciiSet = &CONTROLS
            .add(b' ')
            .add(b'"')
            .add(b'#')
            .add(b'%')
            .add(b'<')
            .add(b'>')
            .add(b'?')
            .add(b'`');
        let raw = file.to_string_lossy().replace('\\', "/");
        let path = utf8_percent_encode(&raw, PATH).to_string();
        let (line, column) = (line.max(1), column.max(1));
        match self {
            Editor::Vscode => format!("vscode://file{}{path}:{line}:{column}", slash(&path)),
            Editor::Zed => format!("zed://file{}{path}:{line}:{column}", slash(&path)),
            Editor::Idea => format!("idea://open?file={path}&line={line}&column={column}"),
        }
    }
}

/// `C:/site` needs a `/` before it in a URL; `/site` has one.
fn slash(path: &str) -> &'static str {
    if path.starts_with('/') {
        ""
    } else {
        "/"
    }
}

/// One line of the panel.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    pub rule: &'static str,
    pub severity: &'static str,
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
    pub hint: Option<String>,
    /// `--open-in`'s link to the place, if asked for.
    pub editor: Option<String>,
}

/// What a rebuild changed in the output, as the panel needs it.
#[derive(Debug, Clone, Copy)]
pub struct Changes<'a> {
    /// Output files written or replaced.
    pub written: &'a [String],
    /// Output files that no longer exist.
    pub removed: &'a [String],
}

/// What the panel shows for one page.
#[derive(Debug, Serialize)]
pub struct PageView<'a> {
    pub file: Option<&'a str>,
    pub entries: Vec<&'a Entry>,
    pub reading: Option<&'a PageReading>,
    /// The site has errors (the overlay is shown).
    pub error: bool,
}

/// The findings of every page, kept between rebuilds.
#[derive(Default)]
pub struct Panel {
    root: PathBuf,
    editor: Option<Editor>,
    /// Check findings by content file.
    checked: HashMap<String, Vec<Entry>>,
    readings: HashMap<String, PageReading>,
    /// The build's warnings by content file (all of them, every rebuild).
    warnings: HashMap<String, Vec<Entry>>,
    /// Output file → the content file it was rendered from.
    owners: HashMap<String, String>,
    /// Output path → the checked outputs whose link findings depend on it
    /// (it was probed for one of their links), and the reverse.
    dependents: HashMap<String, HashSet<String>>,
    depends: HashMap<String, Vec<String>>,
    /// The site has errors now.
    error: bool,
    /// Every page has been checked once.
    filled: bool,
}

impl Panel {
    pub fn new(root: &Path, editor: Option<Editor>) -> Panel {
        Panel {
            root: root.canonicalize().unwrap_or_else(|_| root.to_path_buf()),
            editor,
            ..Panel::default()
        }
    }

    fn entry(&self, rule: &'static str, d: &Diagnostic) -> Entry {
        let editor = self
            .editor
            .map(|e| e.link(&self.root.join(&d.file), d.line, d.column));
        Entry {
            rule,
            severity: if d.is_error() { "error" } else { "warning" },
            file: d.file.clone(),
            line: d.line,
            column: d.column,
            message: d.message.clone(),
            hint: d.hint.clone(),
            editor,
        }
    }

    /// A good rebuild: re-check the HTML outputs it wrote (all of them on the
    /// first good build, or when `changes` is `None`), and the pages whose
    /// links lead to an output it wrote or removed; take the build's warnings.
    /// Any other page keeps its findings.
    pub fn update(
        &mut self,
        loaded: &LoadedSite,
        outputs: &Outputs,
        changes: Option<Changes<'_>>,
        today: jiff::civil::Date,
    ) {
        self.owners = owners(loaded);
        // Until a first good build has been checked whole, every page is new.
        let changes = changes.filter(|_| self.filled);
        self.filled = true;
        let only: HashSet<String> = match changes {
            Some(c) => self.affected(c),
            None => self.owners.keys().cloned().collect(),
        };
        let only: HashSet<&str> = only
            .iter()
            .map(String::as_str)
            .filter(|o| self.owners.contains_key(*o) && outputs.contains_key(*o))
            .collect();
        let opts = CheckOptions { today };
        let checks = check::run_pages(loaded, outputs, &only, &opts);
        self.take_checks(&only, checks);
        if let Some(c) = changes {
            for gone in c.removed {
                self.forget_depends(gone);
            }
        }
        let mut warnings: HashMap<String, Vec<Entry>> = HashMap::new();
        for w in &loaded.warnings {
            // The build's own warnings are named by their code (`unsafe-html`, …).
            let e = self.entry(w.code.id(), w);
            warnings.entry(e.file.clone()).or_default().push(e);
        }
        self.warnings = warnings;
        self.error = false;
    }

    /// The outputs a rebuild's changes ask to check: those it wrote, and those
    /// whose links depend on an output it wrote or removed.
    fn affected(&self, c: Changes<'_>) -> HashSet<String> {
        let mut set: HashSet<String> = c.written.iter().cloned().collect();
        for path in c.written.iter().chain(c.removed) {
            if let Some(from) = self.dependents.get(path) {
                set.extend(from.iter().cloned());
            }
        }
        set
    }

    /// Replace the findings, readings and link dependencies of the checked
    /// outputs `only` with `checks`.
    fn take_checks(&mut self, only: &HashSet<&str>, checks: check::PageChecks) {
        for o in only {
            if let Some(file) = self.owners.get(*o) {
                self.checked.remove(file);
                self.readings.remove(file);
            }
            self.forget_depends(o);
        }
        for f in &checks.findings {
            let e = self.entry(f.rule.id(), &f.diagnostic);
            self.checked.entry(e.file.clone()).or_default().push(e);
        }
        for r in checks.readings {
            self.readings.insert(r.reading.file.clone(), r);
        }
        for (output, paths) in checks.depends {
            for p in &paths {
                let from = self.dependents.entry(p.clone()).or_default();
                from.insert(output.clone());
            }
            self.depends.insert(output, paths);
        }
    }

    fn forget_depends(&mut self, output: &str) {
        for p in self.depends.remove(output).unwrap_or_default() {
            if let Some(from) = self.dependents.get_mut(&p) {
                from.remove(output);
                if from.is_empty() {
                    self.dependents.remove(&p);
                }
            }
        }
    }

    /// A failed rebuild: the findings stay those of the last good site.
    pub fn failed(&mut self) {
        self.error = true;
    }

    /// The panel of the output file `output` (`care/index.html`).
    pub fn view(&self, output: Option<&str>) -> PageView<'_> {
        let file = output.and_then(|o| self.owners.get(o)).map(String::as_str);
        let mut entries: Vec<&Entry> = file
            .into_iter()
            .flat_map(|f| {
                let w = self.warnings.get(f).into_iter().flatten();
                w.chain(self.checked.get(f).into_iter().flatten())
            })
            .collect();
        entries.sort_by_key(|e| (e.line, e.column, e.rule));
        PageView {
            file,
            entries,
            reading: file.and_then(|f| self.readings.get(f)),
            error: self.error,
        }
    }

    /// [`Panel::view`] as JSON for the browser.
    pub fn json(&self, output: Option<&str>) -> String {
        serde_json::to_string(&self.view(output)).unwrap_or_else(|_| "{}".into())
    }
}

/// Every page's and explicit section's output files (pagers included) → its file.
fn owners(loaded: &LoadedSite) -> HashMap<String, String> {
    let site = &loaded.site;
    let mut out = HashMap::with_capacity(site.pages.len() + site.sections.len());
    for s in site.sections.iter().filter(|s| s.explicit) {
        out.insert(output_file(&s.url), s.doc.file.clone());
    }
    for p in &site.pages {
        out.insert(output_file(&p.url), p.doc.file.clone());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_links() {
        let p = Path::new("/home/ana/my site/content/care/a.md");
        assert_eq!(
            Editor::Vscode.link(p, 12, 3),
            "vscode://file/home/ana/my%20site/content/care/a.md:12:3"
        );
        assert_eq!(
            Editor::Zed.link(p, 0, 0),
            "zed://file/home/ana/my%20site/content/care/a.md:1:1"
        );
        assert_eq!(
            Editor::Idea.link(p, 4, 1),
            "idea://open?file=/home/ana/my%20site/content/care/a.md&line=4&column=1"
        );
        assert_eq!(Editor::from_name("vscode"), Some(Editor::Vscode));
        assert_eq!(Editor::from_name("emacs"), None);
    }
}
