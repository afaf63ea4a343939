//! Quotation and speaker extraction on arbitrary drafts (Markdown and plain text) and sources:
//! every quotation's span, parts and speaker lie inside the text on character boundaries, the
//! parts lie inside the quotation, its paragraph exists, and extracting paragraph by paragraph
//! finds quotations inside those paragraphs. A source document's per-paragraph quotation
//! reading (the quotation check's path) must not panic either.

#![no_main]

use copydesk::claims::quotations;
use copydesk::corpus::Document;
use copydesk::prose::{Format, Prose};
use fuzz_support::{assert_span, assert_within};
use libfuzzer_sys::fuzz_target;

fn check_quotations(text: &str, prose: &Prose, found: &[quotations::Quotation]) {
    for q in found {
        assert_span(text, q.span, "quotation");
        assert!(q.paragraph < prose.paragraphs.len(), "quotation in paragraph {} of {}", q.paragraph, prose.paragraphs.len());
        assert!(!q.parts.is_empty(), "quotation {:?} has no parts", q.span);
        for &part in &q.parts {
            assert_span(text, part, "quotation part");
            assert_within(part, q.span, "quotation part");
        }
        if let Some(speaker) = &q.speaker {
            assert_span(text, speaker.span, "speaker");
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let text = fuzz_support::text(data);
    for format in [Format::Markdown, Format::PlainText] {
        let prose = Prose::new(&text, format);
        let all = quotations::extract(&prose);
        check_quotations(&text, &prose, &all);
        // Paragraph by paragraph, as the check reads a changed paragraph.
        for first in 0..prose.paragraphs.len().min(8) {
            let some = quotations::extract_paragraphs(&prose, first, first + 1);
            check_quotations(&text, &prose, &some);
            for q in &some {
                assert_eq!(q.paragraph, first, "a quotation from outside the paragraphs asked for");
            }
        }
        // The same text as a corpus document.
        let doc = Document::new("fuzz.txt".into(), None, text.to_string(), format);
        for paragraph in 0..doc.prose.paragraphs.len().min(8) {
            let _ = doc.paragraph_quotes(paragraph);
        }
    }
});
