//! One language's index files: what they hold and how they are written.
//! [`super::language`] keeps the postings and decides which files an edit
//! writes again.
//!
//! Files, under `search-index/<lang>/`:
//! - `index.json`: the manifest: page count, the sum of the pages' lengths,
//!   the shard keys, and the suffix rules learned from the stemmer (below).
//! - `s/<hex of key>.json`: every term starting with the key, as
//!   `{"t": {term: [page delta, tf, page length, …]}, "w": {word: term}}`,
//!   where `tf` is the page's weighted count of the term doubled, plus one
//!   when the title has it. The browser scores BM25 from these and the
//!   manifest's totals (`themes/clinic/static/search.js`), so no stored
//!   number depends on other pages: an edit rewrites only its own terms'
//!   shards. `w` maps the site's own words to their stems when the two
//!   differ, so a query word the site uses is stemmed exactly as Snowball
//!   stemmed it here.
//! - `d/<id>.json`: what a result shows: URL, title, section, review date and
//!   the text its excerpt is cut from.
//!
//! The browser cannot run Snowball without WebAssembly (forbidden by the CSP),
//! so for a query word the site never uses, the manifest's rules stand in:
//! each is a (word ending → stem ending) pair seen at least twice in the
//! site's own words ("ing" → "", "ies" → "i", "ados" → ""), and the browser
//! tries each on the query word, keeping the candidates that are terms.

use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;
use serde::Serialize;

use super::analyse::Analysed;
use super::language::Language;
use super::text;

/// A page as the index sees it.
#[derive(Debug, Clone)]
pub struct Doc {
    /// The link to the page, with the base path of a sub-path `base_url`.
    pub url: String,
    pub title: String,
    /// The title of the page's section ("" at the top of the site).
    pub section: String,
    /// `reviewed_on`, `2026-03-31`.
    pub reviewed: Option<String>,
    /// The start of the page's text, which excerpts are cut from.
    pub excerpt: String,
    /// (weight, text): title 4, description and FAQ questions 2, prose 1.
    /// Counted into an [`Analysed`]: [`assemble`] reads the counts, not this.
    pub fields: Vec<(u8, String)>,
}

/// Longest text a document file keeps for its excerpt, in bytes.
pub const EXCERPT_BYTES: usize = 1000;
/// A shard bigger than this (JSON bytes) is split by one more character.
pub const SHARD_BYTES: usize = 12 * 1024;
/// Shard keys start with this many characters.
pub const FIRST_DEPTH: usize = 2;
/// Suffix rules: longest word ending, longest stem ending, fewest sightings.
const RULE_WORD_END: usize = 8;
const RULE_STEM_END: usize = 4;
const RULE_MIN_SEEN: u32 = 2;

/// Every output file of one language's index, as (path under the index
/// folder, bytes), in a stable order; each page's words counted here.
pub fn files(lang: &str, docs: &[Doc]) -> Vec<(String, Vec<u8>)> {
    let analysed: Vec<Analysed> = docs.par_iter().map(Analysed::new).collect();
    let pages: Vec<&Analysed> = analysed.iter().collect();
    let mut out = Language::new(lang, &pages, SHARD_BYTES).render_all().files;
    out.extend(
        docs.iter()
            .enumerate()
            .map(|(id, d)| (format!("d/{id}.json"), doc_file(d))),
    );
    out
}

/// The file of one document: what a result shows.
pub fn doc_file(doc: &Doc) -> Vec<u8> {
    json(&DocFile {
        url: &doc.url,
        title: &doc.title,
        section: &doc.section,
        reviewed: doc.reviewed.as_deref(),
        text: &doc.excerpt,
    })
}

