//! The `check` entry point: pairs each statistic of a draft with the source figure it most
//! likely reports, and judges it.
//!
//! For every draft sentence that holds a figure, BM25 retrieves the source sentences that talk
//! about the same things. Each draft figure is then aligned with the figures of those
//! sentences (and their neighbours) by three signals: how much of the draft sentence the source
//! sentence covers, how much the words right around the two figures agree (what is counted, by
//! whom, when), and whether the units are of one kind. Only when the alignment is strong is the
//! pair taken to report the same fact; only then are values, units, hedges and directions
//! compared. A figure whose value the corpus holds in a well-aligned passage is supported even
//! when another passage aligns slightly better. Anything less certain is said at info level.

use std::collections::{HashMap, HashSet};

use crate::corpus::Corpus;
use crate::extract::{self, Bound, Quantity, Unit};
use crate::findings::{Checked, Code, Evidence, Finding, Fix, Report, Verdict};
use crate::position::Span;
use crate::prose::{Format, Prose};
use crate::words::{self, Token};

/// Knobs of a check.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// Report statistics with no source at info level.
    pub report_unsupported: bool,
    /// Relative difference within which a hedged draft figure (`about 80 percent`) still
    /// agrees with the source (`82 percent`).
    pub hedge_tolerance: f64,
    /// Record why each figure was judged as it was (for `--trace`).
    pub trace: bool,
}

impl Default for CheckOptions {
    fn default() -> Self {
        CheckOptions { report_unsupported: true, hedge_tolerance: 0.10, trace: false }
    }
}

/// Minimum share of the draft sentence's content (IDF-weighted) that a source passage must
/// cover for its figure to be considered the same fact at all.
const MIN_COVERAGE: f32 = 0.30;
/// Coverage and local agreement needed before a differing value is called an error.
const ERROR_COVERAGE: f32 = 0.45;
const ERROR_LOCAL: f32 = 0.15;
/// Content words the draft sentence and the source passage must share (neighbours count half)
/// before a difference is called an error: short sentences cover each other by chance.
const MIN_SHARED: f32 = 3.0;
/// A draft sentence with fewer content words than this borrows context from the one before.
const SHORT_SENTENCE: usize = 6;
/// How many source sentences retrieval returns per draft sentence.
const RETRIEVE: usize = 8;
/// IDF weights are capped so one rare word cannot decide a match alone.
const IDF_CAP: f32 = 4.0;
/// Words around a figure that count as its local context.
const WINDOW: usize = 8;

/// Checks one draft against the corpus.
pub fn check(text: &str, format: Format, corpus: &Corpus, options: &CheckOptions) -> (Report, Vec<String>) {
    let prose = Prose::new(text, format);
    let quantities = extract::extract(&prose.masked);
    // Numbers inside a quotation are quote wording, checked with the quotation.
    let quotations = crate::quotes::extract(&prose);
    let quantities: Vec<Quantity> = quantities.into_iter().filter(|q| !crate::quotes::inside(&quotations, q.span)).collect();
    let linked: HashSet<u32> = linked_documents(text, corpus);
    let mut report = Report::default();
    let mut trace = Vec::new();
    let mut by_sentence: Vec<Vec<&Quantity>> = vec![Vec::new(); prose.sentences.len()];
    for q in &quantities {
        if let Some(i) = prose.sentence_at(q.number_span.start) {
            by_sentence[i].push(q);
        }
    }
    for (sentence_index, draft_quantities) in by_sentence.iter().enumerate() {
        if draft_quantities.iter().all(|q| q.unit == Unit::Date) {
            continue;
        }
        let sentence = prose.sentences[sentence_index];
        // A short sentence ("It is expected to cost $250.") takes its subject from the sentence
        // before it in the paragraph.
        let previous = sentence_index
            .checked_sub(1)
            .map(|i| prose.sentences[i])
            .filter(|p| p.paragraph == sentence.paragraph)
            .map(|p| p.span);
        let draft = DraftSentence::new(&prose.masked, sentence.span, previous, draft_quantities, corpus);
        let candidates = candidates(corpus, &draft, &linked);
        judge_sentence(text, corpus, &draft, &candidates, options, &mut report, &mut trace);
    }
    crate::quotes::check_quotes(text, &prose, &quotations, corpus, &mut report);
    report.findings.sort_by_key(|f| (f.span.start, f.span.end, f.code));
    report.checked.sort_by_key(|c| (c.span.start, c.span.end));
    // Keep finding indices right after sorting.
    for checked in &mut report.checked {
        if checked.verdict == Verdict::Flagged {
            checked.finding = report.findings.iter().position(|f| f.span == checked.span);
        }
    }
    if !options.report_unsupported {
        report.findings.retain(|f| f.code != Code::UnsupportedClaim);
    }
    (report, trace)
}

