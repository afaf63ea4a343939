//! Candidate retrieval: a draft sentence prepared for alignment (its terms weighed by capped
//! IDF, its acronyms, the frame of each figure), and the source sentences BM25 retrieves for
//! it, with their neighbours in the paragraph, each read once per check and scored by how much
//! of the draft sentence it covers. Also the documents a draft links to, which rank first, and
//! the words around a figure that alignment compares.

use std::collections::{HashMap, HashSet};

use crate::claims::dates::{self, Relative, When};
use crate::claims::figures::{Quantity, Unit};
use crate::claims::frame::{self, Frame, Period};
use crate::corpus::{Corpus, SearchScratch};
use crate::position::Span;
use crate::words::{self, Token};

/// The weight of a generic word relative to a specific one.
pub(super) const GENERIC_WEIGHT: f32 = 0.3;
/// A draft sentence with fewer content words than this borrows context from the one before.
const SHORT_SENTENCE: usize = 6;
/// How many source sentences retrieval returns per draft sentence.
const RETRIEVE: usize = 8;
/// How many more each clause of a sentence of several clauses returns, searched on its own.
const RETRIEVE_PER_CLAUSE: usize = 8;
/// Content words a clause needs to be searched on its own: fewer match too much by chance.
const MIN_CLAUSE_QUERY: usize = 3;
/// IDF weights are capped so one rare word cannot decide a match alone.
const IDF_CAP: f32 = 4.0;
/// Words around a figure that count as its local context.
const WINDOW: usize = 8;

/// Documents the draft links to, by URL or by the link's site and title words
/// ([`Corpus::documents_by_link`]): these are checked first.
pub(super) fn linked_documents(text: &str, corpus: &Corpus) -> HashSet<u32> {
    let mut out = HashSet::new();
    // Each link resolved once, however often the draft repeats it: resolving one without a
    // matching URL reads every document's title.
    let mut seen = HashSet::new();
    for word in text.split(|c: char| c.is_whitespace() || c == '(' || c == ')' || c == '<' || c == '>' || c == '"') {
        if (word.starts_with("http://") || word.starts_with("https://")) && seen.insert(word.trim_end_matches(['.', ',', ']'])) {
            out.extend(corpus.documents_by_link(word.trim_end_matches(['.', ',', ']'])));
        }
    }
    out
}

/// A draft sentence prepared for alignment.
pub(super) struct DraftSentence<'a> {
    /// The draft's prose (links, code and markup blanked) and where the sentence stands in it.
    pub(super) masked: &'a str,
    pub(super) span: Span,
    pub(super) tokens: Vec<Token>,
    /// Unique terms with their capped IDF.
    pub(super) weights: HashMap<String, f32>,
    total_weight: f32,
    pub(super) quantities: &'a [&'a Quantity],
    pub(super) years: Vec<f64>,
    /// Terms written as acronyms in the draft ("PLA"), with their letters.
    acronyms: Vec<(String, String)>,
    /// The frame of each figure (not of years), keyed by the figure's start.
    pub(super) frames: HashMap<usize, Frame>,
    /// Whom the sentence credits, read once when a figure first asks.
    pub(super) credits: std::cell::OnceCell<Vec<crate::claims::credits::Credit>>,
    /// The documents the sentence cites ([`super::cited`]): searched on their own, ranked first.
    pub(super) citations: super::cited::Citations,
}

