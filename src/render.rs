//! Output of the lint and extract commands: compiler-style text for people, JSON, SARIF and
//! GitHub annotations for tools, and a review page ([`html`]) for editors.
//!
//! The JSON field names are a contract (`version` 1): tools and the evaluation kit read them.
//! Fields may be added, never renamed or removed.

pub mod html;

use std::collections::HashMap;

use annotate_snippets::{Level, Renderer, Snippet};
use serde::Serialize;

use crate::corpus::Corpus;
use crate::claims::frame::Frame;
use crate::claims::figures::Quantity;
use crate::findings::{Checked, Evidence, Finding, Severity, Verdict};
use crate::position::{LineIndex, PositionEncoding, Range, Span};
use crate::prose::Format;

/// One checked draft, ready to render.
pub struct DraftResult<'a> {
    pub path: &'a str,
    pub text: &'a str,
    /// How the draft was read (the review page renders Markdown; the other formats ignore it).
    pub format: Format,
    pub findings: &'a [Finding],
    /// Every statistic and quotation the check read, flagged or not.
    pub checked: &'a [Checked],
}

#[derive(Serialize)]
struct JsonReport<'a> {
    version: u32,
    diagnostics: Vec<JsonDiagnostic<'a>>,
    /// Every statistic and quotation checked, with its verdict: the figures a reader can trust
    /// as well as those flagged.
    checked: Vec<JsonChecked<'a>>,
    summary: Summary,
}

#[derive(Serialize)]
struct JsonChecked<'a> {
    path: &'a str,
    range: Range,
    text: &'a str,
    /// `supported`, `flagged` or `no-source`.
    verdict: Verdict,
    /// Index in `diagnostics` of the first finding reported on exactly this range, if any.
    finding: Option<usize>,
    evidence: Option<JsonEvidence<'a>>,
    /// The sum that bears out a figure worked out from the source's figures, or the values of
    /// sources that disagree.
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    path: &'a str,
    code: &'static str,
    severity: &'static str,
    message: &'a str,
    range: Range,
    text: &'a str,
    evidence: Vec<JsonEvidence<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fix: Option<JsonFix<'a>>,
}

#[derive(Serialize)]
struct JsonEvidence<'a> {
    path: &'a str,
    title: &'a str,
    url: Option<&'a str>,
    range: Range,
    passage_range: Range,
    excerpt: &'a str,
    text: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    speaker: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonFix<'a> {
    /// What the fix replaces: the finding's own range, or the whole figure when the finding
    /// marks one end of a range.
    range: Range,
    replacement: &'a str,
}

/// Counts over all drafts.
#[derive(Serialize, Default, Debug, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    pub files: usize,
    pub errors: usize,
    pub warnings: usize,
    pub info: usize,
    pub hints: usize,
}

impl Summary {
    pub fn add(&mut self, findings: &[Finding]) {
        self.files += 1;
        for f in findings {
            match f.severity {
                Severity::Error => self.errors += 1,
                Severity::Warning => self.warnings += 1,
                Severity::Info => self.info += 1,
                Severity::Hint => self.hints += 1,
            }
        }
    }
}

fn evidence_json<'a>(corpus: &'a Corpus, ev: &'a Evidence) -> JsonEvidence<'a> {
    let info = corpus.documents.get(ev.doc as usize);
    // The document as it was checked; if its file changed since, positions are left at zero.
    let doc = corpus.document(ev.doc);
    let range = |span| doc.as_ref().map(|d| d.lines().range(&d.text, span, PositionEncoding::Utf16)).unwrap_or_default();
    JsonEvidence {
        path: info.map_or("", |d| &d.path),
        title: info.map_or("", |d| &d.title),
        url: info.and_then(|d| d.url.as_deref()),
        range: range(ev.figure),
        passage_range: range(ev.passage),
        excerpt: &ev.excerpt,
        text: &ev.text,
        speaker: ev.speaker.as_deref(),
    }
}

/// For each checked item, the index in `findings` of the first finding reported on exactly its
/// span: the item the finding is about (a finding on other words, such as a period or a speaker,
/// leaves the figure's own item unlinked).
pub fn linked_findings(findings: &[Finding], checked: &[Checked]) -> Vec<Option<usize>> {
    let mut first: HashMap<(usize, usize), usize> = HashMap::with_capacity(findings.len());
    for (i, f) in findings.iter().enumerate() {
        first.entry((f.span.start, f.span.end)).or_insert(i);
    }
    checked.iter().map(|c| first.get(&(c.span.start, c.span.end)).copied()).collect()
}

