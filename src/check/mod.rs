//! `follicle check`: everything wrong with a site before it is published, in one
//! run, each problem pointing at the file and line to fix.
//!
//! Takes: a [`LoadedSite`] and its rendered [`Outputs`] (built in memory, exactly
//! as `build` would write them). Gives: [`Finding`]s, each a [`Diagnostic`] with
//! the [`Rule`] it breaks. [`run`] is pure, so the dev server can call it on the
//! site it already holds; [`check`] is the command: load, render into memory,
//! [`run`], and with `--external` ask other sites whether their links still work
//! ([`external`], the only part that touches the network).
//!
//! The checks, by module:
//! - [`links`]: every internal link, image and resource in the built HTML (from
//!   Markdown, `@/` links and templates) leads to an output file and an existing
//!   `#anchor`; orphan pages; external links for [`external`].
//! - [`a11y`]: missing alt text, empty and vague links, heading order, tables
//!   without header cells, missing `lang`.
//! - [`content`]: missing descriptions, duplicate titles and descriptions.
//! - [`review`]: medical review of articles (reviewer, dates, sources).
//! - [`readability`]: reading level of each English and Spanish article, as `textstat` scores it.
//!
//! Problems found in HTML are placed back in the Markdown source through
//! [`source`]; those that come from a template are reported once, at the first
//! page that shows them.

pub mod a11y;
pub mod content;
pub mod external;
pub mod html;
pub mod links;
pub mod placeholders;
pub mod readability;
pub mod report;
pub mod review;
pub mod source;
pub mod syllables;

use std::collections::HashSet;

use serde::Serialize;

use crate::build::{self, BuildOptions, LoadedSite};
use crate::config::CheckSettings;
use crate::content::{DocKind, Document};
use crate::diagnostic::{self, Code, Diagnostic, Failure};
use crate::output::{MemSink, Outputs};
use crate::timing::Timing;
use source::Built;

