//! Judging credits: whether the source a draft credits with a statistic ("KPMG reckons",
//! "according to Citi") is the one the aligned source passage credits ("said Paul Daugherty,
//! group chief executive, Accenture Technology"). Credits are read by [`crate::claims::credits`],
//! the same reader for drafts and sources; this module decides.
//!
//! A draft credit is a `misattribution` only when every doubt is spent: the draft names an
//! organisation or person; no source sentence holding the figure names it (either end of a
//! chain counts: "Reuters, citing IDC"), nor is it the source's own publication; a source
//! sentence aligned well enough to call a difference an error credits someone else by name; and
//! the draft's name is not written beside that name anywhere in its article (an analyst's firm).
//! A source sentence that credits no one leaves the article's own credit, in its title
//! ("..., McKinsey reports"): a draft naming someone that article never names is then told so as
//! a warning.

use crate::claims::credits::{credit_for, credits, name_written, Credit};
use crate::claims::figures::Quantity;
use crate::corpus::Document;
use crate::findings::{Code, Evidence, Finding, Report, Severity};
use crate::position::Span;

use super::align::{Alignment, SUPPORT_COVERAGE};
use super::retrieve::{Candidate, DraftSentence};

/// Bytes either side of a mention of the source's credit within which the draft's name counts
/// as written beside it (`UBS analyst Timothy Arcuri`, `Arcuri, who covers Nvidia for UBS`).
const BESIDE: usize = 60;

/// Who the source credits with its figure `p`, for the evidence: a named credit first, else
/// a description ("the company"); a bare pronoun says nothing.
pub(super) fn credited(c: &Candidate, p: &Quantity) -> Option<String> {
    let text = c.document.prose_text();
    let all = c.credits.get_or_init(|| credits(text, c.sentence_span));
    let covering = credit_for(text, all, p.span);
    let named = covering.iter().find(|k| !k.names.is_empty());
    let described = covering.iter().find(|k| k.text.split_whitespace().count() > 1);
    named.or(described).map(|k| k.text.clone())
}

/// Flags the draft's credit of figure `q`, supported by the equal figures of `list`, when its
/// source credits someone else (see the module documentation). The finding stands on the
/// credit, which is what is wrong, once however many of its figures it covers.
pub(super) fn judge_credit(draft: &DraftSentence, q: &Quantity, list: &[Alignment], candidates: &[Candidate], report: &mut Report) {
    if let Some(finding) = misattribution(draft, q, list, candidates) {
        if !report.findings.iter().any(|f| f.code == Code::Misattribution && f.span == finding.span) {
            report.flag(finding);
        }
    }
}

