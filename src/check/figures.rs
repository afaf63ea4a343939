//! Judging figures: from a draft sentence's alignments, whether each figure is supported by
//! its source, differs from it (value, scale, unit, direction, hedge or period) or has no
//! source at all; and the findings, evidence and fixes that say so.

use std::collections::HashSet;

use crate::claims::figures::{self, Bound, Quantity, Unit};
use crate::claims::frame::Period;
use crate::claims::leading::leading_direction;
use crate::claims::multiples;
use crate::findings::{Checked, Code, Evidence, Finding, Fix, Report, Verdict};
use crate::position::Span;

use super::align::{align, converted, is_rounding, is_scale_slip, same_figure, same_value, Alignment, CLAUSE_MEASURE, MIN_COVERAGE, MISMATCH_BIAS, MISMATCH_LOG_ODDS, MIN_SHARED, SUPPORT_COVERAGE};
use super::derived::{self, Outcome, Target};
use super::disagree;
use super::retrieve::{Candidate, DraftSentence};
use super::CheckOptions;

/// Sentence coverage enough for a source range equal at both ends to support a draft range
/// whose clause names its measure.
const RANGE_SUPPORT_COVERAGE: f32 = 0.1;
/// How much more of a figure's measure another value's clause must name than the clause
/// holding the draft's value, for that value to no longer support it.
const OUTWEIGH_MEASURE: f32 = 0.3;

/// Whether a bare `$` may stand for `code` (any dollar unless the project file narrows it).
fn is_dollar(code: &str, dollar: Option<&[String]>) -> bool {
    match dollar {
        Some(allowed) => allowed.iter().any(|c| c == code),
        None => matches!(code, "USD" | "SGD" | "TWD" | "HKD" | "AUD" | "CAD" | "NZD" | "BRL" | "MXN"),
    }
}

/// Whether two currencies conflict (a bare `$` conflicts with no dollar it may mean).
fn currency_conflict(draft: &Quantity, source: &Quantity, dollar: Option<&[String]>) -> bool {
    match (&draft.unit, &source.unit) {
        (Unit::Currency(a), Unit::Currency(b)) if a != b => {
            !((draft.assumed_currency && is_dollar(b, dollar)) || (source.assumed_currency && is_dollar(a, dollar)))
        }
        _ => false,
    }
}

fn unit_conflict(draft: &Quantity, source: &Quantity, dollar: Option<&[String]>) -> bool {
    currency_conflict(draft, source, dollar)
        || matches!(
            (&draft.unit, &source.unit),
            (Unit::Percent, Unit::PercentagePoint) | (Unit::PercentagePoint, Unit::Percent)
        )
}

fn evidence(c: &Candidate, p: &Quantity) -> Evidence {
    evidence_at(c, p.span, super::credits::credited(c, p))
}

/// The source's wording of an aligned figure.
fn source_text(candidates: &[Candidate], a: &Alignment) -> String {
    a.source.span.slice(&candidates[a.candidate].document.text).to_string()
}

/// The evidence of source sentence `c` with `figure` (a figure of it, or the whole sentence).
fn evidence_at(c: &Candidate, figure: Span, speaker: Option<String>) -> Evidence {
    let doc = &c.document;
    Evidence {
        doc: c.doc,
        passage: c.sentence_span,
        figure,
        excerpt: c.sentence_span.slice(&doc.text).to_string(),
        text: figure.slice(&doc.text).to_string(),
        speaker,
    }
}