impl<'a> DraftSentence<'a> {
    pub(super) fn new(masked: &'a str, span: Span, previous: Option<Span>, quantities: &'a [&'a Quantity], corpus: &Corpus) -> Self {
        let tokens = words::tokens(masked, span);
        let mut weights = HashMap::new();
        for t in &tokens {
            weights.entry(t.term.clone()).or_insert_with(|| term_weight(corpus, &t.term));
        }
        if let Some(previous) = previous.filter(|_| weights.len() < SHORT_SENTENCE) {
            for t in words::tokens(masked, previous) {
                weights.entry(t.term).or_insert_with_key(|term| 0.5 * term_weight(corpus, term));
            }
        }
        let total_weight = weights.values().sum();
        let acronyms = tokens
            .iter()
            .filter_map(|t| {
                let raw = t.span.slice(masked);
                (raw.len() >= 2 && raw.len() <= 6 && raw.bytes().all(|b| b.is_ascii_uppercase())).then(|| (t.term.clone(), raw.to_string()))
            })
            .collect();
        let years = quantities.iter().filter(|q| q.unit == Unit::Date).map(|q| q.value).collect();
        let figures: Vec<Quantity> = quantities.iter().filter(|q| q.unit != Unit::Date).map(|q| (*q).clone()).collect();
        let frames = frame::frames(masked, span, &tokens, &figures).into_iter().zip(&figures).map(|(f, q)| (q.span.start, f)).collect();
        DraftSentence { masked, span, tokens, weights, total_weight, quantities, years, acronyms, frames, credits: Default::default(), citations: Default::default() }
    }
}

/// How much a shared term says that two sentences report the same thing: its IDF in the corpus,
/// capped, and lowered for words every story uses (a small corpus cannot tell those apart).
pub(super) fn term_weight(corpus: &Corpus, term: &str) -> f32 {
    let idf = corpus.idf(term).min(IDF_CAP);
    if words::is_generic(term) {
        idf * GENERIC_WEIGHT
    } else {
        idf
    }
}

/// A source sentence with its figures and words: what every draft sentence retrieving it
/// reads, prepared once per check (a draft's sentences retrieve the same few source passages
/// again and again, and tokenising them for each was most of the time of a long draft).
pub(super) struct SourceSentence {
    /// Whom the sentence credits, read once when first asked (every figure's evidence asks).
    pub(super) credits: std::cell::OnceCell<Vec<crate::claims::credits::Credit>>,
    pub(super) doc: u32,
    pub(super) document: std::sync::Arc<crate::corpus::Document>,
    pub(super) sentence_span: Span,
    /// Its terms.
    own: HashSet<String>,
    /// Terms of the neighbouring sentences in the paragraph.
    pub(super) context: HashSet<String>,
    pub(super) quantities: Vec<Quantity>,
    /// The frame of each of `quantities`, in order.
    pub(super) frames: Vec<Frame>,
    /// The words around each of `quantities` ([`window`]).
    pub(super) windows: Vec<Vec<(String, f32)>>,
    /// For acronyms of the draft ([`initials`]).
    initials: Vec<(char, bool)>,
    pub(super) years: Vec<f64>,
    /// Its content tokens, in order.
    pub(super) tokens: Vec<Token>,
    /// Its clauses ([`frame::clauses`]), in order.
    pub(super) clauses: Vec<Span>,
    /// The periods it names, with where each is written.
    pub(super) periods: Vec<(Period, Span)>,
    /// The neighbouring sentences of its paragraph, whose periods the period check reads
    /// (rarely: most source sentences are read for their figures only).
    pub(super) neighbours: Vec<Span>,
    /// It names a year only relative to another ("a year ago", or "last year" in an undated
    /// document), which may be any year the draft writes out.
    pub(super) relative_year: bool,
    /// Its relative times ("late last year", "in August") with what each means, resolved
    /// against its document's date; empty in an undated document.
    pub(super) resolved: Vec<(Relative, When)>,
}

impl SourceSentence {
    /// The relative time written at `at`, resolved, when `at` is one.
    pub(super) fn resolved_at(&self, at: Span) -> Option<&(Relative, When)> {
        self.resolved.iter().find(|(r, _)| r.span == at)
    }
}

/// Source sentences read, by corpus sentence id (`None`: nothing to compare there): those of
/// the check under way and those the check before it used.
///
/// A check's sentences retrieve many of the same source sentences, and an editor's next check
/// of the same draft most of the same again. Only what the last check used is carried over:
/// each source sentence holds its whole document, so a memo that kept everything an editing
/// session ever read held documents past the document cache's bound (the language server grew
/// by a quarter over 10,000 keystrokes).
#[derive(Default)]
pub(super) struct SourceMemo {
    current: HashMap<u32, Option<std::rc::Rc<SourceSentence>>>,
    previous: HashMap<u32, Option<std::rc::Rc<SourceSentence>>>,
    /// The corpus the entries were read from ([`Corpus::generation`]).
    generation: u64,
}

/// Source sentences one check keeps before starting afresh.
const SOURCE_MEMO_LIMIT: usize = 20_000;

impl SourceMemo {
    /// Begins a check against `corpus`: the entries the last check used stay (when the corpus is
    /// the same), the rest are dropped.
    pub(super) fn begin_check(&mut self, corpus: &Corpus) {
        if self.generation != corpus.generation() {
            self.current.clear();
            self.generation = corpus.generation();
        }
        self.previous = std::mem::take(&mut self.current);
    }

