//! The report of `follicle check`: readable text grouped by file (errors first,
//! then warnings) with a summary line, or JSON for CI. Pure: returns strings.

use std::collections::BTreeSet;

use serde::Serialize;

use super::{Finding, Outcome};

/// The counts under a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub errors: usize,
    pub warnings: usize,
    /// Files with at least one finding.
    pub files: usize,
    /// HTML pages checked.
    pub pages: usize,
    /// Warnings count as errors.
    pub strict: bool,
    /// Whether the site may be published: no errors (and, if strict, no warnings).
    pub passed: bool,
}

impl Summary {
    pub fn of(outcome: &Outcome, strict: bool) -> Summary {
        let errors = outcome.findings.iter().filter(|f| f.is_error()).count();
        let warnings = outcome.findings.len() - errors;
        let files: BTreeSet<&str> = outcome
            .findings
            .iter()
            .map(|f| f.diagnostic.file.as_str())
            .collect();
        Summary {
            errors,
            warnings,
            files: files.len(),
            pages: outcome.pages,
            strict,
            passed: errors == 0 && !(strict && warnings > 0),
        }
    }

    /// `2 errors, 1 warning in 3 files (40 pages checked)`.
    pub fn line(&self) -> String {
        let mut s = format!(
            "{}, {} in {} ({} checked)",
            plural(self.errors, "error"),
            plural(self.warnings, "warning"),
            plural(self.files, "file"),
            plural(self.pages, "page")
        );
        if self.strict && self.warnings > 0 {
            s.push_str("; --strict: warnings count as errors");
        }
        s
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// The readable report: errors, then warnings, each grouped by file; then the
/// summary line.
pub fn text(outcome: &Outcome, strict: bool) -> String {
    let summary = Summary::of(outcome, strict);
    let mut out = String::new();
    let (errors, warnings): (Vec<&Finding>, Vec<&Finding>) =
        outcome.findings.iter().partition(|f| f.is_error());
    for (title, list) in [("Errors", errors), ("Warnings", warnings)] {
        if list.is_empty() {
            continue;
        }
        out.push_str(&format!("{title} ({})\n", list.len()));
        let mut last_file: Option<&str> = None;
        for f in list {
            let d = &f.diagnostic;
            if last_file != Some(d.file.as_str()) {
                out.push_str(&format!("\n{}\n", d.file));
                last_file = Some(&d.file);
            }
            let mut place = d.file.clone();
            if d.line > 0 {
                place.push_str(&format!(":{}", d.line));
                if d.column > 0 {
                    place.push_str(&format!(":{}", d.column));
                }
            }
            out.push_str(&format!("  {place}: {} [{}]\n", d.text(), f.rule.id()));
            if let Some(h) = &d.hint {
                out.push_str(&format!("    hint: {h}\n"));
            }
            for n in &f.notes {
                out.push_str(&format!("    - {n}\n"));
            }
        }
        out.push('\n');
    }
    for c in &outcome.translations {
        out.push_str(&format!(
            "Translations: `{}` has {} of {} pages ({:.0}%)\n",
            c.lang,
            c.translated,
            c.total,
            c.percent()
        ));
    }
    out.push_str(&reading_lines(&outcome.reading));
    out.push_str(&summary.line());
    out.push('\n');
    out
}

/// One line per scored language: how many articles, the range of scores, the
/// target and the hardest article (`--format json` lists every article).
fn reading_lines(reading: &[super::ArticleReading]) -> String {
    use super::readability::Language;
    let mut out = String::new();
    for language in [Language::English, Language::Spanish] {
        let of: Vec<&super::ArticleReading> =
            reading.iter().filter(|r| r.language == language).collect();
        let Some(first) = of.first() else { continue };
        let (formula, bound) = match language {
            Language::English => ("Flesch–Kincaid grade", "at most"),
            Language::Spanish => ("Fernández-Huerta", "at least"),
        };
        // The hardest article: the highest grade, or the lowest reading ease.
        let hardness = |r: &&super::ArticleReading| match language {
            Language::English => r.score,
            Language::Spanish => -r.score,
        };
        let hardest = of
            .iter()
            .max_by(|a, b| hardness(a).total_cmp(&hardness(b)))
            .unwrap_or(first);
        let (lo, hi) = of.iter().fold((f64::MAX, f64::MIN), |(lo, hi), r| {
            (lo.min(r.score), hi.max(r.score))
        });
        out.push_str(&format!(
            "Reading level: `{}` {}, {formula} {lo:.1} to {hi:.1} (target {bound} {}; hardest {} at {:.1})\n",
            first.lang,
            plural(of.len(), "article"),
            first.target,
            hardest.file,
            hardest.score
        ));
    }
    out
}

#[derive(Serialize)]
struct Json<'a> {
    summary: Summary,
    translations: &'a [crate::content::translations::Coverage],
    reading: &'a [super::ArticleReading],
    findings: &'a [Finding],
}

/// The report as one JSON object: `{"summary": {...}, "findings": [...]}`.
pub fn json(outcome: &Outcome, strict: bool) -> String {
    let doc = Json {
        summary: Summary::of(outcome, strict),
        translations: &outcome.translations,
        reading: &outcome.reading,
        findings: &outcome.findings,
    };
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_else(|_| "{}".into());
    s.push('\n');
    s
}
