//! Content: walk `content/`, read each file, split and validate its front matter.
//!
//! Takes: the site root and [`Config`]. Gives: [`Loaded`] documents (pages and
//! sections, not yet placed in the tree) and [`Asset`]s to copy, plus every problem
//! found, all files at once. `tree` then places them and assigns URLs.

pub mod collate;
pub mod frontmatter;
pub mod translations;
pub mod tree;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostic::{line_col, rel, Code, Diagnostic};
use frontmatter::{Audience, FmDate, RawFrontMatter, SortBy, Source};

pub const CONTENT_DIR: &str = "content";

/// Whether a document is a page or a section's `_index.md`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocKind {
    Page,
    Section,
}

/// One Markdown file, read and validated, not yet placed in the site tree.
#[derive(Debug, Clone)]
pub struct Document {
    pub kind: DocKind,
    /// `content/treatment/aftercare.es.md`, for messages.
    pub file: String,
    /// `treatment/aftercare.es.md`: what `@/` links name.
    pub content_path: String,
    /// `treatment/aftercare.md` for every language version: links translations.
    pub translation_key: String,
    pub lang: String,
    /// Folder inside `content/` of the section this document belongs to (for a
    /// section, its own folder; for a bundle page, the bundle's parent).
    pub section_dir: String,
    /// Folder inside `content/` that relative links start from.
    pub link_dir: String,
    /// The default slug: the file stem or bundle folder name, slugified.
    pub default_slug: String,
    /// For a bundle (`name/index.md`), its folder inside `content/`.
    pub bundle_dir: Option<String>,
    /// For a stand-in made because this language has no translation: the
    /// language the content is really in (the default language).
    pub fallback_from: Option<String>,
    pub meta: Meta,
    /// The front matter text (rebuilds compare it).
    pub front: String,
    pub front_line: usize,
    /// Where each front matter key sits, from the parser.
    pub keys: frontmatter::KeyMap,
    pub body: String,
    pub body_line: usize,
}

impl Meta {
    /// The newest date that says the content changed: `updated`, `reviewed_on`
    /// or `date`.
    pub fn last_change(&self) -> Option<FmDate> {
        [self.updated, self.reviewed_on, self.date]
            .into_iter()
            .flatten()
            .max()
    }
}

impl Document {
    /// Lines of each FAQ entry's `question` and `answer` keys in the front matter.
    pub fn faq_lines(&self) -> Vec<(usize, usize)> {
        (0..self.meta.faq.len())
            .map_while(|i| {
                let q = self.keys.get(&format!("faq.{i}.question"))?;
                let a = self.keys.get(&format!("faq.{i}.answer"))?;
                Some((q.0, a.0))
            })
            .collect()
    }

    /// Line and column of a front matter key (`title`, `sources.0.url`), or of
    /// the first of several spellings that is present.
    pub fn key_at(&self, keys: &[&str]) -> Option<(usize, usize)> {
        keys.iter().find_map(|k| self.keys.get(k))
    }
}

/// Validated front matter: what the rest of the pipeline sees.
#[derive(Debug, Clone, Default)]
pub struct Meta {
    pub title: String,
    pub description: String,
    pub summary: Option<String>,
    pub date: Option<FmDate>,
    pub updated: Option<FmDate>,
    pub draft: bool,
    pub slug: Option<String>,
    pub path: Option<String>,
    pub aliases: Vec<String>,
    pub weight: Option<i64>,
    pub template: Option<String>,
    pub taxonomies: BTreeMap<String, Vec<String>>,
    pub authors: Vec<String>,
    pub keywords: Vec<String>,
    pub extra: serde_json::Map<String, serde_json::Value>,
    pub anchor_links: Option<bool>,
    /// `in_search_index = false` leaves the page out of the site search.
    pub in_search_index: Option<bool>,
    pub sort_by: Option<SortBy>,
    pub paginate_by: Option<usize>,
    pub paginate_reversed: bool,
    pub page_template: Option<String>,
    pub redirect_to: Option<String>,
    pub render: bool,
    pub transparent: bool,
    pub reviewed_by: Option<String>,
    pub reviewed_on: Option<FmDate>,
    pub next_review: Option<FmDate>,
    pub sources: Vec<Source>,
    pub faq: Vec<frontmatter::Faq>,
    pub audience: Option<Audience>,
}

/// A file under `content/` that is copied as it is.
#[derive(Debug, Clone)]
pub struct Asset {
    pub source: PathBuf,
    /// `content/images/x.jpg`, for messages.
    pub file: String,
    /// Path inside `content/` with `/` separators.
    pub content_path: String,
    /// A raster's header (see [`crate::images`]), or why it cannot be
    /// published; `None` for files that are not raster images.
    pub image: Option<Result<crate::images::Info, crate::images::Problem>>,
}

