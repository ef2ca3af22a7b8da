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

use super::html::RefKind;
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

/// Every lint, in every HTML output that is not a redirect.
pub fn check(built: &Built<'_>) -> Vec<Problem> {
    let mut problems = Vec::new();
    for (output, scan) in built.scans.iter().filter(|(_, s)| !s.redirect) {
        let mut push = |rule: Rule, severity: Severity, message: String, hint: &str, at: At| {
            problems.push(Problem {
                output: output.to_string(),
                rule,
                severity,
                message,
                hint: hint.to_string(),
                at,
            })
        };
        if scan.lang.is_none() {
            push(
                Rule::MissingLang,
                Severity::Error,
                "the page's <html> element has no `lang`".into(),
                "write <html lang=\"{{ lang }}\"> in the base template, so screen readers pronounce the page in its language",
                At::Page,
            );
        }
        for r in scan.refs.iter().filter(|r| !r.hidden) {
            match r.kind {
                RefKind::Image => {
                    let from_markdown_missing = r.alt.as_deref().is_some_and(|a| a.trim().is_empty());
                    if r.alt.is_none() {
                        push(
                            Rule::MissingAlt,
                            Severity::Error,
                            format!("the image `{}` has no alt attribute", r.url),
                            "describe what the image shows in alt=\"…\", or write alt=\"\" if it is only decoration",
                            At::Ref {
                                url: r.url.clone(),
                                kind: RefKind::Image,
                                text: None,
                                markdown: false,
                            },
                        );
                    } else if from_markdown_missing {
                        push(
                            Rule::MissingAlt,
                            Severity::Error,
                            format!("the image `{}` has no alt text", r.url),
                            "describe what the image shows: ![Scalp two weeks after a session](photo.jpg)",
                            At::MarkdownImage { url: r.url.clone() },
                        );
                    }
                }
                RefKind::Link if r.text.trim().is_empty() && !r.labelled => push(
                    Rule::EmptyLink,
                    Severity::Error,
                    format!("the link to `{}` has no text", r.url),
                    "give the link words that say where it goes, e.g. [aftercare guide](@/treatment/aftercare.md)",
                    At::Ref {
                        url: r.url.clone(),
                        kind: RefKind::Link,
                        text: Some(String::new()),
                        markdown: true,
                    },
                ),
                RefKind::Link if is_vague(&r.text) => push(
                    Rule::VagueLinkText,
                    Severity::Warning,
                    format!("the link text “{}” does not say where the link goes", r.text),
                    "use words that make sense read alone, e.g. “how long SMP lasts” instead of “read more”",
                    At::Ref {
                        url: r.url.clone(),
                        kind: RefKind::Link,
                        text: Some(r.text.clone()),
                        markdown: true,
                    },
                ),
                _ => {}
            }
        }
        let mut prev: Option<u8> = None;
        let mut h1s = 0;
        for h in &scan.headings {
            let at = At::Heading { id: h.id.clone() };
            if h.level == 1 {
                h1s += 1;
                if h1s == 2 {
                    push(
                        Rule::MultipleH1,
                        Severity::Warning,
                        format!("the page has more than one h1 (“{}”)", h.text),
                        "the template shows the title as the h1; start the Markdown's headings at ## (h2)",
                        at.clone(),
                    );
                }
            }
            if let Some(p) = prev {
                if h.level > p + 1 {
                    push(
                        Rule::HeadingSkip,
                        Severity::Warning,
                        format!("the heading “{}” is an h{} after an h{}: level h{} is skipped", h.text, h.level, p, p + 1),
                        "go down one level at a time (## then ###), so the outline makes sense to screen-reader users",
                        at,
                    );
                }
            }
            prev = Some(h.level);
        }
        for _ in &scan.tables_without_headers {
            push(
                Rule::TableHeaders,
                Severity::Warning,
                "a table has no header cells".into(),
                "give the table a header row (in Markdown, the first row above |---|), so each cell can be read with its column name",
                At::Table,
            );
        }
    }
    problems
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