/// The (word ending, stem ending) pair a word and its term show, when
/// they share at least [`FIRST_DEPTH`] characters and the endings are short.
pub fn rule_pair(word: &str, term: &str) -> Option<(Box<str>, Box<str>)> {
    let w: Vec<char> = text::fold(word).chars().collect();
    let t: Vec<char> = term.chars().collect();
    let common = w.iter().zip(&t).take_while(|(a, b)| a == b).count();
    if common < FIRST_DEPTH || w.len() - common > RULE_WORD_END || t.len() - common > RULE_STEM_END
    {
        return None;
    }
    let w: String = w[common..].iter().collect();
    let t: String = t[common..].iter().collect();
    Some((w.into(), t.into()))
}

/// Word ending → stem endings, from (word ending, stem ending, how many
/// words show it): the pairs seen at least twice.
pub fn rules_of<'a>(
    seen: impl Iterator<Item = (&'a str, &'a str, u32)>,
) -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (wend, tend, n) in seen {
        if n >= RULE_MIN_SEEN {
            out.entry(wend.to_string())
                .or_default()
                .insert(tend.to_string());
        }
    }
    out
}

/// What one shard holds: a term with its flattened postings, or a site
/// word with its term.
pub enum Entry<'a> {
    Term(&'a str, Vec<u64>),
    Word(&'a str, &'a str),
}

impl Entry<'_> {
    fn key(&self) -> &str {
        match self {
            Entry::Term(k, _) | Entry::Word(k, _) => k,
        }
    }

    /// About what the entry adds to a shard's JSON.
    fn bytes(&self) -> usize {
        match self {
            Entry::Term(k, p) => k.len() + 6 + p.iter().map(|n| digits(*n) + 1).sum::<usize>(),
            Entry::Word(k, t) => k.len() + t.len() + 6,
        }
    }
}

fn digits(n: u64) -> usize {
    n.checked_ilog10().unwrap_or(0) as usize + 1
}

/// The first `n` characters of `s` (all of it when shorter).
pub fn prefix(s: &str, n: usize) -> &str {
    s.char_indices().nth(n).map_or(s, |(i, _)| &s[..i])
}

/// The shard files of one group of entries sharing their first
/// [`FIRST_DEPTH`] characters (terms in order, then words in order), as
/// (shard key, JSON): the group is one shard, cut by one more character
/// wherever a shard would pass `limit` bytes (entries as short as the key
/// stay in it).
pub fn shards(entries: Vec<Entry>, limit: usize) -> Vec<(String, Vec<u8>)> {
    let mut out = BTreeMap::new();
    split(entries, FIRST_DEPTH, limit, &mut out);
    out.into_iter()
        .map(|(key, entries)| (key, shard_json(&entries)))
        .collect()
}

fn split<'a>(
    entries: Vec<Entry<'a>>,
    depth: usize,
    limit: usize,
    out: &mut BTreeMap<String, Vec<Entry<'a>>>,
) {
    let mut groups: BTreeMap<&'a str, Vec<Entry<'a>>> = BTreeMap::new();
    for e in entries {
        let key = match &e {
            Entry::Term(k, _) | Entry::Word(k, _) => prefix(k, depth),
        };
        groups.entry(key).or_default().push(e);
    }
    for (key, group) in groups {
        let size: usize = group.iter().map(Entry::bytes).sum();
        let (stay, deeper): (Vec<_>, Vec<_>) = if size > limit {
            group
                .into_iter()
                .partition(|e| e.key().chars().count() <= depth)
        } else {
            (group, Vec::new())
        };
        if !stay.is_empty() {
            out.entry(key.to_string()).or_default().extend(stay);
        }
        if !deeper.is_empty() {
            split(deeper, depth + 1, limit, out);
        }
    }
}

/// `{"t": {term: [page delta, tf, page length, …]}, "w": {word: term}}`,
/// keys in order (terms and words each arrive sorted).
fn shard_json(entries: &[Entry]) -> Vec<u8> {
    let mut t = BTreeMap::new();
    let mut w = BTreeMap::new();
    for e in entries {
        match e {
            Entry::Term(k, p) => {
                t.insert(*k, p.as_slice());
            }
            Entry::Word(k, v) => {
                w.insert(*k, *v);
            }
        }
    }
    json(&Shard { t, w })
}

