//! Figures the followed source never states: a draft sentence that follows one source passage
//! closely (a summary of a call, a rewrite of an article) takes its figures from that source.
//! When no passage supports a figure of it, and its value is written nowhere in the whole
//! source document, in any form a reader would accept as the same number (a scale, a rounding,
//! a hedge, a conversion, a share written as a fraction), the figure did not come from there: a
//! `not-in-source` warning, with the source's closest passage as evidence.
//!
//! Doubt keeps it silent: a sentence that follows no source closely, or a source that is not
//! the whole draft's own, one whose words cover less than half of the draft's (weighed by
//! IDF) or that is the evidence for fewer than half of the draft's checked figures (the figure
//! may come from another document; [`confirm`] demotes those to `unsupported-claim` once the
//! whole draft is checked); a value that any retrieved passage of any document holds; figures a
//! writer derives rather than copies (fractions, multiples, orders of magnitude) and years,
//! which the period check judges.

use std::collections::{BTreeSet, HashMap, HashSet};

use crate::claims::figures::{Bound, Quantity, Unit};
use crate::corpus::{Corpus, Document};
use crate::findings::{Code, Report, Verdict};
use crate::position::Span;

use super::align::{converted, is_rounding, same_value};
use super::retrieve::Candidate;

/// Share of the draft sentence a source sentence must cover for the draft sentence to follow
/// its document. Low: the whole draft must also follow the document ([`confirm`]), which is
/// what keeps unrelated text silent; a summary sentence compresses several passages and
/// shares few words with any one.
pub(super) const FOLLOW_COVERAGE: f32 = 0.1;
/// Share of the draft's words (weighed by capped IDF, as retrieval weighs them) a source must
/// hold to be the draft's own. Unrelated news against the seeds reaches 0.34 and newsroom
/// drafts written from 2-4 articles 0.49 against any one of them; summaries of one document
/// mostly 0.5 and above.
const DRAFT_COVERAGE: f32 = 0.5;
/// Relative difference within which a hedged figure may be the other ("about 80" for 82).
const HEDGE: f64 = 0.1;
/// Relative difference within which a converted figure is the same (10 miles, 16 km).
const CONVERSION: f64 = 0.05;

/// The candidate whose document the draft sentence follows, when `q`'s value is written
/// nowhere in that document nor in any candidate passage.
pub(super) fn followed_without(q: &Quantity, q_text: &str, candidates: &[Candidate]) -> Option<usize> {
    // A small count in words is one a writer often makes of things the source lists ("Eight
    // of those companies"); a measure in words ("six months") is copied, not counted.
    let counted_by_writer = q.value <= 12.0 && q.high.is_none() && matches!(q.unit, Unit::Count(_) | Unit::None) && !q_text.contains(|c: char| c.is_ascii_digit());
    if q.vague || counted_by_writer || matches!(q.unit, Unit::Date | Unit::Fraction) || derived_word(q_text) {
        return None;
    }
    let mut followed: Option<usize> = None;
    for (i, c) in candidates.iter().enumerate() {
        if c.by_clause || c.coverage < FOLLOW_COVERAGE {
            continue;
        }
        if followed.is_none_or(|f| c.coverage > candidates[f].coverage) {
            followed = Some(i);
        }
    }
    let followed = followed?;
    if candidates.iter().any(|c| c.quantities.iter().any(|p| may_state(q, p))) {
        return None;
    }
    let document: &Document = &candidates[followed].document;
    let stated = (0..document.prose.paragraphs.len()).any(|i| document.paragraph_quantities(i).iter().any(|p| may_state(q, p)));
    if stated || numeral_written(q_text, document.prose_text()) {
        return None;
    }
    Some(followed)
}

