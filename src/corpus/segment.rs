//! The index segment format: the documents, sentences, term dictionary and postings of a set of
//! source files in one byte buffer, written once and read in place, from memory or from a
//! memory-mapped file.
//!
//! Layout (all integers little-endian; every section starts on an 8-byte boundary):
//!
//! | part | contents |
//! |---|---|
//! | header (192 bytes) | magic, format version, counts, then offset, length and XXH3 checksum of each section, then the header's own checksum |
//! | documents | per document: first sentence, sentence count, fingerprint (size, mtime, content hash), offset and length of its metadata |
//! | metadata | per document: format, then path, file, title, URL, publisher, date and author as length-prefixed strings |
//! | sentences | per sentence: document, sentence number in the document, paragraph, length in terms |
//! | term hashes | sorted [`words::term_hash`](crate::words::term_hash) of every term |
//! | term offsets | where each term's postings start in the postings section, plus the end |
//! | postings | per term, the sentences that use it with the term frequency, packed in a u32 |
//!
//! A segment is opened by checking the header (magic, version, sizes, checksum) and, unless
//! the caller already trusts the bytes, every section's checksum; nothing read afterwards can
//! index outside the buffer, because every read is bounds-checked and malformed entries are
//! skipped rather than trusted.

use std::collections::HashMap;
use std::io::{self, Write};

use xxhash_rust::xxh3::{xxh3_64, Xxh3};

use super::BuildIdentity;
use crate::prose::Format;

pub const MAGIC: &[u8; 8] = b"CPDKIDX\0";
/// Bumped whenever the layout or the way terms and sentences are cut changes: an index written
/// by another version is rebuilt, never misread.
/// (3: a document without a front matter date stores its dateline's.)
pub const FORMAT_VERSION: u32 = 3;

const SECTIONS: usize = 6;
/// Magic, version, flags, four counts, total length, the sections, the header checksum.
pub const HEADER_LEN: usize = 8 + 4 + 4 + 4 * 4 + 8 + SECTIONS * 24 + 8;
const DOC_RECORD: usize = 40;
const SENTENCE_RECORD: usize = 16;

/// Postings pack a sentence id (low 25 bits) and a term frequency (high 7 bits) in a u32.
const ID_BITS: u32 = 25;
/// The most sentences one segment can hold.
pub const MAX_SENTENCES: usize = 1 << ID_BITS;

pub fn pack(sentence: u32, tf: u16) -> u32 {
    sentence | ((tf.min(127) as u32) << ID_BITS)
}

pub fn unpack(packed: u32) -> (u32, u32) {
    (packed & ((1 << ID_BITS) - 1), packed >> ID_BITS)
}

/// What identifies one version of a source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Fingerprint {
    pub size: u64,
    /// Modification time in nanoseconds since the Unix epoch (0 when unknown).
    pub mtime_ns: u64,
    /// XXH3 of the file's bytes.
    pub hash: u64,
}

impl Fingerprint {
    pub fn of_bytes(bytes: &[u8], mtime_ns: u64) -> Fingerprint {
        Fingerprint { size: bytes.len() as u64, mtime_ns, hash: xxh3_64(bytes) }
    }
}

/// A source document's description, stored in the segment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentMeta {
    pub path: String,
    pub disk_path: Option<String>,
    pub format: Format,
    pub title: String,
    pub url: Option<String>,
    pub publisher: Option<String>,
    pub date: Option<String>,
    pub author: Option<String>,
    pub fingerprint: Fingerprint,
}

/// One sentence as the index knows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SentenceRecord {
    /// Document number within the segment.
    pub doc: u32,
    /// Index into the document's `prose.sentences`.
    pub sentence: u32,
    pub paragraph: u32,
    /// Content words in the sentence (BM25 length).
    pub length: u32,
}

