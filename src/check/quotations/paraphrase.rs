//! Paraphrase presented as a quotation: a draft quotation found nowhere verbatim, credited to
//! a speaker whom a source quotes saying the same thing in other words.
//!
//! The near-match rule of the parent module catches a quotation with a word or two changed;
//! this one catches a reworded one ("enter confidential correspondence" for "enter classified
//! correspondences"). A source quotation stands for the draft's when
//! - its speaker is the draft's: the same named person (then the finding is an error), or
//!   matched only weakly (a pronoun resolved to the name on either side, a quotation that
//!   goes on in the voice of the one before it, the same role, or the name in the sentence
//!   just before an unattributed quotation: a warning);
//! - one or two of its sentences share several content words with the draft's quotation
//!   (compared by root, so "correspondence" meets "correspondences" and "optimise"
//!   "optimize"), covering much of the draft's words by specificity, mostly in the same order.
//!
//! Different remarks of one person share a few words ("AI", "people", "think"): the bars ask
//! for four shared roots, most of the draft's rare words, and the order kept. A quotation by a
//! speaker the corpus never quotes finds no such source and stays info.

use std::collections::HashSet;

use super::{evidence, names_match, namesakes, same_speaker, surname, has_word, Pattern, SourcePara};
use crate::claims::attribution::{Speaker, SpeakerKind};
use crate::claims::frame::root;
use crate::claims::quotations::Quotation;
use crate::corpus::Corpus;
use crate::findings::{Code, Evidence, Finding, Fix, Severity};
use crate::position::Span;
use crate::words;

/// How sure it is that the source's speaker is the draft's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Identity {
    /// A role, a pronoun or a continued voice on one side, or the name only near the quotation.
    Weak,
    /// The same named person, named outright on both sides.
    Named,
}

/// A source quotation the draft's quotation rewords.
#[derive(Debug)]
pub(super) struct Paraphrase {
    pub(super) source: usize,
    pub(super) quote: usize,
    /// Paragraph token indices of the first and last source words of the matched sentences.
    pub(super) first: usize,
    pub(super) last: usize,
    pub(super) identity: Identity,
    /// Distinct content roots shared, and the specificity-weighted share of the draft's.
    pub(super) shared: usize,
    pub(super) coverage: f32,
}

/// The comparison key of a word: lower case, American spelling of `-ise`, stemmed to its root.
/// Numbers are kept as written; function words have none.
pub(super) fn key(word: &str) -> Option<String> {
    let w = word.to_lowercase().replace('’', "'");
    let w = w.trim_end_matches("'s").trim_matches(|c: char| !c.is_alphanumeric());
    if w.chars().any(|c| c.is_ascii_digit()) {
        return (!w.is_empty()).then(|| w.to_string());
    }
    // Two letters are a word here only as an acronym (`AI`); contractions are function words.
    if w.chars().count() < 2 || (w.chars().count() == 2 && !word.chars().all(|c| c.is_uppercase())) || words::is_stopword(w) || w.contains('\'') {
        return None;
    }
    // optimise, optimised, optimising, organisation: British -is- spellings.
    let mut w = w.to_string();
    for (british, american) in [("isation", "ization"), ("ising", "izing"), ("ised", "ized"), ("ises", "izes"), ("ise", "ize")] {
        if w.len() > british.len() + 3 && w.ends_with(british) {
            w.truncate(w.len() - british.len());
            w.push_str(american);
            break;
        }
    }
    let stemmed = words::stem(&w);
    Some(root(&stemmed).to_string())
}

/// The most one word weighs: some ten times a word of every other sentence.
const MAX_WEIGHT: f32 = 10.0;

/// Specificity of a key, as the corpus index weighs its term (capped, so that one rare word
/// does not outweigh the rest).
fn weight(corpus: &Corpus, word: &str) -> f32 {
    match words::term(word) {
        Some(term) => corpus.idf(&term).clamp(0.5, MAX_WEIGHT),
        None => MAX_WEIGHT / 2.0, // numbers: specific
    }
}

