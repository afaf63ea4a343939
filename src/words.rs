//! Words for matching: content-word tokens with light normalisation.
//!
//! Retrieval and alignment compare the words around figures, not the figures. Tokens are
//! lower-cased, possessives and plural endings are stripped, a few newsroom synonyms are
//! folded together (`annually`/`year`, `chief executive`/`ceo`), and function words and
//! numerals are dropped.

use crate::position::Span;

/// A content word and where it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub term: String,
    pub span: Span,
}

const STOPWORDS: &[&str] = &[
    "a", "about", "above", "after", "again", "against", "all", "almost", "also", "am", "an", "and",
    "any", "are", "around", "as", "at", "be", "because", "been", "before", "being", "below",
    "between", "both", "but", "by", "can", "could", "did", "do", "does", "doing", "down", "during",
    "each", "few", "for", "from", "further", "had", "has", "have", "having", "he", "her", "here",
    "hers", "herself", "him", "himself", "his", "how", "i", "if", "in", "into", "is", "it", "its",
    "itself", "just", "me", "more", "most", "my", "nearly", "no", "nor", "not", "now", "of", "off",
    "on", "once", "only", "or", "other", "our", "ours", "out", "over", "own", "roughly", "same",
    "she", "should", "so", "some", "such", "than", "that", "the", "their", "theirs", "them",
    "then", "there", "these", "they", "this", "those", "through", "to", "too", "under", "until",
    "up", "very", "was", "we", "were", "what", "when", "where", "which", "while", "who", "whom",
    "why", "will", "with", "would", "you", "your", "yours", "said", "says", "say", "per", "cent",
    "percent", "percentage", "point", "points", "million", "billion", "trillion", "thousand",
    "hundred", "us$", "according", "around", "approximately", "least", "less", "many", "much",
    "may", "might", "must", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
    "ten", "via", "yet", "still", "already", "even", "however", "although", "though", "whether",
    "within", "without", "across", "among", "amid", "toward", "towards", "upon", "onto", "per",
    "like", "well", "really", "quite", "being", "get", "got", "make", "made", "making", "new",
    "mr", "ms", "mrs", "dr", "told", "reported", "report", "according", "cited", "found",
];

/// Newsroom synonyms folded to one term (after stemming).
fn synonym(term: &str) -> &str {
    match term {
        "annual" | "annually" | "yearly" => "year",
        "percent" | "pct" => "percent",
        "ceo" | "chief-executive" => "ceo",
        "capex" | "capital" | "expenditure" | "spending" | "spend" | "spent" => "spend",
        "entrepreneur" | "founder" => "founder",
        "firm" | "company" | "business" => "company",
        "usage" | "use" | "using" | "used" => "use",
        "derivative" | "derived" => "derivative",
        "revenue" | "revenues" => "revenue",
        "cost" | "costs" | "price" => "cost",
        "tariff" | "tariffs" => "tariff",
        "ai" => "ai",
        "nation" | "country" => "country",
        "firms" => "company",
        "pay" | "paid" | "paying" | "buy" | "bought" | "buying" | "purchase" | "purchased" | "acquire" | "acquired" => "buy",
        "fab" | "fabrication" => "fab",
        "chip" | "semiconductor" => "chip",
        "rise" | "rose" | "increase" | "increased" | "grew" | "grow" | "growth" | "climb" | "climbed" => "rise",
        "fell" | "fall" | "drop" | "dropped" | "decline" | "declined" | "decrease" | "decreased" => "fall",
        _ => term,
    }
}

pub fn is_stopword(word: &str) -> bool {
    STOPWORDS.contains(&word)
}

/// A light English stemmer: plural and a few verb endings. Deliberately conservative: two
/// words that stem alike should mean alike.
pub fn stem(word: &str) -> String {
    let w = word;
    if w.len() <= 3 {
        return w.to_string();
    }
    if let Some(base) = w.strip_suffix("ies") {
        if base.len() >= 2 {
            return format!("{base}y");
        }
    }
    for suffix in ["sses", "shes", "ches", "xes"] {
        if w.ends_with(suffix) {
            return w[..w.len() - 2].to_string();
        }
    }
    if w.ends_with("ss") || w.ends_with("us") || w.ends_with("is") {
        return w.to_string();
    }
    if let Some(base) = w.strip_suffix('s') {
        return base.to_string();
    }
    w.to_string()
}

/// The normalised term for one word, or None for a function word or numeral.
pub fn term(word: &str) -> Option<String> {
    let lower = word.to_lowercase();
    let lower = lower
        .trim_end_matches("'s")
        .trim_end_matches("’s")
        .trim_matches(|c: char| !c.is_alphanumeric());
    if lower.is_empty() || lower.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    if is_stopword(lower) {
        return None;
    }
    let stemmed = stem(lower);
    let folded = synonym(&stemmed);
    if folded.chars().count() < 2 {
        return None;
    }
    Some(folded.to_string())
}

/// Content-word tokens of `text[span]`, with absolute spans.
pub fn tokens(text: &str, span: Span) -> Vec<Token> {
    let mut out = Vec::new();
    let slice = span.slice(text);
    let mut start = None;
    for (i, c) in slice.char_indices().chain(std::iter::once((slice.len(), ' '))) {
        let wordy = c.is_alphanumeric() || c == '\'' || c == '’' || c == '-';
        match (wordy, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                push_word(&mut out, slice, s, i, span.start);
                start = None;
            }
            _ => {}
        }
    }
    out
}

fn push_word(out: &mut Vec<Token>, slice: &str, s: usize, e: usize, base: usize) {
    let word = &slice[s..e];
    // Hyphenated compounds count as their parts ("Chinese-developed" -> chinese, developed).
    if word.contains('-') {
        let mut offset = s;
        for part in word.split('-') {
            if let Some(term) = term(part) {
                out.push(Token { term, span: Span::new(base + offset, base + offset + part.len()) });
            }
            offset += part.len() + 1;
        }
        return;
    }
    if let Some(term) = term(word) {
        out.push(Token { term, span: Span::new(base + s, base + e) });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_words_are_normalised() {
        let text = "Qwen's derivatives account for more than 40 percent of new language models.";
        let terms: Vec<String> = tokens(text, Span::new(0, text.len())).into_iter().map(|t| t.term).collect();
        assert_eq!(terms, vec!["qwen", "derivative", "account", "language", "model"]);
    }

    #[test]
    fn stems_plurals() {
        assert_eq!(stem("companies"), "company");
        assert_eq!(stem("countries"), "country");
        assert_eq!(stem("boxes"), "box");
        assert_eq!(stem("models"), "model");
        assert_eq!(stem("status"), "status");
    }
}
