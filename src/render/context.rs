//! Typed template contexts: what a theme's templates can read.
//!
//! Every template gets one [`TemplateContext`]; every key is always present
//! (`null` when it does not apply), so templates can test `{% if page %}` without
//! Tera complaining about undefined names. The template context table in
//! `docs/content/reference/themes.md` documents these structs for theme authors;
//! keep the two in step.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::Serialize;

use crate::config::{Clinic, Config, Person};
use crate::content::frontmatter::{Audience, FmDate};
use crate::content::tree::{Page, Section, Site};
use crate::markdown::{LinkResolver, TocEntry};

#[derive(Serialize)]
pub struct TemplateContext<'a> {
    /// Converted to a template value once per language (see `Renderer`).
    #[serde(skip)]
    pub site: &'a SiteCtx<'a>,
    /// The language of the page being rendered.
    pub lang: &'a str,
    /// Theme strings for `lang`, falling back to the default language's.
    #[serde(skip)]
    pub i18n: &'a BTreeMap<String, String>,
    /// Path of the output as links write it, `/treatment/aftercare/` (with
    /// the base path of a sub-path `base_url` in front).
    pub current_path: Cow<'a, str>,
    /// Absolute URL of the output.
    pub current_url: String,
    /// Meta description, canonical link, OpenGraph and Twitter tags, hreflang
    /// alternates and the JSON-LD graph: print it in `<head>` with `| safe`.
    pub seo_head: String,
    pub page: Option<PageCtx<'a>>,
    pub section: Option<SectionCtx<'a>>,
    pub paginator: Option<PaginatorCtx<'a>>,
    pub taxonomy: Option<TaxonomyCtx<'a>>,
    pub term: Option<TermCtx<'a>>,
    /// Set by the sitemap template only.
    pub sitemap: Option<Vec<SitemapEntry>>,
    /// Set by the feed template only.
    pub feed: Option<FeedCtx<'a>>,
}

/// `config` in templates, as Zola names it: the site's title, description,
/// address and `[extra]` (`config.extra.phone_note`), the same values as
/// `site.title`, `site.extra`, … (imported Hugo `params` and Jekyll custom
/// variables are in `[extra]` too).
#[derive(Serialize)]
pub struct ConfigCtx<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub base_url: &'a str,
    pub default_language: &'a str,
    pub extra: &'a toml::Table,
}

impl<'a> ConfigCtx<'a> {
    pub fn of(site: &SiteCtx<'a>) -> Self {
        ConfigCtx {
            title: site.title,
            description: site.description,
            base_url: site.base_url,
            default_language: site.default_language,
            extra: site.extra,
        }
    }
}

/// The site, the same for every page of one language.
#[derive(Serialize)]
pub struct SiteCtx<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub base_url: &'a str,
    /// The path part of `base_url`: `/`, or `/my-clinic/` for a site under a
    /// sub-path. Theme files are linked as `{{ site.base_path }}style.css`.
    pub base_path: Cow<'a, str>,
    pub default_language: &'a str,
    pub languages: Vec<LanguageCtx<'a>>,
    pub clinic: &'a Clinic,
    pub people: &'a BTreeMap<String, Person>,
    pub extra: &'a toml::Table,
    /// Top-level sections of this language, for navigation.
    pub sections: Vec<SectionLink<'a>>,
    /// `[[nav]]` of this language with its links resolved; empty when the
    /// site has none (the theme then lists `sections`).
    pub nav: Vec<Crumb<'a>>,
    /// Top-level pages of this language (about, contact, FAQ, …) in the home
    /// section's order, for navigation.
    pub pages: Vec<PageLink<'a>>,
    /// Taxonomies of this language.
    pub taxonomies: Vec<TaxonomyLink<'a>>,
    /// Site-relative path of the Atom feed, if feeds are on.
    pub feed_path: Option<String>,
    /// `[markdown] highlight`: link the theme's `highlight.css`.
    pub highlight: bool,
}

#[derive(Serialize)]
pub struct LanguageCtx<'a> {
    pub code: &'a str,
    pub name: &'a str,
    /// Home page path of this language, `/` or `/es/`.
    pub path: String,
}

/// A date in the forms templates need.
#[derive(Serialize, Clone)]
pub struct DateCtx {
    /// `2026-03-31`
    pub iso: String,
    /// `2026-03-31T00:00:00Z`
    pub rfc3339: String,
    /// `31 March 2026`
    pub display: String,
    pub year: i16,
}

