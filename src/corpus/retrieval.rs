//! The retrieval interface the check path reads the corpus through, and the embedded index's
//! implementation of it.
//!
//! A check asks four things of a corpus: the best sentences for a query (BM25, over the whole
//! corpus or the documents a draft cites), a sentence by id, a term's IDF, and a document by id.
//! Two stores answer them: the embedded index ([`super::Index`] over segments on this machine)
//! and a shared PostgreSQL database ([`super::postgres`]). Both answer with the same numbers for
//! the same documents (the same sentence ids, IDFs and BM25 scores to the bit), so the check,
//! alignment, findings and output never depend on the store: the documents a store returns are
//! rebuilt into the same in-memory [`Document`]s and judged by the same code.

use std::sync::Arc;

use super::{Document, DocumentInfo, Index, SearchScratch, SentenceRef};

/// What the check path reads a corpus through.
pub trait Retrieval: std::fmt::Debug + Send + Sync {
    /// The best `limit` sentences for `query`, by BM25, best first (ties by id); among the
    /// sentences of `within` (document ids) when given.
    fn search(&self, scratch: &mut SearchScratch, query: &[String], limit: usize, within: Option<&[u32]>) -> Vec<(u32, f32)>;
    /// A sentence by global id; `None` past the end or for a removed document's sentence.
    fn sentence(&self, id: u32) -> Option<SentenceRef>;
    /// BM25's inverse document frequency of a term over sentences.
    fn idf(&self, term: &str) -> f32;
    /// Reads document `id` (described by `info`); `None` when it can no longer be read.
    fn read_document(&self, id: u32, info: &DocumentInfo) -> Option<Arc<Document>>;
    /// Why the store could not answer since this was last asked, if it could not: its answers
    /// then left things out, and the caller should not present them as a complete check.
    fn take_unavailable(&self) -> Option<String> {
        None
    }
    /// A hint that the terms of `text` are about to be looked up (a remote store fetches
    /// their statistics in one round trip).
    fn prepare(&self, _terms: &[String]) {}
}

impl Retrieval for Index {
    fn search(&self, scratch: &mut SearchScratch, query: &[String], limit: usize, within: Option<&[u32]>) -> Vec<(u32, f32)> {
        match within {
            None => self.search_with(scratch, query, limit),
            Some(documents) => {
                let filter = self.sentence_filter(documents);
                self.search_documents(scratch, query, limit, &filter)
            }
        }
    }

    fn sentence(&self, id: u32) -> Option<SentenceRef> {
        Index::sentence(self, id)
    }

    fn idf(&self, term: &str) -> f32 {
        Index::idf(self, term)
    }

    fn read_document(&self, _id: u32, info: &DocumentInfo) -> Option<Arc<Document>> {
        super::read_indexed(info).map(Arc::new)
    }
}
