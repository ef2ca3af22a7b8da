//! Search: the rendered site → one search index per language, written by
//! `follicle build` beside the pages (no extra tool or step).
//!
//! Takes: a [`Site`] whose Markdown is rendered, the [`Config`]. Gives: the
//! files under `search-index/<lang>/` ([`index`] describes them), which the
//! clinic theme's search page (`search.html`, `static/search.js`) reads.
//!
//! Why our own engine and not Pagefind's: Pagefind's browser side is
//! WebAssembly, which the site's Content-Security-Policy (`script-src 'self'`
//! without `'wasm-unsafe-eval'`, see `render::publish`) does not run; the
//! figures against the Pagefind CLI are in docs/search.md (`benches/search.sh`).
//!
//! What is indexed: pages, not sections or listings; never drafts, stand-ins
//! for missing translations, or pages with `in_search_index = false`. The text
//! is the title, the description, the prose (the Markdown stage's HTML with
//! its tags stripped) and the FAQ questions and answers.

pub mod analyse;
pub mod index;
pub mod language;
pub mod text;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use ahash::AHashMap;
use rayon::prelude::*;

use crate::config::Config;
use crate::content::tree::{Page, Site};
use crate::markdown::Rendered;
use crate::output::Sink;
use crate::render::Job;

pub use analyse::Analysed;
pub use index::Doc;
pub use language::Language;

/// The folder of the indexes inside the output.
pub const DIR: &str = "search-index";

/// Whether a page belongs in its language's index.
pub fn indexed(page: &Page) -> bool {
    let m = &page.doc.meta;
    !m.draft && page.doc.fallback_from.is_none() && m.in_search_index != Some(false)
}

/// The indexed pages of one language as the index sees them, in URL order.
pub fn documents(site: &Site, config: &Config, lang: &str) -> Vec<Doc> {
    pages(site, lang)
        .par_iter()
        .map(|p| document(site, config, p))
        .collect()
}

/// The indexed pages of one language, in URL order (a page's number in the
/// index is its place here).
fn pages<'a>(site: &'a Site, lang: &str) -> Vec<&'a Page> {
    let mut pages: Vec<&Page> = site
        .pages
        .iter()
        .filter(|p| p.doc.lang == lang && indexed(p))
        .collect();
    pages.sort_by(|a, b| a.url.cmp(&b.url));
    pages
}

/// What a page's document is made of besides its rendered HTML: when these
/// and the HTML are as before, so are its document and its counted words.
#[derive(Debug, Clone, PartialEq)]
struct Key {
    url: String,
    title: String,
    description: String,
    section: String,
    reviewed: Option<String>,
    questions: Vec<String>,
}

fn key(site: &Site, config: &Config, p: &Page) -> Key {
    let m = &p.doc.meta;
    let section = &site.sections[p.section];
    Key {
        url: config.href(&p.url),
        title: m.title.clone(),
        description: m.description.clone(),
        section: if section.doc.section_dir.is_empty() {
            String::new()
        } else {
            section.doc.meta.title.clone()
        },
        reviewed: m.reviewed_on.map(|d| d.ymd()),
        questions: m.faq.iter().map(|f| f.question.clone()).collect(),
    }
}

fn document(site: &Site, config: &Config, p: &Page) -> Doc {
    document_of(key(site, config, p), p)
}

fn document_of(key: Key, p: &Page) -> Doc {
    let prose = text::strip_html(&p.rendered.html);
    let mut fields = vec![(4, key.title.clone()), (2, key.description.clone())];
    for (q, answer) in key.questions.iter().zip(p.faq_html.iter()) {
        fields.push((2, q.clone()));
        fields.push((1, text::strip_html(answer)));
    }
    let excerpt = excerpt(&key.description, &prose);
    fields.push((1, prose));
    Doc {
        url: key.url,
        title: key.title,
        section: key.section,
        reviewed: key.reviewed,
        excerpt,
        fields,
    }
}

