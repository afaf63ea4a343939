//! Speaker attribution: who a quotation is attributed to, read from the prose around it.
//!
//! Speakers come from the attribution next to the quotation: after it (`," said X`, `," X
//! said`), between its parts, or before it in the same sentence (`X told AFP:`, `according to
//! X,`, `X argued that`, `the entrepreneur said`, `A recent Stanford study posited that`).
//! Titles, affiliations and appositives are read past (`WTO spokesman Keith Rockwell`, `Wang
//! Wen of Renmin University`, `Gao Fei, chief technology officer at BOK Health, agreed`).
//! `he`/`she` resolve to the nearest preceding named speaker in the same or previous paragraph.

use super::quotations::SpanCover;
use crate::position::Span;
use crate::prose::Prose;
use crate::words;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpeakerKind {
    /// A name (`Mark Barton`, `Barton`, `OpenAI`), or a pronoun resolved to one.
    Name,
    /// A role or thing (`the entrepreneur`, `A recent Stanford study`).
    Description,
    /// A pronoun with no named speaker to stand for.
    Pronoun,
}

/// Who a quotation is attributed to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Speaker {
    pub kind: SpeakerKind,
    /// The name or description as written; for a resolved pronoun, the name it stands for.
    pub text: String,
    /// Where the speaker stands in the file (the pronoun itself for a pronoun).
    pub span: Span,
    /// Resolved from a pronoun.
    pub resolved: bool,
    /// The attribution is a sure one: right after the quotation or between its parts
    /// (`," Barton said`), or just before it with nothing reported in between
    /// (`Barton said the firm "..."`).
    pub follows: bool,
    /// From `according to X`: X may have reported the words (a publication, a filing) rather
    /// than spoken them.
    pub reported: bool,
    /// Read from the quotation before it (`"A," said X. "B"`): a guess about B, which may
    /// name who wrote A's words rather than who said B's, so never grounds to call a draft's
    /// speaker wrong.
    pub continued: bool,
}

/// A speech verb and who it attributes to.
#[derive(Debug, Clone)]
pub(super) struct Attribution {
    /// Bytes from the first word of the attribution to its last.
    pub(super) span: Span,
    pub(super) verb: Span,
    pub(super) speaker: Option<Speaker>,
}

#[derive(Debug, Clone, Copy)]
pub(super) struct Tok {
    pub(super) span: Span,
    pub(super) word: bool,
}

/// Words (with inner apostrophes, hyphens, dots and ampersands) and single punctuation marks.
pub(super) fn lex(text: &str, span: Span) -> Vec<Tok> {
    Lexer { s: span.slice(text), base: span.start, pos: 0 }.collect()
}

/// Whether `text[span]` holds at most `limit` words: reads no further than the word after the
/// limit, so asking about a short gap costs little even when the span runs on (a paragraph of
/// thousands of attributions asks once per attribution).
pub(super) fn words_at_most(text: &str, span: Span, limit: usize) -> bool {
    Lexer { s: span.slice(text), base: span.start, pos: 0 }.filter(|t| t.word).nth(limit).is_none()
}

/// The tokens of [`lex`], one at a time.
struct Lexer<'a> {
    s: &'a str,
    base: usize,
    pos: usize,
}

impl Iterator for Lexer<'_> {
    type Item = Tok;

    fn next(&mut self) -> Option<Tok> {
        let s = self.s;
        loop {
            let c = s[self.pos..].chars().next()?;
            let off = self.pos;
            if c.is_whitespace() {
                self.pos += c.len_utf8();
                continue;
            }
            if c.is_alphanumeric() {
                let mut end = off + c.len_utf8();
                loop {
                    let mut rest = s[end..].chars();
                    match rest.next() {
                        Some(cj) if cj.is_alphanumeric() => end += cj.len_utf8(),
                        Some(cj @ ('\'' | '’' | '-' | '.' | '&')) => match rest.next() {
                            Some(n) if n.is_alphanumeric() => end += cj.len_utf8() + n.len_utf8(),
                            _ => break,
                        },
                        _ => break,
                    }
                }
                self.pos = end;
                return Some(Tok { span: Span::new(self.base + off, self.base + end), word: true });
            }
            self.pos += c.len_utf8();
            return Some(Tok { span: Span::new(self.base + off, self.base + off + c.len_utf8()), word: false });
        }
    }
}

