//! Reading a published corpus: the [`Retrieval`] of the shared store (see the design in
//! [`super`]). Term statistics, packed postings and documents are cached (within fixed
//! bounds, whatever the corpus's size); a failed query leaves its answer empty and is
//! remembered for [`Retrieval::take_unavailable`], and the pool reconnects with backoff.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio_postgres::types::{ToSql, Type};
use tokio_postgres::Row;

use super::connect::{Pool, Role, Target};
use super::{PgError, POSTING_BYTES};
use crate::corpus::recent::Recent;
use crate::corpus::{bm25, Document, DocumentInfo, Fingerprint, Retrieval, SearchScratch, SentenceRef, BUILD};
use crate::prose::Format;
use crate::words;

/// Every query a reader makes finishes within this, or the store counts as unavailable.
const QUERY_TIMEOUT: Duration = Duration::from_secs(5);
/// Documents kept in memory after a read (they are read again on a miss).
const CACHED_DOCUMENTS: usize = 256;
/// Search results kept before the cache starts afresh (a pinned version never changes, so a
/// result holds for the reader's life).
const CACHED_SEARCHES: usize = 20_000;
/// A search: its distinct term hashes in order, its limit, the documents it is limited to.
type SearchKey = (Vec<u64>, usize, Option<Vec<u32>>);
/// Term statistics kept before the cache starts afresh.
const CACHED_TERMS: usize = 200_000;
/// Bytes of packed postings kept (about 400,000 postings); the least recently used go first.
const CACHED_POSTING_BYTES: usize = 4 << 20;
/// Postings of a draft's rare terms fetched ahead of its searches, at most (see
/// [`Retrieval::prepare`]).
const PREFETCHED_POSTINGS: usize = 200_000;

/// The postings of one term: `(global sentence id, tf, length)`, packed as the store keeps
/// them ([`POSTING_BYTES`] each).
fn unpacked(packed: &[u8]) -> impl Iterator<Item = (u32, u16, u32)> + '_ {
    packed.chunks_exact(POSTING_BYTES).map(|p| {
        (u32::from_be_bytes([p[0], p[1], p[2], p[3]]), u16::from_be_bytes([p[4], p[5]]), u32::from_be_bytes([p[6], p[7], p[8], p[9]]))
    })
}

/// A document read from the store, with its sentences' paragraphs and lengths.
type Read = (Arc<Document>, Arc<Vec<(u32, u32)>>);

/// The shared store, pinned to one corpus version.
#[derive(Debug)]
pub struct PgStore {
    pool: Pool,
    version: i32,
    sentence_total: u32,
    average_length: f32,
    /// Per document id: the global id of its first sentence, and the key its content is
    /// stored under.
    first_sentence: Vec<u32>,
    hashes: Vec<i64>,
    /// Per document id: what rebuilding it needs besides its text.
    paths: Vec<(String, Option<std::path::PathBuf>, Format)>,
    /// Documents' metadata, handed to the corpus once ([`PgStore::take_documents`]).
    documents: Mutex<Option<(Vec<DocumentInfo>, usize)>>,
    df: Mutex<HashMap<u64, u32>>,
    /// Packed postings by term, within [`CACHED_POSTING_BYTES`].
    postings: Mutex<Recent<u64, Arc<Vec<u8>>>>,
    searches: Mutex<HashMap<SearchKey, Vec<(u32, f32)>>>,
    docs: Mutex<Recent<u32, Read>>,
    unavailable: Mutex<Option<String>>,
}

fn format_name(format: Format) -> &'static str {
    match format {
        Format::Markdown => "markdown",
        Format::PlainText => "text",
        Format::Html => "html",
    }
}

pub(super) fn format_of(name: &str) -> Format {
    match name {
        "markdown" => Format::Markdown,
        "html" => Format::Html,
        _ => Format::PlainText,
    }
}

pub(super) fn format_label(format: Format) -> &'static str {
    format_name(format)
}

