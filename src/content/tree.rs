//! The site tree: place documents in sections, assign URLs, sort, collect
//! taxonomies and check that no two sources claim one URL.
//!
//! Takes: [`Loaded`] documents and assets. Gives: a [`Site`] whose pages and
//! sections know their URLs, parents, children and neighbours. Pure: no I/O.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use unicode_normalization::UnicodeNormalization;

use crate::config::Config;
use crate::content::frontmatter::SortBy;
use crate::content::{title_case, Asset, DocKind, Document, Loaded, Meta};
use crate::diagnostic::{Code, Diagnostic};
use crate::markdown::{LinkResolver, Rendered};

/// The whole site, placed and linked, ready to render.
#[derive(Debug, Default)]
pub struct Site {
    pub pages: Vec<Page>,
    pub sections: Vec<Section>,
    pub taxonomies: Vec<Taxonomy>,
    pub assets: Vec<PlacedAsset>,
    /// `treatment/aftercare.md` → `/treatment/aftercare/`, for `@/` links.
    pub urls: HashMap<String, String>,
    /// Content paths of Markdown files that exist but failed to load.
    pub broken: std::collections::HashSet<String>,
    /// Every raster image by output path, and the image cache.
    pub images: crate::images::Catalog,
}

#[derive(Debug)]
pub struct Page {
    pub doc: Arc<Document>,
    /// Site-relative URL, `/treatment/aftercare/`.
    pub url: String,
    /// Index of the section in [`Site::sections`].
    pub section: usize,
    /// URLs of files that sit beside the page in its bundle.
    pub assets: Vec<String>,
    pub previous: Option<usize>,
    pub next: Option<usize>,
    /// The same page in other languages (indices into `pages`), sorted by language.
    pub translations: Vec<usize>,
    pub rendered: Arc<Rendered>,
    /// FAQ answers rendered from Markdown, in front matter order.
    pub faq_html: Arc<Vec<String>>,
}

#[derive(Debug)]
pub struct Section {
    pub doc: Arc<Document>,
    pub url: String,
    pub parent: Option<usize>,
    /// Pages in this section, sorted as `sort_by` says.
    pub pages: Vec<usize>,
    pub subsections: Vec<usize>,
    /// False for a folder without `_index.md`.
    pub explicit: bool,
    pub translations: Vec<usize>,
    pub rendered: Arc<Rendered>,
}

#[derive(Debug)]
pub struct Taxonomy {
    pub name: String,
    pub lang: String,
    pub url: String,
    pub terms: Vec<Term>,
}

#[derive(Debug)]
pub struct Term {
    pub name: String,
    pub slug: String,
    pub url: String,
    /// Pages with this term, newest first.
    pub pages: Vec<usize>,
}

/// A file copied as it is, and where it goes.
#[derive(Debug, Clone)]
pub struct PlacedAsset {
    pub asset: Asset,
    /// Output path relative to the output folder, `/` separators.
    pub output: String,
}

impl Site {
    /// Every page's document, then every section's: the order the Markdown
    /// stage works in (its results go back by this index).
    pub fn documents(&self) -> impl Iterator<Item = &Arc<Document>> {
        self.pages
            .iter()
            .map(|p| &p.doc)
            .chain(self.sections.iter().map(|s| &s.doc))
    }

    /// [`Site::documents`], to change them.
    pub fn documents_mut(&mut self) -> impl Iterator<Item = &mut Arc<Document>> {
        self.pages
            .iter_mut()
            .map(|p| &mut p.doc)
            .chain(self.sections.iter_mut().map(|s| &mut s.doc))
    }
}

impl LinkResolver for Site {
    fn resolve(&self, content_path: &str) -> Option<String> {
        self.urls.get(content_path).cloned()
    }

    fn is_broken(&self, content_path: &str) -> bool {
        self.broken.contains(content_path)
    }
}

/// Options that change what the tree holds.
#[derive(Debug, Clone, Copy, Default)]
pub struct TreeOptions {
    pub drafts: bool,
}

