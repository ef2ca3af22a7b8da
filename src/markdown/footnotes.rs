//! Footnotes gathered at the bottom of the page, as Zola's `bottom_footnotes`
//! and GitHub write them: references are numbered in the order they are first
//! used, every definition goes into one `<section class="footnotes">` list at the
//! end, and each item links back to each place that cites it.
//!
//! Takes the pass's footnote events (a reference, the start and end of a
//! definition, whose events the pass has buffered in between); gives the HTML
//! events of the references at once and of the list at the end. Ids are
//! `fn:N` and `fnref:N` (`fnref:N:2` for a second reference), as kramdown
//! writes them: a heading's generated id never holds a `:`, and the pass marks
//! them taken so a later heading's own `{#id}` cannot take them. Labels the
//! text names but never defines stay text (pulldown-cmark leaves them so). A
//! shortcode's Markdown body is its own text: its own notes are listed at its
//! end. Its citations of the page's notes join the page's list: the body
//! writes a marker for each, the page's text gets a `[^label]` right after the
//! shortcode's placeholder, numbered in the page's order, and
//! [`super::shortcodes::Slots::restore`] moves each into its marker's place.

use std::collections::HashMap;

use pulldown_cmark::{CowStr, Event, TagEnd};

use crate::markdown::escape_attr;

/// One definition: its number (0 until a reference uses it), its events and
/// how often it was cited.
struct Note<'a> {
    number: usize,
    events: Vec<Event<'a>>,
    refs: usize,
    /// Offset of the definition in the parsed text.
    at: usize,
}

/// The footnotes of one text, in the order of their numbers once finished.
#[derive(Default)]
pub(super) struct Footnotes<'a> {
    notes: Vec<Note<'a>>,
    by_label: HashMap<String, usize>,
    next_number: usize,
    /// The definition being read: its index and where its events start in the
    /// pass's buffer.
    open: Option<(usize, usize)>,
    /// Labels defined but never cited and where, for the warning.
    pub unused: Vec<(String, usize)>,
    /// Put between `fn:`/`fnref:` and the number in ids: empty for the page,
    /// `b2-` for the second shortcode body's own notes (so its `fn:1` is not
    /// the page's).
    pub ids: String,
}

/// [`Footnotes::open`]'s index for a definition whose events are dropped (a
/// stand-in for a note of the page, see [`defined_labels`]).
const DROPPED: usize = usize::MAX;

/// The labels `text` defines (`[^label]:` at a line's start, up to three
/// spaces in), in order. A line scan, not a parse: a line inside a code block
/// counts too, which costs only a stand-in definition nobody cites.
pub(super) fn defined_labels(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for line in text.lines() {
        let trimmed = line.trim_start_matches(' ');
        if line.len() - trimmed.len() > 3 {
            continue;
        }
        let Some(rest) = trimmed.strip_prefix("[^") else {
            continue;
        };
        let Some(end) = rest.find("]:") else {
            continue;
        };
        let label = &rest[..end];
        if !label.is_empty() && !label.contains(['[', ']']) && !out.iter().any(|l| l == label) {
            out.push(label.to_string());
        }
    }
    out
}

/// Strings the list is written with, in the page's language.
pub(super) struct Words<'w> {
    /// The list's accessible name ("Footnotes").
    pub label: &'w str,
    /// A back-link's accessible name, followed by the number ("Back to reference").
    pub back: &'w str,
}