/// The JSON document for a lint run.
pub fn json(corpus: &Corpus, drafts: &[DraftResult]) -> String {
    let mut summary = Summary::default();
    let mut diagnostics = Vec::new();
    let mut checked = Vec::new();
    for draft in drafts {
        summary.add(draft.findings);
        let lines = LineIndex::new(draft.text);
        let base = diagnostics.len();
        for (c, link) in draft.checked.iter().zip(linked_findings(draft.findings, draft.checked)) {
            checked.push(JsonChecked {
                path: draft.path,
                range: lines.range(draft.text, c.span, PositionEncoding::Utf16),
                text: c.span.slice(draft.text),
                verdict: c.verdict,
                finding: link.map(|i| base + i),
                evidence: c.evidence.as_ref().map(|ev| evidence_json(corpus, ev)),
                note: c.note.as_deref(),
            });
        }
        for f in draft.findings {
            diagnostics.push(JsonDiagnostic {
                path: draft.path,
                code: f.code.as_str(),
                severity: f.severity.as_str(),
                message: &f.message,
                range: lines.range(draft.text, f.span, PositionEncoding::Utf16),
                text: f.span.slice(draft.text),
                evidence: f.evidence.iter().map(|ev| evidence_json(corpus, ev)).collect(),
                fix: f.fix.as_ref().map(|fix| JsonFix { range: lines.range(draft.text, fix.span, PositionEncoding::Utf16), replacement: &fix.replacement }),
            });
        }
    }
    let report = JsonReport { version: 1, diagnostics, checked, summary };
    serde_json::to_string_pretty(&report).expect("JSON of plain data") + "\n"
}

fn level(severity: Severity) -> Level {
    match severity {
        Severity::Error => Level::Error,
        Severity::Warning => Level::Warning,
        Severity::Info => Level::Info,
        Severity::Hint => Level::Help,
    }
}

/// Compiler-style text for one draft's findings.
pub fn human(corpus: &Corpus, draft: &DraftResult, color: bool) -> String {
    let renderer = if color { Renderer::styled() } else { Renderer::plain() };
    let lines = LineIndex::new(draft.text);
    let mut out = String::new();
    for f in draft.findings {
        let line = lines.line_of(f.span.start);
        let last_line = lines.line_of(f.span.end.saturating_sub(1).max(f.span.start));
        let first = lines.line_span(draft.text, line);
        let last = lines.line_span(draft.text, last_line);
        let source = Span::new(first.start, last.end.max(first.start)).slice(draft.text);
        let local = (f.span.start - first.start)..(f.span.end.min(last.end).max(f.span.start) - first.start);
        let label = match &f.fix {
            Some(fix) => format!("source: \"{}\"", fix.replacement),
            None => String::new(),
        };
        let notes: Vec<String> = f
            .evidence
            .iter()
            .map(|ev| {
                let Some(doc) = corpus.document(ev.doc) else {
                    return format!("source: {}", excerpt(&ev.excerpt, 240));
                };
                let pos = doc.lines().position(&doc.text, ev.figure.start, PositionEncoding::Utf16);
                format!("source: {}:{}:{} \u{201c}{}\u{201d}\n{}", doc.path, pos.line + 1, pos.character + 1, doc.title, excerpt(&ev.excerpt, 240))
            })
            .collect();
        let mut message = level(f.severity).title(&f.message).id(f.code.as_str()).snippet(
            Snippet::source(source)
                .line_start(line + 1)
                .origin(draft.path)
                .annotation(level(f.severity).span(local.clone()).label(&label)),
        );
        for note in &notes {
            message = message.footer(Level::Note.title(note));
        }
        let rendered = renderer.render(message).to_string();
        // annotate-snippets counts the header's column in characters; every other column
        // copydesk prints counts UTF-16 code units (see `crate::position`).
        let characters = source[..local.start].chars().count() + 1;
        let units = lines.position(draft.text, f.span.start, PositionEncoding::Utf16).character as usize + 1;
        let location = |column: usize| format!("{}:{}:{column}", draft.path, line + 1);
        out.push_str(&replace_in_origin_line(&rendered, &location(characters), &location(units)));
        out.push_str("\n\n");
    }
    out
}

/// `rendered` with `from` replaced by `to` on the first ` --> ` line that holds it.
fn replace_in_origin_line(rendered: &str, from: &str, to: &str) -> String {
    if from == to {
        return rendered.to_string();
    }
    let mut out = String::with_capacity(rendered.len());
    let mut done = false;
    for line in rendered.split_inclusive('\n') {
        if !done && line.contains("-->") {
            if let Some(at) = line.rfind(from) {
                out.push_str(&line[..at]);
                out.push_str(to);
                out.push_str(&line[at + from.len()..]);
                done = true;
                continue;
            }
        }
        out.push_str(line);
    }
    out
}