/// One shard file.
#[derive(Serialize)]
struct Shard<'a> {
    t: BTreeMap<&'a str, &'a [u64]>,
    w: BTreeMap<&'a str, &'a str>,
}

/// A shard key as a file name: its UTF-8 bytes in hex (`af` → `6166`).
pub fn hex(key: &str) -> String {
    key.bytes().map(|b| format!("{b:02x}")).collect()
}

/// The manifest, `index.json`.
#[derive(Serialize)]
pub struct Manifest<'a> {
    /// The format: 2 since postings carry counts and lengths, not scores.
    pub v: u32,
    pub lang: &'a str,
    /// The number of pages.
    pub docs: usize,
    /// The sum of the pages' lengths (BM25's average length is this / docs).
    pub length: u64,
    pub stemmed: bool,
    pub shards: Vec<&'a str>,
    pub rules: BTreeMap<String, BTreeSet<String>>,
}

/// The manifest's bytes.
pub fn manifest(m: &Manifest) -> Vec<u8> {
    json(m)
}

#[derive(Serialize)]
struct DocFile<'a> {
    url: &'a str,
    title: &'a str,
    section: &'a str,
    reviewed: Option<&'a str>,
    text: &'a str,
}

/// JSON with `<`, `>`, `&` and `'` written as `\u` escapes (they occur only
/// inside strings): writer text stays inert even if a host serves the file
/// as HTML.
fn json<T: Serialize>(value: &T) -> Vec<u8> {
    let raw = serde_json::to_vec(value).expect("index values serialise");
    if !raw.iter().any(|b| matches!(b, b'<' | b'>' | b'&' | b'\'')) {
        return raw;
    }
    let mut out = Vec::with_capacity(raw.len());
    for b in raw {
        match b {
            b'<' => out.extend_from_slice(b"\\u003c"),
            b'>' => out.extend_from_slice(b"\\u003e"),
            b'&' => out.extend_from_slice(b"\\u0026"),
            b'\'' => out.extend_from_slice(b"\\u0027"),
            _ => out.push(b),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::text::Analyzer;

    fn doc(url: &str, title: &str, body: &str) -> Doc {
        Doc {
            url: url.into(),
            title: title.into(),
            section: "Treatment".into(),
            reviewed: None,
            excerpt: body.into(),
            fields: vec![(4, title.into()), (1, body.into())],
        }
    }

    /// A shard as read back.
    #[derive(Debug, serde::Deserialize)]
    struct Read {
        t: BTreeMap<String, Vec<u64>>,
        w: BTreeMap<String, String>,
    }

    fn shards(files: &[(String, Vec<u8>)]) -> BTreeMap<String, Read> {
        files
            .iter()
            .filter(|(p, _)| p.starts_with("s/"))
            .map(|(p, b)| (p.clone(), serde_json::from_slice(b).unwrap()))
            .collect()
    }

    #[test]
    fn terms_are_stems_in_the_shard_of_their_prefix_with_counts() {
        let docs = [
            doc(
                "/a/",
                "Aftercare",
                "Wash your scalp gently. Washing too soon fades pigment.",
            ),
            doc("/b/", "Costs", "Prices vary."),
        ];
        let files = files("en", &docs);
        let s = shards(&files);
        let wa = &s[&format!("s/{}.json", hex("wa"))];
        // "wash" and "washing" are one term; page 0, both words counted
        // (tf 2 × 2, not in the title), its length 4 (the title) + 9 words.
        assert_eq!(wa.t["wash"], [0, 4, 13]);
        assert_eq!(wa.w["washing"], "wash");
        let af = &s[&format!("s/{}.json", hex("af"))];
        assert!(af.t.contains_key("aftercar"), "{af:?}");
        // A title word: weighted 4, doubled, plus one for the title.
        let co = &s[&format!("s/{}.json", hex("co"))];
        assert_eq!(co.t["cost"], [1, 9, 6]);
        let va = &s[&format!("s/{}.json", hex("va"))];
        assert_eq!(va.t["vari"], [1, 2, 6]);
        // The manifest's totals, for BM25 in the browser.
        let m = files.iter().find(|(p, _)| p == "index.json").unwrap();
        let m: serde_json::Value = serde_json::from_slice(&m.1).unwrap();
        assert_eq!(
            (m["docs"].as_u64(), m["length"].as_u64()),
            (Some(2), Some(19))
        );
        // Document files in order, with what a result shows.
        let d1 = files.iter().find(|(p, _)| p == "d/1.json").unwrap();
        let v: serde_json::Value = serde_json::from_slice(&d1.1).unwrap();
        assert_eq!(v["url"], "/b/");
        assert_eq!(v["section"], "Treatment");
    }

    #[test]
    fn markup_in_writer_text_is_escaped_in_the_json() {
        let docs = [doc("/a/", "<script>x</script> & 'q'", "body")];
        let files = files("en", &docs);
        let d0 = &files.iter().find(|(p, _)| p == "d/0.json").unwrap().1;
        let text = String::from_utf8_lossy(d0);
        assert!(!text.contains('<') && !text.contains('\''), "{text}");
        let v: serde_json::Value = serde_json::from_slice(d0).unwrap();
        assert_eq!(v["title"], "<script>x</script> & 'q'");
    }

    #[test]
    fn postings_are_delta_coded() {
        let docs: Vec<Doc> = (0..5)
            .map(|i| {
                doc(
                    &format!("/{i}/"),
                    "Page",
                    if i % 2 == 0 { "scalp" } else { "hair" },
                )
            })
            .collect();
        let s = shards(&files("en", &docs));
        let sc = &s[&format!("s/{}.json", hex("sc"))];
        let docs_of: Vec<u64> = sc.t["scalp"].iter().step_by(3).copied().collect();
        assert_eq!(docs_of, [0, 2, 2]);
    }

    #[test]
    fn a_big_group_splits_by_one_more_character_short_terms_stay() {
        // Many distinct terms under "co": the group passes the limit.
        let body: String = (0..3000)
            .map(|i| format!("co{} ", hex(&i.to_string())))
            .collect();
        let docs = [doc("/a/", "co", &body)];
        let files = files("xx", &docs);
        let s = shards(&files);
        let keys: BTreeSet<&str> = s.keys().map(String::as_str).collect();
        assert!(keys.contains(format!("s/{}.json", hex("co")).as_str()));
        // Every other term sits deeper: "co30…", "co31…".
        assert!(
            keys.contains(format!("s/{}.json", hex("co30")).as_str()),
            "{keys:?}"
        );
        assert!(
            !keys.contains(format!("s/{}.json", hex("co3")).as_str()),
            "{keys:?}"
        );
        let co = &s[&format!("s/{}.json", hex("co"))];
        assert_eq!(co.t.keys().collect::<Vec<_>>(), ["co"]);
        for (p, b) in &files {
            if p.starts_with("s/") {
                assert!(b.len() < SHARD_BYTES * 2, "{p}: {} bytes", b.len());
            }
        }
    }

    #[test]
    fn suffix_rules_come_from_pairs_seen_twice() {
        let an = Analyzer::new("en");
        let vocab = ["washing", "walking", "walked", "happy", "happiness"];
        let mut seen: BTreeMap<(Box<str>, Box<str>), u32> = BTreeMap::new();
        for w in vocab {
            if let Some(pair) = rule_pair(w, &an.term(w)) {
                *seen.entry(pair).or_default() += 1;
            }
        }
        let r = rules_of(seen.iter().map(|((w, t), n)| (&**w, &**t, *n)));
        assert!(r["ing"].contains(""), "{r:?}");
        // "ed" → "" was seen once only.
        assert!(!r.contains_key("ed"));
        assert_eq!(prefix("día", 2), "dí");
        assert_eq!(prefix("a", 2), "a");
    }
}