/// Everything read from `content/`.
#[derive(Debug, Default)]
pub struct Loaded {
    pub documents: Vec<std::sync::Arc<Document>>,
    pub assets: Vec<Asset>,
    pub diagnostics: Vec<Diagnostic>,
    /// Content paths of Markdown files that failed to load.
    pub broken: Vec<String>,
    /// The site's image cache (`.follicle-cache/images/`).
    pub image_cache: std::sync::Arc<crate::images::Cache>,
    /// The site's folder (for the template image functions' lookups).
    pub root: std::path::PathBuf,
}

/// Longest URL segment we derive from a name: it becomes a folder in the
/// output, and file systems refuse names over 255 bytes.
pub const MAX_URL_SEGMENT: usize = 255;

/// The most terms of one taxonomy on one page: each term's page lists the
/// page with all its terms, so the cost grows with the square of this count
/// (40,000 tags on one page took 17 s).
pub const MAX_TERMS_PER_PAGE: usize = 1_000;

/// Largest Markdown file we read: well above any real article, far below harm.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;
const MIB: f64 = (1 << 20) as f64;

/// Is this file editor or OS junk that must never be read or published?
pub fn is_junk(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || (name.starts_with('#') && name.ends_with('#'))
        || name == "4913"
        || name.eq_ignore_ascii_case("Thumbs.db")
        || name.eq_ignore_ascii_case("desktop.ini")
        || name.ends_with(".swp")
        || name.ends_with(".swo")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.ends_with(".bak")
        || name.contains("___jb_tmp___")
        || name.contains("___jb_old___")
}

/// Walk `content/` and read every document, in parallel.
pub fn load(root: &Path, config: &Config) -> Loaded {
    let content = root.join(CONTENT_DIR);
    let mut loaded = Loaded::default();
    if !content.is_dir() {
        loaded.diagnostics.push(
            Diagnostic::error(CONTENT_DIR, "there is no content/ folder")
                .code(Code::NoContent)
                .hint("create content/_index.md for the home page, or start with `follicle init`"),
        );
        return loaded;
    }
    let (mut md_files, mut assets, walk_diags) = walk(root, &content);
    loaded.diagnostics = walk_diags;
    // A `\` in a name is a folder separator on Windows and never in a URL.
    let backslash = |file: &str| {
        Diagnostic::error(file, "the file or folder name contains a backslash (`\\`)").code(Code::FileName)
            .hint("rename it without `\\`: web addresses use `/` between folders, and Windows cannot hold such a name")
    };
    md_files.retain(|p| {
        let bad = rel(&content, p).contains('\\');
        if bad {
            loaded.diagnostics.push(backslash(&rel(root, p)));
        }
        !bad
    });
    assets.retain(|a| {
        let bad = a.content_path.contains('\\');
        if bad {
            loaded.diagnostics.push(backslash(&a.file));
        }
        !bad
    });
    loaded.assets = assets;
    let bundles = bundle_dirs(&md_files, root);
    let results: Vec<Result<Document, Vec<Diagnostic>>> = md_files
        .par_iter()
        .map(|path| read_document(root, path, config, &bundles))
        .collect();
    for (path, r) in md_files.iter().zip(results) {
        match r {
            Ok(doc) => loaded.documents.push(std::sync::Arc::new(doc)),
            Err(d) => {
                loaded.broken.push(rel(&content, path));
                loaded.diagnostics.extend(d);
            }
        }
    }
    // Assets inside a bundle belong to the page; its extra Markdown files do not fit.
    loaded.documents.sort_by(|a, b| a.file.cmp(&b.file));
    loaded.assets.sort_by(|a, b| a.file.cmp(&b.file));
    if config.markdown.raw_html == crate::config::RawHtml::Safe {
        let found: Vec<Vec<Diagnostic>> = loaded.assets.par_iter().map(active_content).collect();
        loaded.diagnostics.extend(found.into_iter().flatten());
    }
    loaded.assets.par_iter_mut().for_each(probe_image);
    loaded
        .diagnostics
        .extend(loaded.assets.iter().filter_map(|a| match &a.image {
            Some(Err(p)) => Some(p.at_file(&a.file)),
            _ => None,
        }));
    loaded.image_cache = std::sync::Arc::new(crate::images::Cache::at(root));
    loaded.root = root.to_path_buf();
    loaded
}

/// Read an image asset's header (never a raster's pixels): its size and
/// format, or why it cannot be published (a bomb, a damaged file, HEIC...).
fn probe_image(asset: &mut Asset) {
    use crate::images::{Kind, Problem};
    asset.image = match crate::images::kind_of(&asset.file) {
        Some(Kind::Image(f)) if f.is_processed() || f == crate::images::Format::Gif => {
            Some(crate::images::decode::probe(&asset.source))
        }
        // An SVG's declared size, so its `<img>` gets width and height (no
        // layout shift); it is published as it is.
        Some(Kind::Image(crate::images::Format::Svg)) => Some(
            crate::images::template::probe(&asset.source, &asset.file),
        ),
        Some(Kind::Unsupported(name)) => Some(Err(Problem::new(
            format!("{name} images cannot be published: browsers do not all show them, and their metadata (GPS, camera) cannot be removed"),
            "export the photo as JPEG (on an iPhone: Settings > Camera > Formats > Most Compatible) and replace the file",
        ))),
        _ => None,
    };
}