    /// Ends a check: what it did not use is dropped.
    pub(super) fn end_check(&mut self) {
        self.previous.clear();
    }

    fn get_or_read(&mut self, id: u32, read: impl FnOnce() -> Option<SourceSentence>) -> Option<std::rc::Rc<SourceSentence>> {
        if let Some(found) = self.current.get(&id) {
            return found.clone();
        }
        if self.current.len() >= SOURCE_MEMO_LIMIT {
            self.current.clear();
        }
        let found = match self.previous.remove(&id) {
            Some(found) => found,
            None => read().map(std::rc::Rc::new),
        };
        self.current.insert(id, found.clone());
        found
    }
}

/// A source sentence retrieved for one draft sentence, with how well it matches.
pub(super) struct Candidate {
    source: std::rc::Rc<SourceSentence>,
    /// Share of the draft sentence this sentence covers.
    pub(super) coverage: f32,
    /// Draft terms found here: 1 for each in the sentence, 0.5 for each only in a neighbour.
    pub(super) shared: f32,
    /// Its document is linked from the draft or cited by the sentence.
    pub(super) linked: bool,
    /// Found only by searching one clause of the draft sentence: evidence for that clause's
    /// figures, judged on their clause, not for the sentence as a whole.
    pub(super) by_clause: bool,
    /// The corpus sentence id: candidates are kept in corpus order.
    id: u32,
}

impl std::ops::Deref for Candidate {
    type Target = SourceSentence;
    fn deref(&self) -> &SourceSentence {
        &self.source
    }
}

fn source_sentence(corpus: &Corpus, id: u32) -> Option<SourceSentence> {
    let s = corpus.sentence(id)?;
    // A source changed since it was indexed is left out until the index is refreshed.
    let doc = corpus.document(s.doc)?;
    let &sentence = doc.prose.sentences.get(s.sentence as usize)?;
    let paragraph_quantities = doc.paragraph_quantities(s.paragraph as usize);
    let quantities: Vec<Quantity> = paragraph_quantities
        .iter()
        .filter(|q| sentence.span.start <= q.number_span.start && q.number_span.start < sentence.span.end)
        .cloned()
        .collect();
    let years: Vec<f64> = paragraph_quantities.iter().filter(|q| q.unit == Unit::Date).map(|q| q.value).collect();
    let text = doc.prose_text();
    // A sentence without figures still dates the facts it tells ("Anthropic was founded in 2021").
    let mut periods = frame::periods(text, sentence.span);
    let resolved: Vec<(Relative, When)> = match doc.day {
        Some(day) => dates::relatives(text, sentence.span).into_iter().map(|r| (r, r.resolve(day))).collect(),
        None => Vec::new(),
    };
    // ... and one with a multiple written as a verb ("revenue tripled") states a figure.
    if quantities.iter().all(|q| q.unit == Unit::Date) && periods.is_empty() && resolved.is_empty() && crate::claims::multiples::multiples(text, sentence.span).is_empty() {
        return None;
    }
    let tokens = words::tokens(text, sentence.span);
    let mut context = HashSet::new();
    let mut neighbours = Vec::new();
    for neighbour in [s.sentence.wrapping_sub(1), s.sentence + 1] {
        if let Some(n) = doc.prose.sentences.get(neighbour as usize) {
            if n.paragraph == sentence.paragraph {
                context.extend(words::tokens(text, n.span).into_iter().map(|t| t.term));
                neighbours.push(n.span);
            }
        }
    }
    // A resolved relative time dates the fact as a written one does, unless it dates what a
    // change is measured against ("up from $1.9 million last year"), or is a bare month in a
    // paragraph that writes out a year (the month may be that year's).
    let year_nearby = neighbours.iter().any(|n| frame::periods(text, *n).iter().any(|(p, _)| matches!(p, Period::Year(_))));
    let mut unresolved = sentence.span.slice(text).to_string();
    for (r, when) in &resolved {
        if r.base || (matches!(r.relation, dates::Relation::NamedMonth(_)) && year_nearby) {
            continue;
        }
        for p in when.periods() {
            if !periods.iter().any(|(q, _)| *q == p) {
                periods.push((p, r.span));
            }
        }
        // Its year is known: it no longer stands for any year.
        let at = r.span.start - sentence.span.start..r.span.end - sentence.span.start;
        unresolved.replace_range(at.clone(), &" ".repeat(at.len()));
    }
    periods.sort_by_key(|(_, at)| at.start);
    let relative_year = frame::names_relative_year(&unresolved);
    let clauses = frame::clauses_with(text, sentence.span, &tokens, &quantities);
    let own = tokens.iter().map(|t| t.term.clone()).collect();
    let windows = quantities.iter().map(|p| window(&tokens, p.span)).collect();
    let frames = frame::frames_with_periods(text, sentence.span, &tokens, &quantities, periods.clone());
    let initials = initials(sentence.span.slice(doc.prose_text()));
    Some(SourceSentence {
        credits: std::cell::OnceCell::new(),
        doc: s.doc,
        document: doc.clone(),
        sentence_span: sentence.span,
        own,
        context,
        quantities,
        frames,
        windows,
        initials,
        years,
        tokens,
        clauses,
        periods,
        neighbours,
        relative_year,
        resolved,
    })
}

pub(super) fn candidates(corpus: &Corpus, draft: &DraftSentence, linked: &HashSet<u32>, scratch: &mut SearchScratch, memo: &mut SourceMemo) -> Vec<Candidate> {
    let query: Vec<String> = draft.tokens.iter().map(|t| t.term.clone()).collect();
    let hits = corpus.search(scratch, &query, RETRIEVE);
    let mut chosen = with_neighbours(corpus, &hits, &[]);
    let mut out: Vec<Candidate> = chosen.iter().filter_map(|&id| candidate(corpus, draft, linked, memo, id, false)).collect();
    // The documents the sentence cites are searched on their own: their passage may rank below
    // other articles' in the whole corpus.
    let cited = &draft.citations.all;
    if !cited.is_empty() {
        let hits = corpus.search_within(scratch, &query, RETRIEVE, cited);
        let more = with_neighbours(corpus, &hits, &chosen);
        out.extend(more.iter().filter_map(|&id| candidate(corpus, draft, linked, memo, id, false)));
        chosen.extend(more);
    }
    // A sentence of several clauses tells several facts, often from several sources: a clause
    // holding a figure whose value no sentence found states (an order of magnitude such as
    // "dozens" states none) is searched on its own too, so that the sentences matching the
    // other clauses do not crowd out its source.
    let mut clauses: Vec<Span> = draft
        .quantities
        .iter()
        .filter(|q| q.unit != Unit::Date && !out.iter().any(|c| c.quantities.iter().any(|p| !p.vague && super::align::same_figure(q, p))))
        .filter_map(|q| draft.frames.get(&q.span.start).map(|f| f.clause))
        .filter(|c| *c != draft.span)
        .collect();
    clauses.sort_unstable();
    clauses.dedup();
    for clause in clauses {
        let clause_query: Vec<String> = draft.tokens.iter().filter(|t| clause.encloses(t.span)).map(|t| t.term.clone()).collect();
        if clause_query.len() < MIN_CLAUSE_QUERY {
            continue;
        }
        let hits = corpus.search(scratch, &clause_query, RETRIEVE_PER_CLAUSE);
        let more = with_neighbours(corpus, &hits, &chosen);
        out.extend(more.iter().filter_map(|&id| candidate(corpus, draft, linked, memo, id, true)));
        chosen.extend(more);
    }
    out.sort_by_key(|c| c.id);
    out
}

/// The sentences of `hits` with their neighbours in the paragraph (a figure is often one
/// sentence away from the words that say what it counts), in order, leaving out `taken`.
fn with_neighbours(corpus: &Corpus, hits: &[(u32, f32)], taken: &[u32]) -> Vec<u32> {
    let mut chosen: Vec<u32> = Vec::new();
    for (id, _) in hits {
        let Some(s) = corpus.sentence(*id) else { continue };
        for neighbour in [id.wrapping_sub(1), *id, id + 1] {
            if let Some(n) = corpus.sentence(neighbour) {
                if n.doc == s.doc && n.paragraph == s.paragraph && !chosen.contains(&neighbour) && !taken.contains(&neighbour) {
                    chosen.push(neighbour);
                }
            }
        }
    }
    chosen.sort_unstable();
    chosen
}

/// Corpus sentence `id` as a candidate for the draft sentence: how much of it it covers.
fn candidate(corpus: &Corpus, draft: &DraftSentence, linked: &HashSet<u32>, memo: &mut SourceMemo, id: u32, by_clause: bool) -> Option<Candidate> {
    let source = memo.get_or_read(id, || source_sentence(corpus, id))?;
    // "PLA" in the draft is "People's Liberation Army" in the source.
    let spelled: HashSet<&str> = draft
        .acronyms
        .iter()
        .filter(|(term, letters)| !source.own.contains(term.as_str()) && spells_with(&source.initials, letters))
        .map(|(term, _)| term.as_str())
        .collect();
    let mut covered = 0.0;
    let mut shared = 0.0;
    for (term, weight) in &draft.weights {
        let count = if words::is_generic(term) { GENERIC_WEIGHT } else { 1.0 };
        if source.own.contains(term.as_str()) || spelled.contains(term.as_str()) {
            covered += weight;
            shared += count;
        } else if source.context.contains(term) {
            covered += 0.5 * weight;
            shared += 0.5 * count;
        }
    }
    let coverage = if draft.total_weight > 0.0 { covered / draft.total_weight } else { 0.0 };
    // Cited documents rank first, as linked ones do.
    let linked = linked.contains(&source.doc) || draft.citations.all.binary_search(&source.doc).is_ok();
    Some(Candidate { source, coverage, shared, linked, by_clause, id })
}

/// Whether consecutive capitalised words of `text` have `letters` as initials ("People's
/// Liberation Army" for "PLA"), skipping the small words titles use ("of", "and", "the").
#[cfg(test)]
fn spells_acronym(text: &str, letters: &str) -> bool {
    spells_with(&initials(text), letters)
}

/// The first letter of each word of `text`, and whether the word is one titles skip.
fn initials(text: &str) -> Vec<(char, bool)> {
    text
        .split(|c: char| c.is_whitespace() || c == '-')
        .filter(|w| !w.is_empty())
        .map(|w| {
            let first = w.trim_start_matches(|c: char| !c.is_alphanumeric()).chars().next().unwrap_or(' ');
            let small = matches!(w, "of" | "and" | "the" | "for" | "&");
            (first, small)
        })
        .collect()
}

/// [`spells_acronym`] on a sentence's [`initials`].
fn spells_with(initials: &[(char, bool)], letters: &str) -> bool {
    let wanted: Vec<char> = letters.chars().collect();
    'start: for start in 0..initials.len() {
        let mut i = start;
        for &letter in &wanted {
            while i < initials.len() && initials[i].1 && i > start {
                i += 1;
            }
            if i >= initials.len() || initials[i].0 != letter {
                continue 'start;
            }
            i += 1;
        }
        return true;
    }
    false
}

