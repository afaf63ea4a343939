//! The source corpus: loading documents, cutting them into passages, and retrieving the
//! passages a draft sentence most likely reports.
//!
//! A corpus is a list of [`Document`]s (each with its metadata, text, masked prose and
//! sentences) and a BM25 index over the content words of every sentence. Figures are not
//! indexed: retrieval finds the passage by what it talks about, and alignment then compares
//! the figures. Quantities of a source paragraph are extracted the first time a check looks
//! at it and cached, so loading stays fast on large archives.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

mod bm25;
pub mod catalog;
mod document;
pub mod folder;
pub mod index;
pub mod mapped;
pub mod postgres;
pub mod quotes;
mod recent;
pub mod retrieval;
pub mod segment;
pub mod store;
pub mod walk;

pub(crate) use store::BUILD;

pub use index::{Bytes, Index, SearchScratch, Segment, SentenceRef};
pub use segment::{Fingerprint, SegmentError};
pub use walk::{check_roots, list_files};
pub use retrieval::Retrieval;
pub use document::{decode, Document, DocumentInfo};
pub(crate) use document::{read_file, read_indexed, sentence_terms, ReadFile};
use segment::{SegmentBuilder, SentenceTerms};

use rayon::prelude::*;

use crate::prose::Format;

/// Why a corpus could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum CorpusError {
    #[error("{path}: no such file or directory")]
    Missing { path: String },
    #[error("{path}: {source}")]
    Io { path: String, source: std::io::Error },
    #[error("{path}: {message}")]
    Walk { path: String, message: String },
    #[error("{path}: copydesk does not use {what} as a corpus; name the folder that holds the source articles")]
    RefusedRoot { path: String, what: &'static str },
    #[error("the corpus is empty: {}", empty_message(paths, skipped))]
    Empty { paths: String, skipped: Vec<String> },
    #[error("{path}: the index could not be used: {message}")]
    Index { path: String, message: String },
    #[error("{url}: {message}")]
    Store { url: String, message: String },
    #[error("{path}: more than {limit} corpus files; point --corpus at the articles, or raise max-files in copydesk.toml")]
    TooManyFiles { path: String, limit: usize },
    #[error("{path}: more than {limit} files and folders walked (the limit is {per} per file max-files allows); point --corpus at the articles, or raise max-files in copydesk.toml", per = walk::ENTRIES_PER_FILE)]
    TooManyEntries { path: String, limit: usize },
}

/// Skipped files named in the message of an empty corpus; past this, a count.
const NAMED_SKIPPED: usize = 5;

fn empty_message(paths: &str, skipped: &[String]) -> String {
    if skipped.is_empty() {
        return format!("no .txt, .md, .markdown, .html or .htm files under {paths}");
    }
    let mut message = format!(
        "{} file{} under {paths} could not be used: {}",
        skipped.len(),
        if skipped.len() == 1 { "" } else { "s" },
        skipped.iter().take(NAMED_SKIPPED).cloned().collect::<Vec<_>>().join("; ")
    );
    if skipped.len() > NAMED_SKIPPED {
        message.push_str(&format!("; and {} more", skipped.len() - NAMED_SKIPPED));
    }
    message
}

