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
//!
//! This file holds the types, the entry point and the parser's reading of the text around a
//! position; the parser's methods are split by concern: `numbers` reads numerals, `units`
//! what they measure, `bounds` their ranges, qualifiers and directions; [`lexicon`] holds the
//! word lists.

mod bounds;
pub mod conversions;
pub mod lexicon;
mod numbers;
mod units;

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
    /// What a count counts, as written after its number: the counted noun (singular) with the
    /// words that narrow it ("seven European countries" -> "european country", "14 first-team
    /// players" -> "first-team player"). `None` when the figure is not a count.
    pub fn counted(&self, text: &str) -> Option<String> {
        let Unit::Count(noun) = &self.unit else { return None };
        let after = text.get(self.number_span.end.min(self.span.end)..self.span.end).unwrap_or("");
        let mut words: Vec<String> = after.split_whitespace().map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase()).filter(|w| !w.is_empty()).collect();
        words.pop();
        // "dozens of Kia and Hyundai vehicles": the words joining a phrase are not its unit.
        words.retain(|w| !matches!(w.as_str(), "of" | "and" | "or" | "the" | "a" | "an"));
        words.push(noun.clone());
        Some(words.join(" "))
    }

    /// A range's two ends as written in `text` ("$1.5 billion" and "$1.6 billion" in "$1.5
    /// billion to $1.6 billion", "4" and "7%" in "4-7%"), each with the currency sign or scale
    /// word that stands beside its number; `None` for a single figure or a range written in words.
    pub fn range_ends(&self, text: &str) -> Option<(Span, Span)> {
        self.high?;
        let whole = text.get(self.span.start..self.span.end)?;
        let numbers: Vec<regex::Match> = number_regex().find_iter(whole).collect();
        let (first, last) = (numbers.first()?, numbers.last()?);
        if first.start() == last.start() {
            return None;
        }
        let between = &whole[first.end()..last.start()];
        let joint = range_joint_regex().find(between)?;
        // The low end starts at the token holding its number ("US$1.5"), not at "between".
        let token_start = whole[..first.start()].rfind(char::is_whitespace).map_or(0, |i| i + 1);
        let low = Span::new(self.span.start + token_start, self.span.start + first.end() + joint.start());
        let high = Span::new(self.span.start + first.end() + joint.end(), self.span.end);
        (!low.is_empty() && !high.is_empty()).then_some((low, high))
    }

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

/// What joins a range's two ends, with the spaces around it.
fn range_joint_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"(?i)\s*(?:[-‐‑–—]|(?-u:\b)to(?-u:\b)|(?-u:\b)and(?-u:\b)|(?-u:\b)through(?-u:\b)|(?-u:\b)or(?-u:\b))\s*").unwrap())
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
        Regex::new(r"(?i)(?-u:\b)(?:https?://|www\.)\S+|(?-u:\b)[\w.+-]+@[\w-]+\.[\w.]+|(?-u:\b)[\w-]+\.(?:com|org|net|io|ai|gov|edu|co)(?:/\S*)?(?-u:\b)").unwrap()
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
            mark_age(masked, &mut q);
            mark_appositive_age(masked, &mut q);
            if let Some(prev) = out.last() {
                inherited = converted_figure(masked, prev, &mut q, inherited);
                unit_from_start_of_change(masked, prev, &mut q);
                direction_of_gapped_clause(masked, prev, &mut q);
            }
            if let Some(prev) = out.last_mut() {
                unit_from_whole(masked, prev, &q);
            }
            out.push(q);
        }
    }
    out
}

/// "a 50-year-old man", "2,900 years old": years of age, not a span of time.
fn mark_age(text: &str, q: &mut Quantity) {
    let years = matches!(&q.unit, Unit::Measure(m) | Unit::Count(m) if m == "year");
    if !years {
        return;
    }
    let rest = text.get(q.span.end..).unwrap_or("");
    let rest = rest.strip_prefix('s').unwrap_or(rest);
    let old = rest.strip_prefix('-').or_else(|| rest.strip_prefix(' ')).and_then(|r| r.strip_prefix("old"));
    if old.is_some_and(|r| !r.starts_with(|c: char| c.is_alphanumeric())) {
        q.unit = Unit::Measure("year-of-age".into());
    }
}