/// Build the tree. Returns the site and every problem found.
pub fn build(loaded: Loaded, config: &Config, opts: TreeOptions) -> (Site, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut site = Site::default();
    let (docs, assets) = (loaded.documents, loaded.assets);
    site.images.cache = loaded.image_cache;
    site.images.root = loaded.root;
    site.broken = loaded.broken.into_iter().collect();
    // A draft section hides everything under it, as in Zola.
    let hidden: Vec<String> = docs
        .iter()
        .filter(|d| d.kind == DocKind::Section && d.meta.draft && !opts.drafts)
        .map(|d| d.section_dir.clone())
        .collect();
    let under_hidden = |d: &Document| {
        let dir = if d.kind == DocKind::Section {
            &d.section_dir
        } else {
            &d.link_dir
        };
        hidden
            .iter()
            .any(|h| h.is_empty() || dir == h || dir.starts_with(&format!("{h}/")))
    };
    let (section_docs, mut page_docs): (Vec<Arc<Document>>, Vec<Arc<Document>>) = docs
        .into_iter()
        .filter(|d| opts.drafts || (!d.meta.draft && !under_hidden(d)))
        .partition(|d| d.kind == DocKind::Section);
    page_docs.extend(fallback_pages(&page_docs, config));
    place_sections(&mut site, section_docs, &page_docs, config);
    place_pages(&mut site, page_docs, config, &mut diags);
    place_assets(&mut site, assets);
    yield_folder_pages(&mut site, config);
    link_translations(&mut site);
    sort_sections(&mut site);
    collect_taxonomies(&mut site, config);
    for p in site.pages.iter().filter(|p| p.doc.fallback_from.is_none()) {
        site.urls.insert(p.doc.content_path.clone(), p.url.clone());
    }
    for s in site.sections.iter().filter(|s| s.explicit) {
        site.urls.insert(s.doc.content_path.clone(), s.url.clone());
    }
    for a in &site.assets {
        site.urls
            .entry(a.asset.content_path.clone())
            .or_insert_with(|| format!("/{}", a.output));
        if let Some(info) = &a.asset.image {
            let entry = crate::images::Entry {
                source: a.asset.source.clone(),
                file: a.asset.file.clone(),
                output: a.output.clone(),
                info: info.clone(),
            };
            site.images.entries.insert(a.output.clone(), entry);
        }
    }
    diags.extend(check_collisions(&mut site, config));
    (site, diags)
}

fn lang_prefix(config: &Config, lang: &str) -> String {
    if lang == config.default_language {
        String::new()
    } else {
        format!("/{lang}")
    }
}

/// `treatment/advanced` → `/treatment/advanced/` (each folder slugified).
fn dir_url(prefix: &str, dir: &str) -> String {
    let mut url = format!("{prefix}/");
    for seg in dir.split('/').filter(|s| !s.is_empty()) {
        url.push_str(&slug::slugify(seg));
        url.push('/');
    }
    url
}

/// A writer's `path` (`care/aftercare`, `/care/aftercare.html`) as a site URL:
/// a folder with `index.html`, unless it names a file by a web extension and has
/// no trailing slash (`/2019/11/07/Rust-1.39.0/` is a folder). A path that
/// already starts with the language (`/ar/about` on an Arabic page) is not
/// prefixed again, as in Zola.
fn custom_url(prefix: &str, path: &str) -> String {
    let trimmed = path.trim_matches('/');
    let lang = prefix.trim_start_matches('/');
    let prefix =
        if !lang.is_empty() && (trimmed == lang || trimmed.starts_with(&format!("{lang}/"))) {
            ""
        } else {
            prefix
        };
    let last = trimmed.rsplit('/').next().unwrap_or("");
    let is_file = !path.ends_with('/')
        && last.rsplit_once('.').is_some_and(|(_, ext)| {
            ["html", "htm", "xml", "json", "txt", "rss", "atom"]
                .iter()
                .any(|e| ext.eq_ignore_ascii_case(e))
        });
    if is_file {
        format!("{prefix}/{trimmed}")
    } else if trimmed.is_empty() {
        format!("{prefix}/")
    } else {
        format!("{prefix}/{trimmed}/")
    }
}

fn implicit_section(dir: &str, lang: &str, config: &Config) -> Arc<Document> {
    let index = if dir.is_empty() {
        "_index.md".to_string()
    } else {
        format!("{dir}/_index.md")
    };
    // Messages name the folder: the `_index.md` does not exist.
    let file = if dir.is_empty() {
        "content/".to_string()
    } else {
        format!("content/{dir}/")
    };
    let title = if dir.is_empty() {
        config
            .languages
            .get(lang)
            .map(|l| l.title.clone())
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| config.title.clone())
    } else {
        title_case(dir.rsplit('/').next().unwrap_or(dir))
    };
    Arc::new(Document {
        kind: DocKind::Section,
        content_path: index.clone(),
        translation_key: index,
        file,
        lang: lang.to_string(),
        section_dir: dir.to_string(),
        link_dir: dir.to_string(),
        default_slug: String::new(),
        bundle_dir: None,
        fallback_from: None,
        meta: Meta {
            title,
            render: true,
            ..Meta::default()
        },
        front: String::new(),
        front_line: 1,
        keys: Default::default(),
        body: String::new(),
        body_line: 1,
    })
}