pub(super) fn judge_sentence(
    text: &str,
    draft: &DraftSentence,
    candidates: &[Candidate],
    corpus: &crate::corpus::Corpus,
    options: &CheckOptions,
    report: &mut Report,
    trace: &mut Vec<String>,
) {
    let figures: Vec<&Quantity> = draft.quantities.iter().copied().filter(|q| q.unit != Unit::Date).collect();
    let alignments: Vec<Vec<Alignment>> = figures.iter().map(|q| align(draft, q, candidates)).collect();
    // The documents each figure's citation names ([`super::cited`]): asked first for support.
    let cited: Vec<Option<super::cited::Cited>> = figures.iter().map(|q| draft.citations.for_figure(draft.masked, q.span)).collect();
    // First pass: figures whose value a well-aligned passage holds claim that source figure.
    let mut used: HashSet<(usize, usize)> = HashSet::new();
    let mut supported: Vec<Option<usize>> = vec![None; figures.len()];
    // For each figure whose value the source holds only where another value tells its fact
    // better: that other value's alignment.
    let mut outweighed_by: Vec<Option<usize>> = vec![None; figures.len()];
    for (i, list) in alignments.iter().enumerate() {
        let best_coverage = list.first().map_or(0.0, |a| a.coverage);
        // Support only silences, so it may rest on weaker alignment than an error.
        let floor = SUPPORT_COVERAGE.max(0.5 * best_coverage);
        // Both ends of a range agreeing are two figures agreeing: rarer by chance than a
        // summary sentence sharing few words with its source.
        let both_ends = |a: &Alignment| figures[i].high.is_some() && a.source.high.is_some();
        let holds = |a: &Alignment| {
            let clause = a.measure >= CLAUSE_MEASURE && (a.coverage >= SUPPORT_COVERAGE || (both_ends(a) && a.coverage >= RANGE_SUPPORT_COVERAGE));
            // A passage found by one clause's words speaks only for a figure whose clause it names.
            clause || (a.coverage >= floor && !candidates[a.candidate].by_clause)
        };
        // A range that merely contains a source figure is weaker evidence than a range of the
        // source with one end the same, aligned better: that is the fact, its other end changed.
        let anchored_above = |k: usize| list[..k].iter().any(|b| b.anchored && b.confident());
        // The value standing in a clause that does not name the figure's measure is weaker
        // evidence than another value in a clause of the same document that names it clearly
        // better, in a sentence covering the draft's at least as well: that clause tells the
        // fact ("accelerate 12 737 MAX 9 deliveries" against "the other 10 aircraft").
        // The other value must not be what another figure of the draft sentence reports
        // ("a $1,500 deductible, for $150 per month": "$1,000" is the deductible's).
        let others_best = |b: &Alignment| {
            alignments.iter().enumerate().any(|(j, other)| j != i && other.first().is_some_and(|o| o.candidate == b.candidate && std::ptr::eq(o.source, b.source)))
        };
        // A draft range merely holding a source value is weaker evidence still: a source range
        // whose clause names the measure better is the fact ("$1.32 to $1.38" for "$1.30 to
        // $1.40", though "$1.36" stands in another sentence).
        let range_around = |a: &Alignment, b: &Alignment| figures[i].high.is_some() && a.source.high.is_none() && b.source.high.is_some() && b.measure > a.measure;
        let outweighing = |a: &Alignment| -> Option<usize> {
            if a.measure >= CLAUSE_MEASURE {
                return None;
            }
            list.iter().position(|b| {
                !b.equal
                    && !others_best(b)
                    && candidates[b.candidate].doc == candidates[a.candidate].doc
                    && b.clause_aligned()
                    && b.confident()
                    && (range_around(a, b) || (b.measure >= a.measure + OUTWEIGH_MEASURE && b.coverage >= a.coverage && b.local >= a.local))
            })
        };
        let free = |a: &Alignment| a.equal && holds(a) && !used.contains(&(a.candidate, a.source.span.start));
        // Where every well-aligned occurrence of the value is outweighed, the fact is told by
        // the value outweighing the first, which the judgement below compares with.
        let occurrences: Vec<Option<usize>> = list.iter().filter(|a| free(a)).map(outweighing).collect();
        if occurrences.iter().all(Option::is_some) {
            outweighed_by[i] = occurrences.first().copied().flatten();
        }
        let free = |a: &Alignment| free(a) && outweighed_by[i].is_none();
        let from_cited = cited[i].as_ref().and_then(|c| list.iter().position(|a| free(a) && c.holds(candidates[a.candidate].doc)));
        if let Some(k) = from_cited.or_else(|| list.iter().position(free)).filter(|&k| !anchored_above(k)) {
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
                    "{draft_text:?} ~ {:?} coverage {:.2} shared {:.1} local {:.2} measure {:.2}{} score {:.2}{}",
                    a.source.span.slice(&candidates[a.candidate].document.text),
                    a.coverage,
                    a.shared,
                    a.local,
                    a.measure,
                    if a.other_period { " other-period" } else { "" },
                    a.score,
                    if a.equal { " equal" } else { "" }
                ));
            }
        }
        if let Some(k) = supported[i] {
            let a = &list[k];
            let c = &candidates[a.candidate];
            let ev = evidence(c, a.source);
            let finding = if a.confident() { compare_equal(q, a.source, draft_text, &ev, options.dollar.as_deref()) } else { None };
            // Other documents telling this fact with other values: a newer one replaces the
            // figure; otherwise the hover lists them all.
            let rivals = if finding.is_none() { disagree::rivals(list, k, candidates) } else { Vec::new() };
            let newer = if rivals.is_empty() { None } else { disagree::superseded(draft, q, draft_text, a, &rivals, candidates, |b| evidence(&candidates[b.candidate], b.source)) };
            if let Some(newer) = newer {
                push(text, report, q.span, ev, Some(newer));
            } else {
                push_equal(text, draft, q, c, a, ev, finding, report);
                if !rivals.is_empty() {
                    if let Some(last) = report.checked.last_mut().filter(|l| l.span == q.span && l.verdict == Verdict::Supported) {
                        last.note = Some(format!("The sources disagree: {}", disagree::listing(|b| source_text(candidates, b), a, &rivals, candidates)));
                    }
                }
            }
            super::credits::judge_credit(draft, q, list, candidates, report);
            if let Some(cited) = &cited[i] {
                super::cited::judge(draft, q, cited, a, list, candidates, corpus, report);
            }
            continue;
        }
        // No passage states the value as written: it may be worked out from the source's figures.
        if let Some(target) = Target::of_quantity(text, q) {
            if let Some(outcome) = derived::derive(text, &target, draft, candidates, options.hedge_tolerance) {
                push_derived(text, report, q.span, draft_text, candidates, outcome);
                continue;
            }
        }
        // No passage holds this value: take the best-aligned figure not claimed by another.
        let best = outweighed_by[i].map(|k| &list[k]).or_else(|| list.iter().find(|a| !used.contains(&(a.candidate, a.source.span.start))));
        // The hand-set rule decides first; the fitted one speaks where it is silent.
        let fitted = best.filter(|a| !a.equal).is_some_and(|a| a.mismatch_odds(q, sibling_supported(&alignments, &supported, i, a.candidate)) >= MISMATCH_LOG_ODDS);
        if options.trace {
            if let Some(a) = best.filter(|a| !a.equal) {
                let sibling = sibling_supported(&alignments, &supported, i, a.candidate);
                let features: Vec<String> = a.features(q, sibling).iter().map(|(name, value)| format!("{name}={value:.3}")).collect();
                let current = (a.coverage >= MIN_COVERAGE || a.clause_aligned()) && a.confident();
                // After the bar: the fitted rule's log-odds and each feature's share of it.
                let shares: Vec<String> = a.odds_shares(q, sibling).iter().map(|(name, share)| format!("{name}{share:+.2}")).collect();
                let odds = a.mismatch_odds(q, sibling);
                trace.push(format!(
                    "decide at {} {} current={} {} | odds {odds:.2} (threshold {MISMATCH_LOG_ODDS}) = bias{MISMATCH_BIAS:+.2} {}",
                    q.span.start,
                    q.span.end,
                    u8::from(current),
                    features.join(" "),
                    shares.join(" ")
                ));
            }
        }
        // Two figures of one clause both standing in one source clause are that clause's fact, however
        // few words the sentences share.
        let Some(a) = best.filter(|a| fitted || a.coverage >= MIN_COVERAGE || a.clause_aligned() || a.scale_slip_of(q) || (a.equal && a.same_fact_apart_from_period())) else {
            if let Some(f) = super::absent::followed_without(q, draft_text, candidates) {
                // No figure of the followed source aligns: its closest sentence is the evidence
                // (and, should the whole draft not follow it, the finding goes back to this
                // branch's: see `absent::confirm`).
                let c = &candidates[f];
                let ev = sentence_evidence(c);
                push(text, report, q.span, ev.clone(), Some(not_in_source(draft_text, c, ev)));
                continue;
            }
            no_source(report, q, draft_text, options);
            continue;
        };
        let c = &candidates[a.candidate];
        let ev = evidence(c, a.source);
        let confident = fitted || a.confident() || a.scale_slip_of(q);
        if a.equal {
            // The best-aligned figure holds the draft's value after all: never a different value.
            let finding = if confident { compare_equal(q, a.source, draft_text, &ev, options.dollar.as_deref()) } else { None };
            push_equal(text, draft, q, c, a, ev, finding, report);
            continue;
        }
        // A measure in another unit of its family is compared in the source's unit.
        let conversion = converted(q, a.source);
        // The unit's own words ("square metres", "square kilometers") make a short sentence's
        // clause look like the source's: across units, the sentences must also share as many
        // words as an error needs.
        let confident = confident && (conversion.is_none() || fitted || a.sentence_aligned() || a.shared >= MIN_SHARED);
        let (dv, _) = conversion.unwrap_or_else(|| q.comparable());
        let (sv, _) = a.source.comparable();
        if q.vague || a.source.vague {
            report.checked.push(Checked { span: q.span, verdict: Verdict::NoSource, evidence: Some(ev), finding: None, note: None });
            continue;
        }
        let relative = if sv != 0.0 { (dv - sv).abs() / sv.abs() } else { f64::INFINITY };
        // A hedge the source wrote itself ("approximately $7.50") is the source's: copying it
        // covers no other number ("approximately $7.60"), only a rounding of it.
        let own_hedge = a.source.bound != Bound::Exact && !is_rounding(dv, sv);
        let hedged = q.high.is_none() && a.source.high.is_none() && q.bound != Bound::Exact && !own_hedge && relative <= options.hedge_tolerance && !unit_conflict(q, a.source, options.dollar.as_deref());
        if hedged && !bound_excludes(q.bound, dv, a.source.bound, sv) {
            // "about 80 percent" for "82 percent": a hedge the writer added covers the difference.
            push(text, report, q.span, ev, None);
            continue;
        }
        if hedged && confident {
            // "More than half" for "46%": near, but on the wrong side of the draft's own bound.
            let finding = hedge(
                draft_text,
                &ev,
                format!("draft says \"{draft_text}\"; source says \"{}\", which is not {}", ev.text, bound_phrase(q.bound)),
                "Use the source's figure",
            );
            push(text, report, q.span, ev, Some(finding));
            continue;
        }
        if !confident {
            if let Some(f) = super::absent::followed_without(q, draft_text, candidates).filter(|&f| candidates[f].doc == c.doc) {
                push(text, report, q.span, ev.clone(), Some(not_in_source(draft_text, &candidates[f], ev)));
                continue;
            }
            report.checked.push(Checked { span: q.span, verdict: Verdict::NoSource, evidence: Some(ev.clone()), finding: None, note: None });
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
        let finding = if conversion.is_some() && same_value(q.value, a.source.value) && q.high.is_none() == a.source.high.is_none() {
            // "three days" for "three hours": the number is the source's, its unit is not.
            Some(error(
                Code::UnitMismatch,
                draft_text,
                &ev,
                format!("draft says \"{draft_text}\" ({}); source says \"{}\" ({})", q.unit.describe(), ev.text, a.source.unit.describe()),
            ))
        } else if conversion.is_none() && q.high.is_none() && a.source.high.is_none() && q.bound == Bound::Exact && is_rounding(dv, sv) && !unit_conflict(q, a.source, options.dollar.as_deref()) {
            Some(hedge(
                draft_text,
                &ev,
                format!("draft says \"{draft_text}\"; source says \"{}\": a rounded figure is given as exact", ev.text),
                "Use the source's figure",
            ))
        } else {
            let scale = if conversion.is_none() && is_scale_slip(dv, sv) { " (a slip of scale)" } else { "" };
            if conversion.is_none() && q.unit == a.source.unit {
                if let Some(ends) = differing_ends(text, q, &c.document.text, a.source) {
                    push_range_ends(text, report, q, ends, &ev);
                    continue;
                }
            }
            // Sources that disagree on the fact are named: the draft matches none of them.
            let rivals = list.iter().position(|b| std::ptr::eq(b, a)).map(|k| disagree::rivals(list, k, candidates)).unwrap_or_default();
            let disagreement = if rivals.is_empty() { String::new() } else { format!("; the sources disagree: {}", disagree::listing(|b| source_text(candidates, b), a, &rivals, candidates)) };
            let mut finding = error(Code::NumberMismatch, draft_text, &ev, format!("draft says \"{draft_text}\"; source says \"{}\"{scale}{disagreement}", ev.text));
            finding.evidence.extend(rivals.iter().map(|b| evidence(&candidates[b.candidate], b.source)));
            Some(finding)
        };
        push(text, report, q.span, ev, finding);
    }
}

