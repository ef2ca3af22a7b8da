//! One language's index as a value an edit patches: the vocabulary, every
//! term's postings (raw weighted counts, not scores), the corpus totals and
//! the shards each two-character group of terms was cut into.
//!
//! Scores are not stored: a posting carries the page's weighted count of the
//! term, whether its title has it, and the page's length, and the manifest
//! carries the page count and the total length, so the browser computes BM25
//! (`themes/clinic/static/search.js`). An edit of one page therefore changes
//! only the postings of the terms that page has before or after, the
//! manifest, and the page's document file: [`Language::replace`] patches
//! those and [`Language::render`] writes again only the groups they fall in.
//! A patched value equals one built afresh ([`Language::new`]) from the same
//! pages, so the files equal a clean build's byte for byte.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Bound;

use ahash::AHashMap;
use rayon::prelude::*;

use super::analyse::Analysed;
use super::index::{self, hex, prefix, Entry, FIRST_DEPTH};
use super::text::{self, Analyzer};

/// One page's use of a term: the page's number and its weighted count
/// doubled, plus one when the title has the term.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Posting {
    doc: u32,
    tf: u32,
}

/// A distinct word of the language: how many pages use it, and its term.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Word {
    pages: u32,
    term: Box<str>,
}

/// A (word ending, stem ending) pair, the suffix rules' raw material.
type Pair = (Box<str>, Box<str>);

/// One language's index (see the module documentation).
pub struct Language {
    lang: String,
    analyzer: Analyzer,
    /// A shard bigger than this (JSON bytes) is split by one more character.
    shard_bytes: usize,
    /// Per page, in index order: its length (the sum of its weighted counts).
    lengths: Vec<u64>,
    total: u64,
    words: BTreeMap<Box<str>, Word>,
    /// Every term's postings, pages ascending.
    terms: BTreeMap<Box<str>, Vec<Posting>>,
    /// Folded word → the words (sorted) that fold to it and whose term is
    /// not the folded word: the `w` entries of the shards.
    surface: BTreeMap<Box<str>, Vec<Box<str>>>,
    /// How many words show each suffix pair.
    seen: BTreeMap<Pair, u32>,
    /// Group (the first two characters) → the keys of its shards, sorted.
    groups: BTreeMap<Box<str>, Vec<String>>,
}

/// What rendering wrote: files under the language's folder, and the shard
/// files it no longer has.
#[derive(Debug, Default)]
pub struct Rendered {
    pub files: Vec<(String, Vec<u8>)>,
    pub removed: Vec<String>,
}

impl Language {
    /// The index of `pages` (page `i` is the words of document `i`), with
    /// no shard written yet ([`Language::render_all`] writes them).
    pub fn new(lang: &str, pages: &[&Analysed], shard_bytes: usize) -> Language {
        let analyzer = Analyzer::new(lang);
        let counted = page_counts(pages);
        let stems: Vec<String> = counted.par_iter().map(|(w, _)| analyzer.term(w)).collect();
        let terms = postings(pages, &counted, &stems);
        let mut language = Language {
            lang: lang.to_string(),
            analyzer,
            shard_bytes,
            lengths: pages.iter().map(|p| p.length).collect(),
            total: pages.iter().map(|p| p.length).sum(),
            words: BTreeMap::new(),
            terms,
            surface: BTreeMap::new(),
            seen: BTreeMap::new(),
            groups: BTreeMap::new(),
        };
        for (w, t) in counted.iter().map(|(w, _)| *w).zip(&stems) {
            language.learn(w, t);
        }
        language.words = counted
            .into_iter()
            .zip(stems)
            .map(|((w, pages), t)| {
                (
                    w.into(),
                    Word {
                        pages,
                        term: t.into(),
                    },
                )
            })
            .collect();
        language
    }

    /// The number of pages.
    pub fn docs(&self) -> usize {
        self.lengths.len()
    }