impl CorpusError {
    /// An empty corpus, naming the files that were skipped (from `notes`).
    fn empty(paths: &[String], notes: &[CorpusNote]) -> CorpusError {
        let skipped = notes.iter().filter(|n| n.is_skip()).map(|n| format!("{}: {}", n.path, n.message)).collect();
        CorpusError::Empty { paths: paths.join(", "), skipped }
    }
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

impl CorpusNote {
    /// Whether the note is about a file left out of the corpus (rather than one read with a caveat).
    pub fn is_skip(&self) -> bool {
        self.message.contains("skipped")
    }
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

/// Documents read from disk on demand and kept while they are in use: a check reads the few
/// documents its passages come from, so a large archive is never held in memory whole.
#[derive(Debug)]
struct DocumentCache {
    /// Documents held for the corpus's lifetime (a corpus loaded into memory).
    pinned: Vec<Option<Arc<Document>>>,
    /// Documents read on demand.
    recent: Mutex<recent::Recent<u32, Arc<Document>>>,
}

impl Default for DocumentCache {
    fn default() -> Self {
        DocumentCache { pinned: Vec::new(), recent: Mutex::new(recent::Recent::new(CACHED_DOCUMENTS)) }
    }
}

/// How many on-demand documents stay cached; past this the least recently used is dropped.
const CACHED_DOCUMENTS: usize = 1024;

/// A loaded, indexed corpus.
#[derive(Debug)]
pub struct Corpus {
    /// Every document the index lists, by id (see [`DocumentInfo::live`]).
    pub documents: Vec<DocumentInfo>,
    pub index: Index,
    /// Files skipped (unsupported type, binary) and files loaded with a caveat (lossy decoding).
    pub notes: Vec<CorpusNote>,
    /// Files skipped because they are not a supported type.
    pub skipped: usize,
    /// Bytes of text indexed.
    pub bytes: usize,
    cache: DocumentCache,
    /// [`Corpus::documents_by_link`] answers by link: resolving a link by its slug reads every
    /// title, and an editor asks again at each keystroke. The corpus never changes once built
    /// (a refresh builds another), so an answer holds for the corpus's life.
    link_memo: std::sync::Mutex<HashMap<String, Vec<u32>>>,
    /// Publishers', sites' and authors' names to their documents, built when a draft first
    /// cites a name ([`Corpus::documents_named`]).
    catalog: OnceLock<catalog::Catalog>,
    /// Whether any document has a date ([`Corpus::has_dates`]), found when first asked.
    dated: OnceLock<bool>,
    /// Unique to this corpus in the process: what a cache of its sentences is keyed by.
    generation: u64,
    /// The shared store answering retrieval instead of `index` (which is then empty).
    remote: Option<Arc<dyn Retrieval>>,
}

/// A number no other corpus of this process has had (never 0).
fn next_generation() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// Links whose documents [`Corpus::documents_by_link`] remembers before starting afresh.
const LINK_MEMO_LIMIT: usize = 4096;

/// The built-in seeds, for running from any directory.
pub const BUILTIN_SEEDS: &[(&str, &str)] = &[
    ("seeds/000_7fed2c55703098c4.txt", include_str!("../../seeds/000_7fed2c55703098c4.txt")),
    ("seeds/002_db7a498f618b8102.txt", include_str!("../../seeds/002_db7a498f618b8102.txt")),
];

/// Progress while loading: (files done, files total).
pub type Progress<'a> = &'a (dyn Fn(usize, usize) + Sync);

/// The corpus files under some roots, found by [`list_files`].
#[derive(Debug, Default)]
pub struct Listing {
    /// Supported files with their size and modification time, sorted by path.
    pub files: Vec<ListedFile>,
    pub notes: Vec<CorpusNote>,
    /// Files of unsupported types.
    pub skipped: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedFile {
    pub path: PathBuf,
    pub size: u64,
    pub mtime_ns: u64,
}

pub(crate) fn mtime_ns(meta: &std::fs::Metadata) -> u64 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos().min(u64::MAX as u128) as u64)
}

/// What [`index_files`] produced.
pub(crate) struct Indexed {
    pub builder: SegmentBuilder,
    pub infos: Vec<DocumentInfo>,
    /// The documents themselves, when asked to keep them.
    pub documents: Vec<Arc<Document>>,
    /// Files read but left out (binary), with their size, time and note.
    pub unusable: Vec<(ListedFile, CorpusNote)>,
    /// Notes on files indexed with a caveat.
    pub notes: Vec<CorpusNote>,
    pub bytes: usize,
}

/// Reads and indexes `files` into one segment, a chunk at a time: each chunk is read and cut
/// into sentences in parallel, then its terms are interned in order, so memory holds the
/// postings and one chunk of documents, not the corpus.
pub(crate) fn index_files(files: &[ListedFile], keep: bool, progress: Option<Progress>, read: &(dyn Fn(&ListedFile) -> ReadFile + Sync)) -> Indexed {
    let mut out = Indexed {
        builder: SegmentBuilder::new(),
        infos: Vec::new(),
        documents: Vec::new(),
        unusable: Vec::new(),
        notes: Vec::new(),
        bytes: 0,
    };
    let total = files.len();
    let mut done = 0;
    let parse = |chunk: &[ListedFile]| -> Vec<(ReadFile, Vec<SentenceTerms>)> {
        chunk
            .par_iter()
            .map(|file| {
                let read = read(file);
                let terms = read.document.as_ref().map(|(doc, _, _)| sentence_terms(doc)).unwrap_or_default();
                (read, terms)
            })
            .collect()
    };
    let mut intern = |out: &mut Indexed, chunk: &[ListedFile], parsed: Vec<(ReadFile, Vec<SentenceTerms>)>| {
        for (file, (read, terms)) in chunk.iter().zip(parsed) {
            match read.document {
                Some((doc, format, fingerprint)) => {
                    out.notes.extend(read.note);
                    let info = DocumentInfo::of(&doc, format, fingerprint);
                    out.bytes += doc.text.len();
                    out.builder.add(info.meta(), terms);
                    out.infos.push(info);
                    if keep {
                        out.documents.push(Arc::new(doc));
                    }
                }
                None => {
                    if let Some(note) = read.note {
                        out.unusable.push((file.clone(), note));
                    }
                }
            }
        }
        done += chunk.len();
        if let Some(progress) = progress {
            progress(done, total);
        }
    };
    // Interning a chunk's terms is serial: it runs while the next chunk is read and cut into
    // sentences, so both cores stay busy.
    let mut pending: Option<(&[ListedFile], Vec<(ReadFile, Vec<SentenceTerms>)>)> = None;
    for chunk in files.chunks(256) {
        let previous = pending.take();
        let (_, parsed) = rayon::join(
            || {
                if let Some((done_chunk, parsed)) = previous {
                    intern(&mut out, done_chunk, parsed);
                }
            },
            || parse(chunk),
        );
        pending = Some((chunk, parsed));
    }
    if let Some((chunk, parsed)) = pending {
        intern(&mut out, chunk, parsed);
    }
    out
}

impl Corpus {
    /// Whether any document of the corpus has a date: only then can a relative time of a
    /// source ("last year") be resolved, and a draft's relative times are worth reading.
    pub fn has_dates(&self) -> bool {
        *self.dated.get_or_init(|| self.documents.iter().any(|d| d.live && d.date.is_some()))
    }

