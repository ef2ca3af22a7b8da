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

/// Where a URL leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// Into this site: an output path (`care/`, `style.css`) and a fragment.
    Internal {
        path: String,
        fragment: Option<String>,
    },
    /// Another site (http or https), without the fragment.
    External(String),
    /// A path from the host's root that leaves the base path of a sub-path
    /// `base_url` (`/style.css` on a site published at `/my-clinic/`): on the
    /// host it leads to somebody else's files.
    OutsideBase(String),
    /// mailto:, tel:, data:, … and empty hrefs: nothing to check.
    Skip,
}

/// Classify `url`, found in the output file `from` (`care/aftercare/index.html`).
pub fn classify(url: &str, from: &str, base_url: &str) -> Target {
    let url = url.trim();
    if url.is_empty() {
        return Target::Skip;
    }
    let base_path = base_url
        .split_once("://")
        .and_then(|(_, rest)| rest.find('/').map(|i| &rest[i..]))
        .unwrap_or("/");
    // Scheme and host compare case-insensitively: `HTTPS://Clinic.Example/`
    // is the site itself.
    let rest = if let Some(path) = crate::url_policy::site_path(url, base_url) {
        path
    } else if url.starts_with("//") {
        return external(&format!("https:{url}"));
    } else if has_scheme(url) {
        return external(url);
    } else if url.starts_with('/') {
        // Site-absolute: under a base_url with a path, links must carry it.
        let prefix = base_path.trim_end_matches('/');
        match url.strip_prefix(prefix) {
            Some(inner) if inner.is_empty() || inner.starts_with(['/', '?', '#']) => {
                format!("/{}", inner.trim_start_matches('/'))
            }
            _ => return Target::OutsideBase(url.to_string()),
        }
    } else {
        join(from, url)
    };
    let (without_fragment, fragment) = match rest.split_once('#') {
        Some((p, f)) => (p.to_string(), Some(source::percent_decode(f))),
        None => (rest, None),
    };
    let path = without_fragment
        .split_once('?')
        .map(|(p, _)| p.to_string())
        .unwrap_or(without_fragment);
    Target::Internal {
        path: source::percent_decode(path.trim_start_matches('/')),
        fragment,
    }
}

fn external(url: &str) -> Target {
    let lower = url.to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        Target::External(url.split('#').next().unwrap_or(url).to_string())
    } else {
        Target::Skip
    }
}

/// `mailto:`, `https:`: a scheme before any `/`, `?` or `#`.
fn has_scheme(url: &str) -> bool {
    match url.find(':') {
        Some(i) => {
            let scheme = &url[..i];
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        None => false,
    }
}

/// Resolve a relative URL against the output file it is in, as a browser would
/// against the page's URL (`a/b/index.html` is served as `/a/b/`).
fn join(from: &str, url: &str) -> String {
    let dir = match from.rfind('/') {
        Some(i) => &from[..i],
        None => "",
    };
    if url.starts_with(['#', '?']) {
        let page = from.strip_suffix("index.html").unwrap_or(from);
        return format!("/{page}{url}");
    }
    let (path, tail) = match url.find(['?', '#']) {
        Some(i) => (&url[..i], &url[i..]),
        None => (url, ""),
    };
    let mut parts: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    let segments: Vec<&str> = path.split('/').collect();
    for (k, seg) in segments.iter().enumerate() {
        match *seg {
            "." => {}
            ".." => {
                parts.pop();
            }
            "" if k + 1 < segments.len() => {}
            s => parts.push(s),
        }
    }
    let mut joined = format!("/{}", parts.join("/"));
    if path.ends_with('/') && !joined.ends_with('/') {
        joined.push('/');
    }
    format!("{joined}{tail}")
}

/// The output file a site path names, if any.
pub fn resolve<'a>(built: &Built<'a>, path: &str) -> Option<&'a str> {
    let outputs = built.outputs;
    let direct = if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    };
    if let Some((k, _)) = outputs.get_key_value(&direct) {
        return Some(k.as_str());
    }
    if !path.is_empty() && !path.ends_with('/') {
        if let Some((k, _)) = outputs.get_key_value(&format!("{path}/index.html")) {
            return Some(k.as_str());
        }
    }
    None
}

