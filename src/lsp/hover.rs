//! `textDocument/hover` on a checked statistic: the verdict, the source's wording, whom the
//! source credits with it (or who said a quotation), the source passage with the figure in
//! bold, the source's title, publisher and date, and a link that opens the source file at the
//! figure's line. Null anywhere else.

use std::sync::Arc;

use tower_lsp_server::lsp_types::{Hover, HoverContents, HoverParams, MarkupContent, MarkupKind};

use super::analysis::analyze;
use super::convert::{from_proto, to_proto};
use super::state::Shared;
use crate::findings::{Evidence, Verdict};

pub async fn hover(shared: &Arc<Shared>, params: HoverParams) -> Option<Hover> {
    let position = params.text_document_position_params;
    let uri = position.text_document.uri;
    let analysis = analyze(shared, &uri, None).await?;
    let encoding = shared.encoding();
    let (offset, clamped) = from_proto::offset(&analysis.lines, &analysis.text, position.position, encoding);
    if clamped {
        shared.log.debug(format!("hover position {:?} in {} clamped", position.position, uri.as_str()));
    }
    let checked = analysis.report.checked_at(offset)?;
    let finding = checked.finding.and_then(|i| analysis.report.findings.get(i));
    let statistic = checked.span.slice(&analysis.text);
    let mut out = String::new();
    match (checked.verdict, finding) {
        (Verdict::Flagged, Some(f)) => {
            out.push_str(&format!("**copydesk: {}** — {}\n\n", f.code, escape(&f.message)));
        }
        (Verdict::Flagged, None) => out.push_str("**copydesk: flagged** — the source says something else\n\n"),
        (Verdict::Supported, _) => {
            out.push_str(&format!("**copydesk: supported** — the source agrees with \"{}\"\n\n", escape(statistic)))
        }
        (Verdict::NoSource, _) => {
            out.push_str(&format!("**copydesk: no source** — no source passage reports \"{}\"\n\n", escape(statistic)))
        }
    }
    if let Some(note) = &checked.note {
        // A figure worked out from the source's figures (the sum a reader can check), or the
        // values of sources that disagree.
        out.push_str(&format!("{}\n\n", escape(note)));
    }
    if let Some(evidence) = &checked.evidence {
        // A quotation's source is who said it; a figure's is whom the source credits with it.
        let quotation = statistic.starts_with(['"', '“', '‘', '\'', '«', '„']);
        let credit = if quotation { "Said by" } else { "Credited by the source to" };
        source_section(&mut out, &analysis.sources, evidence, credit);
    }
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: out.trim_end().to_string(),
        }),
        range: Some(to_proto::range(&analysis.lines, &analysis.text, checked.span, encoding)),
    })
}

fn source_section(out: &mut String, sources: &super::state::Sources, evidence: &Evidence, credit: &str) {
    let Some(doc) = sources.corpus.document(evidence.doc) else { return };
    out.push_str(&format!("Source wording: **{}**\n\n", escape(&evidence.text)));
    if let Some(speaker) = &evidence.speaker {
        out.push_str(&format!("{credit}: **{}**\n\n", escape(speaker)));
    }
    // The passage, with the figure in bold.
    let passage = evidence.passage;
    let figure = evidence.figure;
    let pieces = (
        doc.text.get(passage.start..figure.start),
        doc.text.get(figure.start..figure.end),
        doc.text.get(figure.end..passage.end),
    );
    let quoted = if let (Some(before), Some(fig), Some(after)) = pieces {
        format!("{}**{}**{}", escape(before), escape(fig), escape(after))
    } else if let Some(at) = evidence.excerpt.find(&evidence.text) {
        let end = at + evidence.text.len();
        format!("{}**{}**{}", escape(&evidence.excerpt[..at]), escape(&evidence.text), escape(&evidence.excerpt[end..]))
    } else {
        escape(&evidence.excerpt)
    };
    for line in quoted.lines() {
        out.push_str("> ");
        out.push_str(line);
        out.push('\n');
    }
    out.push('\n');
    let mut meta = format!("*{}*", escape(doc.title.trim()));
    for part in [&doc.publisher, &doc.date].into_iter().flatten() {
        meta.push_str(" — ");
        meta.push_str(&escape(part));
    }
    out.push_str(&meta);
    out.push_str("\n\n");
    let line = doc.lines().line_of(figure.start) + 1;
    match sources.uris.get(evidence.doc as usize).cloned().flatten() {
        Some(uri) => out.push_str(&format!("[Open {} at line {line}]({}#L{line})", escape(&doc.path), uri.as_str())),
        None => out.push_str(&format!("{}, line {line}", escape(&doc.path))),
    }
    if let Some(url) = &doc.url {
        out.push_str(&format!(" · [original article]({url})"));
    }
    out.push('\n');
}

/// Escapes Markdown punctuation so source text renders literally.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        if matches!(ch, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~') {
            out.push('\\');
        }
        out.push(ch);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_markdown() {
        assert_eq!(super::escape("a*b_[c]"), "a\\*b\\_\\[c\\]");
    }
}
