//! Incremental rebuilds for `serve` and `watch`.
//!
//! Takes: the set of paths that changed since the last rebuild. Gives: the new
//! output files in memory and what changed. A [`Session`] keeps the loaded site,
//! each Markdown file's parsed document (re-read only when it changed on disk),
//! the Markdown cache and the last outputs. After a rebuild it re-renders only the
//! outputs whose inputs changed, following the dependency rules in `src/lib.rs`:
//!
//! - `site.toml` or a theme file changed, or the site's shape changed (pages added,
//!   removed, moved, re-sorted, sections or taxonomies changed): every output.
//! - Otherwise, for each page whose document or rendered Markdown changed: the page
//!   itself; and when what other pages show of it changed (title, description, URL,
//!   dates, reading time, summary): its section's listing pages, its neighbours,
//!   its translations and its taxonomy term pages. The sitemap and feeds always.
//!   The search index of each language with a re-rendered page: assembled
//!   again from each page's kept word counts, reading only changed pages.
//!
//! The result after any sequence of edits equals a clean build (tested, also on
//! random edit sequences of a bilingual site in `tests/incremental.rs`). A body
//! edit takes a fast path that keeps the site tree and swaps the new body into
//! the page and its stand-ins in other languages; never after a failed rebuild,
//! whose last site is older than the files.

use std::collections::{BTreeMap, BTreeSet};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Instant, SystemTime};

use rayon::prelude::*;

use crate::build::{self, BuildOptions, DocKey, LoadedSite, MarkdownCache};
use crate::config::{Config, CONFIG_FILE};
use crate::content::{self, Asset, Document, CONTENT_DIR};
use crate::diagnostic::{self, rel, Code, Diagnostic, Failure};
use crate::markdown::Rendered;
use crate::render::{self, Job, Renderer};
use crate::theme::{self, Theme, SITE_STATIC_DIR, THEMES_DIR};
use crate::timing::Timing;

pub use crate::output::{MemSink, Outputs};

/// Modification time and length of a file, to notice changes.
type Stamp = Option<(SystemTime, u64)>;
/// A Markdown file read and parsed, or why it could not be.
type DocResult = Result<Arc<Document>, Vec<Diagnostic>>;

/// A Markdown file as last read.
struct FileEntry {
    stamp: Stamp,
    result: DocResult,
}

/// What one rebuild did.
#[derive(Debug, Default)]
pub struct Rebuild {
    /// Source files that changed (relative to the site root).
    pub changed_sources: Vec<String>,
    /// Output files written or replaced.
    pub written: Vec<String>,
    /// Output files that no longer exist.
    pub removed: Vec<String>,
    /// Whether every output was rendered.
    pub full: bool,
    /// Whether the body-only fast path ran: the site tree was kept and only
    /// the edited bodies (and their stand-ins in other languages) re-rendered.
    pub body_only: bool,
    /// Documents whose Markdown was rendered afresh (the rest came from the
    /// cache): what the rebuild did, not only what changed on disk.
    pub markdown_rendered: Vec<DocKey>,
    /// Pages whose text the search index read and counted afresh (the rest
    /// came from the session's [`crate::search::Cache`]).
    pub search_pages_read: usize,
    pub millis: f64,
    pub warnings: Vec<Diagnostic>,
}

/// The state kept between rebuilds.
pub struct Session {
    opts: BuildOptions,
    config: Option<Config>,
    theme: Option<Result<Arc<Theme>, Vec<Diagnostic>>>,
    files: BTreeMap<PathBuf, FileEntry>,
    assets: Vec<Asset>,
    /// What the folders make of their `index.md` files; it changes only when
    /// the set of files does, so it is worked out again on a rescan only.
    folders: content::Folders,
    walk_warnings: Vec<Diagnostic>,
    cache: MarkdownCache,
    last: Option<LoadedSite>,
    outputs: Arc<Outputs>,
    /// [`shape`] of `last`.
    last_shape: u64,
    /// The last rebuild failed: `last` is older than the files, so the
    /// body-only path (which edits `last`) may not run.
    last_failed: bool,
    /// Each indexed page's counted words, so a rebuild's search index reads
    /// only the pages that changed.
    search: crate::search::Cache,
    /// `.follicle-cache/images/`, shared with `build`.
    image_cache: Arc<crate::images::Cache>,
    /// The image files each templated output read through `resize_image` or
    /// `image_meta`, so a changed photo re-renders them.
    image_users: BTreeMap<PathBuf, Vec<Job>>,
}

