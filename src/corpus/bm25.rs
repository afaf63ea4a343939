//! BM25 as both stores compute it: the parameters, the inverse document frequency and the
//! choice of which query terms a search scores. One definition, so that the embedded index and
//! the shared store rank the same sentences with the same scores to the bit (a store that
//! skipped a different term would find different candidates, and the check would differ).

pub(crate) const K1: f32 = 1.2;
pub(crate) const B: f32 = 0.75;

/// Postings a query reads beyond its rarest term (see [`scored_terms`]).
const POSTING_BUDGET: usize = 25_000;

/// BM25's inverse document frequency of a term found in `df` of `sentences` sentences (always
/// positive).
pub(crate) fn idf(sentences: u32, df: usize) -> f32 {
    let n = sentences.max(1) as f32;
    let df = df as f32;
    (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
}

/// BM25's length term `K1 * (1 - B + B * length / average)` of a sentence.
pub(crate) fn length_term(length: f32, average: f32) -> f32 {
    K1 * (1.0 - B + B * length / average)
}

/// A term's contribution to a sentence's score, given its frequency there.
pub(crate) fn term_score(idf: f32, tf: f32, length_term: f32) -> f32 {
    idf * (tf * (K1 + 1.0) / (tf + length_term))
}

/// The document frequency past which [`scored_terms`] counts a term as common.
pub(crate) fn common_df(sentences: u32) -> usize {
    (sentences as usize / 200).clamp(1000, 2000)
}

/// Narrows a query's distinct terms (each with its document frequency and term hash, read by
/// `key`) to those a search scores, rarest first (ties by hash).
///
/// On a large corpus, terms found in more than one sentence in two hundred (at most 2,000
/// sentences) are skipped when the query has three rarer terms: they barely move the ranking
/// and their postings would dominate the time of a query. Past the rarest, terms are scored
/// while the query's postings stay within a budget, so that its cost is bounded however large
/// the corpus grows. A search within given documents keeps its common terms (within the
/// budget): a word common in the corpus may be what tells a cited article's sentences apart.
pub(crate) fn scored_terms<T>(terms: &mut Vec<T>, key: impl Fn(&T) -> (usize, u64), sentences: u32, within_documents: bool) {
    terms.retain(|t| key(t).0 > 0);
    terms.sort_by_key(|t| key(t));
    let common = common_df(sentences);
    let rare = terms.iter().filter(|t| key(t).0 <= common).count();
    if rare >= 3 && !within_documents {
        terms.retain(|t| key(t).0 <= common);
    }
    let mut postings = 0;
    let keep = terms
        .iter()
        .enumerate()
        .take_while(|(i, t)| {
            postings += key(t).0;
            *i == 0 || postings <= POSTING_BUDGET
        })
        .count();
    terms.truncate(keep);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_terms_give_way_to_three_rarer_ones_outside_cited_documents() {
        let query = vec![(5000usize, 1u64), (10, 2), (20, 3), (30, 4)];
        let mut open = query.clone();
        scored_terms(&mut open, |&t| t, 400_000, false);
        assert_eq!(open, vec![(10, 2), (20, 3), (30, 4)]);
        let mut cited = query;
        scored_terms(&mut cited, |&t| t, 400_000, true);
        assert_eq!(cited, vec![(10, 2), (20, 3), (30, 4), (5000, 1)]);
    }

    #[test]
    fn the_postings_budget_bounds_a_query_but_keeps_its_rarest_term() {
        let mut terms = vec![(30_000usize, 9u64), (20_000, 8), (9_000, 7), (0, 6)];
        scored_terms(&mut terms, |&t| t, 100, true);
        assert_eq!(terms, vec![(9_000, 7)]);
        let mut one = vec![(40_000usize, 1u64)];
        scored_terms(&mut one, |&t| t, 100, true);
        assert_eq!(one, vec![(40_000, 1)]);
    }

    #[test]
    fn idf_falls_with_document_frequency_and_stays_positive() {
        assert!(idf(1000, 1) > idf(1000, 100));
        assert!(idf(1000, 1000) > 0.0);
    }
}
