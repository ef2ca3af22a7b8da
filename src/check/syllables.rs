//! English syllable counts, as Python's `textstat` counts them.
//!
//! textstat looks each word up in the CMU Pronouncing Dictionary (the vowel sounds
//! of the first pronunciation) and falls back to pyphen's hyphenation points + 1
//! for words the dictionary does not have. We answer the same way, in three steps:
//!
//! 1. `syllables.txt`: the CMU words on which our spelling rules are wrong, with
//!    the dictionary's count (about 10,700 of 125,000 words);
//! 2. `cmu-words.bloom`: a Bloom filter of every other CMU word; for those the
//!    rules ([`rule_count`]) give the dictionary's count;
//! 3. any other word is counted as pyphen does ([`hyphenation_count`], Liang's
//!    algorithm with the same `hyph_en_US.dic` patterns), false positives of the
//!    filter (about 1%) by the rules.
//!
//! Step 3 copies pyphen's undercounting on purpose (`alopecia` has 2 syllables
//! there, 5 in speech): agreeing with textstat is the point. Both data files are
//! written by `FOLLICLE_BLESS=1 cargo test --test check syllable_table`, and the
//! same test checks all CMU words (see `tests/readability/README.md`).

use std::collections::HashMap;
use std::sync::OnceLock;

/// Words whose CMU count differs from [`rule_count`], one `word count` per line.
const TABLE: &str = include_str!("syllables.txt");
/// The other CMU words: `m` (u64 LE), `k` (u8), then `m` bits.
const CMU_WORDS: &[u8] = include_bytes!("cmu-words.bloom");
/// pyphen's American English hyphenation patterns (see `hyph_en_US.README.txt`).
const PATTERNS: &str = include_str!("hyph_en_US.dic");
/// pyphen's Spanish hyphenation patterns, MIT/X11 (see the file's header and
/// `hyph_es.README.txt`): textstat counts Spanish syllables with these alone.
const PATTERNS_ES: &str = include_str!("hyph_es.dic");

/// FNV-1a: words are short and trusted, so a simple hash beats SipHash here.
#[derive(Default)]
pub(crate) struct Fnv(u64);

/// A map keyed by short trusted strings, hashed with [`Fnv`].
pub(crate) type FnvMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<Fnv>>;

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        self.0 = fnv(self.0, bytes);
    }
}

fn fnv(seed: u64, bytes: &[u8]) -> u64 {
    let mut h = if seed == 0 {
        0xcbf2_9ce4_8422_2325
    } else {
        seed
    };
    for b in bytes {
        h ^= *b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

type Map<V> = HashMap<&'static str, V, std::hash::BuildHasherDefault<Fnv>>;

fn table() -> &'static Map<u8> {
    static MAP: OnceLock<Map<u8>> = OnceLock::new();
    MAP.get_or_init(|| {
        TABLE
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
            .filter_map(|l| {
                let (w, n) = l.split_once(' ')?;
                Some((w, n.parse().ok()?))
            })
            .collect()
    })
}

/// Syllables in one lowercase word (apostrophes allowed, other punctuation
/// already removed), as textstat counts them.
pub fn count(word: &str) -> usize {
    if let Some(&n) = table().get(word) {
        return n as usize;
    }
    if bloom_contains(CMU_WORDS, word) {
        rule_count(word)
    } else {
        hyphenation_count(word)
    }
}

/// The Bloom filter's bit positions for a word (Kirsch–Mitzenmacher double hashing).
pub fn bloom_bits(word: &str, m: u64, k: u8) -> impl Iterator<Item = u64> {
    let h1 = fnv(0, word.as_bytes());
    let h2 = fnv(0x9e37_79b9_7f4a_7c15, word.as_bytes()) | 1;
    (0..k as u64).map(move |i| h1.wrapping_add(i.wrapping_mul(h2)) % m)
}

/// Is `word` (probably) in the filter? `filter` is `m`, `k`, bits.
pub fn bloom_contains(filter: &[u8], word: &str) -> bool {
    if filter.len() < 9 {
        return false;
    }
    let m = u64::from_le_bytes(filter[..8].try_into().unwrap_or_default());
    let bits = &filter[9..];
    if m == 0 || bits.len() as u64 * 8 < m {
        return false;
    }
    bloom_bits(word, m, filter[8]).all(|b| bits[(b / 8) as usize] & (1 << (b % 8)) != 0)
}

/// Liang's hyphenation patterns, as pyphen reads them: the letters of each
/// pattern → (offset of the first non-zero value, the values from there).
struct Patterns {
    map: HashMap<String, (usize, Vec<u8>), std::hash::BuildHasherDefault<Fnv>>,
    max_len: usize,
}

fn patterns() -> &'static Patterns {
    static P: OnceLock<Patterns> = OnceLock::new();
    P.get_or_init(|| Patterns::parse(PATTERNS))
}

