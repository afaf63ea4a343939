//! The `check` entry point: pairs each statistic of a draft with the source figure it most
//! likely reports, and judges it.
//!
//! For every draft sentence that holds a figure, BM25 retrieves the source sentences that talk
//! about the same things. Each draft figure is then aligned with the figures of those
//! sentences (and their neighbours) by three signals: how much of the draft sentence the source
//! sentence covers, how much the words right around the two figures agree (what is counted, by
//! whom, when), and whether the units are of one kind. Only when the alignment is strong is the
//! pair taken to report the same fact; only then are values, units, hedges and directions
//! compared. A figure whose value the corpus holds in a well-aligned passage is supported even
//! when another passage aligns slightly better. Anything less certain is said at info level.

pub mod quotations;

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::claims::frame::{self, Frame};
use crate::corpus::{Corpus, SearchScratch};
use crate::claims::figures::{self, Bound, Quantity, Unit};
use crate::findings::{Checked, Code, Evidence, Finding, Fix, Report, Severity, Verdict};
use crate::position::Span;
use crate::prose::{Format, Prose};
use crate::words::{self, Token};

/// Knobs of a check.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// Report statistics with no source at info level.
    pub report_unsupported: bool,
    /// Relative difference within which a hedged draft figure (`about 80 percent`) still
    /// agrees with the source (`82 percent`).
    pub hedge_tolerance: f64,
    /// Record why each figure was judged as it was (for `--trace`).
    pub trace: bool,
    /// Severity per code from the project file; `None` turns a code off.
    pub severity: BTreeMap<Code, Option<Severity>>,
    /// Extra qualifier phrases (lower case) and the bound each expresses.
    pub extra_hedges: Vec<(String, Bound)>,
    /// ISO codes a bare `$` may stand for; by default any dollar.
    pub dollar: Option<Vec<String>>,
}

impl Default for CheckOptions {
    fn default() -> Self {
        CheckOptions {
            report_unsupported: true,
            hedge_tolerance: 0.10,
            trace: false,
            severity: BTreeMap::new(),
            extra_hedges: Vec::new(),
            dollar: None,
        }
    }
}

impl CheckOptions {
    /// Options from a project file (command-line flags are applied on top by the caller).
    pub fn from_config(config: &crate::config::Config) -> Self {
        let defaults = CheckOptions::default();
        CheckOptions {
            report_unsupported: config.report_unsupported.unwrap_or(defaults.report_unsupported),
            hedge_tolerance: config.hedge_tolerance.unwrap_or(defaults.hedge_tolerance),
            severity: config.severity.clone(),
            extra_hedges: config.hedges.clone(),
            dollar: config.dollar.clone(),
            ..defaults
        }
    }
}

/// Minimum share of the draft sentence's content (IDF-weighted) that a source passage must
/// cover for its figure to be considered the same fact at all.
const MIN_COVERAGE: f32 = 0.30;
/// Coverage enough for a passage holding the draft's exact figure to support it.
const SUPPORT_COVERAGE: f32 = 0.2;
/// Coverage and local agreement needed before a differing value is called an error.
const ERROR_COVERAGE: f32 = 0.45;
const ERROR_LOCAL: f32 = 0.15;
/// Content words the draft sentence and the source passage must share (neighbours count half)
/// before a difference is called an error: short sentences cover each other by chance.
const MIN_SHARED: f32 = 3.0;
/// The weight of a generic word relative to a specific one.
const GENERIC_WEIGHT: f32 = 0.3;
/// A draft sentence with fewer content words than this borrows context from the one before.
const SHORT_SENTENCE: usize = 6;
/// How many source sentences retrieval returns per draft sentence.
const RETRIEVE: usize = 8;
/// IDF weights are capped so one rare word cannot decide a match alone.
const IDF_CAP: f32 = 4.0;
/// Words around a figure that count as its local context.
const WINDOW: usize = 8;
/// Share of the draft figure's measure (its clause's words, nearest weighing most) a source
/// figure's clause must name for the two to report one fact when the sentences share little:
/// a paraphrase, or one clause of a long compound sentence. Set on the dev sets (ectsum,
/// sales_call, newsroom-dev, eval/dev): 0.4 doubles newsroom's false positives, 0.6 loses a
/// tenth of ectsum's recall.
const CLAUSE_MEASURE: f32 = 0.5;
/// The measure share that suffices when both clauses also hold one same other figure.
const TWIN_MEASURE: f32 = 0.3;
/// Sentence coverage still needed with a matching measure (0.10 lets in figures of unrelated
/// sentences that share a generic measure such as "revenue").
const CLAUSE_COVERAGE: f32 = 0.15;
/// Content words the sentences must still share with a matching measure.
const CLAUSE_SHARED: f32 = 1.5;
/// With several figures of one kind in a draft sentence, a sentence-level alignment needs at
/// least this much of the figure's own measure ("North America at 28%, Europe at 24%").
const CROWDED_MEASURE: f32 = 0.2;
/// Weight of the measure agreement in ranking a draft figure's candidate source figures.
const MEASURE_SCORE: f32 = 0.4;

/// Weights of the fitted rule ([`Alignment::mismatch_odds`]): fitted by scripts/fit-alignment.py on 6586 figures the hand-set rule leaves silent (92 labelled errors)
const MISMATCH_BIAS: f32 = -2.1969;
const MISMATCH_WEIGHTS: [(&str, f32); 11] = [
    ("coverage", 1.4443),
    ("shared", 2.3597),
    ("local", 1.0190),
    ("measure", 1.6864),
    ("measure_words", 1.2697),
    ("same_unit", 1.0968),
    ("same_count", 0.2133),
    ("twin", 0.5015),
    ("crowded", -0.0233),
    ("other_period", 0.1422),
    ("sibling", 0.6023),
];

