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
    #[error("{path}: more than {limit} corpus files; point --corpus at the articles, or raise max-files in copydesk.toml")]
    TooManyFiles { path: String, limit: usize },
}

/// Safety limits on what a corpus load reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Files larger than this are skipped with a note.
    pub max_file_bytes: u64,
    /// Past this many files the load stops with an error rather than index a whole disk.
    pub max_files: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_file_bytes: 20_000_000, max_files: 200_000 }
    }
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
    /// Words and quotations of each paragraph, read on first use by the quotation check.
    paragraph_quotes: Vec<OnceLock<std::sync::Arc<crate::quotes::ParagraphQuotes>>>,
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
        let lines = LineIndex::new(&text);
        let paragraph_quantities = (0..prose.paragraphs.len()).map(|_| OnceLock::new()).collect();
        let paragraph_quotes = (0..prose.paragraphs.len()).map(|_| OnceLock::new()).collect();
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
            paragraph_quotes,
        }
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
    pub fn paragraph_quotes(&self, index: usize) -> std::sync::Arc<crate::quotes::ParagraphQuotes> {
        self.paragraph_quotes[index]
            .get_or_init(|| std::sync::Arc::new(crate::quotes::ParagraphQuotes::read(self, index)))
            .clone()
    }

    /// The quantities of paragraph `index`, with spans into the document.
    pub fn paragraph_quantities(&self, index: usize) -> &[Quantity] {
        let Some(cell) = self.paragraph_quantities.get(index) else { return &[] };
        cell.get_or_init(|| {
            let span = self.prose.paragraphs[index];
            let mut found = extract::extract(span.slice(self.prose_text()));
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
    /// Term hash ([`words::term_hash`]) to term id.
    terms: HashMap<u64, u32, BuildIdentity>,
    /// Postings per term: sentence id and term frequency, packed (see [`pack`]).
    postings: Vec<Vec<u32>>,
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
        self.idf_of_df(self.document_frequency(term))
    }

    fn document_frequency(&self, term: &str) -> usize {
        self.terms.get(&words::term_hash(term)).map_or(0, |&id| self.postings[id as usize].len())
    }

    fn idf_of_df(&self, df: usize) -> f32 {
        let n = self.sentences.len().max(1) as f32;
        let df = df as f32;
        (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
    }

    /// The highest IDF a term can have here (a term the corpus never uses).
    pub fn max_idf(&self) -> f32 {
        self.idf("\u{0}")
    }

    /// The best `limit` sentences for these query terms, by BM25, best first (ties by id).
    ///
    /// On a large corpus, terms found in more than one sentence in two hundred are skipped when
    /// the query has enough rarer terms: they barely move the ranking and their postings would
    /// dominate the time of a query.
    pub fn search(&self, query: &[String], limit: usize) -> Vec<(u32, f32)> {
        self.search_with(&mut SearchScratch::default(), query, limit)
    }

    /// [`Index::search`] reusing score buffers across the queries of one check.
    pub fn search_with(&self, scratch: &mut SearchScratch, query: &[String], limit: usize) -> Vec<(u32, f32)> {
        let mut terms: Vec<(u32, usize)> = Vec::new();
        for term in query {
            if let Some(&id) = self.terms.get(&words::term_hash(term)) {
                if !terms.iter().any(|(t, _)| *t == id) {
                    terms.push((id, self.postings[id as usize].len()));
                }
            }
        }
        terms.sort_by_key(|&(id, df)| (df, id));
        let common = (self.sentences.len() / 200).max(1000);
        let rare = terms.iter().filter(|(_, df)| *df <= common).count();
        if rare >= 3 {
            terms.retain(|(_, df)| *df <= common);
        }
        if scratch.scores.len() != self.sentences.len() {
            scratch.scores = vec![0.0; self.sentences.len()];
            scratch.touched.clear();
        }
        let average = self.average_length.max(1.0);
        for (id, df) in terms {
            let idf = self.idf_of_df(df);
            for &packed in &self.postings[id as usize] {
                let (sentence, tf) = unpack(packed);
                let len = self.sentences[sentence as usize].length as f32;
                let tf = tf as f32;
                let norm = tf * (K1 + 1.0) / (tf + K1 * (1.0 - B + B * len / average));
                let slot = &mut scratch.scores[sentence as usize];
                if *slot == 0.0 {
                    scratch.touched.push(sentence);
                }
                *slot += idf * norm;
            }
        }
        // Keep the best `limit` while walking the touched sentences: most fall below the
        // current worst and cost one comparison.
        let by_score = |a: &(u32, f32), b: &(u32, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
        let mut ranked: Vec<(u32, f32)> = Vec::with_capacity(limit + 1);
        for &sentence in &scratch.touched {
            let entry = (sentence, scratch.scores[sentence as usize]);
            scratch.scores[sentence as usize] = 0.0;
            if ranked.len() == limit && limit > 0 {
                let worst = ranked[limit - 1];
                if by_score(&entry, &worst) != std::cmp::Ordering::Less {
                    continue;
                }
                ranked.pop();
            } else if limit == 0 {
                continue;
            }
            let at = ranked.partition_point(|e| by_score(e, &entry) == std::cmp::Ordering::Less);
            ranked.insert(at, entry);
        }
        scratch.touched.clear();
        ranked.sort_by(by_score);
        ranked
    }
}

/// Score buffers for [`Index::search_with`].
#[derive(Debug, Default)]
pub struct SearchScratch {
    scores: Vec<f32>,
    touched: Vec<u32>,
}

/// Postings pack a sentence id (low 25 bits) and a term frequency (high 7 bits) in a u32.
const ID_BITS: u32 = 25;
pub const MAX_SENTENCES: usize = 1 << ID_BITS;

fn pack(sentence: u32, tf: u16) -> u32 {
    sentence | ((tf.min(127) as u32) << ID_BITS)
}

fn unpack(packed: u32) -> (u32, u32) {
    (packed & ((1 << ID_BITS) - 1), packed >> ID_BITS)
}

/// Hashing for keys that are already well-mixed integers (term hashes, sentence ids).
#[derive(Debug, Default, Clone, Copy)]
pub struct BuildIdentity;

#[derive(Debug, Default)]
pub struct IdentityHasher(u64);

impl std::hash::BuildHasher for BuildIdentity {
    type Hasher = IdentityHasher;
    fn build_hasher(&self) -> IdentityHasher {
        IdentityHasher(0)
    }
}

impl std::hash::Hasher for IdentityHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ b as u64).wrapping_mul(0x100000001b3);
        }
    }
    fn write_u32(&mut self, n: u32) {
        // Spread sentence ids over the table's high bits too.
        self.0 = (n as u64).wrapping_mul(0x9E3779B97F4A7C15);
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
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

    /// Loads every supported file under `paths` (files or directories, walked with ignore rules)
    /// with the default limits.
    pub fn load(paths: &[PathBuf], progress: Option<Progress>) -> Result<Corpus, CorpusError> {
        Corpus::load_with(paths, &Limits::default(), progress)
    }

    /// Loads a corpus within `limits`. Files that cannot be used (too large, binary, vanished,
    /// unreadable, behind a symlink that leaves the roots) are skipped with a note; only a
    /// missing root, too many files or an empty result stop the load.
    pub fn load_with(paths: &[PathBuf], limits: &Limits, progress: Option<Progress>) -> Result<Corpus, CorpusError> {
        let mut files = Vec::new();
        let mut skipped = 0;
        let mut notes = Vec::new();
        let note = |path: &Path, message: String| CorpusNote { path: path.display().to_string(), message };
        let roots: Vec<PathBuf> = paths.iter().filter_map(|p| std::fs::canonicalize(p).ok()).collect();
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
            let walker = ignore::WalkBuilder::new(root).follow_links(true).build();
            for entry in walker {
                let entry = match entry {
                    Ok(entry) => entry,
                    Err(err) => {
                        // Loops, unreadable folders, entries that vanished: note and go on.
                        notes.push(note(root, format!("skipped: {err}")));
                        continue;
                    }
                };
                if !entry.file_type().is_some_and(|t| t.is_file()) {
                    continue;
                }
                let path = entry.into_path();
                if Format::from_path(&path.to_string_lossy()).is_none() {
                    skipped += 1;
                    continue;
                }
                if std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) || path.ancestors().any(|a| a.is_symlink()) {
                    let inside = std::fs::canonicalize(&path).is_ok_and(|real| roots.iter().any(|r| real.starts_with(r)));
                    if !inside {
                        notes.push(note(&path, "skipped: a symbolic link that leads outside the corpus".into()));
                        continue;
                    }
                }
                files.push(path);
                if files.len() > limits.max_files {
                    return Err(CorpusError::TooManyFiles { path: root.display().to_string(), limit: limits.max_files });
                }
            }
        }
        files.sort();
        files.dedup();
        files.retain(|path| match std::fs::metadata(path) {
            Ok(meta) if meta.len() > limits.max_file_bytes => {
                notes.push(note(path, format!("skipped: {} MB is over the {} MB file size limit", megabytes(meta.len()), megabytes(limits.max_file_bytes))));
                false
            }
            Ok(meta) if !meta.is_file() => {
                notes.push(note(path, "skipped: not a regular file".into()));
                false
            }
            Ok(_) => true,
            Err(err) => {
                notes.push(note(path, format!("skipped: {err}")));
                false
            }
        });
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
            match result {
                Ok((doc, note)) => {
                    notes.extend(note);
                    documents.extend(doc);
                }
                Err(err) => return Err(err),
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

/// At most `max` characters, cut at a word boundary with an ellipsis.
fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    let at_word = cut.rfind(' ').filter(|&i| i > max / 2).map_or(cut.as_str(), |i| &cut[..i]);
    format!("{}…", at_word.trim_end_matches([',', ';', ':']))
}