fn patterns_es() -> &'static Patterns {
    static P: OnceLock<Patterns> = OnceLock::new();
    P.get_or_init(|| Patterns::parse(PATTERNS_ES))
}

impl Patterns {
    /// Read a `.dic` file as pyphen does: the first line names the encoding;
    /// comments and the `*HYPHENMIN` settings are skipped.
    fn parse(text: &str) -> Patterns {
        let mut map = HashMap::default();
        let mut max_len = 0;
        for line in text.lines().skip(1).map(str::trim) {
            if line.is_empty()
                || line.starts_with(['%', '#'])
                || line.starts_with("LEFTHYPHENMIN")
                || line.starts_with("RIGHTHYPHENMIN")
                || line.starts_with("COMPOUND")
            {
                continue;
            }
            let (mut key, mut values, mut pending) = (String::new(), Vec::new(), 0u8);
            for c in line.chars() {
                match c.to_digit(10) {
                    Some(d) => pending = d as u8,
                    None => {
                        values.push(std::mem::take(&mut pending));
                        key.push(c);
                    }
                }
            }
            values.push(pending);
            let Some(start) = values.iter().position(|v| *v != 0) else {
                continue;
            };
            let end = values
                .iter()
                .rposition(|v| *v != 0)
                .map_or(start, |e| e + 1);
            max_len = max_len.max(key.chars().count());
            map.insert(key, (start, values[start..end].to_vec()));
        }
        Patterns { map, max_len }
    }
}

/// Syllables in one lowercase Spanish word as textstat 0.7 counts them:
/// pyphen's `len(positions(word)) + 1` with the Spanish patterns (textstat has
/// no pronouncing dictionary for Spanish).
pub fn count_es(word: &str) -> usize {
    hyphenation_count_with(patterns_es(), word)
}

/// pyphen's `len(positions(word)) + 1`: hyphenation points found by Liang's
/// algorithm, at least two letters from either end, plus one.
pub fn hyphenation_count(word: &str) -> usize {
    hyphenation_count_with(patterns(), word)
}

fn hyphenation_count_with(p: &Patterns, word: &str) -> usize {
    let dotted: Vec<char> = std::iter::once('.')
        .chain(word.chars())
        .chain(std::iter::once('.'))
        .collect();
    let mut refs = vec![0u8; dotted.len() + 1];
    let mut key = String::new();
    for i in 0..dotted.len() - 1 {
        key.clear();
        for j in i + 1..=(i + p.max_len).min(dotted.len()) {
            key.push(dotted[j - 1]);
            if let Some((offset, values)) = p.map.get(key.as_str()) {
                for (k, v) in values.iter().enumerate() {
                    if let Some(r) = refs.get_mut(i + offset + k) {
                        *r = (*r).max(*v);
                    }
                }
            }
        }
    }
    let len = word.chars().count() as isize;
    let points = refs
        .iter()
        .enumerate()
        .filter(|(_, r)| *r % 2 == 1)
        .map(|(i, _)| i as isize - 1)
        .filter(|&pos| (2..=len - 2).contains(&pos))
        .count();
    points + 1
}

