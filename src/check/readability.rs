//! Reading level: an article's prose → Flesch–Kincaid grade, Flesch Reading Ease
//! and SMOG for English, Fernández-Huerta and Szigriszt-Pazos for Spanish,
//! computed as Python's `textstat` 0.7 computes them, plus the hardest sentences
//! and longest words to show the writer what to change.
//!
//! Prose is what a patient reads as running text: paragraphs, headings, list items
//! and FAQ questions and answers. Code, tables, block quotes, images and raw HTML
//! are left out. Each block is closed as a sentence (a period is added when it has
//! no `.`, `!` or `?`), so headings and list items count as sentences.
//!
//! textstat's counting, reproduced exactly: words are the whitespace-separated
//! pieces left after removing every character that is not a letter, digit, `_`,
//! whitespace or a contraction apostrophe (`don't`; `day-by-day` is one word);
//! sentences are the matches of `\b[^.!?]+[.!?]*`, not counting those of two words
//! or fewer; syllables come from [`super::syllables`] (English: the CMU
//! dictionary, then hyphenation; Spanish: Spanish hyphenation patterns only, as
//! textstat has no Spanish dictionary).

use std::collections::HashMap;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use serde::Serialize;

use super::syllables;

/// The language whose syllables and formulas score a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    /// Flesch–Kincaid grade (lower is easier), Flesch Reading Ease, SMOG.
    English,
    /// Fernández-Huerta reading ease (higher is easier), Szigriszt-Pazos.
    Spanish,
}

impl Language {
    /// The scored language of a page's language code (`en`, `en-GB`, `es`,
    /// `es-MX`, …); `None` for languages without a formula here.
    pub fn of(code: &str) -> Option<Language> {
        let base = code.split(['-', '_']).next().unwrap_or(code);
        match base.to_ascii_lowercase().as_str() {
            "en" => Some(Language::English),
            "es" => Some(Language::Spanish),
            _ => None,
        }
    }
}

/// One block of prose (a paragraph, heading, list item, FAQ question or answer).
#[derive(Debug, Clone, Default)]
pub struct Block {
    pub text: String,
    /// `(byte offset in text, source line)` where each piece of text starts.
    lines: Vec<(usize, usize)>,
}

impl Block {
    fn line_at(&self, offset: usize) -> usize {
        match self.lines.partition_point(|(o, _)| *o <= offset) {
            0 => self.lines.first().map(|(_, l)| *l).unwrap_or(0),
            i => self.lines[i - 1].1,
        }
    }
}

/// The prose of one page, block by block.
#[derive(Debug, Clone, Default)]
pub struct Prose {
    pub blocks: Vec<Block>,
}

impl Prose {
    /// All blocks, one per line: the text the scores are computed on.
    pub fn text(&self) -> String {
        let mut s = String::new();
        for b in &self.blocks {
            s.push_str(&b.text);
            s.push('\n');
        }
        s
    }
}

/// Byte offsets of line starts, for offset → line.
struct Lines {
    starts: Vec<usize>,
    first_line: usize,
}

impl Lines {
    fn new(text: &str, first_line: usize) -> Lines {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Lines { starts, first_line }
    }

    fn line(&self, offset: usize) -> usize {
        self.starts.partition_point(|s| *s <= offset) - 1 + self.first_line
    }
}

/// Collects blocks from Markdown events.
struct Collector {
    blocks: Vec<Block>,
    current: Block,
}

impl Collector {
    fn push(&mut self, text: &str, line: usize) {
        if self.current.lines.last().map(|(_, l)| *l) != Some(line) {
            self.current.lines.push((self.current.text.len(), line));
        }
        self.current.text.push_str(text);
    }

    fn flush(&mut self) {
        let mut block = std::mem::take(&mut self.current);
        let trimmed_len = block.text.trim_end().len();
        block.text.truncate(trimmed_len);
        let lead = block.text.len() - block.text.trim_start().len();
        if lead > 0 {
            block.text.drain(..lead);
            for (o, _) in &mut block.lines {
                *o = o.saturating_sub(lead);
            }
        }
        if block.text.is_empty() {
            return;
        }
        if !block.text.ends_with(['.', '!', '?']) {
            block.text.push('.');
        }
        self.blocks.push(block);
    }
}

