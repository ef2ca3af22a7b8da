//! Front matter: split it from the body and parse it into [`RawFrontMatter`].
//!
//! TOML between `+++` lines (Zola) or YAML between `---` lines (Hugo, Jekyll).
//! One struct accepts the keys of all three generators, with aliases. Any other
//! key is the site's own data (as in Hugo and Jekyll) and lands in `extra`,
//! unless it looks like a typo of one of ours ([`typo_of`]): that is an error
//! with "did you mean". Local checks (dates, path safety) run inside
//! deserialisation so the parser attaches the value's line and column; every
//! key's place comes from the parser too ([`KeyMap`]).

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;

use crate::diagnostic::{Code, Diagnostic};
pub use crate::parse::KeyMap;
use crate::parse::{self, Origin, Tree};

/// A file split into front matter and body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Split<'a> {
    pub format: Format,
    /// The front matter text, without its fences.
    pub front: &'a str,
    /// 1-based line of the file where `front` starts.
    pub front_line: usize,
    pub body: &'a str,
    /// 1-based line of the file where `body` starts.
    pub body_line: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Toml,
    Yaml,
    /// The file has no front matter.
    None,
}

/// Split `text` (already LF-normalised) into front matter and body. Blank lines
/// before the opening fence are skipped, as Zola does.
pub fn split<'a>(text: &'a str, file: &str) -> Result<Split<'a>, Diagnostic> {
    let lead = leading_blank_lines(text);
    let skipped = text[..lead].matches('\n').count();
    let rest = &text[lead..];
    let (fence, format) = if rest.starts_with("+++") {
        ("+++", Format::Toml)
    } else if rest.starts_with("---") {
        ("---", Format::Yaml)
    } else {
        return Ok(Split {
            format: Format::None,
            front: "",
            front_line: 1,
            body: text,
            body_line: 1,
        });
    };
    let open_line = skipped + 1;
    let first_end = rest.find('\n').unwrap_or(rest.len());
    if rest[..first_end].trim_end() != fence {
        return Err(Diagnostic::error(
            file,
            format!("the opening `{fence}` must be alone on its line"),
        )
        .code(Code::FrontMatter)
        .at(open_line, 4)
        .hint(format!("put the front matter on the lines after `{fence}`")));
    }
    let front_start = (first_end + 1).min(rest.len());
    let mut offset = front_start;
    for (i, line) in rest[front_start..].split_inclusive('\n').enumerate() {
        let bare = line.trim_end();
        if bare == fence || (format == Format::Yaml && bare == "...") {
            let body_start = offset + line.len();
            return Ok(Split {
                format,
                front: &rest[front_start..offset],
                front_line: open_line + 1,
                body: &rest[body_start..],
                body_line: open_line + i + 2,
            });
        }
        offset += line.len();
    }
    let other = if fence == "+++" { "---" } else { "+++" };
    if let Some(i) = rest[front_start..]
        .lines()
        .position(|l| l.trim_end() == other)
    {
        let close_line = open_line + 1 + i;
        return Err(Diagnostic::error(
            file,
            format!("the front matter opens with `{fence}` on line {open_line} but closes with `{other}` on line {close_line}"),
        ).code(Code::FrontMatter)
        .at(close_line, 1)
        .hint(format!(
            "use the same line at both ends: change line {close_line} to `{fence}` (`+++` for TOML, `---` for YAML)"
        )));
    }
    Err(Diagnostic::error(
        file,
        format!("the front matter opened with `{fence}` on line {open_line} is never closed"),
    )
    .code(Code::FrontMatter)
    .at(open_line, 1)
    .hint(format!(
        "add a line holding only `{fence}` after the front matter"
    )))
}

/// Bytes of whole blank lines at the start of `text` (only when a fence follows).
fn leading_blank_lines(text: &str) -> usize {
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        if !line.ends_with('\n') || !line.trim().is_empty() {
            break;
        }
        at += line.len();
    }
    let rest = &text[at..];
    if rest.starts_with("+++") || rest.starts_with("---") {
        at
    } else {
        0
    }
}