    /// A corpus of documents already in memory.
    pub fn from_documents(documents: Vec<Document>, notes: Vec<CorpusNote>, skipped: usize) -> Corpus {
        let mut builder = SegmentBuilder::new();
        let mut infos = Vec::with_capacity(documents.len());
        for doc in &documents {
            let info = DocumentInfo::of(doc, doc.format, Fingerprint::of_bytes(doc.text.as_bytes(), 0));
            builder.add(info.meta(), sentence_terms(doc));
            infos.push(info);
        }
        let documents = documents.into_iter().map(Arc::new).collect();
        Corpus::in_memory(builder, infos, documents, notes, skipped)
    }

    fn in_memory(builder: SegmentBuilder, infos: Vec<DocumentInfo>, documents: Vec<Arc<Document>>, notes: Vec<CorpusNote>, skipped: usize) -> Corpus {
        let segment = Segment::open(Bytes::Owned(builder.into_bytes()), false).expect("a segment just written reads back");
        let bytes = documents.iter().map(|d| d.text.len()).sum();
        let cache = DocumentCache { pinned: documents.into_iter().map(Some).collect(), ..Default::default() };
        Corpus { documents: infos, index: Index::new(vec![segment], &[]), notes, skipped, bytes, cache, link_memo: Default::default(), catalog: OnceLock::new(), dated: OnceLock::new(), generation: next_generation(), remote: None }
    }

