//! Property tests: no input makes extraction or checking panic, and every span they report
//! lies inside the text on character boundaries; position conversion round-trips.

use copydesk::check::{check, CheckOptions};
use copydesk::corpus::Corpus;
use copydesk::claims::figures::extract;
use copydesk::position::{LineIndex, PositionEncoding};
use copydesk::prose::{Format, Prose};
use proptest::prelude::*;

fn newsy() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "nearly ", "30", "percent", "%", "US$", "S$", "400,000", "1.8", " billion", " million", "-", "–", " to ",
        " ", "\n", "\r\n", "\r", "\"", "“", "”", "’", "😀", "阿里巴巴", "é", "<!--", "-->", "`", "```", "|", "# ",
        "1. ", "[a](http://x.com/30%)", "half", "a third", "one in five", "more than ", "about ", "lower", "rose ",
        "Qwen3-235B", "GPT-4o", "9 a.m.", "since 1993", "---\n", "title: x\n", "…", ".", ",", "(", ")", "m2", "bn",
    ]);
    prop::collection::vec(pieces, 0..40).prop_map(|v| v.concat())
}

fn check_spans(text: &str, spans: impl Iterator<Item = copydesk::position::Span>) {
    for span in spans {
        assert!(span.start <= span.end && span.end <= text.len(), "{span:?} outside {} bytes", text.len());
        assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end), "{span:?} splits a character");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn extraction_never_panics_and_spans_fit(text in "\\PC{0,200}") {
        let found = extract(&text);
        check_spans(&text, found.iter().flat_map(|q| [q.span, q.number_span]));
    }

    #[test]
    fn newsy_text_extracts_with_valid_spans(text in newsy()) {
        for format in [Format::Markdown, Format::PlainText, Format::Html] {
            let prose = Prose::new(&text, format);
            prop_assert_eq!(prose.masked.len(), text.len());
            check_spans(&text, prose.sentences.iter().map(|s| s.span));
            let found = extract(&prose.masked);
            check_spans(&text, found.iter().flat_map(|q| [q.span, q.number_span]));
        }
    }

    #[test]
    fn checking_never_panics_and_spans_fit(text in newsy()) {
        static CORPUS: std::sync::OnceLock<Corpus> = std::sync::OnceLock::new();
        let corpus = CORPUS.get_or_init(Corpus::builtin);
        for format in [Format::Markdown, Format::PlainText] {
            let (report, _) = check(&text, format, corpus, &CheckOptions::default());
            check_spans(&text, report.findings.iter().map(|f| f.span));
            check_spans(&text, report.checked.iter().map(|c| c.span));
        }
    }

    #[test]
    fn positions_round_trip(text in "\\PC{0,80}", encoding in prop::bool::ANY) {
        let encoding = if encoding { PositionEncoding::Utf16 } else { PositionEncoding::Utf8 };
        let index = LineIndex::new(&text);
        for (offset, _) in text.char_indices() {
            let position = index.position(&text, offset, encoding);
            let (back, _) = index.offset(&text, position, encoding);
            // Offsets inside a line ending map to the end of the line's text.
            let line = index.line_span(&text, position.line as usize);
            if offset <= line.end {
                prop_assert_eq!(back, offset);
            }
        }
    }
}