impl PgStore {
    /// Connects (a standby preferred), pins the newest complete version this build published
    /// and reads its documents' metadata.
    ///
    /// A version another build published is not read: where its documents' sentences fall is
    /// that build's reading, which the postings record and this build may not share. While a
    /// newsroom upgrades, readers of either build pin the newest version of their own.
    pub fn open(url: &str) -> Result<PgStore, PgError> {
        let target = Target::parse(url, Role::Read)?;
        let display = target.display.clone();
        let pool = Pool::new(target, Role::Read)?;
        let versions = pool.run("reading the corpus version", QUERY_TIMEOUT, async |c| {
            c.query("select id, sentences, total_length, build from copydesk_versions where completed is not null order by id desc", &[]).await
        });
        let versions = match versions {
            Ok(rows) => rows,
            // A store of schema version 1 (no build recorded): readable only once published again.
            Err(PgError::Query { message, .. }) if message.contains("column") && message.contains("does not exist") => {
                return Err(PgError::Schema { url: display, message: format!("the corpus here was published by an earlier copydesk, and this is copydesk {BUILD}, which reads documents differently: publish it again with this copydesk (copydesk index --corpus DIR --store URL)") })
            }
            Err(PgError::Query { message, .. }) if message.contains("does not exist") => {
                return Err(PgError::Schema { url: display, message: "no copydesk corpus here (copydesk index --corpus DIR --store URL publishes one)".into() })
            }
            Err(err) => return Err(err),
        };
        let version = match (versions.iter().find(|row| row.get::<_, String>(3) == BUILD), versions.first()) {
            (Some(row), _) => row,
            (None, None) => return Err(PgError::Schema { url: display, message: "no corpus has been published here yet (copydesk index --corpus DIR --store URL)".into() }),
            (None, Some(newest)) => {
                let build: String = newest.get(3);
                let by = if build.is_empty() { "an earlier copydesk".to_string() } else { format!("copydesk {build}") };
                return Err(PgError::Schema {
                    url: display,
                    message: format!("the corpus here was published by {by}, and this is copydesk {BUILD}, which reads documents differently: publish it again with this copydesk (copydesk index --corpus DIR --store URL)"),
                });
            }
        };
        let (id, sentences, total_length): (i32, i64, i64) = (version.get(0), version.get(1), version.get(2));
        let rows = pool.run("reading the corpus's documents", Duration::from_secs(120), async |c| {
            c.query(
                "select path, disk_path, format, title, url, publisher, date, author, size, mtime_ns, hash, first_sentence, content
                 from copydesk_documents where version = $1 order by id",
                &[&id],
            )
            .await
        })?;
        let mut infos = Vec::with_capacity(rows.len());
        let (mut first_sentence, mut hashes, mut bytes) = (Vec::with_capacity(rows.len()), Vec::with_capacity(rows.len()), 0usize);
        let mut paths = Vec::with_capacity(rows.len());
        for row in rows {
            let hash: i64 = row.get(10);
            let content: i64 = row.get(12);
            let size: i64 = row.get(8);
            let mtime: i64 = row.get(9);
            let first: i64 = row.get(11);
            bytes += size as usize;
            infos.push(DocumentInfo {
                path: row.get(0),
                disk_path: row.get::<_, Option<String>>(1).map(Into::into),
                format: format_of(row.get(2)),
                title: row.get(3),
                url: row.get(4),
                publisher: row.get(5),
                date: row.get(6),
                author: row.get(7),
                fingerprint: Fingerprint { size: size as u64, mtime_ns: mtime as u64, hash: content as u64 },
                live: true,
            });
            let info = infos.last().expect("just pushed");
            paths.push((info.path.clone(), info.disk_path.clone(), info.format));
            first_sentence.push(first as u32);
            hashes.push(hash);
        }
        // As the embedded index: the average over all sentences, in f32.
        let average_length = if sentences == 0 { 0.0 } else { (total_length as u64) as f32 / (sentences as u32) as f32 };
        Ok(PgStore {
            pool,
            version: id,
            sentence_total: sentences as u32,
            average_length,
            first_sentence,
            hashes,
            paths,
            documents: Mutex::new(Some((infos, bytes))),
            df: Mutex::new(HashMap::new()),
            postings: Mutex::new(Recent::new(CACHED_POSTING_BYTES)),
            searches: Mutex::new(HashMap::new()),
            docs: Mutex::new(Recent::new(CACHED_DOCUMENTS)),
            unavailable: Mutex::new(None),
        })
    }

