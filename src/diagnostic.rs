//! Diagnostics: every problem a user can cause, with its place and a hint.
//!
//! Takes: problems found by any stage. Gives: a sorted, printable report and the
//! exit code class. Library code never prints or exits; `main` does both.

use std::fmt;
use std::path::{Path, PathBuf};

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// Declares [`Code`], its list and its names in one place, so a code can never
/// be missing from `Code::ALL` (and so from `docs/content/guides/diagnostic-codes.md`,
/// which a test compares with this list).
macro_rules! codes {
    ($($(#[$doc:meta])* $variant:ident => $id:literal,)*) => {
        /// What a diagnostic is about: a stable name that tools, `follicle check`'s
        /// rules and `--format json` use, so nothing decides by the message's
        /// wording (which may change). Every code is explained, with its fix, in
        /// `docs/content/guides/diagnostic-codes.md`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
        #[serde(rename_all = "kebab-case")]
        pub enum Code {
            $($(#[$doc])* $variant,)*
        }

        impl Code {
            /// Every code, in the documentation's order.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The code's name, as in `--format json`.
            pub fn id(self) -> &'static str {
                match self {
                    $(Code::$variant => $id,)*
                }
            }
        }
    };
}

codes! {
    /// Not yet given a code (a test fails on any left in `src/`).
    Unclassified => "unclassified",
    /// A command-line value is wrong (`--port`, `--bind`, `--base-url`, `--today`).
    CommandLine => "command-line",
    /// `--strict` counted the warnings as errors.
    Strict => "strict",
    /// site.toml cannot be read, or one of its settings is not usable.
    Config => "config",
    /// A language code that is not a usable BCP 47 tag, or not declared.
    Language => "language",
    /// TOML or YAML that cannot be read as written (syntax or the kind of value).
    Syntax => "syntax",
    /// A key nobody knows where only known keys are allowed.
    UnknownKey => "unknown-key",
    /// The same key twice in one table.
    DuplicateKey => "duplicate-key",
    /// A value that was read but is not allowed.
    InvalidValue => "invalid-value",
    /// The front matter's `---`/`+++` fences.
    FrontMatter => "front-matter",
    /// There is no content/ folder.
    NoContent => "no-content",
    /// A file or folder name that cannot become a URL.
    FileName => "file-name",
    /// A Markdown file inside a page bundle.
    PageBundle => "page-bundle",
    /// A symlink that was not followed.
    Symlink => "symlink",
    /// A file that cannot be read.
    Unreadable => "unreadable",
    /// A file that is not UTF-8 text.
    Encoding => "encoding",
    /// Over one of Follicle's size limits.
    TooLarge => "too-large",
    /// A taxonomy or term that is not declared or cannot be a URL.
    Taxonomy => "taxonomy",
    /// A person's key not in `[people]`.
    UnknownPerson => "unknown-person",
    /// A theme that does not exist, extends in a circle or is outside themes/.
    Theme => "theme",
    /// A template named that no theme in the chain has.
    TemplateMissing => "template-missing",
    /// A template that fails to compile or render.
    Template => "template",
    /// A `page.extra` key the theme reads, misspelt, or a value it does not know.
    ExtraKey => "extra-key",
    /// A shortcode or alert that cannot be rendered.
    Shortcode => "shortcode",
    /// A footnote defined but never cited.
    Footnote => "footnote",
    /// Two sources want the same URL, or one wants a file Follicle writes.
    UrlCollision => "url-collision",
    /// A URL with a scheme the scheme policy refuses.
    UrlScheme => "url-scheme",
    /// A link to a page or file that does not exist.
    BrokenLink => "broken-link",
    /// A link to a `#heading` the target page does not have.
    BrokenAnchor => "broken-anchor",
    /// A relative link that leaves the site's content.
    LinkOutsideSite => "link-outside-site",
    /// A link written with backslashes.
    LinkBackslash => "link-backslash",
    /// Raw HTML the cleaner removed or would remove.
    UnsafeHtml => "unsafe-html",
    /// An image that cannot be published: damaged, cut short, too large (a
    /// bomb) or in a format browsers do not show.
    Image => "image",
    /// A published image that still holds EXIF, GPS, XMP, IPTC or comments.
    ImageMetadata => "image-metadata",
    /// An image, stylesheet or script loaded from another site as a page
    /// opens (that site sees the visit; the site's policy blocks it).
    ThirdParty => "third-party",
    /// An output folder Follicle will not replace.
    OutputFolder => "output-folder",
    /// Another build, `watch` or `serve` holds the output folder.
    OutputLock => "output-lock",
    /// The disk filled up while writing.
    DiskFull => "disk-full",
    /// `watch`/`serve` cannot watch the site folder or listen.
    Serve => "serve",
    /// `follicle import` cannot read its source or write its result.
    Import => "import",
    /// `follicle init`/`new` will not write a file.
    Scaffold => "scaffold",
    /// A Follicle bug, reported with the file it was working on.
    Internal => "internal",
    /// A translation older than its source.
    StaleTranslation => "stale-translation",
    /// An external link that fails (`check --external`).
    ExternalLink => "external-link",
    /// An image without alt text.
    MissingAlt => "missing-alt",
    /// A link with no text.
    EmptyLink => "empty-link",
    /// A page without `lang`.
    MissingLang => "missing-lang",
    /// An article without medical review.
    NoReview => "no-review",
    /// An article whose review is due.
    ReviewOverdue => "review-overdue",
    /// Sample text of the starter site.
    Placeholder => "placeholder",
    /// Link text such as "click here".
    VagueLinkText => "vague-link-text",
    /// A heading level skipped.
    HeadingSkip => "heading-skip",
    /// More than one `<h1>`.
    MultipleH1 => "multiple-h1",
    /// A table without header cells.
    TableHeaders => "table-headers",
    /// A page without `description`.
    MissingDescription => "missing-description",
    /// A title another page has too.
    DuplicateTitle => "duplicate-title",
    /// A description another page has too.
    DuplicateDescription => "duplicate-description",
    /// A page no other page links to.
    OrphanPage => "orphan-page",
    /// An article without sources.
    NoSources => "no-sources",
    /// An article harder to read than the target.
    ReadingLevel => "reading-level",
    /// A `[check] ignore` entry naming no rule.
    CheckIgnore => "check-ignore",
}

/// Where a diagnostic was found beyond its file: structured, so reports can
/// merge and show it without reading the message.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum Context {
    /// A template mistake met while rendering `source` (a content file) and
    /// `others` more pages.
    Rendering { source: String, others: usize },
}

impl fmt::Display for Context {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Context::Rendering { source, others: 0 } => write!(f, "while rendering {source}"),
            Context::Rendering { source, others } => write!(
                f,
                "while rendering {source} and {others} other page{}",
                if *others == 1 { "" } else { "s" }
            ),
        }
    }
}

