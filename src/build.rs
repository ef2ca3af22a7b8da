//! The pipeline in one place: `site.toml` → content → tree → Markdown → render →
//! output. [`load`] stops before rendering (for `serve` and `check`); [`build`] runs
//! it all and swaps the result in.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use rayon::prelude::*;

use crate::config::Config;
use crate::content::tree::{self, Site, TreeOptions};
use crate::content::{self, Document};
use crate::diagnostic::{self, Code, Diagnostic, Failure};
use crate::markdown::{self, LinkResolver, RenderOptions, Rendered};
use crate::output;
use crate::render::{self, Renderer, Sink};
use crate::theme::{self, Theme};
use crate::timing::Timing;

/// What `follicle build` was asked to do.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Overrides `output_dir` from site.toml.
    pub output: Option<PathBuf>,
    /// Overrides `base_url` from site.toml.
    pub base_url: Option<String>,
    pub drafts: bool,
    /// Warnings fail the build (before anything is written).
    pub strict: bool,
    /// The day photo consents are compared with (`None`: today).
    pub today: Option<jiff::civil::Date>,
}

/// A site read, placed and rendered to HTML fragments, ready for templates.
pub struct LoadedSite {
    pub config: Config,
    pub site: Site,
    pub theme: Arc<Theme>,
    /// The theme's strings per language, with fallbacks filled in.
    pub strings: render::Strings,
    /// Warnings found while loading (errors make [`load`] fail).
    pub warnings: Vec<Diagnostic>,
}

/// What a successful build made.
#[derive(Debug)]
pub struct BuildReport {
    pub pages: usize,
    pub sections: usize,
    pub files: usize,
    pub seconds: f64,
    pub output: PathBuf,
    pub warnings: Vec<Diagnostic>,
}

/// How one run drives the shared stages: `build`, `check` and `serve` differ
/// only in this value, never in which stage functions they call.
pub struct Mode<'c> {
    /// Markdown kept between rebuilds (`serve`, `watch`): entries whose document
    /// and link targets are unchanged are reused, and the cache is refilled.
    pub cache: Option<&'c mut MarkdownCache>,
    /// What happens to each Markdown text once its HTML exists.
    pub bodies: Bodies,
    /// Return the site with the errors it was loaded past instead of failing
    /// (`check` reports them with everything else). A theme that does not load
    /// still fails: nothing could be rendered.
    pub keep_going: bool,
    /// Warn of photo consents that expire within this many days (`check`).
    pub consent_warning_days: i64,
    /// The day consents are compared with (`None`: today); set from
    /// [`BuildOptions::today`] by the loader.
    pub today: Option<jiff::civil::Date>,
}

impl Mode<'static> {
    /// `follicle build`: stop on errors, release bodies early (peak memory).
    pub fn build() -> Self {
        Mode {
            cache: None,
            bodies: Bodies::Release,
            keep_going: false,
            consent_warning_days: 0,
            today: None,
        }
    }

    /// `follicle check`: keep going, keep bodies (reading level reads them).
    pub fn check() -> Self {
        Mode {
            cache: None,
            bodies: Bodies::Keep,
            keep_going: true,
            consent_warning_days: 60,
            today: None,
        }
    }
}

impl<'c> Mode<'c> {
    /// The same mode, comparing photo consents with `today` (`None`: today).
    pub fn on(self, today: Option<jiff::civil::Date>) -> Self {
        Mode { today, ..self }
    }

    /// `serve` and `watch`: stop on errors, reuse and refill `cache`.
    pub fn serve(cache: &'c mut MarkdownCache) -> Self {
        Mode {
            cache: Some(cache),
            bodies: Bodies::Keep,
            keep_going: false,
            consent_warning_days: 0,
            today: None,
        }
    }
}

/// What happens to Markdown bodies once rendered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bodies {
    /// Kept (`check` reads them again for reading level and source lines; the
    /// incremental session compares them with the next version).
    Keep,
    /// Released as soon as each body's HTML exists, so the whole site's text
    /// and HTML are never held at once (peak memory). Later stages must not
    /// read `Document::body`.
    Release,
}

/// Read `site.toml`, applying command-line overrides.
pub fn load_config(opts: &BuildOptions) -> Result<Config, Failure> {
    let mut config = Config::load(&opts.root).map_err(Failure::usage)?;
    if let Some(url) = &opts.base_url {
        config.base_url = crate::config::normalise_base_url(url).map_err(|m| {
            Failure::usage(
                Diagnostic::error("--base-url", m)
                    .code(Code::CommandLine)
                    .hint("pass a full address such as https://clinic.example/"),
            )
        })?;
    }
    Ok(config)
}

/// Everything up to rendering templates, as `build` runs it.
pub fn load(opts: &BuildOptions, config: Config) -> Result<LoadedSite, Failure> {
    load_with(opts, config, Mode::build()).map(|(site, _)| site)
}

/// Everything up to rendering templates, in `mode`. Gives the site and, with
/// `keep_going`, the errors it was loaded past (else errors fail the run).
pub fn load_with(
    opts: &BuildOptions,
    config: Config,
    mode: Mode<'_>,
) -> Result<(LoadedSite, Vec<Diagnostic>), Failure> {
    load_timed(opts, config, mode, &mut Timing::new())
}