    /// The corpus version this reader is pinned to.
    pub fn version(&self) -> i32 {
        self.version
    }

    /// The documents' metadata and their bytes (given out once, to the corpus).
    pub fn take_documents(&self) -> (Vec<DocumentInfo>, usize) {
        self.documents.lock().unwrap_or_else(|e| e.into_inner()).take().unwrap_or_default()
    }

    fn note_failure(&self, err: PgError) {
        *self.unavailable.lock().unwrap_or_else(|e| e.into_inner()) = Some(err.to_string());
    }

    /// Runs one of the reader's queries (parameters typed, so one round trip) within
    /// [`QUERY_TIMEOUT`]; a failure is remembered for [`Retrieval::take_unavailable`] and gives
    /// `None`.
    fn rows(&self, what: &str, sql: &str, params: &[(&(dyn ToSql + Sync), Type)]) -> Option<Vec<Row>> {
        match self.pool.run(what, QUERY_TIMEOUT, async |c| c.query_typed(sql, params).await) {
            Ok(rows) => Some(rows),
            Err(err) => {
                self.note_failure(err);
                None
            }
        }
    }

    fn idf_of_df(&self, df: usize) -> f32 {
        bm25::idf(self.sentence_total, df)
    }

    /// The document frequency of each hash (0 for a term the corpus never uses), fetching the
    /// ones not cached in one query.
    fn dfs(&self, hashes: &[u64]) -> Option<Vec<u32>> {
        let missing: Vec<i64> = {
            let df = self.df.lock().unwrap_or_else(|e| e.into_inner());
            let mut missing: Vec<i64> = hashes.iter().filter(|h| !df.contains_key(h)).map(|&h| h as i64).collect();
            missing.sort_unstable();
            missing.dedup();
            missing
        };
        if !missing.is_empty() {
            let version = self.version;
            let rows = self.rows(
                "reading term statistics",
                "select term, df from copydesk_terms where version = $1 and term = any($2)",
                &[(&version, Type::INT4), (&missing, Type::INT8_ARRAY)],
            )?;
            let mut df = self.df.lock().unwrap_or_else(|e| e.into_inner());
            if df.len() + missing.len() > CACHED_TERMS {
                df.clear();
            }
            for &term in &missing {
                df.insert(term as u64, 0);
            }
            for row in rows {
                df.insert(row.get::<_, i64>(0) as u64, row.get::<_, i32>(1) as u32);
            }
        }
        let df = self.df.lock().unwrap_or_else(|e| e.into_inner());
        Some(hashes.iter().map(|h| df.get(h).copied().unwrap_or(0)).collect())
    }

    /// Reads the documents `ids` not cached, in one query.
    fn fetch_documents(&self, ids: &[u32]) -> Option<()> {
        let wanted: Vec<u32> = {
            let docs = self.docs.lock().unwrap_or_else(|e| e.into_inner());
            let mut wanted: Vec<u32> = ids.iter().copied().filter(|id| !docs.contains(id) && (*id as usize) < self.hashes.len()).collect();
            wanted.sort_unstable();
            wanted.dedup();
            wanted
        };
        if wanted.is_empty() {
            return Some(());
        }
        let hashes: Vec<i64> = wanted.iter().map(|&id| self.hashes[id as usize]).collect();
        let rows = self.rows("reading documents", "select hash, text, lengths from copydesk_blobs where hash = any($1)", &[(&hashes, Type::INT8_ARRAY)])?;
        let texts: HashMap<i64, (String, Option<Vec<u8>>)> = rows.into_iter().map(|row| (row.get(0), (row.get(1), row.get(2)))).collect();
        let infos = self.documents_for(&wanted);
        let mut docs = self.docs.lock().unwrap_or_else(|e| e.into_inner());
        for (id, info) in wanted.iter().zip(infos) {
            let (Some(info), Some((text, lengths))) = (info, texts.get(&self.hashes[*id as usize])) else { continue };
            let doc = Document::new(info.0, info.1, text.clone(), info.2);
            let sentences = sentence_table(&doc, lengths.as_deref());
            docs.insert(*id, (Arc::new(doc), Arc::new(sentences)), 1);
        }
        Some(())
    }

