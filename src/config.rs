//! `site.toml` → [`Config`].
//!
//! The raw serde structs mirror what a writer types and reject unknown keys; the
//! validated [`Config`] is what the rest of the pipeline sees.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::diagnostic::{did_you_mean, Code, Diagnostic};
use crate::parse::{self, Origin};
use crate::url_policy::LinkUrl;

pub const CONFIG_FILE: &str = "site.toml";
/// The site's own static files (Zola, Hugo): published at the output's root,
/// over a theme's files of the same name.
pub const SITE_STATIC_DIR: &str = "static";

/// The validated site configuration.
#[derive(Debug, Clone, Serialize)]
pub struct Config {
    pub title: String,
    pub description: String,
    /// Always ends with `/`.
    pub base_url: String,
    pub default_language: String,
    pub theme: String,
    pub output_dir: String,
    pub markdown: MarkdownOptions,
    pub taxonomies: Vec<String>,
    pub clinic: Clinic,
    pub people: BTreeMap<String, Person>,
    pub languages: BTreeMap<String, Language>,
    pub feed: FeedOptions,
    pub publish: PublishOptions,
    pub procedure: Procedure,
    pub check: CheckSettings,
    pub images: ImageOptions,
    /// `[[nav]]`: the main menu, in order (`url` is `/path/`, `@/file.md` or
    /// an address). Empty: the theme lists the top-level sections.
    pub nav: Vec<Link>,
    /// Line and column in site.toml of each `[[nav]]` `url`, by key path
    /// (`nav.0.url`, `languages.es.nav.1.url`), for errors found later.
    pub nav_places: BTreeMap<String, (usize, usize)>,
    pub extra: toml::Table,
    /// `[clinic]` and `[people]` per language that translates them (see
    /// [`Config::clinic_for`]).
    pub localized: BTreeMap<String, Localized>,
}

/// `[check]` as written: what `follicle check` holds the site to.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct RawCheck {
    /// Highest Flesch–Kincaid grade an article may have (default 8).
    reading_grade_target: Option<f64>,
    /// A named target instead of a number: `"ama"` is grade 6.
    preset: Option<ReadingPreset>,
    /// Lowest Fernández-Huerta reading ease a Spanish article may have
    /// (default 70, "fairly easy").
    spanish_reading_ease_target: Option<f64>,
    /// A review older than this many years is overdue (default 3).
    max_review_age_years: Option<u32>,
    /// Findings to leave out: a rule (`orphan-page`), a file pattern
    /// (`content/legal/*`), or both (`content/faq.md:reading-level`).
    ignore: Vec<String>,
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum ReadingPreset {
    /// The American Medical Association's advice for patient material: grade 6.
    Ama,
}

/// `[check]`, validated.
#[derive(Debug, Clone, Serialize)]
pub struct CheckSettings {
    pub reading_grade_target: f64,
    /// Spanish articles: the lowest Fernández-Huerta score (0–100, higher is
    /// easier; 70–80 "fairly easy", 80–90 "easy", 90+ "very easy").
    pub spanish_reading_ease_target: f64,
    pub max_review_age_years: u32,
    pub ignore: Vec<String>,
}

impl Default for CheckSettings {
    fn default() -> Self {
        CheckSettings {
            reading_grade_target: 8.0,
            spanish_reading_ease_target: 70.0,
            max_review_age_years: 3,
            ignore: Vec::new(),
        }
    }
}

/// The procedure the site explains, for `MedicalProcedure` structured data.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Procedure {
    pub name: String,
    pub alternate_name: String,
    pub description: String,
    pub body_location: String,
    pub how_performed: String,
    pub preparation: String,
    pub followup: String,
}