fn load_timed(
    opts: &BuildOptions,
    config: Config,
    mut mode: Mode<'_>,
    timing: &mut Timing,
) -> Result<(LoadedSite, Vec<Diagnostic>), Failure> {
    mode.today = mode.today.or(opts.today);
    let theme = theme::load(&opts.root, &config.theme).map(Arc::new);
    timing.lap("theme");
    let loaded = content::load(&opts.root, &config);
    timing.lap("read");
    assemble(config, theme, loaded, opts.drafts, mode, timing)
}

/// [`assemble`] as `build` runs it, on documents parsed elsewhere (the
/// fuzzers feed it pages made in memory, with no folder to read).
pub fn assemble_loaded(
    config: Config,
    theme: Arc<Theme>,
    loaded: content::Loaded,
) -> Result<LoadedSite, Failure> {
    let mode = Mode::build();
    assemble(config, Ok(theme), loaded, false, mode, &mut Timing::new()).map(|(site, _)| site)
}

/// Tree, Markdown, anchor and template checks over loaded documents: the stages
/// after reading, shared by every command.
pub(crate) fn assemble(
    config: Config,
    theme: Result<Arc<Theme>, Vec<Diagnostic>>,
    mut loaded: content::Loaded,
    drafts: bool,
    mode: Mode<'_>,
    timing: &mut Timing,
) -> Result<(LoadedSite, Vec<Diagnostic>), Failure> {
    let mut diags = std::mem::take(&mut loaded.diagnostics);
    let (mut site, tree_diags) = tree::build(loaded, &config, TreeOptions { drafts });
    diags.extend(tree_diags);
    timing.lap("tree");
    let mut sc = Shortcoding::new(&config, theme.as_deref().ok(), mode.today);
    sc.consent_warning_days = mode.consent_warning_days;
    render_markdown(&mut site, &config, &sc, mode.cache, mode.bodies, &mut diags);
    drop(sc);
    timing.lap("markdown");
    diags.extend(check_anchors(&site, &config));
    diags.extend(check_nav(&site, &config));
    timing.lap("anchors");
    let theme = match theme {
        Ok(t) => {
            diags.extend(t.warnings.iter().cloned());
            diags.extend(check_templates(&site, &t));
            diags.extend(check_extra_keys(&site, &t));
            let generated = render::generated_files(&config, &t);
            diags.extend(tree::check_generated(&site, &config, &generated));
            t
        }
        Err(mut d) => {
            d.extend(diags);
            diagnostic::sort(&mut d);
            return Err(Failure::Content(d));
        }
    };
    diagnostic::sort(&mut diags);
    // A stand-in for a missing translation renders its page's Markdown again:
    // the same finding at the same place is one finding.
    diags.dedup();
    let (errors, warnings): (Vec<_>, Vec<_>) = diags.into_iter().partition(Diagnostic::is_error);
    if !errors.is_empty() && !mode.keep_going {
        let mut all = errors;
        all.extend(warnings);
        diagnostic::sort(&mut all);
        return Err(Failure::Content(all));
    }
    let loaded = LoadedSite {
        strings: render::strings(&config, &theme),
        config,
        site,
        theme,
        warnings,
    };
    Ok((loaded, errors))
}

fn options_for(config: &Config, doc: &Document) -> RenderOptions {
    RenderOptions {
        smart_punctuation: config.markdown.smart_punctuation,
        anchor_links: doc
            .meta
            .anchor_links
            .unwrap_or(config.markdown.anchor_links),
        external_links_new_tab: config.markdown.external_links_new_tab,
        raw_html: config.markdown.raw_html,
        highlight: config.markdown.highlight,
    }
}

/// What Markdown links resolve against: the site's documents and images, the
/// page's own address (relative image paths), and the base path of a sub-path
/// `base_url`.
struct SiteLinks<'a> {
    site: &'a Site,
    config: &'a Config,
    prefix: &'a str,
    /// The folder of the page's address, `care/kit/` (its bundle's files
    /// are there).
    page_dir: String,
    /// The Markdown file's folder inside `content/`.
    link_dir: &'a str,
}

impl<'a> SiteLinks<'a> {
    fn new(site: &'a Site, config: &'a Config, doc: &'a Document) -> Self {
        let url = site.resolve(&doc.content_path).unwrap_or_default();
        let url = url.trim_start_matches('/');
        let page_dir = url
            .rfind('/')
            .map_or(String::new(), |i| url[..=i].to_string());
        SiteLinks {
            site,
            config,
            prefix: config.path_prefix(),
            page_dir,
            link_dir: &doc.link_dir,
        }
    }

    /// The output paths an image `dest` may name, most likely first.
    fn image_outputs(&self, dest: &str) -> Vec<String> {
        let dest = dest.trim().split(['#', '?']).next().unwrap_or("");
        let Ok(dest) = percent_encoding::percent_decode_str(dest).decode_utf8() else {
            return Vec::new();
        };
        if dest.is_empty() || dest.contains(':') || dest.starts_with("//") {
            return Vec::new();
        }
        let by_content = |p: &str| {
            self.site
                .resolve(p)
                .map(|u| u.trim_start_matches('/').to_string())
        };
        if let Some(p) = dest.strip_prefix("@/") {
            return by_content(p).into_iter().collect();
        }
        if let Some(p) = dest.strip_prefix('/') {
            return vec![markdown::join_relative("", p)];
        }
        let mut v = vec![markdown::join_relative(&self.page_dir, &dest)];
        v.extend(by_content(&markdown::join_relative(self.link_dir, &dest)));
        v
    }
}