/// Terms around a figure, weighted by closeness (1 inside the figure, falling with distance).
/// `tokens` are in text order; only the tokens near the figure are looked at.
pub(super) fn window(tokens: &[Token], figure: Span) -> Vec<(String, f32)> {
    let mut out: Vec<(String, f32)> = Vec::new();
    let first_overlap = tokens.partition_point(|t| t.span.end <= figure.start);
    let first_after = tokens.partition_point(|t| t.span.start < figure.end).max(first_overlap);
    let mut add = |term: &str, distance: usize| {
        let weight = 1.0 / (1.0 + distance as f32 * 0.5);
        match out.iter_mut().find(|(t, _)| t == term) {
            Some((_, w)) => *w = w.max(weight),
            None => out.push((term.to_string(), weight)),
        }
    };
    for t in &tokens[first_overlap..first_after] {
        add(&t.term, 0);
    }
    for (k, t) in tokens[first_overlap.saturating_sub(WINDOW)..first_overlap].iter().rev().enumerate() {
        add(&t.term, k + 1);
    }
    for (k, t) in tokens[first_after..(first_after + WINDOW).min(tokens.len())].iter().enumerate() {
        add(&t.term, k + 1);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn acronyms_match_capitalised_initials() {
        assert!(spells_acronym("China’s People’s Liberation Army has shown off a robot", "PLA"));
        assert!(spells_acronym("the Greater Bay Area (GBA) in China", "GBA"));
        assert!(spells_acronym("the Bank of England said", "BE"));
        assert!(!spells_acronym("People like the army", "PLA"));
    }
}