/// Add the prose of a Markdown text (a body, or an FAQ answer) to `prose`.
/// `first_line` is the file line on which `markdown` starts.
pub fn extract_markdown(markdown: &str, first_line: usize, prose: &mut Prose) {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES;
    // Shortcode and Liquid syntax is not prose; blanked, offsets kept.
    let masked = crate::markdown::shortcodes::mask(markdown, options);
    let markdown: &str = &masked;
    let lines = Lines::new(markdown, first_line);
    let mut c = Collector {
        blocks: std::mem::take(&mut prose.blocks),
        current: Block::default(),
    };
    // Depth inside something that is not prose (code, table, quote, image, HTML).
    let mut skip = 0usize;
    for (event, range) in Parser::new_ext(markdown, options).into_offset_iter() {
        match event {
            Event::Start(
                Tag::CodeBlock(_)
                | Tag::Table(_)
                | Tag::BlockQuote(_)
                | Tag::Image { .. }
                | Tag::HtmlBlock,
            ) => skip += 1,
            Event::End(
                TagEnd::CodeBlock
                | TagEnd::Table
                | TagEnd::BlockQuote(_)
                | TagEnd::Image
                | TagEnd::HtmlBlock,
            ) => skip = skip.saturating_sub(1),
            _ if skip > 0 => {}
            Event::Start(
                Tag::Paragraph
                | Tag::Heading { .. }
                | Tag::Item
                | Tag::List(_)
                | Tag::FootnoteDefinition(_),
            )
            | Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::List(_)
                | TagEnd::FootnoteDefinition,
            ) => c.flush(),
            Event::Text(t) => c.push(&t, lines.line(range.start)),
            Event::SoftBreak | Event::HardBreak => c.current.text.push(' '),
            _ => {}
        }
    }
    c.flush();
    prose.blocks = c.blocks;
}

/// Add one plain-text block (an FAQ question) at `line`.
pub fn extract_plain(text: &str, line: usize, prose: &mut Prose) {
    let mut c = Collector {
        blocks: std::mem::take(&mut prose.blocks),
        current: Block::default(),
    };
    c.push(text, line);
    c.flush();
    prose.blocks = c.blocks;
}

/// textstat's `\w`.
fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric() || c == '_'
    } else {
        c.is_alphanumeric()
    }
}

/// Call `f` with each word of `text` as textstat's `list_words` gives it.
fn for_each_word(text: &str, mut f: impl FnMut(&str)) {
    for_each_word_at(text, |w, _| f(w));
}

/// Like [`for_each_word`], with the byte offset of the word's first letter.
///
/// A word is the characters kept from one whitespace-separated token. Most
/// tokens keep one unbroken run (`word`, `word,`, `(word)`): that run is passed
/// as a slice of `text`; only a token with a dropped character inside
/// (`day-by-day` → `daybyday`) is copied.
fn for_each_word_at(text: &str, mut f: impl FnMut(&str, usize)) {
    let mut copied = String::new();
    // The token's kept characters: first byte, end of the last, and whether a
    // dropped character came between two kept ones.
    let mut first: Option<usize> = None;
    let mut last_end = 0;
    let mut broken = false;
    let mut emit =
        |first: &mut Option<usize>, last_end: usize, broken: &mut bool, copied: &mut String| {
            if let Some(start) = first.take() {
                if *broken {
                    f(copied, start);
                } else {
                    f(&text[start..last_end], start);
                }
            }
            *broken = false;
            copied.clear();
        };
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c.is_whitespace() {
            emit(&mut first, last_end, &mut broken, &mut copied);
            continue;
        }
        let keep = if is_word_char(c) {
            true
        } else if c == '\'' {
            // Kept only before a contraction ending: 's 't 'd 've 'll 're.
            let mut ahead = chars.clone().map(|(_, c)| c);
            match ahead.next() {
                Some('t' | 's' | 'd') => true,
                Some('v') => ahead.next() == Some('e'),
                Some('l') => ahead.next() == Some('l'),
                Some('r') => ahead.next() == Some('e'),
                _ => false,
            }
        } else {
            false
        };
        if keep {
            match first {
                None => first = Some(i),
                Some(start) if !broken && last_end != i => {
                    // A dropped character came between: copy from here on.
                    broken = true;
                    copied.push_str(&text[start..last_end]);
                }
                _ => {}
            }
            if broken {
                copied.push(c);
            }
            last_end = i + c.len_utf8();
        }
    }
    emit(&mut first, last_end, &mut broken, &mut copied);
}