/// Log-odds from which the fitted rule calls a differing figure the same fact, as
/// `scripts/fit-alignment.py fit` sets it: 0.1 above the best-scored figure no label marks (a
/// survey figure whose source is not in the corpus, aligned with another survey's), so on the
/// dev sets it adds 14 labelled errors and no unlabelled finding (2.0 would add 28 and 7).
/// Precision first: a wrong error costs more than a missed one.
const MISMATCH_LOG_ODDS: f32 = 2.77;

/// The largest draft checked: drafts are articles, and a larger file is almost surely not one
/// (the CLI reports it as an error, the server logs it and skips the buffer).
pub const MAX_DRAFT_BYTES: usize = 16_000_000;

/// Checks one draft against the corpus.
pub fn check(text: &str, format: Format, corpus: &Corpus, options: &CheckOptions) -> (Report, Vec<String>) {
    check_with_cache(text, format, corpus, options, None)
}

/// [`check`], reusing the verdicts on sentences a previous check of the same corpus saw
/// unchanged (the editor re-checks a whole buffer after every keystroke).
pub fn check_with_cache(
    text: &str,
    format: Format,
    corpus: &Corpus,
    options: &CheckOptions,
    cache: Option<&SentenceCache>,
) -> (Report, Vec<String>) {
    let cache = cache.filter(|_| !options.trace);
    if let Some(cache) = cache {
        cache.bind(corpus, options);
    }
    let prose = Prose::new(text, format);
    let mut quantities = figures::extract(&prose.masked);
    apply_extra_hedges(&prose.masked, &mut quantities, &options.extra_hedges);
    // Numbers inside a quotation are quote wording, checked with the quotation.
    let quotations = crate::claims::quotations::extract(&prose);
    let quoted = crate::claims::quotations::SpanCover::quoted(&quotations);
    quantities.retain(|q| !quoted.contains(q.span));
    let linked: HashSet<u32> = linked_documents(text, corpus);
    let mut linked_sorted: Vec<u32> = linked.iter().copied().collect();
    linked_sorted.sort_unstable();
    // Each paragraph hashed once for the keys of all its quotations.
    let mut paragraph_hashes: Vec<Option<u64>> = vec![None; if cache.is_some() { prose.paragraphs.len() } else { 0 }];
    let mut report = Report::default();
    let mut trace = Vec::new();
    // The search buffers hold a score per corpus sentence (a megabyte for a large corpus):
    // each thread keeps its own across checks rather than allocate them for every keystroke.
    thread_local! {
        static SCRATCH: std::cell::RefCell<SearchScratch> = std::cell::RefCell::new(SearchScratch::default());
    }
    let mut scratch = SCRATCH.with(|cell| cell.take());
    let mut source_memo = SourceMemo::new();
    let mut by_sentence: Vec<Vec<&Quantity>> = vec![Vec::new(); prose.sentences.len()];
    for q in &quantities {
        if let Some(i) = prose.sentence_at(q.number_span.start) {
            by_sentence[i].push(q);
        }
    }
    for (sentence_index, draft_quantities) in by_sentence.iter().enumerate() {
        if draft_quantities.iter().all(|q| q.unit == Unit::Date) {
            continue;
        }
        let sentence = prose.sentences[sentence_index];
        // A short sentence ("It is expected to cost $250.") takes its subject from the sentence
        // before it in the paragraph.
        let previous = sentence_index
            .checked_sub(1)
            .map(|i| prose.sentences[i])
            .filter(|p| p.paragraph == sentence.paragraph)
            .map(|p| p.span);
        let key = cache.map(|_| sentence_key(text, &prose.masked, sentence.span, previous, draft_quantities, &linked_sorted));
        if let (Some(cache), Some(key)) = (cache, key) {
            if let Some(hit) = cache.get(key, sentence.span.start) {
                report.findings.extend(hit.findings);
                report.checked.extend(hit.checked);
                continue;
            }
        }
        let mut part = Report::default();
        let draft = DraftSentence::new(&prose.masked, sentence.span, previous, draft_quantities, corpus);
        let candidates = candidates(corpus, &draft, &linked, &mut scratch, &mut source_memo);
        judge_sentence(text, &draft, &candidates, options, &mut part, &mut trace);
        if let (Some(cache), Some(key)) = (cache, key) {
            cache.put(key, sentence.span.start, &part);
        }
        report.findings.extend(part.findings);
        report.checked.extend(part.checked);
    }
    for q in &quotations {
        // A quotation's verdict depends on its paragraph and the one before (speakers): reuse
        // it while those are unchanged.
        let base = prose.paragraphs.get(q.paragraph).map_or(0, |p| p.start);
        let key = cache.map(|_| {
            let paragraph = match paragraph_hashes.get_mut(q.paragraph) {
                Some(slot) => *slot.get_or_insert_with(|| paragraph_hash(text, &prose, q.paragraph)),
                None => paragraph_hash(text, &prose, q.paragraph),
            };
            quotation_key(paragraph, &prose, q)
        });
        if let (Some(cache), Some(key)) = (cache, key) {
            if let Some(hit) = cache.get(key, base) {
                report.findings.extend(hit.findings);
                report.checked.extend(hit.checked);
                continue;
            }
        }
        let mut part = Report::default();
        quotations::check_quotes_with(text, &prose, std::slice::from_ref(q), corpus, &mut part, &mut scratch);
        if let (Some(cache), Some(key)) = (cache, key) {
            cache.put(key, base, &part);
        }
        report.findings.extend(part.findings);
        report.checked.extend(part.checked);
    }
    SCRATCH.with(|cell| cell.replace(scratch));
    crate::suppress::apply(text, &mut report);
    report.findings.retain_mut(|f| match options.severity.get(&f.code) {
        Some(Some(severity)) => {
            f.severity = *severity;
            true
        }
        Some(None) => false,
        None => true,
    });
    if !options.report_unsupported {
        report.findings.retain(|f| f.code != Code::UnsupportedClaim);
    }
    report.findings.sort_by_key(|f| (f.span.start, f.span.end, f.code));
    report.checked.sort_by_key(|c| (c.span.start, c.span.end));
    // Point each flagged item at its finding, now that findings are final: the first finding
    // on its span, found by halving since findings are sorted by span.
    for checked in &mut report.checked {
        if checked.verdict == Verdict::Flagged {
            let key = (checked.span.start, checked.span.end);
            let i = report.findings.partition_point(|f| (f.span.start, f.span.end) < key);
            checked.finding = report.findings.get(i).filter(|f| f.span == checked.span).map(|_| i);
        }
    }
    (report, trace)
}

