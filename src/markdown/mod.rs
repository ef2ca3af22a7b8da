//! Markdown → HTML, table of contents, summary, word count and the links found.
//!
//! Takes one page body and a [`LinkResolver`] (source path → URL); gives
//! [`Rendered`]. Pure: no I/O. Line numbers in diagnostics and links point into
//! the source file, not the body.

use std::collections::{HashMap, HashSet};

use pulldown_cmark::{
    BlockQuoteKind, CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Options, Tag, TagEnd,
};
use serde::Serialize;

pub use crate::config::RawHtml;
use crate::diagnostic::{Code, Diagnostic};
use position::{Lines, SourceMap};
pub use shortcodes::Env;
use shortcodes::Slots;

mod chunks;
mod footnotes;
pub mod highlight;
pub mod picture;
pub mod position;
pub mod raw_html;
pub mod shortcodes;

/// What the page's links resolve against.
pub trait LinkResolver: Sync {
    /// The site-relative URL (e.g. `/treatment/aftercare/`) of a content file given
    /// by its path inside `content/` (e.g. `treatment/aftercare.md`).
    fn resolve(&self, content_path: &str) -> Option<String>;

    /// True for a file that exists but failed to load: links to it are not
    /// reported again (its own error says what to fix).
    fn is_broken(&self, _content_path: &str) -> bool {
        false
    }

    /// The base path of a sub-path `base_url` (`/my-clinic`), put in front of
    /// every site-absolute link: resolved `@/` links and links written as
    /// `/treatment/`. Empty for a site at the root.
    fn path_prefix(&self) -> &str {
        ""
    }

    /// How an image written `![alt](dest)` is shown when `dest` is one of
    /// the site's image files (resolved as the browser would from the page,
    /// then from the Markdown file's folder); `None` for anything else.
    fn image(&self, _dest: &str) -> Option<picture::Shown> {
        None
    }
}

/// Options for one render.
#[derive(Debug, Clone, Copy)]
pub struct RenderOptions {
    pub smart_punctuation: bool,
    pub anchor_links: bool,
    pub external_links_new_tab: bool,
    pub raw_html: RawHtml,
    /// Highlight fenced code whose language the grammars know.
    pub highlight: bool,
}

/// The Markdown source of one page.
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    /// Path for messages, e.g. `content/treatment/aftercare.md`.
    pub file: &'a str,
    /// The folder of the file inside `content/` (`treatment`), for relative links.
    pub dir: &'a str,
    pub body: &'a str,
    /// File line on which `body` starts.
    pub body_line: usize,
}

#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub title: String,
    pub children: Vec<TocEntry>,
}

/// A link or image found in the Markdown, kept for `follicle check`.
#[derive(Debug, Clone, PartialEq)]
pub struct FoundLink {
    /// The resolved href, as written into the HTML.
    pub href: String,
    pub text: String,
    pub is_image: bool,
    /// The writer named a file (`@/care/a.md`, `../a.md`), not a URL.
    pub by_path: bool,
    /// An image marked `![](x.svg "decorative")`: empty alt text on purpose.
    pub decorative: bool,
    pub line: usize,
    pub column: usize,
}

#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: String,
    /// HTML before `<!-- more -->`, if the marker is present.
    pub summary: Option<String>,
    pub toc: Vec<TocEntry>,
    pub heading_ids: Vec<String>,
    pub word_count: usize,
    pub links: Vec<FoundLink>,
    /// Content paths the body's links looked up, found or not: if what they
    /// resolve to changes, the body must be rendered again.
    pub resolved: Vec<String>,
    pub diagnostics: Vec<Diagnostic>,
    /// Shortcode templates used (found or not) and their templates' hashes:
    /// if one changes, the body must be rendered again.
    pub shortcodes: Vec<(String, Option<u64>)>,
    /// In a shortcode's body: the labels of the page's notes it cites, in
    /// order (each written as a marker; see [`footnotes`]). Empty for a page.
    pub cites: Vec<String>,
}

/// Events buffered before they are written as HTML (see `Pass::flush`).
const FLUSH_EVENTS: usize = 1024;
/// `<!-- more -->`, `<!--more-->` (Hugo) and other spacings mark the summary's end.
fn is_more_marker(html: &str) -> bool {
    html.trim()
        .strip_prefix("<!--")
        .and_then(|r| r.strip_suffix("-->"))
        .is_some_and(|inner| inner.trim() == "more")
}

/// The parser's options: GitHub's extensions (alerts among them), footnotes,
/// definition lists, heading attributes.
pub fn parser_options(smart_punctuation: bool) -> Options {
    let mut options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
        | Options::ENABLE_DEFINITION_LIST;
    if smart_punctuation {
        options |= Options::ENABLE_SMART_PUNCTUATION;
    }
    options
}

/// Render one Markdown body, its shortcodes expanded through `env`.
pub fn render(
    src: Source<'_>,
    resolver: &dyn LinkResolver,
    opts: RenderOptions,
    env: &Env<'_>,
) -> Rendered {
    let lines = Lines::new(src.body, src.body_line);
    let mut slots = Slots::new(src.body);
    let nodes = shortcodes::find(src.body, parser_options(opts.smart_punctuation));
    let mut bodies = Bodies {
        src,
        resolver,
        opts,
        env,
        lines: &lines,
        found: Rendered::default(),
        rendered_bodies: 0,
        page_notes: if nodes.is_empty() {
            Vec::new()
        } else {
            footnotes::defined_labels(src.body)
        },
    };
    let (text, map) = if nodes.is_empty() {
        (src.body.to_string(), SourceMap::copied(0))
    } else {
        let mut ex = shortcodes::Expander {
            origin: shortcodes::Origin {
                file: src.file,
                body: src.body,
                lines: &lines,
            },
            env,
            host: &mut bodies,
            slots: &mut slots,
        };
        shortcodes::expand(&mut ex, 0..src.body.len(), &nodes)
    };
    let found = std::mem::take(&mut bodies.found);
    let page = Within {
        page_notes: &HashSet::new(),
        note_ids: String::new(),
    };
    let mut r = run_pass(&bodies, &text, &map, &mut slots, page);
    r.links.extend(found.links);
    r.resolved.extend(found.resolved);
    r.diagnostics.extend(found.diagnostics);
    r.word_count += found.word_count;
    r.diagnostics.append(&mut slots.diagnostics);
    r.shortcodes = std::mem::take(&mut slots.used);
    if !slots.is_empty() {
        r.html = slots.restore(&r.html);
        r.summary = r.summary.map(|s| slots.restore(&s));
    }
    r
}

