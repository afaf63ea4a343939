//! Claim frames: what a figure measures and when, read from the clause it stands in.
//!
//! A reporter compares facts, not sentences: "revenue grew 20.9% to $2.55 billion, while margins
//! fell 3.1% to 4.9%" holds two facts, and each figure belongs to its own clause. A frame keeps,
//! for one figure, the clause it stands in, the words of that clause that name what is counted
//! (its *measure*, nearest words weighing most), and the periods it refers to (years, quarters,
//! halves, months). Drafts and sources get their frames from this one function, so an alignment
//! compares like with like.

use std::sync::OnceLock;

use regex::Regex;

use super::figures::lexicon::{DOWN_VERBS, UP_VERBS};
use super::figures::{Quantity, Unit};
use crate::position::Span;
use crate::words::{self, Token};

mod respectively;
use respectively::respective_measures;

/// A period a figure refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Period {
    Year(i32),
    /// 1 to 4.
    Quarter(u8),
    /// 1 or 2.
    Half(u8),
    /// 1 to 12.
    Month(u8),
    /// What a change is measured against: [`BASE_YEAR`] ("year-over-year", "from last year's
    /// $2.40", "the prior year") or [`BASE_QUARTER`] ("sequentially", "from the prior quarter").
    Base(u8),
}

/// [`Period::Base`]: a change against the year before.
pub const BASE_YEAR: u8 = 0;
/// [`Period::Base`]: a change against the quarter before.
pub const BASE_QUARTER: u8 = 1;

impl Period {
    fn kind(self) -> u8 {
        match self {
            Period::Year(_) => 0,
            Period::Quarter(_) => 1,
            Period::Half(_) => 2,
            Period::Month(_) => 3,
            Period::Base(_) => 4,
        }
    }
}

/// One figure's frame.
#[derive(Debug, Clone, PartialEq)]
pub struct Frame {
    /// The clause the figure stands in.
    pub clause: Span,
    /// Content terms of the clause with their closeness to the figure (1 inside it, falling
    /// with distance), nearest first.
    pub measure: Vec<(String, f32)>,
    /// The [`root`] of each measure term, in the same order.
    pub roots: Vec<String>,
    /// Where each measure term is written (its nearest mention), in the same order.
    pub measure_at: Vec<Span>,
    /// The periods the clause names (the sentence's, when the clause names none), with where
    /// each is written.
    pub periods: Vec<(Period, Span)>,
}

impl Frame {
    /// What the figure counts, for output (`concept`): at most `limit` of the measure's words as
    /// written in `text`, lower case, nearest first. Verbs and adverbs say little of what is
    /// counted ("jumped", "said", "nearly"), so the other words come first and those fill in
    /// only when nothing else is near; the words of a period ("second quarter") are its time.
    pub fn concept(&self, text: &str, limit: usize) -> Vec<String> {
        let written = |at: &Span| at.slice(text).to_lowercase();
        let in_period = |at: &Span| self.periods.iter().any(|(_, p)| p.encloses(*at));
        let words: Vec<String> = self.measure_at.iter().filter(|at| !in_period(at)).map(written).collect();
        let (mut nouns, others): (Vec<String>, Vec<String>) = words.into_iter().partition(|w| !looks_verbal(w));
        nouns.truncate(limit);
        if nouns.is_empty() {
            nouns = others.into_iter().take(limit.min(2)).collect();
        }
        nouns
    }

    /// Whether two frames name periods that cannot be the same: both name a period of one kind
    /// (a year, a quarter, a half, a month) and no period of that kind is shared.
    pub fn periods_conflict(&self, other: &Frame) -> bool {
        self.conflicting_period(other).is_some()
    }

    /// The first period of this frame whose kind the other frame names, but never with this
    /// value, with the other frame's period of that kind: "second quarter" against "first
    /// quarter".
    pub fn conflicting_period(&self, other: &Frame) -> Option<((Period, Span), (Period, Span))> {
        (0..5u8).find_map(|kind| {
            let mine: Vec<(Period, Span)> = self.periods.iter().copied().filter(|(p, _)| p.kind() == kind).collect();
            let theirs: Vec<(Period, Span)> = other.periods.iter().copied().filter(|(p, _)| p.kind() == kind).collect();
            let shared = mine.iter().any(|(p, _)| theirs.iter().any(|(t, _)| t == p));
            match (mine.first(), theirs.first()) {
                (Some(m), Some(t)) if !shared => Some((*m, *t)),
                _ => None,
            }
        })
    }
}

