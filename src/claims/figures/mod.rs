//! Quantity extraction: one code path for drafts and sources.
//!
//! Reads the masked prose of a file (see `crate::prose`) and finds every statistic: its value
//! (scale words multiplied out, `minus` and `$-` negated), the upper end of a range (`13-14%`,
//! `5% and 6%`, `from 4.8 to 4.7 percent`, `three or four years`, `hundreds` as 100 to 1,000),
//! its unit (percent, percentage points, a currency, a measure, a rate such as
//! `USD-per-barrel`, the noun it counts, a calendar year), the qualifier that bounds it
//! (`nearly`, `more than`, `sub-`, ...) and the direction it states (`82 percent lower`,
//! `+0.2%`). A conversion in brackets shares the qualifier of the figure it converts.
//! Identifiers (`GPT-4o`, `Llama 3.1`, `iPhone 11`, `787 Dreamliner`, `PS5`), addresses, list
//! markers, scores, times of day, labels (`page 5`), day numbers in dates and anything in URLs
//! are not statistics and are skipped.

pub mod lexicon;

use std::cell::Cell;
use std::sync::OnceLock;

use regex::Regex;
use serde::Serialize;

use crate::position::Span;
use lexicon::*;

/// What a figure measures.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Unit {
    Percent,
    PercentagePoint,
    /// A fraction or ratio (`a third`, `one in five`); the value is the fraction itself.
    Fraction,
    /// An ISO 4217 code.
    Currency(String),
    /// A measure such as `tonne` or `square-metre`, or a rate such as `USD-per-barrel`.
    Measure(String),
    /// The singular noun counted (`country`).
    Count(String),
    /// A calendar year.
    Date,
    None,
}

impl Unit {
    /// The name used in JSON output.
    pub fn name(&self) -> Option<String> {
        match self {
            Unit::Percent => Some("percent".into()),
            Unit::PercentagePoint => Some("percentage-point".into()),
            Unit::Fraction => Some("fraction".into()),
            Unit::Currency(code) | Unit::Measure(code) | Unit::Count(code) => Some(code.clone()),
            Unit::Date => Some("date".into()),
            Unit::None => None,
        }
    }

    pub fn is_share(&self) -> bool {
        matches!(self, Unit::Percent | Unit::PercentagePoint | Unit::Fraction)
    }

    /// A short description for messages.
    pub fn describe(&self) -> String {
        match self {
            Unit::Percent => "percent".into(),
            Unit::PercentagePoint => "percentage points".into(),
            Unit::Fraction => "a fraction".into(),
            Unit::Currency(code) => code.clone(),
            Unit::Measure(m) | Unit::Count(m) => m.replace('-', " "),
            Unit::Date => "a date".into(),
            Unit::None => "no unit".into(),
        }
    }
}

/// The qualifier that bounds a figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Bound {
    Exact,
    Approx,
    Nearly,
    Over,
    AtLeast,
    Under,
    AtMost,
}

impl Bound {
    fn from_name(name: &str) -> Bound {
        match name {
            "approx" => Bound::Approx,
            "nearly" => Bound::Nearly,
            "over" => Bound::Over,
            "at-least" => Bound::AtLeast,
            "under" => Bound::Under,
            "at-most" => Bound::AtMost,
            _ => Bound::Exact,
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            Bound::Exact => "exact",
            Bound::Approx => "approx",
            Bound::Nearly => "nearly",
            Bound::Over => "over",
            Bound::AtLeast => "at-least",
            Bound::Under => "under",
            Bound::AtMost => "at-most",
        }
    }
    /// Which side of the value the true figure lies on: -1 below, +1 above, 0 either or exact.
    pub fn side(self) -> i8 {
        match self {
            Bound::Nearly | Bound::Under | Bound::AtMost => -1,
            Bound::Over | Bound::AtLeast => 1,
            Bound::Exact | Bound::Approx => 0,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Up,
    Down,
}

/// One statistic.
#[derive(Debug, Clone, PartialEq)]
pub struct Quantity {
    /// The whole mention: qualifier, currency, number, scale, unit and a trailing direction word.
    pub span: Span,
    /// The number(s) alone, without qualifier or unit.
    pub number_span: Span,
    pub value: f64,
    pub high: Option<f64>,
    pub unit: Unit,
    pub bound: Bound,
    pub direction: Option<Direction>,
    /// `dozens`, `a few hundred`: an order of magnitude, not a figure to compare.
    pub vague: bool,
    /// A bare `$` or `dollars`: the currency is assumed, not stated.
    pub assumed_currency: bool,
}

impl Quantity {
    /// The value on a common scale for comparison: fractions become percent.
    pub fn comparable(&self) -> (f64, Option<f64>) {
        let factor = if self.unit == Unit::Fraction { 100.0 } else { 1.0 };
        (self.value * factor, self.high.map(|h| h * factor))
    }
}

fn number_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?").unwrap())
}

fn word_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?i)(?-u:\b)(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|a dozen|dozens|a few hundred|a few thousand|several hundred|several thousand|(?:tens|hundreds) of (?:thousands|millions|billions)|hundreds|thousands|millions|billions|a hundred|a thousand|a million|a billion|a trillion|half|a third|a quarter|a fifth|a tenth|(?:two|three|four|five|six|seven|eight|nine|ten|twenty|hundred|thousand)fold)(?-u:\b)",
        )
        .unwrap()
    })
}

fn url_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?i)\b(?:https?://|www\.)\S+|\b[\w.+-]+@[\w-]+\.[\w.]+|\b[\w-]+\.(?:com|org|net|io|ai|gov|edu|co)(?:/\S*)?\b").unwrap()
    })
}

/// Every quantity in `masked` (a masked copy from `crate::prose`, or any plain text).
pub fn extract(masked: &str) -> Vec<Quantity> {
    if !masked.contains(is_invisible) {
        return extract_visible(masked);
    }
    // Figures are read through invisible characters ("US$4\u{200b} million" is US$4 million):
    // read a copy without them, then map each span back to the text, where it covers the
    // invisible characters inside the figure too.
    let mut visible = String::with_capacity(masked.len());
    // For each byte of `visible`, where it stands in `masked`; one more for the end.
    let mut origin: Vec<usize> = Vec::with_capacity(masked.len() + 1);
    for (at, c) in masked.char_indices() {
        if !is_invisible(c) {
            visible.push(c);
            origin.extend(at..at + c.len_utf8());
        }
    }
    origin.push(masked.len());
    // A span ends right after its last visible character, not at the next one.
    let start = |at: usize| origin[at];
    let end = |at: usize| if at == 0 { origin[0] } else { origin[at - 1] + 1 };
    let mut found = extract_visible(&visible);
    for q in &mut found {
        q.span = Span::new(start(q.span.start), end(q.span.end).max(start(q.span.start)));
        q.number_span = Span::new(start(q.number_span.start), end(q.number_span.end).max(start(q.number_span.start)));
    }
    found
}

/// Characters that show nothing: zero-width space, non-joiner and joiner, word joiner and the
/// invisible operators, soft hyphen, byte-order mark, Mongolian vowel separator, and the
/// direction marks, embeddings and isolates. Pasted text carries them inside figures.
pub fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{00AD}' | '\u{FEFF}' | '\u{180E}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

fn extract_visible(masked: &str) -> Vec<Quantity> {
    let urls: Vec<Span> = url_regex().find_iter(masked).map(|m| Span::new(m.start(), m.end())).collect();
    let mut starts: Vec<(usize, bool)> = number_regex().find_iter(masked).map(|m| (m.start(), false)).collect();
    starts.extend(word_regex().find_iter(masked).map(|m| (m.start(), true)));
    starts.sort_unstable();
    starts.dedup_by_key(|(s, _)| *s);
    let parser = Parser { text: masked, nested: Cell::new(false) };
    let mut out: Vec<Quantity> = Vec::new();
    let mut consumed = 0;
    let mut inherited = false;
    for (start, is_word) in starts {
        // URLs are in order and apart: only the last one starting at or before `start` can
        // hold it (a scan of all per figure was quadratic in a draft of links and numbers).
        let url = urls.partition_point(|u| u.start <= start);
        if start < consumed || (url > 0 && urls[url - 1].contains(start)) {
            continue;
        }
        let parsed = if is_word { parser.word_quantity(start) } else { parser.digit_quantity(start) };
        if let Some(mut q) = parsed {
            consumed = q.span.end.max(q.number_span.end);
            if let Some(prev) = out.last() {
                inherited = converted_figure(masked, prev, &mut q, inherited);
            }
            out.push(q);
        }
    }
    out
}

/// A conversion in brackets right after a figure states the same fact in another unit, so it
/// shares the figure's qualifier and direction: "more than 7.5 million Danish crowns (US $1.1
/// million)", "just under 296 hp (224 kW / 300 PS)". Returns whether `q` is such a conversion,
/// so that a "/" alternative inside the same brackets follows suit.
fn converted_figure(text: &str, prev: &Quantity, q: &mut Quantity, prev_converted: bool) -> bool {
    if prev.span.end > q.span.start || prev.unit == q.unit || matches!(q.unit, Unit::Date | Unit::None) {
        return false;
    }
    let gap = text[prev.span.end..q.span.start].trim();
    if !(gap == "(" || (gap == "/" && prev_converted)) {
        return false;
    }
    if q.bound == Bound::Exact {
        q.bound = prev.bound;
    }
    if q.direction.is_none() {
        q.direction = prev.direction;
    }
    true
}

/// A number read from the text before units are attached.
#[derive(Debug, Clone, Copy)]
struct Numeral {
    start: usize,
    end: usize,
    value: f64,
    /// Whether a scale word or abbreviation was applied.
    scaled: bool,
    /// Plain four-digit integer without separators (a candidate year).
    year_like: bool,
    vague: bool,
    is_word: bool,
    /// The upper end an order of magnitude implies: `hundreds` is 100 to 1,000.
    high: Option<f64>,
}

struct Parser<'t> {
    text: &'t str,
    /// Set while the second figure of a range is read, so that it reads no range of its own.
    nested: Cell<bool>,
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