/// Declares [`Rule`], its list and its names in one place, so a new rule can
/// never be missing from `Rule::ALL` (and so from `[check] ignore`).
macro_rules! rules {
    ($($(#[$doc:meta])* $variant:ident,)*) => {
        /// What a finding is about. Each rule has one severity, except `build`
        /// (whatever the build said) and `external-link` (a 404 is an error, a
        /// timeout a warning). Every rule but `build` is a diagnostic [`Code`]
        /// of the same name, so a rule cannot lack its code or its documentation.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        #[serde(rename_all = "kebab-case")]
        pub enum Rule {
            /// Whatever the build said, under the build diagnostic's own code.
            Build,
            $($(#[$doc])* $variant,)*
        }

        impl Rule {
            /// Every rule, in report order.
            pub const ALL: &'static [Rule] = &[Rule::Build, $(Rule::$variant,)*];

            /// The diagnostic code of a finding under this rule; `build` keeps the
            /// build diagnostic's own code.
            pub fn code(self) -> Option<Code> {
                match self {
                    Rule::Build => None,
                    $(Rule::$variant => Some(Code::$variant),)*
                }
            }

            /// The rule's name, as in reports and `[check] ignore`: its code's.
            pub fn id(self) -> &'static str {
                self.code().map_or("build", Code::id)
            }
        }
    };
}

rules! {
    BrokenLink,
    BrokenAnchor,
    ExternalLink,
    MissingAlt,
    EmptyLink,
    MissingLang,
    NoReview,
    ReviewOverdue,
    /// Sample text of the starter site (see [`placeholders`]).
    Placeholder,
    VagueLinkText,
    HeadingSkip,
    MultipleH1,
    TableHeaders,
    MissingDescription,
    DuplicateTitle,
    DuplicateDescription,
    OrphanPage,
    NoSources,
    ReadingLevel,
    StaleTranslation,
    UnsafeHtml,
    /// A published image still holding EXIF, GPS, XMP, IPTC or comments.
    ImageMetadata,
    /// An image, stylesheet or script from another site, loaded as a page opens.
    ThirdParty,
}

impl Rule {
    pub fn from_id(id: &str) -> Option<Rule> {
        Rule::ALL.iter().copied().find(|r| r.id() == id)
    }

    /// The rule whose code is `code`; `build` for a code no rule has.
    pub fn of_code(code: Code) -> Rule {
        let mut rules = Rule::ALL.iter().copied();
        rules
            .find(|r| r.code() == Some(code))
            .unwrap_or(Rule::Build)
    }
}

/// One problem: a diagnostic (file, line, message, hint) and the rule it breaks.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub rule: Rule,
    #[serde(flatten)]
    pub diagnostic: Diagnostic,
    /// More lines to show under the hint (the hardest sentences, other files).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// For `reading-level`: the scores and what raises them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reading: Option<readability::Report>,
}

impl Finding {
    /// A finding under `rule`; its diagnostic carries the rule's code.
    pub fn new(rule: Rule, mut diagnostic: Diagnostic) -> Finding {
        if let Some(code) = rule.code() {
            diagnostic.code = code;
        }
        Finding {
            rule,
            diagnostic,
            notes: Vec::new(),
            reading: None,
        }
    }

    pub fn is_error(&self) -> bool {
        self.diagnostic.is_error()
    }
}

/// What [`run`] needs besides the site.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// The day review dates are checked against.
    pub today: jiff::civil::Date,
}

/// Every check that needs no network, on a loaded and rendered site. Pure.
/// Findings are sorted by file and line, with `[check] ignore` applied.
pub fn run(loaded: &LoadedSite, outputs: &Outputs, opts: &CheckOptions) -> Vec<Finding> {
    let built = Built::new(loaded, outputs);
    let (mut findings, _) = run_built(&built, opts, &mut Timing::new());
    finish(&mut findings, &loaded.config.check);
    findings
}

/// What [`run_pages`] found on the pages it checked.
#[derive(Debug, Default)]
pub struct PageChecks {
    pub findings: Vec<Finding>,
    /// The reading level of each article among the checked documents.
    pub readings: Vec<PageReading>,
    /// Per checked output, the outputs its link findings depend on
    /// ([`links::dependencies`]).
    pub depends: Vec<(String, Vec<String>)>,
}

/// The dev server's panel: the same checks as [`run`], on the HTML outputs in
/// `only` and the documents they were rendered from.
pub fn run_pages(
    loaded: &LoadedSite,
    outputs: &Outputs,
    only: &HashSet<&str>,
    opts: &CheckOptions,
) -> PageChecks {
    let built = Built::for_outputs(loaded, outputs, only);
    let depends = links::dependencies(&built, only)
        .into_iter()
        .map(|(o, d)| (o.to_string(), d))
        .collect();
    let mut problems = links::check_outputs(&built, Some(only));
    problems.extend(a11y::check_outputs(&built, Some(only)));
    let mut findings = source::place(&built, problems);
    let mut seen = HashSet::new();
    let docs: Vec<&Document> = only
        .iter()
        .filter_map(|o| built.doc(o))
        .filter(|d| d.fallback_from.is_none() && seen.insert(d.file.as_str()))
        .collect();
    let max_age = loaded.config.check.max_review_age_years;
    findings.extend(review::check_docs(
        docs.iter().copied(),
        opts.today,
        max_age,
    ));
    findings.extend(placeholders::check_docs(docs.iter().copied()));
    let files: HashSet<&str> = docs.iter().map(|d| d.file.as_str()).collect();
    findings.extend(
        crate::content::translations::stale(&loaded.site, &loaded.config)
            .into_iter()
            .filter(|d| files.contains(d.file.as_str()))
            .map(|d| Finding::new(Rule::StaleTranslation, d)),
    );
    let mut readings = Vec::new();
    let mut counter = readability::Syllables::default();
    for doc in docs.iter().filter(|d| is_article(d)) {
        let Some(language) = readability::Language::of(&doc.lang) else {
            continue;
        };
        let settings = &loaded.config.check;
        if let Some((finding, reading, hardest)) =
            reading_level(doc, language, settings, &mut counter)
        {
            findings.extend(finding);
            readings.push(PageReading { reading, hardest });
        }
    }
    finish(&mut findings, &loaded.config.check);
    PageChecks {
        findings,
        readings,
        depends,
    }
}

/// One article's reading level and its hardest sentences, for the panel.
#[derive(Debug, Clone, Serialize)]
pub struct PageReading {
    #[serde(flatten)]
    pub reading: ArticleReading,
    pub hardest: Vec<readability::Sentence>,
}

fn run_built(
    built: &Built<'_>,
    opts: &CheckOptions,
    timing: &mut Timing,
) -> (Vec<Finding>, Vec<ArticleReading>) {
    // Reading level needs only the documents: it runs beside the other checks,
    // whose sequential parts would leave a core idle.
    let (mut findings, reading) = rayon::join(
        || {
            let (mut problems, linked) = links::check(built);
            problems.extend(a11y::check(built));
            let mut findings = source::place(built, problems);
            findings.extend(links::orphans(built, &linked));
            findings.extend(content::check(built.loaded));
            findings.extend(placeholders::check(built.loaded));
            findings.extend(image_metadata(built));
            findings.extend(review::check(
                built.loaded,
                opts.today,
                built.loaded.config.check.max_review_age_years,
            ));
            findings
        },
        || readability_findings(built.loaded),
    );
    let (reading_findings, reading) = reading;
    findings.extend(reading_findings);
    timing.lap("links, a11y, content, review, reading");
    let loaded = built.loaded;
    findings.extend(
        crate::content::translations::stale(&loaded.site, &loaded.config)
            .into_iter()
            .map(|d| Finding::new(Rule::StaleTranslation, d)),
    );
    (findings, reading)
}

/// Every published JPEG, PNG, WebP, GIF or AVIF that still holds metadata
/// (read by [`crate::images::meta::found`], the reader the image stage strips
/// with): content and theme `static/` rasters are stripped when published, so
/// this catches a file put into the output some other way, or a regression.
fn image_metadata(built: &Built<'_>) -> Vec<Finding> {
    use rayon::prelude::*;
    let mut found: Vec<Finding> = built
        .outputs
        .par_iter()
        .filter(|(path, _)| {
            matches!(
                crate::images::kind_of(path),
                Some(crate::images::Kind::Image(f)) if f != crate::images::Format::Svg
            ) || path.ends_with(".avif")
        })
        .filter_map(|(path, bytes)| {
            let kinds = crate::images::meta::found(bytes);
            if kinds.is_empty() {
                return None;
            }
            let d = Diagnostic::error(
                format!("{}/{path}", built.loaded.config.output_dir),
                format!("this published image still holds {}, which can tell where and with what a photo was taken", kinds.join(", ")),
            )
            .code(Code::ImageMetadata)
            .hint("remove the metadata before publishing (e.g. `exiftool -all= FILE`)");
            Some(Finding::new(Rule::ImageMetadata, d))
        })
        .collect();
    found.sort_by(|a, b| a.diagnostic.file.cmp(&b.diagnostic.file));
    found
}

/// Is this page an article (medical content that needs review, sources and
/// plain language)? Pages with a reviewer, an audience or sources, and every
/// page inside a section. Top-level pages without those (about, contact,
/// privacy, disclaimer) are the clinic's own pages. Sections are listings, and
/// stand-ins for missing translations are checked as their originals.
pub fn is_article(doc: &Document) -> bool {
    doc.kind == DocKind::Page
        && doc.fallback_from.is_none()
        && (doc.meta.reviewed_by.is_some()
            || doc.meta.audience.is_some()
            || !doc.meta.sources.is_empty()
            || !doc.section_dir.is_empty())
}

/// The prose of an article: its body, then its FAQ questions and answers.
pub fn article_prose(doc: &Document) -> readability::Prose {
    let mut prose = readability::Prose::default();
    readability::extract_markdown(&doc.body, doc.body_line, &mut prose);
    let lines = doc.faq_lines();
    for (i, f) in doc.meta.faq.iter().enumerate() {
        let (q, a) = lines
            .get(i)
            .copied()
            .unwrap_or((doc.front_line, doc.front_line));
        readability::extract_plain(&f.question, q, &mut prose);
        readability::extract_markdown(&f.answer, a, &mut prose);
    }
    prose
}

/// One article's reading level, as the report lists it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ArticleReading {
    pub file: String,
    pub lang: String,
    pub language: readability::Language,
    /// The score the target applies to: the Flesch–Kincaid grade (English, at
    /// most the target) or the Fernández-Huerta reading ease (Spanish, at least
    /// the target).
    pub score: f64,
    pub target: f64,
    pub scores: readability::Scores,
}