/// Why a segment could not be read.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum SegmentError {
    #[error("not a copydesk index segment")]
    BadMagic,
    #[error("written by index format {found}, this copydesk reads format {FORMAT_VERSION}")]
    Version { found: u32 },
    #[error("truncated or damaged ({0})")]
    Damaged(&'static str),
    #[error("checksum mismatch in the {0} section")]
    Checksum(&'static str),
}

const SECTION_NAMES: [&str; SECTIONS] = ["documents", "metadata", "sentences", "term hash", "term offset", "postings"];

/// Collects documents and their sentence terms, then writes a segment.
#[derive(Debug, Default)]
pub struct SegmentBuilder {
    terms: HashMap<u64, u32, BuildIdentity>,
    postings: Vec<Vec<u32>>,
    sentences: Vec<SentenceRecord>,
    documents: Vec<(DocumentMeta, u32, u32)>,
    total_length: u64,
    full: bool,
}

/// Per sentence: its paragraph, its length and its (term hash, frequency) pairs.
pub type SentenceTerms = (u32, u32, Vec<(u64, u16)>);

impl SegmentBuilder {
    pub fn new() -> SegmentBuilder {
        SegmentBuilder::default()
    }

    pub fn document_count(&self) -> usize {
        self.documents.len()
    }

    pub fn sentence_count(&self) -> usize {
        self.sentences.len()
    }

    /// Adds a document and its sentences' terms. Sentences past [`MAX_SENTENCES`] are left out
    /// of the index (the document stays listed).
    pub fn add(&mut self, meta: DocumentMeta, sentences: Vec<SentenceTerms>) {
        let doc = self.documents.len() as u32;
        let first = self.sentences.len() as u32;
        for (number, (paragraph, length, counts)) in sentences.into_iter().enumerate() {
            if self.sentences.len() >= MAX_SENTENCES {
                self.full = true;
                break;
            }
            let id = self.sentences.len() as u32;
            for (hash, tf) in counts {
                let next = self.postings.len() as u32;
                let term = *self.terms.entry(hash).or_insert(next);
                if term == next {
                    self.postings.push(Vec::new());
                }
                self.postings[term as usize].push(pack(id, tf));
            }
            self.total_length += length as u64;
            self.sentences.push(SentenceRecord { doc, sentence: number as u32, paragraph, length });
        }
        let count = self.sentences.len() as u32 - first;
        self.documents.push((meta, first, count));
    }

    /// About how many bytes [`SegmentBuilder::write_to`] writes (for reserving memory).
    fn byte_len(&self) -> usize {
        let postings: usize = self.postings.iter().map(|p| p.len() * 4).sum();
        let meta: usize = self.documents.iter().map(|(m, _, _)| 32 + m.path.len() + m.title.len() + m.disk_path.as_ref().map_or(0, |p| p.len())).sum();
        HEADER_LEN + self.documents.len() * DOC_RECORD + meta + self.sentences.len() * SENTENCE_RECORD + self.terms.len() * 12 + postings + 64
    }

    /// Writes the segment. The builder's postings are released term by term as they are
    /// written, so the peak is about one copy of the postings, not two.
    /// Returns the bytes written and the header checksum.
    pub fn write_to<W: Write>(mut self, out: &mut W) -> io::Result<(u64, u64)> {
        let mut metadata = Vec::new();
        let mut documents = Vec::with_capacity(self.documents.len() * DOC_RECORD);
        for (meta, first, count) in &self.documents {
            let start = metadata.len() as u32;
            encode_meta(meta, &mut metadata);
            let len = metadata.len() as u32 - start;
            documents.extend_from_slice(&first.to_le_bytes());
            documents.extend_from_slice(&count.to_le_bytes());
            documents.extend_from_slice(&meta.fingerprint.size.to_le_bytes());
            documents.extend_from_slice(&meta.fingerprint.mtime_ns.to_le_bytes());
            documents.extend_from_slice(&meta.fingerprint.hash.to_le_bytes());
            documents.extend_from_slice(&start.to_le_bytes());
            documents.extend_from_slice(&len.to_le_bytes());
        }
        let mut sentences = Vec::with_capacity(self.sentences.len() * SENTENCE_RECORD);
        for s in &self.sentences {
            for v in [s.doc, s.sentence, s.paragraph, s.length] {
                sentences.extend_from_slice(&v.to_le_bytes());
            }
        }
        let mut order: Vec<(u64, u32)> = self.terms.iter().map(|(&h, &t)| (h, t)).collect();
        order.sort_unstable();
        let mut hashes = Vec::with_capacity(order.len() * 8);
        let mut offsets = Vec::with_capacity((order.len() + 1) * 4);
        let mut at: u64 = 0;
        for &(hash, term) in &order {
            hashes.extend_from_slice(&hash.to_le_bytes());
            offsets.extend_from_slice(&(at as u32).to_le_bytes());
            at += self.postings[term as usize].len() as u64;
        }
        if at > u32::MAX as u64 {
            return Err(io::Error::other("more than 4 billion postings in one segment"));
        }
        offsets.extend_from_slice(&(at as u32).to_le_bytes());

        // Section lengths are known before the postings are streamed: the header goes first.
        let lens = [documents.len(), metadata.len(), sentences.len(), hashes.len(), offsets.len(), at as usize * 4];
        let mut offsets_in_file = [0u64; SECTIONS];
        let mut position = align8(HEADER_LEN) as u64;
        for (i, len) in lens.iter().enumerate() {
            offsets_in_file[i] = position;
            position = align8(position as usize + len) as u64;
        }
        let total = position;
        // Postings are hashed in one pass and written in a second, straight from the
        // builder's lists, so they are never copied whole.
        let mut postings_hash = Xxh3::new();
        let mut buffer: Vec<u8> = Vec::new();
        for &(_, term) in &order {
            buffer.clear();
            for p in &self.postings[term as usize] {
                buffer.extend_from_slice(&p.to_le_bytes());
            }
            postings_hash.update(&buffer);
        }
        let checksums = [
            xxh3_64(&documents),
            xxh3_64(&metadata),
            xxh3_64(&sentences),
            xxh3_64(&hashes),
            xxh3_64(&offsets),
            postings_hash.digest(),
        ];
        let mut header = Vec::with_capacity(HEADER_LEN);
        header.extend_from_slice(MAGIC);
        header.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        header.extend_from_slice(&0u32.to_le_bytes());
        for v in [self.documents.len() as u32, self.sentences.len() as u32, order.len() as u32, 0] {
            header.extend_from_slice(&v.to_le_bytes());
        }
        header.extend_from_slice(&self.total_length.to_le_bytes());
        for i in 0..SECTIONS {
            header.extend_from_slice(&offsets_in_file[i].to_le_bytes());
            header.extend_from_slice(&(lens[i] as u64).to_le_bytes());
            header.extend_from_slice(&checksums[i].to_le_bytes());
        }
        let header_hash = xxh3_64(&header);
        header.extend_from_slice(&header_hash.to_le_bytes());
        debug_assert_eq!(header.len(), HEADER_LEN);

        let mut written = 0u64;
        let mut put = |bytes: &[u8], out: &mut W| -> io::Result<()> {
            out.write_all(bytes)?;
            written += bytes.len() as u64;
            let pad = align8(written as usize) - written as usize;
            out.write_all(&[0u8; 8][..pad])?;
            written += pad as u64;
            Ok(())
        };
        put(&header, out)?;
        for section in [documents, metadata, sentences, hashes, offsets] {
            put(&section, out)?;
        }
        let mut postings_len = 0;
        for &(_, term) in &order {
            let list = std::mem::take(&mut self.postings[term as usize]);
            buffer.clear();
            for p in list {
                buffer.extend_from_slice(&p.to_le_bytes());
            }
            out.write_all(&buffer)?;
            postings_len += buffer.len();
        }
        written += postings_len as u64;
        let pad = align8(written as usize) - written as usize;
        out.write_all(&[0u8; 8][..pad])?;
        written += pad as u64;
        debug_assert_eq!(written, total);
        Ok((written, header_hash))
    }

    /// The segment as bytes in memory.
    pub fn into_bytes(self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.byte_len());
        self.write_to(&mut out).expect("writing to memory cannot fail");
        out
    }
}