/// Words that open a new clause inside a sentence. Comparisons ("compared with", "up from",
/// "versus") do not: the figure after them is the same measure at another time or place.
const CLAUSE_OPENERS: &[&str] = &[
    ", and ", ", but ", ", while ", " while ", ", whereas ", " whereas ", ", ahead of ", " ahead of ",
    ", followed by ", ", with ", ", which ", ", including ", " as well as ", " and ", " but ", ", as ",
    ", after ", ", before ", ", or ", ", who ", ", where ", ", when ", ", although ", ", though ",
    ", thanks to ", ", driven by ", ", led by ",
];

/// Openers that join nouns as often as clauses ("revenues and earnings rose 19%"): they cut only
/// between two figures, or before a verb or a pronoun ("and implementing", "and we expect").
const WEAK_OPENERS: &[&str] = &[" and ", " but "];

/// How many terms on each side of a figure its measure looks at.
const REACH: usize = 10;
/// A clause with fewer content words than this is too thin to say what its figure counts
/// ("and 5%"): it joins the clause before it.
const THIN_CLAUSE: usize = 2;

/// The clauses of `text[sentence]`, in order, covering the sentence. A boundary inside a
/// figure (`between 4 and 6 percent`) is not one.
pub fn clauses(text: &str, sentence: Span, figures: &[Quantity]) -> Vec<Span> {
    clauses_with(text, sentence, &words::tokens(text, sentence), figures)
}

/// [`clauses`], given the sentence's content tokens.
pub fn clauses_with(text: &str, sentence: Span, tokens: &[Token], figures: &[Quantity]) -> Vec<Span> {
    let words_in = |span: Span| tokens.partition_point(|t| t.span.start < span.end) - tokens.partition_point(|t| t.span.start < span.start);
    let slice = sentence.slice(text);
    let lower = slice.to_ascii_lowercase();
    let mut cuts: Vec<(usize, bool)> = Vec::new();
    let bytes = lower.as_bytes();
    let inside_figure = |i: usize| {
        let here = sentence.start + i;
        figures.iter().any(|q| q.span.start < here && here < q.span.end)
    };
    for (i, &b) in bytes.iter().enumerate() {
        if !matches!(b, b';' | b' ' | b',') {
            continue;
        }
        let cut = if b == b';' || (b == b' ' && (lower[i..].starts_with(" — ") || lower[i..].starts_with(" – "))) {
            Some(false)
        } else if b == b' ' && WEAK_OPENERS.iter().any(|o| lower[i..].starts_with(o)) {
            Some(true)
        } else if CLAUSE_OPENERS.iter().any(|o| lower[i..].starts_with(o)) {
            Some(false)
        } else {
            None
        };
        if let Some(weak) = cut.filter(|_| !inside_figure(i)) {
            cuts.push((i, weak));
        }
    }
    cuts.dedup_by_key(|(i, _)| *i);
    // A weak cut stands only with a figure on each side of it, within the neighbouring cuts.
    let figure_in = |from: usize, to: usize| {
        figures.iter().any(|q| q.unit != Unit::Date && sentence.start + from <= q.number_span.start && q.number_span.start < sentence.start + to)
    };
    let mut kept: Vec<usize> = Vec::new();
    for (k, &(cut, weak)) in cuts.iter().enumerate() {
        let before = kept.last().copied().unwrap_or(0);
        let after = cuts.get(k + 1).map_or(slice.len(), |(next, _)| *next);
        if !weak || (figure_in(before, cut) && figure_in(cut, after)) || opens_verb_phrase(&lower[cut..]) {
            kept.push(cut);
        }
    }
    let mut spans = Vec::new();
    let mut start = 0;
    for cut in kept {
        if cut > start {
            spans.push(Span::new(sentence.start + start, sentence.start + cut));
            start = cut;
        }
    }
    spans.push(Span::new(sentence.start + start, sentence.end));
    // Thin clauses join the one before ("rose 3% and 5%").
    let mut merged: Vec<Span> = Vec::new();
    for span in spans {
        let own = words_in(span);
        match merged.last_mut() {
            Some(last) if own < THIN_CLAUSE => last.end = span.end,
            _ => merged.push(span),
        }
    }
    if merged.len() > 1 && words_in(merged[0]) < THIN_CLAUSE {
        let first = merged.remove(0);
        merged[0].start = first.start;
    }
    merged
}

/// Whether the words after a weak opener (" and implementing ...") start a verb phrase or a new
/// subject rather than another noun.
fn opens_verb_phrase(rest: &str) -> bool {
    let next = rest.split_whitespace().nth(1).unwrap_or("").trim_matches(|c: char| !c.is_alphanumeric());
    const STARTERS: &[&str] = &[
        "we", "it", "they", "he", "she", "is", "was", "are", "were", "has", "have", "had", "will", "would",
        "expects", "expected", "plans", "said", "says", "also", "then", "its", "their", "our",
    ];
    (next.len() > 5 && next.ends_with("ing") && !next.ends_with("ings")) || STARTERS.contains(&next)
}