impl Default for Procedure {
    fn default() -> Self {
        Procedure {
            name: "Scalp micropigmentation".into(),
            alternate_name: "SMP".into(),
            description: "A cosmetic procedure that places pigment in the upper dermis of the scalp to look like short hair follicles or to add density.".into(),
            body_location: "Scalp".into(),
            how_performed: "A practitioner uses a fine needle to place small dots of pigment in the upper dermis over two to four sessions.".into(),
            preparation: "Wash the scalp, avoid alcohol and blood thinners the day before unless your doctor says otherwise, and shave if your practitioner asks.".into(),
            followup: "For four to five days keep the scalp dry, do not shave, avoid heavy sweating, swimming and saunas, and wear a hat in the sun.".into(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MarkdownOptions {
    /// Curly quotes, en and em dashes, ellipses.
    pub smart_punctuation: bool,
    /// A `#` link after each heading, for sharing a section.
    pub anchor_links: bool,
    /// Open external links in a new tab (adds `rel="noopener"`).
    pub external_links_new_tab: bool,
    /// What happens to HTML written inside Markdown.
    pub raw_html: RawHtml,
    /// Colour fenced code at build time (CSS classes; see `markdown::highlight`).
    pub highlight: bool,
}

/// `[markdown] raw_html`: see `markdown::raw_html`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RawHtml {
    /// Kept where safe; scripts, event handlers, frames, forms, inline styles
    /// and script URLs removed, each with a warning.
    #[default]
    Safe,
    /// Published as written: for sites whose every page a developer checks.
    Trusted,
}

impl Default for MarkdownOptions {
    fn default() -> Self {
        MarkdownOptions {
            smart_punctuation: true,
            anchor_links: true,
            external_links_new_tab: false,
            raw_html: RawHtml::Safe,
            highlight: true,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FeedOptions {
    /// Write `atom.xml`.
    pub enabled: bool,
    /// How many of the newest pages the feed holds.
    pub limit: usize,
}

impl Default for FeedOptions {
    fn default() -> Self {
        FeedOptions {
            enabled: true,
            limit: 20,
        }
    }
}

/// Files for static hosts, written beside the site (`[publish]`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PublishOptions {
    /// Write `_headers` (Netlify, Cloudflare Pages): a strict
    /// Content-Security-Policy and the other security headers.
    pub headers: bool,
    /// Write `_redirects` (Netlify, Cloudflare Pages): a 301 for every alias and
    /// each language's 404 page.
    pub redirects: bool,
    /// The host whose dialect of `_redirects` to write (see
    /// [`crate::render::publish::redirects`]).
    pub host: PublishHost,
}

impl Default for PublishOptions {
    fn default() -> Self {
        PublishOptions {
            headers: true,
            redirects: true,
            host: PublishHost::Any,
        }
    }
}

/// `[publish] host`: Netlify and Cloudflare Pages read the same `_redirects`
/// but differ where an alias's page exists too. Netlify serves the file, not
/// the redirect, unless the rule is forced (`301!`), which Cloudflare refuses
/// as an invalid rule; Cloudflare finds each folder's `404.html` itself and
/// refuses Netlify's `404` rewrites. `any` writes rules both read (on Netlify
/// an alias then answers with its refresh page, not a 301).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PublishHost {
    Any,
    Netlify,
    Cloudflare,
}

/// `[images]`: what every photo in Markdown is published as (see
/// `src/images/`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ImageOptions {
    /// Widths in pixels made of each photo (never wider than the photo).
    pub widths: Vec<u32>,
    /// Encoder quality, 1 (smallest) to 100 (best), for JPEG, WebP and AVIF.
    pub quality: u8,
    /// Modern formats offered before the original's: `avif`, `webp`.
    pub formats: Vec<ImageFormatName>,
    /// AVIF encoder speed, 1 (slowest, smallest) to 10 (fastest).
    pub avif_speed: u8,
}

/// A format `[images] formats` may list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ImageFormatName {
    Avif,
    Webp,
}

impl Default for ImageOptions {
    fn default() -> Self {
        ImageOptions {
            widths: vec![480, 800, 1200, 1600],
            quality: 75,
            formats: vec![ImageFormatName::Avif, ImageFormatName::Webp],
            avif_speed: 9,
        }
    }
}

/// The largest width `[images] widths` may ask for.
pub const MAX_IMAGE_WIDTH: u32 = 8192;

fn validate_images(
    mut raw: ImageOptions,
    at_key: &dyn Fn(&str) -> (usize, usize),
) -> Result<ImageOptions, Diagnostic> {
    let fail = |key: &str, msg: String, hint: &str| {
        let (l, c) = at_key(key);
        Err(Diagnostic::error(CONFIG_FILE, msg)
            .code(Code::InvalidValue)
            .at(l, c)
            .hint(hint.to_string()))
    };
    if raw.widths.is_empty()
        || raw
            .widths
            .iter()
            .any(|w| !(16..=MAX_IMAGE_WIDTH).contains(w))
    {
        return fail(
            "images.widths",
            format!("[images] widths must list widths from 16 to {MAX_IMAGE_WIDTH} pixels"),
            "write for example widths = [480, 800, 1200, 1600]",
        );
    }
    if !(1..=100).contains(&raw.quality) {
        return fail(
            "images.quality",
            format!(
                "[images] quality is {}, but it must be from 1 to 100",
                raw.quality
            ),
            "75 is a good balance of size and detail for photos",
        );
    }
    if !(1..=10).contains(&raw.avif_speed) {
        return fail(
            "images.avif_speed",
            format!(
                "[images] avif_speed is {}, but it must be from 1 to 10",
                raw.avif_speed
            ),
            "9 is fast with small files; 1 is smallest but very slow",
        );
    }
    raw.widths.sort_unstable();
    raw.widths.dedup();
    raw.formats.sort_unstable();
    raw.formats.dedup();
    Ok(raw)
}

/// The clinic behind the site: shown in the footer and used for structured data.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Clinic {
    pub name: String,
    pub street_address: String,
    pub locality: String,
    pub region: String,
    pub postal_code: String,
    pub country: String,
    pub phone: String,
    pub email: String,
    /// Human-readable lines, e.g. `"Monday to Friday, 9:00 to 17:00"`.
    pub opening_hours: Vec<String>,
    pub booking_url: LinkUrl,
    pub accepting_new_patients: bool,
    pub medical_specialty: String,
    /// Shown on every article; a sensible default if empty.
    pub disclaimer: String,
    /// Machine-readable hours for structured data.
    pub opening_hours_spec: Vec<HoursSpec>,
    /// The content file of the contact page, which carries the clinic's details
    /// in its structured data (the home page always does).
    pub contact_page: String,
    /// Where patients report a reaction to a pigment in the clinic's country or
    /// region, besides the FDA's MedWatch (e.g. the local health department).
    pub reaction_reporting: Option<Link>,
    /// Where patients can check a practitioner's registration or licence.
    pub practitioner_register: Option<Link>,
    /// The language `opening_hours` are written in (set by Follicle: the default
    /// language, or the language that translated them), for `lang=` in themes.
    #[serde(skip_deserializing)]
    pub hours_lang: String,
}

/// A named link in `site.toml`: `{ name = "…", url = "https://…" }`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Link {
    pub name: String,
    pub url: LinkUrl,
}

