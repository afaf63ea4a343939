//! The language server, in process over `copydesk::lsp::serve` with duplex pipes and real
//! `Content-Length` framing, fed a fuzzed session: `didOpen`, `didChange` (full and incremental,
//! with ranges inside, past the end of a line or the document, reversed, and inside a
//! character), `didClose`, `hover`, `definition` and `codeAction`, on a few documents.
//!
//! Asserts that the server never dies or hangs (every request gets a response without error,
//! `shutdown` is answered and `exit` ends the server cleanly) and that each buffer the server
//! holds equals the text the edits produce. The expected text is computed here by the
//! protocol's rules: lines end at `\n`, `\r\n` or `\r`; a column counts UTF-16 code units (or
//! bytes, when UTF-8 is negotiated) and one past the end of its line means the line's end; a
//! line past the last means the end of the document; a column inside a character means that
//! character's start; a reversed range is read start-to-end. The server's text is read with its
//! test-only `copydesk/test/document` request.
//!
//! One single-threaded Tokio runtime serves every iteration; each iteration is a whole session
//! against the built-in seeds, with `debounceMs` 0 and the server's logging at error level.

#![no_main]

use std::sync::OnceLock;
use std::time::Duration;

use copydesk::lsp::{serve, Level, ServerOptions, DOCUMENT_REQUEST};
use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;
use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader, DuplexStream};
use tokio::sync::mpsc;

/// How long any answer may take before the server counts as hung.
const TIMEOUT: Duration = Duration::from_secs(30);
const MAX_OPS: usize = 24;
const MAX_CHANGES: usize = 8;
const MAX_TEXT: usize = 2048;
const URIS: [(&str, &str); 3] =
    [("file:///fuzz/a.md", "markdown"), ("file:///fuzz/b.txt", "plaintext"), ("untitled:Untitled-1", "markdown")];

/// Pieces that make news-like drafts (and line-ending and encoding edge cases) likely.
const PIECES: &[&str] = &[
    "Micron will pay NT$1.8 billion for Powerchip's P5 fab site.",
    "Globally, use of Chinese-developed open models has surged from just 1.2 percent late last year to 30 percent in August.",
    "One American entrepreneur said their business saves US$4 million annually by using Alibaba's models.",
    "\"We wouldn't be able to do it,\" he said. \"If Alibaba stopped,\" Barton said.",
    "nearly ", "30", " percent", "%", "US$", "400,000", "1.8", " billion", " to ", " ", "\n", "\r\n", "\r", "\n\n",
    "\"", "“", "”", "’", "😀", "阿里巴巴", "é", "<!--", "-->", "`", "```\n", "| a | 30% |\n", "# ", "- ", "> ",
    "[a](http://x.com/30%)", "half", "more than ", "about ", "lower", "---\n", "title: x\n", "…", ".", ",",
    "<!-- copydesk-disable-next-line -->\n", "\u{feff}", "\t",
];

#[derive(Arbitrary, Debug)]
enum Text {
    Raw(String),
    Pieces(Vec<u8>),
}

impl Text {
    fn build(&self) -> String {
        let mut out = match self {
            Text::Raw(s) => s.clone(),
            Text::Pieces(indices) => indices.iter().map(|&i| PIECES[i as usize % PIECES.len()]).collect(),
        };
        if out.len() > MAX_TEXT {
            let mut cut = MAX_TEXT;
            while !out.is_char_boundary(cut) {
                cut -= 1;
            }
            out.truncate(cut);
        }
        out
    }
}

/// A position, realised against the expected text when sent: mostly near real lines and
/// columns (including one or two past the end, and inside characters), sometimes huge.
#[derive(Arbitrary, Debug, Clone, Copy)]
struct Pos {
    line: u8,
    character: u8,
}

#[derive(Arbitrary, Debug)]
enum Change {
    Full(Text),
    Range { start: Pos, end: Pos, text: Text },
}

