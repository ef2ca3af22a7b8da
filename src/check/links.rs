//! Links: every internal link, image and resource in the built HTML leads to an
//! output file and, with `#fragment`, to an id on that page; orphan pages; the
//! external links for [`super::external`].
//!
//! A URL is internal when it is relative, site-absolute (`/care/`) or starts with
//! the site's `base_url`. `/care/` and `/care` both find `care/index.html`.

use std::collections::{BTreeMap, HashSet};

use super::external::Status;
use super::html::RefKind;
use super::source::{self, At, Built, Problem};
use super::{Finding, Rule};
use crate::diagnostic::{did_you_mean, Code, Diagnostic, Severity};
pub use crate::finder::{classify, Target};

/// The output file a site path names, if any.
pub fn resolve<'a>(built: &Built<'a>, path: &str) -> Option<&'a str> {
    let outputs = built.outputs;
    let found = crate::finder::resolve(path, &|p| outputs.contains_key(p))?;
    outputs.get_key_value(&found).map(|(k, _)| k.as_str())
}

/// Broken internal links, images, resources and anchors, in every HTML output,
/// and the outputs some other page links to (for [`orphans`]): one pass over
/// the links finds both.
pub fn check(built: &Built<'_>) -> (Vec<Problem>, HashSet<String>) {
    let mut linked = HashSet::new();
    let problems = walk(built, None, Some(&mut linked));
    (problems, linked)
}

/// [`check`]'s problems, limited to the outputs in `only` when given.
pub fn check_outputs(built: &Built<'_>, only: Option<&HashSet<&str>>) -> Vec<Problem> {
    walk(built, only, None)
}

/// Every link of the outputs in `only` (all when `None`) followed once: its
/// problems returned, and each page a link of a non-redirect page reaches
/// added to `linked`.
fn walk(
    built: &Built<'_>,
    only: Option<&HashSet<&str>>,
    mut linked: Option<&mut HashSet<String>>,
) -> Vec<Problem> {
    let base = &built.loaded.config.base_url;
    let exists = |p: &str| built.outputs.contains_key(p);
    let mut problems = Vec::new();
    let scans = built
        .scans
        .iter()
        .filter(|(o, _)| only.is_none_or(|set| set.contains(*o)));
    for (output, scan) in scans {
        for r in &scan.refs {
            let at = || At::Ref {
                url: r.url.clone(),
                kind: r.kind,
                text: None,
                markdown: true,
            };
            let reached = match crate::finder::reach(&r.url, r.kind, output, base, &exists) {
                Ok(Some(reached)) => reached,
                Ok(None) => continue,
                Err(found) => {
                    problems.push(found_problem(output, found, at()));
                    continue;
                }
            };
            if let Some(set) = linked.as_deref_mut() {
                if r.kind == RefKind::Link && !scan.redirect && reached.output != *output {
                    set.insert(reached.output.clone());
                }
            }
            if let Some(p) = anchor_problem(built, output, &r.url, reached, at) {
                problems.push(p);
            }
        }
    }
    problems
}

/// The finder's finding about one link, as a problem of `output`.
fn found_problem(output: &str, found: crate::finder::Found, at: At) -> Problem {
    Problem {
        output: output.to_string(),
        rule: Rule::of_code(found.kind.code()),
        severity: Severity::Error,
        message: found.message,
        hint: found.hint,
        at,
    }
}

/// For each output in `only`, the output paths its link findings depend on:
/// every path the finder probed for its internal links (the one found and
/// those tried before it, so a page that appears counts as well as one that
/// goes). When one of them is written or removed, the page must be checked
/// again although its own bytes did not change: the dev server's panel keeps
/// no finding about a page that is gone, nor misses one about a page just
/// deleted.
pub fn dependencies<'a>(built: &Built<'a>, only: &HashSet<&str>) -> Vec<(&'a str, Vec<String>)> {
    let base = &built.loaded.config.base_url;
    let outputs = built.outputs;
    let mut out = Vec::new();
    for (output, scan) in built.scans.iter().filter(|(o, _)| only.contains(*o)) {
        let probed = std::cell::RefCell::new(Vec::new());
        let exists = |p: &str| {
            probed.borrow_mut().push(p.to_string());
            outputs.contains_key(p)
        };
        for r in &scan.refs {
            let _ = crate::finder::reach(&r.url, r.kind, output, base, &exists);
        }
        let mut probed = probed.into_inner();
        probed.sort_unstable();
        probed.dedup();
        out.push((*output, probed));
    }
    out
}

/// A `#fragment` that names no id on the page it leads to.
fn anchor_problem(
    built: &Built<'_>,
    output: &str,
    url: &str,
    reached: crate::finder::Reached,
    at: impl FnOnce() -> At,
) -> Option<Problem> {
    let fragment = reached.fragment.filter(|f| !f.is_empty() && f != "top")?;
    let target = reached.output.as_str();
    let target_scan = built.scans.get(target)?;
    if target_scan.ids.contains(&fragment) {
        return None;
    }
    let hint = match did_you_mean(&fragment, target_scan.ids.iter().map(String::as_str)) {
        Some(best) => format!("did you mean `#{best}`?"),
        None => "anchors are the heading text in lowercase with dashes, e.g. `#days-1-to-4`".into(),
    };
    let page = if target == output {
        "this page".to_string()
    } else {
        format!("/{}", target.strip_suffix("index.html").unwrap_or(target))
    };
    Some(Problem {
        output: output.to_string(),
        rule: Rule::BrokenAnchor,
        severity: Severity::Error,
        message: format!("the link `{url}` names `#{fragment}`, which is not an id on {page}"),
        hint,
        at: at(),
    })
}

