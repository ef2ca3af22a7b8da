//! One built HTML file → what the checks need from it: its links and images, ids,
//! headings, tables and `lang`. Read with html5ever's tokenizer, the one the
//! HTML standard specifies, so templates and raw HTML in Markdown read as a
//! browser reads them.

use std::collections::HashSet;

use std::cell::RefCell;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use html5ever::LocalName;

pub use crate::finder::RefKind;

/// A URL found in the page, with what a screen reader would announce for it.
#[derive(Debug, Clone)]
pub struct Ref {
    pub kind: RefKind,
    pub url: String,
    /// Link text (text content and the alt text of images inside), whitespace
    /// collapsed. Empty for images and resources.
    pub text: String,
    /// The link has a name from `aria-label`, `aria-labelledby` or `title`.
    pub labelled: bool,
    /// Inside or on an element with `aria-hidden="true"`.
    pub hidden: bool,
    /// For images: the `alt` attribute (`None` when there is none).
    pub alt: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Heading {
    pub level: u8,
    pub id: Option<String>,
    pub text: String,
}

/// Everything the checks read from one HTML file.
#[derive(Debug, Clone, Default)]
pub struct Scan {
    /// `<html lang>`, `None` when missing or empty.
    pub lang: Option<String>,
    /// A `<meta http-equiv="refresh">` page (an alias or `redirect_to`).
    pub redirect: bool,
    /// Every `id`, and `name` of `<a>`: what `#fragment` can point at.
    pub ids: HashSet<String>,
    pub refs: Vec<Ref>,
    pub headings: Vec<Heading>,
    /// Tables without a single `<th>`, in document order (index among all tables).
    pub tables_without_headers: Vec<usize>,
}

/// A `<link>` the browser fetches as the page opens (a stylesheet, an icon, a
/// preload or preconnect) is a resource; any other (`canonical`, `alternate`,
/// `me`, `author`) only names a page.
fn link_kind(rel: &str) -> RefKind {
    const FETCHED: &[&str] = &[
        "stylesheet",
        "icon",
        "apple-touch-icon",
        "mask-icon",
        "manifest",
        "preload",
        "modulepreload",
        "prefetch",
        "preconnect",
        "dns-prefetch",
    ];
    let fetched = rel
        .split_ascii_whitespace()
        .any(|r| FETCHED.iter().any(|f| r.eq_ignore_ascii_case(f)));
    if fetched {
        RefKind::Resource
    } else {
        RefKind::Named
    }
}

fn is_heading(name: &str) -> bool {
    matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
}

fn push_collapsed(out: &mut String, text: &str) {
    for word in text.split_whitespace() {
        if !out.is_empty() && !out.ends_with(' ') {
            out.push(' ');
        }
        out.push_str(word);
    }
}

/// Open-element state while reading the tokens.
#[derive(Default)]
struct Walk {
    scan: Scan,
    /// Open elements (not void ones), innermost last, with whether each has
    /// `aria-hidden="true"`.
    open: Vec<(LocalName, bool)>,
    /// Text since the last tag: adjacent text is one text node, as in the DOM.
    text: String,
    /// Index in `refs` of the open `<a>`.
    link: Option<usize>,
    /// The open heading.
    heading: Option<Heading>,
    /// Depth of `aria-hidden="true"` elements we are inside.
    hidden: usize,
    /// Depth of `<script>`, `<style>`, `<template>`, `<noscript>`: not text.
    raw: usize,
    /// For each open table: has it a `<th>`?
    tables: Vec<(usize, bool)>,
    table_count: usize,
}

/// Elements that never have content or an end tag.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr", "keygen",
];

/// Read one HTML document.
///
/// html5ever's tokenizer (the one browsers' parsing is specified by) with a small
/// open-element stack instead of a full DOM: an end tag closes everything
/// opened after its element, a new `<a>` or heading closes an open one, and the
/// end of the file closes the rest, which is what the tree builder does for
/// these elements. Raw-text elements (`script`, `style`, `noscript`,
/// `textarea`, …) switch the tokenizer the same way the tree builder does.
/// Not replayed: the tree builder's re-opening of formatting elements across
/// misnested blocks (an `<a>` left open across two `<li>` counts once).
/// Everything Follicle writes, and raw HTML after cleaning, is well nested.
pub fn scan(html: &str) -> Scan {
    let tokenizer = Tokenizer::new(
        Sink(RefCell::new(Walk::default())),
        TokenizerOpts::default(),
    );
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    let Sink(walk) = tokenizer.sink;
    walk.into_inner().scan
}

struct Sink(RefCell<Walk>);

impl TokenSink for Sink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let mut w = self.0.borrow_mut();
        match token {
            Token::CharacterTokens(t) => w.text.push_str(&t),
            Token::TagToken(tag) => {
                w.flush_text();
                match tag.kind {
                    TagKind::StartTag => return w.start(&tag),
                    TagKind::EndTag => w.end(&tag.name),
                }
            }
            Token::EOFToken => {
                w.flush_text();
                while let Some((name, hidden)) = w.open.pop() {
                    w.close(&name, hidden);
                }
            }
            _ => w.flush_text(),
        }
        TokenSinkResult::Continue
    }
}

