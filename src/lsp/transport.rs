//! The server's two byte streams, around the protocol crate.
//!
//! Input: the client's bytes go through [`framing`](super::framing) and [`check_message`]; only
//! messages the crate's own parser accepts reach the crate, re-framed, through an in-process
//! pipe, because the crate ends the session at the first message it cannot decode. Malformed
//! ones are logged and, when they could be requests, answered here with a JSON-RPC error
//! (-32700 parse error, -32600 invalid request; with the message's id when it has a usable
//! one, else null).
//!
//! Output: the crate writes into another pipe, and [`write_output`] copies its frames to the
//! real output whole, interleaved only between frames with the server's own messages: those
//! error answers and the diagnostics, which [`Output`] sends serialised straight from the
//! findings rather than through the crate's JSON value tree.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::sync::mpsc;
use tower_lsp_server::jsonrpc::{Request, Response};

use super::framing::{Event, FrameError, Framer};
use super::log::Logger;

/// JSON-RPC's "Parse error": the body is not JSON (or not UTF-8, or no body could be framed).
pub const PARSE_ERROR: i64 = -32700;
/// JSON-RPC's "Invalid Request": JSON, but not a JSON-RPC 2.0 message.
pub const INVALID_REQUEST: i64 = -32600;

/// Bytes read at a time.
const CHUNK: usize = 64 << 10;

/// Buffer size of the in-process pipes to and from the crate.
pub const PIPE_BYTES: usize = 64 << 10;

/// Frames below this size are written with their header in one call.
const SMALL_FRAME: usize = 64 << 10;

/// The server's own way to the client's input, beside the crate's: bodies sent here are framed
/// and written whole, in the order sent.
#[derive(Debug, Clone)]
pub struct Output {
    tx: mpsc::UnboundedSender<Vec<u8>>,
}

impl Output {
    pub fn channel() -> (Output, mpsc::UnboundedReceiver<Vec<u8>>) {
        let (tx, rx) = mpsc::unbounded_channel();
        (Output { tx }, rx)
    }

    /// Queues a message body. Never waits; after the session ended the body is dropped.
    pub fn send(&self, body: Vec<u8>) {
        let _ = self.tx.send(body);
    }

    /// Queues a notification.
    pub fn notify<P: Serialize>(&self, method: &str, params: P) -> serde_json::Result<()> {
        self.send(notification(method, params)?);
        Ok(())
    }
}

/// The body of a notification, serialised straight from `params`. Serialised twice, first
/// only to count its bytes, so the buffer is allocated once at its final size: the diagnostics
/// of a 15 MB draft are some 60 MB of JSON, and a growing buffer would briefly need half as
/// much again and leave the allocator holding the difference.
pub fn notification<P: Serialize>(method: &str, params: P) -> serde_json::Result<Vec<u8>> {
    #[derive(Serialize)]
    struct Notification<'a, P> {
        jsonrpc: &'static str,
        method: &'a str,
        params: P,
    }
    /// Counts what is written to it.
    struct Count(usize);
    impl std::io::Write for Count {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0 += buf.len();
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let message = Notification { jsonrpc: "2.0", method, params };
    let mut count = Count(0);
    serde_json::to_writer(&mut count, &message)?;
    let mut body = Vec::with_capacity(count.0);
    serde_json::to_writer(&mut body, &message)?;
    Ok(body)
}

/// The body of an error response.
pub fn error_response(id: &Value, code: i64, message: &str) -> Vec<u8> {
    let response = serde_json::json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message}});
    response.to_string().into_bytes()
}

/// Why a frame's body is not a message the server takes.
#[derive(Debug, Clone, PartialEq)]
pub struct Rejection {
    /// [`PARSE_ERROR`] or [`INVALID_REQUEST`].
    pub code: i64,
    pub message: String,
    /// The message's id when it has one the answer can carry (an integer or a string), else null.
    pub id: Value,
    /// False for what looks like a response from the client: a response is never answered.
    pub answer: bool,
}

impl Rejection {
    fn parse(message: String) -> Rejection {
        Rejection { code: PARSE_ERROR, message: format!("Parse error: {message}"), id: Value::Null, answer: true }
    }
}