/// One body's render settings; renders shortcodes' Markdown bodies, keeping
/// what they found (links, findings) for the page.
struct Bodies<'a, 'r> {
    src: Source<'a>,
    resolver: &'r dyn LinkResolver,
    opts: RenderOptions,
    env: &'r Env<'r>,
    lines: &'r Lines<'a>,
    found: Rendered,
    /// The labels of the notes the page defines (see [`footnotes`]).
    page_notes: Vec<String>,
    /// Bodies rendered so far (their own notes' ids are numbered by it).
    rendered_bodies: usize,
}

/// What a text is part of: the page (nothing here), or a shortcode's body,
/// which cites `page_notes` for the page and numbers its own notes' ids with
/// `note_ids` (see [`footnotes::Footnotes::ids`]).
struct Within<'p> {
    page_notes: &'p HashSet<String>,
    note_ids: String,
}

impl shortcodes::Host for Bodies<'_, '_> {
    fn render_body(
        &mut self,
        text: &str,
        map: &SourceMap,
        slots: &mut Slots,
    ) -> (String, Vec<String>) {
        let own = footnotes::defined_labels(text);
        let page: HashSet<String> = self
            .page_notes
            .iter()
            .filter(|l| !own.contains(l))
            .cloned()
            .collect();
        self.rendered_bodies += 1;
        let within = Within {
            page_notes: &page,
            note_ids: format!("b{}-", self.rendered_bodies),
        };
        let r = if page.is_empty() {
            run_pass(self, text, map, slots, within)
        } else {
            // A stand-in definition of each page note, after the body (so no
            // offset of the body moves), makes the parser see its citations.
            let mut with = String::with_capacity(text.len() + 16 * page.len());
            with.push_str(text);
            for label in &page {
                with.push_str(&format!("\n\n[^{label}]: -\n"));
            }
            run_pass(self, &with, map, slots, within)
        };
        self.found.links.extend(r.links);
        self.found.resolved.extend(r.resolved);
        self.found.diagnostics.extend(r.diagnostics);
        self.found.word_count += r.word_count;
        (slots.restore(&r.html), r.cites)
    }

    fn resolve(&mut self, content_path: &str) -> Option<String> {
        self.found.resolved.push(content_path.to_string());
        self.resolver.resolve(content_path)
    }

    fn picture(
        &mut self,
        dest: &str,
        fallback_src: &str,
        img: &picture::Img<'_>,
        offset: usize,
    ) -> Option<String> {
        let shown = self.resolver.image(dest)?;
        if let Some(d) = shown.refused(self.src.file, dest) {
            let (line, col) = self.lines.at(offset);
            self.found.diagnostics.push(d.at(line, col));
        }
        Some(picture::html(
            &shown,
            self.resolver.path_prefix(),
            fallback_src,
            img,
        ))
    }
}

/// Parse `text` (mapped to the body by `map`) and render it.
fn run_pass(
    b: &Bodies<'_, '_>,
    text: &str,
    map: &SourceMap,
    slots: &mut Slots,
    within: Within<'_>,
) -> Rendered {
    let options = parser_options(b.opts.smart_punctuation);
    // Events are taken from the parser one by one, never collected first: a
    // page of 5 million tiny paragraphs held them twice (3+ GiB for 15 MB);
    // a long body is parsed in pieces (see [`chunks`]).
    let events = chunks::events(text, options);
    let mut pass = Pass {
        html: String::with_capacity(text.len() * 3 / 2),
        notes: footnotes::Footnotes::new(within.note_ids),
        page_notes: within.page_notes,
        src: b.src,
        resolver: b.resolver,
        opts: b.opts,
        env: b.env,
        map,
        lines: b.lines,
        slots,
        out: Vec::new(),
        rendered: Rendered::default(),
        more_at: None,
        raw_seen: 0,
        alerts: Vec::new(),
        quotes: Vec::new(),
        ids_seen: HashSet::new(),
        id_next: HashMap::new(),
        walk: Walk::default(),
    };
    pass.run(events);
    pass.finish()
}

struct Pass<'a, 'r> {
    src: Source<'r>,
    resolver: &'r dyn LinkResolver,
    opts: RenderOptions,
    env: &'r Env<'r>,
    /// From the parsed text back to the body.
    map: &'r SourceMap,
    lines: &'r Lines<'r>,
    slots: &'r mut Slots,
    /// Events not yet written as HTML (see [`Pass::flush`]).
    out: Vec<Event<'a>>,
    /// HTML of the events flushed so far.
    html: String,
    /// Footnotes, listed at the end (see [`footnotes`]).
    notes: footnotes::Footnotes<'a>,
    /// In a shortcode's body, the page's notes: cited by a marker, their
    /// stand-in definitions dropped.
    page_notes: &'r HashSet<String>,
    rendered: Rendered,
    /// Index in `out` of the `<!-- more -->` marker.
    more_at: Option<usize>,
    /// Pieces of raw HTML seen, to clean (`raw_html = "safe"`).
    raw_seen: usize,
    /// Open GitHub alerts: where each starts in `out`, its raw HTML count then,
    /// and the text offset.
    alerts: Vec<(usize, usize, usize)>,
    /// Open plain quotes, as `alerts`: one that starts `[!NOTE] A title`
    /// (Hugo's and Obsidian's alert with a title) becomes an alert when it closes.
    quotes: Vec<(usize, usize, usize)>,
    /// Heading ids given so far, and the next suffix to try for each base, so
    /// a page of many equal headings costs linear time, not quadratic.
    ids_seen: HashSet<String>,
    id_next: HashMap<String, usize>,
    /// What is open while walking the events.
    walk: Walk,
}