/// Syllables of words as written (textstat lowercases before looking up),
/// remembered: a site's articles share most of their words, and counting one
/// means a dictionary, a Bloom filter and hyphenation patterns. Keep one per
/// thread across articles ([`analyse_with`]). Bounded; the answer never
/// depends on the memo.
#[derive(Default)]
pub struct Syllables {
    buf: String,
    memo: syllables::FnvMap<Box<str>, usize>,
    /// The memo of the language counted before the current one.
    other_memo: syllables::FnvMap<Box<str>, usize>,
    lang: Option<Language>,
}

impl Syllables {
    /// Count in `lang` from now on (each language has its own memo).
    fn set_language(&mut self, lang: Language) {
        if self.lang != Some(lang) {
            if self.lang.is_some() {
                std::mem::swap(&mut self.memo, &mut self.other_memo);
            }
            self.lang = Some(lang);
        }
    }

    fn of(&mut self, word: &str) -> usize {
        if self.lang.is_none() {
            self.lang = Some(Language::English);
        }
        if !word
            .bytes()
            .any(|b| b.is_ascii_uppercase() || !b.is_ascii())
        {
            return self.remembered(word);
        }
        let mut buf = std::mem::take(&mut self.buf);
        buf.clear();
        if word.is_ascii() {
            buf.push_str(word);
            buf.make_ascii_lowercase();
        } else {
            buf.extend(word.chars().flat_map(char::to_lowercase));
        }
        let n = self.remembered(&buf);
        self.buf = buf;
        n
    }

    fn remembered(&mut self, lower: &str) -> usize {
        const LIMIT: usize = 200_000;
        if let Some(&n) = self.memo.get(lower) {
            return n;
        }
        let n = match self.lang {
            Some(Language::Spanish) => syllables::count_es(lower),
            _ => syllables::count(lower),
        };
        if self.memo.len() >= LIMIT {
            self.memo.clear();
        }
        self.memo.insert(lower.into(), n);
        n
    }
}

/// Byte ranges of textstat's sentence matches, `\b[^.!?]+[.!?]*`.
fn sentence_spans(text: &str) -> Vec<(usize, usize)> {
    let end_mark = |c: char| matches!(c, '.' | '!' | '?');
    let mut spans = Vec::new();
    let mut prev_word = false;
    let mut chars = text.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        let word = is_word_char(c);
        if prev_word == word || end_mark(c) {
            prev_word = word;
            continue;
        }
        let mut last = c;
        while let Some(&(_, n)) = chars.peek() {
            if end_mark(n) {
                break;
            }
            last = n;
            chars.next();
        }
        while let Some(&(_, n)) = chars.peek() {
            if !end_mark(n) {
                break;
            }
            last = n;
            chars.next();
        }
        let end = chars.peek().map(|(o, _)| *o).unwrap_or(text.len());
        spans.push((start, end));
        prev_word = is_word_char(last);
    }
    spans
}

fn word_count(text: &str) -> usize {
    // What `for_each_word` yields, counted without building the words: a
    // whitespace-separated token gives a word exactly when it holds a word
    // character (an apostrophe is only kept before one).
    if !text.is_ascii() {
        return text
            .split_whitespace()
            .filter(|t| t.chars().any(is_word_char))
            .count();
    }
    // The same count over bytes: ASCII's whitespace is \t..=\r and space.
    let (mut count, mut has_word) = (0, false);
    for &b in text.as_bytes() {
        if matches!(b, b'\t'..=b'\r' | b' ') {
            count += usize::from(std::mem::take(&mut has_word));
        } else if b.is_ascii_alphanumeric() || b == b'_' {
            has_word = true;
        }
    }
    count + usize::from(has_word)
}