/// What the crate decodes a body into: the same untagged enum over its public types, so that
/// a body is accepted here exactly when the crate's own decoder will accept it.
#[derive(Deserialize)]
#[serde(untagged)]
#[allow(dead_code)] // only whether it parses matters
enum Incoming {
    Response(Response),
    Request(Request),
}

/// Accepts a body that is a JSON-RPC 2.0 request, notification or response the crate can take.
pub fn check_message(body: &[u8]) -> Result<(), Rejection> {
    if body.is_empty() {
        return Err(Rejection::parse("the message body is empty".into()));
    }
    let text = std::str::from_utf8(body).map_err(|e| {
        Rejection::parse(format!("the message body is not UTF-8 (invalid byte at offset {})", e.valid_up_to()))
    })?;
    match serde_json::from_str::<Incoming>(text) {
        // The crate reads a missing method as "": not a request anyone can serve.
        Ok(Incoming::Request(request)) if request.method().is_empty() => Err(invalid(text)),
        Ok(_) => Ok(()),
        Err(e) if e.is_data() => Err(invalid(text)),
        Err(e) => Err(Rejection::parse(format!("the message body is not JSON: {e}"))),
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Says what is wrong with a body that is JSON but not a message the crate takes.
fn invalid(text: &str) -> Rejection {
    let value: Value = match serde_json::from_str(text) {
        Ok(value) => value,
        Err(e) => return Rejection::parse(format!("the message body is not JSON: {e}")),
    };
    let reject = |reason: String, id: Value, answer: bool| Rejection {
        code: INVALID_REQUEST,
        message: format!("Invalid request: {reason}"),
        id,
        answer,
    };
    let map = match &value {
        Value::Object(map) => map,
        Value::Array(_) => {
            return reject(
                "a batch (a JSON array) of messages; the Language Server Protocol sends one message per frame".into(),
                Value::Null,
                true,
            )
        }
        other => return reject(format!("the message is {}, not a JSON object", kind(other)), Value::Null, true),
    };
    let raw_id = map.get("id");
    let id = match raw_id {
        Some(Value::Number(n)) if n.is_i64() => Value::Number(n.clone()),
        Some(Value::String(s)) => Value::String(s.clone()),
        _ => Value::Null,
    };
    let method = map.get("method");
    // A response is never answered, even a malformed one: the client is not waiting for anything.
    let response = method.is_none() && (map.contains_key("result") || map.contains_key("error"));
    let reason = match map.get("jsonrpc") {
        None => Some("it has no \"jsonrpc\": \"2.0\"".to_string()),
        Some(Value::String(v)) if v == "2.0" => None,
        Some(other) => Some(format!("\"jsonrpc\" is {other}, not \"2.0\"")),
    }
    .or_else(|| match raw_id {
        Some(Value::Null) | None => None,
        Some(v) if id.is_null() => Some(format!("\"id\" is {}, not an integer or a string", kind(v))),
        Some(_) => None,
    })
    .or_else(|| match method {
        Some(Value::String(m)) if m.is_empty() => Some("\"method\" is empty".to_string()),
        Some(Value::String(_)) => None,
        Some(other) => Some(format!("\"method\" is {}, not a string", kind(other))),
        None if response && raw_id.is_none() => Some("a response without an \"id\"".to_string()),
        None if response => {
            Some("a response needs a \"result\" or an \"error\" with an integer \"code\" and a string \"message\"".into())
        }
        None => Some("it has no \"method\" (nor the \"result\" or \"error\" of a response)".to_string()),
    })
    .unwrap_or_else(|| "it is not a JSON-RPC request, notification or response".to_string());
    reject(reason, id, !response)
}

/// Reads the client's input until it ends, passing well-formed messages to the crate's pipe
/// and answering or logging everything else. Dropping `to_crate` at the end ends the crate's
/// input as the end of the real input would have.
pub async fn read_input<I, W>(mut input: I, mut to_crate: W, output: Output, log: Logger)
where
    I: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let mut framer = Framer::default();
    let mut chunk = vec![0; CHUNK];
    loop {
        let n = match input.read(&mut chunk).await {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) => {
                log.error(format!("reading the client's messages failed: {e}"));
                break;
            }
        };
        framer.push(&chunk[..n]);
        while let Some(event) = framer.next() {
            if !deliver(event, &mut to_crate, &output, &log).await {
                return;
            }
        }
    }
    for event in framer.finish() {
        if !deliver(event, &mut to_crate, &output, &log).await {
            return;
        }
    }
}

