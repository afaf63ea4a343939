//! Language-server benchmark: time from `initialize` to the first diagnostics, latency from a
//! one-character `didChange` to its `publishDiagnostics`, and memory over a long editing session.
//!
//! `cargo bench --bench lsp` starts the server in-process (`copydesk::lsp::serve`) on a runtime
//! of its own with two workers, as `copydesk lsp` does, and speaks JSON-RPC to it with
//! `Content-Length` framing over `tokio::io::duplex` pipes from a client on the main thread.
//! The corpus is `../shared/corpora/ai_tech_news` plus `seeds/` (skipped with a message when
//! `../shared` is absent), `debounceMs` is 0 so the debounce delay is excluded, and the draft is
//! 2,000 words built from the dev drafts' paragraphs, as in the corpus benchmark.
//!
//! It measures:
//! - the time from sending `initialize` to the first `publishDiagnostics` of the draft (opened
//!   right after `initialized`, so this includes indexing the corpus);
//! - 1,000 one-character edits (inserting or deleting a letter inside a prose word, at varying
//!   places), each sent after the previous edit's diagnostics arrived: the time from sending the
//!   `didChange` to receiving the `publishDiagnostics` of that version, p50 and p99;
//! - 10,000 further edits: resident memory (`VmRSS`, the server runs in this process) and open
//!   file descriptors after the first 100 and after all 10,000.
//!
//! Every `publishDiagnostics` of the draft is watched: a version older than one already
//! published is stale, and after the last edit (and a short wait for late messages) the last
//! published version must be the last edit's.
//!
//! It prints one line per figure and, with `--check`, exits non-zero when a target is missed
//! (p50 <= 10 ms, p99 <= 10 ms: the claim-frames issue's bar), resident memory after the last edit exceeds that after the
//! first 100 of the long run by more than 10%, open file descriptors grew over the long run, a
//! stale version was published, the last published version is not the last edit's, or the
//! server does not shut down cleanly.
//! `COPYDESK_BENCH_EDITS` and `COPYDESK_BENCH_LONG_EDITS` change the number of edits (defaults
//! 1,000 and 10,000); with `COPYDESK_BENCH_BURST=n` the long run sends n edits at a time and
//! waits only for the last one's diagnostics (default 1: every edit).

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

mod common;

use copydesk::lsp::{serve, ServerOptions};
use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader, DuplexStream};
use tokio::sync::{mpsc, Mutex};

const TIMEOUT: Duration = Duration::from_secs(120);


fn status_kb(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn rss_mb() -> f64 {
    status_kb("VmRSS:").unwrap_or(0) as f64 / 1024.0
}

fn open_fds() -> usize {
    std::fs::read_dir("/proc/self/fd").map(|d| d.count()).unwrap_or(0)
}

/// CPU time used by this process (all threads, server and client) in ms, from `/proc/self/stat`
/// (utime + stime, in USER_HZ = 100 ticks a second). A figure that contention inflates less than
/// wall-clock latency.
fn cpu_ms() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat.rsplit_once(')').map_or(Vec::new(), |(_, rest)| rest.split_whitespace().collect());
    // After the command name: state is field 3, utime 14 and stime 15 (1-based, in proc(5)).
    let ticks = |i: usize| fields.get(i - 3).and_then(|f| f.parse::<u64>().ok()).unwrap_or(0);
    (ticks(14) + ticks(15)) as f64 * 10.0
}

fn file_uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// A message from the server with the moment its frame was fully read.
struct Received {
    at: Instant,
    message: Value,
}

async fn write_message(writer: &Mutex<DuplexStream>, message: &Value) {
    let body = serde_json::to_string(message).unwrap();
    let framed = format!("Content-Length: {}\r\n\r\n{}", body.len(), body);
    let mut w = writer.lock().await;
    w.write_all(framed.as_bytes()).await.unwrap();
    w.flush().await.unwrap();
}

/// A minimal editor: frames messages, answers the server's requests with `null` at once, and
/// hands everything else to the benchmark.
struct Client {
    writer: Arc<Mutex<DuplexStream>>,
    rx: mpsc::UnboundedReceiver<Received>,
    next_id: i64,
    /// Every diagnostics version published for each document, in arrival order.
    published: std::collections::HashMap<String, Versions>,
}

/// The diagnostics versions published for one document.
#[derive(Debug, Default)]
struct Versions {
    count: usize,
    newest: Option<i64>,
    last: Option<i64>,
    /// Publications of a version older than one already published.
    stale: usize,
}

