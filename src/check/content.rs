//! Content: every page and section has a description, and no two of them (in one
//! language) share a title or a description, so search results and listings can
//! tell them apart.

use std::collections::BTreeMap;

use super::{Finding, Rule};
use crate::build::LoadedSite;
use crate::content::Document;
use crate::diagnostic::{Code, Diagnostic};

/// Line and column of a front matter key, or line 1 when it is not there.
pub fn key_place(doc: &Document, key: &str) -> (usize, usize) {
    doc.keys.get(key).unwrap_or((1, 0))
}

/// Pages, and the sections that have an `_index.md` and a page of their own;
/// not the stand-ins for missing translations (their originals are checked).
fn documents(loaded: &LoadedSite) -> Vec<&Document> {
    let site = &loaded.site;
    site.pages
        .iter()
        .map(|p| p.doc.as_ref())
        .chain(
            site.sections
                .iter()
                .filter(|s| s.explicit && s.doc.meta.render && s.doc.meta.redirect_to.is_none())
                .map(|s| s.doc.as_ref()),
        )
        .filter(|d| d.fallback_from.is_none())
        .collect()
}

pub fn check(loaded: &LoadedSite) -> Vec<Finding> {
    let docs = documents(loaded);
    let mut findings = Vec::new();
    for doc in &docs {
        let is_home = doc.kind == crate::content::DocKind::Section && doc.section_dir.is_empty();
        let site_description = if doc.lang == loaded.config.default_language {
            loaded.config.description.as_str()
        } else {
            loaded
                .config
                .languages
                .get(&doc.lang)
                .map(|l| l.description.as_str())
                .unwrap_or("")
        };
        // The home page falls back to the site's description.
        let falls_back = is_home && !site_description.is_empty();
        if doc.meta.description.trim().is_empty() && !falls_back {
            findings.push(Finding::new(
                Rule::MissingDescription,
                Diagnostic::warning(&doc.file, "there is no `description`").code(Code::MissingDescription)
                    .at(1, 0)
                    .hint("add description = \"…\": one sentence for search results, listings and link previews"),
            ));
        }
    }
    findings.extend(duplicates(
        &docs,
        "title",
        |d| &d.meta.title,
        Rule::DuplicateTitle,
    ));
    findings.extend(duplicates(
        &docs,
        "description",
        |d| &d.meta.description,
        Rule::DuplicateDescription,
    ));
    findings
}

fn duplicates(
    docs: &[&Document],
    key: &str,
    value: impl Fn(&Document) -> &String,
    rule: Rule,
) -> Vec<Finding> {
    let mut groups: BTreeMap<(String, String), Vec<&Document>> = BTreeMap::new();
    for d in docs {
        let v = value(d).trim();
        if !v.is_empty() {
            groups
                .entry((d.lang.clone(), v.to_lowercase()))
                .or_default()
                .push(d);
        }
    }
    let mut findings = Vec::new();
    for group in groups.values().filter(|g| g.len() > 1) {
        for d in group {
            let others: Vec<&str> = group
                .iter()
                .filter(|o| o.file != d.file)
                .map(|o| o.file.as_str())
                .collect();
            let (line, col) = key_place(d, key);
            let shown = if others.len() > 3 {
                format!("{} and {} more", others[..3].join(", "), others.len() - 3)
            } else {
                others.join(", ")
            };
            // code: from Finding::new.
            findings.push(Finding::new(
                rule,
                Diagnostic::warning(
                    &d.file,
                    format!("the {key} “{}” is also used by {shown}", value(d).trim()),
                )
                .at(line, col)
                .hint(format!("give each page its own {key}, so readers and search engines can tell them apart")),
            ));
        }
    }
    findings
}