fn excerpt(text: &str, max: usize) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        flat
    } else {
        flat.chars().take(max).collect::<String>() + "…"
    }
}

#[derive(Serialize)]
struct JsonQuantity<'a> {
    path: &'a str,
    range: Range,
    text: &'a str,
    value: f64,
    high: Option<f64>,
    unit: Option<String>,
    bound: &'static str,
    direction: Option<crate::claims::figures::Direction>,
    /// What the figure counts: its measure's words, nearest first (absent for years and dates).
    #[serde(skip_serializing_if = "Option::is_none")]
    concept: Option<String>,
    /// The periods its clause names (`2021`, `Q2`, `H1`, `May`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    time: Vec<String>,
}

/// One file read by `copydesk extract`: its figures and each figure's frame.
pub struct ExtractedFile {
    pub path: String,
    pub text: String,
    pub quantities: Vec<Quantity>,
    /// One per quantity (None for years and dates), as [`crate::claims::frame::frames_of`] gives them.
    pub frames: Vec<Option<Frame>>,
}

/// How many measure words a figure's `concept` names.
const CONCEPT_WORDS: usize = 6;

/// The JSON document for `copydesk extract`.
pub fn extract_json(files: &[ExtractedFile]) -> String {
    let mut quantities = Vec::new();
    for ExtractedFile { path, text, quantities: found, frames } in files {
        let lines = LineIndex::new(text);
        for (q, frame) in found.iter().zip(frames.iter().chain(std::iter::repeat(&None))) {
            let concept = frame.as_ref().map(|f| f.concept(text, CONCEPT_WORDS).join(" ")).filter(|c| !c.is_empty());
            let time = frame.as_ref().map(|f| f.periods.iter().map(|(p, _)| p.label()).collect()).unwrap_or_default();
            quantities.push(JsonQuantity {
                path,
                range: lines.range(text, q.span, PositionEncoding::Utf16),
                text: q.span.slice(text),
                value: q.value,
                high: q.high,
                unit: q.counted(text).or_else(|| q.unit.name()),
                bound: q.bound.name(),
                direction: q.direction,
                concept,
                time,
            });
        }
    }
    serde_json::to_string_pretty(&serde_json::json!({ "version": 1, "quantities": quantities })).expect("JSON of plain data") + "\n"
}

/// `path:line:col: code message`, one line per finding.
pub fn concise(drafts: &[DraftResult]) -> String {
    let mut out = String::new();
    for draft in drafts {
        let lines = LineIndex::new(draft.text);
        for f in draft.findings {
            let pos = lines.position(draft.text, f.span.start, PositionEncoding::Utf16);
            out.push_str(&format!("{}:{}:{}: {} {}\n", draft.path, pos.line + 1, pos.character + 1, f.code, f.message));
        }
    }
    out
}

/// GitHub Actions workflow commands (`::error file=...,line=...,col=...::message`).
pub fn github(drafts: &[DraftResult]) -> String {
    let mut out = String::new();
    for draft in drafts {
        let lines = LineIndex::new(draft.text);
        for f in draft.findings {
            let range = lines.range(draft.text, f.span, PositionEncoding::Utf16);
            let command = match f.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info | Severity::Hint => "notice",
            };
            out.push_str(&format!(
                "::{command} title=copydesk {code},file={file},line={line},col={col},endLine={end_line},endColumn={end_col}::{message}\n",
                code = f.code,
                file = escape_property(draft.path),
                line = range.start.line + 1,
                col = range.start.character + 1,
                end_line = range.end.line + 1,
                end_col = range.end.character + 1,
                message = escape_data(&f.message),
            ));
        }
    }
    out
}

fn escape_data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// A SARIF region: lines and columns 1-based, columns, `charOffset` and `charLength` in UTF-16
/// code units, as the run's `columnKind` declares.
fn sarif_region(lines: &LineIndex, text: &str, span: Span) -> serde_json::Value {
    let range = lines.range(text, span, PositionEncoding::Utf16);
    let start = lines.utf16_offset(text, span.start);
    let end = lines.utf16_offset(text, span.end);
    serde_json::json!({
        "startLine": range.start.line + 1,
        "startColumn": range.start.character + 1,
        "endLine": range.end.line + 1,
        "endColumn": range.end.character + 1,
        "charOffset": start,
        "charLength": end - start,
    })
}