/// `[languages.<code>.clinic]`: the clinic's text in one language. Every key is
/// optional; what is left out is taken from `[clinic]`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ClinicText {
    pub name: Option<String>,
    pub street_address: Option<String>,
    pub locality: Option<String>,
    pub region: Option<String>,
    pub opening_hours: Option<Vec<String>>,
    pub medical_specialty: Option<String>,
    pub disclaimer: Option<String>,
    pub booking_url: Option<LinkUrl>,
    pub reaction_reporting: Option<Link>,
    pub practitioner_register: Option<Link>,
}

/// `[languages.<code>.people.<key>]`: a person's text in one language (their
/// credentials and role, and a page about them in that language).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PersonText {
    pub name: Option<String>,
    pub credentials: Option<String>,
    pub role: Option<String>,
    pub url: Option<LinkUrl>,
}

/// `[clinic]` and `[people]` as one language shows them: the site's, with that
/// language's `[languages.<code>.clinic]` and `.people` laid over them.
#[derive(Debug, Clone, Serialize)]
pub struct Localized {
    pub clinic: Clinic,
    pub people: BTreeMap<String, Person>,
}

/// Opening hours for structured data: `{ days = ["Monday"], opens = "09:00", closes = "17:00" }`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HoursSpec {
    pub days: Vec<Weekday>,
    pub opens: ClockTime,
    pub closes: ClockTime,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
pub enum Weekday {
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
    Saturday,
    Sunday,
}

impl std::fmt::Display for Weekday {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{self:?}")
    }
}

/// `09:00`: checked when read, so a typo points at its line.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(transparent)]
pub struct ClockTime(pub String);

impl<'de> Deserialize<'de> for ClockTime {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        let ok = s.len() == 5
            && s.as_bytes()[2] == b':'
            && s[..2].parse::<u8>().is_ok_and(|h| h < 24)
            && s[3..].parse::<u8>().is_ok_and(|m| m < 60);
        if ok {
            Ok(ClockTime(s))
        } else {
            Err(serde::de::Error::custom(format!(
                "`{s}` is not a time: write it as HH:MM, e.g. \"09:00\""
            )))
        }
    }
}

/// A reviewer or author, defined once and named by key in front matter.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Person {
    pub name: String,
    #[serde(default)]
    pub credentials: String,
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub url: LinkUrl,
    /// The language `credentials` and `role` are written in (set by Follicle).
    #[serde(skip_deserializing)]
    pub lang: String,
}