/// Every English and Spanish article's reading level, and a finding for each
/// one past its language's target.
fn readability_findings(loaded: &LoadedSite) -> (Vec<Finding>, Vec<ArticleReading>) {
    use rayon::prelude::*;
    let settings = &loaded.config.check;
    let mut scored: Vec<(Option<Finding>, ArticleReading)> = loaded
        .site
        .pages
        .par_iter()
        .filter(|p| is_article(&p.doc))
        .filter_map(|p| Some((p, readability::Language::of(&p.doc.lang)?)))
        .map_init(readability::Syllables::default, |counter, (p, language)| {
            reading_level(&p.doc, language, settings, counter).map(|(f, r, _)| (f, r))
        })
        .flatten()
        .collect();
    scored.sort_by(|a, b| a.1.file.cmp(&b.1.file));
    scored
        .into_iter()
        .fold((Vec::new(), Vec::new()), |(mut fs, mut rs), (f, r)| {
            fs.extend(f);
            rs.push(r);
            (fs, rs)
        })
}

/// An article's reading level, and a `reading-level` finding if it is past the
/// target, with the hardest sentences and longest words as notes.
fn reading_level(
    doc: &Document,
    language: readability::Language,
    settings: &CheckSettings,
    counter: &mut readability::Syllables,
) -> Option<(Option<Finding>, ArticleReading, Vec<readability::Sentence>)> {
    use readability::Language;
    let report = readability::analyse_in(&article_prose(doc), counter, language);
    let s = report.scores;
    if s.words == 0 {
        return None;
    }
    let (score, target) = match language {
        Language::English => (s.flesch_kincaid_grade, settings.reading_grade_target),
        Language::Spanish => (s.fernandez_huerta, settings.spanish_reading_ease_target),
    };
    let reading = ArticleReading {
        file: doc.file.clone(),
        lang: doc.lang.clone(),
        language,
        score,
        target,
        scores: s,
    };
    let passes = match language {
        Language::English => score <= target,
        Language::Spanish => score >= target,
    };
    if passes {
        return Some((None, reading, report.hardest));
    }
    let hardest = report.hardest.clone();
    let line = report.hardest.first().map_or(doc.body_line, |h| h.line);
    // Enough decimals that the score never reads as equal to the target.
    let same = format!("{score:.1}") == format!("{target:.1}");
    let decimals = if same { 2 } else { 1 };
    let (message, hint) = match language {
        Language::English => (
            format!(
                "reading level is grade {score:.decimals$} (Flesch–Kincaid), above the target of {}; \
                 reading ease {:.1}, SMOG {:.1}",
                fmt_grade(target),
                s.flesch_reading_ease,
                s.smog
            ),
            "shorter sentences and shorter words lower the grade: split the sentences below \
             and use everyday words",
        ),
        Language::Spanish => (
            format!(
                "reading ease is {score:.decimals$} (Fernández-Huerta), below the target of {}; \
                 Szigriszt-Pazos {:.1}",
                fmt_grade(target),
                s.szigriszt_pazos
            ),
            "shorter sentences and shorter words raise the score: split the sentences below \
             and use everyday words (frases cortas y palabras comunes)",
        ),
    };
    let d = Diagnostic::warning(&doc.file, message)
        .code(Code::ReadingLevel)
        .at(line, 0)
        .hint(hint);
    let mut f = Finding::new(Rule::ReadingLevel, d);
    f.notes = reading_notes(&report, language);
    f.reading = Some(report);
    Some((Some(f), reading, hardest))
}