impl Versions {
    fn record(&mut self, version: Option<i64>) {
        self.count += 1;
        // An unversioned publish (a clear on close) says nothing about currency.
        let Some(version) = version else { return };
        if self.newest.is_some_and(|newest| version < newest) {
            self.stale += 1;
        }
        self.newest = self.newest.max(Some(version));
        self.last = Some(version);
    }
}

impl Client {
    fn start(runtime: &tokio::runtime::Runtime, options: ServerOptions) -> (Client, tokio::task::JoinHandle<bool>) {
        let (client_write, server_read) = tokio::io::duplex(1 << 20);
        let (server_write, client_read) = tokio::io::duplex(1 << 20);
        let server = runtime.spawn(serve(server_read, server_write, options));
        let writer = Arc::new(Mutex::new(client_write));
        let (tx, rx) = mpsc::unbounded_channel();
        let reply = writer.clone();
        tokio::spawn(async move {
            let mut reader = BufReader::new(client_read);
            let mut line = String::new();
            loop {
                let mut length = None;
                loop {
                    line.clear();
                    if reader.read_line(&mut line).await.unwrap_or(0) == 0 {
                        return;
                    }
                    let header = line.trim_end();
                    if header.is_empty() {
                        break;
                    }
                    let (name, value) = header.split_once(':').expect("header");
                    if name.eq_ignore_ascii_case("content-length") {
                        length = Some(value.trim().parse::<usize>().expect("length"));
                    }
                }
                let mut body = vec![0; length.expect("Content-Length header")];
                reader.read_exact(&mut body).await.unwrap();
                let at = Instant::now();
                let message: Value = serde_json::from_slice(&body).expect("JSON body");
                // Answer the server's requests (progress tokens, registrations) at once.
                if message.get("method").is_some() && message.get("id").is_some() {
                    write_message(&reply, &json!({"jsonrpc": "2.0", "id": message["id"], "result": null})).await;
                }
                if tx.send(Received { at, message }).is_err() {
                    return;
                }
            }
        });
        (Client { writer, rx, next_id: 1, published: Default::default() }, server)
    }

    async fn notify(&self, method: &str, params: Value) {
        write_message(&self.writer, &json!({"jsonrpc": "2.0", "method": method, "params": params})).await;
    }

    async fn send_request(&mut self, method: &str, params: Value) -> i64 {
        let id = self.next_id;
        self.next_id += 1;
        write_message(&self.writer, &json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params})).await;
        id
    }

    /// Records the versions of published diagnostics.
    fn observe(&mut self, message: &Value) {
        if message["method"] == "textDocument/publishDiagnostics" {
            let uri = message["params"]["uri"].as_str().unwrap_or_default().to_string();
            self.published.entry(uri).or_default().record(message["params"]["version"].as_i64());
        }
    }

    /// Waits for the first message satisfying `pred`, dropping the others (after noting the
    /// diagnostics versions they publish).
    async fn wait_for(&mut self, what: &str, mut pred: impl FnMut(&Value, Instant) -> bool) -> Received {
        let deadline = tokio::time::Instant::now() + TIMEOUT;
        loop {
            match tokio::time::timeout_at(deadline, self.rx.recv()).await {
                Ok(Some(received)) => {
                    self.observe(&received.message);
                    if pred(&received.message, received.at) {
                        return received;
                    }
                }
                Ok(None) => panic!("server closed the pipe while waiting for {what}"),
                Err(_) => panic!("timed out waiting for {what}"),
            }
        }
    }

    /// Notes whatever arrives within `time` (late diagnostics, for the currency check).
    async fn drain(&mut self, time: Duration) {
        let deadline = tokio::time::Instant::now() + time;
        while let Ok(Some(received)) = tokio::time::timeout_at(deadline, self.rx.recv()).await {
            self.observe(&received.message);
        }
    }

    async fn response(&mut self, id: i64, what: &str) -> Value {
        self.wait_for(what, |m, _| m.get("method").is_none() && m["id"] == json!(id)).await.message
    }

    /// Waits for the diagnostics of `uri` at `version`; returns when they arrived and how many.
    async fn diagnostics(&mut self, uri: &str, version: i64) -> (Instant, usize) {
        let received = self
            .wait_for(&format!("diagnostics for version {version}"), |m, _| {
                m["method"] == "textDocument/publishDiagnostics"
                    && m["params"]["uri"] == uri
                    && m["params"]["version"] == json!(version)
            })
            .await;
        let count = received.message["params"]["diagnostics"].as_array().map_or(0, |d| d.len());
        (received.at, count)
    }
}

