//! Verbs that mean the same in some sense, from WordNet 3.0 (Princeton University; licence in
//! `WORDNET-LICENSE` beside this file): "surpass" and "exceed", "forecast" and "predict". A
//! figure's measure words include the verb of its clause ("expected to surpass $360,000"), and a
//! paraphrase swaps verbs more freely than nouns. The data (`wordnet-verbs.tsv`) is written by
//! `scripts/wordnet-synonyms.py`, whose doc tells how verbs alone were chosen: nouns and first
//! senses changed no dev figure.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::words;

const WORDNET_VERBS: &str = include_str!("wordnet-verbs.tsv");

/// Each verb's term (as [`words::term`] gives it) with the synonym sets it belongs to.
fn sets() -> &'static HashMap<String, Vec<u32>> {
    static SETS: OnceLock<HashMap<String, Vec<u32>>> = OnceLock::new();
    SETS.get_or_init(|| {
        let mut out: HashMap<String, Vec<u32>> = HashMap::new();
        for line in WORDNET_VERBS.lines().filter(|l| !l.starts_with('#')) {
            let Some((word, set)) = line.split_once('\t') else { continue };
            let (Some(term), Ok(set)) = (words::term(word), set.trim_start_matches('v').parse::<u32>()) else { continue };
            let entry = out.entry(term).or_default();
            if !entry.contains(&set) {
                entry.push(set);
            }
        }
        out
    })
}

/// The WordNet verb senses of a measure term (or of its [`super::frame::root`] when it is
/// inflected: "exceeded" is read as "exceed"); `None` for a word that is no verb.
pub fn verb_senses(term: &str, root: &str) -> Option<&'static [u32]> {
    let sets = sets();
    sets.get(term).or_else(|| sets.get(root)).map(Vec::as_slice)
}

/// Whether another term (with its root) is a verb sharing one of `senses`.
pub fn shares_sense(senses: &[u32], term: &str, root: &str) -> bool {
    verb_senses(term, root).is_some_and(|other| other.iter().any(|s| senses.contains(s)))
}

/// Whether two measure terms (each with its root) are verbs that share a WordNet sense.
pub fn same_verb(a: &str, a_root: &str, b: &str, b_root: &str) -> bool {
    verb_senses(a, a_root).is_some_and(|senses| shares_sense(senses, b, b_root))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verbs_of_one_sense_match_inflected_or_not() {
        assert!(same_verb("surpass", "surpass", "exceed", "exceed"));
        assert!(same_verb("surpassed", "surpass", "exceeds", "exceed"));
        assert!(same_verb("forecast", "forecast", "predict", "predict"));
        assert!(!same_verb("surpass", "surpass", "report", "report"));
        assert!(!same_verb("revenue", "revenue", "sale", "sale"));
    }
}