/// The frame of each figure in `figures` (all inside `text[sentence]`), in order. `tokens`
/// are the sentence's content tokens (as [`words::tokens`] gives them).
pub fn frames(text: &str, sentence: Span, tokens: &[Token], figures: &[Quantity]) -> Vec<Frame> {
    frames_with_periods(text, sentence, tokens, figures, periods(text, sentence))
}

/// [`frames`], given the periods of the sentence (those [`periods`] reads, and any the caller
/// knows more of: a relative time resolved against its document's date), sorted by where
/// each is written.
pub fn frames_with_periods(text: &str, sentence: Span, tokens: &[Token], figures: &[Quantity], sentence_periods: Vec<(Period, Span)>) -> Vec<Frame> {
    let clauses = clauses_with(text, sentence, tokens, figures);
    let respective = respective_measures(text, sentence, tokens, figures);
    figures
        .iter()
        .enumerate()
        .map(|(i, q)| {
            let clause = clauses.iter().copied().find(|c| c.start <= q.number_span.start && q.number_span.start < c.end).unwrap_or(sentence);
            let mut clause_periods: Vec<(Period, Span)> = sentence_periods.iter().copied().filter(|(_, at)| clause.encloses(*at)).collect();
            if clause_periods.is_empty() {
                clause_periods = sentence_periods.clone();
            } else {
                let clause_figures: Vec<&Quantity> = figures.iter().filter(|f| f.unit != Unit::Date && clause.encloses(f.number_span)).collect();
                clause_periods = own_periods(q, &clause_figures, clause_periods);
            }
            let mut terms = measure(tokens, clause, q, figures);
            if let Some((own, others)) = respective.as_ref().and_then(|r| r.get(&i)) {
                // Its own noun first, as if written beside it; the other figures' nouns are theirs.
                terms.retain(|(t, _, _)| !others.iter().any(|o| &o.term == t) && !own.iter().any(|o| &o.term == t));
                terms.splice(0..0, own.iter().map(|t| (t.term.clone(), 1.0, t.span)));
            }
            let (measure, measure_at): (Vec<(String, f32)>, Vec<Span>) = terms.into_iter().map(|(t, w, at)| ((t, w), at)).unzip();
            let roots = measure.iter().map(|(t, _)| root(t).to_string()).collect();
            Frame { clause, measure, roots, measure_at, periods: clause_periods }
        })
        .collect()
}

/// Of the periods a clause names, those of `q`'s own: where the clause names two periods of
/// one kind ("$3.69 for the third quarter, improved from $3.41 in the second quarter"), each
/// belongs to the figure written nearest to it. A kind none of whose periods is nearest to `q`
/// keeps all of them: the clause does not say which is its.
fn own_periods(q: &Quantity, clause_figures: &[&Quantity], periods: Vec<(Period, Span)>) -> Vec<(Period, Span)> {
    if clause_figures.len() < 2 {
        return periods;
    }
    let gap = |f: &Quantity, at: Span| if at.start >= f.span.end { at.start - f.span.end } else { f.span.start.saturating_sub(at.end) };
    let nearest_is_q = |at: Span| clause_figures.iter().min_by_key(|f| (gap(f, at), f.span.start)).is_some_and(|f| f.span == q.span);
    let mut out = Vec::with_capacity(periods.len());
    for kind in 0..5u8 {
        let of_kind: Vec<(Period, Span)> = periods.iter().copied().filter(|(p, _)| p.kind() == kind).collect();
        let distinct = of_kind.iter().any(|(p, _)| *p != of_kind[0].0);
        let own: Vec<(Period, Span)> = if distinct { of_kind.iter().copied().filter(|(_, at)| nearest_is_q(*at)).collect() } else { Vec::new() };
        out.extend(if own.is_empty() { of_kind } else { own });
    }
    out.sort_by_key(|(_, at)| at.start);
    out
}

/// The frame of each of `quantities` (extracted from `text`), in order, read sentence by
/// sentence over `sentences` (sorted, as [`crate::prose::Prose`] gives them). Years and dates
/// frame other figures and get none; nor does a figure outside every sentence.
pub fn frames_of(text: &str, sentences: &[Span], quantities: &[Quantity]) -> Vec<Option<Frame>> {
    let mut out = vec![None; quantities.len()];
    let mut order: Vec<usize> = (0..quantities.len()).filter(|&i| quantities[i].unit != Unit::Date).collect();
    order.sort_by_key(|&i| quantities[i].span.start);
    let mut next = 0;
    for &sentence in sentences {
        while next < order.len() && quantities[order[next]].span.start < sentence.start {
            next += 1;
        }
        let first = next;
        while next < order.len() && quantities[order[next]].span.start < sentence.end {
            next += 1;
        }
        if first == next {
            continue;
        }
        let members = &order[first..next];
        let figures: Vec<Quantity> = members.iter().map(|&i| quantities[i].clone()).collect();
        let tokens = words::tokens(text, sentence);
        for (&i, frame) in members.iter().zip(frames(text, sentence, &tokens, &figures)) {
            out[i] = Some(frame);
        }
    }
    out
}

