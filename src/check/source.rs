//! The built site, indexed for checking, and the way back from a problem in the
//! HTML to the Markdown line it came from.
//!
//! A link, image, heading or table found in a page's HTML came either from the
//! page's Markdown (its body or an FAQ answer) or from the template around it. We
//! match by what the Markdown stage recorded (each link's resolved href, text and
//! line; each heading's id), falling back to finding raw HTML in the source text.
//! Problems from a template are reported once, at the first page showing them,
//! with the number of pages.

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;

use super::html::{self, RefKind, Scan};
use super::{Finding, Rule};
use crate::build::LoadedSite;
use crate::content::tree::output_file;
use crate::content::Document;
use crate::diagnostic::{Diagnostic, Severity};
use crate::markdown::FoundLink;
use crate::output::Outputs;

/// Which source an output file was rendered from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    Page(usize),
    Section(usize),
    /// A taxonomy page, the 404 page, a redirect, a feed: templates only.
    Other,
}

/// The loaded site, its outputs and every HTML output read.
pub struct Built<'a> {
    pub loaded: &'a LoadedSite,
    pub outputs: &'a Outputs,
    /// HTML outputs by path, sorted.
    pub scans: BTreeMap<&'a str, Scan>,
    owners: HashMap<String, Owner>,
}

impl<'a> Built<'a> {
    /// Read every HTML output (in parallel) and note where each came from.
    pub fn new(loaded: &'a LoadedSite, outputs: &'a Outputs) -> Built<'a> {
        Built::new_with(loaded, outputs, &|_| true)
    }

    fn new_with(
        loaded: &'a LoadedSite,
        outputs: &'a Outputs,
        wanted: &(dyn Fn(&str) -> bool + Sync),
    ) -> Built<'a> {
        let html: Vec<(&'a str, &'a [u8])> = outputs
            .iter()
            .filter(|(p, _)| p.ends_with(".html") || p.ends_with(".htm"))
            .filter(|(p, _)| wanted(p))
            .map(|(p, b)| (p.as_str(), b.as_slice()))
            .collect();
        let scans = html
            .par_iter()
            .map(|(p, bytes)| (*p, html::scan(&String::from_utf8_lossy(bytes))))
            .collect::<Vec<_>>()
            .into_iter()
            .collect();
        let site = &loaded.site;
        let mut owners = HashMap::new();
        for (i, s) in site.sections.iter().enumerate() {
            owners.insert(output_file(&s.url), Owner::Section(i));
            let pagers = crate::render::pager_count(s.pages.len(), s.doc.meta.paginate_by);
            for n in 2..=pagers {
                owners.insert(
                    format!("{}page/{n}/index.html", s.url.trim_start_matches('/')),
                    Owner::Section(i),
                );
            }
        }
        for (i, p) in site.pages.iter().enumerate() {
            owners.insert(output_file(&p.url), Owner::Page(i));
        }
        Built {
            loaded,
            outputs,
            scans,
            owners,
        }
    }

    /// [`Built::new`] reading only the HTML outputs in `only`, and the pages
    /// their `#fragment` links lead to (for the anchors): the dev server's
    /// panel re-checks the pages a save changed, not the whole site.
    pub fn for_outputs(
        loaded: &'a LoadedSite,
        outputs: &'a Outputs,
        only: &std::collections::HashSet<&str>,
    ) -> Built<'a> {
        let mut built = Built::new_with(loaded, outputs, &|p| only.contains(p));
        let base = &loaded.config.base_url;
        let exists = |p: &str| outputs.contains_key(p);
        let mut targets = Vec::new();
        for (from, scan) in &built.scans {
            for r in scan.refs.iter().filter(|r| r.url.contains('#')) {
                if let Ok(Some(reached)) = crate::finder::reach(&r.url, r.kind, from, base, &exists)
                {
                    if !built.scans.contains_key(reached.output.as_str()) {
                        targets.push(reached.output);
                    }
                }
            }
        }
        for t in targets {
            if let Some((k, bytes)) = outputs.get_key_value(&t) {
                built
                    .scans
                    .entry(k.as_str())
                    .or_insert_with(|| html::scan(&String::from_utf8_lossy(bytes)));
            }
        }
        built
    }

    pub fn owner(&self, output: &str) -> Owner {
        self.owners.get(output).copied().unwrap_or(Owner::Other)
    }

    /// The document an output was rendered from, if any.
    pub fn doc(&self, output: &str) -> Option<&'a Document> {
        let site = &self.loaded.site;
        match self.owner(output) {
            Owner::Page(i) => Some(&site.pages[i].doc),
            Owner::Section(i) if site.sections[i].explicit => Some(&site.sections[i].doc),
            _ => None,
        }
    }

    /// HTML pages that are not redirects.
    pub fn html_pages(&self) -> usize {
        self.scans.values().filter(|s| !s.redirect).count()
    }

    /// The file findings about this output are reported at, for template problems.
    fn report_file(&self, output: &str) -> String {
        let site = &self.loaded.site;
        match self.owner(output) {
            Owner::Page(i) => site.pages[i].doc.file.clone(),
            Owner::Section(i) => site.sections[i].doc.file.clone(),
            Owner::Other => output.to_string(),
        }
    }

    fn heading_ids(&self, output: &str) -> &'a [String] {
        let site = &self.loaded.site;
        match self.owner(output) {
            Owner::Page(i) => &site.pages[i].rendered.heading_ids,
            Owner::Section(i) => &site.sections[i].rendered.heading_ids,
            Owner::Other => &[],
        }
    }

    fn markdown_links(&self, output: &str) -> Vec<FoundLink> {
        let site = &self.loaded.site;
        // The FAQ answers' links are in the page's list (build::render_faq).
        match self.owner(output) {
            Owner::Page(i) => site.pages[i].rendered.links.clone(),
            Owner::Section(i) => site.sections[i].rendered.links.clone(),
            Owner::Other => Vec::new(),
        }
    }
}

