//! A source paragraph's quotation reading: its normalised words ([`crate::claims::wording`]),
//! its quotations with their speakers ([`crate::claims::quotations`]) and its context terms,
//! read the first time the quotation check looks at the paragraph and cached in its
//! [`Document`](super::Document) (see [`super::Document::paragraph_quotes`]).

use std::collections::HashSet;

use crate::claims::quotations::{extract_in, Quotation};
use crate::claims::wording::{plain_tokens, QTok};
use crate::words;

/// A source paragraph's words and quotations, as the quotation check needs them.
#[derive(Debug)]
pub struct ParagraphQuotes {
    pub(crate) toks: Vec<QTok>,
    pub(crate) quotes: Vec<Quotation>,
    /// For each token, the quotation it is inside.
    pub(crate) in_quote: Vec<Option<usize>>,
    /// Content terms of this paragraph and the one before.
    pub(crate) context: HashSet<String>,
}

impl ParagraphQuotes {
    /// Reads paragraph `paragraph` of `d`.
    pub fn read(d: &crate::corpus::Document, paragraph: usize) -> ParagraphQuotes {
        let span = d.prose.paragraphs[paragraph];
        let prose_text = d.prose_text();
        let toks = plain_tokens(prose_text, span);
        let quotes = extract_in(prose_text, &d.prose, paragraph, paragraph + 1);
        let in_quote = toks.iter().map(|t| quotes.iter().position(|q| q.contains(t.span))).collect();
        let mut context: HashSet<String> = words::tokens(prose_text, span).into_iter().map(|t| t.term).collect();
        if paragraph > 0 {
            context.extend(words::tokens(prose_text, d.prose.paragraphs[paragraph - 1]).into_iter().map(|t| t.term));
        }
        ParagraphQuotes { toks, quotes, in_quote, context }
    }
}