/// Where a changed path sits in the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Area {
    Config,
    Theme,
    Content,
    Other,
}

impl Session {
    pub fn new(opts: BuildOptions) -> Session {
        let image_cache = Arc::new(crate::images::Cache::at(&opts.root));
        Session {
            image_cache,
            image_users: BTreeMap::new(),
            opts,
            config: None,
            theme: None,
            files: BTreeMap::new(),
            assets: Vec::new(),
            folders: content::Folders::default(),
            walk_warnings: Vec::new(),
            cache: MarkdownCache::default(),
            last: None,
            outputs: Arc::default(),
            last_shape: 0,
            last_failed: false,
            search: crate::search::Cache::default(),
        }
    }

    pub fn root(&self) -> &Path {
        &self.opts.root
    }

    /// The current outputs (the last good site).
    pub fn outputs(&self) -> Arc<Outputs> {
        self.outputs.clone()
    }

    /// The last good site, if any.
    pub fn site(&self) -> Option<&LoadedSite> {
        self.last.as_ref()
    }

    fn area(&self, path: &Path) -> Area {
        let root = &self.opts.root;
        let rel_path = path.strip_prefix(root).unwrap_or(path);
        if rel_path == Path::new(CONFIG_FILE) {
            Area::Config
        } else if rel_path.starts_with(THEMES_DIR) || rel_path.starts_with(SITE_STATIC_DIR) {
            Area::Theme
        } else if rel_path.starts_with(CONTENT_DIR) {
            Area::Content
        } else {
            Area::Other
        }
    }

    /// Is this path something a rebuild depends on (and not junk)?
    pub fn is_relevant(&self, path: &Path) -> bool {
        let junk = path
            .strip_prefix(&self.opts.root)
            .unwrap_or(path)
            .components()
            .any(|c| content::is_junk(&c.as_os_str().to_string_lossy()));
        !junk && self.area(path) != Area::Other
    }

    /// Build from scratch (the first time, or after `site.toml` changed).
    pub fn full(&mut self) -> Result<Rebuild, Failure> {
        self.config = None;
        self.theme = None;
        self.files.clear();
        self.cache = MarkdownCache::default();
        self.rebuild(&[], true)
    }

    /// Rebuild after `changed` paths (absolute or relative to the root) changed.
    /// `rescan` asks for a fresh walk of `content/` (files were added, removed or
    /// renamed, or the watcher lost track).
    pub fn rebuild(&mut self, changed: &[PathBuf], rescan: bool) -> Result<Rebuild, Failure> {
        let result = self.rebuild_from_last(changed, rescan);
        self.last_failed = result.is_err();
        result
    }

    fn rebuild_from_last(&mut self, changed: &[PathBuf], rescan: bool) -> Result<Rebuild, Failure> {
        let start = Instant::now();
        self.cache.rendered_last.clear();
        let areas: BTreeSet<_> = changed
            .iter()
            .map(|p| self.area(p))
            .map(|a| a as u8)
            .collect();
        let config_changed = self.config.is_none() || areas.contains(&(Area::Config as u8));
        let theme_changed =
            self.refresh_settings(config_changed, areas.contains(&(Area::Theme as u8)))?;
        let config = self.config.clone().expect("config loaded above");
        let content_changed: Vec<PathBuf> = changed
            .iter()
            .filter(|p| self.area(p) == Area::Content)
            .cloned()
            .collect();
        let rescan = rescan
            || self.files.is_empty()
            || content_changed
                .iter()
                .any(|p| !self.files.contains_key(&self.abs(p)) || !self.abs(p).exists());
        let mut timing = Timing::new();
        self.refresh_files(&config, &content_changed, rescan);
        timing.lap("read");
        if !config_changed && !theme_changed && !rescan && !self.last_failed {
            if let Some(done) = self.fast_rebuild(changed, &content_changed, start, &mut timing) {
                return done;
            }
        }
        let loaded = self.loaded();
        let theme = self.theme.clone().expect("theme loaded above");
        let (site, _) = build::assemble(
            config.clone(),
            theme,
            loaded,
            self.opts.drafts,
            build::Mode::serve(&mut self.cache).on(self.opts.today),
            &mut timing,
        )?;
        timing.lap("tree+markdown");
        let new_shape = shape(&site);
        timing.lap("shape");
        let full = theme_changed
            || config_changed
            || self
                .last
                .as_ref()
                .map(|_| self.last_shape != new_shape)
                .unwrap_or(true);
        let jobs = (!full).then(|| self.incremental_jobs(&site, &content_changed));
        timing.lap("plan");
        let (outputs, written, removed) = self.render(&site, jobs)?;
        timing.lap("render");
        timing.report();
        let changed_sources = self.sources(changed);
        let mut warnings = site.warnings.clone();
        warnings.extend(self.walk_warnings.iter().cloned());
        diagnostic::sort(&mut warnings);
        self.outputs = Arc::new(outputs);
        self.last = Some(site);
        self.last_shape = new_shape;
        Ok(Rebuild {
            changed_sources,
            written,
            removed,
            full,
            body_only: false,
            markdown_rendered: std::mem::take(&mut self.cache.rendered_last),
            search_pages_read: self.search.pages_read_last(),
            millis: start.elapsed().as_secs_f64() * 1000.0,
            warnings,
        })
    }