impl LinkResolver for SiteLinks<'_> {
    fn resolve(&self, content_path: &str) -> Option<String> {
        self.site.resolve(content_path)
    }

    fn is_broken(&self, content_path: &str) -> bool {
        self.site.is_broken(content_path)
    }

    fn path_prefix(&self) -> &str {
        self.prefix
    }

    fn image(&self, dest: &str) -> Option<markdown::picture::Shown> {
        use markdown::picture::Shown;
        let entry = self
            .image_outputs(dest)
            .into_iter()
            .find_map(|o| self.site.images.get(&o))?;
        Some(match &entry.info {
            Ok(info) if info.format.is_processed() => Shown::Picture(crate::images::plan(
                &entry.output,
                info,
                &self.config.images,
            )),
            Ok(info) => Shown::Plain {
                width: info.width,
                height: info.height,
            },
            Err(p) => Shown::Refused {
                file: entry.file.clone(),
                what: p.what.clone(),
            },
        })
    }
}

/// What shortcodes read, the same for every page of a run: the theme's
/// templates, and per language the site's settings and the theme's strings.
pub(crate) struct Shortcoding<'a> {
    theme: Option<&'a Theme>,
    config: HashMap<String, tera::Value>,
    i18n: HashMap<String, tera::Value>,
    today: jiff::civil::Date,
    consent_warning_days: i64,
}

/// `config` in a shortcode template.
#[derive(serde::Serialize)]
struct ShortcodeConfig<'a> {
    title: &'a str,
    description: &'a str,
    base_url: &'a str,
    /// The path of a sub-path `base_url` (`/my-clinic`), else `""`: put it
    /// before site-absolute paths a template writes.
    base_path: &'a str,
    default_language: &'a str,
    clinic: ClinicValue<'a>,
    extra: &'a toml::Table,
}

/// The clinic's details, with the forms links need.
#[derive(serde::Serialize)]
struct ClinicValue<'a> {
    #[serde(flatten)]
    clinic: &'a crate::config::Clinic,
    /// `tel:` form of the phone number, `+15550100`.
    tel: String,
    /// The postal address on one line.
    address: String,
}

/// A clinic as shortcodes show it, with its `tel:` number and one-line address.
fn clinic_value_parts(c: &crate::config::Clinic) -> (&crate::config::Clinic, String, String) {
    let tel: String = c
        .phone
        .chars()
        .filter(|ch| ch.is_ascii_digit() || *ch == '+')
        .collect();
    let address = [
        c.street_address.clone(),
        c.locality.clone(),
        [c.region.as_str(), c.postal_code.as_str()]
            .join(" ")
            .trim()
            .to_string(),
    ]
    .into_iter()
    .filter(|s| !s.is_empty())
    .collect::<Vec<_>>()
    .join(", ");
    (c, tel, address)
}

/// `page` in a shortcode template.
#[derive(serde::Serialize)]
struct ShortcodePage<'a> {
    title: &'a str,
    description: &'a str,
    path: Option<String>,
    permalink: Option<String>,
    lang: &'a str,
    date: Option<String>,
    extra: &'a serde_json::Map<String, serde_json::Value>,
}

impl<'a> Shortcoding<'a> {
    pub(crate) fn new(
        config: &'a Config,
        theme: Option<&'a Theme>,
        today: Option<jiff::civil::Date>,
    ) -> Self {
        let strings = theme
            .map(|t| render::strings(config, t))
            .unwrap_or_default();
        let mut values = HashMap::new();
        let mut i18n = HashMap::new();
        for lang in config.all_languages() {
            // The clinic in this language: `[languages.<lang>.clinic]` over `[clinic]`.
            let (c, tel, address) = clinic_value_parts(config.clinic_for(&lang));
            let lang_cfg = config.languages.get(&lang);
            let pick = |own: Option<&'a str>, default: &'a str| {
                own.filter(|s| !s.is_empty()).unwrap_or(default)
            };
            let value = ShortcodeConfig {
                title: pick(lang_cfg.map(|l| l.title.as_str()), &config.title),
                description: pick(
                    lang_cfg.map(|l| l.description.as_str()),
                    &config.description,
                ),
                base_url: &config.base_url,
                base_path: config.path_prefix(),
                default_language: &config.default_language,
                clinic: ClinicValue {
                    clinic: c,
                    tel,
                    address,
                },
                extra: &config.extra,
            };
            values.insert(lang.clone(), tera::Value::from_serializable(&value));
            i18n.insert(
                lang.clone(),
                tera::Value::from_serializable(&strings.get(&lang)),
            );
        }
        let today = today.unwrap_or_else(|| {
            let tz = jiff::tz::TimeZone::try_system().unwrap_or(jiff::tz::TimeZone::UTC);
            tz.to_datetime(jiff::Timestamp::now()).date()
        });
        Shortcoding {
            theme,
            config: values,
            i18n,
            today,
            consent_warning_days: 0,
        }
    }
}

fn shortcode_page(doc: &Document, site: &Site, config: &Config) -> tera::Value {
    let path = site.resolve(&doc.content_path);
    tera::Value::from_serializable(&ShortcodePage {
        title: &doc.meta.title,
        description: &doc.meta.description,
        permalink: path.as_deref().map(|p| config.permalink(p)),
        path,
        lang: &doc.lang,
        date: doc.meta.date.map(|d| d.ymd()),
        extra: &doc.meta.extra,
    })
}

