//! The quotation check: each draft quotation (found by [`crate::claims::quotations`]) is
//! looked for in the corpus, and judged.
//!
//! Checking compares word sequences after normalising what carries no meaning (quote and
//! apostrophe styles, dashes, ellipsis forms, whitespace, case, edge punctuation, contractions,
//! `%`/`per cent`). A draft may omit words with an ellipsis, insert `[bracketed]` words, write
//! `[t]he` and add `[sic]`; a source's own ellipses and parentheticals, and a source that quotes
//! less than the draft, are not held against the draft. Source paragraphs are found with BM25
//! (the quotation's words, its sentence, its rarest words) and their quotations extracted on
//! demand.
//! - verbatim in a source where someone else surely is the speaker: `misattribution` (error);
//! - not verbatim, but a source quotation nearly matches (most words in order, both ends
//!   agreeing, and the same speaker or the same surrounding context): `misquote` (error), with a
//!   word-level diff; also a close match in a source's prose right by the speaker's name (a
//!   quotation whose marks the source lost);
//! - found nowhere: `unsupported-claim` at info level.
//!
//! Precision comes first. A speaker the draft only implies with a pronoun is never called
//! wrong; a source speaker read from a pronoun or from before the quotation yields when the
//! draft's speaker is named nearby; a role (`the entrepreneur`) yields when the article names
//! the draft's speaker where it introduces that role. Quotations of one or two words are terms
//! or scare quotes: they only need their words in a source, except that a two-word quotation
//! whose counterpart by the same speaker differs by one word is a misquote.

use std::collections::{HashMap, HashSet};

use crate::claims::attribution::{Speaker, SpeakerKind, DETERMINERS, TITLES};
use crate::claims::quotations::{Quotation, SpanCover};
use crate::claims::wording::{qlex, Gap, Item, QTok};
use crate::corpus::quotes::ParagraphQuotes;
use crate::corpus::{Corpus, SearchScratch};
use crate::findings::{Checked, Code, Evidence, Finding, Fix, Report, Verdict};
use crate::position::Span;
use crate::prose::Prose;
use crate::words;

use speakers::{conflicts, has_word, names_match, namesakes, same_speaker, surname};
use unquoted::{changed_figure, prose_near};

/// A draft quotation as words with the gaps its edits allow.
#[derive(Debug, Clone, Default)]
struct Pattern {
    toks: Vec<QTok>,
    gap_before: Vec<Gap>,
}

fn pattern(text: &str, q: &Quotation) -> Pattern {
    let mut out = Pattern::default();
    let mut pending = Gap::None;
    for (k, part) in q.parts.iter().enumerate() {
        if k > 0 {
            pending = pending.max(Gap::Part);
        }
        for item in qlex(text, *part, true) {
            match item {
                Item::Gap(g) => pending = pending.max(g),
                Item::Tok(t) => {
                    out.gap_before.push(if out.toks.is_empty() { Gap::None } else { pending });
                    out.toks.push(t);
                    pending = Gap::None;
                }
            }
        }
    }
    out
}

/// Source indices of the pattern's words, if the source holds it verbatim (edits allowed).
fn verbatim(pattern: &Pattern, source: &[QTok]) -> Option<Vec<usize>> {
    fn extend(pattern: &Pattern, source: &[QTok], matched: &mut Vec<usize>, budget: &mut usize) -> bool {
        let i = matched.len();
        if i == pattern.toks.len() {
            return true;
        }
        if *budget == 0 {
            return false;
        }
        *budget -= 1;
        let from = matched[i - 1] + 1;
        for j in from..=(from + pattern.gap_before[i].limit()).min(source.len().saturating_sub(1)) {
            if j < source.len() && source[j].norm == pattern.toks[i].norm {
                matched.push(j);
                if extend(pattern, source, matched, budget) {
                    return true;
                }
                matched.pop();
            }
        }
        false
    }
    let first = pattern.toks.first()?;
    let mut budget = 20_000;
    for start in 0..source.len() {
        if source[start].norm != first.norm {
            continue;
        }
        let mut matched = vec![start];
        if extend(pattern, source, &mut matched, &mut budget) {
            return Some(matched);
        }
    }
    None
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Match(usize, usize),
    Sub(usize, usize),
    /// A draft word the source lacks; `free` where the source left words out (an ellipsis,
    /// or the source quoting less than the draft).
    Added(usize, bool),
    /// A source word the draft lacks; `free` where the draft's edits allow it or the source
    /// word is parenthetical.
    Dropped(usize, bool),
}