fn misattribution(draft: &DraftSentence, q: &Quantity, list: &[Alignment], candidates: &[Candidate]) -> Option<Finding> {
    let draft_credits = draft.credits.get_or_init(|| credits(draft.masked, draft.span));
    let ours: Vec<&Credit> = credit_for(draft.masked, draft_credits, q.span).into_iter().filter(|c| !c.names.is_empty()).collect();
    if ours.is_empty() {
        return None;
    }
    let mut names: Vec<&str> = Vec::new();
    for name in ours.iter().flat_map(|c| c.names.iter().map(String::as_str)) {
        // Two cues may credit one name (`a report by X said`): it is named once.
        if !names.contains(&name) {
            names.push(name);
        }
    }
    let support: Vec<&Alignment> = list.iter().filter(|a| a.equal && a.coverage >= SUPPORT_COVERAGE).collect();
    if support.iter().any(|a| {
        let c = &candidates[a.candidate];
        let sentence = c.sentence_span.slice(c.document.prose_text());
        names.iter().any(|n| name_written(n, sentence) || publishes(n, &c.document))
    }) {
        return None;
    }
    let draft_names = names.join(" and ");
    let mut uncredited = true;
    for a in support.iter().filter(|a| a.confident()) {
        let c = &candidates[a.candidate];
        let text = c.document.prose_text();
        let all = c.credits.get_or_init(|| credits(text, c.sentence_span));
        uncredited &= all.is_empty();
        let Some(theirs) = credit_for(text, all, a.source.span).into_iter().find(|k| !k.names.is_empty()) else { continue };
        if names.iter().any(|n| theirs.names.iter().any(|y| beside(n, y, text))) {
            return None;
        }
        let message = format!("the source credits {}, not {draft_names}", sentence_case_off(&theirs.text));
        return Some(finding(ours[0].span, c, a.source, Some(theirs.text.clone()), Severity::Error, message));
    }
    // No sentence holding the figure credits anyone: the article's own credit, from its title.
    let a = support.iter().find(|a| a.confident()).filter(|_| uncredited)?;
    let c = &candidates[a.candidate];
    let title = c.document.title.as_str();
    let theirs = credits(title, Span::new(0, title.len())).into_iter().find(|k| !k.names.is_empty())?;
    let text = c.document.prose_text();
    if names.iter().any(|n| name_written(n, text) || theirs.names.iter().any(|y| name_written(n, y))) {
        return None;
    }
    let message = format!("the source article reports {}'s figures (\"{}\") and never names {draft_names}", theirs.names.join(" and "), title.trim());
    Some(finding(ours[0].span, c, a.source, Some(theirs.names.join(", ")), Severity::Warning, message))
}

/// `The Forbes report` as it reads mid-sentence.
fn sentence_case_off(phrase: &str) -> String {
    match phrase.split_once(' ') {
        Some((first, rest)) if matches!(first, "The" | "A" | "An") => format!("{} {rest}", first.to_lowercase()),
        _ => phrase.to_string(),
    }
}

fn finding(span: Span, c: &Candidate, p: &Quantity, speaker: Option<String>, severity: Severity, message: String) -> Finding {
    let doc = &c.document;
    Finding {
        code: Code::Misattribution,
        severity,
        span,
        message,
        evidence: vec![Evidence {
            doc: c.doc,
            passage: c.sentence_span,
            figure: p.span,
            excerpt: c.sentence_span.slice(&doc.text).to_string(),
            text: p.span.slice(&doc.text).to_string(),
            speaker,
        }],
        // Who is right to credit is for the writer to say: the source's own credit may be a
        // person the draft names by firm, or the other way round.
        fix: None,
    }
}

/// Whether the draft's `name` is the source document's own publication: its title ("... |
/// VentureBeat"), publisher, URL or folder.
fn publishes(name: &str, doc: &Document) -> bool {
    if name_written(name, &doc.title) || doc.publisher.as_deref().is_some_and(|p| name_written(name, p)) {
        return true;
    }
    let squashed: String = name.chars().filter(|c| c.is_alphanumeric()).collect::<String>().to_lowercase();
    let squashed = squashed.strip_prefix("the").filter(|s| !s.is_empty()).unwrap_or(&squashed).to_string();
    if squashed.len() < 3 {
        return false;
    }
    let places = [doc.url.as_deref().unwrap_or(""), doc.path.as_str()];
    places.iter().any(|p| p.to_lowercase().split(['/', '.', ':']).any(|part| part.contains(squashed.as_str())))
}

/// Whether `name` is written within [`BESIDE`] bytes of a mention of `credited`'s distinctive
/// words in `text`.
fn beside(name: &str, credited: &str, text: &str) -> bool {
    for word in credited.split_whitespace().filter(|w| w.chars().next().is_some_and(char::is_uppercase) && w.len() > 2) {
        for (at, _) in text.match_indices(word) {
            let mut start = at.saturating_sub(BESIDE);
            while !text.is_char_boundary(start) {
                start -= 1;
            }
            let mut end = (at + word.len() + BESIDE).min(text.len());
            while !text.is_char_boundary(end) {
                end += 1;
            }
            if name_written(name, &text[start..end]) {
                return true;
            }
        }
    }
    false
}
