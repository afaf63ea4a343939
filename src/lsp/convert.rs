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
        let (offset, clamped) = index.offset(&line_text, position::Position { line: 0, character: p.character }, encoding);
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
