//! Byte offsets ↔ editor positions.
//!
//! The core works in byte spans. Editors and the JSON output speak in LSP-style positions:
//! a 0-based line and a character column counted in UTF-16 code units (or in bytes when the
//! client negotiates UTF-8). This module is the one place where that conversion happens.
//! Lines end at `\n`, `\r\n` or a lone `\r`, exactly as ropey's `cr_lines` feature counts them,
//! so the LSP document rope and this index agree on line numbers.
//!
//! One convention per output, all of them UTF-16 code units unless a client asks otherwise
//! (a character outside the Basic Multilingual Plane, such as an emoji, counts 2; a combining
//! mark counts 1 like any other character; nothing counts graphemes or display width):
//!
//! | output | line | column | offsets |
//! |---|---|---|---|
//! | language server | 0-based | UTF-16, or UTF-8 bytes when negotiated | — |
//! | JSON (`lint`, `extract`) | 0-based | 0-based, UTF-16 | — |
//! | SARIF (`columnKind: utf16CodeUnits`) | 1-based | 1-based, UTF-16 | `charOffset`, `charLength`: UTF-16 from the start of the text |
//! | human, concise, GitHub, `extract --format text`, messages | 1-based | 1-based, UTF-16 | — |
//!
//! UTF-16 everywhere means a `path:line:col` from any text output lands where an editor that
//! counts UTF-16 (VS Code, every LSP client by default) puts it, and the text outputs agree
//! with the JSON and SARIF ones on the same finding.

use serde::Serialize;

/// A half-open byte range `[start, end)` into some text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        debug_assert!(start <= end, "span start {start} after end {end}");
        Span { start, end: end.max(start) }
    }
    pub fn len(&self) -> usize {
        self.end - self.start
    }
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }
    pub fn contains(&self, offset: usize) -> bool {
        self.start <= offset && offset < self.end
    }
    /// Whether `other` lies wholly inside this span.
    pub fn encloses(&self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }
    pub fn overlaps(&self, other: Span) -> bool {
        self.start < other.end && other.start < self.end
    }
    pub fn cover(&self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
    /// The text this span covers, or "" when the span does not fit `text`.
    pub fn slice<'a>(&self, text: &'a str) -> &'a str {
        text.get(self.start..self.end).unwrap_or("")
    }
}

/// How position columns are counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PositionEncoding {
    /// Columns are UTF-8 bytes.
    Utf8,
    /// Columns are UTF-16 code units (the protocol's default).
    #[default]
    Utf16,
}

/// A 0-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Serialize)]
pub struct Position {
    pub line: u32,
    pub character: u32,
}

/// A start and end position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Range {
    pub start: Position,
    pub end: Position,
}

/// Line starts of one text, for converting offsets to positions and back.
#[derive(Debug, Clone)]
pub struct LineIndex {
    line_starts: Vec<usize>,
    /// Every `CHECKPOINT` bytes within a line: (byte offset, UTF-16 column there), so a column
    /// on a very long line is counted from a nearby checkpoint, not from the line start.
    checkpoints: Vec<(usize, u32)>,
    /// UTF-16 code units before each line start (for offsets from the start of the text).
    line_units: Vec<usize>,
    len: usize,
}