    /// The body-only fast path as a finished [`Rebuild`], when it applies.
    fn fast_rebuild(
        &mut self,
        changed: &[PathBuf],
        content_changed: &[PathBuf],
        start: Instant,
        timing: &mut Timing,
    ) -> Option<Result<Rebuild, Failure>> {
        let changed_abs: Vec<PathBuf> = content_changed.iter().map(|p| self.abs(p)).collect();
        let (written, full) = match self.body_only(&changed_abs)? {
            Ok(done) => done,
            Err(e) => return Some(Err(e)),
        };
        timing.lap("body-only rebuild");
        timing.report();
        let warnings = self
            .last
            .as_ref()
            .map(|s| s.warnings.clone())
            .unwrap_or_default();
        Some(Ok(Rebuild {
            changed_sources: self.sources(changed),
            written,
            removed: Vec::new(),
            full,
            body_only: true,
            markdown_rendered: std::mem::take(&mut self.cache.rendered_last),
            search_pages_read: self.search.pages_read_last(),
            millis: start.elapsed().as_secs_f64() * 1000.0,
            warnings,
        }))
    }

    /// Re-read site.toml and the theme when they changed (the config also when
    /// none was read yet). Gives whether the theme, and so every output, changed.
    fn refresh_settings(
        &mut self,
        config_changed: bool,
        theme_area: bool,
    ) -> Result<bool, Failure> {
        if config_changed {
            let config = build::load_config(&self.opts)?;
            let theme_changed = self
                .config
                .as_ref()
                .map(|c| c.theme != config.theme)
                .unwrap_or(true);
            self.config = Some(config);
            self.cache = MarkdownCache::default();
            self.files.clear();
            if theme_changed {
                self.theme = None;
            }
        }
        let theme_changed = self.theme.is_none() || config_changed || theme_area;
        if theme_changed {
            let name = &self.config.as_ref().expect("config loaded above").theme;
            self.theme = Some(theme::load(&self.opts.root, name).map(Arc::new));
        }
        Ok(theme_changed)
    }

    /// The outputs a rebuild that is not full re-renders: those whose inputs
    /// changed, and each changed file that is copied as it is.
    fn incremental_jobs(&self, site: &LoadedSite, content_changed: &[PathBuf]) -> Vec<Job> {
        let mut jobs = self.dirty_jobs(site);
        let changed_abs: BTreeSet<PathBuf> = content_changed.iter().map(|p| self.abs(p)).collect();
        jobs.extend(
            site.site
                .assets
                .iter()
                .enumerate()
                .filter(|(_, a)| changed_abs.contains(&a.asset.source))
                .map(|(i, _)| Job::Asset(i)),
        );
        // Outputs whose templates resized or measured a changed image.
        for f in &changed_abs {
            for job in self.image_users.get(f).into_iter().flatten() {
                if !jobs.contains(job) {
                    jobs.push(job.clone());
                }
            }
        }
        jobs
    }

