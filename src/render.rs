//! Output of the lint and extract commands: compiler-style text for people, JSON for tools.
//!
//! The JSON field names are a contract (`version` 1): tools and the evaluation kit read them.

use annotate_snippets::{Level, Renderer, Snippet};
use serde::Serialize;

use crate::corpus::Corpus;
use crate::extract::Quantity;
use crate::findings::{Evidence, Finding, Severity};
use crate::position::{LineIndex, PositionEncoding, Range, Span};

/// One checked draft, ready to render.
pub struct DraftResult<'a> {
    pub path: &'a str,
    pub text: &'a str,
    pub findings: &'a [Finding],
}

#[derive(Serialize)]
struct JsonReport<'a> {
    version: u32,
    diagnostics: Vec<JsonDiagnostic<'a>>,
    summary: Summary,
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
    let doc = corpus.document(ev.doc);
    JsonEvidence {
        path: &doc.path,
        title: &doc.title,
        url: doc.url.as_deref(),
        range: doc.lines.range(&doc.text, ev.figure, PositionEncoding::Utf16),
        passage_range: doc.lines.range(&doc.text, ev.passage, PositionEncoding::Utf16),
        excerpt: &ev.excerpt,
        text: &ev.text,
        speaker: ev.speaker.as_deref(),
    }
}

/// The JSON document for a lint run.
pub fn json(corpus: &Corpus, drafts: &[DraftResult]) -> String {
    let mut summary = Summary::default();
    let mut diagnostics = Vec::new();
    for draft in drafts {
        summary.add(draft.findings);
        let lines = LineIndex::new(draft.text);
        for f in draft.findings {
            diagnostics.push(JsonDiagnostic {
                path: draft.path,
                code: f.code.as_str(),
                severity: f.severity.as_str(),
                message: &f.message,
                range: lines.range(draft.text, f.span, PositionEncoding::Utf16),
                text: f.span.slice(draft.text),
                evidence: f.evidence.iter().map(|ev| evidence_json(corpus, ev)).collect(),
                fix: f.fix.as_ref().map(|fix| JsonFix { replacement: &fix.replacement }),
            });
        }
    }
    let report = JsonReport { version: 1, diagnostics, summary };
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
                let doc = corpus.document(ev.doc);
                let pos = doc.lines.position(&doc.text, ev.figure.start, PositionEncoding::Utf16);
                format!("source: {}:{}:{} \u{201c}{}\u{201d}\n{}", doc.path, pos.line + 1, pos.character + 1, doc.title, excerpt(&ev.excerpt, 240))
            })
            .collect();
        let mut message = level(f.severity).title(&f.message).id(f.code.as_str()).snippet(
            Snippet::source(source)
                .line_start(line + 1)
                .origin(draft.path)
                .annotation(level(f.severity).span(local).label(&label)),
        );
        for note in &notes {
            message = message.footer(Level::Note.title(note));
        }
        out.push_str(&renderer.render(message).to_string());
        out.push_str("\n\n");
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
    direction: Option<crate::extract::Direction>,
}

/// The JSON document for `copydesk extract`.
pub fn extract_json(files: &[(String, String, Vec<Quantity>)]) -> String {
    let mut quantities = Vec::new();
    for (path, text, found) in files {
        let lines = LineIndex::new(text);
        for q in found {
            quantities.push(JsonQuantity {
                path,
                range: lines.range(text, q.span, PositionEncoding::Utf16),
                text: q.span.slice(text),
                value: q.value,
                high: q.high,
                unit: q.unit.name(),
                bound: q.bound.name(),
                direction: q.direction,
            });
        }
    }
    serde_json::to_string_pretty(&serde_json::json!({ "version": 1, "quantities": quantities })).expect("JSON of plain data") + "\n"
}
