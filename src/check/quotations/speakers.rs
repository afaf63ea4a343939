//! Who said it: whether the draft's speaker and a source's are one person (names, surnames,
//! namesakes, roles), and whether a source speaker surely conflicts with the draft's.

use super::*;

/// Whether two names are of one person: equal surnames, or one is a part of the other.
pub(super) fn names_match(a: &str, b: &str) -> bool {
    let parts = |s: &str| -> Vec<String> {
        s.split(|c: char| c.is_whitespace() || c == '.')
            .map(|w| w.trim_end_matches("'s").trim_end_matches("’s").to_lowercase())
            .filter(|w| !w.is_empty())
            .collect()
    };
    let (a, b) = (parts(a), parts(b));
    if a.is_empty() || b.is_empty() {
        return false;
    }
    let close = |x: &String, y: &String| x == y || (x.chars().count() >= 5 && edit_distance(x, y) <= if x.chars().count() >= 7 { 2 } else { 1 });
    close(&a[a.len() - 1], &b[b.len() - 1])
        || (a.len() == 1 && b.iter().any(|w| close(&a[0], w)))
        || (b.len() == 1 && a.iter().any(|w| close(&b[0], w)))
}

/// A name's surname: its last word, without a possessive.
pub(super) fn surname(name: &str) -> Option<&str> {
    let last = name.split_whitespace().next_back()?.trim_end_matches("'s").trim_end_matches("’s");
    (last.chars().count() >= 2).then_some(last)
}

/// A name's given name: the capitalised word before the surname, not a title (`Senator`).
pub(super) fn given_name(name: &str) -> Option<&str> {
    let words: Vec<&str> = name.split_whitespace().collect();
    let given = *words.len().checked_sub(2).and_then(|i| words.get(i))?;
    let is_name = given.chars().next().is_some_and(char::is_uppercase) && given.chars().all(|c| c.is_alphabetic() || c == '-');
    (is_name && !TITLES.contains(&given.to_lowercase().as_str())).then_some(given)
}

/// Whether two names share a surname but surely not a person: both give a given name, and
/// neither given name is an initial, a short form or a spelling of the other (`Dario Amodei`,
/// `Daniela Amodei`). A nickname (`Dick`, `Richard`) also differs: callers ask the article too.
pub(super) fn namesakes(a: &str, b: &str) -> bool {
    let surname = |s: &str| s.split_whitespace().next_back().map(str::to_lowercase);
    let (Some(x), Some(y)) = (given_name(a), given_name(b)) else { return false };
    let (x, y) = (x.to_lowercase(), y.to_lowercase());
    surname(a) == surname(b) && x.chars().count() >= 3 && y.chars().count() >= 3 && !x.starts_with(&y) && !y.starts_with(&x) && edit_distance(&x, &y) > 1
}

/// Levenshtein distance, for names spelt two ways (`Mueller`, `Meuller`).
pub(super) fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut previous = row[0];
        row[0] = i;
        for j in 1..=b.len() {
            let here = row[j];
            row[j] = (row[j] + 1).min(row[j - 1] + 1).min(previous + usize::from(a[i - 1] != b[j - 1]));
            previous = here;
        }
    }
    row[b.len()]
}

pub(super) fn content_words(s: &str) -> HashSet<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .map(|w| w.to_lowercase())
        .filter(|w| w.len() > 1 && !words::is_stopword(w) && !DETERMINERS.contains(&w.as_str()))
        .collect()
}

/// Whether the two speakers are surely one (Some(true)), or nothing can be said (None).
pub(super) fn same_speaker(draft: &Speaker, source: &Speaker) -> Option<bool> {
    match (draft.kind, source.kind) {
        (SpeakerKind::Pronoun, _) | (_, SpeakerKind::Pronoun) => None,
        (SpeakerKind::Name, SpeakerKind::Name) => Some(names_match(&draft.text, &source.text)),
        _ => (!content_words(&draft.text).is_disjoint(&content_words(&source.text))).then_some(true),
    }
}

/// Whether a word appears in `text` on word boundaries.
pub(super) fn has_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + word.len()..].chars().next();
        !before.is_some_and(|c| c.is_alphanumeric()) && !after.is_some_and(|c| c.is_alphanumeric())
    })
}