/// A language other than the default one.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Language {
    pub title: String,
    pub description: String,
    /// The language's own name, for the language switcher (e.g. "Español").
    pub name: String,
    /// Taxonomies of this language (default: the site's).
    pub taxonomies: Option<Vec<String>>,
    /// The clinic's text in this language (opening hours, disclaimer, …).
    pub clinic: ClinicText,
    /// People's credentials and roles in this language, by `[people]` key.
    pub people: BTreeMap<String, PersonText>,
    /// Display names of taxonomy terms, by taxonomy then term slug:
    /// `[languages.es.terms.tags] aftercare = "Cuidados"`.
    pub terms: BTreeMap<String, BTreeMap<String, String>>,
    /// `[[languages.es.nav]]`: this language's main menu (default: the
    /// site's `[[nav]]`).
    pub nav: Option<Vec<Link>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: String,
    #[serde(default)]
    description: String,
    base_url: String,
    #[serde(default = "default_language")]
    default_language: String,
    #[serde(default = "default_theme")]
    theme: String,
    #[serde(default = "default_output")]
    output_dir: String,
    #[serde(default)]
    markdown: MarkdownOptions,
    #[serde(default = "default_taxonomies")]
    taxonomies: Vec<String>,
    #[serde(default)]
    clinic: Clinic,
    #[serde(default)]
    people: BTreeMap<String, Person>,
    #[serde(default)]
    languages: BTreeMap<String, Language>,
    #[serde(default)]
    feed: FeedOptions,
    #[serde(default)]
    publish: PublishOptions,
    #[serde(default)]
    procedure: Procedure,
    #[serde(default)]
    check: RawCheck,
    #[serde(default)]
    images: ImageOptions,
    #[serde(default)]
    nav: Vec<Link>,
    #[serde(default)]
    extra: toml::Table,
}

/// Where each `[[nav]]` `url` is written (see [`Config::nav_places`]).
fn nav_places(raw: &RawConfig, text: &str) -> BTreeMap<String, (usize, usize)> {
    let menus = std::iter::once(("nav".to_string(), raw.nav.len())).chain(
        raw.languages.iter().map(|(code, l)| {
            (
                format!("languages.{code}.nav"),
                l.nav.as_ref().map_or(0, Vec::len),
            )
        }),
    );
    let keys: Vec<String> = menus
        .flat_map(|(at, n)| (0..n).map(move |i| format!("{at}.{i}.url")))
        .collect();
    if keys.is_empty() {
        return BTreeMap::new();
    }
    let origin = Origin {
        file: CONFIG_FILE,
        first_line: 1,
    };
    let Ok((_, tree)) = parse::toml_with_tree::<serde::de::IgnoredAny>(text, origin) else {
        return BTreeMap::new();
    };
    keys.into_iter()
        .map(|k| {
            let place = tree.keys.get(&k).unwrap_or((1, 1));
            (k, place)
        })
        .collect()
}

fn default_language() -> String {
    "en".into()
}
fn default_theme() -> String {
    "clinic".into()
}
fn default_output() -> String {
    "public".into()
}
fn default_taxonomies() -> Vec<String> {
    vec!["tags".into(), "categories".into()]
}

const DEFAULT_DISCLAIMER: &str = "This page is for general education and is not medical advice. \
Talk to a qualified professional about your own situation.";

/// The settings file of a Zola, Hugo or Jekyll site in `root`, and whose it
/// is (a `config.toml` with `baseURL` is Hugo's, else Zola's).
pub fn peer_site(root: &Path) -> Option<(&'static str, &'static str)> {
    const FILES: &[(&str, &str)] = &[
        ("zola.toml", "Zola"),
        ("hugo.toml", "Hugo"),
        ("hugo.yaml", "Hugo"),
        ("hugo.json", "Hugo"),
        ("_config.yml", "Jekyll"),
        ("_config.yaml", "Jekyll"),
    ];
    if let Some(found) = FILES.iter().find(|(f, _)| root.join(f).is_file()) {
        return Some(*found);
    }
    let text = std::fs::read_to_string(root.join("config.toml")).ok()?;
    Some((
        "config.toml",
        if text.contains("baseURL") {
            "Hugo"
        } else {
            "Zola"
        },
    ))
}

impl Config {
    /// Read `site.toml` from the site root.
    pub fn load(root: &Path) -> Result<Config, Diagnostic> {
        let path = root.join(CONFIG_FILE);
        let text = std::fs::read(&path).map_err(|e| {
            let hint = match peer_site(root) {
                Some((file, peer)) => format!(
                    "this folder is a {peer} site ({file}): `follicle build` and `follicle check` take it as it is; to serve or watch it, make a Follicle copy with `follicle import {} . ../my-site`",
                    peer.to_ascii_lowercase()
                ),
                None => "run follicle in a site folder (one with site.toml), pass --root, or create one with `follicle init`".to_string(),
            };
            Diagnostic::error(CONFIG_FILE, format!("cannot read {CONFIG_FILE}: {e}"))
                .code(Code::Config)
                .hint(hint)
        })?;
        let text = String::from_utf8(text).map_err(|_| {
            Diagnostic::error(CONFIG_FILE, "the file is not valid UTF-8")
                .code(Code::Encoding)
                .hint("save site.toml as UTF-8")
        })?;
        Config::parse(&text)
    }