#[derive(Arbitrary, Debug)]
enum Op {
    Open { doc: u8, text: Text },
    Change { doc: u8, stale: bool, changes: Vec<Change> },
    Close { doc: u8 },
    Hover { doc: u8, at: Pos },
    Definition { doc: u8, at: Pos },
    CodeAction { doc: u8, start: Pos, end: Pos },
}

#[derive(Arbitrary, Debug)]
struct Session {
    utf8: bool,
    ops: Vec<Op>,
}

// ---------------------------------------------------------------------------------------------
// The expected text: the protocol's position rules, written independently of the server's.
// ---------------------------------------------------------------------------------------------

/// Lines as (start, end of content) byte offsets; a line break is `\n`, `\r\n` or `\r`.
fn lines(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => {
                out.push((start, i));
                start = i + 1;
            }
            b'\r' => {
                out.push((start, i));
                if bytes.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    out.push((start, bytes.len()));
    out
}

fn width(ch: char, utf8: bool) -> usize {
    if utf8 {
        ch.len_utf8()
    } else {
        ch.len_utf16()
    }
}

/// The byte offset a protocol position addresses.
fn offset(text: &str, line: u32, character: u32, utf8: bool) -> usize {
    let lines = lines(text);
    let Some(&(start, end)) = lines.get(line as usize) else { return text.len() };
    let mut units = 0usize;
    for (i, ch) in text[start..end].char_indices() {
        if units >= character as usize {
            return start + i;
        }
        units += width(ch, utf8);
        if units > character as usize {
            return start + i; // inside a character: its start
        }
    }
    end
}

/// The protocol position for `pos` against `text`.
fn realise(text: &str, pos: Pos, utf8: bool) -> (u32, u32) {
    if pos.line == u8::MAX {
        return (u32::MAX, pos.character as u32);
    }
    if pos.character == u8::MAX {
        return (pos.line as u32 % 4, u32::MAX);
    }
    let lines = lines(text);
    let line = pos.line as usize % (lines.len() + 2);
    let character = match lines.get(line) {
        Some(&(start, end)) => {
            let units: usize = text[start..end].chars().map(|c| width(c, utf8)).sum();
            pos.character as usize % (units + 3)
        }
        None => pos.character as usize,
    };
    (line as u32, character as u32)
}

fn position_json((line, character): (u32, u32)) -> Value {
    json!({"line": line, "character": character})
}

/// A buffer as the client sees it.
#[derive(Clone)]
struct Buffer {
    version: i32,
    text: String,
}

// ---------------------------------------------------------------------------------------------
// The client.
// ---------------------------------------------------------------------------------------------

struct Client {
    writer: DuplexStream,
    rx: mpsc::UnboundedReceiver<Value>,
    next_id: i64,
}

impl Client {
    async fn send(&mut self, message: Value) {
        let body = serde_json::to_string(&message).expect("JSON");
        let framed = format!("Content-Length: {}\r\n\r\n{}", body.len(), body);
        self.writer.write_all(framed.as_bytes()).await.expect("the server stopped reading");
        self.writer.flush().await.expect("flush");
    }

    async fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params})).await;
    }

    /// Waits for a message satisfying `pred`, answering the server's requests with `null`.
    async fn wait_for(&mut self, what: &str, pred: impl Fn(&Value) -> bool) -> Value {
        let deadline = tokio::time::Instant::now() + TIMEOUT;
        loop {
            let message = match tokio::time::timeout_at(deadline, self.rx.recv()).await {
                Ok(Some(message)) => message,
                Ok(None) => panic!("the server closed its output while the client waited for {what}"),
                Err(_) => panic!("the server did not send {what} within {TIMEOUT:?}"),
            };
            if message["method"] == "window/logMessage" || message["method"] == "window/showMessage" {
                let text = message["params"]["message"].as_str().unwrap_or_default();
                assert!(!text.contains("panicked"), "the server logged a panic: {text}");
            }
            if message.get("method").is_some() && message.get("id").is_some() {
                let id = message["id"].clone();
                self.send(json!({"jsonrpc": "2.0", "id": id, "result": null})).await;
            }
            if pred(&message) {
                return message;
            }
        }
    }

    /// Sends a request and returns its result; an error response fails the run.
    async fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params})).await;
        let response = self
            .wait_for(&format!("a response to {method}"), |m| m.get("method").is_none() && m["id"] == json!(id))
            .await;
        assert!(response.get("error").is_none(), "{method} failed: {response}");
        response["result"].clone()
    }
}