/// Warnings for scripts, event handlers and script URLs in a copied `.html`,
/// `.htm`, `.xhtml` or `.svg` file (copied as it is; see
/// [`crate::markdown::raw_html::active_content`]).
fn active_content(asset: &Asset) -> Vec<Diagnostic> {
    let ext = Path::new(&asset.file)
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if !matches!(ext.as_str(), "html" | "htm" | "xhtml" | "svg") {
        return Vec::new();
    }
    let too_big = std::fs::metadata(&asset.source).map_or(true, |m| m.len() > MAX_FILE_BYTES);
    let Some(bytes) = (!too_big)
        .then(|| std::fs::read(&asset.source).ok())
        .flatten()
    else {
        return Vec::new();
    };
    let text = String::from_utf8_lossy(&bytes);
    // Findings come in order: count lines and columns on from the last one.
    let (mut at, mut line, mut column) = (0, 1, 1);
    crate::markdown::raw_html::active_content(&text)
        .into_iter()
        .map(|f| {
            let seg = &text[at..f.offset.max(at)];
            match seg.rfind('\n') {
                Some(nl) => {
                    line += seg.matches('\n').count();
                    column = seg[nl + 1..].chars().count() + 1;
                }
                None => column += seg.chars().count(),
            }
            at = f.offset.max(at);
            Diagnostic::warning(&asset.file, f.message)
                .code(Code::UnsafeHtml)
                .at(line, column)
                .hint(f.hint)
        })
        .collect()
}

/// What the folders of `content/` make of their `index.md` files.
#[derive(Debug, Clone, Default)]
pub struct Folders {
    /// Page bundles: folders whose `index.md` is a page and whose other files
    /// are its assets (paths inside `content/`).
    pub bundles: Vec<String>,
    /// Folders whose `index.md` is the section page, as `_index.md` is: it has
    /// other Markdown files beside or below it (Jekyll, Just the Docs, Hugo
    /// headless bundles), or it is `content/index.md`, and no `_index.md`.
    pub index_sections: Vec<String>,
}

/// The Markdown extensions read as pages: any other file is copied as it is.
pub const MARKDOWN_EXTENSIONS: &[&str] = &["md", "markdown", "mdown", "mkd"];

/// `notes.markdown` → `Some("notes")`.
pub fn markdown_stem(name: &str) -> Option<&str> {
    let (stem, ext) = name.rsplit_once('.')?;
    MARKDOWN_EXTENSIONS
        .iter()
        .any(|e| ext.eq_ignore_ascii_case(e))
        .then_some(stem)
}

/// Which folders are bundles and which take `index.md` as their section page.
pub fn bundle_dirs(md_files: &[PathBuf], root: &Path) -> Folders {
    let content = root.join(CONTENT_DIR);
    let files: Vec<(String, String)> = md_files
        .iter()
        .map(|p| {
            let stem = p
                .file_name()
                .and_then(|n| markdown_stem(&n.to_string_lossy()).map(str::to_string))
                .unwrap_or_default();
            let dir = p.parent().map(|d| rel(&content, d)).unwrap_or_default();
            (dir, stem)
        })
        .collect();
    let is_index = |stem: &str| stem == "index" || stem.starts_with("index.");
    let has =
        |dir: &str, pred: &dyn Fn(&str) -> bool| files.iter().any(|(d, s)| d == dir && pred(s));
    let mut dirs: Vec<&str> = files
        .iter()
        .filter(|(_, s)| is_index(s))
        .map(|(d, _)| d.as_str())
        .collect();
    dirs.sort();
    dirs.dedup();
    let mut folders = Folders::default();
    for dir in dirs {
        let inside = |d: &str| dir.is_empty() || d == dir || d.starts_with(&format!("{dir}/"));
        let others = files
            .iter()
            .any(|(d, s)| inside(d) && !(d == dir && is_index(s)));
        let section_file = has(dir, &|s| s == "_index" || s.starts_with("_index."));
        if !section_file && (others || dir.is_empty()) {
            folders.index_sections.push(dir.to_string());
        } else if !dir.is_empty() {
            folders.bundles.push(dir.to_string());
        }
    }
    folders
}

