//! Prose segmentation of arbitrary text as Markdown, HTML and plain text: the masked copy has
//! the text's length (so every offset means the same in both), paragraphs and sentences lie
//! inside the text on character boundaries, in order and without overlap (as
//! `Prose::sentence_at` relies on), and each sentence lies inside its paragraph.

#![no_main]

use copydesk::prose::{Format, Prose};
use fuzz_support::{assert_span, assert_within};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = fuzz_support::text(data);
    for format in [Format::Markdown, Format::Html, Format::PlainText] {
        let prose = Prose::new(&text, format);
        assert_eq!(prose.masked.len(), text.len(), "{format:?}: the masked copy changed length");
        if let Some(span) = prose.front_matter.span {
            assert_span(&text, span, "front matter");
        }
        let mut end = 0;
        for &paragraph in &prose.paragraphs {
            assert_span(&text, paragraph, "paragraph");
            assert!(paragraph.start >= end, "{format:?}: paragraph {paragraph:?} overlaps the one before (ends at {end})");
            end = paragraph.end;
        }
        let mut end = 0;
        for sentence in &prose.sentences {
            assert_span(&text, sentence.span, "sentence");
            assert!(sentence.span.start >= end, "{format:?}: sentence {:?} overlaps the one before", sentence.span);
            end = sentence.span.end;
            let paragraph = prose.paragraphs.get(sentence.paragraph).copied();
            let paragraph = paragraph.unwrap_or_else(|| panic!("{format:?}: sentence of paragraph {} of {}", sentence.paragraph, prose.paragraphs.len()));
            assert_within(sentence.span, paragraph, "sentence");
        }
        for (i, sentence) in prose.sentences.iter().enumerate() {
            if !sentence.span.is_empty() {
                assert_eq!(prose.sentence_at(sentence.span.start), Some(i), "{format:?}: sentence_at disagrees");
            }
        }
    }
});