struct OpenHeading {
    level: HeadingLevel,
    id: Option<String>,
    classes: Vec<String>,
    start: usize,
    text: String,
}

/// What the walk over one text's events has open: a heading, code, a link,
/// a table, and the headings seen so far.
#[derive(Default)]
struct Walk {
    heading: Option<OpenHeading>,
    in_code: usize,
    depth: usize,
    /// The open link or image: its index in `rendered.links` and its text so far.
    link_text: Option<(usize, String)>,
    table: Option<OpenTable>,
    /// Links do not nest, so one flag says whether the open link is our raw `<a>`.
    raw_link_open: bool,
    /// The open image, written as `<picture>` when it closes: how it is
    /// shown, its `src` and title, and where its events start in `out`.
    picture: Option<(picture::Shown, String, String, usize)>,
    /// Images written so far: all but the first load lazily.
    images: usize,
    /// Every heading: its level, id and title, for the table of contents.
    flat: Vec<(u8, String, String)>,
    /// The open fenced code block: where it starts in `out`, its language.
    code: Option<(usize, String, highlight::Options)>,
}

/// The open table: where its wrapper goes, its header text, inside the head?
struct OpenTable {
    at: usize,
    label: String,
    in_head: bool,
}

impl<'a> Pass<'a, '_> {
    fn run(&mut self, events: impl Iterator<Item = (Event<'a>, std::ops::Range<usize>)>) {
        for (event, range) in events {
            let w = &self.walk;
            let top_level = w.depth == 0 && w.heading.is_none() && w.table.is_none();
            self.before(&event, top_level);
            self.event(event, range);
        }
        let flat = std::mem::take(&mut self.walk.flat);
        self.rendered.toc = build_toc(flat);
    }

    /// One event: tags with their own handling go to their function, the
    /// rest are written as they are.
    fn event(&mut self, event: Event<'a>, range: std::ops::Range<usize>) {
        match event {
            Event::Start(Tag::Heading {
                level, id, classes, ..
            }) => self.start_heading(level, id, classes),
            Event::End(TagEnd::Heading(level)) => self.end_heading(level),
            Event::Start(Tag::CodeBlock(kind)) => self.open_code(kind),
            Event::End(TagEnd::CodeBlock) => self.close_code(event),
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => self.open_link(link_type, dest_url, title, id, range.start),
            Event::End(TagEnd::Link) => self.close_link(event),
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => self.open_image(link_type, dest_url, title, id, range.start),
            Event::End(TagEnd::Image) => self.close_image(event),
            Event::Text(ref t) | Event::Code(ref t) => {
                self.text(t);
                self.out.push(event);
            }
            Event::Html(ref h) | Event::InlineHtml(ref h) if is_more_marker(h) => {
                if self.walk.depth == 0 && self.more_at.is_none() && self.rendered.summary.is_none()
                {
                    self.more_at = Some(self.out.len());
                }
                self.out.push(event);
            }
            Event::Html(ref h) | Event::InlineHtml(ref h) => {
                self.raw_html(h, range);
                self.out.push(event);
            }
            Event::FootnoteReference(label) => self.footnote_reference(&label),
            Event::Start(Tag::FootnoteDefinition(label)) => {
                self.walk.depth += 1;
                if self.page_notes.contains(&*label) {
                    self.notes.open_dropped(self.out.len());
                } else {
                    self.notes.open(&label, self.out.len(), range.start);
                }
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                self.walk.depth -= 1;
                self.notes.close(&mut self.out);
            }
            Event::Start(Tag::Table(_))
            | Event::Start(Tag::TableHead)
            | Event::End(TagEnd::TableHead)
            | Event::End(TagEnd::TableCell)
            | Event::End(TagEnd::Table) => self.table_event(event),
            // An HTML block holds only raw HTML: the marker inside one is top level.
            Event::Start(Tag::HtmlBlock) | Event::End(TagEnd::HtmlBlock) => self.out.push(event),
            Event::Start(_) => {
                self.walk.depth += 1;
                self.push_tag(event, range.start);
            }
            Event::End(_) => {
                self.walk.depth = self.walk.depth.saturating_sub(1);
                self.push_tag(event, range.start);
            }
            other => self.out.push(other),
        }
    }

    fn start_heading(
        &mut self,
        level: HeadingLevel,
        id: Option<CowStr<'a>>,
        classes: Vec<CowStr<'a>>,
    ) {
        self.walk.depth += 1;
        self.walk.heading = Some(OpenHeading {
            level,
            id: id.map(|s| s.to_string()),
            classes: classes.iter().map(|c| c.to_string()).collect(),
            start: self.out.len(),
            text: String::new(),
        });
        // Placeholder, replaced when the heading closes and its id is known.
        self.out.push(Event::Text(CowStr::Borrowed("")));
    }

    fn end_heading(&mut self, level: HeadingLevel) {
        self.walk.depth -= 1;
        let Some(h) = self.walk.heading.take() else {
            return;
        };
        let id = self.unique_id(h.id.clone().unwrap_or_else(|| slug::slugify(&h.text)));
        let title = h.text.trim().to_string();
        self.out[h.start] = Event::Html(CowStr::from(open_heading(&h, &id)));
        if self.opts.anchor_links {
            self.out.push(Event::Html(CowStr::from(format!(
                " <a class=\"heading-anchor\" href=\"#{id}\" aria-hidden=\"true\" tabindex=\"-1\">#</a>"
            ))));
        }
        self.out
            .push(Event::Html(CowStr::from(format!("</{level}>\n"))));
        self.walk.flat.push((heading_level(level), id, title));
    }

    fn open_link(
        &mut self,
        link_type: LinkType,
        dest_url: CowStr<'a>,
        title: CowStr<'a>,
        id: CowStr<'a>,
        offset: usize,
    ) {
        self.walk.depth += 1;
        let href = self.link_href(&dest_url, link_type, offset, false);
        self.walk.link_text = Some((self.rendered.links.len(), String::new()));
        self.record_link(&href, &dest_url, false, offset);
        if self.opts.external_links_new_tab && is_external(&href) {
            self.out.push(Event::Html(CowStr::from(format!(
                "<a href=\"{}\" target=\"_blank\" rel=\"noopener\">",
                escape_attr(&href)
            ))));
            self.walk.raw_link_open = true;
        } else {
            self.out.push(Event::Start(Tag::Link {
                link_type,
                dest_url: CowStr::from(href),
                title,
                id,
            }));
        }
    }

    fn close_link(&mut self, event: Event<'a>) {
        self.walk.depth -= 1;
        let open = self.walk.link_text.take();
        self.set_link_text(open);
        if std::mem::take(&mut self.walk.raw_link_open) {
            self.out.push(Event::Html(CowStr::Borrowed("</a>")));
        } else {
            self.out.push(event);
        }
    }

    fn open_image(
        &mut self,
        link_type: LinkType,
        dest_url: CowStr<'a>,
        title: CowStr<'a>,
        id: CowStr<'a>,
        offset: usize,
    ) {
        self.walk.depth += 1;
        let href = self.link_href(&dest_url, link_type, offset, true);
        self.record_link(&href, &dest_url, true, offset);
        // `![](x.svg "decorative")` marks decoration: no title is written.
        let decorative = title.trim() == crate::finder::DECORATIVE;
        if let Some(l) = self.rendered.links.last_mut() {
            l.decorative = decorative;
        }
        self.walk.link_text = Some((self.rendered.links.len() - 1, String::new()));
        // A shortcode's photo earlier in the body was the page's first image.
        let body_at = self.map.to_body(offset);
        if self.walk.images == 0 && self.slots.first_picture_at.is_some_and(|at| at < body_at) {
            self.walk.images = 1;
        }
        if let Some(shown) = self.resolver.image(&dest_url) {
            if let Some(d) = shown.refused(self.src.file, &dest_url) {
                let (line, col) = self.position(offset);
                self.rendered.diagnostics.push(d.at(line, col));
            }
            let at = self.out.len();
            self.walk.picture = Some((shown, href, title.to_string(), at));
            return;
        }
        self.out.push(Event::Start(Tag::Image {
            link_type,
            dest_url: CowStr::from(href),
            title: if decorative {
                CowStr::Borrowed("")
            } else {
                title
            },
            id,
        }));
    }

    /// The end of an image: one of the site's photos is written whole as
    /// `<picture>` (its alt text events replaced by the attribute).
    fn close_image(&mut self, event: Event<'a>) {
        self.walk.depth -= 1;
        let open = self.walk.link_text.take();
        let alt = open.as_ref().map(|(_, t)| t.clone()).unwrap_or_default();
        self.set_link_text(open);
        let lazy = self.walk.images > 0;
        self.walk.images += 1;
        let Some((shown, src, title, at)) = self.walk.picture.take() else {
            self.out.push(event);
            return;
        };
        self.out.truncate(at);
        let img = picture::Img {
            alt: &alt,
            title: &title,
            lazy,
            ..picture::Img::default()
        };
        let html = picture::html(&shown, self.resolver.path_prefix(), &src, &img);
        self.out.push(Event::InlineHtml(CowStr::from(html)));
    }

    /// Text is collected into whatever is open (heading, table head, link)
    /// and counted as words outside code.
    fn text(&mut self, t: &str) {
        let w = &mut self.walk;
        if let Some(h) = w.heading.as_mut() {
            h.text.push_str(t);
        }
        if let Some(OpenTable {
            label,
            in_head: true,
            ..
        }) = w.table.as_mut()
        {
            label.push_str(t);
        }
        if let Some((_, lt)) = w.link_text.as_mut() {
            lt.push_str(t);
        }
        if w.in_code == 0 {
            self.rendered.word_count += t.split_whitespace().count();
        }
    }

    /// Tables scroll inside a labelled, focusable region on narrow screens
    /// (WCAG: scrollable regions must be keyboard-reachable); the label is the
    /// table's own header text.
    fn table_event(&mut self, event: Event<'a>) {
        let w = &mut self.walk;
        match &event {
            Event::Start(Tag::Table(_)) => {
                w.depth += 1;
                w.table = Some(OpenTable {
                    at: self.out.len(),
                    label: String::new(),
                    in_head: false,
                });
                self.out.push(Event::Text(CowStr::Borrowed("")));
            }
            Event::Start(Tag::TableHead) => {
                w.depth += 1;
                if let Some(t) = w.table.as_mut() {
                    t.in_head = true;
                }
            }
            Event::End(TagEnd::TableHead) => {
                w.depth = w.depth.saturating_sub(1);
                if let Some(t) = w.table.as_mut() {
                    t.in_head = false;
                }
            }
            Event::End(TagEnd::TableCell) => {
                w.depth = w.depth.saturating_sub(1);
                if let Some(OpenTable {
                    label,
                    in_head: true,
                    ..
                }) = w.table.as_mut()
                {
                    label.push('\u{1f}');
                }
            }
            _ => w.depth = w.depth.saturating_sub(1),
        }
        let closes = matches!(event, Event::End(TagEnd::Table));
        self.out.push(event);
        if closes {
            if let Some(t) = self.walk.table.take() {
                self.out[t.at] = table_wrap(&t.label);
                self.out.push(Event::Html(CowStr::Borrowed("</div>\n")));
            }
        }
    }

    /// Any other tag, as it is; GitHub alerts (`> [!WARNING]`) render through
    /// the callout template, so where one opens is kept until it closes.
    fn push_tag(&mut self, event: Event<'a>, offset: usize) {
        let closes = match &event {
            Event::Start(Tag::BlockQuote(Some(_))) => {
                self.alerts.push((self.out.len(), self.raw_seen, offset));
                None
            }
            Event::Start(Tag::BlockQuote(None)) => {
                self.quotes.push((self.out.len(), self.raw_seen, offset));
                None
            }
            Event::End(TagEnd::BlockQuote(Some(kind))) => Some(*kind),
            Event::End(TagEnd::BlockQuote(None)) => self.quote_as_alert(),
            _ => None,
        };
        self.out.push(event);
        if let Some(kind) = closes {
            self.close_alert(kind);
        }
    }

    /// A plain quote closes: if its text starts with a marker and a title
    /// (`> [!NOTE] Hugo modules are Go modules`, which GitHub's form does not
    /// take), the marker goes, the title is made bold, and the quote is an
    /// alert of that kind (never the marker printed to a patient).
    fn quote_as_alert(&mut self) -> Option<BlockQuoteKind> {
        let start = self.quotes.pop()?;
        let first = start.0 + 2;
        if !matches!(
            self.out.get(start.0 + 1),
            Some(Event::Start(Tag::Paragraph))
        ) {
            return None;
        }
        let texts = self.out[first..]
            .iter()
            .take_while(|e| matches!(e, Event::Text(_)))
            .count();
        let lead: String = self.out[first..first + texts]
            .iter()
            .filter_map(|e| match e {
                Event::Text(t) => Some(t.as_ref()),
                _ => None,
            })
            .collect();
        let (kind, title) = alert_marker(&lead)?;
        let title = title.trim().to_string();
        let bold = match title.is_empty() {
            true => Vec::new(),
            false => vec![
                Event::Start(Tag::Strong),
                Event::Text(CowStr::from(title)),
                Event::End(TagEnd::Strong),
            ],
        };
        self.out.splice(first..first + texts, bold);
        self.alerts.push(start);
        Some(kind)
    }

    /// The alert just closed: its events become the body of a `callout`.
    fn close_alert(&mut self, kind: BlockQuoteKind) {
        let Some((at, raw_before, offset)) = self.alerts.pop() else {
            return;
        };
        let events: Vec<Event<'a>> = self.out.drain(at..).collect();
        let inner = &events[1..events.len().saturating_sub(1).max(1)];
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, inner.iter().cloned());
        let raw_inside = self.raw_seen - raw_before;
        if raw_inside > 0 && self.raw_seen <= raw_html::MAX_FRAGMENTS {
            html = raw_html::clean(&html);
        }
        let name = match kind {
            BlockQuoteKind::Note => "note",
            BlockQuoteKind::Tip => "tip",
            BlockQuoteKind::Important => "important",
            BlockQuoteKind::Warning => "warning",
            BlockQuoteKind::Caution => "caution",
        };
        match shortcodes::alert(self.env, self.slots, name, html) {
            Ok(out) => {
                let word = self.slots.park(out);
                self.out
                    .push(Event::Html(CowStr::from(format!("{word}\n"))));
            }
            Err((message, hint)) => {
                let (line, column) = self.position(offset);
                self.rendered.diagnostics.push(
                    Diagnostic::error(self.src.file, message)
                        .code(Code::Shortcode)
                        .at(line, column)
                        .hint(hint),
                );
            }
        }
    }

    fn unique_id(&mut self, base: String) -> String {
        let base = if base.is_empty() {
            "section".to_string()
        } else {
            base
        };
        let mut id = base.clone();
        // Every suffix below `n` was taken when last tried, and ids stay taken.
        let mut n = self.id_next.get(&base).copied().unwrap_or(1);
        while self.ids_seen.contains(&id) {
            id = format!("{base}-{n}");
            n += 1;
        }
        self.id_next.insert(base, n);
        self.ids_seen.insert(id.clone());
        self.rendered.heading_ids.push(id.clone());
        id
    }

    /// A closed link's or image's text (collected while it was open), onto the
    /// link found for it.
    fn set_link_text(&mut self, collected: Option<(usize, String)>) {
        if let Some((i, text)) = collected {
            if let Some(l) = self.rendered.links.get_mut(i) {
                l.text = text.trim().to_string();
            }
        }
    }

    /// The writer's own HTML: with `raw_html = "safe"`, the page will be cleaned
    /// and each part that goes is reported where it was written.
    fn raw_html(&mut self, fragment: &str, range: std::ops::Range<usize>) {
        if self.opts.raw_html != RawHtml::Safe {
            return;
        }
        self.raw_seen += 1;
        if self.raw_seen > raw_html::MAX_FRAGMENTS {
            if self.raw_seen == raw_html::MAX_FRAGMENTS + 1 {
                let (line, column) = self.position(range.start);
                self.rendered.diagnostics.push(
                    Diagnostic::error(
                        self.src.file,
                        format!(
                            "this page holds more than {} pieces of raw HTML, more than Follicle cleans in one page",
                            raw_html::MAX_FRAGMENTS
                        ),
                    ).code(Code::TooLarge)
                    .at(line, column)
                    .hint("split the page, move the HTML into a template, or set `raw_html = \"trusted\"` under [markdown] in site.toml"),
                );
            }
            return;
        }
        for found in raw_html::scan(fragment) {
            let offset = (range.start + found.offset).min(range.end.saturating_sub(1));
            let (line, column) = self.position(offset.max(range.start));
            let d = if found.fatal {
                // Over a limit: the page fails, and is not worth cleaning.
                self.raw_seen = raw_html::MAX_FRAGMENTS + 2;
                Diagnostic::error(self.src.file, found.message).code(Code::UnsafeHtml)
            } else {
                Diagnostic::warning(self.src.file, found.message).code(Code::UnsafeHtml)
            };
            self.rendered
                .diagnostics
                .push(d.at(line, column).hint(found.hint));
        }
    }

    /// File line and column of an offset in the parsed text. Line starts are
    /// found once per body, so a page with many links costs one scan.
    fn position(&mut self, offset: usize) -> (usize, usize) {
        self.lines.at(self.map.to_body(offset))
    }

    /// Resolve `@/` and relative `.md` links; a URL the scheme policy refuses
    /// ([`crate::url_policy`]) is an error and becomes `#`.
    fn link_href(&mut self, dest: &str, link_type: LinkType, offset: usize, image: bool) -> String {
        let dest = dest.trim();
        if matches!(link_type, LinkType::Email) {
            return format!("mailto:{dest}");
        }
        if let Err(why) = crate::url_policy::check(dest) {
            let (line, col) = self.position(offset);
            self.rendered.diagnostics.push(
                Diagnostic::error(self.src.file, why)
                    .code(Code::UrlScheme)
                    .at(line, col)
                    .hint(crate::url_policy::HINT),
            );
            return "#".into();
        }
        // `..\img\a.png`: a Windows path, which no browser follows.
        if dest.contains('\\') && !dest.contains(':') {
            let (line, col) = self.position(offset);
            self.rendered.diagnostics.push(
                Diagnostic::error(self.src.file, format!("the link `{dest}` is written with backslashes (`\\`), which only Windows understands")).code(Code::LinkBackslash)
                    .at(line, col)
                    .hint(format!("use forward slashes: `{}`", dest.replace('\\', "/"))),
            );
            return "#".into();
        }
        let (target, anchor) = match dest.split_once('#') {
            Some((t, a)) => (t, Some(a)),
            None => (dest, None),
        };
        let content_path = if let Some(p) = target.strip_prefix("@/") {
            Some(p.to_string())
        } else if !image && is_relative_md(target) {
            Some(join_relative(self.src.dir, target))
        } else {
            None
        };
        let Some(content_path) = content_path else {
            return match self.resolver.path_prefix() {
                prefix if !prefix.is_empty() && is_site_absolute(dest) => format!("{prefix}{dest}"),
                _ => dest.to_string(),
            };
        };
        self.rendered.resolved.push(content_path.clone());
        match self.resolver.resolve(&content_path) {
            Some(url) => {
                let prefix = self.resolver.path_prefix();
                match anchor {
                    Some(a) => format!("{prefix}{url}#{a}"),
                    None if prefix.is_empty() => url,
                    None => format!("{prefix}{url}"),
                }
            }
            None if self.resolver.is_broken(&content_path) => "#".into(),
            // Zola does not check relative links: one to a file outside the
            // site (a repository's README.md) is a warning, and stays as written.
            None if !target.starts_with("@/") => {
                let (line, col) = self.position(offset);
                self.rendered.diagnostics.push(
                    Diagnostic::warning(self.src.file, format!("the link `{dest}` points to `content/{content_path}`, which is not in the site; it is left as written")).code(Code::LinkOutsideSite)
                        .at(line, col)
                        .hint("link to a page with @/section/page.md, or to a full https:// address"),
                );
                dest.to_string()
            }
            None => {
                let (line, col) = self.position(offset);
                self.rendered.diagnostics.push(
                    Diagnostic::error(self.src.file, format!("the link `{dest}` points to `content/{content_path}`, which does not exist")).code(Code::BrokenLink)
                        .at(line, col)
                        .hint("check the file name; internal links are written @/section/page.md with the path inside content/"),
                );
                "#".into()
            }
        }
    }

    fn record_link(&mut self, href: &str, dest: &str, is_image: bool, offset: usize) {
        let (line, column) = self.position(offset);
        let target = dest.trim().split('#').next().unwrap_or("");
        self.rendered.links.push(FoundLink {
            href: href.to_string(),
            text: String::new(),
            is_image,
            by_path: target.starts_with("@/") || is_relative_md(target),
            decorative: false,
            line,
            column,
        });
    }

    /// Before each event: write what is buffered when between two top-level
    /// blocks.
    fn before(&mut self, _event: &Event<'_>, top_level: bool) {
        if top_level
            && self.alerts.is_empty()
            && self.quotes.is_empty()
            && !self.notes.is_open()
            && self.out.len() >= FLUSH_EVENTS
        {
            self.flush();
        }
    }

    /// A code block opens. A fence's options after its language (Zola's
    /// `rust,linenos`, Hugo's `go {hl_lines=[2]}`) are read off for
    /// [`highlight`] to draw; they never reach a class.
    fn open_code(&mut self, kind: CodeBlockKind<'a>) {
        self.walk.in_code += 1;
        self.walk.depth += 1;
        let kind = match kind {
            CodeBlockKind::Fenced(info) => {
                let lang = highlight::fence_language(&info).to_string();
                let opts = highlight::fence_options(&info);
                self.walk.code = Some((self.out.len(), lang.clone(), opts));
                CodeBlockKind::Fenced(CowStr::from(lang))
            }
            indented => {
                let opts = highlight::Options::default();
                self.walk.code = Some((self.out.len(), String::new(), opts));
                indented
            }
        };
        self.out.push(Event::Start(Tag::CodeBlock(kind)));
    }

    /// A code block closes: a fenced one in a language the grammars know is
    /// highlighted (when `[markdown] highlight` is on); any other stays plain.
    /// Both are written by [`highlight`], so every block is one shape (a
    /// keyboard-scrollable `<pre tabindex="0">`).
    fn close_code(&mut self, event: Event<'a>) {
        self.walk.in_code = self.walk.in_code.saturating_sub(1);
        self.walk.depth -= 1;
        let Some((at, lang, opts)) = self.walk.code.take() else {
            return self.out.push(event);
        };
        if at >= self.out.len() {
            return self.out.push(event);
        }
        let code: String = self.out[at + 1..]
            .iter()
            .filter_map(|e| match e {
                Event::Text(t) => Some(t.as_ref()),
                _ => None,
            })
            .collect();
        let highlighted = (self.opts.highlight && highlight::knows(&lang))
            .then(|| highlight::block(&lang, &code, &opts))
            .flatten();
        let html = highlighted.unwrap_or_else(|| highlight::plain(&lang, &code, &opts));
        self.out.truncate(at);
        self.out.push(Event::Html(CowStr::from(html)));
    }

    /// `[^label]`: its numbered link; its ids are taken for the page.
    fn footnote_reference(&mut self, label: &str) {
        if self.page_notes.contains(label) {
            let marker = self.slots.note_marker();
            self.out.push(Event::InlineHtml(CowStr::from(marker)));
            self.rendered.cites.push(label.to_string());
            return;
        }
        let (event, id) = self.notes.reference(label);
        if let Some(n) = id.split(':').nth(1) {
            self.ids_seen.insert(format!("fn:{n}"));
        }
        self.ids_seen.insert(id);
        self.out.push(event);
    }

    /// The footnotes' list after the text, in the page's language; a note no
    /// reference cites is listed too, with a warning at its definition.
    fn footnote_list(&mut self) {
        let word = |key: &str, default: &'static str| {
            self.env
                .i18n
                .get_from_path(key)
                .and_then(|v| v.as_str())
                .filter(|s| !s.is_empty())
                .unwrap_or(default)
                .to_string()
        };
        let (label, back) = (
            word("footnotes", "Footnotes"),
            word("footnote_back", "Back to reference"),
        );
        let words = footnotes::Words {
            label: &label,
            back: &back,
        };
        let Some(list) = self.notes.finish(&words) else {
            return;
        };
        self.out.extend(list);
        for (name, at) in std::mem::take(&mut self.notes.unused) {
            let (line, col) = self.position(at);
            self.rendered.diagnostics.push(
                Diagnostic::warning(
                    self.src.file,
                    format!(
                        "the footnote `[^{name}]` is never cited in the text; it is listed last"
                    ),
                )
                .code(crate::diagnostic::Code::Footnote)
                .at(line, col)
                .hint(format!(
                    "cite it where it belongs with [^{name}], or remove its definition"
                )),
            );
        }
    }

    /// Write the buffered events as HTML, between two top-level blocks (so
    /// nothing written later depends on them), keeping memory per page a
    /// small multiple of its size: holding every event of a page of 5 million
    /// tiny paragraphs took 2.7 GiB. The summary is the HTML before the
    /// `<!-- more -->` marker, so it is taken as that point is written.
    fn flush(&mut self) {
        let mut events = std::mem::take(&mut self.out);
        if let Some(at) = self.more_at.take() {
            let rest = events.split_off(at);
            pulldown_cmark::html::push_html(&mut self.html, events.into_iter());
            self.rendered.summary = Some(self.html.clone());
            events = rest;
        }
        pulldown_cmark::html::push_html(&mut self.html, events.into_iter());
    }

    fn finish(mut self) -> Rendered {
        self.footnote_list();
        let mut html = std::mem::take(&mut self.html);
        if let Some(at) = self.more_at {
            let mut summary = html.clone();
            pulldown_cmark::html::push_html(&mut summary, self.out[..at].iter().cloned());
            self.rendered.summary = Some(summary);
        }
        pulldown_cmark::html::push_html(&mut html, self.out.into_iter());
        // Over the limit the page is an error: not worth cleaning (html5ever's
        // cost grows with the square of the nesting depth).
        if self.raw_seen > 0 && self.raw_seen <= raw_html::MAX_FRAGMENTS {
            html = raw_html::clean(&html);
            self.rendered.summary = self.rendered.summary.as_deref().map(raw_html::clean);
        }
        self.rendered.html = html;
        self.rendered
    }
}