/// List Markdown files and assets; report unreadable entries, loops and escaping links.
pub fn walk(root: &Path, content: &Path) -> (Vec<PathBuf>, Vec<Asset>, Vec<Diagnostic>) {
    let mut md = Vec::new();
    let mut assets = Vec::new();
    let mut diags = Vec::new();
    let canonical_root = content
        .canonicalize()
        .unwrap_or_else(|_| content.to_path_buf());
    let mut walker = walkdir::WalkDir::new(content)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_junk(&e.file_name().to_string_lossy()));
    while let Some(entry) = walker.next() {
        let entry = match entry {
            Ok(e) => e,
            // Errors skip the junk filter: Emacs's lock file `.#x.md` is a
            // dangling link, and not worth a warning.
            Err(e)
                if e.path()
                    .and_then(Path::file_name)
                    .is_some_and(|n| is_junk(&n.to_string_lossy())) =>
            {
                continue
            }
            Err(e) => {
                diags.push(walk_error(root, &e));
                continue;
            }
        };
        let path = entry.path().to_path_buf();
        let file = rel(root, &path);
        if entry.path_is_symlink() {
            if let Some(d) = symlink_refused(&path, &file, &canonical_root) {
                diags.push(d);
                // A linked folder: nothing under it may be read either.
                if entry.file_type().is_dir() {
                    walker.skip_current_dir();
                }
                continue;
            }
        }
        if entry.file_type().is_dir() {
            continue;
        }
        let name = entry.file_name().to_string_lossy();
        if markdown_stem(&name).is_some() {
            md.push(path);
        } else {
            assets.push(Asset {
                content_path: rel(content, &path),
                file,
                source: path,
                image: None,
            });
        }
    }
    (md, assets, diags)
}

/// Why a symlink in content/ is not followed: it leads outside, or nowhere.
fn symlink_refused(path: &Path, file: &str, canonical_root: &Path) -> Option<Diagnostic> {
    match path.canonicalize() {
        Ok(target) if !target.starts_with(canonical_root) => Some(
            Diagnostic::warning(
                file,
                format!(
                    "this symlink leads outside content/ (to {}); it was skipped",
                    target.display()
                ),
            )
            .code(Code::Symlink)
            .hint("copy the file into content/ instead of linking to it"),
        ),
        Err(e) => Some(
            Diagnostic::warning(
                file,
                format!("this symlink cannot be followed: {e}; it was skipped"),
            )
            .code(Code::Symlink)
            .hint("fix or remove the link"),
        ),
        Ok(_) => None,
    }
}

fn walk_error(root: &Path, e: &walkdir::Error) -> Diagnostic {
    let file = e
        .path()
        .map(|p| rel(root, p))
        .unwrap_or_else(|| CONTENT_DIR.to_string());
    if let Some(ancestor) = e.loop_ancestor() {
        return Diagnostic::warning(
            file,
            format!(
                "this symlink makes a loop back to {}; it was skipped",
                rel(root, ancestor)
            ),
        )
        .code(Code::Symlink)
        .hint("remove the link or point it somewhere else");
    }
    if let Some(io) = e.io_error() {
        if io.kind() == std::io::ErrorKind::NotFound {
            return Diagnostic::warning(
                file,
                "this symlink points to nothing (dangling); it was skipped",
            )
            .code(Code::Symlink)
            .hint("fix or remove the link");
        }
        return Diagnostic::error(file, format!("cannot read: {io}"))
            .code(Code::Unreadable)
            .hint("check the file's permissions");
    }
    Diagnostic::error(file, e.to_string()).code(Code::Unreadable)
}

/// Decode a file's bytes: UTF-8 only, BOM stripped, CRLF made LF.
pub fn decode(bytes: Vec<u8>, file: &str) -> Result<String, Diagnostic> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(Diagnostic::error(file, "the file is saved as UTF-16")
            .code(Code::Encoding)
            .at(1, 1)
            .hint("save the file as UTF-8 (in most editors: Save As → Encoding → UTF-8)"));
    }
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let good = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let prefix = String::from_utf8_lossy(&bytes[..good]);
            let (line, col) = line_col(&prefix, prefix.len());
            return Err(Diagnostic::error(file, "the file is not valid UTF-8 text")
                .code(Code::Encoding)
                .at(line, col)
                .hint("save the file as UTF-8 (in most editors: Save As → Encoding → UTF-8)"));
        }
    };
    // UTF-16 without a byte-order mark is valid UTF-8 with a NUL in every other
    // byte; no text file holds NUL, so refuse it rather than publish garbage.
    if let Some(at) = text.find('\0') {
        let (line, col) = line_col(&text, at);
        return Err(Diagnostic::error(
            file,
            "the file contains NUL bytes: it is not UTF-8 text (perhaps UTF-16 without a byte-order mark)",
        ).code(Code::Encoding)
        .at(line, col)
        .hint("save the file as UTF-8 (in most editors: Save As → Encoding → UTF-8)"));
    }
    let text = text
        .strip_prefix('\u{feff}')
        .map(str::to_string)
        .unwrap_or(text);
    // A byte-order mark belongs only at the start; inside, it is an invisible
    // character (two files pasted together) that breaks the front matter.
    if let Some(at) = text.find('\u{feff}') {
        let (line, col) = line_col(&text, at);
        return Err(Diagnostic::error(
            file,
            "the file has an invisible byte-order mark (U+FEFF) in the middle, often left by pasting two files together",
        ).code(Code::Encoding)
        .at(line, col)
        .hint(format!("delete the invisible character at line {line}, column {col} (in most editors: put the cursor after it and press Backspace)")));
    }
    Ok(if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text
    })
}