/// The best alignment of the whole draft pattern with part of `source`: a match scores 2, a
/// substituted, added or dropped word costs 1; source words before and after the aligned part,
/// where the draft has an ellipsis or a split, and parenthetical source words are skipped for
/// free, and draft words where the source has an ellipsis are added for free.
fn align(pattern: &Pattern, source: &[QTok]) -> Vec<Op> {
    let n = pattern.toks.len();
    let m = source.len();
    let width = m + 1;
    let mut score = vec![0i32; (n + 1) * width];
    let free_drop = |i: usize, j: usize| (i < n && i > 0 && pattern.gap_before[i] != Gap::None) || source[j - 1].optional;
    let free_add = |j: usize| j > 0 && j < m && source[j].elided_before;
    for i in 1..=n {
        score[i * width] = -(i as i32);
        for j in 1..=m {
            let same = pattern.toks[i - 1].norm == source[j - 1].norm;
            let diagonal = score[(i - 1) * width + j - 1] + if same { 2 } else { -1 };
            let added = score[(i - 1) * width + j] - if free_add(j) { 0 } else { 1 };
            let dropped = score[i * width + j - 1] - if free_drop(i, j) { 0 } else { 1 };
            score[i * width + j] = diagonal.max(added).max(dropped);
        }
    }
    let mut j = (0..=m).max_by_key(|&j| (score[n * width + j], j)).unwrap_or(0);
    let mut i = n;
    let mut ops = Vec::new();
    while i > 0 {
        let here = score[i * width + j];
        if j > 0 {
            let same = pattern.toks[i - 1].norm == source[j - 1].norm;
            if here == score[(i - 1) * width + j - 1] + if same { 2 } else { -1 } {
                ops.push(if same { Op::Match(i - 1, j - 1) } else { Op::Sub(i - 1, j - 1) });
                i -= 1;
                j -= 1;
                continue;
            }
            if here == score[i * width + j - 1] - if free_drop(i, j) { 0 } else { 1 } {
                ops.push(Op::Dropped(j - 1, free_drop(i, j)));
                j -= 1;
                continue;
            }
        }
        ops.push(Op::Added(i - 1, free_add(j)));
        i -= 1;
    }
    ops.reverse();
    // Draft words beyond either end of the source quotation: the source quoted less.
    let aligned = |op: &Op| matches!(op, Op::Match(..) | Op::Sub(..));
    if let Some(first) = ops.iter().position(aligned) {
        if matches!(ops[first], Op::Match(_, 0)) {
            for op in &mut ops[..first] {
                if let Op::Added(i, _) = *op {
                    *op = Op::Added(i, true);
                }
            }
        }
    }
    if let Some(last) = ops.iter().rposition(aligned) {
        if matches!(ops[last], Op::Match(_, j) if j + 1 == m) {
            for op in &mut ops[last + 1..] {
                if let Op::Added(i, _) = *op {
                    *op = Op::Added(i, true);
                }
            }
        }
    }
    ops
}

/// A source paragraph retrieved for a draft quotation.
struct SourcePara {
    doc: u32,
    document: std::sync::Arc<crate::corpus::Document>,
    paragraph: usize,
    /// The sentence retrieval found here.
    sentence: usize,
    /// What the paragraph holds, read once per corpus and cached in its document.
    data: std::sync::Arc<ParagraphQuotes>,
}

impl std::ops::Deref for SourcePara {
    type Target = ParagraphQuotes;
    fn deref(&self) -> &ParagraphQuotes {
        &self.data
    }
}

impl SourcePara {
    /// Paragraph token indices of the words inside quotation `k`.
    fn quote_tokens(&self, k: usize) -> Vec<usize> {
        (0..self.toks.len()).filter(|&j| self.in_quote[j] == Some(k)).collect()
    }

    /// `None` when the document cannot be read as it was indexed (changed since).
    fn new(corpus: &Corpus, doc: u32, paragraph: usize, sentence: usize) -> Option<SourcePara> {
        let document = corpus.document(doc)?;
        if paragraph >= document.prose.paragraphs.len() || sentence >= document.prose.sentences.len() {
            return None;
        }
        let data = document.paragraph_quotes(paragraph);
        Some(SourcePara { doc, document, paragraph, sentence, data })
    }
}

