//! Text for the search index: HTML → plain text, plain text → words, words →
//! stems. The browser (`themes/clinic/static/search.js`) splits and folds a
//! query the same way (see [`words`] and [`fold`]), so index and query agree.

use std::borrow::Cow;

use pagefind_stem::{Algorithm, Stemmer};
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// The plain text of HTML that Follicle's Markdown stage wrote (pulldown-cmark
/// and ammonia output: every `<` in text is escaped, tags are well formed).
/// Each tag becomes a space, so `</p><p>` never glues two words together;
/// the character references those serialisers write are decoded.
pub fn strip_html(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = memchr::memchr2(b'<', b'&', rest.as_bytes()) {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        if rest.starts_with(HEADING_ANCHOR) {
            // The `#` link the Markdown stage adds to headings is not prose.
            rest = rest.find("</a>").map_or("", |end| &rest[end + 4..]);
            out.push(' ');
        } else if rest.starts_with('<') {
            rest = skip_tag(rest);
            out.push(' ');
        } else {
            let (text, used) = reference(rest);
            out.push_str(&text);
            rest = &rest[used..];
        }
    }
    out.push_str(rest);
    out
}

/// How the Markdown stage's heading anchor links start.
const HEADING_ANCHOR: &str = "<a class=\"heading-anchor\"";

/// `rest` after the tag it starts with (quotes inside attributes respected).
fn skip_tag(rest: &str) -> &str {
    let mut quote: Option<char> = None;
    for (i, c) in rest.char_indices().skip(1) {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == '>' => return &rest[i + 1..],
            None => {}
        }
    }
    ""
}

/// The text of the character reference `rest` starts with, and its length in
/// bytes; an `&` that starts none stands for itself.
fn reference(rest: &str) -> (Cow<'static, str>, usize) {
    const NAMED: [(&str, &str); 6] = [
        ("&amp;", "&"),
        ("&lt;", "<"),
        ("&gt;", ">"),
        ("&quot;", "\""),
        ("&apos;", "'"),
        ("&nbsp;", " "),
    ];
    for (name, text) in NAMED {
        if rest.starts_with(name) {
            return (Cow::Borrowed(text), name.len());
        }
    }
    if let Some(num) = rest.strip_prefix("&#") {
        if let Some(end) = num.find(';').filter(|&e| e > 0 && e <= 8) {
            let digits = &num[..end];
            let code = match digits.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok(),
                None => digits.parse().ok(),
            };
            if let Some(c) = code.and_then(char::from_u32) {
                return (Cow::Owned(c.to_string()), end + 3);
            }
        }
    }
    (Cow::Borrowed("&"), 1)
}

/// The words of a text, lowercased: runs of letters and digits (the browser
/// splits on `[^\p{Alphabetic}\p{N}]`, the same classes as
/// [`char::is_alphanumeric`]).
pub fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    split(text).map(str::to_lowercase)
}

/// The words of a text as slices of it: runs of letters and digits. The
/// index lowercases a whole field first, then splits it with this.
pub fn split(text: &str) -> Split<'_> {
    Split { text, at: 0 }
}

/// The iterator of [`split`]: `text.split(|c| !c.is_alphanumeric())` without
/// the empty pieces, with ASCII bytes classified without a table lookup (a
/// site's text is mostly ASCII; this loop runs over every byte of it).
pub struct Split<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Split<'a> {
    /// The first byte at or after `i` whose character is (`word`) or is not
    /// a letter or digit; the end of the text if none.
    #[inline]
    fn boundary(&self, mut i: usize, word: bool) -> usize {
        let bytes = self.text.as_bytes();
        while let Some(&b) = bytes.get(i) {
            if b.is_ascii() {
                if b.is_ascii_alphanumeric() == word {
                    return i;
                }
                i += 1;
            } else {
                let c = self.text[i..].chars().next().expect("a char boundary");
                if c.is_alphanumeric() == word {
                    return i;
                }
                i += c.len_utf8();
            }
        }
        i
    }
}

impl<'a> Iterator for Split<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let start = self.boundary(self.at, true);
        self.at = self.boundary(start, false);
        (self.at > start).then(|| &self.text[start..self.at])
    }
}

/// Accents removed (NFD, combining marks dropped), so "cuánto" and "cuanto"
/// meet. Applied after stemming: Snowball expects the accented word.
pub fn fold(word: &str) -> Cow<'_, str> {
    if word.is_ascii() {
        return Cow::Borrowed(word);
    }
    Cow::Owned(word.nfd().filter(|c| !is_combining_mark(*c)).collect())
}