/// Multiples the draft writes as verbs ("doubled", "nearly tripled"), held to the source's
/// figures they were worked out from; a verb no source figure bears on is left alone.
pub(super) fn judge_multiples(text: &str, draft: &DraftSentence, candidates: &[Candidate], options: &CheckOptions, report: &mut Report) {
    for m in multiples::multiples(draft.masked, draft.span) {
        if draft.quantities.iter().any(|q| q.span.start < m.span.end && m.span.start < q.span.end) {
            continue;
        }
        let target = Target::of_multiple(&m);
        if let Some(outcome) = derived::derive(text, &target, draft, candidates, options.hedge_tolerance) {
            push_derived(text, report, m.span, m.span.slice(text), candidates, outcome);
        }
    }
}

/// Records a derived figure: supported with its sum, or a `number-mismatch` showing the sum.
fn push_derived(text: &str, report: &mut Report, span: Span, draft_text: &str, candidates: &[Candidate], outcome: Outcome) {
    match outcome {
        Outcome::Supported(d) => {
            let ev = evidence_at(&candidates[d.candidate], d.basis, None);
            report.checked.push(Checked { span, verdict: Verdict::Supported, evidence: Some(ev), finding: None, note: Some(format!("Worked out from the source: {}", d.arithmetic)) });
        }
        Outcome::Contradicted(d) => {
            let ev = evidence_at(&candidates[d.candidate], d.basis, None);
            let message = format!("draft says \"{draft_text}\"; the source's figures give {}", d.arithmetic);
            let finding = Finding { code: Code::NumberMismatch, severity: Code::NumberMismatch.default_severity(), span, message, evidence: vec![ev.clone()], fix: None };
            push(text, report, span, ev, Some(finding));
            if let Some(last) = report.checked.last_mut() {
                last.note = Some(format!("Worked out from the source: {}", d.arithmetic));
            }
        }
    }
}

