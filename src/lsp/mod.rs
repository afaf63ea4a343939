//! The language server: `copydesk lsp` over stdio, built on `tower-lsp-server`.
//!
//! This is the only module that knows the protocol. Each method has its handler in a small
//! module ([`sync`], [`hover`], [`definition`], [`code_action`], [`workspace`],
//! [`initialize`]); [`convert`] is the boundary between the core's byte spans and protocol
//! positions; [`state`] holds the open buffers (ropes), settings and the loaded corpus;
//! [`analysis`] runs checks off the runtime and [`diagnostics`] schedules and publishes them;
//! [`sources`] loads, caches and watches the corpus.

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
    pub fn new(client: Client, options: ServerOptions) -> Server {
        Server { shared: Arc::new(Shared::new(client, options)) }
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

/// Serves the protocol over any byte streams (stdio, or a pipe in tests) until `exit`.
/// Returns whether `shutdown` was received before `exit`.
pub async fn serve<I, O>(input: I, output: O, options: ServerOptions) -> bool
where
    I: AsyncRead + Unpin,
    O: AsyncWrite,
{
    let mut shared = None;
    let document_request = options.document_request;
    let mut builder = LspService::build(|client| {
        let server = Server::new(client, options);
        shared = Some(server.shared.clone());
        server
    });
    if document_request {
        builder = builder.custom_method(DOCUMENT_REQUEST, Server::document);
    }
    let (service, socket) = builder.finish();
    tower_lsp_server::Server::new(input, output, socket).serve(service).await;
    shared.is_some_and(|s| s.shutdown.load(Ordering::SeqCst))
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
