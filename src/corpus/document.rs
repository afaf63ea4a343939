//! One source article: its metadata, text, prose and the figures and quotations of its
//! paragraphs (read on first use), and reading it from a file (decoding, fingerprinting) or
//! again from the index's record of it ([`DocumentInfo`]).

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use super::segment::{DocumentMeta, SentenceTerms};
use super::{mtime_ns, quotes, CorpusNote, Fingerprint, BUILTIN_SEEDS};
use crate::claims::figures::{self, Quantity};
use crate::position::{LineIndex, Span};
use crate::prose::{Format, Prose};
use crate::words;

/// One source article.
#[derive(Debug)]
pub struct Document {
    /// The path shown to users (relative as given, or `seeds/<file>` for the built-in seeds).
    pub path: String,
    /// The file on disk, when there is one.
    pub disk_path: Option<PathBuf>,
    pub title: String,
    pub url: Option<String>,
    pub publisher: Option<String>,
    /// Its date as written in its front matter, or else its dateline's ([`Document::day`]).
    pub date: Option<String>,
    /// Who wrote it (front matter `author`).
    pub author: Option<String>,
    /// The day it is dated: its front matter `date`, or else a dateline near its top
    /// ([`crate::claims::dates::dateline`]); `None` when neither gives a day. Read once, when
    /// the document is read: the relative times of its sentences resolve against it.
    pub day: Option<crate::claims::dates::Day>,
    pub format: Format,
    pub text: String,
    pub prose: Prose,
    /// Line starts, computed when a position is first asked for (indexing never needs them).
    lines: OnceLock<LineIndex>,
    /// Quantities of each paragraph, extracted on first use.
    paragraph_quantities: Vec<OnceLock<Vec<Quantity>>>,
    /// Words and quotations of each paragraph, read on first use by the quotation check.
    paragraph_quotes: Vec<OnceLock<std::sync::Arc<quotes::ParagraphQuotes>>>,
}

impl Document {
    pub fn new(path: String, disk_path: Option<PathBuf>, text: String, format: Format) -> Document {
        let mut prose = Prose::new(&text, format);
        if format == Format::PlainText {
            // Plain text differs from its masked copy only in line breaks and front matter,
            // which sentence spans already leave out: keep one copy, not two.
            prose.masked = String::new();
        }
        let fm = prose.front_matter.clone();
        let title = fm.title.clone().unwrap_or_else(|| {
            prose
                .paragraphs
                .first()
                .map(|p| shorten(p.slice(&text).trim(), 100))
                .unwrap_or_default()
        });
        let paragraph_quantities = (0..prose.paragraphs.len()).map(|_| OnceLock::new()).collect();
        // A front matter date that names no day ("2025", "Q4") dates nothing; a dateline then
        // does not override what the writer gave either.
        let prose_text = if prose.masked.is_empty() { text.as_str() } else { prose.masked.as_str() };
        let from_dateline = fm.date.is_none().then(|| crate::claims::dates::dateline(prose_text)).flatten();
        let day = fm.date.as_deref().and_then(crate::claims::dates::Day::parse).or(from_dateline);
        let date = fm.date.clone().or_else(|| from_dateline.map(|d| d.to_string()));
        let paragraph_quotes = (0..prose.paragraphs.len()).map(|_| OnceLock::new()).collect();
        Document {
            path,
            disk_path,
            title,
            url: fm.url,
            publisher: fm.publisher,
            date,
            author: fm.author,
            day,
            format,
            text,
            prose,
            lines: OnceLock::new(),
            paragraph_quantities,
            paragraph_quotes,
        }
    }

    /// The document's line index, for editor positions.
    pub fn lines(&self) -> &LineIndex {
        self.lines.get_or_init(|| LineIndex::new(&self.text))
    }

    /// The text to read prose from: the masked copy, or the text itself for plain text.
    pub fn prose_text(&self) -> &str {
        if self.prose.masked.is_empty() {
            &self.text
        } else {
            &self.prose.masked
        }
    }

    /// The words and quotations of paragraph `index` (cached).
    pub fn paragraph_quotes(&self, index: usize) -> std::sync::Arc<quotes::ParagraphQuotes> {
        self.paragraph_quotes[index]
            .get_or_init(|| std::sync::Arc::new(quotes::ParagraphQuotes::read(self, index)))
            .clone()
    }

    /// The quantities of paragraph `index`, with spans into the document.
    pub fn paragraph_quantities(&self, index: usize) -> &[Quantity] {
        let Some(cell) = self.paragraph_quantities.get(index) else { return &[] };
        cell.get_or_init(|| {
            let span = self.prose.paragraphs[index];
            let mut found = figures::extract(span.slice(self.prose_text()));
            for q in &mut found {
                q.span = Span::new(q.span.start + span.start, q.span.end + span.start);
                q.number_span = Span::new(q.number_span.start + span.start, q.number_span.end + span.start);
            }
            found
        })
    }
}

/// What the corpus knows of a document without reading it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentInfo {
    /// The path shown to users (relative as given, or `seeds/<file>` for the built-in seeds).
    pub path: String,
    /// The file on disk, when there is one.
    pub disk_path: Option<PathBuf>,
    pub format: Format,
    pub title: String,
    pub url: Option<String>,
    pub publisher: Option<String>,
    pub date: Option<String>,
    pub author: Option<String>,
    /// The version of the file that was indexed.
    pub fingerprint: Fingerprint,
    /// False for a document removed or changed since its index segment was written.
    pub live: bool,
}

