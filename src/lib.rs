//! copydesk checks drafts of writing about AI news against a corpus of source articles.
//!
//! Every statistic and quotation in a draft is matched to the source passage it most likely
//! came from; where the draft's figure, scale, unit or hedge differs from the source, a
//! [`findings::Finding`] says so and carries the source's own wording as evidence and fix.
//!
//! The crate is organised by concern:
//! - [`position`]: byte spans and their conversion to editor positions (UTF-16 or UTF-8);
//! - [`prose`], [`markdown`], [`html`]: which bytes of a file are prose, and its sentences;
//! - [`words`]: content words for retrieval and alignment;
//! - [`claims`]: pure extraction from prose: figures (one extractor for drafts and sources)
//!   and claim frames (what a figure measures, and when);
//! - [`corpus`]: loading source documents and retrieving passages;
//! - [`check::quotations`]: quotations and their speakers, checked against the corpus;
//! - [`check`]: pairing draft statistics with source figures and judging them;
//! - [`findings`]: what a check reports;
//! - [`input`]: reading the user's files within size limits, and the encodings of drafts;
//! - [`render`]: human and JSON output;
//! - [`lsp`]: the language server (the only module that knows the protocol).

pub mod baseline;
pub mod check;
pub mod claims;
pub mod config;
pub mod corpus;
pub mod explain;
pub mod findings;
pub mod html;
pub mod input;
pub mod markdown;
pub mod position;
pub mod prose;
pub mod render;
pub mod suppress;
pub mod words;
pub mod lsp;