const SPEECH_VERBS: &[&str] = &[
    "said", "says", "say", "told", "tells", "added", "adds", "noted", "notes", "argued", "argues",
    "stated", "wrote", "writes", "explained", "explains", "asked", "asks", "insisted", "insists",
    "warned", "warns", "claimed", "claims", "posited", "posits", "suggested", "suggests",
    "remarked", "recalled", "replied", "replies", "continued", "acknowledged", "admitted",
    "declared", "announced", "commented", "observed", "predicted", "contended", "contends",
    "maintained", "stressed", "emphasised", "emphasized", "agreed", "agrees", "conceded",
    "tweeted", "testified", "responded", "countered", "cautioned", "concluded", "described",
    "quipped", "joked", "according", "believes", "thinks", "advised", "advises", "put",
];

pub(crate) const DETERMINERS: &[&str] = &[
    "the", "a", "an", "one", "another", "this", "that", "these", "those", "some", "several", "many",
    "two", "three", "four", "five", "other", "most", "both", "each", "its", "their", "his", "her",
];

/// Words that end a noun phrase read backwards from a verb.
const STOP_BACK: &[&str] = &[
    "and", "but", "or", "nor", "while", "as", "because", "when", "if", "after", "before", "so",
    "where", "from", "to", "by", "with", "for", "in", "on", "at", "of", "than", "since",
    "although", "though", "said", "says", "told", "that", "who", "which", "whom", "whose", "what",
    "is", "are", "was", "were", "comes", "came", "example", "like", "including", "about",
];

/// Words that end a noun phrase read forwards from an inverted verb (`said X of Y`).
const STOP_AFTER: &[&str] = &[
    "who", "that", "which", "of", "at", "from", "in", "for", "with", "on", "to", "and", "while",
    "as", "during", "when", "after", "before", "about", "according", "also", "is", "was", "in",
    "last", "this", "on", "earlier", "later", "told", "said", "adding", "speaking", "by", "quoted",
    "writing", "citing", "referring", "responding", "in",
];

/// Nouns that introduce someone else's words (`X said Y's claim that "..."`).
pub(super) const REPORTING_NOUNS: &[&str] = &[
    "claim", "claims", "statement", "statements", "remark", "remarks", "words", "comment",
    "comments", "view", "assertion", "argument", "tweet", "post", "quote", "description", "phrase",
    "slogan", "motto", "headline", "title", "term", "message", "memo", "letter", "report",
];

/// Titles that name a role, not a person.
pub(crate) const TITLES: &[&str] = &[
    "ceo", "cto", "cfo", "coo", "cio", "president", "chairman", "chairwoman", "chair", "chief", "director",
    "minister", "secretary", "spokesman", "spokeswoman", "spokesperson", "founder", "cofounder", "co-founder",
    "senator", "sen", "governor", "professor", "prof", "dr", "mr", "ms", "mrs", "sir", "executive", "officer",
    "head", "vice", "general", "manager", "analyst", "economist", "lawmaker", "representative", "rep", "judge",
];

const NAME_PARTICLES: &[&str] = &["de", "van", "von", "bin", "al", "da", "del", "der", "la", "le", "du", "di", "ter"];

pub(super) fn lower(text: &str, t: &Tok) -> String {
    t.span.slice(text).to_lowercase().replace('’', "'")
}

pub(super) fn is_cap(text: &str, t: &Tok) -> bool {
    t.span.slice(text).chars().next().is_some_and(|c| c.is_uppercase())
}

pub(super) fn is_possessive(text: &str, t: &Tok) -> bool {
    let w = t.span.slice(text);
    w.ends_with("'s") || w.ends_with("’s") || w.ends_with("s'") || w.ends_with("s’")
}