pub fn read_document(
    root: &Path,
    path: &Path,
    config: &Config,
    bundles: &Folders,
) -> Result<Document, Vec<Diagnostic>> {
    let file = rel(root, path);
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    if size > MAX_FILE_BYTES {
        return Err(vec![Diagnostic::error(
            &file,
            // Both in MiB, one decimal, so a file just over never reads "16 MB; the limit is 16 MB".
            format!(
                "the file is {:.1} MB; the limit for one page is {} MB",
                size as f64 / MIB,
                MAX_FILE_BYTES / (1 << 20)
            ),
        )
        .code(Code::TooLarge)
        .hint("split it into several pages")]);
    }
    crate::memory::saw_page(&file, size);
    let bytes = std::fs::read(path).map_err(|e| {
        vec![Diagnostic::error(&file, format!("cannot read: {e}")).code(Code::Unreadable)]
    })?;
    let text = decode(bytes, &file).map_err(|d| vec![d])?;
    let content_path = rel(&root.join(CONTENT_DIR), path);
    parse_owned(&file, &content_path, text, config, bundles)
}

/// Build a [`Document`] from a file's text. Pure.
pub fn parse_document(
    file: &str,
    content_path: &str,
    text: &str,
    config: &Config,
    bundles: &Folders,
) -> Result<Document, Vec<Diagnostic>> {
    parse_owned(file, content_path, text.to_string(), config, bundles)
}

/// [`parse_document`] on text it owns: the body keeps the file's buffer (the
/// front matter is cut off the front in place), so a site's text is held once.
fn parse_owned(
    file: &str,
    content_path: &str,
    text: String,
    config: &Config,
    bundles: &Folders,
) -> Result<Document, Vec<Diagnostic>> {
    let names = Names::of(content_path, file, config, bundles).map_err(|d| vec![d])?;
    let split = frontmatter::split(&text, file).map_err(|d| vec![d])?;
    let frontmatter::Parsed {
        mut raw,
        keys,
        own_keys,
    } = frontmatter::parse(&split, file)?;
    taxonomies_at_top(&mut raw, &own_keys, config.taxonomies_for(&names.lang));
    let kind = if names.is_section {
        DocKind::Section
    } else {
        DocKind::Page
    };
    let meta = validate(raw, &split, &keys, file, kind, config, &names)?;
    let (front, front_line, body_line) =
        (split.front.to_string(), split.front_line, split.body_line);
    // `body` is a suffix of `text`: where it starts is how much to cut.
    let body_start = text.len() - split.body.len();
    let mut body = text;
    body.drain(..body_start);
    Ok(Document {
        kind,
        file: file.to_string(),
        content_path: content_path.to_string(),
        translation_key: names.translation_key,
        lang: names.lang,
        section_dir: names.section_dir,
        link_dir: names.link_dir,
        default_slug: names.default_slug,
        bundle_dir: names.bundle_dir,
        fallback_from: None,
        meta,
        front,
        front_line,
        keys,
        body,
        body_line,
    })
}

/// What a document's path says about it.
struct Names {
    is_section: bool,
    lang: String,
    translation_key: String,
    section_dir: String,
    link_dir: String,
    default_slug: String,
    bundle_dir: Option<String>,
    stem: String,
    /// `2013-05-06-title.md` (Jekyll posts, Zola): the date its name gives.
    date: Option<FmDate>,
    /// Inside a Jekyll `_drafts` folder.
    in_drafts: bool,
}

/// `2013-05-06-title` or `2013-05-06_title` → (2013-05-06, `title`), as Jekyll
/// and Zola read a post's file name.
fn dated_name(stem: &str) -> Option<(FmDate, &str)> {
    let (day, rest) = (stem.get(..10)?, stem.get(10..)?);
    let rest = rest.strip_prefix(['-', '_'])?;
    if rest.is_empty() || !day.bytes().all(|b| b.is_ascii_digit() || b == b'-') {
        return None;
    }
    Some((FmDate::parse(day).ok()?, rest))
}

