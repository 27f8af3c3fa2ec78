//! Byte spans into the source text, and their conversion to the UTF-16
//! offsets and line/column pairs that editors use.

use std::fmt;
use std::ops::Range;

/// A half-open range `start..end` of byte offsets into the source text.
///
/// Spans are `Copy` and small; conversion to other encodings happens at the
/// edge with a [`SourceIndex`].
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Span {
    /// First byte of the range.
    pub start: u32,
    /// One past the last byte of the range.
    pub end: u32,
}

impl Span {
    /// A span from `start` to `end` (byte offsets).
    pub const fn new(start: u32, end: u32) -> Self {
        Self { start, end }
    }

    /// An empty span at `offset`.
    pub const fn empty(offset: u32) -> Self {
        Self::new(offset, offset)
    }

    /// The smallest span covering both `self` and `other`.
    #[must_use]
    pub fn cover(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }

    /// Length in bytes.
    pub const fn len(self) -> u32 {
        self.end - self.start
    }

    /// Whether the span covers no byte.
    pub const fn is_empty(self) -> bool {
        self.start == self.end
    }

    /// The span as a `usize` range, for slicing the source.
    pub fn range(self) -> Range<usize> {
        self.start as usize..self.end as usize
    }

    /// This span moved `delta` bytes to the right.
    #[must_use]
    pub const fn shift(self, delta: u32) -> Span {
        Span::new(self.start + delta, self.end + delta)
    }
}

impl fmt::Debug for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

/// A one-based line and column; the column counts Unicode scalar values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LineColumn {
    /// Line number, starting at 1.
    pub line: u32,
    /// Column, starting at 1, in characters.
    pub column: u32,
}

/// Converts byte offsets of one source text into UTF-16 code-unit offsets
/// and line/column pairs, in `O(log n)` per lookup.
///
/// ```
/// use octane_query::SourceIndex;
/// let index = SourceIndex::new("név EQ ^é^");
/// // "név" is 4 bytes but 3 UTF-16 code units.
/// assert_eq!(index.utf16_offset(4), 3);
/// ```
#[derive(Clone, Debug)]
pub struct SourceIndex {
    /// For every character that is not one UTF-16 unit per byte: the byte
    /// offset just past it and the running total of (bytes - UTF-16 units).
    deltas: Vec<(u32, u32)>,
    /// Byte offset of the start of each line.
    line_starts: Vec<u32>,
    len: u32,
    /// The source text, kept for column computation.
    text: Box<str>,
}

impl SourceIndex {
    /// Indexes `text`.
    pub fn new(text: &str) -> Self {
        let mut deltas = Vec::new();
        let mut line_starts = vec![0];
        let mut total = 0u32;
        for (offset, ch) in text.char_indices() {
            let utf8 = ch.len_utf8() as u32;
            let utf16 = ch.len_utf16() as u32;
            if utf8 != utf16 {
                total += utf8 - utf16;
                deltas.push((offset as u32 + utf8, total));
            }
            if ch == '\n' {
                line_starts.push(offset as u32 + 1);
            }
        }
        Self {
            deltas,
            line_starts,
            len: text.len() as u32,
            text: text.into(),
        }
    }

    /// The UTF-16 offset of byte offset `byte` (clamped to the text; an
    /// offset inside a character maps to that character's start).
    pub fn utf16_offset(&self, byte: u32) -> u32 {
        let byte = self.floor_char_boundary(byte.min(self.len));
        let passed = self.deltas.partition_point(|&(end, _)| end <= byte);
        let delta = if passed == 0 {
            0
        } else {
            self.deltas[passed - 1].1
        };
        byte - delta
    }

    /// The byte offset of UTF-16 offset `unit` (clamped to the text; an
    /// offset inside a surrogate pair maps to the character's start).
    pub fn byte_offset(&self, unit: u32) -> u32 {
        let passed = self
            .deltas
            .partition_point(|&(end, total)| end - total <= unit);
        let delta = if passed == 0 {
            0
        } else {
            self.deltas[passed - 1].1
        };
        self.floor_char_boundary(unit.saturating_add(delta).min(self.len))
    }

    /// A span of byte offsets as UTF-16 offsets.
    pub fn utf16_span(&self, span: Span) -> Span {
        Span::new(self.utf16_offset(span.start), self.utf16_offset(span.end))
    }

    /// The one-based line and column of byte offset `byte`.
    pub fn line_column(&self, byte: u32) -> LineColumn {
        let byte = self.floor_char_boundary(byte.min(self.len));
        let line = self.line_starts.partition_point(|&start| start <= byte) - 1;
        let start = self.line_starts[line] as usize;
        let column = self.text[start..byte as usize].chars().count();
        LineColumn {
            line: line as u32 + 1,
            column: column as u32 + 1,
        }
    }

    /// The byte offset of a one-based line and a one-based column counted
    /// in bytes (as JSON readers report positions), clamped to the line.
    pub fn byte_at(&self, line: u32, byte_column: u32) -> u32 {
        let index = (line.max(1) - 1) as usize;
        let Some(&start) = self.line_starts.get(index) else {
            return self.len;
        };
        let end = self
            .line_starts
            .get(index + 1)
            .map_or(self.len, |&next| next - 1);
        self.floor_char_boundary(start.saturating_add(byte_column.saturating_sub(1)).min(end))
    }

    /// The text of the one-based line `line`, without its line break.
    pub fn line_text(&self, line: u32) -> &str {
        let index = (line.max(1) - 1) as usize;
        let Some(&start) = self.line_starts.get(index) else {
            return "";
        };
        let end = self
            .line_starts
            .get(index + 1)
            .map_or(self.len, |&next| next - 1);
        self.text[start as usize..end as usize].trim_end_matches('\r')
    }

    /// The indexed text.
    pub fn text(&self) -> &str {
        &self.text
    }

    fn floor_char_boundary(&self, mut byte: u32) -> u32 {
        while byte > 0 && !self.text.is_char_boundary(byte as usize) {
            byte -= 1;
        }
        byte
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_offsets_of_mixed_text() {
        // 'é' = 2 bytes / 1 unit, '😀' = 4 bytes / 2 units, '中' = 3 / 1.
        let text = "aé😀中b";
        let index = SourceIndex::new(text);
        let expected: Vec<(u32, u32)> = text
            .char_indices()
            .map(|(b, _)| (b as u32, text[..b].encode_utf16().count() as u32))
            .chain(std::iter::once((
                text.len() as u32,
                text.encode_utf16().count() as u32,
            )))
            .collect();
        for (byte, unit) in expected {
            assert_eq!(index.utf16_offset(byte), unit, "byte {byte}");
            assert_eq!(index.byte_offset(unit), byte, "unit {unit}");
        }
        // Inside the emoji's surrogate pair: maps back to its start.
        assert_eq!(index.byte_offset(3), 3);
    }

    #[test]
    fn line_and_column_count_characters() {
        let index = SourceIndex::new("a EQ 1;\nné EQ ^x^");
        assert_eq!(index.line_column(0), LineColumn { line: 1, column: 1 });
        assert_eq!(index.line_column(11), LineColumn { line: 2, column: 3 });
        assert_eq!(index.line_text(2), "né EQ ^x^");
        assert_eq!(index.line_text(9), "");
    }
}