/// The scores and the counts they come from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Scores {
    pub words: usize,
    pub sentences: usize,
    pub syllables: usize,
    /// Words of three or more syllables (for SMOG).
    pub polysyllables: usize,
    pub flesch_kincaid_grade: f64,
    pub flesch_reading_ease: f64,
    pub smog: f64,
    /// textstat's `fernandez_huerta`: 206.84 − 60 × syllables/words − 1.02 ×
    /// words/sentences (Spanish; 70 and above is "fairly easy").
    pub fernandez_huerta: f64,
    /// textstat's `szigriszt_pazos` (INFLESZ): 206.84 − 62.3 × syllables/words −
    /// words/sentences (Spanish; 65 and above is "normal" or easier).
    pub szigriszt_pazos: f64,
}

/// Sentences textstat counts in `text`: matches with more than two words, at least one.
pub fn sentence_count(text: &str) -> usize {
    if text.is_empty() {
        return 0;
    }
    let counted = sentence_spans(text)
        .into_iter()
        .filter(|(s, e)| word_count(&text[*s..*e]) > 2)
        .count();
    counted.max(1)
}

/// textstat's `flesch_kincaid_grade`, `flesch_reading_ease` and `smog_index`.
pub fn score(text: &str) -> Scores {
    score_in(text, Language::English)
}

/// The scores of `text` with `lang`'s syllables (textstat with `set_lang`).
pub fn score_in(text: &str, lang: Language) -> Scores {
    let (mut words, mut syllables, mut polysyllables) = (0, 0, 0);
    let mut counter = Syllables::default();
    counter.set_language(lang);
    for_each_word(text, |w| {
        let n = counter.of(w);
        words += 1;
        syllables += n;
        if n >= 3 {
            polysyllables += 1;
        }
    });
    scores_from(words, sentence_count(text), syllables, polysyllables)
}

fn scores_from(words: usize, sentences: usize, syllables: usize, polysyllables: usize) -> Scores {
    let mut s = Scores {
        words,
        sentences,
        syllables,
        polysyllables,
        ..Scores::default()
    };
    if words == 0 || sentences == 0 {
        return s;
    }
    let per_sentence = words as f64 / sentences as f64;
    let per_word = syllables as f64 / words as f64;
    if per_word > 0.0 {
        s.flesch_kincaid_grade = 0.39 * per_sentence + 11.8 * per_word - 15.59;
        s.flesch_reading_ease = 206.835 - 1.015 * per_sentence - 84.6 * per_word;
        s.fernandez_huerta = 206.84 - 60.0 * per_word - 1.02 * per_sentence;
        s.szigriszt_pazos = 206.84 - 62.3 * per_word - per_sentence;
    }
    s.smog = 1.043 * (30.0 * polysyllables as f64 / sentences as f64).sqrt() + 3.1291;
    s
}

/// One sentence and what makes it hard.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sentence {
    pub line: usize,
    pub text: String,
    pub words: usize,
    pub syllables: usize,
}

impl Sentence {
    /// The Flesch–Kincaid grade of this sentence alone.
    pub fn grade(&self) -> f64 {
        0.39 * self.words as f64 + 11.8 * self.syllables as f64 / self.words.max(1) as f64 - 15.59
    }

    /// The Fernández-Huerta reading ease of this sentence alone.
    pub fn reading_ease_es(&self) -> f64 {
        206.84 - 60.0 * self.syllables as f64 / self.words.max(1) as f64 - 1.02 * self.words as f64
    }
}

/// How hard one sentence is in `lang`: higher is harder.
fn hardness(lang: Language, words: usize, syllables: usize) -> f64 {
    let (w, s) = (words as f64, syllables as f64);
    match lang {
        Language::English => 0.39 * w + 11.8 * s / w - 15.59,
        Language::Spanish => 60.0 * s / w + 1.02 * w,
    }
}

/// A page's reading level, with the sentences and words that raise it most.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub scores: Scores,
    /// The three hardest sentences, hardest first.
    pub hardest: Vec<Sentence>,
    /// Up to five distinct words of three or more syllables, longest first.
    pub longest_words: Vec<(String, usize)>,
}