/// Stand-ins for pages missing in a language: the default language's page,
/// served under the other language's URL with a notice, so a reader never meets
/// a 404 for a page that exists in the default language.
fn fallback_pages(page_docs: &[Arc<Document>], config: &Config) -> Vec<Arc<Document>> {
    let mut have: std::collections::HashSet<(&str, &str)> = std::collections::HashSet::new();
    for d in page_docs {
        have.insert((d.translation_key.as_str(), d.lang.as_str()));
    }
    let mut out = Vec::new();
    for lang in config
        .languages
        .keys()
        .filter(|l| **l != config.default_language)
    {
        for d in page_docs
            .iter()
            .filter(|d| d.lang == config.default_language)
        {
            if !have.contains(&(d.translation_key.as_str(), lang.as_str())) {
                out.push(Arc::new(as_fallback(d, lang)));
            }
        }
    }
    out
}

/// A copy of `doc` standing in for its missing translation into `lang`.
pub fn as_fallback(doc: &Document, lang: &str) -> Document {
    let mut copy = doc.clone();
    copy.fallback_from = Some(doc.lang.clone());
    copy.lang = lang.to_string();
    copy.meta.aliases.clear();
    copy
}

/// Create the sections: explicit ones, then implicit ones for every folder that
/// holds pages (and their ancestors), in every language that has content.
fn place_sections(
    site: &mut Site,
    section_docs: Vec<Arc<Document>>,
    page_docs: &[Arc<Document>],
    config: &Config,
) {
    let mut by_key: BTreeMap<(String, String), Arc<Document>> = BTreeMap::new();
    for d in section_docs {
        by_key.insert((d.section_dir.clone(), d.lang.clone()), d);
    }
    // A section missing in a language stands in with the default language's.
    let defaults: HashMap<String, Arc<Document>> = by_key
        .iter()
        .filter(|((_, l), _)| *l == config.default_language)
        .map(|((dir, _), d)| (dir.clone(), d.clone()))
        .collect();
    let needed = sections_needed(page_docs, by_key.keys().cloned(), config);
    for (dir, lang) in needed {
        let (doc, explicit) = match by_key.remove(&(dir.clone(), lang.clone())) {
            Some(d) => (d, true),
            None => match defaults.get(&dir) {
                Some(d) if lang != config.default_language && !dir.is_empty() => {
                    (Arc::new(as_fallback(d, &lang)), false)
                }
                _ => (implicit_section(&dir, &lang, config), false),
            },
        };
        let prefix = lang_prefix(config, &lang);
        let url = match &doc.meta.path {
            Some(p) => custom_url(&prefix, p),
            None => dir_url(&prefix, &dir),
        };
        site.sections.push(Section {
            doc,
            url,
            parent: None,
            pages: Vec::new(),
            subsections: Vec::new(),
            explicit,
            translations: Vec::new(),
            rendered: Arc::default(),
        });
    }
    link_parents(site);
}

/// Every (folder, language) that needs a section: those with pages or an
/// `_index.md`, the home page, and all their ancestors; sorted.
fn sections_needed(
    page_docs: &[Arc<Document>],
    explicit: impl Iterator<Item = (String, String)>,
    config: &Config,
) -> Vec<(String, String)> {
    let mut needed: Vec<(String, String)> = page_docs
        .iter()
        .map(|p| (p.section_dir.clone(), p.lang.clone()))
        .chain(explicit)
        .chain(std::iter::once((
            String::new(),
            config.default_language.clone(),
        )))
        .collect();
    let mut i = 0;
    while i < needed.len() {
        let (dir, lang) = needed[i].clone();
        if let Some((parent, _)) = dir.rsplit_once('/') {
            needed.push((parent.to_string(), lang));
        } else if !dir.is_empty() {
            needed.push((String::new(), lang));
        }
        i += 1;
    }
    needed.sort();
    needed.dedup();
    needed
}