/// How far around a quotation its context reaches, in bytes each side (some 150 words, more
/// than a sentence of prose holds). Without a limit, each of the thousands of quotations of one
/// long sentence read the whole sentence, and the check took time quadratic in its length.
const CONTEXT_BYTES: usize = 1_000;

/// Content words of the draft around a quotation (not inside it) in its sentence, with capped
/// IDF weights.
fn draft_context(prose: &Prose, q: &Quotation, corpus: &Corpus) -> HashMap<String, f32> {
    let first = prose.sentence_at(q.span.start);
    let last = prose.sentence_at(q.span.end.saturating_sub(1));
    let mut out = HashMap::new();
    let (Some(first), Some(last)) = (first, last) else { return out };
    let text = prose.masked.as_str();
    // Cut at whitespace, which no word spans, so the words kept are read as in the whole sentence.
    let mut start = prose.sentences[first].span.start.max(q.span.start.saturating_sub(CONTEXT_BYTES));
    let after_space = |at: usize| text.is_char_boundary(at) && text[..at].ends_with(char::is_whitespace);
    while start < q.span.start && start != prose.sentences[first].span.start && !after_space(start) {
        start += 1;
    }
    let mut end = prose.sentences[last].span.end.min(q.span.end.saturating_add(CONTEXT_BYTES));
    let before_space = |at: usize| text.is_char_boundary(at) && text[at..].starts_with(char::is_whitespace);
    while end > q.span.end && end != prose.sentences[last].span.end && !before_space(end) {
        end -= 1;
    }
    let quoted = SpanCover::new(q.parts.iter().copied());
    for t in words::tokens(text, Span::new(start, end)) {
        if quoted.contains(t.span) {
            continue;
        }
        out.entry(t.term.clone()).or_insert_with(|| corpus.idf(&t.term).min(4.0));
    }
    out
}

fn context_score(draft: &HashMap<String, f32>, source: &HashSet<String>) -> f32 {
    let total: f32 = draft.values().sum();
    if total <= 0.0 {
        return 0.0;
    }
    draft.iter().filter(|(t, _)| source.contains(*t)).map(|(_, w)| w).sum::<f32>() / total
}

/// Paragraphs of the corpus that may hold the quotation, best first, each with its best
/// sentence (an index into the document's sentences).
fn candidates(corpus: &Corpus, prose: &Prose, q: &Quotation, context: &HashMap<String, f32>, scratch: &mut SearchScratch) -> Vec<(u32, usize, usize)> {
    let mut quote_terms: Vec<String> = Vec::new();
    for part in &q.parts {
        quote_terms.extend(words::tokens(&prose.masked, *part).into_iter().map(|t| t.term));
    }
    let mut both = quote_terms.clone();
    both.extend(context.keys().cloned());
    // The quotation's rarest words alone find a source sentence that is long (BM25 favours
    // short ones) or buried in page furniture.
    let mut rare = quote_terms.clone();
    rare.sort_by(|a, b| corpus.idf(b).total_cmp(&corpus.idf(a)).then(a.cmp(b)));
    rare.dedup();
    rare.truncate(4);
    let mut out: Vec<(u32, usize, usize)> = Vec::new();
    for (terms, k) in [(&quote_terms, 12), (&both, 8), (&rare, 6)] {
        if terms.is_empty() {
            continue;
        }
        for (id, _) in corpus.search(scratch, terms, k) {
            let Some(s) = corpus.sentence(id) else { continue };
            if !out.iter().any(|c| c.0 == s.doc && c.1 == s.paragraph as usize) {
                out.push((s.doc, s.paragraph as usize, s.sentence as usize));
            }
        }
    }
    out
}

fn evidence(sp: &SourcePara, figure: Span, speaker: Option<&Speaker>) -> Evidence {
    let doc = &sp.document;
    let sentence = |offset: usize| doc.prose.sentence_at(offset).map(|i| doc.prose.sentences[i].span);
    let passage = match (sentence(figure.start), sentence(figure.end.saturating_sub(1))) {
        (Some(a), Some(b)) => a.cover(b),
        _ => doc.prose.paragraphs[sp.paragraph],
    };
    Evidence {
        doc: sp.doc,
        passage,
        figure,
        excerpt: passage.slice(&doc.text).to_string(),
        text: figure.slice(&doc.text).to_string(),
        speaker: speaker.map(|s| s.text.clone()),
    }
}

