//! BM25 retrieval over the sentences of one or more index segments.
//!
//! A corpus index is a list of [`Segment`]s read in place (built in memory, or memory-mapped
//! from the on-disk index) plus the sentences of documents removed since a segment was written.
//! Sentence and document ids are global: a segment's ids follow those of the segments before it.
//! Figures are not indexed: retrieval finds the passage by what it talks about, and alignment
//! then compares the figures.
//!
//! A memory-mapped segment whose file changes on disk is never read again (see
//! [`Index::check_files`]): searches then find nothing, and the owner reloads the corpus.

use std::ops::Deref;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::OnceLock;

use super::bm25;
use super::mapped::MappedFile;
use super::segment::{unpack, Layout, SegmentError, SegmentView};
use crate::words;

/// Segment bytes: owned, or a read-only memory map of an index file.
#[derive(Debug)]
pub enum Bytes {
    Owned(Vec<u8>),
    Mapped(MappedFile),
}

impl Deref for Bytes {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            Bytes::Owned(v) => v,
            Bytes::Mapped(m) => m,
        }
    }
}

/// A segment and the bytes it is read from.
#[derive(Debug)]
pub struct Segment {
    bytes: Bytes,
    layout: Layout,
}

impl Segment {
    /// Opens a segment; `verify` checks every section's checksum (for bytes read from disk).
    pub fn open(bytes: Bytes, verify: bool) -> Result<Segment, SegmentError> {
        let layout = SegmentView::open(&bytes, verify)?.layout;
        Ok(Segment { bytes, layout })
    }

    pub fn view(&self) -> SegmentView<'_> {
        SegmentView::with_layout(&self.bytes, self.layout)
    }

    pub fn documents(&self) -> u32 {
        self.layout.documents
    }

    pub fn sentences(&self) -> u32 {
        self.layout.sentences
    }

    pub fn terms(&self) -> u32 {
        self.layout.terms
    }

    /// Bytes of index data.
    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// Why the file behind a mapped segment is no longer the one mapped, if it is not.
    pub fn file_changed(&self) -> Option<String> {
        match &self.bytes {
            Bytes::Owned(_) => None,
            Bytes::Mapped(mapped) => mapped.changed(),
        }
    }
}

/// A sentence in the index, with its global document id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SentenceRef {
    pub doc: u32,
    /// Index into the document's `prose.sentences`.
    pub sentence: u32,
    pub paragraph: u32,
    /// Content words in the sentence (BM25 length).
    pub length: u32,
}

/// BM25 over the sentences of every segment.
#[derive(Debug, Default)]
pub struct Index {
    segments: Vec<Segment>,
    /// Global id of each segment's first sentence and first document.
    sentence_base: Vec<u32>,
    doc_base: Vec<u32>,
    /// Sentences of removed documents, one bit each (empty when none are removed).
    removed: Vec<u64>,
    sentence_total: u32,
    document_total: u32,
    average_length: f32,
    /// Per sentence, BM25's length term ([`bm25::length_term`]), made on the
    /// first search: a dense table the postings loop reads instead of the sentence records.
    length_terms: OnceLock<Vec<f32>>,
    /// Why a segment's file can no longer be read, once a check found it changed.
    damage: OnceLock<String>,
    /// Whether [`Index::take_damage`] has given the damage out.
    damage_taken: AtomicBool,
}

impl Index {
    /// An index over `segments`, leaving out the documents in `removed` (global ids).
    pub fn new(segments: Vec<Segment>, removed_documents: &[u32]) -> Index {
        let mut sentence_base = Vec::with_capacity(segments.len());
        let mut doc_base = Vec::with_capacity(segments.len());
        let (mut sentences, mut documents, mut length) = (0u32, 0u32, 0u64);
        for segment in &segments {
            sentence_base.push(sentences);
            doc_base.push(documents);
            sentences = sentences.saturating_add(segment.sentences());
            documents = documents.saturating_add(segment.documents());
            length += segment.layout.total_length;
        }
        let mut index = Index {
            segments,
            sentence_base,
            doc_base,
            removed: Vec::new(),
            sentence_total: sentences,
            document_total: documents,
            average_length: if sentences == 0 { 0.0 } else { length as f32 / sentences as f32 },
            length_terms: OnceLock::new(),
            damage: OnceLock::new(),
            damage_taken: AtomicBool::new(false),
        };
        if !removed_documents.is_empty() {
            index.removed = vec![0; (sentences as usize).div_ceil(64)];
            for &doc in removed_documents {
                if let Some((segment, local)) = index.locate_document(doc) {
                    let base = index.sentence_base[segment];
                    if let Some((first, count)) = index.segments[segment].view().document_sentences(local) {
                        for s in first..first.saturating_add(count).min(index.segments[segment].sentences()) {
                            let global = (base + s) as usize;
                            index.removed[global / 64] |= 1 << (global % 64);
                        }
                    }
                }
            }
        }
        index
    }

