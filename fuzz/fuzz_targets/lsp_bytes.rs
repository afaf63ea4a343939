//! The language server's input as raw bytes: whatever a broken or hostile client writes to the
//! server's stdin, framing and JSON alike, in process over `copydesk::lsp::serve` with duplex
//! pipes.
//!
//! The first byte chooses whether a proper `initialize` comes first (so the fuzzed messages
//! reach the handlers) or the fuzzed bytes are the very first thing the server reads. Then the
//! rest of the input is written as is.
//!
//! Asserts that the server never dies, hangs or writes anything but well-formed JSON-RPC 2.0
//! frames, and that it still serves afterwards: once the bytes needed to finish whatever frame
//! the input left open are sent (the framer's own `filler`), a `shutdown` request is answered
//! and `exit` ends the server. An `exit` among the fuzzed messages (or in the frame the filler
//! finishes) ends it earlier, as it must.
//! Inputs that leave an oversized frame open (more than 1 MB to fill) only check that the
//! server ends at end of input.

#![no_main]

use std::sync::OnceLock;
use std::time::Duration;

use copydesk::lsp::framing::{Event, Framer};
use copydesk::lsp::transport::check_message;
use copydesk::lsp::{serve, Level, ServerOptions};
use libfuzzer_sys::fuzz_target;
use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader, DuplexStream};
use tokio::sync::mpsc;

/// How long any answer may take before the server counts as hung.
const TIMEOUT: Duration = Duration::from_secs(30);
/// The most filler sent to close a frame the input left open.
const MAX_FILLER: usize = 1 << 20;
/// The id of the closing `shutdown`; a string no fuzzed request is likely to use.
const END_ID: &str = "copydesk-fuzz-end";

fn options() -> ServerOptions {
    static SEED_CACHE: OnceLock<std::path::PathBuf> = OnceLock::new();
    let cache = SEED_CACHE.get_or_init(|| {
        let dir = std::env::temp_dir().join("copydesk-fuzz-seeds");
        std::fs::create_dir_all(&dir).expect("seed cache");
        dir
    });
    ServerOptions { log_level: Level::Error, seed_cache: Some(cache.clone()), ..ServerOptions::default() }
}

fn frame(message: &Value) -> Vec<u8> {
    let body = message.to_string();
    format!("Content-Length: {}\r\n\r\n{}", body.len(), body).into_bytes()
}

/// Reads the server's frames into `tx` until the pipe closes; anything but a well-formed
/// JSON-RPC 2.0 frame fails the run.
async fn reader(stream: DuplexStream, tx: mpsc::UnboundedSender<Value>) {
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    loop {
        let mut length = None;
        loop {
            line.clear();
            if reader.read_line(&mut line).await.expect("the server's output") == 0 {
                assert!(length.is_none(), "the server's output ended inside a header");
                return;
            }
            let header = line.strip_suffix("\r\n").expect("header lines end in CRLF");
            if header.is_empty() {
                break;
            }
            let (name, value) = header.split_once(": ").expect("a header line");
            assert_eq!(name, "Content-Length", "the only header the server writes");
            length = Some(value.parse::<usize>().expect("a Content-Length"));
        }
        let mut body = vec![0; length.expect("a Content-Length header")];
        reader.read_exact(&mut body).await.expect("a whole body");
        let message: Value = serde_json::from_slice(&body).expect("a JSON body");
        assert_eq!(message["jsonrpc"], "2.0", "{message}");
        if let Some(error) = message.get("error") {
            assert!(error["code"].is_i64() && error["message"].is_string(), "{message}");
        }
        let _ = tx.send(message);
    }
}

/// How the server reads `bytes`: whether it stops at an `exit` among them, what is left to send
/// to finish the frame they leave open (None when that is more than [`MAX_FILLER`]), and
/// whether the frame the filler finishes is an `exit`.
fn read_as_the_server_does(bytes: &[u8]) -> (bool, Option<Vec<u8>>, bool) {
    let mut framer = Framer::default();
    let is_exit = |event: Event| match event {
        Event::Frame(body) if check_message(&body).is_ok() => {
            serde_json::from_slice::<Value>(&body).is_ok_and(|message| message["method"] == "exit")
        }
        _ => false,
    };
    framer.push(bytes);
    let mut exits = false;
    while let Some(event) = framer.next() {
        exits |= is_exit(event);
    }
    let mut filler = Vec::new();
    let mut filler_exits = false;
    loop {
        let Some(more) = framer.filler(MAX_FILLER - filler.len()) else {
            return (exits, None, false);
        };
        if more.is_empty() {
            break;
        }
        framer.push(&more);
        filler.extend_from_slice(&more);
        while let Some(event) = framer.next() {
            filler_exits |= is_exit(event);
        }
    }
    (exits, Some(filler), filler_exits)
}

async fn run(data: &[u8]) {
    let Some((&mode, bytes)) = data.split_first() else { return };
    let (mut client, server_read) = tokio::io::duplex(1 << 16);
    let (server_write, client_read) = tokio::io::duplex(1 << 16);
    let mut server = tokio::spawn(serve(server_read, server_write, options()));
    let (tx, mut rx) = mpsc::unbounded_channel();
    let output = tokio::spawn(reader(client_read, tx));

    let mut prologue = Vec::new();
    if mode & 1 == 1 {
        let init = json!({"processId": null, "rootUri": null, "capabilities": {},
            "initializationOptions": {"copydesk": {"debounceMs": 0}}});
        prologue.extend(frame(&json!({"jsonrpc": "2.0", "id": "copydesk-fuzz-init", "method": "initialize", "params": init})));
        prologue.extend(frame(&json!({"jsonrpc": "2.0", "method": "initialized", "params": {}})));
    }
    let (exits, filler, filler_exits) = read_as_the_server_does(&[&prologue[..], bytes].concat());
    // Written from a task of its own: a server that stops reading must not block the harness.
    let fuzzed = bytes.to_vec();
    let writer = tokio::spawn(async move {
        client.write_all(&prologue).await?;
        client.write_all(&fuzzed).await?;
        Ok::<_, std::io::Error>(client)
    });
    if exits {
        tokio::time::timeout(TIMEOUT, &mut server).await.expect("`exit` ends the server").expect("the server task");
        return;
    }
    let mut client = tokio::time::timeout(TIMEOUT, writer)
        .await
        .expect("the server reads its input")
        .expect("the writer task")
        .expect("the server's input is open");
    if let Some(filler) = filler {
        client.write_all(&filler).await.expect("the server reads its input");
        if filler_exits {
            // The frame the input left open was an `exit`.
            tokio::time::timeout(TIMEOUT, &mut server).await.expect("`exit` ends the server").expect("the server task");
            return;
        }
        client.write_all(&frame(&json!({"jsonrpc": "2.0", "id": END_ID, "method": "shutdown"}))).await.expect("write");
        let answered = tokio::time::timeout(TIMEOUT, async {
            while let Some(message) = rx.recv().await {
                if message["id"] == END_ID && message.get("method").is_none() {
                    return true;
                }
            }
            false
        })
        .await
        .expect("the server still answers after the fuzzed bytes");
        assert!(answered, "the server's output ended before it answered `shutdown`");
        client.write_all(&frame(&json!({"jsonrpc": "2.0", "method": "exit"}))).await.expect("write");
    }
    drop(client);
    tokio::time::timeout(TIMEOUT, &mut server).await.expect("the server ends").expect("the server task");
    tokio::time::timeout(TIMEOUT, output).await.expect("the output ends").expect("the output is well-formed");
}

fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime"))
}

fuzz_target!(|data: &[u8]| {
    runtime().block_on(run(data));
});
