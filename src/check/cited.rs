//! The cited source first: the documents a draft sentence names as the source of its figures,
//! and the judgement that a figure the corpus supports is not in them.
//!
//! A sentence cites documents by a link (in the sentence, or closing its paragraph as a
//! newsletter item's `[TNW](https://...)` does; resolved by [`Corpus::documents_by_link`]) or
//! by a name its citations give (`according to Bloomberg`, `a Bloomberg article pointed out`,
//! `Gartner's report`, `IDC analysts cited by Reuters`; read by
//! [`crate::claims::credits::citations`] and resolved by [`Corpus::documents_named`]). Those
//! documents are searched on their own for the sentence, rank first among its candidates, and
//! are the first asked to support each figure their citation covers.
//!
//! `not-in-cited-source` (info) is said only when every doubt is spent: the citation names at
//! least one document; another document holds the figure's value in a passage aligned well
//! enough to call a difference an error; no passage of a cited document found for the sentence
//! holds the value; and, for a dozen cited documents or fewer, none of their figures anywhere
//! has that value.

use crate::claims::credits::{cited_names, credit_for, Credit};
use crate::claims::figures::Quantity;
use crate::corpus::{catalog, Corpus};
use crate::findings::{Code, Evidence, Finding, Report};
use crate::position::Span;
use crate::prose::Prose;

use super::align::{same_figure, Alignment};
use super::retrieve::{Candidate, DraftSentence};

/// Cited documents at most whose every figure is read before saying that none holds a value.
const SCAN_DOCUMENTS: usize = 12;
/// Characters of the other document's passage quoted in the message.
const QUOTED: usize = 160;
/// Words ending a publication's name that its catalog entry may leave out (`Bloomberg News`
/// for a site `bloomberg.com`).
const NAME_TAILS: &[&str] = &["news", "magazine", "online", "media", "newspaper", "com", "daily"];

/// The documents one draft sentence cites.
#[derive(Debug, Default)]
pub(super) struct Citations {
    /// Citations by name that name documents of the corpus, each with its documents (sorted).
    named: Vec<(Credit, Vec<u32>)>,
    /// Documents linked from the sentence or by a link closing its paragraph (sorted).
    links: Vec<u32>,
    /// Every document cited, sorted.
    pub(super) all: Vec<u32>,
}

/// The documents cited for one figure, and how the message names them.
pub(super) struct Cited {
    pub(super) docs: Vec<u32>,
    /// `Bloomberg`, or `None` for a link.
    name: Option<String>,
}

impl Citations {
    /// What sentence `index` of the draft cites. `text` is the draft as written (links are read
    /// from it), `prose` its masked prose.
    pub(super) fn read(text: &str, prose: &Prose, index: usize, corpus: &Corpus, credits: &[Credit]) -> Citations {
        let sentence = prose.sentences[index];
        let mut out = Citations::default();
        for credit in credits.iter().cloned().chain(cited_names(&prose.masked, sentence.span, credits)) {
            let mut docs: Vec<u32> = credit.names.iter().flat_map(|n| named(corpus, n)).collect();
            docs.sort_unstable();
            docs.dedup();
            if !docs.is_empty() {
                out.named.push((credit, docs));
            }
        }
        if let Some(&paragraph) = prose.paragraphs.get(sentence.paragraph) {
            let paragraph = with_link_targets(text, paragraph);
            for (label, url) in links(text, paragraph) {
                if label.start >= sentence.span.start && label.start < sentence.span.end || closes(text, paragraph, label, url) {
                    out.links.extend(corpus.documents_by_link(url.slice(text)));
                }
            }
        }
        out.links.sort_unstable();
        out.links.dedup();
        out.all = out.named.iter().flat_map(|(_, d)| d.iter().copied()).chain(out.links.iter().copied()).collect();
        out.all.sort_unstable();
        out.all.dedup();
        out
    }

    /// The documents cited for the figure at `figure`: those of the named citations covering
    /// it ([`credit_for`]) and the sentence's links.
    pub(super) fn for_figure(&self, masked: &str, figure: Span) -> Option<Cited> {
        if self.all.is_empty() {
            return None;
        }
        let credits: Vec<Credit> = self.named.iter().map(|(c, _)| c.clone()).collect();
        let covering = credit_for(masked, &credits, figure);
        let mut docs: Vec<u32> = self.links.clone();
        let mut name = None;
        for c in covering {
            if let Some((_, d)) = self.named.iter().find(|(k, _)| k.span == c.span && k.cue == c.cue) {
                docs.extend(d);
                name = name.or_else(|| c.names.first().cloned());
            }
        }
        docs.sort_unstable();
        docs.dedup();
        (!docs.is_empty()).then_some(Cited { docs, name })
    }
}

impl Cited {
    pub(super) fn holds(&self, doc: u32) -> bool {
        self.docs.binary_search(&doc).is_ok()
    }
}

/// A masked paragraph with the rest of its last line: the masked paragraph ends at its last
/// visible word, and a link's target after it (`[TNW](https://...)`) is still the paragraph's.
pub(super) fn with_link_targets(text: &str, paragraph: Span) -> Span {
    let end = paragraph.end.min(text.len());
    let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i);
    Span::new(paragraph.start, line_end)
}

/// The documents a cited name names, trying it without a trailing `News` or `Magazine`.
fn named(corpus: &Corpus, name: &str) -> Vec<u32> {
    let found = corpus.documents_named(name);
    if !found.is_empty() {
        return found;
    }
    match name.rsplit_once(' ') {
        Some((head, tail)) if NAME_TAILS.contains(&tail.to_lowercase().as_str()) => corpus.documents_named(head),
        _ => Vec::new(),
    }
}

