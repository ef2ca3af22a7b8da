//! Render: the site model and theme → output files, in parallel.
//!
//! Takes: a [`Site`] whose Markdown is rendered, the [`Theme`], the [`Config`].
//! Gives: every output file, written through a [`Sink`] (the staging folder for
//! `build`, memory for `serve`). Each output is one [`Job`]; jobs are independent,
//! so they run on rayon and a panic in one is caught and named.

pub mod context;
mod images;
pub mod publish;
pub mod seo;

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;

use crate::config::Config;
use crate::content::tree::{output_file, Site, Taxonomy};
use crate::diagnostic::{Code, Context, Diagnostic};
use crate::markdown::escape_attr;
use crate::theme::{template_error, FileSource, Theme};
use context::{
    Builder, FeedCtx, FeedEntry, PaginatorCtx, SiteCtx, SitemapEntry, TaxonomyCtx, TemplateContext,
    TermCtx, TermLink, TranslationLink,
};

pub use crate::output::Sink;

/// One output file to make.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Job {
    Page(usize),
    /// A section's listing; `pager` is 1-based.
    Section {
        section: usize,
        pager: usize,
    },
    Taxonomy(usize),
    Term {
        taxonomy: usize,
        term: usize,
    },
    /// A redirect page at `from` to `to` (site-relative URLs).
    Redirect {
        from: String,
        to: String,
    },
    /// The 404 page of a language (the default language's at `/404.html`).
    NotFound(String),
    /// The search page of a language (`/search/`, `/es/search/`).
    Search(String),
    Sitemap,
    Robots,
    /// `_headers` for Netlify and Cloudflare Pages.
    Headers,
    /// `_redirects` for Netlify and Cloudflare Pages.
    Redirects,
    Feed(String),
    Asset(usize),
    ThemeStatic(String),
}

/// What rendering made.
#[derive(Debug, Default)]
pub struct Outcome {
    pub files: usize,
    pub pages: usize,
    pub sections: usize,
    pub diagnostics: Vec<Diagnostic>,
    /// Panics caught while rendering, as "internal error while rendering X".
    pub internal: Vec<String>,
    /// Files not written because the disk (or quota) is full.
    pub disk_full: usize,
    /// The image files each templated job read through `resize_image` or
    /// `image_meta` (for `serve`'s re-renders).
    pub image_uses: Vec<(Job, std::collections::BTreeSet<std::path::PathBuf>)>,
}

impl Outcome {
    fn add_failure(&mut self, r: Result<(), JobError>) {
        match r {
            Ok(()) => {}
            Err(JobError::User(d)) => self.diagnostics.push(d),
            Err(JobError::Internal(m)) => self.internal.push(m),
            Err(JobError::DiskFull) => self.disk_full += 1,
        }
    }
}

/// The most one rendered output file may hold (64 MiB): a template that makes
/// more (a runaway loop) is stopped with an error at the template, not left
/// to fill memory and the disk.
pub const MAX_OUTPUT_BYTES: usize = 64 << 20;

/// A template's output, refused past [`MAX_OUTPUT_BYTES`].
#[derive(Default)]
struct Capped {
    bytes: Vec<u8>,
    over: bool,
}

impl std::io::Write for Capped {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        if self.bytes.len() + data.len() > MAX_OUTPUT_BYTES {
            self.over = true;
            return Err(std::io::Error::other("the output is too big"));
        }
        self.bytes.extend_from_slice(data);
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Capped {
    /// Room for `hint` bytes at once: a page's body is most of its output, and
    /// growing a 45 MB buffer by doubling holds the old and new copies together.
    fn with_capacity(hint: usize) -> Capped {
        Capped {
            bytes: Vec::with_capacity(hint.min(MAX_OUTPUT_BYTES)),
            over: false,
        }
    }
}

/// All the jobs for a site, in a stable order.
pub fn plan(site: &Site, config: &Config, theme: &Theme) -> Vec<Job> {
    // `render = false` on a page (Zola): it is in listings' data, not written.
    let mut jobs: Vec<Job> = (0..site.pages.len())
        .filter(|&i| site.pages[i].doc.meta.render)
        .map(Job::Page)
        .collect();
    for (i, s) in site.sections.iter().enumerate() {
        if s.doc.meta.redirect_to.is_some() || !s.doc.meta.render {
            continue;
        }
        let pagers = pager_count(s.pages.len(), s.doc.meta.paginate_by);
        for pager in 1..=pagers {
            jobs.push(Job::Section { section: i, pager });
        }
    }
    for (t, tax) in site.taxonomies.iter().enumerate() {
        jobs.push(Job::Taxonomy(t));
        for term in 0..tax.terms.len() {
            jobs.push(Job::Term { taxonomy: t, term });
        }
    }
    jobs.extend(
        redirects(site, config)
            .into_iter()
            .map(|(from, to)| Job::Redirect { from, to }),
    );
    jobs.extend(config.all_languages().into_iter().map(Job::NotFound));
    jobs.extend(search_jobs(site, config));
    jobs.extend([Job::Sitemap, Job::Robots]);
    if config.publish.headers {
        jobs.push(Job::Headers);
    }
    if config.publish.redirects {
        jobs.push(Job::Redirects);
    }
    if config.feed.enabled {
        jobs.extend(config.all_languages().into_iter().map(Job::Feed));
    }
    jobs.extend((0..site.assets.len()).map(Job::Asset));
    let asset_outputs: std::collections::HashSet<&str> =
        site.assets.iter().map(|a| a.output.as_str()).collect();
    // A content file overrides a theme file of the same path.
    jobs.extend(
        theme
            .static_files
            .keys()
            .filter(|k| !asset_outputs.contains(k.as_str()))
            .map(|k| Job::ThemeStatic(k.clone())),
    );
    jobs
}

/// Every redirect of the site as (from, to) site-relative paths: sections with
/// `redirect_to`, the first page of paginated sections, then aliases.
pub fn redirects(site: &Site, config: &Config) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for s in &site.sections {
        if let Some(to) = &s.doc.meta.redirect_to {
            out.push((s.url.clone(), to.clone()));
        } else if s.doc.meta.render && s.doc.meta.paginate_by.is_some() {
            out.push((format!("{}page/1/", s.url), s.url.clone()));
        }
    }
    let docs = site
        .pages
        .iter()
        .map(|p| (&p.doc, &p.url))
        .chain(site.sections.iter().map(|s| (&s.doc, &s.url)));
    for (doc, url) in docs {
        for a in &doc.meta.aliases {
            let from = alias_url(config, &doc.lang, a);
            // Hugo's `/functions/strings/hassuffix` on HasSuffix.md: the page is already there.
            if output_file(&from) != output_file(url) {
                out.push((from, url.clone()));
            }
        }
    }
    out
}