/// Keeps a `not-in-source` finding only where its source is the draft's own: the evidence for
/// at least half of the draft's checked figures, its words covering at least
/// [`DRAFT_COVERAGE`] of the draft's. The rest become what they were before the source was
/// known to be the draft's, `unsupported-claim` (or nothing, when those are off). Runs on the
/// whole draft's report, after every sentence is checked.
pub(super) fn confirm(text: &str, masked: &str, corpus: &Corpus, report: &mut Report, report_unsupported: bool) {
    if !report.findings.iter().any(|f| f.code == Code::NotInSource) {
        return;
    }
    // Per document: how many of the draft's figures it is the evidence for.
    let mut evidence: HashMap<u32, usize> = HashMap::new();
    let mut evidenced = 0;
    for c in &report.checked {
        if let Some(ev) = &c.evidence {
            *evidence.entry(ev.doc).or_default() += 1;
            evidenced += 1;
        }
    }
    // The draft's terms, each once, weighed as retrieval weighs them; summed in term order, so
    // the share is the same at every run. Read only when a document passes the cheaper test.
    let mut draft_terms: Option<(Vec<(String, f32)>, f32)> = None;
    let mut read_draft_terms = || {
        let mut unique: BTreeSet<String> = BTreeSet::new();
        crate::words::for_each_term(masked, Span::new(0, masked.len()), |term, _| {
            if !unique.contains(term) {
                unique.insert(term.to_string());
            }
        });
        let terms: Vec<(String, f32)> = unique
            .into_iter()
            .map(|term| {
                let weight = super::retrieve::term_weight(corpus, &term);
                (term, weight)
            })
            .collect();
        let total: f32 = terms.iter().map(|(_, w)| w).sum();
        (terms, total)
    };
    let mut doc_cover: HashMap<u32, f32> = HashMap::new();
    // Each demoted finding's span, and whether it keeps its closest figure as evidence.
    let mut demoted: HashMap<Span, bool> = HashMap::new();
    for f in report.findings.iter_mut().filter(|f| f.code == Code::NotInSource) {
        let Some(ev) = f.evidence.first() else { continue };
        let figures = evidence.get(&ev.doc).copied().unwrap_or_default();
        let follows = 2 * figures >= evidenced && {
            let (draft_terms, total) = draft_terms.get_or_insert_with(&mut read_draft_terms);
            let (draft_terms, total) = (&*draft_terms, *total);
            let cover = *doc_cover.entry(ev.doc).or_insert_with(|| {
                let Some(doc) = corpus.document(ev.doc) else { return 0.0 };
                let source = doc.prose_text();
                let mut terms: HashSet<String> = HashSet::new();
                crate::words::for_each_term(source, Span::new(0, source.len()), |term, _| {
                    if !terms.contains(term) {
                        terms.insert(term.to_string());
                    }
                });
                let covered: f32 = draft_terms.iter().filter(|(t, _)| terms.contains(t)).map(|(_, w)| w).sum();
                if total > 0.0 { covered / total } else { 0.0 }
            });
            cover >= DRAFT_COVERAGE
        };
        if follows {
            continue;
        }
        // Back to what the check said before the source was taken for the draft's: with the
        // closest figure as evidence, or with none when only a sentence was found.
        let draft_text = f.span.slice(text);
        let aligned = ev.figure != ev.passage;
        f.message = if aligned {
            format!("no source states \"{draft_text}\"; the closest passage says \"{}\"", ev.text)
        } else {
            format!("no source passage found for \"{draft_text}\"")
        };
        if !aligned {
            f.evidence.clear();
        }
        demoted.insert(f.span, aligned);
        f.code = Code::UnsupportedClaim;
        f.severity = Code::UnsupportedClaim.default_severity();
    }
    if demoted.is_empty() {
        return;
    }
    for c in report.checked.iter_mut().filter(|c| c.verdict == Verdict::Flagged) {
        if let Some(&aligned) = demoted.get(&c.span) {
            c.verdict = Verdict::NoSource;
            if !aligned {
                c.evidence = None;
            }
        }
    }
    if !report_unsupported {
        report.findings.retain(|f| !(f.code == Code::UnsupportedClaim && demoted.contains_key(&f.span)));
    }
}

/// Whether source figure `p` may be the draft figure `q` written another way: the same value
/// at either end, another scale of it, the source's value rounded, a hedged figure near the
/// other, or the same measure in another unit of its family. Units are ignored otherwise: a
/// unit slip is still the same number.
fn may_state(q: &Quantity, p: &Quantity) -> bool {
    let hedged = q.bound != Bound::Exact || p.bound != Bound::Exact;
    let close = |d: f64, s: f64| same_value(d, s) || is_rounding(d, s) || (hedged && within(d, s, HEDGE));
    if let Some((dv, dh)) = converted(q, p) {
        if within(dv, p.value, CONVERSION) || dh.is_some_and(|h| p.high.is_some_and(|ph| within(h, ph, CONVERSION))) {
            return true;
        }
    }
    let (dv, dh) = q.comparable();
    let (sv, sh) = p.comparable();
    let ours = [Some(dv), dh, Some(q.value)];
    let theirs = [Some(sv), sh, Some(p.value)];
    ours.iter().flatten().any(|&d| theirs.iter().flatten().any(|&s| close(d, s) || scaled(d, s)))
}

fn within(a: f64, b: f64, tolerance: f64) -> bool {
    same_value(a, b) || (b != 0.0 && ((a - b) / b).abs() <= tolerance)
}

/// `a` is `b` at another power of ten (a scale slip is another error, judged elsewhere).
fn scaled(a: f64, b: f64) -> bool {
    if a == 0.0 || b == 0.0 {
        return false;
    }
    let ratio = (a / b).abs().log10();
    ratio.round() != 0.0 && (ratio - ratio.round()).abs() < 1e-6
}