/// Documents the draft links to by URL: these are checked first.
fn linked_documents(text: &str, corpus: &Corpus) -> HashSet<u32> {
    let mut out = HashSet::new();
    if corpus.documents.iter().all(|d| d.url.is_none()) {
        return out;
    }
    for word in text.split(|c: char| c.is_whitespace() || c == '(' || c == ')' || c == '<' || c == '>' || c == '"') {
        if word.starts_with("http://") || word.starts_with("https://") {
            if let Some(doc) = corpus.document_by_url(word.trim_end_matches(['.', ',', ']'])) {
                out.insert(doc);
            }
        }
    }
    out
}

/// A draft sentence prepared for alignment.
struct DraftSentence<'a> {
    tokens: Vec<Token>,
    /// Unique terms with their capped IDF.
    weights: HashMap<String, f32>,
    total_weight: f32,
    quantities: &'a [&'a Quantity],
    years: Vec<f64>,
}

impl<'a> DraftSentence<'a> {
    fn new(masked: &str, span: Span, previous: Option<Span>, quantities: &'a [&'a Quantity], corpus: &Corpus) -> Self {
        let tokens = words::tokens(masked, span);
        let mut weights = HashMap::new();
        for t in &tokens {
            weights.entry(t.term.clone()).or_insert_with(|| corpus.index.idf(&t.term).min(IDF_CAP));
        }
        if let Some(previous) = previous.filter(|_| weights.len() < SHORT_SENTENCE) {
            for t in words::tokens(masked, previous) {
                weights.entry(t.term).or_insert_with_key(|term| 0.5 * corpus.index.idf(term).min(IDF_CAP));
            }
        }
        let total_weight = weights.values().sum();
        let years = quantities.iter().filter(|q| q.unit == Unit::Date).map(|q| q.value).collect();
        DraftSentence { tokens, weights, total_weight, quantities, years }
    }
}

/// A source sentence with its figures and words.
struct Candidate<'c> {
    doc: u32,
    sentence_span: Span,
    tokens: Vec<Token>,
    /// Terms of the neighbouring sentences in the paragraph.
    context: HashSet<String>,
    quantities: Vec<&'c Quantity>,
    /// Share of the draft sentence this sentence covers.
    coverage: f32,
    /// Draft terms found here: 1 for each in the sentence, 0.5 for each only in a neighbour.
    shared: f32,
    years: Vec<f64>,
    linked: bool,
}

