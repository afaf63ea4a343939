//! Corpus benchmark: building the on-disk index, refreshing it after one article changed, and
//! linting a 2,000-word draft against the warm index, with the lint process's peak memory.
//!
//! `cargo bench --bench corpus` indexes `../shared/corpora/ai_tech_news` plus `seeds/` (skipped
//! with a message when `../shared` is absent) into a temporary index directory, then:
//! - full build: the best of three builds from scratch, in MB of source text per second (the
//!   disk's flush time varies on a shared machine);
//! - refresh: one article (a copy of a corpus article in a folder of its own, inside the
//!   corpus roots) is changed and the index refreshed, as `copydesk index` and `lint` do (walk
//!   and stat every file, re-read the one that changed, write a small segment) and as the
//!   server does when its file watcher reports the change (no walk); the median of five each;
//! - warm lint: this benchmark runs itself again as a separate process that opens the warm
//!   index and checks the 2,000-word draft built from the dev drafts twenty times (median), and
//!   reports its own peak resident memory, so the build's memory is not counted.
//!
//! `COPYDESK_BENCH_CORPUS` (paths separated by `:`) benchmarks another corpus, such as the 10x
//! corpus from `scripts/make-scaled-corpus`. With `--check` it exits non-zero when a target is
//! missed: build >= 40 MB/s, refresh of a watched change <= 100 ms, lint <= 20 ms, peak memory <= 3x the corpus.

mod common;

use std::path::{Path, PathBuf};
use std::time::Instant;

use copydesk::check::{check, CheckOptions};
use copydesk::corpus::store::{self, Sources};
use copydesk::corpus::Limits;
use copydesk::prose::Format;

const PHASE: &str = "COPYDESK_BENCH_PHASE";

fn peak_rss_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn main() {
    let check_targets = std::env::args().any(|a| a == "--check");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let shared = root.join("../shared");
    let mut paths: Vec<PathBuf> = match std::env::var("COPYDESK_BENCH_CORPUS") {
        Ok(list) => list.split(':').filter(|p| !p.is_empty()).map(PathBuf::from).collect(),
        Err(_) => vec![shared.join("corpora/ai_tech_news"), root.join("seeds")],
    };
    if let Some(missing) = paths.iter().find(|p| !p.exists()) {
        println!("corpus benchmark skipped: {} not found", missing.display());
        return;
    }
    if let Ok(index_dir) = std::env::var(PHASE) {
        warm_lint(Path::new(&index_dir), &paths, &shared, check_targets);
        return;
    }
    let work = tempfile::tempdir().expect("temporary folder");
    // The article the refresh changes: a copy of a real one, inside the roots.
    let changing = work.path().join("changing");
    std::fs::create_dir(&changing).expect("folder");
    let sample = store_sample(&paths).expect("a corpus article to copy");
    let article = changing.join("article.txt");
    std::fs::write(&article, &sample).expect("article");
    paths.push(changing.clone());

    let limits = Limits::default();
    let mut build = f64::INFINITY;
    let mut stats = None;
    for round in 0..3 {
        let dir = work.path().join(format!("index-{round}"));
        let start = Instant::now();
        let (corpus, refresh) = store::open(&dir, Sources::Paths(&paths), &limits, None).expect("index builds");
        build = build.min(start.elapsed().as_secs_f64());
        stats = Some((corpus.live_count(), corpus.index.sentence_count(), corpus.bytes, refresh.index_bytes));
    }
    let (documents, sentences, bytes, index_bytes) = stats.expect("built");
    let mb = bytes as f64 / 1e6;
    let index_dir = work.path().join("index-2");
    let mut refreshes = Vec::new();
    for round in 0..5 {
        std::fs::write(&article, format!("{sample}\n\nUpdate {round}: the figure was revised to {} percent.\n", 10 + round)).expect("article");
        let start = Instant::now();
        let (_, refresh) = store::open(&index_dir, Sources::Paths(&paths), &limits, None).expect("index refreshes");
        refreshes.push(start.elapsed().as_secs_f64() * 1000.0);
        assert_eq!((refresh.changed, refresh.full), (1, false), "{refresh:?}");
    }
    let refresh = median(refreshes);
    // As the language server refreshes when its file watcher reports the change: no walk.
    let mut watched = Vec::new();
    for round in 0..5 {
        std::fs::write(&article, format!("{sample}\n\nCorrection {round}: the figure was revised to {} percent.\n", 20 + round)).expect("article");
        let start = Instant::now();
        let (_, refresh) = store::open_after_changes(&index_dir, Sources::Paths(&paths), &limits, std::slice::from_ref(&article)).expect("index refreshes");
        watched.push(start.elapsed().as_secs_f64() * 1000.0);
        assert_eq!((refresh.changed, refresh.full), (1, false), "{refresh:?}");
    }
    let watched = median(watched);
    println!("corpus: {documents} documents, {sentences} sentences, {mb:.1} MB of text; index {:.1} MB", index_bytes as f64 / 1e6);
    println!("full build: {build:.3} s, {:.1} MB/s (target >= 40)", mb / build);
    println!("refresh after one changed article: {refresh:.1} ms walking the corpus (copydesk index, lint), {watched:.1} ms for a watched change (the server); median of 5 (target <= 100)");
    let mut missed = (mb / build) < 40.0 || watched > 100.0;

    let status = std::process::Command::new(std::env::current_exe().expect("this benchmark"))
        .args(std::env::args().skip(1))
        .env(PHASE, &index_dir)
        .env("COPYDESK_BENCH_CORPUS", paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(":"))
        .status()
        .expect("the warm phase runs");
    missed |= !status.success();
    if check_targets && missed {
        eprintln!("corpus benchmark: a target is missed");
        std::process::exit(1);
    }
}