/// Each section's parent (its folder's parent, same language) and subsections.
fn link_parents(site: &mut Site) {
    let index: HashMap<(String, String), usize> = site
        .sections
        .iter()
        .enumerate()
        .map(|(i, s)| ((s.doc.section_dir.clone(), s.doc.lang.clone()), i))
        .collect();
    for i in 0..site.sections.len() {
        let dir = site.sections[i].doc.section_dir.clone();
        if dir.is_empty() {
            continue;
        }
        let parent_dir = dir
            .rsplit_once('/')
            .map(|(p, _)| p.to_string())
            .unwrap_or_default();
        let lang = site.sections[i].doc.lang.clone();
        if let Some(&p) = index.get(&(parent_dir, lang)) {
            site.sections[i].parent = Some(p);
            site.sections[p].subsections.push(i);
        }
    }
}

fn place_pages(
    site: &mut Site,
    page_docs: Vec<Arc<Document>>,
    config: &Config,
    diags: &mut Vec<Diagnostic>,
) {
    let index: HashMap<(String, String), usize> = site
        .sections
        .iter()
        .enumerate()
        .map(|(i, s)| ((s.doc.section_dir.clone(), s.doc.lang.clone()), i))
        .collect();
    for doc in page_docs {
        let Some(&section) = index.get(&(doc.section_dir.clone(), doc.lang.clone())) else {
            diags.push(
                Diagnostic::error(&doc.file, "internal: no section for this page")
                    .code(Code::Internal),
            );
            continue;
        };
        let prefix = lang_prefix(config, &doc.lang);
        let url = match (&doc.meta.path, &doc.meta.slug) {
            (Some(p), _) => custom_url(&prefix, p),
            (None, Some(s)) => format!("{}{}/", site.sections[section].url, s),
            (None, None) => format!("{}{}/", site.sections[section].url, doc.default_slug),
        };
        let idx = site.pages.len();
        site.sections[section].pages.push(idx);
        site.pages.push(Page {
            doc,
            url,
            section,
            assets: Vec::new(),
            previous: None,
            next: None,
            translations: Vec::new(),
            rendered: Arc::default(),
            faq_html: Arc::default(),
        });
    }
}

/// A folder without `_index.md` whose URL something else has (`x.md` beside
/// `x/`, an alias, a static `x/index.html`) has no page of its own, as in Zola
/// and Jekyll: the other source is served there.
fn yield_folder_pages(site: &mut Site, config: &Config) {
    let mut taken: std::collections::HashSet<String> = std::collections::HashSet::new();
    for p in &site.pages {
        taken.insert(output_file(&p.url));
        let prefix = lang_prefix(config, &p.doc.lang);
        taken.extend(
            p.doc
                .meta
                .aliases
                .iter()
                .map(|a| output_file(&custom_url(&prefix, a))),
        );
    }
    for s in site.sections.iter().filter(|s| s.explicit) {
        let prefix = lang_prefix(config, &s.doc.lang);
        taken.extend(
            s.doc
                .meta
                .aliases
                .iter()
                .map(|a| output_file(&custom_url(&prefix, a))),
        );
    }
    taken.extend(site.assets.iter().map(|a| a.output.clone()));
    for s in site.sections.iter_mut() {
        if !s.explicit && taken.contains(&output_file(&s.url)) {
            let mut doc = (*s.doc).clone();
            doc.meta.render = false;
            s.doc = Arc::new(doc);
        }
    }
}

/// Bundle files go beside their page, and beside every language version of
/// it (`kit/photo.jpg` and `es/kit/photo.jpg`), so a translation's relative
/// `![…](photo.jpg)` works too; every other file keeps its path.
fn place_assets(site: &mut Site, assets: Vec<Asset>) {
    let mut bundles: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, p) in site.pages.iter().enumerate() {
        if let Some(d) = &p.doc.bundle_dir {
            bundles.entry(d.clone()).or_default().push(i);
        }
    }
    for asset in assets {
        let pages = bundles.iter().find_map(|(dir, pages)| {
            let rest = asset.content_path.strip_prefix(&format!("{dir}/"))?;
            Some((rest.to_string(), pages.clone()))
        });
        let Some((rest, pages)) = pages else {
            let output = asset.content_path.clone();
            site.assets.push(PlacedAsset { asset, output });
            continue;
        };
        let mut outputs: Vec<String> = pages
            .iter()
            .map(|&page| {
                let output = format!("{}{rest}", page_folder(&site.pages[page].url));
                site.pages[page].assets.push(format!("/{output}"));
                output
            })
            .collect();
        // The shortest (the default language's) first: `@/` links resolve to it.
        outputs.sort_by_key(|o| (o.len(), o.clone()));
        outputs.dedup();
        for output in outputs {
            site.assets.push(PlacedAsset {
                asset: asset.clone(),
                output,
            });
        }
    }
}