/// Front matter parsed: the typed keys, and where each key sits.
#[derive(Debug, Default)]
pub struct Parsed {
    pub raw: RawFrontMatter,
    pub keys: KeyMap,
    /// Top-level keys that are the site's own (now in `raw.extra`): a taxonomy
    /// the site declares may be written this way, as in Hugo.
    pub own_keys: Vec<String>,
}

/// Parse the front matter of a split file. Every typo'd key is reported, with
/// the first type error if there is one; unknown keys join `extra`.
pub fn parse(split: &Split<'_>, file: &str) -> Result<Parsed, Vec<Diagnostic>> {
    let origin = Origin {
        file,
        first_line: split.front_line,
    };
    let parsed = match split.format {
        Format::Toml => parse::toml_with_tree::<RawFrontMatter>(split.front, origin),
        Format::Yaml if split.front.trim().is_empty() => return Ok(Parsed::default()),
        Format::Yaml => parse::yaml_with_tree::<RawFrontMatter>(split.front, origin),
        Format::None => return Ok(Parsed::default()),
    };
    let (raw, tree) = parsed.map_err(|d| vec![d])?;
    let (own, mut diags) = site_keys(&tree, file);
    diags.extend(keys_below_the_fence(split, file));
    match raw {
        Ok(mut raw) if diags.is_empty() => {
            let mut own_keys = Vec::new();
            for (key, value) in own {
                if !raw.extra.contains_key(&key) {
                    own_keys.push(key.clone());
                    raw.extra.insert(key, value);
                }
            }
            Ok(Parsed {
                raw,
                keys: tree.keys,
                own_keys,
            })
        }
        Ok(_) => Err(diags),
        Err(d) => {
            diags.push(d);
            diags.sort_by_key(|d| (d.line, d.column));
            Err(diags)
        }
    }
}

/// `description = "…"` just below the closing fence: meant for the front matter,
/// it would be shown on the page as text.
fn keys_below_the_fence(split: &Split<'_>, file: &str) -> Vec<Diagnostic> {
    let (sep, fence) = match split.format {
        Format::Toml => ('=', "+++"),
        Format::Yaml => (':', "---"),
        Format::None => return Vec::new(),
    };
    let known = known_keys();
    split
        .body
        .lines()
        .take_while(|l| !l.trim().is_empty())
        .enumerate()
        .filter_map(|(i, l)| {
            let (key, value) = l.split_once(sep)?;
            let key = key.trim();
            let is_key = known.contains(&key) && !value.trim().is_empty() && !l.starts_with(' ');
            is_key.then(|| {
                let line = split.body_line + i;
                Diagnostic::error(
                    file,
                    format!("`{key}` is below the front matter's closing `{fence}`, so it would be shown on the page as text"),
                ).code(Code::FrontMatter)
                .at(line, 1)
                .hint(format!(
                    "move line {line} above the `{fence}` on line {}",
                    split.body_line - 1
                ))
            })
        })
        .collect()
}

/// The keys that are not ours: the site's own data (Hugo's `params` table
/// spread out), and an error for each that looks like a typo of ours.
fn site_keys(tree: &Tree, file: &str) -> (Vec<(String, serde_json::Value)>, Vec<Diagnostic>) {
    let known = known_keys();
    let mut own = Vec::new();
    let mut diags = Vec::new();
    for (key, value) in &tree.entries {
        if known.contains(&key.as_str()) {
            continue;
        }
        if let Some(ours) = typo_of(key, known) {
            let (l, c) = tree.keys.get(key).unwrap_or((1, 1));
            diags.push(
                Diagnostic::error(file, format!("unknown key `{key}`"))
                    .code(Code::UnknownKey)
                    .at(l, c)
                    .hint(format!("did you mean `{ours}`?")),
            );
        } else if let (true, serde_json::Value::Object(params)) = (key == "params", value) {
            own.extend(params.iter().map(|(k, v)| (k.clone(), v.clone())));
        } else {
            own.push((key.clone(), value.clone()));
        }
    }
    (own, diags)
}

