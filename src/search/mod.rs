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

pub mod index;
pub mod text;

use std::collections::BTreeSet;

use rayon::prelude::*;

use crate::config::Config;
use crate::content::tree::{Page, Site};
use crate::output::Sink;
use crate::render::Job;

pub use index::Doc;

/// The folder of the indexes inside the output.
pub const DIR: &str = "search-index";

/// Whether a page belongs in its language's index.
pub fn indexed(page: &Page) -> bool {
    let m = &page.doc.meta;
    !m.draft && page.doc.fallback_from.is_none() && m.in_search_index != Some(false)
}

/// The indexed pages of one language as the index sees them, in URL order.
pub fn documents(site: &Site, config: &Config, lang: &str) -> Vec<Doc> {
    let mut pages: Vec<&Page> = site
        .pages
        .iter()
        .filter(|p| p.doc.lang == lang && indexed(p))
        .collect();
    pages.sort_by(|a, b| a.url.cmp(&b.url));
    pages
        .par_iter()
        .map(|p| document(site, config, p))
        .collect()
}

fn document(site: &Site, config: &Config, p: &Page) -> Doc {
    let m = &p.doc.meta;
    let prose = text::strip_html(&p.rendered.html);
    let mut fields = vec![(4, m.title.clone()), (2, m.description.clone())];
    for (f, answer) in m.faq.iter().zip(p.faq_html.iter()) {
        fields.push((2, f.question.clone()));
        fields.push((1, text::strip_html(answer)));
    }
    let section = &site.sections[p.section];
    let section = if section.doc.section_dir.is_empty() {
        String::new()
    } else {
        section.doc.meta.title.clone()
    };
    let excerpt = excerpt(&m.description, &prose);
    fields.push((1, prose));
    Doc {
        url: config.href(&p.url),
        title: m.title.clone(),
        section,
        reviewed: m.reviewed_on.map(|d| d.ymd()),
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

/// Every index file of the given languages (all the site's when `None`), as
/// (path inside the output, bytes).
pub fn files(
    site: &Site,
    config: &Config,
    langs: Option<&BTreeSet<String>>,
) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for lang in config.all_languages() {
        if langs.is_some_and(|l| !l.contains(&lang)) {
            continue;
        }
        let docs = documents(site, config, &lang);
        for (path, bytes) in index::files(&lang, &docs) {
            out.push((format!("{DIR}/{lang}/{path}"), bytes));
        }
    }
    out
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
