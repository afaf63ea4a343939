//! Quotations in prose: finding them in drafts and sources alike, each with the speaker it is
//! attributed to (read by [`super::attribution`]). Text in, quotations out; no corpus.
//!
//! Words inside quotation marks promise that someone said exactly that. One extractor serves
//! drafts and sources alike: it reads the *masked* prose (see [`crate::prose`]), so every span is
//! a byte span of the original file. It pairs straight and curly double quotes, single quotes
//! (headline style), and guillemets; apostrophes (`don't`, `Alibaba’s`, `’90s`) are not
//! quotation marks, and an opening mark that is never closed is dropped rather than allowed to
//! swallow the rest of its paragraph. A quotation split by nothing but an attribution
//! (`"We wouldn't ...," he said. "If Alibaba ..."`) is one quotation of several parts. Quoted
//! code, URLs and encoded strings are not quotations.

use crate::position::Span;
use crate::prose::Prose;

use super::attribution::{attributions, is_possessive, lex, lower, resolve_pronouns, verbs_in, words_at_most, Attribution, Speaker, SpeakerKind, REPORTING_NOUNS};

/// One quotation in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quotation {
    /// From the first opening mark to the last closing mark.
    pub span: Span,
    /// The text inside the marks of each part; several when an attribution splits the quotation.
    pub parts: Vec<Span>,
    /// Index into `Prose::paragraphs`.
    pub paragraph: usize,
    pub speaker: Option<Speaker>,
}

impl Quotation {
    /// Whether `span` lies inside the quoted words.
    pub fn contains(&self, span: Span) -> bool {
        self.parts.iter().any(|p| p.start <= span.start && span.end <= p.end)
    }
}

/// Whether `span` lies inside the quoted words of any of `quotations`.
pub fn inside(quotations: &[Quotation], span: Span) -> bool {
    quotations.iter().any(|q| q.contains(span))
}

/// A set of spans answering "does one of them contain this span?" in logarithmic time, for
/// asking it once per word or figure of a draft with thousands of quotations.
#[derive(Debug, Clone, Default)]
pub struct SpanCover {
    /// The spans by start.
    starts: Vec<usize>,
    /// The largest end among the spans up to each index.
    reach: Vec<usize>,
}

impl SpanCover {
    pub fn new(spans: impl IntoIterator<Item = Span>) -> Self {
        let mut spans: Vec<Span> = spans.into_iter().collect();
        spans.sort_unstable_by_key(|s| s.start);
        let mut reach = Vec::with_capacity(spans.len());
        let mut furthest = 0;
        for s in &spans {
            furthest = furthest.max(s.end);
            reach.push(furthest);
        }
        SpanCover { starts: spans.iter().map(|s| s.start).collect(), reach }
    }

    /// The quoted words of `quotations` (what [`inside`] asks about).
    pub fn quoted(quotations: &[Quotation]) -> Self {
        SpanCover::new(quotations.iter().flat_map(|q| q.parts.iter().copied()))
    }

    /// Whether one of the spans holds all of `span`.
    pub fn contains(&self, span: Span) -> bool {
        // Of the spans starting at or before `span`, the one reaching furthest decides.
        let n = self.starts.partition_point(|&start| start <= span.start);
        n > 0 && self.reach[n - 1] >= span.end
    }
}

// ---------------------------------------------------------------------------------------------
// Extraction
// ---------------------------------------------------------------------------------------------

/// Every quotation of a file.
pub fn extract(prose: &Prose) -> Vec<Quotation> {
    extract_paragraphs(prose, 0, prose.paragraphs.len())
}

/// Quotations of paragraphs `first..end`; the paragraph before `first` is read to resolve
/// pronouns.
pub fn extract_paragraphs(prose: &Prose, first: usize, end: usize) -> Vec<Quotation> {
    extract_in(&prose.masked, prose, first, end)
}

/// [`extract_paragraphs`] reading the prose from `text` (the masked copy, or a corpus
/// document's prose text, `Document::prose_text` in the corpus).
pub(crate) fn extract_in(text: &str, prose: &Prose, first: usize, end: usize) -> Vec<Quotation> {
    let end = end.min(prose.paragraphs.len());
    let mut previous: Vec<Attribution> = Vec::new();
    let mut out = Vec::new();
    for p in first.saturating_sub(1)..end {
        let para = prose.paragraphs[p];
        let marks = quote_pairs(text, para);
        let inner: Vec<Span> = marks.iter().map(|(o, c)| Span::new(o.end, c.start)).collect();
        let mut attributions = attributions(text, prose, p, &inner);
        resolve_pronouns(&mut attributions, &previous);
        if p >= first {
            out.extend(build_quotations(text, prose, p, &marks, &attributions));
        }
        previous = attributions;
    }
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    Double,
    Single,
    Guillemet,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Open,
    Close,
    /// Either, by what is open.
    Toggle,
}