impl<'t> Parser<'t> {
    fn char_before(&self, at: usize) -> Option<char> {
        self.text[..at].chars().next_back()
    }
    fn char_at(&self, at: usize) -> Option<char> {
        self.text.get(at..).and_then(|s| s.chars().next())
    }
    /// The start of the line holding `at`, looking back at most 512 bytes: on a very long line
    /// the bound stands in for the line start, which keeps every look-back constant-time.
    fn line_start(&self, at: usize) -> usize {
        let floor = floor_boundary(self.text, at.saturating_sub(512));
        self.text[floor..at].rfind('\n').map_or(floor, |i| floor + i + 1)
    }
    /// The word starting at `start` as written, for a word that `words_before` returned
    /// lower-cased (lower-casing may change its length, e.g. "İ").
    fn written_word(&self, start: usize) -> &'t str {
        let len = self.text[start..]
            .char_indices()
            .find(|(_, c)| !(c.is_alphanumeric() || matches!(c, '.' | '~' | '\'' | '’' | '-')))
            .map_or(self.text.len() - start, |(i, _)| i);
        &self.text[start..start + len]
    }

    /// Whether `at` opens a sentence, a line or a quotation (only punctuation and spaces
    /// lie between it and the previous sentence end).
    fn at_sentence_start(&self, at: usize) -> bool {
        let line_start = self.line_start(at);
        let before = self.text[line_start..at].trim_end_matches(|c: char| c.is_whitespace() || matches!(c, '"' | '“' | '\'' | '‘' | '(' | '[' | '-' | '–' | '—' | '*' | '#' | '>'));
        before.is_empty() || before.ends_with(['.', '!', '?', ':', ';'])
    }
    /// Skips spaces and tabs (not line breaks).
    fn skip_spaces(&self, mut at: usize) -> usize {
        while let Some(c) = self.char_at(at) {
            if c == ' ' || c == '\t' || c == '\u{a0}' {
                at += c.len_utf8();
            } else {
                break;
            }
        }
        at
    }
    /// The alphabetic word at `at` (letters, inner apostrophes), and its end.
    fn word_at(&self, at: usize) -> (&'t str, usize) {
        let rest = &self.text[at.min(self.text.len())..];
        let mut end = 0;
        for (i, c) in rest.char_indices() {
            if c.is_alphabetic() || ((c == '\'' || c == '’') && i > 0) {
                end = i + c.len_utf8();
            } else {
                break;
            }
        }
        let word = rest[..end].trim_end_matches(['\'', '’']);
        (word, at + word.len())
    }
    /// Words before `at` on the same line, nearest last, lower-cased (at most `n`).
    fn words_before(&self, at: usize, n: usize) -> Vec<(String, usize)> {
        let line_start = self.line_start(at);
        let before = &self.text[line_start..at];
        let mut out = Vec::new();
        let mut end = before.len();
        while out.len() < n {
            let trimmed = before[..end].trim_end_matches([' ', '\t', '\u{a0}']);
            if trimmed.is_empty() {
                break;
            }
            let last = trimmed.chars().next_back().unwrap();
            if !(last.is_alphanumeric() || last == '.' || last == '~' || last == '\'' || last == '’') {
                break;
            }
            let start = trimmed
                .char_indices()
                .rev()
                .find(|(_, c)| !(c.is_alphanumeric() || *c == '.' || *c == '~' || *c == '\'' || *c == '’' || *c == '-'))
                .map_or(0, |(i, c)| i + c.len_utf8());
            out.push((trimmed[start..].to_lowercase(), line_start + start));
            end = start;
        }
        out
    }

    /// Reads a digit numeral at `at` with any glued or spaced scale.
    fn digits(&self, at: usize, currency: bool) -> Option<(Numeral, Option<&'static str>)> {
        let m = number_regex().find_at(self.text, at).filter(|m| m.start() == at)?;
        let raw = m.as_str();
        let mut value: f64 = raw.replace(',', "").parse().ok()?;
        let mut end = m.end();
        // "between 2200 and 0700": a four-digit number with a leading zero is a time of day.
        if raw.len() == 4 && raw.starts_with('0') && raw.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let year_like = raw.len() == 4 && !raw.contains([',', '.']);
        // Version numbers, times, dates and identifiers glued to the number.
        let rest = &self.text[end..];
        if (rest.starts_with('.') && rest[1..].starts_with(|c: char| c.is_ascii_digit()))
            || (rest.starts_with(':') && rest[1..].starts_with(|c: char| c.is_ascii_digit()))
            || ['/', '⁄'].into_iter().any(|slash| rest.strip_prefix(slash).is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit())))
            || rest.starts_with('×')
        {
            return None;
        }
        if let Some(extra) = self.and_a_fraction(end) {
            value += extra.0;
            end = extra.1;
        }
        let mut scaled = false;
        let mut glued_unit = None;
        let suffix: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '²').collect();
        // "10-K", "8-K": a form or model name.
        if let Some(after_hyphen) = rest.strip_prefix('-') {
            let code: String = after_hyphen.chars().take_while(|c| c.is_alphanumeric()).collect();
            if !code.is_empty() && code.len() <= 2 && code.chars().all(|c| c.is_ascii_uppercase()) && !MEASURES.iter().any(|(s, _, _)| *s == code) {
                return None;
            }
        }
        // Screen resolutions ("1080p", "4K", "8K") are names, not pence or thousands.
        let resolution = (suffix == "p" && matches!(raw, "240" | "360" | "480" | "576" | "720" | "1080" | "1440" | "2160" | "4320"))
            || (suffix == "K" && matches!(raw, "2" | "4" | "5" | "8" | "16"));
        if resolution && !currency {
            return None;
        }
        if !suffix.is_empty() {
            let lower = suffix.to_lowercase();
            if let Some((_, factor)) = SCALE_ABBREVIATIONS.iter().find(|(a, _)| *a == lower) {
                let ok = match lower.as_str() {
                    // A capital "M" is a million ("4.3M sales"); metres are written "m".
                    "m" => currency || suffix == "M" || self.next_is_plural_noun(end + suffix.len()),
                    "b" | "k" => true,
                    _ => true,
                };
                if ok {
                    value *= factor;
                    scaled = true;
                    end += suffix.len();
                } else if lower == "m" {
                    glued_unit = Some("metre");
                    end += suffix.len();
                }
            } else if let Some(unit) = glued_measure(&suffix) {
                glued_unit = Some(unit);
                end += suffix.len();
                // "80km/h", "100km/hr": a glued speed.
                if self.text[end..].starts_with('/') {
                    let per: String = self.text[end + 1..].chars().take_while(|c| c.is_ascii_alphabetic()).collect();
                    let written = format!("{}/{}", suffix.to_lowercase(), per.to_lowercase());
                    if let Some((_, rate, _)) = MEASURES.iter().find(|(s, _, _)| *s == written) {
                        glued_unit = Some(rate);
                        end += 1 + per.len();
                    }
                }
            } else if matches!(lower.as_str(), "pc") {
                glued_unit = Some("percent");
                end += suffix.len();
            } else {
                // Ordinals (1st), decades (1990s), times (9am) and identifiers (4o, 3B-class).
                return None;
            }
        }
        // "a 1-trillion-parameter model", "a $10-billion deal": a scale joined by a hyphen.
        if !scaled && glued_unit.is_none() && self.text[end..].starts_with('-') {
            let (word, word_end) = self.word_at(end + 1);
            if let Some((_, factor)) = SCALE_WORDS.iter().find(|(w, _)| w.eq_ignore_ascii_case(word)) {
                if *factor >= 1e6 {
                    value *= factor;
                    scaled = true;
                    end = word_end;
                }
            }
        }
        if !scaled && glued_unit.is_none() {
            let after = self.skip_spaces(end);
            let (word, word_end) = self.word_at(after);
            let lower = word.to_lowercase();
            if let Some((_, factor)) = SCALE_WORDS.iter().find(|(w, _)| *w == lower) {
                // "hundred" only multiplies small numbers ("3 hundred"), never "2,000 hundred".
                if lower != "hundred" || value < 100.0 {
                    value *= factor;
                    scaled = true;
                    end = word_end;
                    // "4 hundred million", "5 hundred thousand".
                    if lower == "hundred" {
                        let after_hundred = self.skip_spaces(end);
                        let (next, next_end) = self.word_at(after_hundred);
                        let next_lower = next.to_lowercase();
                        if let Some((_, bigger)) = SCALE_WORDS.iter().find(|(w, f)| *w == next_lower && *f > 100.0) {
                            if after_hundred > end {
                                value *= bigger;
                                end = next_end;
                            }
                        }
                    }
                }
            } else if after > end && currency && matches!(lower.as_str(), "bn" | "mn" | "m" | "tn" | "k" | "mln" | "bln" | "b") {
                if let Some((_, factor)) = SCALE_ABBREVIATIONS.iter().find(|(a, _)| *a == lower) {
                    value *= factor;
                    scaled = true;
                    end = word_end;
                }
            }
        }
        Some((
            Numeral { start: at, end, value, scaled, year_like: year_like && !scaled, vague: false, is_word: false, high: None },
            glued_unit,
        ))
    }

    /// " and a half" or " and a quarter" after a whole number: its value and where it ends.
    fn and_a_fraction(&self, end: usize) -> Option<(f64, usize)> {
        let rest = &self.text[end..floor_boundary(self.text, (end + 16).min(self.text.len()))];
        let lower = rest.to_ascii_lowercase();
        for (phrase, value) in [(" and a half", 0.5), (" and a quarter", 0.25)] {
            if lower.starts_with(phrase) && !lower[phrase.len()..].starts_with(|c: char| c.is_alphanumeric()) {
                return Some((value, end + phrase.len()));
            }
        }
        None
    }

    fn next_is_plural_noun(&self, at: usize) -> bool {
        let (word, _) = self.word_at(self.skip_spaces(at));
        word.len() > 3 && word.ends_with('s') && word.chars().all(|c| c.is_lowercase())
    }

    /// Reads a number written in words at `at`.
    fn words(&self, at: usize) -> Option<Numeral> {
        let m = word_regex().find_at(self.text, at).filter(|m| m.start() == at)?;
        let lower = m.as_str().to_lowercase();
        let mut end = m.end();
        // An order of magnitude ("hundreds", "tens of thousands") spans one power of ten:
        // hundreds are 100 to 1,000. It stays vague, so the checker never compares it.
        let magnitude = match lower.as_str() {
            "dozens" => Some(12.0),
            "hundreds" => Some(100.0),
            "thousands" => Some(1e3),
            "millions" => Some(1e6),
            "billions" => Some(1e9),
            "tens of thousands" => Some(1e4),
            "tens of millions" => Some(1e7),
            "tens of billions" => Some(1e10),
            "hundreds of thousands" => Some(1e5),
            "hundreds of millions" => Some(1e8),
            "hundreds of billions" => Some(1e11),
            _ => None,
        };
        if let Some(low) = magnitude {
            return Some(Numeral { start: at, end, value: low, scaled: true, year_like: false, vague: true, is_word: true, high: Some(low * 10.0) });
        }
        let high = None;
        let (mut value, mut vague) = match lower.as_str() {
            "a dozen" => (12.0, false),
            "a few hundred" | "several hundred" => (300.0, true),
            "a few thousand" | "several thousand" => (3000.0, true),
            "a hundred" => (100.0, false),
            "a thousand" => (1e3, false),
            "a million" => (1e6, false),
            "a billion" => (1e9, false),
            "a trillion" => (1e12, false),
            word => {
                if let Some((_, v)) = TENS_WORDS.iter().find(|(w, _)| *w == word) {
                    let mut v = *v;
                    let rest = &self.text[end..];
                    if let Some(sep) = rest.chars().next().filter(|c| *c == '-' || *c == ' ') {
                        let (unit_word, unit_end) = self.word_at(end + sep.len_utf8());
                        let unit_lower = unit_word.to_lowercase();
                        if let Some((_, u)) = UNITS_WORDS.iter().find(|(w, u)| *w == unit_lower && *u >= 1.0 && *u <= 9.0) {
                            v += u;
                            end = unit_end;
                        }
                    }
                    (v, false)
                } else if let Some((_, v)) = UNITS_WORDS.iter().find(|(w, _)| *w == word) {
                    (*v, false)
                } else {
                    return None;
                }
            }
        };
        // "two and a half years", "one and a half million".
        if let Some(extra) = self.and_a_fraction(end) {
            value += extra.0;
            end = extra.1;
        }
        // "twenty-five million", "three billion", "a hundred thousand".
        let after = self.skip_spaces(end);
        let (next, next_end) = self.word_at(after);
        let next_lower = next.to_lowercase();
        let mut scaled = false;
        if after > end {
            if let Some((_, factor)) = SCALE_WORDS.iter().find(|(w, _)| *w == next_lower) {
                value *= factor;
                end = next_end;
                scaled = true;
                vague = false;
            }
        }
        Some(Numeral { start: at, end, value, scaled, year_like: false, vague, is_word: true, high })
    }

    fn digit_quantity(&self, at: usize) -> Option<Quantity> {
        let (currency_start, currency) = self.currency_before(at);
        let mut lead = currency_start.unwrap_or(at);
        let symbol = &self.text[lead..at];
        let letter_symbol = symbol.starts_with("PS") || symbol.trim_end() == "R";
        // "R1.5" may be a model version too, so rand needs thousands or a scale ("R5 billion").
        let rand_without_scale = symbol == "R" && {
            let (numeral, _) = self.digits(at, true).unzip();
            !numeral.is_some_and(|n| n.scaled || self.text[n.start..n.end].contains(','))
        };
        if currency.is_some() && letter_symbol && (!self.looks_like_money(at) || symbol == "R " || rand_without_scale) {
            // "PS5" is a console and "R1" a model; wire copy's "PS2.7m" and "PS21,700" are
            // pounds, and "R5 billion" is rand.
            return None;
        }
        // "sub-7 nanometer": below the figure.
        let sub = currency.is_none() && {
            let before = &self.text[..lead];
            (before.ends_with("sub-") || before.ends_with("Sub-"))
                && !self.char_before(lead - 4).is_some_and(is_word_char)
        };
        if sub {
            let (numeral, glued) = self.digits(at, false)?;
            let mut q = self.finish(lead, numeral, glued, None)?;
            if q.bound == Bound::Exact && q.unit != Unit::Date {
                q.bound = Bound::Under;
                q.span.start = lead - 4;
            }
            return Some(q);
        }
        // "$-50.8bn": a negative amount written after its currency.
        if currency.is_none() && self.text[..at].ends_with('-') {
            if let (Some(symbol_start), Some(code)) = self.currency_before(at - 1) {
                if !code.0.chars().all(|c| c.is_ascii_alphabetic()) || self.text[symbol_start..at - 1].contains('$') {
                    let (mut numeral, glued) = self.digits(at, true)?;
                    numeral.value = -numeral.value;
                    numeral.year_like = false;
                    return self.finish(symbol_start, numeral, glued, Some(code));
                }
            }
        }
        // ".001 per cent": a decimal written without its leading zero.
        if currency.is_none() && self.char_before(at) == Some('.') && !self.char_before(at - 1).is_some_and(|c| c.is_alphanumeric() || c == '.') {
            let (mut numeral, glued) = self.digits(at, false)?;
            let digits = self.text[at..].bytes().take_while(|b| b.is_ascii_digit()).count();
            if numeral.scaled || digits == 0 {
                return None;
            }
            numeral.value /= 10f64.powi(digits as i32);
            numeral.year_like = false;
            numeral.start = at - 1;
            return self.finish(at - 1, numeral, glued, None);
        }
        // "1/16 of a pint": a written fraction.
        if currency.is_none() {
            if let Some(q) = self.slash_fraction(at) {
                return Some(q);
            }
        }
        // "minus 387", "minus-5 yards", "negative 12 percent": a negative figure ("negative
        // 12-month returns" qualifies the months, not the figure).
        let mut negative = false;
        let compound_after = || {
            let end = at + self.text[at..].bytes().take_while(|b| b.is_ascii_digit() || *b == b'.' || *b == b',').count();
            self.text[end..].strip_prefix('-').is_some_and(|rest| rest.starts_with(|c: char| c.is_alphabetic()))
        };
        for word in ["minus ", "minus-", "Minus ", "Minus-", "negative ", "Negative "] {
            if self.text[..lead].ends_with(word) && !(word.ends_with("ive ") && compound_after()) {
                let word_start = lead - word.len();
                if !self.char_before(word_start).is_some_and(is_word_char) {
                    negative = true;
                    lead = word_start;
                }
            }
        }
        // "-12 percent", "−40 degrees": a sign. Not the hyphen of an identifier or a range
        // ("COVID-19", "GPT-4", "13-14"), nor one spaced off an acronym ("COVID -19").
        let mut signed_at = None;
        if !negative && currency.is_none() {
            if let Some(sign) = self.char_before(lead).filter(|c| matches!(c, '-' | '−')) {
                let sign_start = lead - sign.len_utf8();
                if self.is_sign(sign_start) {
                    negative = true;
                    lead = sign_start;
                    signed_at = Some(sign_start);
                }
            }
        }
        let sign_up = currency.is_none() && self.char_before(lead) == Some('+')
            && !self.char_before(lead - 1).is_some_and(|c| c.is_alphanumeric());
        if sign_up {
            lead -= 1;
        }
        // Part of an identifier: "K2", "Qwen3", "GPT-4o", "Qwen3-235B", "v1.2", "#3".
        if let Some(prev) = self.char_before(lead).filter(|_| !negative) {
            if is_word_char(prev) || matches!(prev, '#' | '.' | '/' | '⁄' | '@' | '_' | '×' | '^' | '=') {
                return None;
            }
            if prev == '-' || prev == '‑' || prev == '−' {
                let before = self.text[..lead - prev.len_utf8()].chars().next_back();
                if before.is_some_and(is_word_char) || self.spaced_off_acronym(lead - prev.len_utf8()) {
                    return None;
                }
            }
            if prev == ':' && self.text[..lead - 1].chars().next_back().is_some_and(|c| c.is_ascii_digit()) {
                return None;
            }
        }
        let (mut numeral, glued) = self.digits(at, currency.is_some())?;
        if currency.is_none() && !negative && glued.is_none() && !numeral.scaled && numeral.value.fract() == 0.0 && numeral.value >= 1.0 {
            // "1 in 4 adults", "9 out of 10": a ratio.
            if let Some(q) = self.ratio(numeral) {
                return Some(q);
            }
        }
        if negative {
            numeral.value = -numeral.value;
            numeral.year_like = false;
            // A sign is part of the number (a word is not).
            if let Some(start) = signed_at {
                numeral.start = start;
            }
        }
        let mut q = self.finish(lead, numeral, glued, currency)?;
        if negative {
            if let Some(h) = q.high {
                // "minus 5 to 10": both ends are below zero.
                q.high = Some(-q.value);
                q.value = -h;
            }
        }
        if sign_up && q.direction.is_none() && q.unit != Unit::Date {
            // "Dow +0.2%": a signed change.
            q.direction = Some(Direction::Up);
        }
        Some(q)
    }

    /// Whether the hyphen or minus sign at `at` (right before a number) is the number's sign:
    /// it opens a word (after a space, a bracket, a quotation mark or the start of a line) and
    /// does not follow an acronym as a spaced hyphen ("COVID -19").
    fn is_sign(&self, at: usize) -> bool {
        let before = &self.text[..at];
        match before.chars().next_back() {
            None => true,
            Some(c) if c.is_whitespace() => !self.spaced_off_acronym(at) || self.text[at..].starts_with('−'),
            Some(c) => matches!(c, '(' | '[' | '{' | '"' | '“' | '‘' | '\'' | ':' | '~' | '≈'),
        }
    }

    /// Whether the hyphen at `at` follows an acronym and a space: "COVID -19" is "COVID-19"
    /// mistyped, an identifier.
    fn spaced_off_acronym(&self, at: usize) -> bool {
        let before = &self.text[..at];
        if !before.ends_with(char::is_whitespace) || !self.text[at..].starts_with('-') {
            return false;
        }
        let word = before.trim_end().rsplit(|c: char| !c.is_alphanumeric()).next().unwrap_or("");
        word.len() >= 2 && word.chars().all(|c| c.is_ascii_uppercase())
    }

    /// "1/16 of a US pint", "1⁄32 of a quart": a fraction written with a slash, read only when
    /// "of" follows (otherwise it may be a date or a score).
    fn slash_fraction(&self, at: usize) -> Option<Quantity> {
        let first_len = self.text[at..].bytes().take_while(|b| b.is_ascii_digit()).count();
        let rest = &self.text[at + first_len..];
        let slash = ['/', '⁄'].into_iter().find(|c| rest.starts_with(*c))?;
        let second_at = at + first_len + slash.len_utf8();
        let second_len = self.text[second_at..].bytes().take_while(|b| b.is_ascii_digit()).count();
        if first_len == 0 || first_len > 3 || second_len == 0 || second_len > 4 {
            return None;
        }
        let end = second_at + second_len;
        if !self.text[end..].starts_with(" of ") {
            return None;
        }
        let numerator: f64 = self.text[at..at + first_len].parse().ok()?;
        let denominator: f64 = self.text[second_at..end].parse().ok()?;
        if denominator <= numerator || numerator == 0.0 {
            return None;
        }
        Some(self.fraction_quantity(at, end, numerator / denominator))
    }

    /// Whether the number at `at` is written like an amount of money: separators, decimals or
    /// a scale ("21,700", "2.7m", "8.1bn"), not a bare model number ("5").
    fn looks_like_money(&self, at: usize) -> bool {
        let Some(m) = number_regex().find_at(self.text, at).filter(|m| m.start() == at) else {
            return false;
        };
        if m.as_str().contains([',', '.']) {
            return true;
        }
        let suffix: String = self.text[m.end()..].chars().take_while(|c| c.is_alphanumeric()).collect::<String>().to_ascii_lowercase();
        SCALE_ABBREVIATIONS.iter().any(|(a, _)| *a == suffix) || {
            let (word, _) = self.word_at(self.skip_spaces(m.end()));
            SCALE_WORDS.iter().any(|(w, _)| w.eq_ignore_ascii_case(word))
        }
    }

    fn word_quantity(&self, at: usize) -> Option<Quantity> {
        // "the Six Nations", "the Big Ten", "Group of Seven": a capitalised number word inside
        // a sentence is part of a name.
        if self.char_at(at).is_some_and(|c| c.is_uppercase()) && !self.at_sentence_start(at) {
            return None;
        }
        let lower_rest: String = self.text[at..].chars().take(48).collect::<String>().to_ascii_lowercase();
        // Fractions first: "two-thirds", "a third", "one in five".
        if let Some(q) = self.fraction(at, &lower_rest) {
            return Some(q);
        }
        if lower_rest.starts_with("half") || lower_rest.starts_with("a third") || lower_rest.starts_with("a quarter")
            || lower_rest.starts_with("a fifth") || lower_rest.starts_with("a tenth")
        {
            return None;
        }
        // "threefold", "tenfold": a multiple.
        let (word, word_end) = self.word_at(at);
        if let Some(base) = word.to_ascii_lowercase().strip_suffix("fold") {
            let value = UNITS_WORDS
                .iter()
                .chain(TENS_WORDS)
                .chain(SCALE_WORDS)
                .find(|(w, _)| *w == base)
                .map(|(_, v)| *v)?;
            let numeral = Numeral { start: at, end: word_end, value, scaled: false, year_like: false, vague: false, is_word: true, high: None };
            return self.finish(at, numeral, Some("time"), None);
        }
        let numeral = self.words(at)?;
        if numeral.value == 1.0 && !numeral.scaled {
            // "one" is mostly a pronoun or an article; it is a figure when it opens a ratio
            // or counts the lowercase noun right after it ("one proposal", "just one area").
            if let Some(q) = self.ratio(numeral) {
                return Some(q);
            }
            return self.one_counted(numeral);
        }
        if numeral.value == 0.0 {
            return None;
        }
        self.finish(at, numeral, None, None)
    }

    /// "one proposal", "one count of wire fraud": `one` before a lowercase singular noun.
    fn one_counted(&self, numeral: Numeral) -> Option<Quantity> {
        let before = self.words_before(numeral.start, 1);
        let prev = before.first().map(|(w, _)| w.as_str()).unwrap_or("");
        if matches!(prev, "no" | "the" | "this" | "that" | "which" | "every" | "each" | "any" | "some" | "no-" | "a" | "only" | "at") {
            return None;
        }
        if self.char_at(numeral.end) != Some(' ') {
            return None;
        }
        let (word, word_end) = self.word_at(numeral.end + 1);
        let lower = word.to_lowercase();
        if word.chars().count() < 3
            || !word.chars().all(|c| c.is_lowercase())
            || is_plural(&lower)
            || NOT_COUNT_NOUNS.contains(&lower.as_str())
            || VERBS_NOT_NOUNS.contains(&lower.as_str())
            || ONE_IDIOMS.contains(&lower.as_str())
            || lower.ends_with("ly")
        {
            return None;
        }
        // "one glorious swoop": an adjective is fine when a noun follows it.
        let adjective_then_noun =
            is_adjective_after_one(&lower) && self.char_at(word_end) == Some(' ') && self.singular_noun_follows(word_end + 1);
        if !could_be_singular_noun(&lower) && !adjective_then_noun {
            return None;
        }
        let q = self.finish(numeral.start, numeral, None, None)?;
        matches!(q.unit, Unit::Count(_) | Unit::Measure(_)).then_some(q)
    }

    /// `half`, `a third`, `two-thirds`, `three quarters of`, `one in five`.
    fn fraction(&self, at: usize, lower: &str) -> Option<Quantity> {
        if lower.starts_with("half") {
            let (word, end) = self.word_at(at);
            if word.to_lowercase() != "half" {
                return None;
            }
            let before = self.words_before(at, 1);
            let prev = before.first().map(|(w, _)| w.as_str()).unwrap_or("");
            if matches!(prev, "first" | "second" | "last" | "latter" | "other" | "the" | "a" | "one" | "and") {
                return None;
            }
            let after = self.skip_spaces(end);
            let (next, _) = self.word_at(after);
            let next_lower = next.to_lowercase();
            // "half a trillion": a scaled number.
            if next_lower == "a" {
                let (scale, scale_end) = self.word_at(self.skip_spaces(after + 1));
                if let Some((_, factor)) = SCALE_WORDS.iter().find(|(w, _)| *w == scale.to_lowercase()) {
                    let numeral = Numeral { start: at, end: scale_end, value: 0.5 * factor, scaled: true, year_like: false, vague: false, is_word: true, high: None };
                    return self.finish(at, numeral, None, None);
                }
            }
            if !matches!(next_lower.as_str(), "of" | "its" | "their" | "the" | "his" | "her" | "our" | "all") {
                return None;
            }
            return Some(self.fraction_quantity(at, end, 0.5));
        }
        // "a third", "one-third", "two thirds", "three-quarters", "two-fifths".
        let (first, first_end) = self.word_at(at);
        let first_lower = first.to_lowercase();
        let numerator = if first_lower == "a" {
            1.0
        } else {
            UNITS_WORDS.iter().find(|(w, _)| *w == first_lower).map(|(_, v)| *v)?
        };
        let sep = self.char_at(first_end)?;
        if sep != '-' && sep != ' ' {
            return self.ratio_from(at, numerator);
        }
        let (denominator_word, end) = self.word_at(first_end + 1);
        let denominator_lower = denominator_word.to_lowercase();
        let Some((_, denominator)) = FRACTION_WORDS.iter().find(|(w, _)| *w == denominator_lower) else {
            return self.ratio_from(at, numerator);
        };
        if denominator_lower == "half" || denominator_lower == "halves" {
            return None;
        }
        // "a quarter" and "a fourth" are periods unless "of" follows; "one third" must be a share.
        let after = self.skip_spaces(end);
        let (next, _) = self.word_at(after);
        let next_lower = next.to_lowercase();
        let share_follows = matches!(next_lower.as_str(), "of" | "its" | "their" | "the" | "all");
        if denominator_lower.starts_with("quarter") || denominator_lower.starts_with("fourth") || first_lower == "a" || numerator == 1.0 {
            let before = self.words_before(at, 1);
            let hedged = before.first().is_some_and(|(w, _)| QUALIFIERS.iter().any(|(q, _)| q.ends_with(w.as_str())));
            if !share_follows && !hedged {
                return None;
            }
        }
        // "second quarter", "third quarter": ordinal periods.
        if numerator >= 2.0 && !denominator_lower.ends_with('s') {
            return None;
        }
        Some(self.fraction_quantity(at, end, numerator / denominator))
    }

    fn ratio_from(&self, at: usize, numerator: f64) -> Option<Quantity> {
        let (_, end) = self.word_at(at);
        self.ratio(Numeral { start: at, end, value: numerator, scaled: false, year_like: false, vague: false, is_word: true, high: None })
    }

    /// `one in five`, `3 in 10`, `two out of three`.
    fn ratio(&self, numeral: Numeral) -> Option<Quantity> {
        let after = self.skip_spaces(numeral.end);
        let lower = self.text[after..].chars().take(8).collect::<String>().to_ascii_lowercase();
        let skip = if lower.starts_with("in ") {
            3
        } else if lower.starts_with("out of ") {
            7
        } else {
            return None;
        };
        let second_at = self.skip_spaces(after + skip);
        let denominator = if self.char_at(second_at).is_some_and(|c| c.is_ascii_digit()) {
            self.digits(second_at, false).map(|(n, _)| n)
        } else {
            self.words(second_at)
        }?;
        if denominator.year_like || denominator.value <= numeral.value || denominator.value > 1000.0 || denominator.vague {
            return None;
        }
        Some(self.fraction_quantity(numeral.start, denominator.end, numeral.value / denominator.value))
    }

    fn fraction_quantity(&self, start: usize, end: usize, value: f64) -> Quantity {
        let (bound, qualifier_start) = self.qualifier_before(start);
        Quantity {
            span: Span::new(qualifier_start.unwrap_or(start), end),
            number_span: Span::new(start, end),
            value,
            high: None,
            unit: Unit::Fraction,
            bound,
            direction: self.direction_before(qualifier_start.unwrap_or(start)),
            vague: false,
            assumed_currency: false,
        }
    }

    /// A currency symbol or code right before `at` (one space allowed after codes).
    fn currency_before(&self, at: usize) -> (Option<usize>, Option<(&'static str, bool)>) {
        let before = &self.text[..at];
        let trimmed = before.trim_end_matches(' ');
        let spaced = trimmed.len() < before.len();
        if before.len() - trimmed.len() > 1 {
            return (None, None);
        }
        for (symbol, code, named) in CURRENCY_PREFIXES {
            if let Some(stripped) = trimmed.strip_suffix(symbol) {
                let alphabetic = symbol.chars().all(|c| c.is_ascii_alphabetic() || c == '.');
                if spaced && !alphabetic {
                    continue;
                }
                // Codes must stand alone: "RM5" yes, "FORM5" no.
                if stripped.chars().next_back().is_some_and(|c| c.is_alphanumeric()) {
                    continue;
                }
                return (Some(stripped.len()), Some((code, *named)));
            }
        }
        (None, None)
    }

    /// Attaches range, unit, qualifier and direction to a numeral.
    fn finish(
        &self,
        lead: usize,
        mut numeral: Numeral,
        glued: Option<&'static str>,
        mut currency: Option<(&'static str, bool)>,
    ) -> Option<Quantity> {
        let before = self.words_before(lead, 3);
        let prev = before.first().map(|(w, _)| w.as_str()).unwrap_or("");
        let prev_raw_start = before.first().map(|(_, s)| *s);
        // Labels and list markers: "page 5", "No. 3", "Section 2".
        if LABEL_WORDS.contains(&prev.trim_end_matches('.')) && numeral.value < 10000.0 && !numeral.scaled && currency.is_none() && glued.is_none() {
            return None;
        }
        // A list marker: a number followed by "." or ")" at the start of a line.
        let line_start = self.line_start(lead);
        if self.text[line_start..lead].trim().is_empty() && matches!(self.char_at(numeral.end), Some('.' | ')'))
            && self.char_at(numeral.end + 1).is_some_and(|c| c == ' ')
        {
            return None;
        }
        // Day of a month: "Nov. 25", "December 1", "1 December".
        let month_before = MONTHS.contains(&prev.trim_end_matches('.'));
        let (next_word, _) = self.word_at(self.skip_spaces(numeral.end));
        let month_after = MONTHS.contains(&next_word.to_lowercase().trim_end_matches('.'))
            && next_word.chars().next().is_some_and(|c| c.is_uppercase());
        if (month_before || month_after) && !numeral.year_like && numeral.value <= 31.0 && numeral.value.fract() == 0.0 && currency.is_none() {
            return None;
        }
        // Times of day.
        let after_text: String = self.text[self.skip_spaces(numeral.end)..].chars().take(8).collect::<String>().to_ascii_lowercase();
        if ["a.m", "p.m", "am ", "pm ", "am.", "pm.", "am,", "pm,", "o'clock", "gmt", "bst", "et ", "est", "pst", "hrs "]
            .iter()
            .any(|t| after_text.starts_with(t))
            && !numeral.scaled
        {
            return None;
        }
        let mut end = numeral.end;
        let mut high = numeral.high;
        let mut unit = glued.map(|u| match u {
            "percent" => Unit::Percent,
            other => Unit::Measure(other.to_string()),
        });
        let from_before = prev == "from";
        // "climbed from 1.2 percent to 30 percent" is a change between two figures, each of
        // which a source states on its own; only a static "from ... to" ("ranges from") is a span.
        let from_change = from_before
            && before.get(1).is_some_and(|(w, _)| {
                UP_VERBS.contains(&w.as_str()) || DOWN_VERBS.contains(&w.as_str()) || matches!(w.as_str(), "up" | "down" | "moved" | "went" | "changed" | "shifted")
            });
        let between_before = prev == "between";
        // "rose by (more than) $2 to $43.25", "rose $2 to $43.25": a change, then the level it
        // reached, when the second figure is far larger.
        let change_context = prev == "by" || {
            let (_, qualifier_start) = self.qualifier_before(lead);
            let from = qualifier_start.unwrap_or(lead);
            let word = self.words_before(from, 1);
            word.first().is_some_and(|(w, _)| w == "by") || self.direction_before(from).is_some()
        };
        // Ranges: "3,800 to 4,300 years", "13-14%", "between 10 and 20", "three or four years".
        // "from 4.8 to 4.7 percent" is reported as the span it covers (4.7 to 4.8); "from" years
        // stay two dates, which frame other figures.
        if (unit.is_none() || matches!(unit, Some(Unit::Percent))) && !numeral.vague && !from_change {
            if let Some((second, second_glued, second_currency, second_end)) = self.range_end(end, between_before, numeral.is_word || numeral.value < 100.0) {
                // "from 15-6 down": a hyphen never joins the ends of a "from ... to" span.
                if second.value <= numeral.value && !spaced_connector(self.text, end) {
                    // "2-1", "89-89": a score or a ratio of counts, not a figure.
                    return None;
                }
                let years = numeral.year_like || second.year_like;
                let ascending = second.value >= numeral.value && (second.year_like || !numeral.year_like);
                // "fell by 1 to 1.5 degrees" is a range; "grew by $43.6 billion to $419.2 billion"
                // is a change and the level it reached.
                let change_then_level = change_context && second.value > 3.0 * numeral.value.abs();
                if ((!from_before && ascending) || (from_before && !years)) && !change_then_level {
                    let mut low = numeral.value;
                    // "3 to 5 million" shares the scale; "$200,000 to $414 million" does not.
                    if second.scaled && !numeral.scaled && numeral.value.abs() < 1000.0 && numeral.value <= second_value_unscaled(&second, self.text) {
                        let factor = second.value / second_value_unscaled(&second, self.text);
                        low *= factor;
                        numeral.scaled = true;
                    }
                    if low <= second.value || from_before {
                        numeral.value = low.min(second.value);
                        high = Some(low.max(second.value));
                        end = second_end;
                        numeral.year_like = numeral.year_like && second.year_like;
                        if unit.is_none() {
                            unit = second_glued.map(|u| match u {
                                "percent" => Unit::Percent,
                                other => Unit::Measure(other.to_string()),
                            });
                        }
                        if currency.is_none() {
                            currency = second_currency;
                        }
                    }
                }
            }
        }
        let currency_free = currency.is_none();
        let mut assumed_currency = false;
        if let Some((code, named)) = currency {
            unit = Some(Unit::Currency(code.to_string()));
            assumed_currency = !named;
        }
        let end_before_unit = end;
        if unit.is_none() {
            if let Some((u, u_end, assumed)) = self.unit_after(end, &numeral) {
                unit = Some(u);
                end = u_end;
                assumed_currency = assumed;
            }
        } else if let Some(Unit::Currency(_)) = unit {
            // "US$400,000 annually", "$5 per share": keep the currency; rates add nothing to compare.
        }
        // "from 1.2 to 30 percent": the first figure takes the unit of the second.
        if unit.is_none() && !numeral.year_like {
            if let Some(u) = self.unit_of_following_figure(end) {
                unit = Some(u);
            }
        }
        let mut unit = unit.unwrap_or(Unit::None);
        // Years: a bare four-digit number from 1800 to 2100, or any from 1000 to 2200 after a
        // preposition of time ("by 2120", "between 1600 and 1900"). Before a plural noun it is
        // still a year ("Keytruda's 2018 sales"): edited news writes counts as "2,000 workers".
        let time_preposition = matches!(prev, "by" | "in" | "until" | "till" | "before" | "after" | "since" | "through" | "between" | "from" | "circa");
        if numeral.year_like && (unit == Unit::None || matches!(unit, Unit::Count(_))) {
            let far_year = (1000.0..=2200.0).contains(&numeral.value) && time_preposition;
            if (1800.0..=2100.0).contains(&numeral.value) || far_year {
                unit = Unit::Date;
                end = end_before_unit;
            }
        }
        // Rates: "$58.24 per barrel", "63 cents a share", "11 feet per century".
        if let Some((rated, rate_end)) = self.rate_after(end, &unit) {
            unit = Unit::Measure(rated);
            end = rate_end;
        }
        // A range that repeats its unit: "5% and 6%", "1 per cent to 1.5 per cent".
        if high.is_none() && !matches!(unit, Unit::None | Unit::Date) && !numeral.vague && !numeral.year_like && !from_change {
            if let Some(second) = self.repeated_unit_figure(end, between_before) {
                let change_then_level = change_context && second.value > 3.0 * numeral.value.abs();
                // "from 208 pounds to 193": the second figure may leave the unit out.
                let same_unit = second.unit == unit || (from_before && second.unit == Unit::None && !second.vague);
                if same_unit
                    && second.bound == Bound::Exact
                    && second.high.is_none()
                    && !second.vague
                    && (second.value > numeral.value || (from_before && second.value != numeral.value))
                    && !change_then_level
                {
                    high = Some(second.value.max(numeral.value));
                    numeral.value = second.value.min(numeral.value);
                    end = second.span.end;
                }
            }
        }
        // "from $36,040 at 10.45pm last night to $34,935 at 5am": a few words may separate the
        // ends of a "from ... to" span when the second end is plain (no "nearly") and in the
        // same unit.
        if high.is_none() && from_before && !from_change && !matches!(unit, Unit::None | Unit::Date) && !numeral.vague && !numeral.year_like {
            if let Some(to_at) = self.distant_to(end) {
                if let Some(second) = self.repeated_unit_figure(to_at, false) {
                    let same_unit = second.unit == unit || (second.unit == Unit::None && !second.vague);
                    if same_unit && second.bound == Bound::Exact && second.high.is_none() && !second.vague && second.value != numeral.value {
                        high = Some(second.value.max(numeral.value));
                        numeral.value = second.value.min(numeral.value);
                        end = second.span.end;
                    }
                }
            }
        }
        let decimal = self.text[numeral.start..numeral.end].contains('.');
        // "Llama 3.1 405B", "Qwen2.5 72B", "Mistral 7B": a parameter size glued to a number
        // right after a name or version is part of the model's name.
        let size_suffix = currency_free && self.text[..numeral.end].ends_with(['B', 'b'])
            && self.text[..numeral.end - 1].ends_with(|c: char| c.is_ascii_digit());
        if size_suffix && unit == Unit::None {
            if let Some((_, start)) = before.first() {
                let original = self.written_word(*start);
                let name_like = original.chars().next().is_some_and(|c| c.is_uppercase()) || original.chars().any(|c| c.is_ascii_digit());
                let sentence_start = self.at_sentence_start(*start);
                if name_like && !sentence_start {
                    return None;
                }
            }
        }
        // "iPhone 11 Pro cameras", "BMW 3 Series": a name, a number and a capitalised word.
        let named_count = matches!(unit, Unit::Count(_)) && {
            // The capitalised word is a modifier, not the counted plural itself ("301 MPs").
            let (next, _) = self.word_at(self.skip_spaces(numeral.end));
            next.chars().next().is_some_and(|c| c.is_uppercase()) && !next.ends_with('s')
        };
        let version_count = (decimal || named_count) && matches!(unit, Unit::Count(_));
        if (unit == Unit::None || version_count) && !numeral.is_word && !numeral.scaled {
            // "Llama 3.1", "Zuchongzhi 2", "Type 076", "iPhone 11", "Firefox 1.0 users": a name
            // before a bare number (or before a version that a count follows).
            if let Some((word, start)) = before.first() {
                let original = self.written_word(*start);
                let capitalised = original.chars().any(|c| c.is_uppercase());
                let sentence_start = self.text[..*start].trim_end().ends_with(['.', '!', '?', '\n']) || self.text[..*start].trim().is_empty();
                // At a sentence start a capitalised word is a name too ("Claude 3.5 Sonnet",
                // "Grok 3 used ..."), unless it is an ordinary opening word ("Only 5", "About 30").
                let bare = word.trim_end_matches('.');
                let ordinary_opening = NOT_COUNT_NOUNS.contains(&bare)
                    || QUALIFIERS.iter().any(|(q, _)| q.split(' ').next() == Some(bare))
                    || OPENING_WORDS.contains(&bare)
                    || bare.ends_with("ly");
                if capitalised && (!sentence_start || !ordinary_opening) && !MONTHS.contains(&bare) {
                    return None;
                }
            }
            // "787 Dreamliner", "575 Wilbraham Road", "90049 ZIP Code": a bare whole number
            // followed by a name is part of that name or an address.
            let raw = &self.text[numeral.start..numeral.end];
            if raw.bytes().all(|b| b.is_ascii_digit() || b == b'-') && self.char_at(end) == Some(' ') {
                let (next, _) = self.word_at(end + 1);
                let next_lower = next.to_lowercase();
                // "35 M&S goods": a name that narrows a counted noun is no part of the number.
                let token_end = self.text[end + 1..].find(char::is_whitespace).map_or(self.text.len(), |i| end + 1 + i);
                let counted_after = self.char_at(token_end) == Some(' ') && self.starts_noun_phrase_continuation_within(token_end + 1, 2);
                if next.chars().next().is_some_and(|c| c.is_uppercase())
                    && !is_plural(&next_lower)
                    && !MONTHS.contains(&next_lower.as_str())
                    && next != "I"
                    && !counted_after
                {
                    return None;
                }
            }
        }
        let (bound, qualifier_start) = if unit == Unit::Date {
            (Bound::Exact, None)
        } else {
            self.qualifier_before(lead)
        };
        let start = qualifier_start.unwrap_or(lead);
        let mut direction = if unit == Unit::Date { None } else { self.direction_before(start) };
        let money_like = matches!(unit, Unit::Currency(_)) || (unit == Unit::None && numeral.scaled);
        if money_like && matches!(prev, "raised" | "raise" | "raises" | "raising" | "added" | "adds" | "gained" | "gains") {
            // "OpenAI raised $6.6 billion", "it has raised 280 million": money raised or gained
            // is an amount, not a rise.
            direction = None;
        }
        if unit != Unit::Date {
            let after = self.skip_spaces(end);
            let (word, word_end) = self.word_at(after);
            let lower = word.to_lowercase();
            if after > end || word.is_empty() {
                // "shares up for sale" offers them; it is no rise.
                let up_for = lower == "up" && self.text[word_end..].trim_start().starts_with("for ");
                if UP_AFTER.contains(&lower.as_str()) && !up_for && !self.text[word_end..].trim_start().starts_with("than 1") {
                    direction = Some(Direction::Up);
                    end = word_end;
                } else if DOWN_AFTER.contains(&lower.as_str()) {
                    direction = Some(Direction::Down);
                    end = word_end;
                }
            }
        }
        let _ = prev_raw_start;
        Some(Quantity {
            span: Span::new(start, end),
            number_span: Span::new(numeral.start, numeral.end.max(numeral.start)),
            value: numeral.value,
            high,
            unit,
            bound,
            direction,
            vague: numeral.vague,
            assumed_currency,
        })
    }

    /// A rate written after a figure's unit: "$58.24 per barrel", "$1,271.2 an ounce", "63 cents
    /// a share", "$80 per sq m", "11 feet per century", "52,000 barrel-a-day", "3,000 tests a
    /// day". Money per period ("$400K a year") stays money: it is an amount over a span, and
    /// a draft may leave the period out. Returns the unit (`USD-per-barrel`) and where it ends.
    fn rate_after(&self, end: usize, unit: &Unit) -> Option<(String, usize)> {
        let (base, money, count) = match unit {
            Unit::Currency(code) => (code.as_str(), true, false),
            Unit::Measure(m) if matches!(m.as_str(), "cent" | "penny" | "sen") => (m.as_str(), true, false),
            Unit::Measure(m) if m.contains("-per-") || matches!(m.as_str(), "time" | "point" | "percentage-point" | "basis-point") => return None,
            Unit::Measure(m) => (m.as_str(), false, false),
            Unit::Count(noun) => (noun.as_str(), false, true),
            _ => return None,
        };
        let rest = &self.text[end..];
        let (per, rated_at) = if let Some(r) = rest.strip_prefix('/') {
            let _ = r;
            (true, end + 1)
        } else {
            let hyphen = rest.starts_with('-');
            let at = if hyphen { end + 1 } else { self.skip_spaces(end) };
            if at == end {
                return None;
            }
            let (word, word_end) = self.word_at(at);
            let per = match word {
                "per" => true,
                "a" | "an" => false,
                _ => return None,
            };
            let sep = if hyphen { '-' } else { ' ' };
            if self.char_at(word_end) != Some(sep) {
                return None;
            }
            (per, word_end + 1)
        };
        let tail: String = self.text[rated_at..].chars().take(24).collect::<String>().to_ascii_lowercase();
        let boundary = |len: usize| !tail[len..].starts_with(|c: char| c.is_alphanumeric());
        let mut rated: Option<(String, usize)> = MEASURES
            .iter()
            .filter(|(s, _, case_sensitive)| !case_sensitive && s.len() > 2)
            .find(|(s, _, _)| tail.starts_with(s) && boundary(s.len()))
            .map(|(s, u, _)| (u.to_string(), rated_at + s.len()));
        if rated.is_none() {
            let (word, word_end) = self.word_at(rated_at);
            let lower = word.to_lowercase();
            // "per cent" is a percentage and "a lot" an amount; "per annum" is per year.
            let annum = per && lower == "annum";
            let not_a_noun = word.len() < 3
                || !word.chars().all(|c| c.is_lowercase())
                || NOT_COUNT_NOUNS.contains(&lower.as_str())
                || matches!(lower.as_str(), "cent" | "centum" | "lot" | "bit" | "few" | "little")
                || (!per && is_plural(&lower));
            if not_a_noun && !annum {
                return None;
            }
            let rated_noun = if annum { "year".to_string() } else { singular(&lower) };
            rated = Some((rated_noun, word_end));
            // "$15 per million tokens": the scale belongs to the noun rated.
            if SCALE_WORDS.iter().any(|(w, _)| *w == lower) && self.char_at(word_end) == Some(' ') {
                let (noun, noun_end) = self.word_at(word_end + 1);
                let noun_lower = noun.to_lowercase();
                if noun.len() >= 3 && noun.chars().all(|c| c.is_lowercase()) && !NOT_COUNT_NOUNS.contains(&noun_lower.as_str()) {
                    rated = Some((format!("{lower}-{}", singular(&noun_lower)), noun_end));
                }
            }
        }
        let (rated, rated_end) = rated?;
        let period = matches!(rated.as_str(), "year" | "month" | "week" | "day" | "hour" | "minute" | "second" | "quarter" | "decade" | "century");
        if money && period {
            return None;
        }
        // A count or measure per anything but a period or a measure needs "per": "3 goals a
        // game" reads, but "gave 2 kids a ride" and "15 years a number" do not.
        let rated_measure = MEASURES.iter().any(|(_, u, _)| *u == rated);
        if (count || !money) && !per && !period && !rated_measure {
            return None;
        }
        let (next, _) = self.word_at(self.skip_spaces(rated_end));
        if matches!(next, "ago" | "earlier" | "later") {
            return None;
        }
        Some((format!("{base}-per-{rated}"), rated_end))
    }

    /// Where a " to " lies within six words after `end`, with no clause punctuation between
    /// (a decimal point inside a number is fine). Returns the position just before "to".
    fn distant_to(&self, end: usize) -> Option<usize> {
        let mut at = end;
        for _ in 0..7 {
            at = self.skip_spaces(at);
            let (word, word_end) = self.word_at(at);
            if word == "to" {
                return (at > end).then_some(at - 1);
            }
            let token_end = if word.is_empty() {
                // A number or symbol token: "10.45pm", "$75", "U.S.".
                let token: usize = self.text[at..]
                    .char_indices()
                    .find(|(_, c)| c.is_whitespace() || matches!(c, ',' | ';' | ':' | '(' | ')' | '!' | '?' | '"'))
                    .map_or(self.text.len() - at, |(i, _)| i);
                if token == 0 {
                    return None;
                }
                at + token
            } else {
                word_end
            };
            let token = &self.text[at..token_end];
            if token.ends_with('.') && !token.contains(char::is_uppercase) || token.contains([',', ';', ':', '(', ')']) {
                return None;
            }
            // A year in between ("from 20 mpg in 2008 to 29 mpg") frames each end; the ends stay
            // two figures so that the year is kept.
            if token.len() == 4 && token.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            if self.char_at(token_end).is_some_and(|c| !c.is_whitespace() && !c.is_alphanumeric() && c != '.') {
                return None;
            }
            at = token_end;
        }
        None
    }

    /// The figure after a range connector, for ranges that repeat their unit ("5% and 6%",
    /// "$3 billion to $5 billion"). Only a currency symbol may stand between the connector
    /// and the digits.
    fn repeated_unit_figure(&self, end: usize, allow_and: bool) -> Option<Quantity> {
        // One level only: "1%-2%-3%-..." must not recurse down a long chain.
        if self.nested.replace(true) {
            return None;
        }
        let second = self.repeated_unit_figure_inner(end, allow_and);
        self.nested.set(false);
        second
    }

    fn repeated_unit_figure_inner(&self, end: usize, allow_and: bool) -> Option<Quantity> {
        let rest = &self.text[end..];
        let second_at = if rest.starts_with(['-', '–', '—']) {
            end + rest.chars().next().unwrap().len_utf8()
        } else {
            let at = self.skip_spaces(end);
            if at == end {
                return None;
            }
            let (word, word_end) = self.word_at(at);
            let ok = match word.to_lowercase().as_str() {
                "to" => true,
                "and" => allow_and,
                _ => false,
            };
            if !ok || self.char_at(word_end) != Some(' ') {
                return None;
            }
            self.skip_spaces(word_end)
        };
        let digit_at = self.text[second_at..]
            .char_indices()
            .take(5)
            .find(|(_, c)| c.is_ascii_digit())
            .map(|(i, _)| second_at + i)?;
        if !self.text[second_at..digit_at].chars().all(|c| !c.is_whitespace() && !c.is_lowercase()) {
            return None;
        }
        self.digit_quantity(digit_at)
    }

    /// The second number of a range starting after `end`: `-14`, ` to 4,300`, ` and 20`.
    #[allow(clippy::type_complexity)]
    fn range_end(
        &self,
        end: usize,
        allow_and: bool,
        allow_or: bool,
    ) -> Option<(Numeral, Option<&'static str>, Option<(&'static str, bool)>, usize)> {
        let rest = &self.text[end..];
        let (connector_len, spaced) = if rest.starts_with(['-', '–', '—']) {
            (rest.chars().next().unwrap().len_utf8(), false)
        } else {
            let after = self.skip_spaces(end);
            let lower = self.text[after..].chars().take(4).collect::<String>().to_ascii_lowercase();
            if lower.starts_with("to ") {
                (after - end + 3, true)
            } else if allow_and && lower.starts_with("and ") {
                (after - end + 4, true)
            } else if (allow_or && lower.starts_with("or ")) || (self.text[after..].starts_with(['–', '—']) && after > end) {
                // "or " and a spaced dash are both three bytes long.
                (after - end + 3, true)
            } else {
                return None;
            }
        };
        let mut second_at = end + connector_len;
        if spaced {
            second_at = self.skip_spaces(second_at);
        }
        // A currency may repeat: "$10 to $20".
        let mut currency = None;
        for (symbol, code, named) in CURRENCY_PREFIXES {
            if self.text[second_at..].starts_with(symbol) && !symbol.chars().all(|c| c.is_ascii_alphabetic()) {
                currency = Some((*code, *named));
                second_at += symbol.len();
                break;
            }
        }
        if currency.is_none() && spaced && self.char_at(second_at).is_some_and(|c| c.is_alphabetic()) {
            // "three to five", "three or four years".
            let second = self.words(second_at).filter(|n| !n.vague && n.value > 1.0)?;
            return Some((second, None, None, second.end));
        }
        if !self.char_at(second_at).is_some_and(|c| c.is_ascii_digit()) {
            return None;
        }
        let (second, glued) = self.digits(second_at, currency.is_some())?;
        Some((second, glued, currency, second.end))
    }

    /// The unit written after a figure ending at `end`: percent, a measure, a currency word,
    /// or the noun it counts. Returns the unit, where it ends, and whether a currency is assumed.
    fn unit_after(&self, end: usize, numeral: &Numeral) -> Option<(Unit, usize, bool)> {
        let rest = &self.text[end..];
        if let Some(r) = rest.strip_prefix('%') {
            let _ = r;
            return Some((Unit::Percent, end + 1, false));
        }
        // Symbols written after the figure: "1,200€", "25.5″", "150 ₾".
        if rest.starts_with('″') {
            return Some((Unit::Measure("inch".into()), end + '″'.len_utf8(), false));
        }
        let symbol_at = self.skip_spaces(end);
        if symbol_at - end <= 1 {
            for (symbol, code, _) in CURRENCY_PREFIXES {
                let is_sign = symbol.chars().count() == 1 && !symbol.is_ascii();
                let after_symbol = symbol_at + symbol.len();
                if is_sign && self.text[symbol_at..].starts_with(symbol) && !self.char_at(after_symbol).is_some_and(|c| c.is_alphanumeric()) {
                    return Some((Unit::Currency(code.to_string()), after_symbol, false));
                }
            }
        }
        // Hyphenated measures: "12-inch", "65-year-old", "10-fold".
        if let Some(r) = rest.strip_prefix('-') {
            let (word, word_end) = self.word_at(end + 1);
            let lower = word.to_lowercase();
            if let Some((_, unit, _)) = MEASURES.iter().find(|(s, _, _)| *s == lower && !s.contains(' ')) {
                let _ = r;
                return Some((Unit::Measure(unit.to_string()), word_end, false));
            }
            return None;
        }
        let at = self.skip_spaces(end);
        if at == end && !rest.is_empty() && !rest.starts_with(['°']) {
            return None;
        }
        let tail = &self.text[at..];
        let lower: String = tail.chars().take(40).collect::<String>().to_ascii_lowercase();
        let boundary = |len: usize| !lower[len..].starts_with(|c: char| c.is_alphanumeric());
        for word in ["percentage points", "percentage point"] {
            if lower.starts_with(word) && boundary(word.len()) {
                return Some((Unit::PercentagePoint, at + word.len(), false));
            }
        }
        for word in ["percent", "per cent", "pct", "pc"] {
            if lower.starts_with(word) && boundary(word.len()) {
                return Some((Unit::Percent, at + word.len(), false));
            }
        }
        for (surface, code, named) in CURRENCY_SUFFIXES {
            if lower.starts_with(surface) && boundary(surface.len()) {
                return Some((Unit::Currency(code.to_string()), at + surface.len(), !named));
            }
        }
        // "5 trillion won": after a scale, "won" is Korea's currency, not a verb.
        if numeral.scaled && lower.starts_with("won") && boundary(3) {
            return Some((Unit::Currency("KRW".into()), at + 3, false));
        }
        if lower.starts_with("pounds") && boundary(6) {
            // Money in pounds is written "£5" or "5 million pounds"; a plain "208 pounds" or
            // "700 pounds of" is a weight.
            let is_mass = lower[6..].trim_start().starts_with("of ") || !numeral.scaled;
            let unit = if is_mass { Unit::Measure("pound".into()) } else { Unit::Currency("GBP".into()) };
            return Some((unit, at + 6, false));
        }
        for (surface, unit, case_sensitive) in MEASURES {
            let matches = if *case_sensitive { tail.starts_with(surface) } else { lower.starts_with(surface) };
            if matches && boundary(surface.len()) {
                if *unit == "second" && !numeral.is_word && lower.starts_with("second ") {
                    // "2 second-tier" is rare; "30 seconds" is plural. Singular "second" after a
                    // number other than one is an ordinal use ("the 2 second ...").
                    if numeral.value != 1.0 {
                        continue;
                    }
                }
                return Some((Unit::Measure(unit.to_string()), at + surface.len(), false));
            }
        }
        // "thousands of tests", "tens of millions of dollars": an order of magnitude names its
        // unit after "of".
        if numeral.vague && lower.starts_with("of ") {
            let inner = Numeral { vague: false, ..*numeral };
            return self.unit_after(at + 2, &inner);
        }
        self.count_noun(at, numeral).map(|(unit, noun_end)| (unit, noun_end, false))
    }

    /// The singular noun a bare number counts: "13 countries", "100 humanoid robot companies"
    /// (`company`), "seven European countries". A measure behind modifiers ("517 rushing
    /// yards") is that measure.
    fn count_noun(&self, at: usize, numeral: &Numeral) -> Option<(Unit, usize)> {
        let mut cursor = at;
        let mut any_lowercase = false;
        let mut first_adjective = false;
        let mut previous_capitalised = false;
        for i in 0..5 {
            let (word, word_end) = self.compound_word_at(cursor);
            // A model name between the number and the noun: "100,000 Nvidia H100 GPUs".
            let model_end = self.text[cursor..].find(|c: char| !c.is_alphanumeric()).map_or(self.text.len(), |i| cursor + i);
            let model = &self.text[cursor..model_end];
            if i < 3 && model.len() > word.len() && model.starts_with(|c: char| c.is_ascii_uppercase()) && model.contains(|c: char| c.is_ascii_digit()) {
                if self.char_at(model_end) != Some(' ') {
                    break;
                }
                cursor = model_end + 1;
                continue;
            }
            if word.chars().count() < 2 {
                break;
            }
            let lower = word.to_lowercase();
            let capitalised = word.chars().next().is_some_and(|c| c.is_uppercase());
            let all_caps = word.chars().all(|c| !c.is_lowercase());
            // "700 million weekly users": a frequency adjective may narrow the noun counted.
            let frequency = matches!(lower.as_str(), "daily" | "weekly" | "monthly" | "quarterly" | "yearly" | "hourly" | "nightly")
                && self.char_at(word_end) == Some(' ')
                && self.starts_noun_phrase_continuation_within(word_end + 1, 2);
            // "dozens of Kia and Hyundai vehicles": names joined by "and" or "or".
            if i > 0 && previous_capitalised && matches!(lower.as_str(), "and" | "or") && self.char_at(word_end) == Some(' ') {
                let (next, _) = self.word_at(word_end + 1);
                if next.chars().next().is_some_and(|c| c.is_uppercase()) {
                    cursor = word_end + 1;
                    continue;
                }
            }
            let verb_or_preposition = NOT_NOUNS_AFTER_ONE.contains(&lower.as_str()) && !ADJECTIVES_AFTER_ONE.contains(&lower.as_str());
            // A capitalised word is a name even when its lower case is a function word
            // ("300 US shareholders", "49 Next stores").
            let function_word = !capitalised
                && (NOT_COUNT_NOUNS.contains(&lower.as_str()) || VERBS_NOT_NOUNS.contains(&lower.as_str()) || verb_or_preposition || lower.ends_with("ly"));
            if !frequency && function_word {
                break;
            }
            if UNITS_WORDS.iter().any(|(w, _)| *w == lower) || TENS_WORDS.iter().any(|(w, _)| *w == lower) || MONTHS.contains(&lower.as_str()) {
                break;
            }
            // "301 MPs", "5 SUVs": an acronym made plural.
            let acronym = word.strip_suffix('s').filter(|a| a.len() >= 2 && a.chars().all(|c| c.is_ascii_uppercase()));
            if let Some(acronym) = acronym {
                return Some((Unit::Count(acronym.to_lowercase()), word_end));
            }
            if is_plural(&lower) && !all_caps {
                // A capitalised plural right after the number counts people or prizes
                // ("1,307,000 Americans", "2 Oscars"); after a capitalised modifier it is part
                // of a name ("11 Pro Max") unless the phrase has a common word ("eight straight
                // World Cups"). Names before the number ("BMW 3 Series") are caught in `finish`.
                let people_or_prizes = ["ans", "ats", "ars", "ists", "ics", "ims", "ites"].iter().any(|e| lower.ends_with(e));
                let name_in_s = capitalised && !(any_lowercase || (i == 0 && people_or_prizes));
                if name_in_s && i > 0 {
                    break;
                }
                if name_in_s {
                    // "two Texas refineries", "3 Reuters reporters": a name ending in "s"
                    // narrows the noun that follows.
                    if self.char_at(word_end) != Some(' ') {
                        break;
                    }
                    cursor = word_end + 1;
                    continue;
                }
                if let Some((_, unit, _)) = MEASURES.iter().find(|(s, _, _)| *s == lower) {
                    // "2005 model years": a year before a noun phrase stays a year (the caller
                    // turns a counted noun after a year into a date).
                    if !(i > 0 && numeral.year_like) {
                        return Some((Unit::Measure(unit.to_string()), word_end));
                    }
                }
                return Some((Unit::Count(singular(&lower)), word_end));
            }
            // At the second word only after an adjective: "one glorious swoop", not "Pier 1
            // Imports saw".
            let after_adjective = i == 1 && first_adjective;
            if numeral.value == 1.0 && !capitalised && (i == 0 || after_adjective) && could_be_singular_noun(&lower) {
                // "one solution", "1 count": the singular noun itself; in "one glorious moment"
                // the noun is the next word.
                let next_is_space = self.char_at(word_end) == Some(' ');
                let continues = next_is_space
                    && (self.starts_noun_phrase_continuation(word_end + 1) || (i == 0 && self.singular_noun_follows(word_end + 1)));
                if !continues {
                    return Some((Unit::Count(singular(&lower)), word_end));
                }
            }
            if i == 0 {
                first_adjective = !capitalised && is_adjective_after_one(&lower);
            }
            previous_capitalised = capitalised;
            any_lowercase |= !capitalised;
            // Only a space may join the words of a noun phrase.
            if self.char_at(word_end) != Some(' ') {
                break;
            }
            cursor = word_end + 1;
        }
        None
    }

    /// Whether a lowercase plural noun starts one of the next `n` words from `at`
    /// ("active users").
    fn starts_noun_phrase_continuation_within(&self, mut at: usize, n: usize) -> bool {
        for _ in 0..n {
            if self.starts_noun_phrase_continuation(at) {
                return true;
            }
            let (word, end) = self.compound_word_at(at);
            if word.is_empty() || !word.chars().all(|c| c.is_lowercase() || c == '-') || self.char_at(end) != Some(' ') {
                return false;
            }
            at = end + 1;
        }
        false
    }

    /// Whether the word at `at` would continue a noun phrase (a lowercase plural or noun).
    fn starts_noun_phrase_continuation(&self, at: usize) -> bool {
        let (word, _) = self.compound_word_at(at);
        let lower = word.to_lowercase();
        word.chars().next().is_some_and(|c| c.is_lowercase())
            && is_plural(&lower)
            && !NOT_COUNT_NOUNS.contains(&lower.as_str())
            && !VERBS_NOT_NOUNS.contains(&lower.as_str())
    }

    /// Whether a lowercase content word that could be a singular noun starts at `at`.
    fn singular_noun_follows(&self, at: usize) -> bool {
        let (word, _) = self.word_at(at);
        let lower = word.to_lowercase();
        word.len() >= 3
            && word.chars().all(|c| c.is_lowercase())
            && could_be_singular_noun(&lower)
            && !lower.ends_with('s')
            && !lower.ends_with("ly")
            && !lower.ends_with("ed")
            && !lower.ends_with("ing")
            && !NOT_COUNT_NOUNS.contains(&lower.as_str())
            && !VERBS_NOT_NOUNS.contains(&lower.as_str())
            && !MEASURES.iter().any(|(s, _, _)| *s == lower)
    }

    /// A word at `at` with inner hyphens ("first-team"), and its end.
    fn compound_word_at(&self, at: usize) -> (&'t str, usize) {
        let (_, mut end) = self.word_at(at);
        if end == at {
            return ("", at);
        }
        while self.text[end..].starts_with('-') {
            let (next, next_end) = self.word_at(end + 1);
            if next.is_empty() {
                break;
            }
            end = next_end;
        }
        (&self.text[at..end], end)
    }

    /// The unit of a figure that follows after "to" or "and" (for "from 1.2 to 30 percent").
    fn unit_of_following_figure(&self, end: usize) -> Option<Unit> {
        let at = self.skip_spaces(end);
        let lower = self.text[at..].chars().take(4).collect::<String>().to_ascii_lowercase();
        if !(lower.starts_with("to ") || lower.starts_with("and ")) {
            return None;
        }
        let next = self.skip_spaces(at + if lower.starts_with("to ") { 3 } else { 4 });
        if !self.char_at(next).is_some_and(|c| c.is_ascii_digit()) {
            return None;
        }
        let (numeral, glued) = self.digits(next, false)?;
        if let Some(g) = glued {
            return Some(if g == "percent" { Unit::Percent } else { Unit::Measure(g.into()) });
        }
        match self.unit_after(numeral.end, &numeral)? {
            (u @ (Unit::Percent | Unit::PercentagePoint | Unit::Measure(_)), _, _) => Some(u),
            _ => None,
        }
    }

    /// A qualifier phrase right before `at`: its bound and where it starts.
    fn qualifier_before(&self, at: usize) -> (Bound, Option<usize>) {
        let line_start = self.line_start(at);
        let window_start = floor_boundary(self.text, at.saturating_sub(40).max(line_start));
        let before = &self.text[window_start..at];
        let trimmed = before.trim_end();
        let lower = trimmed.to_lowercase();
        if lower.len() != trimmed.len() {
            return (Bound::Exact, None);
        }
        let mut best: Option<(&str, &str)> = None;
        for (phrase, bound) in QUALIFIERS {
            if lower.ends_with(phrase) && best.is_none_or(|(b, _)| phrase.len() > b.len()) {
                best = Some((phrase, bound));
            }
        }
        if let Some((phrase, bound)) = best {
            {
                let start = trimmed.len() - phrase.len();
                let boundary_ok = start == 0 || !lower[..start].ends_with(|c: char| c.is_alphanumeric());
                if boundary_ok || phrase == "~" {
                    return (Bound::from_name(bound), Some(window_start + start));
                }
            }
        }
        (Bound::Exact, None)
    }

    /// A direction verb right before `at`, optionally with "by": "rose 5%", "fell by nearly 10%".
    fn direction_before(&self, at: usize) -> Option<Direction> {
        let words = self.words_before(at, 2);
        let mut iter = words.iter().map(|(w, _)| w.as_str());
        let word = iter.next()?;
        if word == "by" {
            // "grow sales by 35 per cent", "revised upward by Y=40 billion": the verb may sit
            // a few words before "by".
            let more = self.words_before(at, 5);
            for (w, _) in more.iter().skip(1) {
                let w = w.as_str();
                if matches!(w, "up" | "down") {
                    continue;
                }
                if UP_VERBS.contains(&w) {
                    return Some(Direction::Up);
                }
                if DOWN_VERBS.contains(&w) {
                    return Some(Direction::Down);
                }
            }
            return None;
        }
        // "make up 40 percent" is composition and "gave up 517 yards" concession, not a rise.
        if word == "up" && iter.next().is_some_and(|w| matches!(w, "make" | "makes" | "made" | "making" | "take" | "takes" | "took" | "end" | "ends" | "ended" | "add" | "adds" | "sum" | "sums" | "set" | "sets" | "open" | "opens" | "pick" | "picks" | "draw" | "draws" | "drew" | "give" | "gives" | "gave" | "given" | "giving")) {
            return None;
        }
        if UP_VERBS.contains(&word) {
            Some(Direction::Up)
        } else if DOWN_VERBS.contains(&word) {
            Some(Direction::Down)
        } else {
            None
        }
    }
}