/// Keys other generators (and their popular themes) use for their own
/// meaning: never taken for a typo of ours, kept in `extra`.
pub const PEER_KEYS: &[&str] = &[
    // Hugo
    "linkTitle",
    "cascade",
    "menu",
    "menus",
    "series",
    "build",
    "headless",
    "params",
    "resources",
    "outputs",
    "translationKey",
    "isCJKLanguage",
    "markup",
    "sitemap",
    "images",
    "image",
    "videos",
    "audio",
    "toc",
    "math",
    "comments",
    "hidden",
    "featured",
    "cover",
    "thumbnail",
    "subtitle",
    "showToc",
    "TocOpen",
    "hideMeta",
    // Hugo's documentation marks glossary entries `alias: true`.
    "alias",
    // Jekyll and its documentation themes
    "nav_order",
    "parent",
    "grand_parent",
    "has_children",
    "has_toc",
    "nav_exclude",
    "search_exclude",
    "position",
    "version",
    "lang",
    "excerpt_separator",
    "render_with_liquid",
    "sidebar",
    "collection",
    "output",
    // Zola keys we read no meaning from
    "paginate_path",
    "generate_feed",
    "generate_rss",
    "lang",
];

/// Every key `RawFrontMatter` reads, aliases included, as serde's derive lists them.
pub fn known_keys() -> &'static [&'static str] {
    static KEYS: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    KEYS.get_or_init(|| {
        let mut keys = field_names::<RawFrontMatter>();
        keys.sort_unstable();
        keys.dedup();
        keys
    })
}

/// The field names a derived `Deserialize` asks for, read by a deserializer
/// that only listens.
fn field_names<T: for<'de> Deserialize<'de>>() -> Vec<&'static str> {
    struct Listen<'a>(&'a mut Vec<&'static str>);
    impl<'de> Deserializer<'de> for Listen<'_> {
        type Error = de::value::Error;
        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
            Err(de::Error::custom("only listening"))
        }
        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Self::Error> {
            self.0.extend_from_slice(fields);
            Err(de::Error::custom("only listening"))
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
            byte_buf option unit unit_struct newtype_struct seq tuple tuple_struct map
            enum identifier ignored_any
        }
    }
    let mut fields = Vec::new();
    let _ = T::deserialize(Listen(&mut fields));
    fields
}

/// `Title`, `publish_date`, `reviewedBy` → `title`, `publishdate`, `reviewedby`.
fn fold(key: &str) -> String {
    key.chars()
        .filter(|c| !matches!(c, '_' | '-'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The key of ours that `key` is plausibly a typo of: the same after case and
/// underscore folding, or within one edit (two for keys over five letters) with
/// the same first letter (`titel` → `title`; `math` is not `path`). Keys other
/// generators use ([`PEER_KEYS`]) are never typos.
pub fn typo_of<'a>(key: &str, known: &[&'a str]) -> Option<&'a str> {
    let folded = fold(key);
    if folded.is_empty() || PEER_KEYS.iter().any(|p| fold(p) == folded) {
        return None;
    }
    let first = folded.chars().next();
    known
        .iter()
        .filter_map(|&k| {
            let theirs = fold(k);
            if theirs == folded {
                return Some((0, k));
            }
            let limit = if folded.len().max(theirs.len()) > 5 {
                2
            } else {
                1
            };
            let d = strsim::osa_distance(&folded, &theirs);
            (d <= limit && theirs.chars().next() == first).then_some((d, k))
        })
        .min()
        .map(|(_, k)| k)
}