/// A size in MB for messages: whole MB when large, else up to three decimals (a limit set
/// below 1 MB must not read as "0 MB").
fn megabytes(bytes: u64) -> String {
    let mb = bytes as f64 / 1_000_000.0;
    if mb >= 10.0 {
        format!("{}", mb.floor())
    } else {
        format!("{}", (mb * 1000.0).round() / 1000.0)
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
    // A file that vanished or became unreadable after listing is skipped, not fatal.
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(err) => return Ok((None, Some(CorpusNote { path: display, message: format!("skipped: {err}") }))),
    };
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

/// Per sentence: its paragraph and its (term hash, frequency) pairs.
type SentenceTerms = (u32, u32, Vec<(u64, u16)>);

fn sentence_terms(doc: &Document) -> Vec<SentenceTerms> {
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

fn build_index(documents: &[Document]) -> Index {
    let mut index = Index::default();
    let mut total_length: u64 = 0;
    // Tokenise a chunk of documents in parallel, then intern its terms serially: memory stays
    // bounded by the chunk, not the corpus.
    for (chunk_index, chunk) in documents.chunks(256).enumerate() {
        let per_doc: Vec<Vec<SentenceTerms>> = chunk.par_iter().map(sentence_terms).collect();
        for (offset, sentences) in per_doc.into_iter().enumerate() {
            let doc_id = (chunk_index * 256 + offset) as u32;
            for (sentence, (paragraph, length, counts)) in sentences.into_iter().enumerate() {
                if index.sentences.len() >= MAX_SENTENCES {
                    break;
                }
                let id = index.sentences.len() as u32;
                for (hash, tf) in counts {
                    let next = index.postings.len() as u32;
                    let term_id = *index.terms.entry(hash).or_insert(next);
                    if term_id == next {
                        index.postings.push(Vec::new());
                    }
                    index.postings[term_id as usize].push(pack(id, tf));
                }
                total_length += length as u64;
                index.sentences.push(SentenceRef { doc: doc_id, sentence: sentence as u32, paragraph, length });
            }
        }
    }
    for postings in &mut index.postings {
        postings.shrink_to_fit();
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