    /// Parse and validate the text of `site.toml`.
    pub fn parse(text: &str) -> Result<Config, Diagnostic> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let origin = Origin {
            file: CONFIG_FILE,
            first_line: 1,
        };
        let raw: RawConfig = parse::toml(text, origin)?;
        Config::validate(raw, text)
    }

    fn validate(raw: RawConfig, text: &str) -> Result<Config, Diagnostic> {
        let at_key = |key: &str| crate::parse::locate_key(text, key, 1);
        let nav_places = nav_places(&raw, text);
        let base_url = normalise_base_url(&raw.base_url).map_err(|msg| {
            let (l, c) = at_key("base_url");
            Diagnostic::error(CONFIG_FILE, msg)
                .code(Code::UrlScheme)
                .at(l, c)
                .hint("write a full address such as \"https://clinic.example/\"")
        })?;
        check_languages(&raw, &at_key)?;
        check_taxonomy_names(&raw.taxonomies, &at_key)?;
        let check = validate_check(&raw.check, &at_key)?;
        let mut clinic = raw.clinic;
        if clinic.disclaimer.trim().is_empty() {
            clinic.disclaimer = DEFAULT_DISCLAIMER.into();
        }
        if clinic.contact_page.is_empty() {
            clinic.contact_page = "contact.md".into();
        }
        let mut people = raw.people;
        mark_language(&raw.default_language, &mut clinic, &mut people);
        let localized = localize(
            &raw.default_language,
            &clinic,
            &people,
            &raw.languages,
            &at_key,
        )?;
        check_term_tables(&raw.languages, &raw.taxonomies, &at_key)?;
        Ok(Config {
            localized,
            title: raw.title,
            description: raw.description,
            base_url,
            default_language: raw.default_language,
            theme: raw.theme,
            output_dir: raw.output_dir,
            markdown: raw.markdown,
            taxonomies: raw.taxonomies,
            clinic,
            people,
            languages: raw.languages,
            feed: raw.feed,
            publish: raw.publish,
            procedure: raw.procedure,
            check,
            images: validate_images(raw.images, &at_key)?,
            nav_places,
            nav: raw.nav,
            extra: raw.extra,
        })
    }

    /// Every language of the site, default first. (`[languages.<default>]` may
    /// exist to give the default language its name.)
    pub fn all_languages(&self) -> Vec<String> {
        let mut v = vec![self.default_language.clone()];
        v.extend(
            self.languages
                .keys()
                .filter(|k| **k != self.default_language)
                .cloned(),
        );
        v
    }

    /// Taxonomies used in `lang`.
    pub fn taxonomies_for(&self, lang: &str) -> &[String] {
        self.languages
            .get(lang)
            .and_then(|l| l.taxonomies.as_deref())
            .unwrap_or(&self.taxonomies)
    }

    /// Is `code` one of the site's languages?
    pub fn has_language(&self, code: &str) -> bool {
        code == self.default_language || self.languages.contains_key(code)
    }

    /// The path of a sub-path `base_url` without its last slash: `/my-clinic`
    /// for `https://user.github.io/my-clinic/`, `""` for a site at the root.
    /// Every site-relative path the site writes into a link carries it.
    pub fn path_prefix(&self) -> &str {
        let rest = self.base_url.split_once("://").map_or("", |(_, r)| r);
        rest.find('/')
            .map_or("", |i| rest[i..].trim_end_matches('/'))
    }

    /// A site-relative path (`/treatment/`) as a link writes it: with the
    /// [`Config::path_prefix`] in front (`/my-clinic/treatment/`).
    pub fn href(&self, path: &str) -> String {
        format!("{}{path}", self.path_prefix())
    }

    /// The site's spelling of the language `code` names (tags compare
    /// case-insensitively, as BCP 47 says: `pt-br` is `pt-BR`).
    pub fn language_named(&self, code: &str) -> Option<&str> {
        std::iter::once(&self.default_language)
            .chain(self.languages.keys())
            .find(|l| l.eq_ignore_ascii_case(code))
            .map(String::as_str)
    }

    /// The absolute URL of a site-relative path such as `/treatment/`.
    pub fn permalink(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path.trim_start_matches('/'))
    }

    /// Hint for an unknown person key.
    /// The clinic as `lang` shows it: `[clinic]` with `[languages.<lang>.clinic]`
    /// laid over it.
    pub fn clinic_for(&self, lang: &str) -> &Clinic {
        self.localized.get(lang).map_or(&self.clinic, |l| &l.clinic)
    }

    /// The main menu of `lang`: `[[languages.<lang>.nav]]`, else `[[nav]]`.
    pub fn nav_for(&self, lang: &str) -> &[Link] {
        self.languages
            .get(lang)
            .and_then(|l| l.nav.as_deref())
            .unwrap_or(&self.nav)
    }

    /// `[people]` as `lang` shows them.
    pub fn people_for(&self, lang: &str) -> &BTreeMap<String, Person> {
        self.localized.get(lang).map_or(&self.people, |l| &l.people)
    }

    /// The name `lang` gives the term `slug` of `taxonomy`, if it names it.
    pub fn term_name(&self, lang: &str, taxonomy: &str, slug: &str) -> Option<&str> {
        let name = self.languages.get(lang)?.terms.get(taxonomy)?.get(slug)?;
        Some(name.as_str())
    }

    pub fn person_hint(&self, key: &str) -> String {
        match did_you_mean(key, self.people.keys().map(|s| s.as_str())) {
            Some(best) => format!("did you mean `{best}`?"),
            None if self.people.is_empty() => {
                format!(
                    "define the person in site.toml as [people.{key}] with name and credentials"
                )
            }
            None => format!(
                "people defined in site.toml: {}",
                self.people.keys().cloned().collect::<Vec<_>>().join(", ")
            ),
        }
    }
}

