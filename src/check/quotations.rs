//! Quotations: finding them in drafts and sources, saying who spoke them, and checking each
//! draft quotation against the corpus.
//!
//! Words inside quotation marks promise that someone said exactly that. One extractor serves
//! drafts and sources alike: it reads the *masked* prose (see [`crate::prose`]), so every span is
//! a byte span of the original file. It pairs straight and curly double quotes, single quotes
//! (headline style), and guillemets; apostrophes (`don't`, `Alibaba’s`, `’90s`) are not
//! quotation marks, and an opening mark that is never closed is dropped rather than allowed to
//! swallow the rest of its paragraph. A quotation split by nothing but an attribution
//! (`"We wouldn't ...," he said. "If Alibaba ..."`) is one quotation of several parts. Quoted
//! code, URLs and encoded strings are not quotations.
//!
//! Speakers come from the attribution next to the quotation: after it (`," said X`, `," X
//! said`), between its parts, or before it in the same sentence (`X told AFP:`, `according to
//! X,`, `X argued that`, `the entrepreneur said`, `A recent Stanford study posited that`).
//! Titles, affiliations and appositives are read past (`WTO spokesman Keith Rockwell`, `Wang
//! Wen of Renmin University`, `Gao Fei, chief technology officer at BOK Health, agreed`).
//! `he`/`she` resolve to the nearest preceding named speaker in the same or previous paragraph.
//!
//! Checking compares word sequences after normalising what carries no meaning (quote and
//! apostrophe styles, dashes, ellipsis forms, whitespace, case, edge punctuation, contractions,
//! `%`/`per cent`). A draft may omit words with an ellipsis, insert `[bracketed]` words, write
//! `[t]he` and add `[sic]`; a source's own ellipses and parentheticals, and a source that quotes
//! less than the draft, are not held against the draft. Source paragraphs are found with BM25
//! (the quotation's words, its sentence, its rarest words) and their quotations extracted on
//! demand.
//! - verbatim in a source where someone else surely is the speaker: `misattribution` (error);
//! - not verbatim, but a source quotation nearly matches (most words in order, both ends
//!   agreeing, and the same speaker or the same surrounding context): `misquote` (error), with a
//!   word-level diff; also a close match in a source's prose right by the speaker's name (a
//!   quotation whose marks the source lost);
//! - found nowhere: `unsupported-claim` at info level.
//!
//! Precision comes first. A speaker the draft only implies with a pronoun is never called
//! wrong; a source speaker read from a pronoun or from before the quotation yields when the
//! draft's speaker is named nearby; a role (`the entrepreneur`) yields when the article names
//! the draft's speaker where it introduces that role. Quotations of one or two words are terms
//! or scare quotes: they only need their words in a source, except that a two-word quotation
//! whose counterpart by the same speaker differs by one word is a misquote.

use std::collections::{HashMap, HashSet};

use crate::corpus::{Corpus, SearchScratch};
use crate::findings::{Checked, Code, Evidence, Finding, Fix, Report, Verdict};
use crate::position::Span;
use crate::prose::Prose;
use crate::words;

/// One quotation in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quotation {
    /// From the first opening mark to the last closing mark.
    pub span: Span,
    /// The text inside the marks of each part; several when an attribution splits the quotation.
    pub parts: Vec<Span>,
    /// Index into `Prose::paragraphs`.
    pub paragraph: usize,
    pub speaker: Option<Speaker>,
}

impl Quotation {
    /// Whether `span` lies inside the quoted words.
    pub fn contains(&self, span: Span) -> bool {
        self.parts.iter().any(|p| p.start <= span.start && span.end <= p.end)
    }
}

/// Whether `span` lies inside the quoted words of any of `quotations`.
pub fn inside(quotations: &[Quotation], span: Span) -> bool {
    quotations.iter().any(|q| q.contains(span))
}

/// A set of spans answering "does one of them contain this span?" in logarithmic time, for
/// asking it once per word or figure of a draft with thousands of quotations.
#[derive(Debug, Clone, Default)]
pub struct SpanCover {
    /// The spans by start.
    starts: Vec<usize>,
    /// The largest end among the spans up to each index.
    reach: Vec<usize>,
}

impl SpanCover {
    pub fn new(spans: impl IntoIterator<Item = Span>) -> Self {
        let mut spans: Vec<Span> = spans.into_iter().collect();
        spans.sort_unstable_by_key(|s| s.start);
        let mut reach = Vec::with_capacity(spans.len());
        let mut furthest = 0;
        for s in &spans {
            furthest = furthest.max(s.end);
            reach.push(furthest);
        }
        SpanCover { starts: spans.iter().map(|s| s.start).collect(), reach }
    }

    /// The quoted words of `quotations` (what [`inside`] asks about).
    pub fn quoted(quotations: &[Quotation]) -> Self {
        SpanCover::new(quotations.iter().flat_map(|q| q.parts.iter().copied()))
    }

    /// Whether one of the spans holds all of `span`.
    pub fn contains(&self, span: Span) -> bool {
        // Of the spans starting at or before `span`, the one reaching furthest decides.
        let n = self.starts.partition_point(|&start| start <= span.start);
        n > 0 && self.reach[n - 1] >= span.end
    }
}

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
}

// ---------------------------------------------------------------------------------------------
// Extraction
// ---------------------------------------------------------------------------------------------

/// Every quotation of a file.
pub fn extract(prose: &Prose) -> Vec<Quotation> {
    extract_paragraphs(prose, 0, prose.paragraphs.len())
}

/// Quotations of paragraphs `first..end`; the paragraph before `first` is read to resolve
/// pronouns.
pub fn extract_paragraphs(prose: &Prose, first: usize, end: usize) -> Vec<Quotation> {
    extract_in(&prose.masked, prose, first, end)
}

/// [`extract_paragraphs`] reading the prose from `text` (the masked copy, or a corpus
/// document's [`crate::corpus::Document::prose_text`]).
fn extract_in(text: &str, prose: &Prose, first: usize, end: usize) -> Vec<Quotation> {
    let end = end.min(prose.paragraphs.len());
    let mut previous: Vec<Attribution> = Vec::new();
    let mut out = Vec::new();
    for p in first.saturating_sub(1)..end {
        let para = prose.paragraphs[p];
        let marks = quote_pairs(text, para);
        let inner: Vec<Span> = marks.iter().map(|(o, c)| Span::new(o.end, c.start)).collect();
        let mut attributions = attributions(text, prose, p, &inner);
        resolve_pronouns(&mut attributions, &previous);
        if p >= first {
            out.extend(build_quotations(text, prose, p, &marks, &attributions));
        }
        previous = attributions;
    }
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    Double,
    Single,
    Guillemet,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Open,
    Close,
    /// Either, by what is open.
    Toggle,
}

fn is_open_context(c: Option<char>) -> bool {
    match c {
        None => true,
        Some(c) => {
            c.is_whitespace()
                || matches!(c, '(' | '[' | '{' | '—' | '–' | '-' | '/' | ':' | '“' | '‘' | '"' | '\'' | '«' | '„' | '‚')
        }
    }
}

fn is_close_context(c: Option<char>) -> bool {
    match c {
        None => true,
        Some(c) => !c.is_alphanumeric(),
    }
}

/// `’90s`, `'em`, `'til`: an apostrophe at the start of a word.
fn is_elision(rest: &str) -> bool {
    let word: String = rest.chars().take_while(|c| c.is_alphanumeric()).collect::<String>().to_lowercase();
    if word.chars().next().is_some_and(|c| c.is_ascii_digit()) {
        return true;
    }
    matches!(word.as_str(), "em" | "til" | "tis" | "twas" | "cause" | "n" | "round" | "bout")
}