fn is_adverb(text: &str, t: &Tok) -> bool {
    let w = t.span.slice(text);
    if w.chars().next().is_some_and(|c| c.is_uppercase()) {
        return false;
    }
    (w.len() > 4 && w.ends_with("ly"))
        || matches!(
            w,
            "also" | "later" | "then" | "has" | "have" | "had" | "once" | "again" | "further" | "earlier"
                | "previously" | "would" | "will" | "did" | "does" | "even" | "still" | "just"
                | "recently" | "often" | "now" | "reportedly" | "last" | "week" | "year"
                | "month" | "on" | "monday" | "tuesday" | "wednesday" | "thursday" | "friday"
        )
}

/// All attributions of paragraph `p`, in order.
pub(super) fn attributions(text: &str, prose: &Prose, p: usize, inner: &[Span]) -> Vec<Attribution> {
    let mut out = Vec::new();
    // Sentences are in paragraph order: the paragraph's are one run, found by halving (a scan
    // of every sentence per paragraph made long drafts quadratic).
    let first = prose.sentences.partition_point(|s| s.paragraph < p);
    let end = first + prose.sentences[first..].partition_point(|s| s.paragraph == p);
    let quoted = SpanCover::new(inner.iter().copied());
    for sentence in &prose.sentences[first..end] {
        let toks: Vec<Tok> = lex(text, sentence.span).into_iter().filter(|t| !quoted.contains(t.span)).collect();
        for v in 0..toks.len() {
            if !toks[v].word {
                continue;
            }
            let raw = toks[v].span.slice(text);
            let w = raw.to_lowercase();
            if !SPEECH_VERBS.contains(&w.as_str()) || (raw != w && w != "according") {
                continue;
            }
            // `X put it`, `as X put it`: "put" speaks only with "it" ("put the cost at").
            if w == "put" && !toks.get(v + 1).is_some_and(|t| t.word && lower(text, t) == "it") {
                continue;
            }
            // "to say", "would say" of something else are not attributions.
            if v > 0 && toks[v - 1].word && lower(text, &toks[v - 1]) == "to" && w != "according" {
                continue;
            }
            let speaker = speaker_for_verb(text, &toks, v);
            let mut span = toks[v].span;
            if let Some(s) = &speaker {
                span = span.cover(s.span);
            }
            out.push(Attribution { span, verb: toks[v].span, speaker });
        }
    }
    out
}

fn speaker_for_verb(text: &str, toks: &[Tok], v: usize) -> Option<Speaker> {
    if lower(text, &toks[v]) == "according" {
        return match toks.get(v + 1) {
            Some(t) if t.word && lower(text, t) == "to" => np_after(text, toks, v + 2).map(|s| Speaker { reported: true, ..s }),
            _ => None,
        };
    }
    let mut b = v;
    while b > 0 && toks[b - 1].word && is_adverb(text, &toks[b - 1]) {
        b -= 1;
    }
    if b == 0 {
        return if matches!(lower(text, &toks[v]).as_str(), "told" | "tells") { None } else { np_after(text, toks, v + 1) };
    }
    let before = toks[b - 1];
    if before.word {
        let w = lower(text, &before);
        if matches!(w.as_str(), "who" | "that" | "which") {
            return relative(text, toks, b - 1);
        }
        return np_before(text, toks, b - 1, false);
    }
    // `Senator Dick Durbin (D-IL) said`: a parenthetical between the name and the verb.
    if before.span.slice(text) == ")" {
        let open = toks[..b - 1].iter().rposition(|t| t.span.slice(text) == "(")?;
        if b - 1 - open <= 8 && open >= 1 && toks[open - 1].word {
            return np_before(text, toks, open - 1, false);
        }
        return None;
    }
    let is_mark = |t: &Tok| matches!(t.span.slice(text), "\"" | "”" | "“" | "’" | "'" | "»" | "«");
    // `Gao Fei, chief technology officer at BOK Health, said`: an appositive before the verb.
    if before.span.slice(text) == "," && b >= 2 && (toks[b - 2].word || toks[b - 2].span.slice(text) == ")") {
        if let Some(s) = appositive(text, toks, b - 1) {
            return Some(s);
        }
    }
    // Inverted only right after a quotation: `," said Mark Barton`. Nobody is "told" first.
    let after_quote = is_mark(&before) || (before.span.slice(text) == "," && b >= 2 && is_mark(&toks[b - 2]));
    if after_quote && !matches!(lower(text, &toks[v]).as_str(), "told" | "tells") {
        return np_after(text, toks, v + 1);
    }
    None
}