/// Template name, output path and context of a templated job.
type Templated<'s> = (String, String, Result<TemplateContext<'s>, JobError>);

/// Site-relative path of a language's Atom feed: `/atom.xml`, `/es/atom.xml`.
pub(crate) fn feed_path(config: &Config, lang: &str) -> String {
    if lang == config.default_language {
        "/atom.xml".into()
    } else {
        format!("/{lang}/atom.xml")
    }
}

/// The site-relative path of a language's search page: `/search/`, `/es/search/`.
pub fn search_path(config: &Config, lang: &str) -> String {
    if lang == config.default_language {
        "/search/".into()
    } else {
        format!("/{lang}/search/")
    }
}

/// A search page per language, except where a writer's own page or section
/// already has that address (theirs wins, as content files beat theme files).
fn search_jobs(site: &Site, config: &Config) -> Vec<Job> {
    let taken: std::collections::HashSet<&str> = site
        .pages
        .iter()
        .map(|p| p.url.as_str())
        .chain(site.sections.iter().map(|s| s.url.as_str()))
        .collect();
    config
        .all_languages()
        .into_iter()
        .filter(|lang| !taken.contains(search_path(config, lang).as_str()))
        .map(Job::Search)
        .collect()
}

/// Where a language's 404 page is written: `404.html`, `es/404.html`.
fn not_found_file(config: &Config, lang: &str) -> String {
    if lang == config.default_language {
        "404.html".into()
    } else {
        format!("{lang}/404.html")
    }
}

/// The files Follicle writes itself, whatever the content (output path, what
/// it is): no page, `path` or alias may take one of these places
/// ([`crate::content::tree::check_generated`]).
pub fn generated_files(config: &Config, theme: &Theme) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = [
        ("sitemap.xml", "the sitemap"),
        ("robots.txt", "the robots file"),
        (crate::output::MARKER, "Follicle's output marker"),
    ]
    .into_iter()
    .map(|(p, w)| (p.to_string(), w.to_string()))
    .collect();
    for lang in config.all_languages() {
        v.push((
            not_found_file(config, &lang),
            format!("the {lang} not-found page"),
        ));
        if config.feed.enabled {
            let feed = feed_path(config, &lang);
            v.push((
                feed.trim_start_matches('/').to_string(),
                format!("the {lang} feed"),
            ));
        }
    }
    for name in theme.static_files.keys() {
        v.push((name.clone(), format!("the theme file static/{name}")));
    }
    v
}

fn alias_url(config: &Config, lang: &str, alias: &str) -> String {
    let prefix = if lang == config.default_language {
        String::new()
    } else {
        format!("/{lang}")
    };
    let trimmed = alias.trim_matches('/');
    if trimmed.rsplit('/').next().unwrap_or("").contains('.') {
        format!("{prefix}/{trimmed}")
    } else {
        format!("{prefix}/{trimmed}/")
    }
}

pub fn pager_count(pages: usize, paginate_by: Option<usize>) -> usize {
    match paginate_by {
        Some(n) if n > 0 => pages.div_ceil(n).max(1),
        _ => 1,
    }
}

fn pager_path(section_url: &str, pager: usize) -> String {
    if pager <= 1 {
        section_url.to_string()
    } else {
        format!("{section_url}page/{pager}/")
    }
}

/// Everything a job needs, built once per render.
pub struct Renderer<'a> {
    pub config: &'a Config,
    pub site: &'a Site,
    pub theme: &'a Theme,
    site_ctx: HashMap<String, SiteCtx<'a>>,
    /// `site`, `i18n` and `config` as template values, per language: the
    /// same for every page, so converted once.
    values: HashMap<String, (tera::Value, tera::Value, tera::Value)>,
    strings: &'a Strings,
    seo: seo::Writer<'a>,
    /// Each language's 404 page path, `/404.html`, `/es/404.html`.
    not_found_paths: HashMap<String, String>,
    /// Each language's feed path (site-relative, without the base path).
    feed_paths: HashMap<String, String>,
}