fn is_open_context(c: Option<char>) -> bool {
    match c {
        None => true,
        Some(c) => {
            c.is_whitespace()
                || matches!(c, '(' | '[' | '{' | '—' | '–' | '-' | '/' | ':' | '“' | '‘' | '"' | '\'' | '«' | '„' | '‚')
        }
    }
}

fn is_close_context(c: Option<char>) -> bool {
    match c {
        None => true,
        Some(c) => !c.is_alphanumeric(),
    }
}

/// `’90s`, `'em`, `'til`: an apostrophe at the start of a word.
fn is_elision(rest: &str) -> bool {
    let word: String = rest.chars().take_while(|c| c.is_alphanumeric()).collect::<String>().to_lowercase();
    if word.chars().next().is_some_and(|c| c.is_ascii_digit()) {
        return true;
    }
    matches!(word.as_str(), "em" | "til" | "tis" | "twas" | "cause" | "n" | "round" | "bout")
}

/// What a character is as a quotation mark, from its neighbours.
fn mark_role(prev: Option<char>, c: char, next: Option<char>, rest: &str) -> Option<(Family, Role)> {
    let open_ctx = is_open_context(prev);
    let next_word = next.is_some_and(|n| !n.is_whitespace());
    let prev_word = prev.is_some_and(|p| !p.is_whitespace());
    let close_ctx = is_close_context(next);
    match c {
        '"' | '”' | '“' => {
            let open = open_ctx && next_word;
            let close = prev_word && close_ctx;
            match (c, open, close) {
                // A curly opening mark opens unless it plainly closes a word (an HTML entity
                // leaves blanks after it).
                ('“', _, close) if next_word || !close => Some((Family::Double, Role::Open)),
                ('”', _, true) => Some((Family::Double, Role::Close)),
                (_, true, true) => Some((Family::Double, Role::Toggle)),
                (_, true, false) => Some((Family::Double, Role::Open)),
                (_, false, true) => Some((Family::Double, Role::Close)),
                _ => None,
            }
        }
        '„' => Some((Family::Double, Role::Open)),
        '‘' | '‚' => {
            if prev.is_some_and(|p| p.is_alphanumeric()) || !next_word || is_elision(rest) {
                None
            } else {
                Some((Family::Single, Role::Open))
            }
        }
        '’' | '\'' => {
            if prev.is_some_and(|p| p.is_alphanumeric()) && next.is_some_and(|n| n.is_alphanumeric()) {
                return None; // don't, Alibaba’s
            }
            if open_ctx && next.is_some_and(|n| n.is_alphanumeric()) {
                if c == '’' || is_elision(rest) {
                    return None; // ’90s, 'em
                }
                return Some((Family::Single, Role::Open));
            }
            if prev_word && close_ctx {
                return Some((Family::Single, Role::Close));
            }
            None
        }
        '«' | '‹' => Some((Family::Guillemet, Role::Open)),
        '»' | '›' => Some((Family::Guillemet, Role::Close)),
        _ => None,
    }
}

/// Top-level quotation mark pairs in one paragraph: (opening mark, closing mark).
fn quote_pairs(masked: &str, para: Span) -> Vec<(Span, Span)> {
    let text = para.slice(masked);
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut stack: Vec<(Family, Span, char)> = Vec::new();
    let mut pairs: Vec<(Span, Span)> = Vec::new();
    for (k, &(off, c)) in chars.iter().enumerate() {
        if !matches!(c, '"' | '“' | '”' | '„' | '‘' | '’' | '‚' | '\'' | '«' | '»' | '‹' | '›') {
            continue;
        }
        let prev = k.checked_sub(1).map(|i| chars[i].1);
        let next = chars.get(k + 1).map(|x| x.1);
        let rest = &text[off + c.len_utf8()..];
        let Some((family, mut role)) = mark_role(prev, c, next, rest) else { continue };
        let span = Span::new(para.start + off, para.start + off + c.len_utf8());
        let open_index = stack.iter().rposition(|(f, _, _)| *f == family);
        // German „…“: a “ closes an open „.
        if c == '“' && open_index.is_some_and(|i| stack[i].2 == '„') {
            role = Role::Close;
        }
        if role == Role::Toggle {
            role = if open_index.is_some() { Role::Close } else { Role::Open };
        }
        match role {
            Role::Open => {
                if let Some(i) = open_index {
                    // The earlier mark of this kind was never closed: drop it.
                    stack.truncate(i);
                }
                stack.push((family, span, c));
            }
            Role::Close => {
                if let Some(i) = open_index {
                    let open = stack[i].1;
                    stack.truncate(i);
                    if span.start > open.end {
                        pairs.push((open, span));
                    }
                }
            }
            Role::Toggle => {}
        }
    }
    pairs.sort_by_key(|(o, _)| o.start);
    // Keep the outermost pairs: quotations inside quotations are part of the outer one.
    let mut out: Vec<(Span, Span)> = Vec::new();
    for pair in pairs {
        if out.last().is_some_and(|last: &(Span, Span)| pair.1.end <= last.1.end) {
            continue;
        }
        out.push(pair);
    }
    out
}