/// What a character is as a quotation mark, from its neighbours.
fn mark_role(prev: Option<char>, c: char, next: Option<char>, rest: &str) -> Option<(Family, Role)> {
    let open_ctx = is_open_context(prev);
    let next_word = next.is_some_and(|n| !n.is_whitespace());
    let prev_word = prev.is_some_and(|p| !p.is_whitespace());
    let close_ctx = is_close_context(next);
    match c {
        '"' | '”' | '“' => {
            let open = open_ctx && next_word;
            let close = prev_word && close_ctx;
            match (c, open, close) {
                // A curly opening mark opens unless it plainly closes a word (an HTML entity
                // leaves blanks after it).
                ('“', _, close) if next_word || !close => Some((Family::Double, Role::Open)),
                ('”', _, true) => Some((Family::Double, Role::Close)),
                (_, true, true) => Some((Family::Double, Role::Toggle)),
                (_, true, false) => Some((Family::Double, Role::Open)),
                (_, false, true) => Some((Family::Double, Role::Close)),
                _ => None,
            }
        }
        '„' => Some((Family::Double, Role::Open)),
        '‘' | '‚' => {
            if prev.is_some_and(|p| p.is_alphanumeric()) || !next_word || is_elision(rest) {
                None
            } else {
                Some((Family::Single, Role::Open))
            }
        }
        '’' | '\'' => {
            if prev.is_some_and(|p| p.is_alphanumeric()) && next.is_some_and(|n| n.is_alphanumeric()) {
                return None; // don't, Alibaba’s
            }
            if open_ctx && next.is_some_and(|n| n.is_alphanumeric()) {
                if c == '’' || is_elision(rest) {
                    return None; // ’90s, 'em
                }
                return Some((Family::Single, Role::Open));
            }
            if prev_word && close_ctx {
                return Some((Family::Single, Role::Close));
            }
            None
        }
        '«' | '‹' => Some((Family::Guillemet, Role::Open)),
        '»' | '›' => Some((Family::Guillemet, Role::Close)),
        _ => None,
    }
}

/// Top-level quotation mark pairs in one paragraph: (opening mark, closing mark).
fn quote_pairs(masked: &str, para: Span) -> Vec<(Span, Span)> {
    let text = para.slice(masked);
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut stack: Vec<(Family, Span, char)> = Vec::new();
    let mut pairs: Vec<(Span, Span)> = Vec::new();
    for (k, &(off, c)) in chars.iter().enumerate() {
        if !matches!(c, '"' | '“' | '”' | '„' | '‘' | '’' | '‚' | '\'' | '«' | '»' | '‹' | '›') {
            continue;
        }
        let prev = k.checked_sub(1).map(|i| chars[i].1);
        let next = chars.get(k + 1).map(|x| x.1);
        let rest = &text[off + c.len_utf8()..];
        let Some((family, mut role)) = mark_role(prev, c, next, rest) else { continue };
        let span = Span::new(para.start + off, para.start + off + c.len_utf8());
        let open_index = stack.iter().rposition(|(f, _, _)| *f == family);
        // German „…“: a “ closes an open „.
        if c == '“' && open_index.is_some_and(|i| stack[i].2 == '„') {
            role = Role::Close;
        }
        if role == Role::Toggle {
            role = if open_index.is_some() { Role::Close } else { Role::Open };
        }
        match role {
            Role::Open => {
                if let Some(i) = open_index {
                    // The earlier mark of this kind was never closed: drop it.
                    stack.truncate(i);
                }
                stack.push((family, span, c));
            }
            Role::Close => {
                if let Some(i) = open_index {
                    let open = stack[i].1;
                    stack.truncate(i);
                    if span.start > open.end {
                        pairs.push((open, span));
                    }
                }
            }
            Role::Toggle => {}
        }
    }
    pairs.sort_by_key(|(o, _)| o.start);
    // Keep the outermost pairs: quotations inside quotations are part of the outer one.
    let mut out: Vec<(Span, Span)> = Vec::new();
    for pair in pairs {
        if out.last().is_some_and(|last: &(Span, Span)| pair.1.end <= last.1.end) {
            continue;
        }
        out.push(pair);
    }
    out
}

/// A speech verb and who it attributes to.
#[derive(Debug, Clone)]
struct Attribution {
    /// Bytes from the first word of the attribution to its last.
    span: Span,
    verb: Span,
    speaker: Option<Speaker>,
}

#[derive(Debug, Clone, Copy)]
struct Tok {
    span: Span,
    word: bool,
}

/// Words (with inner apostrophes, hyphens, dots and ampersands) and single punctuation marks.
fn lex(text: &str, span: Span) -> Vec<Tok> {
    Lexer { s: span.slice(text), base: span.start, pos: 0 }.collect()
}

/// Whether `text[span]` holds at most `limit` words: reads no further than the word after the
/// limit, so asking about a short gap costs little even when the span runs on (a paragraph of
/// thousands of attributions asks once per attribution).
fn words_at_most(text: &str, span: Span, limit: usize) -> bool {
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
    "quipped", "joked", "according", "believes", "thinks",
];

