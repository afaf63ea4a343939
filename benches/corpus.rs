//! Corpus benchmark: indexing throughput, time to lint a 2,000-word draft, and peak memory.
//!
//! `cargo bench --bench corpus` loads `../shared/corpora/ai_tech_news` plus `seeds/` (skipped
//! with a message when `../shared` is absent), then checks a 2,000-word draft built from the
//! dev drafts. It prints one line per figure and, with `--check`, exits non-zero when a target
//! is missed: indexing >= 40 MB/s, lint <= 20 ms, peak memory <= 3x the corpus size.

mod common;

use std::path::Path;
use std::time::Instant;

use copydesk::check::{check, CheckOptions};
use copydesk::corpus::Corpus;
use copydesk::prose::Format;

fn peak_rss_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

fn main() {
    let check_targets = std::env::args().any(|a| a == "--check");
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    let corpus_dir = shared.join("corpora/ai_tech_news");
    if !corpus_dir.is_dir() {
        println!("corpus benchmark skipped: {} not found", corpus_dir.display());
        return;
    }
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
    let paths = vec![corpus_dir, seeds];
    let mut best = f64::INFINITY;
    let mut corpus = None;
    for _ in 0..3 {
        drop(corpus.take());
        let start = Instant::now();
        let loaded = Corpus::load(&paths, None).expect("corpus loads");
        best = best.min(start.elapsed().as_secs_f64());
        corpus = Some(loaded);
    }
    let corpus = corpus.expect("loaded");
    let mb = corpus.bytes as f64 / 1e6;
    let throughput = mb / best;
    let text = common::draft(&shared.join("eval/dev"));
    let words = text.split_whitespace().count();
    let options = CheckOptions::default();
    let _ = check(&text, Format::Markdown, &corpus, &options); // warm the paragraph caches
    let runs: usize = std::env::var("COPYDESK_BENCH_LINT_RUNS").ok().and_then(|v| v.parse().ok()).unwrap_or(20);
    let mut times = Vec::new();
    for _ in 0..runs.max(1) {
        let start = Instant::now();
        let (report, _) = check(&text, Format::Markdown, &corpus, &options);
        times.push(start.elapsed().as_secs_f64() * 1000.0);
        std::hint::black_box(report);
    }
    times.sort_by(f64::total_cmp);
    let median = times[times.len() / 2];
    let peak = peak_rss_bytes().unwrap_or(0) as f64 / 1e6;
    println!("corpus: {} documents, {} sentences, {:.1} MB of text", corpus.documents.len(), corpus.index.sentence_count(), mb);
    println!("indexing: {best:.3} s, {throughput:.1} MB/s (target >= 40)");
    println!("lint: {words}-word draft in {median:.2} ms median of {} runs (target <= 20)", times.len());
    println!("peak memory: {peak:.0} MB, {:.2}x the corpus (target <= 3x)", peak / mb);
    if check_targets && (throughput < 40.0 || median > 20.0 || peak > 3.0 * mb) {
        eprintln!("corpus benchmark: a target is missed");
        std::process::exit(1);
    }
}
