//! Judging periods: the years, quarters, halves and months a draft sentence names, compared
//! with the periods of the source sentence that tells the same fact. A period is a figure of its
//! own ("founded in 2020" for the source's "founded in 2021", "the second quarter" for the
//! third), whether or not the sentence holds another figure; where a figure of the sentence
//! anchors the fact, `figures` has already judged its period.
//!
//! Precision first: the source sentence must cover the draft sentence well, the period's
//! clause must name what the source clause names, and no source passage that covers the
//! sentence about as well (nor its neighbours) may name the draft's period.

use crate::claims::figures::{Quantity, Unit};
use crate::claims::frame::{self, Period};
use crate::findings::{Code, Evidence, Finding, Fix, Report};
use crate::position::Span;

use super::align::{family, same_figure};
use super::retrieve::{Candidate, DraftSentence};

/// Sentence coverage from which a source sentence naming another period of the same kind is
/// taken to tell the draft sentence's fact.
pub(super) const PERIOD_COVERAGE: f32 = 0.45;
/// Content words the two sentences must share (neighbours count half): three is how short
/// unrelated sentences meet ("expected to close in Q3" and "ramp up production in the second
/// quarter", an AI/tech article against the seeds).
pub(super) const PERIOD_SHARED: f32 = 4.0;
/// Share of the period's clause (IDF-weighted content words) that the source clause naming the
/// other period must hold.
pub(super) const PERIOD_CLAUSE: f32 = 0.3;
/// A passage covering at least this share of the best coverage and naming the draft's period
/// (in the sentence or a neighbour) supports it: the source tells of both periods.
pub(super) const RIVAL_SHARE: f32 = 0.6;

/// How one draft period aligns with the best source sentence naming another of its kind.
struct PeriodAlignment<'c> {
    candidate: &'c Candidate,
    /// The source's period of the same kind, and where it is written.
    source: (Period, Span),
    /// Share of the draft period's clause named by the source period's clause.
    clause: f32,
}

fn same_kind(a: Period, b: Period) -> bool {
    std::mem::discriminant(&a) == std::mem::discriminant(&b)
}

/// Whether a source sentence (or its paragraph neighbours) names `period`.
fn names(c: &Candidate, period: Period) -> bool {
    c.periods.iter().any(|(p, _)| *p == period) || c.neighbours.iter().any(|n| frame::periods(c.document.prose_text(), *n).iter().any(|(p, _)| *p == period))
}

/// Whether a source sentence may mean `period` by a year written relative to another ("founded
/// two years ago"), which may be any year, or by a year-over-year comparison, which means the
/// year before the one written nearest to it ("up year over year in 2021" compares with 2020).
fn may_mean(c: &Candidate, period: Period) -> bool {
    let Period::Year(year) = period else { return false };
    let gap = |a: Span, b: Span| if a.start >= b.end { a.start - b.end } else { b.start.saturating_sub(a.end) };
    let compared = |base: Span| c.periods.iter().filter(|(p, _)| matches!(p, Period::Year(_))).min_by_key(|(_, at)| gap(*at, base)).map(|(p, _)| *p);
    c.relative_year || c.periods.iter().any(|(p, at)| *p == Period::Base(frame::BASE_YEAR) && compared(*at) == Some(Period::Year(year + 1)))
}

/// How a finding names the source's period: its words, and what they mean when they are a
/// relative time resolved against the source's date.
pub(super) struct SourceTime {
    /// For a message: `"the third quarter"`, or `"late last year" (dated 2025-12-02: late 2024)`.
    pub(super) said: String,
    /// What replaces the draft's period: the source's words, or the resolved period's label.
    pub(super) replacement: String,
}

/// [`SourceTime`] of the source period `(period, at)` of candidate `c`.
pub(super) fn source_time(c: &Candidate, (period, at): (Period, Span)) -> SourceTime {
    let words = at.slice(&c.document.text);
    match (c.resolved_at(at), c.document.day) {
        (Some((_, when)), Some(day)) => SourceTime { said: format!("\"{words}\" (dated {day}: {})", when.label()), replacement: period.label() },
        _ => SourceTime { said: format!("\"{words}\""), replacement: words.to_string() },
    }
}

/// Share of the draft clause's weighted content words (the words of `excluded`, its periods, left out) that
/// `source_clause` of candidate `c` holds.
pub(super) fn clause_overlap(draft: &DraftSentence, draft_clause: Span, excluded: &[Span], c: &Candidate, source_clause: Span) -> f32 {
    let mut total = 0.0;
    let mut shared = 0.0;
    let mut seen: Vec<&str> = Vec::new();
    for t in draft.tokens.iter().filter(|t| draft_clause.encloses(t.span) && !excluded.iter().any(|at| at.encloses(t.span))) {
        if seen.contains(&t.term.as_str()) {
            continue;
        }
        seen.push(&t.term);
        let w = draft.weights.get(&t.term).copied().unwrap_or(1.0);
        total += w;
        let root = frame::root(&t.term);
        if c.tokens.iter().any(|s| source_clause.encloses(s.span) && (s.term == t.term || frame::root(&s.term) == root)) {
            shared += w;
        }
    }
    if total > 0.0 {
        shared / total
    } else {
        0.0
    }
}