/// Front matter as the writer typed it: Zola, Hugo and Jekyll keys alike. Other
/// keys are not fields: [`parse`] sorts them into typos and the site's own data.
#[derive(Debug, Default, Deserialize)]
pub struct RawFrontMatter {
    pub title: Option<String>,
    pub description: Option<String>,
    /// Hugo's `summary`, Jekyll's `excerpt`: replaces the `<!-- more -->` summary.
    #[serde(alias = "excerpt")]
    pub summary: Option<String>,
    pub date: Option<FmDate>,
    /// Hugo's `publishDate`: used as `date` when `date` is absent.
    #[serde(rename = "publishDate", alias = "publish_date")]
    pub publish_date: Option<FmDate>,
    /// Hugo's `expiryDate`: once past, the page is not published (like a draft).
    #[serde(rename = "expiryDate", alias = "expiry_date")]
    pub expiry_date: Option<FmDate>,
    #[serde(alias = "lastmod", alias = "last_modified_at")]
    pub updated: Option<FmDate>,
    #[serde(default)]
    pub draft: bool,
    /// Jekyll: `published: false` is a draft.
    pub published: Option<bool>,
    pub slug: Option<UrlPart>,
    #[serde(alias = "url", alias = "permalink")]
    pub path: Option<UrlPath>,
    #[serde(default, alias = "redirect_from")]
    pub aliases: OneOrMany<UrlPath>,
    pub weight: Option<i64>,
    pub template: Option<String>,
    /// Hugo and Jekyll pick layouts by name; Follicle picks templates by kind, so
    /// these are accepted (the content builds unchanged) and `template` is the
    /// way to choose one.
    pub layout: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    #[serde(default)]
    pub taxonomies: BTreeMap<String, StringList>,
    /// Hugo and Jekyll put these at the top level (Jekyll also reads `tag`).
    #[serde(alias = "tag")]
    pub tags: Option<StringList>,
    #[serde(alias = "category")]
    pub categories: Option<StringList>,
    #[serde(default)]
    pub authors: StringList,
    pub author: Option<String>,
    #[serde(default)]
    pub keywords: StringList,
    #[serde(default)]
    pub extra: serde_json::Map<String, serde_json::Value>,
    // Zola's per-page and per-section switches.
    pub in_search_index: Option<bool>,
    pub insert_anchor_links: Option<AnchorLinks>,
    // Sections only.
    pub sort_by: Option<SortBy>,
    pub paginate_by: Option<usize>,
    #[serde(default)]
    pub paginate_reversed: bool,
    pub page_template: Option<String>,
    pub redirect_to: Option<crate::url_policy::LinkUrl>,
    pub render: Option<bool>,
    pub transparent: Option<bool>,
    pub generate_feeds: Option<bool>,
    // Medical review and sources (articles).
    #[serde(default, deserialize_with = "empty_is_none")]
    pub reviewed_by: Option<String>,
    #[serde(default, deserialize_with = "empty_date_is_none")]
    pub reviewed_on: Option<FmDate>,
    #[serde(default, deserialize_with = "empty_date_is_none")]
    pub next_review: Option<FmDate>,
    #[serde(default)]
    pub sources: Vec<Source>,
    #[serde(default)]
    pub faq: Vec<Faq>,
    pub audience: Option<Audience>,
}

impl RawFrontMatter {
    /// Keys that only make sense in a section's `_index.md`, with their values set.
    pub fn section_only_keys(&self) -> Vec<&'static str> {
        let mut keys = Vec::new();
        if self.sort_by.is_some() {
            keys.push("sort_by");
        }
        if self.paginate_by.is_some() {
            keys.push("paginate_by");
        }
        if self.paginate_reversed {
            keys.push("paginate_reversed");
        }
        if self.page_template.is_some() {
            keys.push("page_template");
        }
        if self.redirect_to.is_some() {
            keys.push("redirect_to");
        }
        if self.transparent.is_some() {
            keys.push("transparent");
        }
        keys
    }
}

/// A section's page order: Zola's keys, plus `permalink` (by URL).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SortBy {
    Date,
    /// Newest `updated` first (else `date`).
    UpdateDate,
    Weight,
    Title,
    /// Title by bytes, not letters (capitals first).
    TitleBytes,
    Slug,
    Permalink,
    None,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AnchorLinks {
    None,
    Left,
    Right,
    Heading,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Audience {
    Patient,
    Clinician,
}

/// A source an article rests on.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub title: String,
    pub url: HttpUrl,
    #[serde(default)]
    pub publisher: String,
    #[serde(default)]
    pub doi: Option<Doi>,
    #[serde(default)]
    pub pmid: Option<Pmid>,
    /// The language the source is written in, when not the page's (an English
    /// study cited on a Spanish page): marked with `lang` so it is read aloud
    /// in its own language, and said ("en inglés") by the theme.
    #[serde(default)]
    pub lang: Option<LangTag>,
}

/// A question and its answer (Markdown), shown on the page and in FAQPage data.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Faq {
    pub question: String,
    pub answer: String,
}

/// One value or a list of them (Jekyll's `redirect_from: /old/`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OneOrMany<T>(pub Vec<T>);