/// The folder a page's files go in: a page written as a file (`/kit.html`)
/// keeps its files beside it.
fn page_folder(url: &str) -> String {
    let url = url.trim_start_matches('/');
    match url.rfind('/') {
        Some(i) => url[..=i].to_string(),
        None => String::new(),
    }
}

/// Translations are the real versions only; a stand-in links to them too.
fn link_translations(site: &mut Site) {
    let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, p) in site
        .pages
        .iter()
        .enumerate()
        .filter(|(_, p)| p.doc.fallback_from.is_none())
    {
        groups
            .entry(p.doc.translation_key.clone())
            .or_default()
            .push(i);
    }
    for i in 0..site.pages.len() {
        let members = groups
            .get(&site.pages[i].doc.translation_key)
            .cloned()
            .unwrap_or_default();
        site.pages[i].translations = members.into_iter().filter(|&j| j != i).collect();
    }
    let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, s) in site
        .sections
        .iter()
        .enumerate()
        .filter(|(_, s)| s.doc.fallback_from.is_none() && s.explicit)
    {
        groups.entry(s.doc.section_dir.clone()).or_default().push(i);
    }
    for i in 0..site.sections.len() {
        let members = groups
            .get(&site.sections[i].doc.section_dir)
            .cloned()
            .unwrap_or_default();
        site.sections[i].translations = members.into_iter().filter(|&j| j != i).collect();
    }
}

/// Sort each section's pages and subsections, and link neighbours.
fn sort_sections(site: &mut Site) {
    for s in 0..site.sections.len() {
        let sort_by = site.sections[s].doc.meta.sort_by.unwrap_or(SortBy::Date);
        let mut pages = std::mem::take(&mut site.sections[s].pages);
        sort_pages(&site.pages, &mut pages, sort_by);
        for (k, &p) in pages.iter().enumerate() {
            site.pages[p].previous = k.checked_sub(1).map(|j| pages[j]);
            site.pages[p].next = pages.get(k + 1).copied();
        }
        site.sections[s].pages = pages;
        let mut subs = std::mem::take(&mut site.sections[s].subsections);
        subs.sort_by(|&a, &b| {
            let (ma, mb) = (&site.sections[a].doc.meta, &site.sections[b].doc.meta);
            (
                ma.weight.unwrap_or(i64::MAX),
                &ma.title,
                &site.sections[a].url,
            )
                .cmp(&(
                    mb.weight.unwrap_or(i64::MAX),
                    &mb.title,
                    &site.sections[b].url,
                ))
        });
        site.sections[s].subsections = subs;
    }
}

/// Sort page indices; ties and missing keys fall back to title, then URL, so the
/// order never depends on the file system.
pub fn sort_pages(pages: &[Page], list: &mut [usize], sort_by: SortBy) {
    list.sort_by(|&a, &b| {
        let (pa, pb) = (&pages[a], &pages[b]);
        let (ma, mb) = (&pa.doc.meta, &pb.doc.meta);
        let primary = match sort_by {
            // Newest first; undated pages last.
            SortBy::Date => mb
                .date
                .cmp(&ma.date)
                .then_with(|| ma.date.is_none().cmp(&mb.date.is_none())),
            SortBy::Weight => ma
                .weight
                .unwrap_or(i64::MAX)
                .cmp(&mb.weight.unwrap_or(i64::MAX)),
            SortBy::UpdateDate => {
                let (ua, ub) = (ma.updated.or(ma.date), mb.updated.or(mb.date));
                ub.cmp(&ua).then_with(|| ua.is_none().cmp(&ub.is_none()))
            }
            SortBy::Title => ma.title.to_lowercase().cmp(&mb.title.to_lowercase()),
            SortBy::TitleBytes => ma.title.cmp(&mb.title),
            SortBy::Slug => last_segment(&pa.url).cmp(last_segment(&pb.url)),
            SortBy::Permalink => pa.url.cmp(&pb.url),
            SortBy::None => std::cmp::Ordering::Equal,
        };
        primary
            .then_with(|| ma.title.cmp(&mb.title))
            .then_with(|| pa.url.cmp(&pb.url))
    });
}