/// Whether quoted text reads as words (not code, markup, a URL or an encoded string).
fn is_prose(text: &str) -> bool {
    if text.contains("://") || text.contains("\\") || text.trim().is_empty() {
        return false;
    }
    let total = text.chars().count();
    let plain = text
        .chars()
        .filter(|c| c.is_alphanumeric() || c.is_whitespace() || ",.;:'’‘“”!?—–-()%$€£&/…[]".contains(*c))
        .count();
    let longest = text.split_whitespace().map(|w| w.chars().count()).max().unwrap_or(0);
    plain * 100 >= total * 92 && longest <= 40
}

fn only_punctuation(text: &str) -> bool {
    text.chars().all(|c| c.is_whitespace() || matches!(c, ',' | ';' | ':' | '!' | '?' | '—' | '–' | '-' | '”' | '’' | '"' | '\'' | '»' | ')'))
}

fn build_quotations(text: &str, prose: &Prose, p: usize, marks: &[(Span, Span)], attributions: &[Attribution]) -> Vec<Quotation> {
    // Join parts split by an attribution: "X," he said. "Y"
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut gap_attribution: Vec<Option<usize>> = Vec::new();
    for i in 0..marks.len() {
        if let Some(group) = groups.last_mut() {
            let last = marks[*group.last().expect("groups are never empty")];
            let gap = Span::new(last.1.end, marks[i].0.start);
            let toks = lex(text, gap);
            let words = toks.iter().filter(|t| t.word).count();
            let punctuation_ok = toks.iter().filter(|t| !t.word).all(|t| matches!(t.span.slice(text), "," | "." | ":" | ";" | "—" | "–"));
            // The gap must be the attribution and nothing else: `," he said. "`.
            let found = ((1..=7).contains(&words) && punctuation_ok)
                .then(|| {
                    verbs_in(attributions, gap).find(|&k| {
                        let a = &attributions[k];
                        gap.start <= a.span.start
                            && a.span.end <= gap.end
                            && a.speaker.is_some()
                            && toks.iter().filter(|t| t.word).all(|t| a.span.start <= t.span.start && t.span.end <= a.span.end)
                    })
                })
                .flatten();
            if found.is_some() && !gap.slice(text).contains('\n') {
                group.push(i);
                if gap_attribution.last().is_some_and(|g| g.is_none()) {
                    *gap_attribution.last_mut().expect("one per group") = found;
                }
                continue;
            }
        }
        groups.push(vec![i]);
        gap_attribution.push(None);
    }
    let mut out = Vec::new();
    let mut previous_end = prose.paragraphs[p].start;
    for (g, group) in groups.iter().enumerate() {
        let open = marks[group[0]].0;
        let close = marks[*group.last().expect("non-empty")].1;
        let parts: Vec<Span> = group.iter().map(|&i| Span::new(marks[i].0.end, marks[i].1.start)).collect();
        if !parts.iter().all(|p| is_prose(p.slice(text))) {
            previous_end = close.end;
            continue;
        }
        let next_start = groups.get(g + 1).map_or(prose.paragraphs[p].end, |n| marks[n[0]].0.start);
        let mut chosen = gap_attribution[g];
        if chosen.is_none() {
            // After the closing mark: `," said X.` / `," X said.`
            // The words between may be the rest of the speaker's noun phrase (`Mr`, `the
            // company's`), never a new sentence.
            let close_sentence = prose.sentence_at(close.start);
            chosen = verbs_in(attributions, Span::new(close.end, next_start)).find(|&k| {
                let a = &attributions[k];
                a.span.start >= close.end
                    && a.span.end <= next_start
                    && prose.sentence_at(a.verb.start) == close_sentence
                    && only_punctuation(&text[close.end..a.span.start].chars().take_while(|c| !c.is_alphanumeric()).collect::<String>())
                    && words_at_most(text, Span::new(close.end, a.span.start), 4)
            });
        }
        let mut follows = chosen.is_some();
        if chosen.is_none() {
            // Before the opening mark, in the same sentence: `X said the company "..."`.
            let sentence = prose.sentence_at(open.start).map(|s| prose.sentences[s].span);
            chosen = verbs_in(attributions, Span::new(previous_end, open.start)).rev().find(|&k| {
                let a = &attributions[k];
                a.span.end <= open.start
                    && a.span.start >= previous_end
                    && sentence.is_some_and(|s| s.contains(a.verb.start))
                    && words_at_most(text, Span::new(a.verb.end, open.start), 8)
            });
            // `X said the company "..."` is as sure, unless the words between report someone
            // else's words (`X said Y's claim that "..."`).
            if let Some(i) = chosen {
                let between = lex(text, Span::new(attributions[i].verb.end, open.start));
                follows = !between.iter().any(|t| {
                    t.word && (is_possessive(text, t) || REPORTING_NOUNS.contains(&lower(text, t).as_str()))
                });
            }
        }
        let speaker = chosen
            .and_then(|i| attributions[i].speaker.clone())
            .filter(|s| !s.text.is_empty())
            .map(|s| Speaker { follows, ..s });
        // `X described it as "A" and "B"`: a second quotation joined by a word or two shares
        // the first one's speaker.
        let speaker = speaker.or_else(|| {
            let last: &Quotation = out.last()?;
            let gap = Span::new(last.span.end, open.start);
            let same_sentence = prose.sentence_at(last.span.start) == prose.sentence_at(open.start);
            (same_sentence && words_at_most(text, gap, 3) && verbs_in(attributions, gap).all(|k| !gap.contains(attributions[k].verb.start)))
                .then(|| last.speaker.clone().map(|s| Speaker { follows: false, ..s }))
                .flatten()
        });
        // `"A," said X in a statement. "B"`: a quotation that opens the sentence right after
        // another's attribution, with no attribution of its own, goes on in the same voice (a
        // guess, marked resolved, as a pronoun's speaker is).
        let speaker = speaker.or_else(|| {
            let last: &Quotation = out.last()?;
            let before = last.speaker.as_ref().filter(|s| s.kind == SpeakerKind::Name && s.follows && !s.reported && !s.resolved)?;
            let gap = Span::new(last.span.end, open.start);
            let last_sentence = prose.sentence_at(last.span.end.saturating_sub(1))?;
            let opens_next = prose.sentence_at(open.start) == Some(last_sentence + 1)
                && prose.sentences[last_sentence + 1].span.start == open.start;
            let one_voice = verbs_in(attributions, gap).all(|k| attributions[k].speaker.as_ref().is_none_or(|s| s.text == before.text));
            (opens_next && one_voice && words_at_most(text, gap, 12)).then(|| Speaker { follows: false, resolved: true, continued: true, ..before.clone() })
        });
        out.push(Quotation { span: Span::new(open.start, close.end), parts, paragraph: p, speaker });
        previous_end = close.end;
    }
    out
}