/// `X, who said` / `an AI Action Plan that said`: the speaker is what the relative pronoun at
/// `r` refers to.
fn relative(text: &str, toks: &[Tok], r: usize) -> Option<Speaker> {
    let k = r.checked_sub(1)?;
    if toks[k].word {
        np_before(text, toks, k, true)
    } else if toks[k].span.slice(text) == "," {
        appositive(text, toks, k)
    } else {
        None
    }
}

/// `Gao Fei, chief technology officer at BOK Health, agreed`: skips the appositive ending at
/// the comma at `c` and reads the noun phrase before it.
fn appositive(text: &str, toks: &[Tok], c: usize) -> Option<Speaker> {
    let mut p = c;
    let mut words = 0;
    loop {
        p = p.checked_sub(1)?;
        let t = toks[p];
        if t.word {
            words += 1;
            if words > 14 {
                return None;
            }
            continue;
        }
        match t.span.slice(text) {
            "," => break,
            "(" | ")" | "-" | "&" | "." => continue,
            _ => return None,
        }
    }
    if words == 0 {
        return None;
    }
    let k = p.checked_sub(1)?;
    if !toks[k].word {
        return None;
    }
    np_before(text, toks, k, true)
}

/// The noun phrase ending at token `b` (a word), read backwards.
fn np_before(text: &str, toks: &[Tok], b: usize, in_relative: bool) -> Option<Speaker> {
    let mut start = b + 1;
    let mut k = b as isize;
    while k >= 0 && (b + 1 - start) < 8 {
        let t = toks[k as usize];
        if !t.word {
            break;
        }
        let w = lower(text, &t);
        if STOP_BACK.contains(&w.as_str()) && !(k as usize == b && !in_relative && matches!(w.as_str(), "that" | "who" | "which")) {
            break;
        }
        start = k as usize;
        if DETERMINERS.contains(&w.as_str()) {
            break;
        }
        k -= 1;
    }
    if start > b {
        return None;
    }
    // `Wang Wen of Renmin University said`, `a partner at DGA said`: the speaker is the noun
    // phrase before the preposition when it is a name or a short description.
    if k >= 1 && toks[k as usize].word && matches!(lower(text, &toks[k as usize]).as_str(), "of" | "at" | "from") {
        let before = toks[k as usize - 1];
        if before.word && !STOP_BACK.contains(&lower(text, &before).as_str()) {
            if let Some(s) = np_before(text, toks, k as usize - 1, in_relative) {
                let words = s.text.split_whitespace().count();
                let appositive_name = s.kind == SpeakerKind::Name && s.span.end < before.span.start;
                if appositive_name || s.kind == SpeakerKind::Name && is_cap(text, &before) || s.kind == SpeakerKind::Description && words <= 4 && DETERMINERS.contains(&s.text.split_whitespace().next().unwrap_or("").to_lowercase().as_str()) {
                    let description_start = toks.partition_point(|t| t.span.start < s.span.start);
                    let description_start = if toks.get(description_start).is_some_and(|t| t.span.start == s.span.start) { description_start } else { 0 };
                    return prefer_name_before(text, toks, description_start, Some(s));
                }
            }
        }
    }
    let sentence_initial = toks[..start].iter().all(|t| !t.word);
    let found = classify(text, &toks[start..=b], sentence_initial);
    prefer_name_before(text, toks, start, found)
}

