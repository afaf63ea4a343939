//! Pure extraction from prose, one path for drafts and sources: text in, claims out. Nothing
//! here knows the corpus, findings or the check.
//!
//! - [`figures`]: quantities (value, range, unit, qualifier and direction of each statistic);
//! - [`dates`]: a document's own date, and relative times ("last year") resolved against it;
//! - [`frame`]: what each figure measures and when (its clause, measure words and periods);
//! - [`leading`]: the direction a clause's verb gives a span or level it leads to;
//! - [`multiples`]: multiples written as verbs ("doubled", "nearly tripled");
//! - [`quotations`]: quotations and their parts;
//! - [`attribution`]: the speaker each quotation is attributed to;
//! - [`credits`]: whom a sentence credits with what it reports (a statistic's source);
//! - [`synonyms`]: verbs that mean the same in some sense (WordNet);
//! - [`wording`]: the words of quoted text, normalised for comparison.

pub mod attribution;
pub mod credits;
pub mod dates;
pub mod figures;
pub mod frame;
pub mod leading;
pub mod multiples;
pub mod quotations;
pub mod synonyms;
pub mod wording;