/// `[clinic]` and `[people]` are written in the default language.
fn mark_language(lang: &str, clinic: &mut Clinic, people: &mut BTreeMap<String, Person>) {
    clinic.hours_lang = lang.to_string();
    for p in people.values_mut() {
        p.lang = lang.to_string();
    }
}

/// Each language's `[clinic]` and `[people]`: the site's with the language's
/// text laid over them. A `[languages.<code>.people.<key>]` for a person not in
/// `[people]`, or a term table for a taxonomy the language does not use, is an
/// error at its line.
fn localize(
    default_language: &str,
    clinic: &Clinic,
    people: &BTreeMap<String, Person>,
    languages: &BTreeMap<String, Language>,
    at_key: &dyn Fn(&str) -> (usize, usize),
) -> Result<BTreeMap<String, Localized>, Diagnostic> {
    let mut out = BTreeMap::new();
    for (code, lang) in languages {
        let t = &lang.clinic;
        let mut c = clinic.clone();
        let text = |v: &Option<String>, into: &mut String| {
            if let Some(v) = v.as_ref().filter(|v| !v.trim().is_empty()) {
                *into = v.clone();
            }
        };
        text(&t.name, &mut c.name);
        text(&t.street_address, &mut c.street_address);
        text(&t.locality, &mut c.locality);
        text(&t.region, &mut c.region);
        text(&t.medical_specialty, &mut c.medical_specialty);
        text(&t.disclaimer, &mut c.disclaimer);
        let link = |v: &Option<LinkUrl>, into: &mut LinkUrl| {
            if let Some(v) = v.as_ref().filter(|v| !v.trim().is_empty()) {
                *into = v.clone();
            }
        };
        link(&t.booking_url, &mut c.booking_url);
        if let Some(h) = &t.opening_hours {
            c.opening_hours = h.clone();
            c.hours_lang = code.clone();
        }
        // An untranslated disclaimer is left to the theme's text in this language.
        if t.disclaimer.is_none() && code.as_str() != default_language {
            c.disclaimer.clear();
        }
        if t.reaction_reporting.is_some() {
            c.reaction_reporting = t.reaction_reporting.clone();
        }
        if t.practitioner_register.is_some() {
            c.practitioner_register = t.practitioner_register.clone();
        }
        let mut p = people.clone();
        for (key, pt) in &lang.people {
            let Some(person) = p.get_mut(key) else {
                let (l, col) = at_key(&format!("[languages.{code}.people.{key}]"));
                let hint = match did_you_mean(key, people.keys().map(|s| s.as_str())) {
                    Some(best) => format!("did you mean `{best}`?"),
                    None => format!(
                        "translate a person defined in [people]; define [people.{key}] first"
                    ),
                };
                return Err(Diagnostic::error(
                    CONFIG_FILE,
                    format!(
                        "`[languages.{code}.people.{key}]` translates a person not in [people]"
                    ),
                )
                .code(Code::UnknownPerson)
                .at(l, col)
                .hint(hint));
            };
            if pt.credentials.is_some() || pt.role.is_some() {
                person.lang = code.clone();
            }
            text(&pt.name, &mut person.name);
            text(&pt.credentials, &mut person.credentials);
            text(&pt.role, &mut person.role);
            link(&pt.url, &mut person.url);
        }
        out.insert(
            code.clone(),
            Localized {
                clinic: c,
                people: p,
            },
        );
    }
    Ok(out)
}