    /// Remember which outputs read which image files (all forgotten first
    /// when every output was rendered).
    fn note_image_uses(&mut self, all: bool, uses: &[(Job, BTreeSet<PathBuf>)]) {
        if all {
            self.image_users.clear();
        }
        for (job, files) in uses {
            for f in files {
                let users = self.image_users.entry(f.clone()).or_default();
                if !users.contains(job) {
                    users.push(job.clone());
                }
            }
        }
    }

    /// The changed paths as site-relative names, sorted, once each.
    fn sources(&self, changed: &[PathBuf]) -> Vec<String> {
        let mut names: Vec<String> = changed
            .iter()
            .map(|p| rel(&self.opts.root, &self.abs(p)))
            .collect();
        names.sort();
        names.dedup();
        names
    }

    fn abs(&self, p: &Path) -> PathBuf {
        if p.is_absolute() {
            p.to_path_buf()
        } else {
            self.opts.root.join(p)
        }
    }

    /// Re-read Markdown files that changed; walk `content/` again if asked.
    fn refresh_files(&mut self, config: &Config, changed: &[PathBuf], rescan: bool) {
        let root = self.opts.root.clone();
        let content_dir = root.join(CONTENT_DIR);
        if rescan {
            let (md, assets, warnings) = if content_dir.is_dir() {
                content::walk(&root, &content_dir)
            } else {
                (
                    Vec::new(),
                    Vec::new(),
                    vec![
                        Diagnostic::error(CONTENT_DIR, "there is no content/ folder")
                            .code(Code::NoContent)
                            .hint("create content/_index.md"),
                    ],
                )
            };
            self.assets = assets;
            self.walk_warnings = warnings;
            let keep: BTreeSet<PathBuf> = md.iter().cloned().collect();
            self.files.retain(|p, _| keep.contains(p));
            for p in md {
                self.files.entry(p).or_insert(FileEntry {
                    stamp: None,
                    result: Err(Vec::new()),
                });
            }
        }
        let changed: BTreeSet<PathBuf> = changed.iter().map(|p| self.abs(p)).collect();
        // After a walk every file is checked; otherwise only what the watcher named.
        let candidates: Vec<PathBuf> = if rescan {
            let md_paths: Vec<PathBuf> = self.files.keys().cloned().collect();
            self.folders = content::bundle_dirs(&md_paths, &root);
            md_paths
        } else {
            changed
                .iter()
                .filter(|p| self.files.contains_key(*p))
                .cloned()
                .collect()
        };
        let to_read: Vec<(PathBuf, Stamp)> = candidates
            .into_par_iter()
            .filter_map(|path| {
                let stamp = std::fs::metadata(&path)
                    .ok()
                    .and_then(|m| Some((m.modified().ok()?, m.len())));
                let entry = &self.files[&path];
                // Unchanged on disk and not named by the watcher: keep what was read.
                let unchanged =
                    entry.stamp.is_some() && entry.stamp == stamp && !changed.contains(&path);
                (!unchanged).then_some((path, stamp))
            })
            .collect();
        let read: Vec<(PathBuf, Stamp, DocResult)> = to_read
            .into_par_iter()
            .map(|(path, stamp)| {
                let result =
                    content::read_document(&root, &path, config, &self.folders).map(Arc::new);
                (path, stamp, result)
            })
            .collect();
        for (path, stamp, result) in read {
            if let Some(entry) = self.files.get_mut(&path) {
                entry.stamp = stamp;
                entry.result = result;
            }
        }
    }

    fn loaded(&self) -> content::Loaded {
        let mut loaded = content::Loaded::default();
        let content_dir = self.opts.root.join(CONTENT_DIR);
        for (path, entry) in &self.files {
            match &entry.result {
                Ok(doc) => loaded.documents.push(doc.clone()),
                Err(d) => {
                    loaded.broken.push(rel(&content_dir, path));
                    loaded.diagnostics.extend(d.iter().cloned());
                }
            }
        }
        loaded
            .diagnostics
            .extend(self.walk_warnings.iter().cloned());
        loaded.assets = self.assets.clone();
        // One cache for the whole session, as on disk for `build`.
        loaded.image_cache = self.image_cache.clone();
        loaded.root = self.opts.root.clone();
        loaded
    }