/// `/care/aftercare/` → `aftercare`.
fn last_segment(url: &str) -> &str {
    url.trim_end_matches('/').rsplit('/').next().unwrap_or("")
}

fn collect_taxonomies(site: &mut Site, config: &Config) {
    for lang in config.all_languages() {
        let prefix = lang_prefix(config, &lang);
        for name in config.taxonomies_for(&lang) {
            // `podcast_authors` is served at /podcast-authors/.
            let segment = slug::slugify(name);
            let mut terms: BTreeMap<String, Term> = BTreeMap::new();
            for (i, p) in site
                .pages
                .iter()
                .enumerate()
                .filter(|(_, p)| p.doc.lang == lang)
            {
                for term in p.doc.meta.taxonomies.get(name).into_iter().flatten() {
                    let slug = slug::slugify(term);
                    let entry = terms.entry(slug.clone()).or_insert_with(|| Term {
                        name: config
                            .term_name(&lang, name, &slug)
                            .map_or_else(|| term.clone(), str::to_string),
                        url: format!("{prefix}/{segment}/{slug}/"),
                        slug,
                        pages: Vec::new(),
                    });
                    entry.pages.push(i);
                }
            }
            let mut terms: Vec<Term> = terms.into_values().collect();
            // By the name the reader sees, in the reader's alphabet; the slug
            // (so the URL) breaks ties.
            terms.sort_by(|a, b| {
                super::collate::compare(&lang, &a.name, &b.name).then_with(|| a.slug.cmp(&b.slug))
            });
            for t in &mut terms {
                sort_pages(&site.pages, &mut t.pages, SortBy::Date);
            }
            let has_terms = !terms.is_empty();
            if has_terms || lang == config.default_language {
                site.taxonomies.push(Taxonomy {
                    name: name.clone(),
                    lang: lang.clone(),
                    url: format!("{prefix}/{segment}/"),
                    terms,
                });
            }
        }
    }
}

/// The file a URL is written to: `/a/b/` → `a/b/index.html`.
pub fn output_file(url: &str) -> String {
    let trimmed = url.trim_start_matches('/');
    if trimmed.is_empty() || trimmed.ends_with('/') {
        format!("{trimmed}index.html")
    } else {
        trimmed.to_string()
    }
}

/// One source claiming an output file.
struct Claim {
    output: String,
    /// How the source is named in the message.
    source: String,
    /// The content file, with the line and column of the front matter key that
    /// chose the URL (`slug`, `path`, an alias) when one did.
    file: Option<(String, Option<(usize, usize)>)>,
    /// The document's language (an alias is dropped from that document only).
    lang: String,
    /// Which of the document's aliases this is; `None`: its own URL or not a page.
    alias: Option<usize>,
    /// The URL an alias redirects to.
    target: String,
}

impl Claim {
    fn of_doc(output: String, doc: &Document, key: Option<(usize, usize)>, what: &str) -> Claim {
        let at = key.map(|(l, _)| format!(":{l}")).unwrap_or_default();
        Claim {
            output,
            source: format!("{}{at}{what}", doc.file),
            file: Some((doc.file.clone(), key)),
            lang: doc.lang.clone(),
            alias: None,
            target: String::new(),
        }
    }

    /// A static file or a taxonomy page.
    fn other(
        output: String,
        source: String,
        file: Option<(String, Option<(usize, usize)>)>,
    ) -> Claim {
        Claim {
            output,
            source,
            file,
            lang: String::new(),
            alias: None,
            target: String::new(),
        }
    }

    /// `the alias `/x/``, or how the source is named.
    fn what(&self) -> String {
        match self.source.split_once(" (") {
            Some((_, w)) if self.alias.is_some() => format!("the {}", w.trim_end_matches(')')),
            _ => self.source.clone(),
        }
    }

    /// `content/a.md:7:11 (alias `/x/`)`, for a warning naming both places.
    fn place(&self) -> String {
        match &self.file {
            Some((file, Some((l, c)))) => {
                let what = self
                    .source
                    .split_once(" (")
                    .map_or(String::new(), |(_, w)| format!(" ({w}"));
                format!("{file}:{l}:{c}{what}")
            }
            _ => self.source.clone(),
        }
    }
}