/// Multiples and counts of times a writer works out rather than copies ("doubled", "five-fold",
/// "twice", "3x").
fn derived_word(text: &str) -> bool {
    let lower = text.to_lowercase();
    ["fold", "twice", "double", "triple", "quadruple", "half", "times"].iter().any(|w| lower.contains(w))
        || lower.trim_end().ends_with('x')
}

/// Whether the digits of the draft's numeral stand in `text` as a number of their own (a name's
/// number, "Tier 2", is not extracted as a figure but still counts).
fn numeral_written(q_text: &str, text: &str) -> bool {
    let Some(start) = q_text.find(|c: char| c.is_ascii_digit()) else { return false };
    let digits: String = q_text[start..].chars().take_while(|c| c.is_ascii_digit() || *c == '.' || *c == ',').collect();
    let digits = digits.trim_end_matches(['.', ',']);
    if digits.is_empty() {
        return false;
    }
    text.match_indices(digits).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + digits.len()..].chars().next();
        !before.is_some_and(|c| c.is_ascii_digit() || c == '.' || c == ',') && !after.is_some_and(|c| c.is_ascii_digit())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_numeral_counts_only_as_a_number_of_its_own() {
        assert!(numeral_written("$2.55", "EPS was 2.55 dollars"));
        assert!(numeral_written("6,362 verses", "job 6,362 says"));
        assert!(!numeral_written("2.5%", "rose 12.5%"));
        assert!(!numeral_written("25 people", "in 2025 people"));
        assert!(!numeral_written("three people", "three"));
    }

    /// Regression: a demoted finding must be what the check said before this rule existed,
    /// message, evidence and verdict alike (the sample draft's snapshot changed when it was not).
    #[test]
    fn a_demoted_finding_is_the_unsupported_claim_it_was() {
        use crate::findings::{Checked, Evidence, Finding};
        let corpus = Corpus::builtin();
        let draft = "Our newsletter reaches 12,000 readers every week.";
        let span = Span::new(23, 37);
        let sentence = Evidence { doc: 0, passage: Span::new(0, 10), figure: Span::new(0, 10), excerpt: "0123456789".into(), text: "0123456789".into(), speaker: None };
        let closest = Evidence { figure: Span::new(2, 4), text: "23".into(), ..sentence.clone() };
        for (ev, message, kept) in [
            (sentence, "no source passage found for \"12,000 readers\"", false),
            (closest, "no source states \"12,000 readers\"; the closest passage says \"23\"", true),
        ] {
            let mut report = Report::default();
            report.flag(Finding { code: Code::NotInSource, severity: Code::NotInSource.default_severity(), span, message: String::new(), evidence: vec![ev.clone()], fix: None });
            confirm(draft, draft, &corpus, &mut report, true);
            let expected_evidence = if kept { vec![ev.clone()] } else { Vec::new() };
            assert_eq!(report.findings, vec![Finding { code: Code::UnsupportedClaim, severity: Code::UnsupportedClaim.default_severity(), span, message: message.into(), evidence: expected_evidence, fix: None }]);
            assert_eq!(report.checked, vec![Checked { span, verdict: Verdict::NoSource, evidence: kept.then_some(ev.clone()), finding: None, note: None }]);
            let mut quiet = Report::default();
            quiet.flag(Finding { code: Code::NotInSource, severity: Code::NotInSource.default_severity(), span, message: String::new(), evidence: vec![ev.clone()], fix: None });
            confirm(draft, draft, &corpus, &mut quiet, false);
            assert!(quiet.findings.is_empty(), "unsupported claims are off");
        }
    }

    #[test]
    fn multiples_are_derived() {
        assert!(derived_word("five-fold"));
        assert!(derived_word("3x"));
        assert!(derived_word("twice"));
        assert!(!derived_word("$4 million"));
    }

    #[test]
    fn scales_and_roundings_are_the_same_number() {
        assert!(scaled(4_000_000.0, 400_000.0));
        assert!(!scaled(4.0, 4.0));
        let figure = |text: &str| crate::claims::figures::extract(text).remove(0);
        assert!(may_state(&figure("30%"), &figure("29.7%")), "a rounding");
        assert!(may_state(&figure("about 80%"), &figure("82%")), "a hedge");
        assert!(may_state(&figure("$4 million"), &figure("$400,000")), "a scale slip");
        assert!(!may_state(&figure("$0.15"), &figure("$0.13")));
        assert!(!may_state(&figure("26%"), &figure("25%")), "an exact figure near another is not it");
    }
}