    /// Record a word new to the vocabulary in the surface words and the
    /// suffix pairs.
    fn learn(&mut self, word: &str, term: &str) {
        let folded = text::fold(word);
        if folded != term {
            let words = self.surface.entry(folded.as_ref().into()).or_default();
            if let Err(at) = words.binary_search_by(|w| w.as_ref().cmp(word)) {
                words.insert(at, word.into());
            }
        }
        if let Some(pair) = index::rule_pair(word, term) {
            *self.seen.entry(pair).or_default() += 1;
        }
    }

    /// Undo [`Language::learn`] for a word that left the vocabulary.
    fn forget(&mut self, word: &str, term: &str) {
        let folded = text::fold(word);
        if folded != term {
            if let Some(words) = self.surface.get_mut(folded.as_ref()) {
                words.retain(|w| w.as_ref() != word);
                if words.is_empty() {
                    self.surface.remove(folded.as_ref());
                }
            }
        }
        if let Some(pair) = index::rule_pair(word, term) {
            if let Some(n) = self.seen.get_mut(&pair) {
                *n -= 1;
                if *n == 0 {
                    self.seen.remove(&pair);
                }
            }
        }
    }

    /// Page `doc`'s words were `old` and are now `new`: patch the
    /// vocabulary, the postings and the totals. Gives the groups whose
    /// shards changed (for [`Language::render`]).
    pub fn replace(&mut self, doc: u32, old: &Analysed, new: &Analysed) -> BTreeSet<Box<str>> {
        let mut groups = BTreeSet::new();
        let before = self.page_terms(old);
        self.swap_words(old, new, &mut groups);
        let after = self.page_terms(new);
        let length_changed = stored_length(old.length) != stored_length(new.length);
        self.total = self.total - old.length + new.length;
        self.lengths[doc as usize] = new.length;
        for change in merge(&before, &after) {
            let (term, changed) = match change {
                Merged::Left((t, _)) => (t, self.remove_posting(t, doc)),
                Merged::Right((t, tf)) => (t, self.insert_posting(t, doc, *tf)),
                Merged::Both((t, a), (_, b)) => {
                    if a != b {
                        self.set_posting(t, doc, *b);
                    }
                    (t, a != b || length_changed)
                }
            };
            if changed {
                groups.insert(prefix(term, FIRST_DEPTH).into());
            }
        }
        groups
    }

    /// Count a page's words out of the vocabulary (`old`) and in (`new`).
    fn swap_words(&mut self, old: &Analysed, new: &Analysed, groups: &mut BTreeSet<Box<str>>) {
        let olds: Vec<&str> = old.words().map(|(w, _, _)| w).collect();
        let news: Vec<&str> = new.words().map(|(w, _, _)| w).collect();
        for change in merge(&olds, &news) {
            match change {
                Merged::Left(w) => {
                    let word = self.words.get_mut(*w).expect("a counted word");
                    word.pages -= 1;
                    if word.pages == 0 {
                        let term = self.words.remove(*w).expect("a counted word").term;
                        self.forget(w, &term);
                        groups.insert(prefix(&text::fold(w), FIRST_DEPTH).into());
                    }
                }
                Merged::Right(w) => match self.words.get_mut(*w) {
                    Some(word) => word.pages += 1,
                    None => {
                        let term = self.analyzer.term(w);
                        self.learn(w, &term);
                        groups.insert(prefix(&text::fold(w), FIRST_DEPTH).into());
                        let term = term.into();
                        self.words.insert((*w).into(), Word { pages: 1, term });
                    }
                },
                Merged::Both(..) => {}
            }
        }
    }

    /// A page's terms with their posting's `tf`, sorted by term (words with
    /// one stem make one term).
    fn page_terms(&self, page: &Analysed) -> Vec<(Box<str>, u32)> {
        let list = page
            .words()
            .map(|(w, n, title)| (self.words[w].term.as_ref(), n, title))
            .collect();
        summed(list).map(|(t, tf)| (t.into(), tf)).collect()
    }

