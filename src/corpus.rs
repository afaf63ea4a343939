//! The source corpus: loading documents, cutting them into passages, and retrieving the
//! passages a draft sentence most likely reports.
//!
//! A corpus is a list of [`Document`]s (each with its metadata, text, masked prose and
//! sentences) and a BM25 index over the content words of every sentence. Figures are not
//! indexed: retrieval finds the passage by what it talks about, and alignment then compares
//! the figures. Quantities of a source paragraph are extracted the first time a check looks
//! at it and cached, so loading stays fast on large archives.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use rayon::prelude::*;

use crate::extract::{self, Quantity};
use crate::position::{LineIndex, Span};
use crate::prose::{Format, Prose};
use crate::words;

/// Why a corpus could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum CorpusError {
    #[error("{path}: no such file or directory")]
    Missing { path: String },
    #[error("{path}: {source}")]
    Io { path: String, source: std::io::Error },
    #[error("{path}: {message}")]
    Walk { path: String, message: String },
    #[error("the corpus is empty: no .txt, .md, .markdown, .html or .htm files under {paths}")]
    Empty { paths: String },
}

/// Something worth telling the user about a corpus file that was still loaded, or skipped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorpusNote {
    pub path: String,
    pub message: String,
}

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
    pub date: Option<String>,
    pub text: String,
    pub prose: Prose,
    pub lines: LineIndex,
    /// Quantities of each paragraph, extracted on first use.
    paragraph_quantities: Vec<OnceLock<Vec<Quantity>>>,
}

impl Document {
    pub fn new(path: String, disk_path: Option<PathBuf>, text: String, format: Format) -> Document {
        let prose = Prose::new(&text, format);
        let fm = prose.front_matter.clone();
        let title = fm.title.clone().unwrap_or_else(|| {
            prose
                .paragraphs
                .first()
                .map(|p| p.slice(&text).trim().chars().take(200).collect())
                .unwrap_or_default()
        });
        let lines = LineIndex::new(&text);
        let paragraph_quantities = (0..prose.paragraphs.len()).map(|_| OnceLock::new()).collect();
        Document {
            path,
            disk_path,
            title,
            url: fm.url,
            publisher: fm.publisher,
            date: fm.date,
            text,
            prose,
            lines,
            paragraph_quantities,
        }
    }

    /// The quantities of paragraph `index`, with spans into the document.
    pub fn paragraph_quantities(&self, index: usize) -> &[Quantity] {
        let Some(cell) = self.paragraph_quantities.get(index) else { return &[] };
        cell.get_or_init(|| {
            let span = self.prose.paragraphs[index];
            let mut found = extract::extract(span.slice(&self.prose.masked));
            for q in &mut found {
                q.span = Span::new(q.span.start + span.start, q.span.end + span.start);
                q.number_span = Span::new(q.number_span.start + span.start, q.number_span.end + span.start);
            }
            found
        })
    }
}

/// A sentence in the index.
#[derive(Debug, Clone, Copy)]
pub struct SentenceRef {
    pub doc: u32,
    /// Index into the document's `prose.sentences`.
    pub sentence: u32,
    pub paragraph: u32,
    /// Content words in the sentence (BM25 length).
    pub length: u32,
}

/// BM25 over sentences.
#[derive(Debug, Default)]
pub struct Index {
    terms: HashMap<String, u32>,
    /// Postings per term: (sentence id, term frequency).
    postings: Vec<Vec<(u32, u16)>>,
    pub sentences: Vec<SentenceRef>,
    average_length: f32,
}

const K1: f32 = 1.2;
const B: f32 = 0.75;

impl Index {
    pub fn sentence_count(&self) -> usize {
        self.sentences.len()
    }