/// A draft range's ends that differ from the source range's, each with the source's end: the
/// finding sits on the wrong number, not on the whole range ("$1.32" in "$1.32 to $1.40" when
/// the source says "$1.30 to $1.40"). `None` unless both are ranges split at a joint.
fn differing_ends(text: &str, q: &Quantity, source_text: &str, source: &Quantity) -> Option<Vec<(Span, String)>> {
    let ((dl, dh), (sl, sh)) = (q.range_ends(text)?, source.range_ends(source_text)?);
    let (dv, dhv) = q.comparable();
    let (sv, shv) = source.comparable();
    let mut ends = Vec::new();
    if !same_value(dv, sv) {
        ends.push((dl, sl.slice(source_text).to_string()));
    }
    if !same_value(dhv?, shv?) {
        ends.push((dh, sh.slice(source_text).to_string()));
    }
    (!ends.is_empty()).then_some(ends)
}

/// One `number-mismatch` for each wrong end of a range; each fix restores the source's whole
/// range, since an end alone may lack the unit the range writes once ("4-7%").
fn push_range_ends(text: &str, report: &mut Report, q: &Quantity, ends: Vec<(Span, String)>, ev: &Evidence) {
    let whole = q.span.slice(text);
    let fix = covers_whole_figure(text, q.span).then(|| Fix {
        span: q.span,
        replacement: ev.text.chars().filter(|c| !figures::is_invisible(*c)).collect(),
        title: format!("Replace with \"{}\"", ev.text),
    });
    for (span, source_end) in ends {
        let end = span.slice(text);
        report.flag(Finding {
            code: Code::NumberMismatch,
            severity: Code::NumberMismatch.default_severity(),
            span,
            message: format!("draft says \"{end}\" in \"{whole}\"; source says \"{source_end}\" in \"{}\"", ev.text),
            evidence: vec![ev.clone()],
            fix: fix.clone(),
        });
    }
}