fn candidates<'c>(corpus: &'c Corpus, draft: &DraftSentence, linked: &HashSet<u32>) -> Vec<Candidate<'c>> {
    let query: Vec<String> = draft.tokens.iter().map(|t| t.term.clone()).collect();
    let hits = corpus.index.search(&query, RETRIEVE);
    let mut chosen: Vec<u32> = Vec::new();
    for (id, _) in &hits {
        let s = corpus.index.sentences[*id as usize];
        // The sentence and its neighbours in the paragraph: a figure is often one sentence
        // away from the words that say what it counts.
        for neighbour in [id.wrapping_sub(1), *id, id + 1] {
            if let Some(n) = corpus.index.sentences.get(neighbour as usize) {
                if n.doc == s.doc && n.paragraph == s.paragraph && !chosen.contains(&neighbour) {
                    chosen.push(neighbour);
                }
            }
        }
    }
    chosen.sort_unstable();
    let mut out = Vec::new();
    for id in chosen {
        let s = corpus.index.sentences[id as usize];
        let doc = corpus.document(s.doc);
        let sentence = doc.prose.sentences[s.sentence as usize];
        let paragraph_quantities = doc.paragraph_quantities(s.paragraph as usize);
        let quantities: Vec<&Quantity> = paragraph_quantities
            .iter()
            .filter(|q| sentence.span.start <= q.number_span.start && q.number_span.start < sentence.span.end)
            .collect();
        let years: Vec<f64> = paragraph_quantities.iter().filter(|q| q.unit == Unit::Date).map(|q| q.value).collect();
        if quantities.iter().all(|q| q.unit == Unit::Date) {
            continue;
        }
        let tokens = words::tokens(&doc.prose.masked, sentence.span);
        let mut context = HashSet::new();
        for neighbour in [s.sentence.wrapping_sub(1), s.sentence + 1] {
            if let Some(n) = doc.prose.sentences.get(neighbour as usize) {
                if n.paragraph == sentence.paragraph {
                    context.extend(words::tokens(&doc.prose.masked, n.span).into_iter().map(|t| t.term));
                }
            }
        }
        let own: HashSet<&str> = tokens.iter().map(|t| t.term.as_str()).collect();
        let mut covered = 0.0;
        let mut shared = 0.0;
        for (term, weight) in &draft.weights {
            if own.contains(term.as_str()) {
                covered += weight;
                shared += 1.0;
            } else if context.contains(term) {
                covered += 0.5 * weight;
                shared += 0.5;
            }
        }
        let coverage = if draft.total_weight > 0.0 { covered / draft.total_weight } else { 0.0 };
        out.push(Candidate {
            doc: s.doc,
            sentence_span: sentence.span,
            tokens,
            context,
            quantities,
            coverage,
            shared,
            years,
            linked: linked.contains(&s.doc),
        });
    }
    out
}

/// Terms around a figure, weighted by closeness (1 inside the figure, falling with distance).
fn window(tokens: &[Token], figure: Span) -> Vec<(String, f32)> {
    let mut out: Vec<(String, f32)> = Vec::new();
    let first_after = tokens.iter().position(|t| t.span.start >= figure.end).unwrap_or(tokens.len());
    let last_before = tokens.iter().rposition(|t| t.span.end <= figure.start);
    for (i, t) in tokens.iter().enumerate() {
        let distance = if t.span.overlaps(figure) {
            0
        } else if t.span.start >= figure.end {
            i - first_after + 1
        } else {
            match last_before {
                Some(lb) => lb - i + 1,
                None => continue,
            }
        };
        if distance > WINDOW {
            continue;
        }
        let weight = 1.0 / (1.0 + distance as f32 * 0.5);
        match out.iter_mut().find(|(term, _)| *term == t.term) {
            Some((_, w)) => *w = w.max(weight),
            None => out.push((t.term.clone(), weight)),
        }
    }
    out
}

/// Unit families: figures of different families never report the same fact.
#[derive(PartialEq, Eq)]
enum Family {
    Share,
    Money,
    Measure(String),
    Count,
    Date,
}

fn family(unit: &Unit) -> Family {
    match unit {
        Unit::Percent | Unit::PercentagePoint | Unit::Fraction => Family::Share,
        Unit::Currency(_) => Family::Money,
        Unit::Measure(m) if m == "time" => Family::Count,
        Unit::Measure(m) => Family::Measure(m.clone()),
        Unit::Count(_) | Unit::None => Family::Count,
        Unit::Date => Family::Date,
    }
}

/// Whether two values are the same figure.
fn same_value(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1e-12)
}

fn same_figure(draft: &Quantity, source: &Quantity) -> bool {
    let (dv, dh) = draft.comparable();
    let (sv, sh) = source.comparable();
    match (dh, sh) {
        (None, None) => same_value(dv, sv),
        (Some(dh), Some(sh)) => same_value(dv, sv) && same_value(dh, sh),
        // A single figure inside a source range, or a range around a source figure, agrees.
        (None, Some(sh)) => dv >= sv && dv <= sh,
        (Some(dh), None) => sv >= dv && sv <= dh,
    }
}