const DETERMINERS: &[&str] = &[
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
const REPORTING_NOUNS: &[&str] = &[
    "claim", "claims", "statement", "statements", "remark", "remarks", "words", "comment",
    "comments", "view", "assertion", "argument", "tweet", "post", "quote", "description", "phrase",
    "slogan", "motto", "headline", "title", "term", "message", "memo", "letter", "report",
];

/// Titles that name a role, not a person.
const TITLES: &[&str] = &[
    "ceo", "cto", "cfo", "coo", "cio", "president", "chairman", "chairwoman", "chair", "chief", "director",
    "minister", "secretary", "spokesman", "spokeswoman", "spokesperson", "founder", "cofounder", "co-founder",
    "senator", "sen", "governor", "professor", "prof", "dr", "mr", "ms", "mrs", "sir", "executive", "officer",
    "head", "vice", "general", "manager", "analyst", "economist", "lawmaker", "representative", "rep", "judge",
];

const NAME_PARTICLES: &[&str] = &["de", "van", "von", "bin", "al", "da", "del", "der", "la", "le", "du", "di", "ter"];

fn lower(text: &str, t: &Tok) -> String {
    t.span.slice(text).to_lowercase().replace('’', "'")
}

fn is_cap(text: &str, t: &Tok) -> bool {
    t.span.slice(text).chars().next().is_some_and(|c| c.is_uppercase())
}

fn is_possessive(text: &str, t: &Tok) -> bool {
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
fn attributions(text: &str, prose: &Prose, p: usize, inner: &[Span]) -> Vec<Attribution> {
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
        Some(Speaker { kind: SpeakerKind::Pronoun, text: w, span: t.span, resolved: false, follows: false, reported: false })
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
            return Some(Speaker { kind: SpeakerKind::Description, text: t, span, resolved: false, follows: false, reported: false });
        }
        let initial = sentence_initial && !cut && run == words.len();
        if name.len() == 1 && initial {
            // "Officials said", "Analysts said": a plural at the start of a sentence is no name.
            let w = lower(text, &name[0]);
            if w.ends_with('s') && !w.ends_with("ss") {
                let (t, span) = phrase(text, name);
                return Some(Speaker { kind: SpeakerKind::Description, text: t, span, resolved: false, follows: false, reported: false });
            }
        }
        let (t, span) = phrase(text, name);
        return Some(Speaker { kind: SpeakerKind::Name, text: t, span, resolved: false, follows: false, reported: false });
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
    Some(Speaker { kind: SpeakerKind::Description, text: t, span, resolved: false, follows: false, reported: false })
}

/// The noun phrase starting at token `i`, after an inverted verb (`," said Mark Barton of X`).
fn np_after(text: &str, toks: &[Tok], i: usize) -> Option<Speaker> {
    let first = toks.get(i).filter(|t| t.word)?;
    if let Some(p) = pronoun(text, first) {
        return Some(p);
    }
    let w0 = lower(text, first);
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

fn resolve_pronouns(current: &mut [Attribution], previous: &[Attribution]) {
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

/// Whether quoted text reads as words (not code, markup, a URL or an encoded string).
fn is_prose(text: &str) -> bool {
    if text.contains("://") || text.contains("\\") || text.trim().is_empty() {
        return false;
    }
    let total = text.chars().count();
    let plain = text
        .chars()
        .filter(|c| c.is_alphanumeric() || c.is_whitespace() || ",.;:'’‘“”!?—–-()%$€£&/…[]".contains(*c))
        .count();
    let longest = text.split_whitespace().map(|w| w.chars().count()).max().unwrap_or(0);
    plain * 100 >= total * 92 && longest <= 40
}

fn only_punctuation(text: &str) -> bool {
    text.chars().all(|c| c.is_whitespace() || matches!(c, ',' | ';' | ':' | '!' | '?' | '—' | '–' | '-' | '”' | '’' | '"' | '\'' | '»' | ')'))
}

/// Indices of the attributions whose verb lies in `span` (with its end): attributions are in
/// text order, so these are one run. An attribution inside a span has its verb there, so a
/// search for one looks only at these, not at every attribution of the paragraph per mark.
fn verbs_in(attributions: &[Attribution], span: Span) -> std::ops::Range<usize> {
    let first = attributions.partition_point(|a| a.verb.start < span.start);
    let end = attributions.partition_point(|a| a.verb.start <= span.end).max(first);
    first..end
}

fn build_quotations(text: &str, prose: &Prose, p: usize, marks: &[(Span, Span)], attributions: &[Attribution]) -> Vec<Quotation> {
    // Join parts split by an attribution: "X," he said. "Y"
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut gap_attribution: Vec<Option<usize>> = Vec::new();
    for i in 0..marks.len() {
        if let Some(group) = groups.last_mut() {
            let last = marks[*group.last().expect("groups are never empty")];
            let gap = Span::new(last.1.end, marks[i].0.start);
            let toks = lex(text, gap);
            let words = toks.iter().filter(|t| t.word).count();
            let punctuation_ok = toks.iter().filter(|t| !t.word).all(|t| matches!(t.span.slice(text), "," | "." | ":" | ";" | "—" | "–"));
            // The gap must be the attribution and nothing else: `," he said. "`.
            let found = ((1..=7).contains(&words) && punctuation_ok)
                .then(|| {
                    verbs_in(attributions, gap).find(|&k| {
                        let a = &attributions[k];
                        gap.start <= a.span.start
                            && a.span.end <= gap.end
                            && a.speaker.is_some()
                            && toks.iter().filter(|t| t.word).all(|t| a.span.start <= t.span.start && t.span.end <= a.span.end)
                    })
                })
                .flatten();
            if found.is_some() && !gap.slice(text).contains('\n') {
                group.push(i);
                if gap_attribution.last().is_some_and(|g| g.is_none()) {
                    *gap_attribution.last_mut().expect("one per group") = found;
                }
                continue;
            }
        }
        groups.push(vec![i]);
        gap_attribution.push(None);
    }
    let mut out = Vec::new();
    let mut previous_end = prose.paragraphs[p].start;
    for (g, group) in groups.iter().enumerate() {
        let open = marks[group[0]].0;
        let close = marks[*group.last().expect("non-empty")].1;
        let parts: Vec<Span> = group.iter().map(|&i| Span::new(marks[i].0.end, marks[i].1.start)).collect();
        if !parts.iter().all(|p| is_prose(p.slice(text))) {
            previous_end = close.end;
            continue;
        }
        let next_start = groups.get(g + 1).map_or(prose.paragraphs[p].end, |n| marks[n[0]].0.start);
        let mut chosen = gap_attribution[g];
        if chosen.is_none() {
            // After the closing mark: `," said X.` / `," X said.`
            // The words between may be the rest of the speaker's noun phrase (`Mr`, `the
            // company's`), never a new sentence.
            let close_sentence = prose.sentence_at(close.start);
            chosen = verbs_in(attributions, Span::new(close.end, next_start)).find(|&k| {
                let a = &attributions[k];
                a.span.start >= close.end
                    && a.span.end <= next_start
                    && prose.sentence_at(a.verb.start) == close_sentence
                    && only_punctuation(&text[close.end..a.span.start].chars().take_while(|c| !c.is_alphanumeric()).collect::<String>())
                    && words_at_most(text, Span::new(close.end, a.span.start), 4)
            });
        }
        let mut follows = chosen.is_some();
        if chosen.is_none() {
            // Before the opening mark, in the same sentence: `X said the company "..."`.
            let sentence = prose.sentence_at(open.start).map(|s| prose.sentences[s].span);
            chosen = verbs_in(attributions, Span::new(previous_end, open.start)).rev().find(|&k| {
                let a = &attributions[k];
                a.span.end <= open.start
                    && a.span.start >= previous_end
                    && sentence.is_some_and(|s| s.contains(a.verb.start))
                    && words_at_most(text, Span::new(a.verb.end, open.start), 8)
            });
            // `X said the company "..."` is as sure, unless the words between report someone
            // else's words (`X said Y's claim that "..."`).
            if let Some(i) = chosen {
                let between = lex(text, Span::new(attributions[i].verb.end, open.start));
                follows = !between.iter().any(|t| {
                    t.word && (is_possessive(text, t) || REPORTING_NOUNS.contains(&lower(text, t).as_str()))
                });
            }
        }
        let speaker = chosen
            .and_then(|i| attributions[i].speaker.clone())
            .filter(|s| !s.text.is_empty())
            .map(|s| Speaker { follows, ..s });
        // `X described it as "A" and "B"`: a second quotation joined by a word or two shares
        // the first one's speaker.
        let speaker = speaker.or_else(|| {
            let last: &Quotation = out.last()?;
            let gap = Span::new(last.span.end, open.start);
            let same_sentence = prose.sentence_at(last.span.start) == prose.sentence_at(open.start);
            (same_sentence && words_at_most(text, gap, 3) && verbs_in(attributions, gap).all(|k| !gap.contains(attributions[k].verb.start)))
                .then(|| last.speaker.clone().map(|s| Speaker { follows: false, ..s }))
                .flatten()
        });
        out.push(Quotation { span: Span::new(open.start, close.end), parts, paragraph: p, speaker });
        previous_end = close.end;
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Comparison
// ---------------------------------------------------------------------------------------------

/// A normalised word of quoted text.
#[derive(Debug, Clone, PartialEq, Eq)]
struct QTok {
    norm: String,
    span: Span,
    /// In a source: an ellipsis stands before this word (the source left words out here).
    elided_before: bool,
    /// In a source: inside parentheses or brackets (a draft may leave it out).
    optional: bool,
}

/// What a draft quotation leaves out between two of its words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Gap {
    None,
    /// `[the company]`: a few words replaced or added.
    Insertion,
    /// Between the parts of a split quotation: the source may have an attribution there.
    Part,
    /// `...`: any number of words.
    Ellipsis,
}

impl Gap {
    fn limit(self) -> usize {
        match self {
            Gap::None => 0,
            Gap::Insertion => 6,
            Gap::Part => 15,
            Gap::Ellipsis => 120,
        }
    }
}

enum Item {
    Tok(QTok),
    Gap(Gap),
}

const ELLIPSIS_MARK: char = '\u{E000}';
const INSERTION_MARK: char = '\u{E001}';

/// Normalised words of `text[span]`. In a draft (`edits`), ellipses and bracketed insertions
/// are gaps, `[sic]` is dropped and brackets inside a word (`[t]he`) are transparent.
fn qlex(text: &str, span: Span, edits: bool) -> Vec<Item> {
    let s = span.slice(text);
    let raw: Vec<(usize, char)> = s.char_indices().collect();
    // Filter the characters, replacing edits by marks.
    let mut chars: Vec<(usize, char)> = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        let (off, c) = raw[i];
        if edits {
            let rest = &s[off..];
            if c == '…' {
                chars.push((off, ELLIPSIS_MARK));
                i += 1;
                continue;
            }
            if rest.starts_with("...") || rest.starts_with(". . .") {
                chars.push((off, ELLIPSIS_MARK));
                let mut j = i;
                while j < raw.len() && matches!(raw[j].1, '.' | ' ') && (raw[j].1 == '.' || raw.get(j + 1).is_some_and(|x| x.1 == '.')) {
                    j += 1;
                }
                i = j.max(i + 1);
                continue;
            }
            if c == '[' || c == '(' {
                let close = if c == '[' { ']' } else { ')' };
                if let Some(k) = raw[i + 1..].iter().take(80).position(|x| x.1 == close).map(|k| k + i + 1) {
                    let content = s[off + 1..raw[k].0].trim();
                    let lowered = content.to_lowercase();
                    if lowered == "sic" || lowered == "sic!" {
                        i = k + 1;
                        continue;
                    }
                    if matches!(content, "..." | "…" | ". . .") {
                        chars.push((off, ELLIPSIS_MARK));
                        i = k + 1;
                        continue;
                    }
                    if c == '[' {
                        let attached = (i > 0 && raw[i - 1].1.is_alphanumeric()) || raw.get(k + 1).is_some_and(|x| x.1.is_alphanumeric());
                        if attached {
                            // `[t]he`: keep the letters, drop the brackets.
                            chars.extend(raw[i + 1..k].iter().copied());
                        } else {
                            chars.push((off, INSERTION_MARK));
                        }
                        i = k + 1;
                        continue;
                    }
                }
            }
        }
        chars.push((off, c));
        i += 1;
    }
    let mut out = Vec::new();
    let mut i = 0;
    let mut depth = 0usize;
    let mut elided = false;
    while i < chars.len() {
        let (off, c) = chars[i];
        if !edits {
            match c {
                '(' | '[' => depth += 1,
                ')' | ']' => depth = depth.saturating_sub(1),
                '…' => elided = true,
                '.' if s[off..].starts_with("...") || s[off..].starts_with(". . .") => elided = true,
                _ => {}
            }
        }
        if c == ELLIPSIS_MARK {
            out.push(Item::Gap(Gap::Ellipsis));
            i += 1;
            continue;
        }
        if c == INSERTION_MARK {
            out.push(Item::Gap(Gap::Insertion));
            i += 1;
            continue;
        }
        if c == '%' {
            out.push(Item::Tok(QTok { norm: "percent".into(), span: Span::new(span.start + off, span.start + off + 1), elided_before: false, optional: depth > 0 }));
            i += 1;
            continue;
        }
        if c == '&' {
            out.push(Item::Tok(QTok { norm: "and".into(), span: Span::new(span.start + off, span.start + off + 1), elided_before: false, optional: depth > 0 }));
            i += 1;
            continue;
        }
        if !c.is_alphanumeric() {
            i += 1;
            continue;
        }
        let mut norm = String::new();
        let mut j = i;
        let mut last_end = off;
        while j < chars.len() {
            let (o, cj) = chars[j];
            if cj.is_alphanumeric() {
                norm.extend(cj.to_lowercase());
                last_end = o + cj.len_utf8();
                j += 1;
                continue;
            }
            let next = chars.get(j + 1).map(|x| x.1);
            let prev = chars[j - 1].1;
            if matches!(cj, '\'' | '’' | '‘') && prev.is_alphanumeric() && next.is_some_and(|n| n.is_alphanumeric()) {
                norm.push('\'');
                j += 1;
                continue;
            }
            if matches!(cj, '.' | ',') && prev.is_ascii_digit() && next.is_some_and(|n| n.is_ascii_digit()) {
                if cj == '.' {
                    norm.push('.');
                }
                j += 1;
                continue;
            }
            break;
        }
        let tok_span = Span::new(span.start + off, span.start + last_end);
        for part in expand(&norm) {
            out.push(Item::Tok(QTok { norm: part, span: tok_span, elided_before: std::mem::take(&mut elided), optional: depth > 0 }));
        }
        i = j;
    }
    // "per cent" is "percent".
    let mut merged: Vec<Item> = Vec::with_capacity(out.len());
    for item in out {
        if let (Item::Tok(t), Some(Item::Tok(prev))) = (&item, merged.last_mut()) {
            if t.norm == "cent" && prev.norm == "per" {
                prev.norm = "percent".into();
                prev.span = prev.span.cover(t.span);
                continue;
            }
        }
        merged.push(item);
    }
    merged
}

/// Contractions mean the same spelled out.
fn expand(norm: &str) -> Vec<String> {
    if let Some(base) = norm.strip_suffix("n't") {
        let base = match base {
            "wo" => "will",
            "ca" => "can",
            "sha" => "shall",
            "ai" => "is",
            b => b,
        };
        return vec![base.to_string(), "not".to_string()];
    }
    for (suffix, full) in [("'re", "are"), ("'ve", "have"), ("'ll", "will"), ("'m", "am")] {
        if let Some(base) = norm.strip_suffix(suffix) {
            if !base.is_empty() {
                return vec![base.to_string(), full.to_string()];
            }
        }
    }
    if norm == "cannot" {
        return vec!["can".into(), "not".into()];
    }
    vec![norm.to_string()]
}

fn plain_tokens(text: &str, span: Span) -> Vec<QTok> {
    qlex(text, span, false)
        .into_iter()
        .filter_map(|i| match i {
            Item::Tok(t) => Some(t),
            Item::Gap(_) => None,
        })
        .collect()
}

/// A draft quotation as words with the gaps its edits allow.
#[derive(Debug, Clone, Default)]
struct Pattern {
    toks: Vec<QTok>,
    gap_before: Vec<Gap>,
}

fn pattern(text: &str, q: &Quotation) -> Pattern {
    let mut out = Pattern::default();
    let mut pending = Gap::None;
    for (k, part) in q.parts.iter().enumerate() {
        if k > 0 {
            pending = pending.max(Gap::Part);
        }
        for item in qlex(text, *part, true) {
            match item {
                Item::Gap(g) => pending = pending.max(g),
                Item::Tok(t) => {
                    out.gap_before.push(if out.toks.is_empty() { Gap::None } else { pending });
                    out.toks.push(t);
                    pending = Gap::None;
                }
            }
        }
    }
    out
}

/// Source indices of the pattern's words, if the source holds it verbatim (edits allowed).
fn verbatim(pattern: &Pattern, source: &[QTok]) -> Option<Vec<usize>> {
    fn extend(pattern: &Pattern, source: &[QTok], matched: &mut Vec<usize>, budget: &mut usize) -> bool {
        let i = matched.len();
        if i == pattern.toks.len() {
            return true;
        }
        if *budget == 0 {
            return false;
        }
        *budget -= 1;
        let from = matched[i - 1] + 1;
        for j in from..=(from + pattern.gap_before[i].limit()).min(source.len().saturating_sub(1)) {
            if j < source.len() && source[j].norm == pattern.toks[i].norm {
                matched.push(j);
                if extend(pattern, source, matched, budget) {
                    return true;
                }
                matched.pop();
            }
        }
        false
    }
    let first = pattern.toks.first()?;
    let mut budget = 20_000;
    for start in 0..source.len() {
        if source[start].norm != first.norm {
            continue;
        }
        let mut matched = vec![start];
        if extend(pattern, source, &mut matched, &mut budget) {
            return Some(matched);
        }
    }
    None
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Match(usize, usize),
    Sub(usize, usize),
    /// A draft word the source lacks; `free` where the source left words out (an ellipsis,
    /// or the source quoting less than the draft).
    Added(usize, bool),
    /// A source word the draft lacks; `free` where the draft's edits allow it or the source
    /// word is parenthetical.
    Dropped(usize, bool),
}

/// The best alignment of the whole draft pattern with part of `source`: a match scores 2, a
/// substituted, added or dropped word costs 1; source words before and after the aligned part,
/// where the draft has an ellipsis or a split, and parenthetical source words are skipped for
/// free, and draft words where the source has an ellipsis are added for free.
fn align(pattern: &Pattern, source: &[QTok]) -> Vec<Op> {
    let n = pattern.toks.len();
    let m = source.len();
    let width = m + 1;
    let mut score = vec![0i32; (n + 1) * width];
    let free_drop = |i: usize, j: usize| (i < n && i > 0 && pattern.gap_before[i] != Gap::None) || source[j - 1].optional;
    let free_add = |j: usize| j > 0 && j < m && source[j].elided_before;
    for i in 1..=n {
        score[i * width] = -(i as i32);
        for j in 1..=m {
            let same = pattern.toks[i - 1].norm == source[j - 1].norm;
            let diagonal = score[(i - 1) * width + j - 1] + if same { 2 } else { -1 };
            let added = score[(i - 1) * width + j] - if free_add(j) { 0 } else { 1 };
            let dropped = score[i * width + j - 1] - if free_drop(i, j) { 0 } else { 1 };
            score[i * width + j] = diagonal.max(added).max(dropped);
        }
    }
    let mut j = (0..=m).max_by_key(|&j| (score[n * width + j], j)).unwrap_or(0);
    let mut i = n;
    let mut ops = Vec::new();
    while i > 0 {
        let here = score[i * width + j];
        if j > 0 {
            let same = pattern.toks[i - 1].norm == source[j - 1].norm;
            if here == score[(i - 1) * width + j - 1] + if same { 2 } else { -1 } {
                ops.push(if same { Op::Match(i - 1, j - 1) } else { Op::Sub(i - 1, j - 1) });
                i -= 1;
                j -= 1;
                continue;
            }
            if here == score[i * width + j - 1] - if free_drop(i, j) { 0 } else { 1 } {
                ops.push(Op::Dropped(j - 1, free_drop(i, j)));
                j -= 1;
                continue;
            }
        }
        ops.push(Op::Added(i - 1, free_add(j)));
        i -= 1;
    }
    ops.reverse();
    // Draft words beyond either end of the source quotation: the source quoted less.
    let aligned = |op: &Op| matches!(op, Op::Match(..) | Op::Sub(..));
    if let Some(first) = ops.iter().position(aligned) {
        if matches!(ops[first], Op::Match(_, 0)) {
            for op in &mut ops[..first] {
                if let Op::Added(i, _) = *op {
                    *op = Op::Added(i, true);
                }
            }
        }
    }
    if let Some(last) = ops.iter().rposition(aligned) {
        if matches!(ops[last], Op::Match(_, j) if j + 1 == m) {
            for op in &mut ops[last + 1..] {
                if let Op::Added(i, _) = *op {
                    *op = Op::Added(i, true);
                }
            }
        }
    }
    ops
}

/// A source paragraph retrieved for a draft quotation.
struct SourcePara {
    doc: u32,
    document: std::sync::Arc<crate::corpus::Document>,
    paragraph: usize,
    /// The sentence retrieval found here.
    sentence: usize,
    /// What the paragraph holds, read once per corpus and cached in its document.
    data: std::sync::Arc<ParagraphQuotes>,
}

/// A source paragraph's words and quotations, as the quotation check needs them.
#[derive(Debug)]
pub struct ParagraphQuotes {
    toks: Vec<QTok>,
    quotes: Vec<Quotation>,
    /// For each token, the quotation it is inside.
    in_quote: Vec<Option<usize>>,
    /// Content terms of this paragraph and the one before.
    context: HashSet<String>,
}

impl std::ops::Deref for SourcePara {
    type Target = ParagraphQuotes;
    fn deref(&self) -> &ParagraphQuotes {
        &self.data
    }
}

impl ParagraphQuotes {
    /// Reads paragraph `paragraph` of `d`.
    pub fn read(d: &crate::corpus::Document, paragraph: usize) -> ParagraphQuotes {
        let span = d.prose.paragraphs[paragraph];
        let prose_text = d.prose_text();
        let toks = plain_tokens(prose_text, span);
        let quotes = extract_in(prose_text, &d.prose, paragraph, paragraph + 1);
        let in_quote = toks.iter().map(|t| quotes.iter().position(|q| q.contains(t.span))).collect();
        let mut context: HashSet<String> = words::tokens(prose_text, span).into_iter().map(|t| t.term).collect();
        if paragraph > 0 {
            context.extend(words::tokens(prose_text, d.prose.paragraphs[paragraph - 1]).into_iter().map(|t| t.term));
        }
        ParagraphQuotes { toks, quotes, in_quote, context }
    }
}

impl SourcePara {
    /// Paragraph token indices of the words inside quotation `k`.
    fn quote_tokens(&self, k: usize) -> Vec<usize> {
        (0..self.toks.len()).filter(|&j| self.in_quote[j] == Some(k)).collect()
    }

    /// `None` when the document cannot be read as it was indexed (changed since).
    fn new(corpus: &Corpus, doc: u32, paragraph: usize, sentence: usize) -> Option<SourcePara> {
        let document = corpus.document(doc)?;
        if paragraph >= document.prose.paragraphs.len() || sentence >= document.prose.sentences.len() {
            return None;
        }
        let data = document.paragraph_quotes(paragraph);
        Some(SourcePara { doc, document, paragraph, sentence, data })
    }
}

/// How far around a quotation its context reaches, in bytes each side (some 150 words, more
/// than a sentence of prose holds). Without a limit, each of the thousands of quotations of one
/// long sentence read the whole sentence, and the check took time quadratic in its length.
const CONTEXT_BYTES: usize = 1_000;

/// Content words of the draft around a quotation (not inside it) in its sentence, with capped
/// IDF weights.
fn draft_context(prose: &Prose, q: &Quotation, corpus: &Corpus) -> HashMap<String, f32> {
    let first = prose.sentence_at(q.span.start);
    let last = prose.sentence_at(q.span.end.saturating_sub(1));
    let mut out = HashMap::new();
    let (Some(first), Some(last)) = (first, last) else { return out };
    let text = prose.masked.as_str();
    // Cut at whitespace, which no word spans, so the words kept are read as in the whole sentence.
    let mut start = prose.sentences[first].span.start.max(q.span.start.saturating_sub(CONTEXT_BYTES));
    let after_space = |at: usize| text.is_char_boundary(at) && text[..at].ends_with(char::is_whitespace);
    while start < q.span.start && start != prose.sentences[first].span.start && !after_space(start) {
        start += 1;
    }
    let mut end = prose.sentences[last].span.end.min(q.span.end.saturating_add(CONTEXT_BYTES));
    let before_space = |at: usize| text.is_char_boundary(at) && text[at..].starts_with(char::is_whitespace);
    while end > q.span.end && end != prose.sentences[last].span.end && !before_space(end) {
        end -= 1;
    }
    let quoted = SpanCover::new(q.parts.iter().copied());
    for t in words::tokens(text, Span::new(start, end)) {
        if quoted.contains(t.span) {
            continue;
        }
        out.entry(t.term.clone()).or_insert_with(|| corpus.index.idf(&t.term).min(4.0));
    }
    out
}

fn context_score(draft: &HashMap<String, f32>, source: &HashSet<String>) -> f32 {
    let total: f32 = draft.values().sum();
    if total <= 0.0 {
        return 0.0;
    }
    draft.iter().filter(|(t, _)| source.contains(*t)).map(|(_, w)| w).sum::<f32>() / total
}

/// Paragraphs of the corpus that may hold the quotation, best first, each with its best
/// sentence (an index into the document's sentences).
fn candidates(corpus: &Corpus, prose: &Prose, q: &Quotation, context: &HashMap<String, f32>, scratch: &mut SearchScratch) -> Vec<(u32, usize, usize)> {
    let mut quote_terms: Vec<String> = Vec::new();
    for part in &q.parts {
        quote_terms.extend(words::tokens(&prose.masked, *part).into_iter().map(|t| t.term));
    }
    let mut both = quote_terms.clone();
    both.extend(context.keys().cloned());
    // The quotation's rarest words alone find a source sentence that is long (BM25 favours
    // short ones) or buried in page furniture.
    let mut rare = quote_terms.clone();
    rare.sort_by(|a, b| corpus.index.idf(b).total_cmp(&corpus.index.idf(a)).then(a.cmp(b)));
    rare.dedup();
    rare.truncate(4);
    let mut out: Vec<(u32, usize, usize)> = Vec::new();
    for (terms, k) in [(&quote_terms, 12), (&both, 8), (&rare, 6)] {
        if terms.is_empty() {
            continue;
        }
        for (id, _) in corpus.index.search_with(scratch, terms, k) {
            let Some(s) = corpus.index.sentence(id) else { continue };
            if !out.iter().any(|c| c.0 == s.doc && c.1 == s.paragraph as usize) {
                out.push((s.doc, s.paragraph as usize, s.sentence as usize));
            }
        }
    }
    out
}

/// Whether two names are of one person: equal surnames, or one is a part of the other.
fn names_match(a: &str, b: &str) -> bool {
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

/// Levenshtein distance, for names spelt two ways (`Mueller`, `Meuller`).
fn edit_distance(a: &str, b: &str) -> usize {
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

fn content_words(s: &str) -> HashSet<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .map(|w| w.to_lowercase())
        .filter(|w| w.len() > 1 && !words::is_stopword(w) && !DETERMINERS.contains(&w.as_str()))
        .collect()
}

/// Whether the two speakers are surely one (Some(true)), or nothing can be said (None).
fn same_speaker(draft: &Speaker, source: &Speaker) -> Option<bool> {
    match (draft.kind, source.kind) {
        (SpeakerKind::Pronoun, _) | (_, SpeakerKind::Pronoun) => None,
        (SpeakerKind::Name, SpeakerKind::Name) => Some(names_match(&draft.text, &source.text)),
        _ => (!content_words(&draft.text).is_disjoint(&content_words(&source.text))).then_some(true),
    }
}

/// Whether a word appears in `text` on word boundaries.
fn has_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + word.len()..].chars().next();
        !before.is_some_and(|c| c.is_alphanumeric()) && !after.is_some_and(|c| c.is_alphanumeric())
    })
}