    fn remove_posting(&mut self, term: &str, doc: u32) -> bool {
        let Some(list) = self.terms.get_mut(term) else {
            return false;
        };
        if let Ok(at) = list.binary_search_by_key(&doc, |p| p.doc) {
            list.remove(at);
        }
        if list.is_empty() {
            self.terms.remove(term);
        }
        true
    }

    fn insert_posting(&mut self, term: &str, doc: u32, tf: u32) -> bool {
        let list = self.terms.entry(term.into()).or_default();
        match list.binary_search_by_key(&doc, |p| p.doc) {
            Ok(at) => list[at].tf = tf,
            Err(at) => list.insert(at, Posting { doc, tf }),
        }
        true
    }

    fn set_posting(&mut self, term: &str, doc: u32, tf: u32) {
        self.insert_posting(term, doc, tf);
    }

    /// The paths of the files [`Language::render_all`] writes.
    pub fn paths(&self) -> BTreeSet<String> {
        let mut paths: BTreeSet<String> = self
            .groups
            .values()
            .flatten()
            .map(|k| shard_path(k))
            .collect();
        paths.insert("index.json".to_string());
        paths
    }

    /// Every file of the index but the document files: the manifest and
    /// every shard.
    pub fn render_all(&mut self) -> Rendered {
        let mut all: BTreeSet<Box<str>> = self
            .terms
            .keys()
            .map(|t| prefix(t, FIRST_DEPTH).into())
            .collect();
        all.extend(self.surface.keys().map(|f| prefix(f, FIRST_DEPTH).into()));
        all.extend(self.groups.keys().cloned());
        self.render(&all)
    }

    /// The shards of `groups` written again, and the manifest; the shard
    /// files those groups no longer have are `removed`.
    pub fn render(&mut self, groups: &BTreeSet<Box<str>>) -> Rendered {
        let groups: Vec<&Box<str>> = groups.iter().collect();
        let cut: Vec<Vec<(String, Vec<u8>)>> =
            groups.par_iter().map(|g| self.render_group(g)).collect();
        let mut out = Rendered::default();
        for (g, shards) in groups.into_iter().zip(cut) {
            let keys: Vec<String> = shards.iter().map(|(k, _)| k.clone()).collect();
            let before = match keys.is_empty() {
                true => self.groups.remove(g),
                false => self.groups.insert(g.clone(), keys.clone()),
            };
            for gone in before.unwrap_or_default() {
                if keys.binary_search(&gone).is_err() {
                    out.removed.push(shard_path(&gone));
                }
            }
            out.files
                .extend(shards.into_iter().map(|(k, b)| (shard_path(&k), b)));
        }
        out.files.push(("index.json".to_string(), self.manifest()));
        out
    }

    /// The shards of one group: its terms' postings and its surface words,
    /// split where a shard would pass the limit.
    fn render_group(&self, group: &str) -> Vec<(String, Vec<u8>)> {
        let mut entries: Vec<Entry> = self
            .in_group(&self.terms, group)
            .map(|(t, list)| Entry::Term(t, self.flat(list)))
            .collect();
        entries.extend(
            self.in_group(&self.surface, group)
                .map(|(f, words)| Entry::Word(f, &self.words[&words[0]].term)),
        );
        index::shards(entries, self.shard_bytes)
    }

