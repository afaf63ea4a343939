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
    "mr", "ms", "mrs", "dr", "told", "reported", "report", "according", "cited", "found", "respectively",
];

/// Words every kind of news story uses (after normalisation): they say little about which fact
/// a figure reports, so matching weighs them less. Periods ("last year") frame a figure but
/// do not identify it.
const GENERIC: &[&str] = &[
    "year", "month", "week", "day", "today", "yesterday", "tomorrow", "last", "late", "early",
    "next", "time", "ago", "company", "person", "number", "part", "way", "thing", "lot", "group",
    "world", "global", "globally", "data", "expected", "expect", "set", "come", "came", "go",
    "went", "take", "took", "put", "see", "saw", "added", "add", "including", "total", "record",
    "high", "low", "big", "small", "large", "major", "old", "long", "short", "end", "start",
    "began", "begin", "back", "top", "level", "rate", "share", "period", "term", "deal", "plan",
    "cost", "market", "industry", "sector", "government", "official", "state", "national",
    "country", "city", "area", "region", "local", "public", "private", "study", "survey",
    "analysis", "research", "figure", "amount", "sum", "rise", "fall", "change", "due",
    "likely", "use", "spend", "million", "billion", "recent", "recently", "current", "currently",
    "since", "past", "place", "area", "ago", "around", "far", "become", "became", "help", "work",
    "working", "based", "show", "showed", "shown", "according", "well", "need", "want", "think",
    "know", "give", "gave", "find", "call", "called", "keep", "run", "ran", "way", "sale",
    "customer", "user", "people", "percent", "annual", "quarter", "half", "average", "estimate",
];

/// Whether a normalised term is a word every kind of story uses (see [`GENERIC`]).
pub fn is_generic(term: &str) -> bool {
    type Set = std::collections::HashSet<&'static str, std::hash::BuildHasherDefault<Fnv>>;
    static SET: std::sync::OnceLock<Set> = std::sync::OnceLock::new();
    SET.get_or_init(|| GENERIC.iter().copied().collect()).contains(term)
}

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
    type Set = std::collections::HashSet<&'static str, std::hash::BuildHasherDefault<Fnv>>;
    static SET: std::sync::OnceLock<Set> = std::sync::OnceLock::new();
    SET.get_or_init(|| STOPWORDS.iter().copied().collect()).contains(word)
}

/// A light English stemmer: plural and a few verb endings. Deliberately conservative: two
/// words that stem alike should mean alike.
pub fn stem(word: &str) -> String {
    stem_cow(word).into_owned()
}

fn stem_cow(w: &str) -> std::borrow::Cow<'_, str> {
    use std::borrow::Cow;
    if w.len() <= 3 {
        return Cow::Borrowed(w);
    }
    if let Some(base) = w.strip_suffix("ies") {
        if base.len() >= 2 {
            return Cow::Owned(format!("{base}y"));
        }
    }
    for suffix in ["sses", "shes", "ches", "xes"] {
        if w.ends_with(suffix) {
            return Cow::Borrowed(&w[..w.len() - 2]);
        }
    }
    if w.ends_with("ss") || w.ends_with("us") || w.ends_with("is") {
        return Cow::Borrowed(w);
    }
    if let Some(base) = w.strip_suffix('s') {
        return Cow::Borrowed(base);
    }
    Cow::Borrowed(w)
}

/// The normalised term for one word, or None for a function word or numeral.
pub fn term(word: &str) -> Option<String> {
    let mut buffer = String::new();
    normalise_into(word, &mut buffer).then_some(buffer)
}

/// Writes the normalised term for `word` into `out` (cleared first); false for a function
/// word or numeral. Allocation-free once `out` has grown: this runs on every corpus word.
pub fn normalise_into(word: &str, out: &mut String) -> bool {
    out.clear();
    if word.bytes().any(|b| b.is_ascii_digit()) {
        return false;
    }
    let word = word.trim_matches(|c: char| !c.is_alphanumeric());
    if word.is_ascii() {
        out.push_str(word);
        out.make_ascii_lowercase();
    } else {
        for c in word.chars() {
            out.extend(c.to_lowercase());
        }
    }
    for suffix in ["'s", "’s"] {
        if out.ends_with(suffix) {
            out.truncate(out.len() - suffix.len());
        }
    }
    while out.ends_with(|c: char| !c.is_alphanumeric()) {
        out.pop();
    }
    if out.is_empty() || is_stopword(out) {
        return false;
    }
    let stemmed = stem_cow(out);
    let folded = synonym(&stemmed);
    if folded.chars().nth(1).is_none() {
        return false;
    }
    if folded != out.as_str() {
        let folded = folded.to_string();
        out.clear();
        out.push_str(&folded);
    }
    true
}

/// FNV-1a as a `Hasher`, for small string sets on hot paths (SipHash costs more than the work).
#[derive(Default)]
pub struct Fnv(u64);

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut hash = if self.0 == 0 { 0xcbf29ce484222325 } else { self.0 };
        for &b in bytes {
            hash ^= b as u64;
            hash = hash.wrapping_mul(0x100000001b3);
        }
        self.0 = hash;
    }
}

/// A 64-bit FNV-1a hash of a term: the corpus index keys terms by hash, not by string.
pub fn term_hash(term: &str) -> u64 {
    let mut hash: u64 = 0xcbf29ce484222325;
    for b in term.bytes() {
        hash ^= b as u64;
        hash = hash.wrapping_mul(0x100000001b3);
    }
    hash
}

/// Calls `f` with each content term of `text[span]` (normalised) and its absolute span.
pub fn for_each_term(text: &str, span: Span, mut f: impl FnMut(&str, Span)) {
    let slice = span.slice(text);
    let mut buffer = String::with_capacity(32);
    let mut start = None;
    let bytes = slice.as_bytes();
    let mut i = 0;
    while i <= bytes.len() {
        let (wordy, width) = if i == bytes.len() {
            (false, 1)
        } else if bytes[i].is_ascii() {
            let b = bytes[i];
            (b.is_ascii_alphanumeric() || b == b'\'' || b == b'-', 1)
        } else {
            let c = slice[i..].chars().next().unwrap_or(' ');
            (c.is_alphanumeric() || c == '’', c.len_utf8())
        };
        match (wordy, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                let word = &slice[s..i];
                if word.contains('-') {
                    // Hyphenated compounds count as their parts ("Chinese-developed").
                    let mut offset = s;
                    for part in word.split('-') {
                        if normalise_into(part, &mut buffer) {
                            f(&buffer, Span::new(span.start + offset, span.start + offset + part.len()));
                        }
                        offset += part.len() + 1;
                    }
                } else if normalise_into(word, &mut buffer) {
                    f(&buffer, Span::new(span.start + s, span.start + i));
                }
                start = None;
            }
            _ => {}
        }
        i += width;
    }
}

/// Content-word tokens of `text[span]`, with absolute spans.
pub fn tokens(text: &str, span: Span) -> Vec<Token> {
    let mut out = Vec::new();
    for_each_term(text, span, |term, span| out.push(Token { term: term.to_string(), span }));
    out
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