/// Score a page's prose and find its hardest sentences and longest words.
///
/// Equal to [`score`] on [`Prose::text`], in one pass: blocks end in `.`, `!` or
/// `?` and are joined by newlines, so no sentence or word crosses a block.
pub fn analyse(prose: &Prose) -> Report {
    analyse_with(prose, &mut Syllables::default())
}

/// [`analyse`] with a syllable counter kept across calls.
pub fn analyse_with(prose: &Prose, counter: &mut Syllables) -> Report {
    analyse_in(prose, counter, Language::English)
}

/// [`analyse_with`] in `lang`: its syllables, and its formula to rank sentences.
pub fn analyse_in(prose: &Prose, counter: &mut Syllables, lang: Language) -> Report {
    counter.set_language(lang);
    let (mut words, mut syllables, mut polysyllables, mut sentences) = (0, 0, 0, 0);
    // Each polysyllabic word once (lowercase), with its syllables.
    let mut long: HashMap<String, usize> = HashMap::new();
    // (grade, block, start, end, words, syllables) of each counted sentence.
    let mut ranked: Vec<(f64, usize, usize, usize, usize, usize)> = Vec::new();
    // (offset of the first letter, syllables) of each word of a block.
    let mut block_words: Vec<(usize, usize)> = Vec::new();
    for (b, block) in prose.blocks.iter().enumerate() {
        block_words.clear();
        for_each_word_at(&block.text, |w, at| {
            let n = counter.of(w);
            block_words.push((at, n));
            words += 1;
            syllables += n;
            if n >= 3 {
                polysyllables += 1;
                if !long.contains_key(w) {
                    long.entry(w.to_lowercase()).or_insert(n);
                }
            }
        });
        let mut k = 0;
        for (start, end) in sentence_spans(&block.text) {
            let w = word_count(&block.text[start..end]);
            if w <= 2 {
                continue;
            }
            sentences += 1;
            // For ranking, each word's syllables count in the sentence it starts in.
            while k < block_words.len() && block_words[k].0 < start {
                k += 1;
            }
            let syl: usize = block_words[k..]
                .iter()
                .take_while(|(at, _)| *at < end)
                .map(|(_, n)| n)
                .sum();
            ranked.push((hardness(lang, w, syl), b, start, end, w, syl));
        }
    }
    if !prose.blocks.is_empty() {
        sentences = sentences.max(1);
    }
    ranked.sort_by(|a, b| {
        b.0.total_cmp(&a.0)
            .then_with(|| (a.1, a.2).cmp(&(b.1, b.2)))
    });
    let hardest = ranked
        .iter()
        .take(3)
        .map(|&(_, b, start, end, words, syllables)| {
            let block = &prose.blocks[b];
            Sentence {
                line: block.line_at(start),
                text: block.text[start..end].trim().to_string(),
                words,
                syllables,
            }
        })
        .collect();
    let mut long: Vec<(String, usize)> = long.into_iter().collect();
    long.sort_by(|a, b| {
        b.1.cmp(&a.1)
            .then_with(|| b.0.len().cmp(&a.0.len()))
            .then_with(|| a.0.cmp(&b.0))
    });
    long.truncate(5);
    Report {
        scores: scores_from(words, sentences, syllables, polysyllables),
        hardest,
        longest_words: long,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        let mut v = Vec::new();
        for_each_word(text, |w| v.push(w.to_string()));
        v
    }

    /// The plain algorithm `for_each_word_at` must match: keep word characters
    /// and contraction apostrophes of each whitespace-separated token.
    fn reference_words(text: &str) -> Vec<(String, usize)> {
        let mut out = Vec::new();
        let mut word = String::new();
        let mut start = 0;
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        for (k, &(i, c)) in chars.iter().enumerate() {
            if c.is_whitespace() {
                if !word.is_empty() {
                    out.push((std::mem::take(&mut word), start));
                }
                continue;
            }
            let next = |n: usize| chars.get(k + n).map(|&(_, c)| c);
            let keep = is_word_char(c)
                || (c == '\''
                    && match next(1) {
                        Some('t' | 's' | 'd') => true,
                        Some('v') => next(2) == Some('e'),
                        Some('l') => next(2) == Some('l'),
                        Some('r') => next(2) == Some('e'),
                        _ => false,
                    });
            if keep {
                if word.is_empty() {
                    start = i;
                }
                word.push(c);
            }
        }
        if !word.is_empty() {
            out.push((word, start));
        }
        out
    }

    #[test]
    fn words_are_sliced_or_copied_exactly_as_the_plain_algorithm_gives_them() {
        for text in [
            "Don't rub: it's day-by-day 'care' (4–5 days).",
            "e.g. 3.5 mm, a/b, x--y, ‘quoted’ “words” naïve café-au-lait",
            "'s 't 've 'll 're 'x '' ' -a- --- ... (x) [y]",
            "über-Größe ÆØÅ 日本語 mixed.up.words_with_under",
            "",
            "   ",
            "tail'",
        ] {
            let mut got = Vec::new();
            for_each_word_at(text, |w, at| got.push((w.to_string(), at)));
            assert_eq!(got, reference_words(text), "{text}");
        }
    }

    #[test]
    fn word_count_agrees_with_the_word_list() {
        for text in [
            "Don't rub: it's day-by-day 'care' (4–5 days).",
            "' '' 't ' s -- — … e.g. 3.5 _ x'y ’s",
            "  tabs\tand\nnew lines  ",
            "vertical\x0btab, form\x0cfeed -- _ x'y 'tis . 3",
        ] {
            assert_eq!(word_count(text), words(text).len(), "{text}");
        }
    }

    #[test]
    fn words_as_textstat_lists_them() {
        assert_eq!(
            words("Don't rub: it's day-by-day 'care' (4–5 days)."),
            ["Don't", "rub", "it's", "daybyday", "care", "45", "days"]
        );
    }

    #[test]
    fn sentences_as_textstat_counts_them() {
        // "Hi." has one word and is not counted; 3.5 splits at the point.
        assert_eq!(sentence_count("Hi. This is one. And this is two!"), 2);
        assert_eq!(sentence_count("Wait"), 1);
        assert_eq!(sentence_count(""), 0);
        assert_eq!(
            sentence_spans("(See this.) Next one here"),
            [(1, 10), (12, 25)]
        );
    }

    #[test]
    fn prose_leaves_out_code_tables_quotes_and_closes_blocks() {
        let md = "# Title\n\nA paragraph\nthat wraps.\n\n- one item\n- two `code` item\n\n> quoted words\n\n```\nfn x() {}\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n![alt text](x.png) After image.\n";
        let mut p = Prose::default();
        extract_markdown(md, 10, &mut p);
        assert_eq!(
            p.text(),
            "Title.\nA paragraph that wraps.\none item.\ntwo  item.\nAfter image.\n"
        );
        let lines: Vec<usize> = p.blocks.iter().map(|b| b.line_at(0)).collect();
        assert_eq!(lines, [10, 12, 15, 16, 28]);
        assert_eq!(p.blocks[1].line_at(13), 13);
    }

    #[test]
    fn scores_follow_the_formulas() {
        let s = score("The cat sat on the mat. The dog ate the big bone.");
        assert_eq!((s.words, s.sentences, s.syllables), (12, 2, 12));
        assert!((s.flesch_kincaid_grade - (0.39 * 6.0 + 11.8 - 15.59)).abs() < 1e-9);
        assert!((s.flesch_reading_ease - (206.835 - 1.015 * 6.0 - 84.6)).abs() < 1e-9);
        assert!((s.smog - 3.1291).abs() < 1e-9);
    }

    #[test]
    fn the_hardest_sentence_is_found_with_its_line() {
        let mut p = Prose::default();
        extract_markdown(
            "Keep it dry.\n\nAvoid strenuous physical activity immediately following the procedure, particularly activities generating perspiration.\n",
            3,
            &mut p,
        );
        let r = analyse(&p);
        assert_eq!(r.hardest[0].line, 5);
        assert_eq!(r.hardest.len(), 2);
        assert_eq!(r.longest_words[0].0, "particularly");
        assert_eq!(r.scores, score(&p.text()));
    }
}