fn align8(n: usize) -> usize {
    (n + 7) & !7
}

fn encode_meta(meta: &DocumentMeta, out: &mut Vec<u8>) {
    out.push(format_code(meta.format));
    let mut string = |s: Option<&str>| match s {
        Some(s) => {
            out.extend_from_slice(&(s.len() as u32).to_le_bytes());
            out.extend_from_slice(s.as_bytes());
        }
        None => out.extend_from_slice(&u32::MAX.to_le_bytes()),
    };
    string(Some(&meta.path));
    string(meta.disk_path.as_deref());
    string(Some(&meta.title));
    string(meta.url.as_deref());
    string(meta.publisher.as_deref());
    string(meta.date.as_deref());
    string(meta.author.as_deref());
}

fn format_code(format: Format) -> u8 {
    match format {
        Format::PlainText => 0,
        Format::Markdown => 1,
        Format::Html => 2,
    }
}

fn format_of(code: u8) -> Option<Format> {
    match code {
        0 => Some(Format::PlainText),
        1 => Some(Format::Markdown),
        2 => Some(Format::Html),
        _ => None,
    }
}

/// Where a segment's sections are, read from its header once.
#[derive(Debug, Clone, Copy)]
pub struct Layout {
    pub documents: u32,
    pub sentences: u32,
    pub terms: u32,
    pub total_length: u64,
    sections: [(usize, usize); SECTIONS],
}