/// `Michael Lamberty, a Lufthansa spokesman said`: a description right after a name and a
/// comma is the name's.
fn prefer_name_before(text: &str, toks: &[Tok], start: usize, found: Option<Speaker>) -> Option<Speaker> {
    if found.as_ref().is_some_and(|s| s.kind == SpeakerKind::Description)
        && start >= 2
        && toks[start - 1].span.slice(text) == ","
        && toks[start - 2].word
        && is_cap(text, &toks[start - 2])
    {
        if let Some(name) = np_before(text, toks, start - 2, false).filter(|s| s.kind == SpeakerKind::Name) {
            return Some(name);
        }
    }
    found
}

fn pronoun(text: &str, t: &Tok) -> Option<Speaker> {
    let w = lower(text, t);
    if matches!(w.as_str(), "he" | "she" | "they" | "it" | "we" | "i" | "you") {
        Some(Speaker { kind: SpeakerKind::Pronoun, text: w, span: t.span, resolved: false, follows: false, reported: false, continued: false })
    } else {
        None
    }
}

fn phrase(text: &str, words: &[Tok]) -> (String, Span) {
    let span = Span::new(words[0].span.start, words[words.len() - 1].span.end);
    (span.slice(text).split_whitespace().collect::<Vec<_>>().join(" "), span)
}

/// What kind of speaker a noun phrase names.
fn classify(text: &str, words: &[Tok], sentence_initial: bool) -> Option<Speaker> {
    let last = words.last()?;
    if let Some(p) = pronoun(text, last) {
        return Some(p);
    }
    // "Airbnb's Brian Chesky": the speaker follows the possessive.
    let mut words = words;
    let mut cut = false;
    if let Some(k) = words[..words.len() - 1].iter().rposition(|t| is_possessive(text, t)) {
        words = &words[k + 1..];
        cut = true;
    }
    let run = words.iter().rev().take_while(|t| is_cap(text, t)).count();
    if run > 0 {
        let mut name = &words[words.len() - run..];
        // A capitalised sentence-initial article or function word is not part of the name.
        while let Some(first) = name.first() {
            let w = lower(text, first);
            if DETERMINERS.contains(&w.as_str()) || words::is_stopword(&w) {
                name = &name[1..];
            } else {
                break;
            }
        }
        if name.is_empty() {
            return None;
        }
        // "CEO", "President": a title alone names nobody.
        if name.iter().all(|t| TITLES.contains(&lower(text, t).as_str())) {
            let (t, span) = phrase(text, words);
            return Some(Speaker { kind: SpeakerKind::Description, text: t, span, resolved: false, follows: false, reported: false, continued: false });
        }
        let initial = sentence_initial && !cut && run == words.len();
        if name.len() == 1 && initial {
            // "Officials said", "Analysts said": a plural at the start of a sentence is no name.
            let w = lower(text, &name[0]);
            if w.ends_with('s') && !w.ends_with("ss") {
                let (t, span) = phrase(text, name);
                return Some(Speaker { kind: SpeakerKind::Description, text: t, span, resolved: false, follows: false, reported: false, continued: false });
            }
        }
        let (t, span) = phrase(text, name);
        return Some(Speaker { kind: SpeakerKind::Name, text: t, span, resolved: false, follows: false, reported: false, continued: false });
    }
    // A description: from its determiner, or its last three words.
    let d = words.iter().rposition(|t| DETERMINERS.contains(&lower(text, t).as_str()));
    let mut desc = match d {
        Some(d) if d + 1 < words.len() => &words[d..],
        _ => &words[words.len().saturating_sub(3)..],
    };
    // "A recent Stanford study published posited": drop the trailing participle.
    while desc.len() >= 3 && lower(text, &desc[desc.len() - 1]).ends_with("ed") {
        desc = &desc[..desc.len() - 1];
    }
    if desc.iter().all(|t| {
        let w = lower(text, t);
        words::is_stopword(&w) || DETERMINERS.contains(&w.as_str())
    }) {
        return None;
    }
    let (t, span) = phrase(text, desc);
    Some(Speaker { kind: SpeakerKind::Description, text: t, span, resolved: false, follows: false, reported: false, continued: false })
}