fn shortcode_env<'a>(
    doc: &'a Document,
    sc: &'a Shortcoding<'a>,
    page: &'a tera::Value,
) -> markdown::Env<'a> {
    static NONE: std::sync::OnceLock<tera::Value> = std::sync::OnceLock::new();
    let none = NONE.get_or_init(tera::Value::none);
    markdown::Env {
        templates: sc.theme.map(|t| t as &dyn markdown::shortcodes::Templates),
        page,
        config: sc.config.get(&doc.lang).unwrap_or(none),
        i18n: sc.i18n.get(&doc.lang).unwrap_or(none),
        lang: &doc.lang,
        today: sc.today,
        consent_warning_days: sc.consent_warning_days,
    }
}

/// Render a document's body (`body` is `doc.body`, or the text taken out of it).
fn render_doc(
    doc: &Document,
    body: &str,
    site: &Site,
    config: &Config,
    sc: &Shortcoding<'_>,
) -> Rendered {
    let page = shortcode_page(doc, site, config);
    let env = shortcode_env(doc, sc, &page);
    let mut r = markdown::render(
        markdown::Source {
            file: &doc.file,
            dir: &doc.link_dir,
            body,
            body_line: doc.body_line,
        },
        &SiteLinks::new(site, config, doc),
        options_for(config, doc),
        &env,
    );
    if let Some(s) = &doc.meta.summary {
        r.summary = Some(format!("<p>{}</p>\n", markdown::escape_attr(s)));
    }
    r
}

/// A document's identity across rebuilds: its source file and the language it
/// is shown in (a stand-in for a missing translation shares the file of its
/// original). Never an index or an address, which change when the site is
/// rebuilt.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DocKey {
    pub file: String,
    pub lang: String,
}

impl DocKey {
    pub fn of(doc: &Document) -> DocKey {
        DocKey {
            file: doc.file.clone(),
            lang: doc.lang.clone(),
        }
    }
}

/// The same source: the same value, or an equal one made again (stand-ins for
/// missing translations and implicit sections are made anew on every rebuild).
/// Everything a document's output depends on is compared; the texts last, as
/// they are the longest.
pub(crate) fn same_document(a: &Arc<Document>, b: &Arc<Document>) -> bool {
    Arc::ptr_eq(a, b)
        || (a.kind == b.kind
            && a.file == b.file
            && a.lang == b.lang
            && a.fallback_from == b.fallback_from
            && a.link_dir == b.link_dir
            && a.section_dir == b.section_dir
            && a.translation_key == b.translation_key
            && a.bundle_dir == b.bundle_dir
            && a.front_line == b.front_line
            && a.body_line == b.body_line
            && a.front == b.front
            && a.body == b.body)
}

/// Markdown rendered for one document, with what it was rendered against.
#[derive(Clone)]
struct CacheEntry {
    doc: Arc<Document>,
    /// Each looked-up content path and what it resolved to.
    links: Arc<[(String, Option<String>, bool)]>,
    rendered: Arc<Rendered>,
    faq: Arc<Vec<String>>,
}

/// Do the shortcode templates a body used (or looked for) still hash the same?
fn same_shortcodes(used: &[(String, Option<u64>)], theme: Option<&Theme>) -> bool {
    use markdown::shortcodes::Templates;
    let Some(theme) = theme else {
        return used.is_empty();
    };
    used.iter()
        .all(|(name, hash)| theme.lookup(name).map(|t| t.hash) == *hash)
}

/// Markdown results kept between rebuilds (`serve`, `watch`), by [`DocKey`].
#[derive(Default)]
pub struct MarkdownCache {
    entries: HashMap<DocKey, CacheEntry>,
    /// The Markdown options the entries were rendered with.
    options: String,
    /// Documents rendered afresh by the last run (file, language), for the
    /// rebuild report and the tests of what a rebuild did.
    pub rendered_last: Vec<DocKey>,
}

impl CacheEntry {
    /// Same document (the same value, or an equal one made again: stand-ins and
    /// implicit sections are) and every link still resolving as it did.
    fn still_valid(&self, doc: &Arc<Document>, site: &Site, theme: Option<&Theme>) -> bool {
        same_document(&self.doc, doc)
            && same_shortcodes(&self.rendered.shortcodes, theme)
            && self.links.iter().all(|(path, url, broken)| {
                site.resolve(path) == *url && site.is_broken(path) == *broken
            })
    }
}

/// Render one document's Markdown and store it in the cache; gives the body and
/// FAQ HTML. For the incremental fast path.
pub(crate) fn render_one(
    doc: &Arc<Document>,
    last: &LoadedSite,
    today: Option<jiff::civil::Date>,
    cache: &mut MarkdownCache,
) -> (Arc<Rendered>, Arc<Vec<String>>) {
    let (site, config) = (&last.site, &last.config);
    let sc = Shortcoding::new(config, Some(&last.theme), today);
    let entry = render_entry(doc, &doc.body, site, config, &sc);
    let out = (entry.rendered.clone(), entry.faq.clone());
    cache.rendered_last.push(DocKey::of(doc));
    cache.entries.insert(DocKey::of(doc), entry);
    out
}

fn render_entry(
    doc: &Arc<Document>,
    body: &str,
    site: &Site,
    config: &Config,
    sc: &Shortcoding<'_>,
) -> CacheEntry {
    let mut rendered = render_doc(doc, body, site, config, sc);
    let faq = render_faq(doc, site, config, sc, &mut rendered);
    let links: Vec<(String, Option<String>, bool)> = rendered
        .resolved
        .iter()
        .map(|path| (path.clone(), site.resolve(path), site.is_broken(path)))
        .collect();
    CacheEntry {
        doc: doc.clone(),
        links: links.into(),
        rendered: Arc::new(rendered),
        faq: Arc::new(faq),
    }
}