/// SARIF 2.1.0 for code scanning: each finding with its source passage as a related location
/// and its fix as a SARIF fix; the rules with their help text.
pub fn sarif(corpus: &Corpus, drafts: &[DraftResult]) -> String {
    use crate::findings::Code;
    let rules: Vec<serde_json::Value> = Code::ALL
        .iter()
        .map(|code| {
            let e = crate::explain::explain(*code);
            serde_json::json!({
                "id": code.as_str(),
                "shortDescription": {"text": e.summary},
                "fullDescription": {"text": e.details},
                "help": {"text": crate::explain::render(*code)},
                "defaultConfiguration": {"level": sarif_level(code.default_severity())},
            })
        })
        .collect();
    let mut results = Vec::new();
    for draft in drafts {
        let lines = LineIndex::new(draft.text);
        for f in draft.findings {
            let rule_index = Code::ALL.iter().position(|c| *c == f.code).unwrap_or(0);
            let related: Vec<serde_json::Value> = f
                .evidence
                .iter()
                .enumerate()
                .filter_map(|(i, ev)| {
                    let doc = corpus.document(ev.doc)?;
                    Some(serde_json::json!({
                        "id": i + 1,
                        "message": {"text": format!("source passage in {}: {}", doc.title, excerpt(&ev.excerpt, 300))},
                        "physicalLocation": {
                            "artifactLocation": {"uri": uri_of(&doc.path)},
                            "region": sarif_region(doc.lines(), &doc.text, ev.passage),
                        },
                    }))
                })
                .collect();
            let mut result = serde_json::json!({
                "ruleId": f.code.as_str(),
                "ruleIndex": rule_index,
                "level": sarif_level(f.severity),
                "message": {"text": f.message},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": {"uri": uri_of(draft.path)},
                        "region": sarif_region(&lines, draft.text, f.span),
                    }
                }],
                "relatedLocations": related,
            });
            if let Some(fix) = &f.fix {
                result["fixes"] = serde_json::json!([{
                    "description": {"text": fix.title},
                    "artifactChanges": [{
                        "artifactLocation": {"uri": uri_of(draft.path)},
                        "replacements": [{
                            "deletedRegion": sarif_region(&lines, draft.text, fix.span),
                            "insertedContent": {"text": fix.replacement},
                        }],
                    }],
                }]);
            }
            results.push(result);
        }
    }
    let log = serde_json::json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "copydesk",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://crates.io/crates/copydesk",
                "rules": rules,
            }},
            "columnKind": "utf16CodeUnits",
            "results": results,
        }],
    });
    serde_json::to_string_pretty(&log).expect("JSON of plain data") + "\n"
}

fn sarif_level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Hint => "note",
    }
}

/// A relative URI reference for a path (forward slashes, spaces and the like escaped).
fn uri_of(path: &str) -> String {
    let path = path.replace('\\', "/");
    let mut out = String::new();
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"/-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::{check, CheckOptions};
    use crate::prose::Format;

    /// The header column of the human format is in UTF-16 code units, styled or not, and the
    /// message around it is left as annotate-snippets drew it.
    #[test]
    fn human_header_column_counts_utf16_with_and_without_color() {
        let corpus = Corpus::builtin();
        let text = "x\n😀 e\u{301} \u{1F1EB}\u{1F1F7} Our newsletter reaches 12,000 readers every week.\n";
        let (report, _) = check(text, Format::Markdown, &corpus, &CheckOptions::default());
        assert_eq!(report.findings.len(), 1, "{:?}", report.findings);
        let draft = DraftResult { path: "d.md", text, format: Format::Markdown, findings: &report.findings, checked: &report.checked };
        let line = text.lines().nth(1).unwrap();
        let column = line[..line.find("12,000").unwrap()].encode_utf16().count() + 1;
        assert_eq!(column, 35, "astral characters count 2, the combining mark 1");
        for color in [false, true] {
            let out = human(&corpus, &draft, color);
            assert!(out.contains(&format!("d.md:2:{column}\n")) || out.contains(&format!("d.md:2:{column}\u{1b}")), "{out}");
            assert!(!out.contains("d.md:2:31"), "code points: {out}");
            assert!(out.contains("Our newsletter reaches 12,000 readers"), "{out}");
        }
    }

    #[test]
    fn only_the_origin_line_is_rewritten() {
        let rendered = "info: see a.md:1:2 here\n --> a.md:1:2\n  |\n";
        assert_eq!(replace_in_origin_line(rendered, "a.md:1:2", "a.md:1:3"), "info: see a.md:1:2 here\n --> a.md:1:3\n  |\n");
        assert_eq!(replace_in_origin_line(rendered, "b.md:1:2", "b.md:1:3"), rendered);
    }
}