/// Verdicts per draft sentence, keyed by the sentence's text, the sentence before it, its
/// figures and the documents the draft links; spans are kept relative to the sentence start.
///
/// Entries live in two generations. Every entry put or used goes in the current one; when a
/// check starts and the current generation holds `GENERATION` (256) entries, it becomes the previous
/// one and the old previous one is dropped. The sentences of the drafts being edited are used
/// by every check and so move along, while the versions a keystroke left behind are dropped two
/// generations after their last use: memory follows the drafts' size, not the session's length.
#[derive(Debug, Default)]
pub struct SentenceCache {
    inner: std::sync::Mutex<CacheState>,
}

#[derive(Debug, Default)]
struct CacheState {
    /// Which corpus and options the entries were computed for.
    binding: (usize, u64),
    /// Entries put or used since the last rotation.
    current: HashMap<u64, Report>,
    /// The generation before; an entry used again moves to `current`.
    previous: HashMap<u64, Report>,
}

/// Entries in the current generation before the next check starts a new one (a 2,000-word
/// draft has about 150 sentences and quotations to keep).
const GENERATION: usize = 256;
/// Entries kept at most: a draft with more sentences than this is cached in part.
const CACHE_LIMIT: usize = 4_000;

impl SentenceCache {
    pub fn new() -> Self {
        SentenceCache::default()
    }

    fn state(&self) -> std::sync::MutexGuard<'_, CacheState> {
        self.inner.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Starts a check: forgets everything when the corpus or the options differ from the last
    /// check's, and starts a new generation when the current one is full.
    fn bind(&self, corpus: &Corpus, options: &CheckOptions) {
        use std::hash::{Hash, Hasher};
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        format!("{options:?}").hash(&mut hasher);
        let binding = (corpus as *const Corpus as usize, hasher.finish());
        let mut state = self.state();
        if state.binding != binding {
            state.current.clear();
            state.previous.clear();
            state.binding = binding;
        }
        if state.current.len() >= GENERATION {
            state.previous = std::mem::take(&mut state.current);
        }
    }

    fn get(&self, key: u64, start: usize) -> Option<Report> {
        let mut state = self.state();
        if !state.current.contains_key(&key) {
            let entry = state.previous.remove(&key)?;
            state.current.insert(key, entry);
        }
        state.current.get(&key).map(|cached| shift(cached, start as isize))
    }

    fn put(&self, key: u64, start: usize, part: &Report) {
        let mut state = self.state();
        if state.current.len() + state.previous.len() >= CACHE_LIMIT {
            return;
        }
        state.current.insert(key, shift(part, -(start as isize)));
    }

    pub fn len(&self) -> usize {
        let state = self.state();
        state.current.len() + state.previous.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

fn shift(report: &Report, by: isize) -> Report {
    let move_span = |span: Span| Span::new((span.start as isize + by) as usize, (span.end as isize + by) as usize);
    let mut out = report.clone();
    for f in &mut out.findings {
        f.span = move_span(f.span);
        if let Some(fix) = &mut f.fix {
            fix.span = move_span(fix.span);
        }
    }
    for c in &mut out.checked {
        c.span = move_span(c.span);
        c.finding = None;
    }
    out
}

fn sentence_key(text: &str, masked: &str, span: Span, previous: Option<Span>, quantities: &[&Quantity], linked: &[u32]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    span.slice(masked).hash(&mut hasher);
    span.slice(text).hash(&mut hasher);
    previous.map(|p| p.slice(masked)).hash(&mut hasher);
    for q in quantities {
        (q.span.start.wrapping_sub(span.start), q.span.end.wrapping_sub(span.start), format!("{:?}", q.unit), q.bound).hash(&mut hasher);
    }
    linked.hash(&mut hasher);
    hasher.finish()
}

/// What a quotation's verdict depends on besides the quotation itself: its paragraph and the
/// one before (speakers). Hashed once per paragraph, not once per quotation in it.
fn paragraph_hash(text: &str, prose: &Prose, index: usize) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    let paragraph = prose.paragraphs.get(index).copied().unwrap_or_default();
    paragraph.slice(&prose.masked).hash(&mut hasher);
    paragraph.slice(text).hash(&mut hasher);
    if let Some(previous) = index.checked_sub(1).and_then(|i| prose.paragraphs.get(i)) {
        previous.slice(&prose.masked).hash(&mut hasher);
    }
    hasher.finish()
}

fn quotation_key(paragraph_hash: u64, prose: &Prose, q: &crate::claims::quotations::Quotation) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    "quotation".hash(&mut hasher);
    paragraph_hash.hash(&mut hasher);
    let base = prose.paragraphs.get(q.paragraph).map_or(0, |p| p.start);
    let relative = |span: Span| (span.start.wrapping_sub(base), span.end.wrapping_sub(base));
    relative(q.span).hash(&mut hasher);
    for part in &q.parts {
        relative(*part).hash(&mut hasher);
    }
    if let Some(speaker) = &q.speaker {
        speaker.text.hash(&mut hasher);
        relative(speaker.span).hash(&mut hasher);
        (speaker.resolved, speaker.follows, format!("{:?}", speaker.kind)).hash(&mut hasher);
    }
    hasher.finish()
}