/// Whether every word of the source window appears, in order, among the draft's: the source
/// quotes part of what the draft does (a matter for the near-match rule, not a rewording).
fn window_inside(pat: &Pattern, draft_text: &str, window: &[usize], sp: &SourcePara) -> bool {
    let norm = |w: &str| w.to_lowercase().replace('’', "'").trim_matches(|c: char| !c.is_alphanumeric()).to_string();
    let draft: Vec<String> = pat.toks.iter().map(|t| norm(t.span.slice(draft_text))).collect();
    let source: Vec<String> = window.iter().map(|&j| norm(sp.toks[j].span.slice(sp.document.prose_text()))).collect();
    let mut at = 0;
    source.iter().all(|w| match draft[at..].iter().position(|d| d == w) {
        Some(k) => {
            at += k + 1;
            true
        }
        None => false,
    })
}

/// Words running verbatim that make a quotation a variant of the source's (a longer or
/// shorter cut, another transcript), not a rewording: the near-match rule's business.
const VERBATIM_RUN: usize = 7;

/// Length of the longest run of words the two sequences share.
fn longest_common_run(a: &[&str], b: &[&str]) -> usize {
    let mut row = vec![0usize; b.len() + 1];
    let mut best = 0;
    for x in a {
        for j in (0..b.len()).rev() {
            row[j + 1] = if *x == b[j] { row[j] + 1 } else { 0 };
            best = best.max(row[j + 1]);
        }
    }
    best
}

/// Length of the longest common subsequence of two key sequences.
fn common_order(a: &[&str], b: &[&str]) -> usize {
    let mut row = vec![0usize; b.len() + 1];
    for x in a {
        let mut diagonal = 0;
        for (j, y) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = if x == y { diagonal + 1 } else { row[j + 1].max(row[j]) };
            diagonal = above;
        }
    }
    row[b.len()]
}

/// How the source quotation's speaker relates to the draft's, if they may be one.
fn identity(draft: &Speaker, quote: &Quotation, sp: &SourcePara) -> Option<Identity> {
    if draft.reported {
        return None;
    }
    match &quote.speaker {
        Some(source) if source.reported => None,
        Some(source) if draft.kind == SpeakerKind::Name && source.kind == SpeakerKind::Name => {
            if !names_match(&draft.text, &source.text) || namesakes(&draft.text, &source.text) {
                return None;
            }
            Some(if draft.resolved || source.resolved { Identity::Weak } else { Identity::Named })
        }
        Some(source) => (same_speaker(draft, source) == Some(true)).then_some(Identity::Weak),
        None => {
            // The marks without an attribution, the speaker named in the sentence before
            // (`Durbin opened his remarks by noting ... "I can't recall ..."`).
            if draft.kind != SpeakerKind::Name {
                return None;
            }
            let doc = &sp.document;
            let at = doc.prose.sentence_at(quote.span.start)?;
            let from = if at > 0 && doc.prose.sentences[at - 1].paragraph == doc.prose.sentences[at].paragraph { at - 1 } else { at };
            let before = Span::new(doc.prose.sentences[from].span.start, quote.span.start).slice(&doc.text);
            has_word(before, surname(&draft.text)?).then_some(Identity::Weak)
        }
    }
}

