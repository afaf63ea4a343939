//! The language server: `copydesk lsp` over stdio, built on `tower-lsp-server`.
//!
//! This is the only module that knows the protocol. Each method has its handler in a small
//! module ([`sync`], [`hover`], [`definition`], [`code_action`], [`workspace`],
//! [`initialize`]); [`convert`] is the boundary between the core's byte spans and protocol
//! positions; [`state`] holds the open buffers (ropes), settings and the loaded corpus;
//! [`analysis`] runs checks off the runtime and [`diagnostics`] schedules and publishes them;
//! [`sources`] loads, caches and watches the corpus. [`transport`] and [`framing`] stand
//! between the byte streams and the protocol crate, so no input can end the session.

pub mod analysis;
pub mod code_action;
pub mod convert;
pub mod definition;
pub mod diagnostics;
pub mod framing;
pub mod hover;
pub mod initialize;
pub mod log;
pub mod settings;
pub mod sources;
pub mod state;
pub mod sync;
pub mod transport;
pub mod workspace;

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;
use tokio::io::{AsyncRead, AsyncWrite};
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::lsp_types::*;
use tower_lsp_server::{Client, LanguageServer, LspService};

pub use log::Level;
pub use state::ServerOptions;
use state::{lock, Shared};

/// The `LanguageServer` implementation: each method delegates to its handler module.
#[derive(Debug)]
pub struct Server {
    shared: Arc<Shared>,
}

impl Server {
    /// A server whose own messages (diagnostics, answers to malformed input) go to `output`.
    pub fn new(client: Client, options: ServerOptions, output: transport::Output) -> Server {
        Server { shared: Arc::new(Shared::new(client, options, output)) }
    }

    /// [`DOCUMENT_REQUEST`]: the version and text of an open buffer as the server holds it
    /// (null for a buffer it does not hold).
    async fn document(&self, params: TextDocumentIdentifier) -> Result<Option<Value>> {
        let docs = lock(&self.shared.docs);
        Ok(docs.get(&params.uri).map(|doc| serde_json::json!({"version": doc.version, "text": doc.rope.to_string()})))
    }
}

/// Test hook: a request (`{"uri": ...}`) answered with `{"version", "text"}` of an open buffer,
/// so a fuzzer can compare the server's text with the text its edits should produce. Served
/// only when [`ServerOptions::document_request`] is set.
#[doc(hidden)]
pub const DOCUMENT_REQUEST: &str = "copydesk/test/document";

impl LanguageServer for Server {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        Ok(initialize::initialize(&self.shared, params))
    }

    async fn initialized(&self, _: InitializedParams) {
        let shared = self.shared.clone();
        // Index in the background: requests keep being served meanwhile.
        tokio::spawn(async move {
            sources::reload(&shared, "startup").await;
        });
    }

    async fn shutdown(&self) -> Result<()> {
        self.shared.shutdown.store(true, Ordering::SeqCst);
        let docs = lock(&self.shared.docs);
        for doc in docs.values() {
            if let Some(task) = &doc.task {
                task.abort();
            }
        }
        self.shared.log.info("shutdown");
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        sync::did_open(&self.shared, params);
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        sync::did_change(&self.shared, params);
    }

    async fn did_save(&self, params: DidSaveTextDocumentParams) {
        sync::did_save(&self.shared, params);
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        sync::did_close(&self.shared, params).await;
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        Ok(hover::hover(&self.shared, params).await)
    }

    async fn goto_definition(&self, params: GotoDefinitionParams) -> Result<Option<GotoDefinitionResponse>> {
        Ok(definition::definition(&self.shared, params).await)
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        Ok(code_action::code_action(&self.shared, params).await)
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        workspace::did_change_configuration(&self.shared, params).await;
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        workspace::did_change_watched_files(&self.shared, params).await;
    }

    async fn execute_command(&self, params: ExecuteCommandParams) -> Result<Option<Value>> {
        workspace::execute_command(&self.shared, params).await
    }
}

/// Requests served at once. Far above the crate's default of 4: a request on a buffer whose
/// check takes seconds (a hover in a 15 MB draft) waits for that check, and four such waits
/// would hold back every other request and notification, on every buffer.
const MAX_CONCURRENT_REQUESTS: usize = 128;

/// Serves the protocol over any byte streams (stdio, or a pipe in tests) until `exit` or the
/// end of the input. Returns whether `shutdown` was received before `exit`.
///
/// The crate speaks to in-process pipes: [`transport::read_input`] feeds it only well-formed
/// messages from `input`, and [`transport::write_output`] copies its frames, and the server's
/// own, to `output`.
pub async fn serve<I, O>(input: I, output: O, options: ServerOptions) -> bool
where
    I: AsyncRead + Unpin,
    O: AsyncWrite,
{
    let (own_output, own_frames) = transport::Output::channel();
    let mut shared = None;
    let document_request = options.document_request;
    let mut builder = LspService::build(|client| {
        let server = Server::new(client, options, own_output.clone());
        shared = Some(server.shared.clone());
        server
    });
    if document_request {
        builder = builder.custom_method(DOCUMENT_REQUEST, Server::document);
    }
    let (service, socket) = builder.finish();
    let Some(shared) = shared else {
        unreachable!("LspService::build constructs the server at once");
    };
    let (to_crate, crate_input) = tokio::io::duplex(transport::PIPE_BYTES);
    let (crate_output, from_crate) = tokio::io::duplex(transport::PIPE_BYTES);
    let served = tower_lsp_server::Server::new(crate_input, crate_output, socket)
        .concurrency_level(MAX_CONCURRENT_REQUESTS)
        .serve(service);
    let reader = transport::read_input(input, to_crate, own_output, shared.log.clone());
    let front = async {
        tokio::pin!(served);
        tokio::select! {
            // `exit`: the crate stops; whatever the client still sends is not read.
            () = &mut served => {}
            // End of input: the crate's input has ended too; let it finish.
            () = reader => served.await,
        }
    };
    tokio::join!(front, transport::write_output(from_crate, own_frames, output));
    shared.shutdown.load(Ordering::SeqCst)
}

/// `copydesk lsp`: serves stdin/stdout. Returns the process exit code (0 after `shutdown` then
/// `exit`, 1 after `exit` alone, as the protocol asks).
pub fn run_stdio(log_level: &str) -> anyhow::Result<i32> {
    let Some(level) = Level::parse(log_level) else {
        anyhow::bail!("unknown log level {log_level:?}: use error, warn, info or debug");
    };
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    let options = ServerOptions { log_level: level, ..ServerOptions::default() };
    let clean = runtime.block_on(serve(tokio::io::stdin(), tokio::io::stdout(), options));
    // Checks still running in blocking threads are abandoned, not awaited.
    runtime.shutdown_timeout(Duration::from_millis(100));
    Ok(if clean { 0 } else { 1 })
}
