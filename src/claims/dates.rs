//! Dates in context: a document's own date (its front matter `date`, or a dateline or date
//! line near its top), and the relative times its sentences use ("last year", "late last
//! year", "this month", "in August", "on Sunday") resolved against that date into absolute
//! ones ("2024", "late 2024", "December 2025", "August 2025", "Nov. 30, 2025").
//!
//! A relative time means something only beside the date it was written on: "late last year"
//! in an article of December 2025 is late 2024, and a draft that writes "late 2025" for it, or
//! keeps "late last year" while itself dated 2026, tells another time. Pure: text in, dates
//! out; nothing here knows the corpus or the check.

use std::sync::OnceLock;

use regex::Regex;

use super::frame::Period;
use crate::position::Span;

/// A calendar day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day {
    pub year: i32,
    /// 1 to 12.
    pub month: u8,
    /// 1 to 31.
    pub day: u8,
}

const MONTHS: [&str; 12] = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
/// How a day is written in output, news style ("Nov. 30, 2025"): short months keep their name.
const AP_MONTHS: [&str; 12] = ["Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec."];
const WEEKDAYS: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

impl Day {
    /// The day, if it exists in the calendar (years 1900 to 2199: a news date).
    pub fn new(year: i32, month: u8, day: u8) -> Option<Day> {
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
        ((1900..2200).contains(&year) && (1..=12).contains(&month) && day >= 1 && day <= days[usize::from(month) - 1]).then_some(Day { year, month, day })
    }

    /// A date written on its own, as front matter or an option gives it: `2025-12-02` (a time
    /// may follow), `2025/12/02`, `Dec. 2, 2025`, `December 2, 2025`, `2 December 2025`,
    /// `Tuesday, December 2, 2025`. Anything else, or a date that does not exist, is `None`.
    pub fn parse(text: &str) -> Option<Day> {
        let text = text.trim();
        let m = written_date_regex().find(text).filter(|m| m.start() == 0)?;
        let rest = &text[m.end()..];
        // A time or time zone may follow; words may not ("2025-12-02 draft" is no date).
        if !rest.trim().is_empty() && !m.as_str().ends_with('T') && !starts_with_time(rest) {
            return None;
        }
        date_at(text, m.start())
    }

    /// The day `days` after (or before, when negative) this one.
    pub fn plus_days(self, days: i64) -> Day {
        Day::from_epoch_days(self.epoch_days() + days)
    }

    /// Days since 1970-01-01 (H. Hinnant's civil-date algorithm).
    pub fn epoch_days(self) -> i64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The day `days` after 1970-01-01.
    pub fn from_epoch_days(days: i64) -> Day {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Day { year, month, day }
    }

    /// 0 for Monday to 6 for Sunday.
    pub fn weekday(self) -> u8 {
        // 1970-01-01 was a Thursday.
        (self.epoch_days() + 3).rem_euclid(7) as u8
    }

    /// The day as news prose writes it: `Nov. 30, 2025`.
    pub fn written(self) -> String {
        format!("{} {}, {}", AP_MONTHS[usize::from(self.month) - 1], self.day, self.year)
    }
}

impl std::fmt::Display for Day {
    /// ISO 8601: `2025-12-02`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// A written date anywhere: month first (`Dec. 2, 2025`, `December 2nd, 2025`, a weekday
/// before it), day first (`2 December 2025`), or ISO (`2025-12-02`, `2025/12/02`).
fn written_date_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?x)
            (?:(?-u:\b)(?i:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thurs|fri|sat|sun)\.?,?\s+)?
            (?-u:\b)(?P<m1>(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*)\.?\s+(?P<d1>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y1>(?:19|20|21)\d{2})(?-u:\b)
          | (?-u:\b)(?P<d2>\d{1,2})(?:st|nd|rd|th)?\s+(?P<m2>(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*)\.?,?\s+(?P<y2>(?:19|20|21)\d{2})(?-u:\b)
          | (?-u:\b)(?P<y3>(?:19|20|21)\d{2})[-/](?P<m3>\d{1,2})[-/](?P<d3>\d{1,2})(?:T|(?-u:\b))",
        )
        .unwrap()
    })
}