/// xorshift64*: a fixed sequence of edits from run to run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Words left alone so the figures (and so the findings) stay what they were.
const KEEP: &[&str] = &[
    "percent", "percentage", "points", "billion", "million", "trillion", "thousand", "hundred", "dozen", "half",
    "quarter", "third", "times", "fold", "users", "year", "years", "month", "months", "week", "weeks", "days",
    "hours", "lower", "higher", "more", "less", "than", "about", "nearly", "almost", "around", "roughly", "over",
    "under", "least", "most", "only", "some", "estimated", "estimates", "according", "said", "says", "reported",
];

/// A one-character edit inside a prose word of `text`: (byte offset, bytes removed, text inserted).
/// Even steps insert a lowercase letter between two letters; odd steps delete a letter that has
/// letters on both sides. Words in link targets, code and `KEEP` are left alone.
fn pick_edit(text: &str, rng: &mut Rng, insert: bool) -> (usize, usize, String) {
    let bytes = text.as_bytes();
    let mut words = Vec::new(); // (start, end) byte ranges of ASCII-letter runs
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_alphabetic() {
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_alphabetic() {
                i += 1;
            }
            let before = start.checked_sub(1).map(|j| bytes[j]);
            let after = bytes.get(i).copied();
            let prose_before = before.is_none_or(|b| b == b' ' || b == b'\n' || b == b'"' || b == b'(');
            let prose_after = after.is_none_or(|b| b" \n,.;:!?\")'".contains(&b));
            let word = &text[start..i];
            if i - start >= 4 && prose_before && prose_after && !KEEP.contains(&word.to_ascii_lowercase().as_str()) {
                words.push((start, i));
            }
        } else {
            i += 1;
        }
    }
    assert!(!words.is_empty(), "the draft has prose words");
    let (start, end) = words[rng.below(words.len())];
    // Inside the word: an insertion between letters 1..len-1, a deletion of letters 1..len-2.
    let len = end - start;
    if insert {
        let at = start + 1 + rng.below(len - 1);
        let letter = (b'a' + rng.below(26) as u8) as char;
        (at, 0, letter.to_string())
    } else {
        let at = start + 1 + rng.below(len - 2);
        (at, 1, String::new())
    }
}

/// The LSP position (UTF-16 columns) of a byte offset.
fn position(text: &str, offset: usize) -> Value {
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line = text[..line_start].matches('\n').count();
    let character = text[line_start..offset].encode_utf16().count();
    json!({"line": line, "character": character})
}

