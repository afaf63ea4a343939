//! Shared-store benchmark (issue 17): the corpus served from PostgreSQL.
//!
//! `cargo bench --bench store` starts a throwaway PostgreSQL 15 primary on loopback
//! (`tests/postgres/cluster.sh`, port 56601 unless `PG_BASE_PORT` says otherwise; skipped with
//! a message without `../shared` or PostgreSQL), and measures:
//! - publishing seeds + part of `../shared/corpora/ai_tech_news` (technologyreview, theguardian,
//!   theatlantic, vox; all of it with `COPYDESK_BENCH_FULL=1`): MB of text per second;
//! - linting the 2,000-word draft (the one the corpus benchmark checks) through the store,
//!   the first check after opening it and then warm (median of 5), against the same documents
//!   embedded in memory (median of 5); the JSON of both must be the same;
//! - 50 concurrent simulated language servers (threads), each with its own connection pool
//!   and sentence cache over the store, each making 20 one-character edits of the draft and
//!   re-checking it: per-edit latency p50 and p99;
//! - the peak resident memory of `copydesk lint --corpus postgresql://...` on the draft (a
//!   process of its own).
//!
//! It prints one line per figure; targets (within 3x of embedded, p99 <= 50 ms, <= 40 MB) are
//! printed beside them, not enforced: the figures depend on how busy the machine is.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::Instant;

use copydesk::check::{check, check_with_cache, CheckOptions, SentenceCache};
use copydesk::corpus::{postgres, Corpus, Limits};
use copydesk::prose::Format;