/// The links of `text[paragraph]`: the span of each one's label (or of the URL itself when it
/// has none) and of its URL.
fn links(text: &str, paragraph: Span) -> Vec<(Span, Span)> {
    let mut out = Vec::new();
    let body = paragraph.slice(text);
    let mut from = 0;
    while let Some(at) = body[from..].find("http").map(|i| from + i) {
        from = at + 4;
        let rest = &body[at..];
        if !(rest.starts_with("http://") || rest.starts_with("https://")) {
            continue;
        }
        let len = rest.find(|c: char| c.is_whitespace() || matches!(c, ')' | '>' | '"' | '<' | ']')).unwrap_or(rest.len());
        let url_text = rest[..len].trim_end_matches(['.', ',']);
        let url = Span::new(paragraph.start + at, paragraph.start + at + url_text.len());
        from = at + len.max(1);
        // `[label](url)`: the label stands where the link is read.
        let label = if body[..at].ends_with("](") {
            match body[..at - 2].rfind('[') {
                Some(open) => Span::new(paragraph.start + open + 1, paragraph.start + at - 2),
                None => url,
            }
        } else {
            url
        };
        out.push((label, url));
    }
    out
}

/// Whether the link closes its paragraph on its own, after the last sentence (`... in Europe.
/// [TNW](https://...)`): it cites the whole item.
fn closes(text: &str, paragraph: Span, label: Span, url: Span) -> bool {
    let before = text[paragraph.start..label.start].trim_end_matches('[').trim_end();
    let after = text[url.end..paragraph.end].trim();
    before.ends_with(['.', '!', '?', ')', '”', '"']) && after.chars().all(|c| matches!(c, ')' | '>' | '.' | ',' | ';' | '*' | '_'))
}

/// Says `not-in-cited-source` for figure `q` of the draft, supported by alignment `support` of
/// a document its citation does not name (see the module documentation).
#[allow(clippy::too_many_arguments)]
pub(super) fn judge(draft: &DraftSentence, q: &Quantity, cited: &Cited, support: &Alignment, list: &[Alignment], candidates: &[Candidate], corpus: &Corpus, report: &mut Report) {
    let c = &candidates[support.candidate];
    if cited.holds(c.doc) || !support.confident() {
        return;
    }
    // A cited document's passage holding the value, however loosely aligned, is support enough.
    if list.iter().any(|a| a.equal && cited.holds(candidates[a.candidate].doc)) {
        return;
    }
    if cited.docs.len() <= SCAN_DOCUMENTS && cited.docs.iter().any(|&id| holds_anywhere(corpus, id, q)) {
        return;
    }
    let figure = q.span.slice(draft.masked);
    let what = match (&cited.name, cited.docs.len()) {
        (Some(name), 1) => format!("the cited {name} article does not report \"{figure}\""),
        (Some(name), n) => format!("none of the {n} cited {name} articles reports \"{figure}\""),
        (None, 1) => format!("the linked article does not report \"{figure}\""),
        (None, n) => format!("none of the {n} linked articles reports \"{figure}\""),
    };
    let other = corpus.documents.get(c.doc as usize).map_or_else(|| c.document.title.clone(), |info| {
        info.publisher
            .clone()
            .or_else(|| catalog::title_suffix(&info.title).map(str::to_string))
            .unwrap_or_else(|| format!("\"{}\"", shorten(&info.title, 80)))
    });
    let excerpt = c.sentence_span.slice(&c.document.text).split_whitespace().collect::<Vec<_>>().join(" ");
    let message = format!("{what}; {other} says: \"{}\"", shorten(&excerpt, QUOTED));
    let evidence = Evidence {
        doc: c.doc,
        passage: c.sentence_span,
        figure: support.source.span,
        excerpt: c.sentence_span.slice(&c.document.text).to_string(),
        text: support.source.span.slice(&c.document.text).to_string(),
        speaker: None,
    };
    if !report.findings.iter().any(|f| f.code == Code::NotInCitedSource && f.span == q.span) {
        report.findings.push(Finding { code: Code::NotInCitedSource, severity: Code::NotInCitedSource.default_severity(), span: q.span, message, evidence: vec![evidence], fix: None });
    }
}

/// Whether any figure of document `id` has `q`'s value.
fn holds_anywhere(corpus: &Corpus, id: u32, q: &Quantity) -> bool {
    let Some(doc) = corpus.document(id) else { return true };
    (0..doc.prose.paragraphs.len()).any(|p| doc.paragraph_quantities(p).iter().any(|s| same_figure(q, s)))
}

/// At most `max` characters, cut at a word with an ellipsis.
fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    let at = cut.rfind(' ').filter(|&i| i > max / 2).unwrap_or(cut.len());
    format!("{}…", cut[..at].trim_end_matches([',', ';', ':']))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_closing_its_paragraph_cites_the_whole_item() {
        let text = "- Mistral raised $105 million. It is in Paris. [TNW](https://thenextweb.com/news/mistral-ai-secures-105m)\n";
        let paragraph = Span::new(0, text.len() - 1);
        let found = links(text, paragraph);
        assert_eq!(found.len(), 1);
        let (label, url) = found[0];
        assert_eq!(label.slice(text), "TNW");
        assert_eq!(url.slice(text), "https://thenextweb.com/news/mistral-ai-secures-105m");
        assert!(closes(text, paragraph, label, url));
        // A link inside a sentence cites that sentence only.
        let text = "The study involved [758 consultants](https://venturebeat.com/ai/x), 7% of them.";
        let paragraph = Span::new(0, text.len());
        let (label, url) = links(text, paragraph)[0];
        assert_eq!(label.slice(text), "758 consultants");
        assert!(!closes(text, paragraph, label, url));
    }
}