    pub fn segments(&self) -> &[Segment] {
        &self.segments
    }

    /// Checks that the files behind mapped segments are still the versions that were mapped
    /// (one `fstat` each). Once one is not, this stays an error, searches find nothing and
    /// lookups return nothing: a file shortened under its map would fault when read.
    pub fn check_files(&self) -> Result<(), &str> {
        if let Some(damage) = self.damage.get() {
            return Err(damage);
        }
        for segment in &self.segments {
            if let Some(why) = segment.file_changed() {
                return Err(self.damage.get_or_init(|| format!("an index segment changed on disk ({why})")));
            }
        }
        Ok(())
    }

    /// The damage [`Index::check_files`] found, the first time it is asked for: for the owner
    /// to report it and reload once.
    pub fn take_damage(&self) -> Option<String> {
        let damage = self.damage.get()?;
        (!self.damage_taken.swap(true, Ordering::Relaxed)).then(|| damage.clone())
    }

    fn damaged(&self) -> bool {
        self.damage.get().is_some()
    }

    /// Sentences in the index, removed ones included (ids run below this).
    pub fn sentence_count(&self) -> usize {
        self.sentence_total as usize
    }

    /// Sentences of the documents still in the corpus.
    pub fn live_sentence_count(&self) -> usize {
        let removed: u32 = self.removed.iter().map(|w| w.count_ones()).sum();
        self.sentence_total as usize - removed as usize
    }

    pub fn document_count(&self) -> usize {
        self.document_total as usize
    }

    /// The segment and local id of a global document id.
    pub fn locate_document(&self, doc: u32) -> Option<(usize, u32)> {
        let segment = self.doc_base.partition_point(|&base| base <= doc).checked_sub(1)?;
        let local = doc - self.doc_base[segment];
        (local < self.segments[segment].documents()).then_some((segment, local))
    }

    fn locate_sentence(&self, id: u32) -> Option<(usize, u32)> {
        let segment = self.sentence_base.partition_point(|&base| base <= id).checked_sub(1)?;
        let local = id - self.sentence_base[segment];
        (local < self.segments[segment].sentences()).then_some((segment, local))
    }

    fn is_removed(&self, id: u32) -> bool {
        self.removed.get(id as usize / 64).is_some_and(|word| word & (1 << (id % 64)) != 0)
    }

    /// A sentence by global id; `None` past the end or for a removed document's sentence.
    pub fn sentence(&self, id: u32) -> Option<SentenceRef> {
        if self.is_removed(id) || self.damaged() {
            return None;
        }
        let (segment, local) = self.locate_sentence(id)?;
        let record = self.segments[segment].view().sentence(local)?;
        Some(SentenceRef {
            doc: self.doc_base[segment].checked_add(record.doc)?,
            sentence: record.sentence,
            paragraph: record.paragraph,
            length: record.length,
        })
    }

    /// Inverse document frequency of a term over sentences (BM25's, always positive).
    pub fn idf(&self, term: &str) -> f32 {
        if self.damaged() {
            return self.max_idf();
        }
        let hash = words::term_hash(term);
        let df: usize = self.segments.iter().map(|s| s.view().postings(hash).len() / 4).sum();
        self.idf_of_df(df)
    }

    fn idf_of_df(&self, df: usize) -> f32 {
        bm25::idf(self.sentence_total, df)
    }

    /// The highest IDF a term can have here (a term the corpus never uses).
    pub fn max_idf(&self) -> f32 {
        self.idf_of_df(0)
    }

    /// The best `limit` sentences for these query terms, by BM25, best first (ties by id).
    ///
    /// The terms scored are those `bm25::scored_terms` keeps (rare ones, within a postings
    /// budget), so that a query's cost stays bounded however large the corpus grows.
    pub fn search(&self, query: &[String], limit: usize) -> Vec<(u32, f32)> {
        self.search_with(&mut SearchScratch::default(), query, limit)
    }

    /// [`Index::search`] reusing score buffers across the queries of one check.
    pub fn search_with(&self, scratch: &mut SearchScratch, query: &[String], limit: usize) -> Vec<(u32, f32)> {
        self.search_filtered(scratch, query, limit, None)
    }