impl DateCtx {
    /// The date, with `display` in the language of `strings` (theme keys
    /// `date_format` with `{day}`, `{month}`, `{year}`, and `month_1`…`month_12`),
    /// else English.
    pub fn localized(d: &FmDate, strings: Option<&BTreeMap<String, String>>) -> DateCtx {
        let mut ctx = DateCtx::of(d);
        let Some(strings) = strings else { return ctx };
        let z = d.date;
        if let (Some(fmt), Some(month)) = (
            strings.get("date_format"),
            strings.get(&format!("month_{}", z.month())),
        ) {
            ctx.display = fmt
                .replace("{day}", &z.day().to_string())
                .replace("{month}", month)
                .replace("{year}", &z.year().to_string());
        }
        ctx
    }

    pub fn of(d: &FmDate) -> DateCtx {
        let z = d.date;
        DateCtx {
            iso: d.ymd(),
            rfc3339: d.rfc3339(),
            display: format!(
                "{} {} {}",
                z.day(),
                MONTHS[(z.month() - 1) as usize],
                z.year()
            ),
            year: z.year(),
        }
    }
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

#[derive(Serialize)]
pub struct PersonCtx<'a> {
    pub key: &'a str,
    pub name: &'a str,
    pub credentials: &'a str,
    pub role: &'a str,
    pub url: &'a str,
    /// The language `credentials` and `role` are written in.
    pub lang: &'a str,
}

#[derive(Serialize)]
pub struct SourceCtx<'a> {
    pub title: &'a str,
    pub url: &'a str,
    pub publisher: &'a str,
    pub doi: Option<&'a str>,
    pub pmid: Option<&'a str>,
    /// The source's language, when its front matter gives one.
    pub lang: Option<&'a str>,
}

#[derive(Serialize)]
pub struct FaqCtx<'a> {
    pub question: &'a str,
    /// The answer rendered from Markdown to HTML.
    pub answer: &'a str,
}

/// A breadcrumb or navigation link.
#[derive(Serialize)]
pub struct Crumb<'a> {
    pub title: &'a str,
    pub path: Cow<'a, str>,
}

/// Another language version of the current page.
#[derive(Serialize)]
pub struct TranslationLink<'a> {
    pub lang: &'a str,
    pub title: &'a str,
    pub path: Cow<'a, str>,
    pub permalink: String,
}

/// A page as listed on other pages: no content, so listings stay cheap.
#[derive(Serialize)]
pub struct PageLink<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub path: Cow<'a, str>,
    pub permalink: String,
    pub date: Option<DateCtx>,
    pub reading_time: usize,
    pub summary: Option<&'a str>,
    /// Set when the page is not translated yet and shows the default language.
    pub fallback: Option<FallbackCtx<'a>>,
}

/// A page shown in the default language because it has no translation yet.
#[derive(Serialize, Clone)]
pub struct FallbackCtx<'a> {
    /// The language the content is in.
    pub lang: &'a str,
    /// That language's name, e.g. "English".
    pub lang_name: &'a str,
    /// Path of the original page.
    pub path: Cow<'a, str>,
}

#[derive(Serialize)]
pub struct SectionLink<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub path: Cow<'a, str>,
    pub page_count: usize,
}

#[derive(Serialize)]
pub struct TermLink<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    pub path: Cow<'a, str>,
    pub page_count: usize,
}

#[derive(Serialize)]
pub struct TaxonomyLink<'a> {
    pub name: &'a str,
    pub path: Cow<'a, str>,
}