impl Names {
    fn of(
        content_path: &str,
        file: &str,
        config: &Config,
        bundles: &Folders,
    ) -> Result<Names, Diagnostic> {
        let (dir, name) = match content_path.rsplit_once('/') {
            Some((d, n)) => (d.to_string(), n.to_string()),
            None => (String::new(), content_path.to_string()),
        };
        let base = markdown_stem(&name).unwrap_or(&name);
        let (stem, lang) = match base.rsplit_once('.') {
            Some((stem, code)) if config.language_named(code).is_some() => {
                let lang = config.language_named(code).unwrap_or(code);
                (stem.to_string(), lang.to_string())
            }
            Some((_, code)) if looks_like_language(code) => {
                return Err(Diagnostic::error(
                    file,
                    format!(
                        "the file name says language `{code}`, which site.toml does not declare"
                    ),
                )
                .code(Code::Language)
                .hint(format!(
                    "add [languages.{code}] to site.toml, or rename the file without `.{code}`"
                )));
            }
            _ => (base.to_string(), config.default_language.clone()),
        };
        let translation_key = if dir.is_empty() {
            format!("{stem}.md")
        } else {
            format!("{dir}/{stem}.md")
        };
        let is_section =
            stem == "_index" || (stem == "index" && bundles.index_sections.contains(&dir));
        let in_bundle = bundles
            .bundles
            .iter()
            .any(|b| dir == *b || dir.starts_with(&format!("{b}/")));
        if in_bundle && stem != "index" && !is_section {
            return Err(Diagnostic::error(file, "this Markdown file is inside a page bundle (a folder with index.md)").code(Code::PageBundle)
                .hint("move it out of the folder, or rename index.md to _index.md to make the folder a section"));
        }
        let is_bundle = stem == "index" && !dir.is_empty() && !is_section;
        let (section_dir, named, bundle_dir) = if is_bundle {
            let (parent, folder) = match dir.rsplit_once('/') {
                Some((p, f)) => (p.to_string(), f.to_string()),
                None => (String::new(), dir.clone()),
            };
            (parent, folder, Some(dir.clone()))
        } else {
            (dir.clone(), stem.clone(), None)
        };
        let dated = dated_name(&named);
        let in_drafts = dir.split('/').any(|seg| seg == "_drafts");
        let default_slug = slug::slugify(dated.map_or(named.as_str(), |(_, rest)| rest));
        if !is_section && default_slug.is_empty() {
            return Err(Diagnostic::error(file, "the file name gives an empty URL").code(Code::FileName)
                .hint("give the file a name with letters or digits, or set `slug` in the front matter"));
        }
        Ok(Names {
            is_section,
            lang,
            translation_key,
            link_dir: dir,
            section_dir,
            default_slug,
            bundle_dir,
            stem,
            date: dated.map(|(d, _)| d),
            in_drafts,
        })
    }
}

/// An undeclared suffix read as a language (an error, so `page.de.md` is
/// never published as a default-language page at `/page-de/`): a language tag
/// by [`crate::config::is_language_code`] whose language is two letters, the
/// common ISO 639-1 codes (three-letter words such as `pdf` stay part of the
/// name). Declared languages (`fil`) are recognised whatever their length.
fn looks_like_language(code: &str) -> bool {
    crate::config::is_language_code(code) && code.split('-').next().is_some_and(|l| l.len() == 2)
}

/// Every taxonomy a page names is declared for its language, holds at most
/// [`MAX_TERMS_PER_PAGE`] terms, and each term makes a usable URL.
fn check_terms(
    taxonomies: &BTreeMap<String, Vec<String>>,
    config: &Config,
    lang: &str,
    file: &str,
    at: &dyn Fn(&str) -> (usize, usize),
    diags: &mut Vec<Diagnostic>,
) {
    for (name, terms) in taxonomies {
        if !config.taxonomies_for(lang).contains(name) {
            let (l, c) = at(name);
            diags.push(
                Diagnostic::error(
                    file,
                    format!("the taxonomy `{name}` is not declared in site.toml"),
                )
                .code(Code::Taxonomy)
                .at(l, c)
                .hint(format!(
                    "add \"{name}\" to `taxonomies` in site.toml, or use one of: {}",
                    config.taxonomies_for(lang).join(", ")
                )),
            );
            continue;
        }
        if terms.len() > MAX_TERMS_PER_PAGE {
            let (l, c) = at(name);
            diags.push(
                Diagnostic::error(
                    file,
                    format!(
                        "this page has {} `{name}` terms; the limit is {MAX_TERMS_PER_PAGE}",
                        terms.len()
                    ),
                ).code(Code::Taxonomy)
                .at(l, c)
                .hint("keep a few terms that readers browse by; every term page lists the page with all its terms"),
            );
            continue;
        }
        for term in terms {
            let slug = slug::slugify(term);
            if slug.is_empty() {
                let (l, c) = at(name);
                diags.push(
                    Diagnostic::error(
                        file,
                        format!("the {name} term `{term}` has no letters or digits"),
                    )
                    .code(Code::Taxonomy)
                    .at(l, c)
                    .hint("use words, e.g. \"aftercare\""),
                );
            } else if slug.len() > MAX_URL_SEGMENT {
                let (l, c) = at(name);
                diags.push(
                    Diagnostic::error(
                        file,
                        format!(
                            "a {name} term is {} bytes long as a URL; the limit is {MAX_URL_SEGMENT}",
                            slug.len()
                        ),
                    ).code(Code::Taxonomy)
                    .at(l, c)
                    .hint("use a term of a few words"),
                );
            }
        }
    }
}