/// The month a name or abbreviation stands for: the full name, or its first three letters
/// (`Sept` too). "Marketing" is no month.
fn month_named(word: &str) -> Option<u8> {
    let lower = word.trim_end_matches('.').to_ascii_lowercase();
    MONTHS.iter().position(|m| {
        let m = m.to_ascii_lowercase();
        lower == m || (lower.len() == 3 && m.starts_with(&lower)) || (lower == "sept" && m == "september")
    })
    .map(|i| i as u8 + 1)
}

/// The date [`written_date_regex`] finds at `at` in `text`, if it is a real day.
fn date_at(text: &str, at: usize) -> Option<Day> {
    let c = written_date_regex().captures_at(text, at)?;
    let num = |name: &str| c.name(name).and_then(|m| m.as_str().parse::<i64>().ok());
    let (year, month, day) = if let Some(y) = num("y1") {
        (y, i64::from(month_named(c.name("m1")?.as_str())?), num("d1")?)
    } else if let Some(y) = num("y2") {
        (y, i64::from(month_named(c.name("m2")?.as_str())?), num("d2")?)
    } else {
        (num("y3")?, num("m3")?, num("d3")?)
    };
    Day::new(i32::try_from(year).ok()?, u8::try_from(month).ok()?, u8::try_from(day).ok()?)
}

/// How far into a document its dateline may stand: the headline, byline and first lines.
const HEAD_BYTES: usize = 2000;
const HEAD_LINES: usize = 12;

/// The date a document's own text gives near its top, when it gives one plainly:
///
/// - a date line: a line that holds a date and nothing else but a label (`Published:`,
///   `Updated`), a weekday, a time of day or a short byline (`By Jane Doe | Dec. 2, 2025`);
/// - a timestamp: a date followed by a time of day (`Dec. 2, 2025, 1:58 p.m. ET`);
/// - a wire dateline: a place in capitals, then the date (`WASHINGTON, Dec. 2, 2025 —`).
///
/// A date in a sentence of the story ("the deal closed on Dec. 2, 2025") dates a fact, not
/// the article: it is none of these, and the document stays undated.
pub fn dateline(text: &str) -> Option<Day> {
    let mut end = text.len().min(HEAD_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let head = &text[..end];
    for line in head.split_inclusive('\n').take(HEAD_LINES) {
        for m in written_date_regex().find_iter(line) {
            let Some(day) = date_at(line, m.start()) else { continue };
            let (before, after) = (&line[..m.start()], &line[m.end()..]);
            if is_label(before) && is_time_or_nothing(after) || starts_with_time(after) || is_wire_place(before) && starts_with_dash(after) {
                return Some(day);
            }
        }
    }
    None
}

/// Whether the words before a date on its line are only a label, a weekday or a short byline.
fn is_label(before: &str) -> bool {
    let words: Vec<String> = before
        .split(|c: char| c.is_whitespace() || matches!(c, '|' | ':' | '•' | '·' | '—' | '–' | '-' | ',' | '/' | '#' | '*' | '_'))
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    const LABELS: &[&str] = &["published", "updated", "posted", "date", "dated", "on", "last", "modified", "first", "originally"];
    if words.first().is_some_and(|w| w == "by") {
        // "By Jane Doe |": a name of a few words.
        return words.len() <= 5;
    }
    words.iter().all(|w| LABELS.contains(&w.as_str()) || WEEKDAYS.iter().any(|d| d.eq_ignore_ascii_case(w)))
}

fn time_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"^[\s,]*(?:at\s+)?\d{1,2}[:.]\d{2}(?::\d{2})?\s*(?i:[ap]\.?m\.?)?(?:\s*\(?[A-Z]{2,5}\)?)?").unwrap())
}

/// Whether a date is followed at once by a time of day (`, 1:58 p.m. ET`).
fn starts_with_time(after: &str) -> bool {
    time_regex().is_match(after)
}