/// Whether the source surely gives the quotation to someone other than the draft's speaker.
fn conflicts(draft: &Speaker, source: &Speaker, sp: &SourcePara, quote_start: usize) -> bool {
    if draft.reported || source.reported {
        return false;
    }
    if draft.kind != SpeakerKind::Name || same_speaker(draft, source) != Some(false) && source.kind == SpeakerKind::Name {
        return false;
    }
    let doc = &sp.document;
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

fn evidence(sp: &SourcePara, figure: Span, speaker: Option<&Speaker>) -> Evidence {
    let doc = &sp.document;
    let sentence = |offset: usize| doc.prose.sentence_at(offset).map(|i| doc.prose.sentences[i].span);
    let passage = match (sentence(figure.start), sentence(figure.end.saturating_sub(1))) {
        (Some(a), Some(b)) => a.cover(b),
        _ => doc.prose.paragraphs[sp.paragraph],
    };
    Evidence {
        doc: sp.doc,
        passage,
        figure,
        excerpt: passage.slice(&doc.text).to_string(),
        text: figure.slice(&doc.text).to_string(),
        speaker: speaker.map(|s| s.text.clone()),
    }
}

/// Words that carry a quotation's meaning: not function words, but numbers, number words and
/// negations count.
fn is_content(word: &str) -> bool {
    !words::is_stopword(word)
        || word.chars().any(|c| c.is_ascii_digit())
        || matches!(
            word,
            "not" | "no" | "nor" | "never" | "million" | "billion" | "trillion" | "thousand" | "hundred" | "percent" | "most"
                | "less" | "more" | "least" | "one" | "two" | "three" | "four" | "five" | "six" | "seven" | "eight" | "nine" | "ten"
        )
}

/// A near match of a draft quotation in a source quotation.
struct Near {
    source: usize,
    /// The source quotation, or None for a match in the source's own prose.
    quote: Option<usize>,
    /// Paragraph token indices of the first and last aligned source words.
    first: usize,
    last: usize,
    ops: Vec<Op>,
    /// Paragraph token index of each source word the ops refer to.
    index: Vec<usize>,
    matched: usize,
    /// Matched words that are not function words.
    content: usize,
    /// Source words from the first aligned to the last, less those skipped for free.
    window: usize,
    /// Differences that change the words (not ones the edits or the source's own cuts allow).
    real: usize,
    /// Draft words added for free (where the source quotes less).
    free_added: usize,
    /// Changed draft words before the first match and after the last.
    lead: usize,
    trail: usize,
    context: f32,
    speaker_same: bool,
    speaker_conflict: bool,
}

impl Near {
    fn new(pat: &Pattern, ops: Vec<Op>, index: Vec<usize>, source: usize, quote: Option<usize>) -> Option<Near> {
        let mut matched = 0;
        let mut content = 0;
        let mut first = None;
        let mut last = 0;
        let mut window = 0;
        let mut real = 0;
        let mut free_added = 0;
        for op in &ops {
            match *op {
                Op::Match(i, j) => {
                    matched += 1;
                    if is_content(&pat.toks[i].norm) {
                        content += 1;
                    }
                    first.get_or_insert(j);
                    last = j;
                    window += 1;
                }
                Op::Sub(_, j) => {
                    first.get_or_insert(j);
                    last = j;
                    window += 1;
                    real += 1;
                }
                Op::Dropped(_, free) => {
                    if !free && first.is_some() {
                        window += 1;
                        real += 1;
                    }
                }
                Op::Added(_, free) => {
                    if free {
                        free_added += 1;
                    } else {
                        real += 1;
                    }
                }
            }
        }
        // Source words dropped after the last aligned word are not part of the window.
        let trailing_drops = ops.iter().rev().take_while(|op| matches!(op, Op::Dropped(..))).filter(|op| matches!(op, Op::Dropped(_, false))).count();
        window -= trailing_drops.min(window);
        real -= trailing_drops.min(real);
        let changed = |op: &&Op| matches!(op, Op::Sub(..) | Op::Added(_, false));
        let first_match = ops.iter().position(|op| matches!(op, Op::Match(..)))?;
        let last_match = ops.iter().rposition(|op| matches!(op, Op::Match(..)))?;
        let lead = ops[..first_match].iter().filter(changed).count();
        let trail = ops[last_match + 1..].iter().filter(changed).count();
        let first = first?;
        Some(Near {
            source,
            quote,
            first: index[first],
            last: index[last],
            ops,
            index,
            matched,
            content,
            window,
            real,
            free_added,
            lead,
            trail,
            context: 0.0,
            speaker_same: false,
            speaker_conflict: false,
        })
    }
}

/// Checks every draft quotation and adds findings and checked entries to `report`.
pub fn check_quotes(text: &str, prose: &Prose, quotations: &[Quotation], corpus: &Corpus, report: &mut Report) {
    check_quotes_with(text, prose, quotations, corpus, report, &mut SearchScratch::default());
}

/// [`check_quotes`] reusing the caller's search buffers (one corpus-sized score array, which a
/// check per keystroke should not allocate afresh for every quotation).
pub fn check_quotes_with(
    text: &str,
    prose: &Prose,
    quotations: &[Quotation],
    corpus: &Corpus,
    report: &mut Report,
    scratch: &mut SearchScratch,
) {
    for q in quotations {
        check_one(text, prose, q, corpus, report, scratch);
    }
}

fn check_one(text: &str, prose: &Prose, q: &Quotation, corpus: &Corpus, report: &mut Report, scratch: &mut SearchScratch) {
    let pat = pattern(&prose.masked, q);
    let n = pat.toks.len();
    if n == 0 {
        return;
    }
    let short = n <= 2;
    let context = draft_context(prose, q, corpus);
    let sources: Vec<SourcePara> =
        candidates(corpus, prose, q, &context, scratch).into_iter().filter_map(|(d, p, s)| SourcePara::new(corpus, d, p, s)).collect();

    // Verbatim occurrences: (source, matched token indices, quotation it is inside). Each
    // source quotation is read on its own first (its parts joined, without the attribution
    // that splits them), then the paragraph as a whole.
    let mut found: Vec<(usize, Vec<usize>, Option<usize>)> = Vec::new();
    for (si, sp) in sources.iter().enumerate() {
        let in_quote = (0..sp.quotes.len()).find_map(|k| {
            let index = sp.quote_tokens(k);
            let toks: Vec<QTok> = index.iter().map(|&j| sp.toks[j].clone()).collect();
            verbatim(&pat, &toks).map(|m| (m.into_iter().map(|j| index[j]).collect::<Vec<_>>(), k))
        });
        if let Some((matched, k)) = in_quote {
            found.push((si, matched, Some(k)));
        } else if let Some(matched) = verbatim(&pat, &sp.toks) {
            let first = sp.in_quote[matched[0]];
            let inside = first.filter(|_| matched.iter().all(|&j| sp.in_quote[j] == first));
            found.push((si, matched, inside));
        }
    }
    if !found.is_empty() {
        let source_speaker = |(si, _, inside): &(usize, Vec<usize>, Option<usize>)| -> Option<&Speaker> {
            inside.and_then(|k| sources[*si].quotes[k].speaker.as_ref())
        };
        // Prefer an occurrence the draft's speaker matches, then one inside a quotation.
        let best = found
            .iter()
            .max_by_key(|f| {
                let s = source_speaker(f);
                let same = match (&q.speaker, s) {
                    (Some(d), Some(s)) => same_speaker(d, s) == Some(true),
                    _ => false,
                };
                (same, f.2.is_some(), std::cmp::Reverse(f.0))
            })
            .expect("non-empty");
        let sp = &sources[best.0];
        let figure = Span::new(sp.toks[best.1[0]].span.start, sp.toks[*best.1.last().expect("non-empty")].span.end);
        let ev = evidence(sp, figure, source_speaker(best));
        // Only a speaker the draft names outright is compared: a resolved pronoun is a guess.
        if let Some(draft_speaker) = q.speaker.as_ref().filter(|s| n >= 4 && !s.resolved && !s.reported) {
            let all_conflict = found.iter().all(|f| {
                source_speaker(f).is_some_and(|s| {
                    let sp = &sources[f.0];
                    s.kind != SpeakerKind::Pronoun && conflicts(draft_speaker, s, sp, sp.toks[f.1[0]].span.start)
                })
            });
            let ctx = context_score(&context, &sp.context);
            if all_conflict && (ctx >= 0.2 || n >= 8) {
                let source = source_speaker(best).expect("conflicting speakers are known");
                let at_start = prose.sentence_at(draft_speaker.span.start).is_some_and(|i| prose.sentences[i].span.start == draft_speaker.span.start);
                let replacement = if source.kind == SpeakerKind::Description && !at_start {
                    lower_first(&source.text)
                } else {
                    source.text.clone()
                };
                let span = q.span.cover(draft_speaker.span);
                let message = format!(
                    "quotation attributed to {}, but the source gives these words to {}",
                    draft_speaker.text, source.text
                );
                let fix = Fix { span: draft_speaker.span, title: format!("Attribute to {replacement}"), replacement };
                report.flag(Finding {
                    code: Code::Misattribution,
                    severity: Code::Misattribution.default_severity(),
                    span,
                    message,
                    evidence: vec![ev],
                    fix: Some(fix),
                });
                return;
            }
        }
        report.checked.push(Checked { span: q.span, verdict: Verdict::Supported, evidence: Some(ev), finding: None });
        return;
    }

    // Near matches in source quotations.
    let mut best: Option<Near> = None;
    for (si, sp) in sources.iter().enumerate() {
        for (k, sq) in sp.quotes.iter().enumerate() {
            let index = sp.quote_tokens(k);
            if index.is_empty() || index.len() > 2000 || n > 400 {
                continue;
            }
            let source_toks: Vec<QTok> = index.iter().map(|&j| sp.toks[j].clone()).collect();
            let ops = align(&pat, &source_toks);
            let Some(near) = Near::new(&pat, ops, index, si, Some(k)) else { continue };
            let near = Near {
                context: context_score(&context, &sp.context),
                speaker_same: match (&q.speaker, &sq.speaker) {
                    (Some(d), Some(s)) => same_speaker(d, s) == Some(true),
                    _ => false,
                },
                speaker_conflict: match (&q.speaker, &sq.speaker) {
                    (Some(d), Some(s)) => conflicts(d, s, sp, sq.span.start),
                    _ => false,
                },
                ..near
            };
            let key = |x: &Near| (x.speaker_same, x.matched as f32 / n.max(x.window) as f32, x.context);
            if best.as_ref().is_none_or(|b| key(&near) > key(b)) {
                best = Some(near);
            }
        }
    }
    let misquote = best.as_ref().filter(|b| {
        if b.speaker_conflict || b.real == 0 {
            return false;
        }
        let n_eff = (n - b.free_added).max(1);
        let share = b.matched as f32 / n_eff as f32;
        let tight = b.matched as f32 / b.window.max(1) as f32;
        if short {
            // A changed word in a short quotation is a misquote only when the same speaker
            // says the other word in the same context; scare quotes are never misquotes.
            let whole = sources[b.source].in_quote.iter().filter(|x| **x == b.quote).count();
            n == 2 && b.matched == 1 && b.window == 2 && whole <= 3 && b.content >= 1 && b.speaker_same && b.context >= 0.3
        } else {
            // Short quotations need a closer match: different remarks share a few words. The
            // two ends must agree (a remark that goes on differently is another remark).
            let (needed, content) = match (n_eff <= 5, b.speaker_same) {
                (true, true) => (0.75, 1),
                (true, false) => (0.75, 2),
                (false, true) => (0.7, 2),
                (false, false) => (0.7, 3),
            };
            b.matched >= 2
                && b.content >= content
                && share >= needed
                && tight >= 0.6
                && b.lead <= 1
                && b.trail <= 1
                && (b.speaker_same || (n_eff > 5 && b.context >= 0.3) || (n_eff >= 8 && share >= 0.8))
        }
    });
    // A source whose quotation marks are lost or never closed (a truncated page) still has the
    // speaker's words in its prose: a close match there, next to the speaker's name, counts.
    let prose_match = if misquote.is_none() && !short {
        q.speaker.as_ref().filter(|s| s.kind == SpeakerKind::Name && !s.resolved).and_then(|speaker| prose_near(&pat, speaker, &sources))
    } else {
        None
    };
    let misquote = misquote.or(prose_match.as_ref());
    let Some(b) = misquote else {
        let near = best.as_ref().filter(|b| b.matched as f32 / n as f32 >= 0.4).map(|b| {
            let sp = &sources[b.source];
            let figure = Span::new(sp.toks[b.first].span.start, sp.toks[b.last].span.end);
            evidence(sp, figure, b.quote.and_then(|k| sp.quotes[k].speaker.as_ref()))
        });
        // Else the passage retrieval found closest, for the editor to look at.
        let retrieved = || {
            sources.first().map(|sp| {
                let sentence = sp.document.prose.sentences[sp.sentence].span;
                evidence(sp, sentence, None)
            })
        };
        let ev = near.clone().or_else(retrieved);
        // The source quotes only part of it, or leaves words out where the draft has them.
        let partial = best.as_ref().filter(|b| b.real == 0 && b.matched as f32 >= 0.5 * n as f32 && b.matched >= 3);
        if partial.is_some_and(|b| b.free_added == 0) {
            report.checked.push(Checked { span: q.span, verdict: Verdict::Supported, evidence: ev, finding: None });
            return;
        }
        report.checked.push(Checked { span: q.span, verdict: Verdict::NoSource, evidence: ev.clone(), finding: None });
        if !short {
            let message = match (&near, partial) {
                (Some(ev), Some(_)) => format!("a source quotes only part of this: \"{}\"", ev.text),
                (Some(ev), None) => format!("no source has this quotation; the closest source quotation says \"{}\"", ev.text),
                (None, _) => "no source has this quotation".to_string(),
            };
            report.findings.push(Finding {
                code: Code::UnsupportedClaim,
                severity: Code::UnsupportedClaim.default_severity(),
                span: q.span,
                message,
                evidence: ev.into_iter().collect(),
                fix: None,
            });
        }
        return;
    };
    let sp = &sources[b.source];
    let doc = &sp.document;
    let figure = Span::new(sp.toks[b.first].span.start, sp.toks[b.last].span.end);
    let source_speaker = b.quote.and_then(|k| sp.quotes[k].speaker.as_ref());
    let mut ev = evidence(sp, figure, source_speaker);
    // The source's words, without an attribution that splits them.
    if let Some(k) = b.quote {
        ev.text = sp.quotes[k]
            .parts
            .iter()
            .filter_map(|part| {
                let inside: Vec<usize> = (b.first..=b.last).filter(|&j| sp.in_quote[j] == Some(k) && part.contains(sp.toks[j].span.start)).collect();
                let (first, last) = (inside.first()?, inside.last()?);
                Some(Span::new(sp.toks[*first].span.start, sp.toks[*last].span.end).slice(&doc.text).to_string())
            })
            .collect::<Vec<_>>()
            .join(" ");
    }
    let differences = describe_differences(text, &doc.text, &pat, &sp.toks, &b.ops, &b.index);
    let who = match source_speaker {
        Some(s) if s.kind != SpeakerKind::Pronoun => format!("{} said", s.text),
        _ => "the source has".to_string(),
    };
    let message = format!("misquoted: {who} \"{}\"; {}", ev.text, differences.join("; "));
    let draft_words = Span::new(pat.toks[0].span.start, pat.toks[n - 1].span.end);
    let single_part = q.parts.len() == 1;
    let span = if single_part { draft_words } else { q.span };
    let fix = single_part.then(|| Fix { span: draft_words, replacement: ev.text.clone(), title: format!("Use the source's words: \"{}\"", ev.text) });
    report.flag(Finding {
        code: Code::Misquote,
        severity: Code::Misquote.default_severity(),
        span,
        message,
        evidence: vec![ev],
        fix,
    });
}

/// A close match of the draft's words in a source's prose, in or right after the sentence that
/// names the draft's speaker.
fn prose_near(pat: &Pattern, speaker: &Speaker, sources: &[SourcePara]) -> Option<Near> {
    let n = pat.toks.len();
    let surname = speaker.text.split_whitespace().next_back()?.trim_end_matches("'s").trim_end_matches("’s");
    if surname.chars().count() < 2 || n > 400 {
        return None;
    }
    let mut best: Option<Near> = None;
    for (si, sp) in sources.iter().enumerate() {
        let doc = &sp.document;
        let para = doc.prose.paragraphs[sp.paragraph];
        if !has_word(para.slice(&doc.text), surname) || sp.toks.len() > 3000 {
            continue;
        }
        let index: Vec<usize> = (0..sp.toks.len()).collect();
        let Some(near) = Near::new(pat, align(pat, &sp.toks), index, si, None) else { continue };
        let n_eff = (n - near.free_added).max(1);
        let share = near.matched as f32 / n_eff as f32;
        let tight = near.matched as f32 / near.window.max(1) as f32;
        let ok = near.real >= 1
            && n_eff >= 6
            && share >= 0.75
            && near.content >= 3
            && tight >= 0.7
            && near.lead <= 1
            && near.trail <= 1;
        // Words inside a source quotation were judged with that quotation.
        if !ok || (near.first..=near.last).any(|j| sp.in_quote[j].is_some()) {
            continue;
        }
        // The speaker is named in the window's sentence or the one before it.
        let first_sentence = doc.prose.sentence_at(sp.toks[near.first].span.start)?;
        let last_sentence = doc.prose.sentence_at(sp.toks[near.last].span.start)?;
        let from = doc.prose.sentences[first_sentence.saturating_sub(1)].span.start;
        let to = doc.prose.sentences[last_sentence].span.end;
        if !has_word(&doc.text[from..to], surname) {
            continue;
        }
        if best.as_ref().is_none_or(|b| near.matched > b.matched) {
            best = Some(near);
        }
    }
    best
}

fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().collect::<String>() + chars.as_str(),
        None => String::new(),
    }
}