/// One problem, pointing at a source file, line and column (1-based; 0 = unknown).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: Code,
    /// Path relative to the site root, with `/` separators.
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
    /// How to fix it.
    pub hint: Option<String>,
    /// Where beyond the file (the page being rendered); shown after the message.
    #[serde(skip_serializing_if = "Option::is_none")]
    /// Boxed: most diagnostics have none, and a `Result<_, Diagnostic>` stays small.
    pub context: Option<Box<Context>>,
}

impl Diagnostic {
    pub fn error(file: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code: Code::Unclassified,
            file: file.into(),
            line: 0,
            column: 0,
            message: message.into(),
            hint: None,
            context: None,
        }
    }

    pub fn warning(file: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(file, message)
        }
    }

    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.line = line;
        self.column = column;
        self
    }

    pub fn code(mut self, code: Code) -> Self {
        self.code = code;
        self
    }

    pub fn context(mut self, context: Context) -> Self {
        self.context = Some(Box::new(context));
        self
    }

    /// The message with its context, as people read it.
    pub fn text(&self) -> String {
        match &self.context {
            Some(c) => format!("{} ({c})", self.message),
            None => self.message.clone(),
        }
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{}", self.file)?;
        if self.line > 0 {
            write!(f, ":{}", self.line)?;
            if self.column > 0 {
                write!(f, ":{}", self.column)?;
            }
        }
        write!(f, ": {kind}: {}", self.message)?;
        if let Some(c) = &self.context {
            write!(f, " ({c})")?;
        }
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

/// Sort findings by file, then line, so a report reads top to bottom.
pub fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| {
        (&a.file, a.line, a.column, &a.message).cmp(&(&b.file, b.line, b.column, &b.message))
    });
}

/// Why a command failed; each class has its documented exit code.
#[derive(Debug)]
pub enum Failure {
    /// Content or template problems (exit 1).
    Content(Vec<Diagnostic>),
    /// Bad command line, bad site.toml, unsafe output folder (exit 2).
    Usage(Vec<Diagnostic>),
    /// A bug or an I/O fault we could not attribute to the user (exit 3).
    Internal(String),
    /// The machine stopped us, not the site: the disk is full (exit 3).
    Environment(Diagnostic),
}

impl Failure {
    pub fn exit_code(&self) -> i32 {
        match self {
            Failure::Content(_) => 1,
            Failure::Usage(_) => 2,
            Failure::Internal(_) | Failure::Environment(_) => 3,
        }
    }

    pub fn usage(d: Diagnostic) -> Self {
        Failure::Usage(vec![d])
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Content(d) | Failure::Usage(d) => {
                for (i, diag) in d.iter().enumerate() {
                    if i > 0 {
                        writeln!(f)?;
                    }
                    write!(f, "{diag}")?;
                }
                let errors = d.iter().filter(|d| d.is_error()).count();
                if errors > 1 {
                    write!(f, "\n{errors} errors")?;
                }
                Ok(())
            }
            Failure::Internal(msg) => write!(f, "internal error: {msg}"),
            Failure::Environment(d) => write!(f, "{d}"),
        }
    }
}

/// Line (1-based) and column (1-based, in characters) of a byte offset in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The closest candidate to `word`, for "did you mean" hints.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// A path relative to `root` with `/` separators, for messages.
pub fn rel(root: &Path, path: &Path) -> String {
    let p: PathBuf = path.strip_prefix(root).unwrap_or(path).to_path_buf();
    p.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_chars() {
        let t = "ab\ncdé f\n";
        assert_eq!(line_col(t, 0), (1, 1));
        assert_eq!(line_col(t, 3), (2, 1));
        assert_eq!(line_col(t, 8), (2, 5));
    }

    #[test]
    fn suggests_close_keys() {
        assert_eq!(did_you_mean("titel", ["title", "date"]), Some("title"));
        assert_eq!(did_you_mean("zzz", ["title", "date"]), None);
    }
}