/// Whether the connector after `end` has spaces ("3 to 4") rather than a bare hyphen ("2-1").
fn spaced_connector(text: &str, end: usize) -> bool {
    !text[end..].starts_with(['-', '–', '—'])
}

fn floor_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// The unscaled value of a numeral (its digits), for spreading a range's scale to its start.
fn second_value_unscaled(numeral: &Numeral, text: &str) -> f64 {
    number_regex()
        .find_at(text, numeral.start)
        .and_then(|m| m.as_str().replace(',', "").parse::<f64>().ok())
        .filter(|v| *v > 0.0)
        .unwrap_or(numeral.value)
}

fn glued_measure(suffix: &str) -> Option<&'static str> {
    let lower = suffix.to_lowercase();
    match lower.as_str() {
        "x" => return Some("time"),
        "p" => return Some("penny"),
        "m2" | "m²" => return Some("square-metre"),
        "km2" | "km²" => return Some("square-kilometre"),
        _ => {}
    }
    MEASURES
        .iter()
        .find(|(s, _, case_sensitive)| {
            !s.contains(' ') && s.len() <= 4 && if *case_sensitive { *s == suffix } else { *s == lower }
        })
        .map(|(_, unit, _)| *unit)
}

/// Whether a lowercase word after "one" may be the noun it counts: not a participle, an
/// adjective by its ending ("glorious", "able") or a common adjective, preposition or verb.
fn could_be_singular_noun(word: &str) -> bool {
    const ENDINGS: &[&str] = &["ed", "ing", "self", "ous", "ful", "less", "able", "ible", "est", "ish"];
    !ENDINGS.iter().any(|e| word.ends_with(e)) && !NOT_NOUNS_AFTER_ONE.contains(&word) && !ADJECTIVES_AFTER_ONE.contains(&word)
}