/// Word-level differences, each with a matching word on either side for context:
/// `"in most cases" where the source has "in some cases"`, `"work very well" where the source
/// has "work well"`.
fn describe_differences(draft_text: &str, source_text: &str, pat: &Pattern, source: &[QTok], ops: &[Op], index: &[usize]) -> Vec<String> {
    let is_difference = |op: &Op| matches!(op, Op::Sub(..) | Op::Added(_, false) | Op::Dropped(_, false));
    // Source words dropped before the first aligned word or after the last are outside the
    // draft's quotation.
    let Some(first) = ops.iter().position(|op| !matches!(op, Op::Dropped(..))) else { return Vec::new() };
    let last = ops.iter().rposition(|op| !matches!(op, Op::Dropped(..))).unwrap_or(first);
    let render = |spans: &[Span], text: &str| -> String {
        match (spans.first(), spans.last()) {
            (Some(a), Some(b)) => Span::new(a.start, b.end).slice(text).split_whitespace().collect::<Vec<_>>().join(" "),
            _ => String::new(),
        }
    };
    let mut out = Vec::new();
    let mut k = first;
    while k <= last {
        if !is_difference(&ops[k]) {
            k += 1;
            continue;
        }
        let start = k;
        while k <= last && (is_difference(&ops[k]) || matches!(ops[k], Op::Dropped(_, true) | Op::Added(_, true)) && k < last && is_difference(&ops[k + 1])) {
            k += 1;
        }
        let mut draft_spans: Vec<Span> = Vec::new();
        let mut source_spans: Vec<Span> = Vec::new();
        let context_before = start.checked_sub(1).filter(|&i| i >= first).map(|i| ops[i]);
        let context_after = (k <= last).then(|| ops[k]);
        for op in context_before.into_iter().chain(ops[start..k].iter().copied()).chain(context_after) {
            match op {
                Op::Match(i, j) | Op::Sub(i, j) => {
                    push_span(&mut draft_spans, pat.toks[i].span);
                    push_span(&mut source_spans, source[index[j]].span);
                }
                Op::Added(i, false) => push_span(&mut draft_spans, pat.toks[i].span),
                Op::Dropped(j, false) => push_span(&mut source_spans, source[index[j]].span),
                _ => {}
            }
        }
        let draft = render(&draft_spans, draft_text);
        let source = render(&source_spans, source_text);
        out.push(match (draft.is_empty(), source.is_empty()) {
            (false, false) => format!("\"{draft}\" where the source has \"{source}\""),
            (false, true) => format!("adds \"{draft}\""),
            (true, false) => format!("leaves out \"{source}\""),
            (true, true) => continue,
        });
    }
    out
}