fn is_vowel(c: u8) -> bool {
    matches!(c, b'a' | b'e' | b'i' | b'o' | b'u')
}

fn is_vowel_y(c: u8) -> bool {
    is_vowel(c) || c == b'y'
}

/// Syllables by rule: vowel groups, then the common silent and split vowels of
/// English spelling. Words without letters (numbers) count one, as textstat's
/// fallback does.
pub fn rule_count(word: &str) -> usize {
    // Long words are rare; the common case needs no allocation.
    let mut stack = [0u8; 48];
    let mut heap = Vec::new();
    let w: &[u8] = if word.len() <= stack.len() {
        let mut n = 0;
        for b in word.bytes().filter(|b| *b != b'\'') {
            stack[n] = fold(b);
            n += 1;
        }
        &stack[..n]
    } else {
        heap.extend(word.bytes().filter(|b| *b != b'\'').map(fold));
        &heap
    };
    if w.is_empty() {
        return 1;
    }
    let n = vowel_groups(w) as isize + split_vowels(w) + consonant_l(w) - silent_endings(w);
    n.max(1) as usize
}

/// Accented Latin letters arrive as UTF-8; every non-ASCII byte counts as `a`,
/// so an accented vowel makes one vowel group.
fn fold(b: u8) -> u8 {
    if b >= 0x80 {
        b'a'
    } else {
        b
    }
}

/// Runs of vowels; `y` is a vowel after a consonant.
fn vowel_groups(w: &[u8]) -> usize {
    let mut n = 0;
    let mut prev = false;
    for (i, &c) in w.iter().enumerate() {
        let v = is_vowel(c) || (c == b'y' && i > 0 && !is_vowel(w[i - 1]));
        if v && !prev {
            n += 1;
        }
        prev = v;
    }
    n
}

/// Vowel pairs spoken as two syllables (`ratio`, `video`, `quiet`, `area`).
fn split_vowels(w: &[u8]) -> isize {
    let len = w.len();
    let at = |i: usize| w.get(i).copied().unwrap_or(0);
    let mut n = 0;
    for i in 0..len.saturating_sub(1) {
        let (a, b) = (w[i], w[i + 1]);
        let before = if i > 0 { w[i - 1] } else { 0 };
        let after = at(i + 2);
        match (a, b) {
            // -tion, -cial, -sion, -gious: one sound.
            (b'i', b'a' | b'o' | b'u')
                if !(b"ctsgx".contains(&before) && matches!(after, b'n' | b'l' | b's')) =>
            {
                n += 1
            }
            (b'e', b'o') | (b'i', b'i') | (b'a', b'o') => n += 1,
            (b'u', b'a') if !matches!(before, b'g' | b'q') => n += 1,
            (b'u', b'o') if before != b'q' => n += 1,
            (b'y', b'o' | b'a') if i > 0 && !is_vowel(before) => n += 1,
            (b'i', b'e') if after == b't' || (i + 3 == len && after == b'r') => n += 1,
            (b'u', b'e')
                if matches!(after, b't' | b'l' | b'n') && !matches!(before, b'g' | b'q') =>
            {
                n += 1
            }
            (b'u', b'i') if at(i + 2) == b't' && at(i + 3) == b'y' => n += 1,
            (b'e', b'a') => {
                let next2 = [at(i + 2), at(i + 3)];
                if matches!(&next2, b"te" | b"ti" | b"to" | b"li") || (i + 2 == len && len > 3) {
                    n += 1;
                }
            }
            _ => {}
        }
    }
    n
}

/// `gambling`, `handled`: consonant + l + ending, the l is a syllable.
fn consonant_l(w: &[u8]) -> isize {
    for ending in [&b"ing"[..], b"ed"] {
        if w.len() >= ending.len() + 3 && w.ends_with(ending) {
            let stem = &w[..w.len() - ending.len()];
            let (c1, c2, l) = (
                stem[stem.len() - 3],
                stem[stem.len() - 2],
                stem[stem.len() - 1],
            );
            if l == b'l' && b"bcdfgkpstz".contains(&c2) && !is_vowel_y(c1) {
                return 1;
            }
        }
    }
    0
}