impl<'a> Footnotes<'a> {
    /// The notes of one text whose ids carry `ids` (see [`Footnotes::ids`]).
    pub fn new(ids: String) -> Footnotes<'a> {
        Footnotes {
            ids,
            ..Default::default()
        }
    }

    fn note(&mut self, label: &str) -> usize {
        if let Some(&i) = self.by_label.get(label) {
            return i;
        }
        self.notes.push(Note {
            number: 0,
            events: Vec::new(),
            refs: 0,
            at: 0,
        });
        self.by_label
            .insert(label.to_string(), self.notes.len() - 1);
        self.notes.len() - 1
    }

    /// A reference `[^label]`: the `<sup>` link, and the two ids it makes
    /// (this reference's and, the first time, the note's).
    pub fn reference(&mut self, label: &str) -> (Event<'static>, String) {
        let i = self.note(label);
        let note = &mut self.notes[i];
        if note.number == 0 {
            self.next_number += 1;
            note.number = self.next_number;
        }
        note.refs += 1;
        let n = note.number;
        let id = ref_id(&self.ids, n, note.refs);
        let ids = &self.ids;
        let html = format!(
            "<sup class=\"footnote-reference\"><a href=\"#fn:{ids}{n}\" id=\"{id}\" role=\"doc-noteref\">{n}</a></sup>"
        );
        (Event::InlineHtml(CowStr::from(html)), id)
    }

    /// `[^label]:` starts at `offset` in the text; its events begin at `at` in
    /// the pass's buffer.
    pub fn open(&mut self, label: &str, at: usize, offset: usize) {
        let i = self.note(label);
        self.notes[i].at = offset;
        self.open = Some((i, at));
    }

    /// A definition starts whose events are to be dropped: a stand-in for
    /// one of the page's notes in a shortcode's body.
    pub fn open_dropped(&mut self, at: usize) {
        self.open = Some((DROPPED, at));
    }

    /// The definition ends: take its events out of the pass's buffer.
    pub fn close(&mut self, out: &mut Vec<Event<'a>>) {
        if let Some((i, at)) = self.open.take() {
            let events = out.split_off(at.min(out.len()));
            if i != DROPPED {
                self.notes[i].events.extend(events);
            }
        }
    }

    /// Is a definition being read (so the buffer must not be written yet)?
    pub fn is_open(&self) -> bool {
        self.open.is_some()
    }

    /// The list, as events to write after the text; `None` without notes. Notes
    /// defined but never cited come last, unnumbered by the text, and are named
    /// in `unused`.
    pub fn finish(&mut self, words: &Words<'_>) -> Option<Vec<Event<'a>>> {
        if self.notes.is_empty() {
            return None;
        }
        let mut labels: Vec<(String, usize)> = self.by_label.drain().collect();
        labels.sort_by_key(|(_, i)| *i);
        for (label, i) in labels {
            if self.notes[i].number == 0 {
                self.next_number += 1;
                self.notes[i].number = self.next_number;
                self.unused.push((label, self.notes[i].at));
            }
        }
        let mut notes = std::mem::take(&mut self.notes);
        notes.sort_by_key(|n| n.number);
        // The page's list is its one endnotes landmark; a shortcode body's own
        // list is a plain block inside the box (a second landmark with the same
        // name is one a screen reader cannot tell apart: axe landmark-unique).
        let (open, close) = if self.ids.is_empty() {
            let open = format!(
                "<section class=\"footnotes\" role=\"doc-endnotes\" aria-label=\"{}\">\n<ol>\n",
                escape_attr(words.label)
            );
            (open, "</ol>\n</section>\n")
        } else {
            (
                "<div class=\"footnotes\">\n<ol>\n".to_string(),
                "</ol>\n</div>\n",
            )
        };
        let mut out = vec![html(open)];
        for note in notes {
            out.push(html(format!(
                "<li id=\"fn:{}{}\">\n",
                self.ids, note.number
            )));
            out.extend(with_backlinks(note, words, &self.ids));
            out.push(html("</li>\n".into()));
        }
        out.push(html(close.into()));
        Some(out)
    }
}

fn html(s: String) -> Event<'static> {
    Event::Html(CowStr::from(s))
}

/// `fnref:3` for the first reference to note 3, `fnref:3:2` for the second.
fn ref_id(ids: &str, number: usize, nth: usize) -> String {
    if nth == 1 {
        format!("fnref:{ids}{number}")
    } else {
        format!("fnref:{ids}{number}:{nth}")
    }
}

