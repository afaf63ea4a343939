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
//!
//! The path is split by concern: this module holds the entry point, its options and the
//! sentence cache; `retrieve` finds the source sentences a draft sentence may report,
//! `align` pairs each draft figure with the source figures of those sentences, `figures`
//! judges the figures so paired, `credits` whether a figure's source is credited as the
//! draft credits it, and `quotations` judges quotations.

mod absent;
mod align;
mod cited;
mod derived;
mod disagree;
mod credits;
mod figures;
mod periods;
pub mod quotations;
mod relative;
mod retrieve;

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::corpus::{Corpus, SearchScratch};
use crate::claims::figures::{Bound, Quantity, Unit};
use crate::findings::{Code, Report, Severity, Verdict};
use crate::position::Span;
use crate::prose::{Format, Prose};

use figures::{judge_multiples, judge_sentence};
use periods::judge_periods;
use relative::{judge_relative_times, DateFrom, DraftDate};
use retrieve::{candidates, linked_documents, DraftSentence, SourceMemo};

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
    /// The day a draft without a front matter `date` is dated (fixed by tests, and by
    /// `COPYDESK_TODAY`, [`CheckOptions::from_config`]). `None`: today by the clock, a guess
    /// at the draft's date, so `relative-date` findings on such a draft are info.
    pub today: Option<crate::claims::dates::Day>,
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
            today: None,
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
            today: CheckOptions::today_from_env(),
            ..defaults
        }
    }
}

impl CheckOptions {
    /// The day `COPYDESK_TODAY` (`YYYY-MM-DD`) fixes as today for a run (a reproducible lint);
    /// an unreadable value is ignored and the clock used.
    pub fn today_from_env() -> Option<crate::claims::dates::Day> {
        std::env::var("COPYDESK_TODAY").ok().and_then(|d| crate::claims::dates::Day::parse(&d))
    }
}

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
    let threads = std::thread::available_parallelism().map_or(1, usize::from).min(MAX_THREADS);
    check_on_threads(text, format, corpus, options, cache, threads)
}

