//! Sources that disagree, and figures a newer source replaced. An archive holds several values
//! for one running fact (a model's downloads, a company's valuation): where other documents
//! report the fact a draft figure is aligned with, with other values, the check says so. A draft
//! matching any of them is supported and its hover lists every source's value with its title and
//! date; a draft matching none is flagged against the closest, its message naming the others; a
//! draft matching a source that a later-dated one contradicts gets a `superseded-figure`
//! warning, unless the draft sentence dates the figure itself ("in August, downloads stood at").
//!
//! A rival must tell the same fact as firmly as an error needs (a confident alignment, no other
//! period) from another document, in the same unit: figures of other facts in an archive are not
//! disagreements.

use crate::claims::figures::Quantity;
use crate::findings::{Code, Evidence, Finding, Fix};

use super::align::Alignment;
use super::retrieve::{Candidate, DraftSentence};

/// Rivals named in a hover or message; past this, a count.
const NAMED_RIVALS: usize = 4;

/// Other documents' values for the fact `list[chosen]` reports: one per document, best aligned first.
pub(super) fn rivals<'a, 'c>(list: &'a [Alignment<'c>], chosen: usize, candidates: &[Candidate]) -> Vec<&'a Alignment<'c>> {
    let Some(base) = list.get(chosen) else { return Vec::new() };
    let base_doc = candidates[base.candidate].doc;
    let mut docs = vec![base_doc];
    let mut out = Vec::new();
    for (k, a) in list.iter().enumerate() {
        let doc = candidates[a.candidate].doc;
        if k == chosen || docs.contains(&doc) || !a.confident() || !a.sentence_aligned() || a.source.vague || a.source.unit != base.source.unit {
            continue;
        }
        docs.push(doc);
        // A document that states the chosen value too agrees, whatever else it says.
        if super::align::same_figure(a.source, base.source) || list.iter().any(|b| candidates[b.candidate].doc == doc && b.equal) {
            continue;
        }
        out.push(a);
    }
    out
}

/// A document's date as written in its front matter, when it reads as a calendar date
/// (`2025-12-02`, `2025-12`, `2025`): comparable as text.
fn date_of(c: &Candidate) -> Option<&str> {
    let date = c.document.date.as_deref()?.trim();
    let bytes = date.as_bytes();
    let calendar = bytes.len() >= 4 && bytes[..4].iter().all(u8::is_ascii_digit) && bytes[4..].iter().all(|b| b.is_ascii_digit() || *b == b'-');
    calendar.then_some(date)
}

/// How a source is named in a message: its title, and its date when it has one.
fn named(c: &Candidate) -> String {
    let title = c.document.title.trim();
    let title = if title.is_empty() { c.document.path.as_str() } else { title };
    match date_of(c) {
        Some(date) => format!("\"{title}\" ({date})"),
        None => format!("\"{title}\""),
    }
}

/// "\"Title\" (date) says \"X\"; ..." for the chosen source and its rivals.
pub(super) fn listing(text_of: impl Fn(&Alignment) -> String, chosen: &Alignment, rivals: &[&Alignment], candidates: &[Candidate]) -> String {
    let mut parts: Vec<String> = std::iter::once(chosen).chain(rivals.iter().copied()).take(NAMED_RIVALS + 1).map(|a| format!("{} says \"{}\"", named(&candidates[a.candidate]), text_of(a))).collect();
    if rivals.len() > NAMED_RIVALS {
        parts.push(format!("and {} more", rivals.len() - NAMED_RIVALS));
    }
    parts.join("; ")
}

/// A warning for a draft figure that matches a source a later-dated source contradicts, or
/// `None` (undated sources, no later rival, or a draft sentence that dates the figure itself).
pub(super) fn superseded(draft: &DraftSentence, q: &Quantity, draft_text: &str, chosen: &Alignment, rivals: &[&Alignment], candidates: &[Candidate], evidence: impl Fn(&Alignment) -> Evidence) -> Option<Finding> {
    let dated_in_draft = !draft.years.is_empty() || draft.frames.get(&q.span.start).is_some_and(|f| !f.periods.is_empty());
    if dated_in_draft {
        return None;
    }
    let own = date_of(&candidates[chosen.candidate])?;
    // The newest rival dated after the chosen source.
    let newer = rivals.iter().filter_map(|a| date_of(&candidates[a.candidate]).filter(|d| *d > own).map(|d| (d, *a))).max_by(|x, y| x.0.cmp(y.0))?;
    let (date, rival) = newer;
    let ev = evidence(rival);
    let message = format!(
        "\"{draft_text}\" is what {} says; a newer source, {}, says \"{}\"",
        named(&candidates[chosen.candidate]),
        named(&candidates[rival.candidate]),
        ev.text
    );
    let _ = date;
    let fix = Fix { span: q.span, replacement: ev.text.clone(), title: format!("Replace with \"{}\" (the newer source)", ev.text) };
    Some(Finding { code: Code::SupersededFigure, severity: Code::SupersededFigure.default_severity(), span: q.span, message, evidence: vec![ev, evidence(chosen)], fix: Some(fix) })
}