impl<T> Default for OneOrMany<T> {
    fn default() -> Self {
        OneOrMany(Vec::new())
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for OneOrMany<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = OneOrMany<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string or a list of strings")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Self::Value, E> {
                T::deserialize(de::value::StrDeserializer::new(s)).map(|v| OneOrMany(vec![v]))
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut v = Vec::new();
                while let Some(item) = seq.next_element::<T>()? {
                    v.push(item);
                }
                Ok(OneOrMany(v))
            }
        }
        d.deserialize_any(V(std::marker::PhantomData))
    }
}

/// One string or a list of strings (Jekyll allows both for tags).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StringList(pub Vec<String>);

impl<'de> Deserialize<'de> for StringList {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = StringList;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string or a list of strings")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<StringList, E> {
                Ok(StringList(vec![s.to_string()]))
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<StringList, A::Error> {
                let mut v = Vec::new();
                while let Some(s) = seq.next_element::<String>()? {
                    v.push(s);
                }
                Ok(StringList(v))
            }
        }
        d.deserialize_any(V)
    }
}

/// `reviewed_by = ""` (as `follicle new` writes it) means "not yet".
fn empty_is_none<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let s = String::deserialize(d)?;
    Ok(if s.trim().is_empty() { None } else { Some(s) })
}

/// `reviewed_on = ""` means "not yet"; any other value must be a real date.
fn empty_date_is_none<'de, D: Deserializer<'de>>(d: D) -> Result<Option<FmDate>, D::Error> {
    struct V;
    impl<'de> Visitor<'de> for V {
        type Value = Option<FmDate>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a date such as 2026-03-31")
        }
        fn visit_str<E: de::Error>(self, s: &str) -> Result<Self::Value, E> {
            if s.trim().is_empty() {
                return Ok(None);
            }
            FmDate::parse(s).map(Some).map_err(E::custom)
        }
        fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
            FmDate::deserialize(de::value::MapAccessDeserializer::new(map)).map(Some)
        }
    }
    d.deserialize_any(V)
}

/// A date or date-time, checked strictly: `2024-13-45` is an error, never year 1.
/// `date` is the calendar day the writer wrote, whatever the offset
/// (`2026-03-31T23:30:00-05:00` is 31 March, though it is 1 April in UTC);
/// `timestamp` is the instant, for sorting and feeds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FmDate {
    pub timestamp: jiff::Timestamp,
    pub date: jiff::civil::Date,
    /// The writer gave a time of day, not just a date.
    pub has_time: bool,
}

impl FmDate {
    /// `2026-03-31`, `2026-03-31T10:00:00Z`, `2026-03-31T23:30:00-05:00`,
    /// `2026-03-31 10:00`, and Jekyll's `2013-05-06 02:12:52 +0200`.
    pub fn parse(s: &str) -> Result<FmDate, String> {
        let s = s.trim();
        let invalid = || {
            format!(
                "`{s}` is not a valid date: write it as YYYY-MM-DD (e.g. 2026-03-31), with a real month and day"
            )
        };
        if s.len() <= 10 {
            let d = s.parse::<jiff::civil::Date>().map_err(|_| invalid())?;
            let ts = jiff::tz::TimeZone::UTC
                .to_timestamp(d.to_datetime(jiff::civil::Time::midnight()))
                .map_err(|e| format!("`{s}` is not a usable date: {e}"))?;
            return Ok(FmDate {
                timestamp: ts,
                date: d,
                has_time: false,
            });
        }
        let (civil, offset) = split_offset(s);
        let dt = civil
            .replacen(' ', "T", 1)
            .parse::<jiff::civil::DateTime>()
            .map_err(|_| invalid())?;
        let timestamp = match offset {
            None => jiff::tz::TimeZone::UTC
                .to_timestamp(dt)
                .map_err(|_| invalid())?,
            Some(off) => format!("{}{off}", dt)
                .parse::<jiff::Timestamp>()
                .map_err(|_| invalid())?,
        };
        Ok(FmDate {
            timestamp,
            date: dt.date(),
            has_time: true,
        })
    }

    /// `2026-03-31`: the day the writer wrote.
    pub fn ymd(&self) -> String {
        self.date.strftime("%Y-%m-%d").to_string()
    }