/// Whether a word after "one" reads as an adjective, so the noun may come next.
fn is_adjective_after_one(word: &str) -> bool {
    const ENDINGS: &[&str] = &["ous", "ful", "less", "able", "ible", "est", "ish"];
    ADJECTIVES_AFTER_ONE.contains(&word) || (ENDINGS.iter().any(|e| word.ends_with(e)) && !NOT_NOUNS_AFTER_ONE.contains(&word))
}

fn is_plural(word: &str) -> bool {
    matches!(word, "people" | "men" | "women" | "children" | "staff" | "personnel" | "police" | "cattle" | "data")
        || (word.len() > 3 && word.ends_with('s') && !word.ends_with("ss") && !word.ends_with("us") && !word.ends_with("is"))
}

fn singular(word: &str) -> String {
    match word {
        "people" => "person".into(),
        "men" => "man".into(),
        "women" => "woman".into(),
        "children" => "child".into(),
        "species" | "series" | "means" | "news" | "headquarters" | "data" | "staff" | "personnel" | "police" | "cattle" => word.into(),
        "potatoes" | "tomatoes" | "heroes" | "echoes" | "vetoes" | "torpedoes" => word[..word.len() - 2].to_string(),
        "lives" => "life".into(),
        "wives" => "wife".into(),
        "knives" => "knife".into(),
        "halves" => "half".into(),
        "shelves" => "shelf".into(),
        "thieves" => "thief".into(),
        "wolves" => "wolf".into(),
        _ if word.ends_with("uses") => word[..word.len() - 2].to_string(),
        _ => crate::words::stem(word),
    }
}

#[cfg(test)]
mod tests;