/// The source quotation that `pat`, credited to `speaker`, best rewords, if one clears the bars.
pub(super) fn find(draft_text: &str, pat: &Pattern, speaker: &Speaker, sources: &[SourcePara], corpus: &Corpus) -> Option<Paraphrase> {
    let draft_keys: Vec<(String, f32)> = pat.toks.iter().filter_map(|t| key(t.span.slice(draft_text)).map(|k| (k, weight(corpus, &t.norm)))).collect();
    let mut distinct: Vec<(&str, f32)> = Vec::new();
    for (k, w) in &draft_keys {
        if !distinct.iter().any(|(d, _)| d == k) {
            distinct.push((k, *w));
        }
    }
    // Too few words to tell a paraphrase from another remark on the same subject.
    if distinct.len() < 5 || pat.toks.len() > 200 {
        return None;
    }
    let total: f32 = distinct.iter().map(|(_, w)| w).sum();
    let draft_order: Vec<&str> = draft_keys.iter().map(|(k, _)| k.as_str()).collect();
    let draft_words: Vec<&str> = pat.toks.iter().map(|t| t.norm.as_str()).collect();
    let mut best: Option<Paraphrase> = None;
    for (si, sp) in sources.iter().enumerate() {
        let doc = &sp.document;
        for (k, quote) in sp.quotes.iter().enumerate() {
            let Some(identity) = identity(speaker, quote, sp) else { continue };
            let index = sp.quote_tokens(k);
            if index.len() < 4 || index.len() > 2000 {
                continue;
            }
            // The quotation's words by sentence; one sentence or two running on are compared.
            let mut sentences: Vec<(usize, Vec<usize>)> = Vec::new();
            for &j in &index {
                let s = doc.prose.sentence_at(sp.toks[j].span.start).unwrap_or(usize::MAX);
                match sentences.last_mut() {
                    Some((last, run)) if *last == s => run.push(j),
                    _ => sentences.push((s, vec![j])),
                }
            }
            for start in 0..sentences.len() {
                for len in 1..=2.min(sentences.len() - start) {
                    let window: Vec<usize> = sentences[start..start + len].iter().flat_map(|(_, run)| run.iter().copied()).collect();
                    let keys: Vec<String> = window.iter().filter_map(|&j| key(sp.toks[j].span.slice(doc.prose_text()))).collect();
                    let present: HashSet<&str> = keys.iter().map(String::as_str).collect();
                    let shared: Vec<&(&str, f32)> = distinct.iter().filter(|(d, _)| present.contains(d)).collect();
                    let coverage = shared.iter().map(|(_, w)| w).sum::<f32>() / total.max(f32::EPSILON);
                    let shared_set: HashSet<&str> = shared.iter().map(|(d, _)| *d).collect();
                    let a: Vec<&str> = draft_order.iter().copied().filter(|d| shared_set.contains(d)).collect();
                    let b: Vec<&str> = keys.iter().map(String::as_str).filter(|d| shared_set.contains(d)).collect();
                    let ordered = common_order(&a, &b);
                    let (needed_shared, needed_coverage) = match identity {
                        Identity::Named => (4, 0.5),
                        Identity::Weak => (5, 0.6),
                    };
                    // The draft must reword: a content word of its own (not only another
                    // inflection or transcription of the same words), and not merely go on
                    // where the source quotes less.
                    let source_words: Vec<&str> = window.iter().map(|&j| sp.toks[j].norm.as_str()).collect();
                    let reworded = shared.len() < distinct.len()
                        && !window_inside(pat, draft_text, &window, sp)
                        && longest_common_run(&draft_words, &source_words) < VERBATIM_RUN;
                    let ok = reworded && shared.len() >= needed_shared && coverage >= needed_coverage && ordered * 4 >= shared.len() * 3;
                    if !ok {
                        continue;
                    }
                    let candidate = Paraphrase {
                        source: si,
                        quote: k,
                        first: window[0],
                        last: *window.last().expect("non-empty"),
                        identity,
                        shared: shared.len(),
                        coverage,
                    };
                    let rank = |p: &Paraphrase| (p.identity, p.shared, (p.coverage * 1000.0) as i32, std::cmp::Reverse(p.last - p.first));
                    if best.as_ref().is_none_or(|b| rank(&candidate) > rank(b)) {
                        best = Some(candidate);
                    }
                }
            }
        }
    }
    best
}

