//! Matches of a draft quotation in a source's own prose, outside any quotation marks there: a
//! source whose marks were lost or never closed (a truncated page) still has the speaker's
//! words next to their name, and a transcript has none at all. Each match is a [`Near`] the
//! parent module turns into a `misquote`.

use std::collections::HashMap;

use super::{align, context_score, has_word, Near, Op, Pattern, SourcePara};
use crate::claims::attribution::Speaker;
use crate::claims::figures::lexicon::UNITS_WORDS;

/// A close match of the draft's words in a source's prose, in or right after the sentence that
/// names the draft's speaker.
pub(super) fn prose_near(pat: &Pattern, speaker: &Speaker, sources: &[SourcePara]) -> Option<Near> {
    let n = pat.toks.len();
    let surname = speaker.text.split_whitespace().next_back()?.trim_end_matches("'s").trim_end_matches("’s");
    if surname.chars().count() < 2 || n > 400 {
        return None;
    }
    let mut best: Option<Near> = None;
    for (si, sp) in sources.iter().enumerate() {
        let doc = &sp.document;
        let para = doc.prose.paragraphs[sp.paragraph];
        if !has_word(para.slice(&doc.text), surname) || sp.toks.len() > 3000 {
            continue;
        }
        let index: Vec<usize> = (0..sp.toks.len()).collect();
        let Some(near) = Near::new(pat, align(pat, &sp.toks), index, si, None) else { continue };
        let n_eff = (n - near.free_added).max(1);
        let share = near.matched as f32 / n_eff as f32;
        let tight = near.matched as f32 / near.window.max(1) as f32;
        let ok = near.real >= 1
            && n_eff >= 6
            && share >= 0.75
            && near.content >= 3
            && tight >= 0.7
            && near.lead <= 1
            && near.trail <= 1;
        // Words inside a source quotation were judged with that quotation.
        if !ok || (near.first..=near.last).any(|j| sp.in_quote[j].is_some()) {
            continue;
        }
        // The speaker is named in the window's sentence or the one before it.
        let first_sentence = doc.prose.sentence_at(sp.toks[near.first].span.start)?;
        let last_sentence = doc.prose.sentence_at(sp.toks[near.last].span.start)?;
        let from = doc.prose.sentences[first_sentence.saturating_sub(1)].span.start;
        let to = doc.prose.sentences[last_sentence].span.end;
        if !has_word(&doc.text[from..to], surname) {
            continue;
        }
        if best.as_ref().is_none_or(|b| near.matched > b.matched) {
            best = Some(near);
        }
    }
    best
}

/// The longest quotation [`changed_figure`] reads, in words.
const CHANGED_FIGURE_WORDS: usize = 60;

/// A number, or a number word above one ("one" is as often a pronoun).
fn is_number(norm: &str) -> bool {
    norm.chars().any(|c| c.is_ascii_digit()) || UNITS_WORDS.iter().any(|(w, v)| *w == norm && *v >= 2.0)
}

/// Draft words that stand in a source paragraph word for word, in one unbroken run, but for
/// one number (`"Jo. Toby 6362"` where the source has `Jo. Toby 3632`): the quotation changed
/// a figure. Only a run of at least two other words, one of them a content word, counts, and
/// a short one needs the draft's context around it in the same paragraph: two words and a
/// number recur in unrelated passages.
pub(super) fn changed_figure(pat: &Pattern, sources: &[SourcePara], context: &HashMap<String, f32>) -> Option<Near> {
    let n = pat.toks.len();
    // A longer quotation with one number changed is a near match the rules above judge; the
    // alignment here costs the quotation's length times each paragraph's.
    if n > CHANGED_FIGURE_WORDS || !pat.toks.iter().any(|t| is_number(&t.norm)) {
        return None;
    }
    let mut best: Option<Near> = None;
    for (si, sp) in sources.iter().enumerate() {
        if sp.toks.len() > 3000 {
            continue;
        }
        let index: Vec<usize> = (0..sp.toks.len()).collect();
        let Some(near) = Near::new(pat, align(pat, &sp.toks), index, si, None) else { continue };
        let mut subs = near.ops.iter().filter_map(|op| match *op {
            Op::Sub(i, j) => Some((i, j)),
            _ => None,
        });
        let (Some((i, j)), None) = (subs.next(), subs.next()) else { continue };
        let numbers = is_number(&pat.toks[i].norm) && is_number(&sp.toks[j].norm);
        let context = context_score(context, &sp.context);
        // One real difference, the substitution: the run is unbroken.
        let ok = numbers
            && near.real == 1
            && near.free_added == 0
            && near.matched + 1 == n
            && near.matched >= 2
            && near.content >= 1
            && (near.matched >= 5 || context >= 0.3);
        if ok && best.as_ref().is_none_or(|b| (near.matched, context) > (b.matched, b.context)) {
            best = Some(Near { context, ..near });
        }
    }
    // The source quotation it falls in, for the evidence's speaker.
    best.map(|b| {
        let quote = sources[b.source].in_quote[b.first].filter(|k| sources[b.source].in_quote[b.last] == Some(*k));
        Near { quote, ..b }
    })
}