/// Where a document's URL was chosen: its `path` (or `url`, `permalink`) or
/// `slug` key; `None` when the file name chose it.
fn url_key(doc: &Document) -> Option<(usize, usize)> {
    if doc.meta.path.is_some() {
        doc.key_at(&["path", "url", "permalink"])
    } else if doc.meta.slug.is_some() {
        doc.key_at(&["slug"])
    } else {
        None
    }
}

/// Where the `i`th alias is written: its list item, else the `aliases` key.
fn alias_key(doc: &Document, i: usize) -> (usize, usize) {
    let item = |key: &str| format!("{key}.{i}");
    doc.key_at(&[
        &item("aliases"),
        &item("redirect_from"),
        "aliases",
        "redirect_from",
    ])
    .unwrap_or((doc.front_line, 1))
}

/// Pages, `path`s and aliases onto a file Follicle writes itself
/// (`generated`: output path and what it is, from
/// [`crate::render::generated_files`]), or onto a folder where one goes
/// (`/.follicle-output/x/` would replace the marker): each an error at the
/// key that chose the URL.
pub fn check_generated(
    site: &Site,
    config: &Config,
    generated: &[(String, String)],
) -> Vec<Diagnostic> {
    let key = |s: &str| s.nfc().collect::<String>().to_lowercase();
    let taken: HashMap<String, (&str, &str)> = generated
        .iter()
        .map(|(out, what)| (key(out), (out.as_str(), what.as_str())))
        .collect();
    let hit = |output: &str| {
        let k = key(output);
        let folders = k.match_indices('/').map(|(i, _)| &k[..i]);
        std::iter::once(k.as_str())
            .chain(folders)
            .find_map(|p| taken.get(p).copied())
    };
    let docs = site
        .pages
        .iter()
        .map(|p| (&p.url, &p.doc))
        .chain(site.sections.iter().map(|s| (&s.url, &s.doc)));
    let mut diags = Vec::new();
    for (url, doc) in docs {
        let mut urls = vec![(url.clone(), url_key(doc), format!("this page's URL {url}"))];
        for (i, a) in doc.meta.aliases.iter().enumerate() {
            let at = Some(alias_key(doc, i));
            urls.push((
                custom_url(&lang_prefix(config, &doc.lang), a),
                at,
                format!("the alias `{a}`"),
            ));
        }
        for (u, at, what) in urls {
            let Some((out, gen)) = hit(&output_file(&u)) else {
                continue;
            };
            let mut d = Diagnostic::error(
                doc.file.clone(),
                format!("{what} would replace /{out} ({gen}), which Follicle writes itself"),
            ).code(Code::UrlCollision)
            .hint("choose another `path` or alias; /404.html, /sitemap.xml, /robots.txt, the feeds and the theme's static files are Follicle's own");
            if let Some((line, column)) = at {
                d = d.at(line, column);
            }
            diags.push(d);
        }
    }
    diags
}

/// Every output file claimed by two sources, including ones that differ only in
/// letter case or Unicode normalisation (they collide on many hosts). Two
/// pages, sections, files or taxonomies on one URL are an error; an alias that
/// meets one of them gives way (no redirect replaces a page), and of aliases
/// alone the one in the file that sorts last wins, as Hugo keeps the last:
/// both with a warning naming the two places. The aliases that gave way are
/// taken out of their documents, so no redirect is written for them.
fn check_collisions(site: &mut Site, config: &Config) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let mut dropped: Vec<(String, String, usize)> = Vec::new();
    for (_, mut sources) in gather_claims(site, config) {
        if sources.len() < 2 {
            continue;
        }
        let real = sources.iter().filter(|c| c.alias.is_none()).count();
        if real >= 2 {
            diags.push(collision_error(&sources));
            continue;
        }
        // The winner goes last: the real source, else the alias whose file sorts last.
        sources.sort_by(|a, b| (a.alias.is_none(), &a.file).cmp(&(b.alias.is_none(), &b.file)));
        let winner = sources.pop().expect("two or more claims");
        for loser in sources {
            diags.push(alias_gives_way(&loser, &winner));
            if let (Some(i), Some((file, _))) = (loser.alias, &loser.file) {
                dropped.push((file.clone(), loser.lang.clone(), i));
            }
        }
    }
    drop_aliases(site, dropped);
    diags
}