    /// Inverse document frequency of a term over sentences (BM25's, always positive).
    pub fn idf(&self, term: &str) -> f32 {
        let n = self.sentences.len().max(1) as f32;
        let df = self.terms.get(term).map_or(0, |&id| self.postings[id as usize].len()) as f32;
        (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
    }

    /// The highest IDF a term can have here (a term the corpus never uses).
    pub fn max_idf(&self) -> f32 {
        self.idf("\u{0}")
    }

    /// The best `limit` sentences for these query terms, by BM25, best first (ties by id).
    pub fn search(&self, query: &[String], limit: usize) -> Vec<(u32, f32)> {
        let mut scores: HashMap<u32, f32> = HashMap::new();
        let mut seen = Vec::new();
        for term in query {
            if seen.contains(&term) {
                continue;
            }
            seen.push(term);
            let Some(&id) = self.terms.get(term) else { continue };
            let idf = self.idf(term);
            for &(sentence, tf) in &self.postings[id as usize] {
                let len = self.sentences[sentence as usize].length as f32;
                let tf = tf as f32;
                let norm = tf * (K1 + 1.0) / (tf + K1 * (1.0 - B + B * len / self.average_length.max(1.0)));
                *scores.entry(sentence).or_insert(0.0) += idf * norm;
            }
        }
        let mut ranked: Vec<(u32, f32)> = scores.into_iter().collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        ranked.truncate(limit);
        ranked
    }
}

/// A loaded, indexed corpus.
#[derive(Debug)]
pub struct Corpus {
    pub documents: Vec<Document>,
    pub index: Index,
    /// Files skipped (unsupported type, binary) and files loaded with a caveat (lossy decoding).
    pub notes: Vec<CorpusNote>,
    /// Files skipped because they are not a supported type.
    pub skipped: usize,
    /// Bytes of text indexed.
    pub bytes: usize,
}

/// The built-in seeds, for running from any directory.
pub const BUILTIN_SEEDS: &[(&str, &str)] = &[
    ("seeds/000_7fed2c55703098c4.txt", include_str!("../seeds/000_7fed2c55703098c4.txt")),
    ("seeds/002_db7a498f618b8102.txt", include_str!("../seeds/002_db7a498f618b8102.txt")),
];

/// Progress while loading: (files done, files total).
pub type Progress<'a> = &'a (dyn Fn(usize, usize) + Sync);

impl Corpus {
    /// A corpus of documents already in memory.
    pub fn from_documents(documents: Vec<Document>, notes: Vec<CorpusNote>, skipped: usize) -> Corpus {
        let index = build_index(&documents);
        let bytes = documents.iter().map(|d| d.text.len()).sum();
        Corpus { documents, index, notes, skipped, bytes }
    }

    /// The built-in seed articles.
    pub fn builtin() -> Corpus {
        let documents = BUILTIN_SEEDS
            .iter()
            .map(|(path, text)| Document::new(path.to_string(), None, text.to_string(), Format::PlainText))
            .collect();
        Corpus::from_documents(documents, Vec::new(), 0)
    }

    /// Loads every supported file under `paths` (files or directories, walked with ignore rules).
    pub fn load(paths: &[PathBuf], progress: Option<Progress>) -> Result<Corpus, CorpusError> {
        let mut files = Vec::new();
        let mut skipped = 0;
        let mut notes = Vec::new();
        for root in paths {
            if !root.exists() {
                return Err(CorpusError::Missing { path: root.display().to_string() });
            }
            if root.is_file() {
                if Format::from_path(&root.to_string_lossy()).is_some() {
                    files.push(root.clone());
                } else {
                    skipped += 1;
                }
                continue;
            }
            let walker = ignore::WalkBuilder::new(root).follow_links(false).build();
            for entry in walker {
                let entry = entry.map_err(|e| CorpusError::Walk { path: root.display().to_string(), message: e.to_string() })?;
                if !entry.file_type().is_some_and(|t| t.is_file()) {
                    continue;
                }
                let path = entry.into_path();
                if Format::from_path(&path.to_string_lossy()).is_some() {
                    files.push(path);
                } else {
                    skipped += 1;
                }
            }
        }
        files.sort();
        files.dedup();
        let total = files.len();
        let done = std::sync::atomic::AtomicUsize::new(0);
        let loaded: Vec<Result<(Option<Document>, Option<CorpusNote>), CorpusError>> = files
            .par_iter()
            .map(|path| {
                let result = load_file(path);
                let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
                if let Some(progress) = progress {
                    if n % 64 == 0 || n == total {
                        progress(n, total);
                    }
                }
                result
            })
            .collect();
        let mut documents = Vec::new();
        for result in loaded {
            let (doc, note) = result?;
            if let Some(note) = note {
                notes.push(note);
            }
            if let Some(doc) = doc {
                documents.push(doc);
            }
        }
        if documents.is_empty() {
            let paths = paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ");
            return Err(CorpusError::Empty { paths });
        }
        Ok(Corpus::from_documents(documents, notes, skipped))
    }

    pub fn document(&self, id: u32) -> &Document {
        &self.documents[id as usize]
    }