/// The Snowball algorithm for a language code (`es`, `pt-BR`: the primary
/// subtag counts), if the stemmer has one. Other languages are indexed by
/// their folded words unstemmed.
pub fn algorithm(lang: &str) -> Option<Algorithm> {
    let primary = lang
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    Some(match primary.as_str() {
        "ar" => Algorithm::Arabic,
        "ca" => Algorithm::Catalan,
        "da" => Algorithm::Danish,
        "de" => Algorithm::German,
        "el" => Algorithm::Greek,
        "en" => Algorithm::English,
        "es" => Algorithm::Spanish,
        "fi" => Algorithm::Finnish,
        "fr" => Algorithm::French,
        "hu" => Algorithm::Hungarian,
        "id" => Algorithm::Indonesian,
        "it" => Algorithm::Italian,
        "nl" => Algorithm::Dutch,
        "no" | "nb" | "nn" => Algorithm::Norwegian,
        "pl" => Algorithm::Polish,
        "pt" => Algorithm::Portuguese,
        "ro" => Algorithm::Romanian,
        "ru" => Algorithm::Russian,
        "sv" => Algorithm::Swedish,
        "tr" => Algorithm::Turkish,
        _ => return None,
    })
}

/// Turns words into index terms for one language: stemmed, then folded.
pub struct Analyzer {
    stemmer: Option<Stemmer>,
}

impl Analyzer {
    pub fn new(lang: &str) -> Analyzer {
        Analyzer {
            stemmer: algorithm(lang).map(Stemmer::create),
        }
    }

    /// Whether this language is stemmed.
    pub fn stems(&self) -> bool {
        self.stemmer.is_some()
    }

    /// The index term of one lowercased word.
    pub fn term(&self, word: &str) -> String {
        match &self.stemmer {
            Some(s) => fold(&s.stem(word)).into_owned(),
            None => fold(word).into_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_becomes_text_with_word_breaks_and_references_decoded() {
        let html = "<h2 id=\"a\">Days&nbsp;1–4</h2><p>Don&#39;t <em>scratch</em>.</p><p>Salt &amp; pepper</p><img alt=\"x > y\">end";
        let text = strip_html(html);
        assert_eq!(
            words(&text).collect::<Vec<_>>(),
            ["days", "1", "4", "don", "t", "scratch", "salt", "pepper", "end"]
        );
        let heading = "<h2 id=\"x\">What we believe <a class=\"heading-anchor\" href=\"#x\" aria-hidden=\"true\" tabindex=\"-1\">#</a></h2><p>Next</p>";
        assert_eq!(
            strip_html(heading).split_whitespace().collect::<Vec<_>>(),
            ["What", "we", "believe", "Next"]
        );
        assert_eq!(strip_html("a &#x41; &#66; & b"), "a A B & b");
        assert_eq!(strip_html("<p>unclosed <a href=\"x"), " unclosed  ");
    }

    #[test]
    fn english_and_spanish_words_stem_to_shared_terms() {
        let en = Analyzer::new("en");
        assert_eq!(en.term("washing"), en.term("wash"));
        assert_eq!(en.term("washed"), "wash");
        assert_eq!(
            en.term("aftercare"),
            en.term("aftercare's".split('\'').next().unwrap())
        );
        let es = Analyzer::new("es-MX");
        assert_eq!(es.term("cuidados"), es.term("cuidado"));
        assert_eq!(es.term("cuidados"), "cuid");
        // Folded after stemming: the accented and bare spellings meet.
        assert_eq!(es.term("cuánto"), es.term("cuanto"));
    }

    #[test]
    fn languages_without_a_stemmer_are_folded_only() {
        let ja = Analyzer::new("ja");
        assert!(!ja.stems());
        assert_eq!(ja.term("café"), "cafe");
        assert!(algorithm("pt-BR").is_some());
        assert!(algorithm("xx").is_none());
    }

    #[test]
    fn split_agrees_with_the_standard_split_on_non_alphanumerics() {
        for text in [
            "",
            "  ",
            "Can I wash? 3-4 días… İstanbul ½ ²x 中文 naïve—done",
            "a",
            "é",
            "--x--",
        ] {
            let std: Vec<&str> = text
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .collect();
            assert_eq!(split(text).collect::<Vec<_>>(), std, "{text:?}");
        }
    }

    #[test]
    fn words_split_on_anything_but_letters_and_digits() {
        let w: Vec<String> = words("Can I wash my hair? 3-4 días…").collect();
        assert_eq!(w, ["can", "i", "wash", "my", "hair", "3", "4", "días"]);
    }
}