    /// `2026-03-31T00:00:00Z`: the instant, in UTC.
    pub fn rfc3339(&self) -> String {
        self.timestamp.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
    }
}

/// `2026-03-31T23:30:00-05:00` → (`2026-03-31T23:30:00`, `-05:00`); Jekyll's
/// `2013-05-06 02:12:52 +0200` → (`2013-05-06 02:12:52`, `+0200`); `Z` is `+00:00`.
fn split_offset(s: &str) -> (&str, Option<String>) {
    let Some(time) = s.get(11..) else {
        return (s, None);
    };
    match time.find(['+', '-', 'Z', 'z']) {
        Some(i) => {
            let (civil, off) = s.split_at(11 + i);
            let off = off.trim();
            let off = if off.eq_ignore_ascii_case("z") {
                "+00:00".to_string()
            } else {
                off.to_string()
            };
            (civil.trim_end(), Some(off))
        }
        None => (s, None),
    }
}

impl<'de> Deserialize<'de> for FmDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = FmDate;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a date such as 2026-03-31")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<FmDate, E> {
                FmDate::parse(s).map_err(E::custom)
            }
            fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<FmDate, A::Error> {
                // TOML dates arrive as a one-entry map holding their text.
                let Some((_, text)) = map.next_entry::<String, String>()? else {
                    return Err(de::Error::custom("expected a date"));
                };
                FmDate::parse(&text).map_err(de::Error::custom)
            }
        }
        d.deserialize_any(V)
    }
}

/// Checks a string value at parse time so the error carries the value's position.
macro_rules! checked_string {
    ($name:ident, $check:path, $what:literal) => {
        #[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                $check(&s).map_err(de::Error::custom)?;
                Ok($name(s))
            }
        }

        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }
    };
}

checked_string!(UrlPart, check_url_part, "a slug");
checked_string!(UrlPath, check_url_path, "a URL path");
checked_string!(HttpUrl, check_http_url, "an http(s) URL");
checked_string!(Doi, check_doi, "a DOI");
checked_string!(Pmid, check_pmid, "a PubMed id");
checked_string!(LangTag, check_lang_tag, "a language code");

/// A language code as the site's languages are written (`en`, `es`, `pt-BR`).
pub fn check_lang_tag(s: &str) -> Result<(), String> {
    if crate::config::is_language_code(s) {
        Ok(())
    } else {
        Err(format!(
            "`{s}` is not a language code: write it as the site's languages are, e.g. lang = \"en\" or \"pt-BR\""
        ))
    }
}

/// A single URL segment: no `/`, no `..`, no control characters, not too long.
pub fn check_url_part(s: &str) -> Result<(), String> {
    if s.is_empty() || s.trim().is_empty() {
        return Err("the slug is empty: give it words, e.g. slug = \"aftercare\"".into());
    }
    if s.contains(['/', '\\']) || s == "." || s == ".." {
        return Err(format!(
            "`{s}` may not contain `/`, `\\` or be `.`/`..`: a slug names one page; use `path` for a full URL"
        ));
    }
    check_common(s)
}

/// A site-relative URL path: no `..` segments, no backslashes, no scheme.
pub fn check_url_path(s: &str) -> Result<(), String> {
    if s.trim().is_empty() {
        return Err("the path is empty".into());
    }
    if s.contains('\\') || s.split('/').any(|seg| seg == ".." || seg == ".") {
        return Err(format!(
            "`{s}` may not contain `..`, `.` or `\\` segments: paths stay inside the site, e.g. \"/care/aftercare/\""
        ));
    }
    if s.contains("://") || s.starts_with("//") {
        return Err(format!("`{s}` is an address on another site: give a path inside this site such as \"/old-page/\""));
    }
    for seg in s.split('/') {
        if seg.len() > 200 {
            return Err(format!(
                "a segment of `{s}` is longer than 200 bytes: shorten it"
            ));
        }
    }
    check_common(s)
}

fn check_common(s: &str) -> Result<(), String> {
    if s.chars().any(|c| c.is_control()) {
        return Err(
            "the value contains a control character (such as NUL or a newline): remove it".into(),
        );
    }
    if s.len() > 200 {
        return Err("the value is longer than 200 bytes: shorten it".into());
    }
    Ok(())
}