/// The cluster, stopped when dropped.
struct Cluster {
    dir: String,
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = Command::new("bash").arg("-c").arg(format!(". tests/postgres/cluster.sh; PG_DIR={}; pg_cleanup", self.dir)).status();
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn percentile(mut v: Vec<f64>, p: f64) -> f64 {
    v.sort_by(f64::total_cmp);
    v[((v.len() as f64 * p).ceil() as usize).clamp(1, v.len()) - 1]
}

fn main() {
    let shared = Path::new("../shared");
    if !shared.join("corpora/ai_tech_news").is_dir() || !Path::new("/usr/lib/postgresql/15/bin/initdb").exists() {
        println!("store benchmark skipped: ../shared or PostgreSQL 15 is not here");
        return;
    }
    let port = std::env::var("PG_BASE_PORT").unwrap_or_else(|_| "56601".into());
    let out = Command::new("bash")
        .arg("-c")
        .arg(format!("set -e; PG_BASE_PORT={port}; . tests/postgres/cluster.sh; pg_start >&2; echo $PG_DIR"))
        .output()
        .expect("bash runs");
    assert!(out.status.success(), "the cluster did not start: {}", String::from_utf8_lossy(&out.stderr));
    let _cluster = Cluster { dir: String::from_utf8_lossy(&out.stdout).trim().to_string() };
    let url = format!("postgresql://copydesk@127.0.0.1:{port}/postgres");

    let news = shared.join("corpora/ai_tech_news");
    let mut paths = vec![PathBuf::from("seeds")];
    if std::env::var_os("COPYDESK_BENCH_FULL").is_some() {
        paths.push(news.clone());
    } else {
        for folder in ["technologyreview", "theguardian", "theatlantic", "vox"] {
            paths.push(news.join(folder));
        }
    }
    let start = Instant::now();
    let published = postgres::publish(&url, &paths, &Limits::default(), None).expect("publishes");
    let seconds = start.elapsed().as_secs_f64();
    let mb = published.bytes as f64 / 1e6;
    println!("publish: {} documents, {} passages, {mb:.1} MB of text in {seconds:.1} s: {:.2} MB/s", published.documents, published.sentences, mb / seconds);

    let draft = common::draft(&shared.join("eval/dev"));
    let options = CheckOptions::default();
    let embedded = Corpus::load(&paths, None).expect("loads");
    let (expected, _) = check(&draft, Format::Markdown, &embedded, &options);
    let mut times = Vec::new();
    for _ in 0..5 {
        let start = Instant::now();
        check(&draft, Format::Markdown, &embedded, &options);
        times.push(start.elapsed().as_secs_f64() * 1000.0);
    }
    let embedded_ms = median(times);
    let start = Instant::now();
    let store = postgres::open(&url).expect("opens");
    let open_ms = start.elapsed().as_secs_f64() * 1000.0;
    let start = Instant::now();
    let (report, _) = check(&draft, Format::Markdown, &store, &options);
    let cold_ms = start.elapsed().as_secs_f64() * 1000.0;
    assert_eq!(format!("{:?}", report.findings), format!("{:?}", expected.findings), "the store must find what the embedded index finds");
    let mut times = Vec::new();
    for _ in 0..5 {
        let start = Instant::now();
        check(&draft, Format::Markdown, &store, &options);
        times.push(start.elapsed().as_secs_f64() * 1000.0);
    }
    let warm_ms = median(times);
    println!(
        "lint of the 2,000-word draft: embedded {embedded_ms:.1} ms; PostgreSQL {cold_ms:.1} ms first ({open_ms:.0} ms to open), {warm_ms:.1} ms warm ({:.1}x embedded cold, {:.1}x warm; target within 3x)",
        cold_ms / embedded_ms,
        warm_ms / embedded_ms
    );

    // 50 servers, each with its own pool, corpus and cache, editing at once.
    let servers: usize = std::env::var("COPYDESK_BENCH_SERVERS").ok().and_then(|s| s.parse().ok()).unwrap_or(50);
    let edits = 20;
    let draft = Arc::new(draft);
    let handles: Vec<_> = (0..servers)
        .map(|server| {
            let (url, draft, options) = (url.clone(), draft.clone(), options.clone());
            std::thread::spawn(move || {
                let corpus = postgres::open(&url).expect("opens");
                let cache = SentenceCache::new();
                check_with_cache(&draft, Format::Markdown, &corpus, &options, Some(&cache));
                let mut text = draft.to_string();
                let mut latencies = Vec::new();
                for edit in 0..edits {
                    // A letter inserted in a prose word, at a place of its own per server and edit.
                    let words: Vec<usize> = text.match_indices(" the ").map(|(i, _)| i + 2).collect();
                    let at = words[(server * 7 + edit * 13) % words.len()];
                    text.insert(at, 'x');
                    let start = Instant::now();
                    check_with_cache(&text, Format::Markdown, &corpus, &options, Some(&cache));
                    latencies.push(start.elapsed().as_secs_f64() * 1000.0);
                    if corpus.take_unavailable().is_some() {
                        latencies.push(f64::INFINITY);
                    }
                }
                latencies
            })
        })
        .collect();
    let latencies: Vec<f64> = handles.into_iter().flat_map(|h| h.join().expect("a server thread")).collect();
    println!(
        "{servers} concurrent servers x {edits} edits: per-edit p50 {:.1} ms, p99 {:.1} ms (target p99 <= 50)",
        percentile(latencies.clone(), 0.5),
        percentile(latencies, 0.99)
    );

    // The memory of a process checking through the store.
    let draft_file = std::env::temp_dir().join(format!("copydesk-store-bench-{}.md", std::process::id()));
    std::fs::write(&draft_file, draft.as_bytes()).expect("draft");
    let mut child = Command::new(env!("CARGO_BIN_EXE_copydesk"))
        .args(["lint", "--format", "json", "--corpus", &url])
        .arg(&draft_file)
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("copydesk runs");
    // The child's own high-water mark, read until it exits: the rusage of a child counts the
    // pages it shared with this (large) process between fork and exec.
    let status_path = format!("/proc/{}/status", child.id());
    let mut peak_kb = 0u64;
    let code = loop {
        if let Some(kb) = std::fs::read_to_string(&status_path)
            .ok()
            .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| l.split_whitespace().nth(1)?.parse().ok()))
        {
            peak_kb = peak_kb.max(kb);
        }
        if let Some(status) = child.try_wait().expect("waits") {
            break status.code().unwrap_or(-1);
        }
        std::thread::sleep(std::time::Duration::from_millis(2));
    };
    let _ = std::fs::remove_file(&draft_file);
    println!(
        "memory of copydesk lint via the store (exit {}): peak {:.1} MB for a {mb:.1} MB corpus (target <= 40)",
        code,
        peak_kb as f64 / 1024.0
    );
}
