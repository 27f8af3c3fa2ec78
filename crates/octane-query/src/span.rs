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

/// Converts byte offsets of one source text into UTF-16 code-unit offsets,
/// character offsets and line/column pairs, in `O(log n)` per lookup
/// whatever the length of the lines.
///
/// ```
/// use octane_query::SourceIndex;
/// let index = SourceIndex::new("név EQ ^é^");
/// // "név" is 4 bytes but 3 UTF-16 code units.
/// assert_eq!(index.utf16_offset(4), 3);
/// ```
#[derive(Clone, Debug)]
pub struct SourceIndex {
    /// For every character that is not one byte (and so not one UTF-16
    /// unit per byte): the byte offset just past it.
    ends: Vec<u32>,
    /// For the same characters: the running total of (bytes - UTF-16 units).
    utf16_deltas: Vec<u32>,
    /// For the same characters: the running total of (bytes - 1).
    char_deltas: Vec<u32>,
    /// Byte offset of the start of each line.
    line_starts: Vec<u32>,
    len: u32,
    /// The source text, kept for column computation.
    text: Box<str>,
}

impl SourceIndex {
    /// Indexes `text`.
    pub fn new(text: &str) -> Self {
        const ONES: u64 = u64::from_ne_bytes([1; 8]);
        const HIGH: u64 = ONES << 7;
        let (mut ends, mut utf16_deltas, mut char_deltas) = (Vec::new(), Vec::new(), Vec::new());
        let mut line_starts = vec![0];
        let (mut utf16_total, mut char_total) = (0u32, 0u32);
        let bytes = text.as_bytes();
        let mut at = 0;
        while at < bytes.len() {
            // Eight ASCII bytes without a newline at a time: most text.
            if let Some(chunk) = bytes.get(at..at + 8) {
                let mut eight = [0; 8];
                eight.copy_from_slice(chunk);
                let word = u64::from_le_bytes(eight);
                let newline = word ^ (ONES * u64::from(b'\n'));
                if (word | (newline.wrapping_sub(ONES) & !newline)) & HIGH == 0 {
                    at += 8;
                    continue;
                }
            }
            let byte = bytes[at];
            if byte < 0x80 {
                if byte == b'\n' {
                    line_starts.push(at as u32 + 1);
                }
                at += 1;
                continue;
            }
            // The lead byte of a character of two, three or four bytes
            // (`text` is UTF-8); four bytes are two UTF-16 units.
            let utf8: u32 = match byte {
                0xF0.. => 4,
                0xE0.. => 3,
                _ => 2,
            };
            utf16_total += utf8 - if utf8 == 4 { 2 } else { 1 };
            char_total += utf8 - 1;
            at += utf8 as usize;
            ends.push(at as u32);
            utf16_deltas.push(utf16_total);
            char_deltas.push(char_total);
        }
        Self {
            ends,
            utf16_deltas,
            char_deltas,
            line_starts,
            len: text.len() as u32,
            text: text.into(),
        }
    }

    /// The UTF-16 offset of byte offset `byte` (clamped to the text; an
    /// offset inside a character maps to that character's start).
    pub fn utf16_offset(&self, byte: u32) -> u32 {
        if self.ends.is_empty() {
            // All ASCII: every byte is a character and one UTF-16 unit.
            return byte.min(self.len);
        }
        let byte = self.floor_char_boundary(byte.min(self.len));
        byte - Self::total_before(&self.ends, &self.utf16_deltas, byte)
    }

    /// How many characters come before byte offset `byte` (clamped to the
    /// text; an offset inside a character counts from that character's
    /// start).
    pub fn char_offset(&self, byte: u32) -> u32 {
        let byte = self.floor_char_boundary(byte.min(self.len));
        byte - Self::total_before(&self.ends, &self.char_deltas, byte)
    }

    /// The byte offset of the character `chars` characters into the text
    /// (clamped to the text).
    pub fn byte_of_char(&self, chars: u32) -> u32 {
        let passed = partition(self.ends.len(), |i| {
            self.ends[i] - self.char_deltas[i] <= chars
        });
        let delta = if passed == 0 {
            0
        } else {
            self.char_deltas[passed - 1]
        };
        chars.saturating_add(delta).min(self.len)
    }

