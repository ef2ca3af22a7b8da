//! Medical review: every article (see [`super::is_article`]) names a reviewer and
//! the review date, is reviewed again by `next_review` and at least every
//! `max_review_age_years` (three by default, as the PIF TICK quality mark asks),
//! and lists its sources.

use jiff::civil::Date;
use jiff::ToSpan;

use super::content::key_place;
use super::{is_article, Finding, Rule};
use crate::build::LoadedSite;
use crate::content::frontmatter::FmDate;
use crate::content::Document;
use crate::diagnostic::Diagnostic;

fn day(d: &FmDate) -> Date {
    d.date
}

// code: from Finding::new (each diagnostic goes through `push`).
pub fn check(loaded: &LoadedSite, today: Date, max_age_years: u32) -> Vec<Finding> {
    check_docs(
        loaded.site.pages.iter().map(|p| &*p.doc),
        today,
        max_age_years,
    )
}

// code: from Finding::new (each diagnostic goes through `push`).
/// [`check`] on these documents only (the articles among them).
pub fn check_docs<'d>(
    docs: impl Iterator<Item = &'d Document>,
    today: Date,
    max_age_years: u32,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    for doc in docs.filter(|d| is_article(d)) {
        let meta = &doc.meta;
        let mut push = |rule: Rule, d: Diagnostic| findings.push(Finding::new(rule, d));
        match (&meta.reviewed_by, &meta.reviewed_on) {
            (None, None) => push(
                Rule::NoReview,
                Diagnostic::error(&doc.file, "this article has no medical review (`reviewed_by` and `reviewed_on`)")
                    .at(1, 0)
                    .hint("have a qualified person check it, then add reviewed_by = \"key from [people] in site.toml\" and reviewed_on = YYYY-MM-DD"),
            ),
            (None, Some(_)) => {
                let (l, c) = key_place(doc, "reviewed_on");
                push(
                    Rule::NoReview,
                    Diagnostic::error(&doc.file, "`reviewed_on` is set but not `reviewed_by`: who reviewed it?")
                        .at(l, c)
                        .hint("add reviewed_by = \"key from [people] in site.toml\""),
                )
            }
            (Some(_), None) => {
                let (l, c) = key_place(doc, "reviewed_by");
                push(
                    Rule::NoReview,
                    Diagnostic::error(&doc.file, "`reviewed_by` is set but not `reviewed_on`: when was it reviewed?")
                        .at(l, c)
                        .hint("add reviewed_on = YYYY-MM-DD, the day of the review"),
                )
            }
            (Some(_), Some(on)) => {
                let on = day(on);
                let limit = on.checked_add((max_age_years as i64).years()).unwrap_or(Date::MAX);
                if limit < today {
                    let (l, c) = key_place(doc, "reviewed_on");
                    push(
                        Rule::ReviewOverdue,
                        Diagnostic::error(
                            &doc.file,
                            format!(
                                "the last review ({on}) is more than {max_age_years} years old; it was due by {limit}"
                            ),
                        )
                        .at(l, c)
                        .hint("have the article reviewed again, then update reviewed_on (and next_review)"),
                    );
                }
            }
        }
        if let Some(next) = &meta.next_review {
            let next = day(next);
            if next < today {
                let (l, c) = key_place(doc, "next_review");
                let days = (today - next).get_days();
                push(
                    Rule::ReviewOverdue,
                    Diagnostic::error(
                        &doc.file,
                        format!("the review was due on {next} ({days} days ago)"),
                    )
                    .at(l, c)
                    .hint(
                        "have the article reviewed again, then update reviewed_on and next_review",
                    ),
                );
            }
        }
        findings.extend(no_sources(doc));
    }
    findings
}

// code: from Finding::new.
/// An article that names no evidence.
fn no_sources(doc: &Document) -> Option<Finding> {
    doc.meta.sources.is_empty().then(|| {
        Finding::new(
            Rule::NoSources,
            Diagnostic::warning(&doc.file, "this article lists no sources")
                .at(1, 0)
                .hint("add the evidence it is based on: [[sources]] with title, url and publisher"),
        )
    })
}