fn push_span(run: &mut Vec<Span>, span: Span) {
    if run.last() != Some(&span) {
        run.push(span);
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod scale_tests {
    //! Regressions for time quadratic in the draft (issue 12): what each quotation reads must
    //! not grow with the number of quotations around it.
    use super::*;
    use crate::prose::Format;

    #[test]
    fn a_quotation_reads_its_neighbourhood_not_its_whole_sentence() {
        // Words without digits, so each is a term: "wordbaa", "wordbab", ...
        let word = |i: usize| format!("word{}{}{}", (b'a' + (i / 676) as u8) as char, (b'a' + (i / 26 % 26) as u8) as char, (b'a' + (i % 26) as u8) as char);
        let draft: String = (0..3_000).map(|i| format!("\"{} phrase\"", word(i))).collect::<Vec<_>>().join(", ") + ".\n";
        let prose = Prose::new(&draft, Format::Markdown);
        let quotations = extract(&prose);
        assert_eq!(quotations.len(), 3_000);
        let corpus = Corpus::builtin();
        let context = draft_context(&prose, &quotations[1_500], &corpus);
        // Some 60 quotations each side fit in the window; the sentence holds 3,000.
        assert!(context.len() > 50 && context.len() < 300, "{} context terms", context.len());
        assert!(!context.contains_key(&word(1_500)), "the quotation's own words are not its context");
        assert!(context.contains_key(&word(1_499)) && context.contains_key(&word(1_501)), "its neighbours are");
    }

    #[test]
    fn the_span_cover_agrees_with_a_scan() {
        let spans = [Span::new(10, 20), Span::new(12, 40), Span::new(50, 55), Span::new(51, 52), Span::new(70, 70)];
        let cover = SpanCover::new(spans);
        for start in 0..80 {
            for end in start..82 {
                let probe = Span::new(start, end);
                let scan = spans.iter().any(|s| s.start <= probe.start && probe.end <= s.end);
                assert_eq!(cover.contains(probe), scan, "{probe:?}");
            }
        }
        assert!(!SpanCover::default().contains(Span::new(0, 0)));
    }

    #[test]
    fn pronouns_resolve_to_the_nearest_name_before_them_across_thousands() {
        let draft: String = std::iter::once("\"We start,\" Mark Barton said.".to_string())
            .chain((0..2_000).map(|i| format!(" He paused. \"Point {i} holds,\" he said.")))
            .collect::<String>()
            + "\n";
        let prose = Prose::new(&draft, Format::Markdown);
        let quotations = extract(&prose);
        assert_eq!(quotations.len(), 2_001);
        for q in &quotations {
            let speaker = q.speaker.as_ref().expect("every quotation has its speaker");
            assert_eq!(speaker.text, "Mark Barton", "{:?}", q.span.slice(&draft));
        }
    }

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