/// Whether what follows a date on its line is nothing, or a time of day and nothing more.
fn is_time_or_nothing(after: &str) -> bool {
    let rest = time_regex().find(after).map_or(after, |m| &after[m.end()..]);
    rest.trim_matches(|c: char| c.is_whitespace() || matches!(c, '|' | '*' | '_' | '.' | ')' | '(')).is_empty()
}

/// Whether the words before a date are a wire dateline's place: capitals, then a comma
/// (`WASHINGTON,` `SAN FRANCISCO (Reuters),`).
fn is_wire_place(before: &str) -> bool {
    let place = before.trim_end();
    let Some(place) = place.strip_suffix(',') else { return false };
    let letters: Vec<char> = place.chars().filter(|c| c.is_alphabetic()).collect();
    let place_only = place.split('(').next().unwrap_or("");
    letters.len() >= 3 && place_only.chars().filter(|c| c.is_alphabetic()).all(char::is_uppercase) && place_only.chars().all(|c| c.is_alphabetic() || matches!(c, ' ' | '.' | '\'' | '-'))
}

fn starts_with_dash(after: &str) -> bool {
    let after = after.trim_start_matches([' ', ',']);
    after.starts_with(['—', '–', '-', ':', '('])
}

/// Part of a year a relative time names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Part {
    Early,
    Mid,
    Late,
}

/// A relative time as written, before it is resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Relation {
    /// "last year" (-1), "this year" (0), "next year" (1); "late last year" with its part.
    Year { offset: i8, part: Option<Part> },
    /// "last month", "this month", "next month".
    Month { offset: i8 },
    /// "last week", "this week", "next week".
    Week { offset: i8 },
    /// "yesterday" (-1).
    Day { offset: i8 },
    /// "in August": a month without its year (1 to 12).
    NamedMonth(u8),
    /// "on Sunday": a weekday without its date (0 for Monday).
    Weekday(u8),
}

/// A relative time in a sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Relative {
    /// Where it is written, with its preposition ("in August", "on Sunday", "late last year").
    pub span: Span,
    pub relation: Relation,
    /// The sentence speaks of what is to come ("will ship in March"): a bare month or weekday
    /// is the next one, not the last.
    pub future: bool,
    /// It dates what a change is measured against ("up from $1.9 million last year"), not
    /// the fact the sentence tells.
    pub base: bool,
}

/// What a relative time means once resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum When {
    Year(i32),
    PartOfYear(Part, i32),
    Month(i32, u8),
    /// The week starting on this Monday.
    Week(Day),
    Day(Day),
}

impl When {
    /// How the time is written: `2024`, `late 2024`, `August 2025`, `the week of Nov. 24, 2025`,
    /// `Nov. 30, 2025`.
    pub fn label(self) -> String {
        match self {
            When::Year(y) => y.to_string(),
            When::PartOfYear(part, y) => format!("{} {y}", part_word(part)),
            When::Month(y, m) => format!("{} {y}", MONTHS[usize::from(m) - 1]),
            When::Week(monday) => format!("the week of {}", monday.written()),
            When::Day(day) => day.written(),
        }
    }

    /// The periods it falls in, as [`super::frame::periods`] names them for absolute times: its
    /// year, and its month when it is a month or a day.
    pub fn periods(self) -> Vec<Period> {
        match self {
            When::Year(y) | When::PartOfYear(_, y) => vec![Period::Year(y)],
            When::Month(y, m) => vec![Period::Year(y), Period::Month(m)],
            When::Day(d) => vec![Period::Year(d.year), Period::Month(d.month)],
            // A week may straddle two months, or two years.
            When::Week(monday) => {
                let sunday = monday.plus_days(6);
                if sunday.year == monday.year {
                    vec![Period::Year(monday.year)]
                } else {
                    Vec::new()
                }
            }
        }
    }