fn attr<'t>(tag: &'t Tag, name: &str) -> Option<&'t str> {
    tag.attrs
        .iter()
        .find(|a| &*a.name.local == name)
        .map(|a| &*a.value)
}

impl Walk {
    /// The text since the last tag, into the open link and heading.
    fn flush_text(&mut self) {
        if self.text.is_empty() {
            return;
        }
        let text = std::mem::take(&mut self.text);
        if self.raw == 0 && self.hidden == 0 {
            if let Some(i) = self.link {
                push_collapsed(&mut self.scan.refs[i].text, &text);
            }
            if let Some(h) = self.heading.as_mut() {
                push_collapsed(&mut h.text, &text);
            }
        }
        self.text = text;
        self.text.clear();
    }

    fn start(&mut self, tag: &Tag) -> TokenSinkResult<()> {
        let name: &str = &tag.name;
        // What the tree builder closes before opening these.
        if name == "a" && self.link.is_some() {
            self.end(&tag.name);
        }
        if is_heading(name) {
            if let Some(i) = self.open.iter().rposition(|(n, _)| is_heading(n)) {
                let open = self.open[i].0.clone();
                self.end(&open);
            }
        }
        let hidden = attr(tag, "aria-hidden") == Some("true");
        self.open_element(name, tag, hidden);
        if VOID.contains(&name) {
            if hidden {
                self.hidden -= 1;
            }
            return TokenSinkResult::Continue;
        }
        self.open.push((tag.name.clone(), hidden));
        match name {
            "script" => TokenSinkResult::RawData(RawKind::ScriptData),
            "style" | "noscript" | "iframe" | "xmp" | "noembed" | "noframes" => {
                TokenSinkResult::RawData(RawKind::Rawtext)
            }
            "textarea" | "title" => TokenSinkResult::RawData(RawKind::Rcdata),
            "plaintext" => TokenSinkResult::Plaintext,
            _ => TokenSinkResult::Continue,
        }
    }

    /// An end tag closes its element and everything opened inside it; an end
    /// tag with no open element is ignored.
    fn end(&mut self, name: &LocalName) {
        let Some(i) = self.open.iter().rposition(|(n, _)| n == name) else {
            return;
        };
        while self.open.len() > i {
            if let Some((n, hidden)) = self.open.pop() {
                self.close(&n, hidden);
            }
        }
    }

