//! The direction a clause's verb gives a figure it leads to, when the figure carries none of
//! its own: "the price of food has gone down in the past two years", "sales increased to $441
//! million". Such a figure is a time span or a level, not a change, so
//! [`super::figures`] leaves its `direction` empty; the words before it still say which way
//! the thing it dates or measures moved.

use super::figures::lexicon::{DOWN_VERBS, UP_VERBS};
use super::figures::Direction;
use crate::position::Span;

/// Words that may stand between the verb and the figure: prepositions, articles and the words
/// of a time span ("in the past", "over the last").
const BETWEEN: &[&str] = &["in", "the", "past", "last", "over", "during", "within", "to", "at", "for", "of", "a", "an", "by", "some", "about", "nearly", "almost", "around", "roughly"];

/// Verbs after which "up" and "down" say which way something moved ("has gone up").
const MOTION: &[&str] = &["go", "goes", "going", "gone", "went", "come", "comes", "came", "coming", "is", "are", "was", "were", "be", "been"];

/// How many words before the figure are read: the verb and what may stand between.
const REACH: usize = 5;

/// The direction the words right before byte `at` of `text` give the figure starting there,
/// and where those words are written: a verb of change, or "up"/"down" after a verb of motion
/// (both words), with only [`BETWEEN`] words in between and no punctuation. "up to" and "down
/// to" right before the figure are bounds, not directions.
pub fn leading_direction(text: &str, at: usize) -> Option<(Direction, Span)> {
    let before = text.get(..at)?;
    let mut words: Vec<String> = Vec::new();
    // Where each word starts and ends as written: lower-casing may change a word's length.
    let mut starts: Vec<usize> = Vec::new();
    let mut ends: Vec<usize> = Vec::new();
    let mut rest = before.trim_end();
    while words.len() < REACH {
        let Some(last) = rest.chars().next_back() else { break };
        if !last.is_alphabetic() {
            break;
        }
        let start = rest.rfind(|c: char| !c.is_alphabetic()).map_or(0, |i| i + rest[i..].chars().next().map_or(1, char::len_utf8));
        words.push(rest[start..].to_lowercase());
        starts.push(start);
        ends.push(rest.len());
        rest = rest[..start].trim_end_matches([' ', '\t']);
        if rest.len() == start {
            break;
        }
    }
    for (k, word) in words.iter().enumerate() {
        let previous = words.get(k + 1).map(String::as_str);
        let bound = k == 1 && words[0] == "to";
        let end = ends[k];
        let with_verb = || Span::new(starts.get(k + 1).copied().unwrap_or(starts[k]), end);
        return match word.as_str() {
            "up" | "down" if bound => None,
            "up" if previous.is_some_and(|p| MOTION.contains(&p)) => Some((Direction::Up, with_verb())),
            "down" if previous.is_some_and(|p| MOTION.contains(&p)) => Some((Direction::Down, with_verb())),
            "up" | "down" => None,
            w if UP_VERBS.contains(&w) => Some((Direction::Up, Span::new(starts[k], end))),
            w if DOWN_VERBS.contains(&w) => Some((Direction::Down, Span::new(starts[k], end))),
            w if BETWEEN.contains(&w) => continue,
            _ => None,
        };
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str, figure: &str) -> Option<Direction> {
        leading_direction(text, text.find(figure).unwrap()).map(|(d, _)| d)
    }

    #[test]
    fn the_words_giving_the_direction_are_located() {
        let text = "The price of food has gone up in the past two years.";
        let (_, span) = leading_direction(text, text.find("two").unwrap()).unwrap();
        assert_eq!(span.slice(text), "gone up");
        let text = "Sales increased to $441 million.";
        let (_, span) = leading_direction(text, text.find('$').unwrap()).unwrap();
        assert_eq!(span.slice(text), "increased");
    }

    #[test]
    fn the_verb_before_a_span_or_level_gives_its_direction() {
        assert_eq!(at("The price of food has gone up in the past two years.", "two years"), Some(Direction::Up));
        assert_eq!(at("The prices of food has gone down in the past two years.", "two years"), Some(Direction::Down));
        assert_eq!(at("Sales increased to $441 million.", "$441"), Some(Direction::Up));
        assert_eq!(at("Sales fell to $441 million.", "$441"), Some(Direction::Down));
    }

    #[test]
    fn words_whose_case_changes_their_length_keep_their_place() {
        // "İ" lower-cases to two characters: the span must still be the word as written.
        let text = "Sales İNCREASED to $5 million; prices went down İN the past two years.";
        assert_eq!(leading_direction(text, text.find('$').unwrap()), None);
        let (_, span) = leading_direction(text, text.find("two").unwrap()).unwrap_or((Direction::Up, Span::new(0, 0)));
        assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
    }

    #[test]
    fn bounds_other_verbs_and_punctuation_give_none() {
        assert_eq!(at("It will cost up to $5 billion.", "$5"), None);
        assert_eq!(at("Sales were $441 million.", "$441"), None);
        assert_eq!(at("Costs fell, and revenue was $5 billion.", "$5"), None);
        assert_eq!(at("Costs fell; $5 billion was spent.", "$5"), None);
        assert_eq!(at("He picked up 20 votes.", "20"), None);
    }
}