/// Where in an output a problem sits, to find its source.
#[derive(Debug, Clone)]
pub enum At {
    /// A link or image with this URL as written in the HTML (and, for links,
    /// this text, when the text is what is wrong).
    Ref {
        url: String,
        kind: RefKind,
        text: Option<String>,
        /// Could it come from Markdown syntax? (An image without any `alt`
        /// attribute cannot: Markdown always writes one.)
        markdown: bool,
    },
    /// An image that is only a problem if it comes from the Markdown (`![](x.png)`
    /// has `alt=""`, which in a template means decoration).
    MarkdownImage { url: String },
    /// A heading with this id (Markdown headings always have one).
    Heading { id: Option<String> },
    /// A table without header cells.
    Table,
    /// The page as a whole (the `<html>` element): always the template.
    Page,
}

/// A problem found in one output's HTML, not yet placed in a source file.
#[derive(Debug, Clone)]
pub struct Problem {
    pub output: String,
    pub rule: Rule,
    pub severity: Severity,
    pub message: String,
    pub hint: String,
    pub at: At,
}

/// Where a problem came from.
enum Origin {
    Source {
        file: String,
        line: usize,
        column: usize,
    },
    Template,
    /// Not a problem after all (see [`At::MarkdownImage`]).
    Nowhere,
}

/// Place problems at their source lines; merge template problems across pages.
pub fn place(built: &Built<'_>, mut problems: Vec<Problem>) -> Vec<Finding> {
    problems.sort_by(|a, b| a.output.cmp(&b.output));
    let mut findings = Vec::new();
    // (rule, severity, message) → (hint, files showing it).
    let mut templates: BTreeMap<(Rule, Severity, String), (String, Vec<String>)> = BTreeMap::new();
    let mut i = 0;
    while i < problems.len() {
        let output = problems[i].output.clone();
        let end = problems[i..]
            .iter()
            .position(|p| p.output != output)
            .map(|k| i + k)
            .unwrap_or(problems.len());
        let mut locator = Locator::new(built, &output);
        for p in &problems[i..end] {
            match locator.locate(p) {
                Origin::Nowhere => {}
                Origin::Source { file, line, column } => {
                    let d = diagnostic(p.severity, file, &p.message)
                        .at(line, column)
                        .hint(p.hint.clone());
                    findings.push(Finding::new(p.rule, d));
                }
                Origin::Template => {
                    let e = templates
                        .entry((p.rule, p.severity, p.message.clone()))
                        .or_insert_with(|| (p.hint.clone(), Vec::new()));
                    e.1.push(built.report_file(&output));
                }
            }
        }
        i = end;
    }
    for ((rule, severity, message), (hint, mut files)) in templates {
        files.sort();
        files.dedup();
        // Prefer a content file to an output path.
        let at = files
            .iter()
            .find(|f| f.starts_with("content/"))
            .unwrap_or(&files[0])
            .clone();
        let message = match files.len() {
            1 => format!("{message} (from the template)"),
            n => format!("{message} (from the template, on {n} pages)"),
        };
        findings.push(Finding::new(
            rule,
            diagnostic(severity, at, message).hint(hint),
        ));
    }
    findings
}

fn diagnostic(
    severity: Severity,
    file: impl Into<String>,
    message: impl Into<String>,
) -> Diagnostic {
    // code: from Finding::new, which gives the finding its rule's code.
    match severity {
        Severity::Error => Diagnostic::error(file, message),
        Severity::Warning => Diagnostic::warning(file, message),
    }
}

/// Finds the source of problems in one output; each Markdown link is matched once
/// per rule, in order.
struct Locator<'a> {
    doc: Option<&'a Document>,
    links: Vec<FoundLink>,
    heading_ids: &'a [String],
    used: HashMap<Rule, Vec<bool>>,
    heading_lines: Option<Vec<usize>>,
}

impl<'a> Locator<'a> {
    fn new(built: &Built<'a>, output: &str) -> Self {
        Locator {
            doc: built.doc(output),
            links: built.markdown_links(output),
            heading_ids: built.heading_ids(output),
            used: HashMap::new(),
            heading_lines: None,
        }
    }