/// Applies one random one-character edit to `text` and sends it as version `version`.
async fn edit(client: &Client, uri: &str, text: &mut String, rng: &mut Rng, version: i64) -> Instant {
    let (at, removed, inserted) = pick_edit(text, rng, version % 2 == 0);
    let range = json!({"start": position(text, at), "end": position(text, at + removed)});
    text.replace_range(at..at + removed, &inserted);
    let params = json!({
        "textDocument": {"uri": uri, "version": version},
        "contentChanges": [{"range": range, "text": inserted}],
    });
    let sent = Instant::now();
    client.notify("textDocument/didChange", params).await;
    sent
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn main() {
    let check_targets = std::env::args().any(|a| a == "--check");
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let shared = manifest.join("../shared");
    let corpus_dir = shared.join("corpora/ai_tech_news");
    if !corpus_dir.is_dir() {
        println!("lsp benchmark skipped: {} not found", corpus_dir.display());
        return;
    }
    let corpus_dir = std::fs::canonicalize(&corpus_dir).expect("corpus path");
    let seeds = std::fs::canonicalize(manifest.join("seeds")).expect("seeds path");
    let corpus_paths: Vec<std::path::PathBuf> = match std::env::var("COPYDESK_BENCH_CORPUS") {
        Ok(list) => list.split(':').filter(|p| !p.is_empty()).map(std::path::PathBuf::from).collect(),
        Err(_) => vec![corpus_dir, seeds],
    };
    // The index is built before the server starts (by `copydesk index`, in a process of its
    // own so its memory is not counted here), so start-up is measured with a warm index, as an
    // editor finds it after the first session.
    let index_dir = tempfile::tempdir().expect("index folder");
    let built = Instant::now();
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_copydesk"));
    command.args(["index", "--no-config", "--index-dir"]).arg(index_dir.path());
    for path in &corpus_paths {
        command.arg("--corpus").arg(path);
    }
    let output = command.output().expect("copydesk index runs");
    assert!(output.status.success(), "copydesk index failed: {}", String::from_utf8_lossy(&output.stderr));
    let summary = String::from_utf8_lossy(&output.stdout);
    // "indexed: N documents, N passages, X MB of text in ..."
    let corpus_mb: f64 = summary
        .split(", ")
        .find_map(|part| part.strip_suffix(" MB of text").or_else(|| part.split(" MB of text").next().filter(|_| part.contains(" MB of text"))))
        .and_then(|mb| mb.trim().parse().ok())
        .unwrap_or(0.0);
    println!("corpus: {} (index built in {:.2} s)", summary.lines().next().unwrap_or("").trim(), built.elapsed().as_secs_f64());
    let text = common::draft(&shared.join("eval/dev"));
    let words = text.split_whitespace().count();
    let edits = env_usize("COPYDESK_BENCH_EDITS", 1000).max(1);
    let long_edits = env_usize("COPYDESK_BENCH_LONG_EDITS", 10_000);
    let burst = env_usize("COPYDESK_BENCH_BURST", 1).max(1);

    // The server gets two workers, as `copydesk lsp` does; the client runs on this thread.
    let server_runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let client_runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let failed = client_runtime.block_on(async {
        let rss_start = rss_mb();
        let options = ServerOptions { index_dir: Some(index_dir.path().to_path_buf()), ..ServerOptions::default() };
        let (mut client, server) = Client::start(&server_runtime, options);
        let root = std::env::temp_dir().join("copydesk-lsp-bench");
        let uri = file_uri(&root.join("draft.md"));
        let init = json!({
            "processId": null,
            "rootUri": file_uri(&root),
            "capabilities": {
                "general": {"positionEncodings": ["utf-16"]},
                "textDocument": {
                    "definition": {"linkSupport": true},
                    "publishDiagnostics": {"relatedInformation": true},
                },
                "workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true, "relativePatternSupport": true}},
                "window": {"workDoneProgress": true},
            },
            "initializationOptions": {
                "corpus": corpus_paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>(),
                "debounceMs": 0,
            },
        });

        // initialize -> first diagnostics.
        let started = Instant::now();
        let id = client.send_request("initialize", init).await;
        let response = client.response(id, "initialize").await;
        assert!(response.get("error").is_none(), "initialize failed: {response}");
        let initialized = started.elapsed();
        client.notify("initialized", json!({})).await;
        client
            .notify(
                "textDocument/didOpen",
                json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}}),
            )
            .await;
        // The server logs "corpus ready" once indexed; the draft's first check follows.
        let mut ready = None;
        let first_message = client
            .wait_for("diagnostics for version 1", |m, at| {
                if m["method"] == "window/logMessage" && m["params"]["message"].as_str().is_some_and(|t| t.starts_with("corpus ready")) {
                    ready.get_or_insert(at);
                }
                m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri.as_str() && m["params"]["version"] == json!(1)
            })
            .await;
        let first = first_message.at - started;
        let first_count = first_message.message["params"]["diagnostics"].as_array().map_or(0, |d| d.len());
        let indexed = ready.map(|at| at - started);
        let rss_ready = rss_mb();
        let fds_ready = open_fds();

        // One-character edits, each waiting for its diagnostics.
        let mut text = text.clone();
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        let mut version = 1;
        let mut latencies = Vec::with_capacity(edits);
        let mut counts = (usize::MAX, 0);
        let cpu_before = cpu_ms();
        for _ in 0..edits {
            version += 1;
            let sent = edit(&client, &uri, &mut text, &mut rng, version).await;
            let (at, count) = client.diagnostics(&uri, version).await;
            latencies.push((at - sent).as_secs_f64() * 1000.0);
            counts = (counts.0.min(count), counts.1.max(count));
        }
        let cpu_per_edit = (cpu_ms() - cpu_before) / edits as f64;
        latencies.sort_by(f64::total_cmp);
        let p50 = percentile(&latencies, 50.0);
        let p99 = percentile(&latencies, 99.0);
        let max = latencies[latencies.len() - 1];
        let mean = latencies.iter().sum::<f64>() / latencies.len() as f64;

        // A long session: memory and descriptors after 100 and after all the edits.
        let long_started = Instant::now();
        let mut after_100 = None;
        // Resident memory after every 1,000 edits: a level line, or a climb.
        let mut samples: Vec<f64> = Vec::new();
        let mut sent = 0;
        while sent < long_edits {
            let n = burst.min(long_edits - sent);
            for _ in 0..n {
                version += 1;
                edit(&client, &uri, &mut text, &mut rng, version).await;
            }
            sent += n;
            client.diagnostics(&uri, version).await;
            if after_100.is_none() && sent >= 100.min(long_edits) {
                after_100 = Some((rss_mb(), open_fds()));
            }
            if sent / 1000 > samples.len() {
                samples.push(rss_mb());
            }
        }
        let long_time = long_started.elapsed().as_secs_f64();
        let (rss_100, fds_100) = after_100.unwrap_or((rss_mb(), open_fds()));
        let rss_end = rss_mb();
        let fds_end = open_fds();
        let peak = status_kb("VmHWM:").unwrap_or(0) as f64 / 1024.0;
        // A stale publish would arrive after the newest: give it time to show up.
        client.drain(Duration::from_millis(500)).await;
        let versions = client.published.remove(uri.as_str()).unwrap_or_default();
        let rss_growth = (rss_end - rss_100) / rss_100.max(1.0) * 100.0;
        let soak_ok = rss_end <= rss_100 * 1.10 && fds_end <= fds_100;
        let versions_ok = versions.stale == 0 && versions.last == Some(version);

        let id = client.send_request("shutdown", Value::Null).await;
        client.response(id, "shutdown").await;
        client.notify("exit", Value::Null).await;
        let clean = tokio::time::timeout(TIMEOUT, server).await.map(|r| r.unwrap_or(false)).unwrap_or(false);

        println!("draft: {words} words, {} diagnostics at open ({}-{} while editing)", first_count, counts.0, counts.1);
        println!(
            "initialize to first diagnostics: {:.0} ms (initialize answered in {:.1} ms, corpus indexed at {})",
            first.as_secs_f64() * 1000.0,
            initialized.as_secs_f64() * 1000.0,
            indexed.map_or("?".to_string(), |d| format!("{:.0} ms", d.as_secs_f64() * 1000.0)),
        );
        println!(
            "didChange to publishDiagnostics over {edits} one-character edits: p50 {p50:.2} ms (target <= 10), p99 {p99:.2} ms (target <= 10), mean {mean:.2} ms, max {max:.2} ms"
        );
        println!("CPU time per edit: {cpu_per_edit:.2} ms (the whole process: server and client)");
        println!(
            "memory: RSS {rss_start:.0} MB before start, {rss_ready:.0} MB at first diagnostics, {rss_100:.0} MB after 100 further edits, {rss_end:.0} MB after {long_edits} ({long_time:.1} s, {:.2} ms/edit, burst {burst}); peak {peak:.0} MB",
            long_time * 1000.0 / long_edits.max(1) as f64
        );
        println!("resident memory after the last edit: {rss_end:.0} MB, {:.2}x the {corpus_mb:.1} MB corpus", rss_end / corpus_mb.max(0.1));
        let samples: Vec<String> = samples.iter().map(|mb| format!("{mb:.0}")).collect();
        println!("memory every 1,000 edits of the long run (MB): {}", samples.join(", "));
        println!("open file descriptors: {fds_ready} at first diagnostics, {fds_100} after 100 edits, {fds_end} after {long_edits}");
        println!(
            "soak: RSS {rss_growth:+.1}% from after 100 edits to after {long_edits} (target <= +10%), file descriptors {fds_100} -> {fds_end} (target: no growth){}",
            if soak_ok { "" } else { ": MISSED" }
        );
        println!(
            "diagnostics versions: {} publications for the draft, {} stale (older than one already published), last published {} for last edit {version}{}",
            versions.count,
            versions.stale,
            versions.last.map_or("none".to_string(), |v| v.to_string()),
            if versions_ok { "" } else { ": NOT CURRENT" }
        );
        println!("shutdown: {}", if clean { "clean" } else { "NOT clean" });
        p50 > 10.0 || p99 > 10.0 || !clean || !soak_ok || !versions_ok
    });
    server_runtime.shutdown_timeout(Duration::from_millis(100));
    if check_targets && failed {
        eprintln!("lsp benchmark: a target is missed");
        std::process::exit(1);
    }
}
