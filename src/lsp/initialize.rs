//! `initialize`: negotiates the position encoding, records what the client supports and the
//! workspace root, reads `initializationOptions`, and declares the server's capabilities.

use std::path::PathBuf;

use tower_lsp_server::lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionProviderCapability, ExecuteCommandOptions, HoverProviderCapability,
    InitializeParams, InitializeResult, OneOf, SaveOptions, ServerCapabilities, ServerInfo, TextDocumentSyncCapability,
    TextDocumentSyncKind, TextDocumentSyncOptions, TextDocumentSyncSaveOptions,
};

use super::convert::{from_proto, to_proto};
use super::settings::Settings;
use super::state::{lock, Session, Shared};
use super::workspace::RELOAD_COMMAND;

#[allow(deprecated)] // root_uri and root_path, for clients without workspace folders
pub fn initialize(shared: &Shared, params: InitializeParams) -> InitializeResult {
    let caps = &params.capabilities;
    let encoding = from_proto::encoding(caps);
    let root: Option<PathBuf> = params
        .workspace_folders
        .as_ref()
        .and_then(|folders| folders.first())
        .and_then(|folder| from_proto::file_path(&folder.uri))
        .or_else(|| params.root_uri.as_ref().and_then(from_proto::file_path))
        .or_else(|| params.root_path.as_ref().map(PathBuf::from));
    let text_document = caps.text_document.as_ref();
    let workspace = caps.workspace.as_ref();
    let watch = workspace.and_then(|w| w.did_change_watched_files.as_ref());
    let document_changes =
        workspace.and_then(|w| w.workspace_edit.as_ref()).and_then(|e| e.document_changes).unwrap_or(false);
    let session = Session {
        document_changes,
        encoding,
        root: root.clone(),
        link_support: text_document.and_then(|t| t.definition.as_ref()).and_then(|d| d.link_support).unwrap_or(false),
        work_done_progress: caps.window.as_ref().and_then(|w| w.work_done_progress).unwrap_or(false),
        watch_dynamic: watch.and_then(|w| w.dynamic_registration).unwrap_or(false),
        relative_patterns: watch.and_then(|w| w.relative_pattern_support).unwrap_or(false),
        related_information: text_document
            .and_then(|t| t.publish_diagnostics.as_ref())
            .and_then(|p| p.related_information)
            .unwrap_or(false),
    };
    shared.log.info(format!(
        "initialize: client {}, position encoding {:?}, root {}",
        params.client_info.as_ref().map(|c| c.name.as_str()).unwrap_or("unknown"),
        encoding,
        root.as_ref().map(|r| r.display().to_string()).unwrap_or_else(|| "none".into())
    ));
    *shared.session.write().unwrap_or_else(|p| p.into_inner()) = session;
    if let Some(options) = &params.initialization_options {
        let (settings, warnings) = Settings::from_json(options);
        for warning in warnings {
            shared.log.warn(warning);
        }
        *lock(&shared.settings) = settings;
    }
    InitializeResult {
        capabilities: capabilities(encoding),
        server_info: Some(ServerInfo {
            name: "copydesk".to_string(),
            version: Some(env!("CARGO_PKG_VERSION").to_string()),
        }),
    }
}

fn capabilities(encoding: crate::position::PositionEncoding) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(to_proto::encoding(encoding)),
        text_document_sync: Some(TextDocumentSyncCapability::Options(TextDocumentSyncOptions {
            open_close: Some(true),
            change: Some(TextDocumentSyncKind::INCREMENTAL),
            will_save: None,
            will_save_wait_until: None,
            save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions { include_text: Some(false) })),
        })),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
            resolve_provider: Some(false),
            work_done_progress_options: Default::default(),
        })),
        execute_command_provider: Some(ExecuteCommandOptions {
            commands: vec![RELOAD_COMMAND.to_string()],
            work_done_progress_options: Default::default(),
        }),
        ..Default::default()
    }
}