/// Dollar currencies a bare `$` may stand for.
fn is_dollar(code: &str) -> bool {
    matches!(code, "USD" | "SGD" | "TWD" | "HKD" | "AUD" | "CAD" | "NZD" | "BRL")
}

/// Whether two currencies conflict (a bare `$` conflicts with no dollar).
fn currency_conflict(draft: &Quantity, source: &Quantity) -> bool {
    match (&draft.unit, &source.unit) {
        (Unit::Currency(a), Unit::Currency(b)) if a != b => {
            !((draft.assumed_currency && is_dollar(b)) || (source.assumed_currency && is_dollar(a)))
        }
        _ => false,
    }
}

fn unit_conflict(draft: &Quantity, source: &Quantity) -> bool {
    currency_conflict(draft, source)
        || matches!(
            (&draft.unit, &source.unit),
            (Unit::Percent, Unit::PercentagePoint) | (Unit::PercentagePoint, Unit::Percent)
        )
}

struct Alignment<'c> {
    candidate: usize,
    source: &'c Quantity,
    coverage: f32,
    shared: f32,
    local: f32,
    score: f32,
    equal: bool,
}

impl Alignment<'_> {
    /// Strong enough to say the two figures report the same fact, so a difference is an error.
    /// Equal values are evidence of their own, so the words right around them may differ more.
    fn confident(&self) -> bool {
        let local = if self.equal { 0.0 } else { ERROR_LOCAL };
        self.coverage >= ERROR_COVERAGE && self.local >= local && self.shared >= MIN_SHARED
    }
}

fn align<'c>(draft: &DraftSentence, q: &Quantity, candidates: &[Candidate<'c>]) -> Vec<Alignment<'c>> {
    let draft_window = window(&draft.tokens, q.span);
    let mut out = Vec::new();
    for (ci, c) in candidates.iter().enumerate() {
        for &p in &c.quantities {
            if p.unit == Unit::Date || family(&p.unit) != family(&q.unit) {
                continue;
            }
            let source_window = window(&c.tokens, p.span);
            let mut shared = 0.0;
            let mut total = 0.0;
            for (term, w) in &draft_window {
                let idf = draft.weights.get(term).copied().unwrap_or(1.0);
                total += w * idf;
                if let Some((_, sw)) = source_window.iter().find(|(t, _)| t == term) {
                    shared += w.min(*sw) * idf;
                } else if c.context.contains(term) && matches!(q.unit, Unit::None | Unit::Count(_)) {
                    shared += 0.3 * w * idf;
                }
            }
            let local = if total > 0.0 { shared / total } else { 0.0 };
            let equal = same_figure(q, p);
            let mut score = 0.6 * c.coverage + 0.4 * local;
            if equal {
                score += 0.15;
            }
            if p.unit == q.unit {
                score += 0.05;
            }
            if p.bound == q.bound {
                score += 0.03;
            }
            if let (Unit::Count(a), Unit::Count(b)) = (&q.unit, &p.unit) {
                score += if a == b { 0.1 } else { -0.1 };
            }
            if c.linked {
                score += 0.1;
            }
            // A figure for another period is another fact.
            if !draft.years.is_empty() && !c.years.is_empty() && !draft.years.iter().any(|y| c.years.contains(y)) {
                score -= 0.3;
            }
            out.push(Alignment { candidate: ci, source: p, coverage: c.coverage, shared: c.shared, local, score, equal });
        }
    }
    out.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.candidate.cmp(&b.candidate)).then(a.source.span.start.cmp(&b.source.span.start)));
    out
}

fn evidence(text_of: &Corpus, c: &Candidate, p: &Quantity) -> Evidence {
    let doc = text_of.document(c.doc);
    Evidence {
        doc: c.doc,
        passage: c.sentence_span,
        figure: p.span,
        excerpt: c.sentence_span.slice(&doc.text).to_string(),
        text: p.span.slice(&doc.text).to_string(),
        speaker: None,
    }
}

/// Whether `draft` looks like `source` rounded (80 for 82, 30 for 29.7), within 5 percent.
fn is_rounding(draft: f64, source: f64) -> bool {
    if draft == 0.0 || source == 0.0 || same_value(draft, source) {
        return false;
    }
    let relative = (draft - source).abs() / source.abs();
    relative <= 0.05 && significant_digits(draft) < significant_digits(source)
}