/// The labelled, focusable region a table scrolls in; `label` is its header
/// `[!NOTE] A title` (any case): the alert kind and the title after it.
fn alert_marker(text: &str) -> Option<(BlockQuoteKind, &str)> {
    let rest = text.strip_prefix("[!")?;
    let (word, title) = rest.split_once(']')?;
    let kind = match word.to_ascii_lowercase().as_str() {
        "note" => BlockQuoteKind::Note,
        "tip" => BlockQuoteKind::Tip,
        "important" => BlockQuoteKind::Important,
        "warning" => BlockQuoteKind::Warning,
        "caution" => BlockQuoteKind::Caution,
        _ => return None,
    };
    // Obsidian's foldable `[!NOTE]-` / `[!NOTE]+`: the sign is not title.
    Some((kind, title.trim_start_matches(['-', '+'])))
}

/// cells' text, separated by U+001F.
fn table_wrap(label: &str) -> Event<'static> {
    let label = label
        .split('\u{1f}')
        .map(|c| c.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|c| !c.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    Event::Html(CowStr::from(format!(
        "<div class=\"table-wrap\" role=\"region\" tabindex=\"0\" aria-label=\"{}\">",
        escape_attr(if label.is_empty() { "Table" } else { &label })
    )))
}

fn heading_level(level: HeadingLevel) -> u8 {
    level as u8
}

