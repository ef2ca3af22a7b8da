//! One page's words, counted: the per-page token list a language's index is
//! assembled from ([`super::index::assemble`]). `serve` keeps these between
//! rebuilds ([`super::Cache`]), so an edit reads only the edited page's text.
//!
//! A page's words are lowercased and split as [`text::split`] does; each
//! distinct word keeps its weighted count (title 4, description and FAQ
//! questions 2, the rest 1) and whether the title has it. Stemming happens
//! later, once per distinct word of the whole language.

use std::cell::RefCell;

use ahash::AHashMap;

use super::index::Doc;
use super::text;

/// The distinct words of one page with their weighted counts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Analysed {
    /// The distinct words, in sorted order, one after the other.
    text: String,
    /// Per word, in the same order: where it ends in `text`, its weighted
    /// count, and whether the page's title has it.
    words: Vec<(u32, u32, bool)>,
    /// The sum of the weighted counts (the page's length for BM25).
    pub length: u64,
}

impl Analysed {
    /// Count the words of a document's fields, marking those of its title.
    pub fn new(doc: &Doc) -> Analysed {
        LOWERED.with_borrow_mut(|buf| Analysed::count(doc, buf))
    }

    /// [`Analysed::new`], with `buf` (reused from page to page on a thread,
    /// so millions of words cost no allocation) holding the lowercased text.
    fn count(doc: &Doc, buf: &mut String) -> Analysed {
        buf.clear();
        let mut fields = Vec::with_capacity(doc.fields.len());
        for (weight, text) in &doc.fields {
            let start = buf.len();
            push_lowercase(buf, text);
            fields.push((u32::from(*weight), start, buf.len()));
        }
        let title_start = buf.len();
        push_lowercase(buf, &doc.title);
        let buf: &str = buf;
        let mut counts: AHashMap<&str, (u32, bool)> = AHashMap::with_capacity(buf.len() / 16);
        let mut length = 0u64;
        for (weight, start, end) in fields {
            for w in text::split(&buf[start..end]) {
                counts.entry(w).or_default().0 += weight;
                length += u64::from(weight);
            }
        }
        for w in text::split(&buf[title_start..]) {
            // A title word is always counted (the title is a field); one that
            // is not (a document built without it) earns no bonus.
            if let Some(c) = counts.get_mut(w) {
                c.1 = true;
            }
        }
        let mut sorted: Vec<(&str, (u32, bool))> = counts.into_iter().collect();
        sorted.sort_unstable_by(|a, b| a.0.cmp(b.0));
        let mut out = Analysed {
            text: String::with_capacity(sorted.iter().map(|(w, _)| w.len()).sum()),
            words: Vec::with_capacity(sorted.len()),
            length,
        };
        for (w, (n, in_title)) in sorted {
            out.text.push_str(w);
            out.words.push((out.text.len() as u32, n, in_title));
        }
        out
    }

    /// (word, weighted count, in the title), words in sorted order.
    pub fn words(&self) -> impl Iterator<Item = (&str, u32, bool)> + '_ {
        let mut start = 0;
        self.words.iter().map(move |&(end, n, in_title)| {
            let w = &self.text[start..end as usize];
            start = end as usize;
            (w, n, in_title)
        })
    }

    /// The number of distinct words.
    pub fn len(&self) -> usize {
        self.words.len()
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }
}

thread_local! {
    /// The lowercased text of the page being counted on this thread.
    static LOWERED: RefCell<String> = const { RefCell::new(String::new()) };
}

/// `text` lowercased (as [`str::to_lowercase`] does) onto the end of `buf`.
fn push_lowercase(buf: &mut String, text: &str) {
    if text.is_ascii() {
        let start = buf.len();
        buf.push_str(text);
        buf[start..].make_ascii_lowercase();
    } else {
        buf.push_str(&text.to_lowercase());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(title: &str, fields: &[(u8, &str)]) -> Doc {
        Doc {
            url: "/a/".into(),
            title: title.into(),
            section: String::new(),
            reviewed: None,
            excerpt: String::new(),
            fields: fields.iter().map(|(w, t)| (*w, t.to_string())).collect(),
        }
    }

    #[test]
    fn words_are_counted_by_weight_and_title_words_marked() {
        let d = doc(
            "Washing Days",
            &[
                (4, "Washing Days"),
                (1, "Washing, then days; then WASHING."),
            ],
        );
        let a = Analysed::new(&d);
        let words: Vec<(&str, u32, bool)> = a.words().collect();
        assert_eq!(
            words,
            [("days", 5, true), ("then", 2, false), ("washing", 6, true)]
        );
        assert_eq!(a.length, 4 * 2 + 5);
        assert_eq!(a.len(), 3);
    }

    #[test]
    fn a_title_whose_lowercase_splits_differently_is_not_a_panic() {
        // "İ" lowercases to "i" and a combining dot, which is no letter.
        let d = doc("İstanbul", &[(4, "İstanbul"), (1, "ıstanbul")]);
        let a = Analysed::new(&d);
        let title: Vec<&str> = a.words().filter(|w| w.2).map(|w| w.0).collect();
        assert_eq!(
            title,
            text::split(&"İstanbul".to_lowercase()).collect::<Vec<_>>()
        );
        assert!(Analysed::new(&doc("x", &[])).is_empty());
    }
}