/// `[languages.<code>.terms.<taxonomy>]` must name a taxonomy of that language.
fn check_term_tables(
    languages: &BTreeMap<String, Language>,
    site_taxonomies: &[String],
    at_key: &dyn Fn(&str) -> (usize, usize),
) -> Result<(), Diagnostic> {
    for (code, lang) in languages {
        let used = lang.taxonomies.as_deref().unwrap_or(site_taxonomies);
        for name in lang.terms.keys() {
            if used.contains(name) {
                continue;
            }
            let (l, c) = at_key(&format!("[languages.{code}.terms.{name}]"));
            let hint = match did_you_mean(name, used.iter().map(|s| s.as_str())) {
                Some(best) => format!("did you mean `{best}`?"),
                None => format!("taxonomies of `{code}`: {}", used.join(", ")),
            };
            return Err(Diagnostic::error(
                CONFIG_FILE,
                format!("`[languages.{code}.terms.{name}]` names no taxonomy of the site"),
            )
            .code(Code::Taxonomy)
            .at(l, c)
            .hint(hint));
        }
    }
    Ok(())
}

/// `default_language` and every `[languages.X]` is a usable language tag.
fn check_languages(
    raw: &RawConfig,
    at_key: &dyn Fn(&str) -> (usize, usize),
) -> Result<(), Diagnostic> {
    if !is_language_code(&raw.default_language) {
        let (l, c) = at_key("default_language");
        return Err(Diagnostic::error(
            CONFIG_FILE,
            format!("`{}` is not a language code", raw.default_language),
        )
        .code(Code::Language)
        .at(l, c)
        .hint("use a code such as \"en\", \"es\" or \"pt-BR\""));
    }
    for code in raw.languages.keys() {
        if !is_language_code(code) {
            let (l, c) = at_key(&format!("[languages.{code}]"));
            return Err(Diagnostic::error(
                CONFIG_FILE,
                format!("`[languages.{code}]` is not a usable language"),
            )
            .code(Code::Language)
            .at(l, c)
            .hint("use a language code such as \"es\", different from default_language"));
        }
    }
    Ok(())
}

/// Taxonomy names become URL segments.
fn check_taxonomy_names(
    taxonomies: &[String],
    at_key: &dyn Fn(&str) -> (usize, usize),
) -> Result<(), Diagnostic> {
    for t in taxonomies {
        if slug::slugify(t) != t.replace('_', "-") || t.is_empty() {
            let (l, c) = at_key("taxonomies");
            return Err(Diagnostic::error(
                CONFIG_FILE,
                format!("taxonomy name `{t}` is not URL-safe"),
            )
            .code(Code::Taxonomy)
            .at(l, c)
            .hint(format!(
                "use lowercase letters, digits and dashes, e.g. \"{}\"",
                slug::slugify(t)
            )));
        }
    }
    Ok(())
}

fn validate_check(
    raw: &RawCheck,
    at_key: &dyn Fn(&str) -> (usize, usize),
) -> Result<CheckSettings, Diagnostic> {
    let target = match (raw.reading_grade_target, raw.preset) {
        (Some(_), Some(_)) => {
            let (l, c) = at_key("check.preset");
            return Err(Diagnostic::error(
                CONFIG_FILE,
                "[check] sets both `preset` and `reading_grade_target`",
            )
            .code(Code::Config)
            .at(l, c)
            .hint("keep one: preset = \"ama\" means reading_grade_target = 6"));
        }
        (Some(t), None) if !(1.0..=20.0).contains(&t) => {
            let (l, c) = at_key("check.reading_grade_target");
            return Err(Diagnostic::error(
                CONFIG_FILE,
                format!("`reading_grade_target = {t}` is not a school grade"),
            )
            .code(Code::Config)
            .at(l, c)
            .hint("use a grade between 1 and 20; 8 is the usual target for patient material"));
        }
        (Some(t), None) => t,
        (None, Some(ReadingPreset::Ama)) => 6.0,
        (None, None) => CheckSettings::default().reading_grade_target,
    };
    let spanish = match raw.spanish_reading_ease_target {
        Some(t) if !(0.0..=100.0).contains(&t) => {
            let (l, c) = at_key("spanish_reading_ease_target");
            return Err(Diagnostic::error(
                CONFIG_FILE,
                format!("`spanish_reading_ease_target = {t}` is not a Fernández-Huerta score"),
            ).code(Code::Config)
            .at(l, c)
            .hint("use a score between 0 and 100; 70 (\"fairly easy\") is the usual target for patient material"));
        }
        Some(t) => t,
        None => CheckSettings::default().spanish_reading_ease_target,
    };
    Ok(CheckSettings {
        reading_grade_target: target,
        spanish_reading_ease_target: spanish,
        max_review_age_years: raw
            .max_review_age_years
            .unwrap_or(CheckSettings::default().max_review_age_years),
        ignore: raw.ignore.clone(),
    })
}

