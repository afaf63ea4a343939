//! Text synchronisation: `didOpen`, `didChange` (incremental, applied in order on a rope),
//! `didSave` and `didClose`.
//!
//! Edits are applied synchronously, before the handler's first `.await`, so they land in the
//! order the client sent them even though the transport polls handlers concurrently.

use std::sync::Arc;
use std::time::Duration;

use ropey::Rope;
use tower_lsp_server::lsp_types::{
    DidChangeTextDocumentParams, DidCloseTextDocumentParams, DidOpenTextDocumentParams, DidSaveTextDocumentParams,
    TextDocumentContentChangeEvent,
};

use super::convert::from_proto;
use super::diagnostics;
use super::sources;
use super::state::{draft_format, lock, Document, Shared};
use crate::position::PositionEncoding;

pub fn did_open(shared: &Arc<Shared>, params: DidOpenTextDocumentParams) {
    let item = params.text_document;
    let Some(format) = draft_format(&item.language_id, &item.uri) else {
        shared.log.debug(format!("ignoring {} (language {:?})", item.uri.as_str(), item.language_id));
        return;
    };
    let path = from_proto::file_path(&item.uri).map(|p| std::fs::canonicalize(&p).unwrap_or(p));
    shared.log.debug(format!("opened {} version {}", item.uri.as_str(), item.version));
    let doc = Document {
        rope: Rope::from_str(&item.text),
        version: item.version,
        language: item.language_id,
        format,
        path,
        task: None,
        analysis: None,
        gate: Default::default(),
    };
    let previous = lock(&shared.docs).insert(item.uri.clone(), doc);
    if let Some(task) = previous.and_then(|d| d.task) {
        task.abort();
    }
    diagnostics::schedule(shared, &item.uri, Duration::ZERO);
}

pub fn did_change(shared: &Arc<Shared>, params: DidChangeTextDocumentParams) {
    let uri = params.text_document.uri;
    let encoding = shared.encoding();
    {
        let mut docs = lock(&shared.docs);
        let Some(doc) = docs.get_mut(&uri) else {
            shared.log.debug(format!("change to unknown document {} ignored", uri.as_str()));
            return;
        };
        if params.text_document.version <= doc.version {
            shared.log.warn(format!(
                "{}: version {} is not newer than {}; applying anyway",
                uri.as_str(),
                params.text_document.version,
                doc.version
            ));
        }
        for change in params.content_changes {
            apply_change(shared, &mut doc.rope, change, encoding, uri.as_str());
        }
        doc.version = params.text_document.version;
        doc.analysis = None;
    }
    diagnostics::schedule(shared, &uri, shared.debounce());
}

fn apply_change(
    shared: &Shared,
    rope: &mut Rope,
    change: TextDocumentContentChangeEvent,
    encoding: PositionEncoding,
    uri: &str,
) {
    let Some(range) = change.range else {
        *rope = Rope::from_str(&change.text);
        return;
    };
    let (start, start_clamped) = from_proto::rope_offset(rope, range.start, encoding);
    let (end, end_clamped) = from_proto::rope_offset(rope, range.end, encoding);
    if start_clamped || end_clamped {
        shared.log.warn(format!(
            "{uri}: edit range {}:{}-{}:{} is outside the document; clamped",
            range.start.line, range.start.character, range.end.line, range.end.character
        ));
    }
    let (start, end) = if start <= end { (start, end) } else { (end, start) };
    let start_char = rope.byte_to_char(start);
    let end_char = rope.byte_to_char(end);
    rope.remove(start_char..end_char);
    rope.insert(start_char, &change.text);
}

/// Re-checks a saved draft at once. Saving a corpus file reloads the corpus when the client
/// does not watch files for us.
pub fn did_save(shared: &Arc<Shared>, params: DidSaveTextDocumentParams) {
    let uri = params.text_document.uri;
    if !shared.session().watch_dynamic && sources::affects_corpus(shared, &uri) {
        let shared = shared.clone();
        tokio::spawn(async move {
            sources::reload(&shared, "a corpus file was saved").await;
        });
        return;
    }
    diagnostics::schedule(shared, &uri, Duration::ZERO);
}

/// Forgets a closed buffer at once, like the other sync handlers (a `didOpen` right after must
/// not be undone by a close that waited), then clears its diagnostics under the publish gate:
/// a publish that already checked the buffer finishes first, and any later one finds it gone.
pub async fn did_close(shared: &Arc<Shared>, params: DidCloseTextDocumentParams) {
    let uri = params.text_document.uri;
    let removed = lock(&shared.docs).remove(&uri);
    let Some(doc) = removed else { return };
    if let Some(task) = doc.task {
        task.abort();
    }
    let _gate = shared.publish_gate.lock().await;
    if lock(&shared.docs).contains_key(&uri) {
        // Reopened meanwhile: its own check publishes for it.
        return;
    }
    diagnostics::clear(shared, &uri);
}