    /// The fast path for the most common edit: only the bodies of existing pages
    /// changed (their front matter text is the same), so the site tree, every URL
    /// and every other page's Markdown stay as they are. Re-renders the changed
    /// bodies (and those of the stand-ins that show them in another language) and
    /// the outputs that show them. `None` when the edit is anything else (the
    /// full incremental path then runs); the result is the same.
    fn body_only(&mut self, changed: &[PathBuf]) -> Option<Result<(Vec<String>, bool), Failure>> {
        let last = self.last.as_ref()?;
        let swaps = self.body_swaps(last, changed)?;
        // Render the new bodies against the unchanged site; any finding in them
        // takes the full path, which reports it with everything else.
        let mut rendered = Vec::new();
        for (_, doc) in &swaps {
            let (r, faq) = build::render_one(doc, last, self.opts.today, &mut self.cache);
            if !r.diagnostics.is_empty() {
                return None;
            }
            rendered.push((r, faq));
        }
        let mut site = self.last.take()?;
        let (mut jobs, listed_changed) = self.apply_swaps(&mut site, swaps, rendered);
        let anchors = build::check_anchors(&site.site, &site.config);
        if !anchors.is_empty() {
            // Leave no half-updated site behind: the next rebuild starts afresh.
            return Some(Err(Failure::Content(anchors)));
        }
        jobs.sort_by_key(|j| format!("{j:?}"));
        jobs.dedup();
        if listed_changed {
            jobs.push(Job::Sitemap);
        }
        if site.config.feed.enabled {
            jobs.extend(site.config.all_languages().into_iter().map(Job::Feed));
        }
        match self.render(&site, Some(jobs)) {
            Ok((outputs, written, _)) => {
                self.outputs = Arc::new(outputs);
                self.last = Some(site);
                Some(Ok((written, false)))
            }
            Err(e) => Some(Err(e)),
        }
    }

    /// The documents to swap in for a body-only edit: each changed file's new
    /// document where the old one was, and a stand-in copy of it where a
    /// language without its own translation showed the old one. `None` when a
    /// change is more than a body (front matter, kind, a new file, a warning).
    fn body_swaps(
        &self,
        last: &LoadedSite,
        changed: &[PathBuf],
    ) -> Option<Vec<(Target, Arc<Document>)>> {
        let root = &self.opts.root;
        let mut swaps: Vec<(Target, Arc<Document>)> = Vec::new();
        for path in changed {
            let new = self.files.get(path)?.result.as_ref().ok()?.clone();
            let file = rel(root, path);
            if last.warnings.iter().any(|w| w.file == file) {
                return None;
            }
            let pages = last.site.pages.iter().enumerate();
            let pages = pages
                .filter(|(_, p)| p.doc.file == file)
                .map(|(i, p)| (Target::Page(i), &p.doc));
            let sections = last.site.sections.iter().enumerate();
            let sections = sections
                .filter(|(_, s)| s.doc.file == file)
                .map(|(i, s)| (Target::Section(i), &s.doc));
            let mut originals = 0;
            for (target, old) in pages.chain(sections) {
                let same_shape = old.front == new.front
                    && old.kind == new.kind
                    && old.body_line == new.body_line;
                if !same_shape {
                    return None;
                }
                match &old.fallback_from {
                    None if old.lang == new.lang => {
                        originals += 1;
                        swaps.push((target, new.clone()));
                    }
                    Some(from) if *from == new.lang => {
                        let stand_in = content::tree::as_fallback(&new, &old.lang);
                        swaps.push((target, Arc::new(stand_in)));
                    }
                    _ => return None,
                }
            }
            if originals != 1 {
                return None;
            }
        }
        (!swaps.is_empty()).then_some(swaps)
    }

    /// Put the new documents and their HTML into `site`; gives the jobs that show
    /// them and whether what listings show of a page changed.
    fn apply_swaps(
        &self,
        site: &mut LoadedSite,
        swaps: Vec<(Target, Arc<Document>)>,
        rendered: Vec<(Arc<Rendered>, Arc<Vec<String>>)>,
    ) -> (Vec<Job>, bool) {
        let mut jobs = Vec::new();
        let mut listed_changed = false;
        for ((target, doc), (r, faq)) in swaps.into_iter().zip(rendered) {
            match target {
                Target::Page(i) => {
                    let before = link_signature(site, i);
                    let p = &mut site.site.pages[i];
                    p.doc = doc;
                    p.rendered = r;
                    p.faq_html = faq;
                    jobs.push(Job::Page(i));
                    if link_signature(site, i) != before {
                        listed_changed = true;
                        jobs.extend(self.listing_jobs(site, i).into_iter().map(JobKey::job));
                    }
                }
                Target::Section(s) => {
                    let sec = &mut site.site.sections[s];
                    sec.doc = doc;
                    sec.rendered = r;
                    let pagers = render::pager_count(sec.pages.len(), sec.doc.meta.paginate_by);
                    jobs.extend((1..=pagers).map(|pager| Job::Section { section: s, pager }));
                }
            }
        }
        (jobs, listed_changed)
    }