/// `https://x.example` → `https://x.example/`; rejects anything that is not a
/// full http(s) address (checked by [`crate::url_policy::check_http`]; scheme
/// and host come back lowercase).
pub fn normalise_base_url(url: &str) -> Result<String, String> {
    let shown = url.trim().escape_debug().to_string();
    let lower = url.trim().to_ascii_lowercase();
    if !(lower.starts_with("https://") || lower.starts_with("http://")) {
        return Err(format!(
            "base_url `{shown}` must start with https:// or http://"
        ));
    }
    if url.trim().contains(['?', '#', '"', '<', '>']) {
        return Err(format!(
            "base_url `{shown}` may not contain ?, #, quotes or angle brackets"
        ));
    }
    let parsed = crate::url_policy::check_http(url.trim()).map_err(|e| format!("base_url {e}"))?;
    let text = parsed.as_str();
    Ok(if text.ends_with('/') {
        text.to_string()
    } else {
        format!("{text}/")
    })
}

/// `en`, `es`, `fil`, `pt-BR`, `zh-Hant`: a well-formed BCP 47 tag (RFC 5646,
/// checked by oxilangtag) whose language subtag is 2 or 3 lowercase letters
/// (ISO 639; the code is also a URL prefix and a file-name suffix).
pub fn is_language_code(code: &str) -> bool {
    oxilangtag::LanguageTag::parse(code).is_ok_and(|tag| {
        let primary = tag.primary_language();
        (2..=3).contains(&primary.len()) && primary.chars().all(|c| c.is_ascii_lowercase())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minimal_config_gets_defaults() {
        let c = Config::parse("title = \"T\"\nbase_url = \"https://x.example\"\n").unwrap();
        assert_eq!(c.base_url, "https://x.example/");
        assert_eq!(c.output_dir, "public");
        assert_eq!(c.theme, "clinic");
        assert!(c.markdown.smart_punctuation);
    }

    #[test]
    fn unknown_key_is_an_error_with_hint() {
        let e = Config::parse(
            "title = \"T\"\nbase_url = \"https://x.example\"\n[clinic]\nphnoe = \"1\"\n",
        )
        .unwrap_err();
        assert_eq!(e.line, 4);
        assert_eq!(e.message, "unknown key `phnoe`");
        assert_eq!(e.hint.as_deref(), Some("did you mean `phone`?"));
    }

    #[test]
    fn path_prefix_is_the_base_url_path_without_its_last_slash() {
        let at =
            |url: &str| Config::parse(&format!("title = \"T\"\nbase_url = \"{url}\"\n")).unwrap();
        assert_eq!(at("https://x.example").path_prefix(), "");
        assert_eq!(at("https://x.example/").path_prefix(), "");
        let sub = at("https://user.github.io/my-clinic");
        assert_eq!(sub.path_prefix(), "/my-clinic");
        assert_eq!(sub.href("/treatment/"), "/my-clinic/treatment/");
        assert_eq!(
            sub.permalink("/treatment/"),
            "https://user.github.io/my-clinic/treatment/"
        );
        assert_eq!(at("https://x.example/a/b/").path_prefix(), "/a/b");
    }

    #[test]
    fn base_url_must_be_http() {
        let e = Config::parse("title = \"T\"\nbase_url = \"ftp://x\"\n").unwrap_err();
        assert_eq!(e.line, 2);
        assert!(e.message.contains("must start with https://"));
    }

    #[test]
    fn check_settings() {
        let base = "title = \"T\"\nbase_url = \"https://x.example\"\n";
        let c = Config::parse(base).unwrap();
        assert_eq!(c.check.reading_grade_target, 8.0);
        assert_eq!(c.check.max_review_age_years, 3);
        let c = Config::parse(&format!("{base}[check]\npreset = \"ama\"\n")).unwrap();
        assert_eq!(c.check.reading_grade_target, 6.0);
        let e = Config::parse(&format!(
            "{base}[check]\npreset = \"ama\"\nreading_grade_target = 7\n"
        ))
        .unwrap_err();
        assert_eq!(e.line, 4);
        let e = Config::parse(&format!("{base}[check]\nreading_grade = 7\n")).unwrap_err();
        assert_eq!(
            e.hint.as_deref(),
            Some("did you mean `reading_grade_target`?")
        );
    }

    #[test]
    fn language_codes() {
        assert!(is_language_code("en"));
        assert!(is_language_code("pt-BR"));
        assert!(!is_language_code("EN"));
        assert!(!is_language_code("e"));
        assert!(is_language_code("fil"));
        assert!(is_language_code("zh-Hant-TW"));
        assert!(!is_language_code("en--us"));
        assert!(!is_language_code("pt-BR-"));
    }
}