fn significant_digits(value: f64) -> usize {
    let text = format!("{}", value.abs());
    let digits: String = text.chars().filter(|c| c.is_ascii_digit()).collect();
    let trimmed = digits.trim_start_matches('0').trim_end_matches('0');
    trimmed.len().max(1)
}

fn judge_sentence(
    text: &str,
    corpus: &Corpus,
    draft: &DraftSentence,
    candidates: &[Candidate],
    options: &CheckOptions,
    report: &mut Report,
    trace: &mut Vec<String>,
) {
    let figures: Vec<&Quantity> = draft.quantities.iter().copied().filter(|q| q.unit != Unit::Date).collect();
    let alignments: Vec<Vec<Alignment>> = figures.iter().map(|q| align(draft, q, candidates)).collect();
    // First pass: figures whose value a well-aligned passage holds claim that source figure.
    let mut used: HashSet<(usize, usize)> = HashSet::new();
    let mut supported: Vec<Option<usize>> = vec![None; figures.len()];
    for (i, list) in alignments.iter().enumerate() {
        let best_coverage = list.first().map_or(0.0, |a| a.coverage);
        let floor = MIN_COVERAGE.max(0.6 * best_coverage);
        if let Some(k) = list.iter().position(|a| a.equal && a.coverage >= floor && !used.contains(&(a.candidate, a.source.span.start))) {
            used.insert((list[k].candidate, list[k].source.span.start));
            supported[i] = Some(k);
        }
    }
    for (i, q) in figures.iter().enumerate() {
        let list = &alignments[i];
        let draft_text = q.span.slice(text);
        if options.trace {
            for a in list.iter().take(3) {
                trace.push(format!(
                    "{draft_text:?} ~ {:?} coverage {:.2} shared {:.1} local {:.2} score {:.2}{}",
                    a.source.span.slice(&corpus.document(candidates[a.candidate].doc).text),
                    a.coverage,
                    a.shared,
                    a.local,
                    a.score,
                    if a.equal { " equal" } else { "" }
                ));
            }
        }
        if let Some(k) = supported[i] {
            let a = &list[k];
            let c = &candidates[a.candidate];
            let ev = evidence(corpus, c, a.source);
            let finding = if a.confident() { compare_equal(q, a.source, draft_text, &ev) } else { None };
            push(report, q.span, ev, finding);
            continue;
        }
        // No passage holds this value: take the best-aligned figure not claimed by another.
        let best = list.iter().find(|a| !used.contains(&(a.candidate, a.source.span.start)));
        let Some(a) = best.filter(|a| a.coverage >= MIN_COVERAGE) else {
            no_source(report, q, draft_text, options);
            continue;
        };
        let c = &candidates[a.candidate];
        let ev = evidence(corpus, c, a.source);
        let confident = a.confident();
        let (dv, _) = q.comparable();
        let (sv, _) = a.source.comparable();
        if q.vague || a.source.vague {
            report.checked.push(Checked { span: q.span, verdict: Verdict::NoSource, evidence: Some(ev), finding: None });
            continue;
        }
        let relative = if sv != 0.0 { (dv - sv).abs() / sv.abs() } else { f64::INFINITY };
        if q.high.is_none() && a.source.high.is_none() && q.bound != Bound::Exact && relative <= options.hedge_tolerance && !unit_conflict(q, a.source) {
            // "about 80 percent" for "82 percent": a hedge the writer added covers the difference.
            push(report, q.span, ev, None);
            continue;
        }
        if !confident {
            report.checked.push(Checked { span: q.span, verdict: Verdict::NoSource, evidence: Some(ev.clone()), finding: None });
            if options.report_unsupported {
                let message = format!(
                    "no source states \"{draft_text}\"; the closest passage says \"{}\"",
                    ev.text
                );
                report.findings.push(Finding {
                    code: Code::UnsupportedClaim,
                    severity: Code::UnsupportedClaim.default_severity(),
                    span: q.span,
                    message,
                    evidence: vec![ev],
                    fix: None,
                });
            }
            continue;
        }
        let finding = if q.high.is_none() && a.source.high.is_none() && q.bound == Bound::Exact && is_rounding(dv, sv) && !unit_conflict(q, a.source) {
            Some(hedge(
                draft_text,
                &ev,
                format!("draft says \"{draft_text}\"; source says \"{}\": a rounded figure is given as exact", ev.text),
                "Use the source's figure",
            ))
        } else {
            let scale = if sv != 0.0 && dv != 0.0 {
                let ratio = (dv / sv).log10();
                if (ratio.round() - ratio).abs() < 1e-6 && ratio.round() != 0.0 { " (a slip of scale)" } else { "" }
            } else {
                ""
            };
            Some(error(Code::NumberMismatch, draft_text, &ev, format!("draft says \"{draft_text}\"; source says \"{}\"{scale}", ev.text)))
        };
        push(report, q.span, ev, finding);
    }
}