/// Qualifiers the project file adds ("a shade under") bound figures the extractor read as exact.
fn apply_extra_hedges(masked: &str, quantities: &mut [Quantity], hedges: &[(String, Bound)]) {
    if hedges.is_empty() {
        return;
    }
    for q in quantities.iter_mut().filter(|q| q.bound == Bound::Exact && q.unit != Unit::Date) {
        let mut window_start = q.span.start.saturating_sub(48);
        while !masked.is_char_boundary(window_start) {
            window_start -= 1;
        }
        let before = masked[window_start..q.span.start].trim_end();
        let lower = before.to_lowercase();
        if lower.len() != before.len() {
            continue;
        }
        for (phrase, bound) in hedges {
            if lower.ends_with(phrase.as_str()) {
                let start = window_start + before.len() - phrase.len();
                if start == 0 || !masked[..start].ends_with(|c: char| c.is_alphanumeric()) {
                    q.bound = *bound;
                    q.span = Span::new(start, q.span.end);
                    break;
                }
            }
        }
    }
}

/// Documents the draft links to by URL: these are checked first.
fn linked_documents(text: &str, corpus: &Corpus) -> HashSet<u32> {
    let mut out = HashSet::new();
    if corpus.live_documents().all(|(_, d)| d.url.is_none()) {
        return out;
    }
    for word in text.split(|c: char| c.is_whitespace() || c == '(' || c == ')' || c == '<' || c == '>' || c == '"') {
        if word.starts_with("http://") || word.starts_with("https://") {
            if let Some(doc) = corpus.document_by_url(word.trim_end_matches(['.', ',', ']'])) {
                out.insert(doc);
            }
        }
    }
    out
}

/// A draft sentence prepared for alignment.
struct DraftSentence<'a> {
    tokens: Vec<Token>,
    /// Unique terms with their capped IDF.
    weights: HashMap<String, f32>,
    total_weight: f32,
    quantities: &'a [&'a Quantity],
    years: Vec<f64>,
    /// Terms written as acronyms in the draft ("PLA"), with their letters.
    acronyms: Vec<(String, String)>,
    /// The frame of each figure (not of years), keyed by the figure's start.
    frames: HashMap<usize, Frame>,
}

impl<'a> DraftSentence<'a> {
    fn new(masked: &str, span: Span, previous: Option<Span>, quantities: &'a [&'a Quantity], corpus: &Corpus) -> Self {
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
        DraftSentence { tokens, weights, total_weight, quantities, years, acronyms, frames }
    }
}

/// How much a shared term says that two sentences report the same thing: its IDF in the corpus,
/// capped, and lowered for words every story uses (a small corpus cannot tell those apart).
fn term_weight(corpus: &Corpus, term: &str) -> f32 {
    let idf = corpus.index.idf(term).min(IDF_CAP);
    if words::is_generic(term) {
        idf * GENERIC_WEIGHT
    } else {
        idf
    }
}

/// A source sentence with its figures and words: what every draft sentence retrieving it
/// reads, prepared once per check (a draft's sentences retrieve the same few source passages
/// again and again, and tokenising them for each was most of the time of a long draft).
struct SourceSentence {
    doc: u32,
    document: std::sync::Arc<crate::corpus::Document>,
    sentence_span: Span,
    /// Its terms.
    own: HashSet<String>,
    /// Terms of the neighbouring sentences in the paragraph.
    context: HashSet<String>,
    quantities: Vec<Quantity>,
    /// The frame of each of `quantities`, in order.
    frames: Vec<Frame>,
    /// The words around each of `quantities` ([`window`]).
    windows: Vec<Vec<(String, f32)>>,
    /// For acronyms of the draft ([`initials`]).
    initials: Vec<(char, bool)>,
    years: Vec<f64>,
}

/// Source sentences read so far in one check, by corpus sentence id (`None`: nothing to
/// compare there). Bounded: a check that reads more starts afresh.
type SourceMemo = HashMap<u32, Option<std::rc::Rc<SourceSentence>>>;
const SOURCE_MEMO_LIMIT: usize = 20_000;

/// A source sentence retrieved for one draft sentence, with how well it matches.
struct Candidate {
    source: std::rc::Rc<SourceSentence>,
    /// Share of the draft sentence this sentence covers.
    coverage: f32,
    /// Draft terms found here: 1 for each in the sentence, 0.5 for each only in a neighbour.
    shared: f32,
    linked: bool,
}

impl std::ops::Deref for Candidate {
    type Target = SourceSentence;
    fn deref(&self) -> &SourceSentence {
        &self.source
    }
}

fn source_sentence(corpus: &Corpus, id: u32) -> Option<SourceSentence> {
    let s = corpus.index.sentence(id)?;
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
    if quantities.iter().all(|q| q.unit == Unit::Date) {
        return None;
    }
    let tokens = words::tokens(doc.prose_text(), sentence.span);
    let mut context = HashSet::new();
    for neighbour in [s.sentence.wrapping_sub(1), s.sentence + 1] {
        if let Some(n) = doc.prose.sentences.get(neighbour as usize) {
            if n.paragraph == sentence.paragraph {
                context.extend(words::tokens(doc.prose_text(), n.span).into_iter().map(|t| t.term));
            }
        }
    }
    let own = tokens.iter().map(|t| t.term.clone()).collect();
    let windows = quantities.iter().map(|p| window(&tokens, p.span)).collect();
    let frames = frame::frames(doc.prose_text(), sentence.span, &tokens, &quantities);
    let initials = initials(sentence.span.slice(doc.prose_text()));
    Some(SourceSentence { doc: s.doc, document: doc.clone(), sentence_span: sentence.span, own, context, quantities, frames, windows, initials, years })
}

