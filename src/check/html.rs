//! One built HTML file → what the checks need from it: its links and images, ids,
//! headings, tables and `lang`. Parsed with html5ever (through `scraper`), the
//! parser browsers use, so templates and raw HTML in Markdown read as a browser
//! reads them.

use std::collections::HashSet;

use ego_tree::iter::Edge;
use scraper::{Html, Node};

/// What a reference is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefKind {
    /// `<a href>`, `<area href>`: something a reader follows.
    Link,
    /// `<img src>`.
    Image,
    /// `<link href>`, `<script src>`, `<source src>`, `srcset` candidates and the like.
    Resource,
}

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

fn push_collapsed(out: &mut String, text: &str) {
    for word in text.split_whitespace() {
        if !out.is_empty() && !out.ends_with(' ') {
            out.push(' ');
        }
        out.push_str(word);
    }
}

/// Open-element state while walking the tree.
#[derive(Default)]
struct Walk {
    scan: Scan,
    /// Index in `refs` of the open `<a>`.
    link: Option<usize>,
    /// The open heading.
    heading: Option<Heading>,
    /// Depth of `aria-hidden="true"` elements we are inside.
    hidden: usize,
    /// Depth of `<script>`, `<style>`, `<template>`: not text.
    raw: usize,
    /// For each open table: has it a `<th>`?
    tables: Vec<(usize, bool)>,
    table_count: usize,
}

/// Read one HTML document.
pub fn scan(html: &str) -> Scan {
    let doc = Html::parse_document(html);
    let mut w = Walk::default();
    for edge in doc.tree.root().traverse() {
        match edge {
            Edge::Open(node) => match node.value() {
                Node::Element(el) => w.open(el),
                Node::Text(t) if w.raw == 0 && w.hidden == 0 => {
                    if let Some(i) = w.link {
                        push_collapsed(&mut w.scan.refs[i].text, t);
                    }
                    if let Some(h) = w.heading.as_mut() {
                        push_collapsed(&mut h.text, t);
                    }
                }
                _ => {}
            },
            Edge::Close(node) => {
                if let Node::Element(el) = node.value() {
                    w.close(el);
                }
            }
        }
    }
    w.scan
}

impl Walk {
    fn open(&mut self, el: &scraper::node::Element) {
        let name = el.name();
        let hidden_here = el.attr("aria-hidden") == Some("true");
        if hidden_here {
            self.hidden += 1;
        }
        if let Some(id) = el.attr("id").filter(|s| !s.is_empty()) {
            self.scan.ids.insert(id.to_string());
        }
        match name {
            "html" => {
                self.scan.lang = el
                    .attr("lang")
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(str::to_string);
            }
            "meta"
                if el
                    .attr("http-equiv")
                    .is_some_and(|v| v.eq_ignore_ascii_case("refresh")) =>
            {
                self.scan.redirect = true;
            }
            "a" | "area" => {
                if name == "a" {
                    if let Some(n) = el.attr("name").filter(|s| !s.is_empty()) {
                        self.scan.ids.insert(n.to_string());
                    }
                }
                if let Some(href) = el.attr("href") {
                    let labelled = ["aria-label", "aria-labelledby", "title"]
                        .iter()
                        .any(|a| el.attr(a).is_some_and(|v| !v.trim().is_empty()));
                    let mut text = String::new();
                    if name == "area" {
                        push_collapsed(&mut text, el.attr("alt").unwrap_or(""));
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
            }
            "img" => {
                let alt = el.attr("alt").map(str::to_string);
                if let (Some(i), Some(a)) = (self.link, alt.as_deref()) {
                    if self.hidden == 0 {
                        push_collapsed(&mut self.scan.refs[i].text, a);
                    }
                }
                if let Some(src) = el.attr("src") {
                    self.push_resource(RefKind::Image, src, alt);
                }
                if let Some(set) = el.attr("srcset") {
                    self.push_srcset(set);
                }
            }
            "link" => {
                if let Some(href) = el.attr("href") {
                    self.push_resource(RefKind::Resource, href, None);
                }
            }
            "script" | "iframe" | "source" | "audio" | "video" | "track" | "embed" => {
                if let Some(src) = el.attr("src") {
                    self.push_resource(RefKind::Resource, src, None);
                }
                if let Some(set) = el.attr("srcset") {
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
                    id: el.attr("id").map(str::to_string),
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

    fn close(&mut self, el: &scraper::node::Element) {
        match el.name() {
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
        if el.attr("aria-hidden") == Some("true") {
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
}