/// "Maddon, 66, has used the downtime": a bare whole number set off by commas right after a
/// name is that person's age. A list ("Texas, 12, Ohio, 9") goes on with another name.
fn mark_appositive_age(text: &str, q: &mut Quantity) {
    if q.unit != Unit::None || q.high.is_some() || q.bound != Bound::Exact || q.direction.is_some() || q.span != q.number_span {
        return;
    }
    let digits = q.number_span.slice(text);
    if digits.is_empty() || digits.len() > 3 || !digits.bytes().all(|b| b.is_ascii_digit()) || !(1.0..=120.0).contains(&q.value) {
        return;
    }
    let Some(before) = text[..q.number_span.start].strip_suffix(", ") else { return };
    let name = before.rsplit(|c: char| !c.is_alphabetic()).next().unwrap_or("");
    let capitalised = name.chars().next().is_some_and(|c| c.is_uppercase()) && name.chars().skip(1).all(|c| c.is_lowercase());
    let lower = name.to_lowercase();
    if name.len() < 2 || !capitalised || MONTHS.contains(&lower.as_str()) || WEEKDAYS.contains(&lower.as_str()) || OPENING_WORDS.contains(&lower.as_str()) || lower.ends_with("ly") {
        return;
    }
    let Some(after) = text[q.number_span.end..].strip_prefix(", ") else { return };
    if !after.starts_with(|c: char| c.is_lowercase()) {
        return;
    }
    q.unit = Unit::Measure("year-of-age".into());
}

/// "dropping from 208 pounds to 193", "from 21 mpg combined to 23": the figure a change ends
/// at may leave out the unit of the figure it starts from.
fn unit_from_start_of_change(text: &str, prev: &Quantity, q: &mut Quantity) {
    if q.unit != Unit::None || q.vague || q.high.is_some() || prev.span.end > q.span.start || matches!(prev.unit, Unit::None | Unit::Date | Unit::Fraction) {
        return;
    }
    let before = text[..prev.span.start].trim_end();
    let from = before.strip_suffix("from").is_some_and(|b| !b.ends_with(|c: char| c.is_alphanumeric()));
    let gap: Vec<&str> = text[prev.span.end..q.span.start].split_whitespace().collect();
    let to = match gap.as_slice() {
        ["to"] => true,
        // One plain word may qualify the first figure: "21 mpg combined to 23".
        [word, "to"] => word.chars().all(|c| c.is_lowercase()),
        _ => false,
    };
    if from && to {
        q.unit = prev.unit.clone();
    }
}

/// "Shares of Ross were down 2.3%, Burlington by 2.6%": a clause that leaves out its verb
/// keeps the direction of the figure before it. Only names may stand between.
fn direction_of_gapped_clause(text: &str, prev: &Quantity, q: &mut Quantity) {
    if q.direction.is_some() || prev.direction.is_none() || prev.unit != q.unit || prev.span.end > q.span.start {
        return;
    }
    let Some(gap) = text[prev.span.end..q.span.start].strip_prefix(", ").and_then(|g| g.strip_suffix(" by ")) else { return };
    let words: Vec<&str> = gap.split(' ').collect();
    let names = words.len() <= 4
        && words.iter().all(|w| *w == "the" || w.chars().next().is_some_and(|c| c.is_uppercase()) && w.chars().all(|c| c.is_alphanumeric() || matches!(c, '&' | '-' | '\'' | '’' | '.')));
    if names {
        q.direction = prev.direction;
    }
}

/// "280 million of the 1.5 billion shekels", "3 of the 10 members": a part of a whole stated
/// with a unit is in that unit.
fn unit_from_whole(text: &str, part: &mut Quantity, whole: &Quantity) {
    if part.unit != Unit::None || part.vague || part.high.is_some() || part.span.end > whole.span.start || part.value > whole.value {
        return;
    }
    if !matches!(whole.unit, Unit::Currency(_) | Unit::Measure(_) | Unit::Count(_)) {
        return;
    }
    if matches!(&text[part.span.end..whole.span.start], " of the " | " of its " | " of their ") {
        part.unit = whole.unit.clone();
    }
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
        || man_compound_plural(word)
}

/// "fishermen", "congresswomen", "gunmen": the plural of a compound in -man or -woman. Nouns
/// that merely end in "men" ("specimen", "abdomen", "regimen") are singular.
fn man_compound_plural(word: &str) -> bool {
    const NOT_COMPOUNDS: &[&str] = &[
        "specimen", "abdomen", "regimen", "acumen", "stamen", "bitumen", "cyclamen", "albumen", "foramen",
        "gravamen", "dolmen", "cerumen", "semen", "hymen", "yemen", "lumen", "rumen", "numen", "germen",
    ];
    word.len() > 5 && word.ends_with("men") && word.chars().all(|c| c.is_ascii_lowercase()) && !NOT_COMPOUNDS.contains(&word)
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
        _ if man_compound_plural(word) => format!("{}man", &word[..word.len() - 3]),
        _ => crate::words::stem(word),
    }
}

#[cfg(test)]
mod tests;
