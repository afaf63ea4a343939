//! Diagnostics: scheduling checks of changed buffers (debounced, newest version wins) and
//! turning a report into `textDocument/publishDiagnostics`.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use serde_json::json;
use tower_lsp_server::lsp_types::{Diagnostic, DiagnosticRelatedInformation, Location, NumberOrString, Uri};

use super::analysis::analyze;
use super::convert::to_proto;
use super::state::{lock, Analysis, Shared};

/// Checks the buffer after `delay`, cancelling the buffer's earlier pending check, and
/// publishes the result if the buffer is still at the version that was checked.
pub fn schedule(shared: &Arc<Shared>, uri: &Uri, delay: Duration) {
    let mut docs = lock(&shared.docs);
    let Some(doc) = docs.get_mut(uri) else { return };
    if let Some(task) = doc.task.take() {
        task.abort();
    }
    let version = doc.version;
    let task_shared = shared.clone();
    let task_uri = uri.clone();
    let handle = tokio::spawn(async move {
        if !delay.is_zero() {
            tokio::time::sleep(delay).await;
        }
        let Some(analysis) = analyze(&task_shared, &task_uri, Some(version)).await else { return };
        publish(&task_shared, &task_uri, &analysis).await;
    });
    doc.task = Some(handle.abort_handle());
}

/// Schedules a check of every open buffer now (after the corpus changed).
pub fn schedule_all(shared: &Arc<Shared>) {
    let uris: Vec<Uri> = {
        let mut uris: Vec<Uri> = lock(&shared.docs).keys().cloned().collect();
        uris.sort();
        uris
    };
    for uri in uris {
        schedule(shared, &uri, Duration::ZERO);
    }
}

/// Publishes the diagnostics of an analysis unless the buffer has moved on.
///
/// The version check and the hand-off of the notification to the transport happen under the
/// documents lock, so no edit can be applied in between: a version the server knows to be
/// stale is never published.
pub async fn publish(shared: &Arc<Shared>, uri: &Uri, analysis: &Analysis) {
    let diagnostics = build(shared, analysis);
    let _gate = shared.publish_gate.lock().await;
    let count = diagnostics.len();
    let version = analysis.version;
    let mut pending = Some(diagnostics);
    {
        // A result computed against a corpus that has since been reloaded is stale too.
        if shared.sources().is_some_and(|current| current.generation != analysis.sources.generation) {
            return;
        }
        let docs = lock(&shared.docs);
        match docs.get(uri) {
            Some(doc) if doc.version == version => {}
            _ => return,
        }
        // Queue the notification now, while holding the lock, if the transport has room
        // (it nearly always has: each sender has a slot of its own).
        let diagnostics = pending.take().unwrap_or_default();
        let mut send =
            std::pin::pin!(shared.client.publish_diagnostics(uri.clone(), diagnostics.clone(), Some(version)));
        let mut context = std::task::Context::from_waker(std::task::Waker::noop());
        if send.as_mut().poll(&mut context).is_pending() {
            // Not queued (the send future owns the message and is dropped): retry below.
            pending = Some(diagnostics);
        }
    }
    if let Some(diagnostics) = pending {
        {
            if shared.sources().is_some_and(|current| current.generation != analysis.sources.generation) {
                return;
            }
            let docs = lock(&shared.docs);
            if docs.get(uri).is_none_or(|doc| doc.version != version) {
                return;
            }
        }
        shared.client.publish_diagnostics(uri.clone(), diagnostics, Some(version)).await;
    }
    shared.log.debug(format!("published {count} diagnostics for {} version {version}", uri.as_str()));
}

/// Clears the diagnostics of a buffer.
pub async fn clear(shared: &Shared, uri: &Uri) {
    shared.client.publish_diagnostics(uri.clone(), Vec::new(), None).await;
}

/// The diagnostics of an analysis, in span order.
pub fn build(shared: &Shared, analysis: &Analysis) -> Vec<Diagnostic> {
    let encoding = shared.encoding();
    let sources = &analysis.sources;
    let mut findings: Vec<&crate::findings::Finding> = analysis.report.findings.iter().collect();
    findings.sort_by_key(|f| (f.span.start, f.span.end, f.code));
    findings
        .into_iter()
        .map(|finding| {
            let range = to_proto::range(&analysis.lines, &analysis.text, finding.span, encoding);
            let related: Vec<DiagnosticRelatedInformation> = finding
                .evidence
                .iter()
                .filter_map(|ev| {
                    let doc = sources.corpus.document(ev.doc)?;
                    let uri = sources.uris.get(ev.doc as usize)?.clone()?;
                    Some(DiagnosticRelatedInformation {
                        location: Location { uri, range: to_proto::range(doc.lines(), &doc.text, ev.passage, encoding) },
                        message: format!("source says \"{}\" ({})", ev.text, doc.title),
                    })
                })
                .collect();
            let data = finding.fix.as_ref().map(|fix| {
                json!({
                    "fix": {
                        "range": to_proto::range(&analysis.lines, &analysis.text, fix.span, encoding),
                        "newText": fix.replacement,
                        "title": fix.title,
                    }
                })
            });
            Diagnostic {
                range,
                severity: Some(to_proto::severity(finding.severity)),
                code: Some(NumberOrString::String(finding.code.as_str().to_string())),
                code_description: None,
                source: Some("copydesk".to_string()),
                message: finding.message.clone(),
                related_information: (!related.is_empty()).then_some(related),
                tags: None,
                data,
            }
        })
        .collect()
}
