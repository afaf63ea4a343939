//! Shared-store benchmark (issue 17): the corpus served from PostgreSQL.
//!
//! `cargo bench --bench store` starts a throwaway PostgreSQL 15 primary on loopback
//! (`tests/postgres/cluster.sh`, port 56601 unless `PG_BASE_PORT` says otherwise; skipped with
//! a message without `../shared` or PostgreSQL), and measures:
//! - publishing seeds + part of `../shared/corpora/ai_tech_news` (technologyreview, theguardian,
//!   theatlantic, vox; all of it with `COPYDESK_BENCH_FULL=1`): MB of text per second;
//! - linting the 2,000-word draft (the one the corpus benchmark checks): `copydesk lint` as a
//!   process, via the store and via the embedded index of the same documents (built first),
//!   median of 5 runs each, whose JSON must be the same (the target compares these); and in
//!   this process, the first check after opening the store and then warm (median of 5)
//!   against the same documents embedded in memory (median of 5);
//! - 50 concurrent simulated language servers (threads), each with its own connection pool
//!   and sentence cache over the store, each making 20 one-character edits of the draft at a
//!   writer's pace (one per debounce interval of the language server, 150 ms, each server
//!   starting at its own moment within it) and re-checking it: per-edit latency p50 and p99.
//!   `COPYDESK_BENCH_PACE_MS=0` sends the edits back to back instead (a stress figure: 50
//!   checks always competing for the cores);
//! - the peak resident memory of `copydesk lint --corpus postgresql://...` on the draft (a
//!   process of its own);
//! - the peak resident memory of `copydesk lsp` on the store over a session: the draft
//!   opened, then 100 edits.
//!
//! It prints one line per figure with its target beside it. With `--check` it exits non-zero
//! when `copydesk lint` via the store is not within 3x of embedded, the per-edit p99 is over
//! 50 ms or the lint's peak memory is over 40 MB (CI runs it so).

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
    let check_targets = std::env::args().any(|a| a == "--check");
    let mut missed: Vec<String> = Vec::new();
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
    let cluster = Cluster { dir: String::from_utf8_lossy(&out.stdout).trim().to_string() };
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

    // `copydesk lint` as a user runs it, each way.
    let work = std::env::temp_dir().join(format!("copydesk-store-bench-{}", std::process::id()));
    std::fs::create_dir_all(&work).expect("a temporary folder");
    let draft_file = work.join("draft.md");
    std::fs::write(&draft_file, draft.as_bytes()).expect("draft");
    let index_dir = work.join("index");
    let mut corpus_args: Vec<String> = Vec::new();
    for path in &paths {
        corpus_args.push("--corpus".into());
        corpus_args.push(path.display().to_string());
    }
    let run = |args: &[String]| -> (f64, Vec<u8>) {
        let start = Instant::now();
        let out = Command::new(env!("CARGO_BIN_EXE_copydesk")).arg("lint").arg("--format").arg("json").args(args).arg(&draft_file).output().expect("copydesk runs");
        assert!(matches!(out.status.code(), Some(0 | 1)), "copydesk lint failed: {}", String::from_utf8_lossy(&out.stderr));
        (start.elapsed().as_secs_f64() * 1000.0, out.stdout)
    };
    let mut embedded_args = corpus_args.clone();
    embedded_args.extend(["--index-dir".to_string(), index_dir.display().to_string()]);
    let (_, embedded_json) = run(&embedded_args);
    let store_args = vec!["--corpus".to_string(), url.clone()];
    let (_, store_json) = run(&store_args);
    assert!(embedded_json == store_json, "copydesk lint must print the same JSON via the store and the embedded index");
    let embedded_process = median((0..5).map(|_| run(&embedded_args).0).collect());
    let store_process = median((0..5).map(|_| run(&store_args).0).collect());
    println!(
        "copydesk lint of the 2,000-word draft (a process, median of 5): embedded index {embedded_process:.0} ms, PostgreSQL {store_process:.0} ms: {:.1}x (target within 3x)",
        store_process / embedded_process
    );
    if store_process > 3.0 * embedded_process {
        missed.push(format!("lint via the store {:.1}x embedded (target within 3x)", store_process / embedded_process));
    }
    let _ = std::fs::remove_dir_all(&work);
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
        "in this process: the first check after opening the store {cold_ms:.1} ms ({open_ms:.0} ms to open), warm {warm_ms:.1} ms (searches cached); embedded in memory, warm {embedded_ms:.1} ms ({:.1}x)",
        warm_ms / embedded_ms
    );

    // 50 servers, each with its own pool, corpus and cache, editing at once.
    let servers: usize = std::env::var("COPYDESK_BENCH_SERVERS").ok().and_then(|s| s.parse().ok()).unwrap_or(50);
    let pace_ms: u64 = std::env::var("COPYDESK_BENCH_PACE_MS").ok().and_then(|s| s.parse().ok()).unwrap_or(150);
    let edits = 20;
    // The servers open and check the draft first, then all start editing together (the
    // editing, not fifty servers starting at one instant, is what is measured).
    let opened = Arc::new(std::sync::Barrier::new(servers));
    let draft = Arc::new(draft);
    let handles: Vec<_> = (0..servers)
        .map(|server| {
            let (url, draft, options, opened) = (url.clone(), draft.clone(), options.clone(), opened.clone());
            std::thread::spawn(move || {
                let corpus = postgres::open(&url).expect("opens");
                let cache = SentenceCache::new();
                check_with_cache(&draft, Format::Markdown, &corpus, &options, Some(&cache));
                let mut text = draft.to_string();
                let mut latencies = Vec::new();
                opened.wait();
                let began = Instant::now();
                // Each server's edits fall on its own beat: one per `pace_ms`, offset by its number.
                let offset = pace_ms * server as u64 / servers.max(1) as u64;
                let mut due = offset;
                for edit in 0..edits {
                    let now = began.elapsed().as_millis() as u64;
                    if due > now {
                        std::thread::sleep(std::time::Duration::from_millis(due - now));
                    }
                    due = due.max(now) + pace_ms;
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
    let p99 = percentile(latencies.clone(), 0.99);
    if p99 > 50.0 && pace_ms > 0 {
        missed.push(format!("per-edit p99 {p99:.1} ms (target <= 50)"));
    }
    println!(
        "{servers} concurrent servers x {edits} edits, one per {pace_ms} ms each: per-edit p50 {:.1} ms, p99 {:.1} ms (target p99 <= 50)",
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
    if peak_kb as f64 / 1024.0 > 40.0 {
        missed.push(format!("peak memory {:.1} MB (target <= 40)", peak_kb as f64 / 1024.0));
    }
    let server_kb = server_memory(&url, &draft);
    println!(
        "memory of copydesk lsp via the store (the draft opened, then 100 edits each checked): peak {:.1} MB for a {mb:.1} MB corpus (target <= 40)",
        server_kb as f64 / 1024.0
    );
    // Not enforced: a server's peak holds the check's own working set and its sentence cache
    // (the same over either store) besides the store's bounded caches; see the README.
    // Stopped before exiting: `exit` runs no destructor.
    drop(cluster);
    if check_targets && !missed.is_empty() {
        eprintln!("store benchmark: targets missed: {}", missed.join("; "));
        std::process::exit(1);
    }
}

/// A language server's peak resident memory (`VmHWM`, kB) over a session on the store: the
/// draft opened, then 100 one-letter edits, each waited for until its diagnostics arrive.
fn server_memory(url: &str, draft: &str) -> u64 {
    use std::io::{BufRead, BufReader, Read, Write};
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_copydesk")).arg("lsp").stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::null()).spawn().expect("copydesk lsp runs");
    let mut stdin = child.stdin.take().expect("stdin");
    let (tx, rx) = std::sync::mpsc::channel::<serde_json::Value>();
    let stdout = child.stdout.take().expect("stdout");
    std::thread::spawn(move || {
        let mut reader = BufReader::new(stdout);
        loop {
            let mut length = 0usize;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 {
                    return;
                }
                let line = line.trim();
                if line.is_empty() {
                    break;
                }
                if let Some(n) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = n.trim().parse().unwrap_or(0);
                }
            }
            let mut body = vec![0; length];
            if reader.read_exact(&mut body).is_err() {
                return;
            }
            if let Ok(message) = serde_json::from_slice(&body) {
                if tx.send(message).is_err() {
                    return;
                }
            }
        }
    });
    let mut send = |message: serde_json::Value| {
        let body = message.to_string();
        write!(stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).and_then(|_| stdin.flush()).expect("the server reads");
    };
    let uri = "file:///tmp/copydesk-store-bench-draft.md";
    let wait_for = |want: &dyn Fn(&serde_json::Value) -> bool| loop {
        let message = rx.recv_timeout(std::time::Duration::from_secs(60)).expect("the server answers");
        if want(&message) {
            return;
        }
    };
    send(serde_json::json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "processId": null, "rootUri": null, "capabilities": {},
        "initializationOptions": {"copydesk": {"corpus": url, "debounceMs": 0}}}}));
    wait_for(&|m| m["id"] == 1);
    send(serde_json::json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}));
    send(serde_json::json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
        "textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": draft}}}));
    let published = |version: i64| move |m: &serde_json::Value| m["method"] == "textDocument/publishDiagnostics" && m["params"]["version"] == version;
    wait_for(&published(1));
    let mut text = draft.to_string();
    for edit in 0..100i64 {
        // A letter at the start of a word, at a place of its own per edit.
        let words: Vec<usize> = text.match_indices(' ').map(|(i, _)| i + 1).collect();
        let at = words[(edit as usize * 37) % words.len()];
        text.insert(at, 'x');
        send(serde_json::json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": {"uri": uri, "version": edit + 2}, "contentChanges": [{"text": text}]}}));
        wait_for(&published(edit + 2));
    }
    let peak = std::fs::read_to_string(format!("/proc/{}/status", child.id()))
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| l.split_whitespace().nth(1)?.parse().ok()))
        .unwrap_or(0);
    send(serde_json::json!({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}));
    wait_for(&|m| m["id"] == 2);
    send(serde_json::json!({"jsonrpc": "2.0", "method": "exit"}));
    let _ = child.wait();
    peak
}