/// Compares a draft figure with a source figure of the same value: unit, direction, hedge.
fn compare_equal(q: &Quantity, p: &Quantity, draft_text: &str, ev: &Evidence) -> Option<Finding> {
    if unit_conflict(q, p) {
        return Some(error(
            Code::UnitMismatch,
            draft_text,
            ev,
            format!(
                "draft says \"{draft_text}\" ({}); source says \"{}\" ({})",
                q.unit.describe(),
                ev.text,
                p.unit.describe()
            ),
        ));
    }
    if let (Some(a), Some(b)) = (q.direction, p.direction) {
        if a != b {
            return Some(error(
                Code::NumberMismatch,
                draft_text,
                ev,
                format!("draft says \"{draft_text}\"; source says \"{}\": the direction is reversed", ev.text),
            ));
        }
    }
    if q.bound == Bound::Exact && p.bound != Bound::Exact {
        return Some(hedge(
            draft_text,
            ev,
            format!("draft says \"{draft_text}\"; source says \"{}\": the qualifier is dropped", ev.text),
            "Restore the source's qualifier",
        ));
    }
    if q.bound.side() != 0 && p.bound.side() != 0 && q.bound.side() != p.bound.side() {
        return Some(hedge(
            draft_text,
            ev,
            format!("draft says \"{draft_text}\"; source says \"{}\": the qualifier contradicts the source", ev.text),
            "Use the source's qualifier",
        ));
    }
    None
}

fn error(code: Code, draft_text: &str, ev: &Evidence, message: String) -> Finding {
    let _ = draft_text;
    Finding {
        code,
        severity: code.default_severity(),
        span: Span::default(),
        message,
        evidence: vec![ev.clone()],
        fix: Some(Fix { span: Span::default(), replacement: ev.text.clone(), title: format!("Replace with \"{}\"", ev.text) }),
    }
}

fn hedge(draft_text: &str, ev: &Evidence, message: String, title: &str) -> Finding {
    let mut finding = error(Code::HedgeMismatch, draft_text, ev, message);
    if let Some(fix) = &mut finding.fix {
        fix.title = format!("{title}: \"{}\"", ev.text);
    }
    finding
}

fn push(report: &mut Report, span: Span, ev: Evidence, finding: Option<Finding>) {
    match finding {
        None => report.checked.push(Checked { span, verdict: Verdict::Supported, evidence: Some(ev), finding: None }),
        Some(mut f) => {
            f.span = span;
            if let Some(fix) = &mut f.fix {
                fix.span = span;
            }
            report.checked.push(Checked { span, verdict: Verdict::Flagged, evidence: Some(ev), finding: None });
            report.findings.push(f);
        }
    }
}

fn no_source(report: &mut Report, q: &Quantity, draft_text: &str, options: &CheckOptions) {
    report.checked.push(Checked { span: q.span, verdict: Verdict::NoSource, evidence: None, finding: None });
    if options.report_unsupported {
        report.findings.push(Finding {
            code: Code::UnsupportedClaim,
            severity: Code::UnsupportedClaim.default_severity(),
            span: q.span,
            message: format!("no source passage found for \"{draft_text}\""),
            evidence: Vec::new(),
            fix: None,
        });
    }
}