/// Handles one framing event. False when the crate no longer reads its input.
async fn deliver<W: AsyncWrite + Unpin>(event: Event, to_crate: &mut W, output: &Output, log: &Logger) -> bool {
    match event {
        Event::Frame(body) => match check_message(&body) {
            Ok(()) => write_frame(to_crate, &body).await.is_ok(),
            Err(rejection) => {
                let answered = if rejection.answer { "answered" } else { "ignored" };
                log.warn(format!("malformed message {answered}: {}", rejection.message));
                if rejection.answer {
                    output.send(error_response(&rejection.id, rejection.code, &rejection.message));
                }
                true
            }
        },
        Event::Malformed(error) => {
            let code = if matches!(error, FrameError::TooLarge(_)) { INVALID_REQUEST } else { PARSE_ERROR };
            let message = format!("{}: {error}", if code == PARSE_ERROR { "Parse error" } else { "Invalid request" });
            log.warn(format!("malformed message header answered: {message}; reading on from the next header"));
            output.send(error_response(&Value::Null, code, &message));
            true
        }
        Event::Skipped(bytes) => {
            log.warn(format!("skipped {bytes} bytes that were not a message, up to the next Content-Length header"));
            true
        }
        Event::Truncated { got, expected } => {
            log.warn(format!("the input ended inside a message ({got} of its {expected} bytes)"));
            true
        }
    }
}

/// Writes one frame: its `Content-Length` header and body.
async fn write_frame<W: AsyncWrite + Unpin>(out: &mut W, body: &[u8]) -> std::io::Result<()> {
    let header = format!("Content-Length: {}\r\n\r\n", body.len());
    if body.len() < SMALL_FRAME {
        let mut frame = header.into_bytes();
        frame.extend_from_slice(body);
        out.write_all(&frame).await?;
    } else {
        out.write_all(header.as_bytes()).await?;
        out.write_all(body).await?;
    }
    out.flush().await
}