    /// Path, disk path and format of documents, for rebuilding them.
    fn documents_for(&self, ids: &[u32]) -> Vec<Option<(String, Option<std::path::PathBuf>, Format)>> {
        ids.iter().map(|&id| self.paths.get(id as usize).cloned()).collect()
    }

    fn cached(&self, id: u32) -> Option<Read> {
        self.docs.lock().unwrap_or_else(|e| e.into_inner()).get(&id)
    }

    fn read(&self, id: u32) -> Option<Read> {
        if let Some(read) = self.cached(id) {
            return Some(read);
        }
        self.fetch_documents(&[id])?;
        self.cached(id)
    }
}

/// Per sentence of a document: its paragraph and its length in content words, as the
/// embedded index records them. The lengths the publisher stored are used when they are one
/// per sentence (they always are for content of this build); else they are counted.
fn sentence_table(doc: &Document, stored: Option<&[u8]>) -> Vec<(u32, u32)> {
    let sentences = &doc.prose.sentences;
    if let Some(stored) = stored.filter(|l| l.len() == sentences.len() * 4) {
        return sentences.iter().zip(stored.chunks_exact(4)).map(|(s, l)| (s.paragraph as u32, u32::from_be_bytes([l[0], l[1], l[2], l[3]]))).collect();
    }
    sentences
        .iter()
        .map(|s| {
            let mut length = 0u32;
            words::for_each_term(doc.prose_text(), s.span, |_, _| length += 1);
            (s.paragraph as u32, length)
        })
        .collect()
}

impl PgStore {
    /// The packed postings of each of `terms` over the pinned version, fetching those not
    /// cached in one query.
    fn postings_of(&self, terms: &[u64]) -> Option<Vec<Arc<Vec<u8>>>> {
        let mut found: HashMap<u64, Arc<Vec<u8>>> = HashMap::new();
        let mut missing: Vec<i64> = Vec::new();
        {
            let mut cache = self.postings.lock().unwrap_or_else(|e| e.into_inner());
            for &term in terms {
                match cache.get(&term) {
                    Some(postings) => {
                        found.insert(term, postings);
                    }
                    None => missing.push(term as i64),
                }
            }
        }
        missing.sort_unstable();
        missing.dedup();
        if !missing.is_empty() {
            let version = self.version;
            let rows = self.rows(
                "reading postings",
                "select term, postings from copydesk_term_postings where version = $1 and term = any($2) order by term, part",
                &[(&version, Type::INT4), (&missing, Type::INT8_ARRAY)],
            )?;
            let mut fetched: HashMap<u64, Vec<u8>> = HashMap::new();
            for row in &rows {
                let postings: &[u8] = row.get(1);
                fetched.entry(row.get::<_, i64>(0) as u64).or_default().extend_from_slice(postings);
            }
            let mut cache = self.postings.lock().unwrap_or_else(|e| e.into_inner());
            for term in missing {
                let postings = Arc::new(fetched.remove(&(term as u64)).unwrap_or_default());
                let bytes = postings.len();
                cache.insert(term as u64, postings.clone(), bytes);
                found.insert(term as u64, postings);
            }
        }
        Some(terms.iter().map(|term| found.get(term).cloned().unwrap_or_default()).collect())
    }

    /// The postings of each of `terms` in the sentences of `documents`, from the per-content
    /// postings (a few rows per term, where the packed list would be read whole).
    fn postings_within(&self, terms: &[u64], documents: &[u32]) -> Option<Vec<Vec<(u32, u16, u32)>>> {
        let mut docs: Vec<u32> = documents.iter().copied().filter(|&d| (d as usize) < self.hashes.len()).collect();
        docs.sort_unstable();
        docs.dedup();
        let mut blobs: Vec<i64> = docs.iter().map(|&d| self.hashes[d as usize]).collect();
        blobs.sort_unstable();
        blobs.dedup();
        let term_ids: Vec<i64> = terms.iter().map(|&t| t as i64).collect();
        let rows = self.rows(
            "reading postings",
            "select term, blob, sentence, tf, length from copydesk_postings where term = any($1) and blob = any($2)",
            &[(&term_ids, Type::INT8_ARRAY), (&blobs, Type::INT8_ARRAY)],
        )?;
        let mut out: Vec<Vec<(u32, u16, u32)>> = vec![Vec::new(); terms.len()];
        for row in rows {
            let term = row.get::<_, i64>(0) as u64;
            let blob: i64 = row.get(1);
            let (sentence, tf, length) = (row.get::<_, i32>(2) as u32, row.get::<_, i16>(3) as u16, row.get::<_, i32>(4) as u32);
            let Some(at) = terms.iter().position(|&t| t == term) else { continue };
            // The same content may be listed by several documents: each has its sentences.
            for &doc in docs.iter().filter(|&&d| self.hashes[d as usize] == blob) {
                out[at].push((self.first_sentence[doc as usize] + sentence, tf, length));
            }
        }
        Some(out)
    }
}

