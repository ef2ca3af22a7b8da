//! Parse a long body in pieces, so memory stays a small multiple of its size.
//!
//! pulldown-cmark builds a tree of the whole text before the first event, ~64
//! bytes for each paragraph or text node: a legal 15 MB page of `a\n\n` held
//! over 1 GiB in the tree alone (several GiB at peak with the growth copies).
//! A body over [`PIECE`] is cut into pieces of about that size, each parsed
//! when reached and dropped when done, so one piece's tree lives at a time.
//!
//! A cut is made only where the pieces give the events one parse would: after
//! a blank line, before a line starting with a letter at column 0 (so no list,
//! quote, indented code, definition or table goes on across it), outside a
//! fenced code block and outside the HTML blocks that may hold blank lines
//! (`<pre`, `<script`, `<style`, `<textarea`, `<!--`, `<?`, `<!X`, `<![CDATA[`).
//! Link reference definitions and footnotes reach across the whole text, and
//! a definition list goes on over blank lines, so a body with `]:`, `[^` or a
//! line starting with `:` is parsed whole.

use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser};

/// About how much text one parse holds (bytes).
pub const PIECE: usize = 256 * 1024;

/// The events of `text` with their ranges in `text`, parsed piece by piece.
pub fn events(
    text: &str,
    options: Options,
) -> impl Iterator<Item = (Event<'_>, Range<usize>)> + '_ {
    pieces(text).into_iter().flat_map(move |piece| {
        let at = piece.start;
        Parser::new_ext(&text[piece], options)
            .into_offset_iter()
            .map(move |(e, r)| (e, r.start + at..r.end + at))
    })
}

/// Where `text` is parsed: the whole of it, or pieces at safe cuts.
#[allow(clippy::single_range_in_vec_init)]
pub fn pieces(text: &str) -> Vec<Range<usize>> {
    let whole = text.len() <= PIECE
        || text.contains("]:")
        || text.contains("[^")
        || text.starts_with(':')
        || text.contains("\n:");
    if whole {
        return vec![0..text.len()];
    }
    let mut out = Vec::new();
    let mut start = 0;
    let mut state = State::Open;
    let mut blank_before = false;
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        if pos - start >= PIECE
            && blank_before
            && state == State::Open
            && line.as_bytes()[0].is_ascii_alphabetic()
        {
            out.push(start..pos);
            start = pos;
        }
        state = state.after(line);
        blank_before = line.trim().is_empty();
        pos += line.len();
    }
    out.push(start..text.len());
    out
}

/// What a line leaves open at the top level.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum State {
    Open,
    /// Inside a fence of `len` × `ch`.
    Fence(u8, usize),
    /// Inside an HTML block until a line holding this.
    Html(&'static str),
}

impl State {
    fn after(self, line: &str) -> State {
        let indent = line.len() - line.trim_start_matches(' ').len();
        let body = &line[indent..];
        match self {
            State::Fence(ch, len) => {
                let run = body.bytes().take_while(|&b| b == ch).count();
                if indent <= 3 && run >= len && body[run..].trim().is_empty() {
                    State::Open
                } else {
                    self
                }
            }
            State::Html(end) => {
                if contains_ignore_case(line, end) {
                    State::Open
                } else {
                    self
                }
            }
            State::Open if indent > 3 => State::Open,
            State::Open => opens(body),
        }
    }
}

/// The state a line starting a block (after its indent) opens.
fn opens(body: &str) -> State {
    for ch in [b'`', b'~'] {
        let run = body.bytes().take_while(|&b| b == ch).count();
        if run >= 3 {
            return State::Fence(ch, run);
        }
    }
    const HTML: [(&str, &str); 8] = [
        ("<pre", "</pre>"),
        ("<script", "</script>"),
        ("<style", "</style>"),
        ("<textarea", "</textarea>"),
        ("<!--", "-->"),
        ("<?", "?>"),
        ("<![cdata[", "]]>"),
        ("<!", ">"),
    ];
    for (start, end) in HTML {
        if body.len() >= start.len() && body[..start.len()].eq_ignore_ascii_case(start) {
            if contains_ignore_case(&body[start.len()..], end) {
                return State::Open;
            }
            return State::Html(end);
        }
    }
    State::Open
}

fn contains_ignore_case(hay: &str, needle: &str) -> bool {
    hay.as_bytes()
        .windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html(text: &str, whole: bool) -> String {
        let options = crate::markdown::parser_options(false);
        let mut out = String::new();
        if whole {
            pulldown_cmark::html::push_html(&mut out, Parser::new_ext(text, options));
        } else {
            pulldown_cmark::html::push_html(&mut out, events(text, options).map(|(e, _)| e));
        }
        out
    }

    #[test]
    fn short_bodies_and_bodies_with_references_are_parsed_whole() {
        assert_eq!(pieces("a\n\nb\n").first(), Some(&(0..5)));
        let long = "a\n\n".repeat(PIECE);
        assert_eq!(pieces(&format!("{long}[x]: /y\n")).len(), 1);
        assert_eq!(pieces(&format!("{long}[^1]\n")).len(), 1);
        assert_eq!(pieces(&format!("{long}Term\n: definition\n")).len(), 1);
        assert!(pieces(&long).len() > 2);
    }

    #[test]
    fn pieces_give_the_html_of_one_parse_and_ranges_in_the_text() {
        let block = "Para *one*\nstill one\n\n- a\n\n- b\n\nnext\n\n```\ncode\n\ntext after blank\n```\n\n<pre>\n\nkeep\n</pre>\n\n<!--\n\nhidden\n-->\n\n> quote\n\nlazy\n\n    indented\n\n    more\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nend\n";
        let text = block.repeat(PIECE / block.len() * 3);
        assert!(pieces(&text).len() >= 3);
        assert_eq!(html(&text, false), html(&text, true));
        let options = crate::markdown::parser_options(false);
        let ranges: Vec<_> = events(&text, options).map(|(_, r)| r).collect();
        let whole: Vec<_> = Parser::new_ext(&text, options)
            .into_offset_iter()
            .map(|(_, r)| r)
            .collect();
        assert_eq!(ranges, whole);
    }

    #[test]
    fn no_cut_inside_a_fence_or_an_html_block_that_spans_the_cut() {
        let filler = "a\n\n".repeat(PIECE / 3 + 10);
        for open in ["```\n", "~~~~\n", "<pre>\n", "<SCRIPT>\n", "<!--\n"] {
            let close = match open {
                "```\n" => "```\n",
                "~~~~\n" => "~~~~\n",
                "<pre>\n" => "</pre>\n",
                "<SCRIPT>\n" => "</script>\n",
                _ => "-->\n",
            };
            let text = format!("{open}{filler}{close}\nafter\n\n{filler}");
            assert_eq!(html(&text, false), html(&text, true), "{open}");
            let p = pieces(&text);
            assert!(p[0].end > text.find(close).unwrap(), "{open}: {p:?}");
        }
    }
}