/// Copies the crate's frames and the server's own messages to `out`, each frame whole, until
/// the crate's output ends (then what the server queued by then is written too) or `out`
/// fails.
pub async fn write_output<R, O>(mut from_crate: R, mut own: mpsc::UnboundedReceiver<Vec<u8>>, out: O)
where
    R: AsyncRead + Unpin,
    O: AsyncWrite,
{
    tokio::pin!(out);
    let mut framer = Framer::default();
    let mut chunk = vec![0; CHUNK];
    loop {
        tokio::select! {
            read = from_crate.read(&mut chunk) => {
                let n = match read {
                    Ok(0) | Err(_) => break,
                    Ok(n) => n,
                };
                framer.push(&chunk[..n]);
                // The crate writes well-formed frames only, so nothing but frames comes out.
                while let Some(event) = framer.next() {
                    if let Event::Frame(body) = event {
                        if write_frame(&mut out, &body).await.is_err() {
                            return;
                        }
                    }
                }
            }
            Some(body) = own.recv() => {
                if write_frame(&mut out, &body).await.is_err() {
                    return;
                }
            }
        }
    }
    while let Ok(body) = own.try_recv() {
        if write_frame(&mut out, &body).await.is_err() {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rejected(body: &[u8]) -> Rejection {
        check_message(body).expect_err(&String::from_utf8_lossy(body))
    }

    #[test]
    fn well_formed_messages_pass() {
        for body in [
            json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {}}),
            json!({"jsonrpc": "2.0", "id": "a", "method": "shutdown"}),
            json!({"jsonrpc": "2.0", "id": null, "method": "shutdown"}),
            json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}),
            json!({"jsonrpc": "2.0", "id": 3, "result": null}),
            json!({"jsonrpc": "2.0", "id": 3, "error": {"code": -1, "message": "no"}}),
        ] {
            assert_eq!(check_message(body.to_string().as_bytes()), Ok(()), "{body}");
        }
    }

    /// Tests as data: each malformed body, the error code, the id answered, and a part of the
    /// message that says what is wrong.
    #[test]
    fn malformed_bodies_get_the_right_error_and_id() {
        let cases: &[(&[u8], i64, Value, &str)] = &[
            (b"", PARSE_ERROR, Value::Null, "empty"),
            (b"hello", PARSE_ERROR, Value::Null, "not JSON"),
            (b"{\"jsonrpc\":\"2.0\",", PARSE_ERROR, Value::Null, "not JSON"),
            (b"{\"jsonrpc\":\"2.0\",\"method\":\"x\"} trailing", PARSE_ERROR, Value::Null, "not JSON"),
            (b"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"\xff\"}", PARSE_ERROR, Value::Null, "not UTF-8 (invalid byte at offset 34)"),
            (b"{}", INVALID_REQUEST, Value::Null, "no \"jsonrpc\""),
            (b"null", INVALID_REQUEST, Value::Null, "null, not a JSON object"),
            (b"42", INVALID_REQUEST, Value::Null, "a number, not a JSON object"),
            (b"[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"shutdown\"}]", INVALID_REQUEST, Value::Null, "batch"),
            (b"{\"jsonrpc\":\"1.0\",\"id\":5,\"method\":\"shutdown\"}", INVALID_REQUEST, json!(5), "\"1.0\", not \"2.0\""),
            (b"{\"jsonrpc\":2,\"id\":\"x\",\"method\":\"shutdown\"}", INVALID_REQUEST, json!("x"), "2, not \"2.0\""),
            (b"{\"jsonrpc\":\"2.0\",\"id\":{\"a\":1},\"method\":\"shutdown\"}", INVALID_REQUEST, Value::Null, "\"id\" is an object"),
            (b"{\"jsonrpc\":\"2.0\",\"id\":1.5,\"method\":\"shutdown\"}", INVALID_REQUEST, Value::Null, "\"id\" is a number"),
            (b"{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":3}", INVALID_REQUEST, json!(7), "\"method\" is a number"),
            (b"{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"\"}", INVALID_REQUEST, json!(7), "\"method\" is empty"),
            (b"{\"jsonrpc\":\"2.0\",\"id\":8}", INVALID_REQUEST, json!(8), "no \"method\""),
            (b"{\"jsonrpc\":\"2.0\"}", INVALID_REQUEST, Value::Null, "no \"method\""),
        ];
        for (body, code, id, says) in cases {
            let rejection = rejected(body);
            let shown = String::from_utf8_lossy(body);
            assert_eq!(rejection.code, *code, "{shown}: {rejection:?}");
            assert_eq!(&rejection.id, id, "{shown}: {rejection:?}");
            assert!(rejection.message.contains(says), "{shown}: {:?} should say {says:?}", rejection.message);
            assert!(rejection.answer, "{shown}");
        }
    }

    #[test]
    fn malformed_responses_are_logged_not_answered() {
        for body in [
            &br#"{"jsonrpc":"2.0","result":1}"#[..],
            br#"{"jsonrpc":"2.0","id":2,"error":"no"}"#,
            br#"{"jsonrpc":"1.0","id":2,"result":1}"#,
        ] {
            let rejection = rejected(body);
            assert_eq!(rejection.code, INVALID_REQUEST);
            assert!(!rejection.answer, "{}", String::from_utf8_lossy(body));
        }
    }

    #[test]
    fn deep_nesting_is_a_parse_error_not_a_crash() {
        let depth = 10_000;
        let body = format!(
            "{{\"jsonrpc\":\"2.0\",\"method\":\"x\",\"params\":{}{}}}",
            "[".repeat(depth),
            "]".repeat(depth)
        );
        assert_eq!(rejected(body.as_bytes()).code, PARSE_ERROR);
    }

    #[test]
    fn error_responses_are_json_rpc() {
        let body = error_response(&json!(5), INVALID_REQUEST, "Invalid request: x");
        let value: Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(value, json!({"jsonrpc": "2.0", "id": 5, "error": {"code": -32600, "message": "Invalid request: x"}}));
    }
}