fn candidates(corpus: &Corpus, draft: &DraftSentence, linked: &HashSet<u32>, scratch: &mut SearchScratch, memo: &mut SourceMemo) -> Vec<Candidate> {
    let query: Vec<String> = draft.tokens.iter().map(|t| t.term.clone()).collect();
    let hits = corpus.index.search_with(scratch, &query, RETRIEVE);
    let mut chosen: Vec<u32> = Vec::new();
    for (id, _) in &hits {
        let Some(s) = corpus.index.sentence(*id) else { continue };
        // The sentence and its neighbours in the paragraph: a figure is often one sentence
        // away from the words that say what it counts.
        for neighbour in [id.wrapping_sub(1), *id, id + 1] {
            if let Some(n) = corpus.index.sentence(neighbour) {
                if n.doc == s.doc && n.paragraph == s.paragraph && !chosen.contains(&neighbour) {
                    chosen.push(neighbour);
                }
            }
        }
    }
    chosen.sort_unstable();
    if memo.len() > SOURCE_MEMO_LIMIT {
        memo.clear();
    }
    let mut out = Vec::new();
    for id in chosen {
        let Some(source) = memo.entry(id).or_insert_with(|| source_sentence(corpus, id).map(std::rc::Rc::new)).clone() else { continue };
        // "PLA" in the draft is "People's Liberation Army" in the source.
        let spelled: HashSet<&str> = draft
            .acronyms
            .iter()
            .filter(|(term, letters)| {
                !source.own.contains(term.as_str()) && spells_with(&source.initials, letters)
            })
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
        let linked = linked.contains(&source.doc);
        out.push(Candidate { source, coverage, shared, linked });
    }
    out
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
fn window(tokens: &[Token], figure: Span) -> Vec<(String, f32)> {
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

/// Unit families: figures of different families never report the same fact.
#[derive(PartialEq, Eq)]
enum Family {
    Share,
    Money,
    Measure(String),
    Count,
    Date,
}

fn family(unit: &Unit) -> Family {
    match unit {
        Unit::Percent | Unit::PercentagePoint | Unit::Fraction => Family::Share,
        Unit::Currency(_) => Family::Money,
        Unit::Measure(m) if m == "time" => Family::Count,
        Unit::Measure(m) => Family::Measure(m.clone()),
        Unit::Count(_) | Unit::None => Family::Count,
        Unit::Date => Family::Date,
    }
}

/// Whether two values are the same figure.
fn same_value(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1e-12)
}

fn same_figure(draft: &Quantity, source: &Quantity) -> bool {
    let (dv, dh) = draft.comparable();
    let (sv, sh) = source.comparable();
    match (dh, sh) {
        (None, None) => same_value(dv, sv),
        (Some(dh), Some(sh)) => same_value(dv, sv) && same_value(dh, sh),
        // A single figure inside a source range, or a range around a source figure, agrees.
        (None, Some(sh)) => dv >= sv && dv <= sh,
        (Some(dh), None) => sv >= dv && sv <= dh,
    }
}

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

struct Alignment<'c> {
    candidate: usize,
    source: &'c Quantity,
    coverage: f32,
    shared: f32,
    local: f32,
    score: f32,
    equal: bool,
    /// Both are ranges and one end agrees: evidence of one fact with the other end changed.
    anchored: bool,
    /// How much of what the draft figure measures (its clause's words, nearest weighing most)
    /// the source figure's clause names.
    measure: f32,
    /// Specific (not generic) words of the measure that both clauses name.
    measure_words: usize,
    /// Both figures count things, and not the same things ("developers", "users").
    other_count: bool,
    /// Each clause holds another figure, the same in both ("20% off the first six months",
    /// "10% off your first six months"): the clauses tell of one thing.
    twin: bool,
    /// The two clauses name different years, quarters, halves or months.
    other_period: bool,
    /// The draft sentence holds other figures of this kind, so the sentence's words alone
    /// cannot say which source figure this one reports: its clause has to.
    crowded: bool,
}

impl Alignment<'_> {
    /// Strong enough to say the two figures report the same fact, so a difference is an error.
    /// Equal values are evidence of their own, so the words right around them may differ more.
    fn confident(&self) -> bool {
        !self.other_period && self.confident_apart_from_period()
    }

    /// [`Alignment::confident`], whatever periods the two clauses name.
    fn confident_apart_from_period(&self) -> bool {
        let local = if self.equal { 0.0 } else { ERROR_LOCAL };
        let shared = if self.anchored { MIN_SHARED / 2.0 } else { MIN_SHARED };
        let sentences = self.coverage >= ERROR_COVERAGE && self.local >= local && self.shared >= shared && (!self.crowded || self.equal || self.measure >= CROWDED_MEASURE);
        // A paraphrase shares few words with the whole source sentence but names the same
        // measure in the figure's own clause.
        let clause = self.clause_aligned() && self.shared >= CLAUSE_SHARED;
        sentences || clause
    }
}

/// Weighted share of the draft frame's measure that the source frame names. Words weigh by
/// closeness to the figure, generic ones ("company", "year") less; not by rarity, since in a
/// single source document the word naming the topic ("dividend") is the most common one.
impl Alignment<'_> {
    /// The two clauses name one measure: most of the draft figure's measure words, and more
    /// than one specific word unless the sentences themselves agree well (one shared verb such
    /// as "save" is how unrelated stories meet).
    fn clause_aligned(&self) -> bool {
        let measure = if self.twin { TWIN_MEASURE } else { CLAUSE_MEASURE };
        !self.other_count
            && self.measure >= measure
            && self.coverage >= CLAUSE_COVERAGE
            && (self.measure_words >= 2 || self.coverage >= MIN_COVERAGE)
    }
}