    /// Outputs that list page `i`: its section's listing pages, its neighbours,
    /// its translations and its taxonomy terms.
    fn listing_jobs(&self, site: &LoadedSite, i: usize) -> BTreeSet<JobKey> {
        let mut dirty = BTreeSet::new();
        let p = &site.site.pages[i];
        let sec = &site.site.sections[p.section];
        for pager in 1..=render::pager_count(sec.pages.len(), sec.doc.meta.paginate_by) {
            dirty.insert(JobKey::Section(p.section, pager));
        }
        dirty.extend(
            p.previous
                .into_iter()
                .chain(p.next)
                .chain(p.translations.iter().copied())
                .map(JobKey::Page),
        );
        for (t, tax) in site.site.taxonomies.iter().enumerate() {
            for (k, term) in tax.terms.iter().enumerate() {
                if term.pages.contains(&i) {
                    dirty.insert(JobKey::Term(t, k));
                }
            }
        }
        dirty
    }

    /// Jobs whose inputs changed, when the site's shape did not.
    fn dirty_jobs(&self, site: &LoadedSite) -> Vec<Job> {
        let old = self
            .last
            .as_ref()
            .expect("dirty_jobs needs a previous site");
        let mut dirty: BTreeSet<JobKey> = BTreeSet::new();
        let mut listed_changed = false;
        for (i, (p, q)) in site.site.pages.iter().zip(&old.site.pages).enumerate() {
            let same_doc = build::same_document(&p.doc, &q.doc)
                && Arc::ptr_eq(&p.rendered, &q.rendered)
                && Arc::ptr_eq(&p.faq_html, &q.faq_html);
            if same_doc {
                continue;
            }
            dirty.insert(JobKey::Page(i));
            if link_signature(site, i) != link_signature(old, i) {
                listed_changed = true;
                dirty.extend(self.listing_jobs(site, i));
            }
        }
        for (s, (a, b)) in site
            .site
            .sections
            .iter()
            .zip(&old.site.sections)
            .enumerate()
        {
            if !Arc::ptr_eq(&a.rendered, &b.rendered) {
                let pagers = render::pager_count(a.pages.len(), a.doc.meta.paginate_by);
                for pager in 1..=pagers {
                    dirty.insert(JobKey::Section(s, pager));
                }
            }
        }
        let mut jobs: Vec<Job> = dirty.into_iter().map(JobKey::job).collect();
        // The sitemap shows URLs and dates only, which the signature covers.
        if listed_changed {
            jobs.push(Job::Sitemap);
        }
        if site.config.feed.enabled {
            jobs.extend(site.config.all_languages().into_iter().map(Job::Feed));
        }
        jobs
    }