/// Theme strings per language, each complete: the language's own, then the
/// default language's, then English; never an empty string.
pub type Strings = HashMap<String, BTreeMap<String, String>>;

/// Merge the theme's `i18n/<lang>.toml` files into [`Strings`].
pub fn strings(config: &Config, theme: &Theme) -> Strings {
    let default_strings = theme
        .strings
        .get(&config.default_language)
        .cloned()
        .unwrap_or_default();
    let english = theme.strings.get("en").cloned().unwrap_or_default();
    config
        .all_languages()
        .into_iter()
        .map(|lang| {
            let mut s = theme.strings.get(&lang).cloned().unwrap_or_default();
            s.retain(|_, v| !v.is_empty());
            for (k, v) in default_strings.iter().chain(english.iter()) {
                if !v.is_empty() {
                    s.entry(k.clone()).or_insert_with(|| v.clone());
                }
            }
            (lang, s)
        })
        .collect()
}

impl<'a> Renderer<'a> {
    pub fn new(config: &'a Config, site: &'a Site, theme: &'a Theme, strings: &'a Strings) -> Self {
        let builder = Builder {
            config,
            site,
            strings,
        };
        let site_ctx: HashMap<String, SiteCtx<'a>> = config
            .all_languages()
            .into_iter()
            .map(|lang| (lang.clone(), builder.site_ctx(&lang)))
            .collect();
        let values = site_ctx
            .iter()
            .map(|(lang, ctx)| {
                let site = tera::Value::from_serializable(ctx);
                let i18n = tera::Value::from_serializable(&strings[lang]);
                let config = tera::Value::from_serializable(&context::ConfigCtx::of(ctx));
                (lang.clone(), (site, i18n, config))
            })
            .collect();
        let not_found_paths = config
            .all_languages()
            .into_iter()
            .map(|lang| {
                let path = format!("/{}", not_found_file(config, &lang));
                (lang, path)
            })
            .collect();
        let feed_paths = config
            .all_languages()
            .into_iter()
            .map(|lang| {
                let path = feed_path(config, &lang);
                (lang, path)
            })
            .collect();
        Renderer {
            feed_paths,
            values,
            config,
            site,
            theme,
            site_ctx,
            strings,
            seo: seo::Writer::new(config),
            not_found_paths,
        }
    }