/// Silent final `e`, `-es`, `-ed`, and a silent `e` before a suffix (`safely`).
fn silent_endings(w: &[u8]) -> isize {
    if vowel_groups(w) <= 1 {
        return 0;
    }
    let len = w.len();
    let from_end = |k: usize| if len >= k { w[len - k] } else { 0 };
    let mut n = 0;
    if w.ends_with(b"e") {
        let le_after_consonant = w.ends_with(b"le") && len > 2 && !is_vowel_y(from_end(3));
        let double = len > 3
            && (w.ends_with(b"ee")
                || w.ends_with(b"ie")
                || w.ends_with(b"ye")
                || w.ends_with(b"oe"));
        if !le_after_consonant && !double {
            n += 1;
        }
    } else if w.ends_with(b"es") && len > 3 {
        let sounded = [
            "ses", "zes", "xes", "ches", "shes", "ges", "ces", "ies", "ees", "oes", "yes",
        ]
        .iter()
        .any(|e| w.ends_with(e.as_bytes()));
        let les = w.ends_with(b"les") && len > 4 && !is_vowel_y(from_end(4));
        if !sounded && !les && !is_vowel_y(from_end(3)) {
            n += 1;
        }
    } else if w.ends_with(b"ed") && len > 3 {
        let c = from_end(3);
        if c != b't' && c != b'd' && !is_vowel_y(c) {
            n += 1;
        }
    }
    for suffix in ["ely", "ement", "ements", "eful", "eness", "eless", "ewise"] {
        let s = suffix.as_bytes();
        if w.ends_with(s) && len > s.len() + 1 && !is_vowel_y(w[len - s.len() - 1]) {
            n += 1;
            break;
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_on_common_words() {
        for (w, n) in [
            ("scalp", 1),
            ("pigment", 2),
            ("practitioner", 4),
            ("makes", 1),
            ("washed", 1),
            ("wanted", 2),
            ("ratio", 3),
            ("quiet", 2),
            ("safely", 2),
            ("gambling", 3),
            ("table", 2),
            ("24", 1),
            ("don't", 1),
        ] {
            assert_eq!(rule_count(w), n, "{w}");
        }
    }

    #[test]
    fn unknown_words_are_hyphenated_as_pyphen_does() {
        // pyphen 0.18 with hyph_en_US.dic: len(positions(w)) + 1.
        for (w, n) in [
            ("alopecia", 2),
            ("micropigmentation", 5),
            ("keloids", 1),
            ("touchups", 1),
            ("finasteride", 3),
            ("hyphenation", 3),
            ("smp", 1),
            ("24", 1),
        ] {
            assert_eq!(hyphenation_count(w), n, "{w}");
        }
        assert_eq!(count("alopecia"), 2);
    }

    #[test]
    fn spanish_words_are_hyphenated_as_pyphen_does() {
        // pyphen 0.18 with hyph_es.dic: len(positions(w)) + 1. Two letters from
        // either end are never split, so `país` and `ahí` count 1, as in textstat.
        for (w, n) in [
            ("micropigmentación", 6),
            ("capilar", 3),
            ("cabelludo", 4),
            ("especialista", 5),
            ("después", 2),
            ("cuero", 2),
            ("país", 1),
            ("a", 1),
        ] {
            assert_eq!(count_es(w), n, "{w}");
        }
    }

    #[test]
    fn the_table_overrides_the_rules() {
        // Vowel groups say 3 (`so-me-times`); the CMU dictionary says 2.
        assert_eq!(rule_count("sometimes"), 3);
        assert_eq!(count("sometimes"), 2);
        assert_eq!(count("scalp"), 1);
    }
}
