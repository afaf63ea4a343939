//! Pure extraction from prose, one path for drafts and sources: text in, claims out, no corpus.
//!
//! - [`figures`]: quantities (value, range, unit, qualifier and direction of each statistic);
//! - [`frame`]: what each figure measures and when (its clause, measure words and periods).

pub mod figures;
pub mod frame;