    fn builder(&self) -> Builder<'a> {
        Builder {
            config: self.config,
            site: self.site,
            strings: self.strings,
        }
    }

    /// Run every job through the sink, in parallel.
    pub fn run(&self, jobs: &[Job], sink: &dyn Sink) -> Outcome {
        use crate::images::template::take_used;
        let images = self.image_ctx();
        self.theme.image_fns.set(Some(images.clone()));
        let results: Vec<(Result<(), JobError>, _)> = jobs
            .par_iter()
            .map(|job| {
                take_used();
                let r = match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    self.run_job(job, sink)
                })) {
                    Ok(r) => r,
                    Err(_) => Err(JobError::Internal(format!(
                        "internal error while rendering {}",
                        self.describe(job)
                    ))),
                };
                (r, take_used())
            })
            .collect();
        self.theme.image_fns.set(None);
        let copies = self.publish_requested(&images, sink);
        let mut outcome = Outcome::default();
        for (job, (r, used)) in jobs.iter().zip(results) {
            if !used.is_empty() {
                outcome.image_uses.push((job.clone(), used));
            }
            if r.is_ok() {
                outcome.files += 1;
                match job {
                    Job::Page(_) => outcome.pages += 1,
                    Job::Section { pager: 1, .. } => outcome.sections += 1,
                    _ => {}
                }
            }
            outcome.add_failure(r);
        }
        for e in copies {
            outcome.add_failure(Err(e));
        }
        outcome.internal.sort();
        outcome.internal.dedup();
        outcome.diagnostics = merge_repeats(std::mem::take(&mut outcome.diagnostics));
        outcome
    }

    /// The source a job comes from, for messages.
    pub fn describe(&self, job: &Job) -> String {
        match job {
            Job::Page(i) => self.site.pages[*i].doc.file.clone(),
            Job::Section { section, .. } => self.site.sections[*section].doc.file.clone(),
            Job::Taxonomy(t) | Job::Term { taxonomy: t, .. } => {
                format!("the `{}` taxonomy", self.site.taxonomies[*t].name)
            }
            Job::Redirect { from, .. } => format!("the redirect at {from}"),
            Job::NotFound(lang) => not_found_file(self.config, lang),
            Job::Search(lang) => output_file(&search_path(self.config, lang)),
            Job::Sitemap => "sitemap.xml".into(),
            Job::Robots => "robots.txt".into(),
            Job::Headers => "_headers".into(),
            Job::Redirects => "_redirects".into(),
            Job::Feed(lang) => format!("the {lang} feed"),
            Job::Asset(i) => self.site.assets[*i].asset.file.clone(),
            Job::ThemeStatic(name) => format!("theme file static/{name}"),
        }
    }

    fn run_job(&self, job: &Job, sink: &dyn Sink) -> Result<(), JobError> {
        crate::faults::maybe_panic(&self.describe(job));
        match job {
            Job::Asset(i) => {
                let a = &self.site.assets[*i];
                // SVGs are copied as they are (their entry gives their size).
                let svg = |e: &&crate::images::Entry| matches!(&e.info, Ok(i) if i.format == crate::images::Format::Svg);
                if let Some(entry) = self.site.images.get(&a.output).filter(|e| !svg(e)) {
                    return self.publish_image(job, entry, sink);
                }
                return sink
                    .copy(&a.output, &a.asset.source)
                    .map_err(|e| self.io_error(job, &a.output, e));
            }
            Job::ThemeStatic(name) => {
                if let Some(r) = self.publish_static_image(job, name, sink) {
                    return r;
                }
                let r = match &self.theme.static_files[name] {
                    FileSource::Disk(p) => sink.copy(name, p),
                    FileSource::Embedded(bytes) => sink.write(name, bytes),
                };
                return r.map_err(|e| self.io_error(job, name, e));
            }
            Job::Redirect { from, to } => {
                let html = redirect_html(&self.config.permalink(to));
                let out = output_file(from);
                return sink
                    .write(&out, html.as_bytes())
                    .map_err(|e| self.io_error(job, &out, e));
            }
            Job::Headers | Job::Redirects => {
                let (out, text) = match job {
                    Job::Headers => ("_headers", publish::headers(self.config)),
                    _ => (
                        "_redirects",
                        publish::redirects(self.config, &redirects(self.site, self.config)),
                    ),
                };
                return sink
                    .write(out, text.as_bytes())
                    .map_err(|e| self.io_error(job, out, e));
            }
            _ => {}
        }
        let (template, out, ctx) = self.context_for(job);
        let ctx = ctx?;
        let mut tera_ctx = tera::Context::from_serialize(&ctx)
            .map_err(|e| JobError::Internal(format!("{}: {e}", self.describe(job))))?;
        let (site, i18n, config) = &self.values[ctx.lang];
        tera_ctx.insert_value("site", site.clone());
        tera_ctx.insert_value("i18n", i18n.clone());
        tera_ctx.insert_value("config", config.clone());
        let mut html = Capped::with_capacity(self.output_hint(job));
        let rendered = {
            let file = self.theme.template_files.get(&template);
            let source = self.describe(job);
            let _note = crate::memory::rendering(file.map_or(&template, |f| f), &source);
            self.theme.tera.render_to(&template, &tera_ctx, &mut html)
        };
        if let Err(e) = rendered {
            let source = self.describe(job);
            if html.over {
                return Err(JobError::User(self.too_big(&template, &source)));
            }
            return Err(JobError::User(
                template_error(&e, &self.theme.template_files, Some(&source)).unwrap_or_else(
                    || Diagnostic::error(&source, e.to_string()).code(Code::Template),
                ),
            ));
        }
        sink.write(&out, &html.bytes)
            .map_err(|e| self.io_error(job, &out, e))
    }

    /// The likely size of a job's output: its page's or section's HTML body
    /// and room for the theme's frame around it.
    fn output_hint(&self, job: &Job) -> usize {
        const FRAME: usize = 32 * 1024;
        let body = match job {
            Job::Page(i) => self.site.pages[*i].rendered.html.len(),
            Job::Section { section, pager: 1 } => self.site.sections[*section].rendered.html.len(),
            _ => 0,
        };
        body + FRAME
    }

    /// A template made more than [`MAX_OUTPUT_BYTES`] for one file.
    fn too_big(&self, template: &str, source: &str) -> Diagnostic {
        let file = self
            .theme
            .template_files
            .get(template)
            .cloned()
            .unwrap_or_else(|| template.to_string());
        Diagnostic::error(
            file,
            format!(
                "rendering {source} with this template made more than {} MiB, the limit for one output file",
                MAX_OUTPUT_BYTES >> 20
            ),
        ).code(Code::TooLarge)
        .hint("look for a loop that repeats a large value or a variable that keeps doubling (`set s = s ~ s`)")
    }

    /// A raster asset: its original without metadata and its resized copies
    /// (see [`crate::images`]); a GIF without comments, frames as they are.
    /// One whose header was refused was reported while loading and is not
    /// published.
    fn publish_image(
        &self,
        job: &Job,
        entry: &crate::images::Entry,
        sink: &dyn Sink,
    ) -> Result<(), JobError> {
        use crate::images::{publish::Failed, Format};
        let Ok(info) = &entry.info else {
            return Ok(());
        };
        let copies = if info.format == Format::Gif {
            vec![crate::images::publish::original(entry, info)]
        } else {
            let plan = crate::images::plan(&entry.output, info, &self.config.images);
            crate::images::publish::copies(entry, info, &plan)
        };
        let out = SinkOut(sink);
        match crate::images::publish(
            entry,
            info,
            &copies,
            &self.config.images,
            &self.site.images.cache,
            &out,
        ) {
            Ok(_) => Ok(()),
            Err(Failed::Image(p)) => Err(JobError::User(p.at_file(&entry.file))),
            Err(Failed::Io { path, error }) => Err(self.io_error(job, &path, error)),
        }
    }

    fn io_error(&self, job: &Job, out: &str, e: std::io::Error) -> JobError {
        if crate::output::is_disk_full(&e) {
            return JobError::DiskFull;
        }
        JobError::Internal(format!(
            "cannot write {out} (for {}): {e}",
            self.describe(job)
        ))
    }

    fn base_ctx<'s>(&'s self, lang: &'s str, path: &'s str) -> TemplateContext<'s> {
        TemplateContext {
            site: &self.site_ctx[lang],
            lang,
            i18n: &self.strings[lang],
            current_path: context::href(self.config, path),
            current_url: self.config.permalink(path),
            seo_head: String::new(),
            page: None,
            section: None,
            paginator: None,
            taxonomy: None,
            term: None,
            sitemap: None,
            feed: None,
        }
    }

    /// Template name, output path and context for a templated job.
    fn context_for<'s>(&'s self, job: &'s Job) -> Templated<'s> {
        let default_lang = self.config.default_language.as_str();
        match job {
            Job::Page(i) => {
                let p = &self.site.pages[*i];
                let mut ctx = self.base_ctx(&p.doc.lang, &p.url);
                ctx.seo_head = self.seo.head(&self.page_subject(*i));
                ctx.page = Some(self.builder().page(*i));
                (self.page_template(*i), output_file(&p.url), Ok(ctx))
            }
            Job::Section { section, pager } => self.section_job(*section, *pager),
            Job::Taxonomy(t) => self.taxonomy_job(*t),
            Job::Term { taxonomy, term } => self.term_job(*taxonomy, *term),
            Job::NotFound(lang) => self.not_found_job(lang),
            Job::Robots => (
                "robots.txt".into(),
                "robots.txt".into(),
                Ok(self.base_ctx(default_lang, "/robots.txt")),
            ),
            Job::Sitemap => {
                let mut ctx = self.base_ctx(default_lang, "/sitemap.xml");
                ctx.sitemap = Some(self.sitemap_entries());
                ("sitemap.xml".into(), "sitemap.xml".into(), Ok(ctx))
            }
            Job::Feed(lang) => {
                let path = self.feed_paths[lang.as_str()].as_str();
                let mut ctx = self.base_ctx(lang, path);
                ctx.feed = Some(self.feed(lang));
                ("atom.xml".into(), path[1..].to_string(), Ok(ctx))
            }
            Job::Search(lang) => self.search_context(lang),
            _ => (
                String::new(),
                String::new(),
                Err(JobError::Internal("not a templated job".into())),
            ),
        }
    }

    /// A section's listing page `pager` (1-based), with its paginator.
    fn section_job(&self, section: usize, pager: usize) -> Templated<'_> {
        let b = self.builder();
        let s = &self.site.sections[section];
        let mut ctx = self.base_ctx(&s.doc.lang, &s.url);
        let pager_url = pager_path(&s.url, pager);
        ctx.seo_head = self.seo.head(&self.section_subject(section, &pager_url));
        ctx.section = Some(b.section(section));
        if let Some(n) = s.doc.meta.paginate_by {
            let count = pager_count(s.pages.len(), Some(n));
            let mut order: Vec<usize> = s.pages.clone();
            if s.doc.meta.paginate_reversed {
                order.reverse();
            }
            let href = |k: usize| self.config.href(&pager_path(&s.url, k));
            ctx.paginator = Some(PaginatorCtx {
                pages: order
                    .iter()
                    .skip((pager - 1) * n)
                    .take(n)
                    .map(|&p| b.page_link(p))
                    .collect(),
                current_index: pager,
                number_pagers: count,
                first: self.config.href(&s.url),
                last: href(count),
                previous: (pager > 1).then(|| href(pager - 1)),
                next: (pager < count).then(|| href(pager + 1)),
            });
            ctx.current_url = self.config.permalink(&pager_url);
        }
        // A template the theme lacks was warned about; the default renders.
        let template = s
            .doc
            .meta
            .template
            .clone()
            .filter(|t| self.theme.template_files.contains_key(t))
            .unwrap_or_else(|| {
                if s.doc.section_dir.is_empty() {
                    "index.html".into()
                } else {
                    "section.html".into()
                }
            });
        (template, output_file(&pager_url), Ok(ctx))
    }

    /// A taxonomy's list of terms.
    fn taxonomy_job(&self, t: usize) -> Templated<'_> {
        let tax = &self.site.taxonomies[t];
        let mut ctx = self.base_ctx(&tax.lang, &tax.url);
        let mut subject = self.listing_subject(&tax.name, &tax.url, &tax.lang);
        subject.alternates = self.alternates(self.taxonomy_hreflang(tax, None));
        ctx.seo_head = self.seo.head(&subject);
        ctx.taxonomy = Some(TaxonomyCtx {
            name: &tax.name,
            path: context::href(self.config, &tax.url),
            terms: tax
                .terms
                .iter()
                .map(|term| TermLink {
                    name: &term.name,
                    slug: &term.slug,
                    path: context::href(self.config, &term.url),
                    page_count: term.pages.len(),
                })
                .collect(),
            translations: self.taxonomy_versions(tax, None),
        });
        ("taxonomy_list.html".into(), output_file(&tax.url), Ok(ctx))
    }

    /// One term's page: the pages that have it.
    fn term_job(&self, taxonomy: usize, term: usize) -> Templated<'_> {
        let tax = &self.site.taxonomies[taxonomy];
        let t = &tax.terms[term];
        let mut ctx = self.base_ctx(&tax.lang, &t.url);
        let mut subject = self.listing_subject(&t.name, &t.url, &tax.lang);
        subject.alternates = self.alternates(self.taxonomy_hreflang(tax, Some(&t.slug)));
        ctx.seo_head = self.seo.head(&subject);
        let b = self.builder();
        ctx.term = Some(TermCtx {
            name: &t.name,
            slug: &t.slug,
            path: context::href(self.config, &t.url),
            taxonomy: &tax.name,
            pages: t.pages.iter().map(|&p| b.page_link(p)).collect(),
            translations: self.taxonomy_versions(tax, Some(&t.slug)),
        });
        ("taxonomy_term.html".into(), output_file(&t.url), Ok(ctx))
    }

    /// A language's 404 page.
    fn not_found_job<'s>(&'s self, lang: &'s str) -> Templated<'s> {
        let out = not_found_file(self.config, lang);
        let path: &str = self.not_found_paths[lang].as_str();
        let mut ctx = self.base_ctx(lang, path);
        let title = self.strings[lang]
            .get("not_found_title")
            .map(String::as_str)
            .unwrap_or("Page not found");
        let mut subject = self.listing_subject(title, path, lang);
        subject.kind = seo::Kind::Page;
        ctx.seo_head = self.seo.head(&subject);
        ("404.html".into(), out, Ok(ctx))
    }

    /// The search page: `search.html`, which reads the language's index in
    /// the browser and lists the sections without JavaScript.
    fn search_context<'s>(&'s self, lang: &'s str) -> Templated<'s> {
        let path = search_path(self.config, lang);
        let out = output_file(&path);
        let title = self.strings[lang]
            .get("search_title")
            .map(String::as_str)
            .unwrap_or("Search");
        let mut subject = self.listing_subject(title, &path, lang);
        subject.kind = seo::Kind::Page;
        let seo_head = self.seo.head(&subject);
        let mut ctx = self.base_ctx(lang, "");
        ctx.current_path = context::href(self.config, &path).into_owned().into();
        ctx.current_url = self.config.permalink(&path);
        ctx.seo_head = seo_head;
        ("search.html".into(), out, Ok(ctx))
    }

    fn crumbs(&self, section: usize) -> Vec<(&'a str, &'a str)> {
        self.builder()
            .ancestor_sections(section)
            .into_iter()
            .map(|s| (s.doc.meta.title.as_str(), s.url.as_str()))
            .collect()
    }

    /// Every language version including this one, and `x-default` (the default
    /// language's version), when the page has translations.
    fn alternates(&self, versions: Vec<(&'a str, &'a str)>) -> Vec<(&'a str, &'a str)> {
        if versions.len() < 2 {
            return Vec::new();
        }
        let mut v = versions;
        v.sort();
        if let Some(&(_, path)) = v.iter().find(|(l, _)| *l == self.config.default_language) {
            v.push(("x-default", path));
        }
        v
    }

    /// (language, path) of a page and each of its translations.
    fn page_versions(&self, i: usize) -> Vec<(&'a str, &'a str)> {
        let site: &'a Site = self.site;
        std::iter::once(i)
            .chain(site.pages[i].translations.iter().copied())
            .map(|j| (site.pages[j].doc.lang.as_str(), site.pages[j].url.as_str()))
            .collect()
    }

    /// (language, path) of a section and each of its translations.
    fn section_versions(&self, i: usize) -> Vec<(&'a str, &'a str)> {
        let site: &'a Site = self.site;
        std::iter::once(i)
            .chain(site.sections[i].translations.iter().copied())
            .map(|j| {
                (
                    site.sections[j].doc.lang.as_str(),
                    site.sections[j].url.as_str(),
                )
            })
            .collect()
    }

    fn page_subject(&self, i: usize) -> seo::Subject<'a> {
        let site: &'a Site = self.site;
        let p = &site.pages[i];
        let m = &p.doc.meta;
        let is_article = m.reviewed_by.is_some() || m.audience.is_some() || !m.sources.is_empty();
        let versions = self.page_versions(i);
        seo::Subject {
            kind: if is_article {
                seo::Kind::Article
            } else {
                seo::Kind::Page
            },
            title: &m.title,
            description: &m.description,
            path: &p.url,
            lang: &p.doc.lang,
            meta: Some(m),
            crumbs: self.crumbs(p.section),
            faq: m
                .faq
                .iter()
                .zip(p.faq_html.iter())
                .map(|(f, a)| (f.question.as_str(), a.as_str()))
                .collect(),
            alternates: if p.doc.fallback_from.is_some() {
                Vec::new()
            } else {
                self.alternates(versions)
            },
            clinic: p.doc.translation_key == self.config.clinic.contact_page,
            canonical: p.doc.fallback_from.as_ref().and_then(|_| {
                p.translations
                    .iter()
                    .map(|&j| &site.pages[j])
                    .find(|t| t.doc.lang == self.config.default_language)
                    .map(|t| t.url.as_str())
            }),
        }
    }

    fn section_subject(&self, i: usize, path: &'a str) -> seo::Subject<'a> {
        let site: &'a Site = self.site;
        let s = &site.sections[i];
        let is_home = s.doc.section_dir.is_empty();
        let crumbs = match s.parent {
            Some(p) if !is_home => self.crumbs(p),
            _ => Vec::new(),
        };
        let versions = self.section_versions(i);
        seo::Subject {
            kind: if is_home {
                seo::Kind::Home
            } else {
                seo::Kind::Listing
            },
            title: &s.doc.meta.title,
            description: &s.doc.meta.description,
            path,
            lang: &s.doc.lang,
            meta: None,
            crumbs,
            faq: Vec::new(),
            alternates: if s.doc.fallback_from.is_some() {
                Vec::new()
            } else {
                self.alternates(versions)
            },
            clinic: is_home,
            canonical: s.doc.fallback_from.as_ref().and_then(|_| {
                s.translations
                    .iter()
                    .map(|&j| &site.sections[j])
                    .find(|t| t.doc.lang == self.config.default_language)
                    .map(|t| t.url.as_str())
            }),
        }
    }

    /// A taxonomy's (or, with `slug`, one term's) listing in the other
    /// languages that have it, for the language switcher.
    fn taxonomy_versions(&self, of: &Taxonomy, slug: Option<&str>) -> Vec<TranslationLink<'a>> {
        self.taxonomy_version_paths(of, slug)
            .into_iter()
            .map(|(lang, title, path)| TranslationLink {
                lang,
                title,
                path: context::href(self.config, path),
                permalink: self.config.permalink(path),
            })
            .collect()
    }

    /// (language, title, site-relative path) of each [`Self::taxonomy_versions`].
    fn taxonomy_version_paths(
        &self,
        of: &Taxonomy,
        slug: Option<&str>,
    ) -> Vec<(&'a str, &'a str, &'a str)> {
        let site: &'a Site = self.site;
        site.taxonomies
            .iter()
            .filter(|t| t.name == of.name && t.lang != of.lang)
            .filter_map(|t| match slug {
                None => Some((t.lang.as_str(), t.name.as_str(), t.url.as_str())),
                Some(s) => t
                    .terms
                    .iter()
                    .find(|term| term.slug == s)
                    .map(|term| (t.lang.as_str(), term.name.as_str(), term.url.as_str())),
            })
            .collect()
    }

    /// (language, path) of a taxonomy or term listing and its versions listed in
    /// the sitemap (taxonomies with terms), for hreflang.
    fn taxonomy_hreflang(&self, of: &'a Taxonomy, slug: Option<&str>) -> Vec<(&'a str, &'a str)> {
        let own = match slug {
            None => Some(of.url.as_str()),
            Some(s) => of
                .terms
                .iter()
                .find(|t| t.slug == s)
                .map(|t| t.url.as_str()),
        };
        own.map(|path| (of.lang.as_str(), path))
            .into_iter()
            .chain(
                self.taxonomy_version_paths(of, slug)
                    .into_iter()
                    .filter(|(lang, _, _)| {
                        self.site
                            .taxonomies
                            .iter()
                            .any(|t| t.lang == *lang && t.name == of.name && !t.terms.is_empty())
                    })
                    .map(|(lang, _, path)| (lang, path)),
            )
            .collect()
    }

    fn listing_subject<'s>(
        &'s self,
        title: &'s str,
        path: &'s str,
        lang: &'s str,
    ) -> seo::Subject<'s> {
        let home = self
            .site
            .sections
            .iter()
            .find(|s| s.doc.lang == lang && s.doc.section_dir.is_empty());
        seo::Subject {
            kind: seo::Kind::Listing,
            title,
            description: "",
            path,
            lang,
            meta: None,
            crumbs: home
                .map(|h| vec![(h.doc.meta.title.as_str(), h.url.as_str())])
                .unwrap_or_default(),
            faq: Vec::new(),
            alternates: Vec::new(),
            clinic: false,
            canonical: None,
        }
    }

    /// `template`, else the nearest section's `page_template`, else `page.html`;
    /// a name the theme lacks (warned about at load) is passed over.
    fn page_template(&self, i: usize) -> String {
        let exists = |t: &&String| self.theme.template_files.contains_key(*t);
        let p = &self.site.pages[i];
        if let Some(t) = p.doc.meta.template.as_ref().filter(exists) {
            return t.clone();
        }
        let mut cur = Some(p.section);
        while let Some(s) = cur {
            let sec = &self.site.sections[s];
            if let Some(t) = sec.doc.meta.page_template.as_ref().filter(exists) {
                return t.clone();
            }
            cur = sec.parent;
        }
        "page.html".into()
    }

    fn sitemap_alternates(&self, versions: Vec<(&'a str, &'a str)>) -> Vec<context::Alternate> {
        self.alternates(versions)
            .into_iter()
            .map(|(lang, path)| context::Alternate {
                hreflang: lang.to_string(),
                permalink: self.config.permalink(path),
            })
            .collect()
    }

    fn sitemap_entries(&self) -> Vec<SitemapEntry> {
        let mut entries = Vec::new();
        // Stand-ins for missing translations are not listed: their content is
        // the default language's page, which is.
        for (i, p) in self
            .site
            .pages
            .iter()
            .enumerate()
            .filter(|(_, p)| p.doc.fallback_from.is_none() && p.doc.meta.render)
        {
            entries.push(SitemapEntry {
                permalink: self.config.permalink(&p.url),
                lastmod: p.doc.meta.last_change().map(|d| d.ymd()),
                alternates: self.sitemap_alternates(self.page_versions(i)),
            });
        }
        for (i, s) in self.site.sections.iter().enumerate().filter(|(_, s)| {
            s.doc.meta.render && s.doc.meta.redirect_to.is_none() && s.doc.fallback_from.is_none()
        }) {
            let last = s
                .pages
                .iter()
                .filter_map(|&p| self.site.pages[p].doc.meta.last_change())
                .max();
            entries.push(SitemapEntry {
                permalink: self.config.permalink(&s.url),
                lastmod: last.map(|d| d.ymd()),
                alternates: self.sitemap_alternates(self.section_versions(i)),
            });
        }
        for t in &self.site.taxonomies {
            if t.terms.is_empty() {
                continue;
            }
            entries.push(SitemapEntry {
                permalink: self.config.permalink(&t.url),
                lastmod: None,
                alternates: self.sitemap_alternates(self.taxonomy_hreflang(t, None)),
            });
            for term in &t.terms {
                entries.push(SitemapEntry {
                    permalink: self.config.permalink(&term.url),
                    lastmod: None,
                    alternates: self
                        .sitemap_alternates(self.taxonomy_hreflang(t, Some(&term.slug))),
                });
            }
        }
        entries.sort_by(|a, b| a.permalink.cmp(&b.permalink));
        entries
    }

    fn feed<'s>(&'s self, lang: &'s str) -> FeedCtx<'s> {
        let mut pages: Vec<usize> = (0..self.site.pages.len())
            .filter(|&i| {
                let d = &self.site.pages[i].doc;
                d.lang == lang && d.meta.date.is_some() && d.fallback_from.is_none()
            })
            .collect();
        crate::content::tree::sort_pages(
            &self.site.pages,
            &mut pages,
            crate::content::frontmatter::SortBy::Date,
        );
        pages.truncate(self.config.feed.limit);
        let entries: Vec<FeedEntry> = pages
            .iter()
            .map(|&i| {
                let p = &self.site.pages[i];
                let m = &p.doc.meta;
                let published = m.date.map(|d| d.rfc3339()).unwrap_or_default();
                FeedEntry {
                    title: &m.title,
                    permalink: self.config.permalink(&p.url),
                    updated: m
                        .updated
                        .or(m.date)
                        .map(|d| d.rfc3339())
                        .unwrap_or_default(),
                    published,
                    summary: if m.description.is_empty() {
                        p.rendered.summary.as_deref().unwrap_or("")
                    } else {
                        &m.description
                    },
                    content: &p.rendered.html,
                    authors: &m.authors,
                }
            })
            .collect();
        let updated = pages
            .iter()
            .filter_map(|&i| {
                let m = &self.site.pages[i].doc.meta;
                m.updated.or(m.date)
            })
            .max()
            .map(|d| d.rfc3339())
            .unwrap_or_else(|| "1970-01-01T00:00:00Z".into());
        FeedCtx {
            title: self.site_ctx[lang].title,
            permalink: self.config.permalink(&self.feed_paths[lang]),
            updated,
            entries,
        }
    }
}