/// Words that carry a quotation's meaning: not function words, but numbers, number words and
/// negations count.
fn is_content(word: &str) -> bool {
    !words::is_stopword(word)
        || word.chars().any(|c| c.is_ascii_digit())
        || matches!(
            word,
            "not" | "no" | "nor" | "never" | "million" | "billion" | "trillion" | "thousand" | "hundred" | "percent" | "most"
                | "less" | "more" | "least" | "one" | "two" | "three" | "four" | "five" | "six" | "seven" | "eight" | "nine" | "ten"
        )
}

/// A near match of a draft quotation in a source quotation.
struct Near {
    source: usize,
    /// The source quotation, or None for a match in the source's own prose.
    quote: Option<usize>,
    /// Paragraph token indices of the first and last aligned source words.
    first: usize,
    last: usize,
    ops: Vec<Op>,
    /// Paragraph token index of each source word the ops refer to.
    index: Vec<usize>,
    matched: usize,
    /// Matched words that are not function words.
    content: usize,
    /// Source words from the first aligned to the last, less those skipped for free.
    window: usize,
    /// Differences that change the words (not ones the edits or the source's own cuts allow).
    real: usize,
    /// Draft words added for free (where the source quotes less).
    free_added: usize,
    /// Changed draft words before the first match and after the last.
    lead: usize,
    trail: usize,
    context: f32,
    speaker_same: bool,
    speaker_conflict: bool,
}

impl Near {
    fn new(pat: &Pattern, ops: Vec<Op>, index: Vec<usize>, source: usize, quote: Option<usize>) -> Option<Near> {
        let mut matched = 0;
        let mut content = 0;
        let mut first = None;
        let mut last = 0;
        let mut window = 0;
        let mut real = 0;
        let mut free_added = 0;
        for op in &ops {
            match *op {
                Op::Match(i, j) => {
                    matched += 1;
                    if is_content(&pat.toks[i].norm) {
                        content += 1;
                    }
                    first.get_or_insert(j);
                    last = j;
                    window += 1;
                }
                Op::Sub(_, j) => {
                    first.get_or_insert(j);
                    last = j;
                    window += 1;
                    real += 1;
                }
                Op::Dropped(_, free) => {
                    if !free && first.is_some() {
                        window += 1;
                        real += 1;
                    }
                }
                Op::Added(_, free) => {
                    if free {
                        free_added += 1;
                    } else {
                        real += 1;
                    }
                }
            }
        }
        // Source words dropped after the last aligned word are not part of the window.
        let trailing_drops = ops.iter().rev().take_while(|op| matches!(op, Op::Dropped(..))).filter(|op| matches!(op, Op::Dropped(_, false))).count();
        window -= trailing_drops.min(window);
        real -= trailing_drops.min(real);
        let changed = |op: &&Op| matches!(op, Op::Sub(..) | Op::Added(_, false));
        let first_match = ops.iter().position(|op| matches!(op, Op::Match(..)))?;
        let last_match = ops.iter().rposition(|op| matches!(op, Op::Match(..)))?;
        let lead = ops[..first_match].iter().filter(changed).count();
        let trail = ops[last_match + 1..].iter().filter(changed).count();
        let first = first?;
        Some(Near {
            source,
            quote,
            first: index[first],
            last: index[last],
            ops,
            index,
            matched,
            content,
            window,
            real,
            free_added,
            lead,
            trail,
            context: 0.0,
            speaker_same: false,
            speaker_conflict: false,
        })
    }
}

/// Checks every draft quotation and adds findings and checked entries to `report`.
pub fn check_quotes(text: &str, prose: &Prose, quotations: &[Quotation], corpus: &Corpus, report: &mut Report) {
    check_quotes_with(text, prose, quotations, corpus, report, &mut SearchScratch::default());
}

/// [`check_quotes`] reusing the caller's search buffers (one corpus-sized score array, which a
/// check per keystroke should not allocate afresh for every quotation).
pub fn check_quotes_with(
    text: &str,
    prose: &Prose,
    quotations: &[Quotation],
    corpus: &Corpus,
    report: &mut Report,
    scratch: &mut SearchScratch,
) {
    for q in quotations {
        check_one(text, prose, q, corpus, report, scratch);
    }
}