    fn open_element(&mut self, name: &str, el: &Tag, hidden_here: bool) {
        if hidden_here {
            self.hidden += 1;
        }
        if let Some(id) = attr(el, "id").filter(|s| !s.is_empty()) {
            self.scan.ids.insert(id.to_string());
        }
        match name {
            "html" => {
                self.scan.lang = attr(el, "lang")
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(str::to_string);
            }
            "meta" if attr(el, "http-equiv").is_some_and(|v| v.eq_ignore_ascii_case("refresh")) => {
                self.scan.redirect = true;
            }
            "a" | "area" => self.open_link(name, el),
            "img" => self.open_image(el),
            "link" => {
                if let Some(href) = attr(el, "href") {
                    self.push_resource(link_kind(attr(el, "rel").unwrap_or("")), href, None);
                }
            }
            "script" | "iframe" | "source" | "audio" | "video" | "track" | "embed" => {
                if let Some(src) = attr(el, "src") {
                    self.push_resource(RefKind::Resource, src, None);
                }
                if let Some(set) = attr(el, "srcset") {
                    self.push_srcset(set);
                }
                if name == "script" {
                    self.raw += 1;
                }
            }
            "style" | "template" | "noscript" => self.raw += 1,
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                self.heading = Some(Heading {
                    level: name.as_bytes()[1] - b'0',
                    id: attr(el, "id").map(str::to_string),
                    text: String::new(),
                });
            }
            "table" => {
                self.tables.push((self.table_count, false));
                self.table_count += 1;
            }
            "th" => {
                if let Some(t) = self.tables.last_mut() {
                    t.1 = true;
                }
            }
            _ => {}
        }
    }

    /// An `<a>` or `<area>`: its `name` is an anchor, its `href` a link whose
    /// text is collected until it closes (an area's text is its `alt`).
    fn open_link(&mut self, name: &str, el: &Tag) {
        if name == "a" {
            if let Some(n) = attr(el, "name").filter(|s| !s.is_empty()) {
                self.scan.ids.insert(n.to_string());
            }
        }
        let Some(href) = attr(el, "href") else {
            return;
        };
        let labelled = ["aria-label", "aria-labelledby", "title"]
            .iter()
            .any(|a| attr(el, a).is_some_and(|v| !v.trim().is_empty()));
        let mut text = String::new();
        if name == "area" {
            push_collapsed(&mut text, attr(el, "alt").unwrap_or(""));
        }
        self.scan.refs.push(Ref {
            kind: RefKind::Link,
            url: href.to_string(),
            text,
            labelled,
            hidden: self.hidden > 0,
            alt: None,
        });
        if name == "a" {
            self.link = Some(self.scan.refs.len() - 1);
        }
    }

    /// An `<img>`: a resource, and inside a link its alt is the link's text.
    fn open_image(&mut self, el: &Tag) {
        let alt = attr(el, "alt").map(str::to_string);
        if let (Some(i), Some(a)) = (self.link, alt.as_deref()) {
            if self.hidden == 0 {
                push_collapsed(&mut self.scan.refs[i].text, a);
            }
        }
        if let Some(src) = attr(el, "src") {
            self.push_resource(RefKind::Image, src, alt);
        }
        if let Some(set) = attr(el, "srcset") {
            self.push_srcset(set);
        }
    }

    fn close(&mut self, name: &str, hidden: bool) {
        match name {
            "a" => self.link = None,
            "script" | "style" | "template" | "noscript" => self.raw = self.raw.saturating_sub(1),
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                if let Some(h) = self.heading.take() {
                    self.scan.headings.push(h);
                }
            }
            "table" => {
                if let Some((i, has_th)) = self.tables.pop() {
                    if !has_th {
                        self.scan.tables_without_headers.push(i);
                    }
                }
            }
            _ => {}
        }
        if hidden {
            self.hidden = self.hidden.saturating_sub(1);
        }
    }

    fn push_resource(&mut self, kind: RefKind, url: &str, alt: Option<String>) {
        self.scan.refs.push(Ref {
            kind,
            url: url.to_string(),
            text: String::new(),
            labelled: false,
            hidden: self.hidden > 0,
            alt,
        });
    }

    /// `srcset="a.jpg 1x, b.jpg 2x"`: each candidate's URL.
    fn push_srcset(&mut self, set: &str) {
        for candidate in set.split(',') {
            if let Some(url) = candidate.split_whitespace().next() {
                self.push_resource(RefKind::Resource, url, None);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_images_ids_headings_tables() {
        let s = scan(
            r##"<!doctype html><html lang="en"><head><link rel="stylesheet" href="/s.css"><script>var a = "<a href='/x'>";</script></head>
<body><h1 id="t">Title</h1><p id="p1"><a href="/a/">Read <em>more</em></a>
<a href="/b/"><img src="/i.png" alt="Logo"></a><a href="/c/" aria-label="Close"></a>
<a href="#t" aria-hidden="true">#</a><img src="/j.png"></p>
<h3>Deep <a class="x" href="#p1">link</a></h3>
<table><tr><td>1</td></tr></table><table><tr><th>h</th></tr></table></body></html>"##,
        );
        assert_eq!(s.lang.as_deref(), Some("en"));
        assert!(s.ids.contains("t") && s.ids.contains("p1"));
        let urls: Vec<(&str, &str)> = s
            .refs
            .iter()
            .map(|r| (r.url.as_str(), r.text.as_str()))
            .collect();
        assert_eq!(
            urls,
            [
                ("/s.css", ""),
                ("/a/", "Read more"),
                ("/b/", "Logo"),
                ("/i.png", ""),
                ("/c/", ""),
                ("#t", ""),
                ("/j.png", ""),
                ("#p1", "link"),
            ]
        );
        assert!(s.refs[4].labelled);
        assert!(s.refs[5].hidden);
        assert_eq!(s.refs[6].alt, None);
        assert_eq!(s.refs[3].alt.as_deref(), Some("Logo"));
        let h: Vec<(u8, &str)> = s
            .headings
            .iter()
            .map(|h| (h.level, h.text.as_str()))
            .collect();
        assert_eq!(h, [(1, "Title"), (3, "Deep link")]);
        assert_eq!(s.tables_without_headers, [0]);
        assert!(!s.redirect);
    }

    /// What the tree builder would make of untidy HTML, for the parts read here.
    #[test]
    fn untidy_html_reads_as_a_browser_builds_it() {
        let s = scan(
            r##"<div><a href="/a/">Read &amp; <b>more</b> <a href="/b/">inner</a> after</div>
<h2>Unclosed <a href="#x">jump</a><h3 id="ok">Next &lt;h&gt;</h3>
<p aria-hidden="true"><img src="/h.png"></p><img src="/v.png">
<script>document.write("<a href='/fake/'>x</a>")</script><noscript><a href="/ns/">n</a></noscript>
<textarea><a href="/ta/">t</a></textarea>
<h4>Tail"##,
        );
        let urls: Vec<(&str, &str, bool)> = s
            .refs
            .iter()
            .map(|r| (r.url.as_str(), r.text.as_str(), r.hidden))
            .collect();
        assert_eq!(
            urls,
            [
                ("/a/", "Read & more", false),
                ("/b/", "inner", false),
                ("#x", "jump", false),
                ("/h.png", "", true),
                ("/v.png", "", false),
            ]
        );
        let h: Vec<(u8, &str)> = s
            .headings
            .iter()
            .map(|h| (h.level, h.text.as_str()))
            .collect();
        assert_eq!(h, [(2, "Unclosed jump"), (3, "Next <h>"), (4, "Tail")]);
        assert!(s.ids.contains("ok"));
    }
}