    /// The entries of `map` whose keys' first two characters are `group`.
    fn in_group<'a, V>(
        &self,
        map: &'a BTreeMap<Box<str>, V>,
        group: &'a str,
    ) -> impl Iterator<Item = (&'a str, &'a V)> + 'a {
        // A one-character group holds that one key only.
        let short = group.chars().count() < FIRST_DEPTH;
        map.range::<str, _>((Bound::Included(group), Bound::Unbounded))
            .take_while(move |(k, _)| k.starts_with(group) && (!short || k.as_ref() == group))
            .map(|(k, v)| (k.as_ref(), v))
    }

    /// Postings as a shard stores them: [page delta, tf, page length, …]
    /// (the length as [`stored_length`] rounds it).
    fn flat(&self, list: &[Posting]) -> Vec<u64> {
        let mut flat = Vec::with_capacity(list.len() * 3);
        let mut last = 0;
        for p in list {
            flat.push(u64::from(p.doc - last));
            flat.push(u64::from(p.tf));
            flat.push(stored_length(self.lengths[p.doc as usize]));
            last = p.doc;
        }
        flat
    }

    fn manifest(&self) -> Vec<u8> {
        let rules = index::rules_of(self.seen.iter().map(|((w, t), n)| (&**w, &**t, *n)));
        let shards: Vec<&str> = self.groups.values().flatten().map(String::as_str).collect();
        index::manifest(&index::Manifest {
            v: 2,
            lang: &self.lang,
            docs: self.docs(),
            length: self.total,
            stemmed: self.analyzer.stems(),
            shards,
            rules,
        })
    }
}

/// A posting's `tf`: the weighted count doubled, plus one for the title.
fn tf(count: u32, in_title: bool) -> u32 {
    count * 2 + u32::from(in_title)
}

fn shard_path(key: &str) -> String {
    format!("s/{}.json", hex(key))
}

/// Every distinct word of the pages with the number of pages using it,
/// sorted by word.
fn page_counts<'a>(pages: &[&'a Analysed]) -> Vec<(&'a str, u32)> {
    let counts = pages
        .par_iter()
        .fold(AHashMap::new, |mut m: AHashMap<&'a str, u32>, a| {
            for (w, _, _) in a.words() {
                *m.entry(w).or_default() += 1;
            }
            m
        })
        .reduce(AHashMap::new, |a, b| {
            let (mut big, small) = if a.len() >= b.len() { (a, b) } else { (b, a) };
            for (w, n) in small {
                *big.entry(w).or_default() += n;
            }
            big
        });
    let mut v: Vec<(&str, u32)> = counts.into_iter().collect();
    v.par_sort_unstable();
    v
}

/// Every term's postings, from the pages' words and each word's stem.
fn postings(
    pages: &[&Analysed],
    counted: &[(&str, u32)],
    stems: &[String],
) -> BTreeMap<Box<str>, Vec<Posting>> {
    let mut terms: Vec<&str> = stems.iter().map(String::as_str).collect();
    terms.par_sort_unstable();
    terms.dedup();
    let id: AHashMap<&str, u32> = terms
        .iter()
        .enumerate()
        .map(|(i, t)| (*t, i as u32))
        .collect();
    let term_of: AHashMap<&str, u32> = counted
        .iter()
        .zip(stems)
        .map(|((w, _), t)| (*w, id[t.as_str()]))
        .collect();
    let per_page: Vec<Vec<(u32, u32)>> = pages
        .par_iter()
        .map(|p| page_term_ids(p, &term_of))
        .collect();
    let mut lists: Vec<Vec<Posting>> = vec![Vec::new(); terms.len()];
    for (doc, list) in per_page.iter().enumerate() {
        for &(t, tf) in list {
            lists[t as usize].push(Posting {
                doc: doc as u32,
                tf,
            });
        }
    }
    terms.into_iter().map(Box::from).zip(lists).collect()
}

/// A page's (term, weighted count, in the title) list, one entry per term
/// (words with one stem summed), in term order, each with its posting's `tf`.
fn summed<K: Ord + Copy>(mut list: Vec<(K, u32, bool)>) -> impl Iterator<Item = (K, u32)> {
    list.sort_unstable_by_key(|e| e.0);
    list.dedup_by(|next, kept| {
        let same = next.0 == kept.0;
        if same {
            kept.1 += next.1;
            kept.2 |= next.2;
        }
        same
    });
    list.into_iter().map(|(t, n, title)| (t, tf(n, title)))
}