/// The hardest sentences and the longest words, as a finding's notes.
fn reading_notes(report: &readability::Report, language: readability::Language) -> Vec<String> {
    let mut notes = Vec::new();
    for h in &report.hardest {
        let measure = match language {
            readability::Language::English => format!("grade {:.1}", h.grade()),
            readability::Language::Spanish => format!("reading ease {:.1}", h.reading_ease_es()),
        };
        notes.push(format!(
            "line {}: {} words, {} syllables ({measure}): “{}”",
            h.line, h.words, h.syllables, h.text
        ));
    }
    if !report.longest_words.is_empty() {
        let words: Vec<String> = report
            .longest_words
            .iter()
            .map(|(w, n)| format!("{w} ({n})"))
            .collect();
        notes.push(format!("longest words (syllables): {}", words.join(", ")));
    }
    notes
}

fn fmt_grade(g: f64) -> String {
    if g.fract() == 0.0 {
        format!("{g:.0}")
    } else {
        format!("{g:.1}")
    }
}

/// Sort, drop repeats and apply `[check] ignore`.
fn finish(findings: &mut Vec<Finding>, settings: &CheckSettings) {
    let ignore: Vec<Ignore> = settings.ignore.iter().map(|s| Ignore::parse(s)).collect();
    findings.retain(|f| !ignore.iter().any(|i| i.matches(f)));
    findings.sort_by(|a, b| {
        let (da, db) = (&a.diagnostic, &b.diagnostic);
        (&da.file, da.line, da.column, a.rule, &da.message).cmp(&(
            &db.file,
            db.line,
            db.column,
            b.rule,
            &db.message,
        ))
    });
    findings.dedup();
}

