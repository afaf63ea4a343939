//! End-to-end tests of `copydesk lsp`: a client speaks JSON-RPC with `Content-Length` framing
//! to the server over an in-process `tokio::io::duplex` pipe, exactly as an editor would over
//! stdio. The corpus is the repository's `seeds/` (or a copy of one seed in a temp dir).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use copydesk::lsp::{serve, ServerOptions};

mod support;
use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader, DuplexStream};
use tokio::sync::{mpsc, Mutex};

const TIMEOUT: Duration = Duration::from_secs(20);

const DRAFT: &str = "Micron will pay NT$1.8 billion for Powerchip's P5 fab site.\n\nJefferies estimates Chinese tech giants' combined capital expenditures from 2023 to 2025 were 28 percent lower than those of their US peers.\n";

const SEED_000: &str = "seeds/000_7fed2c55703098c4.txt";
const SEED_002: &str = "seeds/002_db7a498f618b8102.txt";

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn file_uri(path: &Path) -> String {
    let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    format!("file://{}", path.display())
}

/// A test editor.
struct Client {
    writer: Arc<Mutex<DuplexStream>>,
    rx: mpsc::UnboundedReceiver<Value>,
    /// Every message the server sent, in order.
    log: Vec<Value>,
    next_id: i64,
    server: tokio::task::JoinHandle<bool>,
    _dirs: Vec<tempfile::TempDir>,
}

async fn write_message(writer: &Mutex<DuplexStream>, message: &Value) {
    let body = serde_json::to_string(message).unwrap();
    let framed = format!("Content-Length: {}\r\n\r\n{}", body.len(), body);
    let mut w = writer.lock().await;
    w.write_all(framed.as_bytes()).await.unwrap();
    w.flush().await.unwrap();
}

impl Client {
    /// Starts a server and runs `initialize`/`initialized`. Returns the initialize result.
    async fn start(options: ServerOptions, init: Value) -> (Client, Value) {
        let (client_write, server_read) = tokio::io::duplex(1 << 20);
        let (server_write, client_read) = tokio::io::duplex(1 << 20);
        let server = tokio::spawn(serve(server_read, server_write, options));
        let writer = Arc::new(Mutex::new(client_write));
        let (tx, rx) = mpsc::unbounded_channel();
        let reply = writer.clone();
        tokio::spawn(async move {
            let mut reader = BufReader::new(client_read);
            loop {
                let mut length = None;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).await.unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    let (name, value) = line.split_once(':').expect("header");
                    if name.eq_ignore_ascii_case("content-length") {
                        length = Some(value.trim().parse::<usize>().expect("length"));
                    }
                }
                let mut body = vec![0; length.expect("Content-Length header")];
                reader.read_exact(&mut body).await.unwrap();
                let message: Value = serde_json::from_slice(&body).expect("JSON body");
                // Answer the server's requests (progress tokens, registrations) at once.
                if message.get("method").is_some() && message.get("id").is_some() {
                    write_message(&reply, &json!({"jsonrpc": "2.0", "id": message["id"], "result": null})).await;
                }
                if tx.send(message).is_err() {
                    return;
                }
            }
        });
        let mut client = Client { writer, rx, log: Vec::new(), next_id: 1, server, _dirs: Vec::new() };
        let response = client.request("initialize", init).await;
        client.notify("initialized", json!({})).await;
        (client, response["result"].clone())
    }

    async fn notify(&mut self, method: &str, params: Value) {
        write_message(&self.writer, &json!({"jsonrpc": "2.0", "method": method, "params": params})).await;
    }

    /// Sends a request and returns its response (the whole message).
    async fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        write_message(&self.writer, &json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params})).await;
        let from = self.log.len();
        self.wait_for(from, &format!("response to {method}"), |m| m.get("method").is_none() && m["id"] == json!(id))
            .await
    }

    async fn result(&mut self, method: &str, params: Value) -> Value {
        let response = self.request(method, params).await;
        assert!(response.get("error").is_none(), "{method} failed: {response}");
        response["result"].clone()
    }

    /// The index of the next message to arrive, for `wait_for`.
    fn mark(&self) -> usize {
        self.log.len()
    }

    /// Waits for a message at index `from` or later that satisfies `pred`.
    async fn wait_for(&mut self, from: usize, what: &str, pred: impl Fn(&Value) -> bool) -> Value {
        let deadline = tokio::time::Instant::now() + TIMEOUT;
        let mut checked = from;
        loop {
            while checked < self.log.len() {
                if pred(&self.log[checked]) {
                    return self.log[checked].clone();
                }
                checked += 1;
            }
            match tokio::time::timeout_at(deadline, self.rx.recv()).await {
                Ok(Some(message)) => self.log.push(message),
                Ok(None) => panic!("server closed the pipe while waiting for {what}"),
                Err(_) => panic!("timed out waiting for {what}; got {:#?}", self.log),
            }
        }
    }

    /// Receives whatever arrives within `time`.
    async fn drain(&mut self, time: Duration) {
        let deadline = tokio::time::Instant::now() + time;
        while let Ok(Some(message)) = tokio::time::timeout_at(deadline, self.rx.recv()).await {
            self.log.push(message);
        }
    }

    /// Waits for the diagnostics of `uri` at `version`.
    async fn diagnostics(&mut self, from: usize, uri: &str, version: i64) -> Vec<Value> {
        let message = self
            .wait_for(from, &format!("diagnostics for {uri} v{version}"), |m| {
                m["method"] == "textDocument/publishDiagnostics"
                    && m["params"]["uri"] == uri
                    && m["params"]["version"] == json!(version)
            })
            .await;
        message["params"]["diagnostics"].as_array().cloned().unwrap_or_default()
    }

    fn published(&self, uri: &str) -> Vec<Value> {
        self.log
            .iter()
            .filter(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri)
            .map(|m| m["params"].clone())
            .collect()
    }

    async fn open(&mut self, uri: &str, language: &str, version: i64, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": language, "version": version, "text": text}}),
        )
        .await;
    }

    async fn change(&mut self, uri: &str, version: i64, changes: Value) {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": changes}),
        )
        .await;
    }

    async fn stop(mut self) -> bool {
        let response = self.request("shutdown", Value::Null).await;
        assert_eq!(response["result"], Value::Null);
        self.notify("exit", Value::Null).await;
        tokio::time::timeout(TIMEOUT, &mut self.server).await.expect("server exits").expect("server task")
    }
}

fn range(l1: u64, c1: u64, l2: u64, c2: u64) -> Value {
    json!({"start": {"line": l1, "character": c1}, "end": {"line": l2, "character": c2}})
}

fn pos(line: u64, character: u64) -> Value {
    json!({"line": line, "character": character})
}