/// A segment read in place.
#[derive(Debug, Clone, Copy)]
pub struct SegmentView<'a> {
    bytes: &'a [u8],
    pub layout: Layout,
}

impl std::ops::Deref for SegmentView<'_> {
    type Target = Layout;
    fn deref(&self) -> &Layout {
        &self.layout
    }
}

/// Section numbers.
const DOCS: usize = 0;
const META: usize = 1;
const SENTS: usize = 2;
const HASHES: usize = 3;
const OFFSETS: usize = 4;
const POSTINGS: usize = 5;

fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

fn u64_at(bytes: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(bytes.get(at..at + 8)?.try_into().ok()?))
}

/// The checksum of a segment's header, which covers every section checksum: the manifest
/// records it to tell one segment file from another.
pub fn header_checksum(bytes: &[u8]) -> Option<u64> {
    u64_at(bytes, HEADER_LEN - 8)
}

impl<'a> SegmentView<'a> {
    /// Reads the header and checks the layout. With `verify`, every section's checksum too.
    pub fn open(bytes: &'a [u8], verify: bool) -> Result<SegmentView<'a>, SegmentError> {
        if bytes.len() < HEADER_LEN || &bytes[..8] != MAGIC {
            return Err(SegmentError::BadMagic);
        }
        let version = u32_at(bytes, 8).ok_or(SegmentError::BadMagic)?;
        if version != FORMAT_VERSION {
            return Err(SegmentError::Version { found: version });
        }
        if xxh3_64(&bytes[..HEADER_LEN - 8]) != u64_at(bytes, HEADER_LEN - 8).unwrap_or(0) {
            return Err(SegmentError::Checksum("header"));
        }
        let documents = u32_at(bytes, 16).unwrap_or(0);
        let sentences = u32_at(bytes, 20).unwrap_or(0);
        let terms = u32_at(bytes, 24).unwrap_or(0);
        let total_length = u64_at(bytes, 32).unwrap_or(0);
        let mut sections = [(0usize, 0usize); SECTIONS];
        for (i, section) in sections.iter_mut().enumerate() {
            let base = 40 + i * 24;
            let offset = u64_at(bytes, base).unwrap_or(u64::MAX);
            let len = u64_at(bytes, base + 8).unwrap_or(u64::MAX);
            let end = offset.checked_add(len).ok_or(SegmentError::Damaged("section bounds"))?;
            if end > bytes.len() as u64 {
                return Err(SegmentError::Damaged("file shorter than its sections"));
            }
            *section = (offset as usize, len as usize);
            if verify {
                let expected = u64_at(bytes, base + 16).unwrap_or(0);
                if xxh3_64(&bytes[offset as usize..end as usize]) != expected {
                    return Err(SegmentError::Checksum(SECTION_NAMES[i]));
                }
            }
        }
        // The file ends where its last section (padded) ends: a truncated or extended file is
        // not the one that was written.
        let end = sections.iter().map(|(offset, len)| offset + len).max().unwrap_or(HEADER_LEN);
        if bytes.len() != align8(end) {
            return Err(SegmentError::Damaged("file length"));
        }
        let expect = |i: usize, len: usize, what: &'static str| {
            if sections[i].1 == len {
                Ok(())
            } else {
                Err(SegmentError::Damaged(what))
            }
        };
        expect(DOCS, documents as usize * DOC_RECORD, "document table size")?;
        expect(SENTS, sentences as usize * SENTENCE_RECORD, "sentence table size")?;
        expect(HASHES, terms as usize * 8, "term table size")?;
        expect(OFFSETS, (terms as usize + 1) * 4, "term offsets size")?;
        let view = SegmentView { bytes, layout: Layout { documents, sentences, terms, total_length, sections } };
        if u32_at(view.section(OFFSETS), terms as usize * 4).map(|end| end as usize * 4) != Some(view.section(POSTINGS).len()) {
            return Err(SegmentError::Damaged("postings size"));
        }
        Ok(view)
    }