    /// The words that replace a relative time written at `span` of `text` ("last year" ->
    /// "in 2024", "since last year" -> "since 2024", "last year's" -> "2024's"), capitalised
    /// as the words they replace.
    pub fn replacement(self, text: &str, span: Span) -> String {
        let written = span.slice(text);
        let lower = written.to_ascii_lowercase();
        let label = self.label();
        // "in August" and "on Sunday" keep their preposition.
        let own_preposition = ["in ", "on ", "since ", "until ", "by ", "during ", "through "].iter().any(|p| lower.starts_with(p));
        let body = if own_preposition {
            let preposition = &written[..written.find(' ').unwrap_or(0)];
            format!("{} {label}", preposition.to_ascii_lowercase())
        } else {
            let before = text[..span.start].trim_end();
            let after_possessive = text[span.end..].starts_with("'s") || text[span.end..].starts_with("’s");
            let word_before = before.rsplit(|c: char| !c.is_alphabetic()).next().unwrap_or("").to_ascii_lowercase();
            const PREPOSITIONS: &[&str] = &["in", "since", "until", "by", "from", "of", "for", "during", "through", "before", "after", "to", "than", "over", "on", "at"];
            if after_possessive || PREPOSITIONS.contains(&word_before.as_str()) {
                label
            } else if matches!(self, When::Day(_)) {
                format!("on {label}")
            } else {
                format!("in {label}")
            }
        };
        if written.starts_with(|c: char| c.is_uppercase()) {
            let mut chars = body.chars();
            chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
        } else {
            body
        }
    }
}

fn part_word(part: Part) -> &'static str {
    match part {
        Part::Early => "early",
        Part::Mid => "mid",
        Part::Late => "late",
    }
}

fn relative_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?x)
            (?-u:\b)(?i:(?P<ypart>early|late|mid-?|(?:the\s+)?(?:end|start|beginning|middle)\s+of|earlier|later)[\s-]+)?(?P<year>(?i:last|this|next))\s+(?i:year)(?-u:\b)
          | (?-u:\b)(?i:(?:earlier|later)\s+)?(?P<month>(?i:last|this|next))\s+(?i:month)(?-u:\b)
          | (?-u:\b)(?P<week>(?i:last|this|next))\s+(?i:week)(?-u:\b)
          | (?-u:\b)(?P<yesterday>(?i:yesterday))(?-u:\b)
          | (?-u:\b)(?i:in|since|until|by|during|through)\s+(?i:(?:early|late|mid)[\s-])?(?P<named>January|February|March|April|May|June|July|August|September|October|November|December)(?-u:\b)
          | (?-u:\b)(?i:on)\s+(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)(?-u:\b)",
        )
        .unwrap()
    })
}

fn offset(word: &str) -> i8 {
    match word.to_ascii_lowercase().as_str() {
        "last" => -1,
        "next" => 1,
        _ => 0,
    }
}

/// Whether a sentence speaks of what is to come.
fn speaks_of_future(sentence: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?i)(?-u:\b)(?:will|won't|shall|plans?|planned|planning|expects?|expected|scheduled|slated|due|upcoming|forthcoming|intends?|aims?|going\s+to|set\s+to)(?-u:\b)").unwrap()
    })
    .is_match(sentence)
}

/// Whether the words around a relative time make it what a change is measured against ("up
/// from $1.9 million last year", "higher than last year", "compared with last year"): a
/// comparison word at most a few words before it. "From 1.2 percent late last year to 30
/// percent in August" is no comparison but a span of time: each end has its own.
fn measures_against(before: &str, after: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| Regex::new(r"(?i)(?-u:\b)(?:from|than|versus|vs\.?|compared\s+(?:with|to)|against|over|same\s+(?:period|quarter|month|time))(?-u:\b)").unwrap());
    let Some(last) = re.find_iter(before).last() else { return false };
    let between = before[last.end()..].split_whitespace().count();
    let to_follows = after.trim_start().to_ascii_lowercase().starts_with("to ");
    between <= 4 && !to_follows
}