/// [`check_with_cache`] on at most `threads` threads; the output is the same for any number.
fn check_on_threads(
    text: &str,
    format: Format,
    corpus: &Corpus,
    options: &CheckOptions,
    cache: Option<&SentenceCache>,
    threads: usize,
) -> (Report, Vec<String>) {
    let cache = cache.filter(|_| !options.trace);
    if let Some(cache) = cache {
        cache.bind(corpus, options);
    }
    let prose = Prose::new(text, format);
    if corpus.is_shared() {
        // A shared store fetches the statistics of the draft's terms in one round trip,
        // rather than one per term as the check first weighs each.
        let terms: Vec<String> = crate::words::tokens(&prose.masked, crate::position::Span::new(0, prose.masked.len())).into_iter().map(|t| t.term).collect();
        corpus.retrieval().prepare(&terms);
    }
    // Figures and quotations are read apart; a long draft reads them on two threads.
    let (mut quantities, quotations) = if prose.masked.len() >= PARALLEL_MIN_BYTES && threads > 1 {
        std::thread::scope(|scope| {
            let quotations = scope.spawn(|| crate::claims::quotations::extract(&prose));
            let quantities = crate::claims::figures::extract(&prose.masked);
            (quantities, quotations.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
        })
    } else {
        (crate::claims::figures::extract(&prose.masked), crate::claims::quotations::extract(&prose))
    };
    apply_extra_hedges(&prose.masked, &mut quantities, &options.extra_hedges);
    // Numbers inside a quotation are quote wording, checked with the quotation.
    let quoted = crate::claims::quotations::SpanCover::quoted(&quotations);
    quantities.retain(|q| !quoted.contains(q.span));
    let linked: HashSet<u32> = linked_documents(text, corpus);
    let mut linked_sorted: Vec<u32> = linked.iter().copied().collect();
    linked_sorted.sort_unstable();
    let mut by_sentence: Vec<Vec<&Quantity>> = vec![Vec::new(); prose.sentences.len()];
    for q in &quantities {
        if let Some(i) = prose.sentence_at(q.number_span.start) {
            by_sentence[i].push(q);
        }
    }
    // The draft's own date, against which it keeps a source's relative times: read only when
    // some source is dated (otherwise no relative time can be judged).
    let date = corpus.has_dates().then(|| draft_date(&prose, options));
    let draft = DraftView { text, prose: &prose, corpus, options, cache, linked: &linked, linked_sorted: &linked_sorted, date };
    // Each paragraph hashed once for the keys of all its quotations.
    let paragraph_hashes: Vec<std::sync::OnceLock<u64>> = if cache.is_some() { (0..prose.paragraphs.len()).map(|_| Default::default()).collect() } else { Vec::new() };
    let sentence_work: Vec<usize> = by_sentence.iter().map(Vec::len).collect();
    let (mut report, mut trace) = in_parts(threads, &sentence_work, |range| with_sentence_buffers(corpus, |scratch, memo| draft.check_sentences(&by_sentence, range, scratch, memo)));
    let quotation_work = vec![1; quotations.len()];
    let (quoted_report, quoted_trace) = in_parts(threads, &quotation_work, |range| {
        with_search_scratch(|scratch| draft.check_quotations(&quotations[range], &paragraph_hashes, scratch))
    });
    report.findings.extend(quoted_report.findings);
    report.checked.extend(quoted_report.checked);
    trace.extend(quoted_trace);
    absent::confirm(text, &prose.masked, corpus, &mut report, options.report_unsupported);
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

/// What every part of one check reads: the draft, the corpus and the knobs.
struct DraftView<'a> {
    text: &'a str,
    prose: &'a Prose,
    corpus: &'a Corpus,
    options: &'a CheckOptions,
    cache: Option<&'a SentenceCache>,
    linked: &'a HashSet<u32>,
    linked_sorted: &'a [u32],
    /// The draft's date, when some source is dated.
    date: Option<DraftDate>,
}

/// The draft's date: its front matter `date`, else the options' today, else the clock's.
fn draft_date(prose: &Prose, options: &CheckOptions) -> DraftDate {
    use crate::claims::dates::Day;
    if let Some(day) = prose.front_matter.date.as_deref().and_then(Day::parse) {
        return DraftDate { day, from: DateFrom::FrontMatter };
    }
    if let Some(day) = options.today {
        return DraftDate { day, from: DateFrom::Fixed };
    }
    let seconds = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    DraftDate { day: Day::from_epoch_days((seconds / 86_400) as i64), from: DateFrom::Clock }
}

impl DraftView<'_> {
    /// Checks the figures of the draft's sentences `range` (`by_sentence` holds each sentence's
    /// figures).
    fn check_sentences(&self, by_sentence: &[Vec<&Quantity>], range: std::ops::Range<usize>, scratch: &mut SearchScratch, source_memo: &mut SourceMemo) -> (Report, Vec<String>) {
        let DraftView { text, prose, corpus, options, cache, linked, linked_sorted, date } = *self;
        let mut report = Report::default();
        let mut trace = Vec::new();
        for sentence_index in range {
            let draft_quantities = &by_sentence[sentence_index];
            let sentence = prose.sentences[sentence_index];
            // A sentence with no figure but a period still dates a fact ("founded in 2020").
            // So does a relative time ("last year"), when a source's date can say what it meant;
            // and a multiple written as a verb ("sales doubled") states a derived figure.
            if draft_quantities.iter().all(|q| q.unit == Unit::Date)
                && !crate::claims::frame::names_period(&prose.masked, sentence.span)
                && !(date.is_some() && crate::claims::dates::names_relative(&prose.masked, sentence.span))
                && crate::claims::multiples::multiples(&prose.masked, sentence.span).is_empty()
            {
                continue;
            }
            // A short sentence ("It is expected to cost $250.") takes its subject from the
            // sentence before it in the paragraph.
            let previous = sentence_index
                .checked_sub(1)
                .map(|i| prose.sentences[i])
                .filter(|p| p.paragraph == sentence.paragraph)
                .map(|p| p.span);
            let paragraph = cited::with_link_targets(text, prose.paragraphs.get(sentence.paragraph).copied().unwrap_or(sentence.span));
            let key = cache.map(|_| sentence_key(text, &prose.masked, sentence.span, previous, paragraph, draft_quantities, linked_sorted, date));
            if let (Some(cache), Some(key)) = (cache, key) {
                if let Some(hit) = cache.get(key, sentence.span.start) {
                    report.findings.extend(hit.findings);
                    report.checked.extend(hit.checked);
                    continue;
                }
            }
            let mut part = Report::default();
            let mut draft = DraftSentence::new(&prose.masked, sentence.span, previous, draft_quantities, corpus);
            // The sentence's credits, read once for its citations and its figures' misattribution.
            let credits = draft.credits.get_or_init(|| crate::claims::credits::credits(&prose.masked, sentence.span)).clone();
            draft.citations = cited::Citations::read(text, prose, sentence_index, corpus, &credits);
            let candidates = candidates(corpus, &draft, linked, scratch, source_memo);
            judge_sentence(text, &draft, &candidates, corpus, options, &mut part, &mut trace);
            judge_multiples(text, &draft, &candidates, options, &mut part);
            judge_periods(text, &prose.masked, sentence.span, &draft, &candidates, &mut part, options.trace.then_some(&mut trace));
            if let Some(date) = date {
                judge_relative_times(text, &prose.masked, sentence.span, &draft, &candidates, date, &mut part, options.trace.then_some(&mut trace));
            }
            if let (Some(cache), Some(key)) = (cache, key) {
                cache.put(key, sentence.span.start, &part);
            }
            report.findings.extend(part.findings);
            report.checked.extend(part.checked);
        }
        (report, trace)
    }

    /// Checks `quotations` of the draft (`paragraph_hashes` holds each paragraph's hash once
    /// computed, when there is a cache).
    fn check_quotations(&self, quotations: &[crate::claims::quotations::Quotation], paragraph_hashes: &[std::sync::OnceLock<u64>], scratch: &mut SearchScratch) -> (Report, Vec<String>) {
        let DraftView { text, prose, corpus, cache, .. } = *self;
        let mut report = Report::default();
        for q in quotations {
            // A quotation's verdict depends on its paragraph and the one before (speakers):
            // reuse it while those are unchanged.
            let base = prose.paragraphs.get(q.paragraph).map_or(0, |p| p.start);
            let key = cache.map(|_| {
                let paragraph = match paragraph_hashes.get(q.paragraph) {
                    Some(slot) => *slot.get_or_init(|| paragraph_hash(text, prose, q.paragraph)),
                    None => paragraph_hash(text, prose, q.paragraph),
                };
                quotation_key(paragraph, prose, q)
            });
            if let (Some(cache), Some(key)) = (cache, key) {
                if let Some(hit) = cache.get(key, base) {
                    report.findings.extend(hit.findings);
                    report.checked.extend(hit.checked);
                    continue;
                }
            }
            let mut part = Report::default();
            quotations::check_quotes_with(text, prose, std::slice::from_ref(q), corpus, &mut part, scratch);
            if let (Some(cache), Some(key)) = (cache, key) {
                cache.put(key, base, &part);
            }
            report.findings.extend(part.findings);
            report.checked.extend(part.checked);
        }
        (report, Vec::new())
    }
}

