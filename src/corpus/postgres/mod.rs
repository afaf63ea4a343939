//! The corpus served from PostgreSQL: a newsroom's shared archive, published once with
//! `copydesk index --store postgresql://...` and read by every `copydesk lint` and language
//! server with `--corpus postgresql://...`, behind the same [`Retrieval`](super::Retrieval) interface as the
//! embedded index.
//!
//! # Design: identical answers, postings from the database
//!
//! A draft must give byte-identical output against the same documents in either store. So the
//! database holds what the embedded index holds, and retrieval ranks exactly as it does:
//!
//! - Postings of copydesk's own analyser per content (term hash, content, sentence, term
//!   frequency, sentence length), and per corpus version the same postings packed per term
//!   (`copydesk_term_postings`: global sentence id, frequency and length, 10 bytes each, in
//!   parts of 2^20 sentence ids) with each term's count of sentences (`copydesk_terms`), the
//!   sentence count and the total length. A term's IDF is then the embedded one, computed in
//!   `f32` from the same counts.
//! - A search picks the query's terms by the same rules (rarest first, the common ones
//!   dropped, the postings budget), fetches their packed postings (one indexed value per term;
//!   a draft's rare terms are fetched before its first search, in one round trip) and scores
//!   them in `f32` term by term exactly as the embedded index does, ties by id. A search within
//!   cited documents reads their few postings from the per-content table instead.
//! - Ids are those a fresh embedded index gives: documents in the order of their paths,
//!   sentences numbered on from each document's first.
//! - A document's text is read from the database and rebuilt into the same [`Document`](super::Document) the
//!   embedded index reads from disk (its sentence lengths come stored); its passages and
//!   figures are then found by the same code.
//! - Content is keyed by its hash mixed with the build ([`blob_key`]) and a version records the
//!   build that published it: the postings number sentences as that build read the text, so a
//!   reader pins the newest version of its own build and refuses another's.
//!
//! Aggregating the postings in SQL instead (`group by` sentence over a join) gave the same
//! answers but took 15-110 ms per search on a busy two-core machine, where ranking fetched
//! postings takes well under a millisecond.
//!
//! Document metadata (paths, titles, publishers, links) is read whole when a store is opened:
//! the check resolves names and links against all of it (see [`super::catalog`]).
//!
//! Passages are also stored with an English full-text vector under a GIN index, figures by
//! normalised value and unit with their frames (concept words, periods), and quotations with
//! their speakers, for other tools and for the scale-out paths in `docs/scale-out.md`; the
//! check itself ranks with copydesk's analyser, whose terms and stemming `to_tsvector` does
//! not share, and finds figures by reading the passages it retrieved, as with the embedded
//! index (which has no index of values).
//!
//! # Versions
//!
//! A publish writes new content a batch per transaction (content is keyed by hash, so a rerun
//! after a failure skips what was written), then one transaction lists the version's documents,
//! counts its terms and marks it complete. Readers pin the newest complete version when they
//! open the store: they never see a half-finished publish.

use std::sync::Arc;

use super::{Corpus, CorpusError};

pub mod connect;
pub mod publish;
mod reader;

pub use connect::{has_password, is_store_url, redact, Role, Target};
pub use publish::{publish, Published};
pub use reader::PgStore;

/// The schema migrations, in order: `(version, SQL)`.
pub const MIGRATIONS: &[(i32, &str)] = &[
    (1, include_str!("../../../migrations/0001_corpus.sql")),
    (2, include_str!("../../../migrations/0002_packed_postings_frames_builds.sql")),
];

/// A packed posting's bytes: the global sentence id (4, big-endian), the term's frequency (2)
/// and the sentence's length (4).
pub(crate) const POSTING_BYTES: usize = 10;
/// A term's packed postings are stored in parts of `1 << PART_BITS` sentence ids, so that no
/// value grows past what PostgreSQL holds in one field however large the archive.
pub(crate) const PART_BITS: u32 = 20;

/// The key a document's content is stored under: its content hash mixed with this build, so
/// that content is read back only by the build whose reading of it the postings record.
pub(crate) fn blob_key(content: u64) -> i64 {
    let mut bytes = content.to_le_bytes().to_vec();
    bytes.extend_from_slice(crate::corpus::BUILD.as_bytes());
    xxhash_rust::xxh3::xxh3_64(&bytes) as i64
}

/// What went wrong talking to the store. Messages name the store without its password.
#[derive(Debug, thiserror::Error)]
pub enum PgError {
    #[error("{url}: {message}")]
    Url { url: String, message: String },
    #[error("{url}: cannot connect: {message}")]
    Connect { url: String, message: String },
    #[error("corpus unavailable ({url}): {message}")]
    Unavailable { url: String, message: String },
    #[error("{what}: {message}")]
    Query { what: String, message: String },
    #[error("{url}: {message}")]
    Schema { url: String, message: String },
    #[error("{0}")]
    Corpus(#[from] CorpusError),
}

impl PgError {
    fn into_corpus(self, url: &str) -> CorpusError {
        match self {
            PgError::Corpus(err) => err,
            other => CorpusError::Store { url: redact(url), message: other.to_string() },
        }
    }
}

/// Opens the newest complete corpus version of the store at `url` for reading.
pub fn open(url: &str) -> Result<Corpus, CorpusError> {
    let store = PgStore::open(url).map_err(|e| e.into_corpus(url))?;
    let (documents, bytes) = store.take_documents();
    Ok(Corpus::from_store(documents, Arc::new(store), bytes))
}

#[cfg(test)]
mod tests {
    #[test]
    fn content_is_keyed_by_its_hash_and_this_build() {
        assert_ne!(super::blob_key(1), super::blob_key(2));
        assert_eq!(super::blob_key(1), super::blob_key(1));
        assert_ne!(super::blob_key(1), 1, "the key is not the bare content hash another build would use");
    }
}