/// The relative times of `text[span]` (a sentence), in order. A month or weekday followed by
/// its day or year ("in August 2024", "on Sunday, Nov. 30") is absolute and left out, and so
/// is a bare month in a sentence that writes out a year ("In 2019 ... in August": the month
/// may be that year's).
pub fn relatives(text: &str, span: Span) -> Vec<Relative> {
    let slice = span.slice(text);
    let mut out = Vec::new();
    let mut future = None;
    for c in relative_regex().captures_iter(slice) {
        let Some(whole) = c.get(0) else { continue };
        let after = &slice[whole.end()..];
        let relation = if let Some(y) = c.name("year") {
            let part = c.name("ypart").and_then(|p| {
                let p = p.as_str().to_ascii_lowercase();
                if p.starts_with("earl") && p != "earlier" || p.contains("start") || p.contains("beginning") {
                    Some(Part::Early)
                } else if p.starts_with("lat") && p != "later" || p.contains("end") {
                    Some(Part::Late)
                } else if p.starts_with("mid") {
                    Some(Part::Mid)
                } else {
                    None
                }
            });
            Relation::Year { offset: offset(y.as_str()), part }
        } else if let Some(m) = c.name("month") {
            Relation::Month { offset: offset(m.as_str()) }
        } else if let Some(w) = c.name("week") {
            Relation::Week { offset: offset(w.as_str()) }
        } else if c.name("yesterday").is_some() {
            Relation::Day { offset: -1 }
        } else if let Some(m) = c.name("named") {
            // "in August 2024", "in August, 2024", "by May 5": the month is dated already.
            let next = after.trim_start_matches([' ', ',']);
            if next.starts_with(|ch: char| ch.is_ascii_digit()) || has_year(slice) {
                continue;
            }
            let Some(month) = month_named(m.as_str()) else { continue };
            Relation::NamedMonth(month)
        } else if let Some(w) = c.name("weekday") {
            let next = after.trim_start_matches([' ', ',']);
            if next.starts_with(|ch: char| ch.is_ascii_digit()) || month_named(next.split([' ', '.']).next().unwrap_or("")).is_some() {
                continue;
            }
            let Some(day) = WEEKDAYS.iter().position(|d| *d == w.as_str()) else { continue };
            Relation::Weekday(day as u8)
        } else {
            continue;
        };
        let before = &slice[..whole.start()];
        let clause_start = before.rfind([',', ';', '(']).map_or(0, |i| i + 1);
        let base = measures_against(&before[clause_start..], after) || after.starts_with("'s") || after.starts_with("’s");
        let future = *future.get_or_insert_with(|| speaks_of_future(slice));
        out.push(Relative { span: Span::new(span.start + whole.start(), span.start + whole.end()), relation, future, base });
    }
    out
}

/// Whether a sentence writes out a year.
fn has_year(sentence: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"(?-u:\b)(?:19|20)\d{2}(?-u:\b)").unwrap()).is_match(sentence)
}

/// Whether `text[span]` holds a relative time ([`relatives`] without collecting them).
pub fn names_relative(text: &str, span: Span) -> bool {
    !relatives(text, span).is_empty()
}