/// One page's (term id, tf), by term id.
fn page_term_ids(page: &Analysed, term_of: &AHashMap<&str, u32>) -> Vec<(u32, u32)> {
    let list = page
        .words()
        .map(|(w, n, title)| (term_of[w], n, title))
        .collect();
    summed(list).collect()
}

/// One step of walking two sorted lists together.
enum Merged<'a, T> {
    Left(&'a T),
    Right(&'a T),
    Both(&'a T, &'a T),
}

/// Walk two lists sorted by their key (the first field, or the item)
/// together, pairing equal keys.
fn merge<'a, T: Keyed>(a: &'a [T], b: &'a [T]) -> Vec<Merged<'a, T>> {
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::with_capacity(a.len().max(b.len()));
    while i < a.len() || j < b.len() {
        let order = match (a.get(i), b.get(j)) {
            (Some(x), Some(y)) => x.key().cmp(y.key()),
            (Some(_), None) => std::cmp::Ordering::Less,
            _ => std::cmp::Ordering::Greater,
        };
        match order {
            std::cmp::Ordering::Less => {
                out.push(Merged::Left(&a[i]));
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                out.push(Merged::Right(&b[j]));
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                out.push(Merged::Both(&a[i], &b[j]));
                i += 1;
                j += 1;
            }
        }
    }
    out
}

trait Keyed {
    fn key(&self) -> &str;
}

impl Keyed for &str {
    fn key(&self) -> &str {
        self
    }
}

impl Keyed for (Box<str>, u32) {
    fn key(&self) -> &str {
        &self.0
    }
}

/// A page's length as its postings store it: its four leading binary digits
/// (exact below 16, within 1/8 above; Lucene keeps norms so too). BM25 barely
/// moves, and a save that adds or removes a few words usually leaves it the
/// same, so only the shards of the words whose counts changed are written
/// again, not the shard of every word of the page.
pub fn stored_length(length: u64) -> u64 {
    let bits = 64 - length.leading_zeros();
    if bits <= 4 {
        return length;
    }
    let drop = bits - 4;
    (length >> drop) << drop
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::index::Doc;

    /// A small deterministic generator (xorshift).
    struct Rng(u64);

    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }
    }

    /// Words that share stems, fold together, make rules and crowd a few
    /// prefixes, so edits add and drop terms, surface words and shards.
    const WORDS: [&str; 24] = [
        "wash",
        "washing",
        "washed",
        "washes",
        "walk",
        "walking",
        "walked",
        "care",
        "caring",
        "cared",
        "días",
        "dias",
        "día",
        "cuánto",
        "cuanto",
        "scalp",
        "scalps",
        "sc",
        "s",
        "a",
        "happiness",
        "happy",
        "cool",
        "cooling",
    ];

    fn page(rng: &mut Rng) -> Analysed {
        let text = |rng: &mut Rng, n: usize| -> String {
            (0..n)
                .map(|_| WORDS[rng.below(WORDS.len())])
                .collect::<Vec<_>>()
                .join(" ")
        };
        let title_len = 1 + rng.below(2);
        let title = text(rng, title_len);
        let body_len = rng.below(12);
        let body = text(rng, body_len);
        Analysed::new(&Doc {
            url: String::new(),
            title: title.clone(),
            section: String::new(),
            reviewed: None,
            excerpt: String::new(),
            fields: vec![(4, title), (1, body)],
        })
    }

    fn built(pages: &[Analysed], limit: usize) -> BTreeMap<String, Vec<u8>> {
        let refs: Vec<&Analysed> = pages.iter().collect();
        Language::new("en", &refs, limit)
            .render_all()
            .files
            .into_iter()
            .collect()
    }

    #[test]
    fn patched_edits_equal_a_fresh_index_file_for_file() {
        for seed in [1u64, 0x9e37_79b9, 2026, 77] {
            let mut rng = Rng(seed);
            // A limit small enough that groups split and merge as pages change.
            let limit = 40 + rng.below(80);
            let mut pages: Vec<Analysed> = (0..6).map(|_| page(&mut rng)).collect();
            let mut files = built(&pages, limit);
            let refs: Vec<&Analysed> = pages.iter().collect();
            let mut index = Language::new("en", &refs, limit);
            index.render_all();
            for step in 0..60 {
                let doc = rng.below(pages.len());
                let new = if rng.below(5) == 0 {
                    Analysed::default()
                } else {
                    page(&mut rng)
                };
                let groups = index.replace(doc as u32, &pages[doc], &new);
                pages[doc] = new;
                let out = index.render(&groups);
                for gone in &out.removed {
                    assert!(
                        files.remove(gone).is_some(),
                        "seed {seed}, step {step}: {gone}"
                    );
                }
                files.extend(out.files);
                let fresh = built(&pages, limit);
                assert_eq!(
                    files.keys().collect::<Vec<_>>(),
                    fresh.keys().collect::<Vec<_>>(),
                    "seed {seed}, step {step}"
                );
                for (path, bytes) in &fresh {
                    assert!(
                        files[path] == *bytes,
                        "seed {seed}, step {step}: {path}: {} vs fresh {}",
                        String::from_utf8_lossy(&files[path]),
                        String::from_utf8_lossy(bytes)
                    );
                }
            }
        }
    }

    #[test]
    fn an_edit_rewrites_only_the_shards_of_its_terms() {
        let doc = |title: &str, body: &str| {
            Analysed::new(&Doc {
                url: String::new(),
                title: title.into(),
                section: String::new(),
                reviewed: None,
                excerpt: String::new(),
                fields: vec![(4, title.into()), (1, body.into())],
            })
        };
        let pages = [doc("Aftercare", "wash gently"), doc("Costs", "prices vary")];
        let refs: Vec<&Analysed> = pages.iter().collect();
        let mut index = Language::new("en", &refs, index::SHARD_BYTES);
        index.render_all();
        // Page 1 gains "zinc": its own terms' shards change (its length, 5
        // then 6, is in each of its postings), the manifest too; page 0's
        // shards do not.
        let groups = index.replace(1, &pages[1], &doc("Costs", "prices vary zinc"));
        let names: Vec<&str> = groups.iter().map(|g| &**g).collect();
        assert_eq!(names, ["co", "pr", "va", "zi"]);
        let out = index.render(&groups);
        let mut paths: Vec<&str> = out.files.iter().map(|(p, _)| p.as_str()).collect();
        paths.sort();
        let mut want: Vec<String> = ["co", "pr", "va", "zi"]
            .iter()
            .map(|g| shard_path(g))
            .collect();
        want.push("index.json".into());
        want.sort();
        assert_eq!(paths, want);
        assert!(out.removed.is_empty());
    }

    #[test]
    fn a_length_is_stored_with_four_binary_digits_and_a_small_edit_writes_only_its_words() {
        assert_eq!(
            [0, 15, 16, 17, 44, 45, 46, 47, 48, 800, 831, 832].map(stored_length),
            [0, 15, 16, 16, 44, 44, 44, 44, 48, 768, 768, 832]
        );
        let doc = |title: &str, body: &str| {
            Analysed::new(&Doc {
                url: format!("/{title}/"),
                title: title.into(),
                section: String::new(),
                reviewed: None,
                excerpt: String::new(),
                fields: vec![(4, title.into()), (1, body.into())],
            })
        };
        let long = format!("{}gently", "wash ".repeat(40));
        let pages = [doc("Aftercare", "rest"), doc("Costs", &long)];
        let refs: Vec<&Analysed> = pages.iter().collect();
        let mut index = Language::new("en", &refs, index::SHARD_BYTES);
        index.render_all();
        // 4 + 41 = 45 and 46 are both stored as 44: only "zinc" is new.
        let groups = index.replace(1, &pages[1], &doc("Costs", &format!("{long} zinc")));
        let names: Vec<&str> = groups.iter().map(|g| &**g).collect();
        assert_eq!(names, ["zi"]);
    }
}