const CHECKPOINT: usize = 1024;

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut line_starts = vec![0];
        let mut line_units = vec![0];
        let mut units = 0;
        let mut checkpoints = Vec::new();
        let mut column: u32 = 0;
        let mut since_checkpoint = 0;
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            match b {
                b'\n' => {
                    units += column as usize + 1;
                    line_starts.push(i + 1);
                    line_units.push(units);
                    column = 0;
                    since_checkpoint = 0;
                }
                b'\r' => {
                    units += column as usize + 1;
                    if bytes.get(i + 1) == Some(&b'\n') {
                        units += 1;
                        i += 1;
                    }
                    line_starts.push(i + 1);
                    line_units.push(units);
                    column = 0;
                    since_checkpoint = 0;
                }
                _ => {
                    if since_checkpoint >= CHECKPOINT && (b & 0xC0) != 0x80 {
                        checkpoints.push((i, column));
                        since_checkpoint = 0;
                    }
                    // UTF-16 units: one per character, two for four-byte characters.
                    if (b & 0xC0) != 0x80 {
                        column += if b >= 0xF0 { 2 } else { 1 };
                    }
                    since_checkpoint += 1;
                }
            }
            i += 1;
        }
        LineIndex { line_starts, checkpoints, line_units, len: text.len() }
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// The 0-based line holding byte `offset` (clamped to the text).
    pub fn line_of(&self, offset: usize) -> usize {
        let offset = offset.min(self.len);
        match self.line_starts.binary_search(&offset) {
            Ok(line) => line,
            Err(next) => next - 1,
        }
    }

    /// Byte span of line `line` without its line ending, clamped to the last line.
    pub fn line_span(&self, text: &str, line: usize) -> Span {
        let line = line.min(self.line_starts.len() - 1);
        let start = self.line_starts[line];
        let mut end = self.line_starts.get(line + 1).copied().unwrap_or(self.len);
        let bytes = text.as_bytes();
        while end > start && matches!(bytes.get(end - 1), Some(b'\n' | b'\r')) {
            end -= 1;
        }
        Span::new(start, end)
    }

    /// The position of byte `offset`. An offset inside a character or past the end is moved
    /// back to the nearest character boundary first.
    pub fn position(&self, text: &str, offset: usize, encoding: PositionEncoding) -> Position {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_of(offset);
        let start = self.line_starts[line];
        let character = match encoding {
            PositionEncoding::Utf8 => offset - start,
            PositionEncoding::Utf16 => {
                // Count from the last checkpoint on this line before the offset.
                let i = self.checkpoints.partition_point(|(at, _)| *at <= offset);
                let (from, base) = match i.checked_sub(1).map(|k| self.checkpoints[k]) {
                    Some((at, column)) if at >= start && at <= offset && text.is_char_boundary(at) => (at, column as usize),
                    _ => (start, 0),
                };
                base + text[from..offset].chars().map(char::len_utf16).sum::<usize>()
            }
        };
        Position { line: line as u32, character: character as u32 }
    }

    /// The number of UTF-16 code units before byte `offset` (moved back to a character
    /// boundary first): SARIF's `charOffset` when its `columnKind` is `utf16CodeUnits`.
    pub fn utf16_offset(&self, text: &str, offset: usize) -> usize {
        let position = self.position(text, offset, PositionEncoding::Utf16);
        self.line_units[position.line as usize] + position.character as usize
    }

    pub fn range(&self, text: &str, span: Span, encoding: PositionEncoding) -> Range {
        Range {
            start: self.position(text, span.start, encoding),
            end: self.position(text, span.end, encoding),
        }
    }

    /// The byte offset of `position`. A line past the end gives the end of the text; a column
    /// past the end of its line gives the end of that line; a column inside a character (a
    /// UTF-16 column between the halves of a surrogate pair, or a UTF-8 column inside a
    /// multi-byte character) gives the start of that character. Returns whether clamping
    /// was needed, so callers can log it.
    pub fn offset(&self, text: &str, position: Position, encoding: PositionEncoding) -> (usize, bool) {
        let line = position.line as usize;
        if line >= self.line_starts.len() {
            return (text.len(), true);
        }
        let span = self.line_span(text, line);
        let wanted = position.character as usize;
        let mut units = 0;
        for (i, ch) in span.slice(text).char_indices() {
            if units == wanted {
                return (span.start + i, false);
            }
            let width = match encoding {
                PositionEncoding::Utf8 => ch.len_utf8(),
                PositionEncoding::Utf16 => ch.len_utf16(),
            };
            if units + width > wanted {
                return (span.start + i, true);
            }
            units += width;
        }
        (span.end, units != wanted)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pos(line: u32, character: u32) -> Position {
        Position { line, character }
    }

    #[test]
    fn ascii_positions_round_trip() {
        let text = "ab\ncd\n";
        let index = LineIndex::new(text);
        assert_eq!(index.position(text, 4, PositionEncoding::Utf16), pos(1, 1));
        assert_eq!(index.offset(text, pos(1, 1), PositionEncoding::Utf16), (4, false));
        assert_eq!(index.line_count(), 3);
    }

    #[test]
    fn utf16_counts_surrogate_pairs_and_utf8_counts_bytes() {
        let text = "😀 é 30%";
        let index = LineIndex::new(text);
        let at = text.find("30").unwrap();
        assert_eq!(index.position(text, at, PositionEncoding::Utf16), pos(0, 5));
        assert_eq!(index.position(text, at, PositionEncoding::Utf8), pos(0, 8));
        assert_eq!(index.offset(text, pos(0, 5), PositionEncoding::Utf16), (at, false));
        assert_eq!(index.offset(text, pos(0, 8), PositionEncoding::Utf8), (at, false));
    }

    #[test]
    fn cjk_columns() {
        let text = "阿里巴巴 40%";
        let index = LineIndex::new(text);
        let at = text.find("40").unwrap();
        assert_eq!(index.position(text, at, PositionEncoding::Utf16), pos(0, 5));
        assert_eq!(index.position(text, at, PositionEncoding::Utf8), pos(0, 13));
    }

    #[test]
    fn crlf_and_lone_cr_end_lines() {
        let text = "a\r\nb\rc\nd";
        let index = LineIndex::new(text);
        assert_eq!(index.line_count(), 4);
        assert_eq!(index.position(text, text.find('b').unwrap(), PositionEncoding::Utf16), pos(1, 0));
        assert_eq!(index.position(text, text.find('c').unwrap(), PositionEncoding::Utf16), pos(2, 0));
        assert_eq!(index.line_span(text, 0).slice(text), "a");
        // A column past the end of a CRLF line stops before the line ending.
        assert_eq!(index.offset(text, pos(0, 9), PositionEncoding::Utf16), (1, true));
    }

    #[test]
    fn out_of_range_and_mid_character_positions_are_clamped() {
        let text = "😀x";
        let index = LineIndex::new(text);
        assert_eq!(index.offset(text, pos(5, 0), PositionEncoding::Utf16), (text.len(), true));
        assert_eq!(index.offset(text, pos(0, 1), PositionEncoding::Utf16), (0, true));
        assert_eq!(index.offset(text, pos(0, 2), PositionEncoding::Utf8), (0, true));
        assert_eq!(index.position(text, 2, PositionEncoding::Utf16), pos(0, 0));
        assert_eq!(index.position(text, 99, PositionEncoding::Utf16), pos(0, 3));
    }

    #[test]
    fn long_lines_use_checkpoints_and_agree_with_counting() {
        let text: String = (0..3000).map(|i| if i % 7 == 0 { "😀é " } else { "ab " }).collect();
        let index = LineIndex::new(&text);
        for (offset, _) in text.char_indices().step_by(97) {
            let counted: usize = text[..offset].chars().map(char::len_utf16).sum();
            assert_eq!(index.position(&text, offset, PositionEncoding::Utf16).character as usize, counted);
        }
    }

    #[test]
    fn utf16_offsets_count_from_the_start_of_the_text() {
        // Astral characters count 2, a combining mark 1, each line ending its own length.
        let text = "😀e\u{301}\r\n\u{1F1EB}\u{1F1F7}\rx\n12 %";
        let index = LineIndex::new(text);
        for (offset, _) in text.char_indices().chain([(text.len(), ' ')]) {
            let counted = text[..offset].encode_utf16().count();
            assert_eq!(index.utf16_offset(text, offset), counted, "offset {offset}");
        }
        assert_eq!(index.utf16_offset(text, text.find("12").unwrap()), 13);
        // Inside a character: the start of that character.
        assert_eq!(index.utf16_offset(text, 1), 0);
    }

    #[test]
    fn agrees_with_ropey_on_lines() {
        let text = "one\r\ntwo\rthree\nfour\n";
        let rope = ropey::Rope::from_str(text);
        let index = LineIndex::new(text);
        assert_eq!(rope.len_lines(), index.line_count());
        for offset in 0..text.len() {
            assert_eq!(rope.byte_to_line(offset), index.line_of(offset), "offset {offset}");
        }
    }
}