/// Judges each period the draft sentence names. `flagged` are spans findings already cover.
pub(super) fn judge_periods(
    text: &str,
    masked: &str,
    sentence: Span,
    draft: &DraftSentence,
    candidates: &[Candidate],
    report: &mut Report,
    trace: Option<&mut Vec<String>>,
) {
    let periods = frame::periods(masked, sentence);
    if periods.is_empty() || candidates.is_empty() {
        return;
    }
    let figures: Vec<Quantity> = draft.quantities.iter().filter(|q| q.unit != Unit::Date).map(|q| (*q).clone()).collect();
    let clauses = frame::clauses(masked, sentence, &figures);
    let best_coverage = candidates.iter().map(|c| c.coverage).fold(0.0f32, f32::max);
    let period_spans: Vec<Span> = periods.iter().map(|(_, at)| *at).collect();
    let mut lines = Vec::new();
    for &(period, at) in &periods {
        // A period written inside a figure ("the 2020-2021 season" read as a range) or already
        // judged with the figure it dates.
        if figures.iter().any(|q| q.span.start < at.end && at.start < q.span.end) || report.findings.iter().any(|f| f.span.start < at.end && at.start < f.span.end) {
            continue;
        }
        let draft_clause = clauses.iter().copied().find(|c| c.start <= at.start && at.start < c.end).unwrap_or(sentence);
        let clause_figures: Vec<&Quantity> = figures.iter().filter(|q| draft_clause.encloses(q.number_span)).collect();
        let rival = candidates.iter().find(|c| c.coverage >= RIVAL_SHARE * best_coverage && names(c, period));
        let written = at.slice(text);
        if let Some(c) = rival {
            let excerpt: String = c.sentence_span.slice(&c.document.text).chars().take(120).collect();
            lines.push(format!("period {written:?} named by a passage of coverage {:.2} (or its neighbours): {excerpt:?}", c.coverage));
            continue;
        }
        let mut best: Option<PeriodAlignment> = None;
        // A source sentence giving other values of the kind of a figure in the period's clause
        // ("$1.87" where the clause says "$1.30 to $1.40") tells another fact.
        let tells_other_values = |c: &Candidate| {
            clause_figures.iter().any(|q| {
                let kin: Vec<&Quantity> = c.quantities.iter().filter(|p| p.unit != Unit::Date && family(&p.unit) == family(&q.unit)).collect();
                // A range holding a source figure is not that figure: the ends must agree.
                !kin.is_empty() && !kin.iter().any(|p| same_figure(q, p) && q.high.is_some() == p.high.is_some())
            })
        };
        for c in candidates.iter().filter(|c| c.coverage >= PERIOD_COVERAGE && c.shared >= PERIOD_SHARED && !tells_other_values(c) && !may_mean(c, period)) {
            // A period the draft sentence names as well is accounted for ("in 2021 despite
            // comparisons with 2019" against "in 2021 ... given 2020": 2019 stands for 2020).
            for &(other, other_at) in c.periods.iter().filter(|(p, _)| same_kind(*p, period) && *p != period && !periods.iter().any(|(d, _)| d == p)) {
                let source_clause = c.clauses.iter().copied().find(|cl| cl.start <= other_at.start && other_at.start < cl.end).unwrap_or(c.sentence_span);
                let clause = clause_overlap(draft, draft_clause, &period_spans, c, source_clause);
                let better = best.as_ref().is_none_or(|b| (c.coverage, clause) > (b.candidate.coverage, b.clause));
                if better {
                    best = Some(PeriodAlignment { candidate: c, source: (other, other_at), clause });
                }
            }
        }
        // A passage at least as close that may mean the draft's year leaves the year open.
        if let Some(open) = best.as_ref().and_then(|a| candidates.iter().find(|c| c.coverage >= a.candidate.coverage && !std::ptr::eq(*c, a.candidate) && may_mean(c, period))) {
            let excerpt: String = open.sentence_span.slice(&open.document.text).chars().take(120).collect();
            lines.push(format!("period {written:?} may be meant by a relative year in a passage of coverage {:.2}: {excerpt:?}", open.coverage));
            continue;
        }
        let Some(a) = best else {
            let dated = candidates.iter().filter(|c| c.periods.iter().any(|(p, _)| same_kind(*p, period))).map(|c| c.coverage).fold(0.0f32, f32::max);
            lines.push(format!("period {written:?}: no passage covering the sentence names another (best dated coverage {dated:.2})"));
            continue;
        };
        let c = a.candidate;
        let source_said = a.source.1.slice(&c.document.text);
        let excerpt: String = c.sentence_span.slice(&c.document.text).chars().take(120).collect();
        lines.push(format!("period {written:?} ~ {source_said:?} coverage {:.2} shared {:.1} clause {:.2}: {excerpt:?}", c.coverage, c.shared, a.clause));
        if a.clause < PERIOD_CLAUSE {
            continue;
        }
        let ev = Evidence {
            doc: c.doc,
            passage: c.sentence_span,
            figure: a.source.1,
            excerpt: c.sentence_span.slice(&c.document.text).to_string(),
            text: source_said.to_string(),
            speaker: None,
        };
        let told = source_time(c, a.source);
        report.findings.push(Finding {
            code: Code::DateMismatch,
            severity: Code::DateMismatch.default_severity(),
            span: at,
            message: format!("draft says \"{written}\"; the source tells this for {}", told.said),
            evidence: vec![ev],
            // A comparison base is worded into its sentence: no replacement fits.
            fix: (!matches!(period, Period::Base(_))).then(|| Fix { span: at, replacement: told.replacement.clone(), title: format!("Replace with \"{}\"", told.replacement) }),
        });
    }
    if let Some(trace) = trace {
        trace.extend(lines);
    }
}