fn check_one(text: &str, prose: &Prose, q: &Quotation, corpus: &Corpus, report: &mut Report, scratch: &mut SearchScratch) {
    let pat = pattern(&prose.masked, q);
    let n = pat.toks.len();
    if n == 0 {
        return;
    }
    let short = n <= 2;
    let context = draft_context(prose, q, corpus);
    let sources: Vec<SourcePara> =
        candidates(corpus, prose, q, &context, scratch).into_iter().filter_map(|(d, p, s)| SourcePara::new(corpus, d, p, s)).collect();

    // Verbatim occurrences: (source, matched token indices, quotation it is inside). Each
    // source quotation is read on its own first (its parts joined, without the attribution
    // that splits them), then the paragraph as a whole.
    let mut found: Vec<(usize, Vec<usize>, Option<usize>)> = Vec::new();
    for (si, sp) in sources.iter().enumerate() {
        let in_quote = (0..sp.quotes.len()).find_map(|k| {
            let index = sp.quote_tokens(k);
            let toks: Vec<QTok> = index.iter().map(|&j| sp.toks[j].clone()).collect();
            verbatim(&pat, &toks).map(|m| (m.into_iter().map(|j| index[j]).collect::<Vec<_>>(), k))
        });
        if let Some((matched, k)) = in_quote {
            found.push((si, matched, Some(k)));
        } else if let Some(matched) = verbatim(&pat, &sp.toks) {
            // Across quotations (the draft joins two the source splits with a longer
            // attribution): still the first one's when every quotation it spans is in one voice.
            let first = sp.in_quote[matched[0]];
            let voice = |k: Option<usize>| k.and_then(|k| sp.quotes[k].speaker.as_ref()).map(|s| (s.kind, s.text.as_str()));
            let one_voice = matched.iter().all(|&j| sp.in_quote[j].is_some() && (sp.in_quote[j] == first || voice(sp.in_quote[j]).is_some_and(|v| Some(v) == voice(first))));
            let inside = first.filter(|_| one_voice);
            found.push((si, matched, inside));
        }
    }
    if !found.is_empty() {
        let source_speaker = |(si, _, inside): &(usize, Vec<usize>, Option<usize>)| -> Option<&Speaker> {
            inside.and_then(|k| sources[*si].quotes[k].speaker.as_ref())
        };
        // Prefer an occurrence the draft's speaker matches, then one inside a quotation.
        let best = found
            .iter()
            .max_by_key(|f| {
                let s = source_speaker(f);
                let same = match (&q.speaker, s) {
                    (Some(d), Some(s)) => same_speaker(d, s) == Some(true),
                    _ => false,
                };
                (same, f.2.is_some(), std::cmp::Reverse(f.0))
            })
            .expect("non-empty");
        let sp = &sources[best.0];
        let figure = Span::new(sp.toks[best.1[0]].span.start, sp.toks[*best.1.last().expect("non-empty")].span.end);
        let ev = evidence(sp, figure, source_speaker(best));
        // Only a speaker the draft names outright is compared: a resolved pronoun is a guess.
        if let Some(draft_speaker) = q.speaker.as_ref().filter(|s| n >= 4 && !s.resolved && !s.reported) {
            let conflicting = |f: &(usize, Vec<usize>, Option<usize>)| {
                source_speaker(f).is_some_and(|s| {
                    let sp = &sources[f.0];
                    s.kind != SpeakerKind::Pronoun && conflicts(draft_speaker, s, sp, sp.toks[f.1[0]].span.start)
                })
            };
            // A source that lost the attribution does not speak for the draft's speaker unless
            // it names them there (this paragraph or the one before).
            let silent = |f: &(usize, Vec<usize>, Option<usize>)| {
                source_speaker(f).is_none() && {
                    let sp = &sources[f.0];
                    let doc = &sp.document;
                    let from = doc.prose.paragraphs[sp.paragraph.saturating_sub(1)].start;
                    let around = &doc.text[from..doc.prose.paragraphs[sp.paragraph].end];
                    surname(&draft_speaker.text).is_some_and(|w| !has_word(around, w))
                }
            };
            let culprit = if conflicting(best) { Some(best) } else { found.iter().find(|f| conflicting(f)) };
            let all_conflict = culprit.is_some() && found.iter().all(|f| conflicting(f) || silent(f));
            let ctx = context_score(&context, &sp.context);
            if let Some(culprit) = culprit.filter(|_| all_conflict && (ctx >= 0.2 || n >= 8)) {
                let sp = &sources[culprit.0];
                let figure = Span::new(sp.toks[culprit.1[0]].span.start, sp.toks[*culprit.1.last().expect("non-empty")].span.end);
                let ev = evidence(sp, figure, source_speaker(culprit));
                let source = source_speaker(culprit).expect("conflicting speakers are known");
                let at_start = prose.sentence_at(draft_speaker.span.start).is_some_and(|i| prose.sentences[i].span.start == draft_speaker.span.start);
                let replacement = if source.kind == SpeakerKind::Description && !at_start {
                    lower_first(&source.text)
                } else {
                    source.text.clone()
                };
                let span = q.span.cover(draft_speaker.span);
                let message = format!(
                    "quotation attributed to {}, but the source gives these words to {}",
                    draft_speaker.text, source.text
                );
                let fix = Fix { span: draft_speaker.span, title: format!("Attribute to {replacement}"), replacement };
                report.flag(Finding {
                    code: Code::Misattribution,
                    severity: Code::Misattribution.default_severity(),
                    span,
                    message,
                    evidence: vec![ev],
                    fix: Some(fix),
                });
                return;
            }
        }
        report.checked.push(Checked { span: q.span, verdict: Verdict::Supported, evidence: Some(ev), finding: None, note: None });
        return;
    }

    // Near matches in source quotations.
    let mut best: Option<Near> = None;
    for (si, sp) in sources.iter().enumerate() {
        for (k, sq) in sp.quotes.iter().enumerate() {
            let index = sp.quote_tokens(k);
            if index.is_empty() || index.len() > 2000 || n > 400 {
                continue;
            }
            let source_toks: Vec<QTok> = index.iter().map(|&j| sp.toks[j].clone()).collect();
            let ops = align(&pat, &source_toks);
            let Some(near) = Near::new(&pat, ops, index, si, Some(k)) else { continue };
            let near = Near {
                context: context_score(&context, &sp.context),
                speaker_same: match (&q.speaker, &sq.speaker) {
                    (Some(d), Some(s)) => same_speaker(d, s) == Some(true),
                    _ => false,
                },
                speaker_conflict: match (&q.speaker, &sq.speaker) {
                    (Some(d), Some(s)) => conflicts(d, s, sp, sq.span.start),
                    _ => false,
                },
                ..near
            };
            let key = |x: &Near| (x.speaker_same, x.matched as f32 / n.max(x.window) as f32, x.context);
            if best.as_ref().is_none_or(|b| key(&near) > key(b)) {
                best = Some(near);
            }
        }
    }
    let misquote = best.as_ref().filter(|b| {
        if b.speaker_conflict || b.real == 0 {
            return false;
        }
        let n_eff = (n - b.free_added).max(1);
        let share = b.matched as f32 / n_eff as f32;
        let tight = b.matched as f32 / b.window.max(1) as f32;
        if short {
            // A changed word in a short quotation is a misquote only when the same speaker
            // says the other word in the same context; scare quotes are never misquotes.
            let whole = sources[b.source].in_quote.iter().filter(|x| **x == b.quote).count();
            n == 2 && b.matched == 1 && b.window == 2 && whole <= 3 && b.content >= 1 && b.speaker_same && b.context >= 0.3
        } else {
            // Short quotations need a closer match: different remarks share a few words. The
            // two ends must agree (a remark that goes on differently is another remark).
            let (needed, content) = match (n_eff <= 5, b.speaker_same) {
                (true, true) => (0.75, 1),
                (true, false) => (0.75, 2),
                (false, true) => (0.7, 2),
                (false, false) => (0.7, 3),
            };
            b.matched >= 2
                && b.content >= content
                && share >= needed
                && tight >= 0.6
                && b.lead <= 1
                && b.trail <= 1
                && (b.speaker_same || (n_eff > 5 && b.context >= 0.3) || (n_eff >= 8 && share >= 0.8))
        }
    });
    // A source whose quotation marks are lost or never closed (a truncated page) still has the
    // speaker's words in its prose: a close match there, next to the speaker's name, counts.
    let prose_match = if misquote.is_none() && !short {
        q.speaker.as_ref().filter(|s| s.kind == SpeakerKind::Name && !s.resolved).and_then(|speaker| prose_near(&pat, speaker, &sources))
    } else {
        None
    };
    let misquote = misquote.or(prose_match.as_ref());
    // A figure changed in words a source holds otherwise verbatim, quoted or not.
    let figure_changed = if misquote.is_none() && n >= 3 { changed_figure(&pat, &sources, &context) } else { None };
    let misquote = misquote.or(figure_changed.as_ref());
    let Some(b) = misquote else {
        let near = best.as_ref().filter(|b| b.matched as f32 / n as f32 >= 0.4).map(|b| {
            let sp = &sources[b.source];
            let figure = Span::new(sp.toks[b.first].span.start, sp.toks[b.last].span.end);
            evidence(sp, figure, b.quote.and_then(|k| sp.quotes[k].speaker.as_ref()))
        });
        // Else the passage retrieval found closest, for the editor to look at.
        let retrieved = || {
            sources.first().map(|sp| {
                let sentence = sp.document.prose.sentences[sp.sentence].span;
                evidence(sp, sentence, None)
            })
        };
        let ev = near.clone().or_else(retrieved);
        // The source quotes only part of it, or leaves words out where the draft has them.
        let partial = best.as_ref().filter(|b| b.real == 0 && b.matched as f32 >= 0.5 * n as f32 && b.matched >= 3);
        if partial.is_some_and(|b| b.free_added == 0) {
            report.checked.push(Checked { span: q.span, verdict: Verdict::Supported, evidence: ev, finding: None, note: None });
            return;
        }
        // Reworded: a quotation of the draft's speaker that says the same in other words.
        if let Some(found) = q.speaker.as_ref().filter(|_| !short).and_then(|speaker| paraphrase::find(&prose.masked, &pat, speaker, &sources, corpus)) {
            report.flag(paraphrase::finding(text, q, &pat, &found, &sources));
            return;
        }
        report.checked.push(Checked { span: q.span, verdict: Verdict::NoSource, evidence: ev.clone(), finding: None, note: None });
        if !short {
            let message = match (&near, partial) {
                (Some(ev), Some(_)) => format!("a source quotes only part of this: \"{}\"", ev.text),
                (Some(ev), None) => format!("no source has this quotation; the closest source quotation says \"{}\"", ev.text),
                (None, _) => "no source has this quotation".to_string(),
            };
            report.findings.push(Finding {
                code: Code::UnsupportedClaim,
                severity: Code::UnsupportedClaim.default_severity(),
                span: q.span,
                message,
                evidence: ev.into_iter().collect(),
                fix: None,
            });
        }
        return;
    };
    let sp = &sources[b.source];
    let doc = &sp.document;
    let figure = Span::new(sp.toks[b.first].span.start, sp.toks[b.last].span.end);
    let source_speaker = b.quote.and_then(|k| sp.quotes[k].speaker.as_ref());
    let mut ev = evidence(sp, figure, source_speaker);
    // The source's words, without an attribution that splits them.
    if let Some(k) = b.quote {
        ev.text = sp.quotes[k]
            .parts
            .iter()
            .filter_map(|part| {
                let inside: Vec<usize> = (b.first..=b.last).filter(|&j| sp.in_quote[j] == Some(k) && part.contains(sp.toks[j].span.start)).collect();
                let (first, last) = (inside.first()?, inside.last()?);
                Some(Span::new(sp.toks[*first].span.start, sp.toks[*last].span.end).slice(&doc.text).to_string())
            })
            .collect::<Vec<_>>()
            .join(" ");
    }
    let differences = describe_differences(text, &doc.text, &pat, &sp.toks, &b.ops, &b.index);
    let who = match source_speaker {
        Some(s) if s.kind != SpeakerKind::Pronoun => format!("{} said", s.text),
        _ => "the source has".to_string(),
    };
    let message = format!("misquoted: {who} \"{}\"; {}", ev.text, differences.join("; "));
    let draft_words = Span::new(pat.toks[0].span.start, pat.toks[n - 1].span.end);
    let single_part = q.parts.len() == 1;
    let span = if single_part { draft_words } else { q.span };
    let fix = single_part.then(|| Fix { span: draft_words, replacement: ev.text.clone(), title: format!("Use the source's words: \"{}\"", ev.text) });
    report.flag(Finding {
        code: Code::Misquote,
        severity: Code::Misquote.default_severity(),
        span,
        message,
        evidence: vec![ev],
        fix,
    });
}

fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().collect::<String>() + chars.as_str(),
        None => String::new(),
    }
}

/// Word-level differences, each with a matching word on either side for context:
/// `"in most cases" where the source has "in some cases"`, `"work very well" where the source
/// has "work well"`.
fn describe_differences(draft_text: &str, source_text: &str, pat: &Pattern, source: &[QTok], ops: &[Op], index: &[usize]) -> Vec<String> {
    let is_difference = |op: &Op| matches!(op, Op::Sub(..) | Op::Added(_, false) | Op::Dropped(_, false));
    // Source words dropped before the first aligned word or after the last are outside the
    // draft's quotation.
    let Some(first) = ops.iter().position(|op| !matches!(op, Op::Dropped(..))) else { return Vec::new() };
    let last = ops.iter().rposition(|op| !matches!(op, Op::Dropped(..))).unwrap_or(first);
    let render = |spans: &[Span], text: &str| -> String {
        match (spans.first(), spans.last()) {
            (Some(a), Some(b)) => Span::new(a.start, b.end).slice(text).split_whitespace().collect::<Vec<_>>().join(" "),
            _ => String::new(),
        }
    };
    let mut out = Vec::new();
    let mut k = first;
    while k <= last {
        if !is_difference(&ops[k]) {
            k += 1;
            continue;
        }
        let start = k;
        while k <= last && (is_difference(&ops[k]) || matches!(ops[k], Op::Dropped(_, true) | Op::Added(_, true)) && k < last && is_difference(&ops[k + 1])) {
            k += 1;
        }
        let mut draft_spans: Vec<Span> = Vec::new();
        let mut source_spans: Vec<Span> = Vec::new();
        let context_before = start.checked_sub(1).filter(|&i| i >= first).map(|i| ops[i]);
        let context_after = (k <= last).then(|| ops[k]);
        for op in context_before.into_iter().chain(ops[start..k].iter().copied()).chain(context_after) {
            match op {
                Op::Match(i, j) | Op::Sub(i, j) => {
                    push_span(&mut draft_spans, pat.toks[i].span);
                    push_span(&mut source_spans, source[index[j]].span);
                }
                Op::Added(i, false) => push_span(&mut draft_spans, pat.toks[i].span),
                Op::Dropped(j, false) => push_span(&mut source_spans, source[index[j]].span),
                _ => {}
            }
        }
        let draft = render(&draft_spans, draft_text);
        let source = render(&source_spans, source_text);
        out.push(match (draft.is_empty(), source.is_empty()) {
            (false, false) => format!("\"{draft}\" where the source has \"{source}\""),
            (false, true) => format!("adds \"{draft}\""),
            (true, false) => format!("leaves out \"{source}\""),
            (true, true) => continue,
        });
    }
    out
}