/// A word diff of the draft's quotation against the source's words, in `[-source-]{+draft+}`
/// form: `enter [-classified correspondences-]{+confidential correspondence+} or use`.
pub(super) fn word_diff(draft: &[&str], source: &[&str]) -> String {
    let norm = |w: &str| w.to_lowercase().replace('’', "'").trim_matches(|c: char| !c.is_alphanumeric()).to_string();
    let (a, b): (Vec<String>, Vec<String>) = (draft.iter().map(|w| norm(w)).collect(), source.iter().map(|w| norm(w)).collect());
    let (n, m) = (a.len(), b.len());
    // Longest common subsequence table, read from the end.
    let mut table = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            table[i][j] = if a[i] == b[j] { table[i + 1][j + 1] + 1 } else { table[i + 1][j].max(table[i][j + 1]) };
        }
    }
    let mut out: Vec<String> = Vec::new();
    let (mut removed, mut added): (Vec<&str>, Vec<&str>) = (Vec::new(), Vec::new());
    let flush = |out: &mut Vec<String>, removed: &mut Vec<&str>, added: &mut Vec<&str>| {
        if !removed.is_empty() || !added.is_empty() {
            let mut piece = String::new();
            if !removed.is_empty() {
                piece.push_str(&format!("[-{}-]", removed.join(" ")));
            }
            if !added.is_empty() {
                piece.push_str(&format!("{{+{}+}}", added.join(" ")));
            }
            out.push(piece);
            removed.clear();
            added.clear();
        }
    };
    let (mut i, mut j) = (0, 0);
    while i < n || j < m {
        if i < n && j < m && a[i] == b[j] {
            flush(&mut out, &mut removed, &mut added);
            out.push(draft[i].to_string());
            i += 1;
            j += 1;
        } else if j < m && (i == n || table[i][j + 1] >= table[i + 1][j]) {
            removed.push(source[j]);
            j += 1;
        } else {
            added.push(draft[i]);
            i += 1;
        }
    }
    flush(&mut out, &mut removed, &mut added);
    // Source words before the draft's first word or after its last are outside what it quotes.
    let outside = |piece: &String| piece.starts_with("[-") && piece.ends_with("-]") && !piece.contains("{+");
    if out.first().is_some_and(outside) {
        out[0] = "…".to_string();
    }
    if out.len() > 1 && out.last().is_some_and(outside) {
        *out.last_mut().expect("non-empty") = "…".to_string();
    }
    out.join(" ")
}