/// Markdown stage: every page and section body, and FAQ answers, in parallel.
/// With a cache, entries whose document and link targets are unchanged are
/// reused and the cache is refilled; with [`Bodies::Release`], each body is
/// taken out of its document and dropped once rendered.
fn render_markdown(
    site: &mut Site,
    config: &Config,
    sc: &Shortcoding<'_>,
    cache: Option<&mut MarkdownCache>,
    bodies: Bodies,
    diags: &mut Vec<Diagnostic>,
) {
    let options = format!("{:?}", config.markdown);
    let taken: Vec<Option<String>> = site
        .documents_mut()
        .map(|doc| match bodies {
            Bodies::Release => Arc::get_mut(doc).map(|d| std::mem::take(&mut d.body)),
            Bodies::Keep => None,
        })
        .collect();
    let shared: &Site = site;
    let docs: Vec<&Arc<Document>> = shared.documents().collect();
    let keep = cache.is_some();
    let reusable = cache.as_deref().filter(|c| c.options == options);
    let results: Vec<(CacheEntry, bool)> = taken
        .into_par_iter()
        .zip(docs.par_iter())
        .map(|(body, doc)| {
            let old = reusable.and_then(|c| c.entries.get(&DocKey::of(doc)));
            match old {
                Some(e) if e.still_valid(doc, shared, sc.theme) => (e.clone(), false),
                _ => {
                    let body = body.as_deref().unwrap_or(&doc.body);
                    let entry = render_entry(doc, body, shared, config, sc);
                    (entry, true)
                }
            }
        })
        .collect();
    let page_count = site.pages.len();
    let mut fresh_keys = Vec::new();
    let mut entries = HashMap::new();
    for (i, (entry, fresh)) in results.into_iter().enumerate() {
        diags.extend(entry.rendered.diagnostics.iter().cloned());
        if fresh {
            fresh_keys.push(DocKey::of(&entry.doc));
        }
        if i < page_count {
            let p = &mut site.pages[i];
            p.rendered = entry.rendered.clone();
            p.faq_html = entry.faq.clone();
        } else {
            site.sections[i - page_count].rendered = entry.rendered.clone();
        }
        if keep {
            entries.insert(DocKey::of(&entry.doc), entry);
        }
    }
    if let Some(cache) = cache {
        cache.entries = entries;
        cache.options = options;
        cache.rendered_last = fresh_keys;
    }
}

/// FAQ answers are Markdown; their links resolve like the body's. The paths they
/// looked up and their diagnostics join the page body's `Rendered`, and their
/// words (with the questions') count in its word count and reading time.
fn render_faq(
    doc: &Document,
    site: &Site,
    config: &Config,
    sc: &Shortcoding<'_>,
    page: &mut Rendered,
) -> Vec<String> {
    page.word_count += doc
        .meta
        .faq
        .iter()
        .map(|f| f.question.split_whitespace().count())
        .sum::<usize>();
    render_faq_answers(doc, site, config, sc)
        .into_iter()
        .map(|r| {
            page.word_count += r.word_count;
            page.resolved.extend(r.resolved);
            page.diagnostics.extend(r.diagnostics);
            page.shortcodes.extend(r.shortcodes);
            // The answers' links, at their own lines, join the page's: the
            // finder (build) and check's locator read them from one list.
            page.links.extend(r.links);
            r.html
        })
        .collect()
}

/// Each FAQ answer rendered as Markdown, its lines counted from its own
/// `answer` key.
pub(crate) fn render_faq_answers(
    doc: &Document,
    site: &Site,
    config: &Config,
    sc: &Shortcoding<'_>,
) -> Vec<Rendered> {
    let lines = doc.faq_lines();
    let page = shortcode_page(doc, site, config);
    let env = shortcode_env(doc, sc, &page);
    doc.meta
        .faq
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let line = lines.get(i).map_or(doc.front_line, |&(_, answer)| answer);
            markdown::render(
                markdown::Source {
                    file: &doc.file,
                    dir: &doc.link_dir,
                    body: &f.answer,
                    body_line: line,
                },
                &SiteLinks::new(site, config, doc),
                RenderOptions {
                    anchor_links: false,
                    ..options_for(config, doc)
                },
                &env,
            )
        })
        .collect()
}

/// A `template` (or a section's `page_template`) the theme lacks, often left
/// from the site's old theme: a warning at the key, and the default template
/// renders the page (see `render::Renderer::page_template`).
fn check_templates(site: &Site, theme: &Theme) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for doc in site.documents().filter(|d| d.fallback_from.is_none()) {
        let named = [
            ("template", &doc.meta.template),
            ("page_template", &doc.meta.page_template),
        ];
        for (key, name) in named {
            let Some(name) = name else { continue };
            if theme.template_files.contains_key(name) {
                continue;
            }
            let default = match (key, doc.kind) {
                ("template", content::DocKind::Section) if doc.section_dir.is_empty() => {
                    "index.html"
                }
                ("template", content::DocKind::Section) => "section.html",
                _ => "page.html",
            };
            let mut d = Diagnostic::warning(
                &doc.file,
                format!(
                    "the template `{name}` does not exist in the theme; {default} is used instead"
                ),
            )
            .code(Code::TemplateMissing);
            if let Some((line, column)) = doc.keys.get(key) {
                d = d.at(line, column);
            }
            let known = theme.template_files.keys().map(String::as_str);
            d = match diagnostic::did_you_mean(name, known) {
                Some(best) => d.hint(format!("did you mean `{best}`? Or add {name} to the theme's templates/ folder")),
                None => d.hint(format!("remove `{key}` to use {default}, or add {name} to the theme's templates/ folder")),
            };
            diags.push(d);
        }
    }
    diags
}

