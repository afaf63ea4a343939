//! Diagnostics: scheduling checks of changed buffers (debounced, newest version wins) and
//! turning a report into `textDocument/publishDiagnostics`, sent through [`transport::Output`].

use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;
use serde_json::json;
use tower_lsp_server::lsp_types::{
    Diagnostic, DiagnosticRelatedInformation, Location, NumberOrString, PublishDiagnosticsParams, Uri,
};

use super::analysis::analyze;
use super::convert::to_proto;
use super::state::{lock, Analysis, Shared};
use super::transport;
use crate::findings::Finding;
use crate::position::PositionEncoding;

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
/// The notification is serialised off the runtime, straight from the findings (a 15 MB draft
/// has tens of thousands: neither a `Vec<Diagnostic>` nor a JSON value tree of them is ever
/// built), then queued under the documents lock after the version check, so no edit can be
/// applied in between: a version the server knows to be stale is never published.
pub async fn publish(shared: &Arc<Shared>, uri: &Uri, analysis: &Arc<Analysis>) {
    let encoding = shared.encoding();
    let (task_uri, task_analysis) = (uri.clone(), analysis.clone());
    let serialised = tokio::task::spawn_blocking(move || notification(&task_uri, &task_analysis, encoding)).await;
    let body = match serialised {
        Ok(Ok(body)) => body,
        Ok(Err(err)) => {
            shared.log.error(format!("diagnostics of {} could not be serialised: {err}", uri.as_str()));
            return;
        }
        Err(err) => {
            shared.log.error(format!("serialising the diagnostics of {} failed: {err}", uri.as_str()));
            return;
        }
    };
    let _gate = shared.publish_gate.lock().await;
    // A result computed against a corpus that has since been reloaded is stale too.
    if shared.sources().is_some_and(|current| current.generation != analysis.sources.generation) {
        return;
    }
    let version = analysis.version;
    {
        let docs = lock(&shared.docs);
        match docs.get(uri) {
            Some(doc) if doc.version == version => {}
            _ => return,
        }
        shared.output.send(body);
    }
    let count = analysis.report.findings.len();
    shared.log.debug(format!("published {count} diagnostics for {} version {version}", uri.as_str()));
}

/// Clears the diagnostics of a buffer (through the same queue as [`publish`], so in order).
pub fn clear(shared: &Shared, uri: &Uri) {
    let params = PublishDiagnosticsParams { uri: uri.clone(), diagnostics: Vec::new(), version: None };
    if let Err(err) = shared.output.notify(PUBLISH_DIAGNOSTICS, params) {
        shared.log.error(format!("clearing the diagnostics of {} failed: {err}", uri.as_str()));
    }
}

const PUBLISH_DIAGNOSTICS: &str = "textDocument/publishDiagnostics";

/// The `publishDiagnostics` notification of an analysis, diagnostics in span order.
fn notification(uri: &Uri, analysis: &Analysis, encoding: PositionEncoding) -> serde_json::Result<Vec<u8>> {
    #[derive(Serialize)]
    struct Params<'a> {
        uri: &'a Uri,
        diagnostics: Diagnostics<'a>,
        version: i32,
    }
    /// Serialises each diagnostic as it is made.
    struct Diagnostics<'a> {
        analysis: &'a Analysis,
        encoding: PositionEncoding,
    }
    impl Serialize for Diagnostics<'_> {
        fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let mut findings: Vec<&Finding> = self.analysis.report.findings.iter().collect();
            findings.sort_by_key(|f| (f.span.start, f.span.end, f.code));
            serializer.collect_seq(findings.into_iter().map(|f| diagnostic(self.analysis, f, self.encoding)))
        }
    }
    let params = Params { uri, diagnostics: Diagnostics { analysis, encoding }, version: analysis.version };
    transport::notification(PUBLISH_DIAGNOSTICS, params)
}

/// The diagnostic of one finding.
fn diagnostic(analysis: &Analysis, finding: &Finding, encoding: PositionEncoding) -> Diagnostic {
    let sources = &analysis.sources;
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
}