/// The finding for a paraphrase: the source's words as evidence and fix, both texts and their
/// word diff in the message.
pub(super) fn finding(draft_text: &str, q: &Quotation, pat: &Pattern, found: &Paraphrase, sources: &[SourcePara]) -> Finding {
    let sp = &sources[found.source];
    let doc = &sp.document;
    let quote = &sp.quotes[found.quote];
    let source_speaker = quote.speaker.as_ref();
    let figure = Span::new(sp.toks[found.first].span.start, sp.toks[found.last].span.end);
    let mut ev: Evidence = evidence(sp, figure, source_speaker);
    // The source's words, without an attribution that splits them.
    ev.text = quote
        .parts
        .iter()
        .filter_map(|part| {
            let start = figure.start.max(part.start);
            let end = figure.end.min(part.end);
            (start < end).then(|| Span::new(start, end).slice(&doc.text).split_whitespace().collect::<Vec<_>>().join(" "))
        })
        .collect::<Vec<_>>()
        .join(" ");
    let n = pat.toks.len();
    let draft_words = Span::new(pat.toks[0].span.start, pat.toks[n - 1].span.end);
    let draft_quoted: String = q.parts.iter().map(|p| p.slice(draft_text).split_whitespace().collect::<Vec<_>>().join(" ")).collect::<Vec<_>>().join(" ");
    let draft_split: Vec<&str> = draft_quoted.split_whitespace().collect();
    let source_split: Vec<&str> = ev.text.split_whitespace().collect();
    let diff = word_diff(&draft_split, &source_split);
    let who = match source_speaker {
        Some(s) if s.kind != SpeakerKind::Pronoun => s.text.clone(),
        _ => q.speaker.as_ref().map_or_else(|| "the speaker".to_string(), |s| s.text.clone()),
    };
    let message = format!(
        "paraphrase in quotation marks: {who}'s recorded words are \"{}\", not \"{}\"; word diff: {diff}",
        ev.text,
        draft_quoted.trim_end_matches([',', '.', ';', ':'])
    );
    let single_part = q.parts.len() == 1;
    let fix = single_part.then(|| Fix { span: draft_words, replacement: ev.text.clone(), title: format!("Use {who}'s words: \"{}\"", ev.text) });
    Finding {
        code: Code::Misquote,
        severity: match found.identity {
            Identity::Named => Code::Misquote.default_severity(),
            Identity::Weak => Severity::Warning,
        },
        span: if single_part { draft_words } else { q.span },
        message,
        evidence: vec![ev],
        fix,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_join_spellings_and_inflections() {
        assert_eq!(key("optimise"), key("optimize"));
        assert_eq!(key("correspondence"), key("correspondences"));
        assert_eq!(key("applications"), key("application"));
        assert_eq!(key("2022"), Some("2022".to_string()));
        assert_eq!(key("the"), None);
        assert_eq!(key("couldn't"), None);
    }

    #[test]
    fn the_longest_common_run_is_contiguous() {
        assert_eq!(longest_common_run(&["a", "b", "c", "x", "d"], &["a", "b", "c", "d"]), 3);
        assert_eq!(longest_common_run(&["a"], &[]), 0);
    }

    #[test]
    fn order_is_the_longest_common_subsequence() {
        assert_eq!(common_order(&["a", "b", "c", "d"], &["a", "c", "b", "d"]), 3);
        assert_eq!(common_order(&[], &["a"]), 0);
    }

    #[test]
    fn the_word_diff_marks_what_each_side_has_alone() {
        let draft: Vec<&str> = "Employees enter confidential correspondence or use the bot".split(' ').collect();
        let source: Vec<&str> = "Employees enter classified correspondences or use the bot".split(' ').collect();
        assert_eq!(word_diff(&draft, &source), "Employees enter [-classified correspondences-]{+confidential correspondence+} or use the bot");
        let source: Vec<&str> = "As she said, employees enter classified correspondences or use the bot today".split(' ').collect();
        assert_eq!(word_diff(&draft, &source), "… Employees enter [-classified correspondences-]{+confidential correspondence+} or use the bot …");
    }

    /// Drafts checked against the paraphrase fixture's source: errors and warnings by code and
    /// severity.
    fn loud(draft: &str) -> Vec<(Code, Severity, String)> {
        use crate::check::{check, CheckOptions};
        use crate::corpus::Document;
        use crate::prose::Format;
        let source = include_str!("../../../tests/fixtures/cases/paraphrase/source/chatbot-leaks.txt");
        let corpus = Corpus::from_documents(vec![Document::new("s.txt".into(), None, source.into(), Format::PlainText)], Vec::new(), 0);
        let (report, _) = check(draft, Format::PlainText, &corpus, &CheckOptions::default());
        report.findings.iter().filter(|f| f.severity <= Severity::Warning).map(|f| (f.code, f.severity, f.message.clone())).collect()
    }

    #[test]
    fn a_named_speakers_reworded_words_are_an_error_with_both_texts() {
        let found = loud("\"Companies should ask if sensitive files belong in a chatbot at all, because few of these tools were designed for confidentiality,\" said Tomas de Wit.");
        assert_eq!(found.len(), 1, "{found:?}");
        let (code, severity, message) = &found[0];
        assert_eq!((*code, *severity), (Code::Misquote, Severity::Error));
        assert!(message.contains("recorded words are \"It would be wise for companies"), "{message}");
        assert!(message.contains("not \"Companies should ask if"), "{message}");
        assert!(message.contains("[-documents-]{+files+}"), "{message}");
    }

    #[test]
    fn a_speaker_matched_by_pronoun_makes_a_warning() {
        let draft = "\"The data speak for themselves,\" said Tomas de Wit.\n\n\"Companies should ask if sensitive documents belong in a chatbot at all, because few of these tools were built for confidentiality,\" he advised.";
        let found = loud(draft);
        assert_eq!(found.iter().map(|f| (f.0, f.1)).collect::<Vec<_>>(), vec![(Code::Misquote, Severity::Warning)], "{found:?}");
    }

    #[test]
    fn other_speakers_and_other_remarks_stay_quiet() {
        // A speaker the source never quotes, saying the same thing.
        assert_eq!(loud("\"Companies should ask if sensitive files belong in a chatbot at all, because few of these tools were designed for confidentiality,\" said Ilse Brandt."), vec![]);
        // The same speaker, another remark on the subject.
        assert_eq!(loud("\"Few companies ask where their sensitive files go once a chatbot has them,\" said Tomas de Wit."), vec![]);
        // The source quotes only part of what the draft does.
        assert_eq!(loud("\"We never expected the market for stolen accounts to grow this quickly, but we are hiring to keep up with it, and we will open an office in Lisbon,\" said Sanne Oyelaran."), vec![]);
    }
}