fn open_heading(h: &OpenHeading, id: &str) -> String {
    let mut s = format!("<{} id=\"{}\"", h.level, escape_attr(id));
    if !h.classes.is_empty() {
        s.push_str(&format!(" class=\"{}\"", escape_attr(&h.classes.join(" "))));
    }
    s.push('>');
    s
}

/// Nest a flat list of headings into a tree.
fn build_toc(flat: Vec<(u8, String, String)>) -> Vec<TocEntry> {
    fn insert(list: &mut Vec<TocEntry>, entry: TocEntry) {
        match list.last_mut() {
            Some(last) if entry.level > last.level => insert(&mut last.children, entry),
            _ => list.push(entry),
        }
    }
    let mut toc = Vec::new();
    for (level, id, title) in flat {
        insert(
            &mut toc,
            TocEntry {
                level,
                id,
                title,
                children: Vec::new(),
            },
        );
    }
    toc
}

/// `/treatment/`: a path from the site's root (not `//host/…`).
fn is_site_absolute(href: &str) -> bool {
    href.starts_with('/') && !href.starts_with("//")
}

fn is_external(href: &str) -> bool {
    crate::url_policy::is_web(href)
}

fn is_relative_md(target: &str) -> bool {
    !target.contains(':') && !target.starts_with('/') && target.ends_with(".md")
}

