//! Figures of a coordinated run followed by "respectively": each measures the noun of the same
//! rank in the coordination before them ("revenues and earnings increased by 19% and 35%
//! respectively"), the conjuncts read as words or as quotations.

use std::collections::HashMap;

use super::looks_verbal;
use crate::claims::figures::{Quantity, Unit};
use crate::position::Span;
use crate::words::Token;

/// "Revenues and earnings increased by 19% and 35% respectively": the figures of a coordinated
/// run followed by "respectively" each measure the noun of the same rank in the coordination
/// before them. For each such figure (by index into `figures`): its own noun's tokens and the
/// other nouns' tokens. `None` when the sentence has no such run, or the counts disagree.
#[allow(clippy::type_complexity)]
pub(super) fn respective_measures(text: &str, sentence: Span, tokens: &[Token], figures: &[Quantity]) -> Option<HashMap<usize, (Vec<Token>, Vec<Token>)>> {
    let body = text.get(sentence.start..sentence.end)?;
    let at = body.to_ascii_lowercase().find("respectively")? + sentence.start;
    let mut order: Vec<usize> = (0..figures.len()).filter(|&i| figures[i].unit != Unit::Date && figures[i].span.end <= at).collect();
    order.sort_by_key(|&i| figures[i].span.start);
    // The run of figures joined only by commas and "and" that ends right before "respectively"
    // (a few words such as "year over year" may stand between).
    let last = *order.last()?;
    if at - figures[last].span.end > 40 {
        return None;
    }
    let joined = |a: &Quantity, b: &Quantity| {
        text.get(a.span.end..b.span.start).is_some_and(|gap| gap.split(|c: char| c == ',' || c.is_whitespace()).all(|w| w.is_empty() || w == "and"))
    };
    let mut run = vec![last];
    for w in order.windows(2).rev() {
        if w[1] == run[0] && joined(&figures[w[0]], &figures[w[1]]) {
            run.insert(0, w[0]);
        }
    }
    if run.len() < 2 {
        return None;
    }
    let before = text.get(sentence.start..figures[run[0]].span.start)?;
    if let Some(conjuncts) = quoted_conjuncts(before, sentence.start, tokens, run.len()) {
        return Some(respective_pairs(&run, conjuncts));
    }
    // The coordination before the run: "A and B", "A, B and C"; each conjunct's content words,
    // the first conjunct's last word only (what precedes it is the sentence's subject).
    let and = before.rfind(" and ")?;
    let right_start = sentence.start + and + 5;
    // The right conjunct ends at its verb ("earnings increased by"): without a verb between it
    // and the figures it is no noun phrase of a coordination ("and by 19%").
    // ("earnings" reads as a gerund to `looks_verbal`; in a subject it is the noun.)
    let verbal = |t: &Token| t.term.ends_with("ed") || (looks_verbal(&t.term) && !t.term.ends_with("ing"));
    let between: Vec<&Token> = tokens.iter().filter(|t| t.span.start >= right_start && t.span.end <= figures[run[0]].span.start).collect();
    let right: Vec<Token> = between.iter().take_while(|t| !verbal(t)).take(3).map(|t| (*t).clone()).collect();
    let gap = text.get(right.last()?.span.end..figures[run[0]].span.start)?;
    if right.is_empty() || gap.split_whitespace().next().is_none() {
        return None;
    }
    let left_text = &before[..and];
    let mut conjuncts: Vec<Vec<Token>> = Vec::new();
    let mut end = sentence.start + left_text.len();
    for _ in 0..run.len() - 1 {
        let start = left_text[..end - sentence.start].rfind(',').map_or(sentence.start, |k| sentence.start + k + 1);
        let words: Vec<Token> = tokens.iter().filter(|t| t.span.start >= start && t.span.end <= end).cloned().collect();
        let words = if start == sentence.start {
            words.last().cloned().into_iter().collect()
        } else {
            words
        };
        if words.is_empty() || words.len() > 3 {
            return None;
        }
        conjuncts.insert(0, words);
        end = start.saturating_sub(1).max(sentence.start);
    }
    conjuncts.push(right);
    Some(respective_pairs(&run, conjuncts))
}

/// Each figure of `run` with its own conjunct's tokens and the other conjuncts' tokens.
fn respective_pairs(run: &[usize], conjuncts: Vec<Vec<Token>>) -> HashMap<usize, (Vec<Token>, Vec<Token>)> {
    let all: Vec<Token> = conjuncts.iter().flatten().cloned().collect();
    run.iter().zip(&conjuncts).map(|(&i, own)| (i, (own.clone(), all.iter().filter(|t| !own.contains(t)).cloned().collect()))).collect()
}

/// Conjuncts written as quotations (`"financial services" and "business, legal and
/// professional services," at 24% and 23%`): the last `count` quotations of `before` (which
/// starts at byte `offset`), joined only by commas and "and" and standing right before the
/// figures, each one conjunct whatever commas and "and" it holds itself.
fn quoted_conjuncts(before: &str, offset: usize, tokens: &[Token], count: usize) -> Option<Vec<Vec<Token>>> {
    let mut quotes: Vec<(usize, usize)> = Vec::new();
    let mut open: Option<usize> = None;
    for (k, c) in before.char_indices() {
        match (c, open) {
            ('“', _) => open = Some(k + c.len_utf8()),
            ('”', Some(start)) => {
                quotes.push((start, k));
                open = None;
            }
            ('"', Some(start)) => {
                quotes.push((start, k));
                open = None;
            }
            ('"', None) => open = Some(k + 1),
            _ => {}
        }
    }
    if quotes.len() < count {
        return None;
    }
    let last = &quotes[quotes.len() - count..];
    let joiner = |gap: &str| gap.split(|c: char| c == ',' || c.is_whitespace() || c == '”' || c == '"').all(|w| w.is_empty() || w == "and");
    let trailing = &before[last[count - 1].1..];
    let lead_in = trailing.split(|c: char| c == ',' || c.is_whitespace() || c == '”' || c == '"').filter(|w| !w.is_empty()).count();
    if lead_in > 2 || !last.windows(2).all(|w| joiner(before[w[0].1..w[1].0].trim_start_matches(['”', '"']).trim_end_matches(['“', '"']))) {
        return None;
    }
    let conjuncts: Vec<Vec<Token>> =
        last.iter().map(|&(a, b)| tokens.iter().filter(|t| t.span.start >= offset + a && t.span.end <= offset + b).cloned().collect()).collect();
    (conjuncts.iter().all(|c| !c.is_empty() && c.len() <= 6)).then_some(conjuncts)
}
