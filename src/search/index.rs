//! One language's index: documents → weighted terms → BM25 scores → shards by
//! term prefix, plus the manifest and one small file per document.
//!
//! Files, under `search-index/<lang>/`:
//! - `index.json`: the manifest: document count, the shard keys, and the
//!   suffix rules learned from the stemmer (below).
//! - `s/<hex of key>.json`: every term starting with the key, as
//!   `{"t": {term: [doc delta, score, …]}, "w": {word: term}}`. `w` maps the
//!   site's own words to their stems when the two differ, so a query word the
//!   site uses is stemmed exactly as Snowball stemmed it here.
//! - `d/<id>.json`: what a result shows: URL, title, section, review date and
//!   the text its excerpt is cut from.
//!
//! The browser cannot run Snowball without WebAssembly (forbidden by the CSP),
//! so for a query word the site never uses, the manifest's rules stand in:
//! each is a (word ending → stem ending) pair seen at least twice in the
//! site's own words ("ing" → "", "ies" → "i", "ados" → ""), and the browser
//! tries each on the query word, keeping the candidates that are terms.

use std::collections::{BTreeMap, BTreeSet};

use ahash::{AHashMap, AHashSet};
use rayon::prelude::*;
use serde::Serialize;

use super::analyse::Analysed;
use super::text::{self, Analyzer};

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
const FIRST_DEPTH: usize = 2;
/// Suffix rules: longest word ending, longest stem ending, fewest sightings.
const RULE_WORD_END: usize = 8;
const RULE_STEM_END: usize = 4;
const RULE_MIN_SEEN: usize = 2;
/// BM25 parameters (the usual ones) and the integer scale of stored scores.
const K1: f64 = 1.2;
const B: f64 = 0.75;
const SCALE: f64 = 10.0;
/// A term of the title adds this many times its idf: BM25's length
/// normalisation alone ranks a short page that mentions "aftercare" once above
/// the long page called "Aftercare".
const TITLE_BONUS: f64 = 2.0;

/// The distinct words of every page, sorted.
fn vocabulary<'a>(pages: &[&'a Analysed]) -> Vec<&'a str> {
    let set = pages
        .par_iter()
        .fold(AHashSet::new, |mut set: AHashSet<&'a str>, a| {
            set.extend(a.words().map(|(w, _, _)| w));
            set
        })
        .reduce(AHashSet::new, |mut a, b| {
            if a.len() < b.len() {
                return b.into_iter().chain(a).collect();
            }
            a.extend(b);
            a
        });
    let mut v: Vec<&str> = set.into_iter().collect();
    v.par_sort_unstable();
    v
}

/// Every output file of one language's index, as (path under the index
/// folder, bytes), in a stable order; each page's words counted here.
pub fn files(lang: &str, docs: &[Doc]) -> Vec<(String, Vec<u8>)> {
    let analysed: Vec<Analysed> = docs.par_iter().map(Analysed::new).collect();
    let pages: Vec<&Analysed> = analysed.iter().collect();
    let shown: Vec<Vec<u8>> = docs.par_iter().map(doc_file).collect();
    let shown: Vec<&[u8]> = shown.iter().map(Vec::as_slice).collect();
    assemble(lang, &shown, &pages)
}