    /// Render `jobs` (or all) and merge them into the outputs.
    fn render(
        &mut self,
        site: &LoadedSite,
        jobs: Option<Vec<Job>>,
    ) -> Result<(Outputs, Vec<String>, Vec<String>), Failure> {
        let all = jobs.is_none();
        let jobs = jobs.unwrap_or_else(|| render::plan(&site.site, &site.config, &site.theme));
        let renderer = Renderer::new(&site.config, &site.site, &site.theme, &site.strings);
        let sink = MemSink::default();
        let mut timing = Timing::new();
        let outcome = renderer.run(&jobs, &sink);
        self.note_image_uses(all, &outcome.image_uses);
        // Serve and watch share the image cache with build; hashes of
        // unchanged photos are remembered for the next run.
        site.site.images.cache.save_index();
        timing.lap("render jobs");
        // The search index of each language a re-rendered page is in (all on a
        // full render): only changed pages are read, and their edits patch
        // the kept index, which gives the files they changed and the files
        // gone; unchanged files are not `written`.
        let langs = (!all).then(|| crate::search::languages_of(&site.site, &jobs));
        let index =
            crate::search::files(&site.site, &site.config, langs.as_ref(), Some(&self.search));
        if let Some((path, e)) = crate::search::write(&index.files, &sink)
            .1
            .into_iter()
            .next()
        {
            return Err(Failure::Internal(format!(
                "cannot keep {path} in memory: {e}"
            )));
        }
        timing.lap("search index");
        timing.report();
        if !outcome.internal.is_empty() {
            return Err(Failure::Internal(outcome.internal.join("\n")));
        }
        if !outcome.diagnostics.is_empty() {
            return Err(Failure::Content(outcome.diagnostics));
        }
        let fresh = sink.files.into_inner().unwrap_or_default();
        let mut written: Vec<String> = fresh
            .iter()
            .filter(|(k, v)| self.outputs.get(*k).map(|old| old != *v).unwrap_or(true))
            .map(|(k, _)| k.clone())
            .collect();
        written.sort();
        if all {
            let mut removed: Vec<String> = self
                .outputs
                .keys()
                .filter(|k| !fresh.contains_key(*k))
                .cloned()
                .collect();
            removed.sort();
            Ok((fresh, written, removed))
        } else {
            let mut merged: Outputs = (*self.outputs).clone();
            // Index files a re-emitted language no longer has.
            let mut removed = index.removed;
            removed.sort();
            for k in &removed {
                merged.remove(k);
            }
            merged.extend(fresh);
            Ok((merged, written, removed))
        }
    }
}

/// A document's place in the site.
#[derive(Debug, Clone, Copy)]
enum Target {
    Page(usize),
    Section(usize),
}

/// Job identity for de-duplication.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum JobKey {
    Page(usize),
    Section(usize, usize),
    Term(usize, usize),
}

impl JobKey {
    fn job(self) -> Job {
        match self {
            JobKey::Page(i) => Job::Page(i),
            JobKey::Section(section, pager) => Job::Section { section, pager },
            JobKey::Term(taxonomy, term) => Job::Term { taxonomy, term },
        }
    }
}

/// What other outputs show of page `i`.
fn link_signature(site: &LoadedSite, i: usize) -> u64 {
    let p = &site.site.pages[i];
    let m = &p.doc.meta;
    let mut h = DefaultHasher::new();
    (
        &m.title,
        &m.description,
        &p.url,
        m.date,
        m.updated,
        m.reviewed_on,
        &p.rendered.summary,
    )
        .hash(&mut h);
    p.rendered.word_count.div_ceil(200).hash(&mut h);
    h.finish()
}

/// Everything about the site that appears on many pages: page order and URLs,
/// sections, taxonomies, translations, assets. A change means a full render.
fn shape(site: &LoadedSite) -> u64 {
    let mut h = DefaultHasher::new();
    for p in &site.site.pages {
        (
            &p.doc.file,
            &p.url,
            p.section,
            p.previous,
            p.next,
            &p.translations,
            &p.doc.meta.aliases,
            &p.doc.meta.taxonomies,
            &p.doc.meta.template,
        )
            .hash(&mut h);
    }
    // Top-level pages are linked from every page's navigation.
    for p in site
        .site
        .pages
        .iter()
        .filter(|p| p.doc.section_dir.is_empty())
    {
        (&p.doc.meta.title, &p.url).hash(&mut h);
    }
    for s in &site.site.sections {
        let m = &s.doc.meta;
        (
            &s.doc.file,
            &s.url,
            &m.title,
            &m.description,
            &s.pages,
            &s.subsections,
            s.parent,
            &s.translations,
        )
            .hash(&mut h);
        (
            &m.aliases,
            &m.template,
            &m.page_template,
            m.paginate_by,
            m.paginate_reversed,
            &m.redirect_to,
            m.render,
            m.weight,
        )
            .hash(&mut h);
        (
            &m.extra.len(),
            serde_json::to_string(&m.extra).unwrap_or_default(),
        )
            .hash(&mut h);
    }
    for t in &site.site.taxonomies {
        (&t.name, &t.lang, &t.url).hash(&mut h);
        for term in &t.terms {
            (&term.name, &term.url, &term.pages).hash(&mut h);
        }
    }
    for a in &site.site.assets {
        (&a.output, &a.asset.file).hash(&mut h);
    }
    h.finish()
}
