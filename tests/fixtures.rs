//! Matcher tests as data: every `tests/fixtures/drafts/NAME.md` is checked against the seeds,
//! and every draft of `tests/fixtures/cases/CASE/` against that case's `source/`; each must get
//! exactly the errors and warnings (and `not-in-cited-source` notes) its `NAME.expect` lists
//! (`LINE | CODE | TEXT`, TEXT a piece of the line the finding must cover), no more and no fewer.
//! A draft without a front matter `date` is checked as if today were 2026-06-01.

use std::path::Path;

use copydesk::check::{check, CheckOptions};
use copydesk::corpus::Corpus;
use copydesk::findings::Severity;
use copydesk::position::LineIndex;
use copydesk::prose::Format;

#[test]
fn fixture_drafts_get_exactly_their_expected_findings() {
    let corpus = Corpus::load(&[Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds")], None).expect("seeds load");
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/drafts");
    let failures = check_drafts_in(&dir, &corpus);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Cases with sources of their own: every `tests/fixtures/cases/NAME/` holds `source/` (the
/// corpus) and drafts with their `.expect`, as a newsroom's story folder would.
#[test]
fn fixture_cases_get_exactly_their_expected_findings_against_their_own_sources() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cases");
    let mut cases: Vec<_> = std::fs::read_dir(&root).unwrap().filter_map(|e| e.ok()).map(|e| e.path()).filter(|p| p.join("source").is_dir()).collect();
    cases.sort();
    assert!(!cases.is_empty());
    let mut failures = Vec::new();
    for case in cases {
        let corpus = Corpus::load(&[case.join("source")], None).expect("case sources load");
        failures.extend(check_drafts_in(&case, &corpus));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Checks every `.md` draft of `dir` against `corpus`; returns what differs from its `.expect`.
fn check_drafts_in(dir: &Path, corpus: &Corpus) -> Vec<String> {
    let mut drafts: Vec<_> = std::fs::read_dir(dir).unwrap().filter_map(|e| e.ok()).map(|e| e.path()).filter(|p| p.extension().is_some_and(|e| e == "md")).collect();
    drafts.sort();
    assert!(!drafts.is_empty(), "no drafts in {}", dir.display());
    let mut failures = Vec::new();
    for draft in drafts {
        let text = std::fs::read_to_string(&draft).unwrap();
        let expect = std::fs::read_to_string(draft.with_extension("expect")).unwrap();
        let lines = LineIndex::new(&text);
        // A draft without a date of its own is dated "today": fixed, so that expectations hold.
        let options = CheckOptions { today: copydesk::claims::dates::Day::new(2026, 6, 1), ..CheckOptions::default() };
        let (report, _) = check(&text, Format::Markdown, corpus, &options);
        let mut found: Vec<(usize, String, String)> = report
            .findings
            .iter()
            // `not-in-cited-source` is info, but a case may expect it: it is held to its labels too.
            .filter(|f| matches!(f.severity, Severity::Error | Severity::Warning) || f.code == copydesk::findings::Code::NotInCitedSource)
            .map(|f| (lines.line_of(f.span.start) + 1, f.code.to_string(), f.span.slice(&text).to_string()))
            .collect();
        for row in expect.lines().filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#')) {
            let parts: Vec<&str> = row.splitn(3, '|').map(str::trim).collect();
            let (line, code, piece) = (parts[0].parse::<usize>().unwrap(), parts[1], parts[2]);
            match found.iter().position(|(l, c, t)| *l == line && c == code && (t.contains(piece) || piece.contains(t.as_str()))) {
                Some(i) => {
                    found.remove(i);
                }
                None => failures.push(format!("{}: missing {line} | {code} | {piece}", draft.display())),
            }
        }
        for (line, code, t) in found {
            failures.push(format!("{}: unexpected {line} | {code} | {t}", draft.display()));
        }
    }
    failures
}

/// A draft with no date of its own, checked without a fixed today, is dated by the clock: a
/// guess, so what its kept relative times mean is said at info level.
#[test]
fn a_draft_dated_only_by_the_clock_gets_relative_date_at_info_level() {
    let case = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cases/dates");
    let corpus = Corpus::load(&[case.join("source")], None).expect("case sources load");
    let text = std::fs::read_to_string(case.join("f-undated-draft.md")).unwrap();
    let (report, _) = check(&text, Format::Markdown, &corpus, &CheckOptions::default());
    let relative: Vec<_> = report.findings.iter().filter(|f| f.code.as_str() == "relative-date").collect();
    assert_eq!(relative.len(), 1, "{:?}", report.findings);
    assert_eq!(relative[0].severity, Severity::Info);
    assert!(relative[0].message.contains("dated 2024-06-03"), "{}", relative[0].message);
}

#[test]
fn every_seed_checked_against_the_seeds_raises_nothing() {
    let corpus = Corpus::builtin();
    for (path, text) in copydesk::corpus::BUILTIN_SEEDS {
        let (report, _) = check(text, Format::PlainText, &corpus, &CheckOptions::default());
        let loud: Vec<_> = report.findings.iter().filter(|f| f.severity <= Severity::Warning).map(|f| &f.message).collect();
        assert!(loud.is_empty(), "{path}: {loud:?}");
    }
}

#[test]
fn checking_is_deterministic() {
    let corpus = Corpus::builtin();
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sample.md")).unwrap();
    let first = check(&text, Format::Markdown, &corpus, &CheckOptions::default()).0;
    for _ in 0..3 {
        assert_eq!(check(&text, Format::Markdown, &corpus, &CheckOptions::default()).0, first);
    }
}

#[test]
fn cached_checks_equal_fresh_checks_across_edits() {
    use copydesk::check::{check_with_cache, SentenceCache};
    let corpus = Corpus::builtin();
    let options = CheckOptions::default();
    let cache = SentenceCache::new();
    let mut text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sample.md")).unwrap();
    for edit in 0..4 {
        let fresh = check(&text, Format::Markdown, &corpus, &options).0;
        let cached = check_with_cache(&text, Format::Markdown, &corpus, &options, Some(&cache)).0;
        assert_eq!(cached, fresh, "after edit {edit}");
        // Shift everything after the first paragraph, and change one figure.
        text.insert_str(text.find("# ").unwrap(), "New opening line. ");
        text = text.replacen("US$4 million", if edit % 2 == 0 { "US$400,000" } else { "US$4 million" }, 1);
    }
    assert!(!cache.is_empty());
}

#[test]
fn cached_quotation_checks_equal_fresh_checks_across_edits() {
    use copydesk::check::{check_with_cache, SentenceCache};
    let corpus = Corpus::builtin();
    let options = CheckOptions::default();
    let cache = SentenceCache::new();
    let mut text = String::from(
        "Wang Wen said the models \"are cheap, sometimes free, and they work very well.\"\n\n\"We would never go all-in with a Chinese model provider,\" Barton said.\n\nWestern open-source offerings are \"just not as interesting,\" said Mark Barton.\n",
    );
    for edit in 0..4 {
        let fresh = check(&text, Format::Markdown, &corpus, &options).0;
        let cached = check_with_cache(&text, Format::Markdown, &corpus, &options, Some(&cache)).0;
        assert_eq!(cached, fresh, "after edit {edit}");
        assert!(fresh.findings.iter().any(|f| f.code.as_str() == "misquote"));
        text.insert_str(0, "A new first paragraph.\n\n");
        text = if edit % 2 == 0 { text.replacen("Mark Barton", "the entrepreneur", 1) } else { text.replacen("the entrepreneur", "Mark Barton", 1) };
    }
}