/// A note's events with a back-link to each reference, inside its last
/// paragraph when it ends with one (GitHub's place for them).
fn with_backlinks<'a>(note: Note<'a>, words: &Words<'_>, ids: &str) -> Vec<Event<'a>> {
    let n = note.number;
    let links: Vec<String> = (1..=note.refs)
        .map(|k| {
            let label = if note.refs == 1 {
                format!("{} {n}", words.back)
            } else {
                format!("{} {n}.{k}", words.back)
            };
            format!(
                " <a href=\"#{}\" class=\"footnote-backref\" role=\"doc-backlink\" aria-label=\"{}\">↩</a>",
                ref_id(ids, n, k),
                escape_attr(&label)
            )
        })
        .collect();
    let mut events = note.events;
    if links.is_empty() {
        return events;
    }
    let backs = Event::InlineHtml(CowStr::from(links.concat()));
    if matches!(events.last(), Some(Event::End(TagEnd::Paragraph))) {
        let at = events.len() - 1;
        events.insert(at, backs);
    } else {
        events.push(Event::Html(CowStr::from(format!(
            "<p>{}</p>\n",
            links.concat().trim_start()
        ))));
    }
    events
}

#[cfg(test)]
mod tests {
    use crate::markdown::tests::md;

    #[test]
    fn notes_are_numbered_by_first_use_and_listed_at_the_end_with_back_links() {
        let r = md("A[^b] and B[^a], A again[^b].\n\n[^a]: First *defined*.\n\n## After\n\n[^b]: Cited first.\n");
        let html = &r.html;
        let list = html.find("<section class=\"footnotes\"").expect(html);
        // The list comes after everything else, the heading included.
        assert!(html.find("<h2").unwrap() < list, "{html}");
        assert!(html.contains("A<sup class=\"footnote-reference\"><a href=\"#fn:1\" id=\"fnref:1\" role=\"doc-noteref\">1</a></sup> and B<sup class=\"footnote-reference\"><a href=\"#fn:2\" id=\"fnref:2\" role=\"doc-noteref\">2</a></sup>, A again<sup class=\"footnote-reference\"><a href=\"#fn:1\" id=\"fnref:1:2\""), "{html}");
        assert!(html[list..].starts_with("<section class=\"footnotes\" role=\"doc-endnotes\" aria-label=\"Footnotes\">\n<ol>\n<li id=\"fn:1\">\n<p>Cited first. <a href=\"#fnref:1\" class=\"footnote-backref\" role=\"doc-backlink\" aria-label=\"Back to reference 1.1\">↩</a> <a href=\"#fnref:1:2\" class=\"footnote-backref\" role=\"doc-backlink\" aria-label=\"Back to reference 1.2\">↩</a></p>\n</li>\n<li id=\"fn:2\">\n<p>First <em>defined</em>. <a href=\"#fnref:2\" class=\"footnote-backref\" role=\"doc-backlink\" aria-label=\"Back to reference 2\">↩</a></p>\n</li>\n</ol>\n</section>\n"), "{html}");
        assert!(r.diagnostics.is_empty());
    }

    #[test]
    fn ids_are_unique_and_an_uncited_note_is_kept_with_a_warning() {
        let r = md("# FN 1\n\nText[^x].\n\n## Note {#fn:1}\n\n[^x]: Cited.\n\n[^y]:\n    A list:\n\n    - one\n");
        let ids: Vec<&str> = r
            .html
            .split(" id=\"")
            .skip(1)
            .map(|s| &s[..s.find('"').unwrap()])
            .collect();
        let mut unique = ids.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(ids.len(), unique.len(), "{ids:?}");
        assert!(
            ids.contains(&"fn-1") && ids.contains(&"fn:1") && ids.contains(&"fn:2"),
            "{ids:?}"
        );
        // A note ending in a list gets its back-link in a paragraph of its own;
        // an uncited one has none.
        assert!(
            r.html
                .contains("<li id=\"fn:2\">\n<p>A list:</p>\n<ul>\n<li>one</li>\n</ul>\n</li>"),
            "{}",
            r.html
        );
        assert_eq!(r.diagnostics.len(), 1);
        assert_eq!(
            r.diagnostics[0].message,
            "the footnote `[^y]` is never cited in the text; it is listed last"
        );
        assert_eq!(r.diagnostics[0].line, 13);
    }
}