impl Alignment<'_> {
    /// What an alignment of draft figure `q` with a differing source figure is judged on, by
    /// name: printed by `--trace` (`decide` lines, which `scripts/fit-alignment.py` reads) and
    /// weighed by [`Alignment::mismatch_odds`].
    fn features(&self, q: &Quantity, sibling: bool) -> [(&'static str, f32); 11] {
        let same_count = matches!((&q.unit, &self.source.unit), (Unit::Count(a), Unit::Count(b)) if a == b);
        [
            ("coverage", self.coverage),
            ("shared", self.shared.min(10.0) / 10.0),
            ("local", self.local),
            ("measure", self.measure),
            ("measure_words", (self.measure_words as f32).min(4.0) / 4.0),
            ("same_unit", f32::from(u8::from(q.unit == self.source.unit))),
            ("same_count", f32::from(u8::from(same_count))),
            ("twin", f32::from(u8::from(self.twin))),
            ("crowded", f32::from(u8::from(self.crowded))),
            ("other_period", f32::from(u8::from(self.other_period))),
            ("sibling", f32::from(u8::from(sibling))),
        ]
    }
}

impl Alignment<'_> {
    /// The fitted rule's log-odds that this differing source figure reports the draft
    /// figure's fact.
    fn mismatch_odds(&self, q: &Quantity, sibling: bool) -> f32 {
        let features = self.features(q, sibling);
        MISMATCH_BIAS
            + features.iter().map(|(name, value)| MISMATCH_WEIGHTS.iter().find(|(n, _)| n == name).map_or(0.0, |(_, w)| w * value)).sum::<f32>()
    }
}

fn measure_overlap(draft_frame: &Frame, source_frame: &Frame) -> (f32, usize) {
    let mut shared = 0.0;
    let mut total = 0.0;
    let mut specific = 0;
    for (term, w) in &draft_frame.measure {
        let weight = if words::is_generic(term) { GENERIC_WEIGHT } else { 1.0 };
        total += w * weight;
        let root = frame::root(term);
        let found = source_frame.measure.iter().zip(&source_frame.roots).find(|((t, _), r)| t == term || r.as_str() == root);
        if let Some(((_, sw), _)) = found {
            shared += w.min(*sw).max(0.5 * w) * weight;
            specific += usize::from(!words::is_generic(term));
        }
    }
    (if total > 0.0 { shared / total } else { 0.0 }, specific)
}

fn align<'c>(draft: &DraftSentence, q: &Quantity, candidates: &'c [Candidate]) -> Vec<Alignment<'c>> {
    let draft_window = window(&draft.tokens, q.span);
    let draft_frame = draft.frames.get(&q.span.start);
    let crowded = draft.quantities.iter().filter(|o| o.unit != Unit::Date && family(&o.unit) == family(&q.unit)).count() > 1;
    let mut out = Vec::new();
    for (ci, c) in candidates.iter().enumerate() {
        for (pi, p) in c.quantities.iter().enumerate() {
            let source_frame = &c.frames[pi];
            if p.unit == Unit::Date || family(&p.unit) != family(&q.unit) {
                continue;
            }
            let source_window = &c.windows[pi];
            let mut shared = 0.0;
            let mut total = 0.0;
            for (term, w) in &draft_window {
                let idf = draft.weights.get(term).copied().unwrap_or(1.0);
                total += w * idf;
                if let Some((_, sw)) = source_window.iter().find(|(t, _)| t == term) {
                    shared += w.min(*sw) * idf;
                } else if c.context.contains(term) && matches!(q.unit, Unit::None | Unit::Count(_)) {
                    shared += 0.3 * w * idf;
                }
            }
            let local = if total > 0.0 { shared / total } else { 0.0 };
            let equal = same_figure(q, p);
            // Points and percent of the same value are one figure in the wrong unit; with
            // different values they are different figures (a change against a level).
            let points = |u: &Unit| *u == Unit::PercentagePoint;
            if points(&q.unit) != points(&p.unit) && !equal {
                continue;
            }
            let anchored = match (q.high, p.high) {
                (Some(qh), Some(ph)) => !equal && p.unit == q.unit && (same_value(q.value, p.value) || same_value(qh, ph)),
                _ => false,
            };
            let mut score = 0.6 * c.coverage + 0.4 * local;
            if equal {
                score += 0.15;
            }
            if p.unit == q.unit {
                score += 0.05;
            }
            if p.bound == q.bound {
                score += 0.03;
            }
            let twin = draft_frame.is_some_and(|f| {
                let source_clause = c.frames[pi].clause;
                draft.quantities.iter().any(|d| {
                    d.span != q.span
                        && d.unit != Unit::Date
                        && f.clause.encloses(d.number_span)
                        && c.quantities.iter().any(|o| !std::ptr::eq(o, p) && o.unit == d.unit && source_clause.encloses(o.number_span) && same_figure(d, o))
                })
            });
            let other_count = matches!((&q.unit, &p.unit), (Unit::Count(a), Unit::Count(b)) if a != b);
            if let (Unit::Count(_), Unit::Count(_)) = (&q.unit, &p.unit) {
                score += if other_count { -0.1 } else { 0.1 };
            }
            if c.linked {
                score += 0.1;
            }
            // A figure for another period is another fact.
            if !draft.years.is_empty() && !c.years.is_empty() && !draft.years.iter().any(|y| c.years.contains(y)) {
                score -= 0.3;
            }
            let ((measure, measure_words), other_period) = match draft_frame {
                Some(f) => (measure_overlap(f, source_frame), f.periods_conflict(source_frame)),
                None => ((0.0, 0), false),
            };
            score += MEASURE_SCORE * measure;
            out.push(Alignment { candidate: ci, source: p, coverage: c.coverage, shared: c.shared, local, score, equal, anchored, measure, measure_words, other_count, twin, other_period, crowded });
        }
    }
    out.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.candidate.cmp(&b.candidate)).then(a.source.span.start.cmp(&b.source.span.start)));
    out
}