/// `treatment` + `../results/longevity.md` → `results/longevity.md`.
pub fn join_relative(dir: &str, target: &str) -> String {
    let mut parts: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    for seg in target.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

/// Escape text for an HTML attribute value in double quotes.
pub fn escape_attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    escape_attr_into(&mut out, s);
    out
}

/// [`escape_attr`] onto the end of `out`.
pub fn escape_attr_into(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Map;
    impl LinkResolver for Map {
        fn resolve(&self, p: &str) -> Option<String> {
            match p {
                "treatment/aftercare.md" => Some("/treatment/aftercare/".into()),
                _ => None,
            }
        }
    }

    const OPTS: RenderOptions = RenderOptions {
        smart_punctuation: true,
        anchor_links: false,
        external_links_new_tab: false,
        raw_html: RawHtml::Safe,
        highlight: true,
    };

    pub(super) fn md(body: &str) -> Rendered {
        let none = tera::Value::none();
        let env = Env {
            templates: None,
            page: &none,
            config: &none,
            i18n: &none,
            lang: "en",
            today: jiff::civil::date(2026, 1, 1),
            consent_warning_days: 0,
        };
        render(
            Source {
                file: "content/a.md",
                dir: "treatment",
                body,
                body_line: 5,
            },
            &Map,
            OPTS,
            &env,
        )
    }

    #[test]
    fn headings_get_unique_ids_and_a_toc() {
        let r = md("## Day one\n\ntext\n\n### Detail\n\n## Day one\n");
        assert!(
            r.html.contains("<h2 id=\"day-one\">Day one</h2>"),
            "{}",
            r.html
        );
        assert!(r.html.contains("<h2 id=\"day-one-1\">"), "{}", r.html);
        assert_eq!(r.toc.len(), 2);
        assert_eq!(r.toc[0].children[0].id, "detail");
    }

    #[test]
    fn internal_links_resolve_and_broken_ones_point_at_the_line() {
        let r = md("See [care](@/treatment/aftercare.md#day-1) and [x](aftercare.md).\n\n[bad](@/nope.md)\n");
        assert!(
            r.html.contains("href=\"/treatment/aftercare/#day-1\""),
            "{}",
            r.html
        );
        assert!(
            r.html.contains("href=\"/treatment/aftercare/\""),
            "{}",
            r.html
        );
        assert_eq!(r.diagnostics.len(), 1);
        assert_eq!((r.diagnostics[0].line, r.diagnostics[0].column), (7, 1));
    }

    #[test]
    fn summary_and_word_count() {
        let r = md("One two three.\n\n<!-- more -->\n\nFour five.\n\n```\ncode words here\n```\n");
        assert_eq!(r.summary.as_deref(), Some("<p>One two three.</p>\n"));
        assert_eq!(r.word_count, 5);
    }

    #[test]
    fn script_links_are_neutralised() {
        let r = md("[x](javascript:alert(1))");
        assert!(r.html.contains("href=\"#\""));
        assert_eq!(r.diagnostics.len(), 1);
    }

    #[test]
    fn html_written_in_chunks_is_the_html_written_at_once() {
        let body = "para *one*\n\n".repeat(3000)
            + "<!-- more -->\n\n"
            + &"after [^n]\n\n".repeat(2000)
            + "[^n]: note\n";
        let r = md(&body);
        let summary = r.summary.clone().unwrap();
        assert!(
            r.html.starts_with(&summary),
            "summary is a prefix of the page"
        );
        assert!(summary.ends_with("<p>para <em>one</em></p>\n"));
        assert_eq!(summary.matches("<p>para").count(), 3000);
        assert_eq!(r.html.matches("<p>after").count(), 2000);
        assert!(
            r.html.contains(
                "<sup class=\"footnote-reference\"><a href=\"#fn:1\" id=\"fnref:1:2000\" role=\"doc-noteref\">1</a></sup>"
            ) && r.html.ends_with("</ol>\n</section>\n"),
            "{}",
            &r.html[r.html.len() - 400..]
        );
    }

    #[test]
    fn one_scheme_policy_with_or_without_raw_html_on_the_page() {
        // The raw-HTML cleaner runs over the whole page once it holds raw HTML:
        // it must keep exactly what the Markdown link check lets through.
        for body in ["[text us](sms:+15550100)", "[text us](sms:+15550100)<br>"] {
            let r = md(body);
            assert!(
                r.html.contains("href=\"sms:+15550100\""),
                "{body}: {}",
                r.html
            );
            assert!(r.diagnostics.is_empty(), "{body}");
        }
        for body in ["[f](ftp://x.example/)", "[f](ftp://x.example/)<br>"] {
            let r = md(body);
            assert!(!r.html.contains("ftp:"), "{body}: {}", r.html);
            assert_eq!(r.diagnostics.len(), 1, "{body}");
        }
    }

    #[test]
    fn many_equal_headings_get_unique_ids_in_linear_time() {
        let body = "## Step\n\n".repeat(50_000) + "## Step-1\n";
        let start = std::time::Instant::now();
        let r = md(&body);
        assert!(start.elapsed() < std::time::Duration::from_secs(10));
        assert_eq!(r.heading_ids[0], "step");
        assert_eq!(r.heading_ids[1], "step-1");
        assert_eq!(r.heading_ids[49_999], "step-49999");
        // An explicit-looking id after the run still gets a fresh one.
        assert_eq!(r.heading_ids[50_000], "step-1-1");
        let unique: std::collections::HashSet<_> = r.heading_ids.iter().collect();
        assert_eq!(unique.len(), r.heading_ids.len());
    }

    #[test]
    fn join_relative_paths() {
        assert_eq!(join_relative("a/b", "../c.md"), "a/c.md");
        assert_eq!(join_relative("", "./c.md"), "c.md");
    }
}