    /// The sentences of `documents` (global ids), one bit per sentence, for
    /// [`Index::search_documents`].
    pub fn sentence_filter(&self, documents: &[u32]) -> Vec<u64> {
        let mut bits = vec![0u64; (self.sentence_total as usize).div_ceil(64)];
        for &doc in documents {
            let Some((segment, local)) = self.locate_document(doc) else { continue };
            let base = self.sentence_base[segment];
            let Some((first, count)) = self.segments[segment].view().document_sentences(local) else { continue };
            for s in first..first.saturating_add(count).min(self.segments[segment].sentences()) {
                let global = (base + s) as usize;
                bits[global / 64] |= 1 << (global % 64);
            }
        }
        bits
    }

    /// [`Index::search_with`] among the sentences `filter` ([`Index::sentence_filter`]) holds:
    /// the passages of the documents a draft cites.
    pub fn search_documents(&self, scratch: &mut SearchScratch, query: &[String], limit: usize, filter: &[u64]) -> Vec<(u32, f32)> {
        self.search_filtered(scratch, query, limit, Some(filter))
    }

    fn search_filtered(&self, scratch: &mut SearchScratch, query: &[String], limit: usize, filter: Option<&[u64]>) -> Vec<(u32, f32)> {
        if self.check_files().is_err() {
            return Vec::new();
        }
        let views: Vec<SegmentView> = self.segments.iter().map(Segment::view).collect();
        // Per distinct term: its postings in each segment and its frequency over all of them.
        let mut terms: Vec<(u64, usize, Vec<&[u8]>)> = Vec::new();
        for term in query {
            let hash = words::term_hash(term);
            if terms.iter().any(|(h, _, _)| *h == hash) {
                continue;
            }
            let lists: Vec<&[u8]> = views.iter().map(|v| v.postings(hash)).collect();
            let df = lists.iter().map(|l| l.len() / 4).sum();
            if df > 0 {
                terms.push((hash, df, lists));
            }
        }
        bm25::scored_terms(&mut terms, |&(hash, df, _)| (df, hash), self.sentence_total, filter.is_some());
        if scratch.scores.len() != self.sentence_total as usize {
            scratch.scores = vec![0.0; self.sentence_total as usize];
            scratch.touched.clear();
        }
        let length_terms = self.length_terms.get_or_init(|| {
            let average = self.average_length.max(1.0);
            let mut out = Vec::with_capacity(self.sentence_total as usize);
            for view in &views {
                out.extend(view.sentence_records().iter().map(|r| {
                    let length = u32::from_le_bytes([r[12], r[13], r[14], r[15]]) as f32;
                    bm25::length_term(length, average)
                }));
            }
            out
        });
        for (_, df, lists) in &terms {
            let idf = self.idf_of_df(*df);
            for (segment, list) in lists.iter().enumerate() {
                let base = self.sentence_base[segment];
                let terms_here = &length_terms[base as usize..(base + views[segment].sentences) as usize];
                for chunk in list.as_chunks::<4>().0 {
                    let (local, tf) = unpack(u32::from_le_bytes(*chunk));
                    let Some(&length_term) = terms_here.get(local as usize) else { continue };
                    let sentence = base + local;
                    if filter.is_some_and(|bits| bits.get(sentence as usize / 64).is_none_or(|word| word & (1 << (sentence % 64)) == 0)) {
                        continue;
                    }
                    let slot = &mut scratch.scores[sentence as usize];
                    if *slot == 0.0 {
                        scratch.touched.push(sentence);
                    }
                    *slot += bm25::term_score(idf, tf as f32, length_term);
                }
            }
        }
        // Keep the best `limit` while walking the touched sentences: most fall below the
        // current worst and cost one comparison.
        let by_score = |a: &(u32, f32), b: &(u32, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
        let mut ranked: Vec<(u32, f32)> = Vec::with_capacity(limit + 1);
        for &sentence in &scratch.touched {
            let entry = (sentence, scratch.scores[sentence as usize]);
            scratch.scores[sentence as usize] = 0.0;
            if limit == 0 || self.is_removed(sentence) {
                continue;
            }
            if ranked.len() == limit {
                let worst = ranked[limit - 1];
                if by_score(&entry, &worst) != std::cmp::Ordering::Less {
                    continue;
                }
                ranked.pop();
            }
            let at = ranked.partition_point(|e| by_score(e, &entry) == std::cmp::Ordering::Less);
            ranked.insert(at, entry);
        }
        scratch.touched.clear();
        ranked
    }
}

/// Score buffers for [`Index::search_with`].
#[derive(Debug, Default)]
pub struct SearchScratch {
    scores: Vec<f32>,
    touched: Vec<u32>,
}
