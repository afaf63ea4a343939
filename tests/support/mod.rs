//! Shared by the integration tests that run the real binary: a language-server session over
//! the child's stdin and stdout with `Content-Length` framing, as an editor speaks it.
//!
//! The caller builds the [`Command`] (so a test can wrap the binary, e.g. in `strace`) and the
//! session frames requests, answers the server's own requests with `null`, and keeps every
//! message the server sent.

#![allow(dead_code)] // each test file uses part of this

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

pub const TIMEOUT: Duration = Duration::from_secs(30);

/// A `file://` URI for a path.
pub fn file_uri(path: &std::path::Path) -> String {
    format!("file://{}", path.display())
}

/// A language server running as a child process.
pub struct LspProcess {
    child: Child,
    stdin: Option<ChildStdin>,
    rx: mpsc::Receiver<Value>,
    /// Every message received so far, in order.
    pub log: Vec<Value>,
    next_id: i64,
}

fn frame(message: &Value) -> Vec<u8> {
    let body = serde_json::to_string(message).expect("JSON");
    format!("Content-Length: {}\r\n\r\n{}", body.len(), body).into_bytes()
}

impl LspProcess {
    /// Spawns `command` (which must run `copydesk lsp`) with piped stdio; stderr is discarded.
    pub fn spawn(mut command: Command) -> LspProcess {
        let mut child = command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn the language server");
        let stdin = child.stdin.take();
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut length = None;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some((name, value)) = line.split_once(':') {
                        if name.eq_ignore_ascii_case("content-length") {
                            length = value.trim().parse::<usize>().ok();
                        }
                    }
                }
                let Some(length) = length else { return };
                let mut body = vec![0; length];
                if reader.read_exact(&mut body).is_err() {
                    return;
                }
                let Ok(message) = serde_json::from_slice::<Value>(&body) else { return };
                if tx.send(message).is_err() {
                    return;
                }
            }
        });
        LspProcess { child, stdin, rx, log: Vec::new(), next_id: 1 }
    }

    fn send(&mut self, message: &Value) {
        let stdin = self.stdin.as_mut().expect("stdin still open");
        stdin.write_all(&frame(message)).expect("write to the server");
        stdin.flush().expect("flush");
    }

    /// Writes raw bytes, as a broken client would.
    pub fn raw(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().expect("stdin still open");
        stdin.write_all(bytes).expect("write to the server");
        stdin.flush().expect("flush");
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request and waits for its response (the whole message).
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        self.wait_for(&format!("the response to {method}"), |m| m.get("method").is_none() && m["id"] == json!(id))
    }

    /// Waits for a message satisfying `pred` (looking at those already received first),
    /// answering the server's requests with `null` meanwhile.
    pub fn wait_for(&mut self, what: &str, pred: impl Fn(&Value) -> bool) -> Value {
        if let Some(found) = self.log.iter().find(|m| pred(m)) {
            return found.clone();
        }
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let message = match self.rx.recv_timeout(left) {
                Ok(message) => message,
                Err(_) => panic!("no {what} within {TIMEOUT:?}; received {:#?}", self.log),
            };
            if message.get("method").is_some() && message.get("id").is_some() {
                let id = message["id"].clone();
                self.send(&json!({"jsonrpc": "2.0", "id": id, "result": null}));
            }
            self.log.push(message.clone());
            if pred(&message) {
                return message;
            }
        }
    }

    /// `initialize` (with `root` as the workspace and `settings` as initialization options),
    /// then `initialized`.
    pub fn initialize(&mut self, root: &std::path::Path, settings: Value) -> Value {
        let init = json!({
            "processId": null,
            "rootUri": file_uri(root),
            "capabilities": {"general": {"positionEncodings": ["utf-16"]}},
            "initializationOptions": settings,
        });
        let response = self.request("initialize", init);
        assert!(response.get("error").is_none(), "initialize failed: {response}");
        self.notify("initialized", json!({}));
        response
    }

    /// Waits for a `window/logMessage` or `window/showMessage` containing `text`.
    pub fn wait_for_message(&mut self, text: &str) -> Value {
        self.wait_for(&format!("a message containing {text:?}"), |m| {
            (m["method"] == "window/logMessage" || m["method"] == "window/showMessage")
                && m["params"]["message"].as_str().is_some_and(|s| s.contains(text))
        })
    }

    /// `shutdown`, `exit`, and the process's exit status.
    pub fn finish(mut self) -> ExitStatus {
        let response = self.request("shutdown", Value::Null);
        assert!(response.get("error").is_none(), "shutdown failed: {response}");
        self.notify("exit", Value::Null);
        self.wait_exit()
    }

    /// Closes the server's input and waits for it to exit.
    pub fn wait_exit(mut self) -> ExitStatus {
        drop(self.stdin.take());
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().expect("wait for the server") {
                return status;
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("the server did not exit within {TIMEOUT:?} of `exit`");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for LspProcess {
    fn drop(&mut self) {
        // A failed test must not leave the server running.
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}