/// Work items below which a check runs on the calling thread alone: spawning costs more than
/// an article's few hundred sentences take.
const PARALLEL_MIN_WORK: usize = 512;
/// Drafts from this size on read their figures and quotations on two threads.
const PARALLEL_MIN_BYTES: usize = 64 * 1024;
/// Threads a long draft's check is split over at most.
const MAX_THREADS: usize = 8;

/// Runs `check` over consecutive parts of the items whose work `work` gives, one part per
/// available core when the draft is long, and joins the results in item order, so the output
/// is the same however many threads ran.
fn in_parts<F>(threads: usize, work: &[usize], check: F) -> (Report, Vec<String>)
where
    F: Fn(std::ops::Range<usize>) -> (Report, Vec<String>) + Sync,
{
    let total: usize = work.iter().sum();
    if threads < 2 || total < PARALLEL_MIN_WORK {
        return check(0..work.len());
    }
    // Consecutive parts of about equal work.
    let mut parts = Vec::new();
    let (mut start, mut done) = (0, 0);
    for (i, w) in work.iter().enumerate() {
        done += w;
        if done * threads >= total * (parts.len() + 1) && parts.len() + 1 < threads {
            parts.push(start..i + 1);
            start = i + 1;
        }
    }
    parts.push(start..work.len());
    let check = &check;
    let mut results: Vec<(Report, Vec<String>)> = std::thread::scope(|scope| {
        let (first, rest) = parts.split_first().expect("at least one part");
        let handles: Vec<_> = rest.iter().map(|range| scope.spawn(move || check(range.clone()))).collect();
        let mut results = vec![check(first.clone())];
        for handle in handles {
            // A panic in a part is a bug: let it surface as it would on one thread.
            results.push(handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)));
        }
        results
    });
    let (mut report, mut trace) = results.remove(0);
    for (part, part_trace) in results {
        report.findings.extend(part.findings);
        report.checked.extend(part.checked);
        trace.extend(part_trace);
    }
    (report, trace)
}