    /// The running total in `totals` of the characters that end at or
    /// before `byte`.
    fn total_before(ends: &[u32], totals: &[u32], byte: u32) -> u32 {
        let passed = ends.partition_point(|&end| end <= byte);
        if passed == 0 { 0 } else { totals[passed - 1] }
    }

    /// The byte offset of UTF-16 offset `unit` (clamped to the text; an
    /// offset inside a surrogate pair maps to the character's start).
    pub fn byte_offset(&self, unit: u32) -> u32 {
        let passed = partition(self.ends.len(), |i| {
            self.ends[i] - self.utf16_deltas[i] <= unit
        });
        let delta = if passed == 0 {
            0
        } else {
            self.utf16_deltas[passed - 1]
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
        let column = self.char_offset(byte) - self.char_offset(self.line_starts[line]);
        LineColumn {
            line: line as u32 + 1,
            column: column + 1,
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

    /// The byte range of the one-based line `line`, without its line
    /// break (`\n`, or `\r\n`).
    pub fn line_range(&self, line: u32) -> Range<u32> {
        let index = (line.max(1) - 1) as usize;
        let Some(&start) = self.line_starts.get(index) else {
            return self.len..self.len;
        };
        let mut end = self
            .line_starts
            .get(index + 1)
            .map_or(self.len, |&next| next - 1);
        if end > start && self.text.as_bytes()[end as usize - 1] == b'\r' {
            end -= 1;
        }
        start..end
    }

    /// The text of the one-based line `line`, without its line break.
    pub fn line_text(&self, line: u32) -> &str {
        let range = self.line_range(line);
        &self.text[range.start as usize..range.end as usize]
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

/// How many of the first `len` indices satisfy `pred`, which holds for a
/// prefix of them (a binary search over indices).
fn partition(len: usize, pred: impl Fn(usize) -> bool) -> usize {
    let (mut low, mut high) = (0, len);
    while low < high {
        let mid = low + (high - low) / 2;
        if pred(mid) {
            low = mid + 1;
        } else {
            high = mid;
        }
    }
    low
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_index_agrees_with_counting_character_by_character() {
        let pieces = [
            "abcdefgh",
            "\n",
            "é",
            "€",
            "😀",
            "x",
            "\r\n",
            "ab\ncdefghijk",
        ];
        let mut text = String::new();
        // Every mix of pieces, at every alignment of the eight-byte reads.
        for round in 0..400usize {
            text.push_str(pieces[(round * 7 + round / 3) % pieces.len()]);
            let index = SourceIndex::new(&text);
            let (mut utf16, mut chars, mut line, mut column) = (0, 0, 1, 1);
            for (offset, ch) in text.char_indices().chain([(text.len(), ' ')]) {
                let offset = offset as u32;
                assert_eq!(index.utf16_offset(offset), utf16, "{text:?} at {offset}");
                assert_eq!(index.char_offset(offset), chars, "{text:?} at {offset}");
                assert_eq!(index.line_column(offset), LineColumn { line, column });
                utf16 += ch.len_utf16() as u32;
                chars += 1;
                column += 1;
                if ch == '\n' {
                    line += 1;
                    column = 1;
                }
            }
        }
    }

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
    fn char_offsets_round_trip_through_mixed_text() {
        let text = "aé😀中b\nx";
        let index = SourceIndex::new(text);
        for (chars, (byte, _)) in text.char_indices().enumerate() {
            assert_eq!(index.char_offset(byte as u32), chars as u32, "byte {byte}");
            assert_eq!(
                index.byte_of_char(chars as u32),
                byte as u32,
                "char {chars}"
            );
        }
        assert_eq!(index.char_offset(text.len() as u32), 7);
        assert_eq!(index.byte_of_char(99), text.len() as u32);
        // Inside the emoji: counts from its start.
        assert_eq!(index.char_offset(5), 2);
        assert_eq!(index.line_range(1), 0..11);
        assert_eq!(SourceIndex::new("ab\r\ncd").line_range(1), 0..2);
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
