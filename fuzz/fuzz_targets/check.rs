//! The `check` entry point on an arbitrary draft (Markdown and plain text) against the built-in
//! seed corpus: every finding, checked statistic and fix span lies inside the draft on
//! character boundaries, evidence points into a real corpus document, and each finding span's
//! ends survive the byte offset -> line/column -> byte offset round trip through
//! `LineIndex` in UTF-16 and UTF-8 (an end inside a line break maps to the end of its line).

#![no_main]

use std::sync::OnceLock;

use copydesk::check::{check, CheckOptions};
use copydesk::corpus::Corpus;
use copydesk::position::{LineIndex, PositionEncoding};
use copydesk::prose::Format;
use fuzz_support::assert_span;
use libfuzzer_sys::fuzz_target;

fn corpus() -> &'static Corpus {
    static CORPUS: OnceLock<Corpus> = OnceLock::new();
    CORPUS.get_or_init(Corpus::builtin)
}

fn round_trip(text: &str, lines: &LineIndex, offset: usize) {
    for encoding in [PositionEncoding::Utf16, PositionEncoding::Utf8] {
        let position = lines.position(text, offset, encoding);
        let (back, clamped) = lines.offset(text, position, encoding);
        let line = lines.line_span(text, position.line as usize);
        if offset <= line.end {
            assert_eq!((back, clamped), (offset, false), "{encoding:?}: offset {offset} -> {position:?} -> {back}");
        } else {
            assert_eq!(back, line.end, "{encoding:?}: offset {offset} inside a line break -> {position:?} -> {back}");
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let text = fuzz_support::text(data);
    let corpus = corpus();
    let lines = LineIndex::new(&text);
    for format in [Format::Markdown, Format::PlainText] {
        let (report, _) = check(&text, format, corpus, &CheckOptions::default());
        for finding in &report.findings {
            assert_span(&text, finding.span, "finding");
            round_trip(&text, &lines, finding.span.start);
            round_trip(&text, &lines, finding.span.end);
            if let Some(fix) = &finding.fix {
                assert_span(&text, fix.span, "fix");
            }
            for evidence in &finding.evidence {
                let doc = corpus.document(evidence.doc).expect("evidence names a corpus document");
                assert_span(&doc.text, evidence.passage, "evidence passage");
                assert_span(&doc.text, evidence.figure, "evidence figure");
            }
        }
        for checked in &report.checked {
            assert_span(&text, checked.span, "checked statistic");
            if let Some(index) = checked.finding {
                assert!(index < report.findings.len(), "checked entry names finding {index} of {}", report.findings.len());
            }
        }
    }
});