/// Pages no link of another page reaches (`linked`, from [`check`]; redirect
/// pages and sitemaps do not count).
pub fn orphans(built: &Built<'_>, linked: &HashSet<String>) -> Vec<Finding> {
    built
        .loaded
        .site
        .pages
        .iter()
        .filter(|p| p.doc.fallback_from.is_none())
        .filter(|p| {
            let out = crate::content::tree::output_file(&p.url);
            built.scans.contains_key(out.as_str()) && !linked.contains(out.as_str())
        })
        .map(|p| {
            Finding::new(
                Rule::OrphanPage,
                Diagnostic::warning(
                    &p.doc.file,
                    format!(
                        "no page links to {}: readers can only find it by searching",
                        p.url
                    ),
                )
                .code(Code::OrphanPage)
                .at(1, 0)
                .hint(
                    "link to it from a related article or from its section's page, e.g. [text](@/"
                        .to_string()
                        + &p.doc.content_path
                        + ")",
                ),
            )
        })
        .collect()
}

/// An external URL and where it appears (output, index in its refs).
#[derive(Debug, Clone)]
pub struct ExternalTarget {
    pub url: String,
    pub places: Vec<(String, usize)>,
}

/// Every external http(s) URL in the HTML outputs, once each, sorted.
pub fn external_targets(built: &Built<'_>) -> Vec<ExternalTarget> {
    let base = &built.loaded.config.base_url;
    let mut map: BTreeMap<String, Vec<(String, usize)>> = BTreeMap::new();
    for (output, scan) in &built.scans {
        for (i, r) in scan.refs.iter().enumerate() {
            if let Target::External(url) = classify(&r.url, output, base) {
                map.entry(url).or_default().push((output.to_string(), i));
            }
        }
    }
    map.into_iter()
        .map(|(url, places)| ExternalTarget { url, places })
        .collect()
}

/// Findings for external URLs that did not answer well, at every place they appear.
pub fn external_findings(
    built: &Built<'_>,
    targets: &[ExternalTarget],
    results: &[Status],
) -> Vec<Finding> {
    let mut problems = Vec::new();
    for (t, status) in targets.iter().zip(results) {
        let Some((severity, what, hint)) = status.problem() else {
            continue;
        };
        for (output, i) in &t.places {
            let r = &built.scans[output.as_str()].refs[*i];
            problems.push(Problem {
                output: output.clone(),
                rule: Rule::ExternalLink,
                severity,
                message: format!("`{}` {what}", t.url),
                hint: hint.to_string(),
                at: At::Ref {
                    url: r.url.clone(),
                    kind: r.kind,
                    text: None,
                    markdown: true,
                },
            });
        }
    }
    source::place(built, problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "https://clinic.example/";

    fn internal(path: &str, fragment: Option<&str>) -> Target {
        Target::Internal {
            path: path.into(),
            fragment: fragment.map(String::from),
        }
    }

    #[test]
    fn classifies_urls() {
        let from = "care/aftercare/index.html";
        assert_eq!(classify("/care/", from, BASE), internal("care/", None));
        assert_eq!(
            classify("https://clinic.example/care/#x", from, BASE),
            internal("care/", Some("x"))
        );
        assert_eq!(
            classify("https://clinic.example", from, BASE),
            internal("", None)
        );
        assert_eq!(
            classify("#day-1", from, BASE),
            internal("care/aftercare/", Some("day-1"))
        );
        assert_eq!(
            classify("../washing/", from, BASE),
            internal("care/washing/", None)
        );
        assert_eq!(
            classify("img.png?v=2", from, BASE),
            internal("care/aftercare/img.png", None)
        );
        assert_eq!(
            classify("/files/my%20sheet.pdf", from, BASE),
            internal("files/my sheet.pdf", None)
        );
        assert_eq!(
            classify("https://nhs.uk/x#y", from, BASE),
            Target::External("https://nhs.uk/x".into())
        );
        assert_eq!(
            classify("//cdn.example/a.js", from, BASE),
            Target::External("https://cdn.example/a.js".into())
        );
        assert_eq!(classify("mailto:a@b.c", from, BASE), Target::Skip);
        assert_eq!(classify("tel:+15550100", from, BASE), Target::Skip);
        assert_eq!(
            classify("https://clinic.example.evil/x", from, BASE),
            Target::External("https://clinic.example.evil/x".into())
        );
        // Scheme and host are case-insensitive: this is the site itself.
        assert_eq!(
            classify("HTTPS://Clinic.Example/care/#day-1", from, BASE),
            internal("care/", Some("day-1"))
        );
    }

    #[test]
    fn base_url_with_a_path() {
        let base = "https://x.example/clinic/";
        assert_eq!(
            classify("/clinic/care/", "index.html", base),
            internal("care/", None)
        );
        assert_eq!(
            classify("https://x.example/clinic/care/", "index.html", base),
            internal("care/", None)
        );
        assert_eq!(classify("/clinic", "index.html", base), internal("", None));
        assert_eq!(
            classify("/style.css", "index.html", base),
            Target::OutsideBase("/style.css".into())
        );
        assert_eq!(
            classify("/clinicx/care/", "index.html", base),
            Target::OutsideBase("/clinicx/care/".into())
        );
    }
}