/// Records a figure whose value the aligned source figure holds, with `finding` (unit, direction
/// or hedge) if any; when there is none and the source gives the fact for another period, the
/// period is flagged instead.
#[allow(clippy::too_many_arguments)]
fn push_equal(text: &str, draft: &DraftSentence, q: &Quantity, c: &Candidate, a: &Alignment, ev: Evidence, finding: Option<Finding>, report: &mut Report) {
    if finding.is_none() && a.confident() {
        if let Some(reversed) = reversed_lead(text, draft, q, c, a, &ev) {
            report.flag(reversed);
            return;
        }
    }
    if finding.is_none() && a.other_period && a.same_fact_apart_from_period() {
        if let Some(date) = date_mismatch(text, draft, q, c, a, &ev) {
            push(text, report, q.span, ev, None);
            if !report.findings.iter().any(|f| f.code == Code::DateMismatch && f.span == date.span) {
                report.findings.push(date);
            }
            return;
        }
    }
    push(text, report, q.span, ev, finding);
}

/// A span or level whose value the source gives, led to by a verb of the other direction
/// ("has gone down in the past two years" for "has gone up in the past two years"): neither
/// figure is a change of its own, so only the verbs before them say which way things moved.
fn reversed_lead(text: &str, draft: &DraftSentence, q: &Quantity, c: &Candidate, a: &Alignment, ev: &Evidence) -> Option<Finding> {
    if q.direction.is_some() || a.source.direction.is_some() {
        return None;
    }
    let (draft_direction, draft_verb) = leading_direction(draft.masked, q.span.start)?;
    let (source_direction, source_verb) = leading_direction(c.document.prose_text(), a.source.span.start)?;
    if draft_direction == source_direction {
        return None;
    }
    let (draft_words, source_words) = (draft_verb.slice(text), source_verb.slice(&c.document.text));
    let figure = q.span.slice(text);
    Some(Finding {
        code: Code::NumberMismatch,
        severity: Code::NumberMismatch.default_severity(),
        span: draft_verb.cover(q.span),
        message: format!("draft says \"{draft_words}\" before \"{figure}\"; source says \"{source_words}\" before \"{}\": the direction is reversed", ev.text),
        evidence: vec![ev.clone()],
        fix: Some(Fix { span: draft_verb, replacement: source_words.to_string(), title: format!("Replace with \"{source_words}\"") }),
    })
}