/// Sources are full web addresses: [`crate::url_policy::check_http`].
fn check_http_url(s: &str) -> Result<(), String> {
    crate::url_policy::check_http(s).map(|_| ())
}

fn check_doi(s: &str) -> Result<(), String> {
    match s.split_once('/') {
        Some((prefix, suffix))
            if prefix.starts_with("10.")
                && !suffix.is_empty()
                && !s.contains(char::is_whitespace) =>
        {
            Ok(())
        }
        _ => Err(format!(
            "`{s}` is not a DOI: a DOI looks like \"10.1000/xyz123\" (without https://doi.org/)"
        )),
    }
}

fn check_pmid(s: &str) -> Result<(), String> {
    if !s.is_empty() && s.len() <= 9 && s.chars().all(|c| c.is_ascii_digit()) {
        Ok(())
    } else {
        Err(format!(
            "`{s}` is not a PubMed id: it is a number such as \"34179407\""
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fm(text: &str) -> Result<RawFrontMatter, Diagnostic> {
        let s = split(text, "content/a.md")?;
        parse(&s, "content/a.md")
            .map(|p| p.raw)
            .map_err(|mut d| d.remove(0))
    }

    #[test]
    fn typo_rule_tells_typos_from_peer_keys() {
        let known = known_keys();
        for peer in [
            "linkTitle",
            "cascade",
            "menu",
            "series",
            "nav_order",
            "parent",
            "position",
            "version",
            "headless",
            "build",
            "math",
            "toc",
            "comments",
            "params",
            "image",
            "lang",
            "has_children",
            "grand_parent",
            "paginate_path",
            "generate_feed",
            "subtitle",
            "sidebar",
            "icon",
            "hero",
        ] {
            assert_eq!(typo_of(peer, known), None, "{peer}");
        }
        for (typo, ours) in [
            ("titel", "title"),
            ("Title", "title"),
            ("tile", "title"),
            ("daet", "date"),
            ("descripton", "description"),
            ("wieght", "weight"),
            ("reviewedBy", "reviewed_by"),
            ("publishdate", "publishDate"),
            ("slugg", "slug"),
            ("templat", "template"),
            ("aliasses", "aliases"),
            ("draf", "draft"),
        ] {
            assert_eq!(typo_of(typo, known), Some(ours), "{typo}");
        }
    }

    #[test]
    fn known_keys_include_aliases_and_renames() {
        let k = known_keys();
        for key in [
            "title",
            "publishDate",
            "expiryDate",
            "lastmod",
            "redirect_from",
            "url",
            "type",
            "tag",
        ] {
            assert!(k.contains(&key), "{key} in {k:?}");
        }
    }

    #[test]
    fn unknown_keys_are_site_data_and_params_spread_out() {
        let s = split(
            "---\ntitle: A\nnav_order: 3\nparams:\n  hero: big\nmenu:\n  main: {}\n---\n",
            "a.md",
        )
        .unwrap();
        let p = parse(&s, "a.md").unwrap();
        assert_eq!(p.raw.extra["nav_order"], 3);
        assert_eq!(p.raw.extra["hero"], "big");
        assert!(p.raw.extra["menu"].is_object());
        assert!(!p.raw.extra.contains_key("params"));
    }

    #[test]
    fn every_typo_of_a_file_is_reported() {
        let s = split(
            "+++\ntitel = \"A\"\nwieght = 2\nnav_order = 1\n+++\n",
            "a.md",
        )
        .unwrap();
        let d = parse(&s, "a.md").unwrap_err();
        let lines: Vec<_> = d.iter().map(|d| (d.line, d.message.as_str())).collect();
        assert_eq!(
            lines,
            [(2, "unknown key `titel`"), (3, "unknown key `wieght`")]
        );
    }

    #[test]
    fn key_places_come_from_the_parser() {
        let text =
            "---\nsources:\n  - url: https://a.example/\n    title: Source\ntitle: Page\n---\n";
        let s = split(text, "a.md").unwrap();
        let p = parse(&s, "a.md").unwrap();
        assert_eq!(p.keys.get("title"), Some((5, 1)));
        assert_eq!(p.keys.get("sources.0.title"), Some((4, 5)));
        let text = "+++\n[[sources]]\nurl = \"https://a.example/\"\ntitle = \"S\"\n+++\n";
        let p = parse(&split(text, "a.md").unwrap(), "a.md").unwrap();
        assert_eq!(p.keys.get("sources.0.title"), Some((4, 1)));
        assert_eq!(p.keys.get("title"), None);
    }

    #[test]
    fn splits_toml_and_counts_lines() {
        let s = split("+++\ntitle = \"A\"\n+++\nbody\n", "a.md").unwrap();
        assert_eq!(s.format, Format::Toml);
        assert_eq!(s.front, "title = \"A\"\n");
        assert_eq!(s.body, "body\n");
        assert_eq!(s.body_line, 4);
    }

    #[test]
    fn blank_lines_before_the_fence_are_skipped() {
        let s = split("\n  \n+++\ntitle = \"A\"\n+++\nbody\n", "a.md").unwrap();
        assert_eq!(
            (s.format, s.front, s.front_line),
            (Format::Toml, "title = \"A\"\n", 4)
        );
        assert_eq!((s.body, s.body_line), ("body\n", 6));
        let s = split("\ntext\n", "a.md").unwrap();
        assert_eq!((s.format, s.body), (Format::None, "\ntext\n"));
    }

    #[test]
    fn unclosed_front_matter_is_an_error() {
        let e = split("+++\ntitle = \"A\"\n", "a.md").unwrap_err();
        assert!(e.message.contains("never closed"));
    }

    #[test]
    fn impossible_date_is_an_error_at_its_line() {
        let e = fm("+++\ntitle = \"A\"\ndate = \"2024-13-45\"\n+++\n").unwrap_err();
        assert_eq!(e.line, 3, "{e}");
        assert!(e.message.contains("has month 13"), "{e}");
        let e = fm("---\ntitle: A\ndate: 2024-02-30\n---\n").unwrap_err();
        assert_eq!(e.line, 3, "{e}");
    }

    #[test]
    fn dates_keep_the_day_the_writer_wrote() {
        let d = FmDate::parse("2026-03-31T23:30:00-05:00").unwrap();
        assert_eq!(d.ymd(), "2026-03-31");
        assert_eq!(d.rfc3339(), "2026-04-01T04:30:00Z");
        let d = FmDate::parse("2013-05-06 02:12:52 +0200").unwrap();
        assert_eq!(
            (d.ymd(), d.rfc3339()),
            ("2013-05-06".into(), "2013-05-06T00:12:52Z".into())
        );
        assert_eq!(
            FmDate::parse("2026-03-31 10:00").unwrap().rfc3339(),
            "2026-03-31T10:00:00Z"
        );
        assert_eq!(
            FmDate::parse("2026-03-31T10:00:00Z").unwrap().ymd(),
            "2026-03-31"
        );
        assert!(FmDate::parse("2026-03-31T25:00:00Z").is_err());
        assert!(FmDate::parse("2026-13-01 10:00 +0200").is_err());
    }

    #[test]
    fn toml_native_dates_parse() {
        let f = fm("+++\ndate = 2024-02-29\nupdated = 2024-03-01T10:00:00Z\n+++\n").unwrap();
        assert_eq!(f.date.unwrap().ymd(), "2024-02-29");
        assert!(f.updated.unwrap().has_time);
    }

    #[test]
    fn hugo_keys_are_accepted() {
        let f = fm("---\ntitle: A\nlastmod: 2024-01-02\ntags: [a, b]\nurl: /x/\nsummary: S\n---\n")
            .unwrap();
        assert_eq!(f.updated.unwrap().ymd(), "2024-01-02");
        assert_eq!(f.tags.unwrap().0, vec!["a", "b"]);
        assert_eq!(f.path.unwrap().0, "/x/");
    }

    #[test]
    fn dotdot_in_slug_is_refused() {
        let e = fm("+++\nslug = \"../../etc\"\n+++\n").unwrap_err();
        assert_eq!(e.line, 2);
        assert!(e.message.contains("may not contain"), "{e}");
    }
}
