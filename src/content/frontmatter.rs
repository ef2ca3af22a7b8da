//! Front matter: split it from the body and parse it into [`RawFrontMatter`].
//!
//! TOML between `+++` lines (Zola) or YAML between `---` lines (Hugo, Jekyll).
//! One struct accepts the keys of all three generators, with aliases; any other key
//! is an error with a hint. Local checks (dates, path safety) run inside
//! deserialisation so the parser attaches the value's line and column.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;

use crate::diagnostic::Diagnostic;
use crate::parse::{self, Origin};

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

/// Split `text` (already LF-normalised) into front matter and body.
pub fn split<'a>(text: &'a str, file: &str) -> Result<Split<'a>, Diagnostic> {
    let (fence, format) = if text.starts_with("+++") {
        ("+++", Format::Toml)
    } else if text.starts_with("---") {
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
    let first_end = text.find('\n').unwrap_or(text.len());
    if text[..first_end].trim_end() != fence {
        return Err(Diagnostic::error(
            file,
            format!("the opening `{fence}` must be alone on its line"),
        )
        .at(1, 4)
        .hint(format!("put the front matter on the lines after `{fence}`")));
    }
    let front_start = (first_end + 1).min(text.len());
    let mut offset = front_start;
    for (i, line) in text[front_start..].split_inclusive('\n').enumerate() {
        let bare = line.trim_end();
        if bare == fence || (format == Format::Yaml && bare == "...") {
            let body_start = offset + line.len();
            return Ok(Split {
                format,
                front: &text[front_start..offset],
                front_line: 2,
                body: &text[body_start..],
                body_line: i + 3,
            });
        }
        offset += line.len();
    }
    Err(Diagnostic::error(
        file,
        format!("the front matter opened with `{fence}` on line 1 is never closed"),
    )
    .at(1, 1)
    .hint(format!(
        "add a line holding only `{fence}` after the front matter"
    )))
}

/// Parse the front matter of a split file.
pub fn parse(split: &Split<'_>, file: &str) -> Result<RawFrontMatter, Diagnostic> {
    let origin = Origin {
        file,
        first_line: split.front_line,
    };
    match split.format {
        Format::Toml => parse::toml(split.front, origin),
        Format::Yaml if split.front.trim().is_empty() => Ok(RawFrontMatter::default()),
        Format::Yaml => parse::yaml(split.front, origin),
        Format::None => Ok(RawFrontMatter::default()),
    }
}

pub use crate::parse::{find_key, locate_key};

/// Front matter as the writer typed it: Zola, Hugo and Jekyll keys alike.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
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
    pub aliases: Vec<UrlPath>,
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
    /// Hugo and Jekyll put these at the top level.
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
        if self.render.is_some() {
            keys.push("render");
        }
        keys
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SortBy {
    Date,
    Weight,
    Title,
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
}

/// A question and its answer (Markdown), shown on the page and in FAQPage data.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Faq {
    pub question: String,
    pub answer: String,
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FmDate {
    pub timestamp: jiff::Timestamp,
    /// The writer gave a time of day, not just a date.
    pub has_time: bool,
}

impl FmDate {
    pub fn parse(s: &str) -> Result<FmDate, String> {
        let s = s.trim();
        if let Ok(ts) = s.parse::<jiff::Timestamp>() {
            return Ok(FmDate {
                timestamp: ts,
                has_time: true,
            });
        }
        if s.len() > 10 {
            if let Ok(dt) = s.replace(' ', "T").parse::<jiff::civil::DateTime>() {
                if let Ok(ts) = jiff::tz::TimeZone::UTC.to_timestamp(dt) {
                    return Ok(FmDate {
                        timestamp: ts,
                        has_time: true,
                    });
                }
            }
        }
        match s.parse::<jiff::civil::Date>() {
            Ok(d) => {
                let ts = jiff::tz::TimeZone::UTC
                    .to_timestamp(d.to_datetime(jiff::civil::Time::midnight()))
                    .map_err(|e| format!("`{s}` is not a usable date: {e}"))?;
                Ok(FmDate {
                    timestamp: ts,
                    has_time: false,
                })
            }
            Err(_) => Err(format!(
                "`{s}` is not a valid date: write it as YYYY-MM-DD (e.g. 2026-03-31), with a real month and day"
            )),
        }
    }

    /// `2026-03-31`.
    pub fn ymd(&self) -> String {
        self.timestamp.strftime("%Y-%m-%d").to_string()
    }

    /// `2026-03-31T00:00:00Z`.
    pub fn rfc3339(&self) -> String {
        self.timestamp.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
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
    fn unclosed_front_matter_is_an_error() {
        let e = split("+++\ntitle = \"A\"\n", "a.md").unwrap_err();
        assert!(e.message.contains("never closed"));
    }

    #[test]
    fn impossible_date_is_an_error_at_its_line() {
        let e = fm("+++\ntitle = \"A\"\ndate = \"2024-13-45\"\n+++\n").unwrap_err();
        assert_eq!(e.line, 3, "{e}");
        assert!(e.message.contains("not a valid date"), "{e}");
        let e = fm("---\ntitle: A\ndate: 2024-02-30\n---\n").unwrap_err();
        assert_eq!(e.line, 3, "{e}");
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

    #[test]
    fn locates_keys() {
        let t = "title = \"x\"\n[taxonomies]\ntags = []\n";
        assert_eq!(locate_key(t, "tags", 2), (4, 1));
        assert_eq!(locate_key(t, "[taxonomies]", 2), (3, 1));
    }
}