fn evidence(c: &Candidate, p: &Quantity) -> Evidence {
    let doc = &c.document;
    Evidence {
        doc: c.doc,
        passage: c.sentence_span,
        figure: p.span,
        excerpt: c.sentence_span.slice(&doc.text).to_string(),
        text: p.span.slice(&doc.text).to_string(),
        speaker: None,
    }
}

/// Whether `draft` looks like `source` rounded (80 for 82, 30 for 29.7), within 5 percent.
fn is_rounding(draft: f64, source: f64) -> bool {
    if draft == 0.0 || source == 0.0 || same_value(draft, source) {
        return false;
    }
    let relative = (draft - source).abs() / source.abs();
    relative <= 0.05 && significant_digits(draft) < significant_digits(source)
}

fn significant_digits(value: f64) -> usize {
    let text = format!("{}", value.abs());
    let digits: String = text.chars().filter(|c| c.is_ascii_digit()).collect();
    let trimmed = digits.trim_start_matches('0').trim_end_matches('0');
    trimmed.len().max(1)
}

fn judge_sentence(
    text: &str,
    draft: &DraftSentence,
    candidates: &[Candidate],
    options: &CheckOptions,
    report: &mut Report,
    trace: &mut Vec<String>,
) {
    let figures: Vec<&Quantity> = draft.quantities.iter().copied().filter(|q| q.unit != Unit::Date).collect();
    let alignments: Vec<Vec<Alignment>> = figures.iter().map(|q| align(draft, q, candidates)).collect();
    // First pass: figures whose value a well-aligned passage holds claim that source figure.
    let mut used: HashSet<(usize, usize)> = HashSet::new();
    let mut supported: Vec<Option<usize>> = vec![None; figures.len()];
    for (i, list) in alignments.iter().enumerate() {
        let best_coverage = list.first().map_or(0.0, |a| a.coverage);
        // Support only silences, so it may rest on weaker alignment than an error.
        let floor = SUPPORT_COVERAGE.max(0.5 * best_coverage);
        let holds = |a: &Alignment| a.coverage >= floor || (a.measure >= CLAUSE_MEASURE && a.coverage >= SUPPORT_COVERAGE);
        // A range that merely contains a source figure is weaker evidence than a range of the
        // source with one end the same, aligned better: that is the fact, its other end changed.
        let anchored_above = |k: usize| list[..k].iter().any(|b| b.anchored && b.confident());
        if let Some(k) = list.iter().position(|a| a.equal && holds(a) && !used.contains(&(a.candidate, a.source.span.start))).filter(|&k| !anchored_above(k)) {
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
            if finding.is_none() && a.other_period && a.confident_apart_from_period() {
                if let Some(date) = date_mismatch(text, draft, q, c, a, &ev) {
                    push(text, report, q.span, ev, None);
                    if !report.findings.iter().any(|f| f.code == Code::DateMismatch && f.span == date.span) {
                        report.findings.push(date);
                    }
                    continue;
                }
            }
            push(text, report, q.span, ev, finding);
            continue;
        }
        // No passage holds this value: take the best-aligned figure not claimed by another.
        let best = list.iter().find(|a| !used.contains(&(a.candidate, a.source.span.start)));
        // The hand-set rule decides first; the fitted one speaks where it is silent.
        let fitted = best.filter(|a| !a.equal).is_some_and(|a| a.mismatch_odds(q, sibling_supported(&alignments, &supported, i, a.candidate)) >= MISMATCH_LOG_ODDS);
        if options.trace {
            if let Some(a) = best.filter(|a| !a.equal) {
                let sibling = sibling_supported(&alignments, &supported, i, a.candidate);
                let features: Vec<String> = a.features(q, sibling).iter().map(|(name, value)| format!("{name}={value:.3}")).collect();
                let current = (a.coverage >= MIN_COVERAGE || a.clause_aligned()) && a.confident();
                trace.push(format!("decide at {} {} current={} {}", q.span.start, q.span.end, u8::from(current), features.join(" ")));
            }
        }
        let Some(a) = best.filter(|a| fitted || a.coverage >= MIN_COVERAGE || a.clause_aligned()) else {
            no_source(report, q, draft_text, options);
            continue;
        };
        let c = &candidates[a.candidate];
        let ev = evidence(c, a.source);
        let confident = fitted || a.confident();
        if a.equal {
            // The best-aligned figure holds the draft's value after all: never a different value.
            let finding = if confident { compare_equal(q, a.source, draft_text, &ev, options.dollar.as_deref()) } else { None };
            push(text, report, q.span, ev, finding);
            continue;
        }
        let (dv, _) = q.comparable();
        let (sv, _) = a.source.comparable();
        if q.vague || a.source.vague {
            report.checked.push(Checked { span: q.span, verdict: Verdict::NoSource, evidence: Some(ev), finding: None });
            continue;
        }
        let relative = if sv != 0.0 { (dv - sv).abs() / sv.abs() } else { f64::INFINITY };
        if q.high.is_none() && a.source.high.is_none() && q.bound != Bound::Exact && relative <= options.hedge_tolerance && !unit_conflict(q, a.source, options.dollar.as_deref()) {
            // "about 80 percent" for "82 percent": a hedge the writer added covers the difference.
            push(text, report, q.span, ev, None);
            continue;
        }
        if !confident {
            report.checked.push(Checked { span: q.span, verdict: Verdict::NoSource, evidence: Some(ev.clone()), finding: None });
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
        let finding = if q.high.is_none() && a.source.high.is_none() && q.bound == Bound::Exact && is_rounding(dv, sv) && !unit_conflict(q, a.source, options.dollar.as_deref()) {
            Some(hedge(
                draft_text,
                &ev,
                format!("draft says \"{draft_text}\"; source says \"{}\": a rounded figure is given as exact", ev.text),
                "Use the source's figure",
            ))
        } else {
            let scale = if sv != 0.0 && dv != 0.0 {
                let ratio = (dv / sv).log10();
                if (ratio.round() - ratio).abs() < 1e-6 && ratio.round() != 0.0 { " (a slip of scale)" } else { "" }
            } else {
                ""
            };
            Some(error(Code::NumberMismatch, draft_text, &ev, format!("draft says \"{draft_text}\"; source says \"{}\"{scale}", ev.text)))
        };
        push(text, report, q.span, ev, finding);
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
    let ((draft_period, draft_span), (_, source_span)) = draft_frame.conflicting_period(source_frame)?;
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
    let source_said = source_span.slice(&c.document.text).to_string();
    Some(Finding {
        code: Code::DateMismatch,
        severity: Code::DateMismatch.default_severity(),
        span: draft_span,
        message: format!("draft says \"{draft_text}\"; the source gives \"{}\" for \"{source_said}\"", ev.text),
        evidence: vec![ev.clone()],
        fix: Some(Fix { span: draft_span, replacement: source_said.clone(), title: format!("Replace with \"{source_said}\"") }),
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
        None => report.checked.push(Checked { span, verdict: Verdict::Supported, evidence: Some(ev), finding: None }),
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

fn no_source(report: &mut Report, q: &Quantity, draft_text: &str, options: &CheckOptions) {
    report.checked.push(Checked { span: q.span, verdict: Verdict::NoSource, evidence: None, finding: None });
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
    fn acronyms_match_capitalised_initials() {
        assert!(spells_acronym("China’s People’s Liberation Army has shown off a robot", "PLA"));
        assert!(spells_acronym("the Greater Bay Area (GBA) in China", "GBA"));
        assert!(spells_acronym("the Bank of England said", "BE"));
        assert!(!spells_acronym("People like the army", "PLA"));
    }

    /// Regression (found by the LSP soak): the cache kept up to 4,000 entries and started
    /// afresh only when full, so resident memory climbed by some 20 MB over the first 4,000
    /// keystrokes of a session. The entries in use must survive and the rest be dropped.
    #[test]
    fn the_sentence_cache_keeps_the_entries_in_use_and_drops_the_rest() {
        let corpus = Corpus::builtin();
        let options = CheckOptions::default();
        let cache = SentenceCache::new();
        let working: Vec<u64> = (0..150).collect();
        // 10,000 keystrokes: each check uses the draft's 150 sentences and adds one new entry.
        for keystroke in 0..10_000u64 {
            cache.bind(&corpus, &options);
            for &key in &working {
                if cache.get(key, 0).is_none() {
                    cache.put(key, 0, &Report::default());
                }
            }
            cache.put(1_000_000 + keystroke, 0, &Report::default());
            assert!(cache.len() <= 2 * GENERATION + working.len(), "keystroke {keystroke}: {} entries", cache.len());
        }
        cache.bind(&corpus, &options);
        assert!(working.iter().all(|&key| cache.get(key, 0).is_some()), "an entry in use was dropped");
        assert!(cache.get(1_000_000, 0).is_none(), "an entry unused for thousands of checks is still kept");
        // Another corpus or other options: nothing carries over.
        let other = CheckOptions { report_unsupported: !options.report_unsupported, ..CheckOptions::default() };
        cache.bind(&corpus, &other);
        assert!(cache.is_empty());
    }

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
    fn rounding_needs_a_rounder_figure_within_five_percent() {
        assert!(is_rounding(80.0, 82.0));
        assert!(is_rounding(30.0, 29.7));
        assert!(!is_rounding(28.0, 82.0));
        assert!(!is_rounding(82.0, 80.0));
    }
}

#[cfg(test)]
mod figure_tests {
    use super::*;

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

    /// Regression (issue 12): "12 percent" for "-12 percent" was supported.
    #[test]
    fn a_sign_difference_is_no_support() {
        let a = figures::extract("The margin was -12 percent in Europe.");
        let b = figures::extract("The margin was 12 percent in Europe.");
        assert!(!same_figure(&a[0], &b[0]));
        assert!(same_figure(&a[0], &figures::extract("The margin was \u{2212}12 percent in Europe.")[0]));
    }

    fn alignment(source: &Quantity, coverage: f32, shared: f32, local: f32, measure: f32, measure_words: usize) -> Alignment<'_> {
        Alignment {
            candidate: 0,
            source,
            coverage,
            shared,
            local,
            score: 0.0,
            equal: false,
            anchored: false,
            measure,
            measure_words,
            other_count: false,
            twin: false,
            other_period: false,
            crowded: false,
        }
    }

    /// The fitted rule speaks for a figure whose clause names the source figure's measure in
    /// a summary sentence too long to share much of the source sentence, and stays silent on a
    /// loose match; every weight is named by a feature the rule computes.
    #[test]
    fn the_fitted_rule_weighs_named_features_and_needs_strong_evidence() {
        let draft = figures::extract("a plan with a 25% co-payment");
        let source = figures::extract("a plan with a 20% co-payment");
        let strong = alignment(&source[0], 0.35, 7.0, 0.4, 0.7, 3);
        assert!(strong.mismatch_odds(&draft[0], true) >= MISMATCH_LOG_ODDS);
        let loose = alignment(&source[0], 0.2, 2.0, 0.15, 0.2, 0);
        assert!(loose.mismatch_odds(&draft[0], false) < MISMATCH_LOG_ODDS);
        for (name, _) in strong.features(&draft[0], false) {
            assert!(MISMATCH_WEIGHTS.iter().any(|(n, _)| *n == name), "no weight for {name}");
        }
        assert_eq!(MISMATCH_WEIGHTS.len(), strong.features(&draft[0], false).len());
    }
}