/// Client capabilities like a modern editor's.
fn capabilities(utf8: bool) -> Value {
    let encodings = if utf8 { json!(["utf-8", "utf-16"]) } else { json!(["utf-16"]) };
    json!({
        "general": {"positionEncodings": encodings},
        "textDocument": {
            "definition": {"linkSupport": true},
            "publishDiagnostics": {"relatedInformation": true},
        },
        "workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true, "relativePatternSupport": true}},
        "window": {"workDoneProgress": true},
    })
}

struct Setup {
    client: Client,
    init: Value,

    draft_uri: String,
}

/// A workspace in a temp dir, the corpus set to the repository's seeds, debounce 0.
async fn setup_with(options: ServerOptions, caps: Value, settings: Value) -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let root = std::fs::canonicalize(dir.path()).unwrap();
    let init = json!({
        "processId": null,
        "rootUri": file_uri(&root),
        "capabilities": caps,
        "initializationOptions": settings,
    });
    let (mut client, init) = Client::start(options, init).await;
    client._dirs.push(dir);
    let draft_uri = file_uri(&root.join("draft.md"));
    Setup { client, init, draft_uri }
}

async fn setup(utf8: bool) -> Setup {
    let settings = json!({"copydesk": {"corpus": [repo().join("seeds").display().to_string()], "debounceMs": 0}});
    setup_with(ServerOptions::default(), capabilities(utf8), settings).await
}