impl Period {
    /// How the period is written in output: `2021`, `Q2`, `H1`, `May`.
    pub fn label(self) -> String {
        const MONTHS: [&str; 12] = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
        match self {
            Period::Year(y) => y.to_string(),
            Period::Quarter(q) => format!("Q{q}"),
            Period::Half(h) => format!("H{h}"),
            Period::Month(m) => MONTHS.get(usize::from(m).wrapping_sub(1)).copied().unwrap_or("?").to_string(),
            Period::Base(BASE_YEAR) => "year-over-year".to_string(),
            Period::Base(_) => "quarter-over-quarter".to_string(),
        }
    }
}

/// The content terms of `clause` around figure `q`, weighted by closeness, nearest first;
/// words inside other figures are not part of what `q` measures.
fn measure(tokens: &[Token], clause: Span, q: &Quantity, figures: &[Quantity]) -> Vec<(String, f32, Span)> {
    let inside = |t: &Token| clause.start <= t.span.start && t.span.end <= clause.end;
    let in_other = |t: &Token| {
        figures.iter().any(|f| f.span != q.span && f.unit != Unit::Date && f.number_span.start <= t.span.start && t.span.end <= f.number_span.end)
    };
    let first_overlap = tokens.partition_point(|t| t.span.end <= q.span.start);
    let first_after = tokens.partition_point(|t| t.span.start < q.span.end).max(first_overlap);
    let mut out: Vec<(String, f32, Span)> = Vec::new();
    let mut add = |token: &Token, distance: usize| {
        let weight = 1.0 / (1.0 + distance as f32 * 0.5);
        match out.iter_mut().find(|(t, _, _)| *t == token.term) {
            Some((_, w, at)) => {
                if weight > *w {
                    *w = weight;
                    *at = token.span;
                }
            }
            None => out.push((token.term.clone(), weight, token.span)),
        }
    };
    // Words inside a figure are its unit ("square metres", "per share"), compared as a unit;
    // but the noun a count counts ("client users") is what it measures.
    if matches!(q.unit, Unit::Count(_)) {
        for t in &tokens[first_overlap..first_after] {
            add(t, 0);
        }
    }
    let before = tokens[..first_overlap].iter().rev().filter(|t| inside(t) && !in_other(t)).take(REACH);
    let after = tokens[first_after..].iter().filter(|t| inside(t) && !in_other(t)).take(REACH);
    let mut before = before.enumerate().peekable();
    let mut after = after.enumerate().peekable();
    // Interleave so that nearer words come first whichever side they stand on.
    loop {
        match (before.peek(), after.peek()) {
            (None, None) => break,
            (Some((k, _)), Some((j, _))) if j < k => {
                let (j, t) = after.next().unwrap();
                add(t, j + 1);
            }
            (Some(_), _) => {
                let (k, t) = before.next().unwrap();
                add(t, k + 1);
            }
            (None, Some(_)) => {
                let (j, t) = after.next().unwrap();
                add(t, j + 1);
            }
        }
    }
    out.sort_by(|a, b| b.1.total_cmp(&a.1));
    out
}

/// Whether a term is a verb of change ("rose", "increased", "declines"): it says which way a
/// figure moved, which is judged as its direction, not what the figure counts.
pub fn is_change_verb(term: &str) -> bool {
    static STEMS: OnceLock<std::collections::HashSet<String>> = OnceLock::new();
    STEMS
        .get_or_init(|| UP_VERBS.iter().chain(DOWN_VERBS).filter_map(|v| words::term(v)).collect())
        .contains(term)
}

/// Whether a word as written reads as a verb or a participle ("jumped", "sitting", "says"),
/// which names what happened to a figure rather than what it counts.
pub(crate) fn looks_verbal(word: &str) -> bool {
    const VERBS: &[&str] = &[
        "said", "say", "says", "saying", "told", "see", "sees", "seem", "seems", "take", "takes", "took", "add", "adds",
        "ask", "asks", "lose", "loses", "lost", "turn", "turns", "cost", "costs", "fall", "falls", "fell", "rise", "rises",
        "rose", "grow", "grows", "grew", "hit", "hits", "reach", "reaches", "make", "makes", "made", "get", "gets", "got",
        "go", "goes", "went", "come", "comes", "came", "put", "puts", "set", "sets", "expect", "expects", "plan", "plans",
        "give", "gives", "gave", "show", "shows", "have", "has", "had", "will", "would", "could", "should", "may", "might",
        "must", "can", "need", "needs", "want", "wants", "help", "helps", "keep", "keeps", "kept", "pay", "pays", "paid",
        "bring", "brings", "brought", "leave", "leaves", "left", "use", "uses", "drop", "drops", "jump", "jumps", "climb",
        "climbs", "gain", "gains", "slip", "slips", "stand", "stands", "stood", "total", "totals", "around", "about",
        "nearly", "almost", "just", "only", "also", "still", "even", "last", "next", "past", "per", "each", "every",
    ];
    VERBS.contains(&word)
        || (word.len() > 5 && (word.ends_with("ed") || word.ends_with("ing")) && !word.ends_with("eed"))
        || (word.len() > 4 && word.ends_with("ly"))
}