/// A `page.extra` key the theme reads, misspelt (`clinc_box`), or given a value
/// the theme does not know (`clinic_box = "reaction_reportng"`), would show
/// nothing on the page without a word: each is a warning with a "did you mean".
fn check_extra_keys(site: &Site, theme: &Theme) -> Vec<Diagnostic> {
    // The front matter's own typo rule: the same after folding case and `_`, or
    // one or two letters off with the same first letter (`clinic_room`, a key
    // of the site's own, is not `clinic_box`).
    let known: Vec<&str> = theme.extra_keys.keys().map(String::as_str).collect();
    let mut diags = Vec::new();
    for doc in site.documents().filter(|d| d.fallback_from.is_none()) {
        for (key, value) in &doc.meta.extra {
            let at = doc.key_at(&[&format!("extra.{key}"), key]);
            let d = match theme.extra_keys.get(key) {
                Some(values) if !values.is_empty() => {
                    let given = value.as_str().unwrap_or_default();
                    if values.iter().any(|v| v == given) {
                        continue;
                    }
                    let shown = value.as_str().map_or_else(|| value.to_string(), str::to_string);
                    let best = diagnostic::did_you_mean(given, values.iter().map(String::as_str));
                    Diagnostic::warning(&doc.file, format!("`{shown}` is not a value the theme knows for `{key}`, so the theme shows nothing for it")).code(Code::ExtraKey)
                        .hint(match best {
                            Some(b) => format!("did you mean `{b}`? The theme knows: {}", values.join(", ")),
                            None => format!("use one of: {}", values.join(", ")),
                        })
                }
                Some(_) => continue,
                None => match content::frontmatter::typo_of(key, &known) {
                    Some(best) => Diagnostic::warning(&doc.file, format!("the theme reads no `{key}` key, so it does nothing on the page")).code(Code::ExtraKey)
                        .hint(format!("did you mean `{best}`? (a key of your own that templates do not read can stay)")),
                    None => continue,
                },
            };
            diags.push(match at {
                Some((line, column)) => d.at(line, column),
                None => d,
            });
        }
    }
    diags
}

/// `@/page.md#anchor` links must name a heading that exists on the target.
pub(crate) fn check_anchors(site: &Site, config: &Config) -> Vec<Diagnostic> {
    let prefix = config.path_prefix();
    // A URL claimed twice is already an error; its anchors are not checked.
    let mut ids: std::collections::HashMap<&str, Option<&[String]>> =
        std::collections::HashMap::new();
    let all = site
        .pages
        .iter()
        .map(|p| (p.url.as_str(), p.rendered.heading_ids.as_slice()))
        .chain(
            site.sections
                .iter()
                .map(|s| (s.url.as_str(), s.rendered.heading_ids.as_slice())),
        );
    for (url, list) in all {
        ids.entry(url)
            .and_modify(|v| *v = None)
            .or_insert(Some(list));
    }
    let mut diags = Vec::new();
    let docs = site
        .pages
        .iter()
        .map(|p| (&p.doc, &p.rendered))
        .chain(site.sections.iter().map(|s| (&s.doc, &s.rendered)));
    for (doc, rendered) in docs {
        // Only bodies with `@/` or `.md` links are checked here (hand-written
        // URLs are `follicle check`'s job).
        if rendered.resolved.is_empty() {
            continue;
        }
        // A URL the writer typed (`/es/blog/x/#a`) is not checked here, as in Zola.
        for link in rendered.links.iter().filter(|l| l.by_path) {
            let Some((url, anchor)) = link.href.split_once('#') else {
                continue;
            };
            let Some(url) = url.strip_prefix(prefix).filter(|u| u.starts_with('/')) else {
                continue;
            };
            if let Some(Some(known)) = ids.get(url) {
                if !known.iter().any(|k| k == anchor) {
                    let mut d = Diagnostic::error(&doc.file, format!("the link to `{}` names `#{anchor}`, which is not a heading on that page", url)).code(Code::BrokenAnchor)
                        .at(link.line, link.column);
                    d = match diagnostic::did_you_mean(anchor, known.iter().map(String::as_str)) {
                        Some(best) => d.hint(format!("did you mean `#{best}`?")),
                        None => d.hint("anchors are the heading text in lowercase with dashes, e.g. `#days-1-to-4`"),
                    };
                    diags.push(d);
                }
            }
        }
    }
    diags
}