#[cfg(test)]
pub(crate) mod tests;

#[cfg(test)]
mod scale_tests {
    //! Regressions for time quadratic in the draft (issue 12): what each quotation reads must
    //! not grow with the number of quotations around it.
    use super::*;
    use crate::prose::Format;

    #[test]
    fn the_span_cover_agrees_with_a_scan() {
        let spans = [Span::new(10, 20), Span::new(12, 40), Span::new(50, 55), Span::new(51, 52), Span::new(70, 70)];
        let cover = SpanCover::new(spans);
        for start in 0..80 {
            for end in start..82 {
                let probe = Span::new(start, end);
                let scan = spans.iter().any(|s| s.start <= probe.start && probe.end <= s.end);
                assert_eq!(cover.contains(probe), scan, "{probe:?}");
            }
        }
        assert!(!SpanCover::default().contains(Span::new(0, 0)));
    }

    #[test]
    fn pronouns_resolve_to_the_nearest_name_before_them_across_thousands() {
        let draft: String = std::iter::once("\"We start,\" Mark Barton said.".to_string())
            .chain((0..2_000).map(|i| format!(" He paused. \"Point {i} holds,\" he said.")))
            .collect::<String>()
            + "\n";
        let prose = Prose::new(&draft, Format::Markdown);
        let quotations = extract(&prose);
        assert_eq!(quotations.len(), 2_001);
        for q in &quotations {
            let speaker = q.speaker.as_ref().expect("every quotation has its speaker");
            assert_eq!(speaker.text, "Mark Barton", "{:?}", q.span.slice(&draft));
        }
    }
}
