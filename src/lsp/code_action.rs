//! `textDocument/codeAction`: two quick fixes per finding under the cursor or selection, each a
//! `WorkspaceEdit` built here: replace the figure with the source's wording (the finding's fix),
//! and ignore the statistic by inserting `<!-- copydesk-disable-next-line CODE -->` above its
//! line (with the line's indentation and line ending).

use std::collections::HashMap;
use std::sync::Arc;

use tower_lsp_server::lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, Diagnostic, DocumentChanges, NumberOrString,
    OneOf, OptionalVersionedTextDocumentIdentifier, Position, Range, TextDocumentEdit, TextEdit, Uri, WorkspaceEdit,
};

use super::analysis::analyze;
use super::convert::{from_proto, to_proto};
use super::state::Shared;
use crate::position::Span;

pub async fn code_action(shared: &Arc<Shared>, params: CodeActionParams) -> Option<Vec<CodeActionOrCommand>> {
    if let Some(only) = &params.context.only {
        if !only.iter().any(|k| k == &CodeActionKind::QUICKFIX || k.as_str() == "quickfix" || k.as_str().is_empty()) {
            return None;
        }
    }
    let uri = params.text_document.uri;
    let analysis = analyze(shared, &uri, None).await?;
    // Versioned edits when the client takes them, so an edit to a buffer that moved on is refused.
    let versioned = shared.session().document_changes.then_some(analysis.version);
    let encoding = shared.encoding();
    let text = analysis.text.as_str();
    let (start, _) = from_proto::offset(&analysis.lines, text, params.range.start, encoding);
    let (end, _) = from_proto::offset(&analysis.lines, text, params.range.end, encoding);
    let (start, end) = (start.min(end), start.max(end));
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let mut actions = Vec::new();
    let mut findings: Vec<&crate::findings::Finding> = analysis
        .report
        .findings
        .iter()
        .filter(|f| f.span.overlaps(Span::new(start, end)) || (f.span.start <= start && start <= f.span.end))
        .collect();
    findings.sort_by_key(|f| (f.span.start, f.span.end, f.code));
    for finding in findings {
        let range = to_proto::range(&analysis.lines, text, finding.span, encoding);
        let code = finding.code.as_str();
        let diagnostics: Vec<Diagnostic> = params
            .context
            .diagnostics
            .iter()
            .filter(|d| d.range == range && d.code == Some(NumberOrString::String(code.to_string())))
            .cloned()
            .collect();
        let diagnostics = (!diagnostics.is_empty()).then_some(diagnostics);
        if let Some(fix) = &finding.fix {
            let edit = TextEdit {
                range: to_proto::range(&analysis.lines, text, fix.span, encoding),
                new_text: fix.replacement.clone(),
            };
            let title = if fix.title.is_empty() {
                format!("Replace with the source's wording: {}", fix.replacement)
            } else {
                fix.title.clone()
            };
            actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                title,
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: diagnostics.clone(),
                edit: Some(workspace_edit(&uri, edit, versioned)),
                is_preferred: Some(true),
                ..Default::default()
            }));
        }
        let line = analysis.lines.line_of(finding.span.start);
        let line_span = analysis.lines.line_span(text, line);
        let indent: String = line_span.slice(text).chars().take_while(|c| *c == ' ' || *c == '\t').collect();
        let at = Position { line: line as u32, character: 0 };
        let edit = TextEdit {
            range: Range { start: at, end: at },
            new_text: format!("{indent}<!-- copydesk-disable-next-line {code} -->{newline}"),
        };
        actions.push(CodeActionOrCommand::CodeAction(CodeAction {
            title: format!("Ignore this statistic ({code})"),
            kind: Some(CodeActionKind::QUICKFIX),
            diagnostics,
            edit: Some(workspace_edit(&uri, edit, versioned)),
            ..Default::default()
        }));
    }
    Some(actions)
}

#[allow(clippy::mutable_key_type)] // lsp_types::Uri is hashed by its string
fn workspace_edit(uri: &Uri, edit: TextEdit, version: Option<i32>) -> WorkspaceEdit {
    if let Some(version) = version {
        let change = TextDocumentEdit {
            text_document: OptionalVersionedTextDocumentIdentifier { uri: uri.clone(), version: Some(version) },
            edits: vec![OneOf::Left(edit)],
        };
        return WorkspaceEdit { document_changes: Some(DocumentChanges::Edits(vec![change])), ..Default::default() };
    }
    let mut changes = HashMap::new();
    changes.insert(uri.clone(), vec![edit]);
    WorkspaceEdit { changes: Some(changes), ..Default::default() }
}