/// Every `[[nav]]` `@/` link of every language names a page (an error at
/// its place in site.toml otherwise, as a broken `@/` link in a page is).
pub(crate) fn check_nav(site: &Site, config: &Config) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for lang in config.all_languages() {
        let own = config.languages.get(&lang).and_then(|l| l.nav.as_ref());
        let (at, nav) = match own {
            Some(nav) => (format!("languages.{lang}.nav"), nav.as_slice()),
            // The site's menu is checked once, in the default language.
            None if lang != config.default_language => continue,
            None => ("nav".to_string(), config.nav.as_slice()),
        };
        for (i, link) in nav.iter().enumerate() {
            let found =
                render::context::nav_target(&link.url, &lang, &config.default_language, &|p| {
                    site.resolve(p)
                });
            if found.is_some() {
                continue;
            }
            let (line, col) = config
                .nav_places
                .get(&format!("{at}.{i}.url"))
                .copied()
                .unwrap_or((1, 1));
            let file = link.url.trim_start_matches("@/");
            let msg = format!(
                "the menu link `{}` names `content/{file}`, which is not a page",
                &*link.url
            );
            diags.push(
                Diagnostic::error(crate::config::CONFIG_FILE, msg)
                    .code(Code::BrokenLink)
                    .at(line, col)
                    .hint(nav_hint(site, file)),
            );
        }
    }
    diags
}

/// The fix for a `[[nav]]` link to a missing page: the page it was most
/// likely meant to name, else how to write one.
fn nav_hint(site: &Site, file: &str) -> String {
    let (file, anchor) = file.split_once('#').map_or((file, ""), |(f, a)| (f, a));
    let mut pages: Vec<&str> = site.urls.keys().map(String::as_str).collect();
    pages.sort_unstable();
    match crate::diagnostic::did_you_mean(file, pages) {
        Some(near) if anchor.is_empty() => format!("did you mean \"@/{near}\"?"),
        Some(near) => format!("did you mean \"@/{near}#{anchor}\"?"),
        None => "write the path of a Markdown file under content/, e.g. \"@/contact.md\", or a URL such as \"/contact/\"".into(),
    }
}

/// Broken internal links, missing images and missing alt text in the pages'
/// Markdown, as warnings, worded by [`crate::finder`] as `check` words them;
/// `exists` says which output files were written. Links written as a file
/// (`@/care/a.md`) were resolved while rendering, and their anchors are
/// [`check_anchors`]'s: each problem is told once. Gives `loaded.warnings` too,
/// sorted, each once.
pub fn find_in_markdown(loaded: &LoadedSite, exists: &dyn Fn(&str) -> bool) -> Vec<Diagnostic> {
    let base = &loaded.config.base_url;
    let site = &loaded.site;
    let docs = site
        .pages
        .iter()
        .map(|p| (&p.doc, &p.url, &p.rendered))
        .chain(site.sections.iter().map(|s| (&s.doc, &s.url, &s.rendered)));
    let mut out = loaded.warnings.clone();
    for (doc, url, rendered) in docs {
        let from = content::tree::output_file(url);
        for l in &rendered.links {
            let kind = if l.is_image {
                crate::finder::RefKind::Image
            } else {
                crate::finder::RefKind::Link
            };
            if l.is_image {
                if let Some(f) = crate::finder::alt_problem(&l.href, Some(&l.text), l.decorative) {
                    out.push(f.warning(&doc.file, l.line, l.column));
                }
            }
            if l.by_path {
                continue;
            }
            if let Err(f) = crate::finder::reach(&l.href, kind, &from, base, exists) {
                out.push(f.warning(&doc.file, l.line, l.column));
            }
        }
    }
    diagnostic::sort(&mut out);
    // A stand-in for a missing translation has its page's links again.
    out.dedup();
    out
}

/// The output folder (`--output`, else `output_dir`), checked before anything is
/// touched. A refusal names where the folder was chosen: `--output`, or the
/// `output_dir` line of site.toml.
pub fn output_target(opts: &BuildOptions, config: &Config) -> Result<output::Target, Failure> {
    let out_dir = opts
        .output
        .clone()
        .unwrap_or_else(|| PathBuf::from(&config.output_dir));
    output::check(&opts.root, &out_dir).map_err(|mut d| {
        if opts.output.is_some() {
            d.file = "--output".into();
        } else {
            let text = std::fs::read_to_string(opts.root.join(crate::config::CONFIG_FILE))
                .unwrap_or_default();
            if let Some((line, column)) = crate::parse::find_key(&text, "output_dir", 1) {
                d = d.at(line, column);
            }
        }
        Failure::usage(d)
    })
}

/// `follicle build`: load, render into staging, swap in.
pub fn build(opts: &BuildOptions) -> Result<BuildReport, Failure> {
    let start = Instant::now();
    let config = load_config(opts)?;
    let target = output_target(opts, &config)?;
    let mut timing = Timing::new();
    let (loaded, _) = load_timed(opts, config, Mode::build(), &mut timing)?;
    if opts.strict && !loaded.warnings.is_empty() {
        return Err(strict_failure(loaded.warnings));
    }
    // Held until this function returns, from the staging folder's choice to
    // the swap; taken only now, so a build that fails on its content never
    // touches anything beside the output.
    let _lock = target
        .lock(output::Holder::Build, output::LOCK_WAIT)
        .map_err(Failure::usage)?;
    let staging = target.stage().map_err(|e| {
        output_failure(
            &target,
            &e,
            &format!(
                "cannot create a staging folder beside {}",
                target.dir.display()
            ),
        )
    })?;
    timing.lap("stage");
    let outcome = render_and_index(&loaded, &staging, &mut timing);
    if let Some(e) = staging.denied() {
        staging.abandon();
        return Err(Failure::usage(target.unwritable(&e)));
    }
    if outcome.disk_full > 0 {
        staging.discard();
        return Err(disk_full(&target.dir, outcome.disk_full, outcome.files));
    }
    if !outcome.internal.is_empty() {
        staging.abandon();
        return Err(Failure::Internal(outcome.internal.join("\n")));
    }
    if !outcome.diagnostics.is_empty() {
        staging.abandon();
        let mut d = outcome.diagnostics;
        d.extend(loaded.warnings);
        diagnostic::sort(&mut d);
        return Err(Failure::Content(d));
    }
    let written = staging.written();
    let found = find_in_markdown(&loaded, &|p| written.contains(p));
    drop(written);
    timing.lap("finder");
    if opts.strict && !found.is_empty() {
        staging.abandon();
        return Err(strict_failure(found));
    }
    let swap_failed = |e| output_failure(&target, &e, "cannot move the new site into place");
    staging.commit().map_err(swap_failed)?;
    timing.lap("swap");
    // A full build used every image copy the site needs: the rest go.
    loaded.site.images.cache.prune();
    timing.lap("image cache");
    timing.report();
    let report = BuildReport {
        pages: outcome.pages,
        sections: outcome.sections,
        files: outcome.files,
        seconds: start.elapsed().as_secs_f64(),
        output: target.dir,
        warnings: found,
    };
    // Freeing every page's text and HTML takes a while on a big site and the
    // process is about to exit: let a background thread do it.
    std::thread::spawn(move || drop(loaded));
    Ok(report)
}