/// Reads the server's framed messages into `tx` until the pipe closes.
async fn reader(stream: DuplexStream, tx: mpsc::UnboundedSender<Value>) {
    let mut reader = BufReader::new(stream);
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
            let (name, value) = header.split_once(':').expect("a header line");
            if name.eq_ignore_ascii_case("content-length") {
                length = Some(value.trim().parse::<usize>().expect("a Content-Length"));
            }
        }
        let mut body = vec![0; length.expect("a Content-Length header")];
        reader.read_exact(&mut body).await.expect("a whole body");
        let message: Value = serde_json::from_slice(&body).expect("a JSON body");
        if tx.send(message).is_err() {
            return;
        }
    }
}

fn options() -> ServerOptions {
    static SEED_CACHE: OnceLock<std::path::PathBuf> = OnceLock::new();
    // The built-in seeds are written here (once: the same contents are left alone) so
    // definitions can point at them; never to the user's cache.
    let cache = SEED_CACHE.get_or_init(|| {
        let dir = std::env::temp_dir().join("copydesk-fuzz-seeds");
        std::fs::create_dir_all(&dir).expect("seed cache");
        dir
    });
    ServerOptions { log_level: Level::Error, seed_cache: Some(cache.clone()), document_request: true, ..ServerOptions::default() }
}