#[derive(Serialize)]
pub struct PageCtx<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub path: Cow<'a, str>,
    pub permalink: String,
    pub lang: &'a str,
    /// The page's HTML, from its Markdown.
    pub content: &'a str,
    /// HTML before `<!-- more -->`, or the front matter `summary`.
    pub summary: Option<&'a str>,
    pub toc: &'a [TocEntry],
    pub word_count: usize,
    /// Minutes, at 200 words a minute, at least 1.
    pub reading_time: usize,
    pub date: Option<DateCtx>,
    pub updated: Option<DateCtx>,
    pub weight: Option<i64>,
    pub draft: bool,
    pub taxonomies: BTreeMap<&'a str, Vec<TermLink<'a>>>,
    pub authors: &'a [String],
    pub keywords: &'a [String],
    pub extra: &'a serde_json::Map<String, serde_json::Value>,
    pub reviewed_by: Option<PersonCtx<'a>>,
    pub reviewed_on: Option<DateCtx>,
    pub next_review: Option<DateCtx>,
    pub sources: Vec<SourceCtx<'a>>,
    pub faq: Vec<FaqCtx<'a>>,
    pub audience: Option<Audience>,
    /// Sections from the home page down to this page's section.
    pub ancestors: Vec<Crumb<'a>>,
    pub previous: Option<PageLink<'a>>,
    pub next: Option<PageLink<'a>>,
    pub translations: Vec<TranslationLink<'a>>,
    /// Files beside the page in its bundle folder.
    pub assets: &'a [String],
    /// The Markdown file, `content/treatment/aftercare.md`.
    pub source_file: &'a str,
    /// Set when this is the default language's page standing in for a missing
    /// translation: show a notice, mark the content with `lang`.
    pub fallback: Option<FallbackCtx<'a>>,
}

#[derive(Serialize)]
pub struct SectionCtx<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub path: Cow<'a, str>,
    pub permalink: String,
    pub lang: &'a str,
    pub content: &'a str,
    pub toc: &'a [TocEntry],
    /// All pages of the section, sorted (use `paginator.pages` when paginating).
    pub pages: Vec<PageLink<'a>>,
    pub subsections: Vec<SectionLink<'a>>,
    pub ancestors: Vec<Crumb<'a>>,
    pub translations: Vec<TranslationLink<'a>>,
    pub extra: &'a serde_json::Map<String, serde_json::Value>,
    pub source_file: &'a str,
    pub fallback: Option<FallbackCtx<'a>>,
}

#[derive(Serialize)]
pub struct PaginatorCtx<'a> {
    pub pages: Vec<PageLink<'a>>,
    /// 1-based.
    pub current_index: usize,
    pub number_pagers: usize,
    pub first: String,
    pub last: String,
    pub previous: Option<String>,
    pub next: Option<String>,
}

#[derive(Serialize)]
pub struct TaxonomyCtx<'a> {
    pub name: &'a str,
    pub path: Cow<'a, str>,
    pub terms: Vec<TermLink<'a>>,
    /// The same taxonomy in the site's other languages.
    pub translations: Vec<TranslationLink<'a>>,
}

#[derive(Serialize)]
pub struct TermCtx<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    pub path: Cow<'a, str>,
    pub taxonomy: &'a str,
    pub pages: Vec<PageLink<'a>>,
    /// The same term (same slug) in the site's other languages, where used.
    pub translations: Vec<TranslationLink<'a>>,
}

#[derive(Serialize)]
pub struct SitemapEntry {
    pub permalink: String,
    pub lastmod: Option<String>,
    /// Every language version including this one, and `x-default`, when the
    /// page is translated (hreflang in the sitemap).
    pub alternates: Vec<Alternate>,
}

#[derive(Serialize)]
pub struct Alternate {
    pub hreflang: String,
    pub permalink: String,
}

#[derive(Serialize)]
pub struct FeedCtx<'a> {
    pub title: &'a str,
    pub permalink: String,
    /// RFC 3339 time of the newest entry.
    pub updated: String,
    pub entries: Vec<FeedEntry<'a>>,
}

#[derive(Serialize)]
pub struct FeedEntry<'a> {
    pub title: &'a str,
    pub permalink: String,
    pub published: String,
    pub updated: String,
    pub summary: &'a str,
    pub content: &'a str,
    pub authors: &'a [String],
}

/// Builds the pieces of context from the site model.
pub struct Builder<'a> {
    pub config: &'a Config,
    pub site: &'a Site,
    /// Theme strings per language, for dates and language names.
    pub strings: &'a std::collections::HashMap<String, BTreeMap<String, String>>,
}

impl<'a> Builder<'a> {
    /// A site-relative path as templates link to it (with the base path of a
    /// sub-path `base_url`; borrowed when the site is at the root).
    pub fn href(&self, path: &'a str) -> Cow<'a, str> {
        href(self.config, path)
    }

    pub fn reading_time(words: usize) -> usize {
        words.div_ceil(200).max(1)
    }

    pub fn page_link(&self, i: usize) -> PageLink<'a> {
        let p: &'a Page = &self.site.pages[i];
        PageLink {
            title: &p.doc.meta.title,
            description: &p.doc.meta.description,
            path: self.href(&p.url),
            permalink: self.config.permalink(&p.url),
            date: p.doc.meta.date.as_ref().map(|d| self.date(d, &p.doc.lang)),
            reading_time: Self::reading_time(p.rendered.word_count),
            summary: page_summary(p),
            fallback: self.fallback(
                &p.doc,
                p.translations
                    .first()
                    .map(|&j| self.site.pages[j].url.as_str()),
            ),
        }
    }