fn codes(diagnostics: &[Value]) -> Vec<String> {
    diagnostics.iter().map(|d| d["code"].as_str().unwrap_or("").to_string()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn initialize_declares_capabilities() {
    let Setup { client, init, .. } = setup(false).await;
    let caps = &init["capabilities"];
    assert_eq!(caps["positionEncoding"], "utf-16");
    assert_eq!(caps["textDocumentSync"]["change"], 2, "incremental sync");
    assert_eq!(caps["textDocumentSync"]["openClose"], true);
    assert!(caps["textDocumentSync"]["save"].is_object());
    assert_eq!(caps["hoverProvider"], true);
    assert_eq!(caps["definitionProvider"], true);
    assert_eq!(caps["codeActionProvider"]["codeActionKinds"], json!(["quickfix"]));
    assert_eq!(caps["executeCommandProvider"]["commands"], json!(["copydesk.reloadCorpus"]));
    assert_eq!(init["serverInfo"]["name"], "copydesk");
    assert!(client.stop().await, "clean shutdown");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn utf8_is_negotiated_when_offered() {
    let Setup { client, init, .. } = setup(true).await;
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-8");
    client.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn diagnostics_after_open_carry_code_source_related_information_and_fix() {
    let Setup { mut client, draft_uri, .. } = setup(false).await;
    let mark = client.mark();
    client.open(&draft_uri, "markdown", 1, DRAFT).await;
    let diagnostics = client.diagnostics(mark, &draft_uri, 1).await;
    assert_eq!(codes(&diagnostics), ["unit-mismatch", "number-mismatch"]);
    let unit = &diagnostics[0];
    assert_eq!(unit["range"], range(0, 16, 0, 30));
    assert_eq!(unit["severity"], 1);
    assert_eq!(unit["source"], "copydesk");
    assert_eq!(unit["message"], "draft says \"NT$1.8 billion\" (TWD); source says \"US$1.8 billion\" (USD)");
    let related = &unit["relatedInformation"][0]["location"];
    assert_eq!(related["uri"], file_uri(&repo().join(SEED_002)));
    assert_eq!(related["range"], range(34, 0, 34, 375));
    assert_eq!(unit["data"]["fix"]["newText"], "US$1.8 billion");
    assert_eq!(unit["data"]["fix"]["range"], range(0, 16, 0, 30));
    let number = &diagnostics[1];
    assert_eq!(number["range"], range(2, 94, 2, 110));
    assert_eq!(number["message"], "draft says \"28 percent lower\"; source says \"82 percent lower\"");
    assert_eq!(number["relatedInformation"][0]["location"]["uri"], file_uri(&repo().join(SEED_000)));
    assert_eq!(number["relatedInformation"][0]["location"]["range"], range(18, 50, 18, 300));
    assert_eq!(number["data"]["fix"]["newText"], "82 percent lower");

    // Closing clears them.
    let mark = client.mark();
    client.notify("textDocument/didClose", json!({"textDocument": {"uri": draft_uri}})).await;
    let cleared = client
        .wait_for(mark, "cleared diagnostics", |m| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == draft_uri.as_str()
        })
        .await;
    assert_eq!(cleared["params"]["diagnostics"], json!([]));
    client.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn incremental_edits_move_and_clear_diagnostics() {
    let Setup { mut client, draft_uri, .. } = setup(false).await;
    let mark = client.mark();
    client.open(&draft_uri, "markdown", 1, DRAFT).await;
    assert_eq!(client.diagnostics(mark, &draft_uri, 1).await.len(), 2);

    // Insert a line at the top: both findings move down a line.
    let mark = client.mark();
    client.change(&draft_uri, 2, json!([{"range": range(0, 0, 0, 0), "text": "# Chips\n\n"}])).await;
    let diagnostics = client.diagnostics(mark, &draft_uri, 2).await;
    assert_eq!(diagnostics[0]["range"], range(2, 16, 2, 30));
    assert_eq!(diagnostics[1]["range"], range(4, 94, 4, 110));

    // Fix the figure by typing: delete "28", then type "82" in two edits of one change.
    let mark = client.mark();
    client
        .change(
            &draft_uri,
            3,
            json!([
                {"range": range(4, 94, 4, 96), "text": ""},
                {"range": range(4, 94, 4, 94), "text": "8"},
                {"range": range(4, 95, 4, 95), "text": "2"},
            ]),
        )
        .await;
    let diagnostics = client.diagnostics(mark, &draft_uri, 3).await;
    assert_eq!(codes(&diagnostics), ["unit-mismatch"], "the fixed figure is no longer flagged");

    // Replace the whole text (a change without a range).
    let mark = client.mark();
    client.change(&draft_uri, 4, json!([{"text": "Nothing to check here.\n"}])).await;
    assert!(client.diagnostics(mark, &draft_uri, 4).await.is_empty());
    client.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hover_on_checked_statistics_and_null_elsewhere() {
    let Setup { mut client, draft_uri, .. } = setup(false).await;
    let mark = client.mark();
    let text = format!("{DRAFT}\nMicron will pay US$1.8 billion for Powerchip's P5 fab site in Taiwan.\n");
    client.open(&draft_uri, "markdown", 1, &text).await;
    client.diagnostics(mark, &draft_uri, 1).await;

    let hover =
        client.result("textDocument/hover", json!({"textDocument": {"uri": draft_uri}, "position": pos(2, 100)})).await;
    let value = hover["contents"]["value"].as_str().expect("markdown hover");
    assert_eq!(hover["contents"]["kind"], "markdown");
    assert_eq!(hover["range"], range(2, 94, 2, 110));
    assert!(value.contains("number-mismatch"), "{value}");
    assert!(value.contains("Source wording: **82 percent lower**"), "{value}");
    assert!(value.contains("were **82 percent lower** than those of their US peers"), "{value}");
    assert!(
        value.contains("*GT Voice: What does Silicon Valley’s rising use of AI models developed in China mean?*"),
        "{value}"
    );
    let link = format!("]({}#L19)", file_uri(&repo().join(SEED_000)));
    assert!(value.contains(&link), "{value}");

    // A statistic the source supports also has a hover.
    let hover =
        client.result("textDocument/hover", json!({"textDocument": {"uri": draft_uri}, "position": pos(4, 20)})).await;
    let value = hover["contents"]["value"].as_str().expect("hover on supported figure");
    assert!(value.contains("supported"), "{value}");
    assert!(value.contains("**US$1.8 billion**"), "{value}");

    // Plain words have none, nor do unknown documents.
    let hover =
        client.result("textDocument/hover", json!({"textDocument": {"uri": draft_uri}, "position": pos(0, 2)})).await;
    assert_eq!(hover, Value::Null);
    let hover = client
        .result("textDocument/hover", json!({"textDocument": {"uri": "file:///nowhere.md"}, "position": pos(0, 0)}))
        .await;
    assert_eq!(hover, Value::Null);
    client.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn definition_goes_to_the_source_passage() {
    let Setup { mut client, draft_uri, .. } = setup(false).await;
    let mark = client.mark();
    client.open(&draft_uri, "markdown", 1, DRAFT).await;
    client.diagnostics(mark, &draft_uri, 1).await;
    let result = client
        .result("textDocument/definition", json!({"textDocument": {"uri": draft_uri}, "position": pos(2, 95)}))
        .await;
    let link = &result[0];
    assert_eq!(link["originSelectionRange"], range(2, 94, 2, 110));
    assert_eq!(link["targetUri"], file_uri(&repo().join(SEED_000)));
    assert_eq!(link["targetRange"], range(18, 50, 18, 300));
    assert_eq!(link["targetSelectionRange"], range(18, 182, 18, 198));
    let none = client
        .result("textDocument/definition", json!({"textDocument": {"uri": draft_uri}, "position": pos(0, 1)}))
        .await;
    assert_eq!(none, Value::Null);
    client.stop().await;

    // Without link support: a plain Location.
    let mut caps = capabilities(false);
    caps["textDocument"]["definition"]["linkSupport"] = json!(false);
    let settings = json!({"corpus": [repo().join("seeds").display().to_string()], "debounceMs": 0});
    let Setup { mut client, draft_uri, .. } = setup_with(ServerOptions::default(), caps, settings).await;
    let mark = client.mark();
    client.open(&draft_uri, "markdown", 1, DRAFT).await;
    client.diagnostics(mark, &draft_uri, 1).await;
    let result = client
        .result("textDocument/definition", json!({"textDocument": {"uri": draft_uri}, "position": pos(0, 20)}))
        .await;
    assert_eq!(result["uri"], file_uri(&repo().join(SEED_002)));
    assert_eq!(result["range"], range(34, 0, 34, 375));
    client.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn code_actions_replace_the_figure_and_ignore_the_statistic() {
    let Setup { mut client, draft_uri, .. } = setup(false).await;
    let mark = client.mark();
    let text = DRAFT.replace("\nJefferies", "\n  Jefferies");
    client.open(&draft_uri, "markdown", 1, &text).await;
    let diagnostics = client.diagnostics(mark, &draft_uri, 1).await;
    let number = diagnostics.iter().find(|d| d["code"] == "number-mismatch").unwrap().clone();
    assert_eq!(number["range"], range(2, 96, 2, 112));
    let actions = client
        .result(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": draft_uri}, "range": range(2, 100, 2, 100), "context": {"diagnostics": [number]}}),
        )
        .await;
    let actions = actions.as_array().unwrap();
    assert_eq!(actions.len(), 2, "{actions:#?}");
    let replace = &actions[0];
    assert_eq!(replace["kind"], "quickfix");
    assert_eq!(replace["isPreferred"], true);
    assert_eq!(replace["diagnostics"][0]["code"], "number-mismatch");
    assert_eq!(
        replace["edit"]["changes"][&draft_uri],
        json!([{"range": range(2, 96, 2, 112), "newText": "82 percent lower"}])
    );
    let ignore = &actions[1];
    assert_eq!(ignore["title"], "Ignore this statistic (number-mismatch)");
    assert_eq!(
        ignore["edit"]["changes"][&draft_uri],
        json!([{"range": range(2, 0, 2, 0), "newText": "  <!-- copydesk-disable-next-line number-mismatch -->\n"}])
    );

    // Applying the replacement clears the diagnostic.
    let mark = client.mark();
    client.change(&draft_uri, 2, json!([{"range": range(2, 96, 2, 112), "text": "82 percent lower"}])).await;
    assert_eq!(codes(&client.diagnostics(mark, &draft_uri, 2).await), ["unit-mismatch"]);

    // The unit mismatch has both actions too; nothing where there is no finding.
    let actions = client
        .result(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": draft_uri}, "range": range(0, 0, 0, 60), "context": {"diagnostics": []}}),
        )
        .await;
    assert_eq!(actions[0]["edit"]["changes"][&draft_uri][0]["newText"], "US$1.8 billion");
    assert_eq!(
        actions[1]["edit"]["changes"][&draft_uri][0]["newText"],
        "<!-- copydesk-disable-next-line unit-mismatch -->\n"
    );
    let actions = client
        .result(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": draft_uri}, "range": range(1, 0, 1, 0), "context": {"diagnostics": []}}),
        )
        .await;
    assert_eq!(actions, json!([]));
    client.stop().await;
}

const EMOJI_DRAFT: &str = "😀 阿里巴巴 says hello. Jefferies estimates Chinese tech giants' combined capital expenditures from 2023 to 2025 were 28 percent lower than those of their US peers.\n";

async fn emoji_columns(utf8: bool) {
    let Setup { mut client, draft_uri, .. } = setup(utf8).await;
    // "😀 阿里巴巴 says hello. " is 20 UTF-16 code units and 30 bytes.
    let prefix = if utf8 { 30 } else { 20 };
    let at = prefix + 94;
    let mark = client.mark();
    client.open(&draft_uri, "markdown", 1, EMOJI_DRAFT).await;
    let diagnostics = client.diagnostics(mark, &draft_uri, 1).await;
    assert_eq!(codes(&diagnostics), ["number-mismatch"]);
    assert_eq!(diagnostics[0]["range"], range(0, at, 0, at + 16));

    // An edit addressed in the negotiated encoding lands right after the emoji.
    let after_emoji = if utf8 { 4 } else { 2 };
    let mark = client.mark();
    client.change(&draft_uri, 2, json!([{"range": range(0, after_emoji, 0, after_emoji), "text": "🎉"}])).await;
    let diagnostics = client.diagnostics(mark, &draft_uri, 2).await;
    let shifted = at + after_emoji;
    assert_eq!(diagnostics[0]["range"], range(0, shifted, 0, shifted + 16));

    let hover = client
        .result("textDocument/hover", json!({"textDocument": {"uri": draft_uri}, "position": pos(0, shifted + 1)}))
        .await;
    assert_eq!(hover["range"], range(0, shifted, 0, shifted + 16));
    let definition = client
        .result("textDocument/definition", json!({"textDocument": {"uri": draft_uri}, "position": pos(0, shifted)}))
        .await;
    assert_eq!(definition[0]["originSelectionRange"], range(0, shifted, 0, shifted + 16));
    // The source line holds a curly apostrophe (3 bytes, 1 UTF-16 unit) before the figure.
    let (s, e) = if utf8 { (184, 200) } else { (182, 198) };
    assert_eq!(definition[0]["targetSelectionRange"], range(18, s, 18, e));
    client.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn utf16_columns_after_emoji_and_cjk() {
    emoji_columns(false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn utf8_columns_after_emoji_and_cjk() {
    emoji_columns(true).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stale_versions_are_never_published() {
    let options = ServerOptions { check_delay: Duration::from_millis(300), ..ServerOptions::default() };
    let settings = json!({"corpus": [repo().join("seeds").display().to_string()], "debounceMs": 0});
    let Setup { mut client, draft_uri, .. } = setup_with(options, capabilities(false), settings).await;
    // Wait for the corpus so the first check really starts.
    let mark = client.mark();
    let probe = draft_uri.replace("draft.md", "probe.md");
    client.open(&probe, "markdown", 1, "Nothing.\n").await;
    client.diagnostics(mark, &probe, 1).await;

    let mark = client.mark();
    client.open(&draft_uri, "markdown", 1, DRAFT).await;
    tokio::time::sleep(Duration::from_millis(50)).await;
    client.change(&draft_uri, 2, json!([{"range": range(2, 94, 2, 96), "text": "82"}])).await;
    client.change(&draft_uri, 3, json!([{"range": range(0, 0, 0, 0), "text": "A\n"}])).await;
    let diagnostics = client.diagnostics(mark, &draft_uri, 3).await;
    assert_eq!(codes(&diagnostics), ["unit-mismatch"]);
    assert_eq!(diagnostics[0]["range"], range(1, 16, 1, 30));
    client.drain(Duration::from_millis(700)).await;
    let versions: Vec<Value> = client.published(&draft_uri).iter().map(|p| p["version"].clone()).collect();
    assert_eq!(versions, [json!(3)], "only the newest version is published");

    // With a debounce, a burst of edits is checked once.
    client.notify("workspace/didChangeConfiguration", json!({"settings": {"copydesk": {"corpus": [repo().join("seeds").display().to_string()], "debounceMs": 100}}})).await;
    let mark = client.mark();
    for v in 4..=8 {
        client.change(&draft_uri, v, json!([{"range": range(0, 0, 0, 0), "text": "x"}])).await;
    }
    client.diagnostics(mark, &draft_uri, 8).await;
    client.drain(Duration::from_millis(500)).await;
    let versions: Vec<Value> = client.published(&draft_uri).iter().map(|p| p["version"].clone()).collect();
    assert_eq!(versions, [json!(3), json!(8)]);
    client.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn corpus_reload_by_command_and_by_watched_files() {
    let corpus_dir = tempfile::tempdir().unwrap();
    let source = corpus_dir.path().join("gt.txt");
    let original = std::fs::read_to_string(repo().join(SEED_000)).unwrap();
    std::fs::write(&source, &original).unwrap();
    let settings = json!({"copydesk": {"corpus": [corpus_dir.path().display().to_string()], "debounceMs": 0}});
    let Setup { mut client, draft_uri, .. } = setup_with(ServerOptions::default(), capabilities(false), settings).await;
    client._dirs.push(corpus_dir);

    let mark = client.mark();
    client.open(&draft_uri, "markdown", 1, DRAFT).await;
    let diagnostics = client.diagnostics(mark, &draft_uri, 1).await;
    // Only the GT article is in this corpus: the Micron figure has no source.
    assert!(codes(&diagnostics).contains(&"number-mismatch".to_string()), "{diagnostics:#?}");

    // The loader asked for a progress token, reported progress and registered a watcher.
    assert!(client.log.iter().any(|m| m["method"] == "window/workDoneProgress/create"));
    assert!(client.log.iter().any(|m| m["method"] == "$/progress" && m["params"]["value"]["kind"] == "begin"));
    assert!(client.log.iter().any(|m| m["method"] == "$/progress" && m["params"]["value"]["kind"] == "end"));
    let registration =
        client.log.iter().find(|m| m["method"] == "client/registerCapability").expect("watcher registered");
    assert_eq!(registration["params"]["registrations"][0]["method"], "workspace/didChangeWatchedFiles");

    // The source now says 28 percent: after a reload the figure is supported.
    std::fs::write(&source, original.replace("82 percent lower", "28 percent lower")).unwrap();
    let mark = client.mark();
    let result =
        client.result("workspace/executeCommand", json!({"command": "copydesk.reloadCorpus", "arguments": []})).await;
    assert_eq!(result["documents"], 1);
    let diagnostics = client.diagnostics(mark, &draft_uri, 1).await;
    assert!(!codes(&diagnostics).contains(&"number-mismatch".to_string()), "{diagnostics:#?}");

    // Back to 82, announced by a file-watcher event.
    std::fs::write(&source, &original).unwrap();
    let mark = client.mark();
    client.notify("workspace/didChangeWatchedFiles", json!({"changes": [{"uri": file_uri(&source), "type": 2}]})).await;
    let diagnostics = client.diagnostics(mark, &draft_uri, 1).await;
    assert!(codes(&diagnostics).contains(&"number-mismatch".to_string()), "{diagnostics:#?}");

    // A corpus file open in the editor is not linted as a draft.
    let mark = client.mark();
    client.open(&file_uri(&source), "plaintext", 1, &original).await;
    client.open(&draft_uri.replace("draft.md", "other.md"), "markdown", 1, DRAFT).await;
    client.diagnostics(mark, &draft_uri.replace("draft.md", "other.md"), 1).await;
    client.drain(Duration::from_millis(200)).await;
    assert!(client.published(&file_uri(&source)).is_empty(), "corpus file linted");

    let response = client.request("workspace/executeCommand", json!({"command": "copydesk.nope"})).await;
    assert!(response.get("error").is_some());
    client.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn default_corpus_is_the_workspace_seeds_folder_else_builtin_seeds_in_the_cache() {
    // A workspace without seeds/: the built-in seeds, written to the cache dir.
    let cache = tempfile::tempdir().unwrap();
    let options = ServerOptions { seed_cache: Some(cache.path().to_path_buf()), ..ServerOptions::default() };
    let Setup { mut client, draft_uri, .. } = setup_with(options, capabilities(false), json!({"debounceMs": 0})).await;
    let mark = client.mark();
    client.open(&draft_uri, "markdown", 1, DRAFT).await;
    assert_eq!(client.diagnostics(mark, &draft_uri, 1).await.len(), 2);
    let result = client
        .result("textDocument/definition", json!({"textDocument": {"uri": draft_uri}, "position": pos(2, 95)}))
        .await;
    let cached = cache.path().join("000_7fed2c55703098c4.txt");
    assert_eq!(result[0]["targetUri"], file_uri(&cached));
    assert_eq!(std::fs::read_to_string(&cached).unwrap(), std::fs::read_to_string(repo().join(SEED_000)).unwrap());
    client.stop().await;

    // A workspace with seeds/: those.
    let dir = tempfile::tempdir().unwrap();
    let root = std::fs::canonicalize(dir.path()).unwrap();
    std::fs::create_dir(root.join("seeds")).unwrap();
    std::fs::copy(repo().join(SEED_002), root.join("seeds/micron.txt")).unwrap();
    let init = json!({"processId": null, "rootUri": file_uri(&root), "capabilities": capabilities(false), "initializationOptions": {"debounceMs": 0}});
    let (mut client, _) = Client::start(ServerOptions::default(), init).await;
    let draft_uri = file_uri(&root.join("draft.txt"));
    let mark = client.mark();
    client.open(&draft_uri, "", 1, DRAFT).await; // empty language id: by extension
    let diagnostics = client.diagnostics(mark, &draft_uri, 1).await;
    assert!(codes(&diagnostics).contains(&"unit-mismatch".to_string()));
    assert_eq!(diagnostics[0]["relatedInformation"][0]["location"]["uri"], file_uri(&root.join("seeds/micron.txt")));
    client.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn robustness_clamped_ranges_unknown_uris_panics_and_exit() {
    let options = ServerOptions { panic_marker: Some("PANIC-NOW".into()), ..ServerOptions::default() };
    let settings = json!({"corpus": [repo().join("seeds").display().to_string()], "debounceMs": 0});
    let Setup { mut client, draft_uri, .. } = setup_with(options, capabilities(false), settings).await;

    // A change to a document that was never opened is ignored; so is an HTML buffer.
    client.change("file:///never/opened.md", 2, json!([{"text": "x"}])).await;
    client.open("file:///x/page.html", "html", 1, DRAFT).await;

    // A panicking check publishes nothing and the server keeps serving.
    let panicky = draft_uri.replace("draft.md", "panic.md");
    client.open(&panicky, "markdown", 1, &format!("PANIC-NOW\n{DRAFT}")).await;
    let hover =
        client.result("textDocument/hover", json!({"textDocument": {"uri": panicky}, "position": pos(3, 100)})).await;
    assert_eq!(hover, Value::Null);

    // An edit past the end of the document is clamped to the end.
    let mark = client.mark();
    client.open(&draft_uri, "markdown", 1, "Intro.\n").await;
    client.diagnostics(mark, &draft_uri, 1).await;
    let mark = client.mark();
    client.change(&draft_uri, 2, json!([{"range": range(40, 3, 41, 0), "text": DRAFT}])).await;
    let diagnostics = client.diagnostics(mark, &draft_uri, 2).await;
    assert_eq!(codes(&diagnostics), ["unit-mismatch", "number-mismatch"]);
    assert_eq!(diagnostics[0]["range"], range(1, 16, 1, 30));
    // A column past the end of a line is clamped to the line's end.
    let mark = client.mark();
    client.change(&draft_uri, 3, json!([{"range": range(0, 99, 0, 99), "text": " More."}])).await;
    assert_eq!(client.diagnostics(mark, &draft_uri, 3).await.len(), 2);
    let logged = client.log.iter().any(|m| {
        m["method"] == "window/logMessage" && m["params"]["message"].as_str().is_some_and(|s| s.contains("clamped"))
    });
    assert!(logged, "clamping is logged");
    client.drain(Duration::from_millis(200)).await;
    assert!(client.published(&panicky).is_empty(), "nothing published for the panicking check");
    assert!(client.published("file:///x/page.html").is_empty());
    let panic_logged = client.log.iter().any(|m| {
        m["method"] == "window/logMessage" && m["params"]["message"].as_str().is_some_and(|s| s.contains("panicked"))
    });
    assert!(panic_logged, "the panic is logged");

    // Requests after shutdown are refused; exit ends the server.
    let response = client.request("shutdown", Value::Null).await;
    assert_eq!(response["result"], Value::Null);
    let refused =
        client.request("textDocument/hover", json!({"textDocument": {"uri": draft_uri}, "position": pos(0, 0)})).await;
    assert!(refused.get("error").is_some(), "{refused}");
    client.notify("exit", Value::Null).await;
    let clean = tokio::time::timeout(TIMEOUT, &mut client.server).await.unwrap().unwrap();
    assert!(clean);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exit_without_shutdown_is_not_clean() {
    let Setup { mut client, .. } = setup(false).await;
    client.notify("exit", Value::Null).await;
    let clean = tokio::time::timeout(TIMEOUT, &mut client.server).await.unwrap().unwrap();
    assert!(!clean);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn drafts_opened_while_indexing_are_checked_once_the_corpus_is_ready() {
    let options = ServerOptions { load_delay: Duration::from_millis(400), ..ServerOptions::default() };
    let settings = json!({"corpus": [repo().join("seeds").display().to_string()], "debounceMs": 0});
    let Setup { mut client, draft_uri, .. } = setup_with(options, capabilities(false), settings).await;
    let mark = client.mark();
    client.open(&draft_uri, "markdown", 1, DRAFT).await;
    // Still indexing: no hover yet, nothing published.
    let hover =
        client.result("textDocument/hover", json!({"textDocument": {"uri": draft_uri}, "position": pos(2, 100)})).await;
    assert_eq!(hover, Value::Null);
    assert!(client.published(&draft_uri).is_empty());
    let diagnostics = client.diagnostics(mark, &draft_uri, 1).await;
    assert_eq!(codes(&diagnostics), ["unit-mismatch", "number-mismatch"]);
    let ready = client.log.iter().position(|m| m["method"] == "$/progress" && m["params"]["value"]["kind"] == "end");
    let published = client.log.iter().position(|m| m["method"] == "textDocument/publishDiagnostics");
    assert!(ready < published, "published after indexing finished");
    client.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn typing_character_by_character_applies_edits_in_order() {
    let Setup { mut client, draft_uri, .. } = setup(false).await;
    let mark = client.mark();
    client.open(&draft_uri, "markdown", 1, "").await;
    client.diagnostics(mark, &draft_uri, 1).await;
    let mut version = 1;
    let (mut line, mut column) = (0u64, 0u64);
    let mark = client.mark();
    for ch in DRAFT.chars() {
        version += 1;
        client
            .change(&draft_uri, version, json!([{"range": range(line, column, line, column), "text": ch.to_string()}]))
            .await;
        if ch == '\n' {
            line += 1;
            column = 0;
        } else {
            column += ch.len_utf16() as u64;
        }
    }
    let diagnostics = client.diagnostics(mark, &draft_uri, version).await;
    assert_eq!(codes(&diagnostics), ["unit-mismatch", "number-mismatch"]);
    assert_eq!(diagnostics[1]["range"], range(2, 94, 2, 110));
    client.stop().await;
}

/// The real binary over real stdio: initialize, open, diagnostics, shutdown, exit code 0.
#[test]
fn binary_serves_stdio() {
    use std::io::{BufRead, Read, Write};
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_copydesk"))
        .args(["lsp", "--log-level", "error"])
        .current_dir(repo())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut send = |message: Value| {
        let body = message.to_string();
        write!(stdin, "Content-Length: {}\r\n\r\n{}", body.len(), body).unwrap();
        stdin.flush().unwrap();
    };
    let mut receive = || -> Value {
        let mut length = 0;
        loop {
            let mut line = String::new();
            stdout.read_line(&mut line).unwrap();
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some(v) = line.strip_prefix("Content-Length:") {
                length = v.trim().parse().unwrap();
            }
        }
        let mut body = vec![0; length];
        stdout.read_exact(&mut body).unwrap();
        serde_json::from_slice(&body).unwrap()
    };
    let root = file_uri(&repo());
    send(
        json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"processId": null, "rootUri": root, "capabilities": {}}}),
    );
    let init = receive();
    assert_eq!(init["result"]["capabilities"]["positionEncoding"], "utf-16");
    send(json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}));
    let uri = format!("{root}/scratch-draft.md");
    send(
        json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": DRAFT}}}),
    );
    let diagnostics = loop {
        let message = receive();
        if message["method"] == "textDocument/publishDiagnostics" && message["params"]["uri"] == uri.as_str() {
            break message;
        }
    };
    assert_eq!(diagnostics["params"]["diagnostics"].as_array().unwrap().len(), 2);
    send(json!({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}));
    loop {
        if receive()["id"] == 2 {
            break;
        }
    }
    send(json!({"jsonrpc": "2.0", "method": "exit"}));
    drop(stdin);
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn configuration_change_reloads_a_relative_corpus_with_front_matter() {
    let mut caps = capabilities(false);
    caps["workspace"]["didChangeWatchedFiles"]["dynamicRegistration"] = json!(false);
    let settings = json!({"corpus": [repo().join("seeds").display().to_string()], "debounceMs": 0});
    let Setup { mut client, draft_uri, .. } = setup_with(ServerOptions::default(), caps, settings).await;
    let root = PathBuf::from(draft_uri.trim_start_matches("file://")).parent().unwrap().to_path_buf();
    std::fs::create_dir(root.join("sources")).unwrap();
    let article = format!(
        "---\ntitle: GT Voice on Chinese AI\npublisher: Global Times\ndate: 2025-11-03\nurl: https://example.com/gt\n---\n{}",
        std::fs::read_to_string(repo().join(SEED_000)).unwrap()
    );
    let source = root.join("sources/gt.md");
    std::fs::write(&source, &article).unwrap();

    let mark = client.mark();
    client.open(&draft_uri, "markdown", 1, DRAFT).await;
    client.diagnostics(mark, &draft_uri, 1).await;

    // Point the corpus at a folder relative to the workspace root.
    let mark = client.mark();
    client
        .notify(
            "workspace/didChangeConfiguration",
            json!({"settings": {"copydesk": {"corpus": ["sources"], "debounceMs": 0}}}),
        )
        .await;
    let diagnostics = client
        .wait_for(mark, "diagnostics against the new corpus", |m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == draft_uri.as_str()
                && m["params"]["diagnostics"].as_array().is_some_and(|ds| {
                    ds.iter().any(|d| d["relatedInformation"][0]["location"]["uri"] == file_uri(&source))
                })
        })
        .await;
    let number = diagnostics["params"]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "number-mismatch")
        .expect("number-mismatch against the new corpus")
        .clone();
    assert_eq!(number["relatedInformation"][0]["location"]["range"], range(24, 50, 24, 300));
    let hover =
        client.result("textDocument/hover", json!({"textDocument": {"uri": draft_uri}, "position": pos(2, 100)})).await;
    let value = hover["contents"]["value"].as_str().unwrap();
    assert!(value.contains("*GT Voice on Chinese AI* — Global Times — 2025-11-03"), "{value}");
    assert!(value.contains(&format!("]({}#L25)", file_uri(&source))), "{value}");
    assert!(value.contains("[original article](https://example.com/gt)"), "{value}");

    // Without file watching, saving a corpus file reloads the corpus.
    std::fs::write(&source, article.replace("82 percent lower", "28 percent lower")).unwrap();
    let mark = client.mark();
    client.notify("textDocument/didSave", json!({"textDocument": {"uri": file_uri(&source)}})).await;
    let diagnostics = client.diagnostics(mark, &draft_uri, 1).await;
    assert!(!codes(&diagnostics).contains(&"number-mismatch".to_string()), "{diagnostics:#?}");
    client.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn code_actions_use_versioned_document_changes_when_the_client_supports_them() {
    let mut caps = capabilities(false);
    caps["workspace"]["workspaceEdit"] = json!({"documentChanges": true});
    let settings = json!({"corpus": [repo().join("seeds").display().to_string()], "debounceMs": 0});
    let Setup { mut client, draft_uri, .. } = setup_with(ServerOptions::default(), caps, settings).await;
    let mark = client.mark();
    client.open(&draft_uri, "markdown", 7, DRAFT).await;
    client.diagnostics(mark, &draft_uri, 7).await;
    let actions = client
        .result(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": draft_uri}, "range": range(2, 100, 2, 101), "context": {"diagnostics": [], "only": ["quickfix"]}}),
        )
        .await;
    let change = &actions[0]["edit"]["documentChanges"][0];
    assert_eq!(change["textDocument"], json!({"uri": draft_uri, "version": 7}));
    assert_eq!(change["edits"], json!([{"range": range(2, 94, 2, 110), "newText": "82 percent lower"}]));
    // Asking only for refactorings gives nothing.
    let none = client
        .result(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": draft_uri}, "range": range(2, 100, 2, 101), "context": {"diagnostics": [], "only": ["refactor"]}}),
        )
        .await;
    assert_eq!(none, Value::Null);
    client.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn project_file_changes_apply_without_a_restart() {
    let Setup { mut client, draft_uri, .. } = setup(false).await;
    let root = PathBuf::from(draft_uri.trim_start_matches("file://")).parent().unwrap().to_path_buf();
    let mark = client.mark();
    client.open(&draft_uri, "markdown", 1, DRAFT).await;
    let diagnostics = client.diagnostics(mark, &draft_uri, 1).await;
    assert_eq!(codes(&diagnostics), ["unit-mismatch", "number-mismatch"]);

    // The project file turns unit-mismatch off and makes number-mismatch a warning; the
    // editor's corpus setting still wins over the file's corpus (which does not exist).
    let config = root.join("copydesk.toml");
    std::fs::write(&config, "corpus = [\"nowhere\"]\n[severity]\nunit-mismatch = \"off\"\nnumber-mismatch = \"warning\"\n").unwrap();
    let mark = client.mark();
    client.notify("workspace/didChangeWatchedFiles", json!({"changes": [{"uri": file_uri(&config), "type": 1}]})).await;
    let diagnostics = client.diagnostics(mark, &draft_uri, 1).await;
    assert_eq!(codes(&diagnostics), ["number-mismatch"]);
    assert_eq!(diagnostics[0]["severity"], 2);
    client.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn editor_severity_settings_apply_on_change() {
    let Setup { mut client, draft_uri, .. } = setup(false).await;
    let mark = client.mark();
    client.open(&draft_uri, "markdown", 1, DRAFT).await;
    assert_eq!(codes(&client.diagnostics(mark, &draft_uri, 1).await), ["unit-mismatch", "number-mismatch"]);
    let mark = client.mark();
    let settings = json!({"copydesk": {"corpus": [repo().join("seeds").display().to_string()], "debounceMs": 0, "severity": {"unit-mismatch": "off", "number-mismatch": "hint"}}});
    client.notify("workspace/didChangeConfiguration", json!({"settings": settings})).await;
    let diagnostics = client.diagnostics(mark, &draft_uri, 1).await;
    assert_eq!(codes(&diagnostics), ["number-mismatch"]);
    assert_eq!(diagnostics[0]["severity"], 4);
    client.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_document_test_hook_reveals_the_servers_text_only_when_enabled() {
    let settings = json!({"corpus": [repo().join("seeds").display().to_string()], "debounceMs": 0});
    let options = ServerOptions { document_request: true, ..ServerOptions::default() };
    let Setup { mut client, draft_uri, .. } = setup_with(options, capabilities(false), settings.clone()).await;
    client.open(&draft_uri, "markdown", 1, "😀 one\r\ntwo\n").await;
    // Replace "one\r\ntw" (UTF-16 columns: the emoji is two units).
    client.change(&draft_uri, 2, json!([{"range": range(0, 3, 1, 2), "text": "x"}])).await;
    let document = client.result(copydesk::lsp::DOCUMENT_REQUEST, json!({"uri": draft_uri})).await;
    assert_eq!(document, json!({"version": 2, "text": "😀 xo\n"}));
    let unknown = client.result(copydesk::lsp::DOCUMENT_REQUEST, json!({"uri": "file:///not/open.md"})).await;
    assert_eq!(unknown, Value::Null);
    client.stop().await;

    // Off by default: the method does not exist.
    let Setup { mut client, draft_uri, .. } = setup_with(ServerOptions::default(), capabilities(false), settings).await;
    client.open(&draft_uri, "markdown", 1, "text").await;
    let response = client.request(copydesk::lsp::DOCUMENT_REQUEST, json!({"uri": draft_uri})).await;
    assert_eq!(response["error"]["code"], -32601, "{response}");
    client.stop().await;
}

/// Regression (found by the `lsp` fuzz target): `didClose` waited for the publish gate before
/// removing the buffer. When that wait did not finish at once (another buffer's diagnostics
/// being published, or the task's cooperative budget spent by a burst of messages), a `didOpen`
/// of the same URI sent right after the close was applied first and then removed by the late
/// close: the reopened buffer was lost (no diagnostics, no hover).
#[tokio::test]
async fn a_buffer_reopened_right_after_close_is_kept() {
    let settings = json!({"corpus": [repo().join("seeds").display().to_string()], "debounceMs": 0});
    let options = ServerOptions { document_request: true, ..ServerOptions::default() };
    let Setup { mut client, draft_uri, .. } = setup_with(options, capabilities(false), settings).await;
    let other = draft_uri.replace("draft.md", "other.md");
    // Closes and reopens in one burst, as an editor reverting files does.
    let mut burst = Vec::new();
    for version in 1..=300 {
        for uri in [&other, &draft_uri] {
            burst.push(json!({"jsonrpc": "2.0", "method": "textDocument/didClose", "params": {"textDocument": {"uri": uri}}}));
            burst.push(json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
                "textDocument": {"uri": uri, "languageId": "markdown", "version": version, "text": DRAFT}}}));
        }
    }
    let framed: String = burst
        .iter()
        .map(|m| {
            let body = serde_json::to_string(m).unwrap();
            format!("Content-Length: {}\r\n\r\n{}", body.len(), body)
        })
        .collect();
    {
        let mut w = client.writer.lock().await;
        w.write_all(framed.as_bytes()).await.unwrap();
        w.flush().await.unwrap();
    }
    for uri in [&other, &draft_uri] {
        let held = client.result(copydesk::lsp::DOCUMENT_REQUEST, json!({"uri": uri})).await;
        assert_eq!(held, json!({"version": 300, "text": DRAFT}), "{uri}: the reopened buffer was lost");
    }
    client.stop().await;
}

// ---- Hostile input and long checks (issue 12) ----

impl Client {
    /// Writes raw bytes to the server, as a broken client would.
    async fn raw(&mut self, bytes: &[u8]) {
        let mut w = self.writer.lock().await;
        w.write_all(bytes).await.unwrap();
        w.flush().await.unwrap();
    }
}

fn framed(body: &[u8]) -> Vec<u8> {
    [format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes(), body].concat()
}

fn hover_request(id: i64, uri: &str, at: Value) -> String {
    json!({"jsonrpc": "2.0", "id": id, "method": "textDocument/hover", "params": {"textDocument": {"uri": uri}, "position": at}})
        .to_string()
}

/// What the server must send back for a malformed input.
enum Answer {
    /// An error response with this code and id.
    Error(i64, Value),
    /// The request's own response (the input was acceptable after all).
    Response(i64),
    /// Nothing but a log message containing this text.
    Logged(&'static str),
}

/// Regression (issue 12, item 1): the protocol crate's decoder ended the session at the first
/// malformed frame, so one bad message cost the editor its server. Each kind of malformed input
/// is answered (or logged) and the session goes on: a hover after each is answered.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_messages_are_answered_and_the_session_goes_on() {
    let Setup { mut client, draft_uri, .. } = setup(false).await;
    let mark = client.mark();
    client.open(&draft_uri, "markdown", 1, DRAFT).await;
    client.diagnostics(mark, &draft_uri, 1).await;
    let hover = |id: i64| hover_request(id, &draft_uri, pos(0, 20));
    let null = Value::Null;
    let cases: Vec<(&str, Vec<u8>, Answer)> = vec![
        ("body {}", framed(b"{}"), Answer::Error(-32600, null.clone())),
        ("body null", framed(b"null"), Answer::Error(-32600, null.clone())),
        ("a batch", framed(format!("[{}]", hover(900)).as_bytes()), Answer::Error(-32600, null.clone())),
        ("not JSON", framed(b"hello"), Answer::Error(-32700, null.clone())),
        ("invalid UTF-8", framed(b"{\"jsonrpc\":\"2.0\",\"id\":901,\"method\":\"\xff\"}"), Answer::Error(-32700, null.clone())),
        ("JSON-RPC 1.0", framed(hover(902).replace("\"2.0\"", "\"1.0\"").as_bytes()), Answer::Error(-32600, json!(902))),
        ("an object id", framed(hover(903).replace("903", "{\"a\":1}").as_bytes()), Answer::Error(-32600, null.clone())),
        ("lower-case header", format!("content-length: {}\r\n\r\n{}", hover(904).len(), hover(904)).into_bytes(), Answer::Response(904)),
        ("LF-only header", format!("Content-Length: {}\n\n{}", hover(905).len(), hover(905)).into_bytes(), Answer::Response(905)),
        ("Content-Length too short", format!("Content-Length: 1\r\n\r\n{}", hover(906)).into_bytes(), Answer::Error(-32700, null.clone())),
        ("negative Content-Length", b"Content-Length: -5\r\n\r\n{}".to_vec(), Answer::Error(-32700, null.clone())),
        ("Content-Length not a number", b"Content-Length: five\r\n\r\n{}".to_vec(), Answer::Error(-32700, null.clone())),
        ("garbage between frames", b"\r\nnot a frame\r\n".to_vec(), Answer::Logged("skipped 15 bytes")),
    ];
    let answered = cases.iter().filter(|(_, _, a)| matches!(a, Answer::Error(..))).count();
    for (name, bytes, answer) in &cases {
        let mark = client.mark();
        client.raw(bytes).await;
        // The session goes on.
        let result = client.result("textDocument/hover", json!({"textDocument": {"uri": draft_uri}, "position": pos(0, 20)})).await;
        assert!(result["contents"]["value"].as_str().is_some_and(|v| v.contains("unit-mismatch")), "{name}: hover after it: {result}");
        match answer {
            Answer::Error(code, id) => {
                let error = client
                    .wait_for(mark, &format!("error {code} for {name}"), |m| m["error"]["code"] == *code && m["id"] == *id)
                    .await;
                assert!(error["error"]["message"].as_str().is_some_and(|s| s.len() > 20), "{name}: {error}");
            }
            Answer::Response(id) => {
                let response = client.wait_for(mark, name, |m| m.get("method").is_none() && m["id"] == *id).await;
                assert!(response["result"]["contents"]["value"].is_string(), "{name}: {response}");
            }
            Answer::Logged(text) => {
                client
                    .wait_for(mark, name, |m| {
                        m["method"] == "window/logMessage" && m["params"]["message"].as_str().is_some_and(|s| s.contains(text))
                    })
                    .await;
            }
        }
    }
    client.drain(Duration::from_millis(200)).await;
    let errors: Vec<&Value> = client.log.iter().filter(|m| m.get("error").is_some()).collect();
    assert_eq!(errors.len(), answered, "one answer per malformed message: {errors:#?}");
    assert!(client.stop().await, "clean shutdown");
}

/// The real binary over stdio: a malformed frame neither ends the process nor stops it
/// answering; it still exits cleanly after `shutdown` and `exit`.
#[test]
fn the_binary_survives_a_malformed_frame_over_stdio() {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_copydesk"));
    command.args(["lsp", "--log-level", "error"]).current_dir(repo());
    let mut server = support::LspProcess::spawn(command);
    let dir = tempfile::tempdir().unwrap();
    server.initialize(dir.path(), json!({"corpus": [repo().join("seeds").display().to_string()]}));
    server.raw(&framed(b"{}"));
    server.raw(b"content-length: 2\n\n{}");
    server.raw(b"Content-Length: nope\r\n\r\n{}");
    server.wait_for("two invalid-request answers", |m| m["error"]["code"] == -32600 && m["id"].is_null());
    server.wait_for("a parse-error answer", |m| m["error"]["code"] == -32700 && m["id"].is_null());
    let response = server.request("shutdown", Value::Null);
    assert!(response.get("error").is_none(), "{response}");
    let invalid = server.log.iter().filter(|m| m["error"]["code"] == -32600).count();
    assert_eq!(invalid, 2, "{:#?}", server.log);
    server.notify("exit", Value::Null);
    assert!(server.wait_exit().success(), "exit after shutdown is clean");
}

/// Regression (issue 12, item 5): the crate served four requests at a time, and a request on a
/// buffer being checked waits for that check (a 15 MB draft's takes many seconds). Editors send
/// such requests as the cursor moves, so four of them held back every other request, on every
/// buffer, until the check ended. A hover on another buffer is answered while they wait.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_long_check_does_not_hold_back_requests_on_other_buffers() {
    let options = ServerOptions { check_delay: Duration::from_secs(3), ..ServerOptions::default() };
    let settings = json!({"copydesk": {"corpus": [repo().join("seeds").display().to_string()], "debounceMs": 0}});
    let Setup { mut client, draft_uri, .. } = setup_with(options, capabilities(false), settings).await;
    let mark = client.mark();
    client.open(&draft_uri, "markdown", 1, DRAFT).await;
    client.diagnostics(mark, &draft_uri, 1).await;

    let slow = draft_uri.replace("draft.md", "slow.md");
    let mark = client.mark();
    client.open(&slow, "markdown", 1, DRAFT).await;
    let waiting: Vec<i64> = (500..508).collect();
    for &id in &waiting {
        client.raw(&framed(hover_request(id, &slow, pos(0, 20)).as_bytes())).await;
    }
    client.raw(&framed(hover_request(600, &draft_uri, pos(0, 20)).as_bytes())).await;
    let answer = client.wait_for(mark, "the hover on the other buffer", |m| m["id"] == 600).await;
    assert!(answer["result"]["contents"]["value"].is_string(), "{answer}");
    let early: Vec<&Value> =
        client.log[mark..].iter().filter(|m| m["id"].as_i64().is_some_and(|id| waiting.contains(&id))).collect();
    assert!(early.is_empty(), "the other buffer's hover waited for the slow check: {early:#?}");
    for &id in &waiting {
        let response = client.wait_for(mark, &format!("hover {id} after the check"), |m| m["id"] == id).await;
        assert!(response["result"]["contents"]["value"].is_string(), "{response}");
    }
    assert!(client.stop().await, "clean shutdown");
}