async fn run(session: Session) {
    let (client_write, server_read) = tokio::io::duplex(1 << 16);
    let (server_write, client_read) = tokio::io::duplex(1 << 16);
    let server = tokio::spawn(serve(server_read, server_write, options()));
    let (tx, rx) = mpsc::unbounded_channel();
    tokio::spawn(reader(client_read, tx));
    let mut client = Client { writer: client_write, rx, next_id: 1 };
    let utf8 = session.utf8;
    let encodings = if utf8 { json!(["utf-8", "utf-16"]) } else { json!(["utf-16"]) };
    let init = json!({
        "processId": null,
        "rootUri": null,
        "capabilities": {"general": {"positionEncodings": encodings}, "textDocument": {"definition": {"linkSupport": true}}},
        "initializationOptions": {"copydesk": {"debounceMs": 0}},
    });
    let result = client.request("initialize", init).await;
    let negotiated = result["capabilities"]["positionEncoding"].as_str().unwrap_or_default().to_string();
    assert_eq!(negotiated, if utf8 { "utf-8" } else { "utf-16" });
    client.notify("initialized", json!({})).await;

    // Diagnostics for a probe buffer mean the corpus is loaded, so requests do real work.
    let probe = "file:///fuzz/probe.md";
    client
        .notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": probe, "languageId": "markdown", "version": 1, "text": PIECES[0]}}),
        )
        .await;
    client
        .wait_for("the probe's diagnostics", |m| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == probe && m["params"]["version"] == 1
        })
        .await;
    client.notify("textDocument/didClose", json!({"textDocument": {"uri": probe}})).await;

    let mut buffers: [Option<Buffer>; 3] = [None, None, None];
    for op in session.ops.iter().take(MAX_OPS) {
        match op {
            Op::Open { doc, text } => {
                let index = *doc as usize % URIS.len();
                let (uri, language) = URIS[index];
                let text = text.build();
                // Reopening a buffer replaces it, as the server does.
                let version = buffers[index].as_ref().map_or(1, |b| b.version + 1);
                client
                    .notify(
                        "textDocument/didOpen",
                        json!({"textDocument": {"uri": uri, "languageId": language, "version": version, "text": text}}),
                    )
                    .await;
                buffers[index] = Some(Buffer { version, text });
            }
            Op::Change { doc, stale, changes } => {
                let index = *doc as usize % URIS.len();
                let uri = URIS[index].0;
                // Edits to a buffer that is not open are sent (and must be ignored).
                let mut text = buffers[index].as_ref().map(|b| b.text.clone()).unwrap_or_default();
                let current = buffers[index].as_ref().map_or(0, |b| b.version);
                let version = if *stale { current - 1 } else { current + 1 };
                let mut events = Vec::new();
                for change in changes.iter().take(MAX_CHANGES) {
                    match change {
                        Change::Full(new) => {
                            text = new.build();
                            events.push(json!({"text": text}));
                        }
                        Change::Range { start, end, text: new } => {
                            let start = realise(&text, *start, utf8);
                            let end = realise(&text, *end, utf8);
                            let new = new.build();
                            let a = offset(&text, start.0, start.1, utf8);
                            let b = offset(&text, end.0, end.1, utf8);
                            let (a, b) = (a.min(b), a.max(b));
                            events.push(json!({
                                "range": {"start": position_json(start), "end": position_json(end)},
                                "text": new,
                            }));
                            text.replace_range(a..b, &new);
                        }
                    }
                }
                client
                    .notify(
                        "textDocument/didChange",
                        json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": events}),
                    )
                    .await;
                if let Some(buffer) = &mut buffers[index] {
                    *buffer = Buffer { version, text };
                }
            }
            Op::Close { doc } => {
                let index = *doc as usize % URIS.len();
                client.notify("textDocument/didClose", json!({"textDocument": {"uri": URIS[index].0}})).await;
                buffers[index] = None;
            }
            Op::Hover { doc, at } | Op::Definition { doc, at } => {
                let index = *doc as usize % URIS.len();
                let text = buffers[index].as_ref().map(|b| b.text.as_str()).unwrap_or_default();
                let method = if matches!(op, Op::Hover { .. }) { "textDocument/hover" } else { "textDocument/definition" };
                let params = json!({"textDocument": {"uri": URIS[index].0}, "position": position_json(realise(text, *at, utf8))});
                client.request(method, params).await;
            }
            Op::CodeAction { doc, start, end } => {
                let index = *doc as usize % URIS.len();
                let text = buffers[index].as_ref().map(|b| b.text.as_str()).unwrap_or_default();
                let range = json!({"start": position_json(realise(text, *start, utf8)), "end": position_json(realise(text, *end, utf8))});
                let params = json!({"textDocument": {"uri": URIS[index].0}, "range": range, "context": {"diagnostics": []}});
                client.request("textDocument/codeAction", params).await;
            }
        }
    }

    // The server's buffers are exactly the client's.
    for (index, buffer) in buffers.iter().enumerate() {
        let held = client.request(DOCUMENT_REQUEST, json!({"uri": URIS[index].0})).await;
        match buffer {
            Some(buffer) => {
                assert_eq!(held["text"].as_str(), Some(buffer.text.as_str()), "{}: the server's text differs", URIS[index].0);
                assert_eq!(held["version"], json!(buffer.version), "{}: the server's version differs", URIS[index].0);
            }
            None => assert_eq!(held, Value::Null, "{}: the server holds a buffer the client closed", URIS[index].0),
        }
    }

    assert_eq!(client.request("shutdown", Value::Null).await, Value::Null);
    client.notify("exit", Value::Null).await;
    let clean = tokio::time::timeout(TIMEOUT, server).await.expect("the server exits after `exit`").expect("the server task");
    assert!(clean, "shutdown then exit is a clean stop");
}

fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime"))
}

fuzz_target!(|session: Session| {
    runtime().block_on(run(session));
});