/// File, line, column and message of a diagnostic.
type Place = (String, usize, usize, String);

/// One template mistake breaks every page that uses it: report it once, naming
/// the first page and how many others (its [`Context::Rendering`]).
fn merge_repeats(diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut groups: BTreeMap<Place, (Diagnostic, Vec<String>)> = BTreeMap::new();
    for mut d in diags {
        let source = d.context.take().map(|c| match *c {
            Context::Rendering { source, .. } => source,
        });
        let key = (d.file.clone(), d.line, d.column, d.message.clone());
        let group = groups.entry(key).or_insert_with(|| (d, Vec::new()));
        group.1.extend(source);
    }
    groups
        .into_values()
        .map(|(mut d, mut sources)| {
            sources.sort();
            if let Some(first) = sources.first() {
                d = d.context(Context::Rendering {
                    source: first.clone(),
                    others: sources.len() - 1,
                });
            }
            d
        })
        .collect()
}

/// The output sink as the image stage writes through it.
struct SinkOut<'s>(&'s dyn Sink);

impl crate::images::Out for SinkOut<'_> {
    fn write(&self, path: &str, bytes: &[u8]) -> std::io::Result<()> {
        self.0.write(path, bytes)
    }
    fn copy(&self, path: &str, from: &std::path::Path) -> std::io::Result<()> {
        self.0.copy(path, from)
    }
    fn share(&self, path: &str, from: &std::path::Path) -> std::io::Result<()> {
        self.0.share(path, from)
    }
}

enum JobError {
    User(Diagnostic),
    Internal(String),
    /// The disk (or the user's quota) is full.
    DiskFull,
}

/// A small page that sends the reader (and search engines) to `to`.
pub fn redirect_html(to: &str) -> String {
    let to = escape_attr(to);
    format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Moved</title>\n<link rel=\"canonical\" href=\"{to}\">\n<meta name=\"robots\" content=\"noindex\">\n<meta http-equiv=\"refresh\" content=\"0; url={to}\">\n</head>\n<body>\n<p>This page has moved to <a href=\"{to}\">{to}</a>.</p>\n</body>\n</html>\n"
    )
}