impl DocumentInfo {
    pub(super) fn of(doc: &Document, format: Format, fingerprint: Fingerprint) -> DocumentInfo {
        DocumentInfo {
            path: doc.path.clone(),
            disk_path: doc.disk_path.clone(),
            format,
            title: doc.title.clone(),
            url: doc.url.clone(),
            publisher: doc.publisher.clone(),
            date: doc.date.clone(),
            author: doc.author.clone(),
            fingerprint,
            live: true,
        }
    }

    pub(super) fn meta(&self) -> DocumentMeta {
        DocumentMeta {
            path: self.path.clone(),
            disk_path: self.disk_path.as_ref().map(|p| p.to_string_lossy().into_owned()),
            format: self.format,
            title: self.title.clone(),
            url: self.url.clone(),
            publisher: self.publisher.clone(),
            date: self.date.clone(),
            author: self.author.clone(),
            fingerprint: self.fingerprint,
        }
    }

    pub(super) fn from_meta(meta: DocumentMeta) -> DocumentInfo {
        DocumentInfo {
            path: meta.path,
            disk_path: meta.disk_path.map(PathBuf::from),
            format: meta.format,
            title: meta.title,
            url: meta.url,
            publisher: meta.publisher,
            date: meta.date,
            author: meta.author,
            fingerprint: meta.fingerprint,
            live: true,
        }
    }
}

/// A source file that was read: its document, or why it was left out.
pub(crate) struct ReadFile {
    pub document: Option<(Document, Format, Fingerprint)>,
    pub note: Option<CorpusNote>,
}

/// Reads an indexed document again, if its file is still the version that was indexed.
pub(crate) fn read_indexed(info: &DocumentInfo) -> Option<Document> {
    let text = match &info.disk_path {
        Some(path) => {
            let bytes = std::fs::read(path).ok()?;
            if bytes.len() as u64 != info.fingerprint.size || xxhash_rust::xxh3::xxh3_64(&bytes) != info.fingerprint.hash {
                return None;
            }
            decode(&info.path, bytes).0?
        }
        None => {
            let (_, text) = BUILTIN_SEEDS.iter().find(|(p, _)| *p == info.path)?;
            text.to_string()
        }
    };
    Some(Document::new(info.path.clone(), info.disk_path.clone(), text, info.format))
}

/// At most `max` characters, cut at a word boundary with an ellipsis.
fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    let at_word = cut.rfind(' ').filter(|&i| i > max / 2).map_or(cut.as_str(), |i| &cut[..i]);
    format!("{}…", at_word.trim_end_matches([',', ';', ':']))
}

/// Reads one corpus file. Binary files are left out with a note; invalid UTF-8 is decoded
/// lossily with a note; a file that vanished or became unreadable after listing is left out
/// with a note.
pub(crate) fn read_file(path: &Path) -> ReadFile {
    let display = path.display().to_string();
    let (bytes, mtime) = match std::fs::File::open(path).and_then(|mut file| {
        let meta = file.metadata()?;
        let mut bytes = Vec::with_capacity(meta.len() as usize);
        std::io::Read::read_to_end(&mut file, &mut bytes)?;
        Ok((bytes, mtime_ns(&meta)))
    }) {
        Ok(read) => read,
        Err(err) => return ReadFile { document: None, note: Some(CorpusNote { path: display, message: format!("skipped: {err}") }) },
    };
    let fingerprint = Fingerprint::of_bytes(&bytes, mtime);
    let format = Format::from_path(&display).unwrap_or(Format::PlainText);
    let (text, note) = decode(&display, bytes);
    let document = text.map(|text| (Document::new(display, Some(path.to_path_buf()), text, format), format, fingerprint));
    ReadFile { document, note }
}

/// Decodes file bytes as text: UTF-8 (BOM dropped), UTF-16 with a BOM, else lossy UTF-8 with a
/// note. Binary data (NUL bytes without a UTF-16 BOM) gives no text and a note.
pub fn decode(path: &str, bytes: Vec<u8>) -> (Option<String>, Option<CorpusNote>) {
    let note = |message: &str| Some(CorpusNote { path: path.to_string(), message: message.to_string() });
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        let little = bytes[0] == 0xFF;
        let units: Vec<u16> = bytes[2..]
            .chunks_exact(2)
            .map(|c| if little { u16::from_le_bytes([c[0], c[1]]) } else { u16::from_be_bytes([c[0], c[1]]) })
            .collect();
        let text = String::from_utf16_lossy(&units);
        return (Some(text), note("decoded from UTF-16"));
    }
    if bytes.iter().take(8192).any(|&b| b == 0) {
        return (None, note("binary file skipped"));
    }
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            if text.starts_with('\u{feff}') {
                text.replace_range(0..3, "");
            }
            (Some(text), None)
        }
        Err(err) => {
            let valid = err.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(err.as_bytes()).into_owned();
            let line = text[..valid.min(text.len())].matches('\n').count() + 1;
            (Some(text), note(&format!("not valid UTF-8 (first bad byte on line {line}); decoded with replacement characters")))
        }
    }
}

pub(crate) fn sentence_terms(doc: &Document) -> Vec<SentenceTerms> {
    let mut counts: Vec<(u64, u16)> = Vec::new();
    doc.prose
        .sentences
        .iter()
        .map(|s| {
            counts.clear();
            let mut length = 0u32;
            words::for_each_term(doc.prose_text(), s.span, |term, _| {
                length += 1;
                let hash = words::term_hash(term);
                match counts.iter_mut().find(|(h, _)| *h == hash) {
                    Some((_, c)) => *c = c.saturating_add(1),
                    None => counts.push((hash, 1)),
                }
            });
            (s.paragraph as u32, length, counts.clone())
        })
        .collect()
}
