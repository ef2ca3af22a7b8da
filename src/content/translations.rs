//! Translation coverage and staleness, for `follicle check`.
//!
//! Takes: the site tree. Gives: per language, how many of the default language's
//! pages exist in it, which are missing; and every translation older than its
//! source (the source's `updated`, review or publication date is newer). Pure.

use serde::Serialize;

use crate::config::Config;
use crate::content::tree::{Page, Site};
use crate::diagnostic::{Code, Diagnostic};

/// How much of the site exists in one language.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Coverage {
    pub lang: String,
    pub translated: usize,
    /// Pages in the default language.
    pub total: usize,
    /// Source files of default-language pages with no version in `lang`.
    pub missing: Vec<String>,
}

impl Coverage {
    pub fn percent(&self) -> f64 {
        if self.total == 0 {
            100.0
        } else {
            self.translated as f64 * 100.0 / self.total as f64
        }
    }
}

fn originals<'a>(site: &'a Site, config: &'a Config) -> impl Iterator<Item = (usize, &'a Page)> {
    site.pages.iter().enumerate().filter(move |(_, p)| {
        p.doc.lang == config.default_language && p.doc.fallback_from.is_none()
    })
}

/// Coverage of every language other than the default, in `site.toml` order.
pub fn coverage(site: &Site, config: &Config) -> Vec<Coverage> {
    let total = originals(site, config).count();
    config
        .all_languages()
        .into_iter()
        .skip(1)
        .map(|lang| {
            let mut missing = Vec::new();
            let mut translated = 0;
            for (_, p) in originals(site, config) {
                let has = p
                    .translations
                    .iter()
                    .any(|&j| site.pages[j].doc.lang == lang);
                if has {
                    translated += 1;
                } else {
                    missing.push(p.doc.file.clone());
                }
            }
            Coverage {
                lang,
                translated,
                total,
                missing,
            }
        })
        .collect()
}

/// A warning for every translation whose source changed after it.
pub fn stale(site: &Site, config: &Config) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (_, source) in originals(site, config) {
        let Some(source_date) = source.doc.meta.last_change() else {
            continue;
        };
        for &j in &source.translations {
            let t = &site.pages[j];
            let t_date = t.doc.meta.last_change();
            if t_date.is_none_or(|d| d < source_date) {
                let when = t_date.map(|d| d.ymd()).unwrap_or_else(|| "no date".into());
                out.push(
                    Diagnostic::warning(
                        &t.doc.file,
                        format!(
                            "this translation ({when}) is older than its source {} (changed {})",
                            source.doc.file,
                            source_date.ymd()
                        ),
                    )
                    .code(Code::StaleTranslation)
                    .at(1, 1)
                    .hint("bring the translation up to date, then set its `updated` date"),
                );
            }
        }
    }
    out.sort_by(|a, b| a.file.cmp(&b.file));
    out
}