    /// A view of `bytes` with a layout [`SegmentView::open`] already checked against them.
    pub fn with_layout(bytes: &'a [u8], layout: Layout) -> SegmentView<'a> {
        SegmentView { bytes, layout }
    }

    fn section(&self, i: usize) -> &'a [u8] {
        let (offset, len) = self.layout.sections[i];
        &self.bytes[offset..offset + len]
    }

    /// The postings of a term (packed sentence id and frequency), empty when it is not here.
    pub fn postings(&self, hash: u64) -> &'a [u8] {
        let hashes = self.section(HASHES);
        let (mut low, mut high) = (0usize, self.terms as usize);
        while low < high {
            let mid = (low + high) / 2;
            match u64_at(hashes, mid * 8).unwrap_or(u64::MAX).cmp(&hash) {
                std::cmp::Ordering::Less => low = mid + 1,
                std::cmp::Ordering::Greater => high = mid,
                std::cmp::Ordering::Equal => {
                    let offsets = self.section(OFFSETS);
                    let start = u32_at(offsets, mid * 4).unwrap_or(0) as usize * 4;
                    let end = u32_at(offsets, mid * 4 + 4).unwrap_or(0) as usize * 4;
                    return self.section(POSTINGS).get(start..end).unwrap_or(&[]);
                }
            }
        }
        &[]
    }

    pub fn sentence(&self, id: u32) -> Option<SentenceRecord> {
        let s = self.section(SENTS);
        let at = id as usize * SENTENCE_RECORD;
        Some(SentenceRecord {
            doc: u32_at(s, at)?,
            sentence: u32_at(s, at + 4)?,
            paragraph: u32_at(s, at + 8)?,
            length: u32_at(s, at + 12)?,
        })
    }

    /// Every sentence's record: document, sentence, paragraph, length (little-endian u32s).
    pub fn sentence_records(&self) -> &'a [[u8; SENTENCE_RECORD]] {
        self.section(SENTS).as_chunks::<SENTENCE_RECORD>().0
    }


    /// A document's first sentence and sentence count.
    pub fn document_sentences(&self, doc: u32) -> Option<(u32, u32)> {
        let d = self.section(DOCS);
        let at = doc as usize * DOC_RECORD;
        Some((u32_at(d, at)?, u32_at(d, at + 4)?))
    }

    /// A document's stored description.
    pub fn document(&self, doc: u32) -> Result<DocumentMeta, SegmentError> {
        let d = self.section(DOCS);
        let at = doc as usize * DOC_RECORD;
        let damaged = SegmentError::Damaged("document record");
        let fingerprint = Fingerprint {
            size: u64_at(d, at + 8).ok_or(damaged.clone())?,
            mtime_ns: u64_at(d, at + 16).ok_or(damaged.clone())?,
            hash: u64_at(d, at + 24).ok_or(damaged.clone())?,
        };
        let start = u32_at(d, at + 32).ok_or(damaged.clone())? as usize;
        let len = u32_at(d, at + 36).ok_or(damaged.clone())? as usize;
        let meta = self.section(META).get(start..start + len).ok_or(damaged.clone())?;
        let format = format_of(*meta.first().ok_or(damaged.clone())?).ok_or(damaged.clone())?;
        let mut at = 1;
        let mut string = || -> Result<Option<String>, SegmentError> {
            let len = u32_at(meta, at).ok_or(SegmentError::Damaged("document metadata"))?;
            at += 4;
            if len == u32::MAX {
                return Ok(None);
            }
            let bytes = meta.get(at..at + len as usize).ok_or(SegmentError::Damaged("document metadata"))?;
            at += len as usize;
            Ok(Some(String::from_utf8_lossy(bytes).into_owned()))
        };
        let path = string()?.unwrap_or_default();
        let disk_path = string()?;
        let title = string()?.unwrap_or_default();
        let url = string()?;
        let publisher = string()?;
        let date = string()?;
        let author = string()?;
        Ok(DocumentMeta { path, disk_path, format, title, url, publisher, date, author, fingerprint })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(path: &str) -> DocumentMeta {
        DocumentMeta {
            path: path.into(),
            disk_path: Some(format!("/corpus/{path}")),
            format: Format::Markdown,
            title: "A title".into(),
            url: Some("https://example.com/a".into()),
            publisher: None,
            date: Some("2025-01-02".into()),
            author: Some("Ada Byron".into()),
            fingerprint: Fingerprint { size: 10, mtime_ns: 20, hash: 30 },
        }
    }

    fn sample() -> Vec<u8> {
        let mut builder = SegmentBuilder::new();
        builder.add(meta("a.md"), vec![(0, 3, vec![(7, 1), (9, 2)]), (1, 1, vec![(7, 1)])]);
        builder.add(meta("b.md"), vec![(0, 2, vec![(9, 1), (11, 1)])]);
        builder.into_bytes()
    }

    #[test]
    fn round_trips_documents_sentences_and_postings() {
        let bytes = sample();
        let view = SegmentView::open(&bytes, true).unwrap();
        assert_eq!((view.documents, view.sentences, view.terms, view.total_length), (2, 3, 3, 6));
        assert_eq!(view.document(1).unwrap(), meta("b.md"));
        assert_eq!(view.document_sentences(0), Some((0, 2)));
        assert_eq!(view.sentence(2), Some(SentenceRecord { doc: 1, sentence: 0, paragraph: 0, length: 2 }));
        let postings: Vec<(u32, u32)> =
            view.postings(9).chunks_exact(4).map(|c| unpack(u32::from_le_bytes(c.try_into().unwrap()))).collect();
        assert_eq!(postings, vec![(0, 2), (2, 1)]);
        assert!(view.postings(8).is_empty());
        assert_eq!(view.sentence(3), None);
    }

    #[test]
    fn every_damaged_byte_is_detected_or_harmless() {
        let bytes = sample();
        for at in 0..bytes.len() {
            let mut copy = bytes.clone();
            copy[at] ^= 0x5a;
            // Flipping a padding byte changes nothing the reader uses; anything else is caught.
            if let Ok(view) = SegmentView::open(&copy, true) {
                assert_eq!(view.document(0), SegmentView::open(&bytes, true).unwrap().document(0), "byte {at}");
            }
        }
        for len in 0..bytes.len() {
            assert!(SegmentView::open(&bytes[..len], false).is_err(), "truncated to {len}");
        }
    }

    #[test]
    fn other_versions_are_refused() {
        let mut bytes = sample();
        bytes[8] = 99;
        assert_eq!(SegmentView::open(&bytes, false).unwrap_err(), SegmentError::Version { found: 99 });
        assert_eq!(SegmentView::open(b"hello world", false).unwrap_err(), SegmentError::BadMagic);
    }
}