/// The best `limit` sentences, scored as the embedded index scores them: term by term in
/// `terms`' order, each posting adding its BM25 share in `f32`, best first and ties by id.
fn rank(idfs: &[f32], postings: Vec<Box<dyn Iterator<Item = (u32, u16, u32)> + '_>>, average: f32, limit: usize) -> Vec<(u32, f32)> {
    let mut scores: HashMap<u32, f32> = HashMap::new();
    for (&idf, list) in idfs.iter().zip(postings) {
        for (sentence, tf, length) in list {
            *scores.entry(sentence).or_insert(0.0) += bm25::term_score(idf, tf as f32, bm25::length_term(length as f32, average));
        }
    }
    let mut ranked: Vec<(u32, f32)> = scores.into_iter().collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    ranked.truncate(limit);
    ranked
}

impl Retrieval for PgStore {
    fn search(&self, _scratch: &mut SearchScratch, query: &[String], limit: usize, within: Option<&[u32]>) -> Vec<(u32, f32)> {
        if limit == 0 {
            return Vec::new();
        }
        let mut hashes: Vec<u64> = Vec::new();
        for term in query {
            let hash = words::term_hash(term);
            if !hashes.contains(&hash) {
                hashes.push(hash);
            }
        }
        let key: SearchKey = (hashes.clone(), limit, within.map(<[u32]>::to_vec));
        if let Some(found) = self.searches.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
            return found.clone();
        }
        let Some(dfs) = self.dfs(&hashes) else { return Vec::new() };
        let mut terms: Vec<(u64, usize)> = hashes.iter().zip(dfs).map(|(&h, df)| (h, df as usize)).collect();
        bm25::scored_terms(&mut terms, |&(hash, df)| (df, hash), self.sentence_total, within.is_some());
        if terms.is_empty() {
            return Vec::new();
        }
        let idfs: Vec<f32> = terms.iter().map(|&(_, df)| self.idf_of_df(df)).collect();
        let term_hashes: Vec<u64> = terms.iter().map(|&(h, _)| h).collect();
        // As the embedded index: the average over all sentences, at least 1.
        let average = self.average_length.max(1.0);
        let ranked = match within {
            None => {
                let Some(lists) = self.postings_of(&term_hashes) else { return Vec::new() };
                rank(&idfs, lists.iter().map(|l| Box::new(unpacked(l)) as Box<dyn Iterator<Item = _>>).collect(), average, limit)
            }
            Some(documents) => {
                let Some(lists) = self.postings_within(&term_hashes, documents) else { return Vec::new() };
                rank(&idfs, lists.into_iter().map(|l| Box::new(l.into_iter()) as Box<dyn Iterator<Item = _>>).collect(), average, limit)
            }
        };
        // The check reads these documents next: one query for all of them.
        let docs: Vec<u32> = ranked.iter().filter_map(|&(id, _)| self.document_of(id)).collect();
        self.fetch_documents(&docs);
        let mut searches = self.searches.lock().unwrap_or_else(|e| e.into_inner());
        if searches.len() >= CACHED_SEARCHES {
            searches.clear();
        }
        searches.insert(key, ranked.clone());
        ranked
    }

    fn sentence(&self, id: u32) -> Option<SentenceRef> {
        let doc = self.document_of(id)?;
        let local = id - self.first_sentence[doc as usize];
        let (_, sentences) = self.read(doc)?;
        let &(paragraph, length) = sentences.get(local as usize)?;
        Some(SentenceRef { doc, sentence: local, paragraph, length })
    }

    fn idf(&self, term: &str) -> f32 {
        match self.dfs(&[words::term_hash(term)]) {
            Some(df) => self.idf_of_df(df[0] as usize),
            None => self.idf_of_df(0),
        }
    }

    fn read_document(&self, id: u32, _info: &DocumentInfo) -> Option<Arc<Document>> {
        self.read(id).map(|(doc, _)| doc)
    }

    fn take_unavailable(&self) -> Option<String> {
        self.unavailable.lock().unwrap_or_else(|e| e.into_inner()).take()
    }

    /// Fetches the statistics of the draft's terms, then the postings of its rare ones (those
    /// its searches score first), rarest first within [`PREFETCHED_POSTINGS`]: two round trips
    /// for most of what the check's searches read.
    fn prepare(&self, terms: &[String]) {
        let mut hashes: Vec<u64> = terms.iter().map(|t| words::term_hash(t)).collect();
        hashes.sort_unstable();
        hashes.dedup();
        let Some(dfs) = self.dfs(&hashes) else { return };
        let common = bm25::common_df(self.sentence_total);
        let mut rare: Vec<(usize, u64)> = hashes.iter().zip(dfs).filter(|&(_, df)| df > 0 && df as usize <= common).map(|(&h, df)| (df as usize, h)).collect();
        rare.sort_unstable();
        let mut total = 0;
        let wanted: Vec<u64> = rare
            .into_iter()
            .take_while(|&(df, _)| {
                total += df;
                total <= PREFETCHED_POSTINGS
            })
            .map(|(_, h)| h)
            .collect();
        let _ = self.postings_of(&wanted);
    }
}

