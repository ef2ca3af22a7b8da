//! Where a byte of rendered Markdown text came from in the source file.
//!
//! Shortcodes are expanded before the Markdown parser runs, so the text it sees is
//! not the body the writer typed. A [`SourceMap`] records, for each stretch of the
//! expanded text, the body offset it came from; [`Lines`] turns a body offset into
//! the file's line and column.

/// Stretches of expanded text, in order: `(text offset, body offset, copied)`.
/// A copied stretch maps byte for byte; any other (a shortcode's output) maps
/// every byte to where its shortcode starts.
#[derive(Debug, Clone, Default)]
pub struct SourceMap {
    pieces: Vec<(usize, usize, bool)>,
}

impl SourceMap {
    /// The identity map of a text taken as it is, from body offset `at`.
    pub fn copied(at: usize) -> SourceMap {
        SourceMap {
            pieces: vec![(0, at, true)],
        }
    }

    /// Text from `text_at` on is copied from the body at `body_at`.
    pub fn copy(&mut self, text_at: usize, body_at: usize) {
        self.pieces.push((text_at, body_at, true));
    }

    /// Text from `text_at` on was made for the shortcode at `body_at`.
    pub fn made(&mut self, text_at: usize, body_at: usize) {
        self.pieces.push((text_at, body_at, false));
    }

    /// The body offset of a text offset.
    pub fn to_body(&self, offset: usize) -> usize {
        let i = self.pieces.partition_point(|p| p.0 <= offset);
        match i.checked_sub(1).map(|i| self.pieces[i]) {
            Some((t, b, true)) => b + (offset - t),
            Some((_, b, false)) => b,
            None => offset,
        }
    }
}

/// Line starts of one body, to place body offsets in the file. The table is
/// made when the first position is asked (many bodies never need one) and
/// holds `u32`s (a body is at most 16 MB): a 15 MB page of 10 million short
/// lines held 160 MB of `usize`s before.
pub struct Lines<'a> {
    body: &'a str,
    first_line: usize,
    starts: std::cell::OnceCell<Vec<u32>>,
    /// The last position asked: (line index, byte offset, column). Columns
    /// go on from it, so 100,000 links on one line cost one pass over the
    /// line, not one per link (27.7 s before).
    cursor: std::cell::Cell<(usize, usize, usize)>,
}

impl<'a> Lines<'a> {
    pub fn new(body: &'a str, first_line: usize) -> Lines<'a> {
        Lines {
            body,
            first_line,
            starts: std::cell::OnceCell::new(),
            cursor: std::cell::Cell::new((usize::MAX, 0, 1)),
        }
    }

    /// File line and column (in characters, 1-based) of a body offset.
    pub fn at(&self, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(self.body.len());
        while !self.body.is_char_boundary(offset) {
            offset -= 1;
        }
        let starts = self.starts.get_or_init(|| {
            let mut starts =
                Vec::with_capacity(memchr::memchr_iter(b'\n', self.body.as_bytes()).count() + 1);
            starts.push(0);
            starts.extend(
                memchr::memchr_iter(b'\n', self.body.as_bytes())
                    .map(|i| u32::try_from(i + 1).unwrap_or(u32::MAX)),
            );
            starts
        });
        let idx = starts
            .partition_point(|&s| s as usize <= offset)
            .saturating_sub(1);
        let start = starts[idx] as usize;
        let (from, before) = match self.cursor.get() {
            (line, at, col) if line == idx && (start..=offset).contains(&at) => (at, col),
            _ => (start, 1),
        };
        let col = before + self.body[from..offset].chars().count();
        self.cursor.set((idx, offset, col));
        (idx + self.first_line, col)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_go_on_from_the_last_position_or_start_again() {
        let lines = Lines::new("ab é cd\nxyz", 5);
        assert_eq!(lines.at(6), (5, 6));
        assert_eq!(lines.at(7), (5, 7));
        assert_eq!(lines.at(2), (5, 3));
        assert_eq!(lines.at(10), (6, 2));
        assert_eq!(lines.at(4), (5, 4));
    }

    #[test]
    fn copied_and_made_stretches() {
        // body: "ab{{ x() }}cd" → text: "abXYZcd"
        let mut m = SourceMap::copied(0);
        m.made(2, 2);
        m.copy(5, 11);
        assert_eq!(m.to_body(1), 1);
        assert_eq!(m.to_body(3), 2);
        assert_eq!(m.to_body(6), 12);
    }

    #[test]
    fn lines_and_columns() {
        let l = Lines::new("one\ntwo é x", 5);
        assert_eq!(l.at(0), (5, 1));
        assert_eq!(l.at(10), (6, 6));
    }
}