/// A term cut to its root for comparing measures across word classes ("valuation" and
/// "valued", "increasing" and "increase"). Terms are already lower case and singular.
pub fn root(term: &str) -> &str {
    for suffix in ["ations", "ation", "ions", "ion", "ments", "ment", "ings", "ing", "ed", "ly", "es", "e", "s"] {
        if let Some(stem) = term.strip_suffix(suffix) {
            if stem.len() >= 4 {
                return stem;
            }
        }
    }
    term
}

fn period_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?x)
            (?-u:\b)(?P<year>(?:19|20)\d{2})(?-u:\b)(?:[-–/]\d)?
          | (?-u:\b)(?:fiscal|FY)\s?'?(?P<fy>\d{2})(?-u:\b)
          | (?i:(?-u:\b)(?P<qword>first|second|third|fourth|1st|2nd|3rd|4th)[-\s]quarter(?-u:\b))
          | (?-u:\b)Q(?P<qnum>[1-4])(?-u:\b)
          | (?i:(?-u:\b)(?P<hword>first|second)[-\s]half(?-u:\b))
          | (?-u:\b)H(?P<hnum>[12])(?-u:\b)
          | (?-u:\b)(?P<month>January|February|March|April|June|July|August|September|October|November|December|Jan\.|Feb\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.)
          | (?-u:\b)(?:in|of|since|until|by|last|this|next|early|late|mid-?)\s(?P<may>May)(?-u:\b)
          | (?i:(?-u:\b)(?P<byear>year[-\s](?:over|on)[-\s]year|(?:a\s)?year[-\s](?:ago|earlier)|prior[-\s]year|same\s(?:period|quarter)\s(?:(?:of|in)\s)?(?:last|the\sprevious|the\sprior|the\spreceding|a)\syear))(?-u:\b)
          | (?i:(?-u:\b)(?:from|than|over|versus|vs\.?|compared\s(?:with|to))\s(?:the\s)?(?P<byear_after>(?:last|prior|previous|preceding)[-\s]year(?:'s)?))(?-u:\b)
          | (?i:(?-u:\b)(?P<bquarter>quarter[-\s](?:over|on)[-\s]quarter|sequential(?:ly)?|(?:prior|previous|preceding|linked)\squarter(?:'s)?|(?:a\s)?quarter\s(?:ago|earlier)))(?-u:\b)
          | (?i:(?-u:\b)(?:from|than|over|versus|vs\.?|compared\s(?:with|to))\s(?:the\s)?(?P<bquarter_after>last\squarter(?:'s)?))(?-u:\b)",
        )
        .unwrap()
    })
}

/// Whether `text[span]` names any period ([`periods`] without collecting them).
pub fn names_period(text: &str, span: Span) -> bool {
    !periods(text, span).is_empty()
}

/// The periods named in `text[span]`, in order, each with where it is written (the first
/// mention of a period kept).
pub fn periods(text: &str, span: Span) -> Vec<(Period, Span)> {
    let mut out: Vec<(Period, Span)> = Vec::new();
    let slice = span.slice(text);
    // Most sentences name no period: the fast search finds that without tracking groups.
    for found in period_regex().find_iter(slice) {
        // Groups are read on the match and the character after it (for a word boundary) only:
        // the capturing engine's work grows with the text it is given, and a long sentence
        // named several periods.
        let after = slice[found.end()..].chars().next().map_or(0, char::len_utf8);
        let Some(c) = period_regex().captures_at(&slice[..found.end() + after], found.start()) else { continue };
        let Some(whole) = c.get(0) else { continue };
        // The mention without the preposition that introduces a bare "May".
        let written = c.name("may").or(c.name("byear_after")).or(c.name("bquarter_after")).unwrap_or(whole);
        let at = Span::new(span.start + written.start(), span.start + written.end());
        let period = if let Some(y) = c.name("year") {
            y.as_str().parse().ok().map(Period::Year)
        } else if let Some(y) = c.name("fy") {
            y.as_str().parse::<i32>().ok().map(|y| Period::Year(2000 + y))
        } else if let Some(q) = c.name("qword").or(c.name("qnum")) {
            ordinal(q.as_str()).filter(|n| (1..=4).contains(n)).map(Period::Quarter)
        } else if let Some(h) = c.name("hword").or(c.name("hnum")) {
            ordinal(h.as_str()).filter(|n| (1..=2).contains(n)).map(Period::Half)
        } else if let Some(m) = c.name("month") {
            month(m.as_str()).map(Period::Month)
        } else if c.name("may").is_some() {
            Some(Period::Month(5))
        } else if c.name("byear").or(c.name("byear_after")).is_some() {
            Some(Period::Base(BASE_YEAR))
        } else if c.name("bquarter").or(c.name("bquarter_after")).is_some() {
            Some(Period::Base(BASE_QUARTER))
        } else {
            None
        };
        if let Some(period) = period {
            if !out.iter().any(|(p, _)| *p == period) {
                out.push((period, at));
            }
        }
    }
    out
}

/// Whether `text` names a year only relative to another ("last year", "a year ago", "the prior
/// year"): such a year may be any the draft writes out. "Year-over-year" names none: it compares
/// with the year before the one the sentence speaks of (a [`BASE_YEAR`] period).
pub fn names_relative_year(text: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?i)(?-u:\b)(?:(?:last|this|next|prior|previous|past|same|coming|current|following|preceding)\s+(?:fiscal\s+)?years?(?-u:\b)|years?\s+(?:ago|earlier|before|later|prior)(?-u:\b)|a\s+year\s+(?:ago|earlier))")
            .unwrap()
    })
    .is_match(text)
}

fn ordinal(word: &str) -> Option<u8> {
    match word.to_ascii_lowercase().as_str() {
        "first" | "1st" | "1" => Some(1),
        "second" | "2nd" | "2" => Some(2),
        "third" | "3rd" | "3" => Some(3),
        "fourth" | "4th" | "4" => Some(4),
        _ => None,
    }
}

fn month(word: &str) -> Option<u8> {
    let key = word.trim_end_matches('.').to_ascii_lowercase();
    let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    months.iter().position(|m| key.starts_with(m)).map(|i| i as u8 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::claims::figures;

    fn frames_of(text: &str) -> Vec<(String, Frame)> {
        let quantities = figures::extract(text);
        let sentence = Span::new(0, text.len());
        let tokens = words::tokens(text, sentence);
        let figures: Vec<Quantity> = quantities.into_iter().filter(|q| q.unit != Unit::Date).collect();
        let frames = frames(text, sentence, &tokens, &figures);
        figures.iter().map(|q| q.span.slice(text).to_string()).zip(frames).collect()
    }

    fn terms(frame: &Frame) -> Vec<&str> {
        frame.measure.iter().map(|(t, _)| t.as_str()).collect()
    }

    #[test]
    fn each_figure_of_a_compound_sentence_has_its_own_clause() {
        let text = "North America leads at 28%, ahead of Europe at 24%, and Asia-Pacific at 22%.";
        let frames = frames_of(text);
        assert_eq!(frames.len(), 3);
        assert!(terms(&frames[0].1).contains(&"america"));
        assert!(!terms(&frames[0].1).contains(&"europe"));
        assert!(terms(&frames[1].1).contains(&"europe"));
        assert!(!terms(&frames[1].1).contains(&"america"));
        assert!(terms(&frames[2].1).contains(&"asia"));
    }

    #[test]
    fn the_measure_stops_at_the_clause() {
        let text = "The company is increasing its dividend to $0.15 per share and implementing a framework focused on returning capital.";
        let frames = frames_of(text);
        let measure = terms(&frames[0].1);
        assert!(measure.contains(&"dividend"), "{measure:?}");
        assert!(!measure.contains(&"framework"), "{measure:?}");
    }

    #[test]
    fn a_range_is_not_cut_at_its_and() {
        let text = "Revenue is expected to grow between 4 and 6 percent next year.";
        let frames = frames_of(text);
        assert_eq!(frames.len(), 1);
        assert!(terms(&frames[0].1).contains(&"revenue"));
    }

    #[test]
    fn nouns_joined_by_and_stay_in_one_clause() {
        let text = "Quarterly revenues and earnings increased by 19% and 38% respectively.";
        let frames = frames_of(text);
        assert!(terms(&frames[0].1).contains(&"revenue"), "{:?}", terms(&frames[0].1));
        let text = "Revenue grew 20.9% to $2.55 billion and margins fell 3.1%.";
        let frames = frames_of(text);
        assert!(!terms(&frames[0].1).contains(&"margin"), "{:?}", terms(&frames[0].1));
        assert!(terms(&frames[2].1).contains(&"margin"), "{:?}", terms(&frames[2].1));
    }

    #[test]
    fn a_thin_clause_joins_the_one_before() {
        let text = "Sales of the chips rose 3% and 5%.";
        let frames = frames_of(text);
        assert_eq!(frames.len(), 2);
        assert!(terms(&frames[1].1).contains(&"chip"), "{:?}", terms(&frames[1].1));
    }

    #[test]
    fn periods_are_read_in_every_spelling() {
        let text = "In the second quarter of 2021 and in Q3, sales in May and in first-half FY22 rose; in March they fell.";
        let all: Vec<Period> = periods(text, Span::new(0, text.len())).into_iter().map(|(p, _)| p).collect();
        for p in [Period::Year(2021), Period::Quarter(2), Period::Quarter(3), Period::Month(5), Period::Half(1), Period::Year(2022), Period::Month(3)] {
            assert!(all.contains(&p), "{p:?} missing from {all:?}");
        }
        // "may" the verb is no month.
        assert!(periods("Prices may rise.", Span::new(0, 16)).is_empty());
    }

    #[test]
    fn comparison_bases_are_periods_written_without_their_preposition() {
        let cases = [
            ("EPS was $3.50, up 40.6% from last year's $2.40.", Some((BASE_YEAR, "last year's"))),
            ("Net orders rose 89% year-over-year.", Some((BASE_YEAR, "year-over-year"))),
            ("Sales rose 4% compared with the prior year.", Some((BASE_YEAR, "prior year"))),
            ("EPS rose 17% from the same period in the previous year.", Some((BASE_YEAR, "same period in the previous year"))),
            ("Revenue beat the year-ago quarter by 3%.", Some((BASE_YEAR, "year-ago"))),
            ("Margins improved sequentially.", Some((BASE_QUARTER, "sequentially"))),
            ("EPS was up 12% from the previous quarter.", Some((BASE_QUARTER, "previous quarter"))),
            ("Income rose 5% versus last quarter.", Some((BASE_QUARTER, "last quarter"))),
            // The time of a fact, not what a change is measured against.
            ("Sales rose 5% last year.", None),
            ("in the last quarter of 2020", None),
        ];
        for (text, expected) in cases {
            let found: Vec<(u8, &str)> = periods(text, Span::new(0, text.len()))
                .into_iter()
                .filter_map(|(p, at)| match p {
                    Period::Base(b) => Some((b, at.slice(text))),
                    _ => None,
                })
                .collect();
            assert_eq!(found.first().copied(), expected, "{text}");
        }
    }

    #[test]
    fn relative_years_are_recognised_and_absolute_ones_are_not() {
        for relative in ["founded about two years ago", "up 17% from the third quarter of last year", "the prior year", "a year earlier"] {
            assert!(names_relative_year(relative), "{relative}");
        }
        // A year-over-year change is dated by the sentence's own year, not left open.
        for absolute in ["founded in 2021", "in the third quarter", "a five-year plan", "years of work", "grew year-over-year", "sales fell 3% YoY"] {
            assert!(!names_relative_year(absolute), "{absolute}");
        }
    }

    #[test]
    fn roots_join_word_classes() {
        assert_eq!(root("valuation"), root("valued"));
        assert_eq!(root("increasing"), root("increase"));
        assert_eq!(root("revenue"), root("revenues"));
        assert_eq!(root("chip"), "chip");
    }

    #[test]
    fn periods_of_one_kind_that_differ_conflict() {
        let at = |p: Vec<Period>| p.into_iter().map(|p| (p, Span::default())).collect();
        let a = Frame { clause: Span::default(), measure: Vec::new(), roots: Vec::new(), measure_at: Vec::new(), periods: at(vec![Period::Year(2020), Period::Quarter(2)]) };
        let b = Frame { clause: Span::default(), measure: Vec::new(), roots: Vec::new(), measure_at: Vec::new(), periods: at(vec![Period::Year(2020), Period::Quarter(3)]) };
        let c = Frame { clause: Span::default(), measure: Vec::new(), roots: Vec::new(), measure_at: Vec::new(), periods: at(vec![Period::Year(2020)]) };
        assert!(a.periods_conflict(&b));
        assert!(!a.periods_conflict(&c));
        assert!(!c.periods_conflict(&b));
    }

    /// Regression: a comparison inside one clause gave both figures both quarters, so a draft
    /// giving "$3.69" for the second quarter was never a date-mismatch.
    #[test]
    fn each_figure_of_a_clause_takes_the_period_written_nearest_to_it() {
        let rows: &[(&str, &str, &[&str])] = &[
            ("Diluted earnings per share were $3.69 for the third quarter of 2021, improved from $3.41 in the second quarter of 2021.", "$3.69", &["Q3", "2021"]),
            ("Diluted earnings per share were $3.69 for the third quarter of 2021, improved from $3.41 in the second quarter of 2021.", "$3.41", &["Q2", "2021"]),
            ("Revenue rose to $5 billion in 2021 from $4 billion in 2020.", "$4 billion", &["2020"]),
            ("In the third quarter, revenue was $5 billion, up from $4 billion in the second quarter.", "$5 billion", &["Q3"]),
            // One figure: the clause's periods are all its own.
            ("Revenue was $5 billion in the third quarter, against the second quarter's guidance.", "$5 billion", &["Q2", "Q3"]),
        ];
        for (text, written, expected) in rows {
            let quantities = figures::extract(text);
            let frames = super::frames_of(text, &[Span::new(0, text.len())], &quantities);
            let i = quantities.iter().position(|q| q.span.slice(text) == *written).expect(written);
            let mut labels: Vec<String> = frames[i].as_ref().expect("a frame").periods.iter().map(|(p, _)| p.label()).collect();
            labels.sort();
            labels.dedup();
            let mut expected = expected.to_vec();
            expected.sort();
            assert_eq!(labels, expected, "{written} in {text}");
        }
    }

    #[test]
    fn figures_followed_by_respectively_measure_the_nouns_of_their_rank() {
        // (sentence, figure, its first measure word, a word it must not have)
        let rows: &[(&str, &str, &str, &str)] = &[
            ("Company's Q2 revenues and earnings increased by 19% and 35% respectively YoY, while growth slowed.", "35%", "earning", "revenue"),
            ("Company's Q2 revenues and earnings increased by 19% and 35% respectively YoY, while growth slowed.", "19%", "revenue", "earning"),
            ("Revenue, gross profit and EBITDA rose 5%, 6% and 7%, respectively.", "6%", "gross", "ebitda"),
            ("Revenue, gross profit and EBITDA rose 5%, 6% and 7%, respectively.", "7%", "ebitda", "revenue"),
        ];
        for (text, written, first, absent) in rows {
            let quantities = figures::extract(text);
            let frames = super::frames_of(text, &[Span::new(0, text.len())], &quantities);
            let i = quantities.iter().position(|q| q.span.slice(text) == *written).expect(written);
            let frame = frames[i].as_ref().expect("a frame");
            assert_eq!(frame.measure.first().map(|(t, _)| t.as_str()), Some(*first), "{written} in {text}: {:?}", frame.measure);
            assert!(!frame.measure.iter().any(|(t, _)| t == absent), "{written} in {text}: {:?}", frame.measure);
        }
        // No "respectively": the clause's words as ever.
        let text = "Revenues and earnings increased by 19% and 35% this year.";
        let quantities = figures::extract(text);
        let frames = super::frames_of(text, &[Span::new(0, text.len())], &quantities);
        assert!(frames.iter().flatten().all(|f| f.measure.iter().any(|(t, _)| t == "earning")), "{frames:?}");
    }

    #[test]
    fn quoted_conjuncts_are_each_one_noun_of_a_respectively_run() {
        let frames = frames_of("The leaders are “financial services” and “business, legal and professional services,” at 24% and 23%, respectively.");
        let (_, first) = &frames[0];
        let (_, second) = &frames[1];
        assert_eq!(&terms(first)[..2], ["financial", "service"], "{first:?}");
        assert!(!terms(first).contains(&"legal"), "{first:?}");
        assert!(terms(second)[..4].contains(&"legal") && terms(second)[..4].contains(&"professional"), "{second:?}");
        assert!(!terms(second).contains(&"financial"), "{second:?}");
    }

    #[test]
    fn frames_of_reads_each_sentence_and_names_what_is_counted_and_when() {
        let text = "Revenue rose 12% in the second quarter of 2021. The company hired 300 engineers in May.";
        let quantities = figures::extract(text);
        let sentences = [Span::new(0, 47), Span::new(48, text.len())];
        let frames = super::frames_of(text, &sentences, &quantities);
        assert_eq!(frames.len(), quantities.len());
        let by_figure = |written: &str| {
            let i = quantities.iter().position(|q| q.span.slice(text) == written).expect(written);
            frames[i].clone()
        };
        let percent = by_figure("12%").expect("a frame");
        assert_eq!(percent.concept(text, 6).first().map(String::as_str), Some("revenue"), "the verb gives way to the noun");
        let labels: Vec<String> = percent.periods.iter().map(|(p, _)| p.label()).collect();
        assert_eq!(labels, ["Q2", "2021"], "in the order written");
        let hires = by_figure("300 engineers").expect("a frame");
        assert!(hires.concept(text, 6).contains(&"engineers".to_string()));
        assert_eq!(hires.periods.iter().map(|(p, _)| p.label()).collect::<Vec<_>>(), ["May"]);
        assert!(!hires.concept(text, 6).contains(&"revenue".to_string()), "no word of another sentence");
        for (q, frame) in quantities.iter().zip(&frames) {
            assert_eq!(frame.is_none(), q.unit == Unit::Date, "{}", q.span.slice(text));
        }
    }
}
