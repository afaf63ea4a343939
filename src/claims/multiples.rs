//! Multiples a writer states as a verb rather than a number: "doubled", "nearly tripled",
//! "halved", "is expected to quadruple". They are not quantities (NewsQuant does not count
//! them, and a "double-digit" is no figure), but a check can hold them to the figures of the
//! source they were worked out from, so they are read here, by the same rules for drafts and
//! sources.

use std::sync::OnceLock;

use regex::Regex;

use crate::claims::figures::Bound;
use crate::position::Span;

/// One multiple written as a verb.
#[derive(Debug, Clone, PartialEq)]
pub struct Multiple {
    /// The verb with the qualifier before it ("more than doubled").
    pub span: Span,
    /// What the figure was multiplied by (2 for "doubled", 0.5 for "halved").
    pub factor: f64,
    pub bound: Bound,
}

fn multiple_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        // A past or present form is a verb by itself; the bare form only after a word that
        // makes it one ("to double", "will triple"), since "double" is also an adjective.
        Regex::new(
            r"(?i)(?-u:\b)(?:(more than|over|nearly|almost|roughly|about|around|close to|at least|approximately|just under|just over)\s+)?(?:(?:(?:to|will|would|could|can|may|might|should)\s+(?:more than\s+|nearly\s+|almost\s+|roughly\s+)?)(double|triple|quadruple|quintuple|halve)(?-u:\b)|(doubl(?:ed|es|ing)|tripl(?:ed|es|ing)|quadrupl(?:ed|es|ing)|quintupl(?:ed|es|ing)|halv(?:ed|ing))(?-u:\b))",
        )
        .unwrap()
    })
}

/// Whether `text` holds the stem of a multiple's verb, in any case: one pass over the bytes,
/// looking further only at a stem's first letter.
fn has_stem(text: &[u8]) -> bool {
    const STEMS: [&[u8]; 5] = [b"doubl", b"tripl", b"quadrupl", b"quintupl", b"halv"];
    text.iter().enumerate().any(|(i, b)| {
        matches!(b | 0x20, b'd' | b't' | b'q' | b'h') && STEMS.iter().any(|stem| text[i..].get(..stem.len()).is_some_and(|w| w.eq_ignore_ascii_case(stem)))
    })
}

/// The multiples written as verbs in `span` of `text`, in order.
pub fn multiples(text: &str, span: Span) -> Vec<Multiple> {
    let Some(slice) = text.get(span.start..span.end) else { return Vec::new() };
    // Most sentences hold none: a cheap test before the expression.
    if !has_stem(slice.as_bytes()) {
        return Vec::new();
    }
    let mut out = Vec::new();
    for caps in multiple_regex().captures_iter(slice) {
        let whole = caps.get(0).expect("match");
        let verb = caps.get(2).or_else(|| caps.get(3)).expect("a verb group matched");
        // "double-digit", "halves of": a hyphen or noun use right after is no verb.
        if slice[verb.end()..].starts_with('-') {
            continue;
        }
        let lower = verb.as_str().to_ascii_lowercase();
        let factor = if lower.starts_with("doubl") {
            2.0
        } else if lower.starts_with("tripl") {
            3.0
        } else if lower.starts_with("quadrupl") {
            4.0
        } else if lower.starts_with("quintupl") {
            5.0
        } else {
            0.5
        };
        let bound = match caps.get(1).map(|m| m.as_str().to_ascii_lowercase()) {
            None => Bound::Exact,
            Some(q) => match q.as_str() {
                "more than" | "over" | "just over" => Bound::Over,
                "at least" => Bound::AtLeast,
                "nearly" | "almost" | "close to" | "just under" => Bound::Nearly,
                _ => Bound::Approx,
            },
        };
        // With a qualifier the span starts at it; otherwise at the verb, not at a modal before it.
        let start = if caps.get(1).is_some() { whole.start() } else { verb.start() };
        out.push(Multiple { span: Span { start: span.start + start, end: span.start + verb.end() }, factor, bound });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Vec<(String, f64, Bound)> {
        multiples(text, Span { start: 0, end: text.len() }).into_iter().map(|m| (m.span.slice(text).to_string(), m.factor, m.bound)).collect()
    }

    #[test]
    fn verbs_of_multiplying_are_read_with_their_qualifier() {
        assert_eq!(read("Sales doubled last year."), vec![("doubled".to_string(), 2.0, Bound::Exact)]);
        assert_eq!(read("Revenue more than tripled."), vec![("more than tripled".to_string(), 3.0, Bound::Over)]);
        assert_eq!(read("Costs nearly quadrupled, then halved."), vec![("nearly quadrupled".to_string(), 4.0, Bound::Nearly), ("halved".to_string(), 0.5, Bound::Exact)]);
        assert_eq!(read("Demand is expected to double by 2030."), vec![("double".to_string(), 2.0, Bound::Exact)]);
    }

    #[test]
    fn adjectives_and_nouns_are_no_multiples() {
        assert!(read("A double-digit rise and a double espresso.").is_empty());
        assert!(read("The two halves of the year.").is_empty());
        assert!(read("Growth in the double digits.").is_empty());
    }
}
