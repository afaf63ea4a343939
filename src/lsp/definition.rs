//! `textDocument/definition` on a statistic: the source passage it was checked against, as a
//! `LocationLink` (origin = the statistic) when the client supports links, else a `Location`.

use std::sync::Arc;

use tower_lsp_server::lsp_types::{GotoDefinitionParams, GotoDefinitionResponse, Location, LocationLink};

use super::analysis::analyze;
use super::convert::{from_proto, to_proto};
use super::state::Shared;

pub async fn definition(shared: &Arc<Shared>, params: GotoDefinitionParams) -> Option<GotoDefinitionResponse> {
    let position = params.text_document_position_params;
    let uri = position.text_document.uri;
    let analysis = analyze(shared, &uri, None).await?;
    let session = shared.session();
    let encoding = session.encoding;
    let (offset, _) = from_proto::offset(&analysis.lines, &analysis.text, position.position, encoding);
    let checked = analysis.report.checked_at(offset)?;
    let evidence = checked.evidence.as_ref()?;
    let sources = &analysis.sources;
    let doc = sources.corpus.document(evidence.doc)?;
    let Some(target_uri) = sources.uris.get(evidence.doc as usize).cloned().flatten() else {
        shared.log.warn(format!("{}: no file on disk to point at", doc.path));
        return None;
    };
    let passage = to_proto::range(doc.lines(), &doc.text, evidence.passage, encoding);
    let figure = to_proto::range(doc.lines(), &doc.text, evidence.figure, encoding);
    if session.link_support {
        Some(GotoDefinitionResponse::Link(vec![LocationLink {
            origin_selection_range: Some(to_proto::range(&analysis.lines, &analysis.text, checked.span, encoding)),
            target_uri,
            target_range: passage,
            target_selection_range: figure,
        }]))
    } else {
        Some(GotoDefinitionResponse::Scalar(Location { uri: target_uri, range: passage }))
    }
}
