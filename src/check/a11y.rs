//! Accessibility lints on the built HTML: what a screen-reader user or someone
//! skimming headings would trip over.
//!
//! - images without alt text (a Markdown image always gets `alt`, so there an
//!   empty one counts as missing; in templates `alt=""` marks a decorative image);
//! - links with no text at all, and links whose text says nothing out of context
//!   ("click here", "read more");
//! - a heading level skipped on the way down (h2 → h4), and more than one h1;
//! - tables without a single header cell;
//! - `<html>` without `lang`.

use super::html::{Heading, Ref, RefKind};
use super::source::{At, Built, Problem};
use super::Rule;
use crate::diagnostic::Severity;

/// Link texts that do not say where the link goes.
const VAGUE: [&str; 11] = [
    "click here",
    "here",
    "read more",
    "more",
    "this page",
    "learn more",
    "click",
    "this",
    "link",
    "more info",
    "find out more",
];

fn is_vague(text: &str) -> bool {
    let t: String = text
        .trim()
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase();
    VAGUE.contains(&t.as_str())
}

/// Problems of one output, as they are found.
struct Lints<'p> {
    output: &'p str,
    problems: &'p mut Vec<Problem>,
}

impl Lints<'_> {
    fn push(&mut self, rule: Rule, severity: Severity, message: String, hint: &str, at: At) {
        self.problems.push(Problem {
            output: self.output.to_string(),
            rule,
            severity,
            message,
            hint: hint.to_string(),
            at,
        });
    }
}

/// Every lint, in every HTML output that is not a redirect.
pub fn check(built: &Built<'_>) -> Vec<Problem> {
    check_outputs(built, None)
}

/// [`check`], limited to the outputs in `only` when given.
pub fn check_outputs(
    built: &Built<'_>,
    only: Option<&std::collections::HashSet<&str>>,
) -> Vec<Problem> {
    let mut problems = Vec::new();
    let scans = built
        .scans
        .iter()
        .filter(|(o, s)| !s.redirect && only.is_none_or(|set| set.contains(*o)));
    for (output, scan) in scans {
        let mut lints = Lints {
            output,
            problems: &mut problems,
        };
        if scan.lang.is_none() {
            lints.push(
                Rule::MissingLang,
                Severity::Error,
                "the page's <html> element has no `lang`".into(),
                "write <html lang=\"{{ lang }}\"> in the base template, so screen readers \
                 pronounce the page in its language",
                At::Page,
            );
        }
        for r in scan.refs.iter().filter(|r| !r.hidden) {
            match r.kind {
                RefKind::Image => image(&mut lints, r),
                RefKind::Link => link_text(&mut lints, r),
                RefKind::Resource | RefKind::Named => {}
            }
        }
        headings(&mut lints, &scan.headings);
        for _ in &scan.tables_without_headers {
            lints.push(
                Rule::TableHeaders,
                Severity::Warning,
                "a table has no header cells".into(),
                "give the table a header row (in Markdown, the first row above |---|), so each \
                 cell can be read with its column name",
                At::Table,
            );
        }
    }
    problems
}

fn image(lints: &mut Lints<'_>, r: &Ref) {
    // Empty alt text is judged where the Markdown image is found (a template's
    // `alt=""` means decoration; a Markdown one only when marked decorative).
    let Some(found) = crate::finder::alt_problem(&r.url, r.alt.as_deref(), true) else {
        if r.alt.as_deref().is_some_and(|a| a.trim().is_empty()) {
            let found = crate::finder::alt_problem(&r.url, Some(""), false);
            if let Some(found) = found {
                lints.push(
                    Rule::MissingAlt,
                    Severity::Error,
                    found.message,
                    &found.hint,
                    At::MarkdownImage { url: r.url.clone() },
                );
            }
        }
        return;
    };
    lints.push(
        Rule::MissingAlt,
        Severity::Error,
        found.message,
        &found.hint,
        At::Ref {
            url: r.url.clone(),
            kind: RefKind::Image,
            text: None,
            markdown: false,
        },
    );
}

fn link_text(lints: &mut Lints<'_>, r: &Ref) {
    let at = |text: &str| At::Ref {
        url: r.url.clone(),
        kind: RefKind::Link,
        text: Some(text.to_string()),
        markdown: true,
    };
    if r.text.trim().is_empty() && !r.labelled {
        lints.push(
            Rule::EmptyLink,
            Severity::Error,
            format!("the link to `{}` has no text", r.url),
            "give the link words that say where it goes, e.g. [aftercare guide](@/treatment/aftercare.md)",
            at(""),
        );
    } else if is_vague(&r.text) {
        lints.push(
            Rule::VagueLinkText,
            Severity::Warning,
            format!("the link text “{}” does not say where the link goes", r.text),
            "use words that make sense read alone, e.g. “how long SMP lasts” instead of “read more”",
            at(&r.text),
        );
    }
}

fn headings(lints: &mut Lints<'_>, headings: &[Heading]) {
    let mut prev: Option<u8> = None;
    let mut h1s = 0;
    for h in headings {
        let at = At::Heading { id: h.id.clone() };
        if h.level == 1 {
            h1s += 1;
            if h1s == 2 {
                lints.push(
                    Rule::MultipleH1,
                    Severity::Warning,
                    format!("the page has more than one h1 (“{}”)", h.text),
                    "the template shows the title as the h1; start the Markdown's headings at ## (h2)",
                    at.clone(),
                );
            }
        }
        if let Some(p) = prev.filter(|p| h.level > p + 1) {
            lints.push(
                Rule::HeadingSkip,
                Severity::Warning,
                format!(
                    "the heading “{}” is an h{} after an h{p}: level h{} is skipped",
                    h.text,
                    h.level,
                    p + 1
                ),
                "go down one level at a time (## then ###), so the outline makes sense to \
                 screen-reader users",
                at,
            );
        }
        prev = Some(h.level);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vague_texts() {
        assert!(is_vague("Click here"));
        assert!(is_vague("Read more…"));
        assert!(is_vague(" here. "));
        assert!(!is_vague("how long SMP lasts"));
        assert!(!is_vague("More about aftercare"));
    }
}