/// Every output file and the sources that claim it, keyed by the file folded
/// to NFC and lower case.
fn gather_claims(site: &Site, config: &Config) -> BTreeMap<String, Vec<Claim>> {
    let mut claims: BTreeMap<String, Vec<Claim>> = BTreeMap::new();
    let mut claim = |c: Claim| {
        let key: String = c.output.nfc().collect::<String>().to_lowercase();
        claims.entry(key).or_default().push(c);
    };
    let docs = site.pages.iter().map(|p| (&p.url, &p.doc)).chain(
        site.sections
            .iter()
            .filter(|s| s.doc.meta.render || s.doc.meta.redirect_to.is_some())
            .map(|s| (&s.url, &s.doc)),
    );
    for (url, doc) in docs {
        claim(Claim::of_doc(output_file(url), doc, url_key(doc), ""));
        for (i, a) in doc.meta.aliases.iter().enumerate() {
            let output = output_file(&custom_url(&lang_prefix(config, &doc.lang), a));
            // An alias naming the page's own URL adds nothing (no redirect is written).
            if output == output_file(url) {
                continue;
            }
            let mut c = Claim::of_doc(
                output,
                doc,
                Some(alias_key(doc, i)),
                &format!(" (alias `{a}`)"),
            );
            c.alias = Some(i);
            c.target = url.clone();
            claim(c);
        }
    }
    for a in &site.assets {
        claim(Claim::other(
            a.output.clone(),
            a.asset.file.clone(),
            Some((a.asset.file.clone(), None)),
        ));
    }
    for t in &site.taxonomies {
        claim(Claim::other(
            output_file(&t.url),
            format!("the `{}` taxonomy", t.name),
            None,
        ));
        for term in &t.terms {
            let what = format!("the `{}` term `{}`", t.name, term.name);
            claim(Claim::other(output_file(&term.url), what, None));
        }
    }
    claims
}

/// Two or more pages, sections, files or taxonomies on one output file.
fn collision_error(sources: &[Claim]) -> Diagnostic {
    let list: Vec<String> = sources
        .iter()
        .map(|c| format!("{} → /{}", c.source, c.output))
        .collect();
    // Point at a content file, at the key that chose its URL if one did.
    let content = || sources.iter().filter_map(|c| c.file.as_ref());
    let (file, at) = content()
        .find(|(_, at)| at.is_some())
        .or_else(|| content().next())
        .cloned()
        .unwrap_or_else(|| ("content".to_string(), None));
    let mut d = Diagnostic::error(
        file,
        format!("{} sources want the same URL /{}: {}", sources.len(), sources[0].output, list.join("; ")),
    )
    .code(Code::UrlCollision)
    .hint("give one of them another `slug` or `path`, or rename the file; URLs that differ only in letter case or accents collide on many hosts");
    if let Some((line, column)) = at {
        d = d.at(line, column);
    }
    d
}

/// The warning for an alias that another source's URL or alias wins over.
fn alias_gives_way(loser: &Claim, winner: &Claim) -> Diagnostic {
    let (file, at) = loser
        .file
        .clone()
        .unwrap_or_else(|| ("content".into(), None));
    let message = if winner.alias.is_some() {
        format!(
            "{} is also claimed by {}; the alias in the file that sorts last wins, as in Hugo, so /{} redirects to {}",
            loser.what(), winner.place(), winner.output, winner.target
        )
    } else {
        format!(
            "{} is the URL of {}, so no redirect is written there and the page stays (Hugo resolves this silently)",
            loser.what(), winner.place()
        )
    };
    let mut d = Diagnostic::warning(file, message)
        .code(Code::UrlCollision)
        .hint("remove the alias from one of the files, or point it at another old URL");
    if let Some((line, column)) = at {
        d = d.at(line, column);
    }
    d
}

/// Take the aliases that gave way out of their documents: (file, language, index).
fn drop_aliases(site: &mut Site, mut dropped: Vec<(String, String, usize)>) {
    if dropped.is_empty() {
        return;
    }
    // Highest index first, so the others keep their places.
    dropped.sort_by_key(|d| std::cmp::Reverse(d.2));
    for doc in site.documents_mut() {
        for (file, lang, i) in &dropped {
            if doc.file == *file && doc.lang == *lang && *i < doc.meta.aliases.len() {
                std::sync::Arc::make_mut(doc).meta.aliases.remove(*i);
            }
        }
    }
}