/// One `[check] ignore` entry: `rule`, `path-pattern` or `path-pattern:rule`.
struct Ignore {
    pattern: Option<String>,
    rule: Option<Rule>,
}

impl Ignore {
    fn parse(entry: &str) -> Ignore {
        if let Some(rule) = Rule::from_id(entry) {
            return Ignore {
                pattern: None,
                rule: Some(rule),
            };
        }
        match entry.rsplit_once(':') {
            Some((p, r)) if Rule::from_id(r).is_some() => Ignore {
                pattern: Some(p.to_string()),
                rule: Rule::from_id(r),
            },
            _ => Ignore {
                pattern: Some(entry.to_string()),
                rule: None,
            },
        }
    }

    fn matches(&self, f: &Finding) -> bool {
        self.rule.is_none_or(|r| r == f.rule)
            && self
                .pattern
                .as_deref()
                .is_none_or(|p| glob(p, &f.diagnostic.file))
    }
}

/// `*` matches any run of characters (including `/`); everything else is literal.
fn glob(pattern: &str, text: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == text;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !text.starts_with(first) || !text[first.len()..].ends_with(last) {
        return false;
    }
    let mut rest = &text[first.len()..text.len() - last.len()];
    for mid in &parts[1..parts.len() - 1] {
        match rest.find(mid) {
            Some(i) => rest = &rest[i + mid.len()..],
            None => return false,
        }
    }
    true
}

/// `[check] ignore` entries that look like `x:rule` with an unknown rule, or a
/// bare word that is neither a rule nor a path.
fn check_ignore_entries(settings: &CheckSettings) -> Result<(), Failure> {
    for entry in &settings.ignore {
        let rule_part = entry.rsplit_once(':').map(|(_, r)| r).unwrap_or(entry);
        let looks_like_rule = !rule_part.contains(['/', '.', '*']);
        if looks_like_rule && Rule::from_id(rule_part).is_none() {
            let ids: Vec<&str> = Rule::ALL.iter().map(|r| r.id()).collect();
            let hint = match diagnostic::did_you_mean(rule_part, ids.iter().copied()) {
                Some(best) => format!("did you mean `{best}`?"),
                None => format!("rules: {}", ids.join(", ")),
            };
            return Err(Failure::usage(
                Diagnostic::error(
                    crate::config::CONFIG_FILE,
                    format!("[check] ignore: `{rule_part}` is not a rule of follicle check"),
                )
                .code(Code::CheckIgnore)
                .hint(hint),
            ));
        }
    }
    Ok(())
}

/// The rule a build diagnostic falls under, by its code: the Markdown stage's
/// link errors are broken links and anchors like ours, its raw-HTML removals
/// unsafe HTML; everything else is `build`.
fn build_rule(d: &Diagnostic) -> Rule {
    match d.code {
        Code::UnsafeHtml => Rule::UnsafeHtml,
        Code::BrokenAnchor => Rule::BrokenAnchor,
        Code::BrokenLink => Rule::BrokenLink,
        Code::ThirdParty => Rule::ThirdParty,
        _ => Rule::Build,
    }
}

/// What `follicle check` was asked to do.
#[derive(Debug, Clone)]
pub struct CommandOptions {
    pub build: BuildOptions,
    pub check: CheckOptions,
    /// Check links to other sites too.
    pub external: Option<external::Options>,
}

/// What `follicle check` found.
#[derive(Debug)]
pub struct Outcome {
    pub findings: Vec<Finding>,
    /// HTML pages checked.
    pub pages: usize,
    /// How much of the site each language other than the default has.
    pub translations: Vec<crate::content::translations::Coverage>,
    /// Every English and Spanish article's reading level, by file.
    pub reading: Vec<ArticleReading>,
}

