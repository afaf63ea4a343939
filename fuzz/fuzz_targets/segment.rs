//! The index segment reader on arbitrary bytes (a segment file damaged, truncated or made up):
//! opening never panics, and whatever opens reads back within bounds. Half of the inputs get a
//! correct header checksum and half also correct section checksums (chosen by the first byte),
//! so the fuzzer reaches the readers behind the checks, as a segment this process trusts would.

#![no_main]

use copydesk::corpus::segment::{unpack, SegmentView, HEADER_LEN};
use copydesk::corpus::{Bytes, Index, Segment};
use libfuzzer_sys::fuzz_target;
use xxhash_rust::xxh3::xxh3_64;

fn u64_at(bytes: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(bytes.get(at..at + 8)?.try_into().ok()?))
}

/// Rewrites the section checksums (when asked) and the header checksum to match the bytes.
fn seal(bytes: &mut [u8], sections: bool) {
    if bytes.len() < HEADER_LEN {
        return;
    }
    if sections {
        for i in 0..6 {
            let base = 40 + i * 24;
            let (Some(offset), Some(len)) = (u64_at(bytes, base), u64_at(bytes, base + 8)) else { continue };
            let Some(end) = offset.checked_add(len).filter(|&e| e <= bytes.len() as u64) else { continue };
            let sum = xxh3_64(&bytes[offset as usize..end as usize]);
            bytes[base + 16..base + 24].copy_from_slice(&sum.to_le_bytes());
        }
    }
    let sum = xxh3_64(&bytes[..HEADER_LEN - 8]);
    bytes[HEADER_LEN - 8..HEADER_LEN].copy_from_slice(&sum.to_le_bytes());
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else { return };
    let mut bytes = rest.to_vec();
    match mode % 4 {
        0 => {}
        1 => seal(&mut bytes, false),
        _ => seal(&mut bytes, true),
    }
    let verified = SegmentView::open(&bytes, true);
    let Ok(view) = SegmentView::open(&bytes, false) else {
        assert!(verified.is_err(), "a segment that fails the layout checks passed with checksums");
        return;
    };
    for doc in 0..view.documents.min(64) {
        let _ = view.document(doc);
        if let Some((first, count)) = view.document_sentences(doc) {
            let _ = (first, count);
        }
    }
    assert!(view.document(view.documents).is_err(), "a document past the count reads");
    for id in 0..view.sentences.min(256) {
        assert!(view.sentence(id).is_some(), "sentence {id} of {} is missing", view.sentences);
    }
    assert_eq!(view.sentence(view.sentences), None);
    assert_eq!(view.sentence_records().len(), view.sentences as usize);
    // Postings of hashes taken from the input, and of every stored hash near the start.
    for chunk in rest.chunks_exact(8).take(32) {
        let hash = u64::from_le_bytes(chunk.try_into().unwrap());
        let list = view.postings(hash);
        assert_eq!(list.len() % 4, 0);
        for packed in list.chunks_exact(4) {
            let _ = unpack(u32::from_le_bytes(packed.try_into().unwrap()));
        }
    }
    // The same bytes as an index: a search, lookups and removed documents stay in bounds.
    let documents = view.documents;
    let Ok(segment) = Segment::open(Bytes::Owned(bytes.clone()), false) else { panic!("opened as a view but not as a segment") };
    let removed: Vec<u32> = rest.iter().take(4).map(|&b| b as u32 % documents.max(1)).collect();
    let index = Index::new(vec![segment], &removed);
    assert_eq!(index.check_files(), Ok(()));
    let words: Vec<String> = String::from_utf8_lossy(rest).split_whitespace().take(8).map(str::to_lowercase).collect();
    for (id, score) in index.search(&words, 10) {
        assert!((id as usize) < index.sentence_count() && score.is_finite(), "hit {id} with score {score}");
        // A damaged record may name any document: only reading it must be safe.
        let _ = index.sentence(id);
    }
    let _ = index.idf("market");
    let _ = index.live_sentence_count();
});