    /// A corpus read from index segments (see [`store`]); documents are read from disk when a
    /// check first needs them.
    pub(crate) fn from_segments(segments: Vec<Segment>, mut documents: Vec<DocumentInfo>, removed: &[u32], notes: Vec<CorpusNote>, skipped: usize) -> Corpus {
        for &id in removed {
            if let Some(info) = documents.get_mut(id as usize) {
                info.live = false;
            }
        }
        let bytes = documents.iter().filter(|d| d.live).map(|d| d.fingerprint.size as usize).sum();
        let index = Index::new(segments, removed);
        Corpus { documents, index, notes, skipped, bytes, cache: DocumentCache::default(), link_memo: Default::default(), catalog: OnceLock::new(), dated: OnceLock::new(), generation: next_generation(), remote: None }
    }

    /// The documents listed in `segments`, in id order.
    pub(crate) fn segment_documents(segments: &[Segment]) -> Result<Vec<DocumentInfo>, SegmentError> {
        let mut documents = Vec::new();
        for segment in segments {
            let view = segment.view();
            for doc in 0..view.documents {
                documents.push(DocumentInfo::from_meta(view.document(doc)?));
            }
        }
        Ok(documents)
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
    /// into memory with the default limits.
    pub fn load(paths: &[PathBuf], progress: Option<Progress>) -> Result<Corpus, CorpusError> {
        Corpus::load_with(paths, &Limits::default(), progress)
    }

    /// Loads a corpus into memory within `limits`. Files that cannot be used (too large, binary,
    /// vanished, unreadable, behind a symlink that leaves the roots) are skipped with a note;
    /// only a missing root, too many files or an empty result stop the load.
    pub fn load_with(paths: &[PathBuf], limits: &Limits, progress: Option<Progress>) -> Result<Corpus, CorpusError> {
        let listing = list_files(paths, limits)?;
        let indexed = index_files(&listing.files, true, progress, &|file| read_file(&file.path));
        let mut notes = listing.notes;
        notes.extend(indexed.notes);
        notes.extend(indexed.unusable.into_iter().map(|(_, note)| note));
        if indexed.infos.is_empty() {
            let paths: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
            return Err(CorpusError::empty(&paths, &notes));
        }
        Ok(Corpus::in_memory(indexed.builder, indexed.infos, indexed.documents, notes, listing.skipped))
    }

    /// A corpus whose retrieval and documents a shared store answers ([`postgres`]): `documents`
    /// describes them all, `sentences` and `bytes` are their totals.
    pub(crate) fn from_store(documents: Vec<DocumentInfo>, store: Arc<dyn Retrieval>, bytes: usize) -> Corpus {
        Corpus {
            documents,
            index: Index::default(),
            notes: Vec::new(),
            skipped: 0,
            bytes,
            cache: DocumentCache::default(),
            link_memo: Default::default(),
            catalog: OnceLock::new(),
            dated: OnceLock::new(),
            generation: next_generation(),
            remote: Some(store),
        }
    }

    /// What answers retrieval: the shared store, else the embedded index.
    pub fn retrieval(&self) -> &dyn Retrieval {
        match &self.remote {
            Some(store) => store.as_ref(),
            None => &self.index,
        }
    }

    /// Whether a shared store answers this corpus (rather than the embedded index).
    pub fn is_shared(&self) -> bool {
        self.remote.is_some()
    }

    /// The best `limit` sentences for `query` by BM25, best first (ties by id).
    pub fn search(&self, scratch: &mut SearchScratch, query: &[String], limit: usize) -> Vec<(u32, f32)> {
        self.retrieval().search(scratch, query, limit, None)
    }

    /// [`Corpus::search`] among the sentences of `documents`.
    pub fn search_within(&self, scratch: &mut SearchScratch, query: &[String], limit: usize, documents: &[u32]) -> Vec<(u32, f32)> {
        self.retrieval().search(scratch, query, limit, Some(documents))
    }

    /// A sentence by global id.
    pub fn sentence(&self, id: u32) -> Option<SentenceRef> {
        self.retrieval().sentence(id)
    }

    /// A term's IDF over the corpus's sentences.
    pub fn idf(&self, term: &str) -> f32 {
        self.retrieval().idf(term)
    }

    /// Why the store could not answer since this was last asked (see
    /// [`Retrieval::take_unavailable`]); never for the embedded index.
    pub fn take_unavailable(&self) -> Option<String> {
        self.remote.as_ref().and_then(|store| store.take_unavailable())
    }

    /// Documents still in the corpus, with their ids.
    pub fn live_documents(&self) -> impl Iterator<Item = (u32, &DocumentInfo)> {
        self.documents.iter().enumerate().filter(|(_, d)| d.live).map(|(i, d)| (i as u32, d))
    }

    /// Documents still in the corpus.
    pub fn live_count(&self) -> usize {
        self.documents.iter().filter(|d| d.live).count()
    }

    /// A document, read on first use. `None` for an unknown or removed id, or a file that
    /// changed or vanished since it was indexed (until the index is refreshed).
    pub fn document(&self, id: u32) -> Option<Arc<Document>> {
        let info = self.documents.get(id as usize).filter(|d| d.live)?;
        if let Some(store) = &self.remote {
            // The store keeps the documents it read: it needs them for sentence lookups too.
            return store.read_document(id, info);
        }
        if let Some(Some(doc)) = self.cache.pinned.get(id as usize) {
            return Some(doc.clone());
        }
        if let Some(doc) = self.cache.recent.lock().ok()?.get(&id) {
            return Some(doc);
        }
        let doc = self.index.read_document(id, info)?;
        self.cache.recent.lock().ok()?.insert(id, doc.clone(), 1);
        Some(doc)
    }

    /// The document whose `url` is `url` (trailing slashes and scheme ignored).
    pub fn document_by_url(&self, url: &str) -> Option<u32> {
        let wanted = normalise_url(url);
        self.live_documents().find(|(_, d)| d.url.as_deref().is_some_and(|u| normalise_url(u) == wanted)).map(|(i, _)| i)
    }

    /// The documents a link names: the one whose `url` it is, else those of the link's site
    /// whose title holds the words of the link's last path segment (`.../how-nvidia-dominated-ai`
    /// names "How Nvidia dominated AI ... | VentureBeat" of a crawl that kept no URLs). The
    /// site must be written in the document's URL, publisher, path or title.
    /// Unique to this corpus in the process (a refreshed corpus is another).
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// The documents a publication, site or writer's name names (front matter `publisher` and
    /// `author`, the site of the `url`, the title's suffix, the folder; see [`catalog`]), in id
    /// order.
    pub fn documents_named(&self, name: &str) -> Vec<u32> {
        self.catalog.get_or_init(|| catalog::Catalog::build(&self.documents)).documents(name)
    }

    pub fn documents_by_link(&self, url: &str) -> Vec<u32> {
        if let Some(doc) = self.document_by_url(url) {
            return vec![doc];
        }
        // A poisoned lock only means another thread panicked mid-insert: the map is still whole.
        if let Some(known) = self.link_memo.lock().unwrap_or_else(|e| e.into_inner()).get(url) {
            return known.clone();
        }
        let found = self.documents_by_slug(url);
        let mut memo = self.link_memo.lock().unwrap_or_else(|e| e.into_inner());
        if memo.len() >= LINK_MEMO_LIMIT {
            memo.clear();
        }
        memo.insert(url.to_string(), found.clone());
        found
    }

    /// [`Corpus::documents_by_link`] for a link no document has as its URL.
    fn documents_by_slug(&self, url: &str) -> Vec<u32> {
        let normal = normalise_url(url);
        let (host, path) = normal.split_once('/').unwrap_or((normal.as_str(), ""));
        // `venturebeat.com` is the site `venturebeat`; `edition.cnn.com` is `cnn`.
        let labels: Vec<&str> = host.split('.').collect();
        let site = match labels.len() {
            0 | 1 => return Vec::new(),
            n => labels[n - 2],
        };
        let slug: Vec<&str> = path
            .rsplit('/')
            .find(|part| !part.is_empty())
            .unwrap_or("")
            .split(['-', '_'])
            .filter(|w| !w.is_empty() && !w.chars().all(|c| c.is_ascii_digit()))
            .collect();
        // A short slug ("/news/ai") matches too many titles to name one article.
        if slug.len() < 4 || site.len() < 3 {
            return Vec::new();
        }
        // Read for every document at each link: compared in place, without allocating.
        let names_site = |text: &str| text.as_bytes().windows(site.len()).any(|w| w.eq_ignore_ascii_case(site.as_bytes()));
        let mut best: (usize, Vec<u32>) = (0, Vec::new());
        for (id, d) in self.live_documents() {
            let places = [d.url.as_deref().unwrap_or(""), d.publisher.as_deref().unwrap_or(""), d.path.as_str(), d.title.as_str()];
            if !places.iter().any(|p| names_site(p)) {
                continue;
            }
            let found = slug.iter().filter(|w| d.title.split(|c: char| !c.is_alphanumeric()).any(|t| t.eq_ignore_ascii_case(w))).count();
            // Most of the slug's words, as sites shorten a title into its slug.
            if found * 5 < slug.len() * 4 {
                continue;
            }
            match found.cmp(&best.0) {
                std::cmp::Ordering::Greater => best = (found, vec![id]),
                std::cmp::Ordering::Equal => best.1.push(id),
                std::cmp::Ordering::Less => {}
            }
        }
        // Several equal matches are copies or updates of one story: all are named.
        best.1
    }
}

/// The store URL among corpus `paths`, if one names a PostgreSQL store; a URL beside folders
/// is an error (one corpus is one store).
pub fn store_url(paths: &[PathBuf]) -> Result<Option<&str>, CorpusError> {
    let urls: Vec<&str> = paths.iter().filter_map(|p| p.to_str()).filter(|p| postgres::is_store_url(p)).collect();
    match (urls.as_slice(), paths.len()) {
        ([], _) => Ok(None),
        ([url], 1) => Ok(Some(url)),
        ([url, ..], _) => Err(CorpusError::Store {
            url: postgres::redact(url),
            message: "a PostgreSQL corpus is the whole corpus: give it alone, not beside folders or other stores".into(),
        }),
    }
}

/// A size in MB for messages: whole MB when large, else up to three decimals (a limit set
/// below 1 MB must not read as "0 MB").
pub(crate) fn megabytes(bytes: u64) -> String {
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

#[cfg(test)]
mod link_tests {
    use super::*;

    fn doc(path: &str, text: &str) -> Document {
        Document::new(path.to_string(), None, text.to_string(), Format::PlainText)
    }

    /// Issue 14 item 4: a crawl without URLs is still linked by the site and the slug.
    #[test]
    fn a_link_names_the_article_of_its_site_whose_title_holds_its_slug() {
        let corpus = Corpus::from_documents(
            vec![
                doc("venturebeat/1.txt", "How Nvidia dominated AI and plans to keep it that way as generative AI explodes | VentureBeat\n\nNvidia shipped 10,000 GPUs."),
                doc("wired/2.txt", "How Nvidia dominated AI and plans to keep it that way as generative AI explodes | WIRED\n\nNvidia shipped 10,000 GPUs."),
                doc("venturebeat/3.txt", "Nvidia earnings beat forecasts | VentureBeat\n\nRevenue rose."),
            ],
            Vec::new(),
            0,
        );
        let link = "https://venturebeat.com/ai/how-nvidia-dominated-ai-and-plans-to-keep-it-that-way-as-generative-ai-explodes";
        assert_eq!(corpus.documents_by_link(link), vec![0]);
        // Another site's copy, or a short slug, names nothing.
        assert!(corpus.documents_by_link("https://mashable.com/article/how-nvidia-dominated-ai-and-plans-to-keep-it").is_empty());
        assert!(corpus.documents_by_link("https://venturebeat.com/ai/nvidia").is_empty());
    }
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
        let top = corpus.index.sentence(hits[0].0).unwrap();
        let doc = corpus.document(top.doc).unwrap();
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