/// The description, then the prose, with runs of white space made one space,
/// cut at a word boundary within [`index::EXCERPT_BYTES`].
fn excerpt(description: &str, prose: &str) -> String {
    let mut out = String::new();
    for w in description
        .split_whitespace()
        .chain(prose.split_whitespace())
    {
        if out.len() + w.len() + 1 > index::EXCERPT_BYTES {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// What the search stage writes: files (path inside the output, bytes) and
/// the index files that no longer exist.
#[derive(Debug, Default)]
pub struct Emitted {
    pub files: Vec<(String, Vec<u8>)>,
    pub removed: Vec<String>,
}

/// The index files of the given languages (all the site's when `None`).
/// Without a cache (`build`) every file. With one (`serve`, `watch`), only
/// pages that changed since the cache last saw them are read and counted;
/// for a named language whose pages are the same URLs as before, only the
/// files those pages' edits change are given (their shards, the manifest,
/// their document files), and the files it no longer has are `removed`.
/// With `None`, every file of every language.
pub fn files(
    site: &Site,
    config: &Config,
    langs: Option<&BTreeSet<String>>,
    cache: Option<&Cache>,
) -> Emitted {
    let mut out = Emitted::default();
    if let Some(cache) = cache {
        cache.read_last.store(0, Ordering::Relaxed);
    }
    for lang in config.all_languages() {
        if langs.is_some_and(|l| !l.contains(&lang)) {
            continue;
        }
        let emitted = match cache {
            Some(cache) => cache.language(site, config, &lang, langs.is_none()),
            None => fresh(&lang, &entries(site, config, &lang, None)).1,
        };
        let folder = folder(&lang);
        out.files.extend(
            emitted
                .files
                .into_iter()
                .map(|(path, bytes)| (format!("{folder}{path}"), bytes)),
        );
        out.removed
            .extend(emitted.removed.iter().map(|path| format!("{folder}{path}")));
    }
    out
}

/// One language's pages as index entries, in index order: kept ones reused
/// when still current, the rest read afresh (counted in `read`).
fn entries(
    site: &Site,
    config: &Config,
    lang: &str,
    kept: Option<(&Kept, &AtomicUsize)>,
) -> Vec<Arc<Entry>> {
    pages(site, lang)
        .par_iter()
        .map(|p| {
            let key = key(site, config, p);
            let Some((kept, read)) = kept else {
                return Entry::new(key, p);
            };
            match kept
                .by_url
                .get(&key.url)
                .map(|&i| &kept.entries[i as usize])
            {
                Some(e) if e.current(&key, p) => e.clone(),
                _ => {
                    read.fetch_add(1, Ordering::Relaxed);
                    Entry::new(key, p)
                }
            }
        })
        .collect()
}

/// A language's index built from its entries: every file.
fn fresh(lang: &str, entries: &[Arc<Entry>]) -> (Language, language::Rendered) {
    let counted: Vec<&Analysed> = entries.iter().map(|e| &e.analysed).collect();
    let mut index = Language::new(lang, &counted, index::SHARD_BYTES);
    let mut out = index.render_all();
    out.files.extend(
        entries
            .iter()
            .enumerate()
            .map(|(id, e)| (format!("d/{id}.json"), e.shown.clone())),
    );
    (index, out)
}

/// One indexed page as the index last saw it.
struct Entry {
    key: Key,
    html: Arc<Rendered>,
    faq: Arc<Vec<String>>,
    /// Its document file (`d/<n>.json`: what a result shows).
    shown: Vec<u8>,
    analysed: Analysed,
}

impl Entry {
    fn new(key: Key, p: &Page) -> Arc<Entry> {
        let doc = document_of(key.clone(), p);
        Arc::new(Entry {
            key,
            html: p.rendered.clone(),
            faq: p.faq_html.clone(),
            shown: index::doc_file(&doc),
            analysed: Analysed::new(&doc),
        })
    }

    /// Whether this is still page `p`'s entry, whose key is now `key`.
    fn current(&self, key: &Key, p: &Page) -> bool {
        self.key == *key
            && (Arc::ptr_eq(&self.html, &p.rendered) || self.html.html == p.rendered.html)
            && (Arc::ptr_eq(&self.faq, &p.faq_html) || self.faq == p.faq_html)
    }
}

/// What `serve` and `watch` keep between rebuilds, per language: every
/// indexed page's entry (its document file and counted words) in index
/// order, and the language's [`Language`] index. A rebuild reads the text of
/// the pages that changed only, and patches the index with their words, so
/// it writes only the files they change; the files equal a clean build's
/// byte for byte (`tests/incremental.rs`).
#[derive(Default)]
pub struct Cache {
    langs: Mutex<BTreeMap<String, Kept>>,
    /// Pages read and counted afresh by the last [`files`] call.
    read_last: AtomicUsize,
}

/// One language as the cache keeps it.
struct Kept {
    entries: Vec<Arc<Entry>>,
    /// URL → the page's number in the index.
    by_url: AHashMap<String, u32>,
    index: Language,
}

impl Kept {
    fn new(entries: Vec<Arc<Entry>>, index: Language) -> Kept {
        let by_url = entries
            .iter()
            .enumerate()
            .map(|(i, e)| (e.key.url.clone(), i as u32))
            .collect();
        Kept {
            entries,
            by_url,
            index,
        }
    }

    /// Whether `entries` are the same pages in the same order (then every
    /// page keeps its number, and the index can be patched).
    fn same_pages(&self, entries: &[Arc<Entry>]) -> bool {
        self.entries.len() == entries.len()
            && self
                .entries
                .iter()
                .zip(entries)
                .all(|(a, b)| a.key.url == b.key.url)
    }

    /// Patch the index with the pages whose entry changed; gives the files
    /// that changed with them.
    fn patch(&mut self, entries: Vec<Arc<Entry>>) -> language::Rendered {
        let mut groups = BTreeSet::new();
        let mut docs = Vec::new();
        for (id, (old, new)) in self.entries.iter().zip(&entries).enumerate() {
            if Arc::ptr_eq(old, new) {
                continue;
            }
            groups.extend(self.index.replace(id as u32, &old.analysed, &new.analysed));
            if old.shown != new.shown {
                docs.push((format!("d/{id}.json"), new.shown.clone()));
            }
        }
        self.entries = entries;
        let mut out = self.index.render(&groups);
        out.files.extend(docs);
        out
    }

    /// The paths of every file this language's index has.
    fn paths(&self) -> BTreeSet<String> {
        let mut paths = self.index.paths();
        paths.extend((0..self.entries.len()).map(|id| format!("d/{id}.json")));
        paths
    }
}

impl Cache {
    /// How many pages the last rebuild's index read afresh.
    pub fn pages_read_last(&self) -> usize {
        self.read_last.load(Ordering::Relaxed)
    }

    /// One language's files: patched when its pages are the same URLs as
    /// last time (and not `all` are asked for), else built afresh from the
    /// kept entries, with the files the old index had and the new lacks
    /// `removed`.
    fn language(&self, site: &Site, config: &Config, lang: &str, all: bool) -> language::Rendered {
        let mut langs = self.langs.lock().unwrap_or_else(|e| e.into_inner());
        let kept = langs.remove(lang);
        let read = AtomicUsize::new(0);
        let entries = entries(site, config, lang, kept.as_ref().map(|k| (k, &read)));
        // With nothing kept, every page was read.
        let read = match kept {
            Some(_) => read.into_inner(),
            None => entries.len(),
        };
        self.read_last.fetch_add(read, Ordering::Relaxed);
        let (kept, out) = match kept {
            Some(mut k) if !all && k.same_pages(&entries) => {
                let out = k.patch(entries);
                (k, out)
            }
            old => {
                let (index, mut out) = fresh(lang, &entries);
                let kept = Kept::new(entries, index);
                if let Some(old) = old {
                    out.removed = old.paths().difference(&kept.paths()).cloned().collect();
                }
                (kept, out)
            }
        };
        langs.insert(lang.to_string(), kept);
        out
    }
}

/// Write `files` through `sink`, in parallel; gives the number written and
/// the errors (with the path each was for).
pub fn write(
    files: &[(String, Vec<u8>)],
    sink: &dyn Sink,
) -> (usize, Vec<(String, std::io::Error)>) {
    let errors: Vec<(String, std::io::Error)> = files
        .par_iter()
        .filter_map(|(path, bytes)| sink.write(path, bytes).err().map(|e| (path.clone(), e)))
        .collect();
    (files.len() - errors.len(), errors)
}

/// The folder of one language's index inside the output, `search-index/es/`.
pub fn folder(lang: &str) -> String {
    format!("{DIR}/{lang}/")
}

/// The languages whose index a set of re-rendered outputs touches: those of
/// the pages among `jobs` (a page is re-rendered when its document or its
/// Markdown changed, which is when its indexed text can have changed).
pub fn languages_of(site: &Site, jobs: &[Job]) -> BTreeSet<String> {
    jobs.iter()
        .filter_map(|j| match j {
            Job::Page(i) => site.pages.get(*i).map(|p| p.doc.lang.clone()),
            _ => None,
        })
        .collect()
}