/// Broken internal links, images, resources and anchors, in every HTML output.
pub fn check(built: &Built<'_>) -> Vec<Problem> {
    let base = &built.loaded.config.base_url;
    let mut problems = Vec::new();
    for (output, scan) in &built.scans {
        for r in &scan.refs {
            let at = At::Ref {
                url: r.url.clone(),
                kind: r.kind,
                text: None,
                markdown: true,
            };
            let (path, fragment) = match classify(&r.url, output, base) {
                Target::Internal { path, fragment } => (path, fragment),
                Target::OutsideBase(url) => {
                    problems.push(outside_base(output, &url, base, at));
                    continue;
                }
                _ => continue,
            };
            let Some(target) = resolve(built, &path) else {
                let what = match r.kind {
                    RefKind::Link => "the link",
                    RefKind::Image => "the image",
                    RefKind::Resource => "the file",
                };
                problems.push(Problem {
                    output: output.to_string(),
                    rule: Rule::BrokenLink,
                    severity: Severity::Error,
                    message: format!("{what} `{}` leads to no page or file of this site", r.url),
                    hint: "link to pages by their Markdown file (@/section/page.md) so the address stays right; put images and files in content/".into(),
                    at,
                });
                continue;
            };
            let Some(fragment) = fragment.filter(|f| !f.is_empty() && f != "top") else {
                continue;
            };
            let Some(target_scan) = built.scans.get(target) else {
                continue;
            };
            if !target_scan.ids.contains(&fragment) {
                let hint = match did_you_mean(&fragment, target_scan.ids.iter().map(String::as_str))
                {
                    Some(best) => format!("did you mean `#{best}`?"),
                    None => {
                        "anchors are the heading text in lowercase with dashes, e.g. `#days-1-to-4`"
                            .into()
                    }
                };
                let page = if target == *output {
                    "this page".to_string()
                } else {
                    format!("/{}", target.strip_suffix("index.html").unwrap_or(target))
                };
                problems.push(Problem {
                    output: output.to_string(),
                    rule: Rule::BrokenAnchor,
                    severity: Severity::Error,
                    message: format!(
                        "the link `{}` names `#{fragment}`, which is not an id on {page}",
                        r.url
                    ),
                    hint,
                    at,
                });
            }
        }
    }
    problems
}

/// A link that leaves the base path of a sub-path site.
fn outside_base(output: &str, url: &str, base_url: &str, at: At) -> Problem {
    let host = base_url
        .split_once("://")
        .map(|(scheme, rest)| format!("{scheme}://{}", rest.split('/').next().unwrap_or("")))
        .unwrap_or_default();
    Problem {
        output: output.to_string(),
        rule: Rule::BrokenLink,
        severity: Severity::Error,
        message: format!(
            "the link `{url}` leaves the site: it is published at {base_url}, so `{url}` leads to {host}{url}"
        ),
        hint: "link to pages by their Markdown file (@/section/page.md) or write the path from the site's root (/treatment/: Follicle adds the base path); in templates, put {{ site.base_path }} before theme files".into(),
        at,
    }
}

/// Pages no other page links to (redirect pages and sitemaps do not count).
pub fn orphans(built: &Built<'_>) -> Vec<Finding> {
    let base = &built.loaded.config.base_url;
    let mut linked: HashSet<&str> = HashSet::new();
    for (output, scan) in built.scans.iter().filter(|(_, s)| !s.redirect) {
        for r in scan.refs.iter().filter(|r| r.kind == RefKind::Link) {
            if let Target::Internal { path, .. } = classify(&r.url, output, base) {
                if let Some(t) = resolve(built, &path) {
                    if t != *output {
                        linked.insert(t);
                    }
                }
            }
        }
    }
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