impl Relative {
    /// What the relative time means in a text dated `anchor`.
    ///
    /// A bare month is the last one on or before the anchor's month ("in August" in December
    /// is that August; in February, the August before), or when the sentence speaks of what
    /// is to come, the next one on or after it. A weekday likewise: the last on or before the
    /// anchor, or the next on or after it.
    pub fn resolve(&self, anchor: Day) -> When {
        match self.relation {
            Relation::Year { offset, part } => {
                let year = anchor.year + i32::from(offset);
                match part {
                    Some(part) => When::PartOfYear(part, year),
                    None => When::Year(year),
                }
            }
            Relation::Month { offset } => {
                let index = anchor.year * 12 + i32::from(anchor.month) - 1 + i32::from(offset);
                When::Month(index.div_euclid(12), (index.rem_euclid(12) + 1) as u8)
            }
            Relation::Week { offset } => {
                let monday = anchor.plus_days(-i64::from(anchor.weekday()));
                When::Week(monday.plus_days(7 * i64::from(offset)))
            }
            Relation::Day { offset } => When::Day(anchor.plus_days(i64::from(offset))),
            Relation::NamedMonth(month) => {
                let year = match (self.future, month.cmp(&anchor.month)) {
                    (false, std::cmp::Ordering::Greater) => anchor.year - 1,
                    (true, std::cmp::Ordering::Less) => anchor.year + 1,
                    _ => anchor.year,
                };
                When::Month(year, month)
            }
            Relation::Weekday(weekday) => {
                let today = i64::from(anchor.weekday());
                let target = i64::from(weekday);
                if self.future {
                    When::Day(anchor.plus_days((target - today).rem_euclid(7)))
                } else {
                    When::Day(anchor.plus_days(-(today - target).rem_euclid(7)))
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> Day {
        Day::parse(s).unwrap_or_else(|| panic!("{s}"))
    }

    #[test]
    fn dates_are_parsed_in_every_spelling_and_impossible_ones_are_not() {
        for (written, iso) in [
            ("2025-12-02", "2025-12-02"),
            ("2025-12-02T09:30:00Z", "2025-12-02"),
            ("2025/12/2", "2025-12-02"),
            ("Dec. 2, 2025", "2025-12-02"),
            ("December 2, 2025", "2025-12-02"),
            ("Dec 2 2025", "2025-12-02"),
            ("2 December 2025", "2025-12-02"),
            ("Tuesday, December 2nd, 2025", "2025-12-02"),
            ("Sept. 30, 2024", "2024-09-30"),
        ] {
            assert_eq!(day(written).to_string(), iso, "{written}");
        }
        for bad in ["2025-02-30", "2025", "soon", "Marketing 2, 2025", "2025-12-02 draft", "13/12/2025"] {
            assert_eq!(Day::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn day_arithmetic_and_weekdays() {
        assert_eq!(day("2025-12-02").weekday(), 1, "a Tuesday");
        assert_eq!(day("2025-11-30").weekday(), 6, "a Sunday");
        assert_eq!(day("2025-03-01").plus_days(-1).to_string(), "2025-02-28");
        assert_eq!(day("2024-03-01").plus_days(-1).to_string(), "2024-02-29");
        assert_eq!(day("2025-12-31").plus_days(1).to_string(), "2026-01-01");
        assert_eq!(day("2025-12-02").written(), "Dec. 2, 2025");
        assert_eq!(day("2025-03-02").written(), "March 2, 2025");
    }

    #[test]
    fn datelines_date_a_document_and_dates_in_its_story_do_not() {
        let dated = [
            ("Headline\n\nDec. 2, 2025\n\nThe story.", "2025-12-02"),
            ("Headline\nPublished: December 2, 2025 10:14 GMT\nThe story.", "2025-12-02"),
            ("Headline\nBy Jane Doe | Dec. 2, 2025\nThe story.", "2025-12-02"),
            ("Headline\nEric Mack Aug. 4, 2021 4:46 p.m. PT 3 min read The third series.", "2021-08-04"),
            ("WASHINGTON, Dec. 2, 2025 — The Senate voted.", "2025-12-02"),
            ("SAN FRANCISCO (Reuters), Dec. 2, 2025 - Nvidia said.", "2025-12-02"),
            ("Updated 2025-12-02\nText.", "2025-12-02"),
        ];
        for (text, iso) in dated {
            assert_eq!(dateline(text).map(|d| d.to_string()).as_deref(), Some(iso), "{text}");
        }
        let undated = [
            "Headline\nThe deal closed on Dec. 2, 2025, the company said.",
            "Headline\nThe conference runs June 20 & 21, 2024.",
            "Headline\n\nIn a statement on December 2, 2025 the firm said revenue rose.",
        ];
        for text in undated {
            assert_eq!(dateline(text), None, "{text}");
        }
        // Past the head of the document, a date line is another article's (a related link).
        let far = format!("Headline\n{}\nDec. 2, 2025\n", "A line of the story.\n".repeat(20));
        assert_eq!(dateline(&far), None);
    }

    fn resolved(sentence: &str, anchor: &str) -> Vec<(String, String)> {
        relatives(sentence, Span::new(0, sentence.len())).iter().map(|r| (r.span.slice(sentence).to_string(), r.resolve(day(anchor)).label())).collect()
    }

    #[test]
    fn relative_times_resolve_against_the_anchor() {
        // (sentence, the anchor, each relative time with what it means)
        type Row = (&'static str, &'static str, &'static [(&'static str, &'static str)]);
        let rows: &[Row] = &[
            ("Use rose from 1.2 percent late last year to nearly 30 percent in August.", "2025-12-02", &[("late last year", "late 2024"), ("in August", "August 2025")]),
            ("Sales rose last year.", "2025-12-02", &[("last year", "2024")]),
            ("Earlier this year the firm moved.", "2025-12-02", &[("Earlier this year", "2025")]),
            ("The chip ships next year.", "2025-12-02", &[("next year", "2026")]),
            ("The report published this month.", "2025-12-02", &[("this month", "December 2025")]),
            ("It closed last month.", "2026-01-10", &[("last month", "December 2025")]),
            ("NBC reported on Sunday.", "2025-12-02", &[("on Sunday", "Nov. 30, 2025")]),
            ("Moreno said on Tuesday.", "2025-12-02", &[("on Tuesday", "Dec. 2, 2025")]),
            ("The firm will report on Friday.", "2025-12-02", &[("on Friday", "Dec. 5, 2025")]),
            ("The plant opened in October.", "2025-02-10", &[("in October", "October 2024")]),
            ("The plant will open in March.", "2025-12-02", &[("in March", "March 2026")]),
            ("It said yesterday.", "2025-12-01", &[("yesterday", "Nov. 30, 2025")]),
            ("He spoke last week.", "2025-12-03", &[("last week", "the week of Nov. 24, 2025")]),
            ("By the end of last year it had 40 staff.", "2025-06-01", &[("the end of last year", "late 2024")]),
            // Dated already: nothing relative.
            ("The plant opened in August 2024.", "2025-12-02", &[]),
            ("He spoke on Sunday, Nov. 30.", "2025-12-02", &[]),
            ("In 2019 it was founded, and in August it moved.", "2025-12-02", &[]),
            ("Prices may rise.", "2025-12-02", &[]),
        ];
        for (sentence, anchor, expected) in rows {
            let got = resolved(sentence, anchor);
            let want: Vec<(String, String)> = expected.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect();
            assert_eq!(got, want, "{sentence}");
        }
    }

    #[test]
    fn a_change_measured_against_last_year_is_a_base() {
        let text = "Revenue was $5 million, up from $1.9 million last year.";
        let found = relatives(text, Span::new(0, text.len()));
        assert!(found[0].base);
        let text = "Revenue was $5 million last year.";
        assert!(!relatives(text, Span::new(0, text.len()))[0].base);
        // A span of time, each end with its own.
        let text = "Use surged from just 1.2 percent late last year to nearly 30 percent in August.";
        assert!(relatives(text, Span::new(0, text.len())).iter().all(|r| !r.base));
        let text = "Sales were higher than last year.";
        assert!(relatives(text, Span::new(0, text.len()))[0].base);
    }

    #[test]
    fn replacements_read_as_prose() {
        let rows = [
            ("Sales rose last year.", "last year", When::Year(2024), "in 2024"),
            ("Last year, sales rose.", "Last year", When::Year(2024), "In 2024"),
            ("Sales have risen since last year.", "last year", When::Year(2024), "2024"),
            ("Sales rose in August.", "in August", When::Month(2025, 8), "in August 2025"),
            ("He said on Sunday.", "on Sunday", When::Day(day("2025-11-30")), "on Nov. 30, 2025"),
            ("Use rose late last year.", "late last year", When::PartOfYear(Part::Late, 2024), "in late 2024"),
            ("Last year's figure.", "Last year", When::Year(2024), "2024"),
        ];
        for (text, written, when, want) in rows {
            let at = text.find(written).unwrap();
            assert_eq!(when.replacement(text, Span::new(at, at + written.len())), want, "{text}");
        }
    }
}
