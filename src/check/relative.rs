//! Relative times a draft keeps from its source: "last year" in a source dated December 2025
//! is 2024, and a draft dated March 2026 that keeps "last year" tells its reader 2025. When
//! the draft sentence tells the fact of a dated source sentence in the same relative words,
//! and the words mean another time on the draft's date than on the source's, the draft gets a
//! `relative-date` warning naming the absolute time, with a fix that writes it.
//!
//! Precision first: the sentences are aligned with the gates of [`super::periods`] (coverage,
//! shared words, the clause of the relative time), the source must be dated before the draft,
//! and no passage about as close may date the fact at what the draft's words mean.

use crate::claims::dates::{self, Day, Relative, When};
use crate::claims::figures::{Quantity, Unit};
use crate::claims::frame;
use crate::findings::{Code, Evidence, Finding, Fix, Report, Severity};
use crate::position::Span;

use super::periods::{clause_overlap, PERIOD_CLAUSE, PERIOD_COVERAGE, PERIOD_SHARED, RIVAL_SHARE};
use super::retrieve::{Candidate, DraftSentence};

/// The draft's date, and where it comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) struct DraftDate {
    pub(super) day: Day,
    pub(super) from: DateFrom,
}

/// Where a draft's date comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum DateFrom {
    /// Its front matter `date`.
    FrontMatter,
    /// The day the run was told is today ([`super::CheckOptions::today`], `COPYDESK_TODAY`).
    Fixed,
    /// The clock: the draft may be meant for another day (a rewrite of an old story), so what
    /// its relative times mean is a guess, said at info level.
    Clock,
}

impl DraftDate {
    fn describe(self) -> String {
        match self.from {
            DateFrom::FrontMatter => format!("this draft is dated {}", self.day),
            DateFrom::Fixed | DateFrom::Clock => format!("the draft has no date and today is {}", self.day),
        }
    }

    fn severity(self) -> Severity {
        match self.from {
            DateFrom::Clock => Severity::Info,
            DateFrom::FrontMatter | DateFrom::Fixed => Code::RelativeDate.default_severity(),
        }
    }
}

/// Whether candidate `c` (or its paragraph neighbours) dates the fact at `when`: a relative
/// time of its own that means `when` on its date, or for a year or a month, the year (and
/// month) written out. A part of a year or a day is more than a year or month written out
/// says, and another relative time's year ("in August" of the same sentence) dates another
/// fact.
fn dates_at(c: &Candidate, when: When) -> bool {
    if c.resolved.iter().any(|(_, w)| *w == when) {
        return true;
    }
    if !matches!(when, When::Year(_) | When::Month(..)) {
        return false;
    }
    let written = |p: &frame::Period| {
        c.periods.iter().any(|(q, at)| q == p && c.resolved_at(*at).is_none()) || c.neighbours.iter().any(|n| frame::periods(c.document.prose_text(), *n).iter().any(|(q, _)| q == p))
    };
    when.periods().iter().all(written)
}

/// How one relative time of the draft aligns with the same words in a source sentence.
struct Kept<'c> {
    candidate: &'c Candidate,
    source: Relative,
    meant: When,
    clause: f32,
}

/// Judges the relative times of the draft sentence `sentence` against the source sentences
/// that tell its facts.
#[allow(clippy::too_many_arguments)]
pub(super) fn judge_relative_times(
    text: &str,
    masked: &str,
    sentence: Span,
    draft: &DraftSentence,
    candidates: &[Candidate],
    date: DraftDate,
    report: &mut Report,
    trace: Option<&mut Vec<String>>,
) {
    let relatives = dates::relatives(masked, sentence);
    if relatives.is_empty() || candidates.is_empty() {
        return;
    }
    let figures: Vec<Quantity> = draft.quantities.iter().filter(|q| q.unit != Unit::Date).map(|q| (*q).clone()).collect();
    let clauses = frame::clauses(masked, sentence, &figures);
    let best_coverage = candidates.iter().map(|c| c.coverage).fold(0.0f32, f32::max);
    let own: Vec<Span> = relatives.iter().map(|r| r.span).collect();
    let mut lines = Vec::new();
    for r in &relatives {
        if report.findings.iter().any(|f| f.span.overlaps(r.span)) {
            continue;
        }
        let written = r.span.slice(text);
        let draft_meant = r.resolve(date.day);
        let draft_clause = clauses.iter().copied().find(|c| c.start <= r.span.start && r.span.start < c.end).unwrap_or(sentence);
        if let Some(c) = candidates.iter().find(|c| c.coverage >= RIVAL_SHARE * best_coverage && dates_at(c, draft_meant)) {
            let excerpt: String = c.sentence_span.slice(&c.document.text).chars().take(120).collect();
            lines.push(format!("relative {written:?} ({}) dated so by a passage of coverage {:.2}: {excerpt:?}", draft_meant.label(), c.coverage));
            continue;
        }
        // A figure of the relative time's clause given in the source sentence too tells that the
        // two sentences share a fact, as shared words do.
        let clause_figures: Vec<&Quantity> = figures.iter().filter(|q| draft_clause.encloses(q.number_span)).collect();
        let same_figure = |c: &Candidate| clause_figures.iter().any(|q| c.quantities.iter().any(|p| p.unit != Unit::Date && !p.vague && super::align::same_figure(q, p)));
        let aligned = |c: &Candidate| c.coverage >= PERIOD_COVERAGE && (c.shared >= PERIOD_SHARED || same_figure(c));
        let mut best: Option<Kept> = None;
        for c in candidates.iter().filter(|c| aligned(c) && c.document.day.is_some_and(|d| d < date.day)) {
            for &(source, meant) in c.resolved.iter().filter(|(s, w)| s.relation == r.relation && *w != draft_meant) {
                let source_clause = c.clauses.iter().copied().find(|cl| cl.start <= source.span.start && source.span.start < cl.end).unwrap_or(c.sentence_span);
                let clause = clause_overlap(draft, draft_clause, &own, c, source_clause);
                if best.as_ref().is_none_or(|b| (c.coverage, clause) > (b.candidate.coverage, b.clause)) {
                    best = Some(Kept { candidate: c, source, meant, clause });
                }
            }
        }
        let Some(kept) = best else {
            lines.push(format!("relative {written:?} ({}): no dated passage covering the sentence keeps it with another meaning", draft_meant.label()));
            continue;
        };
        let c = kept.candidate;
        let said = kept.source.span.slice(&c.document.text);
        let excerpt: String = c.sentence_span.slice(&c.document.text).chars().take(120).collect();
        lines.push(format!("relative {written:?} ~ {said:?} meaning {} coverage {:.2} shared {:.1} clause {:.2}: {excerpt:?}", kept.meant.label(), c.coverage, c.shared, kept.clause));
        if kept.clause < PERIOD_CLAUSE {
            continue;
        }
        let Some(source_day) = c.document.day else { continue };
        let replacement = kept.meant.replacement(text, r.span);
        report.findings.push(Finding {
            code: Code::RelativeDate,
            severity: date.severity(),
            span: r.span,
            message: format!("\"{said}\" in the source (dated {source_day}) means {}; {} — write \"{replacement}\"", kept.meant.label(), date.describe()),
            evidence: vec![Evidence { doc: c.doc, passage: c.sentence_span, figure: kept.source.span, excerpt: c.sentence_span.slice(&c.document.text).to_string(), text: said.to_string(), speaker: None }],
            fix: Some(Fix { span: r.span, replacement: replacement.clone(), title: format!("Replace with \"{replacement}\"") }),
        });
    }
    if let Some(trace) = trace {
        trace.extend(lines);
    }
}
