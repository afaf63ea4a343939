//! The boundary between the core's byte spans and the protocol's positions.
//!
//! [`to_proto`] turns core values into `lsp_types` values and [`from_proto`] does the reverse.
//! Both are thin wrappers over [`copydesk::position`](crate::position), the one module that
//! converts byte offsets to UTF-16 or UTF-8 columns; nothing here counts columns itself.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use ropey::Rope;
use tower_lsp_server::lsp_types::{self as lsp, Uri};
use tower_lsp_server::UriExt;

use crate::position::{self, LineIndex, PositionEncoding, Span};

/// Core → protocol.
pub mod to_proto {
    use super::*;
    use crate::findings::Severity;

    pub fn encoding(encoding: PositionEncoding) -> lsp::PositionEncodingKind {
        match encoding {
            PositionEncoding::Utf8 => lsp::PositionEncodingKind::UTF8,
            PositionEncoding::Utf16 => lsp::PositionEncodingKind::UTF16,
        }
    }

    pub fn position(p: position::Position) -> lsp::Position {
        lsp::Position { line: p.line, character: p.character }
    }

    /// The protocol range of byte span `span` of `text`.
    pub fn range(lines: &LineIndex, text: &str, span: Span, encoding: PositionEncoding) -> lsp::Range {
        let r = lines.range(text, span, encoding);
        lsp::Range { start: position(r.start), end: position(r.end) }
    }

    pub fn severity(severity: Severity) -> lsp::DiagnosticSeverity {
        match severity {
            Severity::Error => lsp::DiagnosticSeverity::ERROR,
            Severity::Warning => lsp::DiagnosticSeverity::WARNING,
            Severity::Info => lsp::DiagnosticSeverity::INFORMATION,
            Severity::Hint => lsp::DiagnosticSeverity::HINT,
        }
    }

    /// A `file:` URI for a path on disk (canonicalised when it exists).
    pub fn file_uri(path: &Path) -> Option<Uri> {
        let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        Uri::from_file_path(path)
    }
}

/// Protocol → core.
pub mod from_proto {
    use super::*;

    /// The encoding to use: UTF-8 when the client offers it, else UTF-16 (the default).
    pub fn encoding(capabilities: &lsp::ClientCapabilities) -> PositionEncoding {
        let offered = capabilities.general.as_ref().and_then(|g| g.position_encodings.as_ref());
        match offered {
            Some(kinds) if kinds.contains(&lsp::PositionEncodingKind::UTF8) => PositionEncoding::Utf8,
            _ => PositionEncoding::Utf16,
        }
    }

    pub fn position(p: lsp::Position) -> position::Position {
        position::Position { line: p.line, character: p.character }
    }

    /// The byte offset of `p` in `text`, clamped to the text; the flag says clamping happened.
    pub fn offset(lines: &LineIndex, text: &str, p: lsp::Position, encoding: PositionEncoding) -> (usize, bool) {
        lines.offset(text, position(p), encoding)
    }

    /// The byte offset of `p` in a rope, clamped like [`offset`]. Only the addressed line is
    /// copied out of the rope, so an edit costs the length of its line, not of the document.
    pub fn rope_offset(rope: &Rope, p: lsp::Position, encoding: PositionEncoding) -> (usize, bool) {
        let line = p.line as usize;
        if line >= rope.len_lines() {
            return (rope.len_bytes(), true);
        }
        let start = rope.line_to_byte(line);
        let line_text: Cow<str> = rope.line(line).into();
        let index = LineIndex::new(&line_text);
        let (offset, clamped) =
            index.offset(&line_text, position::Position { line: 0, character: p.character }, encoding);
        (start + offset, clamped)
    }

    /// The path of a `file:` URI.
    pub fn file_path(uri: &Uri) -> Option<PathBuf> {
        if !uri.as_str().starts_with("file:") {
            return None;
        }
        uri.to_file_path().map(|p| p.into_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(line: u32, character: u32) -> lsp::Position {
        lsp::Position { line, character }
    }

    #[test]
    fn rope_offsets_agree_with_the_line_index() {
        let text = "😀 阿里 a\r\nb 30%\rc\n";
        let rope = Rope::from_str(text);
        let index = LineIndex::new(text);
        for encoding in [PositionEncoding::Utf8, PositionEncoding::Utf16] {
            for offset in (0..=text.len()).filter(|&o| text.is_char_boundary(o)) {
                let position = to_proto::position(index.position(text, offset, encoding));
                let (from_rope, _) = from_proto::rope_offset(&rope, position, encoding);
                let (from_text, _) = from_proto::offset(&index, text, position, encoding);
                assert_eq!(from_rope, from_text, "{encoding:?} {position:?}");
            }
        }
    }

    #[test]
    fn rope_offsets_clamp_and_say_so() {
        let text = "😀x\nab";
        let rope = Rope::from_str(text);
        assert_eq!(from_proto::rope_offset(&rope, p(0, 2), PositionEncoding::Utf16), (4, false));
        assert_eq!(from_proto::rope_offset(&rope, p(0, 1), PositionEncoding::Utf16), (0, true));
        assert_eq!(from_proto::rope_offset(&rope, p(0, 50), PositionEncoding::Utf16), (5, true));
        assert_eq!(from_proto::rope_offset(&rope, p(9, 0), PositionEncoding::Utf8), (text.len(), true));
        assert_eq!(from_proto::rope_offset(&rope, p(1, 2), PositionEncoding::Utf8), (text.len(), false));
    }

    #[test]
    fn utf8_is_chosen_only_when_offered() {
        let mut caps = lsp::ClientCapabilities::default();
        assert_eq!(from_proto::encoding(&caps), PositionEncoding::Utf16);
        caps.general = Some(lsp::GeneralClientCapabilities {
            position_encodings: Some(vec![lsp::PositionEncodingKind::UTF16, lsp::PositionEncodingKind::UTF8]),
            ..Default::default()
        });
        assert_eq!(from_proto::encoding(&caps), PositionEncoding::Utf8);
    }

    #[test]
    fn file_uris_round_trip() {
        let dir = std::env::temp_dir();
        let uri = to_proto::file_uri(&dir).unwrap();
        assert_eq!(from_proto::file_path(&uri), Some(std::fs::canonicalize(&dir).unwrap()));
        let other: Uri = "untitled:Untitled-1".parse().unwrap();
        assert_eq!(from_proto::file_path(&other), None);
    }
}