    fn date(&self, d: &FmDate, lang: &str) -> DateCtx {
        DateCtx::localized(d, self.strings.get(lang))
    }

    /// The name of a language, from `[languages.x] name`, else its code.
    pub fn language_name(&self, code: &'a str) -> &'a str {
        match self.config.languages.get_key_value(code) {
            Some((k, l)) if l.name.is_empty() => k,
            Some((_, l)) => &l.name,
            None => code,
        }
    }

    fn fallback(
        &self,
        doc: &'a crate::content::Document,
        original: Option<&'a str>,
    ) -> Option<FallbackCtx<'a>> {
        let from = doc.fallback_from.as_deref()?;
        let lang: &'a str = if from == self.config.default_language {
            &self.config.default_language
        } else {
            from
        };
        Some(FallbackCtx {
            lang,
            lang_name: self.language_name(lang),
            path: self.href(original.unwrap_or("/")),
        })
    }

    /// Links to the sections that have a page (`render = false` ones do not).
    fn linkable(&self, sections: &[usize]) -> Vec<SectionLink<'a>> {
        sections
            .iter()
            .filter(|&&j| self.site.sections[j].doc.meta.render)
            .map(|&j| self.section_link(j))
            .collect()
    }

    pub fn section_link(&self, i: usize) -> SectionLink<'a> {
        let s: &'a Section = &self.site.sections[i];
        SectionLink {
            title: &s.doc.meta.title,
            description: &s.doc.meta.description,
            path: self.href(&s.url),
            page_count: s.pages.len(),
        }
    }

    /// The sections from the root to `section`, inclusive.
    /// Sections without a page of their own (`render = false`) are skipped.
    pub fn ancestors(&self, section: usize) -> Vec<Crumb<'a>> {
        self.ancestor_sections(section)
            .into_iter()
            .map(|s| Crumb {
                title: &s.doc.meta.title,
                path: self.href(&s.url),
            })
            .collect()
    }

    /// [`Builder::ancestors`] as the sections themselves (site-relative URLs,
    /// for structured data).
    pub fn ancestor_sections(&self, section: usize) -> Vec<&'a Section> {
        let mut chain = Vec::new();
        let mut cur = Some(section);
        while let Some(i) = cur {
            let s: &'a Section = &self.site.sections[i];
            if s.doc.meta.render {
                chain.push(s);
            }
            cur = s.parent;
        }
        chain.reverse();
        chain
    }

    fn term_links(&self, p: &'a Page) -> BTreeMap<&'a str, Vec<TermLink<'a>>> {
        let mut out = BTreeMap::new();
        for tax in self.site.taxonomies.iter().filter(|t| t.lang == p.doc.lang) {
            let Some(terms) = p.doc.meta.taxonomies.get(&tax.name) else {
                continue;
            };
            let links = terms
                .iter()
                .filter_map(|t| {
                    let slug = slug::slugify(t);
                    tax.terms.iter().find(|x| x.slug == slug)
                })
                .map(|t| TermLink {
                    name: &t.name,
                    slug: &t.slug,
                    path: self.href(&t.url),
                    page_count: t.pages.len(),
                })
                .collect();
            out.insert(tax.name.as_str(), links);
        }
        out
    }

    /// The page's reviewer, with their text in the page's language.
    fn reviewer(&self, p: &'a Page) -> Option<PersonCtx<'a>> {
        let key = p.doc.meta.reviewed_by.as_deref()?;
        let (key, person) = self.config.people_for(&p.doc.lang).get_key_value(key)?;
        Some(PersonCtx {
            key,
            name: &person.name,
            credentials: &person.credentials,
            role: &person.role,
            url: &person.url,
            lang: &person.lang,
        })
    }

    pub fn page(&self, i: usize) -> PageCtx<'a> {
        let p: &'a Page = &self.site.pages[i];
        let m = &p.doc.meta;
        let reviewed_by = self.reviewer(p);
        PageCtx {
            title: &m.title,
            description: &m.description,
            path: self.href(&p.url),
            permalink: self.config.permalink(&p.url),
            lang: &p.doc.lang,
            content: &p.rendered.html,
            summary: page_summary(p),
            toc: &p.rendered.toc,
            word_count: p.rendered.word_count,
            reading_time: Self::reading_time(p.rendered.word_count),
            date: m.date.as_ref().map(|d| self.date(d, &p.doc.lang)),
            updated: m.updated.as_ref().map(|d| self.date(d, &p.doc.lang)),
            weight: m.weight,
            draft: m.draft,
            taxonomies: self.term_links(p),
            authors: &m.authors,
            keywords: &m.keywords,
            extra: &m.extra,
            reviewed_by,
            reviewed_on: m.reviewed_on.as_ref().map(|d| self.date(d, &p.doc.lang)),
            next_review: m.next_review.as_ref().map(|d| self.date(d, &p.doc.lang)),
            sources: m
                .sources
                .iter()
                .map(|s| SourceCtx {
                    title: &s.title,
                    url: s.url.as_str(),
                    publisher: &s.publisher,
                    doi: s.doi.as_ref().map(|d| d.as_str()),
                    pmid: s.pmid.as_ref().map(|d| d.as_str()),
                    lang: s.lang.as_ref().map(|l| l.as_str()),
                })
                .collect(),
            faq: m
                .faq
                .iter()
                .zip(p.faq_html.iter())
                .map(|(f, html)| FaqCtx {
                    question: &f.question,
                    answer: html,
                })
                .collect(),
            audience: m.audience,
            ancestors: self.ancestors(p.section),
            previous: p.previous.map(|j| self.page_link(j)),
            next: p.next.map(|j| self.page_link(j)),
            translations: p
                .translations
                .iter()
                .map(|&j| {
                    let t: &'a Page = &self.site.pages[j];
                    TranslationLink {
                        lang: &t.doc.lang,
                        title: &t.doc.meta.title,
                        path: self.href(&t.url),
                        permalink: self.config.permalink(&t.url),
                    }
                })
                .collect(),
            assets: &p.assets,
            source_file: &p.doc.file,
            fallback: self.fallback(
                &p.doc,
                p.translations
                    .iter()
                    .map(|&j| &self.site.pages[j])
                    .find(|t| t.doc.lang == self.config.default_language)
                    .map(|t| t.url.as_str()),
            ),
        }
    }

    pub fn section(&self, i: usize) -> SectionCtx<'a> {
        let s: &'a Section = &self.site.sections[i];
        SectionCtx {
            title: &s.doc.meta.title,
            description: &s.doc.meta.description,
            path: self.href(&s.url),
            permalink: self.config.permalink(&s.url),
            lang: &s.doc.lang,
            content: &s.rendered.html,
            toc: &s.rendered.toc,
            pages: s.pages.iter().map(|&p| self.page_link(p)).collect(),
            subsections: self.linkable(&s.subsections),
            ancestors: self.ancestors(i),
            translations: s
                .translations
                .iter()
                .map(|&j| {
                    let t: &'a Section = &self.site.sections[j];
                    TranslationLink {
                        lang: &t.doc.lang,
                        title: &t.doc.meta.title,
                        path: self.href(&t.url),
                        permalink: self.config.permalink(&t.url),
                    }
                })
                .collect(),
            extra: &s.doc.meta.extra,
            source_file: &s.doc.file,
            fallback: self.fallback(
                &s.doc,
                s.translations
                    .iter()
                    .map(|&j| &self.site.sections[j])
                    .find(|t| t.doc.lang == self.config.default_language)
                    .map(|t| t.url.as_str()),
            ),
        }
    }

    /// The site context for one language.
    /// Every language of the site, for the language switcher.
    fn language_links(&self) -> Vec<LanguageCtx<'a>> {
        let config = self.config;
        config
            .all_languages()
            .into_iter()
            .map(|code| {
                let (code_ref, name): (&'a str, &'a str) =
                    match config.languages.get_key_value(&code) {
                        Some((k, l)) => (
                            k.as_str(),
                            if l.name.is_empty() {
                                k.as_str()
                            } else {
                                l.name.as_str()
                            },
                        ),
                        None => (
                            config.default_language.as_str(),
                            config.default_language.as_str(),
                        ),
                    };
                LanguageCtx {
                    code: code_ref,
                    name,
                    path: if code == config.default_language {
                        config.href("/")
                    } else {
                        config.href(&format!("/{code}/"))
                    },
                }
            })
            .collect()
    }

    pub fn site_ctx(&self, lang: &str) -> SiteCtx<'a> {
        let config = self.config;
        let lang_cfg = config.languages.get(lang);
        let pick = |own: Option<&'a str>, default: &'a str| {
            own.filter(|s| !s.is_empty()).unwrap_or(default)
        };
        let root = self
            .site
            .sections
            .iter()
            .position(|s| s.doc.lang == lang && s.doc.section_dir.is_empty());
        let sections = root
            .map(|r| self.linkable(&self.site.sections[r].subsections))
            .unwrap_or_default();
        let pages = root
            .map(|r| {
                self.site.sections[r]
                    .pages
                    .iter()
                    .map(|&i| self.page_link(i))
                    .collect()
            })
            .unwrap_or_default();
        SiteCtx {
            title: pick(lang_cfg.map(|l| l.title.as_str()), &config.title),
            description: pick(
                lang_cfg.map(|l| l.description.as_str()),
                &config.description,
            ),
            base_url: &config.base_url,
            base_path: href(config, "/"),
            default_language: &config.default_language,
            languages: self.language_links(),
            clinic: config.clinic_for(lang),
            people: config.people_for(lang),
            extra: &config.extra,
            sections,
            nav: config
                .nav_for(lang)
                .iter()
                .filter_map(|l| {
                    let path = nav_target(&l.url, lang, &config.default_language, &|p| {
                        self.site.resolve(p)
                    })?;
                    Some(Crumb {
                        title: &l.name,
                        path: match path {
                            NavTarget::Site(p) => Cow::Owned(href(config, &p).into_owned()),
                            NavTarget::Address => Cow::Borrowed(&l.url),
                        },
                    })
                })
                .collect(),
            pages,
            taxonomies: self
                .site
                .taxonomies
                .iter()
                .filter(|t| t.lang == lang && !t.terms.is_empty())
                .map(|t| TaxonomyLink {
                    name: &t.name,
                    path: self.href(&t.url),
                })
                .collect(),
            feed_path: config
                .feed
                .enabled
                .then(|| config.href(&super::feed_path(config, lang))),
            highlight: config.markdown.highlight,
        }
    }
}