/// The text of the first corpus article, for the article the refresh changes.
fn store_sample(paths: &[PathBuf]) -> Option<String> {
    let listing = copydesk::corpus::list_files(paths, &Limits::default()).ok()?;
    listing.files.iter().find_map(|f| std::fs::read_to_string(&f.path).ok().filter(|t| t.len() > 2000))
}

/// In a process of its own: open the warm index, lint the draft, report time and peak memory.
fn warm_lint(index_dir: &Path, paths: &[PathBuf], shared: &Path, check_targets: bool) {
    let start = Instant::now();
    let (corpus, refresh) = store::open(index_dir, Sources::Paths(paths), &Limits::default(), None).expect("warm index opens");
    let open_ms = start.elapsed().as_secs_f64() * 1000.0;
    assert!(!refresh.wrote, "the index was warm: {refresh:?}");
    let text = common::draft(&shared.join("eval/dev"));
    let words = text.split_whitespace().count();
    let options = CheckOptions::default();
    let start = Instant::now();
    let _ = check(&text, Format::Markdown, &corpus, &options);
    let first_ms = start.elapsed().as_secs_f64() * 1000.0;
    let runs: usize = std::env::var("COPYDESK_BENCH_LINT_RUNS").ok().and_then(|v| v.parse().ok()).unwrap_or(20);
    let mut times = Vec::new();
    for _ in 0..runs.max(1) {
        let start = Instant::now();
        let (report, _) = check(&text, Format::Markdown, &corpus, &options);
        times.push(start.elapsed().as_secs_f64() * 1000.0);
        std::hint::black_box(report);
    }
    let lint = median(times);
    let mb = corpus.bytes as f64 / 1e6;
    let peak = peak_rss_bytes().unwrap_or(0) as f64 / 1e6;
    println!("warm open: {open_ms:.0} ms (walk and stat every source, map the index)");
    println!("lint: {words}-word draft in {lint:.2} ms median of {runs} runs, {first_ms:.1} ms the first (reads its source documents) (target <= 20)");
    println!("peak memory of the lint process: {peak:.0} MB, {:.2}x the corpus (target <= 3x)", peak / mb);
    if check_targets && (lint > 20.0 || peak > 3.0 * mb) {
        std::process::exit(1);
    }
}