/// An I/O error while staging or swapping the output: a full disk or a
/// folder we may not write get their own message; anything else is internal.
pub fn output_failure(target: &output::Target, e: &std::io::Error, what: &str) -> Failure {
    if output::is_disk_full(e) {
        return disk_full(&target.dir, 1, 0);
    }
    if output::is_denied(e) {
        return Failure::usage(target.unwritable(e));
    }
    Failure::Internal(format!("{what}: {e}"))
}

/// The disk filled up while the new site was being written.
fn disk_full(dir: &Path, failed: usize, written: usize) -> Failure {
    Failure::Environment(
        Diagnostic::error(
            dir.display().to_string(),
            format!(
                "the disk is full: {failed} of {} files could not be written; the output folder was left as it was",
                failed + written
            ),
        ).code(Code::DiskFull)
        .hint("free some space on that disk (the new site needs about as much as the old one, twice during a build) and build again"),
    )
}

/// `--strict`: the warnings, then one error saying why they stopped the build.
fn strict_failure(mut warnings: Vec<Diagnostic>) -> Failure {
    let n = warnings.len();
    warnings.push(
        Diagnostic::error(
            "--strict",
            format!(
                "{n} warning{} counted as error{}; the output folder was left as it was",
                if n == 1 { "" } else { "s" },
                if n == 1 { "" } else { "s" }
            ),
        )
        .code(Code::Strict)
        .hint("fix the warnings above, or build without --strict"),
    );
    Failure::Content(warnings)
}

/// Render every output of a loaded site through `sink`.
pub fn render_all(loaded: &LoadedSite, sink: &dyn Sink) -> render::Outcome {
    let renderer = Renderer::new(&loaded.config, &loaded.site, &loaded.theme, &loaded.strings);
    let jobs = render::plan(&loaded.site, &loaded.config, &loaded.theme);
    renderer.run(&jobs, sink)
}

/// Every output and the search index, through `sink`, side by side: writing
/// thousands of files leaves a core idle half the time, and the index needs
/// only the pages' HTML, which is made before. The index is built by a pool of
/// its own, so its work fills the gaps the writes leave instead of queueing
/// behind them. `FOLLICLE_TIMING` shows `render+write`, then `search wait`:
/// what the index added after the pages were written.
fn render_and_index(loaded: &LoadedSite, sink: &dyn Sink, timing: &mut Timing) -> render::Outcome {
    let (mut outcome, search) = std::thread::scope(|scope| {
        let search = scope.spawn(|| {
            let index = || {
                // A benchmark's control run: what the build costs without
                // the index (benches/search.sh); never set by a user.
                if std::env::var_os("FOLLICLE_BENCH_NO_SEARCH").is_some() {
                    return (0, Vec::new());
                }
                let files = crate::search::files(&loaded.site, &loaded.config, None, None).files;
                crate::search::write(&files, sink)
            };
            match rayon::ThreadPoolBuilder::new().build() {
                Ok(pool) => pool.install(index),
                Err(_) => index(),
            }
        });
        let outcome = render_all(loaded, sink);
        timing.lap("render+write");
        (outcome, search.join())
    });
    timing.lap("search wait");
    match search {
        Ok(written) => join_search(&mut outcome, written),
        Err(_) => outcome
            .internal
            .push("the search index could not be built (its thread stopped)".into()),
    }
    outcome
}

/// What writing the search index wrote and failed to write joins `outcome`.
fn join_search(
    outcome: &mut render::Outcome,
    (written, errors): (usize, Vec<(String, std::io::Error)>),
) {
    outcome.files += written;
    for (path, e) in errors {
        if output::is_disk_full(&e) {
            outcome.disk_full += 1;
        } else {
            outcome
                .internal
                .push(format!("cannot write {path} (the search index): {e}"));
        }
    }
}

/// The site root given on the command line, or the current folder, made
/// absolute (file watchers report absolute paths).
pub fn root_or_cwd(root: Option<&Path>) -> PathBuf {
    let root = root
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    let abs = std::env::current_dir()
        .map(|cwd| cwd.join(&root))
        .unwrap_or(root);
    abs.canonicalize().unwrap_or(abs)
}
