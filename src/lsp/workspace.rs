//! Workspace notifications and commands: `workspace/didChangeConfiguration`,
//! `workspace/didChangeWatchedFiles` and `workspace/executeCommand` (`copydesk.reloadCorpus`).

use std::sync::Arc;

use serde_json::{json, Value};
use tower_lsp_server::jsonrpc;
use tower_lsp_server::lsp_types::{DidChangeConfigurationParams, DidChangeWatchedFilesParams, ExecuteCommandParams};

use super::settings::Settings;
use super::sources;
use super::state::{lock, Shared};

pub const RELOAD_COMMAND: &str = "copydesk.reloadCorpus";

/// Applies new settings; reloads the corpus when its paths changed.
pub async fn did_change_configuration(shared: &Arc<Shared>, params: DidChangeConfigurationParams) {
    if params.settings.is_null() {
        return;
    }
    let (settings, warnings) = Settings::from_json(&params.settings);
    for warning in warnings {
        shared.log.warn(warning);
    }
    let (corpus_changed, severity_changed) = {
        let mut current = lock(&shared.settings);
        let changed = (current.corpus != settings.corpus, current.severity != settings.severity);
        *current = settings;
        changed
    };
    shared.log.info("settings updated");
    if corpus_changed {
        sources::reload(shared, "settings changed").await;
    } else if severity_changed {
        // Cached analyses carry the old severities.
        for doc in lock(&shared.docs).values_mut() {
            doc.analysis = None;
        }
        crate::lsp::diagnostics::schedule_all(shared);
    }
}

pub async fn did_change_watched_files(shared: &Arc<Shared>, params: DidChangeWatchedFilesParams) {
    let relevant: Vec<_> = params.changes.iter().filter(|c| sources::affects_corpus(shared, &c.uri)).collect();
    if relevant.is_empty() {
        return;
    }
    let reason = format!("{} corpus files changed", relevant.len());
    // The project file can change the corpus itself: reload from scratch. Otherwise refresh
    // the index for the reported files alone.
    let paths: Vec<std::path::PathBuf> = relevant.iter().filter_map(|c| super::convert::from_proto::file_path(&c.uri)).collect();
    let config_changed = paths.iter().any(|p| p.file_name().is_some_and(|n| n == crate::config::FILE_NAME));
    if config_changed || paths.len() != relevant.len() {
        sources::reload(shared, &reason).await;
    } else {
        sources::reload_changed(shared, &reason, paths).await;
    }
}

pub async fn execute_command(shared: &Arc<Shared>, params: ExecuteCommandParams) -> jsonrpc::Result<Option<Value>> {
    match params.command.as_str() {
        RELOAD_COMMAND => match sources::reload(shared, "reload command").await {
            Some(count) => Ok(Some(json!({ "documents": count }))),
            None => Err(jsonrpc::Error {
                code: jsonrpc::ErrorCode::InternalError,
                message: "could not load the corpus (see the log)".into(),
                data: None,
            }),
        },
        other => Err(jsonrpc::Error::invalid_params(format!("unknown command {other}"))),
    }
}