impl PgStore {
    /// The document a global sentence id falls in.
    fn document_of(&self, sentence: u32) -> Option<u32> {
        let doc = self.first_sentence.partition_point(|&first| first <= sentence).checked_sub(1)?;
        let end = self.first_sentence.get(doc + 1).copied().unwrap_or(self.sentence_total);
        (sentence < end).then_some(doc as u32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_postings_read_as_the_publisher_packs_them() {
        // As `string_agg(substring(int8send(id) from 5) || int2send(tf) || int4send(length))`.
        let mut packed = Vec::new();
        for (id, tf, length) in [(7u32, 1u16, 12u32), (4_000_000_000, 127, 70_000)] {
            packed.extend_from_slice(&(id as u64).to_be_bytes()[4..]);
            packed.extend_from_slice(&tf.to_be_bytes());
            packed.extend_from_slice(&length.to_be_bytes());
        }
        assert_eq!(unpacked(&packed).collect::<Vec<_>>(), vec![(7, 1, 12), (4_000_000_000, 127, 70_000)]);
    }

    #[test]
    fn the_postings_cache_stays_within_its_bytes_dropping_the_least_recently_used() {
        let mut cache: Recent<u64, Arc<Vec<u8>>> = Recent::new(CACHED_POSTING_BYTES);
        let part = CACHED_POSTING_BYTES / 8;
        for term in 0..8u64 {
            cache.insert(term, Arc::new(vec![0; part]), part);
        }
        assert!(cache.get(&0).is_some(), "term 0 is used again, so it is kept");
        cache.insert(8, Arc::new(vec![0; part]), part);
        assert!(cache.weight() <= CACHED_POSTING_BYTES);
        assert!(cache.get(&0).is_some());
        assert!(cache.get(&1).is_none(), "the least recently used went first");
        assert!(cache.get(&8).is_some());
    }

    #[test]
    fn stored_sentence_lengths_are_used_only_when_one_per_sentence() {
        let doc = Document::new("a.md".into(), None, "Revenue rose sharply. Costs fell.\n".into(), Format::Markdown);
        let counted = sentence_table(&doc, None);
        assert_eq!(counted.len(), 2);
        let stored: Vec<u8> = [9u32, 8].iter().flat_map(|l| l.to_be_bytes()).collect();
        assert_eq!(sentence_table(&doc, Some(&stored)).iter().map(|s| s.1).collect::<Vec<_>>(), vec![9, 8]);
        assert_eq!(sentence_table(&doc, Some(&stored[..4])), counted, "a mismatched list is not trusted");
    }
}
