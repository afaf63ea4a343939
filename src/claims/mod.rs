//! Pure extraction from prose, one path for drafts and sources: text in, claims out, no corpus.
//!
//! - [`frame`]: what each figure measures and when (its clause, measure words and periods).

pub mod frame;