/// [`files`] from pages already counted and their document files made:
/// `pages[i]` is the words of the page whose [`doc_file`] is `shown[i]`.
pub fn assemble(lang: &str, shown: &[&[u8]], pages: &[&Analysed]) -> Vec<(String, Vec<u8>)> {
    let analyzer = Analyzer::new(lang);
    // Stem each distinct word once; terms are numbered in sorted order.
    let vocabulary = vocabulary(pages);
    let stems: Vec<String> = vocabulary.par_iter().map(|w| analyzer.term(w)).collect();
    let mut terms: Vec<&str> = stems.iter().map(String::as_str).collect();
    terms.sort_unstable();
    terms.dedup();
    let id: AHashMap<&str, u32> = terms
        .iter()
        .enumerate()
        .map(|(i, t)| (*t, i as u32))
        .collect();
    let term_of: AHashMap<&str, u32> = vocabulary
        .iter()
        .zip(&stems)
        .map(|(w, t)| (*w, id[t.as_str()]))
        .collect();
    let postings = score(pages, &term_of, terms.len());
    let surface = surface_words(&vocabulary, &stems);
    let rules = rules(&vocabulary, &stems);
    let shards = shard(&terms, postings, &surface);
    let manifest = Manifest {
        v: 1,
        lang,
        docs: shown.len(),
        stemmed: analyzer.stems(),
        shards: shards.iter().map(|(k, _)| k.as_str()).collect(),
        rules,
    };
    let mut out = vec![("index.json".to_string(), json(&manifest))];
    out.par_extend(
        shards
            .par_iter()
            .map(|(key, shard)| (format!("s/{}.json", hex(key)), json(shard))),
    );
    out.extend(
        shown
            .iter()
            .enumerate()
            .map(|(id, bytes)| (format!("d/{id}.json"), bytes.to_vec())),
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

/// One page's terms: (term id, weighted count, in the title), by term id.
fn page_terms(page: &Analysed, term_of: &AHashMap<&str, u32>) -> Vec<(u32, u32, bool)> {
    let mut list: Vec<(u32, u32, bool)> = page
        .words()
        .map(|(w, n, in_title)| (term_of[w], n, in_title))
        .collect();
    list.sort_unstable_by_key(|e| e.0);
    // Words with one stem ("wash", "washing") make one term.
    list.dedup_by(|next, kept| {
        let same = next.0 == kept.0;
        if same {
            kept.1 += next.1;
            kept.2 |= next.2;
        }
        same
    });
    list
}

/// Per term id: flattened [document delta, score, …], documents ascending,
/// BM25 over weighted counts.
fn score(pages: &[&Analysed], term_of: &AHashMap<&str, u32>, n_terms: usize) -> Vec<Vec<u32>> {
    let n = pages.len() as f64;
    let total: u64 = pages.iter().map(|p| p.length).sum();
    let avg = (total as f64 / n.max(1.0)).max(1.0);
    let per_page: Vec<Vec<(u32, u32, bool)>> =
        pages.par_iter().map(|p| page_terms(p, term_of)).collect();
    // Postings of each term in page order: (page, weighted count, in title).
    let mut df = vec![0usize; n_terms];
    for list in &per_page {
        for &(t, _, _) in list {
            df[t as usize] += 1;
        }
    }
    let mut tf: Vec<Vec<(u32, u32, bool)>> = df.iter().map(|&n| Vec::with_capacity(n)).collect();
    for (d, list) in per_page.iter().enumerate() {
        for &(t, f, in_title) in list {
            tf[t as usize].push((d as u32, f, in_title));
        }
    }
    drop(per_page);
    tf.into_par_iter()
        .map(|list| {
            let df = list.len() as f64;
            let idf = (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
            let mut flat = Vec::with_capacity(list.len() * 2);
            let mut last = 0;
            for (d, f, in_title) in list {
                let f = f64::from(f);
                let norm = K1 * (1.0 - B + B * pages[d as usize].length as f64 / avg);
                let bonus = if in_title { TITLE_BONUS } else { 0.0 };
                let s = idf * (f * (K1 + 1.0) / (f + norm) + bonus) * SCALE;
                flat.push(d - last);
                flat.push((s.round() as u32).max(1));
                last = d;
            }
            flat
        })
        .collect()
}

/// Folded words whose term differs from the word itself.
fn surface_words(vocabulary: &[&str], stems: &[String]) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for (w, t) in vocabulary.iter().zip(stems) {
        let folded = text::fold(w);
        if folded != t.as_str() {
            out.entry(folded.into_owned()).or_insert_with(|| t.clone());
        }
    }
    out
}

/// Word ending → stem endings, from the site's own (word, stem) pairs.
pub fn rules(vocabulary: &[&str], stems: &[String]) -> BTreeMap<String, BTreeSet<String>> {
    let mut seen: BTreeMap<(String, String), usize> = BTreeMap::new();
    for (w, t) in vocabulary.iter().zip(stems) {
        let w: Vec<char> = text::fold(w).chars().collect();
        let t: Vec<char> = t.chars().collect();
        let common = w.iter().zip(&t).take_while(|(a, b)| a == b).count();
        if common < FIRST_DEPTH
            || w.len() - common > RULE_WORD_END
            || t.len() - common > RULE_STEM_END
        {
            continue;
        }
        let pair = (
            w[common..].iter().collect::<String>(),
            t[common..].iter().collect::<String>(),
        );
        *seen.entry(pair).or_default() += 1;
    }
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for ((wend, tend), n) in seen {
        if n >= RULE_MIN_SEEN {
            out.entry(wend).or_default().insert(tend);
        }
    }
    out
}

/// One shard file.
#[derive(Debug, Default, Serialize, PartialEq)]
pub struct Shard {
    /// term → flattened [document delta, score, …].
    pub t: BTreeMap<String, Vec<u32>>,
    /// word → term.
    pub w: BTreeMap<String, String>,
}

enum Entry<'a> {
    Term(&'a str, Vec<u32>),
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

fn digits(n: u32) -> usize {
    n.checked_ilog10().unwrap_or(0) as usize + 1
}

/// The first `n` characters of `s` (all of it when shorter).
pub fn prefix(s: &str, n: usize) -> &str {
    s.char_indices().nth(n).map_or(s, |(i, _)| &s[..i])
}

/// Entries grouped by prefix: two characters, and one more wherever a group
/// would pass [`SHARD_BYTES`] (entries as short as the key stay in it).
fn shard(
    terms: &[&str],
    postings: Vec<Vec<u32>>,
    surface: &BTreeMap<String, String>,
) -> Vec<(String, Shard)> {
    let mut entries: Vec<Entry> = terms
        .iter()
        .zip(postings)
        .map(|(t, flat)| Entry::Term(t, flat))
        .collect();
    entries.extend(surface.iter().map(|(w, t)| Entry::Word(w, t)));
    let mut out = BTreeMap::new();
    split(entries, FIRST_DEPTH, &mut out);
    out.into_iter().collect()
}

fn split<'a>(entries: Vec<Entry<'a>>, depth: usize, out: &mut BTreeMap<String, Shard>) {
    let mut groups: BTreeMap<String, Vec<Entry<'a>>> = BTreeMap::new();
    for e in entries {
        groups
            .entry(prefix(e.key(), depth).to_string())
            .or_default()
            .push(e);
    }
    for (key, group) in groups {
        let size: usize = group.iter().map(Entry::bytes).sum();
        let (stay, deeper): (Vec<_>, Vec<_>) = if size > SHARD_BYTES {
            group
                .into_iter()
                .partition(|e| e.key().chars().count() <= depth)
        } else {
            (group, Vec::new())
        };
        if !stay.is_empty() {
            let shard: &mut Shard = out.entry(key).or_default();
            for e in stay {
                match e {
                    Entry::Term(t, p) => {
                        shard.t.insert(t.to_string(), p);
                    }
                    Entry::Word(w, t) => {
                        shard.w.insert(w.to_string(), t.to_string());
                    }
                }
            }
        }
        if !deeper.is_empty() {
            split(deeper, depth + 1, out);
        }
    }
}

/// A shard key as a file name: its UTF-8 bytes in hex (`af` → `6166`).
pub fn hex(key: &str) -> String {
    key.bytes().map(|b| format!("{b:02x}")).collect()
}

#[derive(Serialize)]
struct Manifest<'a> {
    v: u32,
    lang: &'a str,
    docs: usize,
    stemmed: bool,
    shards: Vec<&'a str>,
    rules: BTreeMap<String, BTreeSet<String>>,
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

    fn shards(files: &[(String, Vec<u8>)]) -> BTreeMap<String, Shard> {
        files
            .iter()
            .filter(|(p, _)| p.starts_with("s/"))
            .map(|(p, b)| {
                let v: serde_json::Value = serde_json::from_slice(b).unwrap();
                let shard = Shard {
                    t: serde_json::from_value(v["t"].clone()).unwrap(),
                    w: serde_json::from_value(v["w"].clone()).unwrap(),
                };
                (p.clone(), shard)
            })
            .collect()
    }

    #[test]
    fn terms_are_stems_in_the_shard_of_their_prefix_with_scores() {
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
        // "wash" and "washing" are one term; document 0, both words counted.
        let p = &wa.t["wash"];
        assert_eq!(p.len(), 2);
        assert_eq!(p[0], 0);
        assert_eq!(wa.w["washing"], "wash");
        let af = &s[&format!("s/{}.json", hex("af"))];
        assert!(af.t.contains_key("aftercar"), "{af:?}");
        // The title weighs more than the prose: "costs" (title) outscores
        // "vary" (prose) in the same document.
        let co = &s[&format!("s/{}.json", hex("co"))];
        let va = &s[&format!("s/{}.json", hex("va"))];
        assert!(co.t["cost"][1] > va.t["vari"][1]);
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
        let docs_of: Vec<u32> = sc.t["scalp"].iter().step_by(2).copied().collect();
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
        let stems: Vec<String> = vocab.iter().map(|w| an.term(w)).collect();
        let r = rules(&vocab, &stems);
        assert!(r["ing"].contains(""), "{r:?}");
        // "ed" → "" was seen once only.
        assert!(!r.contains_key("ed"));
        assert_eq!(prefix("día", 2), "dí");
        assert_eq!(prefix("a", 2), "a");
    }
}