/// The noun phrase starting at token `i`, after an inverted verb (`," said Mark Barton of X`).
fn np_after(text: &str, toks: &[Tok], i: usize) -> Option<Speaker> {
    let first = toks.get(i).filter(|t| t.word)?;
    if let Some(p) = pronoun(text, first) {
        return Some(p);
    }
    let w0 = lower(text, first);
    // `advised de Vries`, `said van der Merwe`: a name that opens with a particle.
    if NAME_PARTICLES.contains(&w0.as_str()) && !is_cap(text, first) {
        let next = (i + 1..toks.len().min(i + 3)).find(|&j| !NAME_PARTICLES.contains(&lower(text, &toks[j]).as_str()))?;
        if toks[next].word && is_cap(text, &toks[next]) && (i + 1..next).all(|j| toks[j].word) {
            return np_after(text, toks, next).map(|s| {
                let span = Span::new(first.span.start, s.span.end);
                Speaker { text: span.slice(text).split_whitespace().collect::<Vec<_>>().join(" "), span, ..s }
            });
        }
        return None;
    }
    // `said WTO spokesman Keith Rockwell`, `said retail analyst Nick Bubb`: role words before
    // the name.
    let mut k = i;
    while k < toks.len() && k - i < 6 && toks[k].word && (is_cap(text, &toks[k]) || !STOP_AFTER.contains(&lower(text, &toks[k]).as_str())) {
        k += 1;
    }
    let run_start = (i..k).rev().take_while(|&j| is_cap(text, &toks[j])).last();
    if let Some(r) = run_start {
        let role_words = (i..r).filter(|&j| !is_cap(text, &toks[j])).count();
        if r > i && role_words > 0 && (i..r).all(|j| !DETERMINERS.contains(&lower(text, &toks[j]).as_str())) {
            return np_after(text, toks, r);
        }
    }
    if is_cap(text, first) && !DETERMINERS.contains(&w0.as_str()) {
        // A name: capitalised words, particles and initials ("Paul J. Triolo").
        let mut end = i;
        let mut k = i;
        while k < toks.len() && k - i < 8 {
            let t = toks[k];
            if t.word {
                let w = lower(text, &t);
                if is_cap(text, &t) || (NAME_PARTICLES.contains(&w.as_str()) && k > i) {
                    end = k;
                    k += 1;
                    continue;
                }
                break;
            }
            // The dot of an initial.
            if t.span.slice(text) == "." && toks[k - 1].word && toks[k - 1].span.len() == 1 && toks.get(k + 1).is_some_and(|n| n.word && is_cap(text, n)) {
                k += 1;
                continue;
            }
            break;
        }
        let run = &toks[i..=end];
        let words: Vec<Tok> = run.iter().copied().filter(|t| t.word).collect();
        // `warned Group-IB's head of threat intelligence, Dmitry Shestakov`: an organisation's
        // role, then the person after a comma.
        if words.last().is_some_and(|t| is_possessive(text, t)) {
            let mut j = end + 1;
            while j < toks.len() && j <= end + 8 && toks[j].word && !is_cap(text, &toks[j]) {
                j += 1;
            }
            if j > end + 1 && toks.get(j).is_some_and(|t| t.span.slice(text) == ",") && toks.get(j + 1).is_some_and(|t| t.word && is_cap(text, t)) {
                if let Some(name) = np_after(text, toks, j + 1).filter(|s| s.kind == SpeakerKind::Name) {
                    return Some(name);
                }
            }
        }
        // `said Group-IB's Head of Threat Intelligence Dmitry Shestakov`: a title of something
        // and then the person; of a run of three or more capitalised words after the `of`, the
        // last two are the name.
        let title = words.last().is_some_and(|t| TITLES.contains(&lower(text, t).as_str()));
        if title && toks.get(end + 1).is_some_and(|t| t.word && lower(text, t) == "of") {
            let after = end + 2;
            let cap_run = toks[after.min(toks.len())..].iter().take(6).take_while(|t| t.word && is_cap(text, t)).count();
            if cap_run >= 3 {
                let name = &toks[after + cap_run - 2..after + cap_run];
                if name.iter().all(|t| !TITLES.contains(&lower(text, t).as_str())) {
                    let (t, span) = phrase(text, name);
                    return Some(Speaker { kind: SpeakerKind::Name, text: t, span, resolved: false, follows: false, reported: false, continued: false });
                }
            }
        }
        return classify(text, &words, false).map(|mut s| {
            if s.kind == SpeakerKind::Name {
                s.span = Span::new(s.span.start, run[run.len() - 1].span.end.max(s.span.end));
                s.text = s.span.slice(text).split_whitespace().collect::<Vec<_>>().join(" ");
            }
            s
        });
    }
    if DETERMINERS.contains(&w0.as_str()) {
        let mut end = i;
        let mut k = i + 1;
        while k < toks.len() && k - i < 7 {
            let t = toks[k];
            if !t.word || STOP_AFTER.contains(&lower(text, &t).as_str()) {
                break;
            }
            end = k;
            k += 1;
        }
        if end == i {
            return None;
        }
        let found = classify(text, &toks[i..=end], false);
        // `said the company's CEO, Sam Altman`: the name after the role is the speaker.
        if found.as_ref().is_some_and(|s| s.kind == SpeakerKind::Description)
            && toks.get(end + 1).is_some_and(|t| t.span.slice(text) == ",")
            && toks.get(end + 2).is_some_and(|t| t.word && is_cap(text, t))
        {
            if let Some(name) = np_after(text, toks, end + 2).filter(|s| s.kind == SpeakerKind::Name) {
                return Some(name);
            }
        }
        return found;
    }
    None
}