    /// The document whose `url` is `url` (trailing slashes and scheme ignored).
    pub fn document_by_url(&self, url: &str) -> Option<u32> {
        let wanted = normalise_url(url);
        self.documents
            .iter()
            .position(|d| d.url.as_deref().is_some_and(|u| normalise_url(u) == wanted))
            .map(|i| i as u32)
    }
}

fn normalise_url(url: &str) -> String {
    let trimmed = url.trim().trim_end_matches('/');
    let without_scheme = trimmed.split_once("://").map_or(trimmed, |(_, rest)| rest);
    without_scheme.trim_start_matches("www.").to_ascii_lowercase()
}

/// Reads one corpus file. Binary files are skipped with a note; invalid UTF-8 is decoded
/// lossily with a note.
fn load_file(path: &Path) -> Result<(Option<Document>, Option<CorpusNote>), CorpusError> {
    let display = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|source| CorpusError::Io { path: display.clone(), source })?;
    let format = Format::from_path(&display).unwrap_or(Format::PlainText);
    let (text, note) = decode(&display, bytes);
    let Some(text) = text else {
        return Ok((None, note));
    };
    Ok((Some(Document::new(display, Some(path.to_path_buf()), text, format)), note))
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

fn build_index(documents: &[Document]) -> Index {
    // Tokenise in parallel; intern terms serially.
    let per_doc: Vec<Vec<(u32, u32, Vec<String>)>> = documents
        .par_iter()
        .map(|doc| {
            doc.prose
                .sentences
                .iter()
                .enumerate()
                .map(|(i, s)| {
                    let terms = words::tokens(&doc.prose.masked, s.span).into_iter().map(|t| t.term).collect();
                    (i as u32, s.paragraph as u32, terms)
                })
                .collect()
        })
        .collect();
    let mut index = Index::default();
    let mut total_length: u64 = 0;
    let mut counts: HashMap<u32, u16> = HashMap::new();
    for (doc_id, sentences) in per_doc.into_iter().enumerate() {
        for (sentence, paragraph, terms) in sentences {
            let id = index.sentences.len() as u32;
            counts.clear();
            for term in &terms {
                let next = index.terms.len() as u32;
                let term_id = *index.terms.entry(term.clone()).or_insert(next);
                if term_id == next {
                    index.postings.push(Vec::new());
                }
                let c = counts.entry(term_id).or_insert(0);
                *c = c.saturating_add(1);
            }
            let mut sorted: Vec<(u32, u16)> = counts.iter().map(|(k, v)| (*k, *v)).collect();
            sorted.sort_unstable();
            for (term_id, tf) in sorted {
                index.postings[term_id as usize].push((id, tf));
            }
            total_length += terms.len() as u64;
            index.sentences.push(SentenceRef { doc: doc_id as u32, sentence, paragraph, length: terms.len() as u32 });
        }
    }
    index.average_length = if index.sentences.is_empty() { 0.0 } else { total_length as f32 / index.sentences.len() as f32 };
    index
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_seeds_load_and_retrieve() {
        let corpus = Corpus::builtin();
        assert_eq!(corpus.documents.len(), 2);
        assert!(corpus.index.sentence_count() > 50);
        let query: Vec<String> = ["agriculture", "hub", "tonne", "produce"].iter().map(|s| s.to_string()).collect();
        let hits = corpus.index.search(&query, 3);
        let top = corpus.index.sentences[hits[0].0 as usize];
        let doc = corpus.document(top.doc);
        let text = doc.prose.sentences[top.sentence as usize].span.slice(&doc.text);
        assert!(text.contains("10,000 tonnes"), "{text}");
    }

    #[test]
    fn decode_handles_binary_utf16_and_invalid_utf8() {
        assert!(decode("a", vec![0, 1, 2]).0.is_none());
        let utf16: Vec<u8> = [0xFF, 0xFE].into_iter().chain("hi".encode_utf16().flat_map(|u| u.to_le_bytes())).collect();
        assert_eq!(decode("b", utf16).0.as_deref(), Some("hi"));
        let (text, note) = decode("c", b"ok\n\xffbad".to_vec());
        assert!(text.unwrap().contains('\u{fffd}'));
        assert!(note.unwrap().message.contains("line 2"));
    }

    #[test]
    fn missing_and_empty_corpora_are_errors() {
        let err = Corpus::load(&[PathBuf::from("/no/such/dir")], None).unwrap_err();
        assert!(err.to_string().contains("/no/such/dir"));
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("image.png"), b"\x89PNG").unwrap();
        let err = Corpus::load(&[dir.path().to_path_buf()], None).unwrap_err();
        assert!(matches!(err, CorpusError::Empty { .. }));
    }
}