/// Whether a draft bound rules out the source's value: "more than half" (over 0.5) for a source
/// that says 46% (or about, or at most 46%), "nearly 50" for 52. A source bounded the same way as
/// the draft ("more than 46%") rules nothing out.
fn bound_excludes(draft: Bound, draft_value: f64, source: Bound, source_value: f64) -> bool {
    match draft.side() {
        1 => source.side() <= 0 && source_value < draft_value,
        -1 => source.side() >= 0 && source_value > draft_value,
        _ => false,
    }
}

/// How a hedge-mismatch message names the side a draft bound claims.
fn bound_phrase(bound: Bound) -> &'static str {
    match bound.side() {
        1 => "above the draft's figure",
        _ => "below the draft's figure",
    }
}

/// Whether another figure of the draft sentence than figure `i` has its value in source
/// sentence `candidate`: the two sentences then tell of one thing.
fn sibling_supported(alignments: &[Vec<Alignment>], supported: &[Option<usize>], i: usize, candidate: usize) -> bool {
    supported.iter().enumerate().any(|(j, k)| j != i && k.is_some_and(|k| alignments[j][k].candidate == candidate))
}

/// The figure's value stands in a source clause that names its measure but another period
/// ("the second quarter" for "the first quarter"): the period is wrong, unless the source
/// sentence or its paragraph also names the draft's period (the same value in two periods).
fn date_mismatch(text: &str, draft: &DraftSentence, q: &Quantity, c: &Candidate, a: &Alignment, ev: &Evidence) -> Option<Finding> {
    // Only the very figure, not a value inside a range, is evidence that the period is wrong.
    let ((dv, dh), (sv, sh)) = (q.comparable(), a.source.comparable());
    let same_ends = same_value(dv, sv) && match (dh, sh) {
        (None, None) => true,
        (Some(dh), Some(sh)) => same_value(dh, sh),
        _ => false,
    };
    if !same_ends || q.unit != a.source.unit {
        return None;
    }
    let draft_frame = draft.frames.get(&q.span.start)?;
    let pi = c.quantities.iter().position(|p| std::ptr::eq(p, a.source))?;
    let source_frame = &c.frames[pi];
    let ((draft_period, draft_span), (source_period, source_span)) = draft_frame.conflicting_period(source_frame)?;
    // A period elsewhere in the sentence may belong to another of its facts ("set up in 2021,
    // it is now valued at $1 billion"): both periods must stand in the figures' own clauses.
    if !draft_frame.clause.encloses(draft_span) || !source_frame.clause.encloses(source_span) {
        return None;
    }
    // The same value given for the draft's period too ("$3.69 in both quarters"), in its own
    // clause of the source sentence, is support. Another figure's period ("$3.69 for the third
    // quarter of 2021, up from $2.75 for the third quarter of 2020") is not: the source clause
    // names its own period, so the rest of the sentence and paragraph cannot lend it another.
    let also_for_draft_period = c
        .quantities
        .iter()
        .zip(&c.frames)
        .any(|(p, f)| same_figure(q, p) && f.clause.encloses(p.number_span) && f.periods.iter().any(|(period, at)| *period == draft_period && f.clause.encloses(*at)));
    if also_for_draft_period {
        return None;
    }
    let draft_text = draft_span.slice(text);
    let told = super::periods::source_time(c, (source_period, source_span));
    Some(Finding {
        code: Code::DateMismatch,
        severity: Code::DateMismatch.default_severity(),
        span: draft_span,
        message: format!("draft says \"{draft_text}\"; the source gives \"{}\" for {}", ev.text, told.said),
        evidence: vec![ev.clone()],
        // What a change is measured against is worded into its sentence ("up 40.6% from the
        // previous quarter"): the writer rewords it, no replacement fits.
        fix: (!matches!(draft_period, Period::Base(_))).then(|| Fix { span: draft_span, replacement: told.replacement.clone(), title: format!("Replace with \"{}\"", told.replacement) }),
    })
}