/// Where a `[[nav]]` link leads.
#[derive(Debug, PartialEq, Eq)]
pub enum NavTarget {
    /// A path on this site, without the base path.
    Site(String),
    /// An address written in full, used as it is.
    Address,
}

/// Resolve a `[[nav]]` `url`: `@/file.md` to its page's path (in a language
/// other than the default, its translation `file.<lang>.md` when there is
/// one), `/path/` as it is, anything else as an address. `None` when an `@/`
/// link names no page (`build::check_nav` reports it).
pub fn nav_target(
    url: &str,
    lang: &str,
    default_language: &str,
    resolve: &dyn Fn(&str) -> Option<String>,
) -> Option<NavTarget> {
    if let Some(file) = url.strip_prefix("@/") {
        let (file, anchor) = file.split_once('#').map_or((file, ""), |(f, a)| (f, a));
        let translated = (lang != default_language)
            .then(|| {
                let stem = file.strip_suffix(".md")?;
                resolve(&format!("{stem}.{lang}.md"))
            })
            .flatten();
        let path = translated.or_else(|| resolve(file))?;
        return Some(NavTarget::Site(if anchor.is_empty() {
            path
        } else {
            format!("{path}#{anchor}")
        }));
    }
    if url.starts_with('/') && !url.starts_with("//") {
        return Some(NavTarget::Site(url.to_string()));
    }
    Some(NavTarget::Address)
}

/// `path` with the base path of a sub-path `base_url` in front, borrowed when
/// the site is at the root (the common case costs nothing).
pub fn href<'a>(config: &Config, path: &'a str) -> Cow<'a, str> {
    match config.path_prefix() {
        "" => Cow::Borrowed(path),
        prefix => Cow::Owned(format!("{prefix}{path}")),
    }
}

/// The markdown stage puts either the `<!-- more -->` part or the escaped
/// front matter `summary` here.
fn page_summary(p: &Page) -> Option<&str> {
    p.rendered.summary.as_deref()
}