/// Whether the source surely gives the quotation to someone other than the draft's speaker.
pub(super) fn conflicts(draft: &Speaker, source: &Speaker, sp: &SourcePara, quote_start: usize) -> bool {
    if draft.reported || source.reported || source.continued {
        return false;
    }
    let doc = &sp.document;
    // `Dario Amodei` for `Daniela Amodei`: one surname, two people, when the article names both.
    let namesake = source.kind == SpeakerKind::Name && !source.resolved && namesakes(&draft.text, &source.text) && {
        let full = draft.text.split_whitespace().rev().take(2).collect::<Vec<_>>();
        has_word(&doc.text, &format!("{} {}", full[1], full[0]))
    };
    if draft.kind != SpeakerKind::Name || !namesake && same_speaker(draft, source) != Some(false) && source.kind == SpeakerKind::Name {
        return false;
    }
    // The surname: titles and affiliations before it ("Progress CEO Adam Kovacevich") are
    // shared by too many people to tell anything.
    let name_words: Vec<&str> = draft
        .text
        .split(|c: char| c.is_whitespace())
        .map(|w| w.trim_end_matches("'s").trim_end_matches("’s"))
        .rfind(|w| w.chars().count() >= 2 && w.chars().next().is_some_and(|c| c.is_uppercase()))
        .into_iter()
        .collect();
    if name_words.is_empty() {
        return false;
    }
    let name_words = if namesake { given_name(&draft.text).into_iter().collect() } else { name_words };
    let para_end = doc.prose.paragraphs[sp.paragraph].end;
    match source.kind {
        SpeakerKind::Name => {
            // When the draft's speaker is mentioned right there, the source may mean them: in
            // the quotation's sentence for a sure attribution, else in this or the previous
            // paragraph (a pronoun may have been resolved to the wrong name).
            let near = if source.follows && !source.resolved {
                let sentence = |o: usize| doc.prose.sentence_at(o).map(|i| doc.prose.sentences[i].span);
                match (sentence(source.span.start), sentence(quote_start)) {
                    (Some(a), Some(b)) => a.cover(b).slice(&doc.text),
                    _ => doc.prose.paragraphs[sp.paragraph].slice(&doc.text),
                }
            } else if source.resolved && surname(&source.text).is_some_and(|w| has_word(&doc.text[doc.prose.paragraphs[sp.paragraph].start..quote_start], w)) {
                // A pronoun whose name stands earlier in the same paragraph: the paragraph
                // before is past its antecedent.
                doc.prose.paragraphs[sp.paragraph].slice(&doc.text)
            } else {
                let from = doc.prose.paragraphs[sp.paragraph.saturating_sub(1)].start;
                &doc.text[from..para_end]
            };
            !name_words.iter().any(|w| has_word(near, w))
        }
        SpeakerKind::Description => {
            // A role or thing may stand for the draft's speaker: if the article names them in
            // the sentence that last used the role's head noun ("Mark Barton, an entrepreneur,
            // ..." before "the entrepreneur said"), or close before the quotation.
            if !content_words(&draft.text).is_disjoint(&content_words(&source.text)) {
                return false;
            }
            let window_start = doc.prose.paragraphs[sp.paragraph.saturating_sub(2)].start;
            if name_words.iter().any(|w| has_word(&doc.text[window_start..para_end], w)) {
                return false;
            }
            let head = source.text.rsplit(|c: char| c.is_whitespace()).next().unwrap_or("").to_lowercase();
            if head.chars().count() >= 3 && head.chars().all(|c| c.is_alphabetic()) {
                let attribution = doc.prose.sentence_at(source.span.start).unwrap_or(0);
                let introduced = doc.prose.sentences[..attribution]
                    .iter()
                    .rev()
                    .map(|s| s.span.slice(&doc.text))
                    .find(|s| has_word(&s.to_lowercase(), &head));
                if let Some(sentence) = introduced {
                    return !name_words.iter().any(|w| has_word(sentence, w));
                }
            }
            true
        }
        SpeakerKind::Pronoun => false,
    }
}
