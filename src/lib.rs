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
//! - [`claims`]: pure extraction from prose, one path for drafts and sources, text in and
//!   claims out: figures (quantities), claim frames (what a figure measures, and when),
//!   quotations and their speakers, and quoted words normalised for comparison; it knows no
//!   corpus, findings or check;
//! - [`corpus`]: source documents, passages, the on-disk index and retrieval (and each source
//!   paragraph's cached quotation reading); it never imports [`check`];
//! - [`check`]: the one check path: the entry point and its cache, candidate retrieval
//!   (`check/retrieve.rs`), alignment of draft statistics with source figures
//!   (`check/align.rs`), judging figures (`check/figures.rs`) and judging quotations
//!   ([`check::quotations`]); it knows no protocol and never prints;
//! - [`findings`]: what a check reports;
//! - [`input`]: reading the user's files within size limits, and the encodings of drafts;
//! - [`config`]: the project file, `copydesk.toml`; [`init`] writes a first one for a folder;
//! - [`render`]: human, JSON, SARIF and GitHub output, and the HTML review page
//!   ([`render::html`]: the draft rendered with its figures and quotations marked);
//! - [`lsp`]: the language server (the only module that knows the protocol).

pub mod baseline;
pub mod check;
pub mod claims;
pub mod config;
pub mod corpus;
pub mod explain;
pub mod findings;
pub mod html;
pub mod init;
pub mod input;
pub mod markdown;
pub mod position;
pub mod prose;
pub mod render;
pub mod suppress;
pub mod words;
pub mod lsp;