    fn locate(&mut self, p: &Problem) -> Origin {
        let Some(doc) = self.doc else {
            return match p.at {
                At::MarkdownImage { .. } => Origin::Nowhere,
                _ => Origin::Template,
            };
        };
        if let At::MarkdownImage { url } = &p.at {
            // The Markdown image's own mark decides (see `finder::alt_problem`).
            let decorative = |l: &FoundLink| {
                crate::finder::alt_problem(url, Some(&l.text), l.decorative).is_none()
            };
            return match self.markdown_ref(p.rule, url, RefKind::Image, None) {
                Some((line, column))
                    if !self
                        .links
                        .iter()
                        .any(|l| l.line == line && l.column == column && decorative(l)) =>
                {
                    Origin::Source {
                        file: doc.file.clone(),
                        line,
                        column,
                    }
                }
                _ => Origin::Nowhere,
            };
        }
        let found = match &p.at {
            At::Ref {
                url,
                kind,
                text,
                markdown,
            } => markdown
                .then(|| self.markdown_ref(p.rule, url, *kind, text.as_deref()))
                .flatten()
                .or_else(|| raw_position(doc, url)),
            At::Heading { id } => id.as_deref().and_then(|id| self.heading(doc, id)),
            At::Table => raw_table(doc),
            At::Page | At::MarkdownImage { .. } => None,
        };
        match found {
            Some((line, column)) => Origin::Source {
                file: doc.file.clone(),
                line,
                column,
            },
            None => Origin::Template,
        }
    }

    fn markdown_ref(
        &mut self,
        rule: Rule,
        url: &str,
        kind: RefKind,
        text: Option<&str>,
    ) -> Option<(usize, usize)> {
        let key = percent_decode(url);
        let used = self
            .used
            .entry(rule)
            .or_insert_with(|| vec![false; self.links.len()]);
        let k = self.links.iter().enumerate().position(|(k, l)| {
            !used[k]
                && l.is_image == (kind == RefKind::Image)
                && percent_decode(&l.href) == key
                && text.is_none_or(|t| collapse(&l.text) == t)
        })?;
        used[k] = true;
        Some((self.links[k].line, self.links[k].column))
    }

    fn heading(&mut self, doc: &Document, id: &str) -> Option<(usize, usize)> {
        let k = self.heading_ids.iter().position(|i| i == id)?;
        let lines = self
            .heading_lines
            .get_or_insert_with(|| markdown_heading_lines(&doc.body, doc.body_line));
        lines.get(k).map(|l| (*l, 1))
    }
}

/// Lines of the Markdown headings of a body, in order.
pub fn markdown_heading_lines(body: &str, body_line: usize) -> Vec<usize> {
    use pulldown_cmark::{Event, Options, Parser, Tag};
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES;
    Parser::new_ext(body, options)
        .into_offset_iter()
        .filter(|(e, _)| matches!(e, Event::Start(Tag::Heading { .. })))
        .map(|(_, r)| body[..r.start].matches('\n').count() + body_line)
        .collect()
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub use crate::finder::percent_decode;

/// The URL as an attribute value in raw HTML in the body (`src="x.png"`), or
/// as a quoted value in the front matter (a source's `url = "…"`).
fn raw_position(doc: &Document, url: &str) -> Option<(usize, usize)> {
    let escaped = url.replace('&', "&amp;");
    let needles: Vec<String> = [url, escaped.as_str()]
        .iter()
        .flat_map(|u| [format!("\"{u}\""), format!("'{u}'"), format!("={u}")])
        .collect();
    for (text, first_line) in [(&doc.body, doc.body_line), (&doc.front, doc.front_line)] {
        if let Some(i) = needles.iter().filter_map(|n| text.find(n.as_str())).min() {
            let (line, col) = crate::diagnostic::line_col(text, i + 1);
            return Some((line + first_line - 1, col));
        }
    }
    None
}

/// The first raw HTML `<table>` in the body without a `<th>`.
fn raw_table(doc: &Document) -> Option<(usize, usize)> {
    let lower = doc.body.to_ascii_lowercase();
    let mut from = 0;
    while let Some(k) = lower[from..].find("<table") {
        let start = from + k;
        let end = lower[start..]
            .find("</table")
            .map(|e| start + e)
            .unwrap_or(lower.len());
        if !lower[start..end].contains("<th") {
            let (line, col) = crate::diagnostic::line_col(&doc.body, start);
            return Some((line + doc.body_line - 1, col));
        }
        from = end.max(start + 1);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_decoding() {
        assert_eq!(
            percent_decode("/files/my%20sheet.pdf"),
            "/files/my sheet.pdf"
        );
        assert_eq!(percent_decode("/%C3%BCber/"), "/über/");
        assert_eq!(percent_decode("/100%/x%2"), "/100%/x%2");
    }

    #[test]
    fn heading_lines() {
        assert_eq!(markdown_heading_lines("# A\n\ntext\n\n## B\n", 7), [7, 11]);
    }
}