/// Hugo writes any declared taxonomy at the top level (`podcast_authors: [Ann]`):
/// such a key leaves `extra` for `taxonomies`.
fn taxonomies_at_top(raw: &mut RawFrontMatter, own_keys: &[String], declared: &[String]) {
    for key in own_keys.iter().filter(|k| declared.contains(k)) {
        let terms = match raw.extra.get(key) {
            Some(serde_json::Value::String(s)) => vec![s.clone()],
            Some(serde_json::Value::Array(items)) if items.iter().all(|i| i.is_string()) => items
                .iter()
                .filter_map(|i| i.as_str().map(str::to_string))
                .collect(),
            _ => continue,
        };
        raw.extra.remove(key);
        raw.taxonomies
            .entry(key.clone())
            .or_default()
            .0
            .extend(terms);
    }
}

/// Turn raw front matter into [`Meta`], reporting every problem in the file.
fn validate(
    mut raw: RawFrontMatter,
    split: &frontmatter::Split<'_>,
    keys: &frontmatter::KeyMap,
    file: &str,
    kind: DocKind,
    config: &Config,
    names: &Names,
) -> Result<Meta, Vec<Diagnostic>> {
    let mut diags = Vec::new();
    // A taxonomy is written `tags = […]` at the top or inside `[taxonomies]`.
    let at = |key: &str| {
        keys.get(key)
            .or_else(|| keys.get(&format!("taxonomies.{key}")))
            .unwrap_or((split.front_line, 1))
    };
    if kind == DocKind::Page {
        check_section_only(&raw, &at, file, &mut diags);
    }
    let mut taxonomies = gather_taxonomies(&mut raw);
    check_terms(&taxonomies, config, &names.lang, file, &at, &mut diags);
    for terms in taxonomies.values_mut() {
        let mut seen = std::collections::HashSet::new();
        terms.retain(|t| seen.insert(slug::slugify(t)));
    }
    check_review_keys(&raw, config, &at, file, &mut diags);
    check_url_segments(&raw, names, file, &mut diags);
    if let Some(t) = &raw.template {
        check_template_name(t, "template", &at, file, &mut diags);
    }
    if let Some(t) = &raw.page_template {
        check_template_name(t, "page_template", &at, file, &mut diags);
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    Ok(into_meta(raw, split.body, kind, names, taxonomies))
}

/// Keys a page may not have (`sort_by`, `paginate_by`, …).
fn check_section_only(
    raw: &RawFrontMatter,
    at: &dyn Fn(&str) -> (usize, usize),
    file: &str,
    diags: &mut Vec<Diagnostic>,
) {
    for key in raw.section_only_keys() {
        let (l, c) = at(key);
        diags.push(
            Diagnostic::error(file, format!("`{key}` only applies to sections"))
                .code(Code::InvalidValue)
                .at(l, c)
                .hint("move it to the section's _index.md, or remove it"),
        );
    }
}

/// `[taxonomies]`, `tags` and `categories`, as one map (taken out of `raw`).
fn gather_taxonomies(raw: &mut RawFrontMatter) -> BTreeMap<String, Vec<String>> {
    let mut taxonomies: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (name, terms) in std::mem::take(&mut raw.taxonomies) {
        taxonomies.entry(name).or_default().extend(terms.0);
    }
    if let Some(t) = raw.tags.take() {
        taxonomies.entry("tags".into()).or_default().extend(t.0);
    }
    if let Some(c) = raw.categories.take() {
        taxonomies
            .entry("categories".into())
            .or_default()
            .extend(c.0);
    }
    taxonomies
}

/// `reviewed_by` names a person of site.toml; `next_review` follows `reviewed_on`.
fn check_review_keys(
    raw: &RawFrontMatter,
    config: &Config,
    at: &dyn Fn(&str) -> (usize, usize),
    file: &str,
    diags: &mut Vec<Diagnostic>,
) {
    if let Some(key) = &raw.reviewed_by {
        if !config.people.contains_key(key) {
            let (l, c) = at("reviewed_by");
            diags.push(
                Diagnostic::error(
                    file,
                    format!("`reviewed_by` names `{key}`, who is not in site.toml's [people]"),
                )
                .code(Code::UnknownPerson)
                .at(l, c)
                .hint(config.person_hint(key)),
            );
        }
    }
    if let (Some(on), Some(next)) = (raw.reviewed_on, raw.next_review) {
        if next <= on {
            let (l, c) = at("next_review");
            diags.push(
                Diagnostic::error(
                    file,
                    format!(
                        "`next_review` ({}) is not after `reviewed_on` ({})",
                        next.ymd(),
                        on.ymd()
                    ),
                )
                .code(Code::InvalidValue)
                .at(l, c)
                .hint(
                    "set next_review to a later date, usually one to three years after the review",
                ),
            );
        }
    }
}

/// A URL segment becomes a file or folder name in the output, where names over
/// 255 bytes fail; slugs of non-Latin names grow (中 → zhong).
fn check_url_segments(
    raw: &RawFrontMatter,
    names: &Names,
    file: &str,
    diags: &mut Vec<Diagnostic>,
) {
    if raw.slug.is_none() && raw.path.is_none() && names.default_slug.len() > MAX_URL_SEGMENT {
        diags.push(
            Diagnostic::error(
                file,
                format!(
                    "the file name gives a URL segment of {} bytes; the limit is {MAX_URL_SEGMENT}",
                    names.default_slug.len()
                ),
            )
            .code(Code::FileName)
            .hint("set a shorter `slug` in the front matter, or shorten the file name"),
        );
    }
    if raw.path.is_none() {
        if let Some(long) = names
            .section_dir
            .split('/')
            .find(|seg| slug::slugify(seg).len() > MAX_URL_SEGMENT)
        {
            diags.push(
                Diagnostic::error(
                    file,
                    format!(
                        "the folder `{long}` gives a URL segment of over {MAX_URL_SEGMENT} bytes"
                    ),
                )
                .code(Code::FileName)
                .hint("shorten the folder name, or set `path` in the front matter"),
            );
        }
    }
}

/// The validated front matter: defaults filled in, synonyms merged.
fn into_meta(
    raw: RawFrontMatter,
    body: &str,
    kind: DocKind,
    names: &Names,
    taxonomies: BTreeMap<String, Vec<String>>,
) -> Meta {
    let title = raw
        .title
        .unwrap_or_else(|| fallback_title(body, &names.stem, &names.section_dir, kind));
    // Hugo's `expiryDate`: once it has passed, the page is withdrawn like a draft.
    let expired = raw
        .expiry_date
        .is_some_and(|d| d.timestamp <= jiff::Timestamp::now());
    let draft = raw.draft || raw.published == Some(false) || expired || names.in_drafts;
    let anchor_links = raw
        .insert_anchor_links
        .map(|a| a != frontmatter::AnchorLinks::None);
    let mut authors = raw.authors.0;
    if let Some(a) = raw.author {
        authors.push(a);
    }
    Meta {
        title,
        description: raw.description.unwrap_or_default(),
        summary: raw.summary,
        date: raw.date.or(raw.publish_date).or(names.date),
        updated: raw.updated,
        draft,
        slug: raw.slug.map(|s| s.0),
        path: raw.path.map(|p| p.0),
        aliases: raw.aliases.0.into_iter().map(|a| a.0).collect(),
        weight: raw.weight,
        template: raw.template,
        taxonomies,
        authors,
        keywords: raw.keywords.0,
        extra: raw.extra,
        anchor_links,
        in_search_index: raw.in_search_index,
        sort_by: raw.sort_by,
        paginate_by: raw.paginate_by.filter(|n| *n > 0),
        paginate_reversed: raw.paginate_reversed,
        page_template: raw.page_template,
        redirect_to: raw.redirect_to.map(|u| u.0),
        render: raw.render.unwrap_or(true),
        transparent: raw.transparent.unwrap_or(false),
        reviewed_by: raw.reviewed_by,
        reviewed_on: raw.reviewed_on,
        next_review: raw.next_review,
        sources: raw.sources,
        faq: raw.faq,
        audience: raw.audience,
    }
}

fn check_template_name(
    name: &str,
    key: &str,
    at: &dyn Fn(&str) -> (usize, usize),
    file: &str,
    diags: &mut Vec<Diagnostic>,
) {
    if name.contains("..")
        || name.starts_with('/')
        || name.contains('\\')
        || !name.ends_with(".html")
    {
        let (l, c) = at(key);
        diags.push(
            Diagnostic::error(file, format!("`{key} = \"{name}\"` is not a template name"))
                .code(Code::TemplateMissing)
                .at(l, c)
                .hint("name a file in the theme's templates/ folder, such as \"article.html\""),
        );
    }
}

/// A page without a title takes its first `# heading`, else its file name.
fn fallback_title(body: &str, stem: &str, section_dir: &str, kind: DocKind) -> String {
    for line in body.lines() {
        if let Some(h) = line.strip_prefix("# ") {
            return h.trim().to_string();
        }
    }
    let word = match kind {
        DocKind::Section => section_dir.rsplit('/').next().unwrap_or(""),
        DocKind::Page => stem,
    };
    title_case(word)
}

/// `aftercare-day-by-day` → `Aftercare day by day`.
pub fn title_case(word: &str) -> String {
    let spaced = word.replace(['-', '_'], " ");
    let mut chars = spaced.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> Document {
        let config = Config::parse("title = \"T\"\nbase_url = \"https://a.example/\"\n").unwrap();
        parse_document("content/a.md", "a.md", text, &config, &Folders::default()).unwrap()
    }

    #[test]
    fn faq_keys_are_found_in_toml_and_yaml() {
        let toml = "+++\ntitle = \"A\"\n[[faq]]\nquestion = \"Q1\"\nanswer = \"A1\"\n[[faq]]\nquestion = \"Q2\"\nanswer = \"A2\"\n+++\n";
        assert_eq!(doc(toml).faq_lines(), [(4, 5), (7, 8)]);
        let yaml = "---\ntitle: A\nfaq:\n  - question: Q1\n    answer: A1\n---\n";
        assert_eq!(doc(yaml).faq_lines(), [(4, 5)]);
    }
}