/// `follicle check`: load and render into memory (nothing is written), run every
/// check, and with `--external` check other sites' links.
pub fn check(opts: &CommandOptions) -> Result<Outcome, Failure> {
    let mut timing = Timing::new();
    let config = build::load_config(&opts.build)?;
    check_ignore_entries(&config.check)?;
    let (loaded, load_errors) = build::load_with(&opts.build, config, build::Mode::check())?;
    timing.lap("load");
    let sink = MemSink::default();
    let rendered = build::render_all(&loaded, &sink);
    timing.lap("render");
    if !rendered.internal.is_empty() {
        return Err(Failure::Internal(rendered.internal.join("\n")));
    }
    let outputs = sink
        .files
        .into_inner()
        .map_err(|_| Failure::Internal("the rendered site was lost".into()))?;
    let built = Built::new(&loaded, &outputs);
    timing.lap("parse html");
    let (mine, reading) = run_built(&built, &opts.check, &mut timing);
    // The build reports broken `@/` links too; where both saw one, keep ours.
    let ours: HashSet<(&str, usize, usize)> = mine
        .iter()
        .filter(|f| matches!(f.rule, Rule::BrokenLink | Rule::BrokenAnchor))
        .map(|f| {
            (
                f.diagnostic.file.as_str(),
                f.diagnostic.line,
                f.diagnostic.column,
            )
        })
        .collect();
    let from_build: Vec<Finding> = load_errors
        .into_iter()
        .chain(loaded.warnings.iter().cloned())
        .chain(rendered.diagnostics)
        .filter(|d| !ours.contains(&(d.file.as_str(), d.line, d.column)))
        .map(|d| Finding::new(build_rule(&d), d))
        .collect();
    let mut findings = mine;
    findings.extend(from_build);
    // site.toml's and the host files' own placeholders (the pages' are found
    // by `run`).
    for file in std::iter::once(crate::config::CONFIG_FILE)
        .chain(placeholders::DEPLOY_FILES.iter().copied())
    {
        if let Ok(text) = std::fs::read_to_string(opts.build.root.join(file)) {
            findings.extend(placeholders::in_text(file, &text, 1));
        }
    }
    if let Some(ext) = &opts.external {
        let targets = links::external_targets(&built);
        let results = external::fetch(&targets, ext);
        findings.extend(links::external_findings(&built, &targets, &results));
    }
    finish(&mut findings, &loaded.config.check);
    let outcome = Outcome {
        findings,
        pages: built.html_pages(),
        translations: crate::content::translations::coverage(&loaded.site, &loaded.config),
        reading,
    };
    timing.lap("finish");
    timing.report();
    // Freeing a big site's pages and HTML takes a while; the report does not
    // wait for it.
    drop(built);
    std::thread::spawn(move || drop((loaded, outputs)));
    Ok(outcome)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rules_name_is_its_codes_and_its_json_name() {
        for &rule in Rule::ALL {
            let json = serde_json::to_string(&rule).unwrap();
            assert_eq!(json, format!("\"{}\"", rule.id()), "{rule:?}");
            assert_eq!(Rule::from_id(rule.id()), Some(rule));
        }
        assert_eq!(Rule::ImageMetadata.id(), "image-metadata");
        assert_eq!(Rule::Build.id(), "build");
        use crate::finder::Kind;
        assert_eq!(Rule::of_code(Kind::BrokenLink.code()), Rule::BrokenLink);
        assert_eq!(Rule::of_code(Kind::MissingAlt.code()), Rule::MissingAlt);
        assert_eq!(Rule::of_code(Kind::ThirdParty.code()), Rule::ThirdParty);
    }

    #[test]
    fn globs() {
        assert!(glob("content/legal/*", "content/legal/privacy.md"));
        assert!(glob("*.es.md", "content/a/b.es.md"));
        assert!(glob("content/*/x*.md", "content/a/b/xy.md"));
        assert!(!glob("content/legal/*", "content/about.md"));
        assert!(glob("content/faq.md", "content/faq.md"));
    }

    #[test]
    fn rule_ids_round_trip() {
        for &r in Rule::ALL {
            assert_eq!(Rule::from_id(r.id()), Some(r));
            // serde's kebab-case name is the same as the report's.
            assert_eq!(serde_json::to_value(r).unwrap(), r.id());
        }
    }
}