/// Whether a figure is written as a compound modifier ("10-day", "$5-billion", "30-year"): a
/// number joined to its unit by a hyphen, with no space.
fn is_compound_modifier(figure: &str) -> bool {
    let figure = figure.trim();
    !figure.contains(char::is_whitespace)
        && figure.split_once('-').is_some_and(|(number, unit)| {
            number.ends_with(|c: char| c.is_ascii_digit()) && unit.starts_with(|c: char| c.is_alphabetic()) && unit.chars().all(|c| c.is_alphabetic() || c == '-')
        })
}

/// Compares a draft figure with a source figure of the same value: unit, direction, hedge.
fn compare_equal(q: &Quantity, p: &Quantity, draft_text: &str, ev: &Evidence, dollar: Option<&[String]>) -> Option<Finding> {
    if unit_conflict(q, p, dollar) {
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
    // "a 10-day forecast" names a kind of forecast, not a claim about its length: the source's
    // "up to 10 days" is that kind.
    let modifier = is_compound_modifier(draft_text);
    if q.bound == Bound::Exact && p.bound != Bound::Exact && !modifier {
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
        // The source's figure without any invisible characters it carries.
        fix: Some(Fix {
            span: Span::default(),
            replacement: ev.text.chars().filter(|c| !figures::is_invisible(*c)).collect(),
            title: format!("Replace with \"{}\"", ev.text),
        }),
    }
}

fn hedge(draft_text: &str, ev: &Evidence, message: String, title: &str) -> Finding {
    let mut finding = error(Code::HedgeMismatch, draft_text, ev, message);
    if let Some(fix) = &mut finding.fix {
        fix.title = format!("{title}: \"{}\"", ev.text);
    }
    finding
}

fn push(text: &str, report: &mut Report, span: Span, ev: Evidence, finding: Option<Finding>) {
    match finding {
        None => report.checked.push(Checked { span, verdict: Verdict::Supported, evidence: Some(ev), finding: None, note: None }),
        Some(mut f) => {
            f.span = span;
            if let Some(fix) = &mut f.fix {
                fix.span = span;
            }
            // A replacement of part of a figure would leave the rest in the draft.
            if !covers_whole_figure(text, span) {
                f.fix = None;
            }
            // The finding carries the same evidence as its first item.
            report.flag(f);
        }
    }
}

/// Whether `span` surely takes in all of its figure: no invisible character stands right
/// outside it. The extractor reads through the invisible characters inside a figure, so one at
/// its edge may hide more of it ("US$4\u{200b} million" read as "US$4"); a fix is then left to
/// the writer rather than risk leaving half a figure behind.
fn covers_whole_figure(text: &str, span: Span) -> bool {
    let (Some(before), Some(after)) = (text.get(..span.start), text.get(span.end..)) else { return false };
    !after.chars().next().is_some_and(figures::is_invisible) && !before.chars().next_back().is_some_and(figures::is_invisible)
}

/// The evidence of a source sentence as a whole, when no figure of it is the draft's.
fn sentence_evidence(c: &Candidate) -> Evidence {
    evidence_at(c, c.sentence_span, None)
}

/// A figure the source its sentence follows never states ([`super::absent`]).
fn not_in_source(draft_text: &str, followed: &Candidate, ev: Evidence) -> Finding {
    let title = followed.document.title.trim();
    let closest = if ev.figure == ev.passage { String::new() } else { format!("; its closest figure is \"{}\"", ev.text) };
    Finding {
        code: Code::NotInSource,
        severity: Code::NotInSource.default_severity(),
        span: Span::default(),
        message: format!("\"{draft_text}\" is nowhere in \"{title}\", the source this sentence follows{closest}"),
        evidence: vec![ev],
        // Which figure is right is for the writer to find in the source.
        fix: None,
    }
}

fn no_source(report: &mut Report, q: &Quantity, draft_text: &str, options: &CheckOptions) {
    report.checked.push(Checked { span: q.span, verdict: Verdict::NoSource, evidence: None, finding: None, note: None });
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compound_modifiers_are_hyphenated_figures() {
        assert!(is_compound_modifier("10-day"));
        assert!(is_compound_modifier("$5-billion"));
        assert!(is_compound_modifier("30-year-old"));
        assert!(!is_compound_modifier("10 days"));
        assert!(!is_compound_modifier("4-7%"));
        assert!(!is_compound_modifier("-12 percent"));
    }

    #[test]
    fn a_bound_rules_out_values_on_its_other_side_only() {
        assert!(bound_excludes(Bound::Over, 0.5, Bound::Exact, 0.46));
        assert!(bound_excludes(Bound::Nearly, 50.0, Bound::Exact, 52.0));
        assert!(bound_excludes(Bound::AtLeast, 100.0, Bound::Approx, 95.0));
        assert!(!bound_excludes(Bound::Over, 0.5, Bound::Exact, 0.52));
        assert!(!bound_excludes(Bound::Nearly, 50.0, Bound::Exact, 48.0));
        assert!(!bound_excludes(Bound::Approx, 50.0, Bound::Exact, 46.0));
        // "more than 46%" in the source does not rule out "more than half".
        assert!(!bound_excludes(Bound::Over, 0.5, Bound::Over, 0.46));
    }

    #[test]
    fn rounding_needs_a_rounder_figure_within_five_percent() {
        assert!(is_rounding(80.0, 82.0));
        assert!(is_rounding(30.0, 29.7));
        assert!(!is_rounding(28.0, 82.0));
        assert!(!is_rounding(82.0, 80.0));
    }

    /// Regression (issue 12): a fix for "US$4" of "US$4\u{200b} million" left "million" behind.
    #[test]
    fn a_range_joined_to_more_by_an_invisible_character_is_not_the_whole_figure() {
        let text = "saves US$4\u{200b} million a year";
        let start = text.find("US$").unwrap();
        assert!(!covers_whole_figure(text, Span::new(start, start + 4)));
        assert!(covers_whole_figure(text, Span::new(start, text.find(" a year").unwrap())));
        assert!(!covers_whole_figure("NT$\u{2060}1.8 billion", Span::new(6, 17)));
        assert!(covers_whole_figure("saves 4 million", Span::new(6, 15)));
    }
}