fn push_span(run: &mut Vec<Span>, span: Span) {
    if run.last() != Some(&span) {
        run.push(span);
    }
}

mod paraphrase;
mod speakers;
mod unquoted;

#[cfg(test)]
mod tests;

#[cfg(test)]
mod scale_tests {
    //! Regressions for time quadratic in the draft (issue 12): what each quotation reads must
    //! not grow with the number of quotations around it.
    use super::*;
    use crate::claims::quotations::extract;
    use crate::prose::Format;

    #[test]
    fn a_quotation_reads_its_neighbourhood_not_its_whole_sentence() {
        // Words without digits, so each is a term: "wordbaa", "wordbab", ...
        let word = |i: usize| format!("word{}{}{}", (b'a' + (i / 676) as u8) as char, (b'a' + (i / 26 % 26) as u8) as char, (b'a' + (i % 26) as u8) as char);
        let draft: String = (0..3_000).map(|i| format!("\"{} phrase\"", word(i))).collect::<Vec<_>>().join(", ") + ".\n";
        let prose = Prose::new(&draft, Format::Markdown);
        let quotations = extract(&prose);
        assert_eq!(quotations.len(), 3_000);
        let corpus = Corpus::builtin();
        let context = draft_context(&prose, &quotations[1_500], &corpus);
        // Some 60 quotations each side fit in the window; the sentence holds 3,000.
        assert!(context.len() > 50 && context.len() < 300, "{} context terms", context.len());
        assert!(!context.contains_key(&word(1_500)), "the quotation's own words are not its context");
        assert!(context.contains_key(&word(1_499)) && context.contains_key(&word(1_501)), "its neighbours are");
    }
}