pub(super) fn resolve_pronouns(current: &mut [Attribution], previous: &[Attribution]) {
    // The nearest named speaker so far, carried along rather than searched for from each
    // pronoun (a paragraph of thousands of "he said" was quadratic).
    let mut named: Option<String> =
        previous.iter().rev().filter_map(|a| a.speaker.as_ref()).find(|s| s.kind == SpeakerKind::Name).map(|s| s.text.clone());
    for attribution in current.iter_mut() {
        let Some(s) = &mut attribution.speaker else { continue };
        if s.kind == SpeakerKind::Pronoun && matches!(s.text.as_str(), "he" | "she") {
            if let Some(name) = &named {
                s.kind = SpeakerKind::Name;
                s.text = name.clone();
                s.resolved = true;
            }
        }
        if s.kind == SpeakerKind::Name {
            named = Some(s.text.clone());
        }
    }
}

/// Indices of the attributions whose verb lies in `span` (with its end): attributions are in
/// text order, so these are one run. An attribution inside a span has its verb there, so a
/// search for one looks only at these, not at every attribution of the paragraph per mark.
pub(super) fn verbs_in(attributions: &[Attribution], span: Span) -> std::ops::Range<usize> {
    let first = attributions.partition_point(|a| a.verb.start < span.start);
    let end = attributions.partition_point(|a| a.verb.start <= span.end).max(first);
    first..end
}

#[cfg(test)]
mod scale_tests {
    //! Regressions for time quadratic in the draft (issue 12): what each quotation reads must
    //! not grow with the number of quotations around it.
    use super::*;

    #[test]
    fn the_lexer_stops_early_and_agrees_with_the_whole_lex() {
        let text = "said the company’s CEO, Sam Altman — of O.K. & co-founders, 3.5";
        let span = Span::new(0, text.len());
        let words = lex(text, span).iter().filter(|t| t.word).count();
        for limit in 0..words + 2 {
            assert_eq!(words_at_most(text, span, limit), words <= limit, "limit {limit}");
        }
    }
}