/// Runs `f` with this thread's search buffers, kept across checks.
fn with_search_scratch<T>(f: impl FnOnce(&mut SearchScratch) -> T) -> T {
    // The search buffers hold a score per corpus sentence (a megabyte for a large corpus):
    // each thread keeps its own across checks rather than allocate them for every keystroke.
    thread_local! {
        static SCRATCH: std::cell::RefCell<SearchScratch> = std::cell::RefCell::new(SearchScratch::default());
    }
    let mut scratch = SCRATCH.with(|cell| cell.take());
    let out = f(&mut scratch);
    SCRATCH.with(|cell| cell.replace(scratch));
    out
}

/// Runs the sentence checks `f` with this thread's search buffers and source-sentence memo:
/// the source sentences the thread's last sentence checks used serve these (an editor checks
/// at each keystroke), and the rest are dropped.
fn with_sentence_buffers<T>(corpus: &Corpus, f: impl FnOnce(&mut SearchScratch, &mut SourceMemo) -> T) -> T {
    thread_local! {
        static SOURCES: std::cell::RefCell<SourceMemo> = std::cell::RefCell::new(SourceMemo::default());
    }
    let mut source_memo = SOURCES.with(|cell| cell.take());
    source_memo.begin_check(corpus);
    let out = with_search_scratch(|scratch| f(scratch, &mut source_memo));
    source_memo.end_check();
    SOURCES.with(|cell| cell.replace(source_memo));
    out
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

#[allow(clippy::too_many_arguments)]
fn sentence_key(text: &str, masked: &str, span: Span, previous: Option<Span>, paragraph: Span, quantities: &[&Quantity], linked: &[u32], date: Option<DraftDate>) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    span.slice(masked).hash(&mut hasher);
    // A link closing the paragraph cites the sentence too ([`cited`]).
    let paragraph_text = paragraph.slice(text);
    if paragraph_text.contains("http") {
        paragraph_text.split_whitespace().filter(|w| w.contains("http")).for_each(|w| w.hash(&mut hasher));
    }
    span.slice(text).hash(&mut hasher);
    previous.map(|p| p.slice(masked)).hash(&mut hasher);
    for q in quantities {
        (q.span.start.wrapping_sub(span.start), q.span.end.wrapping_sub(span.start), format!("{:?}", q.unit), q.bound).hash(&mut hasher);
    }
    linked.hash(&mut hasher);
    // The draft's date says what its relative times mean.
    date.hash(&mut hasher);
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A long draft is checked in parts on several threads; the findings, their order and the
    /// checked figures must be those of one thread.
    #[test]
    fn a_long_draft_checked_on_several_threads_reports_what_one_thread_reports() {
        let corpus = Corpus::builtin();
        let options = CheckOptions::default();
        let sample = include_str!("../../tests/fixtures/sample.md");
        let body = sample.splitn(3, "---").nth(2).expect("front matter");
        let draft = body.repeat(200);
        let (one, _) = check_on_threads(&draft, Format::Markdown, &corpus, &options, None, 1);
        assert!(one.checked.len() >= 2 * PARALLEL_MIN_WORK, "the draft should be long enough to split: {} figures checked", one.checked.len());
        for threads in [2, 3, 7] {
            let (many, _) = check_on_threads(&draft, Format::Markdown, &corpus, &options, None, threads);
            assert!(many == one, "{threads} threads: the report differs from one thread's");
        }
    }

    /// Regression (found by the LSP soak): the source sentences a check read stayed in a
    /// per-thread memo until 20,000 had gathered, each holding its whole document, so a
    /// language server grew by a quarter over 10,000 keystrokes whatever the document cache's
    /// bound. What a check used serves the next check; what that one did not use is dropped.
    #[test]
    fn source_sentences_outlive_only_the_check_after_the_one_that_used_them() {
        let corpus = Corpus::builtin();
        let options = CheckOptions::default();
        let held = |id: u32| std::sync::Arc::strong_count(&corpus.document(id).expect("a built-in document")) - 2;
        let sample = include_str!("../../tests/fixtures/sample.md");
        let (report, _) = check(sample, Format::Markdown, &corpus, &options);
        assert!(!report.checked.is_empty(), "the sample should retrieve source sentences");
        let ids = 0..corpus.documents.len() as u32;
        assert!(ids.clone().any(|id| held(id) > 0), "the memo should keep the sources for the next check");
        // A draft sharing no word with the sources: its check uses no source sentence.
        let unrelated = "Zorblat quux 300 wibbles.\n";
        check(unrelated, Format::Markdown, &corpus, &options);
        for id in ids {
            assert_eq!(held(id), 0, "document {id} is still held by sources two checks old");
        }
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
}
