//! Derived figures as data: each case of `tests/fixtures/derived/cases.txt` is a source
//! paragraph and a draft sentence worked out from it, checked against a corpus of that source
//! and the unrelated articles of `tests/fixtures/derived/background/`, with what the check must
//! say of one draft figure:
//!
//! - `supported | TEXT | SUM`: the figure TEXT is supported, its hover's arithmetic reading SUM;
//! - `mismatch | TEXT | SUM`: a `number-mismatch` on TEXT whose message shows SUM;
//! - `silent | TEXT`: no error or warning on the draft, and no arithmetic for TEXT (figures
//!   of different facts are never combined).
//!
//! Cases are separated by a line `---`; within one, `source:` and `draft:` lines (a source may
//! take several) and one `expect:` line. `#` lines are comments.

use std::path::Path;

use copydesk::check::{check, CheckOptions};
use copydesk::corpus::{Corpus, Document};
use copydesk::findings::{Code, Severity, Verdict};
use copydesk::prose::Format;

struct Case {
    name: String,
    source: String,
    draft: String,
    expect: Vec<String>,
}

fn cases() -> Vec<Case> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/derived");
    let text = std::fs::read_to_string(root.join("cases.txt")).unwrap();
    let mut out = Vec::new();
    for block in text.split("\n---\n") {
        let mut case = Case { name: String::new(), source: String::new(), draft: String::new(), expect: Vec::new() };
        for line in block.lines() {
            if let Some(name) = line.strip_prefix("# ") {
                if case.name.is_empty() {
                    case.name = name.trim().to_string();
                }
            } else if let Some(s) = line.strip_prefix("source:") {
                case.source.push_str(s.trim());
                case.source.push_str("\n\n");
            } else if let Some(d) = line.strip_prefix("draft:") {
                case.draft.push_str(d.trim());
                case.draft.push('\n');
            } else if let Some(e) = line.strip_prefix("expect:") {
                case.expect = e.split('|').map(|p| p.trim().to_string()).collect();
            }
        }
        if !case.draft.is_empty() {
            out.push(case);
        }
    }
    out
}

fn background() -> Vec<Document> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/derived/background");
    let mut paths: Vec<_> = std::fs::read_dir(&dir).unwrap().filter_map(|e| e.ok()).map(|e| e.path()).collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| Document::new(p.display().to_string(), None, std::fs::read_to_string(&p).unwrap(), Format::PlainText))
        .collect()
}

#[test]
fn derived_figures_are_checked_with_their_arithmetic() {
    let cases = cases();
    assert!(cases.len() >= 40, "the table holds {} cases", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let mut documents = background();
        documents.push(Document::new("source.txt".into(), None, case.source.clone(), Format::PlainText));
        let corpus = Corpus::from_documents(documents, Vec::new(), 0);
        let (report, _) = check(&case.draft, Format::Markdown, &corpus, &CheckOptions::default());
        let kind = case.expect[0].as_str();
        let piece = case.expect.get(1).map(String::as_str).unwrap_or("");
        let sum = case.expect.get(2).map(String::as_str).unwrap_or("");
        let covers = |span: copydesk::position::Span| {
            let t = span.slice(&case.draft);
            !t.is_empty() && (t.contains(piece) || piece.contains(t))
        };
        let loud: Vec<_> = report.findings.iter().filter(|f| f.severity <= Severity::Warning).collect();
        let checked = report.checked.iter().find(|c| covers(c.span));
        let ok = match kind {
            "supported" => loud.is_empty() && checked.is_some_and(|c| c.verdict == Verdict::Supported && c.note.as_deref().is_some_and(|a| a.contains(sum))),
            "mismatch" => loud.len() == 1 && loud[0].code == Code::NumberMismatch && covers(loud[0].span) && loud[0].message.contains(sum),
            "silent" => loud.is_empty() && checked.is_none_or(|c| c.note.is_none()),
            other => panic!("{}: unknown expectation {other}", case.name),
        };
        if !ok {
            failures.push(format!(
                "{}: expected {kind} {piece:?} {sum:?}; got findings {:?}, checked {:?}",
                case.name,
                report.findings.iter().map(|f| format!("{} {:?}: {}", f.code, f.span.slice(&case.draft), f.message)).collect::<Vec<_>>(),
                report.checked.iter().map(|c| format!("{:?} {:?} {:?}", c.span.slice(&case.draft), c.verdict, c.note)).collect::<Vec<_>>(),
            ));
        }
    }
    assert!(failures.is_empty(), "{} of {} cases failed:\n{}", failures.len(), cases.len(), failures.join("\n"));
}
